/*
 * test_rotation.c: bot/rotation.c and bot/rotation-ical.c against the
 * system tz database and libical: daily and weekly cycles, who is next,
 * shifts before the anchor, handoffs at 09:00 local across the spring
 * and autumn changes of 2026 in Europe/Berlin and America/New_York, a
 * handoff inside the skipped hour, the parsers of the config's values,
 * and an iCalendar schedule with RRULE, EXDATE, DURATION, ATTENDEE and
 * a TZID (tests/data/oncall.ics).
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

#include "bot/rotation.h"
#include "bot/util.h"
#include "tests/unit/test-util.h"

#define HOUR_MS		(INT64_C(3600) * 1000)

/* A cycle of members a, b, c (the caller releases it). */
static void
cycle(struct rotation *r, const char *zone, int days, int wday,
    const char *start, int hour, int min)
{
	memset(r, 0, sizeof *r);
	r->name = xstrdup("test");
	strv_add(&r->members, "U0AAA");
	strv_add(&r->members, "U0BBB");
	strv_add(&r->members, "U0CCC");
	strv_add(&r->member_names, "Alice");
	strv_add(&r->member_names, "");
	strv_add(&r->member_names, "");
	r->shift_days = days;
	r->handoff_wday = wday;
	r->handoff_hour = hour;
	r->handoff_min = min;
	assert_int_equal(rotation_date_parse(start, &r->start_year,
	    &r->start_mon, &r->start_mday), 0);
	r->tz = xstrdup(zone);
}

static void
expect(const struct rotation *r, const char *at, const char *user,
    const char *start, const char *end)
{
	struct rotation_shift	 s;

	assert_int_equal(rotation_shift_at(r, test_utc_ms(at), &s), 0);
	assert_string_equal(s.user, user);
	assert_int_equal(s.start_ms, test_utc_ms(start));
	assert_int_equal(s.end_ms, test_utc_ms(end));
	assert_int_equal(s.overridden, 0);
}

/* Weekly, Monday 09:00 Berlin, from Monday 5 January 2026. */
static void
test_weekly(void **state)
{
	struct rotation		 r;
	struct rotation_shift	 s, next;

	(void)state;
	cycle(&r, "Europe/Berlin", 7, 1, "2026-01-05", 9, 0);
	/* the first shift: Alice's, 09:00 CET = 08:00Z */
	expect(&r, "2026-01-05T08:00:00Z", "U0AAA", "2026-01-05T08:00:00Z",
	    "2026-01-12T08:00:00Z");
	/* a minute before the handoff: still the week before's */
	expect(&r, "2026-01-12T07:59:00Z", "U0AAA", "2026-01-05T08:00:00Z",
	    "2026-01-12T08:00:00Z");
	expect(&r, "2026-01-14T12:00:00Z", "U0BBB", "2026-01-12T08:00:00Z",
	    "2026-01-19T08:00:00Z");
	expect(&r, "2026-01-25T23:00:00Z", "U0CCC", "2026-01-19T08:00:00Z",
	    "2026-01-26T08:00:00Z");
	expect(&r, "2026-01-26T08:00:00Z", "U0AAA", "2026-01-26T08:00:00Z",
	    "2026-02-02T08:00:00Z");
	/* before the anchor the cycle runs backwards: C, then B */
	expect(&r, "2026-01-04T12:00:00Z", "U0CCC", "2025-12-29T08:00:00Z",
	    "2026-01-05T08:00:00Z");
	expect(&r, "2025-12-25T12:00:00Z", "U0BBB", "2025-12-22T08:00:00Z",
	    "2025-12-29T08:00:00Z");
	/* who is next, and when */
	assert_int_equal(rotation_shift_at(&r,
	    test_utc_ms("2026-01-14T12:00:00Z"),
	    &s), 0);
	assert_int_equal(s.number, 1);
	assert_int_equal(rotation_shift_next(&r, &s, &next), 0);
	assert_string_equal(next.user, "U0CCC");
	assert_int_equal(next.start_ms, s.end_ms);
	assert_int_equal(next.number, 2);
	assert_string_equal(rotation_member_name(&r, "U0AAA"), "Alice");
	assert_null(rotation_member_name(&r, "U0BBB"));
	assert_null(rotation_member_name(&r, "U0ZZZ"));
	assert_int_equal(rotation_is_member(&r, "U0CCC"), 1);
	assert_int_equal(rotation_is_member(&r, "U0ZZZ"), 0);
	assert_int_equal(rotation_is_member(&r, NULL), 0);
	rotation_release(&r);
}

/*
 * A weekly start date that is not a Monday: the first handoff is the
 * Monday after it.
 */
static void
test_weekly_anchor_weekday(void **state)
{
	struct rotation	 r;
	int64_t		 start;

	(void)state;
	cycle(&r, "UTC", 7, 1, "2026-01-01", 9, 30);	/* a Thursday */
	assert_int_equal(rotation_cycle_start(&r, 0, &start), 0);
	assert_int_equal(start, test_utc_ms("2026-01-05T09:30:00Z"));
	assert_int_equal(rotation_cycle_start(&r, -1, &start), 0);
	assert_int_equal(start, test_utc_ms("2025-12-29T09:30:00Z"));
	rotation_release(&r);
}

/* Berlin: clocks go forward on 29 March and back on 25 October 2026. */
static void
test_weekly_dst_berlin(void **state)
{
	struct rotation	 r;

	(void)state;
	cycle(&r, "Europe/Berlin", 7, 1, "2026-01-05", 9, 0);
	/* 23 March 09:00 CET (08:00Z) to 30 March 09:00 CEST (07:00Z):
	   167 hours; week 11 from the anchor, so C */
	expect(&r, "2026-03-29T12:00:00Z", "U0CCC", "2026-03-23T08:00:00Z",
	    "2026-03-30T07:00:00Z");
	expect(&r, "2026-03-30T06:59:59Z", "U0CCC", "2026-03-23T08:00:00Z",
	    "2026-03-30T07:00:00Z");
	expect(&r, "2026-03-30T07:00:00Z", "U0AAA", "2026-03-30T07:00:00Z",
	    "2026-04-06T07:00:00Z");
	/* 19 October 09:00 CEST (07:00Z) to 26 October 09:00 CET (08:00Z):
	   169 hours; week 41, so C */
	expect(&r, "2026-10-25T12:00:00Z", "U0CCC", "2026-10-19T07:00:00Z",
	    "2026-10-26T08:00:00Z");
	expect(&r, "2026-10-26T07:30:00Z", "U0CCC", "2026-10-19T07:00:00Z",
	    "2026-10-26T08:00:00Z");
	expect(&r, "2026-10-26T08:00:00Z", "U0AAA", "2026-10-26T08:00:00Z",
	    "2026-11-02T08:00:00Z");
	rotation_release(&r);
}

/* New York: forward on 8 March, back on 1 November 2026; daily shifts. */
static void
test_daily_dst_new_york(void **state)
{
	struct rotation	 r;

	(void)state;
	cycle(&r, "America/New_York", 1, -1, "2026-03-01", 9, 0);
	/* 7 March 09:00 EST (14:00Z) to 8 March 09:00 EDT (13:00Z) */
	expect(&r, "2026-03-08T12:00:00Z", "U0AAA", "2026-03-07T14:00:00Z",
	    "2026-03-08T13:00:00Z");
	expect(&r, "2026-03-08T13:00:00Z", "U0BBB", "2026-03-08T13:00:00Z",
	    "2026-03-09T13:00:00Z");
	/* 31 October 09:00 EDT (13:00Z) to 1 November 09:00 EST (14:00Z):
	   day 244 from the anchor, 244 mod 3 = 1 */
	expect(&r, "2026-11-01T13:30:00Z", "U0BBB", "2026-10-31T13:00:00Z",
	    "2026-11-01T14:00:00Z");
	expect(&r, "2026-11-01T14:00:00Z", "U0CCC", "2026-11-01T14:00:00Z",
	    "2026-11-02T14:00:00Z");
	rotation_release(&r);
}

/*
 * A handoff at 02:30 Berlin, which does not exist on 29 March: it is
 * read as tz_utc reads a time in the gap (01:30Z, 03:30 CEST), and the
 * next day's is 02:30 CEST (00:30Z) again.
 */
static void
test_handoff_in_gap(void **state)
{
	struct rotation	 r;

	(void)state;
	cycle(&r, "Europe/Berlin", 1, -1, "2026-03-01", 2, 30);
	expect(&r, "2026-03-29T01:00:00Z", "U0AAA", "2026-03-28T01:30:00Z",
	    "2026-03-29T01:30:00Z");
	expect(&r, "2026-03-29T01:30:00Z", "U0BBB", "2026-03-29T01:30:00Z",
	    "2026-03-30T00:30:00Z");
	rotation_release(&r);
}

/* Every three days at 18:00 UTC. */
static void
test_n_days(void **state)
{
	struct rotation	 r;

	(void)state;
	cycle(&r, "UTC", 3, -1, "2026-05-01", 18, 0);
	expect(&r, "2026-05-04T17:59:59Z", "U0AAA", "2026-05-01T18:00:00Z",
	    "2026-05-04T18:00:00Z");
	expect(&r, "2026-05-10T17:00:00Z", "U0CCC", "2026-05-07T18:00:00Z",
	    "2026-05-10T18:00:00Z");
	rotation_release(&r);
}

static void
test_parsers(void **state)
{
	int	 d, h, m, y, mo, md, w;

	(void)state;
	assert_int_equal(rotation_shift_parse("daily", &d), 0);
	assert_int_equal(d, 1);
	assert_int_equal(rotation_shift_parse("Weekly", &d), 0);
	assert_int_equal(d, 7);
	assert_int_equal(rotation_shift_parse("3d", &d), 0);
	assert_int_equal(d, 3);
	assert_int_equal(rotation_shift_parse("14 days", &d), 0);
	assert_int_equal(d, 14);
	assert_int_equal(rotation_shift_parse("0d", &d), -1);
	assert_int_equal(rotation_shift_parse("57d", &d), -1);
	assert_int_equal(rotation_shift_parse("fortnightly", &d), -1);
	assert_int_equal(rotation_shift_parse("3h", &d), -1);
	assert_int_equal(rotation_time_parse("09:00", &h, &m), 0);
	assert_int_equal(h, 9);
	assert_int_equal(m, 0);
	assert_int_equal(rotation_time_parse("23:59", &h, &m), 0);
	assert_int_equal(rotation_time_parse("24:00", &h, &m), -1);
	assert_int_equal(rotation_time_parse("9:00", &h, &m), -1);
	assert_int_equal(rotation_date_parse("2026-01-05", &y, &mo, &md), 0);
	assert_int_equal(y * 10000 + mo * 100 + md, 20260105);
	assert_int_equal(rotation_date_parse("2028-02-29", &y, &mo, &md), 0);
	assert_int_equal(rotation_date_parse("2026-02-29", &y, &mo, &md), -1);
	assert_int_equal(rotation_date_parse("2026-13-01", &y, &mo, &md), -1);
	assert_int_equal(rotation_date_parse("05.01.2026", &y, &mo, &md), -1);
	assert_int_equal(rotation_wday_parse("MON", &w), 0);
	assert_int_equal(w, 1);
	assert_int_equal(rotation_wday_parse("sunday", &w), 0);
	assert_int_equal(w, 0);
	assert_int_equal(rotation_wday_parse("mo", &w), -1);
}

static char *
read_data(const char *name, size_t *len)
{
	char	*path, *data;
	FILE	*f;

	xasprintf(&path, "%s/tests/data/%s", OPSBOT_SOURCE_DIR, name);
	if ((f = fopen(path, "rb")) == NULL)
		fail_msg("cannot open %s", path);
	data = xmalloc(ROTATION_ICAL_MAX);
	*len = fread(data, 1, ROTATION_ICAL_MAX, f);
	fclose(f);
	free(path);
	return (data);
}

/* tests/data/oncall.ics: two alternating weekly events and a swap. */
static void
test_ical(void **state)
{
	struct rotation		 r;
	struct rotation_shift	*v = NULL;
	char			*data, *cause = NULL;
	size_t			 len, n = 0;

	(void)state;
	memset(&r, 0, sizeof r);
	data = read_data("oncall.ics", &len);
	r.ical = rotation_ical_parse(data, len, &cause);
	if (r.ical == NULL)
		fail_msg("parse: %s", cause);
	free(data);
	assert_int_equal(rotation_ical_nevents(r.ical), 3);
	assert_string_equal(rotation_ical_user(r.ical, 0), "U0ICAL1");
	assert_string_equal(rotation_ical_user(r.ical, 1), "U0ICAL2");
	assert_string_equal(rotation_ical_user(r.ical, 2), "U0ICAL3");
	assert_null(rotation_ical_user(r.ical, 3));
	/* RRULE every other week: U0ICAL1 the weeks of 5 and 19 January */
	expect(&r, "2026-01-05T08:00:00Z", "U0ICAL1", "2026-01-05T08:00:00Z",
	    "2026-01-12T08:00:00Z");
	expect(&r, "2026-01-14T00:00:00Z", "U0ICAL2", "2026-01-12T08:00:00Z",
	    "2026-01-19T08:00:00Z");
	expect(&r, "2026-01-20T00:00:00Z", "U0ICAL1", "2026-01-19T08:00:00Z",
	    "2026-01-26T08:00:00Z");
	/* EXDATE: the week of 2 February has no one, but for the swap on
	   3 February 12:00-18:00 Berlin (11:00Z-17:00Z) */
	expect(&r, "2026-02-02T09:00:00Z", "", "2026-02-02T08:00:00Z",
	    "2026-02-03T11:00:00Z");
	expect(&r, "2026-02-03T12:00:00Z", "U0ICAL3", "2026-02-03T11:00:00Z",
	    "2026-02-03T17:00:00Z");
	expect(&r, "2026-02-04T00:00:00Z", "", "2026-02-03T17:00:00Z",
	    "2026-02-09T08:00:00Z");
	/* COUNT=10: U0ICAL2's last week is 18 May; then no one, for good */
	expect(&r, "2026-05-20T00:00:00Z", "U0ICAL2", "2026-05-18T08:00:00Z",
	    "2026-05-25T08:00:00Z");
	{
		struct rotation_shift	 s, next;

		assert_int_equal(rotation_shift_at(&r,
		    test_utc_ms("2026-06-01T00:00:00Z"), &s), 0);
		assert_string_equal(s.user, "");
		assert_int_equal(s.start_ms,
		    test_utc_ms("2026-05-25T08:00:00Z"));
		assert_int_equal(s.end_ms, ROTATION_FOREVER);
		assert_int_equal(rotation_shift_next(&r, &s, &next), 1);
	}
	/* expansion over a window: 5 Jan .. 2 Feb holds four weeks */
	assert_int_equal(rotation_ical_expand(r.ical,
	    test_utc_ms("2026-01-05T00:00:00Z"),
	    test_utc_ms("2026-02-02T00:00:00Z"), &v, &n),
	    4);
	assert_int_equal(v[0].start_ms, test_utc_ms("2026-01-05T08:00:00Z"));
	assert_int_equal(v[3].start_ms, test_utc_ms("2026-01-26T08:00:00Z"));
	free(v);
	rotation_release(&r);
}

static void
ical_refused(const char *text, const char *why)
{
	char			*cause = NULL;
	struct rotation_ical	*ri;

	ri = rotation_ical_parse(text, strlen(text), &cause);
	assert_null(ri);
	assert_non_null(cause);
	if (strstr(cause, why) == NULL)
		fail_msg("'%s' does not say '%s'", cause, why);
	free(cause);
}

static void
test_ical_errors(void **state)
{
	(void)state;
	ical_refused("hello", "not an iCalendar file");
	ical_refused("BEGIN:VCALENDAR\nVERSION:2.0\nEND:VCALENDAR\n",
	    "no VEVENT");
	ical_refused("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x1\n"
	    "DTSTART:20260105T080000Z\nDTEND:20260112T080000Z\n"
	    "SUMMARY:Vault on call\nEND:VEVENT\nEND:VCALENDAR\n",
	    "VEVENT 1 (UID x1) names no one");
	ical_refused("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x2\n"
	    "SUMMARY:U0AAA\nEND:VEVENT\nEND:VCALENDAR\n", "has no DTSTART");
	ical_refused("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x3\n"
	    "DTSTART:20260105T080000Z\nDTEND:20260104T080000Z\n"
	    "SUMMARY:U0AAA\nEND:VEVENT\nEND:VCALENDAR\n",
	    "ends before it starts");
	ical_refused("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x4\n"
	    "DTSTART:20260105T080000Z\nSUMMARY:U0AAA\nEND:VEVENT\n"
	    "END:VCALENDAR\n", "neither DTEND nor DURATION");
	ical_refused("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x6\n"
	    "DTSTART:20260105T080000Z\nDURATION:PT1M\n"
	    "RRULE:FREQ=SECONDLY\nSUMMARY:U0AAA\nEND:VEVENT\n"
	    "END:VCALENDAR\n", "more often than hourly");
	ical_refused("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x7\n"
	    "DTSTART:20260105T080000Z\nDURATION:PT1M\n"
	    "RRULE:FREQ=DAILY;BYMINUTE=0,1,2\nSUMMARY:U0AAA\nEND:VEVENT\n"
	    "END:VCALENDAR\n", "more often than hourly");
	/* "USER" and "UTC" are words, not IDs; "<@U0BBB>" is one */
	{
		static const char ok[] = "BEGIN:VCALENDAR\nBEGIN:VEVENT\n"
		    "UID:x5\nDTSTART;VALUE=DATE:20260105\n"
		    "SUMMARY:UTC shift for <@U0BBB|bee>\nEND:VEVENT\n"
		    "END:VCALENDAR\n";
		struct rotation		 r;
		char			*cause = NULL;

		memset(&r, 0, sizeof r);
		r.ical = rotation_ical_parse(ok, sizeof ok - 1, &cause);
		assert_non_null(r.ical);
		assert_string_equal(rotation_ical_user(r.ical, 0), "U0BBB");
		/* a DATE without an end is a day long */
		expect(&r, "2026-01-05T12:00:00Z", "U0BBB",
		    "2026-01-05T00:00:00Z", "2026-01-06T00:00:00Z");
		rotation_release(&r);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_weekly),
		cmocka_unit_test(test_weekly_anchor_weekday),
		cmocka_unit_test(test_weekly_dst_berlin),
		cmocka_unit_test(test_daily_dst_new_york),
		cmocka_unit_test(test_handoff_in_gap),
		cmocka_unit_test(test_n_days),
		cmocka_unit_test(test_parsers),
		cmocka_unit_test(test_ical),
		cmocka_unit_test(test_ical_errors),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
