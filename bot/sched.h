/*
 * sched.h: the core's scheduler of durable timers (bot/sched.c).
 *
 * Timers live in the store (store_timer_*); the scheduler fires the due
 * ones through one handler per kind and keeps ONE lws timer armed for
 * the earliest. docs/internals/timers.md gives the guarantees.
 *
 * Use: a static table of {kind, fn}; sched_init; sched_start once the
 * lws context and the store exist (it fires what fell due while opsbot
 * was down at the loop's first turn); after every store_timer_add,
 * _cancel or _reschedule, and after the test clock moved, sched_kick so
 * the one lws timer is re-armed for the new earliest; sched_stop before
 * the context is destroyed.
 */
#ifndef OPSBOT_SCHED_H
#define OPSBOT_SCHED_H

#include <stddef.h>
#include <stdint.h>

#include <libwebsockets.h>

#include "store/store.h"

/* Fired more than this after its due time, a timer is marked late. */
#define TIMER_LATE_GRACE_MS	60000
/* Timers fired per pass (one transaction); if more are due, re-armed at 0. */
#define TIMER_BATCH		64
/* A timer whose handler failed is tried again no sooner than this. */
#define TIMER_RETRY_MS		5000

/*
 * A handler runs inside the claim's transaction (store_timer_cb): it
 * queues what the timer does (an outbox row, ...) with s and returns 0,
 * or -1 to leave the timer pending. t is borrowed; t->late says it fired
 * after the grace (the handler may word its post accordingly). arg is
 * sched_init's.
 */
typedef int	(*sched_fn)(struct store *s, const struct store_timer *t,
		    void *arg);

struct sched_handler {
	const char	*kind;	/* matches store_timer.kind */
	sched_fn	 fn;
};

struct sched {
	const struct sched_handler *handlers;	/* borrowed, static table */
	size_t			 nhandlers;
	void			*arg;		/* passed to each handler */
	/* Wall ms before which failed timers are not retried; 0 none. */
	int64_t			 retry_at_ms;
	/* The lws glue (sched_start): NULL context until started. */
	struct lws_context	*lws;		/* borrowed */
	struct store		*store;		/* borrowed */
	lws_sorted_usec_list_t	 sul;
};

/*
 * handlers.c: every timer kind the bot knows, one line each; a handler's
 * arg is the struct bot.
 */
extern const struct sched_handler timer_kinds[];
extern const size_t timer_nkinds;

/* Sets up sched with its handler table (borrowed: must outlive it). */
void	 sched_init(struct sched *, const struct sched_handler *,
	    size_t nhandlers, void *arg);
/*
 * Fires the timers due at now_ms (wall ms UTC), one batch of at most
 * TIMER_BATCH in one transaction (none may be open), each through the
 * handler of its kind. A kind without a handler is logged and the timer
 * marked fired: it cannot be retried into success. Returns the number
 * fired, or -1 on a store error (nothing fired).
 */
int	 sched_fire_due(struct sched *, struct store *, int64_t now_ms);
/*
 * How long to wait from now_ms before the next sched_fire_due, in ms:
 * 0 if a timer is due now, -1 if none is pending, TIMER_RETRY_MS on a
 * store error (logged), so the timer is never left unarmed. A failed
 * handler's retry waits until retry_at_ms.
 */
int64_t	 sched_next_delay_ms(struct sched *, struct store *, int64_t now_ms);

/*
 * The lws glue. sched_start borrows lws and store and arms the timer
 * at once (delay 0): timers that fell due while opsbot was down fire at
 * the loop's first turn, late. sched_kick re-arms for the earliest due
 * (call after any add, cancel or reschedule, and after the test clock
 * moved); a no-op before sched_start. sched_stop cancels the lws timer.
 */
void	 sched_start(struct sched *, struct lws_context *, struct store *);
void	 sched_kick(struct sched *);
void	 sched_stop(struct sched *);

#endif /* OPSBOT_SCHED_H */
