/*
 * clock.h: the only place opsbot reads the time (bot/clock.c).
 *
 * Two clocks, both in milliseconds:
 *   clock_wall_ms()  UTC since the Unix epoch: what is stored (due times,
 *                    audit rows, Slack's Retry-After deadlines) and logged;
 *   clock_mono_ms()  from an arbitrary origin, never going back: for
 *                    durations (timeouts, pauses, health checks).
 * A test build (cmake -DOPSBOT_TEST_CLOCK=ON, never a Release build) can
 * move both forward; docs/internals/clock.md says how and why.
 */
#ifndef OPSBOT_CLOCK_H
#define OPSBOT_CLOCK_H

#include <stdint.h>

/* UTC milliseconds since 1970-01-01T00:00:00Z. */
int64_t	 clock_wall_ms(void);
/* UTC whole seconds since the epoch (clock_wall_ms() / 1000). */
int64_t	 clock_wall_secs(void);
/* Monotonic milliseconds; only differences mean anything. */
int64_t	 clock_mono_ms(void);

/*
 * Whether this build can move its clock: 1 in a test build, 0 otherwise.
 * main.c refuses the test-only options when it is 0.
 */
int	 clock_is_movable(void);

#ifdef OPSBOT_TEST_CLOCK
/*
 * Test builds only. Moves both clocks forward by ms milliseconds (>= 0),
 * at once: the next read of either is ms later than it would have been.
 * Returns 0, or -1 if ms is negative or would overflow (nothing moves).
 * Whoever moves the clock must then wake what waits on an lws timer
 * armed from the old time (clock.md, "What fires").
 */
int	 clock_test_advance(int64_t ms);
/* Test builds only: the total offset moved so far, in milliseconds. */
int64_t	 clock_test_offset(void);
#endif

#endif /* OPSBOT_CLOCK_H */
