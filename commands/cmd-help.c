/* cmd-help.c: the command list, generated from cmd_table[]. */
#include <stdlib.h>

#include "commands/cmd.h"

static enum cmd_retval	cmd_help_exec(struct cmd_ctx *);

const struct cmd_entry cmd_help_entry = {
	.name = "help",
	.alias = NULL,
	.args = { 0, 1 },
	.usage = "[command]",
	.help = "List the commands, or explain one",
	.flags = 0,
	.exec = cmd_help_exec,
};

static void
help_line(struct buf *b, const struct cmd_ctx *ctx, const struct cmd_entry *e)
{
	buf_printf(b, "• `%s%s%s%s` — %s", ctx->prefix, e->name,
	    *e->usage != '\0' ? " " : "", e->usage, e->help);
	if (e->alias != NULL)
		buf_printf(b, " (also `%s%s`)", ctx->prefix, e->alias);
}

static enum cmd_retval
cmd_help_exec(struct cmd_ctx *ctx)
{
	const struct cmd_entry *const	*e;
	const struct cmd_entry		*one;
	struct buf			 b = { NULL, 0, 0 };
	char				*safe;

	if (ctx->argc > 1) {
		one = cmd_find(ctx->argv[1]);
		if (one == NULL) {
			safe = mrkdwn_escape_new(ctx->argv[1]);
			cmd_error(ctx, "There is no command `%s`. `%shelp` lists "
			    "them all.", safe, ctx->prefix);
			free(safe);
			return (CMD_ERROR);
		}
		help_line(&b, ctx, one);
		reply_add_new(ctx->reply, buf_release(&b));
		return (CMD_OK);
	}
	buf_adds(&b, "*opsbot commands*");
	for (e = cmd_table; *e != NULL; e++) {
		buf_addc(&b, '\n');
		help_line(&b, ctx, *e);
	}
	reply_add_new(ctx->reply, buf_release(&b));
	return (CMD_OK);
}
