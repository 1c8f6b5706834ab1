/*
 * handoff-fire.c: the timer kinds of handoffs (bot/handoff.h).
 * "handoff-due" is the prompt at a shift's end (ref "handoff-due:
 * <rotation>:<end_ms>"), which arms the next one and the one reminder
 * past the grace (ref "handoff-late:..."); "handoff-remind" reminds the
 * incoming person until they confirm (ref "handoff:<id>:remind:<n>",
 * each arming the next) and mentions the managers once ("handoff:<id>:
 * manager"). Each runs in its timer's claim (sched.h): what it posts
 * and the timers it arms commit with the firing, so nothing is said
 * twice across restarts.
 */
#include <stdlib.h>
#include <string.h>

#include "bot/bot.h"
#include "bot/handoff.h"
#include "bot/oncall.h"
#include "bot/outbox.h"
#include "bot/page.h"
#include "store/store.h"

static const char *
fire_prefix(struct bot *bot)
{
	return (bot->cfg->prefix != NULL ? bot->cfg->prefix : "!");
}

/* Queues text in channel (NULL: nowhere, 0) with the key "timer:<id>". */
static int
fire_post(struct bot *bot, const struct store_timer *t, const char *channel,
    const char *text)
{
	struct post	 post;
	char		*key;
	int		 rc = 0;

	if (channel == NULL) {
		/* a rotation without `channel:` has nowhere to be prompted */
		log_info("timer %lld: %s: the rotation has no channel; "
		    "nothing posted", (long long)t->id, t->ref);
		return (0);
	}
	xasprintf(&key, "timer:%lld", (long long)t->id);
	memset(&post, 0, sizeof post);
	post.op = POST_MESSAGE;
	post.channel = channel;
	post.text = text;
	post.key = key;
	if (outbox_queue(bot, &post) < 0)
		rc = -1;
	free(key);
	return (rc);
}

/*
 * Reads "<what>:<rotation>:<end_ms>" into the rotation (borrowed from
 * the config) and end_ms. 0, or -1 (a ref this build did not write, a
 * rotation gone from the config).
 */
static int
fire_due_ref(struct bot *bot, const char *ref, const struct rotation **rot,
    int64_t *end_ms)
{
	const char	*first, *last;
	char		*name, *end;
	long long	 v;

	if ((first = strchr(ref, ':')) == NULL ||
	    (last = strrchr(ref, ':')) == first)
		return (-1);
	v = strtoll(last + 1, &end, 10);
	if (*end != '\0' || v <= 0)
		return (-1);
	*end_ms = v;
	name = xstrndup(first + 1, (size_t)(last - first - 1));
	*rot = rotation_find(bot->cfg, name);
	free(name);
	return (*rot != NULL ? 0 : -1);
}

/* "`!handoff @next <notes>`": the incoming person is mentioned before */
static void
fire_command_add(struct bot *bot, struct buf *b)
{
	buf_printf(b, "`%shandoff @next <notes>`", fire_prefix(bot));
}

int
handoff_due_fire(struct store *s, const struct store_timer *t, void *arg)
{
	struct bot		*bot = arg;
	const struct rotation	*rot;
	struct rotation_shift	 out, in;
	struct store_handoff	 h;
	struct buf		 b;
	char			*ref = NULL;
	int64_t			 end_ms;
	int			 late, have, rc = -1;

	(void)s;
	memset(&b, 0, sizeof b);
	memset(&h, 0, sizeof h);
	if (fire_due_ref(bot, t->ref, &rot, &end_ms) != 0) {
		log_info("timer %lld: %s: no such rotation now; no prompt",
		    (long long)t->id, t->ref);
		return (0);
	}
	late = strncmp(t->ref, "handoff-late:", 13) == 0;
	/* the next prompt, from now: a late firing does not replay them */
	if (!late && handoff_arm_due(bot, rot, t->fired_at_ms > end_ms ?
	    t->fired_at_ms : end_ms) != 0)
		goto out;
	if ((have = store_handoff_for_shift(s, rot->name, end_ms, &h)) < 0)
		goto out;
	if (have == 1) {
		rc = 0;		/* recorded already: nothing to ask */
		goto out;
	}
	if (rotation_oncall_at(bot, rot, end_ms - 1, &out) != 0)
		goto out;
	/* nobody on call, or the schedule moved this end: no prompt */
	if (out.user[0] == '\0' || out.end_ms != end_ms) {
		rc = 0;
		goto out;
	}
	if (rotation_next(bot, rot, &out, &in) != 0)
		in.user[0] = '\0';
	buf_printf(&b, "<@%s> ", out.user);
	if (late) {
		buf_printf(&b, "reminder: the handoff of *%s* due at ",
		    rot->name);
		page_when_add(&b, end_ms, t->fired_at_ms, rot->tz);
		buf_adds(&b, " is not recorded yet. Please run ");
	} else {
		/* fired late (opsbot was down): say when it ended */
		buf_printf(&b, "your *%s* shift %s (", rot->name, t->late ?
		    "ended at" : "ends now");
		page_when_add(&b, end_ms, t->fired_at_ms, rot->tz);
		if (in.user[0] != '\0')
			buf_printf(&b, "); <@%s> is next. Please hand off: ",
			    in.user);
		else
			buf_adds(&b, "). Please hand off: ");
	}
	fire_command_add(bot, &b);
	buf_adds(&b, late ? "." : " (what is open is filled in for you).");
	if (fire_post(bot, t, rot->channel, buf_str(&b)) != 0)
		goto out;
	if (!late) {
		xasprintf(&ref, "handoff-late:%s:%lld", rot->name,
		    (long long)end_ms);
		if (store_timer_add(s, t->fired_at_ms, end_ms +
		    rot->handoff_grace_ms, HANDOFF_DUE_KIND, ref, ref) < 0)
			goto out;
	}
	rc = 0;
out:
	store_handoff_release(&h);
	buf_reset(&b);
	free(ref);
	return (rc);
}

/* Reads "handoff:<id>:remind:<n>" or "handoff:<id>:manager". 0 or -1. */
static int
fire_remind_ref(const char *ref, int64_t *id, int *n)
{
	char		*end;
	long long	 v;

	if (strncmp(ref, "handoff:", 8) != 0)
		return (-1);
	v = strtoll(ref + 8, &end, 10);
	if (v <= 0)
		return (-1);
	*id = v;
	if (strcmp(end, ":manager") == 0) {
		*n = 0;
		return (0);
	}
	if (strncmp(end, ":remind:", 8) != 0)
		return (-1);
	v = strtoll(end + 8, &end, 10);
	if (*end != '\0' || v <= 0 || v > HANDOFF_REMINDS_MAX)
		return (-1);
	*n = (int)v;
	return (0);
}

int
handoff_remind_fire(struct store *s, const struct store_timer *t, void *arg)
{
	struct bot		*bot = arg;
	const struct rotation	*rot;
	struct store_handoff	 h;
	struct buf		 b;
	int64_t			 id;
	size_t			 i;
	int			 n, rc = -1;

	memset(&b, 0, sizeof b);
	memset(&h, 0, sizeof h);
	if (fire_remind_ref(t->ref, &id, &n) != 0) {
		log_info("timer %lld: %s: not a handoff reminder",
		    (long long)t->id, t->ref);
		return (0);
	}
	if ((rc = store_handoff_get(s, id, &h)) < 0)
		goto out;
	rc = 0;
	if (h.id == 0 || h.acked_ms != 0 ||
	    (rot = rotation_find(bot->cfg, h.rotation)) == NULL)
		goto out;	/* confirmed (or gone): nothing to say */
	rc = -1;
	if (n == 0) {
		for (i = 0; i < rot->managers.n; i++)
			buf_printf(&b, "<@%s> ", rot->managers.v[i]);
		buf_printf(&b, "<@%s> has not confirmed the handoff of *%s* "
		    "from <@%s>, recorded ", h.to_user, h.rotation,
		    h.from_user);
		page_when_add(&b, h.created_ms, t->fired_at_ms, rot->tz);
		buf_adds(&b, ".");
	} else {
		buf_printf(&b, "<@%s> please confirm the handoff of *%s* "
		    "from <@%s> (recorded ", h.to_user, h.rotation,
		    h.from_user);
		page_when_add(&b, h.created_ms, t->fired_at_ms, rot->tz);
		buf_printf(&b, "): click *Got it* on it or run `%shandoff "
		    "ack`.", fire_prefix(bot));
	}
	if (fire_post(bot, t, rot->channel, buf_str(&b)) != 0)
		goto out;
	if (n > 0 && n < HANDOFF_REMINDS_MAX &&
	    handoff_arm_reminder(bot, &h, rot, n + 1, t->fired_at_ms) != 0)
		goto out;
	rc = 0;
out:
	store_handoff_release(&h);
	buf_reset(&b);
	return (rc);
}
