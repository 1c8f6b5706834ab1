/*
 * cmd-handoffs.c: `handoffs [rotation] [7d|30d|since YYYY-MM-DD]` lists
 * the handoffs recorded (bot/handoff.h), one line each: the date in
 * the rotation's zone, who to whom, confirmed or not, late, and how
 * many items were open. Without a rotation: the channel's, else all.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "bot/clock.h"
#include "bot/handoff.h"
#include "bot/oncall.h"
#include "bot/page.h"
#include "bot/tz.h"
#include "commands/cmd.h"
#include "store/store.h"

/* The most lines one answer lists (the newest). */
#define HANDOFFS_LIST_MAX	50
#define DAY_MS			(INT64_C(24) * 3600 * 1000)

static enum cmd_retval	cmd_handoffs_exec(struct cmd_ctx *);

const struct cmd_entry cmd_handoffs_entry = {
	.name = "handoffs",
	.alias = NULL,
	.args = { 0, 3 },
	.usage = "[<rotation>] [7d|30d|since YYYY-MM-DD]",
	.help = "List the handoffs recorded (default: the last 7 days)",
	.flags = 0,
	.exec = cmd_handoffs_exec,
};

/* One line: "Mon 30 Nov 09:02 vault: <@A> → <@B>, acked, 2 open" */
static void
handoffs_line_add(struct buf *b, const struct store_handoff *h,
    const char *adapter, const char *zone)
{
	struct tz_time	 lt;
	json_t		*rec;
	static const char *const wd[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
	    "Fri", "Sat" };
	static const char *const mo[] = { "Jan", "Feb", "Mar", "Apr", "May",
	    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

	buf_adds(b, "\n• ");
	if (tz_local(zone, h->created_ms / 1000, &lt) == 0)
		buf_printf(b, "%s %d %s %d %02d:%02d %s", wd[lt.wday % 7],
		    lt.mday, mo[(lt.mon - 1) % 12], lt.year, lt.hour, lt.min,
		    lt.abbr);
	buf_printf(b, " *%s* #%lld: ", h->rotation, (long long)h->id);
	page_user_add(b, adapter, h->from_user);
	buf_adds(b, " → ");
	page_user_add(b, adapter, h->to_user);
	buf_adds(b, h->acked_ms != 0 ? ", acked" : ", *not acked*");
	if (h->late)
		buf_adds(b, ", late");
	/* the open items as recorded then */
	if ((rec = json_loads(h->record, 0, NULL)) != NULL) {
		buf_printf(b, ", %zu open", handoff_record_open_count(rec));
		json_decref(rec);
	}
}

/*
 * Reads the period at argv[i..]: "7d", "30d", "since YYYY-MM-DD" (local
 * midnight in zone). 0 with *since_ms and *used words, or -1.
 */
static int
handoffs_since(struct cmd_ctx *ctx, int i, const char *zone,
    int64_t now_ms, int64_t *since_ms, int *used)
{
	struct tz_time	 lt;
	int64_t		 secs;

	*used = 0;
	*since_ms = now_ms - 7 * DAY_MS;
	if (i >= ctx->argc)
		return (0);
	*used = 1;
	if (strcasecmp(ctx->argv[i], "7d") == 0)
		return (0);
	if (strcasecmp(ctx->argv[i], "30d") == 0) {
		*since_ms = now_ms - 30 * DAY_MS;
		return (0);
	}
	if (strcasecmp(ctx->argv[i], "since") != 0 || i + 1 >= ctx->argc)
		return (-1);
	*used = 2;
	memset(&lt, 0, sizeof lt);
	if (rotation_date_parse(ctx->argv[i + 1], &lt.year, &lt.mon,
	    &lt.mday) != 0 || tz_utc(zone, &lt, &secs) == TZ_ERROR)
		return (-1);
	*since_ms = secs * 1000;
	return (0);
}

static enum cmd_retval
cmd_handoffs_exec(struct cmd_ctx *ctx)
{
	const struct rotation	*rot = NULL, *r;
	struct store_handoff	*v = NULL;
	struct buf		 b;
	const char		*zone = "UTC";
	int64_t			 now = clock_wall_ms(), since;
	size_t			 n = 0, k, first;
	int			 i = 1, used;
	enum cmd_retval		 rv = CMD_ERROR;

	memset(&b, 0, sizeof b);
	if (i < ctx->argc && (rot = rotation_find(ctx->bot->cfg,
	    ctx->argv[i])) != NULL)
		i++;
	else
		rot = rotation_for_channel(ctx->bot, ctx->msg->channel);
	if (rot != NULL)
		zone = rot->tz;
	if (handoffs_since(ctx, i, zone, now, &since, &used) != 0 ||
	    i + used != ctx->argc) {
		cmd_error(ctx, "Usage: `%shandoffs %s` (a rotation `%soncall` "
		    "lists, then a period).", ctx->prefix, ctx->entry->usage,
		    ctx->prefix);
		goto out;
	}
	if (store_handoff_list(ctx->bot->store, rot != NULL ? rot->name :
	    NULL, since, 10000, &v, &n) < 0) {
		cmd_error(ctx, "I could not read the handoffs: the store "
		    "failed.");
		goto out;
	}
	if (n == 0) {
		cmd_reply(ctx, "No handoff of %s%s%s recorded in that period.",
		    rot != NULL ? "*" : "", rot != NULL ? rot->name :
		    "any rotation", rot != NULL ? "*" : "");
		rv = CMD_OK;
		goto out;
	}
	buf_printf(&b, "*Handoffs%s%s* (%zu):", rot != NULL ? " of " : "",
	    rot != NULL ? rot->name : "", n);
	first = n > HANDOFFS_LIST_MAX ? n - HANDOFFS_LIST_MAX : 0;
	if (first > 0)
		buf_printf(&b, "\n(the newest %d)", HANDOFFS_LIST_MAX);
	for (k = first; k < n; k++) {
		/* all rotations: each line in its own rotation's zone */
		if (rot == NULL)
			zone = (r = rotation_find(ctx->bot->cfg,
			    v[k].rotation)) != NULL ? r->tz : "UTC";
		handoffs_line_add(&b, &v[k], ctx->msg->adapter, zone);
	}
	reply_add_new(ctx->reply, buf_release(&b));
	rv = CMD_OK;
out:
	for (k = 0; k < n; k++)
		store_handoff_release(&v[k]);
	free(v);
	return (rv);
}
