/*
 * cmd-oncall.c: who is on call (bot/oncall.h): now or at a given time,
 * the rotations, and overrides ("I'll take tonight"). Times are shown
 * and read in the rotation's zone, where its handoffs happen.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/clock.h"
#include "bot/oncall.h"
#include "bot/tz.h"
#include "commands/cmd.h"
#include "store/store.h"

static enum cmd_retval	cmd_oncall_exec(struct cmd_ctx *);

const struct cmd_entry cmd_oncall_entry = {
	.name = "oncall",
	.alias = NULL,
	.args = { 0, -1 },
	.usage = "[<rotation>] [at <time>] | list | set [<rotation>] "
	    "<@user|me|nobody|clear> [until <time>]",
	.help = "Who is on call now or at a time, and who is next; list "
	    "the rotations; override who is on call",
	.flags = 0,
	.exec = cmd_oncall_exec,
};

static enum cmd_retval
oncall_store_error(struct cmd_ctx *ctx)
{
	cmd_error(ctx, "I could not read or save the on-call schedule: the "
	    "store failed. Nothing was changed; try again.");
	return (CMD_ERROR);
}

/* Appends the rotations' names: "`vault`, `armada`". */
static void
oncall_names_add(struct cmd_ctx *ctx, struct buf *b)
{
	const struct config	*cfg = ctx->bot->cfg;
	size_t			 i;

	for (i = 0; i < cfg->nrotations; i++)
		buf_printf(b, "%s`%s`", i > 0 ? ", " : "",
		    cfg->rotations[i].name);
}

/*
 * The rotation a command without one means: the channel's, else the
 * only one. NULL when it cannot tell (replied).
 */
static const struct rotation *
oncall_default(struct cmd_ctx *ctx)
{
	const struct config	*cfg = ctx->bot->cfg;
	const struct rotation	*rot;
	struct buf		 b = { NULL, 0, 0 };

	if ((rot = rotation_for_channel(ctx->bot, ctx->msg->channel)) !=
	    NULL)
		return (rot);
	if (cfg->nrotations == 1)
		return (&cfg->rotations[0]);
	if (cfg->nrotations == 0) {
		cmd_error(ctx, "No on-call rotations are configured (the "
		    "config's `rotations:`).");
		return (NULL);
	}
	buf_printf(&b, "Which rotation? Name one: `%soncall <rotation>`. "
	    "Rotations: ", ctx->prefix);
	oncall_names_add(ctx, &b);
	buf_addc(&b, '.');
	cmd_error(ctx, "%s", buf_str(&b));
	buf_reset(&b);
	return (NULL);
}

static void
oncall_not_found(struct cmd_ctx *ctx, const char *name)
{
	struct buf	 b = { NULL, 0, 0 };

	buf_adds(&b, "There is no rotation `");
	mrkdwn_escape(&b, name, strlen(name));
	buf_adds(&b, "`. ");
	if (ctx->bot->cfg->nrotations == 0)
		buf_adds(&b, "No rotations are configured.");
	else {
		buf_adds(&b, "Rotations: ");
		oncall_names_add(ctx, &b);
		buf_addc(&b, '.');
	}
	cmd_error(ctx, "%s", buf_str(&b));
	buf_reset(&b);
}

/* "<@U123> (Alice)", or "no one". */
static void
oncall_who_add(struct buf *b, const struct rotation *rot, const char *user)
{
	const char	*name;

	if (*user == '\0') {
		buf_adds(b, "no one");
		return;
	}
	buf_printf(b, "<@%s>", user);
	if ((name = rotation_member_name(rot, user)) != NULL) {
		buf_adds(b, " (");
		mrkdwn_escape(b, name, strlen(name));
		buf_addc(b, ')');
	}
}

/* A time in the rotation's zone: "09:00 Mon 7 Dec"; "(open end)". */
static void
oncall_when_add(struct buf *b, const struct rotation *rot, int64_t at_ms,
    int64_t now)
{
	if (at_ms == ROTATION_FOREVER)
		buf_adds(b, "further notice");
	else if (when_format(b, at_ms, now, rot->tz) != 0)
		buf_printf(b, "%lld ms", (long long)at_ms);
}

/*
 * A rotation that follows a URL: whether its calendar is known, and
 * when the last fetch failed. Nothing when all is well.
 */
static void
oncall_feed_add(struct buf *b, const struct rotation *rot, int64_t now)
{
	if (rot->ical_url == NULL)
		return;
	if (rot->ical == NULL && rot->ical_error == NULL) {
		buf_adds(b, "\n_The calendar has not been fetched yet: no "
		    "one is on call from it until it is._");
		return;
	}
	if (rot->ical_error == NULL)
		return;
	if (rot->ical == NULL)
		buf_adds(b, "\n_The calendar could not be fetched (last "
		    "tried ");
	else
		buf_adds(b, "\n_The calendar could not be refreshed (last "
		    "tried ");
	oncall_when_add(b, rot, rot->ical_tried_ms, now);
	buf_adds(b, ": ");
	mrkdwn_escape(b, rot->ical_error, strlen(rot->ical_error));
	if (rot->ical == NULL)
		buf_adds(b, "); no one is on call from it until it is._");
	else {
		buf_adds(b, "); this is the schedule fetched ");
		oncall_when_add(b, rot, rot->ical_fetched_ms, now);
		buf_adds(b, "._");
	}
}

/* Who is on call at at_ms (now when is_now), until when, and who next. */
static enum cmd_retval
oncall_show(struct cmd_ctx *ctx, const struct rotation *rot, int64_t at_ms,
    int is_now)
{
	struct rotation_shift	 cur, next;
	struct buf		 b = { NULL, 0, 0 };
	int64_t			 now = clock_wall_ms();
	int			 rc;

	if (rotation_oncall_at(ctx->bot, rot, at_ms, &cur) != 0)
		return (oncall_store_error(ctx));
	buf_printf(&b, "*%s*", rot->name);
	if (!is_now) {
		buf_adds(&b, " at ");
		oncall_when_add(&b, rot, at_ms, now);
	}
	buf_printf(&b, " (%s): ", rot->tz);
	oncall_who_add(&b, rot, cur.user);
	buf_adds(&b, is_now ? " is on call" : at_ms < now ? " was on call" :
	    " will be on call");
	if (cur.overridden)
		buf_adds(&b, " (override)");
	if (!is_now) {
		buf_adds(&b, ", from ");
		oncall_when_add(&b, rot, cur.start_ms, now);
	}
	buf_adds(&b, " until ");
	oncall_when_add(&b, rot, cur.end_ms, now);
	buf_addc(&b, '.');
	if ((rc = rotation_next(ctx->bot, rot, &cur, &next)) < 0) {
		buf_reset(&b);
		return (oncall_store_error(ctx));
	}
	if (rc == 0) {
		buf_adds(&b, "\nNext: ");
		oncall_who_add(&b, rot, next.user);
		if (next.overridden)
			buf_adds(&b, " (override)");
		buf_adds(&b, ", from ");
		oncall_when_add(&b, rot, next.start_ms, now);
		buf_adds(&b, " until ");
		oncall_when_add(&b, rot, next.end_ms, now);
		buf_addc(&b, '.');
	}
	oncall_feed_add(&b, rot, now);
	reply_add_new(ctx->reply, buf_release(&b));
	return (CMD_OK);
}

/*
 * Reads a time from argv[first..] in rot's zone, all of it; the word
 * "until" or "at" in front is optional; a time that has passed only if
 * past_ok (a question, not an override's end). 0 with *at_ms, or -1
 * replied.
 */
static int
oncall_time(struct cmd_ctx *ctx, const struct rotation *rot, int past_ok,
    int first, int64_t *at_ms)
{
	struct when	 w;
	struct buf	 b = { NULL, 0, 0 };
	char		*cause = NULL;

	if (first < ctx->argc && (strcasecmp(ctx->argv[first], "until") ==
	    0 || strcasecmp(ctx->argv[first], "at") == 0))
		first++;
	if (first >= ctx->argc) {
		cmd_error(ctx, "When? Give a time such as `tomorrow 09:00`, "
		    "`mon 09:00` or `2026-12-24 09:00` (%s time).", rot->tz);
		return (-1);
	}
	if ((past_ok ? when_parse_past : when_parse)((const char *const *)
	    ctx->argv + first, ctx->argc - first, clock_wall_ms(), rot->tz,
	    &w, &cause) != 0) {
		mrkdwn_escape(&b, cause, strlen(cause));
		cmd_error(ctx, "%s", buf_str(&b));
		buf_reset(&b);
		free(cause);
		return (-1);
	}
	if (w.nwords != ctx->argc - first) {
		mrkdwn_escape(&b, ctx->argv[first + w.nwords],
		    strlen(ctx->argv[first + w.nwords]));
		cmd_error(ctx, "I read a time but not `%s` after it.",
		    buf_str(&b));
		buf_reset(&b);
		return (-1);
	}
	*at_ms = w.due_ms;
	return (0);
}

static enum cmd_retval
oncall_list(struct cmd_ctx *ctx)
{
	const struct config	*cfg = ctx->bot->cfg;
	const struct rotation	*rot;
	struct rotation_shift	 cur;
	struct buf		 b = { NULL, 0, 0 };
	static const char *const wdays[] = {
		"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
	};
	int64_t			 now = clock_wall_ms();
	size_t			 i;

	if (cfg->nrotations == 0) {
		cmd_reply(ctx, "No on-call rotations are configured (the "
		    "config's `rotations:`).");
		return (CMD_OK);
	}
	buf_adds(&b, "*Rotations*:");
	for (i = 0; i < cfg->nrotations; i++) {
		rot = &cfg->rotations[i];
		buf_printf(&b, "\n• *%s*: ", rot->name);
		if (rot->ical_url != NULL)
			buf_adds(&b, rot->ical != NULL ? "follows a calendar "
			    "URL" : "follows a calendar URL (not fetched)");
		else if (rot->ical != NULL)
			buf_adds(&b, "follows a calendar file");
		else if (rot->shift_days == 7)
			buf_printf(&b, "weekly, handoff %s %02d:%02d",
			    wdays[rot->handoff_wday], rot->handoff_hour,
			    rot->handoff_min);
		else if (rot->shift_days == 1)
			buf_printf(&b, "daily, handoff %02d:%02d",
			    rot->handoff_hour, rot->handoff_min);
		else
			buf_printf(&b, "every %d days, handoff %02d:%02d",
			    rot->shift_days, rot->handoff_hour,
			    rot->handoff_min);
		buf_printf(&b, " %s, %zu members", rot->tz, rot->members.n);
		if (rot->channel != NULL) {
			buf_adds(&b, ", in ");
			mrkdwn_escape(&b, rot->channel, strlen(rot->channel));
		}
		buf_adds(&b, "; on call now: ");
		if (rotation_oncall_at(ctx->bot, rot, now, &cur) != 0)
			buf_adds(&b, "(cannot tell: the store failed)");
		else
			oncall_who_add(&b, rot, cur.user);
	}
	reply_add_new(ctx->reply, buf_release(&b));
	return (CMD_OK);
}

/*
 * Reads who an override names: a person (cmd_user_parse), "me",
 * "nobody". 0 with user (ROTATION_USER_MAX bytes), or -1.
 */
static int
oncall_user_parse(struct cmd_ctx *ctx, const char *s,
    char user[ROTATION_USER_MAX])
{
	if (strcasecmp(s, "me") == 0 && ctx->msg->user != NULL &&
	    strlen(ctx->msg->user) < ROTATION_USER_MAX) {
		snprintf(user, ROTATION_USER_MAX, "%s", ctx->msg->user);
		return (0);
	}
	if (strcasecmp(s, "nobody") == 0 || strcasecmp(s, "none") == 0) {
		user[0] = '\0';
		return (0);
	}
	return (cmd_user_parse(s, user, ROTATION_USER_MAX) ? 0 : -1);
}

static enum cmd_retval
oncall_set(struct cmd_ctx *ctx)
{
	const struct rotation	*rot;
	struct rotation_shift	 base, cur;
	struct buf		 b = { NULL, 0, 0 };
	char			 user[ROTATION_USER_MAX];
	int64_t			 now = clock_wall_ms(), until, id;
	int			 i = 2, n;

	if (ctx->argc < 3) {
		cmd_error(ctx, "Usage: `%soncall set <rotation> <@user|me|"
		    "nobody|clear> [until <time>]`.", ctx->prefix);
		return (CMD_ERROR);
	}
	if ((rot = rotation_find(ctx->bot->cfg, ctx->argv[2])) != NULL)
		i = 3;
	else if (ctx->argc == 3 || ctx->argv[3][0] == '<' ||
	    strcasecmp(ctx->argv[3], "until") == 0) {
		/* no rotation named: the argument is the person */
		if ((rot = oncall_default(ctx)) == NULL)
			return (CMD_ERROR);
	} else {
		oncall_not_found(ctx, ctx->argv[2]);
		return (CMD_ERROR);
	}
	if (!rotation_may_change(ctx->bot->cfg, rot, ctx->msg->user)) {
		cmd_error(ctx, "Only members of *%s*, its managers and admins "
		    "may change who is on call, and you are none of these. "
		    "Ask one of them, or a manager to add you.", rot->name);
		return (CMD_ERROR);
	}
	if (i >= ctx->argc) {
		cmd_error(ctx, "Who? `%soncall set %s <@user|me|nobody|clear> "
		    "[until <time>]`.", ctx->prefix, rot->name);
		return (CMD_ERROR);
	}
	if (strcasecmp(ctx->argv[i], "clear") == 0) {
		if ((n = store_override_end(ctx->bot->store, rot->name,
		    now)) < 0)
			return (oncall_store_error(ctx));
		cmd_reply(ctx, "Ended %d override%s of *%s*: the schedule "
		    "says who is on call again.", n, n == 1 ? "" : "s",
		    rot->name);
		return (CMD_OK);
	}
	if (oncall_user_parse(ctx, ctx->argv[i], user) != 0) {
		mrkdwn_escape(&b, ctx->argv[i], strlen(ctx->argv[i]));
		cmd_error(ctx, "`%s` is not a person: mention them (@name), "
		    "or say `me` or `nobody`.", buf_str(&b));
		buf_reset(&b);
		return (CMD_ERROR);
	}
	if (rotation_shift_at(rot, now, &base) != 0)
		return (oncall_store_error(ctx));
	until = base.end_ms;
	if (i + 1 < ctx->argc) {
		if (oncall_time(ctx, rot, 0, i + 1, &until) != 0)
			return (CMD_ERROR);
	} else if (until == ROTATION_FOREVER) {
		cmd_error(ctx, "Until when? The schedule has no next shift: "
		    "`%soncall set %s %s until <time>`.", ctx->prefix,
		    rot->name, ctx->argv[i]);
		return (CMD_ERROR);
	}
	if ((id = rotation_override_set(ctx->bot, rot, user, now, until,
	    ctx->msg->user, now)) < 0)
		return (oncall_store_error(ctx));
	if (rotation_oncall_at(ctx->bot, rot, now, &cur) != 0)
		return (oncall_store_error(ctx));
	buf_printf(&b, "Override #%lld: ", (long long)id);
	oncall_who_add(&b, rot, user);
	buf_printf(&b, " is on call for *%s* from now until ", rot->name);
	oncall_when_add(&b, rot, until, now);
	buf_printf(&b, " (%s)", rot->tz);
	if (strcmp(base.user, user) != 0) {
		buf_adds(&b, ", instead of ");
		oncall_who_add(&b, rot, base.user);
	}
	buf_addc(&b, '.');
	reply_add_new(ctx->reply, buf_release(&b));
	return (CMD_OK);
}

static enum cmd_retval
cmd_oncall_exec(struct cmd_ctx *ctx)
{
	const struct rotation	*rot;
	int64_t			 at;
	int			 i = 1;

	if (ctx->argc >= 2 && strcasecmp(ctx->argv[1], "list") == 0)
		return (oncall_list(ctx));
	if (ctx->argc >= 2 && strcasecmp(ctx->argv[1], "set") == 0)
		return (oncall_set(ctx));
	if (ctx->argc >= 2 && strcasecmp(ctx->argv[1], "at") != 0) {
		if ((rot = rotation_find(ctx->bot->cfg, ctx->argv[1])) ==
		    NULL) {
			oncall_not_found(ctx, ctx->argv[1]);
			return (CMD_ERROR);
		}
		i = 2;
	} else if ((rot = oncall_default(ctx)) == NULL)
		return (CMD_ERROR);
	if (i >= ctx->argc)
		return (oncall_show(ctx, rot, clock_wall_ms(), 1));
	if (strcasecmp(ctx->argv[i], "at") != 0) {
		cmd_error(ctx, "Usage: `%soncall [<rotation>] [at <time>]`.",
		    ctx->prefix);
		return (CMD_ERROR);
	}
	if (oncall_time(ctx, rot, 1, i, &at) != 0)
		return (CMD_ERROR);
	return (oncall_show(ctx, rot, at, 0));
}
