/*
 * test_gate.c: the one way in for messages (bot/gate.c) with a real
 * struct bot: which messages get an answer, where the answer goes, that
 * a message is answered once, and that a store failure keeps nothing.
 * Replies are delivered by a fake adapter through the real outbox.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "adapters/adapter.h"
#include "bot/bot.h"
#include "bot/gate.h"
#include "bot/outbox.h"
#include "store/store.h"

#define TS	"1700000100.000200"
#define ROOT	"1700000000.000100"
#define URL	"https://hooks.slack.com/commands/T1/1/x"

static const char runbook_head[] =
    "---\ntitle: Test SOP\ntags: [sop]\n---\n"
    "# Test SOP\n\n"
    "## HiveDown\n\n### Impact\n\nClusters cannot push metrics.\n\n"
    "## BigAlert\n\n";

/* One post as the adapter got it, its strings copied. */
struct delivery {
	enum post_op	 op;
	char		*channel;
	char		*thread_ts;
	char		*text;
	char		*response_url;
};

struct fixture {
	struct bot	 bot;
	struct adapter	 adapter;
	struct delivery	 d[64];
	size_t		 n;
	char		 dir[64];	/* of a file-backed store, or "" */
	char		*path;
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
	char			 ts[64];

	if (f->n == sizeof f->d / sizeof f->d[0])
		fail_msg("too many deliveries");
	d = &f->d[f->n];
	d->op = row->p.op;
	d->channel = dup_or_null(row->p.channel);
	d->thread_ts = dup_or_null(row->p.thread_ts);
	d->text = dup_or_null(row->p.text);
	d->response_url = dup_or_null(row->p.response_url);
	f->n++;
	memset(&res, 0, sizeof res);
	res.v = POST_OK;
	snprintf(ts, sizeof ts, "1700000200.%06zu", f->n);
	res.ts = ts;
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
		free(f->d[i].response_url);
	}
	f->n = 0;
}

/*
 * The runbook: a small section, and one of seven paragraphs of about
 * 2900 bytes (PART-1 .. PART-7): under REPLY_ANSWER_MAX_BYTES, so it is
 * answered whole, but no two paragraphs fit one message.
 */
static struct runbook_set *
runbooks_new(void)
{
	struct runbook_set	*set;
	struct buf		 md = { NULL, 0, 0 };
	int			 i, j;

	buf_adds(&md, runbook_head);
	for (i = 1; i <= 7; i++) {
		buf_printf(&md, "PART-%d", i);
		for (j = 0; j < 160; j++)
			buf_adds(&md, " lorem ipsum dolor");
		buf_adds(&md, "\n\n");
	}
	set = runbook_set_load_string("test.md", buf_str(&md), md.len, NULL);
	buf_reset(&md);
	return (set);
}

static void
open_store(struct fixture *f)
{
	char	*cause = NULL;

	f->bot.store = store_open(f->path != NULL ? f->path : ":memory:",
	    &cause);
	if (f->bot.store == NULL)
		fail_msg("store_open: %s", cause);
	assert_int_equal(runbook_index_build(f->bot.runbooks, f->bot.store), 0);
}

static struct fixture *
fixture_new(void)
{
	struct fixture	*f;

	f = xcalloc(1, sizeof *f);
	f->bot.cfg = config_new();
	f->bot.runbooks = runbooks_new();
	assert_non_null(f->bot.runbooks);
	f->adapter.ops = &fake_ops;
	f->adapter.ctx = f;
	f->adapter.bot = &f->bot;
	f->bot.adapter = &f->adapter;
	f->bot.outbox = outbox_new(&f->bot);
	outbox_ready(f->bot.outbox, 1);
	return (f);
}

static int
setup(void **state)
{
	struct fixture	*f;

	f = fixture_new();
	open_store(f);
	*state = f;
	return (0);
}

static int
setup_file(void **state)
{
	struct fixture	*f;

	f = fixture_new();
	snprintf(f->dir, sizeof f->dir, "/tmp/test_gate.XX" "XX" "XX");
	assert_non_null(mkdtemp(f->dir));
	xasprintf(&f->path, "%s/bot.db", f->dir);
	open_store(f);
	*state = f;
	return (0);
}

static int
teardown(void **state)
{
	static const char *const suffixes[] = { "", "-wal", "-shm" };
	struct fixture	*f = *state;
	char		*p;
	size_t		 i;

	outbox_free(f->bot.outbox);
	store_close(f->bot.store);
	runbook_set_free(f->bot.runbooks);
	config_free(f->bot.cfg);
	deliveries_reset(f);
	if (f->path != NULL) {
		for (i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
			xasprintf(&p, "%s%s", f->path, suffixes[i]);
			unlink(p);
			free(p);
		}
		rmdir(f->dir);
		free(f->path);
	}
	free(f);
	return (0);
}

/* A Slack channel message with text, as the Slack adapter builds it. */
static void
msg_init(struct msg *m, const char *text, const char *event_id)
{
	memset(m, 0, sizeof *m);
	m->adapter = "slack";
	m->channel = "C0001";
	m->user = "U0001";
	m->text = text;
	m->ts = TS;
	m->event_id = event_id;
	m->bot_user_id = "U0BOT";
}

/*
 * Runs m through the gate and delivers what it queued. Returns the
 * gate's result; *nqueued as gate_message set it. ack_text, if not
 * NULL, gets the ack text (caller frees); else it must be NULL.
 */
static enum gate_result
run(struct fixture *f, const struct msg *m, size_t *nqueued,
    char **ack_text)
{
	enum gate_result	 res;
	char			*ack = NULL;
	size_t			 nq = 99;

	res = gate_message(&f->bot, m, &ack, &nq);
	assert_false(store_in_transaction(f->bot.store));
	if (nqueued != NULL)
		*nqueued = nq;
	/* what the gate says it queued is what is pending */
	assert_int_equal(store_post_count(f->bot.store), (int64_t)nq);
	outbox_flush(f->bot.outbox);
	assert_int_equal(store_post_count(f->bot.store), 0);
	if (ack_text != NULL)
		*ack_text = ack;
	else if (ack != NULL)
		fail_msg("unexpected ack text: %s", ack);
	return (res);
}

/* The delivered text, all posts joined (static, until the next call). */
static const char *
all_text(struct fixture *f)
{
	static char	*joined;
	struct buf	 b = { NULL, 0, 0 };
	size_t		 i;

	free(joined);
	for (i = 0; i < f->n; i++) {
		buf_adds(&b, f->d[i].text != NULL ? f->d[i].text : "");
		buf_addc(&b, '\n');
	}
	joined = buf_release(&b);
	return (joined);
}

/* A command gets its answer, threaded under the message that asked. */
static void
test_help_answered_in_thread(void **state)
{
	struct fixture	*f = *state;
	struct msg	 m;
	size_t		 nq, i;

	msg_init(&m, "!help", "Ev1");
	assert_int_equal(run(f, &m, &nq, NULL), GATE_HANDLED);
	assert_true(nq >= 1);
	assert_int_equal(f->n, nq);
	for (i = 0; i < f->n; i++) {
		assert_int_equal(f->d[i].op, POST_MESSAGE);
		assert_string_equal(f->d[i].channel, "C0001");
		assert_non_null(f->d[i].thread_ts);
		assert_string_equal(f->d[i].thread_ts, TS);
	}
	assert_non_null(strstr(all_text(f), "`!sop <alert>`"));
	assert_int_equal(store_audit_count(f->bot.store), 1);

	/* asked inside a thread: answered in that thread */
	deliveries_reset(f);
	msg_init(&m, "!sop hivedown", "Ev2");
	m.ts = "1700000100.000300";
	m.thread_ts = ROOT;
	assert_int_equal(run(f, &m, &nq, NULL), GATE_HANDLED);
	assert_int_equal(nq, 1);
	assert_int_equal(f->n, 1);
	assert_string_equal(f->d[0].thread_ts, ROOT);
	assert_non_null(strstr(all_text(f), "Clusters cannot push metrics"));
	assert_int_equal(store_audit_count(f->bot.store), 2);
}

/*
 * Chatter is ignored before the store is touched: it needs no
 * transaction (one already open is left alone), writes no audit row,
 * queues nothing and records no dedupe key.
 */
static void
test_chatter_ignored(void **state)
{
	struct fixture	*f = *state;
	static const char *const texts[] = {
		"deploy status api-gateway",
		"!! that was close",
		"hey <@U0002> !sop hivedown",
		"",
	};
	struct msg	 m;
	char		*ack = NULL;
	size_t		 i, nq;

	assert_int_equal(store_begin(f->bot.store), 0);
	for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		msg_init(&m, texts[i], "Ev1");
		nq = 99;
		assert_int_equal(gate_message(&f->bot, &m, &ack, &nq),
		    GATE_IGNORED);
		assert_int_equal(nq, 0);
		assert_null(ack);
		assert_true(store_in_transaction(f->bot.store));
	}
	assert_int_equal(store_rollback(f->bot.store), 0);

	msg_init(&m, "deploy status api-gateway", "Ev1");
	assert_int_equal(run(f, &m, &nq, NULL), GATE_IGNORED);
	assert_int_equal(f->n, 0);
	assert_int_equal(store_audit_count(f->bot.store), 0);
	assert_int_equal(store_seen_has(f->bot.store, "ev:Ev1", 0), 0);
	assert_int_equal(store_seen_has(f->bot.store, "ts:C0001:" TS, 0), 0);

	/* so the same event edited into a command is not a "duplicate" */
	msg_init(&m, "!help", "Ev1");
	assert_int_equal(run(f, &m, &nq, NULL), GATE_HANDLED);
	assert_true(f->n > 0);
}

/* Slack retries an event: the retry runs nothing and says nothing. */
static void
test_duplicate_event(void **state)
{
	struct fixture	*f = *state;
	struct msg	 m;
	size_t		 nq, first;

	msg_init(&m, "!sop hivedown", "Ev1");
	assert_int_equal(run(f, &m, &nq, NULL), GATE_HANDLED);
	first = f->n;
	assert_true(first >= 1);
	assert_int_equal(run(f, &m, &nq, NULL), GATE_DUPLICATE);
	assert_int_equal(nq, 0);
	assert_int_equal(f->n, first);
	assert_int_equal(store_audit_count(f->bot.store), 1);

	/* a retry may come without the ts (same event_id) */
	m.ts = NULL;
	assert_int_equal(run(f, &m, &nq, NULL), GATE_DUPLICATE);
	assert_int_equal(f->n, first);
	assert_int_equal(store_audit_count(f->bot.store), 1);
}

/*
 * One message that mentions the bot arrives twice, as `message` and as
 * `app_mention` (different event_ids, same channel and ts): one answer,
 * whichever comes first.
 */
static void
test_message_and_app_mention(void **state)
{
	struct fixture	*f = *state;
	struct msg	 a, b;
	size_t		 nq, first;
	int		 order;

	for (order = 0; order < 2; order++) {
		deliveries_reset(f);
		msg_init(&a, "<@U0BOT> sop hivedown", "EvMsg");
		msg_init(&b, "<@U0BOT> sop hivedown", "EvMention");
		b.addressed = 1;
		if (order == 1) {
			a.event_id = "EvMsg2";
			b.event_id = "EvMention2";
			a.ts = b.ts = "1700000100.000900";
		}
		assert_int_equal(run(f, order == 0 ? &a : &b, &nq, NULL),
		    GATE_HANDLED);
		first = f->n;
		assert_true(first >= 1);
		assert_non_null(strstr(all_text(f),
		    "Clusters cannot push metrics"));
		assert_int_equal(run(f, order == 0 ? &b : &a, &nq, NULL),
		    GATE_DUPLICATE);
		assert_int_equal(nq, 0);
		assert_int_equal(f->n, first);
	}
	assert_int_equal(store_audit_count(f->bot.store), 2);
}

/*
 * Our own messages, other bots', edits and deletions are not commands,
 * whatever their text says.
 */
static void
test_ignored_origins(void **state)
{
	struct fixture	*f = *state;
	static const int flags[] = {
		MSG_FROM_SELF, MSG_FROM_BOT, MSG_EDITED, MSG_DELETED,
		MSG_FROM_SELF | MSG_FROM_BOT, MSG_EDITED | MSG_FROM_BOT,
	};
	struct msg	 m;
	size_t		 i, nq;

	for (i = 0; i < sizeof flags / sizeof flags[0]; i++) {
		msg_init(&m, "!sop hivedown", "Ev1");
		m.flags = flags[i];
		if (run(f, &m, &nq, NULL) != GATE_IGNORED)
			fail_msg("flags %#x: not ignored", flags[i]);
		assert_int_equal(nq, 0);
		/* not even as a direct message to the bot */
		m.addressed = 1;
		m.text = "<@U0BOT> help";
		if (run(f, &m, &nq, NULL) != GATE_IGNORED)
			fail_msg("flags %#x: addressed, not ignored",
			    flags[i]);
	}
	assert_int_equal(f->n, 0);
	assert_int_equal(store_audit_count(f->bot.store), 0);
	assert_int_equal(store_seen_has(f->bot.store, "ev:Ev1", 0), 0);
}

/*
 * A slash command: the first message of the answer goes back in the
 * ack, the next five to the response_url, in order, and the rest to the
 * channel (top level: a slash command has no thread).
 */
static void
test_slash_command(void **state)
{
	struct fixture	*f = *state;
	struct msg	 m;
	const char	*at;
	char		*ack = NULL, part[16];
	size_t		 nq, i, nresp = 0, nmsg = 0;
	int		 next = 2, n;

	memset(&m, 0, sizeof m);
	m.adapter = "slack";
	m.channel = "C0001";
	m.user = "U0001";
	m.command = "/sop";
	m.text = "bigalert";
	m.response_url = URL;
	m.reply_in_ack = 1;
	assert_int_equal(run(f, &m, &nq, &ack), GATE_HANDLED);
	assert_non_null(ack);
	assert_non_null(strstr(ack, "PART-1 "));
	assert_null(strstr(ack, "PART-2 "));
	free(ack);
	assert_true(nq >= 6);
	assert_int_equal(f->n, nq);
	for (i = 0; i < f->n; i++) {
		assert_null(f->d[i].thread_ts);
		assert_string_equal(f->d[i].channel, "C0001");
		if (f->d[i].op == POST_RESPOND) {
			assert_non_null(f->d[i].response_url);
			assert_string_equal(f->d[i].response_url, URL);
			nresp++;
			/* the response_url's posts come in order */
			assert_non_null(at = strstr(f->d[i].text, "PART-"));
			assert_int_equal(sscanf(at, "PART-%d", &n), 1);
			assert_int_equal(n, next);
			next++;
		} else {
			assert_int_equal(f->d[i].op, POST_MESSAGE);
			nmsg++;
		}
	}
	assert_int_equal(nresp, 5);
	assert_int_equal(nmsg, nq - 5);
	for (i = 1; i <= 7; i++) {
		snprintf(part, sizeof part, "PART-%zu ", i);
		if (i > 1 && strstr(all_text(f), part) == NULL)
			fail_msg("%s was not delivered", part);
	}

	/* a short answer is all in the ack */
	deliveries_reset(f);
	m.text = "hivedown";
	assert_int_equal(run(f, &m, &nq, &ack), GATE_HANDLED);
	assert_non_null(ack);
	assert_non_null(strstr(ack, "Clusters cannot push metrics"));
	free(ack);
	assert_int_equal(nq, 0);
	assert_int_equal(f->n, 0);

	/* without a response_url the rest goes to the channel */
	m.text = "bigalert";
	m.response_url = NULL;
	assert_int_equal(run(f, &m, &nq, &ack), GATE_HANDLED);
	assert_non_null(ack);
	free(ack);
	assert_true(nq >= 6);
	for (i = 0; i < f->n; i++)
		assert_int_equal(f->d[i].op, POST_MESSAGE);
	assert_int_equal(store_audit_count(f->bot.store), 3);
}

/*
 * The console has no ts and no event ids: answers go top level, and
 * the same line typed twice is answered twice.
 */
static void
test_console(void **state)
{
	struct fixture	*f = *state;
	struct msg	 m;
	size_t		 nq, first, i;

	memset(&m, 0, sizeof m);
	m.adapter = "console";
	m.channel = "#console";
	m.user = "alice";
	m.text = "!sop hivedown";
	assert_int_equal(run(f, &m, &nq, NULL), GATE_HANDLED);
	assert_true(nq >= 1);
	first = f->n;
	assert_int_equal(first, nq);
	assert_int_equal(run(f, &m, &nq, NULL), GATE_HANDLED);
	assert_int_equal(f->n, 2 * first);
	for (i = 0; i < f->n; i++) {
		assert_int_equal(f->d[i].op, POST_MESSAGE);
		assert_string_equal(f->d[i].channel, "#console");
		assert_null(f->d[i].thread_ts);
	}
	assert_non_null(strstr(all_text(f), "Clusters cannot push metrics"));
}

/* Runs sql on the closed store's file, then reopens the store. */
static void
store_exec_reopen(struct fixture *f, const char *sql)
{
	sqlite3	*db;
	char	*err = NULL;

	store_close(f->bot.store);
	f->bot.store = NULL;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", sql, err);
	sqlite3_close(db);
	open_store(f);
}

/*
 * The store fails while the gate writes: nothing of the message is
 * kept (no audit row, no post, no dedupe key), the ack says nothing,
 * and once the store works again Slack's retry of the event is
 * answered, as if it were new.
 */
static void
gate_store_fails(struct fixture *f, const char *table)
{
	static char	 stale[] = "stale";
	struct msg	 m;
	char		*sql = NULL, *ack = stale;
	size_t		 nq = 99;

	xasprintf(&sql, "CREATE TRIGGER fail_%s BEFORE INSERT ON %s"
	    " BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;", table, table);
	store_exec_reopen(f, sql);
	free(sql);

	msg_init(&m, "!sop hivedown", "Ev1");
	assert_int_equal(gate_message(&f->bot, &m, &ack, &nq),
	    GATE_STORE_FAILED);
	assert_null(ack);
	assert_int_equal(nq, 0);
	assert_false(store_in_transaction(f->bot.store));
	assert_non_null(strstr(store_last_error(f->bot.store),
	    "disk on fire"));
	outbox_flush(f->bot.outbox);
	assert_int_equal(f->n, 0);
	assert_int_equal(store_post_count(f->bot.store), 0);
	assert_int_equal(store_audit_count(f->bot.store), 0);
	assert_int_equal(store_seen_has(f->bot.store, "ev:Ev1", 0), 0);
	assert_int_equal(store_seen_has(f->bot.store, "ts:C0001:" TS, 0), 0);

	/*
	 * A slash command whose answer does not fit its ack: the rest
	 * cannot be queued, so the ack does not answer either.
	 */
	if (strcmp(table, "posts") == 0) {
		memset(&m, 0, sizeof m);
		m.adapter = "slack";
		m.channel = "C0001";
		m.user = "U0001";
		m.command = "/sop";
		m.text = "bigalert";
		m.response_url = URL;
		m.reply_in_ack = 1;
		ack = stale;
		assert_int_equal(gate_message(&f->bot, &m, &ack, &nq),
		    GATE_STORE_FAILED);
		assert_null(ack);
		assert_int_equal(nq, 0);
		assert_int_equal(store_audit_count(f->bot.store), 0);
	}

	xasprintf(&sql, "DROP TRIGGER fail_%s;", table);
	store_exec_reopen(f, sql);
	free(sql);
	msg_init(&m, "!sop hivedown", "Ev1");
	assert_int_equal(run(f, &m, &nq, NULL), GATE_HANDLED);
	assert_int_equal(nq, 1);
	assert_int_equal(f->n, 1);
	assert_non_null(strstr(all_text(f), "Clusters cannot push metrics"));
	assert_int_equal(run(f, &m, &nq, NULL), GATE_DUPLICATE);
	assert_int_equal(f->n, 1);
}

static void
test_store_fails_on_post(void **state)
{
	gate_store_fails(*state, "posts");
}

static void
test_store_fails_on_seen(void **state)
{
	gate_store_fails(*state, "seen");
}

/*
 * Reactions and clicks reach only handlers that ask for them (tickets):
 * the command handler never sees one, even one that reads "!help", and
 * nothing claims them in a channel without a support desk.
 */
static void
test_reaction_and_click_not_commands(void **state)
{
	struct fixture	*f = *state;
	struct msg	 m;
	size_t		 nq;

	msg_init(&m, "!help", "EvR1");
	m.kind = MSG_REACTION;
	m.reaction = "white_check_mark";
	assert_int_equal(run(f, &m, &nq, NULL), GATE_IGNORED);
	msg_init(&m, "!help", NULL);
	m.kind = MSG_ACTION;
	m.action_id = "restart_yes";
	m.action_value = "worker-3";
	m.action_ts = "1700000950.123456";
	assert_int_equal(run(f, &m, &nq, NULL), GATE_IGNORED);
	assert_int_equal(f->n, 0);
	assert_int_equal(store_audit_count(f->bot.store), 0);
	assert_int_equal(store_seen_has(f->bot.store, "ev:EvR1", 0), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_help_answered_in_thread,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_chatter_ignored, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_event, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_message_and_app_mention,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_ignored_origins, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_slash_command, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_console, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_reaction_and_click_not_commands, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_fails_on_post,
		    setup_file, teardown),
		cmocka_unit_test_setup_teardown(test_store_fails_on_seen,
		    setup_file, teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
