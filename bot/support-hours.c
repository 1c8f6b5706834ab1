/*
 * support-hours.c: clocks that run in support hours only. A 24x5 week
 * is found on the zone's calendar (tz.c, the system tz database): its
 * window opens at the local Monday 00:00 and closes at the local
 * Saturday 00:00, each converted once, so DST is whatever tzdata says
 * and no rule is written here. 24x7 is real elapsed time.
 */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "bot/util.h"
#include "bot/tz.h"
#include "bot/support.h"

#define MS_SEC		INT64_C(1000)

int
support_week_parse(const char *s, enum support_week *week)
{
	static const struct {
		const char		*name;
		enum support_week	 week;
	} names[] = {
		{ "24x7", SUPPORT_24X7 }, { "24x7x365", SUPPORT_24X7 },
		{ "24x5", SUPPORT_24X5 }, { "24x5x365", SUPPORT_24X5 },
	};
	size_t	 i;

	if (s == NULL)
		return (-1);
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strcasecmp(s, names[i].name) == 0) {
			*week = names[i].week;
			return (0);
		}
	}
	return (-1);
}

const char *
support_week_name(enum support_week week)
{
	return (week == SUPPORT_24X5 ? "24x5" : "24x7");
}

/* ms to seconds, rounded down (towards the past, also before 1970). */
static int64_t
support_floor_secs(int64_t ms)
{
	int64_t	 s = ms / MS_SEC;

	if (ms % MS_SEC < 0)
		s--;
	return (s);
}

/*
 * The instant of 00:00 local on the day mday days (may be out of range:
 * tz_utc rolls over) from year-mon-1, in ms. A midnight in a DST gap is
 * the gap's start (tz_utc's TZ_GAP rule), so a window never loses time.
 */
static int
support_midnight(const char *zone, const struct tz_time *day, int mday,
    int64_t *ms)
{
	struct tz_time	 t;
	int64_t		 secs;

	memset(&t, 0, sizeof t);
	t.year = day->year;
	t.mon = day->mon;
	t.mday = mday;
	if (tz_utc(zone, &t, &secs) == TZ_ERROR)
		return (-1);
	*ms = secs * MS_SEC;
	return (0);
}

int
support_hours_window(const struct support_hours *h, int64_t at_ms,
    int64_t *start_ms, int64_t *end_ms)
{
	struct tz_time	 now;
	int64_t		 mon, sat;
	int		 monday;

	if (h->week != SUPPORT_24X5) {
		*start_ms = at_ms;
		*end_ms = INT64_MAX;
		return (0);
	}
	if (tz_local(h->zone, support_floor_secs(at_ms), &now) != 0)
		return (-1);
	/* This week's Monday: wday 1 is 0 days back, Sunday (0) is 6. */
	monday = now.mday - (now.wday + 6) % 7;
	if (support_midnight(h->zone, &now, monday, &mon) != 0 ||
	    support_midnight(h->zone, &now, monday + 5, &sat) != 0)
		return (-1);
	if (at_ms >= sat) {
		/* The weekend: the next window is next week's. */
		if (support_midnight(h->zone, &now, monday + 7, &mon) != 0 ||
		    support_midnight(h->zone, &now, monday + 12, &sat) != 0)
			return (-1);
	}
	*start_ms = mon;
	*end_ms = sat;
	return (0);
}

int
support_hours_due(const struct support_hours *h, int64_t start_ms,
    int64_t response_ms, int64_t *due_ms)
{
	int64_t	 t = start_ms, left = response_ms, ws, we;

	if (response_ms < 0 || response_ms > SUPPORT_RESPONSE_MAX_MS)
		return (-1);
	/* Each turn ends a window (or the loop): a year has 53 of them. */
	for (;;) {
		if (support_hours_window(h, t, &ws, &we) != 0)
			return (-1);
		if (t < ws)
			t = ws;
		if (we - t >= left) {
			*due_ms = t + left;
			return (0);
		}
		left -= we - t;
		t = we;
	}
}

int
support_hours_elapsed(const struct support_hours *h, int64_t from_ms,
    int64_t to_ms, int64_t *elapsed_ms)
{
	int64_t	 t = from_ms, sum = 0, ws, we;

	while (t < to_ms) {
		if (support_hours_window(h, t, &ws, &we) != 0)
			return (-1);
		if (ws >= to_ms)
			break;
		if (t < ws)
			t = ws;
		if (we > to_ms)
			we = to_ms;
		sum += we - t;
		t = we;
	}
	*elapsed_ms = sum;
	return (0);
}

int
support_hours_share_at(const struct support_hours *h, int64_t start_ms,
    int64_t response_ms, int percent, int64_t *at_ms)
{
	if (percent < 0 || percent > 100 || response_ms < 0 ||
	    response_ms > SUPPORT_RESPONSE_MAX_MS)
		return (-1);
	/* At most 366 days of ms times 100: far inside int64_t. */
	return (support_hours_due(h, start_ms, response_ms * percent / 100,
	    at_ms));
}
