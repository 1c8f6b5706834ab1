/*
 * test_when.c: bot/when.c, the times typed after !remind. One table:
 * each row is a zone, a "now", the words and what they must give (a due
 * time, how many words, the DST fit) or the error the user sees. The
 * DST rows ask the day before and the Friday before each change of
 * 2026 in Europe/Berlin and America/New_York.
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

#define MIN_MS	INT64_C(60000)
#define HOUR_MS	(60 * MIN_MS)

/* Monday 2026-11-30 07:24:48.500 UTC: the ms must survive durations. */
#define NOW	"2026-11-30T07:24:48Z"
#define NOW_MS	(test_utc_ms(NOW) + 500)

struct row {
	const char	*zone;
	const char	*now;	/* NULL: NOW_MS */
	const char	*words;	/* split at spaces */
	const char	*due;	/* ISO UTC; NULL: an error */
	int64_t		 plus_ms;	/* or NOW_MS + this, when due is "+" */
	int		 nwords;
	enum tz_fit	 fit;
	const char	*err;	/* part of the error */
};

static const struct row rows[] = {
	/* durations: exact elapsed time from now, ms kept */
	{ "UTC", NULL, "15m check the vault", "+", 15 * MIN_MS, 1, TZ_EXACT,
	  NULL },
	{ "UTC", NULL, "2h x", "+", 2 * HOUR_MS, 1, TZ_EXACT, NULL },
	{ "UTC", NULL, "1h30m x", "+", 90 * MIN_MS, 1, TZ_EXACT, NULL },
	{ "UTC", NULL, "90s x", "+", 90000, 1, TZ_EXACT, NULL },
	{ "UTC", NULL, "2d", "+", 48 * HOUR_MS, 1, TZ_EXACT, NULL },
	{ "UTC", NULL, "1w x", "+", 7 * 24 * HOUR_MS, 1, TZ_EXACT, NULL },
	{ "UTC", NULL, "15min x", "+", 15 * MIN_MS, 1, TZ_EXACT, NULL },
	{ "UTC", NULL, "2Hours x", "+", 2 * HOUR_MS, 1, TZ_EXACT, NULL },
	{ "UTC", NULL, "in 2h x", "+", 2 * HOUR_MS, 2, TZ_EXACT, NULL },
	{ "UTC", NULL, "in 3 hours check #operator-vault-general", "+",
	  3 * HOUR_MS, 3, TZ_EXACT, NULL },
	{ "UTC", NULL, "IN 1 h 30 min x", "+", 90 * MIN_MS, 5, TZ_EXACT, NULL },
	{ "UTC", NULL, "1h 30m 5 people", "+", 90 * MIN_MS, 2, TZ_EXACT, NULL },
	{ "UTC", NULL, "52w x", "+", 52 * 7 * 24 * HOUR_MS, 1, TZ_EXACT, NULL },
	{ "UTC", NULL, "0m x", NULL, 0, 0, 0, "`0m` is no time from now." },
	{ "UTC", NULL, "in", NULL, 0, 0, 0, "After `in`, say how long" },
	{ "UTC", NULL, "in a bit", NULL, 0, 0, 0, "After `in`, say how long" },
	{ "UTC", NULL, "53w x", NULL, 0, 0, 0,
	  "`53w` is more than a year ahead" },
	{ "UTC", NULL, "999999w", NULL, 0, 0, 0, "more than a year ahead" },
	{ "UTC", NULL, "1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w"
	  "1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w", NULL, 0, 0, 0,
	  "more than a year ahead" },
	{ "UTC", NULL, "1234567m", NULL, 0, 0, 0, "I cannot read `1234567m`" },

	/* a time alone: today if still ahead, else tomorrow */
	{ "UTC", NULL, "09:00 standup", "2026-11-30T09:00:00Z", 0, 1, TZ_EXACT,
	  NULL },
	{ "UTC", NULL, "07:00 x", "2026-12-01T07:00:00Z", 0, 1, TZ_EXACT, NULL },
	{ "UTC", NULL, "7:25 x", "2026-11-30T07:25:00Z", 0, 1, TZ_EXACT, NULL },
	{ "UTC", NULL, "07:24 x", "2026-12-01T07:24:00Z", 0, 1, TZ_EXACT, NULL },
	{ "UTC", NULL, "at 09:00 x", "2026-11-30T09:00:00Z", 0, 2, TZ_EXACT,
	  NULL },
	{ "UTC", NULL, "9am", "2026-11-30T09:00:00Z", 0, 1, TZ_EXACT, NULL },
	{ "UTC", NULL, "7AM", "2026-12-01T07:00:00Z", 0, 1, TZ_EXACT, NULL },
	{ "UTC", NULL, "12pm", "2026-11-30T12:00:00Z", 0, 1, TZ_EXACT, NULL },
	{ "UTC", NULL, "12am", "2026-12-01T00:00:00Z", 0, 1, TZ_EXACT, NULL },
	{ "UTC", NULL, "9:30pm x", "2026-11-30T21:30:00Z", 0, 1, TZ_EXACT,
	  NULL },
	{ "UTC", NULL, "25:00 x", NULL, 0, 0, 0,
	  "`25:00` is not a time of day" },
	{ "UTC", NULL, "9:75", NULL, 0, 0, 0, "`9:75` is not a time of day" },
	{ "UTC", NULL, "13pm", NULL, 0, 0, 0, "`13pm` is not a time of day" },
	{ "UTC", NULL, "0am", NULL, 0, 0, 0, "`0am` is not a time of day" },
	{ "UTC", NULL, "9", NULL, 0, 0, 0, "I cannot read `9` as a time" },
	{ "UTC", NULL, "at", NULL, 0, 0, 0, "`at` needs a time of day" },

	/* today, tomorrow */
	{ "UTC", NULL, "today 17:00 x", "2026-11-30T17:00:00Z", 0, 2, TZ_EXACT,
	  NULL },
	{ "UTC", NULL, "today 07:00 x", NULL, 0, 0, 0,
	  "`today 07:00` has passed: it is 07:24 Mon 30 Nov in UTC now." },
	{ "UTC", NULL, "tomorrow 09:00 x", "2026-12-01T09:00:00Z", 0, 2,
	  TZ_EXACT, NULL },
	{ "UTC", NULL, "Tomorrow at 9am x", "2026-12-01T09:00:00Z", 0, 3,
	  TZ_EXACT, NULL },
	{ "UTC", NULL, "tomorrow", NULL, 0, 0, 0,
	  "`tomorrow` needs a time of day after it" },
	{ "UTC", NULL, "tomorrow morning", NULL, 0, 0, 0,
	  "`tomorrow` needs a time of day after it" },
	{ "Europe/Berlin", NULL, "tomorrow 09:00", "2026-12-01T08:00:00Z", 0, 2,
	  TZ_EXACT, NULL },

	/* weekdays: the next such day, today if still ahead (a Monday) */
	{ "UTC", NULL, "mon 09:00 x", "2026-11-30T09:00:00Z", 0, 2, TZ_EXACT,
	  NULL },
	{ "UTC", NULL, "monday 7:00 x", "2026-12-07T07:00:00Z", 0, 2,
	  TZ_EXACT, NULL },
	{ "UTC", NULL, "Tue 9:00", "2026-12-01T09:00:00Z", 0, 2, TZ_EXACT, NULL },
	{ "UTC", NULL, "thurs 9am", "2026-12-03T09:00:00Z", 0, 2, TZ_EXACT,
	  NULL },
	{ "UTC", NULL, "sunday at 10:00", "2026-12-06T10:00:00Z", 0, 3,
	  TZ_EXACT, NULL },
	{ "UTC", NULL, "fri", NULL, 0, 0, 0, "`fri` needs a time of day" },

	/* dates */
	{ "UTC", NULL, "2026-12-24 09:00 x", "2026-12-24T09:00:00Z", 0, 2,
	  TZ_EXACT, NULL },
	{ "Europe/Berlin", NULL, "2027-07-01 at 09:00", "2027-07-01T07:00:00Z",
	  0, 3, TZ_EXACT, NULL },
	{ "UTC", NULL, "2026-02-30 09:00", NULL, 0, 0, 0,
	  "`2026-02-30` is not a date." },
	{ "UTC", NULL, "2028-02-29 09:00", NULL, 0, 0, 0,
	  "`2028-02-29 09:00` is more than a year ahead" },
	{ "UTC", NULL, "2027-02-29 09:00", NULL, 0, 0, 0, "is not a date" },
	{ "UTC", NULL, "2026-01-01 09:00", NULL, 0, 0, 0,
	  "`2026-01-01 09:00` has passed" },
	{ "UTC", NULL, "2026-12-24", NULL, 0, 0, 0,
	  "`2026-12-24` needs a time of day" },

	/* nothing to read */
	{ "UTC", NULL, "xyz check", NULL, 0, 0, 0,
	  "I cannot read `xyz` as a time. Try `15m`" },
	{ "UTC", NULL, "`rm", NULL, 0, 0, 0, "I cannot read `'rm` as a time" },
	{ "UTC", NULL, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	  NULL, 0, 0, 0,
	  "`aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…` as a time" },
	{ "UTC", NULL, "", NULL, 0, 0, 0, "Say when." },
	{ "Nowhere/Atlantis", NULL, "2h", NULL, 0, 0, 0,
	  "I cannot use the time zone Nowhere/Atlantis." },

	/*
	 * Europe/Berlin, spring 2026: Sunday 29 March, 02:00 CET -> 03:00
	 * CEST. Asked on Saturday at noon, Friday, and in the night.
	 */
	{ "Europe/Berlin", "2026-03-28T11:00:00Z", "tomorrow 09:00",
	  "2026-03-29T07:00:00Z", 0, 2, TZ_EXACT, NULL },
	{ "Europe/Berlin", "2026-03-28T11:00:00Z", "24h",
	  "2026-03-29T11:00:00Z", 0, 1, TZ_EXACT, NULL },
	{ "Europe/Berlin", "2026-03-28T11:00:00Z", "tomorrow 02:30",
	  "2026-03-29T01:30:00Z", 0, 2, TZ_GAP, NULL },
	{ "Europe/Berlin", "2026-03-29T00:10:00Z", "02:30",
	  "2026-03-29T01:30:00Z", 0, 1, TZ_GAP, NULL },
	{ "Europe/Berlin", "2026-03-27T10:00:00Z", "mon 09:00",
	  "2026-03-30T07:00:00Z", 0, 2, TZ_EXACT, NULL },
	{ "Europe/Berlin", "2026-03-27T10:00:00Z", "sun 09:00",
	  "2026-03-29T07:00:00Z", 0, 2, TZ_EXACT, NULL },
	{ "Europe/Berlin", "2026-03-27T10:00:00Z", "2026-03-29 02:30",
	  "2026-03-29T01:30:00Z", 0, 2, TZ_GAP, NULL },
	/* autumn: Sunday 25 October, 03:00 CEST -> 02:00 CET */
	{ "Europe/Berlin", "2026-10-24T10:00:00Z", "tomorrow 09:00",
	  "2026-10-25T08:00:00Z", 0, 2, TZ_EXACT, NULL },
	{ "Europe/Berlin", "2026-10-24T10:00:00Z", "24h",
	  "2026-10-25T10:00:00Z", 0, 1, TZ_EXACT, NULL },
	{ "Europe/Berlin", "2026-10-24T10:00:00Z", "tomorrow 02:30",
	  "2026-10-25T00:30:00Z", 0, 2, TZ_OVERLAP, NULL },
	{ "Europe/Berlin", "2026-10-23T10:00:00Z", "mon 09:00",
	  "2026-10-26T08:00:00Z", 0, 2, TZ_EXACT, NULL },
	/* asked at 02:40 CET, the second pass: the first is gone */
	{ "Europe/Berlin", "2026-10-25T01:40:00Z", "02:30",
	  "2026-10-26T01:30:00Z", 0, 1, TZ_EXACT, NULL },

	/* America/New_York: Sunday 8 March, 02:00 EST -> 03:00 EDT */
	{ "America/New_York", "2026-03-07T17:00:00Z", "tomorrow 09:00",
	  "2026-03-08T13:00:00Z", 0, 2, TZ_EXACT, NULL },
	{ "America/New_York", "2026-03-07T17:00:00Z", "tomorrow 02:30",
	  "2026-03-08T07:30:00Z", 0, 2, TZ_GAP, NULL },
	{ "America/New_York", "2026-03-06T17:00:00Z", "mon 09:00",
	  "2026-03-09T13:00:00Z", 0, 2, TZ_EXACT, NULL },
	/* Sunday 1 November, 02:00 EDT -> 01:00 EST */
	{ "America/New_York", "2026-10-31T16:00:00Z", "tomorrow 09:00",
	  "2026-11-01T14:00:00Z", 0, 2, TZ_EXACT, NULL },
	{ "America/New_York", "2026-10-31T16:00:00Z", "tomorrow 01:30",
	  "2026-11-01T05:30:00Z", 0, 2, TZ_OVERLAP, NULL },
	{ "America/New_York", "2026-10-30T16:00:00Z", "monday 9am",
	  "2026-11-02T14:00:00Z", 0, 2, TZ_EXACT, NULL },
	/* late evening in New York is already tomorrow in UTC */
	{ "America/New_York", "2026-12-01T03:00:00Z", "23:00",
	  "2026-12-01T04:00:00Z", 0, 1, TZ_EXACT, NULL },
	{ "America/New_York", "2026-12-01T03:00:00Z", "tomorrow 09:00",
	  "2026-12-01T14:00:00Z", 0, 2, TZ_EXACT, NULL },
};

static void
split(const char *s, struct strv *out)
{
	const char	*sp;

	while (*s != '\0') {
		if ((sp = strchr(s, ' ')) == NULL)
			sp = s + strlen(s);
		strv_add_new(out, xstrndup(s, (size_t)(sp - s)));
		s = *sp == ' ' ? sp + 1 : sp;
	}
}

static void
test_rows(void **state)
{
	const struct row	*r;
	struct strv		 words = { NULL, 0, 0 };
	struct when		 w;
	int64_t			 now, want;
	char			*cause;
	size_t			 i;
	int			 rc;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		r = &rows[i];
		now = r->now != NULL ? test_utc_ms(r->now) : NOW_MS;
		split(r->words, &words);
		cause = NULL;
		memset(&w, 0x5a, sizeof w);
		rc = when_parse((const char *const *)words.v, (int)words.n,
		    now, r->zone, &w, &cause);
		if (r->due == NULL) {
			if (rc == 0)
				fail_msg("row %zu (%s): no error", i, r->words);
			if (strstr(cause, r->err) == NULL)
				fail_msg("row %zu (%s): error '%s', want '%s'",
				    i, r->words, cause, r->err);
		} else {
			if (rc != 0)
				fail_msg("row %zu (%s): %s", i, r->words,
				    cause);
			want = strcmp(r->due, "+") == 0 ? now + r->plus_ms :
			    test_utc_ms(r->due);
			if (w.due_ms != want || w.nwords != r->nwords ||
			    w.fit != r->fit)
				fail_msg("row %zu (%s in %s): due %lld, %d "
				    "words, fit %d; want %lld (%s), %d, %d", i,
				    r->words, r->zone, (long long)w.due_ms,
				    w.nwords, w.fit, (long long)want, r->due,
				    r->nwords, r->fit);
		}
		free(cause);
		strv_reset(&words);
	}
}

/* The hour and minute named come back for the reply's DST note. */
static void
test_named_time(void **state)
{
	const char	*words[] = { "tomorrow", "02:30" };
	struct when	 w;
	char		*cause = NULL;

	assert_int_equal(when_parse(words, 2,
	    test_utc_ms("2026-03-28T11:00:00Z"),
	    "Europe/Berlin", &w, &cause), 0);
	assert_int_equal(w.fit, TZ_GAP);
	assert_int_equal(w.hour, 2);
	assert_int_equal(w.min, 30);
}

static void
test_format(void **state)
{
	static const struct {
		const char	*at;
		const char	*now;
		const char	*zone;
		const char	*want;
	} rows[] = {
		{ "2026-12-01T08:00:00Z", NOW, "Europe/Berlin",
		  "09:00 Tue 1 Dec" },
		{ "2026-12-01T08:00:00Z", NOW, "UTC", "08:00 Tue 1 Dec" },
		{ "2026-12-01T03:00:00Z", NOW, "America/New_York",
		  "22:00 Mon 30 Nov" },
		{ "2027-01-05T08:00:00Z", NOW, "Europe/Berlin",
		  "09:00 Tue 5 Jan 2027" },
		/* the year is the zone's: still 2026 in New York */
		{ "2027-01-01T03:00:00Z", NOW, "America/New_York",
		  "22:00 Thu 31 Dec" },
		{ "2026-03-29T01:30:00Z", NOW, "Europe/Berlin",
		  "03:30 Sun 29 Mar" },
	};
	struct buf	 b = { NULL, 0, 0 };
	size_t		 i;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		assert_int_equal(when_format(&b, test_utc_ms(rows[i].at),
		    test_utc_ms(rows[i].now), rows[i].zone), 0);
		if (strcmp(buf_str(&b), rows[i].want) != 0)
			fail_msg("row %zu: '%s', want '%s'", i, buf_str(&b),
			    rows[i].want);
		buf_reset(&b);
	}
	assert_int_equal(when_format(&b, 0, 0, "Nowhere/Atlantis"), -1);
	assert_string_equal(buf_str(&b), "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_named_time),
		cmocka_unit_test(test_format),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
