/*
 * cmd-needhelp.c: `needhelp [id]`: the person on call cannot solve a
 * page alone (seeds 001_*). Its policy's needhelp steps start: by
 * default the rotation's admin channel is asked with @here at once,
 * 10 minutes later the manager (phone after hours) and, on a critical
 * page, the vendor escalation. Not `help`, which lists the commands.
 */
#include <stdlib.h>
#include <string.h>

#include "bot/clock.h"
#include "bot/page.h"
#include "commands/page-cmd.h"
#include "store/store.h"

static enum cmd_retval	cmd_needhelp_exec(struct cmd_ctx *);

const struct cmd_entry cmd_needhelp_entry = {
	.name = "needhelp",
	.alias = NULL,
	.args = { 0, 1 },
	.usage = "[<page>]",
	.help = "Ask for help with a page: the admin channel with @here, then "
	    "the manager (rotation members)",
	.flags = 0,
	.exec = cmd_needhelp_exec,
};

static enum cmd_retval
cmd_needhelp_exec(struct cmd_ctx *ctx)
{
	struct store_page	 p;
	int64_t			 now = clock_wall_ms();
	int			 used, rc;
	enum cmd_retval		 rv = CMD_ERROR;

	memset(&p, 0, sizeof p);
	if (page_cmd_find(ctx, 1, &p, &used) != 0)
		goto out;
	if (p.state == PAGE_RESOLVED) {
		rv = page_cmd_resolved(ctx, &p);
		goto out;
	}
	if (!page_cmd_may(ctx, &p, "ask for help with", 0))
		goto out;
	if ((rc = page_needhelp(ctx->bot, &p, ctx->msg->user, now)) < 0) {
		rv = page_cmd_store_error(ctx);
		goto out;
	}
	if (rc == 0) {
		cmd_reply(ctx, "Help for page #%lld was asked for already.",
		    (long long)p.id);
		rv = CMD_OK;
		goto out;
	}
	cmd_reply(ctx, "Asking for help with page #%lld, following its "
	    "policy `%s`.", (long long)p.id, p.policy);
	rv = CMD_OK;
out:
	store_page_release(&p);
	return (rv);
}
