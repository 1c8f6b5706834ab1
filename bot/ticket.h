/*
 * ticket.h: support channels and their tickets (issue 9, "First
 * responses and support tickets"). The pure parts (support hours,
 * priorities, the response-time table, the template) are support.h;
 * what is here stores, posts and arms timers.
 *
 * Map (prototypes grouped by file below):
 *   support-config.c  the `support:` list of the YAML config
 *   ticket.c          the gate handler: a request opens a ticket, an
 *                     engineer's reply in its thread stops the clock;
 *                     due times, re-arming, closing (shared with
 *                     commands/cmd-ticket.c)
 *   ticket-fire.c     the "ticket-warn", "ticket-breach" and
 *                     "ticket-stale" timer kinds
 *   ticket-index.c    the threads of open tickets in memory, so the
 *                     gate claims only replies that matter
 */
#ifndef OPSBOT_TICKET_H
#define OPSBOT_TICKET_H

#include <stddef.h>
#include <stdint.h>

#include "bot/gate.h"
#include "bot/support.h"
#include "bot/util.h"

struct bot;
struct config;
struct store;
struct store_ticket;
struct store_timer;
struct ticket_index;
struct yaml_document_s;
struct yaml_node_s;

/* support-config.c */
/* One support channel of the config; every string owned. */
struct support_channel {
	char		*channel;	/* as a message carries it: C0123, #support */
	enum support_tier tier;
	struct strv	 engineers;	/* user ids */
	char		*escalation;	/* channel of warnings and breaches */
	char		*tz;		/* IANA zone, or NULL: the global one */
	char		*template_path;	/* as resolved, or NULL: built in */
	char		*template_text;	/* the first response, read at load */
	int64_t		 stale_ms;	/* no activity this long: stale */
};
/* stale_after when the config does not say: 5 days. */
#define SUPPORT_STALE_DEFAULT_MS	(INT64_C(5) * 24 * 3600 * 1000)
/* The most support channels one config may list. */
#define SUPPORT_CHANNELS_MAX		64
/*
 * Reads the `support:` list (node n of doc, read from file) into cfg,
 * replacing any earlier one: each entry's keys checked, its template
 * read (relative to file's directory) and its placeholders checked
 * (support_template_check). Returns 0, or -1 with *cause
 * "file:line:column: support[i].key: ..." (caller frees).
 */
int	 support_config_load(struct config *cfg,
	    struct yaml_document_s *doc, struct yaml_node_s *n,
	    const char *file, char **cause);
/* Frees cfg's support channels (cfg->support may be NULL). */
void	 support_config_free(struct config *cfg);
/* The support channel whose channel is channel, or NULL (borrowed). */
const struct support_channel *support_channel_find(const struct config *,
	    const char *channel);
/*
 * The support channel of a message's channel (an ID): configured with
 * that ID, else with the name the adapter learnt for it (channels.h;
 * '#' and case ignored), else NULL. Borrowed from bot->cfg.
 */
const struct support_channel *support_channel_for(struct bot *,
	    const char *channel);
/* The zone of sc's clocks: its own, else the config's (borrowed). */
const char *support_channel_zone(const struct config *,
	    const struct support_channel *sc);
/* Whether user is one of sc's engineers: 1 or 0. */
int	 support_is_engineer(const struct support_channel *sc,
	    const char *user);
/* The template a first response uses when none is configured. */
extern const char support_template_default[];

/* ticket.c */
/* Timer kinds, one line each in bot/handlers.c. */
#define TICKET_WARN_KIND	"ticket-warn"
#define TICKET_BREACH_KIND	"ticket-breach"
#define TICKET_STALE_KIND	"ticket-stale"
/* The share of the response time at which the escalation is warned. */
#define TICKET_WARN_PERCENT	80
/* gate_handler.claims and .handle (bot/handlers.c). */
int	 ticket_claims(struct bot *, const struct msg *);
enum gate_verdict ticket_handle(struct bot *, const struct msg *,
	    struct reply *);
/*
 * The due and warning instants (wall ms UTC) of a ticket of priority p
 * in tier, opened at opened_ms, in support hours of zone. Returns 0, or
 * -1 (the zone or the table failed: logged).
 */
int	 ticket_due(const char *zone, enum support_tier tier,
	    enum support_priority p, int64_t opened_ms, int64_t *due_ms,
	    int64_t *warn_ms);
/* The zone of t's clock: its support channel's, else the config's. */
const char *ticket_zone(struct bot *, const struct store_ticket *t);
/*
 * Gives open ticket t priority p: due and warning recomputed from its
 * opening, its timers re-armed (rescheduled, or new ones when they had
 * fired), an event of kind ("priority", "workaround") by actor. In the
 * caller's transaction. Returns 0, or -1 (store or clock failed).
 */
int	 ticket_set_priority(struct bot *, const struct store_ticket *t,
	    enum support_priority p, const char *kind, const char *actor,
	    int64_t now_ms);
/*
 * Reopens closed ticket t by actor: without a first response, its
 * timers re-armed where their time is still ahead; *breaching set to 1
 * if its due time has passed (no breach timer re-armed: it breached),
 * else 0. In the caller's transaction. Returns 1, 0 if it was not
 * closed, or -1 (store failed).
 */
int	 ticket_reopen(struct bot *, const struct store_ticket *t,
	    const char *actor, int64_t now_ms, int *breaching);
/*
 * Activity on ticket t at now_ms: its stale timer (re-)armed at now_ms
 * + its channel's stale_after. In the caller's transaction. Returns 0,
 * or -1 (store failed).
 */
int	 ticket_stale_arm(struct bot *, const struct store_ticket *t,
	    int64_t now_ms);
/* Appends "09:00 Tue 1 Dec (Europe/Berlin)" for at_ms in t's zone. */
void	 ticket_when_add(struct bot *, struct buf *b,
	    const struct store_ticket *t, int64_t at_ms, int64_t now_ms);

/* ticket-fire.c */
/*
 * The timer handlers (sched_fn; arg is the struct bot): in the claim's
 * transaction, a post in the escalation channel of the ticket's
 * support channel mentioning its engineers (key "timer:<id>") and an
 * event row, if the ticket still waits for its first response.
 * Returns 0 (also when there is nothing to say: logged), or -1 if the
 * store failed.
 */
int	 ticket_warn_fire(struct store *, const struct store_timer *,
	    void *arg);
int	 ticket_breach_fire(struct store *, const struct store_timer *,
	    void *arg);
/*
 * The "ticket-stale" timer: on a ticket not closed whose stale timer it
 * still is (activity re-arms a new one), a post in the ticket's thread
 * suggesting to close it or put it on the roadmap (key "timer:<id>")
 * and a "stale" event. Returns 0, or -1 if the store failed.
 */
int	 ticket_stale_fire(struct store *, const struct store_timer *,
	    void *arg);

/* ticket-index.c */
/*
 * The threads of tickets not closed (bot->tickets): channel and
 * thread_ts (a Slack ts, the request's) -> ticket id. It may hold a
 * thread whose ticket closed (dropped by the gate handler when the
 * store says so), never miss an open one. Strings are copied.
 */
struct ticket_index *ticket_index_new(void);
void	 ticket_index_free(struct ticket_index *);	/* accepts NULL */
/* Every open ticket's thread from s, added. Returns 0, or -1 (store). */
int	 ticket_index_load(struct ticket_index *, struct store *s);
/* Adds (or re-points) channel+thread_ts to ticket id (> 0). */
void	 ticket_index_add(struct ticket_index *, const char *channel,
	    const char *thread_ts, int64_t id);
/* Drops channel+thread_ts; nothing if it is not there. */
void	 ticket_index_remove(struct ticket_index *, const char *channel,
	    const char *thread_ts);
/* The ticket id of channel+thread_ts, or 0 (also for a NULL index). */
int64_t	 ticket_index_find(const struct ticket_index *,
	    const char *channel, const char *thread_ts);
/* The number of threads held. */
size_t	 ticket_index_count(const struct ticket_index *);

#endif /* OPSBOT_TICKET_H */
