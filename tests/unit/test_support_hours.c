/*
 * test_support_hours.c: bot/support-hours.c against the system tz
 * database: 24x5 weekends skipped, requests opened late on Friday and
 * at the weekend, the spring and autumn changes of 2026 in
 * Europe/Berlin and America/New_York, 24x7 across DST, 80% points.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "bot/support.h"
#include "bot/tz.h"
#include "tests/unit/test-util.h"

#define MS_MIN		(INT64_C(60) * 1000)
#define MS_HOUR		(60 * MS_MIN)

static const struct support_hours berlin5 = { SUPPORT_24X5, "Europe/Berlin" };
static const struct support_hours ny5 = { SUPPORT_24X5, "America/New_York" };
static const struct support_hours berlin7 = { SUPPORT_24X7, "Europe/Berlin" };

/* "2026-03-27 22:00" on zone's clocks as wall ms UTC (an exact time). */
static int64_t
local(const char *zone, const char *s)
{
	struct tz_time	 t;
	int64_t		 secs;

	memset(&t, 0, sizeof t);
	if (sscanf(s, "%d-%d-%d %d:%d", &t.year, &t.mon, &t.mday, &t.hour,
	    &t.min) != 5)
		fail_msg("bad test wall time %s", s);
	assert_int_equal(tz_utc(zone, &t, &secs), TZ_EXACT);
	return (secs * 1000);
}

static int64_t
due(const struct support_hours *h, int64_t start, int64_t resp)
{
	int64_t	 d = -1, back = -1;

	assert_int_equal(support_hours_due(h, start, resp, &d), 0);
	/* The support time from start to the due time is the response. */
	assert_int_equal(support_hours_elapsed(h, start, d, &back), 0);
	assert_int_equal(back, resp);
	return (d);
}

static void
test_week_names(void **state)
{
	enum support_week	 w = SUPPORT_24X7;

	assert_int_equal(support_week_parse("24x5", &w), 0);
	assert_int_equal(w, SUPPORT_24X5);
	assert_int_equal(support_week_parse("24X7x365", &w), 0);
	assert_int_equal(w, SUPPORT_24X7);
	assert_int_equal(support_week_parse("24x5x365", &w), 0);
	assert_int_equal(w, SUPPORT_24X5);
	assert_int_equal(support_week_parse("9x5", &w), -1);
	assert_int_equal(support_week_parse("", &w), -1);
	assert_int_equal(support_week_parse(NULL, &w), -1);
	assert_string_equal(support_week_name(SUPPORT_24X5), "24x5");
	assert_string_equal(support_week_name(SUPPORT_24X7), "24x7");
}

/* A week day's request runs in elapsed time; the weekend is skipped. */
static void
test_weekend_skipped(void **state)
{
	const char	*z = "Europe/Berlin";
	int64_t		 ws, we, e;

	/* Tuesday 10:00 + 8h: the same day, 18:00. */
	assert_int_equal(due(&berlin5, local(z, "2026-06-09 10:00"),
	    8 * MS_HOUR), local(z, "2026-06-09 18:00"));
	/* Thursday 12:00 + 48h: Friday 24h, then Monday 12:00. */
	assert_int_equal(due(&berlin5, local(z, "2026-06-11 12:00"),
	    48 * MS_HOUR), local(z, "2026-06-15 12:00"));
	/* A whole week of support time is 120 hours: Mon to next Mon. */
	assert_int_equal(due(&berlin5, local(z, "2026-06-08 00:00"),
	    120 * MS_HOUR), local(z, "2026-06-13 00:00"));
	assert_int_equal(due(&berlin5, local(z, "2026-06-08 00:00"),
	    121 * MS_HOUR), local(z, "2026-06-15 01:00"));
	/* Three weeks and an hour. */
	assert_int_equal(due(&berlin5, local(z, "2026-06-08 09:00"),
	    361 * MS_HOUR), local(z, "2026-06-29 10:00"));

	/* The window: in it, and at the weekend the next one. */
	assert_int_equal(support_hours_window(&berlin5,
	    local(z, "2026-06-10 15:00"), &ws, &we), 0);
	assert_int_equal(ws, local(z, "2026-06-08 00:00"));
	assert_int_equal(we, local(z, "2026-06-13 00:00"));
	assert_int_equal(support_hours_window(&berlin5,
	    local(z, "2026-06-14 23:59"), &ws, &we), 0);
	assert_int_equal(ws, local(z, "2026-06-15 00:00"));
	assert_int_equal(we, local(z, "2026-06-20 00:00"));
	/* Saturday 00:00 itself is the weekend. */
	assert_int_equal(support_hours_window(&berlin5,
	    local(z, "2026-06-13 00:00"), &ws, &we), 0);
	assert_int_equal(ws, local(z, "2026-06-15 00:00"));

	/* Elapsed from Friday 20:00 to Tuesday 01:00: 4h + 25h. */
	assert_int_equal(support_hours_elapsed(&berlin5,
	    local(z, "2026-06-12 20:00"), local(z, "2026-06-16 01:00"), &e),
	    0);
	assert_int_equal(e, 29 * MS_HOUR);
	/* Within one weekend: none; backwards: none. */
	assert_int_equal(support_hours_elapsed(&berlin5,
	    local(z, "2026-06-13 08:00"), local(z, "2026-06-14 20:00"), &e),
	    0);
	assert_int_equal(e, 0);
	assert_int_equal(support_hours_elapsed(&berlin5,
	    local(z, "2026-06-12 08:00"), local(z, "2026-06-11 20:00"), &e),
	    0);
	assert_int_equal(e, 0);
}

/* Friday 22:00 local with 4 hours: Monday 02:00 local. */
static void
test_friday_late(void **state)
{
	const char	*z = "Europe/Berlin";

	assert_int_equal(due(&berlin5, local(z, "2026-06-12 22:00"),
	    4 * MS_HOUR), local(z, "2026-06-15 02:00"));
	assert_int_equal(due(&ny5, local("America/New_York",
	    "2026-06-12 22:00"), 4 * MS_HOUR), local("America/New_York",
	    "2026-06-15 02:00"));
	/* Time that runs out as the window closes: Fri 24:00. */
	assert_int_equal(due(&berlin5, local(z, "2026-06-12 22:00"),
	    2 * MS_HOUR), local(z, "2026-06-13 00:00"));
	/* Seconds and ms are kept. */
	assert_int_equal(due(&berlin5, local(z, "2026-06-12 23:59") + 30500,
	    MS_MIN), local(z, "2026-06-15 00:00") + 30500);
}

/* Opened at the weekend: the clock starts Monday 00:00 local. */
static void
test_weekend_opened(void **state)
{
	const char	*z = "Europe/Berlin";

	assert_int_equal(due(&berlin5, local(z, "2026-06-13 11:00"),
	    4 * MS_HOUR), local(z, "2026-06-15 04:00"));
	assert_int_equal(due(&berlin5, local(z, "2026-06-14 23:30"),
	    4 * MS_HOUR), local(z, "2026-06-15 04:00"));
	/* No time at all: due when support opens. */
	assert_int_equal(due(&berlin5, local(z, "2026-06-13 11:00"), 0),
	    local(z, "2026-06-15 00:00"));
	assert_int_equal(due(&berlin5, local(z, "2026-06-10 11:00"), 0),
	    local(z, "2026-06-10 11:00"));
}

/*
 * The spring and autumn changes of 2026 fall on a Sunday in both zones,
 * so the weekend has 47 or 49 real hours and the week 167 or 169; the
 * local Monday 00:00 is what counts.
 */
static void
test_dst_berlin(void **state)
{
	const char	*z = "Europe/Berlin";
	int64_t		 e;

	/* Spring, 29 March: Fri 22:00 CET (21:00Z) + 4h = Mon 02:00 CEST. */
	assert_int_equal(local(z, "2026-03-27 22:00"),
	    test_utc_ms("2026-03-27T21:00:00Z"));
	assert_int_equal(due(&berlin5, local(z, "2026-03-27 22:00"),
	    4 * MS_HOUR), test_utc_ms("2026-03-30T00:00:00Z"));
	/* Mon 00:00 CET to Mon 00:00 CEST: 167 real hours, 120 of support. */
	assert_int_equal(local(z, "2026-03-30 00:00") -
	    local(z, "2026-03-23 00:00"), 167 * MS_HOUR);
	assert_int_equal(support_hours_elapsed(&berlin5,
	    local(z, "2026-03-23 00:00"), local(z, "2026-03-30 00:00"), &e),
	    0);
	assert_int_equal(e, 120 * MS_HOUR);
	assert_int_equal(due(&berlin5, local(z, "2026-03-23 00:00"),
	    121 * MS_HOUR), test_utc_ms("2026-03-29T23:00:00Z"));

	/* Autumn, 25 October: Fri 22:00 CEST (20:00Z) + 4h = Mon 02:00 CET. */
	assert_int_equal(due(&berlin5, local(z, "2026-10-23 22:00"),
	    4 * MS_HOUR), test_utc_ms("2026-10-26T01:00:00Z"));
	assert_int_equal(local(z, "2026-10-26 00:00") -
	    local(z, "2026-10-19 00:00"), 169 * MS_HOUR);
	assert_int_equal(support_hours_elapsed(&berlin5,
	    local(z, "2026-10-19 00:00"), local(z, "2026-10-26 00:00"), &e),
	    0);
	assert_int_equal(e, 120 * MS_HOUR);
	/* Opened in the repeated hour (02:30 CEST, Sunday): Monday 00:00. */
	assert_int_equal(due(&berlin5, test_utc_ms("2026-10-25T00:30:00Z"),
	    MS_HOUR), test_utc_ms("2026-10-25T23:00:00Z") + MS_HOUR);
}

static void
test_dst_new_york(void **state)
{
	const char	*z = "America/New_York";
	int64_t		 e;

	/* Spring, 8 March: Fri 22:00 EST (Sat 03:00Z) + 4h = Mon 02:00 EDT. */
	assert_int_equal(local(z, "2026-03-06 22:00"),
	    test_utc_ms("2026-03-07T03:00:00Z"));
	assert_int_equal(due(&ny5, local(z, "2026-03-06 22:00"),
	    4 * MS_HOUR), test_utc_ms("2026-03-09T06:00:00Z"));
	assert_int_equal(local(z, "2026-03-09 00:00") -
	    local(z, "2026-03-02 00:00"), 167 * MS_HOUR);
	assert_int_equal(support_hours_elapsed(&ny5,
	    local(z, "2026-03-02 00:00"), local(z, "2026-03-09 00:00"), &e),
	    0);
	assert_int_equal(e, 120 * MS_HOUR);
	/* Opened in the skipped hour's instant, Sunday 03:00 EDT. */
	assert_int_equal(due(&ny5, test_utc_ms("2026-03-08T07:00:00Z"),
	    MS_HOUR),
	    test_utc_ms("2026-03-09T05:00:00Z"));

	/* Autumn, 1 Nov: Fri 22:00 EDT (Sat 02:00Z) + 4h = Mon 02:00 EST. */
	assert_int_equal(due(&ny5, local(z, "2026-10-30 22:00"),
	    4 * MS_HOUR), test_utc_ms("2026-11-02T07:00:00Z"));
	assert_int_equal(local(z, "2026-11-02 00:00") -
	    local(z, "2026-10-26 00:00"), 169 * MS_HOUR);
	assert_int_equal(support_hours_elapsed(&ny5,
	    local(z, "2026-10-26 00:00"), local(z, "2026-11-02 00:00"), &e),
	    0);
	assert_int_equal(e, 120 * MS_HOUR);
	/* Elapsed across that weekend: Fri 23:00 to Mon 01:00 is 2 hours. */
	assert_int_equal(support_hours_elapsed(&ny5,
	    local(z, "2026-10-30 23:00"), local(z, "2026-11-02 01:00"), &e),
	    0);
	assert_int_equal(e, 2 * MS_HOUR);
}

/* 24x7 is real elapsed time: across DST the wall clock moves by 23/25h. */
static void
test_24x7_dst(void **state)
{
	const char	*z = "Europe/Berlin";
	struct support_hours	 nozone = { SUPPORT_24X7, NULL };
	int64_t		 e, ws, we;

	/* Sat 12:00 CET + 24h = Sun 13:00 CEST (11:00Z both). */
	assert_int_equal(due(&berlin7, local(z, "2026-03-28 12:00"),
	    24 * MS_HOUR), local(z, "2026-03-29 13:00"));
	/* Sat 12:00 CEST + 24h = Sun 11:00 CET. */
	assert_int_equal(due(&berlin7, local(z, "2026-10-24 12:00"),
	    24 * MS_HOUR), local(z, "2026-10-25 11:00"));
	/* Weekends count. */
	assert_int_equal(due(&berlin7, local(z, "2026-06-12 22:00"),
	    4 * MS_HOUR), local(z, "2026-06-13 02:00"));
	assert_int_equal(support_hours_elapsed(&berlin7,
	    local(z, "2026-10-19 00:00"), local(z, "2026-10-26 00:00"), &e),
	    0);
	assert_int_equal(e, 169 * MS_HOUR);
	/* 24x7 reads no zone. */
	assert_int_equal(due(&nozone, 1000, MS_HOUR), 1000 + MS_HOUR);
	assert_int_equal(support_hours_window(&nozone, 5, &ws, &we), 0);
	assert_int_equal(ws, 5);
	assert_int_equal(we, INT64_MAX);
}

/* The warning point: 80% of the response time, in support time. */
static void
test_share(void **state)
{
	const char	*z = "Europe/Berlin";
	int64_t		 at;

	/* 4h from Tuesday 10:00: 80% at 13:12. */
	assert_int_equal(support_hours_share_at(&berlin5,
	    local(z, "2026-06-09 10:00"), 4 * MS_HOUR, 80, &at), 0);
	assert_int_equal(at, local(z, "2026-06-09 13:12"));
	/* From Friday 22:00: 2h on Friday, 1h12m on Monday. */
	assert_int_equal(support_hours_share_at(&berlin5,
	    local(z, "2026-06-12 22:00"), 4 * MS_HOUR, 80, &at), 0);
	assert_int_equal(at, local(z, "2026-06-15 01:12"));
	/* The same across Berlin's spring change: Mon 01:12 CEST. */
	assert_int_equal(support_hours_share_at(&berlin5,
	    local(z, "2026-03-27 22:00"), 4 * MS_HOUR, 80, &at), 0);
	assert_int_equal(at, test_utc_ms("2026-03-29T23:12:00Z"));
	/* 24x7 over the weekend. */
	assert_int_equal(support_hours_share_at(&berlin7,
	    local(z, "2026-06-12 22:00"), 4 * MS_HOUR, 80, &at), 0);
	assert_int_equal(at, local(z, "2026-06-13 01:12"));
	/* 0% and 100%; rounding down to the ms. */
	assert_int_equal(support_hours_share_at(&berlin5,
	    local(z, "2026-06-13 10:00"), MS_HOUR, 0, &at), 0);
	assert_int_equal(at, local(z, "2026-06-15 00:00"));
	assert_int_equal(support_hours_share_at(&berlin5,
	    local(z, "2026-06-09 10:00"), MS_HOUR, 100, &at), 0);
	assert_int_equal(at, local(z, "2026-06-09 11:00"));
	assert_int_equal(support_hours_share_at(&berlin7, 0, 999, 80, &at),
	    0);
	assert_int_equal(at, 799);
}

static void
test_errors(void **state)
{
	struct support_hours	 bad = { SUPPORT_24X5, "Europe/Berln" };
	struct support_hours	 none = { SUPPORT_24X5, NULL };
	int64_t			 out = 42, ws, we;

	assert_int_equal(support_hours_due(&bad, 0, MS_HOUR, &out), -1);
	assert_int_equal(support_hours_due(&none, 0, MS_HOUR, &out), -1);
	assert_int_equal(support_hours_elapsed(&bad, 0, MS_HOUR, &out), -1);
	assert_int_equal(support_hours_window(&bad, 0, &ws, &we), -1);
	assert_int_equal(support_hours_due(&berlin5, 0, -1, &out), -1);
	assert_int_equal(support_hours_due(&berlin5, 0,
	    SUPPORT_RESPONSE_MAX_MS + 1, &out), -1);
	assert_int_equal(support_hours_share_at(&berlin5, 0, MS_HOUR, 101,
	    &out), -1);
	assert_int_equal(support_hours_share_at(&berlin5, 0, MS_HOUR, -1,
	    &out), -1);
	assert_int_equal(out, 42);	/* untouched */
	/* The longest response time is accepted, a year and a day on. */
	assert_int_equal(support_hours_due(&berlin5,
	    test_utc_ms("2026-01-05T00:00:00Z"), SUPPORT_RESPONSE_MAX_MS, &out),
	    0);
	assert_true(out > test_utc_ms("2027-01-05T00:00:00Z"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_week_names),
		cmocka_unit_test(test_weekend_skipped),
		cmocka_unit_test(test_friday_late),
		cmocka_unit_test(test_weekend_opened),
		cmocka_unit_test(test_dst_berlin),
		cmocka_unit_test(test_dst_new_york),
		cmocka_unit_test(test_24x7_dst),
		cmocka_unit_test(test_share),
		cmocka_unit_test(test_errors),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
