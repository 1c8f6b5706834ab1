/* cmd-sop.c: the standard operating procedure for an alert. */
#include <stdlib.h>

#include "commands/cmd.h"

static enum cmd_retval	cmd_sop_exec(struct cmd_ctx *);

const struct cmd_entry cmd_sop_entry = {
	.name = "sop",
	.alias = NULL,
	.args = { 1, -1 },
	.usage = "<alert>",
	.help = "The SOP section for an alert, e.g. HiveDown",
	.flags = 0,
	.exec = cmd_sop_exec,
};

static enum cmd_retval
cmd_sop_exec(struct cmd_ctx *ctx)
{
	return (cmd_section_or_reply(ctx, "SOP", "sop", "sop"));
}
