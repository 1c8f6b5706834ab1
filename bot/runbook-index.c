/* runbook-index.c: being written */
#include "bot/bot.h"
