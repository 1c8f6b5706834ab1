/*
 * cmd-escalate-now.c: `escalate-now [id]` fires a page's next pending
 * escalation step now instead of at its time (its timer brought
 * forward: it still fires once, through the scheduler). Rotation
 * members and managers; in the page's thread the id may be left out.
 */
#include <stdlib.h>
#include <string.h>

#include "bot/clock.h"
#include "bot/page.h"
#include "commands/page-cmd.h"
#include "store/store.h"

static enum cmd_retval	cmd_escalate_now_exec(struct cmd_ctx *);

const struct cmd_entry cmd_escalate_now_entry = {
	.name = "escalate-now",
	.alias = NULL,
	.args = { 0, 1 },
	.usage = "[<page>]",
	.help = "Fire a page's next escalation step now (rotation members "
	    "and managers)",
	.flags = 0,
	.exec = cmd_escalate_now_exec,
};

static enum cmd_retval
cmd_escalate_now_exec(struct cmd_ctx *ctx)
{
	struct store_page	 p;
	int64_t			 now = clock_wall_ms();
	int			 used, rc, phase = 0, idx = 0;
	enum cmd_retval		 rv = CMD_ERROR;

	memset(&p, 0, sizeof p);
	if (page_cmd_find(ctx, 1, &p, &used) != 0)
		goto out;
	if (p.state == PAGE_RESOLVED) {
		rv = page_cmd_resolved(ctx, &p);
		goto out;
	}
	if (!page_cmd_may(ctx, &p, "escalate", 1))
		goto out;
	if ((rc = page_escalate_now(ctx->bot, &p, ctx->msg->user, now, &phase,
	    &idx)) < 0) {
		rv = page_cmd_store_error(ctx);
		goto out;
	}
	if (rc == 0) {
		cmd_error(ctx, "Page #%lld has no escalation step left to "
		    "fire%s.", (long long)p.id, p.needhelp_ms == 0 ?
		    "; `needhelp` asks for help" : "");
		goto out;
	}
	cmd_reply(ctx, "Escalating page #%lld now: %s step %d.",
	    (long long)p.id, phase == PAGE_PHASE_PAGE ? "policy" : "needhelp",
	    idx + 1);
	rv = CMD_OK;
out:
	store_page_release(&p);
	return (rv);
}
