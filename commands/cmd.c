/* cmd.c */
#include "commands/cmd.h"
