/* test_mrkdwn.c: runbook Markdown as Slack shows it, rule by rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <cmark-gfm.h>

#include "bot/bot.h"

#define WJ	"\xe2\x81\xa0"	/* U+2060 WORD JOINER */

static const struct {
	const char	*md;
	const char	*want;	/* the blocks joined by a blank line */
} rows[] = {
	/* 1 */ { "Hello *world* and **bold** and ~~gone~~",
		  "Hello _world_ and *bold* and ~gone~" },
	/* 2 */ { "# Impact:\n", "*Impact*" },
	/* 3 */ { "a & b < c > d", "a &amp; b &lt; c &gt; d" },
	/* 4 */ { "post with an @here now, @channel! and @Everyone.",
		  "post with an @" WJ "here now, @" WJ "channel! and @" WJ
		  "Everyone." },
	/* 5 */ { "mail @hereford or @channels", "mail @hereford or @channels" },
	/* 6 */ { "say <!channel> please", "say &lt;!channel&gt; please" },
	/* 7 */ { "[customer portal](https://x.example/a?b=1&c=2)",
		  "<https://x.example/a?b=1&amp;c=2|customer portal>" },
	/* 8 */ { "<https://support.redkubes.com/>",
		  "<https://support.redkubes.com/>" },
	/* 9 */ { "See [RedHat Boilerplate](#redhat-boilerplate)",
		  "See RedHat Boilerplate" },
	/* 10 */ { "[a|b > c](https://x.example/p|q)",
		  "<https://x.example/p%7Cq|a|b &gt; c>" },
	/* 11 */ { "![diagram](https://x.example/d.png)",
		  "<https://x.example/d.png|diagram>" },
	/* 12 */ { "- a\n- b\n  - c\n    - d\n- e",
		  "\xe2\x80\xa2 a\n\xe2\x80\xa2 b\n    \xe2\x80\xa2 c\n"
		  "        \xe2\x80\xa2 d\n\xe2\x80\xa2 e" },
	/* 13 */ { "1. one\n2. two\n   1. sub", "1. one\n2. two\n    1. sub" },
	/* 14 */ { "3) three\n4) four", "3) three\n4) four" },
	/* 15 */ { "- [ ] todo\n- [x] done",
		  "\xe2\x98\x90 todo\n\xe2\x98\x91 done" },
	/* 16 */ { "> - [ ] quoted task\n> - [X] quoted done",
		  "> \xe2\x98\x90 quoted task\n> \xe2\x98\x91 quoted done" },
	/* 17 */ { "Use `a<b>&c` here", "Use `a&lt;b&gt;&amp;c` here" },
	/* 18 */ { "```sh\necho <x> && @here\n```",
		  "```\necho &lt;x&gt; &amp;&amp; @" WJ "here\n```" },
	/* 19 */ { "> quote line\n>\n> #### Inner heading\n> more",
		  "> quote line\n>\n> *Inner heading*\n>\n> more" },
	/* 20 */ { "| a | bb |\n|---|---|\n| ccc | d |",
		  "```\na   | bb\n----+---\nccc | d\n```" },
	/* 21 */ { "<!-- TOC -->\n\nText\n\n---\n\nMore", "Text\n\nMore" },
	/* 22 */ { "line one  \nline two", "line one\nline two" },
	/* 23 */ { "soft\nwrap", "soft wrap" },
	/* 24 */ { "- item\n\n  ```\n  code\n  ```",
		  "\xe2\x80\xa2 item\n```\ncode\n```" },
	/* 25 */ { "www.example.com",
		  "<http://www.example.com|www.example.com>" },
	/* 26 */ { "partner@redhat.com",
		  "<mailto:partner@redhat.com|partner@redhat.com>" },
	/* 27 */ { "| x&y |\n|---|\n| <z> |",
		  "```\nx&amp;y\n---\n&lt;z&gt;\n```" },
	/* 28 */ { "- first\n\n  second paragraph",
		  "\xe2\x80\xa2 first\n  second paragraph" },
	/* 29 */ { "Hi <name>, see", "Hi &lt;name&gt;, see" },
	/* 30 */ { "1. [ ] check it", "1. \xe2\x98\x90 check it" },
};

static char *
render(const char *md)
{
	struct strv	 blocks;
	struct buf	 b;
	size_t		 i;

	memset(&blocks, 0, sizeof blocks);
	memset(&b, 0, sizeof b);
	mrkdwn_render_string(md, strlen(md), &blocks);
	for (i = 0; i < blocks.n; i++) {
		if (i > 0)
			buf_adds(&b, "\n\n");
		buf_adds(&b, blocks.v[i]);
	}
	strv_reset(&blocks);
	return (buf_release(&b));
}

static void
test_rows(void **state)
{
	char	*got;
	size_t	 i;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		got = render(rows[i].md);
		if (strcmp(got, rows[i].want) != 0)
			fail_msg("row %zu: '%s'\ngave:\n%s\nwant:\n%s", i + 1,
			    rows[i].md, got, rows[i].want);
		free(got);
	}
}

/* One string per top-level block, so replies split between blocks. */
static void
test_blocks(void **state)
{
	static const char	 md[] = "## Steps\n\nFirst.\n\n- a\n- b\n";
	struct strv		 blocks;

	memset(&blocks, 0, sizeof blocks);
	mrkdwn_render_string(md, strlen(md), &blocks);
	assert_int_equal(blocks.n, 3);
	assert_string_equal(blocks.v[0], "*Steps*");
	assert_string_equal(blocks.v[1], "First.");
	assert_string_equal(blocks.v[2], "\xe2\x80\xa2 a\n\xe2\x80\xa2 b");
	strv_reset(&blocks);
}

/* A long paragraph comes out whole; splitting is reply_pack's job. */
static void
test_not_truncated(void **state)
{
	struct buf	 md;
	char		*got;
	size_t		 i;

	memset(&md, 0, sizeof md);
	for (i = 0; i < 2000; i++)
		buf_printf(&md, "word%zu ", i);
	buf_adds(&md, "end");
	got = render(buf_str(&md));
	assert_int_equal(strlen(got), md.len);
	assert_non_null(strstr(got, "word1999 end"));
	free(got);
	buf_reset(&md);
}

/* s repeated n times, then tail (new). */
static char *
repeated(const char *s, size_t n, const char *tail)
{
	struct buf	 b;
	size_t		 i;

	memset(&b, 0, sizeof b);
	for (i = 0; i < n; i++)
		buf_adds(&b, s);
	buf_adds(&b, tail);
	return (buf_release(&b));
}

/*
 * Past MRKDWN_MAX_DEPTH levels below the top-level block, content is its
 * plain text: the stack and the indentation stop growing there.
 */
static void
test_depth(void **state)
{
	struct buf	 want;
	char		*md, *got, *s;
	size_t		 k;

	/* Quotes at depths 0 to 32 are quotes; the 34th is its text. */
	md = repeated(">", 40, " x <y>");
	got = render(md);
	s = repeated("> ", MRKDWN_MAX_DEPTH + 1, "x &lt;y&gt;");
	assert_string_equal(got, s);
	free(s);
	free(got);
	free(md);

	/* The paragraph is depth 0: strong at 1 to 32. */
	md = repeated("**", 40, "x");
	s = repeated("**", 40, "");
	memset(&want, 0, sizeof want);
	buf_adds(&want, md);
	buf_adds(&want, s);
	free(md);
	free(s);
	got = render(buf_str(&want));
	buf_reset(&want);
	md = repeated("*", MRKDWN_MAX_DEPTH, "x");
	s = repeated("*", MRKDWN_MAX_DEPTH, "");
	buf_adds(&want, md);
	buf_adds(&want, s);
	assert_string_equal(got, buf_str(&want));
	buf_reset(&want);
	free(md);
	free(s);
	free(got);

	/* Lists at even depths 0 to 32; the items of the last are text. */
	md = repeated("- ", 40, "x");
	got = render(md);
	for (k = 0; k <= MRKDWN_MAX_DEPTH / 2; k++) {
		if (k > 0)
			buf_addc(&want, '\n');
		s = repeated(" ", 4 * k, "\xe2\x80\xa2 ");
		buf_adds(&want, s);
		free(s);
	}
	buf_addc(&want, 'x');
	assert_string_equal(got, buf_str(&want));
	buf_reset(&want);
	free(got);
	free(md);
}

/* The plain text of a tree too deep to walk by recursion. */
static void
test_plain_deep(void **state)
{
	struct cmark_node	*doc;
	struct buf		 b;
	char			*md;

	memset(&b, 0, sizeof b);
	md = repeated("_", 100000, "deep");
	buf_adds(&b, md);
	buf_add(&b, md, 100000);
	free(md);
	doc = mrkdwn_parse(b.s, b.len);
	buf_reset(&b);
	mrkdwn_plain(doc, &b);
	assert_string_equal(buf_str(&b), "deep\n");
	buf_reset(&b);
	cmark_node_free(doc);

	md = repeated("> ", 100000, "deep");
	doc = mrkdwn_parse(md, strlen(md));
	free(md);
	mrkdwn_plain(doc, &b);
	assert_string_equal(buf_str(&b), "deep\n");
	buf_reset(&b);
	cmark_node_free(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_blocks),
		cmocka_unit_test(test_not_truncated),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_plain_deep),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
