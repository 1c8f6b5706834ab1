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

char *
store_audit_last_args_new(struct store *s)
{
	sqlite3_stmt		*st = NULL;
	const unsigned char	*text;
	char			*args = NULL;

	/* tests only: not worth a statement prepared at every open */
	if (sqlite3_prepare_v2(s->db, "SELECT args FROM audit ORDER BY id "
	    "DESC LIMIT 1", -1, &st, NULL) != SQLITE_OK) {
		log_warnx("%s: %s", __func__, sqlite3_errmsg(s->db));
		goto out;
	}
	if (sqlite3_step(st) != SQLITE_ROW)
		goto out;
	text = sqlite3_column_text(st, 0);
	args = xstrdup(text != NULL ? (const char *)text : "");
out:
	sqlite3_finalize(st);
	return (args);
}
