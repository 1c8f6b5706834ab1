/*
 * remind-fire.c: the "remind" timer kind. At its time a reminder becomes
 * one post in the thread that asked, mentioning the asker, queued in the
 * same transaction that fires the timer (docs/internals/timers.md).
 */
#include <stdlib.h>
#include <string.h>

#include "bot/outbox.h"
#include "bot/tz.h"
#include "commands/cmd.h"
#include "store/store.h"

/* The longest user id kept as a mention: Slack's are about 11 bytes. */
#define REMIND_ID_MAX	32

/*
 * The length of a mention of one user, "<@U0123ABC>" (or W... for
 * Enterprise Grid), at s; 0 for anything else. Only these survive
 * escaping: they call one person, never a channel or a group.
 */
static size_t
remind_user_mention(const char *s)
{
	size_t	 n = 2;

	if (strncmp(s, "<@", 2) != 0 || (s[n] != 'U' && s[n] != 'W'))
		return (0);
	for (n++; (s[n] >= 'A' && s[n] <= 'Z') || (s[n] >= '0' &&
	    s[n] <= '9'); n++) {
		if (n > REMIND_ID_MAX)
			return (0);
	}
	return (s[n] == '>' && n > 3 ? n + 1 : 0);
}

/*
 * Appends text escaped with mrkdwn_escape, except users' mentions. The
 * text is split only before "<@", so no broadcast word (@here) can be
 * cut in two and escape muting.
 */
static void
remind_escape(struct buf *b, const char *text)
{
	const char	*p = text, *at;
	size_t		 n;

	while ((at = strstr(p, "<@")) != NULL) {
		mrkdwn_escape(b, p, (size_t)(at - p));
		if ((n = remind_user_mention(at)) > 0)
			buf_add(b, at, n);
		else {
			n = 1;
			mrkdwn_escape(b, at, n);
		}
		p = at + n;
	}
	mrkdwn_escape(b, p, strlen(p));
}

/* The asker, so that the post notifies them. */
static void
remind_mention(struct buf *b, const struct store_reminder *r)
{
	char	*m;

	xasprintf(&m, "<@%s>", r->user);
	if (strcmp(r->adapter, "slack") == 0 &&
	    remind_user_mention(m) == strlen(m))
		buf_adds(b, m);
	else
		mrkdwn_escape(b, r->user, strlen(r->user));
	free(m);
}

void
remind_post_init(struct remind_post *rp, const struct store_reminder *r,
    const struct store_timer *t)
{
	struct buf	 b = { NULL, 0, 0 };

	memset(rp, 0, sizeof *rp);
	buf_adds(&b, "Reminder for ");
	remind_mention(&b, r);
	buf_adds(&b, ": ");
	remind_escape(&b, r->text);
	if (t->late) {
		buf_adds(&b, "\n_Late: this was due at ");
		/* a zone gone from tzdata since: say it in UTC */
		if (when_format(&b, r->due_ms, t->fired_at_ms, r->tz) == 0)
			buf_printf(&b, " (%s)", r->tz);
		else if (when_format(&b, r->due_ms, t->fired_at_ms,
		    "UTC") == 0)
			buf_adds(&b, " (UTC)");
		buf_adds(&b, "._");
	}
	rp->text = buf_release(&b);
	xasprintf(&rp->key, "timer:%lld", (long long)t->id);
	rp->post.op = POST_MESSAGE;
	rp->post.channel = r->channel;
	rp->post.thread_ts = r->thread_ts;
	rp->post.text = rp->text;
	rp->post.key = rp->key;
}

void
remind_post_release(struct remind_post *rp)
{
	free(rp->text);
	free(rp->key);
	memset(rp, 0, sizeof *rp);
}

int
remind_fire(struct store *s, const struct store_timer *t, void *arg)
{
	struct bot		*bot = arg;
	struct store_reminder	 r;
	struct remind_post	 rp;
	int			 rc, rv = -1;

	memset(&r, 0, sizeof r);
	memset(&rp, 0, sizeof rp);
	if ((rc = store_reminder_by_ref(s, t->ref, &r)) < 0)
		goto out;
	if (rc == 0 || r.state != REMINDER_PENDING) {
		/* No retry can make one: the timer is done. */
		log_warnx("timer %lld: %s is %s; nothing posted",
		    (long long)t->id, t->ref, rc == 0 ? "not a reminder" :
		    "no longer pending");
		rv = 0;
		goto out;
	}
	remind_post_init(&rp, &r, t);
	/* 0 (the key was queued already: a firing replayed) is fine too. */
	if (outbox_queue(bot, &rp.post) < 0)
		goto out;
	if (store_reminder_fire(s, r.id, t->fired_at_ms, t->late) < 0)
		goto out;
	log_debug("%s: reminder %lld for %s in %s%s", __func__,
	    (long long)r.id, r.user, r.channel, t->late ? ", late" : "");
	rv = 0;
out:
	remind_post_release(&rp);
	store_reminder_release(&r);
	return (rv);
}
