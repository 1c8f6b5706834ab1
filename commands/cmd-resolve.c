/*
 * cmd-resolve.c: `resolve [id] [note]` resolves a page (bot/page.c):
 * every step still waiting stops, and its message says who resolved it,
 * when, and the note. Rotation members and managers; in the page's
 * thread the id may be left out.
 */
#include <stdlib.h>
#include <string.h>

#include "bot/clock.h"
#include "bot/page.h"
#include "commands/page-cmd.h"
#include "store/store.h"

/* The longest note kept, in bytes. */
#define PAGE_NOTE_MAX	2000

static enum cmd_retval	cmd_resolve_exec(struct cmd_ctx *);

const struct cmd_entry cmd_resolve_entry = {
	.name = "resolve",
	.alias = NULL,
	.args = { 0, -1 },
	.usage = "[<page>] [<note>]",
	.help = "Resolve a page, with a note of what was done (rotation "
	    "members and managers)",
	.flags = 0,
	.exec = cmd_resolve_exec,
};

static enum cmd_retval
cmd_resolve_exec(struct cmd_ctx *ctx)
{
	struct store_page	 p;
	char			*note = NULL;
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
	if (!page_cmd_may(ctx, &p, "resolve", 1))
		goto out;
	if (1 + used < ctx->argc) {
		note = cmd_join_args(ctx, 1 + used);
		if (strlen(note) > PAGE_NOTE_MAX) {
			cmd_error(ctx, "The note is longer than %d bytes: "
			    "shorten it, and put the details in the thread.",
			    PAGE_NOTE_MAX);
			goto out;
		}
	}
	if ((rc = page_resolve(ctx->bot, &p, ctx->msg->user, note, now)) < 0) {
		rv = page_cmd_store_error(ctx);
		goto out;
	}
	if (rc == 0) {
		cmd_reply(ctx, "Page #%lld was resolved already.",
		    (long long)p.id);
		rv = CMD_OK;
		goto out;
	}
	cmd_reply(ctx, "Page #%lld resolved%s.", (long long)p.id,
	    p.state == PAGE_OPEN ? " (it had not been acknowledged)" : "");
	rv = CMD_OK;
out:
	free(note);
	store_page_release(&p);
	return (rv);
}
