/*
 * store-report.c: what `summary` and `opsbot report` count (bot/report.h).
 * Reads pages, page_steps and tickets, and the handoffs and duty_checks
 * tables (migrations 16 and 17, whose writes belong to the handoff and
 * duties code: the two *_add functions here are for tests and the bench).
 * Aggregates are done by SQL where a count is all that is needed; the
 * rows themselves where report.c needs each instant (ack times, the
 * local hour a page opened, a ticket's SLA).
 */
#include <stdlib.h>
#include <string.h>

#include "bot/bot.h"
#include "store/store-private.h"

/* ?1 the rotation or NULL for all; [?2, ?3) the period. */
static const char sql_pages[] =
    "SELECT rotation, COALESCE(oncall, ''), opened_ms, acked_ms FROM pages"
    " WHERE opened_ms >= ?2 AND opened_ms < ?3"
    " AND (?1 IS NULL OR rotation = ?1) ORDER BY opened_ms, id";
static const char sql_steps[] =
    "SELECT p.rotation, COALESCE(p.oncall, ''), COUNT(*), 0, 0"
    " FROM page_steps st JOIN pages p ON p.id = st.page"
    " WHERE st.fired_ms >= ?2 AND st.fired_ms < ?3 AND st.fired_ms <> 0"
    " AND st.skipped = 0 AND (?1 IS NULL OR p.rotation = ?1)"
    " GROUP BY 1, 2 ORDER BY 1, 2";
static const char sql_handoffs[] =
    "SELECT rotation, from_user, COUNT(*), SUM(acked_ms <> 0), SUM(late)"
    " FROM handoffs WHERE created_ms >= ?2 AND created_ms < ?3"
    " AND (?1 IS NULL OR rotation = ?1) GROUP BY 1, 2 ORDER BY 1, 2";
static const char sql_duties[] =
    "SELECT rotation, COALESCE(user, ''), SUM(state = 'done'),"
    " SUM(state = 'missed'), SUM(state = 'pending')"
    " FROM duty_checks WHERE due_ms >= ?2 AND due_ms < ?3"
    " AND (?1 IS NULL OR rotation = ?1) GROUP BY 1, 2 ORDER BY 1, 2";
static const char sql_tickets[] =
    "SELECT channel, responder, due_ms, COALESCE(first_response_ms, -1)"
    " FROM tickets WHERE opened_ms >= ?1 AND opened_ms < ?2 ORDER BY id";
static const char sql_handoff_add[] =
    "INSERT INTO handoffs (rotation, from_user, to_user, shift_start_ms,"
    " shift_end_ms, created_ms, late, acked_ms, acked_by, record)"
    " VALUES (?1, ?2, ?3, ?4, ?4, ?4, ?5, ?6,"
    " CASE WHEN ?6 <> 0 THEN ?3 END, '{}')";
static const char sql_duty_add[] =
    "INSERT INTO duty_checks (rotation, duty, due_ms, user, state, done_ms,"
    " done_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
    " CASE WHEN ?5 = 'done' THEN ?4 END)";

/* Binds the rotation (or NULL) and the period as ?1, ?2, ?3. */
static int
report_bind(sqlite3_stmt *st, const char *rotation, int64_t from_ms,
    int64_t to_ms)
{
	if (store_bind_text(st, 1, rotation) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, from_ms) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 3, to_ms) != SQLITE_OK)
		return (-1);
	return (0);
}

int
store_report_pages(struct store *s, const char *rotation, int64_t from_ms,
    int64_t to_ms, struct store_report_page **v, size_t *n)
{
	sqlite3_stmt			*st;
	struct store_report_page	 p;
	size_t				 n0 = *n, i;
	int				 rc;

	if ((st = store_prep(s, sql_pages)) == NULL)
		return (-1);
	if (report_bind(st, rotation, from_ms, to_ms) != 0)
		return (store_fail(s, st, "store_report_pages"));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		p.rotation = store_column_strdup(st, 0);
		p.oncall = store_column_strdup(st, 1);
		p.opened_ms = sqlite3_column_int64(st, 2);
		p.acked_ms = sqlite3_column_int64(st, 3);
		*v = xreallocarray(*v, *n + 1, sizeof **v);
		(*v)[(*n)++] = p;
	}
	if (rc != SQLITE_DONE) {
		for (i = n0; i < *n; i++)
			store_report_page_release(&(*v)[i]);
		*n = n0;
		return (store_fail(s, st, "store_report_pages"));
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return ((int)(*n - n0));
}

void
store_report_page_release(struct store_report_page *p)
{
	free(p->rotation);
	free(p->oncall);
	memset(p, 0, sizeof *p);
}

/* Runs one of the count queries (rotation, user, a, b, c). */
static int
report_counts(struct store *s, const char *sql, const char *what,
    const char *rotation, int64_t from_ms, int64_t to_ms,
    struct store_report_count **v, size_t *n)
{
	sqlite3_stmt			*st;
	struct store_report_count	 c;
	size_t				 n0 = *n, i;
	int				 rc;

	if ((st = store_prep(s, sql)) == NULL)
		return (-1);
	if (report_bind(st, rotation, from_ms, to_ms) != 0)
		return (store_fail(s, st, what));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		c.rotation = store_column_strdup(st, 0);
		c.user = store_column_strdup(st, 1);
		c.a = sqlite3_column_int64(st, 2);
		c.b = sqlite3_column_int64(st, 3);
		c.c = sqlite3_column_int64(st, 4);
		*v = xreallocarray(*v, *n + 1, sizeof **v);
		(*v)[(*n)++] = c;
	}
	if (rc != SQLITE_DONE) {
		for (i = n0; i < *n; i++)
			store_report_count_release(&(*v)[i]);
		*n = n0;
		return (store_fail(s, st, what));
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return ((int)(*n - n0));
}

int
store_report_steps(struct store *s, const char *rotation, int64_t from_ms,
    int64_t to_ms, struct store_report_count **v, size_t *n)
{
	return (report_counts(s, sql_steps, "store_report_steps", rotation,
	    from_ms, to_ms, v, n));
}

int
store_report_handoffs(struct store *s, const char *rotation,
    int64_t from_ms, int64_t to_ms, struct store_report_count **v,
    size_t *n)
{
	return (report_counts(s, sql_handoffs, "store_report_handoffs",
	    rotation, from_ms, to_ms, v, n));
}

int
store_report_duties(struct store *s, const char *rotation, int64_t from_ms,
    int64_t to_ms, struct store_report_count **v, size_t *n)
{
	return (report_counts(s, sql_duties, "store_report_duties", rotation,
	    from_ms, to_ms, v, n));
}

void
store_report_count_release(struct store_report_count *c)
{
	free(c->rotation);
	free(c->user);
	memset(c, 0, sizeof *c);
}

int
store_report_tickets(struct store *s, int64_t from_ms, int64_t to_ms,
    struct store_report_ticket **v, size_t *n)
{
	sqlite3_stmt			*st;
	struct store_report_ticket	 t;
	size_t				 n0 = *n, i;
	int				 rc;

	if ((st = store_prep(s, sql_tickets)) == NULL)
		return (-1);
	if (sqlite3_bind_int64(st, 1, from_ms) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, to_ms) != SQLITE_OK)
		return (store_fail(s, st, "store_report_tickets"));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		t.channel = store_column_strdup(st, 0);
		t.responder = store_column_strdup(st, 1);
		t.due_ms = sqlite3_column_int64(st, 2);
		t.first_response_ms = sqlite3_column_int64(st, 3);
		*v = xreallocarray(*v, *n + 1, sizeof **v);
		(*v)[(*n)++] = t;
	}
	if (rc != SQLITE_DONE) {
		for (i = n0; i < *n; i++)
			store_report_ticket_release(&(*v)[i]);
		*n = n0;
		return (store_fail(s, st, "store_report_tickets"));
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return ((int)(*n - n0));
}

void
store_report_ticket_release(struct store_report_ticket *t)
{
	free(t->channel);
	free(t->responder);
	memset(t, 0, sizeof *t);
}

int64_t
store_report_handoff_add(struct store *s, const char *rotation,
    const char *from_user, const char *to_user, int64_t created_ms,
    int late, int64_t acked_ms)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql_handoff_add)) == NULL)
		return (-1);
	if (store_bind_text(st, 1, rotation) != SQLITE_OK ||
	    store_bind_text(st, 2, from_user) != SQLITE_OK ||
	    store_bind_text(st, 3, to_user) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 4, created_ms) != SQLITE_OK ||
	    sqlite3_bind_int(st, 5, late != 0) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 6, acked_ms) != SQLITE_OK)
		return (store_fail(s, st, "store_report_handoff_add"));
	if (store_step_done(s, st, "store_report_handoff_add") != 0)
		return (-1);
	return (sqlite3_last_insert_rowid(s->db));
}

int64_t
store_report_duty_add(struct store *s, const char *rotation,
    const char *duty, int64_t due_ms, const char *user, const char *state,
    int64_t done_ms)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql_duty_add)) == NULL)
		return (-1);
	if (store_bind_text(st, 1, rotation) != SQLITE_OK ||
	    store_bind_text(st, 2, duty) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 3, due_ms) != SQLITE_OK ||
	    store_bind_text(st, 4, user) != SQLITE_OK ||
	    store_bind_text(st, 5, state) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 6, done_ms) != SQLITE_OK)
		return (store_fail(s, st, "store_report_duty_add"));
	if (store_step_done(s, st, "store_report_duty_add") != 0)
		return (-1);
	return (sqlite3_last_insert_rowid(s->db));
}
