/*
 * test_mrkdwn_escape.c: the one mrkdwn escaper (bot/mrkdwn-escape.c).
 * Nothing the bot shows from a runbook or a user may reach Slack as a
 * mention: every output here is scanned for one, as well as compared.
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "commands/cmd.h"

#define WJ	"\xe2\x81\xa0"	/* U+2060 WORD JOINER */

/*
 * The first mention Slack would act on in s, or NULL: <!...> (channel,
 * here, everyone, subteam), <@user> or <#channel> markup, or a bare
 * @here, @channel, @everyone or @group that no letter or digit
 * continues.
 */
static const char *
live_mention(const char *s)
{
	static const char	*names[] = { "here", "channel", "everyone",
				    "group" };
	const char		*p;
	size_t			 i, n;
	char			 c;

	for (p = s; *p != '\0'; p++) {
		if (p[0] == '<' && (p[1] == '!' || p[1] == '@' || p[1] == '#'))
			return (p);
		if (p[0] != '@')
			continue;
		for (i = 0; i < sizeof names / sizeof names[0]; i++) {
			n = strlen(names[i]);
			if (strncasecmp(p + 1, names[i], n) != 0)
				continue;
			c = p[1 + n];
			if (!isalnum((unsigned char)c))
				return (p);
		}
	}
	return (NULL);
}

static void
assert_defused(const char *what, const char *out)
{
	const char	*live;

	if ((live = live_mention(out)) != NULL)
		fail_msg("%s: a mention survives at '%.20s' in:\n%s", what,
		    live, out);
}

/* The scanner itself: it must see what it is there to catch. */
static void
test_live_mention(void **state)
{
	assert_non_null(live_mention("x <!channel>"));
	assert_non_null(live_mention("<!subteam^S1|oncall>"));
	assert_non_null(live_mention("<@U1>"));
	assert_non_null(live_mention("<#C1>"));
	assert_non_null(live_mention("hi @Here"));
	assert_non_null(live_mention("@everyone."));
	assert_non_null(live_mention("@channel_"));
	assert_null(live_mention("@" WJ "here &lt;!channel&gt; @hereford"));
	assert_null(live_mention("<https://x.example/|x>"));
}

/* mrkdwn_escape: in, out. mrkdwn_escape_new gives out with ` as '. */
static const struct {
	const char	*in;
	const char	*want;
} rows[] = {
	/* 1 */ { "<!channel>", "&lt;!channel&gt;" },
	/* 2 */ { "<!here> <!everyone>", "&lt;!here&gt; &lt;!everyone&gt;" },
	/* 3 */ { "<!subteam^S1|oncall>", "&lt;!subteam^S1|oncall&gt;" },
	/* 4 */ { "<@U1> in <#C1|ops>", "&lt;@U1&gt; in &lt;#C1|ops&gt;" },
	/* 5 */ { "&lt;!here&gt;", "&amp;lt;!here&amp;gt;" },
	/* 6 */ { "@here", "@" WJ "here" },
	/* 7 */ { "@HERE now, @Channel! @everyone.",
		  "@" WJ "HERE now, @" WJ "Channel! @" WJ "everyone." },
	/* 8 */ { "@here_ @here- @channel: @group",
		  "@" WJ "here_ @" WJ "here- @" WJ "channel: @" WJ "group" },
	/* 9 */ { "x@here @@channel", "x@" WJ "here @@" WJ "channel" },
	/* 10 */ { "@hereford @channels @everyone2 @groupie",
		  "@hereford @channels @everyone2 @groupie" },
	/* 11 */ { "a & b < c > d", "a &amp; b &lt; c &gt; d" },
	/* 12 */ { "echo `date` @here", "echo `date` @" WJ "here" },
	/* 13 */ { "<!channel> & `x`", "&lt;!channel&gt; &amp; `x`" },
	/* 14 */ { "<@U1> & @here", "&lt;@U1&gt; &amp; @" WJ "here" },
	/* 15 */ { "@", "@" },
	/* 16 */ { "", "" },
};

static void
test_rows(void **state)
{
	struct buf	 b = { NULL, 0, 0 };
	char		*got, *want, *p;
	size_t		 i;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		mrkdwn_escape(&b, rows[i].in, strlen(rows[i].in));
		if (strcmp(buf_str(&b), rows[i].want) != 0)
			fail_msg("row %zu: '%s' gave '%s', want '%s'", i + 1,
			    rows[i].in, buf_str(&b), rows[i].want);
		assert_defused(rows[i].in, buf_str(&b));
		buf_reset(&b);

		got = mrkdwn_escape_new(rows[i].in);
		want = xstrdup(rows[i].want);
		for (p = want; *p != '\0'; p++) {
			if (*p == '`')
				*p = '\'';
		}
		if (strcmp(got, want) != 0)
			fail_msg("row %zu (_new): '%s' gave '%s', want '%s'",
			    i + 1, rows[i].in, got, want);
		assert_defused(rows[i].in, got);
		free(want);
		free(got);
	}
}

/* Only len bytes count: what the length cuts off cannot continue a name. */
static void
test_len(void **state)
{
	struct buf	 b = { NULL, 0, 0 };

	mrkdwn_escape(&b, "@herefore", 5);
	assert_string_equal(buf_str(&b), "@" WJ "here");
	buf_reset(&b);
	mrkdwn_escape(&b, "@he", 2);
	assert_string_equal(buf_str(&b), "@h");
	buf_reset(&b);
	mrkdwn_escape(&b, "@here\0x", 7);
	assert_int_equal(b.len, 10);
	assert_memory_equal(b.s, "@" WJ "here\0x", 10);
	buf_reset(&b);
}

static void
test_url(void **state)
{
	static const char	*mentions[] = { "!channel", "!here",
				    "!subteam^S1", "@U1", "#C1" };
	struct buf		 b = { NULL, 0, 0 };
	size_t			 i;

	for (i = 0; i < sizeof mentions / sizeof mentions[0]; i++) {
		buf_adds(&b, "x");
		assert_int_equal(mrkdwn_escape_url(&b, mentions[i]), -1);
		assert_string_equal(buf_str(&b), "x");
		buf_reset(&b);
	}
	assert_int_equal(mrkdwn_escape_url(&b,
	    "https://x.example/a b|c<d>&e@here"), 0);
	assert_string_equal(buf_str(&b),
	    "https://x.example/a%20b%7Cc%3Cd%3E&amp;e@here");
	buf_reset(&b);
}

/*
 * Runbook Markdown, through every kind of node; a link whose target is a
 * mention is its text alone.
 */
static const struct {
	const char	*md;
	const char	*want;	/* the blocks joined by a blank line */
} render_rows[] = {
	/* 1 */ { "[@here](https://x.example/)",
		  "<https://x.example/|@" WJ "here>" },
	/* 2 */ { "# @channel <!here>", "*@" WJ "channel &lt;!here&gt;*" },
	/* 3 */ { "**@here** _@everyone_ `<!channel>`",
		  "*@" WJ "here* _@" WJ "everyone_ `&lt;!channel&gt;`" },
	/* 4 */ { "```\n@here <!channel> `date`\n```",
		  "```\n@" WJ "here &lt;!channel&gt; `date`\n```" },
	/* 5 */ { "| @channel | <@U1> |\n|---|---|\n| a | b |",
		  "```\n@" WJ "channel | &lt;@U1&gt;\n---------+------\n"
		  "a        | b\n```" },
	/* 6 */ { "> <!everyone> @group", "> &lt;!everyone&gt; @" WJ "group" },
	/* 7 */ { "[all](!channel) and [team](!subteam^S1)", "all and team" },
	/* 8 */ { "[me](@U1), [x](<!here>), ![y](!everyone)", "me, x, y" },
};

static void
test_render(void **state)
{
	struct strv	 blocks = { NULL, 0, 0 };
	struct buf	 b = { NULL, 0, 0 };
	size_t		 i, j;

	for (i = 0; i < sizeof render_rows / sizeof render_rows[0]; i++) {
		mrkdwn_render_string(render_rows[i].md,
		    strlen(render_rows[i].md), &blocks);
		for (j = 0; j < blocks.n; j++) {
			if (j > 0)
				buf_adds(&b, "\n\n");
			buf_adds(&b, blocks.v[j]);
		}
		if (strcmp(buf_str(&b), render_rows[i].want) != 0)
			fail_msg("row %zu: '%s'\ngave:\n%s\nwant:\n%s", i + 1,
			    render_rows[i].md, buf_str(&b),
			    render_rows[i].want);
		assert_defused(render_rows[i].md, buf_str(&b));
		buf_reset(&b);
		strv_reset(&blocks);
	}
}

/* A runbook that tries to page everyone, from its title down. */
static const char storm_md[] =
    "---\ntitle: \"Ops @everyone <!here>\"\ntags: [sop]\n---\n"
    "# Ops @everyone <!here>\n\n"
    "## PagerStorm @here <!channel>\n\n"
    "Tell @channel and <!here>, <!subteam^S1|oncall>, <@U1> in <#C1>.\n"
    "@everyone, @here_ and [all](!channel).\n\n"
    "```\necho `date` @here <!channel>\n```\n\n"
    "### Retired @channel [Deprecated]\n\nOld <!everyone> steps.\n";

/* Runs `!sop <words>` on set; returns the reply's blocks joined (new). */
static char *
sop(struct runbook_set *set, const char *words, int *is_error)
{
	struct bot		 bot;
	struct cmd_ctx		 ctx;
	struct reply		 reply = { { NULL, 0, 0 }, 0 };
	struct strv		 argv = { NULL, 0, 0 };
	struct buf		 b = { NULL, 0, 0 };
	size_t			 i;

	memset(&bot, 0, sizeof bot);
	bot.runbooks = set;
	strv_add(&argv, "sop");
	strv_add(&argv, words);
	memset(&ctx, 0, sizeof ctx);
	ctx.bot = &bot;
	ctx.entry = cmd_find("sop");
	assert_non_null(ctx.entry);
	ctx.argc = (int)argv.n;
	ctx.argv = argv.v;
	ctx.reply = &reply;
	ctx.prefix = "!";
	ctx.entry->exec(&ctx);
	for (i = 0; i < reply.blocks.n; i++) {
		buf_adds(&b, reply.blocks.v[i]);
		buf_addc(&b, '\n');
	}
	*is_error = reply.is_error;
	reply_reset(&reply);
	strv_reset(&argv);
	return (buf_release(&b));
}

static void
test_sop_defused(void **state)
{
	struct runbook_set	*set;
	char			*out;
	int			 is_error;

	set = runbook_set_load_string("storm.md", storm_md,
	    sizeof storm_md - 1, NULL);
	assert_non_null(set);

	/* The section named by its heading, hostile words and all. */
	out = sop(set, "PagerStorm @here <!channel>", &is_error);
	assert_false(is_error);
	assert_defused("!sop PagerStorm", out);
	assert_non_null(strstr(out, "_Ops @" WJ "everyone &lt;!here&gt;_"));
	assert_non_null(strstr(out,
	    "*PagerStorm @" WJ "here &lt;!channel&gt;*"));
	assert_non_null(strstr(out, "Tell @" WJ "channel and &lt;!here&gt;, "
	    "&lt;!subteam^S1|oncall&gt;, &lt;@U1&gt; in &lt;#C1&gt;."));
	assert_non_null(strstr(out, "@" WJ "everyone, @" WJ "here_ and all."));
	/* Runbook code keeps its backticks: it must copy as written. */
	assert_non_null(strstr(out, "echo `date` @" WJ "here"));
	assert_non_null(strstr(out, "Old &lt;!everyone&gt; steps."));
	free(out);

	/* A labelled section: the label line names its heading. */
	out = sop(set, "retiredchannel", &is_error);
	assert_false(is_error);
	assert_defused("!sop retiredchannel", out);
	assert_non_null(strstr(out, ":warning: *Deprecated*"));
	assert_non_null(strstr(out, "*Retired @" WJ "channel*"));
	free(out);

	/* What the user typed comes back defused, in its code span. */
	out = sop(set, "@here <!channel> `x`", &is_error);
	assert_true(is_error);
	assert_defused("!sop nothing", out);
	assert_non_null(strstr(out, "`@" WJ "here &lt;!channel&gt; 'x'`"));
	free(out);

	runbook_set_free(set);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_live_mention),
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_len),
		cmocka_unit_test(test_url),
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_sop_defused),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
