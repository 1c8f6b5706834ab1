/*
 * store-timer.c: durable timers. A timer is a row; firing it is an
 * UPDATE in the same transaction as what its handler writes, so it
 * fires at most once (docs/internals/timers.md). The store never reads
 * the clock: now_ms comes from the caller.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "bot/bot.h"
#include "store/store-private.h"

/* The columns timer_from_row reads, in its order. */
#define TIMER_COLUMNS \
    "id, due_ms, kind, ref, idem_key, state, fired_at_ms, late, created_ms"

/*
 * ON CONFLICT names idem_key only: any other constraint failing is
 * still an error, not a silent no-op.
 */
static const char sql_add[] =
    "INSERT INTO timers (due_ms, kind, ref, idem_key, created_ms)"
    " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (idem_key) DO NOTHING";
static const char sql_by_key[] = "SELECT id FROM timers WHERE idem_key = ?1";
static const char sql_get[] =
    "SELECT " TIMER_COLUMNS " FROM timers WHERE id = ?1";
static const char sql_cancel[] =
    "UPDATE timers SET state = 'cancelled'"
    " WHERE id = ?1 AND state = 'pending'";
static const char sql_reschedule[] =
    "UPDATE timers SET due_ms = ?2 WHERE id = ?1 AND state = 'pending'";
static const char sql_next_due[] =
    "SELECT min(due_ms) FROM timers WHERE state = 'pending'";
static const char sql_due[] =
    "SELECT " TIMER_COLUMNS " FROM timers"
    " WHERE state = 'pending' AND due_ms <= ?1 ORDER BY due_ms, id LIMIT ?2";
static const char sql_fire[] =
    "UPDATE timers SET state = 'fired', fired_at_ms = ?2, late = ?3"
    " WHERE id = ?1 AND state = 'pending'";

int64_t
store_timer_add(struct store *s, int64_t now_ms, int64_t due_ms,
    const char *kind, const char *ref, const char *key)
{
	sqlite3_stmt	*st;
	int64_t		 id;

	if (kind == NULL || ref == NULL) {
		snprintf(s->last_error, sizeof s->last_error,
		    "store_timer_add: no kind or ref");
		log_warnx("%s", s->last_error);
		return (-1);
	}
	if ((st = store_prep(s, sql_add)) == NULL)
		return (-1);
	if (sqlite3_bind_int64(st, 1, due_ms) != SQLITE_OK ||
	    store_bind_text(st, 2, kind) != SQLITE_OK ||
	    store_bind_text(st, 3, ref) != SQLITE_OK ||
	    store_bind_text(st, 4, key) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 5, now_ms) != SQLITE_OK)
		return (store_fail(s, st, "store_timer_add"));
	if (store_step_done(s, st, "store_timer_add") != 0)
		return (-1);
	if (sqlite3_changes(s->db) == 1)
		return (sqlite3_last_insert_rowid(s->db));

	/* The key is taken: the first timer with it is the answer. */
	if ((st = store_prep(s, sql_by_key)) == NULL)
		return (-1);
	if (store_bind_text(st, 1, key) != SQLITE_OK)
		return (store_fail(s, st, "store_timer_add"));
	if (store_step_int(s, st, "store_timer_add: by key", &id) != 0)
		return (-1);
	return (id);
}

static enum timer_state
timer_state_of(const unsigned char *v)
{
	if (v != NULL && strcmp((const char *)v, "fired") == 0)
		return (TIMER_FIRED);
	if (v != NULL && strcmp((const char *)v, "cancelled") == 0)
		return (TIMER_CANCELLED);
	return (TIMER_PENDING);
}

/* Fills t from the current row of sql_get or sql_due. */
static void
timer_from_row(sqlite3_stmt *st, struct store_timer *t)
{
	memset(t, 0, sizeof *t);
	t->id = sqlite3_column_int64(st, 0);
	t->due_ms = sqlite3_column_int64(st, 1);
	t->kind = store_column_strdup(st, 2);
	t->ref = store_column_strdup(st, 3);
	t->key = store_column_strdup(st, 4);
	t->state = timer_state_of(sqlite3_column_text(st, 5));
	t->fired_at_ms = sqlite3_column_int64(st, 6);
	t->late = sqlite3_column_int(st, 7) != 0;
	t->created_ms = sqlite3_column_int64(st, 8);
}

void
store_timer_release(struct store_timer *t)
{
	if (t == NULL)
		return;
	free(t->kind);
	free(t->ref);
	free(t->key);
	memset(t, 0, sizeof *t);
}

int
store_timer_get(struct store *s, int64_t id, struct store_timer *t)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_prep(s, sql_get)) == NULL)
		return (-1);
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK)
		return (store_fail(s, st, "store_timer_get"));
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return (0);
	}
	if (rc != SQLITE_ROW)
		return (store_fail(s, st, "store_timer_get"));
	timer_from_row(st, t);
	sqlite3_reset(st);
	return (1);
}

/* Runs an UPDATE on one pending timer: 1 if it changed a row, 0, -1. */
static int
timer_update(struct store *s, sqlite3_stmt *st, const char *what)
{
	if (store_step_done(s, st, what) != 0)
		return (-1);
	return (sqlite3_changes(s->db) > 0);
}

int
store_timer_cancel(struct store *s, int64_t id)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql_cancel)) == NULL)
		return (-1);
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK)
		return (store_fail(s, st, "store_timer_cancel"));
	return (timer_update(s, st, "store_timer_cancel"));
}

int
store_timer_reschedule(struct store *s, int64_t id, int64_t due_ms)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql_reschedule)) == NULL)
		return (-1);
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, due_ms) != SQLITE_OK)
		return (store_fail(s, st, "store_timer_reschedule"));
	return (timer_update(s, st, "store_timer_reschedule"));
}

int
store_timer_next_due(struct store *s, int64_t *due_ms)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql_next_due)) == NULL)
		return (-1);
	/* min() over no row is one NULL row. */
	if (sqlite3_step(st) != SQLITE_ROW)
		return (store_fail(s, st, "store_timer_next_due"));
	if (sqlite3_column_type(st, 0) == SQLITE_NULL) {
		sqlite3_reset(st);
		return (0);
	}
	*due_ms = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return (1);
}

/*
 * Reads up to max due timers into a new array (*out, caller releases).
 * They are read before any is fired: updating the rows of the partial
 * index a SELECT is walking is not something to rely on.
 */
static int
timer_due(struct store *s, int64_t now_ms, size_t max,
    struct store_timer **out, size_t *n)
{
	sqlite3_stmt		*st;
	struct store_timer	*t = NULL;
	size_t			 got = 0;
	int			 rc = SQLITE_DONE;

	*out = NULL;
	*n = 0;
	if ((st = store_prep(s, sql_due)) == NULL)
		return (-1);
	if (sqlite3_bind_int64(st, 1, now_ms) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, (int64_t)max) != SQLITE_OK)
		return (store_fail(s, st, "store_timer_claim: due"));
	/* Grown per row: max may be large while few timers are due. */
	while (got < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		t = xreallocarray(t, got + 1, sizeof *t);
		timer_from_row(st, &t[got++]);
	}
	if (got < max && rc != SQLITE_DONE) {
		while (got > 0)
			store_timer_release(&t[--got]);
		free(t);
		return (store_fail(s, st, "store_timer_claim: due"));
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	*out = t;
	*n = got;
	return (0);
}

/*
 * Fires t inside a savepoint: 1 fired, 0 the callback failed (undone),
 * -1 a store error (the caller rolls back everything).
 */
static int
timer_fire_one(struct store *s, struct store_timer *t, int64_t now_ms,
    int64_t late_after_ms, store_timer_cb cb, void *arg)
{
	sqlite3_stmt	*st;
	int		 changed;

	if (store_savepoint(s, "store_timer_claim: savepoint") != 0)
		return (-1);
	t->late = now_ms - t->due_ms > late_after_ms;
	if ((st = store_prep(s, sql_fire)) == NULL)
		return (-1);
	if (sqlite3_bind_int64(st, 1, t->id) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, now_ms) != SQLITE_OK ||
	    sqlite3_bind_int(st, 3, t->late) != SQLITE_OK)
		return (store_fail(s, st, "store_timer_claim: fire"));
	if ((changed = timer_update(s, st, "store_timer_claim: fire")) < 0)
		return (-1);
	if (changed) {
		t->state = TIMER_FIRED;
		t->fired_at_ms = now_ms;
		if (cb(s, t, arg) != 0) {
			log_warnx("timer %lld (%s %s): handler failed; it stays "
			    "pending", (long long)t->id, t->kind, t->ref);
			return (store_savepoint_undo(s,
			    "store_timer_claim: undo") != 0 ? -1 : 0);
		}
	}
	if (store_savepoint_release(s, "store_timer_claim: release") != 0)
		return (-1);
	return (changed);
}

int
store_timer_claim(struct store *s, int64_t now_ms, int64_t late_after_ms,
    size_t max, store_timer_cb cb, void *arg, size_t *failed)
{
	struct store_timer	*t = NULL;
	size_t			 n = 0, i, nfailed = 0;
	int			 fired = 0, rc, rv = -1;

	*failed = 0;
	if (max > INT_MAX)
		max = INT_MAX;
	if (max == 0)
		return (0);
	if (store_begin(s) != 0)
		return (-1);
	if (timer_due(s, now_ms, max, &t, &n) != 0)
		goto out;
	for (i = 0; i < n; i++) {
		if ((rc = timer_fire_one(s, &t[i], now_ms, late_after_ms, cb,
		    arg)) < 0)
			goto out;
		/* 0 with the state set: marked, then undone by cb. */
		if (rc > 0)
			fired++;
		else if (t[i].state == TIMER_FIRED)
			nfailed++;
	}
	if (store_commit(s) != 0)
		goto out;
	*failed = nfailed;
	rv = fired;
out:
	if (rv < 0)
		store_rollback(s);
	for (i = 0; i < n; i++)
		store_timer_release(&t[i]);
	free(t);
	return (rv);
}
