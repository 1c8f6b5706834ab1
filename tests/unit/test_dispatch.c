/*
 * test_dispatch.c: which messages are commands, what users are told when
 * they get it wrong, and that every run is audited.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bot/bot.h"
#include "bot/gate.h"
#include "store/store.h"

static const char runbook_md[] =
    "---\ntitle: Test SOP\ntags: [sop]\n---\n"
    "# Test SOP\n\n"
    "## HiveDown\n\n### Impact\n\nClusters cannot push metrics.\n\n"
    "### Steps\n\n- Check the logs.\n\n"
    "## ControllerErrorsHigh\n\nTollbooth errors.\n";

struct fixture {
	struct bot	 bot;
	struct reply	 reply;
};

static int
setup(void **state)
{
	struct fixture	*f;
	char		*cause = NULL;

	f = xcalloc(1, sizeof *f);
	f->bot.cfg = config_new();
	f->bot.store = store_open(":memory:", &cause);
	assert_non_null(f->bot.store);
	f->bot.runbooks = runbook_set_load_string("test.md", runbook_md,
	    sizeof runbook_md - 1, NULL);
	assert_non_null(f->bot.runbooks);
	assert_int_equal(runbook_index_build(f->bot.runbooks, f->bot.store), 0);
	*state = f;
	return (0);
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	reply_reset(&f->reply);
	runbook_set_free(f->bot.runbooks);
	store_close(f->bot.store);
	config_free(f->bot.cfg);
	free(f);
	return (0);
}

static enum dispatch_result
run(struct fixture *f, const char *text, const char *command, int addressed)
{
	struct msg	 m;

	reply_reset(&f->reply);
	memset(&m, 0, sizeof m);
	m.adapter = "test";
	m.channel = "C0001";
	m.user = "U0001";
	m.ts = "1700000100.000200";
	m.text = text;
	m.command = command;
	m.addressed = addressed;
	m.bot_user_id = "U0BOT";
	return (dispatch_message(&f->bot, &m, &f->reply));
}

static const char *
all(struct fixture *f)
{
	static char	*joined;
	struct buf	 b = { NULL, 0, 0 };
	size_t		 i;

	free(joined);
	for (i = 0; i < f->reply.blocks.n; i++) {
		buf_adds(&b, f->reply.blocks.v[i]);
		buf_addc(&b, '\n');
	}
	joined = buf_release(&b);
	return (joined);
}

static void
test_chatter_ignored(void **state)
{
	struct fixture	*f = *state;

	assert_int_equal(run(f, "deploy status api-gateway", NULL, 0),
	    DISPATCH_IGNORED);
	assert_int_equal(run(f, "!! that was close", NULL, 0), DISPATCH_IGNORED);
	assert_int_equal(run(f, "! sop hivedown", NULL, 0), DISPATCH_IGNORED);
	assert_int_equal(run(f, "hey <@U0002> !sop", NULL, 0), DISPATCH_IGNORED);
	assert_int_equal(store_audit_count(f->bot.store), 0);
}

static void
test_prefix_mention_slash(void **state)
{
	struct fixture	*f = *state;

	assert_int_equal(run(f, "!sop hivedown", NULL, 0), DISPATCH_REPLIED);
	assert_non_null(strstr(all(f), "Clusters cannot push metrics"));
	assert_false(f->reply.is_error);

	assert_int_equal(run(f, "<@U0BOT> sop HiveDown", NULL, 0),
	    DISPATCH_REPLIED);
	assert_non_null(strstr(all(f), "Clusters cannot push metrics"));

	assert_int_equal(run(f, "<@U0BOT>: !sop hivedown", NULL, 0),
	    DISPATCH_REPLIED);
	assert_non_null(strstr(all(f), "Clusters cannot push metrics"));

	/* a DM needs no prefix */
	assert_int_equal(run(f, "sop hivedown", NULL, 1), DISPATCH_REPLIED);
	assert_non_null(strstr(all(f), "Clusters cannot push metrics"));

	assert_int_equal(run(f, "hivedown", "/sop", 0), DISPATCH_REPLIED);
	assert_non_null(strstr(all(f), "Clusters cannot push metrics"));

	assert_int_equal(run(f, "sop hivedown", "/opsbot", 0), DISPATCH_REPLIED);
	assert_non_null(strstr(all(f), "Clusters cannot push metrics"));
	assert_int_equal(store_audit_count(f->bot.store), 6);
}

static void
test_unknown_and_usage(void **state)
{
	struct fixture	*f = *state;

	assert_int_equal(run(f, "!frobnicate now", NULL, 0), DISPATCH_REPLIED);
	assert_true(f->reply.is_error);
	assert_non_null(strstr(all(f), "Unknown command `frobnicate`"));
	assert_non_null(strstr(all(f), "`!help`"));

	assert_int_equal(run(f, "!sop", NULL, 0), DISPATCH_REPLIED);
	assert_true(f->reply.is_error);
	assert_non_null(strstr(all(f), "Usage: `!sop <alert>`"));

	assert_int_equal(run(f, "", "/sop", 0), DISPATCH_REPLIED);
	assert_non_null(strstr(all(f), "Usage: `/sop <alert>`"));

	assert_int_equal(run(f, "!sop \"hive", NULL, 0), DISPATCH_REPLIED);
	assert_non_null(strstr(all(f), "unbalanced"));

	/* user text is escaped: no mention can be smuggled into a reply */
	assert_int_equal(run(f, "!<!channel>", NULL, 0), DISPATCH_IGNORED);
	assert_int_equal(run(f, "!x&lt;!channel&gt;", NULL, 0),
	    DISPATCH_REPLIED);
	assert_null(strstr(all(f), "<!channel>"));
	assert_int_equal(store_audit_count(f->bot.store), 5);
}

static void
test_not_found_suggests(void **state)
{
	struct fixture	*f = *state;

	assert_int_equal(run(f, "!sop hivedwn", NULL, 0), DISPATCH_REPLIED);
	assert_true(f->reply.is_error);
	assert_non_null(strstr(all(f), "No SOP matches `hivedwn`"));
	assert_non_null(strstr(all(f), "`!sop hivedown`"));
}

static void
test_help_from_table(void **state)
{
	struct fixture	*f = *state;

	assert_int_equal(run(f, "!help", NULL, 0), DISPATCH_REPLIED);
	assert_non_null(strstr(all(f), "`!sop <alert>`"));
	assert_non_null(strstr(all(f), "`!escalate <vendor>`"));
	assert_non_null(strstr(all(f), "`!runbook <words or section>`"));
	assert_int_equal(run(f, "!help escalate", NULL, 0), DISPATCH_REPLIED);
	assert_non_null(strstr(all(f), "`!escalate <vendor>`"));
	assert_null(strstr(all(f), "`!sop"));
}

static void
test_runbook_search(void **state)
{
	struct fixture	*f = *state;

	assert_int_equal(run(f, "!runbook tollbooth errors", NULL, 0),
	    DISPATCH_REPLIED);
	assert_false(f->reply.is_error);
	assert_non_null(strstr(all(f), "ControllerErrorsHigh"));
	assert_non_null(strstr(all(f), "Test SOP"));
	assert_int_equal(run(f, "!runbook controller-errors-high", NULL, 0),
	    DISPATCH_REPLIED);
	assert_non_null(strstr(all(f), "Tollbooth errors."));
}

/*
 * A token pasted into a command is neither stored in the audit trail
 * nor echoed back, whatever path the line takes.
 */
static void
test_tokens_redacted(void **state)
{
	struct fixture	*f = *state;
	static const char *const lines[] = {
		"!runbook xoxb-123-456-abc",
		"!sop xoxp-1-2-secret",
		"!xapp-1-A0-secret now",
		"!runbook \"xoxb-77-unbalanced",
		"!runbook https://deploy:hunter2pw@git.example/x",
	};
	size_t		 i;
	char		*args;

	for (i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		assert_int_equal(run(f, lines[i], NULL, 0), DISPATCH_REPLIED);
		if (strstr(all(f), "123-456") != NULL ||
		    strstr(all(f), "secret") != NULL ||
		    strstr(all(f), "-77-") != NULL ||
		    strstr(all(f), "hunter2") != NULL)
			fail_msg("line %zu echoed: %s", i, all(f));
		args = store_audit_last_args_new(f->bot.store);
		assert_non_null(args);
		if (strstr(args, "123-456") != NULL ||
		    strstr(args, "secret") != NULL ||
		    strstr(args, "-77-") != NULL ||
		    strstr(args, "hunter2") != NULL)
			fail_msg("line %zu stored: %s", i, args);
		free(args);
	}
	assert_int_equal(run(f, "!runbook xoxb-123-456-abc", NULL, 0),
	    DISPATCH_REPLIED);
	args = store_audit_last_args_new(f->bot.store);
	assert_string_equal(args, "xoxb-***");
	free(args);
}

/* A section too long for a thread is offered in parts, never dumped. */
static void
test_huge_section_offered_in_parts(void **state)
{
	struct fixture	*f = *state;
	struct buf	 md = { NULL, 0, 0 };
	struct runbook_set *big;
	size_t		 i, j;

	buf_adds(&md, "# Big manual\n\n");
	for (i = 0; i < 40; i++) {
		buf_printf(&md, "## Chapter %zu\n\n", i);
		for (j = 0; j < 20; j++)
			buf_adds(&md, "A long paragraph of procedure text. ");
		buf_adds(&md, "\n\n");
	}
	big = runbook_set_load_string("big.md", buf_str(&md), md.len, NULL);
	assert_non_null(big);
	runbook_set_free(f->bot.runbooks);
	f->bot.runbooks = big;
	assert_int_equal(run(f, "!runbook big manual", NULL, 0),
	    DISPATCH_REPLIED);
	assert_false(f->reply.is_error);
	assert_int_equal(f->reply.blocks.n, 1);
	assert_non_null(strstr(all(f), "is too long for one answer"));
	assert_non_null(strstr(all(f), "• Chapter 0 — `!runbook chapter0`"));
	assert_non_null(strstr(all(f), "• Chapter 39 — `!runbook chapter39`"));
	/* a chapter on its own comes whole */
	assert_int_equal(run(f, "!runbook chapter 7", NULL, 0),
	    DISPATCH_REPLIED);
	assert_non_null(strstr(all(f), "A long paragraph of procedure text."));
	buf_reset(&md);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_chatter_ignored, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_prefix_mention_slash, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_unknown_and_usage, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_not_found_suggests, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_help_from_table, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_runbook_search, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_huge_section_offered_in_parts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tokens_redacted, setup,
		    teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
