/* test_runbook.c: loading runbooks, cutting sections, diagnostics, lookups. */
#include <sys/stat.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "bot/bot.h"
#include "store/store.h"

static struct runbook_set *
load(const char *name, const char *md, struct rb_diags *diags)
{
	return (runbook_set_load_string(name, md, strlen(md), diags));
}

/* The section of set with this heading; fails the test if none. */
static const struct rb_section *
section(const struct runbook_set *set, const char *heading)
{
	size_t	 i;

	for (i = 0; i < set->nsections; i++) {
		if (strcmp(set->sections[i].heading, heading) == 0)
			return (&set->sections[i]);
	}
	fail_msg("no section '%s'", heading);
	return (NULL);
}

/* All of a section's blocks, joined by blank lines (new). */
static char *
joined(const struct strv *blocks)
{
	struct buf	 b;
	size_t		 i;

	memset(&b, 0, sizeof b);
	for (i = 0; i < blocks->n; i++) {
		if (i > 0)
			buf_adds(&b, "\n\n");
		buf_adds(&b, blocks->v[i]);
	}
	return (buf_release(&b));
}

static const char sections_md[] =
    "Intro text.\n"				/* 1 */
    "\n"
    "# Title One\n"				/* 3 */
    "\n"
    "Para.\n"
    "\n"
    "## A\n"					/* 7 */
    "\n"
    "a text [see B](#b), [see A1](#a1), [self](#a), [gone](#nowhere)\n"
    "\n"
    "### A1\n"					/* 11 */
    "\n"
    "nested\n"
    "\n"
    "## B:\n"					/* 15 */
    "\n"
    "b text\n"
    "\n"
    "> ## Quoted heading\n"
    "> not a section\n";

static void
test_sections(void **state)
{
	struct rb_diags			 diags = { NULL, 0 };
	struct runbook_set		*set;
	const struct rb_section		*pre, *t, *a, *a1, *b;
	char				*s;

	set = load("rb/sections.md", sections_md, &diags);
	assert_int_equal(diags.n, 0);
	assert_int_equal(set->nrunbooks, 1);
	assert_string_equal(set->runbooks[0].title, "Title One");
	assert_string_equal(set->runbooks[0].path, "rb/sections.md");
	assert_int_equal(set->runbooks[0].first, 0);
	assert_int_equal(set->runbooks[0].count, 5);
	assert_int_equal(set->nsections, 5);

	pre = &set->sections[0];
	assert_int_equal(pre->level, 0);
	assert_int_equal(pre->line, 1);
	assert_string_equal(pre->heading, "Title One");
	assert_int_equal(pre->parent, -1);
	s = joined(&pre->blocks);
	assert_string_equal(s, "*Title One*\n\nIntro text.");
	free(s);

	t = section(set, "Title One");
	t = &set->sections[1];
	assert_int_equal(t->level, 1);
	assert_int_equal(t->line, 3);
	a = section(set, "A");
	a1 = section(set, "A1");
	b = section(set, "B");	/* "B:" without its colon */
	assert_string_equal(b->slug, "b");
	assert_string_equal(b->anchor, "b");
	assert_int_equal(a->line, 7);
	assert_int_equal(a1->line, 11);
	assert_int_equal(b->line, 15);
	assert_int_equal(a->parent, (ssize_t)t->id);
	assert_int_equal(a1->parent, (ssize_t)a->id);
	assert_int_equal(b->parent, (ssize_t)t->id);
	assert_int_equal(a1->level, 3);

	/* A holds its sub-section; B holds the quote, heading and all. */
	s = joined(&a->blocks);
	assert_string_equal(s, "*A*\n\na text see B, see A1, self, gone\n\n"
	    "*A1*\n\nnested");
	free(s);
	s = joined(&b->blocks);
	assert_string_equal(s,
	    "*B*\n\nb text\n\n> *Quoted heading*\n>\n> not a section");
	free(s);
	assert_non_null(strstr(a->text, "nested"));
	assert_non_null(strstr(b->text, "not a section"));

	/* Links: B only; A1 is inside A, A is itself, #nowhere is nothing. */
	assert_int_equal(a->nlinks, 1);
	assert_int_equal(a->links[0], b->id);
	assert_int_equal(b->nlinks, 0);

	runbook_set_free(set);
	rb_diags_reset(&diags);
}

static void
test_title_fallback(void **state)
{
	struct runbook_set	*set;

	set = load("dir/my-runbook.md", "Just text, no headings.\n", NULL);
	assert_int_equal(set->nrunbooks, 1);
	assert_string_equal(set->runbooks[0].title, "my-runbook");
	assert_int_equal(set->nsections, 1);
	assert_string_equal(set->sections[0].heading, "my-runbook");
	assert_string_equal(set->sections[0].slug, "myrunbook");
	runbook_set_free(set);

	/* Only a comment before the first heading: no empty preamble. */
	set = load("x.md", "<!-- TOC -->\n\n## Only\n\ntext\n", NULL);
	assert_int_equal(set->nsections, 1);
	assert_string_equal(set->sections[0].heading, "Only");
	assert_string_equal(set->runbooks[0].title, "x");
	runbook_set_free(set);
}

static void
test_front_matter(void **state)
{
	static const char	 list[] =
	    "---\n"
	    "title: Upstream Escalation\n"
	    "service: armada\n"
	    "layout: default\n"
	    "tags:\n"
	    "  - escalation\n"
	    "  - redhat\n"
	    "---\n"
	    "# Not The Title\n";			/* 9 */
	static const char	 str[] =
	    "---\n"
	    "title: Vault\n"
	    "tags: escalation, redhat ,, akamai\n"
	    "---\n"
	    "text\n";
	struct rb_diags		 diags = { NULL, 0 };
	struct runbook_set	*set;
	const struct runbook	*rb;

	set = load("fm.md", list, &diags);
	assert_int_equal(diags.n, 0);
	rb = &set->runbooks[0];
	assert_string_equal(rb->title, "Upstream Escalation");
	assert_string_equal(rb->service, "armada");
	assert_int_equal(rb->tags.n, 2);
	assert_string_equal(rb->tags.v[0], "escalation");
	assert_string_equal(rb->tags.v[1], "redhat");
	assert_int_equal(set->nsections, 1);
	assert_int_equal(set->sections[0].line, 9);
	assert_string_equal(set->sections[0].heading, "Not The Title");
	runbook_set_free(set);

	set = load("fm.md", str, &diags);
	assert_int_equal(diags.n, 0);
	rb = &set->runbooks[0];
	assert_string_equal(rb->title, "Vault");
	assert_null(rb->service);
	assert_int_equal(rb->tags.n, 3);
	assert_string_equal(rb->tags.v[0], "escalation");
	assert_string_equal(rb->tags.v[1], "redhat");
	assert_string_equal(rb->tags.v[2], "akamai");
	assert_int_equal(set->sections[0].line, 5);
	runbook_set_free(set);
	rb_diags_reset(&diags);
}

static const struct {
	const char	*md;
	const char	*want;	/* the error, formatted */
} bad_rows[] = {
	/* 1 */ { "---\ntitle: x\ntags: [a, b\nservice: y\n---\n# H\n",
		  "broken.md:4:8: front matter: did not find expected ',' or "
		  "']' while parsing a flow sequence" },
	/* 2 */ { "---\ntitle: ok\n  bad: indent\n---\n# H\n",
		  "broken.md:3:6: front matter: mapping values are not "
		  "allowed in this context" },
	/* 3 */ { "---\n- a list\n---\n# H\n",
		  "broken.md:2:1: front matter: not a mapping of keys" },
};

static void
test_front_matter_broken(void **state)
{
	struct rb_diags		 diags;
	struct runbook_set	*set;
	char			*s;
	size_t			 i;

	for (i = 0; i < sizeof bad_rows / sizeof bad_rows[0]; i++) {
		memset(&diags, 0, sizeof diags);
		set = load("broken.md", bad_rows[i].md, &diags);
		/* The file is skipped, and says why where. */
		assert_int_equal(set->nrunbooks, 0);
		assert_int_equal(set->nsections, 0);
		assert_int_equal(diags.n, 1);
		assert_true(diags.v[0].is_error);
		s = rb_diag_format_new(&diags.v[0]);
		if (strcmp(s, bad_rows[i].want) != 0)
			fail_msg("row %zu: '%s', want '%s'", i + 1, s,
			    bad_rows[i].want);
		free(s);
		runbook_set_free(set);
		rb_diags_reset(&diags);
	}

	/* A "---" first line that is never closed is a rule, not YAML. */
	memset(&diags, 0, sizeof diags);
	set = load("rule.md", "---\n\n# Heading\n", &diags);
	assert_int_equal(diags.n, 0);
	assert_int_equal(set->nrunbooks, 1);
	assert_string_equal(set->runbooks[0].title, "Heading");
	runbook_set_free(set);
}

static const char fixup_md[] =
    "---\n"
    "title: F\n"
    "---\n"
    "Intro\n"					/* 4 */
    "{: .label }\n"				/* 5: removed */
    "\n"
    "- item glued### Severity: High\n"		/* 7: split */
    "\n"
    "Support Tiers#\n"				/* 9: ## Support Tiers */
    "Tiers text\n"
    "```\n"
    "not## touched\n"
    "Inside Fence#\n"
    "{: .kept }\n"
    "```\n"
    "C# is fine and page.html#anchor too, ab##tag stays\n"
    "\n"
    "## Last\n";				/* 18 */

static void
test_fixups(void **state)
{
	static const struct {
		int		 line;
		int		 column;
		const char	*start;
	} want[] = {
		{ 5, 1, "kramdown attribute list" },
		{ 7, 13, "heading '### Severity: High' glued" },
		{ 9, 14, "scraped heading 'Support Tiers#'" },
	};
	struct rb_diags		 diags = { NULL, 0 };
	struct runbook_set	*set;
	const struct rb_section	*s;
	char			*all;
	size_t			 i;

	set = load("fix.md", fixup_md, &diags);
	assert_int_equal(diags.n, 3);
	for (i = 0; i < diags.n; i++) {
		assert_false(diags.v[i].is_error);
		assert_string_equal(diags.v[i].file, "fix.md");
		assert_int_equal(diags.v[i].line, want[i].line);
		assert_int_equal(diags.v[i].column, want[i].column);
		if (strncmp(diags.v[i].message, want[i].start,
		    strlen(want[i].start)) != 0)
			fail_msg("diag %zu: '%s'", i, diags.v[i].message);
	}

	s = section(set, "Severity: High");
	assert_int_equal(s->line, 7);
	assert_int_equal(s->level, 3);
	s = section(set, "Support Tiers");
	assert_int_equal(s->line, 9);
	assert_int_equal(s->level, 2);
	all = joined(&s->blocks);
	assert_non_null(strstr(all, "```\nnot## touched\nInside Fence#\n"
	    "{: .kept }\n```"));
	assert_non_null(strstr(all, "C# is fine and page.html#anchor too, "
	    "ab##tag stays"));
	free(all);
	s = section(set, "Last");
	assert_int_equal(s->line, 18);
	all = joined(&set->sections[0].blocks);
	assert_string_equal(all, "*F*\n\nIntro\n\n\xe2\x80\xa2 item glued");
	free(all);

	runbook_set_free(set);
	rb_diags_reset(&diags);
}

static void
test_diag_format(void **state)
{
	struct rb_diag	 d = { "f.md", 3, 7, 1, "bad", RB_DIAG_LOAD };
	char		*s;

	s = rb_diag_format_new(&d);
	assert_string_equal(s, "f.md:3:7: bad");
	free(s);
	d.column = 0;
	s = rb_diag_format_new(&d);
	assert_string_equal(s, "f.md:3: bad");
	free(s);
	d.line = 0;
	s = rb_diag_format_new(&d);
	assert_string_equal(s, "f.md: bad");
	free(s);
}

/* A directory tree of runbooks, made fresh for each test. */
struct tree {
	char	dir[64];
};

static void
tree_write(const char *dir, const char *rel, const char *text)
{
	char	*path;
	FILE	*f;

	xasprintf(&path, "%s/%s", dir, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(path);
}

static int
tree_setup(void **state)
{
	struct tree	*t;
	char		*sub;

	t = xcalloc(1, sizeof *t);
	snprintf(t->dir, sizeof t->dir, "/tmp/opsbot-rb-XX" "XX" "XX");
	if (mkdtemp(t->dir) == NULL)
		return (-1);
	xasprintf(&sub, "%s/sub", t->dir);
	mkdir(sub, 0700);
	free(sub);
	tree_write(t->dir, "README.md", "# About these runbooks\n");
	tree_write(t->dir, "sub/README.md", "# Sub readme\n\n## RedHat\n");
	tree_write(t->dir, "sub/x.md", "# X\n\n## RedHat\n\nx says\n");
	tree_write(t->dir, "y.txt", "---\ntitle: Upstream\ntags: [escalation]\n"
	    "---\n# Y\n\n## Vendors\n\n### Red Hat\n\ny says\n\n"
	    "### Pods not starting\n\n### Pods not working\n");
	tree_write(t->dir, "z.json", "{\"not\": \"a runbook\"}\n");
	tree_write(t->dir, "w.markdown", "## Akamai\n\ncall 1-877-4-AKATEC\n");
	*state = t;
	return (0);
}

static int
tree_teardown(void **state)
{
	struct tree	*t = *state;
	const char	*files[] = { "README.md", "sub/README.md", "sub/x.md",
	    "y.txt", "z.json", "w.markdown" };
	char		*p;
	size_t		 i;

	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		xasprintf(&p, "%s/%s", t->dir, files[i]);
		unlink(p);
		free(p);
	}
	xasprintf(&p, "%s/sub", t->dir);
	rmdir(p);
	free(p);
	rmdir(t->dir);
	free(t);
	return (0);
}

static void
test_load_dir(void **state)
{
	struct tree		*t = *state;
	const char		*dirs[1];
	struct rb_diags		 diags = { NULL, 0 };
	struct runbook_set	*set;
	char			*p;

	dirs[0] = t->dir;
	set = runbook_set_load(dirs, 1, &diags);
	assert_non_null(set);
	assert_int_equal(diags.n, 0);
	/* Sorted by path; the top README.md and z.json are not runbooks. */
	assert_int_equal(set->nrunbooks, 4);
	xasprintf(&p, "%s/sub/README.md", t->dir);
	assert_string_equal(set->runbooks[0].path, p);
	free(p);
	assert_string_equal(set->runbooks[1].title, "X");
	assert_string_equal(set->runbooks[2].title, "w");
	assert_string_equal(set->runbooks[3].title, "Upstream");
	runbook_set_free(set);

	/* A dir that is not there: NULL, and an error that says so. */
	dirs[0] = "/nonexistent/opsbot-runbooks";
	set = runbook_set_load(dirs, 1, &diags);
	assert_null(set);
	assert_int_equal(diags.n, 1);
	assert_true(diags.v[0].is_error);
	p = rb_diag_format_new(&diags.v[0]);
	assert_string_equal(p, "/nonexistent/opsbot-runbooks: cannot open "
	    "directory: No such file or directory");
	free(p);
	rb_diags_reset(&diags);
}

static void
test_find(void **state)
{
	struct tree		*t = *state;
	const char		*dirs[1];
	struct runbook_set	*set;
	struct strv		 sugg;
	size_t			*ids, n;

	dirs[0] = t->dir;
	set = runbook_set_load(dirs, 1, NULL);
	assert_non_null(set);

	/* Shallower first: the two H2s, in load order, then the H3. */
	n = runbook_find(set, "redhat", NULL, &ids);
	assert_int_equal(n, 3);
	assert_string_equal(set->runbooks[set->sections[ids[0]].runbook].title,
	    "Sub readme");
	assert_string_equal(set->runbooks[set->sections[ids[1]].runbook].title,
	    "X");
	assert_string_equal(set->sections[ids[2]].heading, "Red Hat");
	free(ids);

	/* The escalation runbook (by tag) wins when preferred. */
	n = runbook_find(set, "Red Hat", "ESCALATION", &ids);
	assert_int_equal(n, 3);
	assert_string_equal(set->sections[ids[0]].heading, "Red Hat");
	free(ids);
	/* Title matches count too. */
	n = runbook_find(set, "red-hat", "upstream", &ids);
	assert_int_equal(n, 3);
	assert_string_equal(set->sections[ids[0]].heading, "Red Hat");
	free(ids);

	n = runbook_find(set, "pods-not-starting", NULL, &ids);
	assert_int_equal(n, 1);
	assert_string_equal(set->sections[ids[0]].heading, "Pods not starting");
	free(ids);

	n = runbook_find(set, "nothing like it", NULL, &ids);
	assert_int_equal(n, 0);
	assert_null(ids);
	n = runbook_find(set, "!!!", NULL, &ids);
	assert_int_equal(n, 0);

	memset(&sugg, 0, sizeof sugg);
	/* Three sections are "redhat": a suggestion names one of them. */
	runbook_suggest(set, "redhatt", 3, &sugg);
	assert_int_equal(sugg.n, 3);
	assert_string_equal(sugg.v[0], "subreadme/redhat");
	n = runbook_find(set, sugg.v[0], NULL, &ids);
	assert_int_equal(n, 1);
	free(ids);
	strv_reset(&sugg);

	runbook_suggest(set, "pods", 5, &sugg);
	assert_int_equal(sugg.n, 2);
	assert_string_equal(sugg.v[0], "podsnotworking");
	assert_string_equal(sugg.v[1], "podsnotstarting");
	strv_reset(&sugg);

	runbook_suggest(set, "akamia", 1, &sugg);
	assert_int_equal(sugg.n, 1);
	assert_string_equal(sugg.v[0], "akamai");
	strv_reset(&sugg);

	runbook_suggest(set, "qqqqqqqqqqqq", 5, &sugg);
	assert_int_equal(sugg.n, 0);

	runbook_set_free(set);
}

static void
test_reply(void **state)
{
	struct runbook_set	*set;
	struct reply		 r;
	char			*s;

	memset(&r, 0, sizeof r);
	set = load("rb/sections.md", sections_md, NULL);
	runbook_section_reply(set, section(set, "A")->id, &r);
	s = joined(&r.blocks);
	/*
	 * Context (where A is, not A again), A with A1 inside, then the
	 * linked B.
	 */
	assert_string_equal(s, "_Title One_\n\n*A*\n\n"
	    "a text see B, see A1, self, gone\n\n*A1*\n\nnested\n\n"
	    "*B*\n\nb text\n\n> *Quoted heading*\n>\n> not a section");
	free(s);
	reply_reset(&r);

	runbook_section_reply(set, section(set, "A1")->id, &r);
	assert_string_equal(r.blocks.v[0], "_Title One \xe2\x80\xba A_");
	assert_string_equal(r.blocks.v[1], "*A1*");
	reply_reset(&r);
	/* The preamble's heading is the title: no context line repeats it. */
	runbook_section_reply(set, 0, &r);
	assert_string_equal(r.blocks.v[0], "*Title One*");
	reply_reset(&r);
	runbook_set_free(set);
}

static void
test_index(void **state)
{
	struct runbook_set	*set;
	struct store		*st;
	char			*cause = NULL;
	int64_t			 ids[4];
	const char		*h;
	int			 n, i;

	set = load("rb/sections.md", sections_md, NULL);
	st = store_open(":memory:", &cause);
	if (st == NULL)
		fail_msg("store_open: %s", cause);
	assert_int_equal(runbook_index_build(set, st), 0);
	n = store_index_search(st, "nested", ids, 4);
	/* A1, A which holds it, and the H1 which holds them all. */
	assert_int_equal(n, 3);
	for (i = 0; i < 3; i++) {
		h = set->sections[ids[i]].heading;
		if (strcmp(h, "A1") != 0 && strcmp(h, "A") != 0 &&
		    strcmp(h, "Title One") != 0)
			fail_msg("unexpected hit '%s'", h);
	}
	assert_int_equal(store_index_search(st, "zebra", ids, 4),
	    0);
	store_close(st);
	runbook_set_free(set);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sections),
		cmocka_unit_test(test_title_fallback),
		cmocka_unit_test(test_front_matter),
		cmocka_unit_test(test_front_matter_broken),
		cmocka_unit_test(test_fixups),
		cmocka_unit_test(test_diag_format),
		cmocka_unit_test_setup_teardown(test_load_dir, tree_setup,
		    tree_teardown),
		cmocka_unit_test_setup_teardown(test_find, tree_setup,
		    tree_teardown),
		cmocka_unit_test(test_reply),
		cmocka_unit_test(test_index),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
