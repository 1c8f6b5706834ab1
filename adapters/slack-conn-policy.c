/*
 * slack-conn-policy.c: when a Socket Mode slot reconnects and when a
 * silent socket is dead. Pure arithmetic on monotonic ms; slack-socket.c
 * applies it.
 */
#include <stdint.h>

#include "adapters/slack.h"

int
slack_conn_healthy(int64_t hello_ms, int64_t lost_ms)
{
	return (hello_ms > 0 && lost_ms - hello_ms >= SLACK_HEALTHY_MS);
}

int64_t
slack_silence_check(int64_t now_ms, int64_t last_rx_ms, int64_t timeout_ms,
    int pending)
{
	int64_t	 quiet = now_ms - last_rx_ms;

	if (quiet < timeout_ms)
		return (timeout_ms - quiet);
	/* Unread bytes: the loop stalled, the peer did not; read them. */
	if (pending && quiet < 2 * timeout_ms)
		return (timeout_ms / 10 > 0 ? timeout_ms / 10 : 1);
	return (0);
}
