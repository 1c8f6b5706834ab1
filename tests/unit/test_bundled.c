/*
 * test_bundled.c: the config and runbooks shipped in config/ work out of
 * the box: `!sop hivedown` and `!escalate akamai` answer from them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bot/bot.h"
#include "bot/config.h"
#include "bot/duty.h"
#include "bot/watch.h"
#include "bot/gate.h"
#include "store/store.h"

struct fixture {
	struct bot	 bot;
	struct reply	 reply;
	char		*joined;
};

static int
setup(void **state)
{
	struct fixture	*f;
	struct rb_diags	 diags = { NULL, 0 };
	char		*cause = NULL;
	size_t		 i;

	f = xcalloc(1, sizeof *f);
	f->bot.cfg = config_new();
	if (config_load(f->bot.cfg, OPSBOT_SOURCE_DIR "/config/opsbot.yaml",
	    &cause) != 0)
		fail_msg("bundled config: %s", cause);
	assert_int_equal(f->bot.cfg->runbook_dirs.n, 1);
	f->bot.runbooks = runbook_set_load(
	    (const char *const *)f->bot.cfg->runbook_dirs.v,
	    f->bot.cfg->runbook_dirs.n, &diags);
	assert_non_null(f->bot.runbooks);
	/* our own runbooks are clean: no errors and no repairs needed */
	for (i = 0; i < diags.n; i++) {
		char *line = rb_diag_format_new(&diags.v[i]);
		fail_msg("bundled runbook: %s", line);
	}
	rb_diags_reset(&diags);
	assert_int_equal(f->bot.runbooks->nrunbooks, 5);
	f->bot.store = store_open(":memory:", &cause);
	assert_non_null(f->bot.store);
	assert_int_equal(runbook_index_build(f->bot.runbooks, f->bot.store), 0);
	*state = f;
	return (0);
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	free(f->joined);
	reply_reset(&f->reply);
	runbook_set_free(f->bot.runbooks);
	store_close(f->bot.store);
	config_free(f->bot.cfg);
	free(f);
	return (0);
}

/* Runs a command line as a channel message; returns all reply text. */
static const char *
ask(struct fixture *f, const char *text)
{
	struct msg	 m;
	struct strv	 msgs = { NULL, 0, 0 };
	struct buf	 b = { NULL, 0, 0 };
	size_t		 i;

	reply_reset(&f->reply);
	memset(&m, 0, sizeof m);
	m.adapter = "test";
	m.channel = "C0001";
	m.user = "U0001";
	m.ts = "1700000100.000200";
	m.text = text;
	assert_int_equal(dispatch_message(&f->bot, &m, &f->reply),
	    DISPATCH_REPLIED);
	reply_pack(&f->reply, REPLY_MSG_LIMIT, &msgs);
	for (i = 0; i < msgs.n; i++) {
		buf_adds(&b, msgs.v[i]);
		buf_addc(&b, '\n');
	}
	strv_reset(&msgs);
	free(f->joined);
	f->joined = buf_release(&b);
	return (f->joined);
}

#define assert_contains(hay, needle) do {				\
	if (strstr((hay), (needle)) == NULL)				\
		fail_msg("'%s' not in:\n%s", (needle), (hay));		\
} while (0)

static void
test_sop_hivedown(void **state)
{
	struct fixture	*f = *state;
	const char	*out;

	out = ask(f, "!sop hivedown");
	assert_false(f->reply.is_error);
	assert_contains(out, "*Impact*");
	assert_contains(out, "*Summary*");
	assert_contains(out, "*Access required*");
	assert_contains(out, "*Severity*");
	assert_contains(out, "Critical");
	assert_contains(out, "*Steps*");
	assert_contains(out, "telemeter-production");
	out = ask(f, "!sop controllererrorshigh");
	assert_false(f->reply.is_error);
	assert_contains(out, "Tollbooth");
}

static void
test_escalate(void **state)
{
	struct fixture	*f = *state;
	const char	*out;

	out = ask(f, "!escalate akamai");
	assert_false(f->reply.is_error);
	assert_contains(out, "1-877-4-AKATEC");
	assert_contains(out, "1-617-444-4699");
	assert_contains(out, "BLMX (2569)");
	out = ask(f, "!escalate redhat");
	assert_contains(out, "888-GO-REDHAT");
	assert_contains(out, "partnertechdesk@redhat.com");
	/* the linked boilerplate section comes along */
	assert_contains(out, "api.openshift.com");
	out = ask(f, "!escalate lets encrypt");
	assert_false(f->reply.is_error);
	assert_contains(out, "letsencrypt.org");
}

static void
test_checklists_and_search(void **state)
{
	struct fixture	*f = *state;
	const char	*out;

	out = ask(f, "!runbook pods-not-starting");
	assert_false(f->reply.is_error);
	assert_contains(out, "\xe2\x98\x90 ");	/* ☐ */
	out = ask(f, "!runbook sealed vault");
	assert_false(f->reply.is_error);
	assert_contains(out, "Vault on-call");
	/* no runbook may ping a whole channel */
	assert_null(strstr(out, "@here"));
	assert_null(strstr(out, "<!here>"));
}

/* The vault rotation's duty and the watch that pages it (001_*). */
static void
test_duty_and_watch_page(void **state)
{
	struct fixture		*f = *state;
	const struct duty	*d;
	size_t			 i;
	int			 paged = 0;

	assert_non_null(d = duty_find(f->bot.cfg, "vault", "general"));
	assert_string_equal(d->what, "Check #operator-vault-general for "
	    "questions nobody answered");
	assert_int_equal(d->ntimes[1], 3);	/* Monday */
	assert_int_equal(d->ntimes[6], 2);	/* Saturday */
	assert_int_equal(d->missed_after_ms, DUTY_MISSED_AFTER_MS);
	for (i = 0; i < f->bot.cfg->watches->nrules; i++) {
		if (strcmp(f->bot.cfg->watches->rules[i].name,
		    "vault-sealed") == 0 &&
		    f->bot.cfg->watches->rules[i].page != NULL &&
		    strcmp(f->bot.cfg->watches->rules[i].page, "vault") == 0)
			paged = 1;
	}
	assert_true(paged);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sop_hivedown, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_escalate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_checklists_and_search,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_duty_and_watch_page,
		    setup, teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
