/*
 * test_seeds.c: the five real runbooks in OPSBOT_SEEDS_DIR, read as they
 * are, and what on-call people see when they ask for their sections.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bot/bot.h"

#define SEED000	"000_dcaa39d86c36c8df.txt"
#define SEED001	"001_5f826d3462a797b7.txt"
#define SEED002	"002_4c217e9bee29e4fb.txt"
#define SEED003	"003_712e53d3fab084b4.txt"
#define SEED004	"004_e47fa480ed963588.txt"

#define WJ	"\xe2\x81\xa0"	/* U+2060 WORD JOINER */

struct seeds {
	struct runbook_set	*set;
	struct rb_diags		 diags;
};

static int
seeds_setup(void **state)
{
	struct seeds	*s;
	const char	*dirs[] = { OPSBOT_SEEDS_DIR };

	s = xcalloc(1, sizeof *s);
	s->set = runbook_set_load(dirs, 1, &s->diags);
	if (s->set == NULL) {
		rb_diags_reset(&s->diags);
		free(s);
		return (-1);
	}
	*state = s;
	return (0);
}

static int
seeds_teardown(void **state)
{
	struct seeds	*s = *state;

	runbook_set_free(s->set);
	rb_diags_reset(&s->diags);
	free(s);
	return (0);
}

static int
ends_with(const char *s, const char *end)
{
	size_t	 n, m;

	n = strlen(s);
	m = strlen(end);
	return (n >= m && strcmp(s + n - m, end) == 0);
}

/* The runbook loaded from the seed file called name. */
static size_t
runbook_of(const struct runbook_set *set, const char *name)
{
	size_t	 i;

	for (i = 0; i < set->nrunbooks; i++) {
		if (ends_with(set->runbooks[i].path, name))
			return (i);
	}
	fail_msg("seed %s not loaded", name);
	return (0);
}

/* The section of that seed with this heading. */
static const struct rb_section *
section_of(const struct runbook_set *set, const char *name,
    const char *heading)
{
	const struct runbook	*rb;
	size_t			 i;

	rb = &set->runbooks[runbook_of(set, name)];
	for (i = rb->first; i < rb->first + rb->count; i++) {
		if (strcmp(set->sections[i].heading, heading) == 0)
			return (&set->sections[i]);
	}
	fail_msg("seed %s has no section '%s'", name, heading);
	return (NULL);
}

/* The reply to a request for section id, all blocks joined (new). */
static char *
reply_text(const struct runbook_set *set, size_t id, struct reply *r)
{
	struct buf	 b;
	size_t		 i;

	memset(&b, 0, sizeof b);
	memset(r, 0, sizeof *r);
	runbook_section_reply(set, id, r);
	for (i = 0; i < r->blocks.n; i++) {
		buf_adds(&b, r->blocks.v[i]);
		buf_addc(&b, '\n');
	}
	return (buf_release(&b));
}

static int
has_block(const struct reply *r, const char *block)
{
	size_t	 i;

	for (i = 0; i < r->blocks.n; i++) {
		if (strcmp(r->blocks.v[i], block) == 0)
			return (1);
	}
	return (0);
}

/* The one section a user's query finds. */
static size_t
find_one(const struct runbook_set *set, const char *query, const char *prefer)
{
	size_t	*ids, n, id;

	n = runbook_find(set, query, prefer, &ids);
	if (n < 1)
		fail_msg("'%s' finds nothing", query);
	id = ids[0];
	free(ids);
	return (id);
}

#define assert_contains(hay, needle) do {				\
	if (strstr((hay), (needle)) == NULL)				\
		fail_msg("'%s' not in:\n%s", (needle), (hay));		\
} while (0)
#define assert_lacks(hay, needle) do {					\
	if (strstr((hay), (needle)) != NULL)				\
		fail_msg("'%s' unexpectedly in:\n%s", (needle), (hay));	\
} while (0)

static void
test_all_load(void **state)
{
	struct seeds	*s = *state;
	size_t		 i, warnings = 0;
	char		*f;

	for (i = 0; i < s->diags.n; i++) {
		if (s->diags.v[i].is_error) {
			f = rb_diag_format_new(&s->diags.v[i]);
			fail_msg("error loading seeds: %s", f);
		}
		warnings++;
	}
	/* The repairs: {: .label }, the glued ### and four scraped headings. */
	assert_int_equal(warnings, 6);
	assert_int_equal(s->set->nrunbooks, 5);
	for (i = 0; i < s->set->nrunbooks; i++) {
		assert_false(ends_with(s->set->runbooks[i].path, "README.md"));
		assert_true(s->set->runbooks[i].count > 0);
	}
	/* Sorted by path. */
	assert_true(ends_with(s->set->runbooks[0].path, SEED000));
	assert_true(ends_with(s->set->runbooks[4].path, SEED004));
}

static void
test_seed002_hivedown(void **state)
{
	struct seeds		*s = *state;
	const struct rb_section	*sec;
	struct reply		 r;
	char			*text;
	size_t			 i, found = 0;

	(void)section_of(s->set, SEED002, "ControllerErrorsHigh");
	(void)section_of(s->set, SEED002, "InstallJobHighDuration");
	sec = section_of(s->set, SEED002, "HiveDown");
	assert_int_equal(sec->level, 2);
	assert_int_equal(sec->line, 74);
	assert_string_equal(sec->slug, "hivedown");
	assert_int_equal(find_one(s->set, "hivedown", NULL), sec->id);
	assert_int_equal(find_one(s->set, "HiveDown", NULL), sec->id);

	text = reply_text(s->set, sec->id, &r);
	/* Where it is; the heading below says HiveDown (issue 7). */
	assert_string_equal(r.blocks.v[0], "_SOP : OpenShift Telemeter_");
	assert_string_equal(r.blocks.v[1], "*HiveDown*");
	assert_true(has_block(&r, "*HiveDown*"));
	assert_true(has_block(&r, "*Impact*"));
	assert_true(has_block(&r, "*Summary*"));
	assert_true(has_block(&r, "*Access required*"));
	assert_true(has_block(&r, "*Severity: Critical*"));
	assert_true(has_block(&r, "*Steps*"));
	assert_true(has_block(&r, "Clusters are not able to push metrics."));
	assert_contains(text, "Telemeter Server is down");
	assert_contains(text, "    \xe2\x80\xa2 telemeter-production\n");
	assert_contains(text, "Check Telemeter server logs.");
	assert_lacks(text, "###");
	assert_lacks(text, "ControllerErrorsHigh");
	free(text);
	reply_reset(&r);

	/* The repair was reported where the mess is. */
	for (i = 0; i < s->diags.n; i++) {
		if (ends_with(s->diags.v[i].file, SEED002)) {
			assert_int_equal(s->diags.v[i].line, 89);
			assert_int_equal(s->diags.v[i].column, 27);
			found++;
		}
	}
	assert_int_equal(found, 1);
}

static void
test_seed000_escalation(void **state)
{
	struct seeds		*s = *state;
	const struct rb_section	*redhat, *le, *akamai;
	const struct runbook	*rb;
	struct reply		 r;
	char			*text;
	size_t			 i, k;

	rb = &s->set->runbooks[runbook_of(s->set, SEED000)];
	assert_string_equal(rb->title, "Upstream Escalation");
	assert_string_equal(rb->service, "armada");
	assert_int_equal(rb->tags.n, 5);
	assert_string_equal(rb->tags.v[0], "escalation");

	redhat = section_of(s->set, SEED000, "RedHat");
	le = section_of(s->set, SEED000, "LetsEncrypt");
	akamai = section_of(s->set, SEED000, "Akamai");
	assert_string_equal(le->slug, "letsencrypt");
	assert_int_equal(find_one(s->set, "Lets Encrypt", NULL), le->id);
	assert_int_equal(find_one(s->set, "letsencrypt", NULL), le->id);
	assert_int_equal(find_one(s->set, "Let\xe2\x80\x99s Encrypt", NULL),
	    le->id);
	assert_int_equal(find_one(s->set, "redhat", "escalation"), redhat->id);
	assert_int_equal(find_one(s->set, "AKAMAI", "escalation"), akamai->id);

	text = reply_text(s->set, akamai->id, &r);
	assert_contains(text, "1-877-4-AKATEC");
	assert_contains(text, "1-617-444-4699");
	assert_contains(text, "BLMX (2569)");
	assert_contains(text, "<https://control.akamai.com|the portal>");
	free(text);
	reply_reset(&r);

	/* RedHat brings its boilerplate along through #redhat-boilerplate. */
	text = reply_text(s->set, redhat->id, &r);
	assert_contains(text, "888-GO-REDHAT");
	assert_contains(text, "*RedHat Boilerplate*");
	assert_contains(text, "We are experiencing issues with ....");
	assert_contains(text, "See RedHat Boilerplate");
	assert_lacks(text, "Jillian Karner");	/* LetsEncrypt's */
	free(text);
	reply_reset(&r);

	text = reply_text(s->set, le->id, &r);
	assert_contains(text, "Let\xe2\x80\x99s encrypt status can be found");
	free(text);
	reply_reset(&r);

	for (i = rb->first; i < rb->first + rb->count; i++) {
		for (k = 0; k < s->set->sections[i].blocks.n; k++)
			assert_lacks(s->set->sections[i].blocks.v[k], "{:");
	}
}

static void
test_seed003_checklists(void **state)
{
	struct seeds		*s = *state;
	const struct rb_section	*pods;
	struct reply		 r;
	char			*text;

	pods = section_of(s->set, SEED003, "Pods not starting");
	assert_int_equal(find_one(s->set, "pods-not-starting", NULL), pods->id);
	assert_int_equal(find_one(s->set, "Pods not starting", NULL), pods->id);

	text = reply_text(s->set, pods->id, &r);
	assert_string_equal(r.blocks.v[0], "_Otomi SRE \xe2\x80\xba "
	    "Advanced k8s support_");
	assert_string_equal(r.blocks.v[1], "*Pods not starting*");
	assert_contains(text, "\xe2\x98\x90 describe the pod, look closely");
	assert_contains(text, "\xe2\x98\x90 does the cluster have enough");
	assert_contains(text, "> *Advanced options for pods not starting*");
	assert_contains(text, "> \xe2\x98\x90 check affinity and node");
	assert_contains(text, "status _Pending_");
	assert_lacks(text, "[ ]");
	assert_lacks(text, "Pods not working");
	free(text);
	reply_reset(&r);

	/* The first-response template keeps its placeholders, escaped. */
	text = reply_text(s->set,
	    section_of(s->set, SEED003, "First response")->id, &r);
	assert_contains(text, "```\nHi &lt;name&gt;,\n");
	free(text);
	reply_reset(&r);
}

static void
test_seed001_vault(void **state)
{
	struct seeds		*s = *state;
	const struct rb_section	*pre, *paged;
	const struct runbook	*rb;
	struct reply		 r;
	char			*text;

	rb = &s->set->runbooks[runbook_of(s->set, SEED001)];
	pre = &s->set->sections[rb->first];
	assert_int_equal(pre->level, 0);
	assert_int_equal(pre->line, 1);
	text = reply_text(s->set, pre->id, &r);
	assert_contains(text, "CRITICAL: If an issue is noticed in production");
	assert_lacks(text, "If Paged");
	free(text);
	reply_reset(&r);

	paged = section_of(s->set, SEED001, "If Paged");
	text = reply_text(s->set, paged->id, &r);
	assert_contains(text, "acknowledge it within 15 minutes");
	assert_contains(text, "with an @" WJ "here to help");
	assert_lacks(text, "@here");
	free(text);
	reply_reset(&r);
}

static void
test_seed004_support(void **state)
{
	struct seeds		*s = *state;
	const struct rb_section	*prio, *tiers;
	struct reply		 r;
	char			*text;

	prio = section_of(s->set, SEED004, "Priorities");
	tiers = section_of(s->set, SEED004, "Support Tiers");
	(void)section_of(s->set, SEED004, "Support");
	(void)section_of(s->set, SEED004, "Our Promise");
	assert_int_equal(prio->level, 2);
	assert_int_equal(prio->line, 6);
	assert_int_equal(tiers->line, 22);

	text = reply_text(s->set, prio->id, &r);
	assert_contains(text, "assigned the default priority Medium");
	assert_lacks(text, "Priorities#");
	assert_lacks(text, "Support Tiers");
	free(text);
	reply_reset(&r);

	text = reply_text(s->set, tiers->id, &r);
	assert_contains(text, "```\nEssential ");
	assert_contains(text, "Ticket response times - Critical | 12h");
	assert_lacks(text, "Tiers#");
	free(text);
	reply_reset(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_load),
		cmocka_unit_test(test_seed002_hivedown),
		cmocka_unit_test(test_seed000_escalation),
		cmocka_unit_test(test_seed003_checklists),
		cmocka_unit_test(test_seed001_vault),
		cmocka_unit_test(test_seed004_support),
	};

	return (cmocka_run_group_tests(tests, seeds_setup, seeds_teardown));
}
