/*
 * store-seen.c: dedupe keys (Slack event_id, channel+ts) so an event
 * Slack redelivers after a reconnect runs once.
 */
#include "bot/bot.h"
#include "store/store-private.h"

static const char sql_has[] =
    "SELECT 1 FROM seen WHERE key = ?1 AND at >= ?2";
static const char sql_add[] =
    "INSERT OR IGNORE INTO seen (key, at) VALUES (?1, ?2)";
static const char sql_prune[] = "DELETE FROM seen WHERE at < ?1";

int
store_seen_has(struct store *s, const char *key, int64_t since)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_prep(s, sql_has)) == NULL)
		return (-1);
	if (store_bind_text(st, 1, key) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, since) != SQLITE_OK)
		return (store_fail(s, st, "store_seen_has"));
	switch (sqlite3_step(st)) {
	case SQLITE_ROW:
		rc = 1;
		break;
	case SQLITE_DONE:
		rc = 0;
		break;
	default:
		return (store_fail(s, st, "store_seen_has"));
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return (rc);
}

int
store_seen_add(struct store *s, const char *key, int64_t at)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql_add)) == NULL)
		return (-1);
	if (store_bind_text(st, 1, key) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, at) != SQLITE_OK)
		return (store_fail(s, st, "store_seen_add"));
	return (store_step_done(s, st, "store_seen_add"));
}

int64_t
store_seen_prune(struct store *s, int64_t before)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql_prune)) == NULL)
		return (-1);
	if (sqlite3_bind_int64(st, 1, before) != SQLITE_OK)
		return (store_fail(s, st, "store_seen_prune"));
	if (store_step_done(s, st, "store_seen_prune") != 0)
		return (-1);
	return (sqlite3_changes64(s->db));
}
