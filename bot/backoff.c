/* backoff.c: exponential back-off with jitter (backoff.h). */
#include <stdint.h>

#include "bot/backoff.h"

int64_t
backoff_ms(unsigned int attempt, int64_t cap_ms, uint32_t rnd)
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
