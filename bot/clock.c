/*
 * clock.c: the only file that reads the system's clocks. Everything else
 * asks here, so that a test build can move time for the whole daemon
 * and the release build provably cannot (docs/internals/clock.md).
 */
#include <time.h>

#include "bot/clock.h"

#ifdef OPSBOT_TEST_CLOCK
/*
 * The one piece of global state outside struct bot besides the log's:
 * the clock sits below struct bot (the utility layer), and it exists
 * only in test builds. The daemon is one thread, so a plain int64_t.
 */
static int64_t	 clock_offset_ms;
#define CLOCK_OFFSET	clock_offset_ms
#else
#define CLOCK_OFFSET	0
#endif

static int64_t
clock_read(clockid_t id)
{
	struct timespec	 ts;

	/* Cannot fail for these two ids on Linux (clock_gettime(2)). */
	clock_gettime(id, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

int64_t
clock_wall_ms(void)
{
	return (clock_read(CLOCK_REALTIME) + CLOCK_OFFSET);
}

int64_t
clock_wall_secs(void)
{
	return (clock_wall_ms() / 1000);
}

int64_t
clock_mono_ms(void)
{
	return (clock_read(CLOCK_MONOTONIC) + CLOCK_OFFSET);
}

#ifdef OPSBOT_TEST_CLOCK
int
clock_is_movable(void)
{
	return (1);
}

int
clock_test_advance(int64_t ms)
{
	/* A year at a time is plenty; bounded so sums cannot overflow. */
	if (ms < 0 || ms > INT64_C(366) * 86400 * 1000 ||
	    clock_offset_ms > INT64_MAX / 2)
		return (-1);
	clock_offset_ms += ms;
	return (0);
}

int64_t
clock_test_offset(void)
{
	return (clock_offset_ms);
}
#else
int
clock_is_movable(void)
{
	return (0);
}
#endif
