/*
 * store-ical.c: the iCalendar body last fetched for each rotation that
 * follows a URL (bot/oncall-ical.c), kept for a restart while the
 * calendar's server is down. The body is stored as fetched (a BLOB: it
 * need not be valid UTF-8) and parsed again when read.
 */
#include <stdlib.h>
#include <string.h>

#include "bot/bot.h"
#include "store/store-private.h"

static const char sql_put[] =
    "INSERT INTO ical_cache (rotation, url, body, fetched_ms)"
    " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (rotation) DO UPDATE SET"
    " url = excluded.url, body = excluded.body,"
    " fetched_ms = excluded.fetched_ms";
static const char sql_get[] =
    "SELECT body, fetched_ms FROM ical_cache WHERE rotation = ?1"
    " AND url = ?2";

int
store_ical_put(struct store *s, const char *rotation, const char *url,
    const char *body, size_t len, int64_t fetched_ms)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql_put)) == NULL)
		return (-1);
	if (store_bind_text(st, 1, rotation) != SQLITE_OK ||
	    store_bind_text(st, 2, url) != SQLITE_OK ||
	    sqlite3_bind_blob64(st, 3, len > 0 ? body : "", len,
	    SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 4, fetched_ms) != SQLITE_OK)
		return (store_fail(s, st, "store_ical_put"));
	return (store_step_done(s, st, "store_ical_put"));
}

int
store_ical_get(struct store *s, const char *rotation, const char *url,
    char **body, size_t *len, int64_t *fetched_ms)
{
	sqlite3_stmt	*st;
	const void	*b;
	int		 rc, n;

	*body = NULL;
	*len = 0;
	if ((st = store_prep(s, sql_get)) == NULL)
		return (-1);
	if (store_bind_text(st, 1, rotation) != SQLITE_OK ||
	    store_bind_text(st, 2, url) != SQLITE_OK)
		return (store_fail(s, st, "store_ical_get"));
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		b = sqlite3_column_blob(st, 0);
		n = sqlite3_column_bytes(st, 0);
		*body = xmalloc((size_t)n + 1);
		if (n > 0)
			memcpy(*body, b, (size_t)n);
		(*body)[n] = '\0';
		*len = (size_t)n;
		*fetched_ms = sqlite3_column_int64(st, 1);
	} else if (rc != SQLITE_DONE)
		return (store_fail(s, st, "store_ical_get"));
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return (rc == SQLITE_ROW ? 1 : 0);
}
