/*
 * test_watch_gate.c: the watches' gate handler (bot/watch.c) behind the
 * real gate, store and outbox: one answer in the thread, a reaction
 * within the cooldown, never twice in one thread, bots ignored unless a
 * rule counts them, commands first, a rule outside its active hours
 * silent.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "adapters/adapter.h"
#include "bot/bot.h"
#include "bot/clock.h"
#include "bot/gate.h"
#include "bot/outbox.h"
#include "bot/watch.h"
#include "store/store.h"

static const char config_yaml[] =
    "watches:\n"
    "  - name: sealed\n"
    "    channel: C0VAULT\n"
    "    patterns: [sealed]\n"
    "    text: \"{user}: make sure a ticket is open\"\n"
    "    section: hivedown\n"
    "    severity: critical\n"
    "  - name: cr\n"
    "    channel: C0VAULT\n"
    "    patterns: [\"open a CR\"]\n"
    "    text: see the pinned items\n"
    "    in: channel\n"
    "    cooldown: 0\n"
    "  - name: botty\n"
    "    channel: C0BOTS\n"
    "    patterns: [deploy failed]\n"
    "    text: look at the deploy\n"
    "    bots: true\n"
    "  - name: rnd\n"
    "    channel: C0RND\n"
    "    patterns: [\"R&D <prod>\"]\n"
    "    text: R and D\n"
    "  - name: night\n"
    "    channel: C0NIGHT\n"
    "    patterns: [disk full]\n"
    "    text: page the on-call\n"
    "    cooldown: 0\n"
    "    active: {days: daily, hours: \"00:00-24:00\"}\n";

static const char runbook[] =
    "---\ntitle: Test SOP\ntags: [sop]\n---\n# Test SOP\n\n"
    "## HiveDown\n\nRestart the hive.\n";

struct delivery {
	enum post_op	 op;
	char		*channel;
	char		*thread_ts;
	char		*text;
	char		*target_ts;
	char		*reaction;
};

struct fixture {
	struct bot	 bot;
	struct adapter	 adapter;
	struct delivery	 d[32];
	size_t		 n;
};

static char *
dup_or_null(const char *s)
{
	return (s != NULL ? xstrdup(s) : NULL);
}

static int
fake_deliver(struct adapter *a, const struct post_row *row, void *token)
{
	struct fixture		*f = a->ctx;
	struct delivery		*d;
	struct post_result	 res;

	if (f->n == sizeof f->d / sizeof f->d[0])
		fail_msg("too many deliveries");
	d = &f->d[f->n++];
	d->op = row->p.op;
	d->channel = dup_or_null(row->p.channel);
	d->thread_ts = dup_or_null(row->p.thread_ts);
	d->text = dup_or_null(row->p.text);
	d->target_ts = dup_or_null(row->p.target_ts);
	d->reaction = dup_or_null(row->p.reaction);
	memset(&res, 0, sizeof res);
	res.v = POST_OK;
	outbox_delivered(a->bot->outbox, token, &res);
	return (0);
}

static const struct adapter_ops fake_ops = {
	.name = "fake",
	.deliver = fake_deliver,
};

static void
deliveries_reset(struct fixture *f)
{
	size_t	 i;

	for (i = 0; i < f->n; i++) {
		free(f->d[i].channel);
		free(f->d[i].thread_ts);
		free(f->d[i].text);
		free(f->d[i].target_ts);
		free(f->d[i].reaction);
	}
	f->n = 0;
}

static int
setup(void **state)
{
	struct fixture	*f;
	char		*cause = NULL;

	f = xcalloc(1, sizeof *f);
	f->bot.cfg = config_new();
	if (config_load_string(f->bot.cfg, "w.yaml", config_yaml,
	    strlen(config_yaml), &cause) != 0)
		fail_msg("%s", cause);
	f->bot.runbooks = runbook_set_load_string("test.md", runbook,
	    strlen(runbook), NULL);
	assert_non_null(f->bot.runbooks);
	assert_int_equal(watch_check_sections(f->bot.cfg->watches,
	    f->bot.runbooks, "w.yaml", &cause), 0);
	f->adapter.ops = &fake_ops;
	f->adapter.ctx = f;
	f->adapter.bot = &f->bot;
	f->bot.adapter = &f->adapter;
	f->bot.outbox = outbox_new(&f->bot);
	outbox_ready(f->bot.outbox, 1);
	f->bot.store = store_open(":memory:", &cause);
	if (f->bot.store == NULL)
		fail_msg("store_open: %s", cause);
	*state = f;
	return (0);
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	outbox_free(f->bot.outbox);
	store_close(f->bot.store);
	runbook_set_free(f->bot.runbooks);
	config_free(f->bot.cfg);
	deliveries_reset(f);
	free(f);
	return (0);
}

static void
msg_init(struct msg *m, const char *channel, const char *text,
    const char *ts, const char *thread_ts)
{
	memset(m, 0, sizeof *m);
	m->adapter = "slack";
	m->channel = channel;
	m->user = "U0001";
	m->text = text;
	m->ts = ts;
	m->thread_ts = thread_ts;
	m->bot_user_id = "U0BOT";
}

static enum gate_result
run(struct fixture *f, const struct msg *m)
{
	enum gate_result	 res;
	char			*ack = NULL;
	size_t			 nq;

	deliveries_reset(f);
	res = gate_message(&f->bot, m, &ack, &nq);
	assert_null(ack);
	assert_false(store_in_transaction(f->bot.store));
	outbox_flush(f->bot.outbox);
	return (res);
}

/* One answer in the thread, then a reaction within the cooldown. */
static void
test_answer_then_react(void **state)
{
	struct fixture	*f = *state;
	struct msg	 m;

	msg_init(&m, "C0VAULT", "vault is sealed in production?",
	    "1700000001.000100", NULL);
	assert_int_equal(run(f, &m), GATE_HANDLED);
	assert_int_equal(f->n, 1);
	assert_int_equal(f->d[0].op, POST_MESSAGE);
	assert_string_equal(f->d[0].channel, "C0VAULT");
	assert_string_equal(f->d[0].thread_ts, "1700000001.000100");
	assert_non_null(strstr(f->d[0].text, "*[critical]* <@U0001>: make "
	    "sure a ticket is open"));
	assert_non_null(strstr(f->d[0].text, "Restart the hive."));

	/* the same message again: the gate's dedupe, nothing */
	assert_int_equal(run(f, &m), GATE_DUPLICATE);
	assert_int_equal(f->n, 0);

	msg_init(&m, "C0VAULT", "still SEALED?", "1700000002.000100", NULL);
	assert_int_equal(run(f, &m), GATE_HANDLED);
	assert_int_equal(f->n, 1);
	assert_int_equal(f->d[0].op, POST_REACTION);
	assert_string_equal(f->d[0].reaction, "eyes");
	assert_string_equal(f->d[0].target_ts, "1700000002.000100");

	/* chatter: nothing claimed, nothing stored */
	msg_init(&m, "C0VAULT", "lunch?", "1700000003.000100", NULL);
	assert_int_equal(run(f, &m), GATE_IGNORED);
	/* another channel's rules are not this one's */
	msg_init(&m, "C0OTHER", "sealed", "1700000004.000100", NULL);
	assert_int_equal(run(f, &m), GATE_IGNORED);
}

#ifdef OPSBOT_TEST_CLOCK
/* After the cooldown a new thread is answered; an old thread never. */
static void
test_cooldown_and_thread(void **state)
{
	struct fixture	*f = *state;
	struct msg	 m;

	msg_init(&m, "C0VAULT", "sealed", "1700000010.000100", NULL);
	assert_int_equal(run(f, &m), GATE_HANDLED);
	assert_int_equal(f->n, 1);
	assert_int_equal(f->d[0].op, POST_MESSAGE);
	assert_int_equal(clock_test_advance(WATCH_DEFAULT_COOLDOWN_MS), 0);

	/* in the thread it answered: a reaction, cooldown or not */
	msg_init(&m, "C0VAULT", "sealed still", "1700000011.000100",
	    "1700000010.000100");
	assert_int_equal(run(f, &m), GATE_HANDLED);
	assert_int_equal(f->n, 1);
	assert_int_equal(f->d[0].op, POST_REACTION);

	/* a new message after the cooldown: answered in its own thread */
	msg_init(&m, "C0VAULT", "sealed again", "1700000012.000100", NULL);
	assert_int_equal(run(f, &m), GATE_HANDLED);
	assert_int_equal(f->n, 1);
	assert_int_equal(f->d[0].op, POST_MESSAGE);
	assert_string_equal(f->d[0].thread_ts, "1700000012.000100");
}
#endif

/* in: channel posts at the top level; two rules, two answers. */
static void
test_in_channel_and_two_rules(void **state)
{
	struct fixture	*f = *state;
	struct msg	 m;

	msg_init(&m, "C0VAULT", "sealed! and how do I open a CR?",
	    "1700000020.000100", NULL);
	assert_int_equal(run(f, &m), GATE_HANDLED);
	assert_int_equal(f->n, 2);
	assert_string_equal(f->d[0].thread_ts, "1700000020.000100");
	assert_null(f->d[1].thread_ts);
	assert_string_equal(f->d[1].text, "see the pinned items");
}

/* Rules see the text as typed: Slack's &amp; &lt; &gt; decoded. */
static void
test_typed_text(void **state)
{
	struct fixture	*f = *state;
	struct msg	 m;

	msg_init(&m, "C0RND", "is R&amp;D &lt;prod&gt; down?",
	    "1700000030.000100", NULL);
	assert_int_equal(run(f, &m), GATE_HANDLED);
	assert_int_equal(f->n, 1);
	assert_string_equal(f->d[0].text, "R and D");
}

/* Bots count only where a rule says so; commands run first. */
static void
test_bots_and_commands(void **state)
{
	struct fixture	*f = *state;
	struct msg	 m;

	msg_init(&m, "C0VAULT", "sealed", "1700000030.000100", NULL);
	m.flags = MSG_FROM_BOT;
	assert_int_equal(run(f, &m), GATE_IGNORED);
	msg_init(&m, "C0BOTS", "deploy failed: vault", "1700000031.000100",
	    NULL);
	m.flags = MSG_FROM_BOT;
	assert_int_equal(run(f, &m), GATE_HANDLED);
	assert_int_equal(f->n, 1);
	assert_string_equal(f->d[0].text, "look at the deploy");

	/* a command that mentions the pattern is a command only */
	msg_init(&m, "C0VAULT", "!help sealed", "1700000032.000100", NULL);
	assert_int_equal(run(f, &m), GATE_HANDLED);
	assert_int_equal(f->n, 1);
	assert_null(strstr(f->d[0].text, "make sure a ticket"));
}

/* `watch list` and `watch test`: answers, never the watch's post. */
static void
test_commands(void **state)
{
	struct fixture	*f = *state;
	struct msg	 m;

	msg_init(&m, "C0VAULT", "!watch list", "1700000040.000100", NULL);
	assert_int_equal(run(f, &m), GATE_HANDLED);
	assert_int_equal(f->n, 1);
	assert_non_null(strstr(f->d[0].text, "2 watches in this channel"));
	assert_non_null(strstr(f->d[0].text, "*sealed* (critical): `sealed`"));
	assert_non_null(strstr(f->d[0].text, "*cr*: `open a CR` → channel"));

	msg_init(&m, "C0VAULT", "!watch test is it Sealed? open a cr",
	    "1700000041.000100", NULL);
	assert_int_equal(run(f, &m), GATE_HANDLED);
	assert_int_equal(f->n, 1);
	assert_non_null(strstr(f->d[0].text, "2 watches would answer"));
	assert_non_null(strstr(f->d[0].text, "*sealed*: matched `Sealed`"));
	assert_non_null(strstr(f->d[0].text, "*cr*: matched `open a cr`, "
	    "would answer in the channel"));
	/* the dry run kept no cooldown: the real message is answered */
	msg_init(&m, "C0VAULT", "sealed", "1700000042.000100", NULL);
	assert_int_equal(run(f, &m), GATE_HANDLED);
	assert_int_equal(f->n, 1);
	assert_int_equal(f->d[0].op, POST_MESSAGE);

	msg_init(&m, "C0OTHER", "!watch list", "1700000043.000100", NULL);
	assert_int_equal(run(f, &m), GATE_HANDLED);
	assert_string_equal(f->d[0].text, "No watches in this channel.");
}

/*
 * Sets rule "night" active for an hour starting off minutes from now
 * (UTC, every day; over midnight where it falls so). The handler reads
 * the same clock: an hour's margin either side.
 */
static void
night_window(struct fixture *f, int off)
{
	struct watch_active	*a;
	int64_t			 now = clock_wall_ms();
	int			 min;
	size_t			 i;

	min = (int)((now / 1000 / 60) % (24 * 60));
	for (i = 0; i < f->bot.cfg->watches->nrules; i++) {
		if (strcmp(f->bot.cfg->watches->rules[i].name, "night") != 0)
			continue;
		a = &f->bot.cfg->watches->rules[i].active;
		a->start_min = (min + off + 2 * 24 * 60) % (24 * 60);
		a->end_min = (a->start_min + 60) % (24 * 60);
		if (a->end_min == 0)
			a->end_min = 24 * 60;
		return;
	}
	fail_msg("no rule night");
}

/* Outside its active hours a rule neither answers nor reacts. */
static void
test_inactive(void **state)
{
	struct fixture	*f = *state;
	struct msg	 m;

	night_window(f, 120);
	msg_init(&m, "C0NIGHT", "disk full on db1", "1700000050.000100",
	    NULL);
	/* claimed (claims knows no time), then nothing posted */
	assert_int_equal(run(f, &m), GATE_HANDLED);
	assert_int_equal(f->n, 0);

	msg_init(&m, "C0NIGHT", "!watch test disk full", "1700000051.000100",
	    NULL);
	assert_int_equal(run(f, &m), GATE_HANDLED);
	assert_non_null(strstr(f->d[0].text, "1 watch matches, 0 would "
	    "answer now"));
	assert_non_null(strstr(f->d[0].text, "would not answer now: "
	    "outside its active daily "));
	msg_init(&m, "C0NIGHT", "!watch list", "1700000052.000100", NULL);
	assert_int_equal(run(f, &m), GATE_HANDLED);
	assert_non_null(strstr(f->d[0].text, "cooldown 0s, active daily "));
	assert_non_null(strstr(f->d[0].text, " UTC"));

	/* the window around now: answered */
	night_window(f, -30);
	msg_init(&m, "C0NIGHT", "disk full on db2", "1700000053.000100",
	    NULL);
	assert_int_equal(run(f, &m), GATE_HANDLED);
	assert_int_equal(f->n, 1);
	assert_string_equal(f->d[0].text, "page the on-call");
	msg_init(&m, "C0NIGHT", "!watch test disk full", "1700000054.000100",
	    NULL);
	assert_int_equal(run(f, &m), GATE_HANDLED);
	assert_non_null(strstr(f->d[0].text, "1 watch would answer"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_answer_then_react,
		    setup, teardown),
#ifdef OPSBOT_TEST_CLOCK
		cmocka_unit_test_setup_teardown(test_cooldown_and_thread,
		    setup, teardown),
#endif
		cmocka_unit_test_setup_teardown(test_in_channel_and_two_rules,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_typed_text, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bots_and_commands,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_commands, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_inactive, setup,
		    teardown),
	};

	log_init(LOG_LVL_WARN, stderr);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
