/*
 * watch-active.c: a rule's active days and hours (watch.h, `active:`):
 * parsed at load, checked in watch_handle (not in claims: reading the
 * wall clock of a zone is a TZ switch, docs/internals/watch.md).
 */
#include <string.h>
#include <strings.h>

#include "bot/bot.h"
#include "bot/tz.h"
#include "bot/watch.h"

/* Monday first: bit i of watch_active.days. */
static const char *const watch_days[] = {
	"mon", "tue", "wed", "thu", "fri", "sat", "sun"
};

/* The day at s (3 letters, any case), or -1. */
static int
day_at(const char *s)
{
	int	 i;

	for (i = 0; i < 7; i++) {
		if (strncasecmp(s, watch_days[i], 3) == 0)
			return (i);
	}
	return (-1);
}

int
watch_days_parse(const char *s, unsigned *days, size_t *off)
{
	const char	*p = s;
	unsigned	 v = 0;
	int		 a, b;

	if (strcasecmp(s, "daily") == 0) {
		*days = WATCH_ALL_DAYS;
		return (0);
	}
	for (;;) {
		while (*p == ' ')
			p++;
		if ((a = day_at(p)) == -1)
			goto bad;
		p += 3;
		b = a;
		if (*p == '-') {
			p++;
			if ((b = day_at(p)) == -1)
				goto bad;
			p += 3;
		}
		/* "fri-mon" wraps over the weekend */
		for (;;) {
			v |= 1u << a;
			if (a == b)
				break;
			a = (a + 1) % 7;
		}
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		if (*p != ',')
			goto bad;
		p++;
	}
	*days = v;
	return (0);
bad:
	/* a day's first letter, or the separator */
	*off = (size_t)(p - s);
	return (-1);
}

/* "HH:MM" at s (max the largest hour); minutes of the day, or -1. */
static int
hhmm_at(const char *s, int max)
{
	int	 h, m;

	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' ||
	    s[2] != ':' || s[3] < '0' || s[3] > '5' || s[4] < '0' ||
	    s[4] > '9')
		return (-1);
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	if (h > max || (h == 24 && m != 0))
		return (-1);
	return (h * 60 + m);
}

int
watch_hours_parse(const char *s, int *start_min, int *end_min, size_t *off)
{
	int	 a, b;

	if (strlen(s) != 11 || s[5] != '-') {
		*off = 0;
		return (-1);
	}
	if ((a = hhmm_at(s, 23)) == -1) {
		*off = 0;
		return (-1);
	}
	if ((b = hhmm_at(s + 6, 24)) == -1 || b == a) {
		*off = 6;
		return (-1);
	}
	*start_min = a;
	*end_min = b;
	return (0);
}

int
watch_active_at(const struct watch_active *a, const char *deftz,
    int64_t now_ms)
{
	struct tz_time	 t;
	int64_t		 secs;

	if (!a->set)
		return (1);
	secs = now_ms / 1000 - (now_ms % 1000 < 0);
	if (tz_local(a->tz != NULL ? a->tz : deftz, secs, &t) != 0)
		return (-1);
	return (watch_active_local(a, &t));
}

int
watch_active_local(const struct watch_active *a, const struct tz_time *t)
{
	int	 day, min;

	if (!a->set)
		return (1);
	day = (t->wday + 6) % 7;
	min = t->hour * 60 + t->min;
	if (a->start_min < a->end_min)
		return ((a->days & (1u << day)) != 0 && min >= a->start_min &&
		    min < a->end_min);
	/* over midnight: the evening of today, the morning of yesterday's */
	if (min >= a->start_min)
		return ((a->days & (1u << day)) != 0);
	if (min < a->end_min)
		return ((a->days & (1u << ((day + 6) % 7))) != 0);
	return (0);
}

void
watch_active_format(struct buf *b, const struct watch_active *a,
    const char *deftz)
{
	int	 i, j, first = 1;

	if (!a->set)
		return;
	if (a->days == WATCH_ALL_DAYS)
		buf_adds(b, "daily");
	for (i = 0; a->days != WATCH_ALL_DAYS && i < 7; i = j) {
		if ((a->days & (1u << i)) == 0) {
			j = i + 1;
			continue;
		}
		for (j = i; j < 7 && (a->days & (1u << j)) != 0; j++)
			;
		/* runs of three or more as a range, else a list */
		if (j - i >= 3)
			buf_printf(b, "%s%s-%s", first ? "" : ",",
			    watch_days[i], watch_days[j - 1]);
		else if (j - i == 2)
			buf_printf(b, "%s%s,%s", first ? "" : ",",
			    watch_days[i], watch_days[i + 1]);
		else
			buf_printf(b, "%s%s", first ? "" : ",", watch_days[i]);
		first = 0;
	}
	buf_printf(b, " %02d:%02d-%02d:%02d %s", a->start_min / 60,
	    a->start_min % 60, a->end_min / 60, a->end_min % 60,
	    a->tz != NULL ? a->tz : deftz);
}
