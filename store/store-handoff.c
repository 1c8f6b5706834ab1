/*
 * store-handoff.c: on-call handoffs (migration 16, bot/handoff.h), and
 * the reads a handoff's record is built from: what was open at the
 * handoff and what happened during the shift, in the tables of pages,
 * page steps, the audit, watch answers, ticket events and duty checks.
 * Times are wall ms UTC (the audit's `at` is seconds).
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "bot/util.h"
#include "store/store.h"
#include "store/store-private.h"

#define HANDOFF_COLS "id, rotation, from_user, to_user, shift_start_ms, " \
	"shift_end_ms, created_ms, late, acked_ms, acked_by, notes, record"

static const char sql_add[] =
    "INSERT INTO handoffs (rotation, from_user, to_user, shift_start_ms, "
    "shift_end_ms, created_ms, late, notes, record) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

static void
handoff_row(sqlite3_stmt *st, void *out)
{
	struct store_handoff	*h = out;

	memset(h, 0, sizeof *h);
	h->id = sqlite3_column_int64(st, 0);
	h->rotation = store_column_strdup(st, 1);
	h->from_user = store_column_strdup(st, 2);
	h->to_user = store_column_strdup(st, 3);
	h->shift_start_ms = sqlite3_column_int64(st, 4);
	h->shift_end_ms = sqlite3_column_int64(st, 5);
	h->created_ms = sqlite3_column_int64(st, 6);
	h->late = sqlite3_column_int(st, 7);
	h->acked_ms = sqlite3_column_int64(st, 8);
	h->acked_by = store_column_strdup(st, 9);
	h->notes = store_column_strdup(st, 10);
	h->record = store_column_strdup(st, 11);
}

/* store_handoff_release as a store_release_fn */
static void
handoff_release(void *h)
{
	store_handoff_release(h);
}

int64_t
store_handoff_add(struct store *s, const struct store_handoff *h,
    const char *adapter, const char *channel, const char *by)
{
	struct audit_rec	 a;
	sqlite3_stmt		*st;
	char			*args = NULL;
	int64_t			 id = -1;

	if (store_savepoint(s, "store_handoff_add") != 0)
		return (-1);
	if ((st = store_prep(s, sql_add)) == NULL)
		goto undo;
	if (store_bind_text(st, 1, h->rotation) != SQLITE_OK ||
	    store_bind_text(st, 2, h->from_user) != SQLITE_OK ||
	    store_bind_text(st, 3, h->to_user) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 4, h->shift_start_ms) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 5, h->shift_end_ms) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 6, h->created_ms) != SQLITE_OK ||
	    sqlite3_bind_int(st, 7, h->late != 0) != SQLITE_OK ||
	    store_bind_text(st, 8, h->notes) != SQLITE_OK ||
	    store_bind_text(st, 9, h->record) != SQLITE_OK) {
		store_fail(s, st, "store_handoff_add");
		goto undo;
	}
	if (store_step_done(s, st, "store_handoff_add") != 0)
		goto undo;
	id = sqlite3_last_insert_rowid(s->db);
	/* the audit row: who recorded it (may be on the outgoing's behalf) */
	xasprintf(&args, "%s %lld %s %s", h->rotation, (long long)id,
	    h->from_user, h->to_user);
	memset(&a, 0, sizeof a);
	a.at = h->created_ms / 1000;
	a.adapter = adapter;
	a.channel = channel;
	a.user = by;
	a.command = "handoff-record";
	a.args = args;
	a.status = "ok";
	if (store_audit_add(s, &a) != 0)
		goto undo;
	free(args);
	if (store_savepoint_release(s, "store_handoff_add") != 0)
		return (-1);
	return (id);
undo:
	free(args);
	store_savepoint_undo(s, "store_handoff_add");
	return (-1);
}

static const char sql_get[] =
    "SELECT " HANDOFF_COLS " FROM handoffs WHERE id = ?";

int
store_handoff_get(struct store *s, int64_t id, struct store_handoff *h)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql_get)) == NULL)
		return (-1);
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK)
		return (store_fail(s, st, "store_handoff_get"));
	return (store_step_one(s, st, "store_handoff_get",
	    handoff_row, h));
}

static const char sql_last[] =
    "SELECT " HANDOFF_COLS " FROM handoffs WHERE rotation = ? "
    "ORDER BY created_ms DESC, id DESC LIMIT 1";

int
store_handoff_last(struct store *s, const char *rotation,
    struct store_handoff *h)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql_last)) == NULL)
		return (-1);
	if (store_bind_text(st, 1, rotation) != SQLITE_OK)
		return (store_fail(s, st, "store_handoff_last"));
	return (store_step_one(s, st, "store_handoff_last",
	    handoff_row, h));
}

static const char sql_for_shift[] =
    "SELECT " HANDOFF_COLS " FROM handoffs WHERE rotation = ? AND "
    "shift_end_ms = ? ORDER BY id LIMIT 1";

int
store_handoff_for_shift(struct store *s, const char *rotation,
    int64_t shift_end_ms, struct store_handoff *h)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql_for_shift)) == NULL)
		return (-1);
	if (store_bind_text(st, 1, rotation) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, shift_end_ms) != SQLITE_OK)
		return (store_fail(s, st, "store_handoff_for_shift"));
	return (store_step_one(s, st, "store_handoff_for_shift",
	    handoff_row, h));
}

/* rotation NULL: every rotation's (?1 IS NULL) */
static const char sql_list[] =
    "SELECT " HANDOFF_COLS " FROM handoffs WHERE (?1 IS NULL OR "
    "rotation = ?1) AND created_ms >= ?2 ORDER BY created_ms, id LIMIT ?3";

int
store_handoff_list(struct store *s, const char *rotation, int64_t since_ms,
    size_t max, struct store_handoff **v, size_t *n)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql_list)) == NULL)
		return (-1);
	if (store_bind_text(st, 1, rotation) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, since_ms) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 3, (sqlite3_int64)max) != SQLITE_OK)
		return (store_fail(s, st, "store_handoff_list"));
	/* LIMIT ?3 bounds the rows; an error releases those read */
	return (store_step_rows(s, st, "store_handoff_list", SIZE_MAX,
	    handoff_row, handoff_release, v, sizeof **v, n));
}

static const char sql_ack[] =
    "UPDATE handoffs SET acked_ms = ?, acked_by = ? "
    "WHERE id = ? AND acked_ms = 0";
/* the reminders of handoff id: refs "handoff:<id>:..." (bot/handoff.c) */
static const char sql_ack_timers[] =
    "UPDATE timers SET state = 'cancelled' WHERE state = 'pending' AND "
    "ref LIKE 'handoff:' || ? || ':%'";

int
store_handoff_ack(struct store *s, int64_t id, const char *user,
    int64_t at_ms)
{
	sqlite3_stmt	*st;
	int		 changed;

	if (store_savepoint(s, "store_handoff_ack") != 0)
		return (-1);
	if ((st = store_prep(s, sql_ack)) == NULL)
		goto undo;
	if (sqlite3_bind_int64(st, 1, at_ms) != SQLITE_OK ||
	    store_bind_text(st, 2, user) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 3, id) != SQLITE_OK) {
		store_fail(s, st, "store_handoff_ack");
		goto undo;
	}
	if (store_step_done(s, st, "store_handoff_ack") != 0)
		goto undo;
	changed = sqlite3_changes(s->db) > 0;
	if (changed) {
		if ((st = store_prep(s, sql_ack_timers)) == NULL)
			goto undo;
		if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK) {
			store_fail(s, st, "store_handoff_ack");
			goto undo;
		}
		if (store_step_done(s, st, "store_handoff_ack") != 0)
			goto undo;
	}
	if (store_savepoint_release(s, "store_handoff_ack") != 0)
		return (-1);
	return (changed);
undo:
	store_savepoint_undo(s, "store_handoff_ack");
	return (-1);
}

void
store_handoff_release(struct store_handoff *h)
{
	if (h == NULL)
		return;
	free(h->rotation);
	free(h->from_user);
	free(h->to_user);
	free(h->acked_by);
	free(h->notes);
	free(h->record);
	memset(h, 0, sizeof *h);
}

/*
 * The reads of a record. Each row is a struct store_shift_item; the
 * columns are, in order: ref, at_ms, ms, what, who, detail.
 */
static void
shift_item_row(sqlite3_stmt *st, void *out)
{
	struct store_shift_item	*it = out;

	memset(it, 0, sizeof *it);
	it->ref = sqlite3_column_int64(st, 0);
	it->at_ms = sqlite3_column_int64(st, 1);
	it->ms = sqlite3_column_int64(st, 2);
	it->what = store_column_strdup(st, 3);
	it->who = store_column_strdup(st, 4);
	it->detail = store_column_strdup(st, 5);
}

/* store_shift_item_release as a store_release_fn */
static void
shift_item_release(void *it)
{
	store_shift_item_release(it);
}

/*
 * Binds ?1 text (may be NULL; a query without ?1 ignores it: sqlite
 * numbers parameters up to the largest ?N), ?2 and ?3 integers, then
 * reads the rows.
 */
static int
shift_query(struct store *s, const char *sql, const char *text,
    int64_t from, int64_t to, const char *what,
    struct store_shift_item **v, size_t *n)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql)) == NULL)
		return (-1);
	if (store_bind_text(st, 1, text) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, from) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 3, to) != SQLITE_OK)
		return (store_fail(s, st, what));
	return (store_step_rows(s, st, what, SIZE_MAX, shift_item_row,
	    shift_item_release, v, sizeof **v, n));
}

/* what: the state, who: the person paged, detail: summary; ms: acked */
static const char sql_open_pages[] =
    "SELECT id, opened_ms, acked_ms, state, oncall, "
    "severity || ': ' || summary FROM pages WHERE rotation = ?1 AND "
    "state != 'resolved' AND opened_ms < ?3 ORDER BY id";

int
store_handoff_open_pages(struct store *s, const char *rotation,
    int64_t at_ms, struct store_shift_item **v, size_t *n)
{
	return (shift_query(s, sql_open_pages, rotation, at_ms, at_ms,
	    "store_handoff_open_pages", v, n));
}

/* what: the state, who: acked_by, detail: severity: summary; ms: acked */
static const char sql_shift_pages[] =
    "SELECT id, opened_ms, acked_ms, state, acked_by, "
    "severity || ': ' || summary FROM pages WHERE rotation = ?1 AND "
    "opened_ms >= ?2 AND opened_ms < ?3 ORDER BY id";

int
store_handoff_shift_pages(struct store *s, const char *rotation,
    int64_t from_ms, int64_t to_ms, struct store_shift_item **v, size_t *n)
{
	return (shift_query(s, sql_shift_pages, rotation, from_ms, to_ms,
	    "store_handoff_shift_pages", v, n));
}

/* ref: the page; what: the action number; who: target; ms: late */
static const char sql_shift_steps[] =
    "SELECT st.page, st.fired_ms, st.late, CAST(st.action AS TEXT), "
    "st.target, st.arg FROM page_steps st JOIN pages p ON p.id = st.page "
    "WHERE p.rotation = ?1 AND st.skipped = 0 AND st.fired_ms >= ?2 AND "
    "st.fired_ms < ?3 AND st.fired_ms > 0 ORDER BY st.fired_ms, st.id";

int
store_handoff_shift_steps(struct store *s, const char *rotation,
    int64_t from_ms, int64_t to_ms, struct store_shift_item **v, size_t *n)
{
	return (shift_query(s, sql_shift_steps, rotation, from_ms, to_ms,
	    "store_handoff_shift_steps", v, n));
}

/*
 * The `sop` and `escalate` commands that ran (audit, every channel):
 * what: the command, who: the user, detail: its args. `at` is seconds.
 */
static const char sql_shift_commands[] =
    "SELECT id, at * 1000, 0, command, user, args FROM audit WHERE "
    "command IN ('sop', 'escalate') AND "
    "status = 'ok' AND at * 1000 >= ?2 AND at * 1000 < ?3 ORDER BY id";

int
store_handoff_shift_commands(struct store *s, int64_t from_ms,
    int64_t to_ms, struct store_shift_item **v, size_t *n)
{
	return (shift_query(s, sql_shift_commands, NULL, from_ms, to_ms,
	    "store_handoff_shift_commands", v, n));
}

/* what: the rule, who: the channel, detail: the thread */
static const char sql_shift_watch[] =
    "SELECT 0, at_ms, 0, rule, channel, thread_ts FROM watch_answers "
    "WHERE at_ms >= ?2 AND at_ms < ?3 "
    "ORDER BY at_ms";

int
store_handoff_shift_watch(struct store *s, int64_t from_ms, int64_t to_ms,
    struct store_shift_item **v, size_t *n)
{
	return (shift_query(s, sql_shift_watch, NULL, from_ms, to_ms,
	    "store_handoff_shift_watch", v, n));
}

/* ref: the ticket; what: opened, answered or breached; who: actor */
static const char sql_shift_tickets[] =
    "SELECT ticket, at_ms, 0, kind, actor, detail FROM ticket_events "
    "WHERE kind IN ('opened', 'answered', "
    "'breached') AND at_ms >= ?2 AND at_ms < ?3 ORDER BY id";

int
store_handoff_shift_tickets(struct store *s, int64_t from_ms,
    int64_t to_ms, struct store_shift_item **v, size_t *n)
{
	return (shift_query(s, sql_shift_tickets, NULL, from_ms, to_ms,
	    "store_handoff_shift_tickets", v, n));
}

/* ms: done_ms; what: the state; who: the user; detail: the duty */
static const char sql_shift_duties[] =
    "SELECT id, due_ms, done_ms, state, user, duty FROM duty_checks "
    "WHERE rotation = ?1 AND due_ms >= ?2 AND due_ms < ?3 "
    "ORDER BY due_ms, id";

int
store_handoff_shift_duties(struct store *s, const char *rotation,
    int64_t from_ms, int64_t to_ms, struct store_shift_item **v, size_t *n)
{
	return (shift_query(s, sql_shift_duties, rotation, from_ms, to_ms,
	    "store_handoff_shift_duties", v, n));
}

void
store_shift_item_release(struct store_shift_item *it)
{
	if (it == NULL)
		return;
	free(it->what);
	free(it->who);
	free(it->detail);
	memset(it, 0, sizeof *it);
}
