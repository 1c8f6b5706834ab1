/*
 * store-private.h: what the files of store/ share and nothing else sees:
 * the struct store definition and the prepared-statement table.
 */
#ifndef OPSBOT_STORE_PRIVATE_H
#define OPSBOT_STORE_PRIVATE_H

#include <sqlite3.h>

#include "store/store.h"

/*
 * Every query the bot runs after start-up, prepared once in store_open
 * and finalised in store_close. The SQL is in store_stmt_sql[] in store.c,
 * in this order.
 */
enum store_stmt {
	STMT_BEGIN,
	STMT_COMMIT,
	STMT_ROLLBACK,
	STMT_AUDIT_ADD,
	STMT_AUDIT_COUNT,
	STMT_SEEN_HAS,
	STMT_SEEN_ADD,
	STMT_SEEN_PRUNE,
	STMT_TIMER_ADD,
	STMT_TIMER_BY_KEY,
	STMT_TIMER_GET,
	STMT_TIMER_CANCEL,
	STMT_TIMER_RESCHEDULE,
	STMT_TIMER_NEXT_DUE,
	STMT_TIMER_DUE,
	STMT_TIMER_FIRE,
	STMT_TIMER_SAVEPOINT,
	STMT_TIMER_RELEASE,
	STMT_TIMER_ROLLBACK_TO,
	STMT_REMINDER_ADD,
	STMT_REMINDER_BY_KEY,
	STMT_REMINDER_SET_TIMER,
	STMT_REMINDER_GET,
	STMT_REMINDER_LIST,
	STMT_REMINDER_COUNT,
	STMT_REMINDER_CANCEL,
	STMT_REMINDER_FIRE,
	STMT_REMINDER_SAVEPOINT,
	STMT_REMINDER_RELEASE,
	STMT_REMINDER_ROLLBACK_TO,
	STMT_USER_GET,
	STMT_USER_PUT,
	STMT_INDEX_CLEAR,
	STMT_INDEX_CLEAR_HEADINGS,
	STMT_INDEX_ADD,
	STMT_INDEX_ADD_HEADING,
	STMT_INDEX_SEARCH,
	STMT__COUNT
};

#define STORE_ERR_MAX	256

/* One statement of the cache store_prep fills (store.c). */
struct store_cached {
	const char	*sql;	/* borrowed: a static string, the key */
	sqlite3_stmt	*st;	/* owned */
};

struct store {
	sqlite3		*db;			/* owned */
	char		*path;			/* owned, as opened */
	sqlite3_stmt	*stmt[STMT__COUNT];	/* owned */
	char		 last_error[STORE_ERR_MAX]; /* see store_last_error */
	struct store_cached *cache;		/* owned; open addressing */
	size_t		 ncache;		/* used slots */
	size_t		 cachecap;		/* slots, a power of two */
};

/* store.c */
/*
 * The prepared statement for sql, which must be a string with static
 * storage (its address is the cache key): prepared on first use, kept
 * until store_close. So a new query is one static string and one
 * function in the store file that owns its table, with no list to
 * extend elsewhere. Returns NULL (logged, store_last_error set) if sql
 * does not prepare. The statement comes back reset, without bindings.
 */
sqlite3_stmt *store_prep(struct store *, const char *sql);
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
