/*
 * test_watch_active.c: a watch rule's `active:` days and hours
 * (bot/watch-active.c, watch-config.c): what parses, where a bad value
 * is reported, and whether a rule is active at given instants (never
 * the clock) across a weekend, the 2026 DST changes in Europe/Berlin
 * and a range over midnight.
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
#include "bot/watch.h"
#include "tests/unit/test-util.h"

#define RULE	"watches:\n  - channel: ops\n    patterns: [a]\n    text: x\n"

/* Loads RULE plus extra as "w.yaml"; the cause (caller frees) or NULL. */
static char *
load(const char *extra, struct config **out)
{
	struct config	*cfg;
	char		*yaml, *cause = NULL;

	xasprintf(&yaml, "%s%s", RULE, extra);
	cfg = config_new();
	if (config_load_string(cfg, "w.yaml", yaml, strlen(yaml),
	    &cause) != 0) {
		config_free(cfg);
		cfg = NULL;
	}
	free(yaml);
	*out = cfg;
	return (cause);
}

/* Bad values: the error, at the value's column (line 5). */
static const struct {
	const char	*yaml;
	const char	*error;
} bad_rows[] = {
	{ "    active: {days: mon-fry}\n",
	  "w.yaml:5:24: watches: active: days: 'mon-fry' is not days" },
	{ "    active: {days: \"mon,,tue\"}\n",
	  "w.yaml:5:25: watches: active: days: 'mon,,tue'" },
	{ "    active: {days: \"\"}\n",
	  "w.yaml:5:21: watches: active: days: ''" },
	{ "    active: {hours: \"25:00-06:00\"}\n",
	  "w.yaml:5:22: watches: active: hours: '25:00-06:00' is not "
	  "HH:MM-HH:MM" },
	{ "    active: {hours: \"08:00-08:00\"}\n",
	  "w.yaml:5:28: watches: active: hours: '08:00-08:00'" },
	{ "    active: {hours: \"08:00-24:30\"}\n",
	  "w.yaml:5:28: watches: active: hours: '08:00-24:30'" },
	{ "    active: {hours: 8-18}\n",
	  "w.yaml:5:21: watches: active: hours: '8-18'" },
	{ "    active: {days: sat, timezone: Mars/Olympus}\n",
	  "w.yaml:5:35: watches: active: timezone: " },
	{ "    active: {day: mon}\n",
	  "w.yaml:5:14: watches: active: unknown key 'day' (known: days, "
	  "hours, timezone)" },
	{ "    active: weekdays\n",
	  "w.yaml:5:13: watches: active: expected a mapping" },
	{ "    active: {timezone: UTC}\n",
	  "w.yaml:5:13: watches: active: needs days:, hours: or both" },
	{ "    active: {days: [mon, tue]}\n",
	  "w.yaml:5:20: watches: days: expected a single value" },
};

static void
test_parse_bad(void **state)
{
	struct config	*cfg;
	char		*cause;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof bad_rows / sizeof bad_rows[0]; i++) {
		if ((cause = load(bad_rows[i].yaml, &cfg)) == NULL)
			fail_msg("row %zu: no error", i + 1);
		if (strncmp(cause, bad_rows[i].error,
		    strlen(bad_rows[i].error)) != 0)
			fail_msg("row %zu: got '%s'", i + 1, cause);
		free(cause);
	}
}

/* Good values, as `watch list` shows them back. */
static const struct {
	const char	*yaml;
	const char	*shown;
} good_rows[] = {
	{ "    active: {days: mon-fri, hours: \"08:00-18:00\", "
	  "timezone: Europe/Berlin}\n",
	  "mon-fri 08:00-18:00 Europe/Berlin" },
	{ "    active:\n      days: sat,sun\n",
	  "sat,sun 00:00-24:00 UTC" },
	{ "    active: {days: \"Fri-Mon\"}\n",
	  "mon,fri-sun 00:00-24:00 UTC" },
	{ "    active: {days: \"mon, wed, fri\", hours: 22:00-06:00}\n",
	  "mon,wed,fri 22:00-06:00 UTC" },
	{ "    active: {hours: \"00:00-24:00\"}\n",
	  "daily 00:00-24:00 UTC" },
	{ "    active: {days: daily, hours: \"09:30-17:45\"}\n",
	  "daily 09:30-17:45 UTC" },
	{ "    active: {days: mon-sun}\n", "daily 00:00-24:00 UTC" },
};

static void
test_parse_good(void **state)
{
	struct config	*cfg;
	struct buf	 b = { NULL, 0, 0 };
	char		*cause, *s;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof good_rows / sizeof good_rows[0]; i++) {
		if ((cause = load(good_rows[i].yaml, &cfg)) != NULL)
			fail_msg("row %zu: %s", i + 1, cause);
		assert_true(cfg->watches->rules[0].active.set);
		watch_active_format(&b, &cfg->watches->rules[0].active,
		    cfg->tz);
		s = buf_release(&b);
		if (strcmp(s, good_rows[i].shown) != 0)
			fail_msg("row %zu: shown '%s'", i + 1, s);
		free(s);
		config_free(cfg);
	}
	/* no active: always, and nothing shown */
	assert_null(load("", &cfg));
	assert_false(cfg->watches->rules[0].active.set);
	assert_int_equal(watch_active_at(&cfg->watches->rules[0].active,
	    cfg->tz, test_utc_ms("2026-03-28T12:00:00Z")), 1);
	config_free(cfg);
}

/* An instant and whether mon-fri 08:00-18:00 Europe/Berlin is active. */
static const struct {
	const char	*at;
	int		 active;
} berlin_rows[] = {
	/* a winter week (CET, +1) */
	{ "2026-03-23T06:59:00Z", 0 },	/* Mon 07:59 */
	{ "2026-03-23T07:00:00Z", 1 },	/* Mon 08:00 */
	{ "2026-03-27T16:59:59Z", 1 },	/* Fri 17:59:59 */
	{ "2026-03-27T17:00:00Z", 0 },	/* Fri 18:00 */
	/* the weekend, with the change to summer time on Sunday 29th */
	{ "2026-03-28T10:00:00Z", 0 },	/* Sat 11:00 */
	{ "2026-03-29T00:59:59Z", 0 },	/* Sun 01:59:59 CET */
	{ "2026-03-29T01:00:00Z", 0 },	/* Sun 03:00 CEST */
	{ "2026-03-29T10:00:00Z", 0 },	/* Sun 12:00 */
	/* the summer week (CEST, +2): the window is an hour earlier in UTC */
	{ "2026-03-30T05:59:00Z", 0 },	/* Mon 07:59 */
	{ "2026-03-30T06:00:00Z", 1 },	/* Mon 08:00 */
	{ "2026-03-30T07:00:00Z", 1 },	/* Mon 09:00 */
	{ "2026-03-30T15:59:00Z", 1 },	/* Mon 17:59 */
	{ "2026-03-30T16:00:00Z", 0 },	/* Mon 18:00 */
	{ "2026-03-30T16:30:00Z", 0 },	/* Mon 18:30 (17:30 in CET) */
	/* back to winter time on Sunday 25 October */
	{ "2026-10-23T06:00:00Z", 1 },	/* Fri 08:00 CEST */
	{ "2026-10-23T15:59:00Z", 1 },	/* Fri 17:59 CEST */
	{ "2026-10-23T16:00:00Z", 0 },	/* Fri 18:00 CEST */
	{ "2026-10-25T00:30:00Z", 0 },	/* Sun 02:30 CEST */
	{ "2026-10-25T01:30:00Z", 0 },	/* Sun 02:30 CET */
	{ "2026-10-26T06:00:00Z", 0 },	/* Mon 07:00 CET */
	{ "2026-10-26T06:59:00Z", 0 },	/* Mon 07:59 CET */
	{ "2026-10-26T07:00:00Z", 1 },	/* Mon 08:00 CET */
	{ "2026-10-26T16:59:00Z", 1 },	/* Mon 17:59 CET */
	{ "2026-10-26T17:00:00Z", 0 },	/* Mon 18:00 CET */
};

static void
test_berlin(void **state)
{
	struct config		*cfg;
	const struct watch_active *a;
	char			*cause;
	size_t			 i;

	(void)state;
	/* the global timezone is not the rule's */
	cause = load("    active: {days: mon-fri, hours: \"08:00-18:00\", "
	    "timezone: Europe/Berlin}\ntimezone: America/New_York\n", &cfg);
	if (cause != NULL)
		fail_msg("%s", cause);
	a = &cfg->watches->rules[0].active;
	for (i = 0; i < sizeof berlin_rows / sizeof berlin_rows[0]; i++) {
		if (watch_active_at(a, cfg->tz,
		    test_utc_ms(berlin_rows[i].at)) !=
		    berlin_rows[i].active)
			fail_msg("row %zu: %s not %d", i + 1, berlin_rows[i].at,
			    berlin_rows[i].active);
	}
	config_free(cfg);

	/* without timezone: the global one */
	cause = load("    active: {days: mon-fri, hours: \"08:00-18:00\"}\n"
	    "timezone: Europe/Berlin\n", &cfg);
	if (cause != NULL)
		fail_msg("%s", cause);
	a = &cfg->watches->rules[0].active;
	assert_null(a->tz);
	assert_int_equal(watch_active_at(a, cfg->tz,
	    test_utc_ms("2026-03-30T06:00:00Z")), 1);
	assert_int_equal(watch_active_at(a, cfg->tz,
	    test_utc_ms("2026-03-30T05:59:00Z")), 0);
	assert_int_equal(watch_active_at(a, "UTC",
	    test_utc_ms("2026-03-30T06:00:00Z")), 0);
	config_free(cfg);
}

/* 22:00-06:00 on Fridays: Friday night into Saturday morning. */
static const struct {
	const char	*at;
	int		 active;
} night_rows[] = {
	{ "2026-11-26T23:00:00Z", 0 },	/* Thu 23:00 */
	{ "2026-11-27T02:00:00Z", 0 },	/* Fri 02:00: Thursday's night */
	{ "2026-11-27T21:59:00Z", 0 },	/* Fri 21:59 */
	{ "2026-11-27T22:00:00Z", 1 },	/* Fri 22:00 */
	{ "2026-11-27T23:59:59Z", 1 },	/* Fri 23:59:59 */
	{ "2026-11-28T00:00:00Z", 1 },	/* Sat 00:00 */
	{ "2026-11-28T05:59:00Z", 1 },	/* Sat 05:59 */
	{ "2026-11-28T06:00:00Z", 0 },	/* Sat 06:00 */
	{ "2026-11-28T23:00:00Z", 0 },	/* Sat 23:00 */
	{ "2026-11-29T02:00:00Z", 0 },	/* Sun 02:00 */
};

static void
test_over_midnight(void **state)
{
	struct config		*cfg;
	const struct watch_active *a;
	char			*cause;
	size_t			 i;

	(void)state;
	cause = load("    active: {days: fri, hours: 22:00-06:00}\n", &cfg);
	if (cause != NULL)
		fail_msg("%s", cause);
	a = &cfg->watches->rules[0].active;
	for (i = 0; i < sizeof night_rows / sizeof night_rows[0]; i++) {
		if (watch_active_at(a, cfg->tz,
		    test_utc_ms(night_rows[i].at)) !=
		    night_rows[i].active)
			fail_msg("row %zu: %s not %d", i + 1, night_rows[i].at,
			    night_rows[i].active);
	}
	/* every day, over midnight: all but the day's middle */
	cause = NULL;
	config_free(cfg);
	cause = load("    active: {hours: 22:00-06:00}\n", &cfg);
	if (cause != NULL)
		fail_msg("%s", cause);
	a = &cfg->watches->rules[0].active;
	assert_int_equal(watch_active_at(a, cfg->tz,
	    test_utc_ms("2026-11-30T03:00:00Z")), 1);
	assert_int_equal(watch_active_at(a, cfg->tz,
	    test_utc_ms("2026-11-30T12:00:00Z")), 0);
	assert_int_equal(watch_active_at(a, cfg->tz,
	    test_utc_ms("2026-11-30T22:00:00Z")), 1);
	config_free(cfg);
}

static void
test_parse_direct(void **state)
{
	unsigned	 days = 0;
	size_t		 off = 99;
	int		 s = -1, e = -1;

	(void)state;
	assert_int_equal(watch_days_parse("mon-fri", &days, &off), 0);
	assert_int_equal(days, 0x1f);
	assert_int_equal(watch_days_parse("sat,sun", &days, &off), 0);
	assert_int_equal(days, 0x60);
	assert_int_equal(watch_days_parse("sun-tue", &days, &off), 0);
	assert_int_equal(days, 0x43);
	assert_int_equal(watch_days_parse("mon;tue", &days, &off), -1);
	assert_int_equal(off, 3);
	assert_int_equal(watch_days_parse("monday", &days, &off), -1);
	assert_int_equal(off, 3);
	assert_int_equal(watch_hours_parse("22:00-06:00", &s, &e, &off), 0);
	assert_int_equal(s, 22 * 60);
	assert_int_equal(e, 6 * 60);
	assert_int_equal(watch_hours_parse("08:60-09:00", &s, &e, &off), -1);
	assert_int_equal(off, 0);
	assert_int_equal(watch_hours_parse("24:00-09:00", &s, &e, &off), -1);
	assert_int_equal(watch_hours_parse("08:00-18:00 ", &s, &e, &off), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_direct),
		cmocka_unit_test(test_berlin),
		cmocka_unit_test(test_over_midnight),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
