/*
 * store.c: opening and closing the database, transactions, and the
 * cache of prepared statements every store file runs its queries through.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bot/bot.h"
#include "store/store-private.h"

/* How long a writer waits for another connection's lock, in ms. */
#define STORE_BUSY_MS	5000

/*
 * The index is derived data: it lives in memory and is rebuilt at start.
 * idx.headings repeats the headings, for the ranking (store-index.c).
 * words holds the parts of identifiers (store_index_add), weighted like
 * the runbook title: more than body text, less than a heading.
 */
static const char store_index_sql[] =
    "ATTACH DATABASE ':memory:' AS idx;"
    "CREATE VIRTUAL TABLE idx.sections USING fts5(runbook, heading, body,"
    " words, tokenize = 'porter unicode61');"
    "CREATE VIRTUAL TABLE idx.headings USING fts5(heading,"
    " tokenize = 'porter unicode61');";

/* Fibonacci hashing of the key's address into a power-of-two table. */
static size_t
store_cache_slot(const char *sql, size_t cap)
{
	return ((size_t)(((uintptr_t)sql * (uintptr_t)0x9E3779B97F4A7C15ULL)
	    >> 16) & (cap - 1));
}

static void
store_cache_grow(struct store *s)
{
	struct store_cached	*old = s->cache;
	size_t			 oldcap = s->cachecap, i, j;

	s->cachecap = oldcap == 0 ? 32 : oldcap * 2;
	s->cache = xcalloc(s->cachecap, sizeof *s->cache);
	for (i = 0; i < oldcap; i++) {
		if (old[i].sql == NULL)
			continue;
		j = store_cache_slot(old[i].sql, s->cachecap);
		while (s->cache[j].sql != NULL)
			j = (j + 1) & (s->cachecap - 1);
		s->cache[j] = old[i];
	}
	free(old);
}

sqlite3_stmt *
store_prep(struct store *s, const char *sql)
{
	sqlite3_stmt	*st = NULL;
	size_t		 i;

	if (s->cachecap != 0) {
		i = store_cache_slot(sql, s->cachecap);
		for (; s->cache[i].sql != NULL; i = (i + 1) & (s->cachecap - 1))
			if (s->cache[i].sql == sql)
				return (s->cache[i].st);
	}
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
	    NULL) != SQLITE_OK) {
		snprintf(s->last_error, sizeof s->last_error,
		    "cannot prepare \"%.60s\": %s", sql, sqlite3_errmsg(s->db));
		log_warnx("%s", s->last_error);
		sqlite3_finalize(st);
		return (NULL);
	}
	/* At most half full, so a probe ends at an empty slot soon. */
	if ((s->ncache + 1) * 2 > s->cachecap)
		store_cache_grow(s);
	i = store_cache_slot(sql, s->cachecap);
	while (s->cache[i].sql != NULL)
		i = (i + 1) & (s->cachecap - 1);
	s->cache[i].sql = sql;
	s->cache[i].st = st;
	s->ncache++;
	return (st);
}

int
store_fail(struct store *s, sqlite3_stmt *st, const char *what)
{
	snprintf(s->last_error, sizeof s->last_error, "%s: %s", what,
	    sqlite3_errmsg(s->db));
	log_warnx("%s", s->last_error);
	if (st != NULL) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
	}
	return (-1);
}

int
store_step_done(struct store *s, sqlite3_stmt *st, const char *what)
{
	if (sqlite3_step(st) != SQLITE_DONE)
		return (store_fail(s, st, what));
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return (0);
}

int
store_run(struct store *s, const char *sql, const char *what)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql)) == NULL)
		return (-1);
	return (store_step_done(s, st, what));
}

/*
 * Savepoints nest strictly (LIFO), so one name serves every store file:
 * RELEASE and ROLLBACK TO act on the innermost savepoint of that name
 * (sqlite's SAVEPOINT documentation).
 */
static const char sql_savepoint[] = "SAVEPOINT store";
static const char sql_savepoint_release[] = "RELEASE store";
static const char sql_savepoint_rollback[] = "ROLLBACK TO store";

int
store_savepoint(struct store *s, const char *what)
{
	return (store_run(s, sql_savepoint, what));
}

int
store_savepoint_release(struct store *s, const char *what)
{
	return (store_run(s, sql_savepoint_release, what));
}

int
store_savepoint_undo(struct store *s, const char *what)
{
	if (store_run(s, sql_savepoint_rollback, what) != 0)
		return (-1);
	/* ROLLBACK TO keeps the savepoint: RELEASE pops it. */
	return (store_run(s, sql_savepoint_release, what));
}

int
store_step_int(struct store *s, sqlite3_stmt *st, const char *what,
    int64_t *v)
{
	if (sqlite3_step(st) != SQLITE_ROW)
		return (store_fail(s, st, what));
	*v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return (0);
}

char *
store_column_strdup(sqlite3_stmt *st, int i)
{
	const unsigned char	*v;

	if ((v = sqlite3_column_text(st, i)) == NULL)
		return (NULL);
	return (xstrdup((const char *)v));
}

int
store_step_one(struct store *s, sqlite3_stmt *st, const char *what,
    store_row_fn row, void *out)
{
	int	 rc;

	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row(st, out);
		rc = 1;
	} else if (rc == SQLITE_DONE)
		rc = 0;
	else
		return (store_fail(s, st, what));
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return (rc);
}

int
store_step_rows(struct store *s, sqlite3_stmt *st, const char *what,
    size_t max, store_row_fn row, store_release_fn release, void *vp,
    size_t size, size_t *n)
{
	char	*v;
	size_t	 first = *n;
	int	 rc = SQLITE_DONE;

	/* memcpy, not a cast: *vp is a struct T *, read here as bytes */
	memcpy(&v, vp, sizeof v);
	while (*n - first < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = xreallocarray(v, *n + 1, size);
		row(st, v + *n * size);
		(*n)++;
	}
	if (*n - first < max && rc != SQLITE_DONE) {
		while (release != NULL && *n > first)
			release(v + --(*n) * size);
		memcpy(vp, &v, sizeof v);
		return (store_fail(s, st, what));
	}
	memcpy(vp, &v, sizeof v);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return ((int)(*n - first));
}

int
store_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s == NULL)
		return (sqlite3_bind_null(st, i));
	return (sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC));
}

/*
 * Runs one pragma that answers with a text row (journal_mode) and
 * returns 0 with the answer copied into out, or -1 with *cause.
 */
static int
store_pragma_text(sqlite3 *db, const char *sql, char *out, size_t outlen,
    char **cause)
{
	sqlite3_stmt	*st = NULL;
	const char	*v;
	int		 rc = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		*cause = xstrdup(sqlite3_errmsg(db));
		goto out;
	}
	v = (const char *)sqlite3_column_text(st, 0);
	snprintf(out, outlen, "%s", v == NULL ? "" : v);
	rc = 0;
out:
	sqlite3_finalize(st);
	return (rc);
}

/*
 * PRAGMA quick_check: every page and b-tree of the file read once (not
 * the index-to-table cross checks of integrity_check, which cost more
 * than a start-up should). Random bytes behind a sound header leave the
 * schema readable, so without this the store opened and its first
 * write failed, on every event. Returns 0, or -1 with *cause: the
 * first problem sqlite reports.
 */
static int
store_quick_check(sqlite3 *db, char **cause)
{
	sqlite3_stmt	*st = NULL;
	const char	*v;
	char		*p;
	int		 rc = -1;

	if (sqlite3_prepare_v2(db, "PRAGMA quick_check(1)", -1, &st, NULL) !=
	    SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
		*cause = xstrdup(sqlite3_errmsg(db));
		goto out;
	}
	v = (const char *)sqlite3_column_text(st, 0);
	if (v == NULL || strcmp(v, "ok") != 0) {
		/* sqlite's answer spans lines: one line for the log. */
		*cause = xstrdup(v != NULL ? v : "no answer");
		for (p = *cause; (p = strchr(p, '\n')) != NULL; p++)
			*p = ' ';
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	return (rc);
}

/* The words for a damaged file: what it is and what to do. */
static char *
store_damaged_new(const char *path, const char *why)
{
	char	*s;

	xasprintf(&s, "database '%s' is damaged (%s): opsbot will not use "
	    "it. Stop opsbot, move the file and its -wal file aside (the "
	    "replies not yet delivered and the dedupe keys in it are lost; "
	    "'sqlite3 FILE .recover' may save the audit rows) and start "
	    "again: a new database is made", path, why);
	return (s);
}

/* The pragmas every connection needs, before anything reads a table. */
static int
store_setup(struct store *s, char **cause)
{
	const char	*file;
	char		 mode[16];

	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, STORE_BUSY_MS);

	/* A memory or temporary database has no file name and no WAL. */
	file = sqlite3_db_filename(s->db, "main");
	if (file != NULL && *file != '\0') {
		/*
		 * One bot owns its database: an exclusive lock, held until
		 * close, saves the shared-memory index and a pair of lock
		 * calls per transaction (half the system time of a write),
		 * and a second opsbot on the same file fails to start
		 * instead of sending every reply twice. Set before WAL so
		 * that WAL never uses the -shm file.
		 */
		if (sqlite3_exec(s->db, "PRAGMA locking_mode = EXCLUSIVE",
		    NULL, NULL, NULL) != SQLITE_OK) {
			*cause = xstrdup(sqlite3_errmsg(s->db));
			return (-1);
		}
		if (store_pragma_text(s->db, "PRAGMA journal_mode = WAL", mode,
		    sizeof mode, cause) != 0)
			return (-1);
		if (strcmp(mode, "wal") != 0)
			log_warnx("database '%s': journal mode is %s, not wal",
			    s->path, mode);
	}
	/*
	 * The hot tables are small (dedupe keys, a short outbox): 512 KiB of
	 * page cache instead of the default 2 MiB keeps the daemon's memory
	 * flat under load.
	 */
	if (sqlite3_exec(s->db, "PRAGMA synchronous = NORMAL;"
	    "PRAGMA foreign_keys = ON;"
	    "PRAGMA cache_size = -512;", NULL, NULL, NULL) != SQLITE_OK) {
		*cause = xstrdup(sqlite3_errmsg(s->db));
		return (-1);
	}
	return (0);
}

/*
 * The in-memory database of the runbook index (store-index.c). It is
 * made at every open, so it is here and not a migration.
 */
static int
store_index_create(struct store *s, char **cause)
{
	if (sqlite3_exec(s->db, store_index_sql, NULL, NULL, NULL) !=
	    SQLITE_OK) {
		xasprintf(cause, "cannot create the index: %s",
		    sqlite3_errmsg(s->db));
		return (-1);
	}
	return (0);
}

/*
 * Why sqlite could not open or set up path, when the reason is that the
 * file or its directory is not writable (sqlite says only "disk I/O
 * error" or "attempt to write a readonly database"): a new string, or
 * NULL when both are writable.
 */
static char *
store_unwritable_new(const char *path)
{
	const char	*slash;
	char		*dir, *why = NULL;

	if (*path == '\0' || strcmp(path, ":memory:") == 0)
		return (NULL);
	if (access(path, F_OK) == 0 && access(path, W_OK) != 0) {
		xasprintf(&why, "the store file '%s' is not writable (%s)",
		    path, strerror(errno));
		return (why);
	}
	/* sqlite creates its journal next to the file */
	slash = strrchr(path, '/');
	if (slash == NULL)
		dir = xstrdup(".");
	else if (slash == path)
		dir = xstrdup("/");
	else
		dir = xstrndup(path, (size_t)(slash - path));
	/* a missing directory keeps sqlite's "unable to open" */
	if (access(dir, W_OK) != 0 && errno != ENOENT)
		xasprintf(&why, "the store directory '%s' is not writable "
		    "(%s)", dir, strerror(errno));
	free(dir);
	return (why);
}

struct store *
store_open(const char *path, char **cause)
{
	struct store	*s;
	char		*why = NULL, *unwritable = NULL;
	int		 rc;

	s = xcalloc(1, sizeof *s);
	s->path = xstrdup(path);

	rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		why = xstrdup(s->db != NULL ? sqlite3_errmsg(s->db) :
		    sqlite3_errstr(rc));
		goto fail;
	}
	if (store_setup(s, &why) != 0)
		goto fail;
	if (store_quick_check(s->db, &why) != 0) {
		*cause = store_damaged_new(path, why);
		free(why);
		store_close(s);
		return (NULL);
	}
	if (store_migrate(s, &why) != 0)
		goto fail;
	if (store_index_create(s, &why) != 0)
		goto fail;
	return (s);

fail:
	/*
	 * A schema that spans more than the first page can be unreadable
	 * before quick_check runs: that is damage too, and says so.
	 */
	rc = s->db != NULL ? sqlite3_errcode(s->db) : rc;
	if (rc == SQLITE_CORRUPT) {
		*cause = store_damaged_new(path, why);
		free(why);
		store_close(s);
		return (NULL);
	}
	unwritable = store_unwritable_new(path);
	xasprintf(cause, "cannot open database '%s': %s", path,
	    unwritable != NULL ? unwritable : why);
	free(unwritable);
	free(why);
	store_close(s);
	return (NULL);
}

struct store *
store_open_readonly(const char *path, char **cause)
{
	struct store	*s;
	int		 rc, v;

	s = xcalloc(1, sizeof *s);
	s->path = xstrdup(path);
	/* No CREATE: a report of a database that is not there is an error. */
	rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		xasprintf(cause, "cannot open database '%s': %s", path,
		    s->db != NULL ? sqlite3_errmsg(s->db) :
		    sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_busy_timeout(s->db, 5000);
	if ((v = store_schema_version(s)) < 0) {
		xasprintf(cause, "cannot open database '%s': %s", path,
		    sqlite3_errmsg(s->db));
		goto fail;
	}
	if (v != store_schema_latest()) {
		xasprintf(cause, "database '%s' has schema version %d, this "
		    "opsbot reads %d: run opsbot once to migrate it", path, v,
		    store_schema_latest());
		goto fail;
	}
	return (s);

fail:
	store_close(s);
	return (NULL);
}

int
store_check(const char *path, char **cause)
{
	sqlite3	*db = NULL;
	char	*why = NULL;
	int	 rv = 1, rc;

	*cause = NULL;
	if (strcmp(path, ":memory:") == 0 || access(path, F_OK) == -1) {
		rv = 0;		/* store_open makes it */
		goto out;
	}
	/* No CREATE; exclusive as store_setup, so WAL needs no -shm. */
	rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK || sqlite3_exec(db, "PRAGMA locking_mode = "
	    "EXCLUSIVE", NULL, NULL, NULL) != SQLITE_OK) {
		xasprintf(cause, "database '%s' not checked: %s", path,
		    db != NULL ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		goto out;
	}
	if (store_quick_check(db, &why) == 0) {
		rv = 0;
		goto out;
	}
	/* A running opsbot holds the file: that says nothing about it. */
	rc = sqlite3_errcode(db);
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
		xasprintf(cause, "database '%s' not checked: %s (is opsbot "
		    "running?)", path, why);
		goto out;
	}
	*cause = store_damaged_new(path, why);
	rv = -1;
out:
	free(why);
	sqlite3_close(db);
	return (rv);
}

const char *
store_last_error(const struct store *s)
{
	return (s->last_error);
}

void
store_close(struct store *s)
{
	size_t	 i;

	if (s == NULL)
		return;
	for (i = 0; i < s->cachecap; i++)
		sqlite3_finalize(s->cache[i].st);
	free(s->cache);
	/* Every statement is finalised, so this closes for real. */
	if (s->db != NULL && sqlite3_close(s->db) != SQLITE_OK)
		log_warnx("cannot close database '%s': %s", s->path,
		    sqlite3_errmsg(s->db));
	free(s->path);
	free(s);
}

static const char sql_begin[] = "BEGIN IMMEDIATE";
static const char sql_commit[] = "COMMIT";
static const char sql_rollback[] = "ROLLBACK";

int
store_begin(struct store *s)
{
	if (store_in_transaction(s)) {
		snprintf(s->last_error, sizeof s->last_error, "store_begin: "
		    "already in a transaction");
		log_warnx("%s", s->last_error);
		return (-1);
	}
	return (store_run(s, sql_begin, "store_begin"));
}

int
store_commit(struct store *s)
{
	if (!store_in_transaction(s)) {
		snprintf(s->last_error, sizeof s->last_error, "store_commit: "
		    "not in a transaction");
		log_warnx("%s", s->last_error);
		return (-1);
	}
	return (store_run(s, sql_commit, "store_commit"));
}

int
store_rollback(struct store *s)
{
	/* sqlite may have rolled back already (SQLITE_FULL, IOERR). */
	if (!store_in_transaction(s))
		return (0);
	return (store_run(s, sql_rollback, "store_rollback"));
}

int
store_in_transaction(const struct store *s)
{
	return (!sqlite3_get_autocommit(s->db));
}
