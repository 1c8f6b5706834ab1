/*
 * cmd-ack.c: `ack [id]` acknowledges a page (bot/page.c): its
 * escalation steps stop and its message says who acknowledged and
 * when. Rotation members only; in the page's thread the id may be left
 * out.
 */
#include <stdlib.h>
#include <string.h>

#include "bot/clock.h"
#include "bot/page.h"
#include "commands/page-cmd.h"
#include "store/store.h"

static enum cmd_retval	cmd_ack_exec(struct cmd_ctx *);

const struct cmd_entry cmd_ack_entry = {
	.name = "ack",
	.alias = NULL,
	.args = { 0, 1 },
	.usage = "[<page>]",
	.help = "Acknowledge a page: its escalation stops (rotation members)",
	.flags = 0,
	.exec = cmd_ack_exec,
};

static enum cmd_retval
cmd_ack_exec(struct cmd_ctx *ctx)
{
	struct store_page	 p;
	struct buf		 b = { NULL, 0, 0 };
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
	if (!page_cmd_may(ctx, &p, "acknowledge", 0))
		goto out;
	if ((rc = page_ack(ctx->bot, &p, ctx->msg->user, now)) < 0) {
		rv = page_cmd_store_error(ctx);
		goto out;
	}
	if (rc == 0) {
		buf_printf(&b, "Page #%lld was acknowledged already, by ",
		    (long long)p.id);
		page_user_add(&b, p.adapter, p.acked_by != NULL ? p.acked_by :
		    "?");
		buf_adds(&b, ".");
		cmd_reply(ctx, "%s", buf_str(&b));
		rv = CMD_OK;
		goto out;
	}
	buf_printf(&b, "Page #%lld acknowledged by ", (long long)p.id);
	page_user_add(&b, p.adapter, ctx->msg->user);
	buf_adds(&b, ", ");
	if (now >= p.opened_ms) {
		page_elapsed_add(&b, now - p.opened_ms);
		buf_adds(&b, " after the page");
	}
	buf_printf(&b, ": its escalation stopped. `%sneedhelp %lld` if you "
	    "need someone; `%sresolve %lld [note]` when it is over.",
	    ctx->prefix, (long long)p.id, ctx->prefix, (long long)p.id);
	cmd_reply(ctx, "%s", buf_str(&b));
	rv = CMD_OK;
out:
	buf_reset(&b);
	store_page_release(&p);
	return (rv);
}
