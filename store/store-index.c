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

/* Sets the hashsize above (bound as ?1) of each FTS5 table. */
static const char sql_hashsize[] =
    "INSERT INTO idx.sections (sections, rank) VALUES ('hashsize', ?1)";
static const char sql_hashsize_headings[] =
    "INSERT INTO idx.headings (headings, rank) VALUES ('hashsize', ?1)";
static const char sql_clear[] = "DELETE FROM idx.sections";
static const char sql_clear_headings[] = "DELETE FROM idx.headings";
static const char sql_add[] =
    "INSERT INTO idx.sections (rowid, runbook, heading, body, words)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";
static const char sql_add_heading[] =
    "INSERT INTO idx.headings (rowid, heading) VALUES (?1, ?2)";
/*
 * FTS5's bm25 normalises by the length of the whole row, so the
 * heading weight (runbook, heading, body = 2, 10, 1) alone ranks
 * "Advanced options for pods not starting" above its shorter parent
 * "Pods not starting" (the parent's body holds the child's too). A
 * heading-only bm25, normalised by heading length, is added to
 * break that: the heading closest to the words typed wins.
 */
static const char sql_search[] =
    "SELECT s.rowid FROM idx.sections AS s LEFT JOIN"
    " (SELECT rowid AS id, bm25(headings) AS hb FROM idx.headings"
    " WHERE headings MATCH ?1) AS h ON h.id = s.rowid"
    " WHERE s.sections MATCH ?1"
    " ORDER BY bm25(s.sections, 2.0, 10.0, 1.0, 2.0) +"
    " 2.0 * coalesce(h.hb, 0.0), s.rowid LIMIT ?2";

/* Runs sql_hashsize or sql_hashsize_headings. */
static int
store_index_hashsize(struct store *s, const char *sql)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql)) == NULL)
		return (-1);
	if (sqlite3_bind_int(st, 1, STORE_INDEX_HASHSIZE) != SQLITE_OK)
		return (store_fail(s, st, "store_index_begin"));
	return (store_step_done(s, st, "store_index_begin"));
}

int
store_index_begin(struct store *s)
{
	if (store_begin(s) != 0)
		return (-1);
	if (store_index_hashsize(s, sql_hashsize) != 0 ||
	    store_index_hashsize(s, sql_hashsize_headings) != 0 ||
	    store_index_clear(s) != 0) {
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
	if (store_run(s, sql_clear, "store_index_clear") != 0)
		return (-1);
	return (store_run(s, sql_clear_headings, "store_index_clear"));
}

int
store_index_add(struct store *s, int64_t section_id, const char *runbook,
    const char *heading, const char *body, const char *words)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql_add)) == NULL)
		return (-1);
	if (sqlite3_bind_int64(st, 1, section_id) != SQLITE_OK ||
	    store_bind_text(st, 2, runbook) != SQLITE_OK ||
	    store_bind_text(st, 3, heading) != SQLITE_OK ||
	    store_bind_text(st, 4, body) != SQLITE_OK ||
	    store_bind_text(st, 5, words) != SQLITE_OK)
		return (store_fail(s, st, "store_index_add"));
	if (store_step_done(s, st, "store_index_add") != 0)
		return (-1);
	if ((st = store_prep(s, sql_add_heading)) == NULL)
		return (-1);
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
	sqlite3_stmt	*st;
	int		 rc = SQLITE_DONE;

	if ((st = store_prep(s, sql_search)) == NULL)
		return (-1);
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
