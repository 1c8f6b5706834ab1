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
/*
 * Fills the struct out points at (zeroed first, strings owned by it)
 * from st's current row: each table's *_from_row, for the two below.
 */
typedef void (*store_row_fn)(sqlite3_stmt *st, void *out);
/* Frees what a store_row_fn filled in (each table's *_release). */
typedef void (*store_release_fn)(void *);
/*
 * Steps st (bound) for at most one row, read into *out with row.
 * Returns 1, 0 when there is none, or -1 (logged as `what`); st is
 * reset and its bindings cleared either way.
 */
int	 store_step_one(struct store *, sqlite3_stmt *st, const char *what,
	    store_row_fn row, void *out);
/*
 * Steps st (bound) for up to max rows (SIZE_MAX: all), appending each,
 * read with row, to the array *vp (vp is the address of the caller's
 * struct T *, elements of size bytes, grown with xreallocarray) of *n
 * elements; *n counts them. On an error the rows read stay the caller's
 * when release is NULL, or are released (and *n put back) with it.
 * Returns the number appended or -1 (logged as `what`). The list
 * functions of store.h say which they do.
 */
int	 store_step_rows(struct store *, sqlite3_stmt *st, const char *what,
	    size_t max, store_row_fn row, store_release_fn release, void *vp,
	    size_t size, size_t *n);
/* A new copy of text column i (caller frees), or NULL for SQL NULL. */
char	*store_column_strdup(sqlite3_stmt *st, int i);

#endif /* OPSBOT_STORE_PRIVATE_H */
