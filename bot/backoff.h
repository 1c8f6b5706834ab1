/*
 * backoff.h: how long to wait before trying again (bot/backoff.c), for
 * every retry loop in the bot: reconnects, auth.test, the outbox.
 */
#ifndef OPSBOT_BACKOFF_H
#define OPSBOT_BACKOFF_H

#include <stdint.h>

/*
 * Delay in ms before the attempt-th consecutive retry (0 is the first
 * failure: 200..1000 ms). Later attempts double from 1 s up to cap_ms
 * (ms), with up to 25% jitter added from rnd (any 32-bit random value;
 * tests pass fixed ones). Pure.
 */
int64_t	 backoff_ms(unsigned int attempt, int64_t cap_ms, uint32_t rnd);

#endif /* OPSBOT_BACKOFF_H */
