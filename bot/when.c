/*
 * when.c: the times people type ("15m", "tomorrow 09:00", "mon 9am")
 * read into a due time in UTC, and due times written back as a person
 * reads them. Days are counted on the zone's calendar and converted
 * once (tz_utc), so "tomorrow 09:00" is 09:00 whatever the clocks did
 * overnight, while "24h" is 24 hours of elapsed time.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "bot/util.h"
#include "bot/tz.h"

#define SECS_DAY	(24 * 3600)
/* Digits in one number of a duration: 999999 weeks is past any limit. */
#define WHEN_DIGITS_MAX	6
/* Bytes of the user's words quoted back in an error. */
#define WHEN_QUOTE_MAX	40

static const char *const when_days[] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
};
static const char *const when_months[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
	"Oct", "Nov", "Dec"
};

/* Units of a duration, as typed, and their length in seconds. */
static const struct {
	const char	*name;
	int64_t		 secs;
} when_units[] = {
	{ "s", 1 }, { "sec", 1 }, { "secs", 1 }, { "second", 1 },
	{ "seconds", 1 },
	{ "m", 60 }, { "min", 60 }, { "mins", 60 }, { "minute", 60 },
	{ "minutes", 60 },
	{ "h", 3600 }, { "hr", 3600 }, { "hrs", 3600 }, { "hour", 3600 },
	{ "hours", 3600 },
	{ "d", SECS_DAY }, { "day", SECS_DAY }, { "days", SECS_DAY },
	{ "w", 7 * SECS_DAY }, { "wk", 7 * SECS_DAY }, { "week", 7 * SECS_DAY },
	{ "weeks", 7 * SECS_DAY },
};

/* Weekday names as typed, and their tm_wday (Sunday 0). */
static const struct {
	const char	*name;
	int		 wday;
} when_wdays[] = {
	{ "sun", 0 }, { "sunday", 0 },
	{ "mon", 1 }, { "monday", 1 },
	{ "tue", 2 }, { "tues", 2 }, { "tuesday", 2 },
	{ "wed", 3 }, { "weds", 3 }, { "wednesday", 3 },
	{ "thu", 4 }, { "thur", 4 }, { "thurs", 4 }, { "thursday", 4 },
	{ "fri", 5 }, { "friday", 5 },
	{ "sat", 6 }, { "saturday", 6 },
};

static const char when_forms[] = "Try `15m`, `2h`, `1h30m`, `in 3 hours`, "
    "`09:00`, `tomorrow 09:00`, `mon 09:00` or `2026-12-24 09:00`.";

/* Seconds of ms (wall ms UTC), rounded down also before 1970. */
static int64_t
when_secs(int64_t ms)
{
	return (ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000));
}

/* The length in seconds of the unit named by len bytes of s, or 0. */
static int64_t
when_unit(const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < sizeof when_units / sizeof when_units[0]; i++) {
		if (strlen(when_units[i].name) == len &&
		    strncasecmp(when_units[i].name, s, len) == 0)
			return (when_units[i].secs);
	}
	return (0);
}

/* Reads 1-WHEN_DIGITS_MAX digits at *s; -1 if there are none or more. */
static int64_t
when_number(const char **s)
{
	int64_t	 n = 0;
	int	 digits = 0;

	while (**s >= '0' && **s <= '9') {
		if (++digits > WHEN_DIGITS_MAX)
			return (-1);
		n = n * 10 + (**s - '0');
		(*s)++;
	}
	return (digits > 0 ? n : -1);
}

/* A word of number-unit pairs ("1h30m", "15min"): 1 with *secs, or 0. */
static int
when_compact(const char *w, int64_t *secs)
{
	const char	*p = w, *unit;
	int64_t		 n, u, total = 0;

	do {
		if ((n = when_number(&p)) < 0)
			return (0);
		for (unit = p; (*p >= 'a' && *p <= 'z') ||
		    (*p >= 'A' && *p <= 'Z'); p++)
			;
		if ((u = when_unit(unit, (size_t)(p - unit))) == 0)
			return (0);
		total += n * u;
		/* held just past the limit: a long word cannot overflow */
		if (total > WHEN_MAX_AHEAD_MS / 1000)
			total = WHEN_MAX_AHEAD_MS / 1000 + 1;
	} while (*p != '\0');
	*secs = total;
	return (1);
}

/*
 * Durations from words[i]: compact words and "<number> <unit>" pairs.
 * Returns how many words they took (0: none there) with *secs their
 * sum, held just past WHEN_MAX_AHEAD_MS so that it cannot overflow.
 */
static int
when_durations(const char *const *words, int nwords, int i, int64_t *secs)
{
	const char	*p;
	int64_t		 n, u, s, total = 0;
	int		 start = i;

	while (i < nwords) {
		p = words[i];
		if (when_compact(words[i], &s))
			i++;
		else if (i + 1 < nwords && (n = when_number(&p)) >= 0 &&
		    *p == '\0' &&
		    (u = when_unit(words[i + 1], strlen(words[i + 1]))) != 0) {
			s = n * u;
			i += 2;
		} else
			break;
		total += s;
		if (total > WHEN_MAX_AHEAD_MS / 1000)
			total = WHEN_MAX_AHEAD_MS / 1000 + 1;
	}
	*secs = total;
	return (i - start);
}

/*
 * A time of day: "9:30", "09:30", "9am", "9:30pm". Returns 1 with *h
 * and *m, 0 if w is not shaped like a time, -1 if it is but names none
 * ("25:00", "13pm").
 */
static int
when_clock(const char *w, int *h, int *m)
{
	const char	*p = w;
	int		 hour = 0, min = 0, digits = 0, colon = 0, ampm = 0;

	while (*p >= '0' && *p <= '9' && digits < 3) {
		hour = hour * 10 + (*p++ - '0');
		digits++;
	}
	if (digits == 0 || digits > 2)
		return (0);
	if (*p == ':') {
		p++;
		if (!(p[0] >= '0' && p[0] <= '9' && p[1] >= '0' &&
		    p[1] <= '9'))
			return (0);
		min = (p[0] - '0') * 10 + (p[1] - '0');
		p += 2;
		colon = 1;
	}
	if (strcasecmp(p, "am") == 0)
		ampm = 'a';
	else if (strcasecmp(p, "pm") == 0)
		ampm = 'p';
	else if (*p != '\0' || !colon)
		return (0);	/* "9" alone is a number, "9x" a word */
	if (min > 59)
		return (-1);
	if (ampm != 0) {
		if (hour < 1 || hour > 12)
			return (-1);
		hour %= 12;
		if (ampm == 'p')
			hour += 12;
	} else if (hour > 23)
		return (-1);
	*h = hour;
	*m = min;
	return (1);
}

/* 0-6 (Sunday 0) for a weekday's name, or -1. */
static int
when_wday(const char *w)
{
	size_t	 i;

	for (i = 0; i < sizeof when_wdays / sizeof when_wdays[0]; i++) {
		if (strcasecmp(when_wdays[i].name, w) == 0)
			return (when_wdays[i].wday);
	}
	return (-1);
}

static int
when_leap(int y)
{
	return ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0);
}

/*
 * A date "YYYY-MM-DD": 1 with the fields set, 0 if w is not shaped like
 * one, -1 if it is but names no day ("2026-02-30").
 */
static int
when_date(const char *w, struct tz_time *t)
{
	static const int	 mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31,
				    30, 31, 30, 31 };
	int			 i, y, m, d;

	for (i = 0; i < 10; i++) {
		if (i == 4 || i == 7) {
			if (w[i] != '-')
				return (0);
		} else if (w[i] < '0' || w[i] > '9')
			return (0);
	}
	if (w[10] != '\0')
		return (0);
	y = (w[0] - '0') * 1000 + (w[1] - '0') * 100 + (w[2] - '0') * 10 +
	    (w[3] - '0');
	m = (w[5] - '0') * 10 + (w[6] - '0');
	d = (w[8] - '0') * 10 + (w[9] - '0');
	if (y < 1970 || m < 1 || m > 12 || d < 1 ||
	    d > mdays[m - 1] + (m == 2 && when_leap(y)))
		return (-1);
	t->year = y;
	t->mon = m;
	t->mday = d;
	return (1);
}

/* Adds n days to t's date on the calendar (not 24h: no zone involved). */
static void
when_add_days(struct tz_time *t, int n)
{
	struct tm	 tm;
	time_t		 day;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = t->year - 1900;
	tm.tm_mon = t->mon - 1;
	tm.tm_mday = t->mday + n;
	tm.tm_hour = 12;
	day = timegm(&tm);
	gmtime_r(&day, &tm);
	t->year = tm.tm_year + 1900;
	t->mon = tm.tm_mon + 1;
	t->mday = tm.tm_mday;
}

/* words[0..n) for an error message: `quoted`, backticks made ', cut. */
static void
when_quote(struct buf *b, const char *const *words, int n)
{
	size_t	 start = b->len, cut;
	int	 i;
	char	*p;

	buf_addc(b, '`');
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(b, ' ');
		buf_adds(b, words[i]);
	}
	if (b->len - start - 1 > WHEN_QUOTE_MAX) {
		/* never inside a UTF-8 sequence */
		cut = start + 1 + WHEN_QUOTE_MAX;
		while (cut > start + 1 &&
		    ((unsigned char)b->s[cut] & 0xc0) == 0x80)
			cut--;
		buf_truncate(b, cut);
		buf_adds(b, "…");
	}
	for (p = b->s + start + 1; *p != '\0'; p++) {
		if (*p == '`')
			*p = '\'';
	}
	buf_addc(b, '`');
}

int
when_format(struct buf *b, int64_t at_ms, int64_t now_ms, const char *zone)
{
	struct tz_time	 at, now;

	if (tz_local(zone, when_secs(at_ms), &at) != 0 ||
	    tz_local(zone, when_secs(now_ms), &now) != 0)
		return (-1);
	buf_printf(b, "%02d:%02d %s %d %s", at.hour, at.min,
	    when_days[at.wday], at.mday, when_months[at.mon - 1]);
	if (at.year != now.year)
		buf_printf(b, " %d", at.year);
	return (0);
}

/*
 * The day forms: [today|tomorrow|<weekday>|<date>] [at] <time>. Sets
 * w->due_ms and w->nwords, or returns -1 with the error in b.
 */
static int
when_day(const char *const *words, int nwords, int64_t now_ms,
    const char *zone, const struct tz_time *today, struct when *w,
    struct buf *b)
{
	struct tz_time	 t;
	int64_t		 secs;
	int		 i = 0, wday = -1, again = 0, rc;

	t = *today;
	if (strcasecmp(words[0], "today") == 0)
		i = 1;
	else if (strcasecmp(words[0], "tomorrow") == 0) {
		when_add_days(&t, 1);
		i = 1;
	} else if ((wday = when_wday(words[0])) >= 0) {
		when_add_days(&t, (wday - today->wday + 7) % 7);
		again = 7;	/* the time passed today: next week */
		i = 1;
	} else if ((rc = when_date(words[0], &t)) != 0) {
		if (rc < 0) {
			when_quote(b, words, 1);
			buf_adds(b, " is not a date.");
			return (-1);
		}
		i = 1;
	} else
		again = 1;	/* a time alone: tomorrow if passed today */
	if (i == 1 && i + 1 < nwords && strcasecmp(words[i], "at") == 0 &&
	    when_clock(words[i + 1], &w->hour, &w->min) != 0)
		i++;
	else if (i == 0 && strcasecmp(words[0], "at") == 0)
		i++;
	if (i >= nwords || (rc = when_clock(words[i], &w->hour,
	    &w->min)) == 0) {
		if (i == 0) {
			buf_adds(b, "I cannot read ");
			when_quote(b, words, 1);
			buf_printf(b, " as a time. %s", when_forms);
		} else {
			when_quote(b, words, i);
			buf_adds(b, " needs a time of day after it, such as "
			    "`09:00` or `9am`.");
		}
		return (-1);
	}
	if (rc < 0) {
		when_quote(b, words + i, 1);
		buf_adds(b, " is not a time of day (00:00 to 23:59, or 1am "
		    "to 12pm).");
		return (-1);
	}
	t.hour = w->hour;
	t.min = w->min;
	t.sec = 0;
	w->nwords = i + 1;
	if ((w->fit = tz_utc(zone, &t, &secs)) == TZ_ERROR)
		goto bad_zone;
	if (secs * 1000 <= now_ms && again != 0) {
		when_add_days(&t, again);
		if ((w->fit = tz_utc(zone, &t, &secs)) == TZ_ERROR)
			goto bad_zone;
	}
	w->due_ms = secs * 1000;
	return (0);

bad_zone:
	buf_printf(b, "I cannot use the time zone %s.", zone);
	return (-1);
}

/* when_parse and when_parse_past: past_ok takes instants up to now. */
static int
when_parse_any(const char *const *words, int nwords, int64_t now_ms,
    const char *zone, int past_ok, struct when *w, char **cause)
{
	struct buf	 b = { NULL, 0, 0 };
	struct tz_time	 today;
	struct when	 got;
	int64_t		 secs;
	int		 n, rc = -1;

	memset(&got, 0, sizeof got);
	if (nwords < 1) {
		buf_printf(&b, "Say when. %s", when_forms);
		goto out;
	}
	if (tz_local(zone, when_secs(now_ms), &today) != 0) {
		buf_printf(&b, "I cannot use the time zone %s.", zone);
		goto out;
	}
	n = strcasecmp(words[0], "in") == 0;
	got.nwords = when_durations(words, nwords, n, &secs);
	if (got.nwords > 0) {
		got.nwords += n;
		got.due_ms = now_ms + secs * 1000;
		if (secs == 0) {
			when_quote(&b, words, got.nwords);
			buf_adds(&b, " is no time from now.");
			goto out;
		}
	} else if (n) {
		buf_printf(&b, "After `in`, say how long: `in 15m`, `in 2h`, "
		    "`in 1h30m`, `in 3 hours`.");
		goto out;
	} else if (when_day(words, nwords, now_ms, zone, &today, &got,
	    &b) != 0)
		goto out;

	if (past_ok && got.due_ms <= now_ms) {
		if (now_ms - got.due_ms > WHEN_MAX_AHEAD_MS) {
			when_quote(&b, words, got.nwords);
			buf_adds(&b, " is more than a year ago.");
			goto out;
		}
	} else if (got.due_ms <= now_ms) {
		when_quote(&b, words, got.nwords);
		buf_adds(&b, " has passed: it is ");
		when_format(&b, now_ms, now_ms, zone);
		buf_printf(&b, " in %s now.", zone);
		goto out;
	}
	if (got.due_ms - now_ms > WHEN_MAX_AHEAD_MS) {
		when_quote(&b, words, got.nwords);
		buf_adds(&b, " is more than a year ahead; reminders go up to "
		    "a year.");
		goto out;
	}
	*w = got;
	rc = 0;
out:
	if (rc != 0)
		*cause = buf_release(&b);
	buf_reset(&b);
	return (rc);
}

int
when_parse(const char *const *words, int nwords, int64_t now_ms,
    const char *zone, struct when *w, char **cause)
{
	return (when_parse_any(words, nwords, now_ms, zone, 0, w, cause));
}

int
when_parse_past(const char *const *words, int nwords, int64_t now_ms,
    const char *zone, struct when *w, char **cause)
{
	return (when_parse_any(words, nwords, now_ms, zone, 1, w, cause));
}
