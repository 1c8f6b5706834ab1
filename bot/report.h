/*
 * report.h: summaries for managers (issue 10, "Summaries for
 * managers"): the figures of a period per rotation and per person,
 * how they are shown (`summary`, `opsbot report`), and the weekly post.
 *
 * Map (prototypes grouped by file below):
 *   report.c          the figures: read through store-report.c, then
 *                     counted, bucketed and ranked here
 *   report-period.c   periods: the last 7 days, the previous week or
 *                     month, DATE..DATE, in a zone
 *   report-format.c   mrkdwn (summary), CSV and JSON (opsbot report)
 *   summary-config.c  a rotation's `summary:` key
 *   summary-post.c    the `summary-due` timer: the scheduled post
 *
 * Definitions (the README's "Summaries" says the same):
 *   - period: [from_ms, to_ms), wall ms UTC; a page counts in the
 *     period it opened in, a handoff in the one it was recorded in, an
 *     escalation step in the one it fired in, a duty check in the one
 *     it was due in, a ticket in the one it opened in;
 *   - per person: a page and its steps are the person it paged (on call
 *     when it opened); a handoff the outgoing person; a duty check the
 *     person nudged; a ticket its first responder;
 *   - time to acknowledge: acked_ms - opened_ms of the acknowledged
 *     pages; unacknowledged pages are counted apart, not in the ranks;
 *     percentiles are nearest-rank: the p-th of n sorted values is
 *     value number ceil(p/100 * n) (1-based), so the median of an even
 *     count is the lower middle one, and every figure is a real ack time;
 *   - buckets, by the local time a page opened in the rotation's zone,
 *     three disjoint ones: business (inside the escalation policy's
 *     business_hours, default mon-fri 08:00-18:00), else sleep
 *     (22:00-08:00, any day), else off-hours (the rest: evenings
 *     18:00-22:00 on workdays, weekend days 08:00-22:00). Business
 *     hours win where a configured stretch reaches into 22:00-08:00;
 *   - tickets: answered within SLA if the first response came at or
 *     before its due time; breached if it came after, or none came and
 *     the due time passed before the period's end; else waiting.
 *     Tickets belong to no rotation: every report lists them per
 *     support channel and per responder.
 */
#ifndef OPSBOT_REPORT_H
#define OPSBOT_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

struct bot;
struct buf;
struct config;
struct rotation;
struct rotation_summary;
struct store;
struct store_timer;
struct tz_time;
struct watch_active;
struct yaml_document_s;
struct yaml_node_s;

/* One line of figures: a rotation's total (user "") or one person's. */
struct report_row {
	char		*rotation;	/* owned */
	char		*user;		/* owned; "" the rotation's total */
	int64_t		 handoffs, handoffs_acked, handoffs_late;
	int64_t		 pages, pages_unacked;
	/* ms; -1 when no page of the row was acknowledged */
	int64_t		 ack_median_ms, ack_p90_ms, ack_worst_ms;
	int64_t		 steps;		/* escalation steps fired */
	int64_t		 business, offhours, sleep;	/* pages by bucket */
	int64_t		 duties_done, duties_missed;
	int64_t		*acks;		/* owned: ack times, ms, sorted */
	size_t		 nacks;
};

/* Tickets of one support channel, one responder, or all. */
struct report_tickets {
	char		*name;		/* owned: channel ID or user ID */
	int64_t		 opened, in_sla, breached, waiting;
};

/* A report: owned throughout (report_release). */
struct report {
	int64_t		 from_ms, to_ms;
	/* by rotation name, each total first, then its people by user */
	struct report_row *rows;
	size_t		 nrows;
	struct report_tickets *channels;	/* by channel */
	size_t		 nchannels;
	struct report_tickets *responders;	/* by user; "" unanswered */
	size_t		 nresponders;
	struct report_tickets tickets;		/* all; name NULL */
};

/* Where a page opened, by local time (the definitions above). */
enum report_bucket {
	REPORT_BUSINESS,
	REPORT_OFFHOURS,
	REPORT_SLEEP,
};

/* report.c */
/* Sleep hours, local: [22:00, 08:00). */
#define REPORT_SLEEP_FROM_MIN	(22 * 60)
#define REPORT_SLEEP_UNTIL_MIN	(8 * 60)
/*
 * The nearest-rank p-th percentile (1..100) of n ascending values: the
 * value number ceil(p * n / 100), 1-based. -1 when n is 0.
 */
int64_t	 report_percentile(const int64_t *sorted, size_t n, int p);
/*
 * The bucket of instant at_ms (wall ms UTC) in zone tz with business
 * hours hours (its tz NULL: tz applies). An unusable zone is read as
 * UTC.
 */
enum report_bucket report_bucket_at(const struct watch_active *hours,
	    const char *tz, int64_t at_ms);
/*
 * The bucket of a local time t (tz_local) with business hours hours
 * read in t's zone.
 */
enum report_bucket report_bucket_local(const struct watch_active *hours,
	    const struct tz_time *t);
/*
 * Fills *out (release with report_release) with the figures of
 * [from_ms, to_ms) for the rotation named rotation (NULL: every rotation
 * with something in the period), read from s. Zones and business hours
 * come from cfg's rotations and their policies (a rotation no longer
 * in cfg: cfg's zone, default business hours). Returns 0, or -1 with
 * *cause (caller frees) if the store failed.
 */
int	 report_build(struct store *s, const struct config *cfg,
	    const char *rotation, int64_t from_ms, int64_t to_ms,
	    struct report *out, char **cause);
void	 report_release(struct report *);

/* report-period.c */
/* The default period: the 7 days up to now. */
#define REPORT_DEFAULT_DAYS	7
/*
 * The instant (wall ms UTC) local midnight starts on year-mon-mday in
 * tz (mday may roll over as timegm's). Returns 0, or -1.
 */
int	 report_day_start(const char *tz, int year, int mon, int mday,
	    int64_t *ms);
/*
 * The previous full calendar week (Monday 00:00 to Monday 00:00, local
 * in tz) before at_ms, or with month the previous calendar month.
 * Returns 0 with *from_ms and *to_ms, or -1 (zone unusable).
 */
int	 report_previous(const char *tz, int64_t at_ms, int month,
	    int64_t *from_ms, int64_t *to_ms);
/*
 * Reads a period as `summary` takes it, at now_ms in tz: NULL the last
 * REPORT_DEFAULT_DAYS days up to now; "week" and "month" the previous
 * calendar week (Mon-Sun) and month; "YYYY-MM-DD..YYYY-MM-DD" both days
 * whole, local (the second not before the first, at most 366 days).
 * Returns 0 with the period, or -1 with *cause (caller frees).
 */
int	 report_period_parse(const char *arg, const char *tz, int64_t now_ms,
	    int64_t *from_ms, int64_t *to_ms, char **cause);

/* report-format.c */
/* The formats of `opsbot report --format`. */
enum report_format {
	REPORT_CSV,
	REPORT_JSON,
};
/*
 * Appends the summary as mrkdwn: a title with the period's local dates
 * in tz, then per rotation a code-block table (its total, then each
 * person), then the tickets per channel and per responder (when any).
 * cfg (may be NULL) gives members' display names.
 */
void	 report_mrkdwn(struct buf *, const struct report *,
	    const struct config *cfg, const char *tz);
/*
 * Appends the report as CSV (RFC 4180, CRLF lines), one wide row per
 * rotation+person and per ticket channel and responder, under the
 * header REPORT_CSV_HEADER: kind is "rotation" (person "" for its
 * total), "tickets-channel" or "tickets-responder" (name "" for
 * the latter); columns that do not apply to a kind are empty; times
 * in seconds; from and to ISO 8601 UTC.
 */
#define REPORT_CSV_HEADER \
	"from,to,kind,name,person,handoffs,handoffs_acked,handoffs_late," \
	"pages,pages_unacked,ack_median_s,ack_p90_s,ack_worst_s," \
	"steps_fired,pages_business,pages_offhours,pages_sleep," \
	"duties_done,duties_missed,tickets_opened,tickets_in_sla," \
	"tickets_breached,tickets_waiting"
void	 report_csv(struct buf *, const struct report *);
/*
 * The report as a new JSON object (caller decrefs):
 *   {"from": "2026-11-23T00:00:00Z", "to": "...",
 *    "rotations": [{"rotation": "vault", "total": {FIGURES},
 *                   "people": [{"user": "U1", FIGURES...}]}],
 *    "tickets": {"opened", "in_sla", "breached", "waiting",
 *                "channels": [{"channel", ...}],
 *                "responders": [{"user", ...}]}}
 * FIGURES: handoffs, handoffs_acked, handoffs_late, pages,
 * pages_unacked, ack_median_ms, ack_p90_ms, ack_worst_ms (null when no
 * ack), steps_fired, pages_business, pages_offhours, pages_sleep,
 * duties_done, duties_missed.
 */
json_t	*report_json_new(const struct report *);

/* report-cli.c */
/*
 * `opsbot report`: the figures of [--since DATE 00:00, --until DATE
 * + 1 day 00:00) local in the rotation's zone (else cfg's; since
 * defaults to REPORT_DEFAULT_DAYS days before until, until to now_ms)
 * for rotation (NULL all), read from db (NULL: cfg's store) opened
 * read-only, written to out as format "csv" (NULL: csv) or "json".
 * Errors go to err as one line. Returns the exit code: 0, 2 for bad
 * arguments (nothing read), 1 if the store or the output failed.
 */
int	 report_cli(const struct config *cfg, const char *db,
	    const char *format, const char *since, const char *until,
	    const char *rotation, int64_t now_ms, FILE *out, FILE *err);

/* summary-config.c */
/*
 * Reads a rotation's `summary:` mapping (node n of doc, from file):
 * channel (default: the rotation's), at ("mon 09:00"; default), period
 * (week, the default, or month: posted on the first such weekday of a
 * month). i is the rotation's index for errors
 * "file:line:column: rotations[i].summary.key: ...". Returns 0 with
 * *out filled (set 1; channel owned by it), or -1 with *cause.
 */
int	 summary_config_load(struct yaml_document_s *doc,
	    struct yaml_node_s *n, const char *file, long i,
	    struct rotation_summary *out, char **cause);

/* summary-post.c */
/* The timer kind (one line in bot/handlers.c). */
#define SUMMARY_TIMER_KIND	"summary-due"
/*
 * The first scheduled post of rot (rot->summary.set) strictly after
 * after_ms, in rot's zone. Returns 0 with *due_ms, or -1.
 */
int	 summary_next_due(const struct rotation *rot, int64_t after_ms,
	    int64_t *due_ms);
/*
 * Arms rot's next summary-due timer (the first post after now_ms), key
 * "summary:<rotation>:<due_ms>" so arming twice arms once; for every
 * rotation with `summary:` (summary_arm_all, at start-up). Return 0,
 * or -1 (store failed; logged).
 */
int	 summary_arm(struct bot *, struct store *s, const struct rotation *rot,
	    int64_t now_ms);
int	 summary_arm_all(struct bot *, int64_t now_ms);
/*
 * The summary-due timer handler (sched.h's sched_fn; arg is the struct
 * bot), in the claim's transaction: posts the previous period's
 * summary of the rotation t->ref names ("summary:<rotation>") in its
 * summary channel (outbox key "summary:<rotation>:<due_ms>": one post
 * per due time), late or not, then arms the next. A rotation gone from
 * the config or without `summary:` posts nothing. Returns 0, or -1 if
 * the store failed (the timer is tried again). A timer whose due time
 * is no longer on the schedule (`at:` changed) posts nothing and arms
 * the next post.
 */
int	 summary_due_fire(struct store *s, const struct store_timer *t,
	    void *arg);

#endif /* OPSBOT_REPORT_H */
