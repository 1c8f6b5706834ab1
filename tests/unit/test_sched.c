/*
 * test_sched.c: durable timers (store/store-timer.c) and the scheduler
 * (bot/sched.c). No test sleeps: every "now" is passed in, from T0.
 */
#include <sys/wait.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "bot/bot.h"
#include "bot/clock.h"
#include "bot/sched.h"
#include "store/store.h"

/* 2026-07-25T17:20:00Z, as in test_store.c; any instant would do. */
#define T0_MS	INT64_C(1785000000000)
#define MIN_MS	INT64_C(60000)

/* What the handlers saw, in order. */
struct seen {
	int64_t	 id[32];
	int	 late[32];
	size_t	 n;
	int	 fail;		/* the "remind" handler returns -1 */
	int	 die;		/* the "remind" handler _exit()s: kill -9 */
};

/*
 * Queues an outbox row, as a reminder will, so that the tests see the
 * handler's writes commit or vanish with the firing.
 */
static int
on_remind(struct store *s, const struct store_timer *t, void *arg)
{
	struct seen	*sn = arg;

	if (store_outbox_add(s, T0_MS / 1000, "chat.postMessage", NULL, "C1",
	    t->ref) < 0)
		return (-1);
	if (sn->die)
		_exit(9);
	if (sn->fail)
		return (-1);
	if (sn->n < sizeof sn->id / sizeof sn->id[0]) {
		sn->id[sn->n] = t->id;
		sn->late[sn->n] = t->late;
		sn->n++;
	}
	return (0);
}

static const struct sched_handler handlers[] = {
	{ "remind", on_remind },
};

static struct store *
open_ok(const char *path)
{
	struct store	*s;
	char		*cause = NULL;

	if ((s = store_open(path, &cause)) == NULL)
		fail_msg("store_open: %s", cause);
	return (s);
}

static void
init(struct sched *sc, struct seen *sn)
{
	memset(sn, 0, sizeof *sn);
	sched_init(sc, handlers, sizeof handlers / sizeof handlers[0], sn);
}

static int64_t
add(struct store *s, int64_t due_ms, const char *ref, const char *key)
{
	int64_t	 id;

	id = store_timer_add(s, T0_MS, due_ms, "remind", ref, key);
	assert_true(id > 0);
	return (id);
}

static enum timer_state
state_of(struct store *s, int64_t id, int *late)
{
	struct store_timer	 t;
	enum timer_state	 st;

	assert_int_equal(store_timer_get(s, id, &t), 1);
	st = t.state;
	if (late != NULL)
		*late = t.late;
	store_timer_release(&t);
	return (st);
}

/* Due order, ties by id; nothing fires before its time. */
static void
test_order(void **state)
{
	struct store	*s = open_ok(":memory:");
	struct sched	 sc;
	struct seen	 sn;
	int64_t		 a, b, c, d, due;

	init(&sc, &sn);
	assert_int_equal(store_timer_next_due(s, &due), 0);
	assert_int_equal(sched_next_delay_ms(&sc, s, T0_MS), -1);
	a = add(s, T0_MS + 300, "a", NULL);
	b = add(s, T0_MS + 100, "b", NULL);
	c = add(s, T0_MS + 200, "c", NULL);
	d = add(s, T0_MS + 100, "d", NULL);
	assert_int_equal(store_timer_next_due(s, &due), 1);
	assert_true(due == T0_MS + 100);
	assert_true(sched_next_delay_ms(&sc, s, T0_MS) == 100);

	assert_int_equal(sched_fire_due(&sc, s, T0_MS + 99), 0);
	assert_int_equal(sched_fire_due(&sc, s, T0_MS + 1000), 4);
	assert_int_equal(sn.n, 4);
	assert_true(sn.id[0] == b && sn.id[1] == d && sn.id[2] == c &&
	    sn.id[3] == a);
	assert_int_equal(sn.late[0], 0);
	assert_int_equal(state_of(s, a, NULL), TIMER_FIRED);
	assert_int_equal(store_timer_next_due(s, &due), 0);
	assert_int_equal(store_outbox_count(s), 4);
	store_close(s);
}

static void
test_cancel(void **state)
{
	struct store	*s = open_ok(":memory:");
	struct sched	 sc;
	struct seen	 sn;
	int64_t		 a, b, due;

	init(&sc, &sn);
	a = add(s, T0_MS + MIN_MS, "a", NULL);
	b = add(s, T0_MS + 2 * MIN_MS, "b", NULL);
	assert_int_equal(store_timer_cancel(s, a), 1);
	assert_int_equal(store_timer_cancel(s, a), 0);
	assert_int_equal(store_timer_cancel(s, 9999), 0);
	assert_int_equal(state_of(s, a, NULL), TIMER_CANCELLED);
	/* The loop timer is re-armed for the next one still pending. */
	assert_int_equal(store_timer_next_due(s, &due), 1);
	assert_true(due == T0_MS + 2 * MIN_MS);
	assert_int_equal(sched_fire_due(&sc, s, T0_MS + 3 * MIN_MS), 1);
	assert_true(sn.n == 1 && sn.id[0] == b);
	/* Too late to cancel or move what fired. */
	assert_int_equal(store_timer_cancel(s, b), 0);
	assert_int_equal(store_timer_reschedule(s, b, T0_MS), 0);
	assert_int_equal(state_of(s, b, NULL), TIMER_FIRED);
	store_close(s);
}

static void
test_reschedule(void **state)
{
	struct store	*s = open_ok(":memory:");
	struct sched	 sc;
	struct seen	 sn;
	int64_t		 a, b;

	init(&sc, &sn);
	a = add(s, T0_MS + 10 * MIN_MS, "a", NULL);
	b = add(s, T0_MS + 20 * MIN_MS, "b", NULL);
	/* Later: a is no longer due at its old time. */
	assert_int_equal(store_timer_reschedule(s, a, T0_MS + 30 * MIN_MS), 1);
	assert_true(sched_next_delay_ms(&sc, s, T0_MS) == 20 * MIN_MS);
	assert_int_equal(sched_fire_due(&sc, s, T0_MS + 10 * MIN_MS), 0);
	/* Earlier: b fires before its old time. */
	assert_int_equal(store_timer_reschedule(s, b, T0_MS + 5 * MIN_MS), 1);
	assert_true(sched_next_delay_ms(&sc, s, T0_MS) == 5 * MIN_MS);
	assert_int_equal(sched_fire_due(&sc, s, T0_MS + 5 * MIN_MS), 1);
	assert_true(sn.n == 1 && sn.id[0] == b);
	assert_int_equal(sched_fire_due(&sc, s, T0_MS + 29 * MIN_MS), 0);
	assert_int_equal(sched_fire_due(&sc, s, T0_MS + 30 * MIN_MS), 1);
	assert_true(sn.n == 2 && sn.id[1] == a);
	assert_int_equal(store_timer_reschedule(s, 9999, T0_MS), 0);
	store_close(s);
}

/* Late means more than the grace after due: at the grace, on time. */
static void
test_late(void **state)
{
	struct store	*s = open_ok(":memory:");
	struct sched	 sc;
	struct seen	 sn;
	int64_t		 a, b;
	int		 late;

	init(&sc, &sn);
	a = add(s, T0_MS, "a", NULL);
	assert_int_equal(sched_fire_due(&sc, s, T0_MS + TIMER_LATE_GRACE_MS),
	    1);
	assert_int_equal(state_of(s, a, &late), TIMER_FIRED);
	assert_int_equal(late, 0);
	b = add(s, T0_MS, "b", NULL);
	assert_int_equal(sched_fire_due(&sc, s,
	    T0_MS + TIMER_LATE_GRACE_MS + 1), 1);
	assert_int_equal(state_of(s, b, &late), TIMER_FIRED);
	assert_int_equal(late, 1);
	assert_true(sn.n == 2 && sn.late[0] == 0 && sn.late[1] == 1);
	store_close(s);
}

static void
test_idempotency_key(void **state)
{
	struct store	*s = open_ok(":memory:");
	struct sched	 sc;
	struct seen	 sn;
	int64_t		 a, b, c;

	init(&sc, &sn);
	a = add(s, T0_MS + MIN_MS, "a", "Ev1:remind");
	/* Same key, other arguments: the first timer, not a second. */
	b = store_timer_add(s, T0_MS, T0_MS + 5 * MIN_MS, "remind", "b",
	    "Ev1:remind");
	assert_true(b == a);
	c = add(s, T0_MS + MIN_MS, "c", "Ev2:remind");
	assert_true(c != a);
	assert_int_equal(sched_fire_due(&sc, s, T0_MS + MIN_MS), 2);
	/* Still the same id once fired: a replay after firing adds nothing. */
	assert_true(add(s, T0_MS + MIN_MS, "a", "Ev1:remind") == a);
	assert_int_equal(sched_fire_due(&sc, s, T0_MS + 9 * MIN_MS), 0);
	assert_int_equal(sn.n, 2);
	/* A timer must say what it is and what it is about. */
	assert_true(store_timer_add(s, T0_MS, T0_MS, "remind", NULL, NULL) ==
	    -1);
	store_close(s);
}

/* Claimed twice with the same now, a timer fires once. */
static void
test_at_most_once(void **state)
{
	struct store	*s = open_ok(":memory:");
	struct sched	 sc;
	struct seen	 sn;

	init(&sc, &sn);
	add(s, T0_MS, "a", NULL);
	assert_int_equal(sched_fire_due(&sc, s, T0_MS), 1);
	assert_int_equal(sched_fire_due(&sc, s, T0_MS), 0);
	assert_int_equal(sn.n, 1);
	assert_int_equal(store_outbox_count(s), 1);
	/* A transaction already open is refused, not nested. */
	add(s, T0_MS, "b", NULL);
	assert_int_equal(store_begin(s), 0);
	assert_int_equal(sched_fire_due(&sc, s, T0_MS), -1);
	assert_int_equal(store_rollback(s), 0);
	assert_int_equal(sched_fire_due(&sc, s, T0_MS), 1);
	store_close(s);
}

/*
 * A handler that fails undoes its own writes and the firing: the timer
 * stays pending, is not retried in a busy loop, and fires next time.
 * The others of the same pass are not held back.
 */
static void
test_handler_fails(void **state)
{
	struct store	*s = open_ok(":memory:");
	struct sched	 sc;
	struct seen	 sn;
	int64_t		 a;

	init(&sc, &sn);
	a = add(s, T0_MS, "a", NULL);
	sn.fail = 1;
	assert_int_equal(sched_fire_due(&sc, s, T0_MS), 0);
	assert_int_equal(state_of(s, a, NULL), TIMER_PENDING);
	assert_int_equal(store_outbox_count(s), 0);
	assert_true(sched_next_delay_ms(&sc, s, T0_MS) == TIMER_RETRY_MS);
	sn.fail = 0;
	assert_int_equal(sched_fire_due(&sc, s, T0_MS + TIMER_RETRY_MS), 1);
	assert_int_equal(state_of(s, a, NULL), TIMER_FIRED);
	assert_int_equal(store_outbox_count(s), 1);
	assert_true(sn.n == 1 && sn.id[0] == a);
	assert_int_equal(sched_next_delay_ms(&sc, s, T0_MS), -1);
	store_close(s);
}

/* A kind nobody handles is fired once (logged), not retried forever. */
static void
test_unknown_kind(void **state)
{
	struct store	*s = open_ok(":memory:");
	struct sched	 sc;
	struct seen	 sn;
	int64_t		 id;

	init(&sc, &sn);
	id = store_timer_add(s, T0_MS, T0_MS, "no-such-kind", "x:1", NULL);
	assert_true(id > 0);
	assert_int_equal(sched_fire_due(&sc, s, T0_MS), 1);
	assert_int_equal(state_of(s, id, NULL), TIMER_FIRED);
	assert_int_equal(sched_next_delay_ms(&sc, s, T0_MS), -1);
	assert_int_equal(sn.n, 0);
	store_close(s);
}

/* A temporary database file, removed afterwards. */
struct tmpdb {
	char	 dir[64];
	char	*path;
};

static void
tmpdb_init(struct tmpdb *t)
{
	snprintf(t->dir, sizeof t->dir, "/tmp/test_sched.XX" "XX" "XX");
	assert_non_null(mkdtemp(t->dir));
	xasprintf(&t->path, "%s/bot.db", t->dir);
}

static void
tmpdb_release(struct tmpdb *t)
{
	static const char *const suffixes[] = { "", "-wal", "-shm" };
	char	*f;
	size_t	 i;

	for (i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		xasprintf(&f, "%s%s", t->path, suffixes[i]);
		unlink(f);
		free(f);
	}
	rmdir(t->dir);
	free(t->path);
}

/*
 * kill -9 between claim and commit: a child fires the timer and dies
 * inside its handler, after queueing the post. The restarted store has
 * neither the firing nor the post; the timer then fires once, late,
 * and a second start fires nothing.
 */
static void
test_crash_and_restart(void **state)
{
	struct tmpdb	 t;
	struct store	*s;
	struct sched	 sc;
	struct seen	 sn;
	int64_t		 a;
	pid_t		 pid;
	int		 status, late;

	tmpdb_init(&t);
	s = open_ok(t.path);
	a = add(s, T0_MS + MIN_MS, "a", "Ev1");
	store_close(s);

	if ((pid = fork()) == 0) {
		s = open_ok(t.path);
		init(&sc, &sn);
		sn.die = 1;
		sched_fire_due(&sc, s, T0_MS + MIN_MS);
		_exit(0);	/* not reached */
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 9);

	/* Down for an hour: at start the timer fires once, late. */
	s = open_ok(t.path);
	init(&sc, &sn);
	assert_int_equal(state_of(s, a, NULL), TIMER_PENDING);
	assert_int_equal(store_outbox_count(s), 0);
	assert_int_equal(sched_next_delay_ms(&sc, s, T0_MS + 61 * MIN_MS), 0);
	assert_int_equal(sched_fire_due(&sc, s, T0_MS + 61 * MIN_MS), 1);
	assert_int_equal(state_of(s, a, &late), TIMER_FIRED);
	assert_int_equal(late, 1);
	assert_int_equal(store_outbox_count(s), 1);
	store_close(s);

	s = open_ok(t.path);
	init(&sc, &sn);
	assert_int_equal(sched_fire_due(&sc, s, T0_MS + 62 * MIN_MS), 0);
	assert_int_equal(store_outbox_count(s), 1);
	store_close(s);
	tmpdb_release(&t);
}

/* Schema version 3 as shipped (before timers): frozen here on purpose. */
static const char schema_v3[] =
    "CREATE TABLE audit ("
    "  id INTEGER PRIMARY KEY,"
    "  at INTEGER NOT NULL,"
    "  adapter TEXT,"
    "  channel TEXT,"
    "  user TEXT,"
    "  command TEXT,"
    "  args TEXT,"
    "  status TEXT,"
    "  event_id TEXT"
    ");"
    "CREATE INDEX audit_at ON audit (at);"
    "CREATE TABLE seen ("
    "  key TEXT PRIMARY KEY,"
    "  at INTEGER NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE INDEX seen_at ON seen (at);"
    "CREATE TABLE outbox ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  created_at INTEGER NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  target TEXT,"
    "  channel TEXT,"
    "  body TEXT NOT NULL,"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  not_before_ms INTEGER NOT NULL DEFAULT 0,"
    "  last_error TEXT"
    ");"
    "CREATE INDEX outbox_channel ON outbox (channel, id);"
    "INSERT INTO audit (at, adapter, channel, user, command, args, status,"
    "  event_id) VALUES (1, 'slack', 'C1', 'U1', 'sop', 'hivedown', 'ok',"
    "  'Ev1');"
    "INSERT INTO seen (key, at) VALUES ('Ev1', 1);"
    "INSERT INTO outbox (created_at, kind, channel, body)"
    "  VALUES (1, 'chat.postMessage', 'C1', '{}');"
    "PRAGMA user_version = 3;";

static void
test_migrate_from_v3(void **state)
{
	struct tmpdb	 t;
	struct store	*s;
	struct sched	 sc;
	struct seen	 sn;
	sqlite3		*db;

	assert_true(store_schema_latest() >= 4);
	tmpdb_init(&t);
	assert_int_equal(sqlite3_open(t.path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, schema_v3, NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);

	s = open_ok(t.path);
	assert_int_equal(store_schema_version(s), store_schema_latest());
	assert_int_equal(store_audit_count(s), 1);
	assert_int_equal(store_seen_has(s, "Ev1", 0), 1);
	assert_int_equal(store_outbox_count(s), 1);
	init(&sc, &sn);
	add(s, T0_MS, "a", "k");
	assert_int_equal(sched_fire_due(&sc, s, T0_MS), 1);
	assert_int_equal(store_outbox_count(s), 2);
	store_close(s);
	tmpdb_release(&t);
}

static int
dummy_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	return (0);
}

static const struct lws_protocols dummy_protocols[] = {
	{ "dummy", dummy_cb, 0, 0, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

/*
 * Turns the loop until the handlers saw want timers, at most 5 turns.
 * lws runs the ripe timers before it polls, then polls until the next
 * timer or 30 s; lws_cancel_service makes that poll return at once.
 */
static void
service_until(struct lws_context *ctx, const struct seen *sn, size_t want)
{
	int	 i;

	for (i = 0; i < 5 && sn->n < want; i++) {
		lws_cancel_service(ctx);
		assert_true(lws_service(ctx, 0) >= 0);
	}
	assert_int_equal(sn->n, want);
}

/*
 * The lws glue with a real loop: a timer overdue at start fires at the
 * first turn, late; a timer an hour away arms the one sul for an hour
 * (not a poll). In a test-clock build, moving the clock an hour and
 * kicking fires it at the next turn, with no wait.
 */
static void
test_loop_glue(void **state)
{
	struct lws_context_creation_info info;
	struct lws_context	*ctx;
	struct store		*s = open_ok(":memory:");
	struct sched		 sc;
	struct seen		 sn;
	int64_t			 now = clock_wall_ms(), b;
	lws_usec_t		 wait_us;

	lws_set_log_level(LLL_ERR, NULL);
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = dummy_protocols;
	assert_non_null(ctx = lws_create_context(&info));

	init(&sc, &sn);
	sched_kick(&sc);	/* before start: a no-op */
	store_timer_add(s, now, now - 10 * MIN_MS, "remind", "overdue", NULL);
	sched_start(&sc, ctx, s);
	service_until(ctx, &sn, 1);
	assert_int_equal(sn.late[0], 1);

	b = store_timer_add(s, now, now + 60 * MIN_MS, "remind", "later",
	    NULL);
	sched_kick(&sc);
	wait_us = sc.sul.us - lws_now_usecs();
	assert_true(wait_us > (lws_usec_t)59 * 60 * LWS_US_PER_SEC);
	assert_true(wait_us <= (lws_usec_t)60 * 60 * LWS_US_PER_SEC);
#ifdef OPSBOT_TEST_CLOCK
	assert_int_equal(clock_test_advance(60 * MIN_MS), 0);
	sched_kick(&sc);
	service_until(ctx, &sn, 2);
	assert_true(sn.id[1] == b && sn.late[1] == 0);
#else
	(void)b;
#endif
	sched_stop(&sc);
	lws_context_destroy(ctx);
	store_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_reschedule),
		cmocka_unit_test(test_late),
		cmocka_unit_test(test_idempotency_key),
		cmocka_unit_test(test_at_most_once),
		cmocka_unit_test(test_handler_fails),
		cmocka_unit_test(test_unknown_kind),
		cmocka_unit_test(test_crash_and_restart),
		cmocka_unit_test(test_migrate_from_v3),
		/* Last: it may move this program's clock. */
		cmocka_unit_test(test_loop_glue),
	};

	log_init(LOG_LVL_WARN, stderr);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
