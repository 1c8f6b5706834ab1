/*
 * test_alert_repo.c: issue 7 on tests/data/alert-repo, a repository laid
 * out like public alert runbooks. Alerts are found by the names
 * Alertmanager gives them (file stems, front matter aliases), deprecated
 * labels are kept out of the name but shown, no title is said twice,
 * printed paths lead to one section, a shared name lists its sections,
 * search groups hits by runbook and finds identifiers by their words.
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

#define ALERT_REPO	OPSBOT_SOURCE_DIR "/tests/data/alert-repo"

struct fixture {
	struct bot	 bot;
	struct reply	 reply;
	char		*joined;
};

static void
fixture_index(struct fixture *f)
{
	char	*cause = NULL;

	f->bot.store = store_open(":memory:", &cause);
	assert_non_null(f->bot.store);
	assert_int_equal(runbook_index_build(f->bot.runbooks, f->bot.store), 0);
}

static int
setup(void **state)
{
	struct fixture	*f;
	const char	*dirs[] = { ALERT_REPO };
	struct rb_diags	 diags = { NULL, 0 };

	f = xcalloc(1, sizeof *f);
	f->bot.cfg = config_new();
	f->bot.runbooks = runbook_set_load(dirs, 1, &diags);
	assert_non_null(f->bot.runbooks);
	assert_int_equal(diags.n, 0);
	rb_diags_reset(&diags);
	assert_int_equal(f->bot.runbooks->nrunbooks, 11);
	fixture_index(f);
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

/* Runs a command line as a channel message; returns its blocks joined. */
static const char *
ask(struct fixture *f, const char *text)
{
	struct msg	 m;
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
	for (i = 0; i < f->reply.blocks.n; i++) {
		buf_adds(&b, f->reply.blocks.v[i]);
		buf_addc(&b, '\n');
	}
	free(f->joined);
	f->joined = buf_release(&b);
	return (f->joined);
}

#define assert_contains(hay, needle) do {				\
	if (strstr((hay), (needle)) == NULL)				\
		fail_msg("'%s' not in:\n%s", (needle), (hay));		\
} while (0)
#define assert_lacks(hay, needle) do {					\
	if (strstr((hay), (needle)) != NULL)				\
		fail_msg("'%s' in:\n%s", (needle), (hay));		\
} while (0)

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

/* The section of the runbook titled title with this heading. */
static size_t
section(const struct runbook_set *set, const char *title,
    const char *heading, int nth)
{
	size_t	 i;

	for (i = 0; i < set->nsections; i++) {
		if (strcmp(set->runbooks[set->sections[i].runbook].title,
		    title) == 0 && strcmp(set->sections[i].heading,
		    heading) == 0 && nth-- <= 1)
			return (i);
	}
	fail_msg("no section %s in %s", heading, title);
	return (0);
}

/* The file's name is an alias of its top section. */
static void
test_stem_alias(void **state)
{
	struct fixture	*f = *state;
	const char	*out;

	out = ask(f, "!sop NorthboundStaleAlert");
	assert_false(f->reply.is_error);
	assert_string_equal(f->reply.blocks.v[0], "*NorthboundStale*");
	assert_contains(out, "OVN northbound database");
	assert_contains(out, "*Mitigation*");

	out = ask(f, "!sop MachineConfigDaemonRebootError");
	assert_false(f->reply.is_error);
	assert_string_equal(f->reply.blocks.v[0], "*MCDRebootError*");
	/* The heading's own name still works. */
	out = ask(f, "!sop MCDRebootError");
	assert_false(f->reply.is_error);
	assert_contains(out, "machine config daemon tried to reboot");
}

/* aliases:, alert: and alertname: in front matter. */
static void
test_front_matter_aliases(void **state)
{
	struct fixture		*f = *state;
	const struct runbook	*rb;
	const char		*out;
	size_t			 i;

	out = ask(f, "!sop NodeNotReady");
	assert_false(f->reply.is_error);
	assert_contains(out, "*KubeNodeNotReady*");
	out = ask(f, "!sop KubeNodeUnreachable");
	assert_false(f->reply.is_error);
	assert_contains(out, "*KubeNodeNotReady*");
	out = ask(f, "!sop CPUThrottlingHigh");
	assert_false(f->reply.is_error);
	assert_contains(out, "*Processes throttled on CPU*");
	out = ask(f, "!sop TargetDown");
	assert_false(f->reply.is_error);
	assert_contains(out, "*A scrape target is down*");

	for (i = 0; i < f->bot.runbooks->nrunbooks; i++) {
		rb = &f->bot.runbooks->runbooks[i];
		if (strcmp(rb->title, "Kube Node Not Ready") != 0)
			continue;
		assert_int_equal(rb->aliases.n, 3);
		assert_string_equal(rb->aliases.v[0], "NodeNotReady");
		assert_string_equal(rb->aliases.v[1], "KubeNodeUnreachable");
		assert_string_equal(rb->aliases.v[2], "kubenodenotready");
		return;
	}
	fail_msg("no Kube Node Not Ready runbook");
}

static void
test_label_cut(void **state)
{
	static const struct {
		const char	*in, *name, *label;
	} cases[] = {
		{ "VirtControllerRESTErrorsHigh [Deprecated]",
		    "VirtControllerRESTErrorsHigh", "Deprecated" },
		{ "KubeVirtX (deprecated)", "KubeVirtX", "deprecated" },
		{ "[DEPRECATED] Old alert", "Old alert", "DEPRECATED" },
		{ "Old ( Obsolete )", "Old", "Obsolete" },
		{ "Step (optional)", "Step (optional)", NULL },
		{ "Pods [not starting]", "Pods [not starting]", NULL },
		{ "[Deprecated]", "[Deprecated]", NULL },
		{ "", "", NULL },
	};
	char	*h, *label;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		h = xstrdup(cases[i].in);
		label = heading_label_cut(h);
		assert_string_equal(h, cases[i].name);
		if (cases[i].label == NULL)
			assert_null(label);
		else
			assert_string_equal(label, cases[i].label);
		free(label);
		free(h);
	}
}

/* Found without its label, which the reply shows on a line of its own. */
static void
test_deprecated(void **state)
{
	struct fixture	*f = *state;
	const char	*out;

	out = ask(f, "!sop VirtControllerRESTErrorsHigh");
	assert_false(f->reply.is_error);
	assert_string_equal(f->reply.blocks.v[0], ":warning: *Deprecated*");
	assert_string_equal(f->reply.blocks.v[1],
	    "*VirtControllerRESTErrorsHigh*");
	assert_int_equal(count(out, "Deprecated"), 1);

	out = ask(f, "!sop KubeVirtComponentExceedsRequestedMemory");
	assert_false(f->reply.is_error);
	assert_string_equal(f->reply.blocks.v[0], ":warning: *Deprecated*");

	/* A part of a deprecated runbook says so too. */
	out = ask(f, "!sop virtcontrollerresterrorshigh/mitigation");
	assert_false(f->reply.is_error);
	assert_contains(out, ":warning: *Deprecated* "
	    "(VirtControllerRESTErrorsHigh)");
	assert_contains(out, "Restart virt-controller");
}

/* The title line and the heading do not both say the same thing. */
static void
test_no_duplicate_title(void **state)
{
	struct fixture	*f = *state;
	const char	*out;

	out = ask(f, "!sop MCDRebootError");
	assert_int_equal(count(out, "MCDRebootError"), 1);
	/* Front matter title and H1 are the same words. */
	out = ask(f, "!sop KubePodCrashLooping");
	assert_int_equal(count(out, "KubePodCrashLooping"), 1);
	assert_lacks(out, "Kube Pod Crash Looping");
	/* A part: where it is, then its heading, each once. */
	out = ask(f, "!sop mcdrebooterror/meaning");
	assert_string_equal(f->reply.blocks.v[0], "_MCDRebootError_");
	assert_string_equal(f->reply.blocks.v[1], "*Meaning*");
	assert_int_equal(count(out, "MCDRebootError"), 1);
	assert_int_equal(count(out, "Meaning"), 1);
}

/* A section of many parts lists the first CMD_PARTS_MAX of them. */
static void
test_parts_capped(void **state)
{
	struct fixture	*f = *state;
	struct buf	 md = { NULL, 0, 0 };
	const char	*out;
	size_t		 i;

	buf_adds(&md, "# Manual\n\n");
	for (i = 0; i < 150; i++)
		buf_printf(&md, "## Chapter %zu\n\nSome procedure text that "
		    "fills the chapter up to a couple of hundred bytes, "
		    "so that the whole manual is too long for one answer "
		    "and is offered in parts.\n\n", i);
	runbook_set_free(f->bot.runbooks);
	f->bot.runbooks = runbook_set_load_string("manual.md", buf_str(&md),
	    md.len, NULL);
	buf_reset(&md);
	out = ask(f, "!runbook manual");
	assert_contains(out, "*Manual* is too long for one answer");
	assert_contains(out, "\xe2\x80\xa2 Chapter 99 \xe2\x80\x94 "
	    "`!runbook chapter99`");
	assert_lacks(out, "Chapter 100 ");
	assert_contains(out, "…and 50 more.");
	assert_int_equal(count(out, "`!runbook chapter"), 100);
}

/* The paths the bot prints, and what they name. */
static void
test_refs(void **state)
{
	struct fixture			*f = *state;
	const struct runbook_set	*set = f->bot.runbooks;
	static const struct {
		const char	*title, *heading;
		int		 nth;
		const char	*ref;
	} cases[] = {
		{ "NorthboundStale", "Meaning", 1, "northboundstale/meaning" },
		{ "NorthboundStale", "NorthboundStale", 1, "northboundstale" },
		{ "Kube Pod Crash Looping", "Meaning", 1,
		    "kubepodcrashlooping/meaning" },
		{ "CPU throttling", "Meaning", 1,
		    "processesthrottledoncpu/meaning" },
		{ "Route53HealthCheckFailing", "Impact", 0, NULL },
		{ "ClusterOperatorDegraded", "Diagnosis", 1,
		    "clusteroperatordegraded/diagnosis#1" },
		{ "ClusterOperatorDegraded", "Diagnosis", 2,
		    "mitigation/diagnosis" },
		{ "ClusterOperatorDegraded", "Diagnosis", 3,
		    "clusteroperatordegraded/diagnosis#2" },
		{ "ClusterOperatorDegraded", "Check the logs", 1,
		    "diagnosis/checkthelogs" },
		{ "ClusterOperatorDegraded", "Check the logs", 2,
		    "mitigation/checkthelogs" },
		{ "VirtControllerRESTErrorsHigh", "Meaning", 1,
		    "virtcontrollerresterrorshigh/meaning" },
	};
	size_t	 i, id, *ids, n;
	char	*ref;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (cases[i].ref == NULL)
			continue;
		id = section(set, cases[i].title, cases[i].heading,
		    cases[i].nth);
		ref = runbook_ref_new(set, id);
		assert_non_null(ref);
		assert_string_equal(ref, cases[i].ref);
		n = runbook_resolve(set, ref, &ids);
		assert_int_equal(n, 1);
		assert_int_equal(ids[0], id);
		free(ids);
		free(ref);
	}

	/* Any key of the runbook starts a path; case and spaces do not matter. */
	id = section(set, "NorthboundStale", "Meaning", 1);
	n = runbook_resolve(set, "NorthboundStaleAlert/Meaning", &ids);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], id);
	free(ids);
	n = runbook_resolve(set, " northbound stale / meaning ", &ids);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], id);
	free(ids);
	/* Out of range, or a path that is not there. */
	assert_int_equal(runbook_resolve(set, "clusteroperatordegraded/"
	    "diagnosis#3", &ids), 0);
	assert_int_equal(runbook_resolve(set, "northboundstale/steps", &ids),
	    0);
	assert_int_equal(runbook_resolve(set, "mcdrebooterror/northboundstale/"
	    "meaning", &ids), 0);

	/* Names with '/' or "#N" in them are still names. */
	{
		struct runbook_set	*odd;
		static const char	 md[] = "# Odd\n\n## TCP/IP\n\nx\n\n"
		    "## Issue #12\n\ny\n";

		odd = runbook_set_load_string("odd.md", md, sizeof md - 1,
		    NULL);
		assert_int_equal(runbook_resolve(odd, "TCP/IP", &ids), 1);
		assert_string_equal(odd->sections[ids[0]].heading, "TCP/IP");
		free(ids);
		assert_int_equal(runbook_resolve(odd, "issue #12", &ids), 1);
		assert_string_equal(odd->sections[ids[0]].heading,
		    "Issue #12");
		free(ids);
		runbook_set_free(odd);
	}

	/* Both commands take paths. */
	ask(f, "!runbook kubepodcrashlooping/meaning");
	assert_false(f->reply.is_error);
	assert_string_equal(f->reply.blocks.v[0], "_Kube Pod Crash Looping_");
	assert_contains(f->joined, "CrashLoopBackOff");
	ask(f, "!sop clusteroperatordegraded/diagnosis#2");
	assert_false(f->reply.is_error);
	assert_contains(f->joined, "the network operator");
	assert_lacks(f->joined, "reason it gives");
}

/* A bare name shared by several sections lists them, each by its path. */
static void
test_ambiguous_candidates(void **state)
{
	struct fixture	*f = *state;
	const char	*out;

	out = ask(f, "!sop meaning");
	assert_false(f->reply.is_error);
	assert_int_equal(f->reply.blocks.n, 1);
	assert_contains(out, "`meaning` names 11 sections. Which one?");
	assert_contains(out, "\xe2\x80\xa2 NorthboundStale \xe2\x80\xba "
	    "Meaning \xe2\x80\x94 `!sop northboundstale/meaning`");
	assert_contains(out, "…and 1 more.");
	/* None shown in full: choosing would be arbitrary. */
	assert_lacks(out, "OVN northbound");

	out = ask(f, "!runbook check the logs");
	assert_contains(out, "`check the logs` names 2 sections.");
	assert_contains(out, "`!runbook diagnosis/checkthelogs`");
	assert_contains(out, "`!runbook mitigation/checkthelogs`");

	/* A typo's nearest names are paths too. */
	out = ask(f, "!sop meanin");
	assert_true(f->reply.is_error);
	assert_contains(out, "Nearest: `!sop etcddatabasequotalowspace/"
	    "meaning`, ");
	assert_lacks(out, "`!sop meaning`");
}

/* One line per runbook, however many of its sections match. */
static void
test_grouped_search(void **state)
{
	struct fixture	*f = *state;
	const char	*out;

	out = ask(f, "!runbook operator");
	assert_false(f->reply.is_error);
	assert_contains(out, "*Runbooks matching `operator`*");
	assert_int_equal(count(out, "*ClusterOperatorDegraded*"), 1);
	assert_int_equal(count(out, "*MCDRebootError*"), 1);
	assert_contains(out, "\n1. *ClusterOperatorDegraded* "
	    "`!runbook clusteroperatordegraded` \xe2\x80\x94 ");
	/* At most three sections of it. */
	assert_true(count(out, "`!runbook clusteroperatordegraded") <= 3);
	assert_true(count(out, "`!runbook ") <= 6 * 4);
}

/* The parts of camelCase and digit names are words of the index. */
static void
test_words_split(void **state)
{
	static const struct {
		const char	*in, *out;
	} cases[] = {
		{ "etcdDatabaseQuotaLowSpace", "etcd Database Quota Low Space " },
		{ "KubePodCrashLooping", "Kube Pod Crash Looping " },
		{ "VirtControllerRESTErrorsHigh",
		    "Virt Controller REST Errors High " },
		{ "Route53HealthCheckFailing", "Route 53 Health Check Failing " },
		{ "see MCDRebootError, now", "MCD Reboot Error " },
		{ "plain words only", "" },
		{ "UPPER lower 42", "" },
	};
	struct words	*w;
	struct buf	 b = { NULL, 0, 0 };
	size_t		 i;

	(void)state;
	w = words_new();
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		buf_truncate(&b, 0);
		words_split(w, cases[i].in, strlen(cases[i].in), &b);
		assert_string_equal(buf_str(&b), cases[i].out);
	}
	buf_reset(&b);
	words_free(w);
}

static void
test_camelcase_search(void **state)
{
	static const char md[] =
	    "# Alerts\n\n"
	    "## etcdDatabaseQuotaLowSpace\n\nThe store is nearly full.\n\n"
	    "## KubePodCrashLooping\n\nA container keeps restarting.\n\n"
	    "## Route53HealthCheckFailing\n\nThe balancer is unhealthy.\n";
	struct fixture	*f = *state;
	const char	*out;

	runbook_set_free(f->bot.runbooks);
	store_close(f->bot.store);
	f->bot.runbooks = runbook_set_load_string("alerts.md", md,
	    sizeof md - 1, NULL);
	fixture_index(f);

	out = ask(f, "!runbook etcd database quota");
	assert_false(f->reply.is_error);
	/* The runbook holds it (its top section), and the section first. */
	assert_contains(out, "1. *Alerts* `!runbook alerts` \xe2\x80\x94 "
	    "etcdDatabaseQuotaLowSpace `!runbook etcddatabasequotalowspace`");
	out = ask(f, "!runbook pod crash looping");
	assert_false(f->reply.is_error);
	assert_contains(out, "\xe2\x80\x94 KubePodCrashLooping `");
	out = ask(f, "!runbook route 53 health");
	assert_false(f->reply.is_error);
	assert_contains(out, "\xe2\x80\x94 Route53HealthCheckFailing `");
	/* The whole identifier is still a word. */
	out = ask(f, "!runbook kubepodcrashlooping restarting");
	assert_false(f->reply.is_error);
	assert_contains(out, "KubePodCrashLooping");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_stem_alias, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_front_matter_aliases,
		    setup, teardown),
		cmocka_unit_test(test_label_cut),
		cmocka_unit_test_setup_teardown(test_deprecated, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_no_duplicate_title, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_parts_capped, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_refs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ambiguous_candidates,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_grouped_search, setup,
		    teardown),
		cmocka_unit_test(test_words_split),
		cmocka_unit_test_setup_teardown(test_camelcase_search, setup,
		    teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
