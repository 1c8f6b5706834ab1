/*
 * rotation.h: on-call rotations as schedules, the pure part (issue 10,
 * "Rotations and who is on call"): who is on call at an instant, the
 * shift's start and end, who comes next. Nothing here reads the config,
 * the store or the clock: instants are passed in as wall ms UTC
 * (clock_wall_ms(), the store). Overrides, the config and struct bot
 * are bot/oncall.h, above this.
 *
 * Map (prototypes grouped by file below):
 *   rotation.c       a cycle of members with a daily, weekly or N-day
 *                    shift handed off at a local wall time in an IANA
 *                    zone (through tz.h: no DST rule is written here)
 *   rotation-ical.c  a schedule read from an iCalendar file (RFC 5545)
 *                    with libical, recurrences expanded by libical;
 *                    the shape of a calendar URL
 *
 * Both files are in the utility layer (util.h and tz.h only;
 * scripts/check-style.sh keeps it so).
 */
#ifndef OPSBOT_ROTATION_H
#define OPSBOT_ROTATION_H

#include <stddef.h>
#include <stdint.h>

#include "bot/util.h"

/* The longest user ID a shift names (Slack's are about 11 bytes). */
#define ROTATION_USER_MAX	64
/* The longest shift: 8 weeks. */
#define ROTATION_SHIFT_DAYS_MAX	56
/* The most members and managers a rotation may list. */
#define ROTATION_MEMBERS_MAX	100
/*
 * The most an iCalendar file or a body fetched from a URL may hold, in
 * bytes: a year of hourly shifts exported with descriptions fits.
 */
#define ROTATION_ICAL_MAX	(4 * 1024 * 1024)
/*
 * How far around an instant an iCalendar schedule is expanded, in ms
 * (92 days each way): a shift or a gap longer than that is cut there.
 */
#define ROTATION_ICAL_SPAN_MS	(INT64_C(92) * 24 * 3600 * 1000)
/* No shift starts or ends: the end of a gap with nothing after it. */
#define ROTATION_FOREVER	INT64_MAX

struct rotation_ical;

/*
 * A rotation's scheduled summary for its managers (`summary:` key,
 * bot/summary-config.c; posted by bot/summary-post.c). Plain data but
 * channel, owned by the rotation.
 */
struct rotation_summary {
	int	 set;		/* 1: the rotation has `summary:` */
	char	*channel;	/* where it posts; NULL: the rotation's */
	int	 wday;		/* local weekday of the post, 0 Sunday */
	int	 hour, min;	/* local time of the post */
	int	 month;		/* 1: the previous calendar month, on the
				   first such weekday of each month;
				   0: the previous Mon-Sun week */
};

/*
 * One rotation of the config (bot/oncall.h reads it). Every string and
 * list is owned by it (rotation_release). Either a cycle (members,
 * shift_days, handoff, start) or an iCalendar schedule (ical): never
 * both.
 */
struct rotation {
	char		*name;		/* "vault": [a-z0-9_-], how users name it */
	struct strv	 members;	/* user IDs, in order of their turns */
	/* display names, one per member ("" when not given) */
	struct strv	 member_names;
	int		 shift_days;	/* 1 daily, 7 weekly, N days */
	int		 handoff_hour;	/* local wall time of each handoff */
	int		 handoff_min;
	/* weekly: the weekday of the handoffs (0 Sunday .. 6 Saturday);
	   -1 for other shift lengths */
	int		 handoff_wday;
	/* the anchor: members[0]'s first shift starts on this local date
	   (or, weekly, the first handoff_wday on or after it) */
	int		 start_year, start_mon, start_mday;
	char		*tz;		/* IANA zone of the handoffs */
	char		*channel;	/* C0123 or #name, or NULL */
	struct strv	 managers;	/* user IDs */
	char		*admin_channel;	/* for needhelp, or NULL */
	char		*policy;	/* escalation policy's name, "default" */
	char		*ical_path;	/* as resolved, or NULL: a cycle */
	/*
	 * An http(s) URL to fetch the calendar from, or NULL. Config load
	 * only checks its shape: ical stays NULL until bot/oncall-ical.c
	 * fetches it (or reads the store's copy) and swaps each new
	 * schedule in, after load, as support_group_learn updates groups.
	 */
	char		*ical_url;
	int64_t		 ical_refresh_ms;	/* ical_refresh, default 1 h */
	/* parsed ical_path or the last good body of ical_url, or NULL */
	struct rotation_ical *ical;
	/* ical_url's fetches (bot/oncall-ical.c): wall ms UTC, 0 never */
	int64_t		 ical_tried_ms;		/* last attempt, its end */
	int64_t		 ical_fetched_ms;	/* the schedule's body */
	char		*ical_error;	/* the last attempt's, or NULL */
	/*
	 * Handoffs (bot/handoff.h), in ms: a handoff recorded later than
	 * the shift's end + grace is late (and the outgoing person is
	 * reminded once then); the incoming person is reminded every
	 * remind until they confirm, and the managers mentioned once
	 * after escalate. Defaults ROTATION_HANDOFF_*.
	 */
	int64_t		 handoff_grace_ms;
	int64_t		 handoff_remind_ms;
	int64_t		 handoff_escalate_ms;
	struct rotation_summary summary;	/* `summary:` */
};
/* ical_refresh's default, ms, and its bounds: 1 min .. 7 days. */
#define ROTATION_ICAL_REFRESH_MS	(INT64_C(3600) * 1000)
#define ROTATION_ICAL_REFRESH_MIN_MS	(INT64_C(60) * 1000)
#define ROTATION_ICAL_REFRESH_MAX_MS	(INT64_C(7) * 24 * 3600 * 1000)
#define ROTATION_HANDOFF_GRACE_MS	(INT64_C(30) * 60 * 1000)
#define ROTATION_HANDOFF_REMIND_MS	(INT64_C(30) * 60 * 1000)
#define ROTATION_HANDOFF_ESCALATE_MS	(INT64_C(2) * 3600 * 1000)
/* The longest of the three: a week. */
#define ROTATION_HANDOFF_MAX_MS		(INT64_C(7) * 24 * 3600 * 1000)
/* The escalation policy a rotation names when the config says none. */
#define ROTATION_POLICY_DEFAULT	"default"

/*
 * A stretch of time with one person on call (or no one). Plain data,
 * copied freely.
 */
struct rotation_shift {
	char	 user[ROTATION_USER_MAX];	/* user ID; "" no one on call */
	int64_t	 start_ms;	/* wall ms UTC; the shift holds at start_ms */
	/* wall ms UTC, exclusive; ROTATION_FOREVER when nothing follows */
	int64_t	 end_ms;
	/* a cycle: the shift's number from the anchor (0 is members[0]'s
	   first, negative before it); an iCalendar schedule: -1 */
	int64_t	 number;
	int	 overridden;	/* 1: an override (oncall.h), not the schedule */
	int64_t	 override_id;	/* the override's row id when overridden */
};

/* rotation.c */
/* Frees what r owns and zeroes it; accepts NULL. */
void	 rotation_release(struct rotation *r);
/*
 * Reads a shift length: "daily" (1 day), "weekly" (7 days), "<N>d" or
 * "<N> days" (1..ROTATION_SHIFT_DAYS_MAX). Returns 0 with *days, or -1.
 */
int	 rotation_shift_parse(const char *s, int *days);
/* Reads "HH:MM" (00:00-23:59). Returns 0 with *hour and *min, or -1. */
int	 rotation_time_parse(const char *s, int *hour, int *min);
/* Reads "YYYY-MM-DD" (a real date, years 1970-9999). 0 or -1. */
int	 rotation_date_parse(const char *s, int *year, int *mon, int *mday);
/*
 * Reads a weekday, "mon" or "monday" (any case), into *wday (0 Sunday
 * .. 6 Saturday). Returns 0, or -1.
 */
int	 rotation_wday_parse(const char *s, int *wday);
/*
 * The instant (wall ms UTC) at which cycle shift number n of r (a
 * cycle, not an iCalendar schedule) starts: the handoff time on the
 * anchor date plus n * shift_days local days, read in r->tz by tz_utc
 * (a handoff in a skipped hour is as far past the gap as it was named;
 * one in a repeated hour is the first). Returns 0, or -1 if the zone or
 * the date is out of range.
 */
int	 rotation_cycle_start(const struct rotation *r, int64_t n,
	    int64_t *start_ms);
/*
 * The schedule's shift at at_ms (wall ms UTC), overrides aside: for a
 * cycle, members[n mod nmembers] for the shift number n holding at_ms
 * (shifts before the anchor continue the cycle backwards); for an
 * iCalendar schedule, the event holding at_ms that started last, or a
 * shift with user "" (no one) from the end of the previous event to the
 * start of the next (as far as ROTATION_ICAL_SPAN_MS reaches; else
 * ROTATION_FOREVER); for a feed (ical_url) not fetched yet, no one
 * from 0 to ROTATION_FOREVER. Fills *out (overridden 0). Returns 0, or -1 if the
 * zone or the calendar cannot show the time, or a cycle has no members.
 */
int	 rotation_shift_at(const struct rotation *r, int64_t at_ms,
	    struct rotation_shift *out);
/*
 * The schedule's shift after cur (a shift rotation_shift_at filled):
 * the one holding cur->end_ms. Returns 0 with *out, 1 if cur never ends
 * (*out untouched), or -1 as rotation_shift_at.
 */
int	 rotation_shift_next(const struct rotation *r,
	    const struct rotation_shift *cur, struct rotation_shift *out);
/* Whether user is one of r's members (1) or not (0). */
int	 rotation_is_member(const struct rotation *r, const char *user);
/* Whether user is one of r's managers (1) or not (0). */
int	 rotation_is_manager(const struct rotation *r, const char *user);
/*
 * The display name of member user, or NULL if r gives none (borrowed).
 */
const char *rotation_member_name(const struct rotation *r,
	    const char *user);

/* rotation-ical.c */
/*
 * Parses len bytes of an iCalendar file (RFC 5545; need not be
 * NUL-terminated) with libical into a schedule (free with
 * rotation_ical_free). Each VEVENT is a shift of the person it names:
 *   SUMMARY   the first Slack user ID in it, as a mention ("On call:
 *             <@U0VAULT1>") or bare with a digit in it ("U0VAULT1";
 *             so "UTC" is not one); else
 *   ATTENDEE  the first whose CN parameter is a user ID, or whose
 *             value is "slack:U0VAULT1".
 * DTSTART is required; DTEND or DURATION (neither: a day for a DATE,
 * else nothing and the event is refused); RRULE, RDATE and EXDATE are
 * expanded by libical (icalcomponent_foreach_recurrence). Times in UTC,
 * with a TZID of a VTIMEZONE in the file or of libical's built-in
 * zones, or floating (read as UTC). Returns NULL with *cause (a
 * sentence, caller frees) naming the first VEVENT at fault: no one
 * named, no DTSTART, an end before the start, no VEVENT at all.
 */
struct rotation_ical *rotation_ical_parse(const char *data, size_t len,
	    char **cause);
void	 rotation_ical_free(struct rotation_ical *);
/*
 * Whether s is an http:// or https:// URL with a host and no space or
 * control character (1), the shape `ical:` accepts as a feed, or not
 * (0). Nothing is resolved or fetched.
 */
int	 rotation_ical_url_ok(const char *s);
/* How many VEVENTs the schedule holds (tests, `-n`). */
size_t	 rotation_ical_nevents(const struct rotation_ical *);
/*
 * The user ID VEVENT i (0-based, in file order) names, or NULL past the
 * end (borrowed from the schedule).
 */
const char *rotation_ical_user(const struct rotation_ical *, size_t i);
/*
 * Appends to *v (grown with xreallocarray; caller frees) every
 * occurrence overlapping [from_ms, to_ms) (wall ms UTC), sorted by
 * start, then end: user, start_ms, end_ms; number -1. Returns the
 * number appended.
 */
size_t	 rotation_ical_expand(const struct rotation_ical *, int64_t from_ms,
	    int64_t to_ms, struct rotation_shift **v, size_t *n);

#endif /* OPSBOT_ROTATION_H */
