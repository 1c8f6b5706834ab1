/* runbook.c: being written */
#include "bot/bot.h"
