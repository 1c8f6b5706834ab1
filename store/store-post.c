/*
 * store-post.c: the outbox's table. A post is written here inside the
 * transaction of whatever caused it (a command, a timer) and marked
 * done once the adapter delivered it, so a restart loses none and the
 * idempotency key keeps a post from being queued twice.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "bot/bot.h"
#include "bot/outbox.h"
#include "store/store-private.h"

/* ON CONFLICT names idem_key only: other constraints still fail loudly. */
static const char sql_add[] =
    "INSERT INTO posts (idem_key, op, channel, thread_ts, text, blocks,"
    " target_key, target_ts, reaction, response_url, order_key, created_ms)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
    " ON CONFLICT (idem_key) DO NOTHING";
/*
 * The head of each order key: min(id) per key walks the partial index
 * posts_pending (order_key, id) once, whatever the backlog, instead of
 * reading every pending row.
 */
static const char sql_heads[] =
    "SELECT id, op, channel, thread_ts, text, blocks, target_key,"
    " target_ts, reaction, response_url, idem_key, order_key, attempts,"
    " not_before_ms FROM posts WHERE id IN"
    " (SELECT min(id) FROM posts WHERE state = 0 GROUP BY order_key)"
    " AND id > ?2 ORDER BY id LIMIT ?1";
static const char sql_done[] =
    "UPDATE posts SET state = 1, done_ms = ?2, ts = ?3 WHERE id = ?1";
static const char sql_failed[] =
    "UPDATE posts SET state = 2, done_ms = ?2, last_error = ?3"
    " WHERE id = ?1";
static const char sql_defer[] =
    "UPDATE posts SET attempts = attempts + 1, not_before_ms = ?2,"
    " last_error = ?3 WHERE id = ?1";
static const char sql_delete[] = "DELETE FROM posts WHERE id = ?1";
static const char sql_by_key[] =
    "SELECT ts, state, order_key FROM posts WHERE idem_key = ?1";
static const char sql_prune[] =
    "DELETE FROM posts WHERE state <> 0 AND done_ms < ?1";
static const char sql_count[] = "SELECT count(*) FROM posts WHERE state = 0";

int64_t
store_post_add(struct store *s, int64_t now_ms, const struct post *p,
    const char *order_key)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql_add)) == NULL)
		return (-1);
	if (store_bind_text(st, 1, p->key) != SQLITE_OK ||
	    sqlite3_bind_int(st, 2, (int)p->op) != SQLITE_OK ||
	    store_bind_text(st, 3, p->channel) != SQLITE_OK ||
	    store_bind_text(st, 4, p->thread_ts) != SQLITE_OK ||
	    store_bind_text(st, 5, p->text) != SQLITE_OK ||
	    store_bind_text(st, 6, p->blocks) != SQLITE_OK ||
	    store_bind_text(st, 7, p->target_key) != SQLITE_OK ||
	    store_bind_text(st, 8, p->target_ts) != SQLITE_OK ||
	    store_bind_text(st, 9, p->reaction) != SQLITE_OK ||
	    store_bind_text(st, 10, p->response_url) != SQLITE_OK ||
	    store_bind_text(st, 11, order_key) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 12, now_ms) != SQLITE_OK)
		return (store_fail(s, st, "store_post_add"));
	if (store_step_done(s, st, "store_post_add") != 0)
		return (-1);
	if (sqlite3_changes(s->db) == 0)
		return (0);	/* the key is taken */
	return (sqlite3_last_insert_rowid(s->db));
}

static void
post_from_row(sqlite3_stmt *st, struct post_rec *r)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(st, 0);
	r->op = sqlite3_column_int(st, 1);
	r->channel = store_column_strdup(st, 2);
	r->thread_ts = store_column_strdup(st, 3);
	r->text = store_column_strdup(st, 4);
	r->blocks = store_column_strdup(st, 5);
	r->target_key = store_column_strdup(st, 6);
	r->target_ts = store_column_strdup(st, 7);
	r->reaction = store_column_strdup(st, 8);
	r->response_url = store_column_strdup(st, 9);
	r->key = store_column_strdup(st, 10);
	r->order_key = store_column_strdup(st, 11);
	r->attempts = sqlite3_column_int(st, 12);
	r->not_before_ms = sqlite3_column_int64(st, 13);
}

int
store_post_heads(struct store *s, int64_t after_id, size_t max,
    struct post_rec **rows, size_t *n)
{
	sqlite3_stmt	*st;
	size_t		 got = 0;
	int		 rc;

	if (max == 0)
		return (0);
	if (max > INT_MAX)
		max = INT_MAX;
	if ((st = store_prep(s, sql_heads)) == NULL)
		return (-1);
	if (sqlite3_bind_int64(st, 1, (int64_t)max) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, after_id) != SQLITE_OK)
		return (store_fail(s, st, "store_post_heads"));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*rows = xreallocarray(*rows, *n + 1, sizeof **rows);
		post_from_row(st, &(*rows)[*n]);
		(*n)++;
		got++;
	}
	if (rc != SQLITE_DONE)
		return (store_fail(s, st, "store_post_heads"));
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return ((int)got);
}

/* Runs one of the UPDATEs of a post by id: ?1 id, ?2 n, ?3 text. */
static int
post_update(struct store *s, const char *sql, const char *what, int64_t id,
    int64_t n, const char *text)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql)) == NULL)
		return (-1);
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, n) != SQLITE_OK ||
	    store_bind_text(st, 3, text) != SQLITE_OK)
		return (store_fail(s, st, what));
	return (store_step_done(s, st, what));
}

/*
 * A finished post without a key answers nothing later (no dedupe, no
 * update names it): its row goes, as cheaply as it came.
 */
static int
post_delete(struct store *s, int64_t id)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql_delete)) == NULL)
		return (-1);
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK)
		return (store_fail(s, st, "store_post_delete"));
	return (store_step_done(s, st, "store_post_delete"));
}

int
store_post_done(struct store *s, int64_t id, const char *ts, int64_t now_ms,
    int keep)
{
	if (!keep)
		return (post_delete(s, id));
	return (post_update(s, sql_done, "store_post_done", id, now_ms, ts));
}

int
store_post_failed(struct store *s, int64_t id, const char *why,
    int64_t now_ms, int keep)
{
	if (!keep)
		return (post_delete(s, id));
	return (post_update(s, sql_failed, "store_post_failed", id, now_ms,
	    why));
}

int
store_post_defer(struct store *s, int64_t id, int64_t not_before_ms,
    const char *why)
{
	return (post_update(s, sql_defer, "store_post_defer", id,
	    not_before_ms, why));
}

int
store_post_by_key(struct store *s, const char *key, char **ts, int *state,
    char **order_key)
{
	sqlite3_stmt	*st;
	int		 rc;

	*ts = NULL;
	*state = 0;
	if (order_key != NULL)
		*order_key = NULL;
	if ((st = store_prep(s, sql_by_key)) == NULL)
		return (-1);
	if (store_bind_text(st, 1, key) != SQLITE_OK)
		return (store_fail(s, st, "store_post_by_key"));
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*ts = store_column_strdup(st, 0);
		*state = sqlite3_column_int(st, 1);
		if (order_key != NULL)
			*order_key = store_column_strdup(st, 2);
	} else if (rc != SQLITE_DONE)
		return (store_fail(s, st, "store_post_by_key"));
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return (rc == SQLITE_ROW ? 1 : 0);
}

int64_t
store_post_prune(struct store *s, int64_t before_ms)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql_prune)) == NULL)
		return (-1);
	if (sqlite3_bind_int64(st, 1, before_ms) != SQLITE_OK)
		return (store_fail(s, st, "store_post_prune"));
	if (store_step_done(s, st, "store_post_prune") != 0)
		return (-1);
	return (sqlite3_changes(s->db));
}

int64_t
store_post_count(struct store *s)
{
	sqlite3_stmt	*st;
	int64_t		 n;

	if ((st = store_prep(s, sql_count)) == NULL)
		return (-1);
	if (store_step_int(s, st, "store_post_count", &n) != 0)
		return (-1);
	return (n);
}

void
store_post_rec_release(struct post_rec *r)
{
	if (r == NULL)
		return;
	free(r->channel);
	free(r->thread_ts);
	free(r->text);
	free(r->blocks);
	free(r->target_key);
	free(r->target_ts);
	free(r->reaction);
	free(r->response_url);
	free(r->key);
	free(r->order_key);
	memset(r, 0, sizeof *r);
}
