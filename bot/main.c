#include "bot/bot.h"
int main(void) { return 0; }
