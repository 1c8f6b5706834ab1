/*
 * duty-fire.c: the "duty-due" and "duty-missed" timer kinds
 * (bot/duty.h). Each runs in the transaction that claims its timer
 * (docs/internals/timers.md): the check's row, the post (key
 * "timer:<id>"), the next timer and the audit row commit together or
 * not at all, so a restart neither repeats nor loses a nudge.
 */
#include <stdlib.h>
#include <string.h>

#include "bot/blocks.h"
#include "bot/bot.h"
#include "bot/config.h"
#include "bot/duty.h"
#include "bot/oncall.h"
#include "bot/outbox.h"
#include "bot/page.h"
#include "store/store.h"

/* Queues text (and blocks, may be NULL) in channel, key "timer:<id>". */
static int
dfire_post(struct bot *bot, const struct store_timer *tm,
    const char *channel, const char *text, const char *blocks)
{
	struct post	 post;
	char		*key;
	int		 rc = 0;

	if (channel == NULL) {
		log_warnx("duty: timer %lld: the rotation has no channel; "
		    "not posted: %s", (long long)tm->id, text);
		return (0);
	}
	xasprintf(&key, "timer:%lld", (long long)tm->id);
	memset(&post, 0, sizeof post);
	post.op = POST_MESSAGE;
	post.channel = channel;
	post.text = text;
	post.blocks = blocks;
	post.key = key;
	if (outbox_queue(bot, &post) < 0)
		rc = -1;
	free(key);
	return (rc);
}

/* The audit row of a firing: command "duty", args "<rot> <duty>: ...". */
static int
dfire_audit(struct store *s, struct bot *bot, const struct store_timer *tm,
    const char *channel, const char *rotation, const char *duty,
    const char *detail, const char *status)
{
	struct audit_rec	 rec;
	char			*args;
	int			 rc;

	xasprintf(&args, "%s %s: %s", rotation, duty, detail);
	memset(&rec, 0, sizeof rec);
	rec.at = tm->fired_at_ms / 1000;
	rec.adapter = duty_adapter(bot);
	rec.channel = channel;
	rec.command = "duty";
	rec.args = args;
	rec.status = status;
	rc = store_audit_add(s, &rec);
	free(args);
	return (rc);
}

/* "*vault-general* (due 13:00 Mon 30 Nov (Europe/Berlin))" */
static void
dfire_name(struct buf *b, const char *name, int64_t due_ms, int64_t now_ms,
    const char *zone)
{
	buf_adds(b, "*");
	mrkdwn_escape(b, name, strlen(name));
	buf_adds(b, "* (due ");
	page_when_add(b, due_ms, now_ms, zone);
	buf_adds(b, ")");
}

/* The duty's sentence, and the channel to check. */
static void
dfire_what(struct buf *b, const struct duty *d)
{
	buf_adds(b, ": ");
	mrkdwn_escape(b, d->what, strlen(d->what));
	if (d->channel != NULL) {
		buf_adds(b, " (");
		if (slack_id_like(d->channel, "CGD"))
			buf_printf(b, "<#%s>", d->channel);
		else
			mrkdwn_escape(b, d->channel, strlen(d->channel));
		buf_adds(b, ")");
	}
}

/* The later of tm's due and firing times: what follows counts from it. */
static int64_t
dfire_later(const struct store_timer *tm)
{
	return (tm->due_ms > tm->fired_at_ms ? tm->due_ms : tm->fired_at_ms);
}

/* Parses "duty:<rotation>:<name>:<due_ms>" into new strings. */
static int
dfire_ref(const char *ref, char **rotation, char **name, int64_t *due_ms)
{
	const char	*a, *b;
	char		*end;

	if (strncmp(ref, "duty:", 5) != 0 || (a = strchr(ref + 5, ':')) ==
	    NULL || (b = strchr(a + 1, ':')) == NULL)
		return (-1);
	*due_ms = strtoll(b + 1, &end, 10);
	if (*end != '\0')
		return (-1);
	*rotation = xstrndup(ref + 5, (size_t)(a - ref - 5));
	*name = xstrndup(a + 1, (size_t)(b - a - 1));
	return (0);
}

/* Arms check id's "duty-missed" step at due_ms. */
static int
dfire_arm_missed(struct store *s, int64_t id, int step, int64_t due_ms,
    int64_t now_ms)
{
	char	*ref;
	int	 rc = 0;

	xasprintf(&ref, "duty-check:%lld:%d", (long long)id, step);
	if (store_timer_add(s, now_ms, due_ms, DUTY_MISSED_KIND, ref, ref) < 0)
		rc = -1;
	free(ref);
	return (rc);
}

/* The nudge with its Done button. */
static int
dfire_nudge(struct bot *bot, const struct store_timer *tm,
    const struct rotation *rot, const struct duty *d, int64_t id,
    const char *user, const char *zone)
{
	const char	*pfx = bot->cfg->prefix != NULL ? bot->cfg->prefix : "";
	struct button	 btn;
	struct buf	 b = { NULL, 0, 0 };
	char		*value, *cmd, *blocks, *text;
	int		 rc;

	buf_adds(&b, ":mag: ");
	page_user_add(&b, duty_adapter(bot), user);
	buf_adds(&b, " on-call duty ");
	dfire_name(&b, d->name, tm->due_ms, tm->fired_at_ms, zone);
	dfire_what(&b, d);
	buf_printf(&b, ". Say `%schecked %s [note]` when done.", pfx, d->name);
	if (tm->late)
		buf_adds(&b, " _Late: opsbot was not running when this fell "
		    "due._");
	xasprintf(&value, DUTY_BUTTON_VALUE "%lld", (long long)id);
	xasprintf(&cmd, "checked #%lld", (long long)id);
	memset(&btn, 0, sizeof btn);
	btn.label = "Done";
	btn.action_id = DUTY_BUTTON_ACTION;
	btn.value = value;
	btn.style = "primary";
	btn.command = cmd;
	blocks = blocks_buttons_new(buf_str(&b), &btn, 1);
	text = blocks_fallback_new(buf_str(&b), &btn, 1, pfx);
	rc = dfire_post(bot, tm, rot->channel, text, blocks);
	free(text);
	free(blocks);
	free(cmd);
	free(value);
	buf_reset(&b);
	return (rc);
}

int
duty_due_fire(struct store *s, const struct store_timer *tm, void *arg)
{
	struct bot		*bot = arg;
	const struct rotation	*rot;
	const struct duty	*d;
	struct rotation_shift	 sh;
	struct buf		 b = { NULL, 0, 0 };
	char			*rname = NULL, *dname = NULL, *detail = NULL;
	const char		*zone;
	int64_t			 due, id;
	int			 added, rv = 0;

	if (dfire_ref(tm->ref, &rname, &dname, &due) != 0) {
		log_warnx("duty: timer %lld: bad ref '%s'", (long long)tm->id,
		    tm->ref);
		goto out;
	}
	if ((rot = rotation_find(bot->cfg, rname)) == NULL ||
	    (d = duty_find(bot->cfg, rname, dname)) == NULL) {
		log_info("duty %s/%s: no longer in the config", rname, dname);
		goto out;
	}
	zone = duty_zone(bot, d);
	rv = -1;
	/* armed by an earlier config whose times were others: not now */
	if (duty_next_due(d, zone, tm->due_ms - 1, &due) != 0 ||
	    due != tm->due_ms) {
		log_info("duty %s/%s: %lld is no longer a due time",
		    rname, dname, (long long)tm->due_ms);
		if (duty_arm_next(bot, s, d, dfire_later(tm),
		    tm->fired_at_ms) != 0)
			goto out;
		rv = 0;
		goto out;
	}
	memset(&sh, 0, sizeof sh);
	if (rotation_oncall_at(bot, rot, tm->due_ms, &sh) != 0)
		sh.user[0] = '\0';
	if ((id = store_duty_check_add(s, rname, dname, tm->due_ms, sh.user,
	    &added)) < 0)
		goto out;
	if (added && sh.user[0] == '\0') {
		if (store_duty_check_missed(s, id) < 0)
			goto out;
		buf_adds(&b, ":warning: On-call duty ");
		dfire_name(&b, d->name, tm->due_ms, tm->fired_at_ms, zone);
		buf_adds(&b, " of *");
		mrkdwn_escape(&b, rot->name, strlen(rot->name));
		buf_adds(&b, "*: nobody is on call, so nobody was nudged; "
		    "the check is recorded missed");
		dfire_what(&b, d);
		if (dfire_post(bot, tm, rot->channel, buf_str(&b), NULL) != 0 ||
		    dfire_audit(s, bot, tm, rot->channel, rname, dname,
		    "nobody on call: missed", "missed") != 0)
			goto out;
	} else if (added) {
		/* counted from the nudge: a late one gets its full time */
		if (dfire_nudge(bot, tm, rot, d, id, sh.user, zone) != 0 ||
		    dfire_arm_missed(s, id, 1, dfire_later(tm) +
		    d->missed_after_ms, tm->fired_at_ms) != 0)
			goto out;
		xasprintf(&detail, "check %lld: nudged %s", (long long)id,
		    sh.user);
		if (dfire_audit(s, bot, tm, rot->channel, rname, dname, detail,
		    "ok") != 0)
			goto out;
	}
	if (duty_arm_next(bot, s, d, dfire_later(tm), tm->fired_at_ms) != 0)
		goto out;
	rv = 0;
out:
	free(detail);
	free(rname);
	free(dname);
	buf_reset(&b);
	return (rv);
}

/* Parses "duty-check:<id>:<step>". */
static int
dfire_check_ref(const char *ref, int64_t *id, int *step)
{
	char	*end;

	if (strncmp(ref, "duty-check:", 11) != 0)
		return (-1);
	*id = strtoll(ref + 11, &end, 10);
	if (*id <= 0 || *end != ':')
		return (-1);
	*step = (int)strtol(end + 1, &end, 10);
	return (*end == '\0' && (*step == 1 || *step == 2) ? 0 : -1);
}

int
duty_missed_fire(struct store *s, const struct store_timer *tm, void *arg)
{
	struct bot		*bot = arg;
	struct store_duty_check	 c;
	const struct rotation	*rot;
	const struct duty	*d;
	struct buf		 b = { NULL, 0, 0 };
	const char		*zone, *pfx;
	char			*detail = NULL;
	int64_t			 id, after;
	size_t			 i;
	int			 step, rc, rv = 0;

	memset(&c, 0, sizeof c);
	pfx = bot->cfg->prefix != NULL ? bot->cfg->prefix : "";
	if (dfire_check_ref(tm->ref, &id, &step) != 0) {
		log_warnx("duty: timer %lld: bad ref '%s'", (long long)tm->id,
		    tm->ref);
		goto out;
	}
	rv = -1;
	if ((rc = store_duty_check_get(s, id, &c)) < 0)
		goto out;
	rv = 0;
	if (rc == 0 || c.state != DUTY_PENDING ||
	    (rot = rotation_find(bot->cfg, c.rotation)) == NULL) {
		log_debug("duty: check %lld done or gone", (long long)id);
		goto out;
	}
	d = duty_find(bot->cfg, c.rotation, c.duty);
	after = d != NULL ? d->missed_after_ms : DUTY_MISSED_AFTER_MS;
	zone = rot->tz != NULL ? rot->tz : "UTC";
	rv = -1;
	if (step == 1) {
		buf_adds(&b, ":bell: ");
		page_user_add(&b, duty_adapter(bot), c.user);
		buf_adds(&b, " reminder: on-call duty ");
		dfire_name(&b, c.duty, c.due_ms, tm->fired_at_ms, zone);
		buf_printf(&b, " is not checked yet. `%schecked %s [note]`; "
		    "in ", pfx, c.duty);
		buf_printf(&b, "%lld min the manager is told.",
		    (long long)(after / 60000));
		if (dfire_post(bot, tm, rot->channel, buf_str(&b), NULL) != 0 ||
		    dfire_arm_missed(s, id, 2, dfire_later(tm) + after,
		    tm->fired_at_ms) != 0)
			goto out;
		xasprintf(&detail, "check %lld: reminded %s", (long long)id,
		    c.user);
	} else {
		buf_adds(&b, ":rotating_light: ");
		for (i = 0; i < rot->managers.n; i++) {
			page_user_add(&b, duty_adapter(bot),
			    rot->managers.v[i]);
			buf_adds(&b, " ");
		}
		buf_adds(&b, "on-call duty ");
		dfire_name(&b, c.duty, c.due_ms, tm->fired_at_ms, zone);
		buf_adds(&b, " of *");
		mrkdwn_escape(&b, rot->name, strlen(rot->name));
		buf_adds(&b, "* was not checked by ");
		page_user_add(&b, duty_adapter(bot), c.user);
		buf_adds(&b, ": it is recorded missed.");
		if (rot->managers.n == 0)
			buf_adds(&b, " (The rotation has no manager to "
			    "tell.)");
		if (store_duty_check_missed(s, id) < 0 ||
		    dfire_post(bot, tm, rot->channel, buf_str(&b), NULL) != 0)
			goto out;
		xasprintf(&detail, "check %lld: missed, manager told",
		    (long long)id);
	}
	if (dfire_audit(s, bot, tm, rot->channel, c.rotation, c.duty, detail,
	    step == 1 ? "ok" : "missed") != 0)
		goto out;
	rv = 0;
out:
	free(detail);
	buf_reset(&b);
	store_duty_check_release(&c);
	return (rv);
}
