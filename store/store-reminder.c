/*
 * store-reminder.c: `remind`'s reminders. A reminder and its timer are
 * added together and cancelled together (one savepoint each), so that
 * neither is ever left without the other; firing is the timer's claim
 * (store-timer.c) running remind_fire, which marks the reminder here.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bot/bot.h"
#include "store/store-private.h"

/* A reminder's timer names it so: ref and key "reminder:<id>". */
#define REMINDER_REF	"reminder:"

/* The columns reminder_from_row reads, in its order. */
#define REMINDER_COLUMNS \
    "id, adapter, channel, thread_ts, user, text, tz, due_ms, timer_id," \
    " state, created_ms, fired_ms, late"

/* As timers (store-timer.c), ON CONFLICT names the key only. */
static const char sql_add[] =
    "INSERT INTO reminders (idem_key, adapter, channel, thread_ts,"
    " user, text, tz, due_ms, created_ms)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
    " ON CONFLICT (idem_key) DO NOTHING";
static const char sql_by_key[] =
    "SELECT id FROM reminders WHERE idem_key = ?1";
static const char sql_set_timer[] =
    "UPDATE reminders SET timer_id = ?2 WHERE id = ?1";
static const char sql_get[] =
    "SELECT " REMINDER_COLUMNS " FROM reminders WHERE id = ?1";
/* state = 'pending' spelt so: the partial index is then usable. */
static const char sql_list[] =
    "SELECT " REMINDER_COLUMNS " FROM reminders"
    " WHERE user = ?1 AND state = 'pending' ORDER BY due_ms, id LIMIT ?2";
static const char sql_count[] =
    "SELECT count(*) FROM reminders WHERE user = ?1 AND state = 'pending'";
static const char sql_cancel[] =
    "UPDATE reminders SET state = 'cancelled'"
    " WHERE id = ?1 AND state = 'pending'";
static const char sql_fire[] =
    "UPDATE reminders SET state = 'fired', fired_ms = ?2, late = ?3"
    " WHERE id = ?1 AND state = 'pending'";

static enum reminder_state
reminder_state_of(const unsigned char *v)
{
	if (v != NULL && strcmp((const char *)v, "fired") == 0)
		return (REMINDER_FIRED);
	if (v != NULL && strcmp((const char *)v, "cancelled") == 0)
		return (REMINDER_CANCELLED);
	return (REMINDER_PENDING);
}

/* Fills r from the current row of sql_get or sql_list. */
static void
reminder_from_row(sqlite3_stmt *st, void *out)
{
	struct store_reminder	*r = out;

	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(st, 0);
	r->adapter = store_column_strdup(st, 1);
	r->channel = store_column_strdup(st, 2);
	r->thread_ts = store_column_strdup(st, 3);
	r->user = store_column_strdup(st, 4);
	r->text = store_column_strdup(st, 5);
	r->tz = store_column_strdup(st, 6);
	r->due_ms = sqlite3_column_int64(st, 7);
	r->timer_id = sqlite3_column_int64(st, 8);
	r->state = reminder_state_of(sqlite3_column_text(st, 9));
	r->created_ms = sqlite3_column_int64(st, 10);
	r->fired_ms = sqlite3_column_int64(st, 11);
	r->late = sqlite3_column_int(st, 12) != 0;
}

void
store_reminder_release(struct store_reminder *r)
{
	if (r == NULL)
		return;
	free(r->adapter);
	free(r->channel);
	free(r->thread_ts);
	free(r->user);
	free(r->text);
	free(r->tz);
	memset(r, 0, sizeof *r);
}

/* Inserts r's row: 1 added, 0 the key was taken, -1. */
static int
reminder_insert(struct store *s, const struct reminder_add *r)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql_add)) == NULL)
		return (-1);
	if (store_bind_text(st, 1, r->key) != SQLITE_OK ||
	    store_bind_text(st, 2, r->adapter) != SQLITE_OK ||
	    store_bind_text(st, 3, r->channel) != SQLITE_OK ||
	    store_bind_text(st, 4, r->thread_ts) != SQLITE_OK ||
	    store_bind_text(st, 5, r->user) != SQLITE_OK ||
	    store_bind_text(st, 6, r->text) != SQLITE_OK ||
	    store_bind_text(st, 7, r->tz) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 8, r->due_ms) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 9, r->now_ms) != SQLITE_OK)
		return (store_fail(s, st, "store_reminder_add"));
	if (store_step_done(s, st, "store_reminder_add") != 0)
		return (-1);
	return (sqlite3_changes(s->db) == 1);
}

int64_t
store_reminder_add(struct store *s, const struct reminder_add *r,
    int *added)
{
	sqlite3_stmt	*st;
	char		*ref = NULL;
	int64_t		 id = -1, timer;
	int		 rc;

	if (r->adapter == NULL || r->channel == NULL || r->user == NULL ||
	    r->text == NULL || r->tz == NULL || r->timer_kind == NULL) {
		snprintf(s->last_error, sizeof s->last_error,
		    "store_reminder_add: a required member is NULL");
		log_warnx("%s", s->last_error);
		return (-1);
	}
	if (store_savepoint(s, "reminder: savepoint") != 0)
		return (-1);
	if ((rc = reminder_insert(s, r)) < 0)
		goto fail;
	if (rc == 0) {
		/* The key is taken: that reminder is the answer. */
		if ((st = store_prep(s, sql_by_key)) == NULL)
			goto fail;
		if (store_bind_text(st, 1, r->key) != SQLITE_OK) {
			store_fail(s, st, "store_reminder_add");
			goto fail;
		}
		if (store_step_int(s, st, "store_reminder_add: by key",
		    &id) != 0)
			goto fail;
		goto done;
	}
	id = sqlite3_last_insert_rowid(s->db);
	xasprintf(&ref, REMINDER_REF "%lld", (long long)id);
	/* The key is the reminder's own: it can never arm a second timer. */
	if ((timer = store_timer_add(s, r->now_ms, r->due_ms, r->timer_kind,
	    ref, ref)) < 0)
		goto fail;
	if ((st = store_prep(s, sql_set_timer)) == NULL)
		goto fail;
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, timer) != SQLITE_OK) {
		store_fail(s, st, "store_reminder_add: timer");
		goto fail;
	}
	if (store_step_done(s, st, "store_reminder_add: timer") != 0)
		goto fail;
done:
	if (store_savepoint_release(s, "reminder: release") != 0)
		goto fail;
	free(ref);
	*added = rc;
	return (id);

fail:
	store_savepoint_undo(s, "reminder: undo");
	free(ref);
	return (-1);
}

int
store_reminder_get(struct store *s, int64_t id, struct store_reminder *r)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql_get)) == NULL)
		return (-1);
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK)
		return (store_fail(s, st, "store_reminder_get"));
	return (store_step_one(s, st, "store_reminder_get",
	    reminder_from_row, r));
}

int
store_reminder_by_ref(struct store *s, const char *ref,
    struct store_reminder *r)
{
	const char	*digits;
	char		*end;
	long long	 id;

	if (ref == NULL || strncmp(ref, REMINDER_REF,
	    sizeof REMINDER_REF - 1) != 0)
		return (0);
	digits = ref + sizeof REMINDER_REF - 1;
	if (*digits < '0' || *digits > '9')
		return (0);
	errno = 0;
	id = strtoll(digits, &end, 10);
	if (errno != 0 || *end != '\0' || id <= 0)
		return (0);
	return (store_reminder_get(s, (int64_t)id, r));
}

int
store_reminder_list(struct store *s, const char *user, size_t max,
    struct store_reminder **v, size_t *n)
{
	sqlite3_stmt	*st;

	if (max > INT32_MAX)
		max = INT32_MAX;
	if ((st = store_prep(s, sql_list)) == NULL)
		return (-1);
	if (store_bind_text(st, 1, user) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, (int64_t)max) != SQLITE_OK)
		return (store_fail(s, st, "store_reminder_list"));
	/* What was read stays the caller's, even on an error. */
	return (store_step_rows(s, st, "store_reminder_list", max,
	    reminder_from_row, NULL, v, sizeof **v, n));
}

int64_t
store_reminder_count(struct store *s, const char *user)
{
	sqlite3_stmt	*st;
	int64_t		 count;

	if ((st = store_prep(s, sql_count)) == NULL)
		return (-1);
	if (store_bind_text(st, 1, user) != SQLITE_OK)
		return (store_fail(s, st, "store_reminder_count"));
	if (store_step_int(s, st, "store_reminder_count", &count) != 0)
		return (-1);
	return (count);
}

int
store_reminder_cancel(struct store *s, int64_t id)
{
	sqlite3_stmt		*st;
	struct store_reminder	 r;
	int			 rc, changed = 0;

	memset(&r, 0, sizeof r);
	if (store_savepoint(s, "reminder: savepoint") != 0)
		return (-1);
	if ((rc = store_reminder_get(s, id, &r)) < 0)
		goto fail;
	if (rc == 0 || r.state != REMINDER_PENDING)
		goto done;
	if ((st = store_prep(s, sql_cancel)) == NULL)
		goto fail;
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK) {
		store_fail(s, st, "store_reminder_cancel");
		goto fail;
	}
	if (store_step_done(s, st, "store_reminder_cancel") != 0)
		goto fail;
	changed = sqlite3_changes(s->db) > 0;
	/* 0 would mean the timer fired without marking us: say so. */
	if ((rc = store_timer_cancel(s, r.timer_id)) < 0)
		goto fail;
	if (rc == 0)
		log_warnx("reminder %lld: its timer %lld was not pending",
		    (long long)id, (long long)r.timer_id);
done:
	if (store_savepoint_release(s, "reminder: release") != 0)
		goto fail;
	store_reminder_release(&r);
	return (changed);

fail:
	store_savepoint_undo(s, "reminder: undo");
	store_reminder_release(&r);
	return (-1);
}

int
store_reminder_fire(struct store *s, int64_t id, int64_t fired_ms,
    int late)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql_fire)) == NULL)
		return (-1);
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, fired_ms) != SQLITE_OK ||
	    sqlite3_bind_int(st, 3, late != 0) != SQLITE_OK)
		return (store_fail(s, st, "store_reminder_fire"));
	if (store_step_done(s, st, "store_reminder_fire") != 0)
		return (-1);
	return (sqlite3_changes(s->db) > 0);
}
