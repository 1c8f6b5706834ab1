/*
 * test_store_reminder.c: store-reminder.c and store-user.c on ":memory:"
 * (and a file where a trigger must make the timer fail): round trips,
 * the idempotency key, a reminder and its timer added and cancelled
 * together, firing once, lists per user, the user cache.
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

#include "bot/bot.h"
#include "store/store.h"

/* 2026-07-25T17:20:00Z, as in test_store.c; any instant would do. */
#define T0_MS	INT64_C(1785000000000)
#define MIN_MS	INT64_C(60000)

static struct store *
open_ok(const char *path)
{
	struct store	*s;
	char		*cause = NULL;

	if ((s = store_open(path, &cause)) == NULL)
		fail_msg("store_open: %s", cause);
	return (s);
}

static struct reminder_add
spec(const char *key, const char *user, int64_t due_ms)
{
	struct reminder_add	 r;

	memset(&r, 0, sizeof r);
	r.key = key;
	r.adapter = "slack";
	r.channel = "C0001";
	r.thread_ts = "1785000000.000100";
	r.user = user;
	r.text = "check #operator-vault-general again";
	r.tz = "Europe/Berlin";
	r.due_ms = due_ms;
	r.now_ms = T0_MS;
	r.timer_kind = "remind";
	return (r);
}

static int64_t
add_ok(struct store *s, const struct reminder_add *r, int want_added)
{
	int64_t	 id;
	int	 added = -1;

	id = store_reminder_add(s, r, &added);
	assert_true(id > 0);
	assert_int_equal(added, want_added);
	return (id);
}

static void
test_add_get(void **state)
{
	struct store		*s = open_ok(":memory:");
	struct reminder_add	 a = spec("remind:slack:C0001:1", "U1",
				    T0_MS + 3 * 60 * MIN_MS);
	struct store_reminder	 r;
	struct store_timer	 t;
	int64_t			 id;

	id = add_ok(s, &a, 1);
	assert_int_equal(store_reminder_get(s, id, &r), 1);
	assert_true(r.id == id);
	assert_string_equal(r.adapter, "slack");
	assert_string_equal(r.channel, "C0001");
	assert_string_equal(r.thread_ts, "1785000000.000100");
	assert_string_equal(r.user, "U1");
	assert_string_equal(r.text, "check #operator-vault-general again");
	assert_string_equal(r.tz, "Europe/Berlin");
	assert_true(r.due_ms == T0_MS + 3 * 60 * MIN_MS);
	assert_true(r.created_ms == T0_MS);
	assert_int_equal(r.state, REMINDER_PENDING);
	assert_true(r.fired_ms == 0);
	assert_int_equal(r.late, 0);

	/* its timer: kind, ref and key name it; due when it is */
	assert_int_equal(store_timer_get(s, r.timer_id, &t), 1);
	assert_string_equal(t.kind, "remind");
	assert_string_equal(t.ref, "reminder:1");
	assert_string_equal(t.key, "reminder:1");
	assert_true(t.due_ms == r.due_ms);
	assert_int_equal(t.state, TIMER_PENDING);
	store_timer_release(&t);
	store_reminder_release(&r);

	/* a top-level post has no thread */
	a = spec(NULL, "U1", T0_MS + MIN_MS);
	a.thread_ts = NULL;
	id = add_ok(s, &a, 1);
	assert_int_equal(store_reminder_get(s, id, &r), 1);
	assert_null(r.thread_ts);
	store_reminder_release(&r);

	assert_int_equal(store_reminder_get(s, 99, &r), 0);
	a.tz = NULL;
	assert_true(store_reminder_add(s, &a, &(int){ 0 }) == -1);
	store_close(s);
}

/* The same message handled twice: one reminder, one timer. */
static void
test_key(void **state)
{
	struct store		*s = open_ok(":memory:");
	struct reminder_add	 a = spec("remind:slack:C0001:1", "U1",
				    T0_MS + MIN_MS);
	struct store_timer	 t;
	int64_t			 id, due;

	id = add_ok(s, &a, 1);
	a.due_ms = T0_MS + 2 * MIN_MS;	/* whatever else it says */
	assert_true(add_ok(s, &a, 0) == id);
	assert_int_equal(store_reminder_count(s, "U1"), 1);
	assert_int_equal(store_timer_get(s, 2, &t), 0);
	assert_int_equal(store_timer_next_due(s, &due), 1);
	assert_true(due == T0_MS + MIN_MS);

	/* the key keeps answering once the reminder is no longer pending */
	assert_int_equal(store_reminder_cancel(s, id), 1);
	assert_true(add_ok(s, &a, 0) == id);

	/* no key: every add is new */
	a.key = NULL;
	assert_true(add_ok(s, &a, 1) != id);
	assert_true(add_ok(s, &a, 1) != id);
	assert_int_equal(store_reminder_count(s, "U1"), 2);
	store_close(s);
}

static void
test_by_ref(void **state)
{
	static const char *const bad[] = { "reminder:", "reminder:x",
	    "reminder:1x", "reminder:-1", "reminder:0", "reminder: 1",
	    "remind:1", "ticket:1", "", "reminder:99",
	    "reminder:99999999999999999999999" };
	struct store		*s = open_ok(":memory:");
	struct reminder_add	 a = spec(NULL, "U1", T0_MS + MIN_MS);
	struct store_reminder	 r;
	size_t			 i;

	add_ok(s, &a, 1);
	assert_int_equal(store_reminder_by_ref(s, "reminder:1", &r), 1);
	assert_true(r.id == 1);
	store_reminder_release(&r);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (store_reminder_by_ref(s, bad[i], &r) != 0)
			fail_msg("ref '%s' found a reminder", bad[i]);
	}
	assert_int_equal(store_reminder_by_ref(s, NULL, &r), 0);
	store_close(s);
}

static void
test_list_count(void **state)
{
	struct store		*s = open_ok(":memory:");
	struct reminder_add	 a;
	struct store_reminder	*v = NULL;
	size_t			 n = 0, i;
	int64_t			 late, early, mid;

	a = spec(NULL, "U1", T0_MS + 30 * MIN_MS);
	late = add_ok(s, &a, 1);
	a = spec(NULL, "U1", T0_MS + 10 * MIN_MS);
	early = add_ok(s, &a, 1);
	a = spec(NULL, "U2", T0_MS + 5 * MIN_MS);
	add_ok(s, &a, 1);
	a = spec(NULL, "U1", T0_MS + 20 * MIN_MS);
	mid = add_ok(s, &a, 1);

	assert_int_equal(store_reminder_list(s, "U1", 10, &v, &n), 3);
	assert_int_equal(n, 3);
	assert_true(v[0].id == early && v[1].id == mid && v[2].id == late);
	for (i = 0; i < n; i++)
		assert_string_equal(v[i].user, "U1");
	/* appends, up to max */
	assert_int_equal(store_reminder_list(s, "U1", 2, &v, &n), 2);
	assert_int_equal(n, 5);
	assert_true(v[3].id == early && v[4].id == mid);
	for (i = 0; i < n; i++)
		store_reminder_release(&v[i]);
	free(v);
	v = NULL;
	n = 0;

	assert_int_equal(store_reminder_count(s, "U1"), 3);
	assert_int_equal(store_reminder_count(s, "U3"), 0);
	/* only pending ones */
	assert_int_equal(store_reminder_cancel(s, mid), 1);
	assert_int_equal(store_reminder_fire(s, early, T0_MS, 0), 1);
	assert_int_equal(store_reminder_count(s, "U1"), 1);
	assert_int_equal(store_reminder_list(s, "U1", 10, &v, &n), 1);
	assert_true(v[0].id == late);
	store_reminder_release(&v[0]);
	free(v);
	v = NULL;
	n = 0;
	assert_int_equal(store_reminder_list(s, "U3", 10, &v, &n), 0);
	assert_null(v);
	store_close(s);
}

static void
test_cancel_fire(void **state)
{
	struct store		*s = open_ok(":memory:");
	struct reminder_add	 a = spec(NULL, "U1", T0_MS + MIN_MS);
	struct store_reminder	 r;
	struct store_timer	 t;
	int64_t			 id, due;

	/* cancelling cancels the timer too; only once */
	id = add_ok(s, &a, 1);
	assert_int_equal(store_reminder_cancel(s, id), 1);
	assert_int_equal(store_reminder_get(s, id, &r), 1);
	assert_int_equal(r.state, REMINDER_CANCELLED);
	assert_int_equal(store_timer_get(s, r.timer_id, &t), 1);
	assert_int_equal(t.state, TIMER_CANCELLED);
	store_timer_release(&t);
	store_reminder_release(&r);
	assert_int_equal(store_timer_next_due(s, &due), 0);
	assert_int_equal(store_reminder_cancel(s, id), 0);
	assert_int_equal(store_reminder_fire(s, id, T0_MS, 0), 0);
	assert_int_equal(store_reminder_cancel(s, 99), 0);

	/* firing: once, with its time and lateness; then too late to cancel */
	id = add_ok(s, &a, 1);
	assert_int_equal(store_reminder_fire(s, id, T0_MS + 5 * MIN_MS, 1), 1);
	assert_int_equal(store_reminder_fire(s, id, T0_MS + 6 * MIN_MS, 0), 0);
	assert_int_equal(store_reminder_cancel(s, id), 0);
	assert_int_equal(store_reminder_get(s, id, &r), 1);
	assert_int_equal(r.state, REMINDER_FIRED);
	assert_true(r.fired_ms == T0_MS + 5 * MIN_MS);
	assert_int_equal(r.late, 1);
	store_reminder_release(&r);
	store_close(s);
}

/* Inside the caller's transaction: its rollback takes both rows away. */
static void
test_in_transaction(void **state)
{
	struct store		*s = open_ok(":memory:");
	struct reminder_add	 a = spec("k1", "U1", T0_MS + MIN_MS);
	int64_t			 due, id;

	assert_int_equal(store_begin(s), 0);
	add_ok(s, &a, 1);
	assert_int_equal(store_in_transaction(s), 1);
	assert_int_equal(store_rollback(s), 0);
	assert_int_equal(store_reminder_count(s, "U1"), 0);
	assert_int_equal(store_timer_next_due(s, &due), 0);

	assert_int_equal(store_begin(s), 0);
	id = add_ok(s, &a, 1);
	assert_int_equal(store_reminder_cancel(s, id), 1);
	assert_int_equal(store_in_transaction(s), 1);
	assert_int_equal(store_commit(s), 0);
	assert_int_equal(store_reminder_count(s, "U1"), 0);
	assert_true(add_ok(s, &a, 0) == id);
	store_close(s);
}

/* A timer that cannot be added leaves no reminder behind. */
static void
test_atomic(void **state)
{
	char			 dir[64];
	char			*path;
	struct store		*s;
	struct reminder_add	 a = spec("k1", "U1", T0_MS + MIN_MS);
	struct store_user	 u;
	sqlite3			*db;
	int64_t			 due;
	int			 added = 7;

	snprintf(dir, sizeof dir, "/tmp/test_store_reminder.XX" "XX" "XX");
	assert_non_null(mkdtemp(dir));
	xasprintf(&path, "%s/bot.db", dir);
	store_close(open_ok(path));
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TRIGGER no_timers BEFORE "
	    "INSERT ON timers BEGIN SELECT RAISE(ABORT, 'no timers'); END;",
	    NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);

	s = open_ok(path);
	assert_true(store_reminder_add(s, &a, &added) == -1);
	assert_int_equal(added, 7);	/* out-parameters only on success */
	assert_non_null(strstr(store_last_error(s), "no timers"));
	assert_int_equal(store_reminder_count(s, "U1"), 0);
	assert_int_equal(store_in_transaction(s), 0);
	/* and inside a transaction, the caller's other writes stay */
	assert_int_equal(store_begin(s), 0);
	assert_int_equal(store_user_put(s, "U1", "Ann", "UTC", T0_MS), 0);
	assert_true(store_reminder_add(s, &a, &added) == -1);
	assert_int_equal(store_commit(s), 0);
	assert_int_equal(store_reminder_count(s, "U1"), 0);
	assert_int_equal(store_timer_next_due(s, &due), 0);
	assert_int_equal(store_user_get(s, "U1", &u), 1);
	store_user_release(&u);
	store_close(s);

	unlink(path);
	free(path);
	xasprintf(&path, "%s/bot.db-wal", dir);
	unlink(path);
	free(path);
	rmdir(dir);
}

static void
test_users(void **state)
{
	struct store		*s = open_ok(":memory:");
	struct store_user	 u;

	assert_int_equal(store_user_get(s, "U1", &u), 0);
	assert_int_equal(store_user_put(s, "U1", "Ann", "Europe/Berlin",
	    T0_MS), 0);
	assert_int_equal(store_user_get(s, "U1", &u), 1);
	assert_string_equal(u.id, "U1");
	assert_string_equal(u.name, "Ann");
	assert_string_equal(u.tz, "Europe/Berlin");
	assert_true(u.fetched_ms == T0_MS);
	store_user_release(&u);

	/* a later answer replaces it, unknown parts included */
	assert_int_equal(store_user_put(s, "U1", NULL, NULL, T0_MS + 1), 0);
	assert_int_equal(store_user_get(s, "U1", &u), 1);
	assert_null(u.name);
	assert_null(u.tz);
	assert_true(u.fetched_ms == T0_MS + 1);
	store_user_release(&u);
	assert_int_equal(store_user_get(s, "U2", &u), 0);
	assert_int_equal(store_user_put(s, NULL, "x", NULL, T0_MS), -1);
	store_user_release(NULL);
	store_reminder_release(NULL);
	store_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_get),
		cmocka_unit_test(test_key),
		cmocka_unit_test(test_by_ref),
		cmocka_unit_test(test_list_count),
		cmocka_unit_test(test_cancel_fire),
		cmocka_unit_test(test_in_transaction),
		cmocka_unit_test(test_atomic),
		cmocka_unit_test(test_users),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
