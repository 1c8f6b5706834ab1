/*
 * store-oncall.c: on-call overrides. Rows are never rewritten but to
 * end them early: the newest of overlapping overrides wins (bot/oncall.c
 * layers them on the schedule), so the table is also their history.
 */
#include <stdlib.h>
#include <string.h>

#include "bot/bot.h"
#include "store/store-private.h"

#define OVERRIDE_COLUMNS \
    "id, rotation, user, from_ms, until_ms, set_by, created_ms"

static const char sql_add[] =
    "INSERT INTO oncall_overrides (rotation, user, from_ms, until_ms,"
    " set_by, created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
/* Overlap with [?2, ?3): the index on (rotation, until_ms) serves. */
static const char sql_list[] =
    "SELECT " OVERRIDE_COLUMNS " FROM oncall_overrides"
    " WHERE rotation = ?1 AND until_ms > ?2 AND from_ms < ?3"
    " ORDER BY id LIMIT ?4";
static const char sql_end_started[] =
    "DELETE FROM oncall_overrides"
    " WHERE rotation = ?1 AND from_ms >= ?2 AND until_ms > ?2";
static const char sql_end[] =
    "UPDATE oncall_overrides SET until_ms = ?2"
    " WHERE rotation = ?1 AND from_ms < ?2 AND until_ms > ?2";

/* The row alone: its id, or -1. */
static int64_t
override_insert(struct store *s, const struct store_override *o)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql_add)) == NULL)
		return (-1);
	if (store_bind_text(st, 1, o->rotation) != SQLITE_OK ||
	    store_bind_text(st, 2, o->user) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 3, o->from_ms) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 4, o->until_ms) != SQLITE_OK ||
	    store_bind_text(st, 5, o->set_by) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 6, o->created_ms) != SQLITE_OK)
		return (store_fail(s, st, "store_override_add"));
	if (store_step_done(s, st, "store_override_add") != 0)
		return (-1);
	return (sqlite3_last_insert_rowid(s->db));
}

int64_t
store_override_add(struct store *s, const struct store_override *o,
    const char *channel)
{
	struct audit_rec	 a;
	char			*args = NULL;
	int64_t			 id = -1;

	if (o->until_ms <= o->from_ms || o->rotation == NULL ||
	    o->user == NULL || o->set_by == NULL) {
		log_warnx("store_override_add: an empty or incomplete "
		    "override");
		return (-1);
	}
	if (store_savepoint(s, "store_override_add") != 0)
		return (-1);
	xasprintf(&args, "%s %s %lld %lld", o->rotation, *o->user != '\0' ?
	    o->user : "-", (long long)o->from_ms, (long long)o->until_ms);
	memset(&a, 0, sizeof a);
	a.at = o->created_ms / 1000;
	a.adapter = "oncall";
	a.channel = channel;
	a.user = o->set_by;
	a.command = "oncall-override";
	a.args = args;
	a.status = "ok";
	if ((id = override_insert(s, o)) < 0 ||
	    store_audit_add(s, &a) != 0) {
		id = -1;
		store_savepoint_undo(s, "store_override_add");
	} else if (store_savepoint_release(s, "store_override_add") != 0)
		id = -1;
	free(args);
	return (id);
}

int
store_override_list(struct store *s, const char *rotation, int64_t from_ms,
    int64_t to_ms, size_t max, struct store_override **v, size_t *n)
{
	sqlite3_stmt		*st;
	struct store_override	*o;
	size_t			 first = *n;
	int			 rc;

	if ((st = store_prep(s, sql_list)) == NULL)
		return (-1);
	if (store_bind_text(st, 1, rotation) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, from_ms) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 3, to_ms) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 4, (sqlite3_int64)max) != SQLITE_OK)
		return (store_fail(s, st, "store_override_list"));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*v = xreallocarray(*v, *n + 1, sizeof **v);
		o = &(*v)[(*n)++];
		memset(o, 0, sizeof *o);
		o->id = sqlite3_column_int64(st, 0);
		o->rotation = store_column_strdup(st, 1);
		o->user = store_column_strdup(st, 2);
		o->from_ms = sqlite3_column_int64(st, 3);
		o->until_ms = sqlite3_column_int64(st, 4);
		o->set_by = store_column_strdup(st, 5);
		o->created_ms = sqlite3_column_int64(st, 6);
	}
	if (rc != SQLITE_DONE) {
		while (*n > first)
			store_override_release(&(*v)[--(*n)]);
		return (store_fail(s, st, "store_override_list"));
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return ((int)(*n - first));
}

int
store_override_end(struct store *s, const char *rotation, int64_t at_ms)
{
	sqlite3_stmt	*st;
	int		 n;

	if ((st = store_prep(s, sql_end_started)) == NULL)
		return (-1);
	if (store_bind_text(st, 1, rotation) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, at_ms) != SQLITE_OK)
		return (store_fail(s, st, "store_override_end"));
	if (store_step_done(s, st, "store_override_end") != 0)
		return (-1);
	n = sqlite3_changes(s->db);
	if ((st = store_prep(s, sql_end)) == NULL)
		return (-1);
	if (store_bind_text(st, 1, rotation) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, at_ms) != SQLITE_OK)
		return (store_fail(s, st, "store_override_end"));
	if (store_step_done(s, st, "store_override_end") != 0)
		return (-1);
	return (n + sqlite3_changes(s->db));
}

void
store_override_release(struct store_override *o)
{
	if (o == NULL)
		return;
	free(o->rotation);
	free(o->user);
	free(o->set_by);
	memset(o, 0, sizeof *o);
}
