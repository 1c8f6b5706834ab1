/*
 * ticket.h: support channels and their tickets (issue 9, "First
 * responses and support tickets"). The pure parts (support hours,
 * priorities, the response-time table, the template) are support.h;
 * what is here stores, posts and arms timers.
 *
 * Map (prototypes grouped by file below):
 *   support-config.c  the `support:` list of the YAML config
 *   support-tiers.c   the `support_tiers:` table: the tiers of 004_*
 *                     as defaults, overridden or added to by the config
 *   ticket.c          the gate handler: a request opens a ticket, an
 *                     engineer's reply in its thread stops the clock;
 *                     due times, re-arming, closing (shared with
 *                     commands/cmd-ticket.c)
 *   ticket-close.c    `ticket close` asks the requester; their click,
 *                     check mark or reply answers (reactions and
 *                     clicks through the gate)
 *   ticket-fire.c     the "ticket-warn", "ticket-breach" and
 *                     "ticket-stale" timer kinds
 *   ticket-index.c    the threads of open tickets in memory, so the
 *                     gate claims only replies that matter
 *   ticket-link.c     a ticket's permalink (asked of the adapter when
 *                     it opens) and how warnings name a ticket and
 *                     mention its engineers
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

/* support-tiers.c */
/*
 * One support tier: the hours its clocks run in and its response time
 * (ms of support time) per priority. name owned.
 */
struct support_tier_def {
	char		*name;		/* "Advanced", "gold": as configured */
	enum support_week week;
	int64_t		 response_ms[SUPPORT_NPRIORITIES]; /* by priority */
};
/* The most tiers one config may have, the three defaults included. */
#define SUPPORT_TIERS_MAX	32
/* The longest tier name. */
#define SUPPORT_TIER_NAME_MAX	32
/*
 * Sets cfg's tier table to the three tiers of 004_* (support-priority.c:
 * support_tier_name, support_tier_week, support_response_ms), freeing
 * any earlier one. Never fails.
 */
void	 support_tiers_default(struct config *cfg);
/*
 * Reads the `support_tiers:` mapping (node n of doc, read from file):
 * tier name -> {hours: 24x5|24x7, critical, high, medium, low: a
 * duration such as 30m, 4h, 1d}. A default tier's name (any case)
 * overrides the keys given; another name adds a tier, which must give
 * all five. The table is reset to the defaults first. Returns 0, or -1
 * with *cause "file:line:column: support_tiers.<name>.<key>: ..."
 * (caller frees) and the table left at the defaults.
 */
int	 support_tiers_load(struct config *cfg,
	    struct yaml_document_s *doc, struct yaml_node_s *n,
	    const char *file, char **cause);
/* Frees cfg's tier table (cfg->tiers may be NULL). */
void	 support_tiers_free(struct config *cfg);
/* The tier called name, ignoring case, or NULL (borrowed from cfg). */
const struct support_tier_def *support_tier_find(const struct config *cfg,
	    const char *name);
/* The names of cfg's tiers, ", "-separated, appended to b (for errors). */
void	 support_tiers_names(const struct config *cfg, struct buf *b);

/* support-config.c */
/* One support channel of the config; every string owned. */
struct support_channel {
	char		*channel;	/* as a message carries it: C0123, #support */
	/* a name in cfg->tiers (support_tier_find), as the table spells it */
	char		*tier;
	struct strv	 engineers;	/* user ids */
	/* a Slack user group (S0123ABC) whose members are engineers too, or
	   NULL; its members are learnt at run time (support_group_learn) */
	char		*engineers_group;
	/* the group's members as last learnt (user ids; empty until then):
	   the one part of the config written after it is loaded */
	struct strv	 group_members;
	char		*escalation;	/* channel of warnings and breaches */
	char		*tz;		/* IANA zone, or NULL: the global one */
	char		*template_path;	/* as resolved, or NULL: built in */
	char		*template_text;	/* the first response, read at load */
	int64_t		 stale_ms;	/* no activity this long: stale */
	/* `ticket close --no-reply` allowed this long after the question */
	int64_t		 close_wait_ms;
	/* `page: {rotation, at}`: the rotation a ticket without an answer
	   pages, or NULL (bot/ticket-page.c), at page_percent of its
	   response time (TICKET_WARN_PERCENT: with the warning); where */
	char		*page_rotation;
	int		 page_percent;
	size_t		 page_line, page_column;
};
/* stale_after when the config does not say: 5 days. */
#define SUPPORT_STALE_DEFAULT_MS	(INT64_C(5) * 24 * 3600 * 1000)
/* close_wait when the config does not say: 3 days. */
#define SUPPORT_CLOSE_WAIT_DEFAULT_MS	(INT64_C(3) * 24 * 3600 * 1000)
/* The most support channels one config may list. */
#define SUPPORT_CHANNELS_MAX		64
/*
 * "5d", "12h", "30m", "90s" (1 to 3660 units): sets *ms and returns 0,
 * or -1 (nothing set).
 */
int	 support_duration_parse(const char *s, int64_t *ms);
/*
 * Reads the `support:` list (node n of doc, read from file) into cfg,
 * replacing any earlier one: each entry's keys checked (tier: a name of
 * cfg's tier table, so support_tiers: is read first), its template
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
/*
 * Whether user is one of sc's engineers: listed in engineers, or a
 * member of its engineers_group as last learnt. 1 or 0.
 */
int	 support_is_engineer(const struct support_channel *sc,
	    const char *user);
/*
 * The adapter learnt that user group group (S0123ABC) has members (user
 * ids, borrowed, copied): every support channel of cfg with that
 * engineers_group gets them, replacing what it had. Returns how many
 * support channels use the group (0: none, nothing changed).
 */
size_t	 support_group_learn(struct config *cfg, const char *group,
	    const struct strv *members);
/* The template a first response uses when none is configured. */
extern const char support_template_default[];

/* ticket.c */
/* Timer kinds, one line each in bot/handlers.c. */
#define TICKET_WARN_KIND	"ticket-warn"
#define TICKET_BREACH_KIND	"ticket-breach"
#define TICKET_STALE_KIND	"ticket-stale"
/* The share of the response time at which the escalation is warned. */
#define TICKET_WARN_PERCENT	80
/*
 * ticket-page.c: a support channel's `page:`. Checks that every
 * channel's page: names a rotation of cfg: 0, or -1 with *cause
 * "file:line:column: support: page: ..." (caller frees); config.c runs
 * it once the whole file is read.
 */
int	 ticket_check_pages(const struct config *cfg, const char *file,
	    char **cause);
#define TICKET_PAGE_KIND	"ticket-page"	/* one line in bot/handlers.c */
/*
 * Opens the page of ticket t of support channel sc (sc->page_rotation
 * set) in the claim of timer tm (the "ticket-warn" one, or the
 * "ticket-page" one): through page_open, key
 * "ticket-page:<ticket>:<timer>" (once per timer), its summary naming
 * the ticket, its channel, the share and its permalink; opened_by
 * "ticket:<id>". The page then escalates on its own policy; answering
 * the ticket does not acknowledge it. Returns the page id, 0 if the
 * rotation is gone (logged), or -1 (store).
 */
int64_t	 ticket_page_open(struct bot *, const struct support_channel *sc,
	    const struct store_ticket *t, const struct store_timer *tm);
/*
 * When ticket t pages (wall ms UTC): page_percent of its response time
 * in support hours from its opening, in its tier and zone now. Returns
 * 0 with *at_ms, or -1 (no tier, or the clock failed: logged).
 */
int	 ticket_page_at(struct bot *, const struct support_channel *sc,
	    const struct store_ticket *t, int64_t *at_ms);
/*
 * Arms ticket t's "ticket-page" timer when sc pages at a share other
 * than the warning's (else the warning's timer pages, and this does
 * nothing): ref "ticket:<id>", key "ticket-page:<id>:<at ms>", so the
 * same time is armed once; a time changed since (a new priority) gets a
 * timer of its own and the old one, firing, finds its time stale.
 * Nothing is armed for a time before now_ms unless opening (opened 1).
 * Returns 0 or -1 (store).
 */
int	 ticket_page_arm(struct bot *, const struct support_channel *sc,
	    const struct store_ticket *t, int64_t now_ms, int opened);
/*
 * The "ticket-page" timer handler (sched_fn; arg is the struct bot):
 * if the ticket is still open without an answer, its channel still
 * pages at a share of its own, and the timer's time is still the
 * ticket's page time, opens the page (ticket_page_open). Returns 0, or
 * -1 (store failed; the timer stays pending).
 */
int	 ticket_page_fire(struct store *, const struct store_timer *,
	    void *arg);
/* gate_handler.claims and .handle (bot/handlers.c). */
int	 ticket_claims(struct bot *, const struct msg *);
enum gate_verdict ticket_handle(struct bot *, const struct msg *,
	    struct reply *);
/*
 * The due and warning instants (wall ms UTC) of a ticket of priority p
 * in tier (borrowed; NULL fails), opened at opened_ms, in support hours
 * of zone. Returns 0, or -1 (the zone or the table failed: logged).
 */
int	 ticket_due(const char *zone, const struct support_tier_def *tier,
	    enum support_priority p, int64_t opened_ms, int64_t *due_ms,
	    int64_t *warn_ms);
/*
 * The tier of ticket t in the config now (borrowed): the one it was
 * opened in, by name; if the config no longer has it, its support
 * channel's tier (logged); NULL if neither is known.
 */
const struct support_tier_def *ticket_tier(struct bot *,
	    const struct store_ticket *t);
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

/* ticket-close.c */
/* Button values: the prefix, then the ticket id ("ticket-close-accept:42"). */
#define TICKET_CLOSE_ACCEPT	"ticket-close-accept:"
#define TICKET_CLOSE_DECLINE	"ticket-close-decline:"
/* The reaction that says yes (Slack's name for ✅). */
#define TICKET_CLOSE_REACTION	"white_check_mark"
/*
 * Asks t's requester, in t's thread, whether t may close: a post with
 * "Yes, close it" / "No, still open" buttons (blocks.h; the fallback
 * text names `<prefix>ticket close <id>` and `ticket reopen <id>`),
 * key "ticket-close:<id>:<now_ms>"; t becomes closing ("closing"
 * event by actor). In the caller's transaction. Returns 1, 0 if t is
 * closed or closing already (nothing queued), or -1 (store failed).
 */
int	 ticket_close_ask(struct bot *, const struct store_ticket *t,
	    const char *actor, const char *prefix, int64_t now_ms);
/*
 * Closes t (closing or not) by actor: its timers cancelled, a
 * "closed" event, if announce a post in its thread "Ticket #<id> is
 * closed: <how>" and, if it was asked, the question updated to say so
 * (its buttons gone). Returns 1, 0 if closed already, or -1.
 */
int	 ticket_close_now(struct bot *, const struct store_ticket *t,
	    const char *actor, const char *how, int announce, int64_t now_ms);
/*
 * Closing t stays open: a "still open" event by actor with detail why
 * ("says it is not solved yet"), a post in its thread, the question
 * updated. Returns 1, 0 if t was not closing, or -1.
 */
int	 ticket_close_decline(struct bot *, const struct store_ticket *t,
	    const char *actor, const char *why, int64_t now_ms);
/*
 * The gate's side for reactions and clicks (ticket_claims and
 * ticket_handle call these): a click whose value starts with
 * TICKET_CLOSE_ACCEPT or _DECLINE; a TICKET_CLOSE_REACTION in a
 * support channel, on a close question or on a ticket's request.
 * Only the requester's close (accept) or keep open (decline) a
 * closing ticket; anyone else's is logged and done with.
 */
int	 ticket_close_claims(struct bot *, const struct msg *m);
enum gate_verdict ticket_close_event(struct bot *, const struct msg *m);

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
/* ticket-link.c */
/*
 * Asks the adapter for the permalink of ticket t's request (its channel
 * and thread_ts), if the adapter can tell and t has a thread; the answer
 * comes later, or at once, through ticket_permalink_learnt. Never fails.
 */
void	 ticket_permalink_ask(struct bot *, const struct store_ticket *t);
/*
 * The adapter's answer for ticket id, whose request is message ts
 * (as asked): permalink (a URL, or a plain reference on the console) or
 * NULL with error (Slack's code, or why; logged with it). A permalink is
 * stored on the ticket, if it is still that request's. Returns 0, or -1
 * if it was not stored (store failed: logged).
 */
int	 ticket_permalink_learnt(struct bot *, int64_t id, const char *ts,
	    const char *permalink, const char *error);
/*
 * Appends how a warning names ticket t: "<https://...|ticket #42>" when
 * its permalink is a URL that mrkdwn can carry, else "ticket *#42*".
 * Returns 1 if the link was used, 0 if not.
 */
int	 ticket_link_add(struct buf *b, const struct store_ticket *t);
/*
 * Appends the mentions of sc's engineers for adapter ("slack": the user
 * group as "<!subteam^S0123ABC>" [Slack "Formatting text for app
 * surfaces", mentioning groups], users as "<@U0123>"; elsewhere names,
 * escaped), each followed by a space.
 */
void	 ticket_mentions_add(struct buf *b, const struct support_channel *sc,
	    const char *adapter);

#endif /* OPSBOT_TICKET_H */
