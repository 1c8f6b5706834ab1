/* test_reply.c: long answers become several Slack messages, never truncated. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bot/bot.h"

static size_t
count(const char *hay, const char *needle)
{
	size_t	 n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return (n);
}

static void
test_small_blocks_share_a_message(void **state)
{
	struct reply	 r = { { NULL, 0, 0 }, 0 };
	struct strv	 out = { NULL, 0, 0 };

	reply_add(&r, "*Impact*");
	reply_add(&r, "Clusters are not able to push metrics.");
	reply_pack(&r, 100, &out);
	assert_int_equal(out.n, 1);
	assert_string_equal(out.v[0],
	    "*Impact*\n\nClusters are not able to push metrics.");
	strv_reset(&out);
	reply_reset(&r);
}

static void
test_split_at_block_boundaries(void **state)
{
	struct reply	 r = { { NULL, 0, 0 }, 0 };
	struct strv	 out = { NULL, 0, 0 };
	struct buf	 all = { NULL, 0, 0 };
	size_t		 i;

	for (i = 0; i < 30; i++)
		reply_addf(&r, "block %02zu %s", i,
		    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	reply_pack(&r, 200, &out);
	assert_true(out.n > 1);
	for (i = 0; i < out.n; i++) {
		assert_true(strlen(out.v[i]) <= 200);
		/* never a block cut in two: whole blocks and separators */
		assert_int_equal(count(out.v[i], "block ") *
		    strlen(r.blocks.v[0]) + (count(out.v[i], "block ") - 1) * 2,
		    strlen(out.v[i]));
		buf_adds(&all, out.v[i]);
	}
	for (i = 0; i < 30; i++) {
		char want[16];
		snprintf(want, sizeof want, "block %02zu", i);
		assert_non_null(strstr(buf_str(&all), want));
	}
	buf_reset(&all);
	strv_reset(&out);
	reply_reset(&r);
}

static void
test_oversized_code_block_reopens_fence(void **state)
{
	struct reply	 r = { { NULL, 0, 0 }, 0 };
	struct strv	 out = { NULL, 0, 0 };
	struct buf	 code = { NULL, 0, 0 }, all = { NULL, 0, 0 };
	size_t		 i, lines = 0;

	buf_adds(&code, "```\n");
	for (i = 0; i < 100; i++)
		buf_printf(&code, "line %03zu of the log\n", i);
	buf_adds(&code, "```");
	reply_add(&r, buf_str(&code));
	reply_pack(&r, 300, &out);
	assert_true(out.n >= 7);
	for (i = 0; i < out.n; i++) {
		assert_true(strlen(out.v[i]) <= 300);
		/* each message opens and closes its own fence */
		assert_int_equal(strncmp(out.v[i], "```", 3), 0);
		assert_int_equal(strcmp(out.v[i] + strlen(out.v[i]) - 3, "```"),
		    0);
		buf_adds(&all, out.v[i]);
	}
	for (i = 0; i < 100; i++) {
		char want[32];
		snprintf(want, sizeof want, "line %03zu of the log", i);
		if (strstr(buf_str(&all), want) != NULL)
			lines++;
	}
	assert_int_equal(lines, 100);
	buf_reset(&all);
	buf_reset(&code);
	strv_reset(&out);
	reply_reset(&r);
}

static void
test_long_line_not_cut_in_utf8_or_entity(void **state)
{
	struct reply	 r = { { NULL, 0, 0 }, 0 };
	struct strv	 out = { NULL, 0, 0 };
	struct buf	 line = { NULL, 0, 0 }, all = { NULL, 0, 0 };
	size_t		 i;

	for (i = 0; i < 200; i++)
		buf_adds(&line, "é&amp;");
	reply_add(&r, buf_str(&line));
	reply_pack(&r, 97, &out);
	assert_true(out.n > 1);
	for (i = 0; i < out.n; i++) {
		assert_true(strlen(out.v[i]) <= 97);
		buf_adds(&all, out.v[i]);
	}
	assert_string_equal(buf_str(&all), buf_str(&line));
	buf_reset(&all);
	buf_reset(&line);
	strv_reset(&out);
	reply_reset(&r);
}

static void
test_plain_for_console(void **state)
{
	char	*s;

	s = mrkdwn_to_plain_new("Open <https://access.redhat.com|the portal> "
	    "&amp; call, see <https://x.io> &lt;now&gt;");
	assert_string_equal(s, "Open the portal (https://access.redhat.com) "
	    "& call, see https://x.io <now>");
	free(s);
	s = mrkdwn_to_plain_new("mail <mailto:a@b.io|a@b.io> or "
	    "<mailto:a@b.io|the desk>");
	assert_string_equal(s, "mail a@b.io or the desk (mailto:a@b.io)");
	free(s);
	s = mrkdwn_to_plain_new("<https://x.io|https://x.io>");
	assert_string_equal(s, "https://x.io");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_blocks_share_a_message),
		cmocka_unit_test(test_split_at_block_boundaries),
		cmocka_unit_test(test_oversized_code_block_reopens_fence),
		cmocka_unit_test(test_long_line_not_cut_in_utf8_or_entity),
		cmocka_unit_test(test_plain_for_console),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
