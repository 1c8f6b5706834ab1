/*
 * store-audit.c: the audit trail, one row per command run.
 */
#include "bot/bot.h"
#include "store/store-private.h"

int
store_audit_add(struct store *s, const struct audit_rec *r)
{
	sqlite3_stmt	*st = s->stmt[STMT_AUDIT_ADD];

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
	int64_t	 n;

	if (store_step_int(s, s->stmt[STMT_AUDIT_COUNT], "store_audit_count",
	    &n) != 0)
		return (-1);
	return (n);
}
