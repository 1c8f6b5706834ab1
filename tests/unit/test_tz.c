/*
 * test_tz.c: bot/tz.c against the system tz database (tzdata): zone
 * names, both directions of conversion, the DST gap and overlap of 2026
 * in Europe/Berlin and America/New_York, and TZ left as it was found.
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

#include "bot/bot.h"
#include "bot/tz.h"
#include "tests/unit/test-util.h"

/* "2026-03-29 02:30" as a wall-clock time. */
static struct tz_time
wall(const char *s)
{
	struct tz_time	 t;

	memset(&t, 0, sizeof t);
	if (sscanf(s, "%d-%d-%d %d:%d", &t.year, &t.mon, &t.mday, &t.hour,
	    &t.min) != 5)
		fail_msg("bad test wall time %s", s);
	return (t);
}

static void
test_check_names(void **state)
{
	static const struct {
		const char	*name;
		int		 ok;
		const char	*why;	/* part of the cause, or NULL */
	} rows[] = {
		{ "UTC", 1, NULL },
		{ "Europe/Berlin", 1, NULL },
		{ "America/New_York", 1, NULL },
		{ "America/Argentina/Buenos_Aires", 1, NULL },
		{ "Etc/GMT+5", 1, NULL },
		{ "Etc/UTC", 1, NULL },
		{ "Europe/Berln", 0, "is not a time zone of the tz database" },
		{ "europe/berlin", 0, "is not a time zone" },
		{ "America", 0, "is not a time zone" },	/* a directory */
		{ "zone.tab", 0, "only letters" },
		{ "tzdata.zi", 0, "only letters" },
		{ "/etc/passwd", 0, "not a path" },
		{ "/usr/share/zoneinfo/UTC", 0, "not a path" },
		{ "../../../etc/passwd", 0, "only letters" },
		{ "Europe/../Europe/Berlin", 0, "only letters" },
		{ "Europe//Berlin", 0, "only letters" },
		{ "Europe/Berlin/", 0, "only letters" },
		{ "Europe/Ber lin", 0, "only letters" },
		{ "Europe/Berlin\n", 0, "only letters" },
		{ "right/Europe/Berlin", 0, "leap seconds" },
		{ "", 0, "no time zone given" },
		{ "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		  0, "at most 64 bytes" },
	};
	char	*cause;
	size_t	 i;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		cause = NULL;
		if ((tz_check(rows[i].name, &cause) == 0) != rows[i].ok)
			fail_msg("row %zu (%s): %s", i, rows[i].name,
			    cause != NULL ? cause : "accepted");
		if (rows[i].why != NULL && (cause == NULL ||
		    strstr(cause, rows[i].why) == NULL))
			fail_msg("row %zu (%s): cause '%s', want '%s'", i,
			    rows[i].name, cause, rows[i].why);
		free(cause);
	}
	/* cause may be NULL */
	assert_int_equal(tz_check("Nowhere/Atlantis", NULL), -1);
	assert_int_equal(tz_check(NULL, NULL), -1);
}

static void
test_local(void **state)
{
	static const struct {
		const char	*zone;
		const char	*at;
		int		 y, mo, d, h, mi, wday;
		long		 gmtoff;
		int		 isdst;
		const char	*abbr;
	} rows[] = {
		{ "UTC", "2026-11-30T07:24:48Z", 2026, 11, 30, 7, 24, 1, 0, 0,
		  "UTC" },
		{ "Europe/Berlin", "2026-01-15T12:00:00Z", 2026, 1, 15, 13, 0,
		  4, 3600, 0, "CET" },
		{ "Europe/Berlin", "2026-07-15T12:00:00Z", 2026, 7, 15, 14, 0,
		  3, 7200, 1, "CEST" },
		/* the last second before and the first after each change */
		{ "Europe/Berlin", "2026-03-29T00:59:59Z", 2026, 3, 29, 1, 59,
		  0, 3600, 0, "CET" },
		{ "Europe/Berlin", "2026-03-29T01:00:00Z", 2026, 3, 29, 3, 0,
		  0, 7200, 1, "CEST" },
		{ "Europe/Berlin", "2026-10-25T00:59:59Z", 2026, 10, 25, 2, 59,
		  0, 7200, 1, "CEST" },
		{ "Europe/Berlin", "2026-10-25T01:00:00Z", 2026, 10, 25, 2, 0,
		  0, 3600, 0, "CET" },
		{ "America/New_York", "2026-03-08T06:59:59Z", 2026, 3, 8, 1, 59,
		  0, -18000, 0, "EST" },
		{ "America/New_York", "2026-03-08T07:00:00Z", 2026, 3, 8, 3, 0,
		  0, -14400, 1, "EDT" },
		{ "America/New_York", "2026-11-01T05:59:59Z", 2026, 11, 1, 1, 59,
		  0, -14400, 1, "EDT" },
		{ "America/New_York", "2026-11-01T06:00:00Z", 2026, 11, 1, 1, 0,
		  0, -18000, 0, "EST" },
		/* the day differs from UTC's */
		{ "America/New_York", "2026-12-01T03:00:00Z", 2026, 11, 30, 22,
		  0, 1, -18000, 0, "EST" },
	};
	struct tz_time	 t;
	size_t		 i;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		memset(&t, 0, sizeof t);
		if (tz_local(rows[i].zone, test_utc_ms(rows[i].at) / 1000,
		    &t) != 0)
			fail_msg("row %zu: tz_local failed", i);
		if (t.year != rows[i].y || t.mon != rows[i].mo ||
		    t.mday != rows[i].d || t.hour != rows[i].h ||
		    t.min != rows[i].mi || t.wday != rows[i].wday ||
		    t.gmtoff != rows[i].gmtoff || t.isdst != rows[i].isdst ||
		    strcmp(t.abbr, rows[i].abbr) != 0)
			fail_msg("row %zu: %s in %s is %04d-%02d-%02d %02d:%02d "
			    "wday %d %+ld %d %s", i, rows[i].at, rows[i].zone,
			    t.year, t.mon, t.mday, t.hour, t.min, t.wday,
			    t.gmtoff, t.isdst, t.abbr);
	}
	memset(&t, 0x5a, sizeof t);
	assert_int_equal(tz_local("Europe/Berln", 0, &t), -1);
	assert_int_equal(t.year, 0x5a5a5a5a);	/* untouched */
}

/* Wall clock -> UTC, with the rule for the gap and the overlap. */
static void
test_utc(void **state)
{
	static const struct {
		const char	*zone;
		const char	*wall;
		const char	*want;
		enum tz_fit	 fit;
	} rows[] = {
		{ "UTC", "2026-11-30 07:24", "2026-11-30T07:24:00Z", TZ_EXACT },
		{ "Europe/Berlin", "2026-01-15 13:00", "2026-01-15T12:00:00Z",
		  TZ_EXACT },
		{ "Europe/Berlin", "2026-07-15 14:00", "2026-07-15T12:00:00Z",
		  TZ_EXACT },
		/* spring: 02:00-02:59 do not exist; read with CET (+1) */
		{ "Europe/Berlin", "2026-03-29 01:59", "2026-03-29T00:59:00Z",
		  TZ_EXACT },
		{ "Europe/Berlin", "2026-03-29 02:00", "2026-03-29T01:00:00Z",
		  TZ_GAP },
		{ "Europe/Berlin", "2026-03-29 02:30", "2026-03-29T01:30:00Z",
		  TZ_GAP },
		{ "Europe/Berlin", "2026-03-29 03:00", "2026-03-29T01:00:00Z",
		  TZ_EXACT },
		{ "Europe/Berlin", "2026-03-29 09:00", "2026-03-29T07:00:00Z",
		  TZ_EXACT },
		/* autumn: 02:00-02:59 happen twice; the first (CEST) wins */
		{ "Europe/Berlin", "2026-10-25 01:59", "2026-10-24T23:59:00Z",
		  TZ_EXACT },
		{ "Europe/Berlin", "2026-10-25 02:00", "2026-10-25T00:00:00Z",
		  TZ_OVERLAP },
		{ "Europe/Berlin", "2026-10-25 02:30", "2026-10-25T00:30:00Z",
		  TZ_OVERLAP },
		{ "Europe/Berlin", "2026-10-25 03:00", "2026-10-25T02:00:00Z",
		  TZ_EXACT },
		{ "America/New_York", "2026-03-08 02:30", "2026-03-08T07:30:00Z",
		  TZ_GAP },
		{ "America/New_York", "2026-03-08 03:00", "2026-03-08T07:00:00Z",
		  TZ_EXACT },
		{ "America/New_York", "2026-03-08 09:00", "2026-03-08T13:00:00Z",
		  TZ_EXACT },
		{ "America/New_York", "2026-11-01 01:30", "2026-11-01T05:30:00Z",
		  TZ_OVERLAP },
		{ "America/New_York", "2026-11-01 02:00", "2026-11-01T07:00:00Z",
		  TZ_EXACT },
		{ "America/New_York", "2026-11-01 09:00", "2026-11-01T14:00:00Z",
		  TZ_EXACT },
		/* fields roll over as timegm's do */
		{ "Europe/Berlin", "2026-11-31 09:00", "2026-12-01T08:00:00Z",
		  TZ_EXACT },
	};
	struct tz_time	 t;
	int64_t		 got;
	enum tz_fit	 fit;
	size_t		 i;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		t = wall(rows[i].wall);
		got = 0;
		fit = tz_utc(rows[i].zone, &t, &got);
		if (fit != rows[i].fit ||
		    got != test_utc_ms(rows[i].want) / 1000)
			fail_msg("row %zu: %s in %s: fit %d at %lld, want %d "
			    "at %s (%lld)", i, rows[i].wall, rows[i].zone, fit,
			    (long long)got, rows[i].fit, rows[i].want,
			    (long long)test_utc_ms(rows[i].want) / 1000);
	}
	t = wall("2026-03-29 02:30");
	got = 42;
	assert_int_equal(tz_utc("Europe/Berln", &t, &got), TZ_ERROR);
	t.year = 10000;
	assert_int_equal(tz_utc("UTC", &t, &got), TZ_ERROR);
	t.year = 1899;
	assert_int_equal(tz_utc("UTC", &t, &got), TZ_ERROR);
	assert_true(got == 42);
}

/*
 * Every half hour of 2026 and back: the same instant, except in the
 * repeated hour of autumn, whose second pass reads as the first.
 */
static void
test_round_trip_2026(void **state)
{
	static const char *const zones[] = { "Europe/Berlin",
	    "America/New_York" };
	struct tz_time	 t;
	int64_t		 u, back, end;
	enum tz_fit	 fit;
	size_t		 z, overlaps;

	for (z = 0; z < sizeof zones / sizeof zones[0]; z++) {
		overlaps = 0;
		end = test_utc_ms("2027-01-01T00:00:00Z") / 1000;
		for (u = test_utc_ms("2026-01-01T00:00:00Z") / 1000; u < end;
		    u += 1800) {
			assert_int_equal(tz_local(zones[z], u, &t), 0);
			fit = tz_utc(zones[z], &t, &back);
			assert_int_not_equal(fit, TZ_GAP);
			if (fit == TZ_OVERLAP && back == u - 3600)
				overlaps++;
			else if (back != u)
				fail_msg("%s: %lld came back as %lld (fit %d)",
				    zones[z], (long long)u, (long long)back,
				    fit);
		}
		/* the second 02:00 and 02:30 (New York: 01:00, 01:30) */
		assert_int_equal(overlaps, 2);
	}
}

/* Whatever TZ was, it is again after every call, set or not. */
static void
test_tz_restored(void **state)
{
	struct tz_time	 t;
	struct tm	 tm;
	time_t		 at;
	int64_t		 u;

	at = (time_t)(test_utc_ms("2026-07-15T12:00:00Z") / 1000);
	assert_int_equal(setenv("TZ", "Asia/Tokyo", 1), 0);
	tzset();
	assert_int_equal(tz_local("Europe/Berlin", at, &t), 0);
	assert_int_equal(t.hour, 14);
	t = wall("2026-03-29 02:30");
	assert_int_equal(tz_utc("America/New_York", &t, &u), TZ_EXACT);
	assert_int_equal(tz_local("UTC", at, &t), 0);
	assert_int_equal(tz_local("Nowhere/Atlantis", at, &t), -1);
	assert_string_equal(getenv("TZ"), "Asia/Tokyo");
	localtime_r(&at, &tm);
	assert_int_equal(tm.tm_hour, 21);
	assert_int_equal(tm.tm_gmtoff, 9 * 3600);

	assert_int_equal(unsetenv("TZ"), 0);
	tzset();
	assert_int_equal(tz_local("Europe/Berlin", at, &t), 0);
	assert_null(getenv("TZ"));
	unsetenv("TZ");
	tzset();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_names),
		cmocka_unit_test(test_local),
		cmocka_unit_test(test_utc),
		cmocka_unit_test(test_round_trip_2026),
		cmocka_unit_test(test_tz_restored),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
