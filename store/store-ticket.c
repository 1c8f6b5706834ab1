/*
 * store-ticket.c: support tickets and their events. A ticket, its two
 * timers and its events change together (one savepoint each), so no
 * ticket is ever left with a clock that does not match it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bot/bot.h"
#include "store/store-private.h"

/* A ticket's timers name it so: ref "ticket:<id>". */
#define TICKET_REF	"ticket:"

#define TICKET_COLUMNS \
    "id, adapter, channel, thread_ts, requester, priority, tier_name," \
    " opened_ms, due_ms, warn_ms, state, first_response_ms, responder," \
    " warn_timer, breach_timer, updated_ms, stale_timer, active_ms," \
    " closing_ms, closing_key, permalink"

/* tier is -1 since migration 13: the name, tier_name, is the tier. */
static const char sql_add[] =
    "INSERT INTO tickets (idem_key, adapter, channel, thread_ts,"
    " requester, priority, tier, tier_name, opened_ms, due_ms, warn_ms,"
    " updated_ms)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, -1, ?7, ?8, ?9, ?10, ?8)"
    " ON CONFLICT (idem_key) DO NOTHING";
static const char sql_by_key[] = "SELECT id FROM tickets WHERE idem_key = ?1";
static const char sql_set_timers[] =
    "UPDATE tickets SET warn_timer = ?2, breach_timer = ?3 WHERE id = ?1";
static const char sql_get[] =
    "SELECT " TICKET_COLUMNS " FROM tickets WHERE id = ?1";
static const char sql_by_thread[] =
    "SELECT " TICKET_COLUMNS " FROM tickets"
    " WHERE channel = ?1 AND thread_ts = ?2 ORDER BY id LIMIT 1";
/* state <> 'closed' spelt so: the partial index is then usable. */
static const char sql_list_open[] =
    "SELECT " TICKET_COLUMNS " FROM tickets"
    " WHERE state <> 'closed' ORDER BY due_ms, id LIMIT ?1";
static const char sql_list_breaching[] =
    "SELECT " TICKET_COLUMNS " FROM tickets"
    " WHERE state <> 'closed' AND state = 'open' AND due_ms <= ?2"
    " ORDER BY due_ms, id LIMIT ?1";
static const char sql_list_mine[] =
    "SELECT " TICKET_COLUMNS " FROM tickets"
    " WHERE state <> 'closed' AND (requester = ?2 OR responder = ?2)"
    " ORDER BY due_ms, id LIMIT ?1";
static const char sql_answer[] =
    "UPDATE tickets SET state = 'answered', first_response_ms = ?2,"
    " responder = ?3, updated_ms = ?2 WHERE id = ?1 AND state = 'open'";
static const char sql_priority[] =
    "UPDATE tickets SET priority = ?2, due_ms = ?3, warn_ms = ?4,"
    " warn_timer = ?5, breach_timer = ?6, updated_ms = ?7"
    " WHERE id = ?1 AND state <> 'closed'";
static const char sql_close[] =
    "UPDATE tickets SET state = 'closed', updated_ms = ?2"
    " WHERE id = ?1 AND state <> 'closed'";
static const char sql_reopen[] =
    "UPDATE tickets SET state = CASE WHEN first_response_ms > 0"
    " THEN 'answered' ELSE 'open' END, warn_timer = ?2,"
    " breach_timer = ?3, updated_ms = ?4, closing_ms = NULL,"
    " closing_key = NULL"
    " WHERE id = ?1 AND state = 'closed'";
static const char sql_closing[] =
    "UPDATE tickets SET closing_ms = ?2, closing_key = ?3, updated_ms = ?2"
    " WHERE id = ?1 AND state <> 'closed' AND ifnull(closing_ms, 0) = 0";
static const char sql_still_open[] =
    "UPDATE tickets SET closing_ms = NULL, closing_key = NULL,"
    " updated_ms = ?2"
    " WHERE id = ?1 AND state <> 'closed' AND closing_ms > 0";
/* The question's post by its unique key: one index probe per ticket. */
static const char sql_by_question[] =
    "SELECT " TICKET_COLUMNS " FROM tickets"
    " WHERE state <> 'closed' AND channel = ?1 AND closing_ms > 0"
    " AND EXISTS (SELECT 1 FROM posts WHERE posts.idem_key ="
    " tickets.closing_key AND posts.ts = ?2)"
    " ORDER BY id LIMIT 1";
static const char sql_stale[] =
    "UPDATE tickets SET stale_timer = ?2, active_ms = ?3 WHERE id = ?1";
static const char sql_permalink[] =
    "UPDATE tickets SET permalink = ?2 WHERE id = ?1 AND thread_ts = ?3";
static const char sql_touch[] =
    "UPDATE tickets SET updated_ms = ?2 WHERE id = ?1";
static const char sql_event[] =
    "INSERT INTO ticket_events (ticket, at_ms, kind, actor, detail)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";
static const char sql_events[] =
    "SELECT at_ms, kind, actor, detail FROM ticket_events"
    " WHERE ticket = ?1 ORDER BY id LIMIT ?2";

static enum ticket_state
ticket_state_of(const unsigned char *v)
{
	if (v != NULL && strcmp((const char *)v, "answered") == 0)
		return (TICKET_ANSWERED);
	if (v != NULL && strcmp((const char *)v, "closed") == 0)
		return (TICKET_CLOSED);
	return (TICKET_OPEN);
}

static void
ticket_from_row(sqlite3_stmt *st, void *out)
{
	struct store_ticket	*t = out;

	memset(t, 0, sizeof *t);
	t->id = sqlite3_column_int64(st, 0);
	t->adapter = store_column_strdup(st, 1);
	t->channel = store_column_strdup(st, 2);
	t->thread_ts = store_column_strdup(st, 3);
	t->requester = store_column_strdup(st, 4);
	t->priority = sqlite3_column_int(st, 5);
	t->tier_name = store_column_strdup(st, 6);
	t->opened_ms = sqlite3_column_int64(st, 7);
	t->due_ms = sqlite3_column_int64(st, 8);
	t->warn_ms = sqlite3_column_int64(st, 9);
	t->state = ticket_state_of(sqlite3_column_text(st, 10));
	t->first_response_ms = sqlite3_column_int64(st, 11);
	t->responder = store_column_strdup(st, 12);
	t->warn_timer = sqlite3_column_int64(st, 13);
	t->breach_timer = sqlite3_column_int64(st, 14);
	t->updated_ms = sqlite3_column_int64(st, 15);
	t->stale_timer = sqlite3_column_int64(st, 16);
	t->active_ms = sqlite3_column_int64(st, 17);
	t->closing_ms = sqlite3_column_int64(st, 18);
	t->closing_key = store_column_strdup(st, 19);
	t->permalink = store_column_strdup(st, 20);
}

/* sql_events' columns: at_ms, kind, actor, detail. */
static void
event_from_row(sqlite3_stmt *st, void *out)
{
	struct store_ticket_event	*e = out;

	memset(e, 0, sizeof *e);
	e->at_ms = sqlite3_column_int64(st, 0);
	e->kind = store_column_strdup(st, 1);
	e->actor = store_column_strdup(st, 2);
	e->detail = store_column_strdup(st, 3);
}

void
store_ticket_release(struct store_ticket *t)
{
	if (t == NULL)
		return;
	free(t->adapter);
	free(t->channel);
	free(t->thread_ts);
	free(t->requester);
	free(t->responder);
	free(t->closing_key);
	free(t->tier_name);
	free(t->permalink);
	memset(t, 0, sizeof *t);
}

void
store_ticket_event_release(struct store_ticket_event *e)
{
	if (e == NULL)
		return;
	free(e->kind);
	free(e->actor);
	free(e->detail);
	memset(e, 0, sizeof *e);
}

int
store_ticket_event_add(struct store *s, int64_t id, int64_t at_ms,
    const char *kind, const char *actor, const char *detail)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql_event)) == NULL)
		return (-1);
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, at_ms) != SQLITE_OK ||
	    store_bind_text(st, 3, kind) != SQLITE_OK ||
	    store_bind_text(st, 4, actor) != SQLITE_OK ||
	    store_bind_text(st, 5, detail) != SQLITE_OK)
		return (store_fail(s, st, "store_ticket_event_add"));
	if (store_step_done(s, st, "store_ticket_event_add") != 0)
		return (-1);
	if ((st = store_prep(s, sql_touch)) == NULL)
		return (-1);
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, at_ms) != SQLITE_OK)
		return (store_fail(s, st, "store_ticket_event_add: touch"));
	return (store_step_done(s, st, "store_ticket_event_add: touch"));
}

/* A ticket's first timers: ref "ticket:<id>", key "<kind>:<id>". */
static int64_t
ticket_timer_add(struct store *s, int64_t id, int64_t now_ms,
    int64_t due_ms, const char *kind)
{
	char	*ref, *key;
	int64_t	 timer;

	xasprintf(&ref, TICKET_REF "%lld", (long long)id);
	xasprintf(&key, "%s:%lld", kind, (long long)id);
	timer = store_timer_add(s, now_ms, due_ms, kind, ref, key);
	free(key);
	free(ref);
	return (timer);
}

/* 1 added, 0 the key was taken (*id set), -1. */
static int
ticket_insert(struct store *s, const struct ticket_add *a, int64_t *id)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql_add)) == NULL)
		return (-1);
	if (store_bind_text(st, 1, a->key) != SQLITE_OK ||
	    store_bind_text(st, 2, a->adapter) != SQLITE_OK ||
	    store_bind_text(st, 3, a->channel) != SQLITE_OK ||
	    store_bind_text(st, 4, a->thread_ts) != SQLITE_OK ||
	    store_bind_text(st, 5, a->requester) != SQLITE_OK ||
	    sqlite3_bind_int(st, 6, a->priority) != SQLITE_OK ||
	    store_bind_text(st, 7, a->tier_name) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 8, a->now_ms) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 9, a->due_ms) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 10, a->warn_ms) != SQLITE_OK)
		return (store_fail(s, st, "store_ticket_add"));
	if (store_step_done(s, st, "store_ticket_add") != 0)
		return (-1);
	if (sqlite3_changes(s->db) == 1) {
		*id = sqlite3_last_insert_rowid(s->db);
		return (1);
	}
	if ((st = store_prep(s, sql_by_key)) == NULL)
		return (-1);
	if (store_bind_text(st, 1, a->key) != SQLITE_OK)
		return (store_fail(s, st, "store_ticket_add: by key"));
	if (store_step_int(s, st, "store_ticket_add: by key", id) != 0)
		return (-1);
	return (0);
}

static int
ticket_set_timers(struct store *s, int64_t id, int64_t warn, int64_t breach)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql_set_timers)) == NULL)
		return (-1);
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, warn) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 3, breach) != SQLITE_OK)
		return (store_fail(s, st, "store_ticket_add: timers"));
	return (store_step_done(s, st, "store_ticket_add: timers"));
}

int64_t
store_ticket_add(struct store *s, const struct ticket_add *a, int *added)
{
	int64_t	 id = 0, warn, breach;
	int	 rc;

	if (store_savepoint(s, "ticket: savepoint") != 0)
		return (-1);
	if ((rc = ticket_insert(s, a, &id)) < 0)
		goto fail;
	if (rc == 1) {
		if ((warn = ticket_timer_add(s, id, a->now_ms, a->warn_ms,
		    a->warn_kind)) < 0 ||
		    (breach = ticket_timer_add(s, id, a->now_ms, a->due_ms,
		    a->breach_kind)) < 0 ||
		    ticket_set_timers(s, id, warn, breach) != 0 ||
		    store_ticket_event_add(s, id, a->now_ms, "opened",
		    a->requester, a->detail) != 0)
			goto fail;
	}
	if (store_savepoint_release(s, "ticket: release") != 0)
		goto fail;
	*added = rc;
	return (id);

fail:
	store_savepoint_undo(s, "ticket: undo");
	return (-1);
}

int
store_ticket_get(struct store *s, int64_t id, struct store_ticket *t)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql_get)) == NULL)
		return (-1);
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK)
		return (store_fail(s, st, "store_ticket_get"));
	return (store_step_one(s, st, "store_ticket_get", ticket_from_row,
	    t));
}

int
store_ticket_by_ref(struct store *s, const char *ref, struct store_ticket *t)
{
	const char	*digits;
	char		*end;
	long long	 id;

	if (ref == NULL || strncmp(ref, TICKET_REF,
	    sizeof TICKET_REF - 1) != 0)
		return (0);
	digits = ref + sizeof TICKET_REF - 1;
	if (*digits < '0' || *digits > '9')
		return (0);
	errno = 0;
	id = strtoll(digits, &end, 10);
	if (errno != 0 || *end != '\0' || id <= 0)
		return (0);
	return (store_ticket_get(s, (int64_t)id, t));
}

int
store_ticket_by_thread(struct store *s, const char *channel,
    const char *thread_ts, struct store_ticket *t)
{
	sqlite3_stmt	*st;

	if (channel == NULL || thread_ts == NULL)
		return (0);
	if ((st = store_prep(s, sql_by_thread)) == NULL)
		return (-1);
	if (store_bind_text(st, 1, channel) != SQLITE_OK ||
	    store_bind_text(st, 2, thread_ts) != SQLITE_OK)
		return (store_fail(s, st, "store_ticket_by_thread"));
	return (store_step_one(s, st, "store_ticket_by_thread",
	    ticket_from_row, t));
}

int
store_ticket_by_question(struct store *s, const char *channel,
    const char *ts, struct store_ticket *t)
{
	sqlite3_stmt	*st;

	if (channel == NULL || ts == NULL)
		return (0);
	if ((st = store_prep(s, sql_by_question)) == NULL)
		return (-1);
	if (store_bind_text(st, 1, channel) != SQLITE_OK ||
	    store_bind_text(st, 2, ts) != SQLITE_OK)
		return (store_fail(s, st, "store_ticket_by_question"));
	return (store_step_one(s, st, "store_ticket_by_question",
	    ticket_from_row, t));
}

/*
 * Runs a change st (bound) to ticket id and, if it changed the ticket,
 * adds event kind; all or nothing (a savepoint). Returns 1 changed, 0
 * not, -1 (logged as `what`).
 */
static int
ticket_change(struct store *s, sqlite3_stmt *st, int64_t id, int64_t at_ms,
    const char *kind, const char *actor, const char *detail,
    const char *what)
{
	int	 changed;

	if (store_savepoint(s, "ticket: savepoint") != 0) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		return (-1);
	}
	if (store_step_done(s, st, what) != 0)
		goto fail;
	changed = sqlite3_changes(s->db) > 0;
	if (changed && store_ticket_event_add(s, id, at_ms, kind, actor,
	    detail) != 0)
		goto fail;
	if (store_savepoint_release(s, "ticket: release") != 0)
		goto fail;
	return (changed);
fail:
	store_savepoint_undo(s, "ticket: undo");
	return (-1);
}

/*
 * Runs sql (sql_closing or sql_still_open: ?1 id, ?2 at_ms, ?3 key if
 * any) and, if it changed the ticket, adds event kind; all or nothing.
 */
static int
ticket_closing_step(struct store *s, const char *sql, int64_t id,
    const char *key, const char *kind, const char *actor,
    const char *detail, int64_t at_ms, const char *what)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql)) == NULL)
		return (-1);
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, at_ms) != SQLITE_OK ||
	    (key != NULL && store_bind_text(st, 3, key) != SQLITE_OK))
		return (store_fail(s, st, what));
	return (ticket_change(s, st, id, at_ms, kind, actor, detail, what));
}

int
store_ticket_closing(struct store *s, int64_t id, const char *question_key,
    const char *actor, int64_t at_ms)
{
	return (ticket_closing_step(s, sql_closing, id, question_key,
	    "closing", actor, NULL, at_ms, "store_ticket_closing"));
}

int
store_ticket_still_open(struct store *s, int64_t id, const char *actor,
    const char *detail, int64_t at_ms)
{
	return (ticket_closing_step(s, sql_still_open, id, NULL,
	    "still open", actor, detail, at_ms, "store_ticket_still_open"));
}

int
store_ticket_list(struct store *s, enum ticket_filter filter,
    const char *user, int64_t now_ms, size_t max, struct store_ticket **v,
    size_t *n)
{
	sqlite3_stmt	*st;
	const char	*sql;
	int		 brc = SQLITE_OK;

	if (max > INT32_MAX)
		max = INT32_MAX;
	if (filter == TICKET_LIST_BREACHING)
		sql = sql_list_breaching;
	else if (filter == TICKET_LIST_MINE)
		sql = sql_list_mine;
	else
		sql = sql_list_open;
	if ((st = store_prep(s, sql)) == NULL)
		return (-1);
	if (sqlite3_bind_int64(st, 1, (int64_t)max) != SQLITE_OK)
		return (store_fail(s, st, "store_ticket_list"));
	if (filter == TICKET_LIST_BREACHING)
		brc = sqlite3_bind_int64(st, 2, now_ms);
	else if (filter == TICKET_LIST_MINE)
		brc = store_bind_text(st, 2, user);
	if (brc != SQLITE_OK)
		return (store_fail(s, st, "store_ticket_list"));
	return (store_step_rows(s, st, "store_ticket_list", max,
	    ticket_from_row, NULL, v, sizeof **v, n));
}

/* Cancels timer id if pending (0 is no timer). */
static int
ticket_timer_cancel(struct store *s, int64_t id)
{
	if (id <= 0)
		return (0);
	return (store_timer_cancel(s, id) < 0 ? -1 : 0);
}

int
store_ticket_answer(struct store *s, int64_t id, const char *responder,
    int64_t at_ms)
{
	struct store_ticket	 t;
	sqlite3_stmt		*st;
	int			 rc, changed = 0;

	memset(&t, 0, sizeof t);
	if (store_savepoint(s, "ticket: savepoint") != 0)
		return (-1);
	if ((rc = store_ticket_get(s, id, &t)) < 0)
		goto fail;
	if (rc == 0 || t.state != TICKET_OPEN)
		goto done;
	if ((st = store_prep(s, sql_answer)) == NULL)
		goto fail;
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, at_ms) != SQLITE_OK ||
	    store_bind_text(st, 3, responder) != SQLITE_OK) {
		store_fail(s, st, "store_ticket_answer");
		goto fail;
	}
	if (store_step_done(s, st, "store_ticket_answer") != 0)
		goto fail;
	changed = sqlite3_changes(s->db) > 0;
	if (ticket_timer_cancel(s, t.warn_timer) != 0 ||
	    ticket_timer_cancel(s, t.breach_timer) != 0 ||
	    store_ticket_event_add(s, id, at_ms, "answered", responder,
	    NULL) != 0)
		goto fail;
done:
	if (store_savepoint_release(s, "ticket: release") != 0)
		goto fail;
	store_ticket_release(&t);
	return (changed);

fail:
	store_savepoint_undo(s, "ticket: undo");
	store_ticket_release(&t);
	return (-1);
}

int
store_ticket_set_priority(struct store *s, int64_t id, int priority,
    int64_t due_ms, int64_t warn_ms, int64_t warn_timer,
    int64_t breach_timer, const char *kind, const char *actor,
    const char *detail, int64_t at_ms)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql_priority)) == NULL)
		return (-1);
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
	    sqlite3_bind_int(st, 2, priority) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 3, due_ms) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 4, warn_ms) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 5, warn_timer) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 6, breach_timer) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 7, at_ms) != SQLITE_OK)
		return (store_fail(s, st, "store_ticket_set_priority"));
	return (ticket_change(s, st, id, at_ms, kind, actor, detail,
	    "store_ticket_set_priority"));
}

int
store_ticket_close(struct store *s, int64_t id, const char *actor,
    int64_t at_ms)
{
	struct store_ticket	 t;
	sqlite3_stmt		*st;
	int			 rc, changed = 0;

	memset(&t, 0, sizeof t);
	if (store_savepoint(s, "ticket: savepoint") != 0)
		return (-1);
	if ((rc = store_ticket_get(s, id, &t)) < 0)
		goto fail;
	if (rc == 0 || t.state == TICKET_CLOSED)
		goto done;
	if ((st = store_prep(s, sql_close)) == NULL)
		goto fail;
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, at_ms) != SQLITE_OK) {
		store_fail(s, st, "store_ticket_close");
		goto fail;
	}
	if (store_step_done(s, st, "store_ticket_close") != 0)
		goto fail;
	changed = sqlite3_changes(s->db) > 0;
	if (ticket_timer_cancel(s, t.warn_timer) != 0 ||
	    ticket_timer_cancel(s, t.breach_timer) != 0 ||
	    ticket_timer_cancel(s, t.stale_timer) != 0 ||
	    store_ticket_event_add(s, id, at_ms, "closed", actor, NULL) != 0)
		goto fail;
done:
	if (store_savepoint_release(s, "ticket: release") != 0)
		goto fail;
	store_ticket_release(&t);
	return (changed);

fail:
	store_savepoint_undo(s, "ticket: undo");
	store_ticket_release(&t);
	return (-1);
}

int
store_ticket_set_stale(struct store *s, int64_t id, int64_t stale_timer,
    int64_t active_ms)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql_stale)) == NULL)
		return (-1);
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, stale_timer) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 3, active_ms) != SQLITE_OK)
		return (store_fail(s, st, "store_ticket_set_stale"));
	return (store_step_done(s, st, "store_ticket_set_stale"));
}

int
store_ticket_set_permalink(struct store *s, int64_t id, const char *thread_ts,
    const char *permalink)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql_permalink)) == NULL)
		return (-1);
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
	    store_bind_text(st, 2, permalink) != SQLITE_OK ||
	    store_bind_text(st, 3, thread_ts) != SQLITE_OK)
		return (store_fail(s, st, "store_ticket_set_permalink"));
	if (store_step_done(s, st, "store_ticket_set_permalink") != 0)
		return (-1);
	return (sqlite3_changes(s->db) == 1 ? 1 : 0);
}

int
store_ticket_reopen(struct store *s, int64_t id, int64_t warn_timer,
    int64_t breach_timer, const char *actor, const char *detail,
    int64_t at_ms)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql_reopen)) == NULL)
		return (-1);
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, warn_timer) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 3, breach_timer) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 4, at_ms) != SQLITE_OK)
		return (store_fail(s, st, "store_ticket_reopen"));
	return (ticket_change(s, st, id, at_ms, "reopened", actor, detail,
	    "store_ticket_reopen"));
}

int
store_ticket_events(struct store *s, int64_t id, size_t max,
    struct store_ticket_event **v, size_t *n)
{
	sqlite3_stmt	*st;

	if (max > INT32_MAX)
		max = INT32_MAX;
	if ((st = store_prep(s, sql_events)) == NULL)
		return (-1);
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, (int64_t)max) != SQLITE_OK)
		return (store_fail(s, st, "store_ticket_events"));
	return (store_step_rows(s, st, "store_ticket_events", max,
	    event_from_row, NULL, v, sizeof **v, n));
}

/* state <> 'closed' spelt so: the partial index is then usable. */
static const char sql_open_threads[] =
    "SELECT id, channel, thread_ts FROM tickets"
    " WHERE state <> 'closed' AND thread_ts IS NOT NULL";

int
store_ticket_open_threads(struct store *s, store_ticket_thread_fn fn,
    void *arg)
{
	sqlite3_stmt	*st;
	int		 rc, n = 0;

	if ((st = store_prep(s, sql_open_threads)) == NULL)
		return (-1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		fn(arg, sqlite3_column_int64(st, 0),
		    (const char *)sqlite3_column_text(st, 1),
		    (const char *)sqlite3_column_text(st, 2));
		if (n < INT32_MAX)
			n++;
	}
	if (rc != SQLITE_DONE)
		return (store_fail(s, st, "store_ticket_open_threads"));
	sqlite3_reset(st);
	return (n);
}
