/*
 * store-outbox.c: replies waiting for delivery. A reply is written here
 * before it is sent and deleted once Slack accepts it, so a restart
 * loses none.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "bot/bot.h"
#include "store/store-private.h"

int64_t
store_outbox_add(struct store *s, int64_t now_secs, const char *kind,
    const char *target, const char *channel, const char *body)
{
	sqlite3_stmt	*st = s->stmt[STMT_OUTBOX_ADD];

	if (sqlite3_bind_int64(st, 1, now_secs) != SQLITE_OK ||
	    store_bind_text(st, 2, kind) != SQLITE_OK ||
	    store_bind_text(st, 3, target) != SQLITE_OK ||
	    store_bind_text(st, 4, channel) != SQLITE_OK ||
	    store_bind_text(st, 5, body) != SQLITE_OK)
		return (store_fail(s, st, "store_outbox_add"));
	if (store_step_done(s, st, "store_outbox_add") != 0)
		return (-1);
	return (sqlite3_last_insert_rowid(s->db));
}

/* The first deferred row of a channel (STMT_OUTBOX_DEFERRED). */
struct outbox_wait {
	char	*channel;	/* owned */
	int64_t	 first;
};

/* Whether row id of channel is behind a deferred row of its channel. */
static int
outbox_waits(const struct outbox_wait *w, size_t nw, const char *channel,
    int64_t id)
{
	size_t	 i;

	if (channel == NULL)
		return (0);
	for (i = 0; i < nw; i++) {
		if (id > w[i].first && strcmp(w[i].channel, channel) == 0)
			return (1);
	}
	return (0);
}

int
store_outbox_pending(struct store *s, int64_t now_ms, size_t max,
    struct outbox_row **rows, size_t *n)
{
	sqlite3_stmt		*st = s->stmt[STMT_OUTBOX_DEFERRED];
	struct outbox_row	*r;
	struct outbox_wait	*w = NULL;
	const char		*ch;
	size_t			 got = 0, nw = 0, i;
	int64_t			 id;
	int			 rc, rv = -1;

	if (max > INT_MAX)
		max = INT_MAX;
	if (max == 0)
		return (0);
	if (sqlite3_bind_int64(st, 1, now_ms) != SQLITE_OK)
		return (store_fail(s, st, "store_outbox_pending"));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		w = xreallocarray(w, nw + 1, sizeof *w);
		w[nw].channel = store_column_strdup(st, 0);
		w[nw].first = sqlite3_column_int64(st, 1);
		if (w[nw].channel != NULL)
			nw++;
	}
	if (rc != SQLITE_DONE) {
		store_fail(s, st, "store_outbox_pending");
		goto out;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);

	st = s->stmt[STMT_OUTBOX_PENDING];
	if (sqlite3_bind_int64(st, 1, now_ms) != SQLITE_OK) {
		store_fail(s, st, "store_outbox_pending");
		goto out;
	}
	while (got < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		ch = (const char *)sqlite3_column_text(st, 3);
		if (outbox_waits(w, nw, ch, id))
			continue;
		/* *rows may move; *n is written only once all rows are in. */
		*rows = xreallocarray(*rows, *n + got + 1, sizeof **rows);
		r = &(*rows)[*n + got];
		r->id = id;
		r->kind = store_column_strdup(st, 1);
		r->target = store_column_strdup(st, 2);
		r->channel = store_column_strdup(st, 3);
		r->body = store_column_strdup(st, 4);
		r->attempts = sqlite3_column_int(st, 5);
		r->not_before_ms = sqlite3_column_int64(st, 6);
		got++;
	}
	if (got < max && rc != SQLITE_DONE) {
		for (i = 0; i < got; i++)
			store_outbox_row_release(&(*rows)[*n + i]);
		store_fail(s, st, "store_outbox_pending");
		goto out;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	*n += got;
	rv = (int)got;
out:
	for (i = 0; i < nw; i++)
		free(w[i].channel);
	free(w);
	return (rv);
}

int
store_outbox_first(struct store *s, const char *channel,
    struct outbox_row *r)
{
	sqlite3_stmt	*st = s->stmt[STMT_OUTBOX_FIRST];
	int		 rv = 0;

	if (store_bind_text(st, 1, channel) != SQLITE_OK)
		return (store_fail(s, st, "store_outbox_first"));
	switch (sqlite3_step(st)) {
	case SQLITE_ROW:
		r->id = sqlite3_column_int64(st, 0);
		r->kind = store_column_strdup(st, 1);
		r->target = store_column_strdup(st, 2);
		r->channel = store_column_strdup(st, 3);
		r->body = store_column_strdup(st, 4);
		r->attempts = sqlite3_column_int(st, 5);
		r->not_before_ms = sqlite3_column_int64(st, 6);
		rv = 1;
		break;
	case SQLITE_DONE:
		break;
	default:
		return (store_fail(s, st, "store_outbox_first"));
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return (rv);
}

int
store_outbox_done(struct store *s, int64_t id)
{
	sqlite3_stmt	*st = s->stmt[STMT_OUTBOX_DONE];

	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK)
		return (store_fail(s, st, "store_outbox_done"));
	return (store_step_done(s, st, "store_outbox_done"));
}

int
store_outbox_defer(struct store *s, int64_t id, int64_t not_before_ms,
    const char *last_error)
{
	sqlite3_stmt	*st = s->stmt[STMT_OUTBOX_DEFER];

	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, not_before_ms) != SQLITE_OK ||
	    store_bind_text(st, 3, last_error) != SQLITE_OK)
		return (store_fail(s, st, "store_outbox_defer"));
	return (store_step_done(s, st, "store_outbox_defer"));
}

int
store_outbox_next_retry(struct store *s, int64_t now_ms, int64_t *due_ms)
{
	sqlite3_stmt	*st = s->stmt[STMT_OUTBOX_NEXT_RETRY];

	if (sqlite3_bind_int64(st, 1, now_ms) != SQLITE_OK)
		return (store_fail(s, st, "store_outbox_next_retry"));
	/* min() of no rows is NULL, which reads as 0. */
	return (store_step_int(s, st, "store_outbox_next_retry", due_ms));
}

int64_t
store_outbox_count(struct store *s)
{
	int64_t	 n;

	if (store_step_int(s, s->stmt[STMT_OUTBOX_COUNT], "store_outbox_count",
	    &n) != 0)
		return (-1);
	return (n);
}

void
store_outbox_row_release(struct outbox_row *r)
{
	if (r == NULL)
		return;
	free(r->kind);
	free(r->target);
	free(r->channel);
	free(r->body);
	r->kind = r->target = r->channel = r->body = NULL;
}
