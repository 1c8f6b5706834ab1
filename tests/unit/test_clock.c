/*
 * test_clock.c: bot/clock.c is the one reader of the time. In a test
 * build (OPSBOT_TEST_CLOCK) a test moves both clocks forward at once and
 * everything that asks the clock (here: the log's timestamps) sees the
 * new time; no test waits for real time to pass. In any other build the
 * clock cannot move (clock_is_movable() is 0 and the hook does not exist).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "bot/bot.h"
#include "bot/clock.h"

#define HOUR_MS	INT64_C(3600000)
#define DAY_MS	(24 * HOUR_MS)

/* The wall clock is UTC ms, the same instant time(2) gives in seconds. */
static void
test_wall_is_utc_ms(void **state)
{
	int64_t	 before, ms, after;

	before = (int64_t)time(NULL);
	ms = clock_wall_ms();
	after = (int64_t)time(NULL);
#ifdef OPSBOT_TEST_CLOCK
	ms -= clock_test_offset();
#endif
	assert_true(ms / 1000 >= before && ms / 1000 <= after);
	assert_true(clock_wall_secs() >= ms / 1000);
}

static void
test_mono_never_goes_back(void **state)
{
	int64_t	 a, b;
	int	 i;

	for (i = 0; i < 1000; i++) {
		a = clock_mono_ms();
		b = clock_mono_ms();
		assert_true(b >= a);
	}
}

/* The year of the timestamp the log writes now. */
static int
log_year(void)
{
	FILE	*f;
	char	 line[512];
	size_t	 n;
	int	 year;

	f = tmpfile();
	assert_non_null(f);
	log_init(LOG_LVL_INFO, f);
	log_info("tick");
	log_init(LOG_LVL_INFO, NULL);
	rewind(f);
	n = fread(line, 1, sizeof line - 1, f);
	fclose(f);
	line[n] = '\0';
	assert_int_equal(sscanf(line, "%4d-", &year), 1);
	return (year);
}

#ifdef OPSBOT_TEST_CLOCK
/* A jump moves both clocks by exactly that much, at once. */
static void
test_advance_moves_both(void **state)
{
	int64_t	 w0, m0, w1, m1, off0;

	off0 = clock_test_offset();
	w0 = clock_wall_ms();
	m0 = clock_mono_ms();
	assert_int_equal(clock_test_advance(4 * HOUR_MS), 0);
	w1 = clock_wall_ms();
	m1 = clock_mono_ms();
	assert_int_equal(clock_test_offset(), off0 + 4 * HOUR_MS);
	/* The real time that passed between the reads is well under 1 s. */
	assert_true(w1 - w0 >= 4 * HOUR_MS && w1 - w0 < 4 * HOUR_MS + 1000);
	assert_true(m1 - m0 >= 4 * HOUR_MS && m1 - m0 < 4 * HOUR_MS + 1000);
	assert_true(clock_wall_secs() >= w1 / 1000);
}

/* Time only moves forward, by a bounded step; a refused step moves none. */
static void
test_advance_refuses(void **state)
{
	int64_t	 off0;

	off0 = clock_test_offset();
	assert_int_equal(clock_test_advance(-1), -1);
	assert_int_equal(clock_test_advance(INT64_MAX), -1);
	assert_int_equal(clock_test_offset(), off0);
	assert_int_equal(clock_test_advance(0), 0);
	assert_int_equal(clock_test_offset(), off0);
}

/* Whatever asks the clock sees the moved time: the log's stamps. */
static void
test_log_follows_clock(void **state)
{
	int	 y0;

	assert_true(clock_is_movable());
	y0 = log_year();
	assert_int_equal(clock_test_advance(366 * DAY_MS), 0);
	assert_int_equal(log_year(), y0 + 1);
}
#else
/* A build without the hook cannot move its clock: the log is now. */
static void
test_not_movable(void **state)
{
	struct tm	 tm;
	time_t		 now;

	assert_false(clock_is_movable());
	now = time(NULL);
	gmtime_r(&now, &tm);
	assert_int_equal(log_year(), tm.tm_year + 1900);
}
#endif

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wall_is_utc_ms),
		cmocka_unit_test(test_mono_never_goes_back),
#ifdef OPSBOT_TEST_CLOCK
		cmocka_unit_test(test_advance_moves_both),
		cmocka_unit_test(test_advance_refuses),
		cmocka_unit_test(test_log_follows_clock),
#else
		cmocka_unit_test(test_not_movable),
#endif
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
