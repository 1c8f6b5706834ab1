/*
 * store.h: the only code that speaks SQL. An opaque struct store over one
 * sqlite3 database (WAL, synchronous=NORMAL: a commit survives kill -9 of
 * the process, not a power cut) plus an in-memory attached database for
 * the runbook full-text index, which is derived data rebuilt at start.
 *
 * Map of store/:
 *   store.c          open/close, transactions, the statement cache
 *   store-migrate.c  the ordered migration steps (PRAGMA user_version)
 *   store-audit.c    the audit table: every command run
 *   store-seen.c     event dedupe keys (event_id, channel+ts) with a TTL
 *   store-post.c     the outbox: posts waiting to be delivered, and done
 *   store-timer.c    durable timers: add, cancel, reschedule, claim due
 *   store-reminder.c `remind`'s reminders, each armed with a timer
 *   store-user.c     users as the adapter knows them (name, time zone)
 *   store-watch.c    when each channel watch last answered, and where
 *   store-channel.c  channel names learnt from the adapter
 *   store-ticket.c   support tickets, their events, their two timers
 *   store-oncall.c   on-call overrides (bot/oncall.h)
 *   store-page.c     pages, their escalation steps and events
 *   store-ical.c     the iCalendar body last fetched per rotation
 *   store-handoff.c  on-call handoffs, and the reads of their records
 *   store-index.c    FTS5 index of runbook sections
 *
 * Conventions: functions return 0 on success and -1 on error unless said
 * otherwise; errors are logged with log_warnx (the sqlite message
 * included) and never abort. Strings passed in are copied by sqlite;
 * strings returned are owned by the caller unless said otherwise.
 * Times are wall-clock seconds since the epoch unless the name says _ms.
 *
 * Adding a query touches two files: in the store file that owns the
 * table, a `static const char sql_x[]` (with any comment on its SQL)
 * and the function that runs it through store_prep (store-private.h),
 * which prepares it on first use and keeps it until store_close; here,
 * the function's prototype under that file's banner. A statement that
 * does not prepare fails its function like any other sqlite error, so
 * the unit tests call every function here at least once
 * (tests/unit/test_store_all.c): a new function belongs there too.
 * A new table is a step in store-migrate.c.
 */
#ifndef OPSBOT_STORE_H
#define OPSBOT_STORE_H

#include <stddef.h>
#include <stdint.h>

struct store;

/* store.c */
/*
 * Opens (creating if needed) the database at path (":memory:" works),
 * sets WAL and the pragmas, and migrates it to the newest schema. A file
 * is locked exclusively until store_close: no other program can read it
 * meanwhile, and a second opsbot on it fails ("database is locked").
 * Returns NULL with *cause (caller frees) on failure, e.g.
 * "cannot open database 'x.db': unable to open database file".
 */
struct store	*store_open(const char *path, char **cause);
void		 store_close(struct store *);	/* accepts NULL */
/*
 * Whether the file at path is a database opsbot can use, without
 * creating or migrating it (for `opsbot -n`): 0 if it is sound or does
 * not exist yet (store_open will make it); 1 if it could not be checked
 * (in use by a running opsbot, unreadable), with *cause (caller frees);
 * -1 if it is damaged, with *cause naming the file and what to do.
 * store_open runs the same check (PRAGMA quick_check: every page and
 * b-tree read, ~1 ms per MB) and fails on a damaged file.
 */
int		 store_check(const char *path, char **cause);
/*
 * The last failure as "what: <sqlite message>" (borrowed, valid until
 * the next store call), or "" if there was none: for the caller that
 * must tell the user or the operator more than "it failed".
 */
const char	*store_last_error(const struct store *);
/* Transactions do not nest: begin inside a transaction is an error.
 * Rollback outside a transaction is a no-op returning 0 (sqlite may have
 * rolled back already on a disk error). Wrapping a loop turn's writes in
 * one transaction saves most of their cost: each commit writes the WAL. */
int		 store_begin(struct store *);
int		 store_commit(struct store *);
int		 store_rollback(struct store *);
int		 store_in_transaction(const struct store *);
/*
 * A savepoint, for writes that go together inside the caller's
 * transaction (the gate's, a timer's claim) or, outside one, as a
 * transaction of their own: store_savepoint opens it, _release keeps
 * what was written and pops it, _undo rolls back to it and pops it.
 * Savepoints nest strictly. Each returns 0, or -1 (logged as what).
 */
int		 store_savepoint(struct store *, const char *what);
int		 store_savepoint_release(struct store *, const char *what);
int		 store_savepoint_undo(struct store *, const char *what);

/* store-migrate.c */
/* Applies every step newer than PRAGMA user_version, each in its own
 * transaction. Called by store_open; exposed for tests. */
int		 store_migrate(struct store *, char **cause);
/* The schema version now (PRAGMA user_version), or -1. */
int		 store_schema_version(struct store *);
/* The newest version this build knows. */
int		 store_schema_latest(void);
/* The SQL of step n (1-based; static), or NULL: tests build old schemas. */
const char	*store_migration_sql(int n);

/* store-audit.c */
struct audit_rec {
	int64_t		 at;		/* wall seconds */
	const char	*adapter;	/* "slack", "console" */
	const char	*channel;
	const char	*user;
	const char	*command;	/* command name as resolved, or the word typed */
	const char	*args;		/* the rest of the line */
	const char	*status;	/* "ok", "error", "unknown", "usage" */
	const char	*event_id;	/* may be NULL */
};
int		 store_audit_add(struct store *, const struct audit_rec *);
/* Number of audit rows (tests and `-n` reports). -1 on error. */
int64_t		 store_audit_count(struct store *);
/*
 * The args of the newest audit row as a new string (caller frees), ""
 * for NULL args, or NULL when there is no row or on error (tests).
 */
char		*store_audit_last_args_new(struct store *);

/* store-seen.c */
/* 1 if key was seen at or after `since`, 0 if not, -1 on error. */
int		 store_seen_has(struct store *, const char *key, int64_t since);
/* Records key as seen at `at` (an existing key's time is kept). */
int		 store_seen_add(struct store *, const char *key, int64_t at);
/* Deletes keys seen before `before`; returns rows deleted or -1. */
int64_t		 store_seen_prune(struct store *, int64_t before);

/* store-post.c: the outbox of posts (bot/outbox.h, docs/internals/outbox.md). */
struct post;
/* A queued post as stored. Strings owned (store_post_rec_release). */
struct post_rec {
	int64_t		 id;
	int		 op;		/* enum post_op */
	char		*channel;
	char		*thread_ts;
	char		*text;
	char		*blocks;	/* JSON array text, or NULL */
	char		*target_key;
	char		*target_ts;
	char		*reaction;
	char		*response_url;
	char		*key;		/* idempotency key, or NULL */
	char		*order_key;	/* posts of one key go one at a time */
	int		 attempts;
	int64_t		 not_before_ms;	/* wall ms; 0 = at once */
};
/*
 * Queues p (struct post, bot/outbox.h) under order_key, created at
 * now_ms (wall ms). Returns the id (> 0), 0 if p->key is already in the
 * table (nothing added), or -1.
 */
int64_t		 store_post_add(struct store *, int64_t now_ms,
		    const struct post *p, const char *order_key);
/*
 * Appends to *rows (grown with xreallocarray; release each row and free
 * the array) the oldest pending post of each order key, due or not,
 * with an id above after_id (0: from the start), up to max, oldest
 * first: only those can be sent next, and a deferred one holds its
 * key's later posts back. A caller that cannot use a whole page (heads
 * paused, in flight) asks for the next with its last id. Returns the
 * number appended or -1.
 */
int		 store_post_heads(struct store *, int64_t after_id,
		    size_t max, struct post_rec **rows, size_t *n);
/*
 * Delivered at now_ms; ts (may be NULL) is the message's. keep (the post
 * has an idempotency key): the row stays, state 1 with its ts, so the
 * key keeps deduping and an update can find the message, until
 * store_post_prune; else the row is deleted.
 */
int		 store_post_done(struct store *, int64_t id, const char *ts,
		    int64_t now_ms, int keep);
/* Given up for good at now_ms: kept (state 2, why) or deleted as above. */
int		 store_post_failed(struct store *, int64_t id, const char *why,
		    int64_t now_ms, int keep);
/* Try again no earlier than not_before_ms (wall ms); attempts += 1. */
int		 store_post_defer(struct store *, int64_t id,
		    int64_t not_before_ms, const char *why);
/*
 * What became of the post with idempotency key: 1 with *ts (new string,
 * NULL until delivered) and *state (0 pending, 1 delivered, 2 failed),
 * 0 if no post has the key, -1 on error.
 */
int		 store_post_by_key(struct store *, const char *key, char **ts,
		    int *state, char **order_key);
/* Deletes delivered and failed posts finished before before_ms. */
int64_t		 store_post_prune(struct store *, int64_t before_ms);
/* Number of pending posts, or -1. */
int64_t		 store_post_count(struct store *);
void		 store_post_rec_release(struct post_rec *);

/* store-timer.c: durable timers (docs/internals/timers.md). */
enum timer_state {
	TIMER_PENDING,
	TIMER_FIRED,
	TIMER_CANCELLED
};
/*
 * One timer. All times are wall ms UTC (clock_wall_ms()). Strings are
 * owned by the struct (store_timer_release) except in a claim callback,
 * where the store owns them and they live until the callback returns.
 */
struct store_timer {
	int64_t		 id;
	int64_t		 due_ms;
	char		*kind;		/* handler name, e.g. "remind" */
	char		*ref;		/* what it is about, e.g. "reminder:42" */
	char		*key;		/* idempotency key, may be NULL */
	enum timer_state state;
	int64_t		 fired_at_ms;	/* 0 until fired */
	int		 late;		/* fired more than the grace after due */
	int64_t		 created_ms;
};
/*
 * Adds a pending timer due at due_ms; now_ms is its creation time. kind
 * and ref must not be NULL. key (may be NULL: no key) makes the add
 * idempotent: a second add with the same key adds nothing and returns
 * the first timer's id, whatever its state and arguments, so a retried
 * event or a replayed command cannot arm two timers. Returns the id
 * (> 0) or -1.
 */
int64_t		 store_timer_add(struct store *, int64_t now_ms,
		    int64_t due_ms, const char *kind, const char *ref,
		    const char *key);
/*
 * Reads timer id into *t (release with store_timer_release). Returns 1,
 * 0 if there is no such timer, or -1.
 */
int		 store_timer_get(struct store *, int64_t id,
		    struct store_timer *t);
/*
 * Cancel and reschedule (due_ms, wall ms) act on a pending timer only.
 * Each returns 1 if it changed the timer, 0 if the timer does not exist
 * or is no longer pending (fired or cancelled: too late), or -1.
 */
int		 store_timer_cancel(struct store *, int64_t id);
int		 store_timer_reschedule(struct store *, int64_t id,
		    int64_t due_ms);
/*
 * Sets *due_ms to the earliest due time of the pending timers, which may
 * be in the past. Returns 1, 0 if no timer is pending, or -1.
 */
int		 store_timer_next_due(struct store *, int64_t *due_ms);
/*
 * Called once per claimed timer, inside the claim's transaction, after
 * the timer is marked fired: whatever it writes with s (an outbox row,
 * a reminder's state) commits together with the firing, or not at all.
 * Returns 0, or -1 to undo this timer's firing and its writes: the
 * timer stays pending for the next claim. It must not begin, commit or
 * roll back a transaction.
 */
typedef int	(*store_timer_cb)(struct store *s, const struct store_timer *t,
		    void *arg);
/*
 * Fires up to max pending timers due at now_ms (due_ms <= now_ms), in
 * due order, ties by id, in ONE transaction (none may be open): each is
 * marked fired at now_ms, late if now_ms - due_ms > late_after_ms, then
 * cb runs. Each timer sits in its own savepoint, so a callback failing
 * rolls back that timer only; the others commit. A timer is therefore
 * fired at most once, also across kill -9: before the commit nothing
 * happened, after it the timer is no longer pending. Returns the number
 * of timers fired (callbacks that returned 0) with *failed set to the
 * number whose callback failed, or -1 (nothing committed).
 */
int		 store_timer_claim(struct store *, int64_t now_ms,
		    int64_t late_after_ms, size_t max, store_timer_cb cb,
		    void *arg, size_t *failed);
void		 store_timer_release(struct store_timer *);

/* store-reminder.c: `remind`'s reminders (commands/cmd-remind.c). */
enum reminder_state {
	REMINDER_PENDING,
	REMINDER_FIRED,
	REMINDER_CANCELLED
};
/*
 * A reminder as stored. Times are wall ms UTC. Strings are owned by the
 * struct (store_reminder_release).
 */
struct store_reminder {
	int64_t		 id;
	char		*adapter;	/* "slack", "console": how to mention */
	char		*channel;
	char		*thread_ts;	/* the thread to post in, or NULL */
	char		*user;		/* who asked */
	char		*text;		/* as typed (tokenised), not escaped */
	char		*tz;		/* the zone its time was read in */
	int64_t		 due_ms;
	int64_t		 timer_id;	/* its timer (store-timer.c) */
	enum reminder_state state;
	int64_t		 created_ms;
	int64_t		 fired_ms;	/* 0 until fired */
	int		 late;		/* fired late (store_timer.late) */
};
/* What store_reminder_add stores; every string is borrowed. */
struct reminder_add {
	/*
	 * Idempotency key or NULL: derived from the message that asked
	 * ("remind:slack:C1:1700000000.000100"), so that the same message
	 * handled twice adds one reminder and arms one timer.
	 */
	const char	*key;
	const char	*adapter;
	const char	*channel;
	const char	*thread_ts;	/* may be NULL */
	const char	*user;
	const char	*text;
	const char	*tz;
	int64_t		 due_ms;	/* wall ms UTC */
	int64_t		 now_ms;	/* wall ms UTC: created_ms */
	const char	*timer_kind;	/* the timer handler: "remind" */
};
/*
 * Adds a pending reminder and arms its timer (kind r->timer_kind, ref
 * "reminder:<id>", key "reminder:<id>", due r->due_ms), both or
 * neither: in a savepoint, inside the caller's transaction if one is
 * open. If r->key is already taken, adds nothing and answers with the
 * reminder that has it, whatever its state. Returns the reminder's id
 * (> 0) with *added 1 (new) or 0 (the key's), or -1. The caller kicks
 * the scheduler (sched_kick) once the timer may be the earliest.
 */
int64_t		 store_reminder_add(struct store *,
		    const struct reminder_add *r, int *added);
/*
 * Reads reminder id (or the one a timer's ref "reminder:<id>" names)
 * into *r (release with store_reminder_release). Returns 1, 0 if there
 * is no such reminder (or ref is not a reminder's), or -1.
 */
int		 store_reminder_get(struct store *, int64_t id,
		    struct store_reminder *r);
int		 store_reminder_by_ref(struct store *, const char *ref,
		    struct store_reminder *r);
/*
 * Appends up to max of user's pending reminders, soonest first, to *v
 * (grown with xreallocarray; caller releases each and frees the array).
 * Returns the number appended or -1.
 */
int		 store_reminder_list(struct store *, const char *user,
		    size_t max, struct store_reminder **v, size_t *n);
/* The number of user's pending reminders, or -1. */
int64_t		 store_reminder_count(struct store *, const char *user);
/*
 * Cancels pending reminder id and its timer, both or neither. Returns
 * 1, 0 if it is not pending (unknown, fired or cancelled: nothing
 * changed), or -1. Checking who may cancel is the caller's.
 */
int		 store_reminder_cancel(struct store *, int64_t id);
/*
 * Marks pending reminder id fired at fired_ms (wall ms UTC), late or
 * not: in the timer's claim, with the post it queues. Returns 1, 0 if
 * it was not pending, or -1.
 */
int		 store_reminder_fire(struct store *, int64_t id,
		    int64_t fired_ms, int late);
void		 store_reminder_release(struct store_reminder *);

/* store-ticket.c: support tickets (bot/ticket.h, commands/cmd-ticket.c). */
enum ticket_state {
	TICKET_OPEN,		/* waiting for its first response */
	TICKET_ANSWERED,	/* an engineer replied: the clock stopped */
	TICKET_CLOSED
};
/* A ticket as stored. Times wall ms UTC; strings owned (release). */
struct store_ticket {
	int64_t		 id;
	char		*adapter;
	char		*channel;
	char		*thread_ts;	/* the request's ts, or NULL (console) */
	char		*requester;
	int		 priority;	/* enum support_priority */
	char		*tier_name;	/* a name of cfg->tiers when opened */
	int64_t		 opened_ms;
	int64_t		 due_ms;
	int64_t		 warn_ms;
	enum ticket_state state;
	int64_t		 first_response_ms;	/* 0 until answered */
	char		*responder;	/* who answered first, or NULL */
	int64_t		 warn_timer;	/* timer ids (store-timer.c) */
	int64_t		 breach_timer;
	int64_t		 updated_ms;	/* the last event's time */
	int64_t		 stale_timer;	/* 0 until armed (bot/ticket.c) */
	int64_t		 active_ms;	/* last activity in its thread, or 0 */
	/*
	 * Closing: an engineer asked the requester whether it may close
	 * (bot/ticket-close.c). closing_ms is when (0: not asked, or
	 * answered "no"), closing_key the question post's idempotency key
	 * (outbox), or NULL. state stays open or answered meanwhile.
	 */
	int64_t		 closing_ms;
	char		*closing_key;
	/* the request's link (chat.getPermalink), or NULL until known */
	char		*permalink;
};
/* What store_ticket_add stores; strings borrowed. */
struct ticket_add {
	const char	*key;		/* the request's identity, or NULL */
	const char	*adapter;
	const char	*channel;
	const char	*thread_ts;
	const char	*requester;
	int		 priority;
	const char	*tier_name;	/* bot/ticket.h support_tier_def */
	int64_t		 now_ms;	/* opened_ms */
	int64_t		 due_ms;
	int64_t		 warn_ms;
	const char	*warn_kind;	/* timer kinds: "ticket-warn" */
	const char	*breach_kind;	/* "ticket-breach" */
	const char	*detail;	/* of the "opened" event */
};
/* One event of a ticket; strings owned (store_ticket_event_release). */
struct store_ticket_event {
	int64_t		 at_ms;
	char		*kind;		/* opened, answered, priority, ... */
	char		*actor;		/* a user id, or NULL (the bot) */
	char		*detail;
};
/* What store_ticket_list reads. */
enum ticket_filter {
	TICKET_LIST_OPEN,	/* not closed */
	TICKET_LIST_BREACHING,	/* open, past due at now_ms */
	TICKET_LIST_MINE,	/* not closed, user asked or answered */
};
/*
 * Opens a ticket and arms its timers (ref "ticket:<id>", kinds from a,
 * keys "<kind>:<id>") with an "opened" event, all or nothing
 * (a savepoint in the caller's transaction). If a->key is taken, adds
 * nothing and answers with that ticket. Returns the id (> 0) with
 * *added 1 or 0, or -1. The caller kicks the scheduler.
 */
int64_t		 store_ticket_add(struct store *, const struct ticket_add *a,
		    int *added);
/*
 * Reads ticket id, the one a timer's ref "ticket:<id>" names, or the
 * one whose request is thread_ts in channel into *t (release with
 * store_ticket_release). Returns 1, 0 if there is none, or -1.
 */
int		 store_ticket_get(struct store *, int64_t id,
		    struct store_ticket *t);
int		 store_ticket_by_ref(struct store *, const char *ref,
		    struct store_ticket *t);
int		 store_ticket_by_thread(struct store *, const char *channel,
		    const char *thread_ts, struct store_ticket *t);
/*
 * The ticket not closed whose close question (closing_key) was
 * delivered as message ts in channel, read as store_ticket_get.
 * Returns 1, 0 if none (or the post is not delivered yet), or -1.
 */
int		 store_ticket_by_question(struct store *, const char *channel,
		    const char *ts, struct store_ticket *t);
/*
 * Ticket id is closing from at_ms: the requester was asked in the post
 * of idempotency key question_key; a "closing" event by actor; all or
 * nothing. Returns 1, 0 if it is closed, closing already or unknown
 * (nothing changed), or -1.
 */
int		 store_ticket_closing(struct store *, int64_t id,
		    const char *question_key, const char *actor,
		    int64_t at_ms);
/*
 * Closing ticket id is not closing any more (the requester said no):
 * a "still open" event by actor with detail (may be NULL). Returns 1,
 * 0 if it was not closing, or -1.
 */
int		 store_ticket_still_open(struct store *, int64_t id,
		    const char *actor, const char *detail, int64_t at_ms);
/*
 * Appends up to max tickets of filter (user for TICKET_LIST_MINE, now_ms
 * for TICKET_LIST_BREACHING), soonest due first, to *v (grown with
 * xreallocarray; caller releases each and frees the array). Returns the
 * number appended or -1.
 */
int		 store_ticket_list(struct store *, enum ticket_filter filter,
		    const char *user, int64_t now_ms, size_t max,
		    struct store_ticket **v, size_t *n);
/*
 * The first response to open ticket id, by responder at at_ms: state
 * answered, its timers cancelled, an "answered" event; all or nothing.
 * Returns 1, 0 if the ticket was not open (nothing changed), or -1.
 */
int		 store_ticket_answer(struct store *, int64_t id,
		    const char *responder, int64_t at_ms);
/*
 * New priority, due and warning times for ticket id, with its timers
 * (ids, after re-arming) and an event of kind by actor with detail;
 * all or nothing. Returns 1, 0 if the ticket is closed or unknown, -1.
 */
int		 store_ticket_set_priority(struct store *, int64_t id,
		    int priority, int64_t due_ms, int64_t warn_ms,
		    int64_t warn_timer, int64_t breach_timer,
		    const char *kind, const char *actor, const char *detail,
		    int64_t at_ms);
/*
 * Closes ticket id (closing or not) at at_ms by actor: its pending
 * timers cancelled, a "closed" event; all or nothing. Returns 1, 0 if it was closed or
 * unknown already, or -1.
 */
int		 store_ticket_close(struct store *, int64_t id,
		    const char *actor, int64_t at_ms);
/*
 * Reopens closed ticket id at at_ms by actor: open again, or answered
 * if it had its first response, not closing, with its timers (ids, re-armed by the
 * caller) and a "reopened" event with detail; all or nothing. Returns
 * 1, 0 if it is not closed or unknown (nothing changed), or -1.
 */
int		 store_ticket_reopen(struct store *, int64_t id,
		    int64_t warn_timer, int64_t breach_timer,
		    const char *actor, const char *detail, int64_t at_ms);
/*
 * Ticket id's permalink (borrowed; NULL clears it), from the adapter's
 * answer (bot/ticket-link.c), if its request is thread_ts: an answer
 * that comes after the ticket's transaction was rolled back, and its id
 * taken by another, changes nothing. Returns 1, 0 if there is no such
 * ticket, or -1.
 */
int		 store_ticket_set_permalink(struct store *, int64_t id,
		    const char *thread_ts, const char *permalink);
/*
 * Ticket id's stale timer (its id) and last activity (wall ms UTC).
 * Returns 0 or -1.
 */
int		 store_ticket_set_stale(struct store *, int64_t id,
		    int64_t stale_timer, int64_t active_ms);
/* Adds an event to ticket id (a warning, a breach); updated_ms too. */
int		 store_ticket_event_add(struct store *, int64_t id,
		    int64_t at_ms, const char *kind, const char *actor,
		    const char *detail);
/*
 * Appends up to max of ticket id's events, oldest first, to *v (as
 * store_ticket_list). Returns the number appended or -1.
 */
int		 store_ticket_events(struct store *, int64_t id, size_t max,
		    struct store_ticket_event **v, size_t *n);
/*
 * Calls fn(arg, id, channel, thread_ts) for every ticket not closed
 * that has a thread (strings borrowed for the call only), in no order:
 * what bot/ticket-index.c loads at start. Returns the number of calls,
 * or -1 (some calls may have been made).
 */
typedef void	(*store_ticket_thread_fn)(void *arg, int64_t id,
		    const char *channel, const char *thread_ts);
int		 store_ticket_open_threads(struct store *,
		    store_ticket_thread_fn fn, void *arg);
void		 store_ticket_release(struct store_ticket *);
void		 store_ticket_event_release(struct store_ticket_event *);

/* store-page.c: pages and their escalation steps (bot/page.h). */
enum page_state {
	PAGE_OPEN,		/* waiting for its acknowledgement */
	PAGE_ACKED,
	PAGE_RESOLVED
};
/* A page as stored. Times wall ms UTC, 0 until set; strings owned. */
struct store_page {
	int64_t		 id;
	char		*adapter;
	char		*rotation;
	char		*summary;	/* as typed */
	char		*severity;
	char		*policy;	/* the policy's name when opened */
	char		*opened_by;
	char		*oncall;	/* who was paged, or NULL (nobody) */
	char		*channel;
	char		*ts;		/* the page message's, once learnt */
	int64_t		 opened_ms;
	int64_t		 ack_due_ms;
	enum page_state	 state;
	char		*acked_by;
	int64_t		 acked_ms;
	char		*resolved_by;
	int64_t		 resolved_ms;
	char		*note;		/* resolve's note, or NULL */
	int64_t		 needhelp_ms;
};
/* What store_page_add stores; strings borrowed. */
struct page_add {
	const char	*key;		/* the asking message, or NULL */
	const char	*adapter;
	const char	*rotation;
	const char	*summary;
	const char	*severity;
	const char	*policy;
	const char	*opened_by;
	const char	*oncall;	/* may be NULL */
	const char	*channel;
	int64_t		 now_ms;
	int64_t		 ack_due_ms;
};
/* One step of a page; strings owned (store_page_step_release). */
struct store_page_step {
	int64_t		 id;
	int64_t		 page;
	int		 phase;		/* PAGE_PHASE_PAGE, _HELP */
	int		 idx;		/* in the policy's list */
	int		 action;	/* enum page_action */
	char		*arg;		/* channel or vendor, or NULL */
	int		 critical_only;
	int64_t		 due_ms;
	int64_t		 timer;		/* 0 when skipped at once */
	int64_t		 fired_ms;	/* 0 until fired or skipped */
	int		 late;
	int		 skipped;
	char		*target;	/* who or where it went; skipped: why */
};
/* What store_page_step_add stores; strings borrowed. */
struct page_step_add {
	int64_t		 page;
	int		 phase;
	int		 idx;
	int		 action;
	const char	*arg;
	int		 critical_only;
	int64_t		 due_ms;
	int64_t		 now_ms;
	const char	*timer_kind;	/* "page-step"; NULL: skipped at once */
	const char	*why;		/* skipped at once: why, else NULL */
};
/* One event of a page (the audit of pages); strings owned. */
struct store_page_event {
	int64_t		 at_ms;
	char		*kind;		/* opened, step, skipped, acked, ... */
	char		*actor;		/* a user id, or NULL (the bot) */
	char		*detail;
};
/*
 * Opens a page with an "opened" event, both or neither (a savepoint in
 * the caller's transaction). If a->key is taken, adds nothing and
 * answers with that page. Returns the id (> 0) with *added 1 or 0, -1.
 */
int64_t		 store_page_add(struct store *, const struct page_add *a,
		    int *added);
/*
 * Reads page id, or the one whose message is ts in channel, into *p
 * (store_page_release). Returns 1, 0 if there is none, or -1.
 */
int		 store_page_get(struct store *, int64_t id,
		    struct store_page *p);
int		 store_page_by_thread(struct store *, const char *channel,
		    const char *ts, struct store_page *p);
/*
 * The one page not resolved whose message is in channel (the console
 * has no threads: "ack" there means that page), into *p
 * (store_page_release). Returns 1, 0 if there is none, 2 if there are
 * several (*p untouched), or -1.
 */
int		 store_page_only_open(struct store *, const char *channel,
		    struct store_page *p);
/* The page message's ts, learnt from its post. 0 or -1. */
int		 store_page_set_ts(struct store *, int64_t id, const char *ts);
/*
 * Adds step a of its page: with a->timer_kind, armed as a timer due at
 * a->due_ms (ref "page-step:<step id>", key "page-step:<page>:<phase>:
 * <idx>"); without, marked skipped at a->now_ms with a "skipped" event
 * saying a->why. All or nothing. If the key is taken (the same step
 * armed twice) adds nothing. Returns the step id (> 0) or -1.
 */
int64_t		 store_page_step_add(struct store *,
		    const struct page_step_add *a);
/*
 * Reads the step a timer's ref "page-step:<id>" names into *st
 * (store_page_step_release). Returns 1, 0 if none, or -1.
 */
int		 store_page_step_by_ref(struct store *, const char *ref,
		    struct store_page_step *st);
/*
 * Appends page id's steps, due order, to *v (grown with
 * xreallocarray; caller releases each and frees). Returns the number
 * appended or -1.
 */
int		 store_page_steps(struct store *, int64_t page,
		    struct store_page_step **v, size_t *n);
/*
 * Step id fired (skipped 0, target where it went) or was skipped
 * (skipped 1) at at_ms, late or not, with an event of kind "step" or
 * "skipped" with detail; only once. Returns 1, 0 if it had fired or
 * been skipped already (nothing changed), or -1.
 */
int		 store_page_step_done(struct store *, int64_t id, int64_t at_ms,
		    int late, int skipped, const char *target,
		    const char *detail);
/*
 * The earliest step of page id still waiting for its timer (not
 * fired, not skipped, its timer pending) into *st. 1, 0 none, -1.
 */
int		 store_page_next_step(struct store *, int64_t page,
		    struct store_page_step *st);
/*
 * Page id acknowledged by user at at_ms: the timers of its pending
 * policy steps cancelled, an "acked" event; all or nothing. Returns
 * 1, 0 if it was not open (nothing changed), or -1.
 */
int		 store_page_ack(struct store *, int64_t id, const char *user,
		    int64_t at_ms);
/*
 * Page id resolved by user at at_ms with note (may be NULL): every
 * pending step's timer cancelled, a "resolved" event; all or nothing.
 * Returns 1, 0 if it was resolved already, or -1.
 */
int		 store_page_resolve(struct store *, int64_t id,
		    const char *user, const char *note, int64_t at_ms);
/*
 * The page whose call for help (a needhelp step's post, key
 * "timer:<id>") is message ts, once delivered: its id, 0 if none, -1.
 */
int64_t		 store_page_by_help_post(struct store *, const char *ts);
/*
 * Page id's call for help was answered by user at at_ms: its needhelp
 * steps not fired yet cancelled, a "helped" event; all or nothing.
 * Returns 1, 0 if it asked for no help, was answered already or is
 * resolved, or -1.
 */
int		 store_page_helped(struct store *, int64_t id,
		    const char *user, int64_t at_ms);
/*
 * Page id needs help, asked by user at at_ms, with a "needhelp" event.
 * Returns 1, 0 if it was asked already or the page is resolved, -1.
 */
int		 store_page_needhelp(struct store *, int64_t id,
		    const char *user, int64_t at_ms);
/* An event of page id (an escalate-now, a note). 0 or -1. */
int		 store_page_event_add(struct store *, int64_t id,
		    int64_t at_ms, const char *kind, const char *actor,
		    const char *detail);
/*
 * Appends up to max of page id's events, oldest first, to *v (as
 * store_page_steps). Returns the number appended or -1.
 */
int		 store_page_events(struct store *, int64_t id, size_t max,
		    struct store_page_event **v, size_t *n);
void		 store_page_release(struct store_page *);
void		 store_page_step_release(struct store_page_step *);
void		 store_page_event_release(struct store_page_event *);

/* store-handoff.c: on-call handoffs (bot/handoff.h; migration 16). */
/* A handoff as stored. Times wall ms UTC; strings owned (release). */
struct store_handoff {
	int64_t		 id;
	char		*rotation;
	char		*from_user;	/* outgoing */
	char		*to_user;	/* incoming */
	int64_t		 shift_start_ms;	/* the outgoing shift */
	int64_t		 shift_end_ms;	/* its scheduled end: the handoff time */
	int64_t		 created_ms;	/* recorded */
	int		 late;		/* recorded past shift_end_ms + grace */
	int64_t		 acked_ms;	/* 0 until the incoming confirmed */
	char		*acked_by;
	char		*notes;		/* or NULL */
	char		*record;	/* JSON object (bot/handoff-record.c) */
};
/*
 * Records h (id and the ack ignored) with an audit row "handoff-record"
 * by user by (adapter, channel: where it was asked), both or neither (a
 * savepoint). Returns the id (> 0) or -1.
 */
int64_t		 store_handoff_add(struct store *, const struct store_handoff *h,
		    const char *adapter, const char *channel, const char *by);
/*
 * Reads handoff id; the newest of rotation; the first recorded for
 * rotation's shift ending at shift_end_ms. 1 with *h (release), 0 none,
 * -1.
 */
int		 store_handoff_get(struct store *, int64_t id,
		    struct store_handoff *h);
int		 store_handoff_last(struct store *, const char *rotation,
		    struct store_handoff *h);
int		 store_handoff_for_shift(struct store *, const char *rotation,
		    int64_t shift_end_ms, struct store_handoff *h);
/*
 * Appends up to max handoffs of rotation (NULL: all) recorded at or
 * after since_ms, oldest first, to *v (grown with xreallocarray; caller
 * releases each and frees). Returns the number appended or -1.
 */
int		 store_handoff_list(struct store *, const char *rotation,
		    int64_t since_ms, size_t max, struct store_handoff **v,
		    size_t *n);
/*
 * Handoff id confirmed by user at at_ms; its pending reminder timers
 * (ref "handoff:<id>:...") cancelled; all or nothing. 1, 0 if it was
 * acked already (nothing changed), -1.
 */
int		 store_handoff_ack(struct store *, int64_t id, const char *user,
		    int64_t at_ms);
void		 store_handoff_release(struct store_handoff *);
/*
 * One row of what a record reads (the functions below say what each
 * field holds); strings owned (store_shift_item_release).
 */
struct store_shift_item {
	int64_t		 ref;		/* a page or ticket id, or 0 */
	int64_t		 at_ms;		/* when it happened */
	int64_t		 ms;		/* a second time, or a flag */
	char		*what;
	char		*who;
	char		*detail;
};
/*
 * Each appends to *v (as store_handoff_list) and returns the number
 * appended or -1; [from_ms, to_ms) is the shift.
 *   open_pages     rotation's pages not resolved, opened before at_ms:
 *                  ref id, at opened, ms acked_ms, what state ("open",
 *                  "acked"), who the person paged, detail "sev: summary"
 *   shift_pages    rotation's pages opened in the shift: as open_pages
 *                  but who is acked_by
 *   shift_steps    rotation's escalation steps that fired (not skipped)
 *                  in the shift: ref page, at fired_ms, ms late (0/1),
 *                  what the action (enum page_action as a number), who
 *                  the target, detail the step's arg
 *   shift_commands `sop` and `escalate` run (the audit, status ok): ref
 *                  audit id, what the command, who the user, detail args
 *   shift_watch    watch answers: what rule, who channel, detail thread
 *   shift_tickets  ticket events opened, answered, breached: ref ticket,
 *                  what the kind, who the actor, detail
 *   shift_duties   rotation's duty checks due in the shift (table
 *                  duty_checks, migration 17): ref id, at due_ms, ms
 *                  done_ms, what state, who user, detail the duty
 */
int		 store_handoff_open_pages(struct store *, const char *rotation,
		    int64_t at_ms, struct store_shift_item **v, size_t *n);
int		 store_handoff_shift_pages(struct store *, const char *rotation,
		    int64_t from_ms, int64_t to_ms,
		    struct store_shift_item **v, size_t *n);
int		 store_handoff_shift_steps(struct store *, const char *rotation,
		    int64_t from_ms, int64_t to_ms,
		    struct store_shift_item **v, size_t *n);
int		 store_handoff_shift_commands(struct store *, int64_t from_ms,
		    int64_t to_ms, struct store_shift_item **v, size_t *n);
int		 store_handoff_shift_watch(struct store *, int64_t from_ms,
		    int64_t to_ms, struct store_shift_item **v, size_t *n);
int		 store_handoff_shift_tickets(struct store *, int64_t from_ms,
		    int64_t to_ms, struct store_shift_item **v, size_t *n);
int		 store_handoff_shift_duties(struct store *,
		    const char *rotation, int64_t from_ms, int64_t to_ms,
		    struct store_shift_item **v, size_t *n);
void		 store_shift_item_release(struct store_shift_item *);

/* store-user.c: users as an adapter knows them, cached. */
/* A cached user; strings owned by the struct (store_user_release). */
struct store_user {
	char		*id;		/* the adapter's user id: "U123" */
	char		*name;		/* display name, or NULL */
	char		*tz;		/* IANA zone ("Europe/Berlin"), or NULL */
	int64_t		 fetched_ms;	/* wall ms UTC: when it was learnt */
};
/*
 * Reads user_id into *u (release with store_user_release). Returns 1,
 * 0 if the user is not cached, or -1.
 */
int		 store_user_get(struct store *, const char *user_id,
		    struct store_user *u);
/*
 * Caches user_id's name and tz (either may be NULL: not known), learnt
 * at fetched_ms (wall ms UTC), replacing what was cached. Nothing is
 * validated here: readers check tz (tz_check) before use.
 */
int		 store_user_put(struct store *, const char *user_id,
		    const char *name, const char *tz, int64_t fetched_ms);
void		 store_user_release(struct store_user *);

/* store-watch.c: channel watches' answers (bot/watch.c). */
/*
 * When rule last answered in channel (any thread or none), wall ms UTC,
 * in *at_ms. Returns 1, 0 if it never did, or -1.
 */
int		 store_watch_last(struct store *, const char *rule,
		    const char *channel, int64_t *at_ms);
/*
 * Whether rule answered in channel's thread thread_ts (not NULL):
 * 1, 0, or -1.
 */
int		 store_watch_answered(struct store *, const char *rule,
		    const char *channel, const char *thread_ts);
/*
 * Records that rule answered in channel at at_ms (wall ms UTC), in
 * thread_ts or, when NULL, outside any thread. 0 or -1.
 */
int		 store_watch_add(struct store *, const char *rule,
		    const char *channel, const char *thread_ts, int64_t at_ms);
/*
 * Deletes answers older than before_ms (wall ms): past every rule's
 * cooldown, they decide nothing. Returns rows deleted, or -1.
 */
int64_t		 store_watch_prune(struct store *, int64_t before_ms);

/* store-channel.c: channel names as an adapter knows them, cached. */
struct strv;
/* Caches channel_id's name (without '#'), learnt at fetched_ms (wall ms). */
int		 store_channel_put(struct store *, const char *channel_id,
		    const char *name, int64_t fetched_ms);
/*
 * Appends every cached channel's id and name (copies) to ids and names,
 * in the same order. Returns how many, or -1.
 */
int		 store_channel_all(struct store *, struct strv *ids,
		    struct strv *names);

/* store-index.c: the runbook full-text index (FTS5, in memory). */
/*
 * A rebuild: store_index_begin opens a transaction (none may be open)
 * and empties the index; store_index_add each section; then
 * store_index_commit, or store_rollback to keep the old index. Rows
 * added outside such a transaction are committed one by one, which for
 * FTS5 is about 500 times slower (bench/README.md, big-runbook).
 */
int		 store_index_begin(struct store *);
int		 store_index_commit(struct store *);	/* rolls back on error */
int		 store_index_clear(struct store *);
/*
 * section_id is the caller's id (struct rb_section.id). words is text
 * searched as well but shown nowhere: the parts of the identifiers in
 * the runbook title, heading and body ("etcd Database Quota"), so that
 * FTS5's own tokenizer finds an alert name by its words. The heading
 * may carry its own parts too, to rank as a heading match.
 */
int		 store_index_add(struct store *, int64_t section_id,
		    const char *runbook, const char *heading,
		    const char *body, const char *words);
/*
 * Full-text search for the user's words (any punctuation is safe: words
 * are quoted for FTS5). All words must match; if nothing does, any word
 * may. Best (bm25, heading weighted) first. Writes up to max ids into
 * ids and returns how many, or -1 on error.
 */
int		 store_index_search(struct store *, const char *words,
		    int64_t *ids, size_t max);

/* store-oncall.c: on-call overrides (bot/oncall.h, commands/cmd-oncall.c). */
/*
 * One override: user on call for rotation over [from_ms, until_ms)
 * (wall ms UTC) instead of whom the schedule names; user "" is no one.
 * Strings owned (store_override_release) when read from the store;
 * borrowed when passed to store_override_add.
 */
struct store_override {
	int64_t		 id;
	char		*rotation;
	char		*user;
	int64_t		 from_ms;
	int64_t		 until_ms;	/* > from_ms */
	char		*set_by;	/* who set it: a user ID */
	int64_t		 created_ms;
};
/*
 * Adds o (its id is ignored; until_ms > from_ms) and its audit row
 * (adapter "oncall", channel (may be NULL), user o->set_by, command
 * "oncall-override", args "<rotation> <user or -> <from_ms> <until_ms>",
 * at o->created_ms), both or neither (a savepoint). Returns the new id
 * (> 0), or -1 (also for until_ms <= from_ms).
 */
int64_t		 store_override_add(struct store *,
		    const struct store_override *o, const char *channel);
/*
 * Appends to *v (grown with xreallocarray; release each and free the
 * array) rotation's overrides overlapping [from_ms, to_ms), oldest
 * (smallest id) first, at most max. Returns how many were appended, or
 * -1 (nothing appended).
 */
int		 store_override_list(struct store *, const char *rotation,
		    int64_t from_ms, int64_t to_ms, size_t max,
		    struct store_override **v, size_t *n);
/*
 * Ends rotation's overrides that hold at at_ms there (until_ms =
 * at_ms; one that starts at at_ms is deleted): `oncall set <rotation>
 * clear`. Returns how many were ended, or -1.
 */
int		 store_override_end(struct store *, const char *rotation,
		    int64_t at_ms);
void		 store_override_release(struct store_override *);

/*
 * store-report.c: the figures of `summary` and `opsbot report`
 * (bot/report.h), read from pages, page_steps, tickets, and from
 * handoffs and duty_checks (tables written by the handoff and duties
 * code; the two *_add functions below exist for tests and the bench).
 * Every query takes a period [from_ms, to_ms) (wall ms UTC) and a
 * rotation (NULL: all). Strings owned by the rows
 * (store_report_*_release); arrays grown with xreallocarray, the caller
 * frees them.
 */
/* One page opened in the period (pages.opened_ms). */
struct store_report_page {
	char		*rotation;
	char		*oncall;	/* who was paged; "" no one */
	int64_t		 opened_ms;
	int64_t		 acked_ms;	/* 0: not acknowledged */
};
/*
 * A count per rotation and person: what a, b and c mean is the query's
 * (below). user "" when the row names no one.
 */
struct store_report_count {
	char		*rotation;
	char		*user;
	int64_t		 a, b, c;
};
/* One ticket opened in the period (tickets.opened_ms). */
struct store_report_ticket {
	char		*channel;	/* the support channel's ID */
	char		*responder;	/* first responder, or NULL */
	int64_t		 due_ms;	/* first response due */
	int64_t		 first_response_ms;	/* -1: none yet */
};
/*
 * Appends the pages opened in the period. Returns how many, or -1
 * (nothing appended).
 */
int	 store_report_pages(struct store *, const char *rotation,
	    int64_t from_ms, int64_t to_ms, struct store_report_page **v,
	    size_t *n);
void	 store_report_page_release(struct store_report_page *);
/*
 * Escalation steps that fired (page_steps.fired_ms in the period, not
 * skipped), per page rotation and the page's person on call: a is the
 * count (b, c 0). Returns how many rows, or -1.
 */
int	 store_report_steps(struct store *, const char *rotation,
	    int64_t from_ms, int64_t to_ms, struct store_report_count **v,
	    size_t *n);
/*
 * Handoffs recorded in the period (handoffs.created_ms), per rotation
 * and outgoing person (from_user): a done, b acked (acked_ms <> 0),
 * c late. Returns how many rows, or -1.
 */
int	 store_report_handoffs(struct store *, const char *rotation,
	    int64_t from_ms, int64_t to_ms, struct store_report_count **v,
	    size_t *n);
/*
 * Duty checks due in the period (duty_checks.due_ms), per rotation and
 * the person nudged: a done, b missed (c pending). Returns how many
 * rows, or -1.
 */
int	 store_report_duties(struct store *, const char *rotation,
	    int64_t from_ms, int64_t to_ms, struct store_report_count **v,
	    size_t *n);
void	 store_report_count_release(struct store_report_count *);
/*
 * Tickets opened in the period (tickets belong to no rotation). Returns
 * how many, or -1 (nothing appended).
 */
int	 store_report_tickets(struct store *, int64_t from_ms, int64_t to_ms,
	    struct store_report_ticket **v, size_t *n);
void	 store_report_ticket_release(struct store_report_ticket *);
/*
 * Tests and the bench only (the handoff and duties code owns these
 * tables' writes): a handoffs row (record "{}") and a duty_checks row
 * (state "pending", "done" or "missed"). Return the row id, or -1.
 */
int64_t	 store_report_handoff_add(struct store *, const char *rotation,
	    const char *from_user, const char *to_user, int64_t created_ms,
	    int late, int64_t acked_ms);
int64_t	 store_report_duty_add(struct store *, const char *rotation,
	    const char *duty, int64_t due_ms, const char *user,
	    const char *state, int64_t done_ms);
/*
 * Opens the database at path read-only (`opsbot report`): no
 * migration, nothing written; a schema other than the latest is refused
 * ("run opsbot once to migrate it"). Returns the store, or NULL with
 * *cause (caller frees).
 */
struct store	*store_open_readonly(const char *path, char **cause);
/* store-duty.c: on-call duties' checks (bot/duty.h; migration 17). */
enum duty_state {
	DUTY_PENDING = 0,
	DUTY_DONE,
	DUTY_MISSED,
};
/* One check of a duty. Strings owned (store_duty_check_release). */
struct store_duty_check {
	int64_t		 id;
	char		*rotation;
	char		*duty;		/* the duty's name in the config */
	int64_t		 due_ms;	/* wall ms UTC */
	char		*user;		/* who was on call; "" nobody */
	enum duty_state	 state;
	int64_t		 done_ms;	/* wall ms UTC; 0 unless done */
	char		*done_by;	/* NULL unless done */
	char		*note;		/* may be NULL */
};
/*
 * Adds the pending check of duty of rotation due at due_ms (wall ms
 * UTC) nudging user ("" nobody on call). The check is unique by
 * (rotation, duty, due_ms): a second add adds nothing, returns the
 * first row's id and sets *added 0 (else 1). Returns the id, or -1.
 */
int64_t		 store_duty_check_add(struct store *, const char *rotation,
		    const char *duty, int64_t due_ms, const char *user,
		    int *added);
/* Reads check id into *c: 1, 0 if there is none, or -1. */
int		 store_duty_check_get(struct store *, int64_t id,
		    struct store_duty_check *c);
/*
 * The oldest (by due time) pending check of rotation, of duty duty only
 * unless it is NULL, into *c: 1, 0 if none is pending, or -1.
 */
int		 store_duty_check_pending(struct store *, const char *rotation,
		    const char *duty, struct store_duty_check *c);
/*
 * Marks pending check id done by user at now_ms (wall ms) with note
 * (may be NULL), or missed (done_ms stays 0). Each returns 1, 0 if the
 * check is not pending (done or missed already), or -1.
 */
int		 store_duty_check_done(struct store *, int64_t id,
		    const char *user, const char *note, int64_t now_ms);
int		 store_duty_check_missed(struct store *, int64_t id);
/*
 * Calls cb for each check of rotation (NULL: every rotation) due in
 * [from_ms, to_ms) (wall ms UTC), by due time: for handoffs and
 * summaries (done and missed duties). c is borrowed for the call; cb
 * returns 0, or -1 to stop (the result is then -1). Returns the number
 * of checks passed to cb, or -1.
 */
int		 store_duty_checks_between(struct store *,
		    const char *rotation, int64_t from_ms, int64_t to_ms,
		    int (*cb)(const struct store_duty_check *c, void *arg),
		    void *arg);
/* "pending", "done", "missed" (static). */
const char	*store_duty_state_name(enum duty_state);
void		 store_duty_check_release(struct store_duty_check *);

/*
 * store-ical.c: the iCalendar body last fetched for a rotation that
 * follows a URL (bot/oncall-ical.c), migration 19's ical_cache.
 */
/*
 * Keeps len bytes of body (any bytes) as rotation's calendar fetched
 * from url at fetched_ms (wall ms UTC), replacing the rotation's last.
 * 0 or -1.
 */
int	 store_ical_put(struct store *, const char *rotation,
	    const char *url, const char *body, size_t len,
	    int64_t fetched_ms);
/*
 * The body kept for rotation if it came from url: 1 with *body (len
 * bytes plus a NUL; caller frees), *len and *fetched_ms; 0 if none
 * (*body NULL); -1 on error (*body NULL).
 */
int	 store_ical_get(struct store *, const char *rotation,
	    const char *url, char **body, size_t *len, int64_t *fetched_ms);

#endif /* OPSBOT_STORE_H */
