/*
 * tz.h: time zones, and the times people type (bot/tz.c, bot/when.c).
 *
 * Zones are IANA names read from the system tz database (Debian's
 * tzdata, /usr/share/zoneinfo) by glibc: no DST rule is written here.
 * Neither file reads the clock: "now" is always passed in (clock.h).
 * Units: tz.c speaks UTC seconds since the epoch; when.c wall ms UTC,
 * as the store and clock_wall_ms() do.
 */
#ifndef OPSBOT_TZ_H
#define OPSBOT_TZ_H

#include <stddef.h>
#include <stdint.h>

struct buf;

/* tz.c */
/* Where zone names are looked up; fixed, so the file checked is the file used. */
#define TZ_DIR		"/usr/share/zoneinfo"
/* The longest zone name accepted (the longest IANA name is 30 bytes). */
#define TZ_NAME_MAX	64

/*
 * A wall-clock time in a zone: a calendar date and a time of day, plus,
 * from tz_local, what was in effect then.
 */
struct tz_time {
	int	 year;		/* 2026 */
	int	 mon;		/* 1-12 */
	int	 mday;		/* 1-31 */
	int	 hour;		/* 0-23 */
	int	 min;		/* 0-59 */
	int	 sec;		/* 0-60 */
	int	 wday;		/* tz_local: 0 Sunday .. 6 Saturday */
	long	 gmtoff;	/* tz_local: seconds east of UTC */
	int	 isdst;		/* tz_local: 1 in summer time */
	char	 abbr[16];	/* tz_local: "CET", "EDT" */
};

/*
 * How a wall-clock time maps to UTC. On the day the clocks change, a
 * time of the skipped hour does not exist and one of the repeated hour
 * exists twice; tz_utc then follows RFC 5545 (3.3.5), as calendars do:
 *   TZ_GAP      a time in the gap is read with the offset in effect
 *               before the gap, so it lands as far past the gap's
 *               start as it was named: 02:30 on the night Berlin
 *               springs forward is 01:30Z, 03:30 CEST;
 *   TZ_OVERLAP  a time in the repeated hour is its first occurrence
 *               (still summer time): 02:30 on the night Berlin falls
 *               back is 00:30Z, 02:30 CEST, not 02:30 CET an hour on.
 * For a reminder both rules mean "never later than asked, never lost".
 */
enum tz_fit {
	TZ_ERROR = -1,		/* the zone is not usable */
	TZ_EXACT = 0,		/* the time exists exactly once */
	TZ_GAP,
	TZ_OVERLAP,
};

/*
 * Whether name is a zone of the tz database: a relative IANA name
 * ("Europe/Berlin", "UTC") of letters, digits and "/_+-" (so no ".."
 * and no empty component), naming a TZif file under TZ_DIR.
 * "UTC" is always valid, even without tzdata installed. "right/..."
 * zones (which count leap seconds, unlike the clock) are refused.
 * Returns 0, or -1 with *cause (a sentence for a person; caller frees)
 * when cause is not NULL.
 */
int		 tz_check(const char *name, char **cause);
/*
 * The wall-clock time in zone at utc_secs (seconds since the epoch).
 * Returns 0, or -1 if zone is not valid (tz_check) or the instant is
 * outside what the calendar can show; *out is then untouched.
 */
int		 tz_local(const char *zone, int64_t utc_secs,
		    struct tz_time *out);
/*
 * tz_local for n instants at once: the zone is entered once (tz_local
 * costs a zone switch, which glibc pays by reading its file, each
 * call), for a report over thousands of pages. Fills out[0..n).
 * Returns 0, or -1 (out partly written) as tz_local.
 */
int		 tz_local_all(const char *zone, const int64_t *utc_secs,
		    size_t n, struct tz_time *out);
/*
 * The instant (UTC seconds since the epoch) at which zone's clocks show
 * local's year, mon, mday, hour, min and sec (the other members are not
 * read; out-of-range members roll over as timegm does: mday 32 is the
 * next month). Years 1900-9999. Sets *utc_secs and returns how the time
 * fits the zone's changes (enum tz_fit, above), or TZ_ERROR (nothing
 * set) for a zone tz_check refuses or a year out of range.
 */
enum tz_fit	 tz_utc(const char *zone, const struct tz_time *local,
		    int64_t *utc_secs);

/* when.c */
/* The furthest ahead a time may be: a year and a day, in ms. */
#define WHEN_MAX_AHEAD_MS	(INT64_C(366) * 24 * 3600 * 1000)

/* What when_parse read. */
struct when {
	int64_t		 due_ms;	/* wall ms UTC, > now_ms */
	int		 nwords;	/* words it took from the front */
	/* TZ_GAP or TZ_OVERLAP: the wall-clock time named (below) was
	   moved or chosen by tz_utc's rule; TZ_EXACT otherwise and for
	   durations */
	enum tz_fit	 fit;
	int		 hour;		/* the time of day named, if any */
	int		 min;
};
/*
 * Reads a time from the front of words[0..nwords) (a command's
 * arguments, each one word), in zone (valid, see tz_check), from now_ms
 * (wall ms UTC, the caller's clock_wall_ms()). Words are matched
 * without regard to case. Understood:
 *   durations    15m  2h  1h30m  90s  2d  1w  "2 hours"  "1 h 30 min",
 *                each optionally after "in"; exact elapsed time, so
 *                "24h" and "tomorrow" differ across a DST change;
 *   times        09:00  9:30  9am  9:30pm, optionally after "at":
 *                today if still ahead, else tomorrow;
 *   days         "today 17:00", "tomorrow 09:00", "mon 09:00",
 *                "monday 9:00" (the next such day, today if the time
 *                is still ahead), "2026-12-24 09:00".
 * The result must be after now_ms and at most WHEN_MAX_AHEAD_MS ahead.
 * Returns 0 with *w filled (w->nwords >= 1; the words after it are the
 * caller's), or -1 with *cause: a sentence for the user in mrkdwn that
 * quotes their words in `code` (backticks in them become '), not yet
 * escaped (caller escapes &, <, > and frees).
 */
int		 when_parse(const char *const *words, int nwords,
		    int64_t now_ms, const char *zone, struct when *w,
		    char **cause);
/*
 * when_parse, except that a day and time up to a year before now_ms is
 * taken too ("2026-11-01 09:00", "today 08:00" at noon): for questions
 * about any moment, such as `oncall at`. Durations and the next-such-day
 * forms still read ahead; w->due_ms may then be <= now_ms.
 */
int		 when_parse_past(const char *const *words, int nwords,
		    int64_t now_ms, const char *zone, struct when *w,
		    char **cause);
/*
 * Appends at_ms (wall ms UTC) as zone's clocks show it, "09:00 Tue 1
 * Dec", with " 2027" after it when that is not the year at now_ms
 * (wall ms UTC). English names, whatever the locale. Returns 0, or -1
 * (nothing appended) if zone is not valid.
 */
int		 when_format(struct buf *b, int64_t at_ms, int64_t now_ms,
		    const char *zone);

#endif /* OPSBOT_TZ_H */
