/*
 * rotation.c: a cycle of members handing off at a local wall time. Days
 * are counted on the zone's calendar and each handoff converted once
 * (tz_utc), so a weekly Monday 09:00 Europe/Berlin handoff is 09:00
 * local in March and in October, and a shift across a DST change is an
 * hour shorter or longer in elapsed time, as the people on call live it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/util.h"
#include "bot/tz.h"
#include "bot/rotation.h"

#define SECS_DAY	INT64_C(86400)

static const struct {
	const char	*name;
	int		 wday;
} rotation_wdays[] = {
	{ "sun", 0 }, { "sunday", 0 }, { "mon", 1 }, { "monday", 1 },
	{ "tue", 2 }, { "tuesday", 2 }, { "wed", 3 }, { "wednesday", 3 },
	{ "thu", 4 }, { "thursday", 4 }, { "fri", 5 }, { "friday", 5 },
	{ "sat", 6 }, { "saturday", 6 },
};

/* Floor division: shifts before the anchor have negative numbers. */
static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t	 q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return (q);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t	 era, yoe, doy, doe;

	y -= m <= 2;
	era = floor_div(y, 400);
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + doe - 719468);
}

/* The date of a day count (the inverse of days_from_civil). */
static void
civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t	 era, doe, yoe, doy, mp;

	z += 719468;
	era = floor_div(z, 146097);
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

void
rotation_release(struct rotation *r)
{
	if (r == NULL)
		return;
	free(r->name);
	strv_reset(&r->members);
	strv_reset(&r->member_names);
	free(r->tz);
	free(r->channel);
	strv_reset(&r->managers);
	free(r->admin_channel);
	free(r->policy);
	free(r->ical_path);
	free(r->ical_url);
	free(r->ical_error);
	rotation_ical_free(r->ical);
	free(r->summary.channel);
	memset(r, 0, sizeof *r);
}

int
rotation_shift_parse(const char *s, int *days)
{
	char	*end;
	long	 v;

	if (strcasecmp(s, "daily") == 0) {
		*days = 1;
		return (0);
	}
	if (strcasecmp(s, "weekly") == 0) {
		*days = 7;
		return (0);
	}
	if (*s < '0' || *s > '9')
		return (-1);
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || v < 1 || v > ROTATION_SHIFT_DAYS_MAX)
		return (-1);
	while (*end == ' ')
		end++;
	if (strcasecmp(end, "d") != 0 && strcasecmp(end, "day") != 0 &&
	    strcasecmp(end, "days") != 0)
		return (-1);
	*days = (int)v;
	return (0);
}

/* Exactly n digits at s: 0 with *v, else -1. */
static int
digits(const char *s, int n, int *v)
{
	int	 i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (-1);
		*v = *v * 10 + (s[i] - '0');
	}
	return (0);
}

int
rotation_time_parse(const char *s, int *hour, int *min)
{
	int	 h, m;

	if (strlen(s) != 5 || s[2] != ':' || digits(s, 2, &h) != 0 ||
	    digits(s + 3, 2, &m) != 0 || h > 23 || m > 59)
		return (-1);
	*hour = h;
	*min = m;
	return (0);
}

int
rotation_date_parse(const char *s, int *year, int *mon, int *mday)
{
	int	 y, m, d, cy, cm, cd;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    digits(s, 4, &y) != 0 || digits(s + 5, 2, &m) != 0 ||
	    digits(s + 8, 2, &d) != 0 || y < 1970 || m < 1 || m > 12 ||
	    d < 1)
		return (-1);
	/* 2026-02-30 is not a date: it must come back as itself. */
	civil_from_days(days_from_civil(y, m, d), &cy, &cm, &cd);
	if (cy != y || cm != m || cd != d)
		return (-1);
	*year = y;
	*mon = m;
	*mday = d;
	return (0);
}

int
rotation_wday_parse(const char *s, int *wday)
{
	size_t	 i;

	for (i = 0; i < sizeof rotation_wdays / sizeof rotation_wdays[0];
	    i++) {
		if (strcasecmp(s, rotation_wdays[i].name) == 0) {
			*wday = rotation_wdays[i].wday;
			return (0);
		}
	}
	return (-1);
}

/* The anchor's day count: the start date, moved to the handoff weekday. */
static int64_t
rotation_anchor_day(const struct rotation *r)
{
	int64_t	 day;
	int	 wday;

	day = days_from_civil(r->start_year, r->start_mon, r->start_mday);
	if (r->handoff_wday >= 0) {
		wday = (int)((day % 7 + 7 + 4) % 7);	/* 1970-01-01: Thu */
		day += (r->handoff_wday - wday + 7) % 7;
	}
	return (day);
}

int
rotation_cycle_start(const struct rotation *r, int64_t n, int64_t *start_ms)
{
	struct tz_time	 lt;
	int64_t		 day, secs;

	if (r->shift_days < 1 || r->shift_days > ROTATION_SHIFT_DAYS_MAX ||
	    n > INT64_C(1000000) || n < -INT64_C(1000000))
		return (-1);
	day = rotation_anchor_day(r) + n * r->shift_days;
	memset(&lt, 0, sizeof lt);
	civil_from_days(day, &lt.year, &lt.mon, &lt.mday);
	lt.hour = r->handoff_hour;
	lt.min = r->handoff_min;
	if (tz_utc(r->tz, &lt, &secs) == TZ_ERROR)
		return (-1);
	*start_ms = secs * 1000;
	return (0);
}

static void
shift_user_set(struct rotation_shift *out, const char *user)
{
	snprintf(out->user, sizeof out->user, "%s", user != NULL ? user : "");
}

/* The cycle's shift at at_ms. */
static int
rotation_cycle_at(const struct rotation *r, int64_t at_ms,
    struct rotation_shift *out)
{
	struct tz_time	 lt;
	int64_t		 n, m, start = 0, end = 0, day;
	int		 i;

	if (r->members.n == 0 ||
	    tz_local(r->tz, floor_div(at_ms, 1000), &lt) != 0)
		return (-1);
	day = days_from_civil(lt.year, lt.mon, lt.mday);
	n = floor_div(day - rotation_anchor_day(r), r->shift_days);
	/*
	 * The shift of at_ms's local date, moved by one while at_ms is
	 * outside it: before the handoff of its first day, or (a handoff
	 * in a DST gap) past its end. Two steps are always enough.
	 */
	for (i = 0; i < 4; i++) {
		if (rotation_cycle_start(r, n, &start) != 0 ||
		    rotation_cycle_start(r, n + 1, &end) != 0)
			return (-1);
		if (at_ms < start)
			n--;
		else if (at_ms >= end)
			n++;
		else
			break;
	}
	if (i == 4)
		return (-1);
	memset(out, 0, sizeof *out);
	m = (int64_t)r->members.n;
	shift_user_set(out, r->members.v[n - floor_div(n, m) * m]);
	out->start_ms = start;
	out->end_ms = end;
	out->number = n;
	return (0);
}

/* The iCalendar schedule's shift at at_ms. */
static int
rotation_ical_at(const struct rotation *r, int64_t at_ms,
    struct rotation_shift *out)
{
	struct rotation_shift	*v = NULL;
	size_t			 n = 0, i;
	int64_t			 from, to, gap_start, gap_end;
	int			 found = -1;

	from = at_ms > INT64_MIN + ROTATION_ICAL_SPAN_MS ?
	    at_ms - ROTATION_ICAL_SPAN_MS : at_ms;
	to = at_ms < INT64_MAX - ROTATION_ICAL_SPAN_MS ?
	    at_ms + ROTATION_ICAL_SPAN_MS : at_ms;
	rotation_ical_expand(r->ical, from, to, &v, &n);
	gap_start = from;
	gap_end = ROTATION_FOREVER;
	for (i = 0; i < n; i++) {
		if (v[i].start_ms <= at_ms && at_ms < v[i].end_ms)
			found = (int)i;	/* sorted: the last is the latest */
		else if (v[i].end_ms <= at_ms && v[i].end_ms > gap_start)
			gap_start = v[i].end_ms;
		else if (v[i].start_ms > at_ms && v[i].start_ms < gap_end)
			gap_end = v[i].start_ms;
	}
	memset(out, 0, sizeof *out);
	out->number = -1;
	if (found >= 0) {
		*out = v[found];
		/* a later event starting inside this one takes over then */
		for (i = (size_t)found + 1; i < n; i++) {
			if (v[i].start_ms > at_ms &&
			    v[i].start_ms < out->end_ms)
				out->end_ms = v[i].start_ms;
		}
	} else {
		out->start_ms = gap_start;
		out->end_ms = gap_end;
	}
	free(v);
	return (0);
}

int
rotation_shift_at(const struct rotation *r, int64_t at_ms,
    struct rotation_shift *out)
{
	if (r->ical != NULL)
		return (rotation_ical_at(r, at_ms, out));
	if (r->ical_url != NULL) {
		/* a feed never fetched: no one, until it is */
		memset(out, 0, sizeof *out);
		out->start_ms = 0;
		out->end_ms = ROTATION_FOREVER;
		out->number = -1;
		return (0);
	}
	return (rotation_cycle_at(r, at_ms, out));
}

int
rotation_shift_next(const struct rotation *r,
    const struct rotation_shift *cur, struct rotation_shift *out)
{
	if (cur->end_ms == ROTATION_FOREVER)
		return (1);
	return (rotation_shift_at(r, cur->end_ms, out));
}

static int
strv_has(const struct strv *v, const char *s)
{
	size_t	 i;

	if (s == NULL)
		return (0);
	for (i = 0; i < v->n; i++) {
		if (strcmp(v->v[i], s) == 0)
			return (1);
	}
	return (0);
}

int
rotation_is_member(const struct rotation *r, const char *user)
{
	return (strv_has(&r->members, user));
}

int
rotation_is_manager(const struct rotation *r, const char *user)
{
	return (strv_has(&r->managers, user));
}

const char *
rotation_member_name(const struct rotation *r, const char *user)
{
	size_t	 i;

	if (user == NULL)
		return (NULL);
	for (i = 0; i < r->members.n && i < r->member_names.n; i++) {
		if (strcmp(r->members.v[i], user) == 0)
			return (r->member_names.v[i][0] != '\0' ?
			    r->member_names.v[i] : NULL);
	}
	return (NULL);
}
