/* cmd-escalate.c: how to escalate to an upstream vendor. */
#include "commands/cmd.h"

static enum cmd_retval	cmd_escalate_exec(struct cmd_ctx *);

const struct cmd_entry cmd_escalate_entry = {
	.name = "escalate",
	.alias = NULL,
	.args = { 1, -1 },
	.usage = "<vendor>",
	.help = "How to escalate to an upstream vendor: contacts, phone "
	    "numbers, case steps",
	.flags = 0,
	.exec = cmd_escalate_exec,
};

static enum cmd_retval
cmd_escalate_exec(struct cmd_ctx *ctx)
{
	return (cmd_section_or_reply(ctx, "escalation section", "escalation",
	    "escalate"));
}
