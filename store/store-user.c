/*
 * store-user.c: users as an adapter knows them (Slack's users.info:
 * display name, time zone), cached with the time they were learnt.
 */
#include <stdlib.h>
#include <string.h>

#include "bot/bot.h"
#include "store/store-private.h"

static const char sql_get[] =
    "SELECT user_id, name, tz, fetched_ms FROM users WHERE user_id = ?1";
static const char sql_put[] =
    "INSERT INTO users (user_id, name, tz, fetched_ms)"
    " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (user_id) DO UPDATE SET"
    " name = excluded.name, tz = excluded.tz,"
    " fetched_ms = excluded.fetched_ms";

void
store_user_release(struct store_user *u)
{
	if (u == NULL)
		return;
	free(u->id);
	free(u->name);
	free(u->tz);
	memset(u, 0, sizeof *u);
}

int
store_user_get(struct store *s, const char *user_id, struct store_user *u)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_prep(s, sql_get)) == NULL)
		return (-1);
	if (store_bind_text(st, 1, user_id) != SQLITE_OK)
		return (store_fail(s, st, "store_user_get"));
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		return (0);
	}
	if (rc != SQLITE_ROW)
		return (store_fail(s, st, "store_user_get"));
	memset(u, 0, sizeof *u);
	u->id = store_column_strdup(st, 0);
	u->name = store_column_strdup(st, 1);
	u->tz = store_column_strdup(st, 2);
	u->fetched_ms = sqlite3_column_int64(st, 3);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return (1);
}

int
store_user_put(struct store *s, const char *user_id, const char *name,
    const char *tz, int64_t fetched_ms)
{
	sqlite3_stmt	*st;

	if (user_id == NULL) {
		snprintf(s->last_error, sizeof s->last_error,
		    "store_user_put: no user id");
		log_warnx("%s", s->last_error);
		return (-1);
	}
	if ((st = store_prep(s, sql_put)) == NULL)
		return (-1);
	if (store_bind_text(st, 1, user_id) != SQLITE_OK ||
	    store_bind_text(st, 2, name) != SQLITE_OK ||
	    store_bind_text(st, 3, tz) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 4, fetched_ms) != SQLITE_OK)
		return (store_fail(s, st, "store_user_put"));
	return (store_step_done(s, st, "store_user_put"));
}
