/*
 * test_remind.c: `remind` end to end inside the process. The command
 * runs through dispatch_message as a message would (its replies, what
 * it stores, who may cancel); the timer handler is fired by the real
 * scheduler on ":memory:", with the outbox's queue replaced by a
 * recorder (linked with -Wl,--wrap=outbox_queue: the outbox is another
 * module, and the wrap stays right once bot/outbox.c links too).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bot/bot.h"
#include "bot/outbox.h"
#include "bot/sched.h"
#include "bot/tz.h"
#include "commands/cmd.h"
#include "store/store.h"

#define MIN_MS	INT64_C(60000)
#define HOUR_MS	(60 * MIN_MS)
#define WJ	"\xe2\x81\xa0"	/* U+2060 WORD JOINER: how @here is muted */

/* ---- the outbox's queue, recorded ---- */

struct queued {
	struct bot	*bot;
	enum post_op	 op;
	char		*channel;
	char		*thread_ts;
	char		*text;
	char		*key;
};
static struct queued	 q[8];
static size_t		 nq;
static int64_t		 queue_answer = 1;	/* what the next call returns */

static char *
dup_or_null(const char *s)
{
	return (s != NULL ? xstrdup(s) : NULL);
}

int64_t		 __wrap_outbox_queue(struct bot *, const struct post *);

int64_t
__wrap_outbox_queue(struct bot *b, const struct post *p)
{
	if (queue_answer < 0)
		return (queue_answer);
	assert_true(nq < sizeof q / sizeof q[0]);
	q[nq].bot = b;
	q[nq].op = p->op;
	q[nq].channel = dup_or_null(p->channel);
	q[nq].thread_ts = dup_or_null(p->thread_ts);
	q[nq].text = dup_or_null(p->text);
	q[nq].key = dup_or_null(p->key);
	nq++;
	return (queue_answer);
}

static void
queued_reset(void)
{
	size_t	 i;

	for (i = 0; i < nq; i++) {
		free(q[i].channel);
		free(q[i].thread_ts);
		free(q[i].text);
		free(q[i].key);
	}
	memset(q, 0, sizeof q);
	nq = 0;
	queue_answer = 1;
}

/* ---- a bot with a store, and messages through the dispatcher ---- */

struct fixture {
	struct bot	 bot;
	struct sched	 sc;
	struct reply	 reply;
	char		*joined;
	int		 seq;		/* makes each message's ts unique */
};

static const struct sched_handler kinds[] = {
	{ REMIND_TIMER_KIND, remind_fire },
};

static int
setup(void **state)
{
	struct fixture	*f;
	char		*cause = NULL;

	f = xcalloc(1, sizeof *f);
	f->bot.cfg = config_new();
	free(f->bot.cfg->tz);
	f->bot.cfg->tz = xstrdup("Europe/Berlin");
	f->bot.store = store_open(":memory:", &cause);
	assert_non_null(f->bot.store);
	/* not started: sched_kick is then a no-op, but it is called */
	sched_init(&f->sc, kinds, sizeof kinds / sizeof kinds[0], &f->bot);
	f->bot.sched = &f->sc;
	*state = f;
	return (0);
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	queued_reset();
	reply_reset(&f->reply);
	free(f->joined);
	store_close(f->bot.store);
	config_free(f->bot.cfg);
	free(f);
	return (0);
}

/* Runs text as user's message in channel; returns the reply (borrowed). */
static const char *
say_in(struct fixture *f, const char *user, const char *channel,
    const char *thread_ts, const char *text)
{
	struct msg	 m;
	char		 ts[32];
	size_t		 i;

	reply_reset(&f->reply);
	free(f->joined);
	f->joined = NULL;
	snprintf(ts, sizeof ts, "1785000000.%06d", ++f->seq);
	memset(&m, 0, sizeof m);
	m.adapter = "slack";
	m.channel = channel;
	m.user = user;
	m.ts = ts;
	m.thread_ts = thread_ts;
	m.text = text;
	assert_int_equal(dispatch_message(&f->bot, &m, &f->reply),
	    DISPATCH_REPLIED);
	for (i = 0; i < f->reply.blocks.n; i++) {
		if (i == 0)
			f->joined = xstrdup(f->reply.blocks.v[i]);
		else {
			char *tmp;
			xasprintf(&tmp, "%s\n\n%s", f->joined,
			    f->reply.blocks.v[i]);
			free(f->joined);
			f->joined = tmp;
		}
	}
	return (f->joined != NULL ? f->joined : "");
}

static const char *
say(struct fixture *f, const char *user, const char *text)
{
	return (say_in(f, user, "C0001", NULL, text));
}

static void
assert_has(const char *s, const char *part)
{
	if (strstr(s, part) == NULL)
		fail_msg("'%s' does not contain '%s'", s, part);
}

static struct store_reminder
get(struct fixture *f, int64_t id)
{
	struct store_reminder	 r;

	assert_int_equal(store_reminder_get(f->bot.store, id, &r), 1);
	return (r);
}

/* "09:00 Tue 1 Dec (Europe/Berlin)" for r, as the command said it. */
static char *
when_of(const struct store_reminder *r, int64_t at_ms)
{
	struct buf	 b = { NULL, 0, 0 };

	assert_int_equal(when_format(&b, at_ms, r->created_ms, r->tz), 0);
	buf_printf(&b, " (%s)", r->tz);
	return (buf_release(&b));
}

/* ---- the command ---- */

static void
test_add(void **state)
{
	struct fixture		*f = *state;
	struct store_reminder	 r;
	struct store_timer	 t;
	const char		*out;
	char			*when, *want;

	out = say(f, "U1", "!remind 2h check #operator-vault-general again");
	r = get(f, 1);
	assert_true(r.due_ms - r.created_ms == 2 * HOUR_MS);
	assert_string_equal(r.text, "check #operator-vault-general again");
	assert_string_equal(r.adapter, "slack");
	assert_string_equal(r.channel, "C0001");
	assert_string_equal(r.user, "U1");
	assert_string_equal(r.tz, "Europe/Berlin");
	/* a message out of a thread: the reply thread is the message */
	assert_string_equal(r.thread_ts, "1785000000.000001");
	when = when_of(&r, r.due_ms);
	xasprintf(&want, "Reminder #1: I will post it in this thread at *%s*, "
	    "the configured time zone, and mention you. To cancel: `!remind "
	    "cancel 1`.", when);
	assert_string_equal(out, want);
	free(want);
	free(when);

	assert_int_equal(store_timer_get(f->bot.store, r.timer_id, &t), 1);
	assert_string_equal(t.kind, "remind");
	assert_string_equal(t.ref, "reminder:1");
	assert_true(t.due_ms == r.due_ms);
	store_timer_release(&t);
	store_reminder_release(&r);

	/* in a thread: that thread; "me" is how people say it */
	say_in(f, "U1", "C0001", "1784999999.000900",
	    "!remind me in 15 minutes stretch");
	r = get(f, 2);
	assert_string_equal(r.thread_ts, "1784999999.000900");
	assert_string_equal(r.text, "stretch");
	assert_true(r.due_ms - r.created_ms == 15 * MIN_MS);
	store_reminder_release(&r);
	assert_int_equal(store_reminder_count(f->bot.store, "U1"), 2);
}

/* Without a ts (a slash command) the post goes in the channel. */
static void
test_no_thread(void **state)
{
	struct fixture		*f = *state;
	struct store_reminder	 r;
	struct msg		 m;

	memset(&m, 0, sizeof m);
	m.adapter = "slack";
	m.channel = "C0001";
	m.user = "U1";
	m.command = "/opsbot";
	m.text = "remind tomorrow 09:00 standup";
	dispatch_message(&f->bot, &m, &f->reply);
	assert_has(f->reply.blocks.v[0], "I will post it in this channel at "
	    "*09:00 ");
	/* no identity: a second run is a second reminder */
	dispatch_message(&f->bot, &m, &f->reply);
	r = get(f, 1);
	assert_null(r.thread_ts);
	store_reminder_release(&r);
	assert_int_equal(store_reminder_count(f->bot.store, "U1"), 2);
}

/* The user's own zone when the cache has a valid one; it is said. */
static void
test_zone(void **state)
{
	struct fixture		*f = *state;
	struct store_reminder	 r;
	const char		*out;

	assert_int_equal(store_user_put(f->bot.store, "U2", "Bo",
	    "America/New_York", 1), 0);
	out = say(f, "U2", "!remind 09:00 coffee");
	assert_has(out, "(America/New_York)*, your time zone,");
	r = get(f, 1);
	assert_string_equal(r.tz, "America/New_York");
	store_reminder_release(&r);

	/* a zone the tz database lacks is not used */
	assert_int_equal(store_user_put(f->bot.store, "U3", "Cy",
	    "Mars/Olympus", 1), 0);
	out = say(f, "U3", "!remind 09:00 coffee");
	assert_has(out, "(Europe/Berlin)*, the configured time zone,");
}

/* The same message twice: one reminder, one timer, the same answer. */
static void
test_replay(void **state)
{
	struct fixture	*f = *state;
	struct msg	 m;
	struct reply	 again = { { NULL, 0, 0 }, 0 };
	int64_t		 due;

	memset(&m, 0, sizeof m);
	m.adapter = "slack";
	m.channel = "C0001";
	m.user = "U1";
	m.ts = "1785000000.000100";
	m.text = "!remind 2h check";
	dispatch_message(&f->bot, &m, &f->reply);
	dispatch_message(&f->bot, &m, &again);
	assert_has(again.blocks.v[0], "Reminder #1 (already set from this "
	    "message): I will post it in this thread at *");
	assert_string_equal(again.blocks.v[0] + strlen("Reminder #1 (already "
	    "set from this message)"), f->reply.blocks.v[0] +
	    strlen("Reminder #1"));
	assert_int_equal(store_reminder_count(f->bot.store, "U1"), 1);
	assert_int_equal(sched_fire_due(&f->sc, f->bot.store,
	    INT64_C(1) << 60), 1);
	assert_int_equal(nq, 1);
	assert_int_equal(store_timer_next_due(f->bot.store, &due), 0);
	reply_reset(&again);
}

static void
test_add_errors(void **state)
{
	static const struct {
		const char	*text;
		const char	*want;
	} rows[] = {
		{ "!remind", "Usage: `!remind <when> <text> | list | cancel "
		  "<id>`" },
		{ "!remind xyz check", "I cannot read `xyz` as a time. Try "
		  "`15m`" },
		{ "!remind 2h", "Remind you of what? Put it after the time" },
		{ "!remind me", "I cannot read `me` as a time" },
		{ "!remind today 00:00 x", "`today 00:00` has passed: it is " },
		{ "!remind 2026-01-01 09:00 x", "`2026-01-01 09:00` has passed" },
		{ "!remind 400d x", "`400d` is more than a year ahead" },
		{ "!remind tomorrow x", "`tomorrow` needs a time of day" },
		{ "!remind 25:00 x", "`25:00` is not a time of day" },
		/* what the user typed is escaped in the error */
		{ "!remind &lt;b&gt; x", "I cannot read `&lt;b&gt;` as a time" },
		{ "!remind @here x", "I cannot read `@" WJ "here` as a time" },
	};
	struct fixture	*f = *state;
	struct buf	 b = { NULL, 0, 0 };
	const char	*out;
	size_t		 i;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		out = say(f, "U1", rows[i].text);
		if (strstr(out, rows[i].want) == NULL)
			fail_msg("row %zu (%s): '%s', want '%s'", i,
			    rows[i].text, out, rows[i].want);
		assert_int_equal(f->reply.is_error, 1);
	}
	buf_adds(&b, "!remind 2h ");
	for (i = 0; i < 1001; i++)
		buf_addc(&b, 'x');
	assert_has(say(f, "U1", buf_str(&b)), "That is 1001 bytes; a reminder "
	    "holds at most 1000.");
	buf_reset(&b);
	assert_int_equal(store_reminder_count(f->bot.store, "U1"), 0);
}

static void
test_cap(void **state)
{
	struct fixture	*f = *state;
	int		 i;

	for (i = 0; i < 100; i++)
		assert_has(say(f, "U1", "!remind 1h x"), "Reminder #");
	assert_has(say(f, "U1", "!remind 1h x"), "You have 100 reminders "
	    "pending, the most I keep for one person");
	assert_int_equal(store_reminder_count(f->bot.store, "U1"), 100);
	/* someone else still can */
	assert_has(say(f, "U2", "!remind 1h x"), "Reminder #101:");
}

static void
test_list(void **state)
{
	struct fixture		*f = *state;
	struct store_reminder	 r1, r2;
	const char		*out;
	char			*w1, *w2, *want;

	assert_string_equal(say(f, "U1", "!remind list"), "You have no "
	    "reminders pending. Set one with `!remind 2h check the vault`.");
	say(f, "U1", "!remind 3h ask <@U9> about the @here CR");
	say_in(f, "U1", "C0002", NULL, "!remind 1h secret elsewhere");
	say(f, "U2", "!remind 1h not mine");
	say(f, "U1", "!remind 2h aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	say(f, "U1", "!remind 4h gone");
	say(f, "U1", "!remind cancel 5");

	out = say(f, "U1", "!remind LIST");
	r1 = get(f, 1);
	r2 = get(f, 2);
	w1 = when_of(&r1, r1.due_ms);
	w2 = when_of(&r2, r2.due_ms);
	/* soonest first; another channel's text is not shown here */
	assert_has(out, "*Your reminders* (3):\n• #2 at ");
	assert_has(out, w2);
	assert_has(out, ", set in another channel\n• #4 at ");
	assert_has(out, ": aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaa…\n• #1 at ");
	/* listed mentions call no one */
	xasprintf(&want, "• #1 at %s: ask &lt;@U9&gt; about the @" WJ "here "
	    "CR\nTo cancel one: `!remind cancel &lt;id&gt;`.", w1);
	assert_has(out, want);
	assert_null(strstr(out, "secret"));
	assert_null(strstr(out, "not mine"));
	assert_null(strstr(out, "gone"));
	free(want);
	free(w1);
	free(w2);
	store_reminder_release(&r1);
	store_reminder_release(&r2);

	assert_has(say(f, "U1", "!remind list all"), "`!remind list` takes "
	    "nothing after it.");
}

static void
test_list_more(void **state)
{
	struct fixture	*f = *state;
	int		 i;

	for (i = 0; i < 25; i++)
		say(f, "U1", "!remind 1h x");
	assert_has(say(f, "U1", "!remind list"), "*Your reminders* (25):");
	assert_has(f->joined, "• #20 at ");
	assert_null(strstr(f->joined, "• #21 at "));
	assert_has(f->joined, "\n…and 5 more.\n");
}

static void
test_cancel(void **state)
{
	struct fixture		*f = *state;
	struct store_reminder	 r;
	struct store_timer	 t;
	char			*when, *want;

	say(f, "U1", "!remind 2h check");
	say(f, "U1", "!remind 3h check again");
	assert_has(say(f, "U1", "!remind cancel 99"), "There is no reminder "
	    "#99. `!remind list` shows yours.");
	assert_has(say(f, "U2", "!remind cancel 1"), "Reminder #1 is not "
	    "yours: only the person who set it can cancel it.");
	assert_int_equal(f->reply.is_error, 1);
	assert_has(say(f, "U1", "!remind cancel"), "Which reminder? `!remind "
	    "cancel &lt;id&gt;`");
	assert_has(say(f, "U1", "!remind cancel one"), "Which reminder?");
	assert_has(say(f, "U1", "!remind cancel 1 2"), "Which reminder?");

	r = get(f, 1);
	when = when_of(&r, r.due_ms);
	xasprintf(&want, "Cancelled reminder #1, due %s.", when);
	assert_string_equal(say(f, "U1", "!remind cancel 1"), want);
	assert_int_equal(f->reply.is_error, 0);
	assert_int_equal(store_timer_get(f->bot.store, r.timer_id, &t), 1);
	assert_int_equal(t.state, TIMER_CANCELLED);
	store_timer_release(&t);
	store_reminder_release(&r);
	free(want);
	free(when);
	r = get(f, 1);
	assert_int_equal(r.state, REMINDER_CANCELLED);
	store_reminder_release(&r);
	assert_has(say(f, "U1", "!remind cancel #1"), "Reminder #1 is "
	    "cancelled already.");

	/* fired: too late, and said when */
	r = get(f, 2);
	assert_int_equal(store_reminder_fire(f->bot.store, 2, r.due_ms, 0), 1);
	when = when_of(&r, r.due_ms);
	xasprintf(&want, "Reminder #2 went off already, at %s.", when);
	assert_string_equal(say(f, "U1", "!remind cancel #2"), want);
	free(want);
	free(when);
	store_reminder_release(&r);
}

/* ---- the timer: what it posts ---- */

static struct store_reminder
reminder(const char *adapter, const char *user, const char *text)
{
	struct store_reminder	 r;

	memset(&r, 0, sizeof r);
	r.id = 3;
	r.adapter = (char *)adapter;
	r.channel = (char *)"C0001";
	r.thread_ts = (char *)"1785000000.000100";
	r.user = (char *)user;
	r.text = (char *)text;
	r.tz = (char *)"Europe/Berlin";
	r.due_ms = INT64_C(1796112000000);	/* 2026-12-01T08:00:00Z */
	return (r);
}

static void
test_post(void **state)
{
	static const struct {
		const char	*adapter;
		const char	*user;
		const char	*text;
		const char	*want;
	} rows[] = {
		{ "slack", "U1", "check #operator-vault-general again",
		  "Reminder for <@U1>: check #operator-vault-general again" },
		/* no broadcast survives; a user's mention does */
		{ "slack", "U1", "@here @channel @everyone <!channel> <!here> "
		  "<!subteam^S1|@sre> <!everyone>",
		  "Reminder for <@U1>: @" WJ "here @" WJ "channel @" WJ
		  "everyone &lt;!channel&gt; &lt;!here&gt; "
		  "&lt;!subteam^S1|@sre&gt; &lt;!everyone&gt;" },
		{ "slack", "U1", "ask <@U2> and <@W0ABC9> <@U2|bo> <@u2> <@U> "
		  "<@here> @<@U3>here",
		  "Reminder for <@U1>: ask <@U2> and <@W0ABC9> &lt;@U2|bo&gt; "
		  "&lt;@u2&gt; &lt;@U&gt; &lt;@" WJ "here&gt; @<@U3>here" },
		{ "slack", "U1", "a & b <https://x|y> `code`",
		  "Reminder for <@U1>: a &amp; b &lt;https://x|y&gt; `code`" },
		/* the console's user is a name; a Slack id that is not one */
		{ "console", "alice", "tea", "Reminder for alice: tea" },
		{ "slack", "U1><!here", "x", "Reminder for U1&gt;&lt;!here: x" },
		{ "console", "@here", "x", "Reminder for @" WJ "here: x" },
	};
	struct store_reminder	 r;
	struct store_timer	 t;
	struct remind_post	 rp;
	size_t			 i;

	memset(&t, 0, sizeof t);
	t.id = 7;
	t.fired_at_ms = INT64_C(1796112000000);
	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		r = reminder(rows[i].adapter, rows[i].user, rows[i].text);
		remind_post_init(&rp, &r, &t);
		if (strcmp(rp.text, rows[i].want) != 0)
			fail_msg("row %zu: '%s', want '%s'", i, rp.text,
			    rows[i].want);
		assert_int_equal(rp.post.op, POST_MESSAGE);
		assert_string_equal(rp.post.channel, "C0001");
		assert_string_equal(rp.post.thread_ts, "1785000000.000100");
		assert_ptr_equal(rp.post.text, rp.text);
		assert_string_equal(rp.post.key, "timer:7");
		assert_null(rp.post.blocks);
		remind_post_release(&rp);
	}

	/* late: when it was due, in its zone */
	r = reminder("slack", "U1", "standup");
	r.thread_ts = NULL;
	t.late = 1;
	t.fired_at_ms += 3 * HOUR_MS;
	remind_post_init(&rp, &r, &t);
	assert_string_equal(rp.text, "Reminder for <@U1>: standup\n_Late: "
	    "this was due at 09:00 Tue 1 Dec (Europe/Berlin)._");
	assert_null(rp.post.thread_ts);
	remind_post_release(&rp);
	r.tz = (char *)"Gone/Zone";
	remind_post_init(&rp, &r, &t);
	assert_has(rp.text, "due at 08:00 Tue 1 Dec (UTC)._");
	remind_post_release(&rp);
}

/* The handler, fired by the scheduler: one post, once, in the claim. */
static void
test_fire(void **state)
{
	struct fixture		*f = *state;
	struct store_reminder	 r;
	int64_t			 due;

	/* typed as text, Slack sends it escaped; the tokenizer decodes it */
	say_in(f, "U1", "C0001", "1784999999.000900", "!remind 2h check "
	    "the vault &lt;!channel&gt;");
	r = get(f, 1);
	due = r.due_ms;
	store_reminder_release(&r);

	assert_int_equal(sched_fire_due(&f->sc, f->bot.store, due - 1), 0);
	assert_int_equal(nq, 0);
	assert_int_equal(sched_fire_due(&f->sc, f->bot.store, due + 5), 1);
	assert_int_equal(nq, 1);
	assert_ptr_equal(q[0].bot, &f->bot);
	assert_int_equal(q[0].op, POST_MESSAGE);
	assert_string_equal(q[0].channel, "C0001");
	assert_string_equal(q[0].thread_ts, "1784999999.000900");
	assert_string_equal(q[0].text, "Reminder for <@U1>: check the vault "
	    "&lt;!channel&gt;");
	assert_string_equal(q[0].key, "timer:1");
	r = get(f, 1);
	assert_int_equal(r.state, REMINDER_FIRED);
	assert_true(r.fired_ms == due + 5);
	assert_int_equal(r.late, 0);
	store_reminder_release(&r);
	/* at most once */
	assert_int_equal(sched_fire_due(&f->sc, f->bot.store, due + 10), 0);
	assert_int_equal(nq, 1);
	assert_has(say(f, "U1", "!remind list"), "no reminders pending");
}

/* Due while the bot was down: fired once at start, and it says so. */
static void
test_fire_late(void **state)
{
	struct fixture		*f = *state;
	struct store_reminder	 r;
	char			*when, *want;

	say(f, "U1", "!remind tomorrow 09:00 standup");
	r = get(f, 1);
	assert_int_equal(sched_fire_due(&f->sc, f->bot.store,
	    r.due_ms + TIMER_LATE_GRACE_MS + 1), 1);
	assert_int_equal(nq, 1);
	when = when_of(&r, r.due_ms);
	xasprintf(&want, "Reminder for <@U1>: standup\n_Late: this was due "
	    "at %s._", when);
	assert_string_equal(q[0].text, want);
	free(want);
	free(when);
	store_reminder_release(&r);
	r = get(f, 1);
	assert_int_equal(r.late, 1);
	store_reminder_release(&r);
}

/*
 * The outbox failing rolls the firing back (the timer stays pending);
 * a key it already had (a firing replayed) still marks the reminder.
 */
static void
test_fire_outbox(void **state)
{
	struct fixture		*f = *state;
	struct store_reminder	 r;
	int64_t			 due;

	say(f, "U1", "!remind 1h check");
	r = get(f, 1);
	due = r.due_ms;
	store_reminder_release(&r);
	queue_answer = -1;
	assert_int_equal(sched_fire_due(&f->sc, f->bot.store, due), 0);
	r = get(f, 1);
	assert_int_equal(r.state, REMINDER_PENDING);
	store_reminder_release(&r);
	queue_answer = 0;
	f->sc.retry_at_ms = 0;
	assert_int_equal(sched_fire_due(&f->sc, f->bot.store, due), 1);
	r = get(f, 1);
	assert_int_equal(r.state, REMINDER_FIRED);
	store_reminder_release(&r);
}

/* A timer whose reminder is gone or done posts nothing, and is spent. */
static void
test_fire_nothing(void **state)
{
	struct fixture		*f = *state;
	struct store_reminder	 r;
	int64_t			 due;

	say(f, "U1", "!remind 1h check");
	r = get(f, 1);
	due = r.due_ms;
	store_reminder_release(&r);
	assert_int_equal(store_reminder_fire(f->bot.store, 1, due, 0), 1);
	assert_true(store_timer_add(f->bot.store, due, due, REMIND_TIMER_KIND,
	    "reminder:99", NULL) > 0);
	assert_int_equal(sched_fire_due(&f->sc, f->bot.store, due), 2);
	assert_int_equal(nq, 0);
	assert_int_equal(store_timer_next_due(f->bot.store, &due), 0);

	/* cancelled: the timer is cancelled with it, nothing fires */
	say(f, "U1", "!remind 1h check");
	say(f, "U1", "!remind cancel 2");
	assert_int_equal(sched_fire_due(&f->sc, f->bot.store,
	    INT64_C(1) << 60), 0);
	assert_int_equal(nq, 0);
}

#define T(fn)	cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_add),
		T(test_no_thread),
		T(test_zone),
		T(test_replay),
		T(test_add_errors),
		T(test_cap),
		T(test_list),
		T(test_list_more),
		T(test_cancel),
		cmocka_unit_test(test_post),
		T(test_fire),
		T(test_fire_late),
		T(test_fire_outbox),
		T(test_fire_nothing),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
