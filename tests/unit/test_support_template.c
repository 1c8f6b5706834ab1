/*
 * test_support_template.c: bot/support-template.c: placeholders filled
 * and escaped, unknown ones kept and listed, "{{", and the example
 * first response under config/templates.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bot/support.h"

#define EXAMPLE	OPSBOT_SOURCE_DIR "/config/templates/support-first-response.txt"

static const struct support_fill fill = {
	.user = "Ada",
	.ticket = "#42",
	.priority = "High",
	.due = "09:00 Tue 1 Dec",
	.tier = "Advanced",
	.channel = "#support",
};

/* tmpl filled from f; the number of unknown placeholders in *unknown. */
static char *
filled(const char *tmpl, const struct support_fill *f, int *unknown)
{
	struct buf	 b;

	memset(&b, 0, sizeof b);
	*unknown = support_template_fill(&b, tmpl, f);
	return (buf_release(&b));
}

static void
test_fill(void **state)
{
	static const struct {
		const char	*tmpl;
		const char	*want;
		int		 unknown;
	} rows[] = {
		{ "Hi {user}, ticket {ticket} ({priority}) is due {due}.",
		  "Hi Ada, ticket #42 (High) is due 09:00 Tue 1 Dec.", 0 },
		{ "{tier} support in {channel}", "Advanced support in #support",
		  0 },
		{ "{user}{user}", "AdaAda", 0 },
		{ "", "", 0 },
		{ "no fields", "no fields", 0 },
		/* unknown placeholders are kept as written */
		{ "Hi {name}, {User}!", "Hi {name}, {User}!", 2 },
		{ "{usr} and {usr}", "{usr} and {usr}", 2 },
		/* what is not a placeholder is text */
		{ "{} { user } {user", "{} { user } {user", 0 },
		{ "a } b {", "a } b {", 0 },
		{ "json {\"a\": 1}", "json {\"a\": 1}", 0 },
		/* "{{" is a literal brace */
		{ "{{user}", "{user}", 0 },
		{ "{{{user}", "{Ada", 0 },
		{ "{{}}", "{}}", 0 },
		/* the template itself is mrkdwn, not escaped */
		{ "*{ticket}* <https://x|docs>", "*#42* <https://x|docs>", 0 },
	};
	char	*s;
	size_t	 i;
	int	 unknown;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		s = filled(rows[i].tmpl, &fill, &unknown);
		if (strcmp(s, rows[i].want) != 0 ||
		    unknown != rows[i].unknown)
			fail_msg("'%s': got '%s' (%d unknown), want '%s' (%d)",
			    rows[i].tmpl, s, unknown, rows[i].want,
			    rows[i].unknown);
		free(s);
	}
}

/* A display name cannot notify anyone, nor forge a link. */
static void
test_escaped(void **state)
{
	struct support_fill	 f;
	char			*s;
	int			 unknown;

	memset(&f, 0, sizeof f);
	f.user = "@here <!channel> & <@U1|x>";
	f.ticket = "<https://evil|#42>";
	s = filled("Hi {user} ({ticket})", &f, &unknown);
	assert_int_equal(unknown, 0);
	assert_string_equal(s, "Hi @\xe2\x81\xa0here &lt;!channel&gt; &amp; "
	    "&lt;@U1|x&gt; (&lt;https://evil|#42&gt;)");
	assert_null(strstr(s, "<!"));
	free(s);
	/* NULL values fill in as nothing. */
	s = filled("[{user}][{due}]", &f, &unknown);
	assert_string_equal(s, "[@\xe2\x81\xa0here &lt;!channel&gt; &amp; "
	    "&lt;@U1|x&gt;][]");
	free(s);
}

/* {user} without a name: a Slack user id as a mention, else escaped. */
static void
test_user_id(void **state)
{
	struct support_fill	 f;
	char			*s;
	int			 unknown;

	(void)state;
	memset(&f, 0, sizeof f);
	f.user_id = "U0REQ";
	s = filled("Hi {user}", &f, &unknown);
	assert_string_equal(s, "Hi <@U0REQ>");
	free(s);
	f.user_id = "W12AB";
	s = filled("Hi {user}", &f, &unknown);
	assert_string_equal(s, "Hi <@W12AB>");
	free(s);
	/* not an id: no mention, escaped */
	f.user_id = "U1|x> <!here";
	s = filled("Hi {user}", &f, &unknown);
	assert_string_equal(s, "Hi U1|x&gt; &lt;!here");
	free(s);
	f.user_id = "alice";
	s = filled("Hi {user}", &f, &unknown);
	assert_string_equal(s, "Hi alice");
	free(s);
	/* a name wins over the id */
	f.user = "Ada";
	f.user_id = "U0REQ";
	s = filled("Hi {user}", &f, &unknown);
	assert_string_equal(s, "Hi Ada");
	free(s);
}

static void
test_check(void **state)
{
	struct strv	 u;

	memset(&u, 0, sizeof u);
	assert_int_equal(support_template_check("Hi {user}, {tciket} "
	    "{{nope} {tciket} {Due} {x y}", &u), 2);
	assert_int_equal(u.n, 2);
	assert_string_equal(u.v[0], "{tciket}");
	assert_string_equal(u.v[1], "{Due}");
	strv_reset(&u);
	assert_int_equal(support_template_check("{user}{ticket}{priority}"
	    "{due}{tier}{channel}", &u), 0);
	assert_int_equal(u.n, 0);
	strv_reset(&u);
}

/* The example first response in config/ uses known placeholders only. */
static void
test_example(void **state)
{
	struct strv	 u;
	struct buf	 t, out;
	FILE		*fp;
	char		 chunk[512];
	size_t		 n;

	memset(&u, 0, sizeof u);
	memset(&t, 0, sizeof t);
	memset(&out, 0, sizeof out);
	fp = fopen(EXAMPLE, "r");
	assert_non_null(fp);
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		buf_add(&t, chunk, n);
	fclose(fp);
	assert_int_equal(support_template_check(buf_str(&t), &u), 0);
	assert_int_equal(support_template_fill(&out, buf_str(&t), &fill), 0);
	assert_non_null(strstr(buf_str(&out), "Hi Ada,"));
	assert_non_null(strstr(buf_str(&out), "*#42*"));
	assert_non_null(strstr(buf_str(&out), "09:00 Tue 1 Dec"));
	assert_null(strchr(buf_str(&out), '{'));
	strv_reset(&u);
	buf_reset(&t);
	buf_reset(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fill),
		cmocka_unit_test(test_escaped),
		cmocka_unit_test(test_user_id),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_example),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
