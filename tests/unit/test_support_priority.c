/*
 * test_support_priority.c: bot/support-priority.c: priorities read
 * from a request's words, Critical only from a support engineer, the
 * workaround rule and the tier table of 004_*.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bot/support.h"

#define MS_HOUR		(INT64_C(3600) * 1000)

static void
test_words(void **state)
{
	static const struct {
		const char		*text;
		int			 named;
		enum support_priority	 p;
	} rows[] = {
		{ "vault is sealed in production", 0, SUPPORT_MEDIUM },
		{ "", 0, SUPPORT_MEDIUM },
		{ "URGENT: router down", 1, SUPPORT_CRITICAL },
		{ "this is critical", 1, SUPPORT_CRITICAL },
		{ "P1 pods pending", 1, SUPPORT_CRITICAL },
		{ "(sev1) api errors", 1, SUPPORT_CRITICAL },
		{ "p0!", 1, SUPPORT_CRITICAL },
		{ "High priority: nodes NotReady", 1, SUPPORT_HIGH },
		{ "p2 please", 1, SUPPORT_HIGH },
		{ "priority=medium", 1, SUPPORT_MEDIUM },
		{ "normal request", 1, SUPPORT_MEDIUM },
		{ "p3", 1, SUPPORT_MEDIUM },
		{ "low prio question", 1, SUPPORT_LOW },
		{ "P4: docs typo", 1, SUPPORT_LOW },
		/* the highest named wins, in any order */
		{ "low or maybe high?", 1, SUPPORT_HIGH },
		{ "p4 p3 p1 p2", 1, SUPPORT_CRITICAL },
		/* word boundaries */
		{ "highly available setup", 0, SUPPORT_MEDIUM },
		{ "p10 and p1x and sev12", 0, SUPPORT_MEDIUM },
		{ "lowercase names, abnormal", 0, SUPPORT_MEDIUM },
		{ "high-availability", 1, SUPPORT_HIGH },
		{ "CriTiCaL", 1, SUPPORT_CRITICAL },
		/* negated */
		{ "not urgent, how do I open a CR?", 0, SUPPORT_MEDIUM },
		{ "non-critical: a question", 0, SUPPORT_MEDIUM },
		{ "no urgent need, low priority", 1, SUPPORT_LOW },
		{ "not urgent but high impact", 1, SUPPORT_HIGH },
		/* Slack markup is not words */
		{ "see <https://example.com/p1/urgent|the page>", 0,
		  SUPPORT_MEDIUM },
		{ "<@U0P1> <!here> low", 1, SUPPORT_LOW },
		{ "unclosed <https://x/critical", 0, SUPPORT_MEDIUM },
	};
	enum support_priority	 p;
	size_t			 i;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		p = SUPPORT_LOW;
		if (support_priority_words(rows[i].text, strlen(rows[i].text),
		    &p) != rows[i].named || p != rows[i].p)
			fail_msg("'%s': got %s, want %s (named %d)",
			    rows[i].text, support_priority_name(p),
			    support_priority_name(rows[i].p), rows[i].named);
	}
	/* len is honoured: the text need not end in NUL. */
	assert_int_equal(support_priority_words("low critical", 3, &p), 1);
	assert_int_equal(p, SUPPORT_LOW);
}

static void
test_parse_names(void **state)
{
	enum support_priority	 p = SUPPORT_MEDIUM;
	enum support_tier	 t = SUPPORT_ESSENTIAL;

	assert_int_equal(support_priority_parse("High", &p), 0);
	assert_int_equal(p, SUPPORT_HIGH);
	assert_int_equal(support_priority_parse("p1", &p), 0);
	assert_int_equal(p, SUPPORT_CRITICAL);
	assert_int_equal(support_priority_parse("low", &p), 0);
	assert_int_equal(p, SUPPORT_LOW);
	assert_int_equal(support_priority_parse("lowest", &p), -1);
	assert_int_equal(support_priority_parse("", &p), -1);
	assert_int_equal(support_priority_parse(NULL, &p), -1);
	assert_int_equal(p, SUPPORT_LOW);

	assert_string_equal(support_priority_name(SUPPORT_CRITICAL),
	    "Critical");
	assert_string_equal(support_priority_name(SUPPORT_MEDIUM), "Medium");
	assert_string_equal(support_priority_name((enum support_priority)9),
	    "?");

	assert_int_equal(support_tier_parse("advanced", &t), 0);
	assert_int_equal(t, SUPPORT_ADVANCED);
	assert_int_equal(support_tier_parse("PREMIUM", &t), 0);
	assert_int_equal(t, SUPPORT_PREMIUM);
	assert_int_equal(support_tier_parse("gold", &t), -1);
	assert_int_equal(support_tier_parse(NULL, &t), -1);
	assert_string_equal(support_tier_name(SUPPORT_ESSENTIAL), "Essential");
	assert_string_equal(support_tier_name((enum support_tier)3), "?");
}

/* 003_*: a critical issue needs validation on the support side. */
static void
test_ask_critical(void **state)
{
	struct support_ask	 a;
	const char		*s = "URGENT prod is down";

	support_priority_ask(s, strlen(s), 0, &a);
	assert_int_equal(a.asked, SUPPORT_CRITICAL);
	assert_int_equal(a.named, 1);
	assert_int_equal(a.priority, SUPPORT_HIGH);
	assert_int_equal(a.needs_validation, 1);

	support_priority_ask(s, strlen(s), 1, &a);
	assert_int_equal(a.priority, SUPPORT_CRITICAL);
	assert_int_equal(a.needs_validation, 0);

	s = "p2 nodes flapping";
	support_priority_ask(s, strlen(s), 0, &a);
	assert_int_equal(a.priority, SUPPORT_HIGH);
	assert_int_equal(a.needs_validation, 0);

	s = "how do I open a CR";
	support_priority_ask(s, strlen(s), 0, &a);
	assert_int_equal(a.asked, SUPPORT_MEDIUM);
	assert_int_equal(a.named, 0);
	assert_int_equal(a.priority, SUPPORT_MEDIUM);
	assert_int_equal(a.needs_validation, 0);

	assert_int_equal(support_priority_allowed(SUPPORT_CRITICAL, 0), 0);
	assert_int_equal(support_priority_allowed(SUPPORT_CRITICAL, 1), 1);
	assert_int_equal(support_priority_allowed(SUPPORT_HIGH, 0), 1);
	assert_int_equal(support_priority_allowed(SUPPORT_LOW, 0), 1);
	assert_int_equal(support_priority_allowed((enum support_priority)7,
	    1), 0);
}

/* 004_*: a workaround lowers the priority one level; Low stays Low. */
static void
test_workaround(void **state)
{
	assert_int_equal(support_priority_lower(SUPPORT_CRITICAL),
	    SUPPORT_HIGH);
	assert_int_equal(support_priority_lower(SUPPORT_HIGH), SUPPORT_MEDIUM);
	assert_int_equal(support_priority_lower(SUPPORT_MEDIUM), SUPPORT_LOW);
	assert_int_equal(support_priority_lower(SUPPORT_LOW), SUPPORT_LOW);
}

/* The table of 004_*, tier by tier. */
static void
test_table(void **state)
{
	static const struct {
		enum support_tier	 t;
		enum support_priority	 p;
		int			 hours;
	} rows[] = {
		{ SUPPORT_ESSENTIAL, SUPPORT_CRITICAL, 12 },
		{ SUPPORT_ADVANCED, SUPPORT_CRITICAL, 2 },
		{ SUPPORT_PREMIUM, SUPPORT_CRITICAL, 1 },
		{ SUPPORT_ESSENTIAL, SUPPORT_HIGH, 12 },
		{ SUPPORT_ADVANCED, SUPPORT_HIGH, 4 },
		{ SUPPORT_PREMIUM, SUPPORT_HIGH, 2 },
		{ SUPPORT_ESSENTIAL, SUPPORT_MEDIUM, 24 },
		{ SUPPORT_ADVANCED, SUPPORT_MEDIUM, 8 },
		{ SUPPORT_PREMIUM, SUPPORT_MEDIUM, 4 },
		{ SUPPORT_ESSENTIAL, SUPPORT_LOW, 24 },
		{ SUPPORT_ADVANCED, SUPPORT_LOW, 24 },
		{ SUPPORT_PREMIUM, SUPPORT_LOW, 24 },
	};
	size_t	 i;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++)
		assert_int_equal(support_response_ms(rows[i].t, rows[i].p),
		    rows[i].hours * MS_HOUR);
	assert_int_equal(support_response_ms((enum support_tier)3,
	    SUPPORT_LOW), -1);
	assert_int_equal(support_response_ms(SUPPORT_PREMIUM,
	    (enum support_priority)4), -1);
	assert_int_equal(support_tier_week(SUPPORT_ESSENTIAL), SUPPORT_24X5);
	assert_int_equal(support_tier_week(SUPPORT_ADVANCED), SUPPORT_24X7);
	assert_int_equal(support_tier_week(SUPPORT_PREMIUM), SUPPORT_24X7);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_parse_names),
		cmocka_unit_test(test_ask_critical),
		cmocka_unit_test(test_workaround),
		cmocka_unit_test(test_table),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
