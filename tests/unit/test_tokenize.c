/* test_tokenize.c: command lines as people type them into Slack. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bot/bot.h"

static const struct {
	const char	*line;
	const char	*words;	/* words joined by '|' */
} rows[] = {
	/* 1 */ { "sop hivedown", "sop|hivedown" },
	/* 2 */ { "  sop   hivedown  ", "sop|hivedown" },
	/* 3 */ { "runbook \"pods not starting\"", "runbook|pods not starting" },
	/* 4 */ { "runbook 'pods not starting'", "runbook|pods not starting" },
	/* 5 */ { "runbook \xe2\x80\x9cpods not starting\xe2\x80\x9d",
		  "runbook|pods not starting" },
	/* 6 */ { "escalate let's encrypt", "escalate|let's|encrypt" },
	/* 7 */ { "runbook a\\ b", "runbook|a b" },
	/* 8 */ { "runbook x &amp;&amp; y &lt;z&gt;", "runbook|x|&&|y|<z>" },
	/* 9 */ { "open <https://example.com/x|the page>", "open|the page" },
	/* 10 */ { "open <https://example.com/x>", "open|https://example.com/x" },
	/* 11 */ { "page <@U0002>", "page|<@U0002>" },
	/* 12 */ { "watch <#C0001|ops>", "watch|#ops" },
	/* 13 */ { "", "" },
	/* 14 */ { "sop\thivedown\r\n", "sop|hivedown" },
	/* 15 */ { "say \"\"", "say|" },
};

static void
test_rows(void **state)
{
	struct strv	 out;
	struct buf	 joined;
	char		*cause;
	size_t		 i, j;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		memset(&out, 0, sizeof out);
		memset(&joined, 0, sizeof joined);
		cause = NULL;
		assert_int_equal(tokenize(rows[i].line, &out, &cause), 0);
		for (j = 0; j < out.n; j++) {
			if (j > 0)
				buf_addc(&joined, '|');
			buf_adds(&joined, out.v[j]);
		}
		if (strcmp(buf_str(&joined), rows[i].words) != 0)
			fail_msg("row %zu: '%s' gave '%s', want '%s'", i + 1,
			    rows[i].line, buf_str(&joined), rows[i].words);
		buf_reset(&joined);
		strv_reset(&out);
	}
}

static void
test_unbalanced(void **state)
{
	struct strv	 out = { NULL, 0, 0 };
	char		*cause = NULL;

	assert_int_equal(tokenize("runbook \"pods not", &out, &cause), -1);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "unbalanced"));
	free(cause);
	strv_reset(&out);
}

static void
test_unescape(void **state)
{
	char	*s;

	s = slack_unescape_new("a &amp;lt; b &lt; c &gt; d &amp; e");
	/* one level only: "&amp;lt;" is the text "&lt;" */
	assert_string_equal(s, "a &lt; b < c > d & e");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_unbalanced),
		cmocka_unit_test(test_unescape),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
