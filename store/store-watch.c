/*
 * store-watch.c: when each channel watch answered, and in which thread
 * (bot/watch.c): the rule's cooldown per channel and "never twice in
 * one thread" are read here, inside the gate's transaction.
 */
#include "bot/bot.h"
#include "store/store-private.h"

/* The primary key's prefix (rule, channel) makes this one range. */
static const char sql_last[] =
    "SELECT max(at_ms) FROM watch_answers WHERE rule = ?1 AND channel = ?2";
static const char sql_answered[] =
    "SELECT 1 FROM watch_answers"
    " WHERE rule = ?1 AND channel = ?2 AND thread_ts = ?3";
static const char sql_prune[] = "DELETE FROM watch_answers WHERE at_ms < ?1";
static const char sql_add[] =
    "INSERT INTO watch_answers (rule, channel, thread_ts, at_ms)"
    " VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT (rule, channel, thread_ts) DO UPDATE SET at_ms = ?4";

int
store_watch_last(struct store *s, const char *rule, const char *channel,
    int64_t *at_ms)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_prep(s, sql_last)) == NULL)
		return (-1);
	if (store_bind_text(st, 1, rule) != SQLITE_OK ||
	    store_bind_text(st, 2, channel) != SQLITE_OK)
		return (store_fail(s, st, "store_watch_last"));
	if (sqlite3_step(st) != SQLITE_ROW)
		return (store_fail(s, st, "store_watch_last"));
	rc = sqlite3_column_type(st, 0) != SQLITE_NULL;
	if (rc)
		*at_ms = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return (rc);
}

int
store_watch_answered(struct store *s, const char *rule, const char *channel,
    const char *thread_ts)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_prep(s, sql_answered)) == NULL)
		return (-1);
	if (store_bind_text(st, 1, rule) != SQLITE_OK ||
	    store_bind_text(st, 2, channel) != SQLITE_OK ||
	    store_bind_text(st, 3, thread_ts) != SQLITE_OK)
		return (store_fail(s, st, "store_watch_answered"));
	switch (sqlite3_step(st)) {
	case SQLITE_ROW:
		rc = 1;
		break;
	case SQLITE_DONE:
		rc = 0;
		break;
	default:
		return (store_fail(s, st, "store_watch_answered"));
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return (rc);
}

int
store_watch_add(struct store *s, const char *rule, const char *channel,
    const char *thread_ts, int64_t at_ms)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql_add)) == NULL)
		return (-1);
	if (store_bind_text(st, 1, rule) != SQLITE_OK ||
	    store_bind_text(st, 2, channel) != SQLITE_OK ||
	    store_bind_text(st, 3, thread_ts != NULL ? thread_ts : "") !=
	    SQLITE_OK ||
	    sqlite3_bind_int64(st, 4, at_ms) != SQLITE_OK)
		return (store_fail(s, st, "store_watch_add"));
	return (store_step_done(s, st, "store_watch_add"));
}

int64_t
store_watch_prune(struct store *s, int64_t before_ms)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql_prune)) == NULL)
		return (-1);
	if (sqlite3_bind_int64(st, 1, before_ms) != SQLITE_OK)
		return (store_fail(s, st, "store_watch_prune"));
	if (store_step_done(s, st, "store_watch_prune") != 0)
		return (-1);
	return (sqlite3_changes(s->db));
}
