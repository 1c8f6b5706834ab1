/* test_slug.c: the names users type for sections, and heading anchors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bot/bot.h"

static const struct {
	const char	*in;
	const char	*slug;
	const char	*anchor;
} rows[] = {
	/* 1 */ { "hivedown", "hivedown", "hivedown" },
	/* 2 */ { "HiveDown", "hivedown", "hivedown" },
	/* 3 */ { "HiveDown ", "hivedown", "hivedown-" },
	/* 4 */ { "Lets Encrypt", "letsencrypt", "lets-encrypt" },
	/* 5 */ { "LetsEncrypt", "letsencrypt", "letsencrypt" },
	/* 6 */ { "Let\xe2\x80\x99s Encrypt", "letsencrypt", "lets-encrypt" },
	/* 7 */ { "Let's Encrypt", "letsencrypt", "lets-encrypt" },
	/* 8 */ { "pods-not-starting", "podsnotstarting", "pods-not-starting" },
	/* 9 */ { "Pods not starting", "podsnotstarting", "pods-not-starting" },
	/* 10 */ { "RedHat Boilerplate", "redhatboilerplate",
		  "redhat-boilerplate" },
	/* 11 */ { "SOP : OpenShift Telemeter", "sopopenshifttelemeter",
		  "sop--openshift-telemeter" },
	/* 12 */ { "Severity: Critical", "severitycritical",
		  "severity-critical" },
	/* 13 */ { "Advanced k8s support", "advancedk8ssupport",
		  "advanced-k8s-support" },
	/* 14 */ { "Grüße aus Köln", "grüßeausköln", "grüße-aus-köln" },
	/* 15 */ { "snake_case name", "snakecasename", "snake_case-name" },
	/* 16 */ { "\xe2\x80\x9cquoted\xe2\x80\x9d \xe2\x80\x94 dash",
		  "quoteddash", "quoted--dash" },
	/* 17 */ { "", "", "" },
	/* 18 */ { "!!!", "", "" },
	/* invalid UTF-8 is kept as it is */
	/* 19 */ { "a\xa0" "b", "a\xa0" "b", "a\xa0" "b" },
	/* 20 */ { "caf\xc3\xa9\xc2\xa0menu", "caf\xc3\xa9menu",
		  "caf\xc3\xa9menu" },	/* no-break space dropped */
};

static void
test_rows(void **state)
{
	char	*s, *a;
	size_t	 i;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		s = slug_new(rows[i].in);
		a = slug_anchor_new(rows[i].in);
		if (strcmp(s, rows[i].slug) != 0)
			fail_msg("row %zu: slug of '%s' is '%s', want '%s'",
			    i + 1, rows[i].in, s, rows[i].slug);
		if (strcmp(a, rows[i].anchor) != 0)
			fail_msg("row %zu: anchor of '%s' is '%s', want '%s'",
			    i + 1, rows[i].in, a, rows[i].anchor);
		free(s);
		free(a);
	}
}

static const struct {
	const char	*a;
	const char	*b;
	size_t		 d;
} drows[] = {
	/* 1 */ { "", "", 0 },
	/* 2 */ { "hivedown", "hivedown", 0 },
	/* 3 */ { "hivedwn", "hivedown", 1 },
	/* 4 */ { "hviedown", "hivedown", 2 },	/* no transpositions */
	/* 5 */ { "", "akamai", 6 },
	/* 6 */ { "akamai", "", 6 },
	/* 7 */ { "kitten", "sitting", 3 },
	/* 8 */ { "letsencrypt", "letsencrpyt", 2 },
	/* 9 */ { "redhat", "redhatboilerplate", 11 },
};

static void
test_distance(void **state)
{
	size_t	 i, d;

	for (i = 0; i < sizeof drows / sizeof drows[0]; i++) {
		d = slug_distance(drows[i].a, drows[i].b);
		if (d != drows[i].d)
			fail_msg("row %zu: distance('%s', '%s') = %zu, want %zu",
			    i + 1, drows[i].a, drows[i].b, d, drows[i].d);
		/* Symmetric. */
		assert_int_equal(slug_distance(drows[i].b, drows[i].a), d);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_distance),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
