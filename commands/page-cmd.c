/*
 * page-cmd.c: what the page commands share (commands/page-cmd.h). In
 * a page's thread the id may be left out, as with tickets.
 */
#include <stdlib.h>
#include <string.h>

#include "bot/clock.h"
#include "bot/page.h"
#include "commands/page-cmd.h"
#include "store/store.h"

enum cmd_retval
page_cmd_store_error(struct cmd_ctx *ctx)
{
	cmd_error(ctx, "I could not read or save pages: the store failed. "
	    "Nothing was changed; try again.");
	return (CMD_ERROR);
}

int
page_cmd_find(struct cmd_ctx *ctx, int i, struct store_page *p, int *used)
{
	const char	*thread = ctx->msg->thread_ts;
	int64_t		 id;
	int		 rc;

	*used = 0;
	if (i < ctx->argc && cmd_id_parse(ctx->argv[i], &id)) {
		*used = 1;
		if ((rc = store_page_get(ctx->bot->store, id, p)) < 0) {
			page_cmd_store_error(ctx);
			return (-1);
		}
		if (rc == 0) {
			cmd_error(ctx, "There is no page #%lld.",
			    (long long)id);
			return (-1);
		}
		return (0);
	}
	if (thread != NULL && (rc = store_page_by_thread(ctx->bot->store,
	    ctx->msg->channel, thread, p)) != 0) {
		if (rc < 0) {
			page_cmd_store_error(ctx);
			return (-1);
		}
		return (0);
	}
	/* no id, no thread (the console, a slash command): the channel's
	   one page still open, if there is exactly one */
	if (i >= ctx->argc && (rc = store_page_only_open(ctx->bot->store,
	    ctx->msg->channel, p)) != 0 && rc != 2) {
		if (rc < 0) {
			page_cmd_store_error(ctx);
			return (-1);
		}
		return (0);
	}
	if (i < ctx->argc && ctx->argv[i][0] >= '0' &&
	    ctx->argv[i][0] <= '9')
		cmd_error(ctx, "'%s' is not a page id: ids are whole numbers "
		    "such as 12.", ctx->argv[i]);
	else
		cmd_error(ctx, "Which page? Give its number (`%s%s 12`), or "
		    "say it in the page's thread.", ctx->prefix,
		    ctx->argv[0]);
	return (-1);
}

int
page_cmd_may(struct cmd_ctx *ctx, const struct store_page *p,
    const char *what, int managers_too)
{
	struct buf	 b = { NULL, 0, 0 };
	const char	*user = ctx->msg->user;

	if (page_rota_is_member(ctx->bot, p->rotation, user) ||
	    (managers_too && page_rota_is_manager(ctx->bot, p->rotation,
	    user)))
		return (1);
	buf_printf(&b, "Only members of the *");
	mrkdwn_escape(&b, p->rotation, strlen(p->rotation));
	buf_printf(&b, "* rotation%s may %s page #%lld.", managers_too ?
	    " (and its managers)" : "", what, (long long)p->id);
	cmd_error(ctx, "%s", buf_str(&b));
	buf_reset(&b);
	return (0);
}

enum cmd_retval
page_cmd_resolved(struct cmd_ctx *ctx, const struct store_page *p)
{
	struct buf	 b = { NULL, 0, 0 };

	buf_printf(&b, "Page #%lld was resolved already, by ",
	    (long long)p->id);
	page_user_add(&b, p->adapter, p->resolved_by != NULL ?
	    p->resolved_by : "?");
	buf_adds(&b, " at ");
	page_when_add(&b, p->resolved_ms, clock_wall_ms(), ctx->bot->cfg->tz);
	buf_adds(&b, ".");
	cmd_error(ctx, "%s", buf_str(&b));
	buf_reset(&b);
	return (CMD_ERROR);
}
