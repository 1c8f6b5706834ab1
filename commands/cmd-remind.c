/*
 * cmd-remind.c: reminders posted in the thread that asked, at a time the
 * user types (bot/when.c), by a durable timer (remind-fire.c).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/clock.h"
#include "bot/sched.h"
#include "bot/tz.h"
#include "commands/cmd.h"
#include "store/store.h"

/* What one user can make the bot hold, and say. */
#define REMIND_MAX_PENDING	100
#define REMIND_TEXT_MAX		1000	/* bytes of one reminder's text */
#define REMIND_LIST_MAX		20	/* reminders `remind list` shows */
#define REMIND_LIST_TEXT	80	/* bytes of each text it shows */

static enum cmd_retval	cmd_remind_exec(struct cmd_ctx *);

const struct cmd_entry cmd_remind_entry = {
	.name = "remind",
	.alias = NULL,
	.args = { 1, -1 },
	.usage = "<when> <text> | list | cancel <id>",
	.help = "Post text in this thread at a time, mentioning you: 15m, "
	    "2h, 09:00, tomorrow 09:00, mon 09:00, 2026-12-24 09:00",
	.flags = 0,
	.exec = cmd_remind_exec,
};

/*
 * The zone times are read in (new string): the user's own, as the
 * adapter cached it, if the tz database has it, else the config's.
 */
static char *
remind_zone_new(struct cmd_ctx *ctx, int *mine)
{
	struct store_user	 u;
	char			*zone = NULL;

	*mine = 0;
	if (store_user_get(ctx->bot->store, ctx->msg->user, &u) == 1) {
		if (u.tz != NULL && tz_check(u.tz, NULL) == 0) {
			zone = u.tz;
			u.tz = NULL;
			*mine = 1;
		}
		store_user_release(&u);
	}
	return (zone != NULL ? zone : xstrdup(ctx->bot->cfg->tz));
}

/*
 * The message's identity (new string, or NULL if it has none), so that
 * the same message handled twice sets one reminder.
 */
static char *
remind_key_new(const struct msg *m)
{
	char	*key = NULL;

	if (m->ts != NULL)
		xasprintf(&key, "remind:%s:%s:%s", m->adapter, m->channel,
		    m->ts);
	else if (m->event_id != NULL)
		xasprintf(&key, "remind:%s:%s", m->adapter, m->event_id);
	return (key);
}

static enum cmd_retval
remind_store_error(struct cmd_ctx *ctx)
{
	cmd_error(ctx, "I could not read or save reminders: the store "
	    "failed. Nothing was changed; try again.");
	return (CMD_ERROR);
}

/* Appends "09:00 Tue 1 Dec (Europe/Berlin)" for r's due time. */
static void
remind_when_add(struct buf *b, const struct store_reminder *r, int64_t now)
{
	if (when_format(b, r->due_ms, now, r->tz) == 0)
		buf_printf(b, " (%s)", r->tz);
	else if (when_format(b, r->due_ms, now, "UTC") == 0)
		buf_adds(b, " (UTC)");
}

/* The DST note, when the time named fell in a gap or an overlap. */
static void
remind_fit_add(struct buf *b, const struct when *w, const char *zone)
{
	if (w->fit == TZ_GAP)
		buf_printf(b, "\n_%02d:%02d does not exist that day in %s "
		    "(the clocks go forward), so I took the time above._",
		    w->hour, w->min, zone);
	else if (w->fit == TZ_OVERLAP)
		buf_printf(b, "\n_%02d:%02d happens twice that day in %s (the "
		    "clocks go back): this is the first._", w->hour, w->min,
		    zone);
}

static enum cmd_retval
remind_add(struct cmd_ctx *ctx, int first)
{
	struct bot		*bot = ctx->bot;
	struct reminder_add	 a;
	struct store_reminder	 r;
	struct when		 w;
	struct buf		 b = { NULL, 0, 0 };
	char			*zone = NULL, *cause = NULL, *text = NULL;
	char			*key = NULL;
	int64_t			 now, id, count;
	int			 mine, added;
	enum cmd_retval		 rv = CMD_ERROR;

	memset(&r, 0, sizeof r);
	now = clock_wall_ms();
	zone = remind_zone_new(ctx, &mine);
	if (when_parse((const char *const *)ctx->argv + first,
	    ctx->argc - first, now, zone, &w, &cause) != 0) {
		mrkdwn_escape(&b, cause, strlen(cause));
		cmd_error(ctx, "%s", buf_str(&b));
		goto out;
	}
	if (first + w.nwords >= ctx->argc) {
		cmd_error(ctx, "Remind you of what? Put it after the time: "
		    "`%sremind 2h check #operator-vault-general again`.",
		    ctx->prefix);
		goto out;
	}
	text = cmd_join_args(ctx, first + w.nwords);
	if (strlen(text) > REMIND_TEXT_MAX) {
		cmd_error(ctx, "That is %zu bytes; a reminder holds at most "
		    "%d.", strlen(text), REMIND_TEXT_MAX);
		goto out;
	}
	if ((count = store_reminder_count(bot->store, ctx->msg->user)) < 0) {
		rv = remind_store_error(ctx);
		goto out;
	}
	if (count >= REMIND_MAX_PENDING) {
		cmd_error(ctx, "You have %lld reminders pending, the most I "
		    "keep for one person: `%sremind list`, then `%sremind "
		    "cancel &lt;id&gt;`.", (long long)count, ctx->prefix,
		    ctx->prefix);
		goto out;
	}

	key = remind_key_new(ctx->msg);
	memset(&a, 0, sizeof a);
	a.key = key;
	a.adapter = ctx->msg->adapter;
	a.channel = ctx->msg->channel;
	a.thread_ts = msg_reply_thread(ctx->msg);
	a.user = ctx->msg->user;
	a.text = text;
	a.tz = zone;
	a.due_ms = w.due_ms;
	a.now_ms = now;
	a.timer_kind = REMIND_TIMER_KIND;
	/* Answered from the row: a replayed message is told the same. */
	if ((id = store_reminder_add(bot->store, &a, &added)) < 0 ||
	    store_reminder_get(bot->store, id, &r) != 1) {
		rv = remind_store_error(ctx);
		goto out;
	}
	if (added && bot->sched != NULL)
		sched_kick(bot->sched);	/* it may be the earliest now */

	buf_printf(&b, "Reminder #%lld%s: I will post it in this %s at *",
	    (long long)r.id, added ? "" : " (already set from this message)",
	    r.thread_ts != NULL ? "thread" : "channel");
	remind_when_add(&b, &r, now);
	buf_printf(&b, "*, %s, and mention you. To cancel: `%sremind cancel "
	    "%lld`.", mine ? "your time zone" : "the configured time zone",
	    ctx->prefix, (long long)r.id);
	if (added)
		remind_fit_add(&b, &w, zone);
	reply_add_new(ctx->reply, buf_release(&b));
	rv = CMD_OK;
out:
	store_reminder_release(&r);
	buf_reset(&b);
	free(key);
	free(text);
	free(cause);
	free(zone);
	return (rv);
}

/* Appends r's text for a list: escaped, mentions muted, cut short. */
static void
remind_text_add(struct buf *b, const char *text)
{
	size_t	 len = strlen(text);

	if (len > REMIND_LIST_TEXT) {
		len = REMIND_LIST_TEXT;
		while (len > 0 && ((unsigned char)text[len] & 0xc0) == 0x80)
			len--;
	}
	/* <@U...> is escaped too: a list must not call anyone. */
	mrkdwn_escape(b, text, len);
	if (len < strlen(text))
		buf_adds(b, "…");
}

static enum cmd_retval
remind_list(struct cmd_ctx *ctx)
{
	struct store_reminder	*v = NULL;
	struct buf		 b = { NULL, 0, 0 };
	size_t			 n = 0, i;
	int64_t			 count, now;
	enum cmd_retval		 rv = CMD_ERROR;

	now = clock_wall_ms();
	if ((count = store_reminder_count(ctx->bot->store,
	    ctx->msg->user)) < 0 || store_reminder_list(ctx->bot->store,
	    ctx->msg->user, REMIND_LIST_MAX, &v, &n) < 0) {
		rv = remind_store_error(ctx);
		goto out;
	}
	if (n == 0) {
		cmd_reply(ctx, "You have no reminders pending. Set one with "
		    "`%sremind 2h check the vault`.", ctx->prefix);
		rv = CMD_OK;
		goto out;
	}
	buf_printf(&b, "*Your reminders* (%lld):", (long long)count);
	for (i = 0; i < n; i++) {
		buf_printf(&b, "\n• #%lld at ", (long long)v[i].id);
		remind_when_add(&b, &v[i], now);
		/* Another channel's text is not for this one's readers. */
		if (strcmp(v[i].adapter, ctx->msg->adapter) == 0 &&
		    strcmp(v[i].channel, ctx->msg->channel) == 0) {
			buf_adds(&b, ": ");
			remind_text_add(&b, v[i].text);
		} else
			buf_adds(&b, ", set in another channel");
	}
	if (count > (int64_t)n)
		buf_printf(&b, "\n…and %lld more.", (long long)count -
		    (long long)n);
	buf_printf(&b, "\nTo cancel one: `%sremind cancel &lt;id&gt;`.",
	    ctx->prefix);
	reply_add_new(ctx->reply, buf_release(&b));
	rv = CMD_OK;
out:
	for (i = 0; i < n; i++)
		store_reminder_release(&v[i]);
	free(v);
	return (rv);
}

static enum cmd_retval
remind_cancel(struct cmd_ctx *ctx)
{
	struct store_reminder	 r;
	struct buf		 b = { NULL, 0, 0 };
	int64_t			 id, now;
	int			 rc;
	enum cmd_retval		 rv = CMD_ERROR;

	memset(&r, 0, sizeof r);
	now = clock_wall_ms();
	if (ctx->argc != 3 || !cmd_id_parse(ctx->argv[2], &id)) {
		cmd_error(ctx, "Which reminder? `%sremind cancel &lt;id&gt;`; "
		    "`%sremind list` shows the ids of yours.", ctx->prefix,
		    ctx->prefix);
		goto out;
	}
	if ((rc = store_reminder_get(ctx->bot->store, id, &r)) < 0) {
		rv = remind_store_error(ctx);
		goto out;
	}
	if (rc == 0)
		cmd_error(ctx, "There is no reminder #%lld. `%sremind list` "
		    "shows yours.", (long long)id, ctx->prefix);
	else if (strcmp(r.user, ctx->msg->user) != 0)
		cmd_error(ctx, "Reminder #%lld is not yours: only the person "
		    "who set it can cancel it.", (long long)id);
	else if (r.state == REMINDER_CANCELLED)
		cmd_error(ctx, "Reminder #%lld is cancelled already.",
		    (long long)id);
	else if (r.state == REMINDER_FIRED) {
		buf_printf(&b, "Reminder #%lld went off already, at ",
		    (long long)id);
		if (when_format(&b, r.fired_ms, now, r.tz) == 0)
			buf_printf(&b, " (%s)", r.tz);
		buf_adds(&b, ".");
		cmd_error(ctx, "%s", buf_str(&b));
	} else if ((rc = store_reminder_cancel(ctx->bot->store, id)) < 0)
		rv = remind_store_error(ctx);
	else if (rc == 0)
		cmd_error(ctx, "Reminder #%lld is no longer pending.",
		    (long long)id);
	else {
		if (ctx->bot->sched != NULL)
			sched_kick(ctx->bot->sched);
		buf_printf(&b, "Cancelled reminder #%lld, due ",
		    (long long)id);
		remind_when_add(&b, &r, now);
		buf_adds(&b, ".");
		cmd_reply(ctx, "%s", buf_str(&b));
		rv = CMD_OK;
	}
out:
	buf_reset(&b);
	store_reminder_release(&r);
	return (rv);
}

static enum cmd_retval
cmd_remind_exec(struct cmd_ctx *ctx)
{
	const char	*sub = ctx->argv[1];

	if (ctx->bot->store == NULL) {
		cmd_error(ctx, "Reminders need the store, and it is not open.");
		return (CMD_ERROR);
	}
	if (strcasecmp(sub, "list") == 0) {
		if (ctx->argc == 2)
			return (remind_list(ctx));
		cmd_error(ctx, "`%sremind list` takes nothing after it.",
		    ctx->prefix);
		return (CMD_ERROR);
	}
	if (strcasecmp(sub, "cancel") == 0)
		return (remind_cancel(ctx));
	/* "remind me in 2h ...", as people say it */
	if (strcasecmp(sub, "me") == 0 && ctx->argc > 2)
		return (remind_add(ctx, 2));
	return (remind_add(ctx, 1));
}
