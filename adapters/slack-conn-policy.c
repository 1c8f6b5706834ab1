/*
 * slack-conn-policy.c: when a Socket Mode slot reconnects and when a
 * silent socket is dead. Pure arithmetic on monotonic ms; slack-socket.c
 * applies it.
 */
#include <stdint.h>

#include "adapters/slack.h"

int64_t
slack_backoff_ms(unsigned int attempt, int64_t cap_ms, uint32_t rnd)
{
	int64_t	 base;

	if (attempt == 0)
		return (200 + (int64_t)(rnd % 801));
	if (attempt > 20)
		attempt = 20;
	base = (int64_t)1000 << (attempt - 1);
	if (base > cap_ms)
		base = cap_ms;
	base += (int64_t)(rnd % 1024) * (base / 4) / 1024;
	if (base > cap_ms + cap_ms / 4)
		base = cap_ms + cap_ms / 4;
	return (base);
}

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
