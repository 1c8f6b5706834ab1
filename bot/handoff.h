/*
 * handoff.h: on-call handoffs (issue 10, "Handoffs"). `handoff @next
 * [notes]` records who handed the rotation to whom, when, the notes and
 * a record of the shift (what was still open, what the bot saw), posts
 * it in the rotation's channel with a "Got it" button for the incoming
 * person, and reminds them (then the managers) until they confirm. At
 * each shift's end a durable timer prompts the outgoing person; a
 * handoff not recorded within the rotation's grace is late.
 *
 * Map (prototypes grouped by file below):
 *   handoff-record.c  the record: a JSON object built from the store,
 *                     and its mrkdwn summary
 *   handoff.c         which shift a handoff closes, recording one, the
 *                     ack, arming the prompts and the reminders
 *   handoff-fire.c    the "handoff-due" and "handoff-remind" timer kinds
 *   handoff-click.c   the "Got it" button, run as `handoff ack <id>`
 *
 * Instants are wall ms UTC (clock_wall_ms(), the store) throughout.
 * Timer refs and keys (the idempotency key is the ref):
 *   handoff-due:<rotation>:<end_ms>    the prompt at a shift's end
 *   handoff-late:<rotation>:<end_ms>   the one reminder past the grace
 *   handoff:<id>:remind:<n>            the incoming person's n-th
 *   handoff:<id>:manager               the managers, once
 * so each fires at most once, also across restarts (timers.md).
 */
#ifndef OPSBOT_HANDOFF_H
#define OPSBOT_HANDOFF_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "bot/util.h"
#include "bot/gate.h"
#include "bot/rotation.h"

struct bot;
struct store;
struct store_handoff;
struct store_timer;

#define HANDOFF_DUE_KIND	"handoff-due"	/* one line in handlers.c */
#define HANDOFF_REMIND_KIND	"handoff-remind"
/* The button: action_id, and its value "handoff-ack:<id>". */
#define HANDOFF_ACK_ACTION	"handoff-ack"
#define HANDOFF_BUTTON_VALUE	"handoff-ack:"
/* The incoming person is reminded at most this many times. */
#define HANDOFF_REMINDS_MAX	16
/* Items of one kind the summary lists before "and N more". */
#define HANDOFF_TEXT_ITEMS	5

/* handoff-record.c */
/* What a record is built for; strings borrowed. */
struct handoff_shift_req {
	const char	*rotation;
	const char	*from_user;
	const char	*to_user;
	int64_t		 shift_start_ms;
	int64_t		 shift_end_ms;
	int64_t		 now_ms;	/* the handoff: open items as of now */
	const char	*notes;		/* or NULL */
};
/*
 * The record of a handoff (a new reference), read from s:
 *   {"rotation": s, "from": s, "to": s, "shift_start_ms": n,
 *    "shift_end_ms": n, "created_ms": n, "notes": s|null,
 *    "open": {"pages": [{"id", "summary", "state", "oncall",
 *                        "opened_ms"}],
 *             "tickets": [{"id", "channel", "requester", "state",
 *                          "opened_ms", "due_ms", "breaching": bool}]},
 *    "shift": {"pages": [{"id", "summary", "state", "opened_ms",
 *                         "acked_ms", "ack_ms" (time to ack, or null),
 *                         "acked_by"}],
 *              "steps": [{"page", "action", "target", "fired_ms",
 *                         "late": bool}],
 *              "sops": [{"command", "args", "user", "at_ms"}],
 *              "watch_hits": [{"rule", "channel", "at_ms"}],
 *              "tickets": {"opened": [id], "answered": [id],
 *                          "breached": [id]},
 *              "duty_checks": {"done": n, "missed": n, "pending": n,
 *                              "items": [{"duty", "due_ms", "state",
 *                                         "user"}]}}}
 * "open" is what is open at now_ms: the rotation's pages not resolved;
 * every support channel's tickets not closed, breaching when still
 * unanswered past due. "shift" is [shift_start_ms, now_ms). Returns
 * NULL if the store failed (logged).
 */
json_t	*handoff_record_build(struct store *s,
	    const struct handoff_shift_req *q);
/*
 * The record as mrkdwn for people (new string): who to whom and when
 * (in zone), the notes, what is still open, then the shift in counts
 * with up to HANDOFF_TEXT_ITEMS of each; users as mentions on Slack
 * (adapter "slack"), user text escaped (mrkdwn_escape). A record
 * missing fields shows what it has.
 */
char	*handoff_record_text_new(const json_t *record, const char *adapter,
	    const char *zone, int64_t now_ms);
/* The number of open items (pages and tickets) of a record. */
size_t	 handoff_record_open_count(const json_t *record);

/* handoff.c */
/*
 * The shift a handoff at now_ms closes, for rot: the stretch on call
 * (rotation_oncall_at, overrides included) holding now_ms, or the one
 * before it when now_ms is nearer the start of the current one than
 * its end (a handoff done just after the handoff time) unless that one
 * was handed off already (bot->store). Returns 0 with *out, or -1 (no
 * schedule: logged).
 */
int	 handoff_shift(struct bot *, const struct rotation *rot,
	    int64_t now_ms, struct rotation_shift *out);
/* What handoff_record takes; strings borrowed. */
struct handoff_req {
	const char	*adapter;
	const char	*channel;	/* where it was asked */
	const char	*by;		/* who asked (audit) */
	const char	*from_user;	/* outgoing, or NULL: the shift's */
	const char	*to_user;	/* incoming */
	const char	*notes;		/* or NULL */
	const char	*prefix;	/* the command prefix, for the text */
	int64_t		 now_ms;
};
/*
 * Records a handoff of rot in the caller's transaction: the row with
 * its record (late when now_ms is past the shift's end + grace), the
 * post in rot's channel (key "handoff:<id>") with the "Got it" button,
 * the first reminder and the managers' timer. Fills *h (release).
 * Returns the id, or -1 (the store failed; the caller rolls back).
 */
int64_t	 handoff_record(struct bot *, const struct rotation *rot,
	    const struct handoff_req *q, struct store_handoff *h);
/*
 * user confirms handoff h of rot (may be NULL: gone from the config) at
 * now_ms: pending reminders cancelled, and the handoff post updated
 * (chat.update, key "handoff:<id>") to say who confirmed and when,
 * without its button (mentions as adapter shows them). Returns 1, 0 if
 * acked already, -1 (the store failed).
 */
int	 handoff_ack(struct bot *, const struct rotation *rot,
	    const struct store_handoff *h, const char *adapter,
	    const char *user, int64_t now_ms);
/*
 * Arms rot's prompt at the end of the stretch holding now_ms (key
 * "handoff-due:<rotation>:<end_ms>": arming twice arms one). Nothing
 * for a stretch that never ends. Returns 0, or -1.
 */
int	 handoff_arm_due(struct bot *, const struct rotation *rot,
	    int64_t now_ms);
/*
 * Arms the n-th reminder (1-based) of the incoming person of h, due at
 * h->created_ms + n * rot's handoff_remind. Returns 0, or -1.
 */
int	 handoff_arm_reminder(struct bot *, const struct store_handoff *h,
	    const struct rotation *rot, int n, int64_t now_ms);
/* handoff_arm_due for every rotation (the start). Failures logged. */
void	 handoff_arm_all(struct bot *, int64_t now_ms);

/* handoff-fire.c: sched_fn's (sched.h), arg the struct bot. */
int	 handoff_due_fire(struct store *s, const struct store_timer *t,
	    void *arg);
int	 handoff_remind_fire(struct store *s, const struct store_timer *t,
	    void *arg);

/* handoff-click.c: the gate handler of the button (handlers.c). */
int	 handoff_click_claims(struct bot *, const struct msg *);
enum gate_verdict handoff_click_handle(struct bot *, const struct msg *,
	    struct reply *);

#endif /* OPSBOT_HANDOFF_H */
