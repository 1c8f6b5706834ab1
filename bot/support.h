/*
 * support.h: the pure groundwork of support tickets (issue 9): clocks
 * that run in support hours only, priorities read from a request, the
 * response-time table, and the first-response template. Nothing here
 * stores, posts or reads the clock: instants are passed in, as wall ms
 * UTC (clock_wall_ms(), the store), and durations are ms.
 *
 * Map (prototypes grouped by file below):
 *   support-hours.c     support hours (24x7, 24x5) in an IANA zone:
 *                       due times, elapsed support time, 80% points
 *   support-priority.c  priority from a message's words, who may ask
 *                       for Critical, the tier table of 004_*
 *   support-template.c  the first-response template and its {fields}
 *
 * support-hours.c and support-priority.c are in the utility layer (they
 * use util.h and tz.h only; scripts/check-style.sh keeps it so);
 * support-template.c is in the same library, opsbot_util, but also uses
 * the escaper, mrkdwn-escape.c, which is in that library too.
 */
#ifndef OPSBOT_SUPPORT_H
#define OPSBOT_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

#include "bot/util.h"

/* support-hours.c */
/* Support time per week: around the clock, or Monday to Friday. */
enum support_week {
	SUPPORT_24X7 = 0,	/* every instant counts */
	SUPPORT_24X5,		/* local Mon 00:00 to Fri 24:00 (Sat 00:00) */
};
/*
 * When support is open. zone is an IANA name (tz_check), borrowed; it
 * is read only for SUPPORT_24X5 (24x7 is real elapsed time, whatever
 * the clocks do, and may leave it NULL). The week's edges are local
 * midnights, so a 24x5 week across a DST change has 167 or 169 real
 * hours, and its working days are 120 hours all the same (unless a
 * zone changes its clocks on a weekday: then that day has 23 or 25).
 */
struct support_hours {
	enum support_week	 week;
	const char		*zone;
};
/* The longest response time the clocks accept: a year and a day, in ms. */
#define SUPPORT_RESPONSE_MAX_MS	(INT64_C(366) * 24 * 3600 * 1000)

/*
 * Reads "24x7" or "24x5", with or without a trailing "x365" as 004_*
 * writes it, ignoring case, into *week. Returns 0, or -1 (nothing set).
 */
int		 support_week_parse(const char *s, enum support_week *week);
/* "24x7" or "24x5" (static). */
const char	*support_week_name(enum support_week week);
/*
 * The support window that contains at_ms (wall ms UTC), or else the
 * next one: sets *start_ms <= *end_ms (both wall ms UTC) with
 * at_ms < *end_ms, and at_ms inside it when at_ms >= *start_ms. For
 * 24x7 the window is [at_ms, INT64_MAX). Returns 0, or -1 (nothing
 * set) if the zone is not valid or the calendar cannot show the time.
 */
int		 support_hours_window(const struct support_hours *h,
		    int64_t at_ms, int64_t *start_ms, int64_t *end_ms);
/*
 * When a request opened at start_ms (wall ms UTC) is due: the instant
 * at which response_ms (ms, 0..SUPPORT_RESPONSE_MAX_MS) of support time
 * has gone by. Opened outside support hours, the clock starts when
 * they next open (a request of Saturday starts Monday 00:00 local). If
 * the time runs out exactly as a 24x5 window closes, the due time is
 * that close, Sat 00:00 (Fri 24:00). Sets *due_ms and returns 0, or
 * -1 (nothing set) for a response time out of range or an error of
 * support_hours_window.
 */
int		 support_hours_due(const struct support_hours *h,
		    int64_t start_ms, int64_t response_ms, int64_t *due_ms);
/*
 * The support time (ms) between from_ms and to_ms (wall ms UTC): the
 * part of [from_ms, to_ms) inside support hours; 0 if to_ms <= from_ms.
 * Sets *elapsed_ms and returns 0, or -1 (nothing set) as
 * support_hours_window does. support_hours_elapsed(h, s,
 * support_hours_due(h, s, r)) is r.
 */
int		 support_hours_elapsed(const struct support_hours *h,
		    int64_t from_ms, int64_t to_ms, int64_t *elapsed_ms);
/*
 * The instant at which percent (0-100) of response_ms has gone by in
 * support time, for a request opened at start_ms (wall ms UTC): the
 * warning before a breach is percent 80. The share is rounded down to
 * the ms. Sets *at_ms and returns 0, or -1 (nothing set) for a
 * percent out of range or as support_hours_due.
 */
int		 support_hours_share_at(const struct support_hours *h,
		    int64_t start_ms, int64_t response_ms, int percent,
		    int64_t *at_ms);

/* support-priority.c */
/* A request's priority, lowest first, so that a larger one is higher. */
enum support_priority {
	SUPPORT_LOW = 0,
	SUPPORT_MEDIUM,		/* the default (004_*) */
	SUPPORT_HIGH,
	SUPPORT_CRITICAL,
};
#define SUPPORT_PRIORITY_DEFAULT	SUPPORT_MEDIUM
#define SUPPORT_NPRIORITIES		4
/* The support tiers of 004_*. */
enum support_tier {
	SUPPORT_ESSENTIAL = 0,	/* 24x5 */
	SUPPORT_ADVANCED,	/* 24x7 */
	SUPPORT_PREMIUM,	/* 24x7 */
};
#define SUPPORT_NTIERS			3

/* What a request's words asked for, and what it gets. */
struct support_ask {
	/* the highest priority the words named; SUPPORT_PRIORITY_DEFAULT
	   if they named none */
	enum support_priority	 asked;
	int			 named;		/* 1 if they named one */
	/* what the ticket is opened with: asked, except that Critical
	   from someone outside the support engineers becomes High */
	enum support_priority	 priority;
	/* 1 when Critical was asked by a non-engineer: a support engineer
	   has to validate it (003_*) before it is Critical */
	int			 needs_validation;
};

/* "Critical", "High", "Medium", "Low" (static); "?" out of range. */
const char	*support_priority_name(enum support_priority p);
/*
 * Reads one word naming a priority (for "ticket priority 12 high"):
 * any of the words support_priority_words reads, ignoring case.
 * Returns 0 with *p set, or -1 (nothing set).
 */
int		 support_priority_parse(const char *word,
		    enum support_priority *p);
/*
 * The highest priority named by the words of len bytes of text (a
 * message as Slack sends it; need not be NUL-terminated). Words are
 * runs of ASCII letters and digits, matched whole and ignoring case:
 *   Critical  critical urgent emergency p0 p1 sev0 sev1
 *   High      high p2 sev2
 *   Medium    medium normal p3 sev3
 *   Low       low p4 sev4
 * so "P1", "URGENT:" and "(sev1)" count, "highly" and "p10" do not.
 * A word right after "not", "no" or "non" does not count ("not
 * urgent", "non-critical"), and nor does Slack markup between < and >
 * (mentions, links: a URL's ".../p1/..." is no priority). Sets *p
 * and returns 1 if a priority was named, else sets *p to
 * SUPPORT_PRIORITY_DEFAULT and returns 0.
 */
int		 support_priority_words(const char *text, size_t len,
		    enum support_priority *p);
/*
 * Whether someone may give a ticket priority p: Critical only a
 * support engineer (is_engineer non-zero), since a critical request
 * needs validation on the support side (003_*); the rest anyone.
 * Returns 1 or 0.
 */
int		 support_priority_allowed(enum support_priority p,
		    int is_engineer);
/*
 * What a new request of len bytes of text (as support_priority_words)
 * from someone who is (is_engineer non-zero) or is not a support
 * engineer asks for and gets; fills *out. Never fails.
 */
void		 support_priority_ask(const char *text, size_t len,
		    int is_engineer, struct support_ask *out);
/*
 * One level lower, for a request with a workaround (004_*: Critical to
 * High, High to Medium, Medium to Low); Low stays Low.
 */
enum support_priority support_priority_lower(enum support_priority p);
/* "Essential", "Advanced", "Premium" (static); "?" out of range. */
const char	*support_tier_name(enum support_tier t);
/* Reads a tier's name, ignoring case. Returns 0 with *t set, or -1. */
int		 support_tier_parse(const char *name, enum support_tier *t);
/* A tier's support hours in 004_*: Essential 24x5, the others 24x7. */
enum support_week support_tier_week(enum support_tier t);
/*
 * The default response time, in ms, for priority p in tier t (the
 * table of 004_*: Critical 12h/2h/1h, High 12h/4h/2h, Medium 24h/8h/4h,
 * Low 24h for Essential/Advanced/Premium), counted in support hours;
 * -1 if t or p is out of range.
 */
int64_t		 support_response_ms(enum support_tier t,
		    enum support_priority p);

/* support-template.c */
/*
 * The values of a first response's placeholders: plain text, borrowed,
 * each NULL or a NUL-terminated string (NULL fills in as ""). They are
 * escaped as they are put in (mrkdwn_escape), so a display name such
 * as "@here" or "<!channel>" notifies no one.
 */
struct support_fill {
	const char	*user;		/* {user}: the requester's name */
	/* {user} when user is NULL: a Slack user id put in as the mention
	   "<@U0123>" (not escaped) if it is one (U or W, then capitals and
	   digits), else escaped like the rest */
	const char	*user_id;
	const char	*ticket;	/* {ticket}: "42" or "#42" */
	const char	*priority;	/* {priority}: "High" */
	const char	*due;		/* {due}: "09:00 Tue 1 Dec" */
	const char	*tier;		/* {tier}: "Advanced" */
	const char	*channel;	/* {channel}: "#support" */
};
/*
 * Appends template tmpl (NUL-terminated mrkdwn, written by whoever
 * configures the bot, and not escaped) to b with each {name} of
 * struct support_fill replaced by its value, escaped. "{{" is a literal
 * "{". A {name} of letters, digits, '_' or '-' that is not one of
 * those is kept as written; any other '{' or '}' is text. Returns the
 * number of unknown placeholders kept (0 when all were known). Never
 * fails.
 */
int		 support_template_fill(struct buf *b, const char *tmpl,
		    const struct support_fill *f);
/*
 * The unknown placeholders of tmpl, each as written ("{usr}") and once,
 * in order, appended to unknown (the caller resets it), for opsbot -n.
 * Returns how many were appended.
 */
int		 support_template_check(const char *tmpl,
		    struct strv *unknown);

#endif /* OPSBOT_SUPPORT_H */
