/*
 * store-audit.c: the audit trail, one row per command run.
 */
#include "bot/bot.h"
#include "store/store-private.h"

static const char sql_add[] =
    "INSERT INTO audit (at, adapter, channel, user, command, args,"
    " status, event_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char sql_count[] = "SELECT count(*) FROM audit";
static const char sql_last_args[] =
    "SELECT args FROM audit ORDER BY id DESC LIMIT 1";

int
store_audit_add(struct store *s, const struct audit_rec *r)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql_add)) == NULL)
		return (-1);
	if (sqlite3_bind_int64(st, 1, r->at) != SQLITE_OK ||
	    store_bind_text(st, 2, r->adapter) != SQLITE_OK ||
	    store_bind_text(st, 3, r->channel) != SQLITE_OK ||
	    store_bind_text(st, 4, r->user) != SQLITE_OK ||
	    store_bind_text(st, 5, r->command) != SQLITE_OK ||
	    store_bind_text(st, 6, r->args) != SQLITE_OK ||
	    store_bind_text(st, 7, r->status) != SQLITE_OK ||
	    store_bind_text(st, 8, r->event_id) != SQLITE_OK)
		return (store_fail(s, st, "store_audit_add"));
	return (store_step_done(s, st, "store_audit_add"));
}

int64_t
store_audit_count(struct store *s)
{
	sqlite3_stmt	*st;
	int64_t		 n;

	if ((st = store_prep(s, sql_count)) == NULL ||
	    store_step_int(s, st, "store_audit_count", &n) != 0)
		return (-1);
	return (n);
}

char *
store_audit_last_args_new(struct store *s)
{
	sqlite3_stmt		*st;
	const unsigned char	*text;
	char			*args = NULL;

	if ((st = store_prep(s, sql_last_args)) == NULL)
		return (NULL);
	if (sqlite3_step(st) == SQLITE_ROW) {
		text = sqlite3_column_text(st, 0);
		args = xstrdup(text != NULL ? (const char *)text : "");
	}
	sqlite3_reset(st);
	return (args);
}
