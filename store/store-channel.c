/*
 * store-channel.c: channel names as an adapter learnt them (Slack's
 * conversations.info), cached with the time they were learnt.
 */
#include <stdlib.h>
#include <string.h>

#include "bot/bot.h"
#include "store/store-private.h"

static const char sql_put[] =
    "INSERT INTO channels (channel_id, name, fetched_ms) VALUES (?1, ?2, ?3)"
    " ON CONFLICT (channel_id) DO UPDATE SET name = excluded.name,"
    " fetched_ms = excluded.fetched_ms";
static const char sql_all[] =
    "SELECT channel_id, name FROM channels ORDER BY channel_id";

int
store_channel_put(struct store *s, const char *channel_id, const char *name,
    int64_t fetched_ms)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql_put)) == NULL)
		return (-1);
	if (store_bind_text(st, 1, channel_id) != SQLITE_OK ||
	    store_bind_text(st, 2, name) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 3, fetched_ms) != SQLITE_OK)
		return (store_fail(s, st, "store_channel_put"));
	return (store_step_done(s, st, "store_channel_put"));
}

int
store_channel_all(struct store *s, struct strv *ids, struct strv *names)
{
	sqlite3_stmt	*st;
	int		 rc, n = 0;

	if ((st = store_prep(s, sql_all)) == NULL)
		return (-1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		strv_add(ids, (const char *)sqlite3_column_text(st, 0));
		strv_add(names, (const char *)sqlite3_column_text(st, 1));
		n++;
	}
	if (rc != SQLITE_DONE)
		return (store_fail(s, st, "store_channel_all"));
	sqlite3_reset(st);
	return (n);
}
