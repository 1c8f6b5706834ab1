/*
 * store-private.h: what the files of store/ share and nothing else sees:
 * the struct store definition, the statement cache and the helpers that
 * run its statements.
 */
#ifndef OPSBOT_STORE_PRIVATE_H
#define OPSBOT_STORE_PRIVATE_H

#include <sqlite3.h>

#include "store/store.h"

#define STORE_ERR_MAX	256

/* One statement of the cache store_prep fills (store.c). */
struct store_cached {
	const char	*sql;	/* borrowed: a static string, the key */
	sqlite3_stmt	*st;	/* owned */
};

struct store {
	sqlite3		*db;			/* owned */
	char		*path;			/* owned, as opened */
	char		 last_error[STORE_ERR_MAX]; /* see store_last_error */
	struct store_cached *cache;		/* owned; open addressing */
	size_t		 ncache;		/* used slots */
	size_t		 cachecap;		/* slots, a power of two */
};

/* store.c */
/*
 * The prepared statement for sql, which must be a string with static
 * storage (its address is the cache key): prepared on first use, kept
 * until store_close. Every statement the store runs after open goes
 * through here: a new query is one static string and one function in
 * the store file that owns its table, with no list to extend elsewhere.
 * Returns NULL (logged, store_last_error set) if sql does not prepare.
 * The statement comes back reset, without bindings.
 */
sqlite3_stmt *store_prep(struct store *, const char *sql);
/*
 * Runs sql (static, as for store_prep), a statement with no parameters
 * and no rows (BEGIN, SAVEPOINT, DELETE FROM t). Returns 0 or -1 (logged
 * as `what`).
 */
int	 store_run(struct store *, const char *sql, const char *what);
/*
 * Logs "what: <sqlite errmsg>" with log_warnx, keeps it for
 * store_last_error and resets st (which may be NULL) so the next use
 * starts clean. Always returns -1.
 */
int	 store_fail(struct store *, sqlite3_stmt *st, const char *what);
/*
 * Steps st once, expecting SQLITE_DONE, then resets it and clears its
 * bindings (so no pointer to the caller's strings outlives the call).
 * Returns 0 or -1 (logged as `what`).
 */
int	 store_step_done(struct store *, sqlite3_stmt *st, const char *what);
/*
 * Steps st once, expecting one row whose first column is an integer, and
 * resets it. Returns 0 with *v set, or -1 (logged as `what`).
 */
int	 store_step_int(struct store *, sqlite3_stmt *st, const char *what,
	    int64_t *v);
/*
 * Binds s as text (SQLITE_STATIC: valid until the statement is reset,
 * which every caller does before returning) or NULL when s is NULL.
 */
int	 store_bind_text(sqlite3_stmt *st, int i, const char *s);
/* A new copy of text column i (caller frees), or NULL for SQL NULL. */
char	*store_column_strdup(sqlite3_stmt *st, int i);

#endif /* OPSBOT_STORE_PRIVATE_H */
