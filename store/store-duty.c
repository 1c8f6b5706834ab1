/*
 * store-duty.c: on-call duties' checks (migration 17, bot/duty.h). A
 * check is added when its duty falls due (the "duty-due" timer's
 * claim), pending until `checked` or the Done button marks it done, or
 * the escalation's last step marks it missed. Each moves out of
 * pending at most once: the UPDATEs say "AND state = 'pending'".
 */
#include <stdlib.h>
#include <string.h>

#include "bot/util.h"
#include "store/store-private.h"

/* The columns check_from_row reads, in its order. */
#define DUTY_COLUMNS \
    "id, rotation, duty, due_ms, user, state, done_ms, done_by, note"

static const char sql_add[] =
    "INSERT INTO duty_checks (rotation, duty, due_ms, user)"
    " VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT (rotation, duty, due_ms) DO NOTHING";
static const char sql_by_due[] =
    "SELECT id FROM duty_checks"
    " WHERE rotation = ?1 AND duty = ?2 AND due_ms = ?3";
static const char sql_get[] =
    "SELECT " DUTY_COLUMNS " FROM duty_checks WHERE id = ?1";
static const char sql_pending[] =
    "SELECT " DUTY_COLUMNS " FROM duty_checks"
    " WHERE rotation = ?1 AND state = 'pending'"
    " AND (?2 IS NULL OR duty = ?2) ORDER BY due_ms, id LIMIT 1";
static const char sql_done[] =
    "UPDATE duty_checks SET state = 'done', done_ms = ?2, done_by = ?3,"
    " note = ?4 WHERE id = ?1 AND state = 'pending'";
static const char sql_missed[] =
    "UPDATE duty_checks SET state = 'missed'"
    " WHERE id = ?1 AND state = 'pending'";
static const char sql_between[] =
    "SELECT " DUTY_COLUMNS " FROM duty_checks"
    " WHERE (?1 IS NULL OR rotation = ?1) AND due_ms >= ?2 AND due_ms < ?3"
    " ORDER BY due_ms, id";

const char *
store_duty_state_name(enum duty_state st)
{
	switch (st) {
	case DUTY_DONE:
		return ("done");
	case DUTY_MISSED:
		return ("missed");
	default:
		return ("pending");
	}
}

static enum duty_state
duty_state_of(const unsigned char *v)
{
	if (v != NULL && strcmp((const char *)v, "done") == 0)
		return (DUTY_DONE);
	if (v != NULL && strcmp((const char *)v, "missed") == 0)
		return (DUTY_MISSED);
	return (DUTY_PENDING);
}

static void
check_from_row(sqlite3_stmt *st, void *out)
{
	struct store_duty_check	*c = out;

	memset(c, 0, sizeof *c);
	c->id = sqlite3_column_int64(st, 0);
	c->rotation = store_column_strdup(st, 1);
	c->duty = store_column_strdup(st, 2);
	c->due_ms = sqlite3_column_int64(st, 3);
	c->user = store_column_strdup(st, 4);
	if (c->user == NULL)
		c->user = xstrdup("");
	c->state = duty_state_of(sqlite3_column_text(st, 5));
	c->done_ms = sqlite3_column_int64(st, 6);
	c->done_by = store_column_strdup(st, 7);
	c->note = store_column_strdup(st, 8);
}

void
store_duty_check_release(struct store_duty_check *c)
{
	if (c == NULL)
		return;
	free(c->rotation);
	free(c->duty);
	free(c->user);
	free(c->done_by);
	free(c->note);
	memset(c, 0, sizeof *c);
}

int64_t
store_duty_check_add(struct store *s, const char *rotation,
    const char *duty, int64_t due_ms, const char *user, int *added)
{
	sqlite3_stmt	*st;
	int64_t		 id;

	if ((st = store_prep(s, sql_add)) == NULL)
		return (-1);
	if (store_bind_text(st, 1, rotation) != SQLITE_OK ||
	    store_bind_text(st, 2, duty) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 3, due_ms) != SQLITE_OK ||
	    store_bind_text(st, 4, user != NULL ? user : "") != SQLITE_OK)
		return (store_fail(s, st, "store_duty_check_add"));
	if (store_step_done(s, st, "store_duty_check_add") != 0)
		return (-1);
	*added = sqlite3_changes(s->db) == 1;
	if ((st = store_prep(s, sql_by_due)) == NULL)
		return (-1);
	if (store_bind_text(st, 1, rotation) != SQLITE_OK ||
	    store_bind_text(st, 2, duty) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 3, due_ms) != SQLITE_OK)
		return (store_fail(s, st, "store_duty_check_add: id"));
	if (store_step_int(s, st, "store_duty_check_add: id", &id) != 0)
		return (-1);
	return (id);
}

int
store_duty_check_get(struct store *s, int64_t id, struct store_duty_check *c)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql_get)) == NULL)
		return (-1);
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK)
		return (store_fail(s, st, "store_duty_check_get"));
	return (store_step_one(s, st, "store_duty_check_get",
	    check_from_row, c));
}

int
store_duty_check_pending(struct store *s, const char *rotation,
    const char *duty, struct store_duty_check *c)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql_pending)) == NULL)
		return (-1);
	if (store_bind_text(st, 1, rotation) != SQLITE_OK ||
	    store_bind_text(st, 2, duty) != SQLITE_OK)
		return (store_fail(s, st, "store_duty_check_pending"));
	return (store_step_one(s, st, "store_duty_check_pending",
	    check_from_row, c));
}

int
store_duty_check_done(struct store *s, int64_t id, const char *user,
    const char *note, int64_t now_ms)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql_done)) == NULL)
		return (-1);
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, now_ms) != SQLITE_OK ||
	    store_bind_text(st, 3, user) != SQLITE_OK ||
	    store_bind_text(st, 4, note) != SQLITE_OK)
		return (store_fail(s, st, "store_duty_check_done"));
	if (store_step_done(s, st, "store_duty_check_done") != 0)
		return (-1);
	return (sqlite3_changes(s->db) == 1);
}

int
store_duty_check_missed(struct store *s, int64_t id)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql_missed)) == NULL)
		return (-1);
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK)
		return (store_fail(s, st, "store_duty_check_missed"));
	if (store_step_done(s, st, "store_duty_check_missed") != 0)
		return (-1);
	return (sqlite3_changes(s->db) == 1);
}

int
store_duty_checks_between(struct store *s, const char *rotation,
    int64_t from_ms, int64_t to_ms,
    int (*cb)(const struct store_duty_check *, void *), void *arg)
{
	struct store_duty_check	 c;
	sqlite3_stmt		*st;
	int			 rc, n = 0;

	if ((st = store_prep(s, sql_between)) == NULL)
		return (-1);
	if (store_bind_text(st, 1, rotation) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, from_ms) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 3, to_ms) != SQLITE_OK)
		return (store_fail(s, st, "store_duty_checks_between"));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		check_from_row(st, &c);
		rc = cb(&c, arg);
		store_duty_check_release(&c);
		if (rc != 0) {
			sqlite3_reset(st);
			return (-1);
		}
		n++;
	}
	if (rc != SQLITE_DONE)
		return (store_fail(s, st, "store_duty_checks_between"));
	sqlite3_reset(st);
	return (n);
}
