/*
 * fuzz-ical.c: any bytes as a rotation's iCalendar file: parsing it
 * (libical), then who is on call around a fixed instant and the
 * occurrences of a window, must never crash, leak or take long, whether
 * it is refused with a cause or read.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bot/rotation.h"

/* 2026-03-29T01:30:00Z: a DST change in Europe, for TZID'd events. */
#define FUZZ_AT_MS	INT64_C(1774747800000)

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct rotation		 r;
	struct rotation_shift	 s, next, *v = NULL;
	char			*cause = NULL;
	size_t			 n = 0;

	memset(&r, 0, sizeof r);
	r.ical = rotation_ical_parse((const char *)data, len, &cause);
	if (r.ical == NULL) {
		if (cause == NULL)
			abort();
		free(cause);
		return (0);
	}
	if (cause != NULL || rotation_ical_nevents(r.ical) == 0)
		abort();
	if (rotation_shift_at(&r, FUZZ_AT_MS, &s) == 0) {
		if (s.start_ms > FUZZ_AT_MS || s.end_ms <= FUZZ_AT_MS)
			abort();
		(void)rotation_shift_next(&r, &s, &next);
	}
	rotation_ical_expand(r.ical, FUZZ_AT_MS, FUZZ_AT_MS +
	    INT64_C(30) * 24 * 3600 * 1000, &v, &n);
	free(v);
	rotation_release(&r);
	return (0);
}
