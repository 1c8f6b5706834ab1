/*
 * store-index.c: the FTS5 index of runbook sections, in the attached
 * in-memory database (derived data, rebuilt from the runbooks at start).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "bot/bot.h"
#include "store/store-private.h"

/*
 * FTS5 keeps the rows added in a transaction in memory and writes them
 * out as one segment at commit, or whenever they pass `hashsize` (1 MiB
 * by default). Each autocommit row was a segment of its own, which FTS5
 * then spent its time merging: 87,846 sections took 49 s to index
 * (bench/README.md). One transaction and a bigger hash write a few large
 * segments instead. The memory is only held while building.
 */
#define STORE_INDEX_HASHSIZE	(16 * 1024 * 1024)	/* bytes */

int
store_index_begin(struct store *s)
{
	char	*sql;
	int	 rc;

	if (store_begin(s) != 0)
		return (-1);
	/* Constant SQL, run once per rebuild: not worth a prepared slot. */
	xasprintf(&sql, "INSERT INTO idx.sections (sections, rank) VALUES"
	    " ('hashsize', %d); INSERT INTO idx.headings (headings, rank)"
	    " VALUES ('hashsize', %d)", STORE_INDEX_HASHSIZE,
	    STORE_INDEX_HASHSIZE);
	rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	free(sql);
	if (rc != SQLITE_OK) {
		store_fail(s, NULL, "store_index_begin");
		(void)store_rollback(s);
		return (-1);
	}
	if (store_index_clear(s) != 0) {
		(void)store_rollback(s);
		return (-1);
	}
	return (0);
}

int
store_index_commit(struct store *s)
{
	if (store_commit(s) != 0) {
		(void)store_rollback(s);
		return (-1);
	}
	return (0);
}

int
store_index_clear(struct store *s)
{
	if (store_step_done(s, s->stmt[STMT_INDEX_CLEAR],
	    "store_index_clear") != 0)
		return (-1);
	return (store_step_done(s, s->stmt[STMT_INDEX_CLEAR_HEADINGS],
	    "store_index_clear"));
}

int
store_index_add(struct store *s, int64_t section_id, const char *runbook,
    const char *heading, const char *body, const char *words)
{
	sqlite3_stmt	*st = s->stmt[STMT_INDEX_ADD];

	if (sqlite3_bind_int64(st, 1, section_id) != SQLITE_OK ||
	    store_bind_text(st, 2, runbook) != SQLITE_OK ||
	    store_bind_text(st, 3, heading) != SQLITE_OK ||
	    store_bind_text(st, 4, body) != SQLITE_OK ||
	    store_bind_text(st, 5, words) != SQLITE_OK)
		return (store_fail(s, st, "store_index_add"));
	if (store_step_done(s, st, "store_index_add") != 0)
		return (-1);
	st = s->stmt[STMT_INDEX_ADD_HEADING];
	if (sqlite3_bind_int64(st, 1, section_id) != SQLITE_OK ||
	    store_bind_text(st, 2, heading) != SQLITE_OK)
		return (store_fail(s, st, "store_index_add"));
	return (store_step_done(s, st, "store_index_add"));
}

/*
 * Builds an FTS5 query from the user's words into q: every
 * whitespace-separated word becomes a string ("" doubles a quote), so no
 * user text is ever read as FTS5 syntax (AND, NEAR, *, ^, column:).
 * Words are joined by sep (" " is AND). Returns the number of words.
 */
static size_t
store_index_query(const char *words, const char *sep, struct buf *q)
{
	const char	*p = words, *end;
	size_t		 n = 0;

	for (;;) {
		p += strspn(p, " \t\r\n\f\v");
		if (*p == '\0')
			break;
		end = p + strcspn(p, " \t\r\n\f\v");
		if (n++ > 0)
			buf_adds(q, sep);
		buf_addc(q, '"');
		for (; p < end; p++) {
			if (*p == '"')
				buf_addc(q, '"');
			buf_addc(q, *p);
		}
		buf_addc(q, '"');
	}
	return (n);
}

/* Runs one MATCH query; appends ids after *got; -1 on error. */
static int
store_index_run(struct store *s, const char *query, int64_t *ids,
    size_t max, size_t *got)
{
	sqlite3_stmt	*st = s->stmt[STMT_INDEX_SEARCH];
	int		 rc = SQLITE_DONE;

	if (store_bind_text(st, 1, query) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, (int64_t)(max - *got)) != SQLITE_OK)
		return (store_fail(s, st, "store_index_search"));
	while (*got < max && (rc = sqlite3_step(st)) == SQLITE_ROW)
		ids[(*got)++] = sqlite3_column_int64(st, 0);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return (store_fail(s, st, "store_index_search"));
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return (0);
}

int
store_index_search(struct store *s, const char *words, int64_t *ids,
    size_t max)
{
	struct buf	 q = { 0 };
	size_t		 nwords, got = 0;
	int		 rc = -1;

	if (max > INT_MAX)
		max = INT_MAX;
	if (max == 0 || (nwords = store_index_query(words, " ", &q)) == 0) {
		rc = 0;
		goto out;
	}
	if (store_index_run(s, q.s, ids, max, &got) != 0)
		goto out;
	if (got == 0 && nwords > 1) {
		buf_truncate(&q, 0);
		store_index_query(words, " OR ", &q);
		if (store_index_run(s, q.s, ids, max, &got) != 0)
			goto out;
	}
	rc = (int)got;
out:
	buf_reset(&q);
	return (rc);
}
