/*
 * summary-post.c: the scheduled summary (a rotation's `summary:`): one
 * durable timer per due time, kind "summary-due", keyed
 * "summary:<rotation>:<due_ms>" so that the start-up's arming and the
 * previous post's arming of the same time arm one timer. A due time
 * that passed while opsbot was down fires once at start, marked late;
 * the next is armed from the time it fired, so a long downtime posts
 * once, not once per missed week (docs/internals/timers.md).
 */
#include <stdlib.h>
#include <string.h>

#include "bot/bot.h"
#include "bot/config.h"
#include "bot/oncall.h"
#include "bot/outbox.h"
#include "bot/report.h"
#include "bot/tz.h"
#include "store/store.h"

/* How far ahead a post is looked for: more than a month of days. */
#define SUMMARY_LOOKAHEAD_DAYS	40
#define SUMMARY_REF_PREFIX	"summary:"

int
summary_next_due(const struct rotation *rot, int64_t after_ms,
    int64_t *due_ms)
{
	const struct rotation_summary	*sm = &rot->summary;
	struct tz_time			 now, t, got;
	int64_t				 secs;
	int				 d;

	secs = after_ms / 1000 - (after_ms % 1000 < 0);
	if (!sm->set || tz_local(rot->tz, secs, &now) != 0)
		return (-1);
	for (d = 0; d <= SUMMARY_LOOKAHEAD_DAYS; d++) {
		memset(&t, 0, sizeof t);
		t.year = now.year;
		t.mon = now.mon;
		t.mday = now.mday + d;	/* tz_utc rolls it over */
		t.hour = sm->hour;
		t.min = sm->min;
		if (tz_utc(rot->tz, &t, &secs) == TZ_ERROR ||
		    tz_local(rot->tz, secs, &got) != 0)
			return (-1);
		if (secs * 1000 <= after_ms || got.wday != sm->wday)
			continue;
		/* month: the first such weekday of a month */
		if (sm->month && got.mday > 7)
			continue;
		*due_ms = secs * 1000;
		return (0);
	}
	return (-1);
}

int
summary_arm(struct bot *bot, struct store *s, const struct rotation *rot,
    int64_t now_ms)
{
	char	*ref = NULL, *key = NULL;
	int64_t	 due_ms;
	int	 rc = -1;

	(void)bot;
	if (summary_next_due(rot, now_ms, &due_ms) != 0) {
		log_warnx("rotation %s: no time for its next summary",
		    rot->name);
		goto out;
	}
	xasprintf(&ref, SUMMARY_REF_PREFIX "%s", rot->name);
	xasprintf(&key, SUMMARY_REF_PREFIX "%s:%lld", rot->name,
	    (long long)due_ms);
	if (store_timer_add(s, now_ms, due_ms, SUMMARY_TIMER_KIND, ref,
	    key) < 0)
		goto out;
	rc = 0;
out:
	free(ref);
	free(key);
	return (rc);
}

int
summary_arm_all(struct bot *bot, int64_t now_ms)
{
	size_t	 i;
	int	 rc = 0;

	for (i = 0; i < bot->cfg->nrotations; i++) {
		if (bot->cfg->rotations[i].summary.set &&
		    summary_arm(bot, bot->store, &bot->cfg->rotations[i],
		    now_ms) != 0)
			rc = -1;
	}
	return (rc);
}

int
summary_due_fire(struct store *s, const struct store_timer *t, void *arg)
{
	struct bot		*bot = arg;
	const struct rotation	*rot = NULL;
	struct report		 r;
	struct post		 p;
	struct buf		 b = { NULL, 0, 0 };
	char			*key = NULL, *cause = NULL;
	int64_t			 from_ms, to_ms;
	int			 rv = -1;

	memset(&r, 0, sizeof r);
	if (strncmp(t->ref, SUMMARY_REF_PREFIX,
	    strlen(SUMMARY_REF_PREFIX)) == 0)
		rot = rotation_find(bot->cfg, t->ref +
		    strlen(SUMMARY_REF_PREFIX));
	if (rot == NULL || !rot->summary.set) {
		/* the config changed since it was armed: nothing to post */
		log_warnx("timer %lld: %s has no summary: in the config; "
		    "nothing posted", (long long)t->id, t->ref);
		rv = 0;
		goto out;
	}
	/* `at:` changed since this was armed: the new time posts instead */
	if (summary_next_due(rot, t->due_ms - 1, &from_ms) != 0 ||
	    from_ms != t->due_ms) {
		log_warnx("timer %lld: %s is no longer due at this time; "
		    "nothing posted", (long long)t->id, t->ref);
		rv = summary_arm(bot, s, rot, t->fired_at_ms > t->due_ms ?
		    t->fired_at_ms : t->due_ms);
		goto out;
	}
	if (report_previous(rot->tz, t->due_ms, rot->summary.month,
	    &from_ms, &to_ms) != 0 ||
	    report_build(s, bot->cfg, rot->name, from_ms, to_ms, &r,
	    &cause) != 0) {
		log_warnx("timer %lld: %s", (long long)t->id, cause != NULL ?
		    cause : "the zone cannot show the due time");
		goto out;
	}
	report_mrkdwn(&b, &r, bot->cfg, rot->tz);
	if (t->late) {
		buf_adds(&b, "_Late: this was due at ");
		when_format(&b, t->due_ms, t->fired_at_ms, rot->tz);
		buf_adds(&b, "._\n");
	}
	xasprintf(&key, SUMMARY_REF_PREFIX "%s:%lld", rot->name,
	    (long long)t->due_ms);
	memset(&p, 0, sizeof p);
	p.op = POST_MESSAGE;
	p.channel = rot->summary.channel != NULL ? rot->summary.channel :
	    rot->channel;
	p.text = buf_str(&b);
	p.key = key;
	/* 0 (the key was queued already: a firing replayed) is fine too */
	if (outbox_queue(bot, &p) < 0)
		goto out;
	if (summary_arm(bot, s, rot, t->fired_at_ms > t->due_ms ?
	    t->fired_at_ms : t->due_ms) != 0)
		goto out;
	rv = 0;
out:
	report_release(&r);
	buf_reset(&b);
	free(key);
	free(cause);
	return (rv);
}
