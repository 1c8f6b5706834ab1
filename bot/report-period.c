/*
 * report-period.c: the periods a summary covers, as instants (wall ms
 * UTC) from local calendar days in a zone (tz.h: the zone's own rules,
 * so a week across a DST change is 167 or 169 hours, as it was lived).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/report.h"
#include "bot/rotation.h"
#include "bot/tz.h"
#include "bot/util.h"

#define DAY_MS		(INT64_C(24) * 3600 * 1000)
/* The longest DATE..DATE, in days. */
#define REPORT_SPAN_DAYS_MAX	366

int
report_day_start(const char *tz, int year, int mon, int mday, int64_t *ms)
{
	struct tz_time	 t;
	int64_t		 secs;

	memset(&t, 0, sizeof t);
	t.year = year;
	t.mon = mon;
	t.mday = mday;
	if (tz_utc(tz, &t, &secs) == TZ_ERROR)
		return (-1);
	*ms = secs * 1000;
	return (0);
}

int
report_previous(const char *tz, int64_t at_ms, int month, int64_t *from_ms,
    int64_t *to_ms)
{
	struct tz_time	 t;
	int64_t		 secs = at_ms / 1000 - (at_ms % 1000 < 0);

	if (tz_local(tz, secs, &t) != 0)
		return (-1);
	if (month) {
		if (report_day_start(tz, t.year, t.mon, 1, to_ms) != 0 ||
		    report_day_start(tz, t.year, t.mon - 1, 1, from_ms) != 0)
			return (-1);
		/* January: tz_utc rolls month 0 over as timegm does */
		return (0);
	}
	/* this week's Monday, then the one before */
	if (report_day_start(tz, t.year, t.mon, t.mday - (t.wday + 6) % 7,
	    to_ms) != 0 ||
	    report_day_start(tz, t.year, t.mon, t.mday - (t.wday + 6) % 7 - 7,
	    from_ms) != 0)
		return (-1);
	return (0);
}

int
report_period_parse(const char *arg, const char *tz, int64_t now_ms,
    int64_t *from_ms, int64_t *to_ms, char **cause)
{
	const char	*dots;
	char		 first[16];
	int		 y1, m1, d1, y2, m2, d2;

	if (arg == NULL) {
		*to_ms = now_ms;
		*from_ms = now_ms - REPORT_DEFAULT_DAYS * DAY_MS;
		return (0);
	}
	if (strcasecmp(arg, "week") == 0 || strcasecmp(arg, "month") == 0) {
		if (report_previous(tz, now_ms, strcasecmp(arg, "month") == 0,
		    from_ms, to_ms) != 0)
			goto bad_zone;
		return (0);
	}
	if ((dots = strstr(arg, "..")) == NULL ||
	    (size_t)(dots - arg) >= sizeof first)
		goto bad;
	memcpy(first, arg, (size_t)(dots - arg));
	first[dots - arg] = '\0';
	if (rotation_date_parse(first, &y1, &m1, &d1) != 0 ||
	    rotation_date_parse(dots + 2, &y2, &m2, &d2) != 0)
		goto bad;
	if (report_day_start(tz, y1, m1, d1, from_ms) != 0 ||
	    report_day_start(tz, y2, m2, d2 + 1, to_ms) != 0)
		goto bad_zone;
	if (*to_ms <= *from_ms) {
		xasprintf(cause, "'%s' ends before it starts", arg);
		return (-1);
	}
	if (*to_ms - *from_ms > (REPORT_SPAN_DAYS_MAX + 1) * DAY_MS) {
		xasprintf(cause, "'%s' is longer than %d days", arg,
		    REPORT_SPAN_DAYS_MAX);
		return (-1);
	}
	return (0);

bad:
	xasprintf(cause, "'%s' is not a period: week, month or "
	    "YYYY-MM-DD..YYYY-MM-DD", arg);
	return (-1);
bad_zone:
	xasprintf(cause, "the zone '%s' cannot show that time", tz);
	return (-1);
}
