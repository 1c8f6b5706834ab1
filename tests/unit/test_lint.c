/*
 * test_lint.c: opsbot lint's checks on runbooks written here (aliases
 * filled by hand, as the loader will), and its three output formats.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "bot/bot.h"

/* The findings of one Markdown file, loaded as name. */
static void
lint_string(const char *name, const char *md, struct lint_findings *out)
{
	struct runbook_set	*set;
	struct rb_diags		 diags = { NULL, 0 };

	set = runbook_set_load_string(name, md, strlen(md), &diags);
	lint_check(set, &diags, out);
	runbook_set_free(set);
	rb_diags_reset(&diags);
}

/* How many findings of check there are; *first is the first. */
static size_t
count_check(const struct lint_findings *f, const char *check,
    const struct lint_finding **first)
{
	size_t	 i, n = 0;

	for (i = 0; i < f->n; i++) {
		if (strcmp(f->v[i].check, check) != 0)
			continue;
		if (n++ == 0 && first != NULL)
			*first = &f->v[i];
	}
	return (n);
}

static void
test_dead_anchor(void **state)
{
	struct lint_findings		 f = { NULL, 0, 0 };
	const struct lint_finding	*d = NULL;

	/* Exact anchor, slug match, a link to its own section, nested. */
	lint_string("a.md",
	    "# Top\n\nSee [b](#redhat-boilerplate), [c](#LetsEncrypt), "
	    "[t](#top).\n\n## Lets Encrypt\n\n### Deep\n\n"
	    "Typo: [x](#redhat-boilerplat).\n\n"
	    "## RedHat Boilerplate\n\nText.\n", &f);
	assert_int_equal(count_check(&f, "dead-anchor", &d), 1);
	/* Nested three deep, yet reported once, where it is written. */
	assert_string_equal(d->file, "a.md");
	assert_int_equal(d->line, 9);
	assert_int_equal(d->column, 7);
	assert_int_equal(d->severity, LINT_ERROR);
	assert_non_null(strstr(d->message, "'#redhat-boilerplat'"));
	lint_findings_reset(&f);

	/* Lines are the file's, front matter and repairs included. */
	lint_string("b.md", "---\ntitle: B\n---\nx### Glued\n\n"
	    "[gone](#nowhere)\n", &f);
	assert_int_equal(count_check(&f, "dead-anchor", &d), 1);
	assert_int_equal(d->line, 6);
	assert_int_equal(d->column, 1);
	assert_int_equal(count_check(&f, "repaired-markdown", &d), 1);
	assert_int_equal(d->line, 4);
	lint_findings_reset(&f);
}

static void
test_seed_links_resolve(void **state)
{
	struct runbook_set	*set;
	const char		*dirs[] = { OPSBOT_SEEDS_DIR };
	size_t			 i;

	set = runbook_set_load(dirs, 1, NULL);
	assert_non_null(set);
	/* [RedHat Boilerplate](#redhat-boilerplate), the TOCs: all found. */
	for (i = 0; i < set->nrunbooks; i++)
		assert_int_equal(set->runbooks[i].dead_links.n, 0);
	runbook_set_free(set);
}

static void
test_empty_and_todo(void **state)
{
	struct lint_findings		 f = { NULL, 0, 0 };
	const struct lint_finding	*d = NULL;

	lint_string("e.md",
	    "# Top\n\nIntro.\n\n"
	    "## Group\n\n### Empty\n\n<!-- nothing shown -->\n\n"
	    "### Todo\n\n**TODO**: write it\n\n"
	    "### Tbd\n\n- tbd\n\n"
	    "### Fixme\n\nFIXME.\n\n"
	    "### Todos list\n\nTODOS are fine: a word of its own.\n\n"
	    "### Real\n\nStep one.\n\nTODO: step two.\n", &f);
	/* "Group" only groups sub-sections: not empty. */
	assert_int_equal(count_check(&f, "empty-section", &d), 1);
	assert_int_equal(d->line, 7);
	assert_non_null(strstr(d->message, "'Empty'"));
	assert_int_equal(count_check(&f, "todo-section", &d), 3);
	assert_int_equal(d->line, 11);
	assert_int_equal(d->severity, LINT_WARNING);
	assert_int_equal(f.n, 4);
	lint_findings_reset(&f);
}

static void
test_duplicate_sections(void **state)
{
	struct lint_findings		 f = { NULL, 0, 0 };
	const struct lint_finding	*d = NULL;

	lint_string("d.md",
	    "intro\n\n# D\n\n## A\n\n### Meaning\n\nx\n\n"
	    "## B\n\n### Meaning\n\ny\n\n## B\n\nz\n\n## D\n\nw\n", &f);
	/*
	 * B twice under D: an error. Meaning under A and under B, and
	 * "## D" under "# D", are reached by their paths (d/a/meaning):
	 * nothing to report. The preamble, named after the title "D", is
	 * not a duplicate either.
	 */
	assert_int_equal(count_check(&f, "duplicate-section", &d), 1);
	assert_int_equal(d->line, 17);
	assert_int_equal(d->severity, LINT_ERROR);
	lint_findings_reset(&f);
}

/* Writes files into a new directory; returns it (new string). */
static char *
make_repo(const char *const *files, size_t n)
{
	char	 tmpl[] = "/tmp/opsbot-lint-test.XXXXXX", *path;
	FILE	*fp;
	size_t	 i;

	assert_non_null(mkdtemp(tmpl));
	for (i = 0; i < n; i += 2) {
		xasprintf(&path, "%s/%s", tmpl, files[i]);
		assert_non_null(fp = fopen(path, "w"));
		fputs(files[i + 1], fp);
		fclose(fp);
		free(path);
	}
	return (xstrdup(tmpl));
}

static void
remove_repo(char *dir, const char *const *files, size_t n)
{
	char	*path;
	size_t	 i;

	for (i = 0; i < n; i += 2) {
		xasprintf(&path, "%s/%s", dir, files[i]);
		unlink(path);
		free(path);
	}
	rmdir(dir);
	free(dir);
}

static void
test_duplicate_names_aliases(void **state)
{
	static const char *const files[] = {
		"a.md", "# NorthboundStale\n\nx\n\n## Meaning\n\nm\n",
		"b.md", ("---\naliases: [MachineConfigDaemonRebootError]\n"
		    "---\n# MCDRebootError\n\ny\n\n## Meaning\n\nm\n"),
		"c.md", "# HiveDown\n\nz\n",
	};
	/* b's alert is a's name; c's alert is b's alias. */
	static const char *const clash[] = {
		"a.md", "# NorthboundStale\n\nx\n\n## Meaning\n\nm\n",
		"b.md", ("---\naliases: [MachineConfigDaemonRebootError]\n"
		    "alert: Northbound Stale\n"
		    "---\n# MCDRebootError\n\ny\n\n## Meaning\n\nm\n"),
		"c.md", ("---\nalert: machine_config_daemon_reboot_error\n"
		    "---\n# HiveDown\n\nz\n"),
	};
	struct runbook_set		*set;
	struct lint_findings		 f = { NULL, 0, 0 };
	const struct lint_finding	*d = NULL;
	const char			*dirs[1];
	char				*dir;

	/*
	 * Aliases as the loader fills them: the file's stem, front matter.
	 * "Meaning" in two runbooks is reached by path: not a duplicate.
	 */
	dir = make_repo(files, 6);
	dirs[0] = dir;
	set = runbook_set_load(dirs, 1, NULL);
	assert_non_null(set);
	assert_int_equal(set->nrunbooks, 3);
	lint_check(set, NULL, &f);
	assert_int_equal(f.n, 0);
	runbook_set_free(set);
	remove_repo(dir, files, 6);

	dir = make_repo(clash, 6);
	dirs[0] = dir;
	set = runbook_set_load(dirs, 1, NULL);
	assert_non_null(set);
	lint_check(set, NULL, &f);
	assert_int_equal(count_check(&f, "duplicate-name", &d), 2);
	assert_int_equal(d->severity, LINT_ERROR);
	assert_non_null(strstr(d->file, "/b.md"));
	assert_int_equal(d->line, 1);
	assert_non_null(strstr(d->message, "alias 'Northbound Stale'"));
	assert_non_null(strstr(d->message, "(heading 'NorthboundStale')"));
	assert_non_null(strstr(f.v[1].file, "/c.md"));
	assert_non_null(strstr(f.v[1].message,
	    "(alias 'MachineConfigDaemonRebootError')"));
	lint_findings_reset(&f);
	runbook_set_free(set);
	remove_repo(dir, clash, 6);
}

static void
test_too_long(void **state)
{
	struct lint_findings		 f = { NULL, 0, 0 };
	const struct lint_finding	*d = NULL;
	struct buf			 md = { NULL, 0, 0 };
	size_t				 i;

	/* Just under the limit as an answer: fine. */
	buf_adds(&md, "# Big\n\n");
	for (i = 0; i < 200; i++)
		buf_adds(&md, "A long paragraph of procedure text, again.\n\n");
	lint_string("ok.md", buf_str(&md), &f);
	assert_int_equal(count_check(&f, "too-long", NULL), 0);
	lint_findings_reset(&f);

	for (i = 0; i < 400; i++)
		buf_adds(&md, "A long paragraph of procedure text, again.\n\n");
	lint_string("big.md", buf_str(&md), &f);
	assert_int_equal(count_check(&f, "too-long", &d), 1);
	assert_int_equal(d->line, 1);
	lint_findings_reset(&f);

	/* Sub-sections are offered instead: fine. */
	buf_adds(&md, "## Part two\n\nMore.\n");
	lint_string("parts.md", buf_str(&md), &f);
	assert_int_equal(count_check(&f, "too-long", NULL), 0);
	lint_findings_reset(&f);
	buf_reset(&md);
}

static void
test_loader_diags_and_status(void **state)
{
	struct lint_findings		 f = { NULL, 0, 0 };
	const struct lint_finding	*d = NULL;

	lint_string("fm.md", "---\ntitle: [x\n---\n# T\n", &f);
	assert_int_equal(count_check(&f, "front-matter", &d), 1);
	assert_int_equal(d->severity, LINT_ERROR);
	assert_int_equal(d->line, 3);
	assert_int_equal(lint_exit_status(&f, 0), 2);
	lint_findings_reset(&f);

	lint_string("w.md", "# T\n\n## Empty\n", &f);
	assert_int_equal(f.n, 1);
	assert_int_equal(lint_exit_status(&f, 0), 0);
	assert_int_equal(lint_exit_status(&f, 1), 1);
	lint_findings_reset(&f);

	lint_string("ok.md", "# T\n\nFine.\n", &f);
	assert_int_equal(f.n, 0);
	assert_int_equal(lint_exit_status(&f, 1), 0);
	lint_findings_reset(&f);
}

/* What lint_print writes for one finding (new string). */
static char *
print_one(enum lint_format format, const char *file, int line, int column,
    const char *message)
{
	struct lint_finding	 one;
	struct lint_findings	 f;
	char			*s = NULL;
	size_t			 len = 0;
	FILE			*fp;

	memset(&one, 0, sizeof one);
	one.file = (char *)file;
	one.line = line;
	one.column = column;
	one.severity = LINT_ERROR;
	one.check = "dead-anchor";
	one.message = (char *)message;
	f.v = &one;
	f.n = f.cap = 1;
	assert_non_null(fp = open_memstream(&s, &len));
	assert_int_equal(lint_print(fp, format, &f), 0);
	fclose(fp);
	return (s);
}

static void
test_formats(void **state)
{
	const char	*file = "dir/a,b:c%d\n\x1b[31m.md";
	const char	*msg = "100% sure\r\nnot: a, b \x1b]0;x\x07";
	json_t		*root;
	json_error_t	 err;
	char		*s;

	s = print_one(LINT_FORMAT_TEXT, file, 3, 7, msg);
	assert_string_equal(s, "dir/a,b:c%d\\n\\x1b[31m.md:3:7: error: "
	    "100% sure\\r\\nnot: a, b \\x1b]0;x\\x07\n");
	free(s);
	s = print_one(LINT_FORMAT_TEXT, "f.md", 0, 0, "m");
	assert_string_equal(s, "f.md: error: m\n");
	free(s);

	s = print_one(LINT_FORMAT_GITHUB, file, 3, 7, msg);
	assert_string_equal(s, "::error file=dir/a%2Cb%3Ac%25d%0A\\x1b[31m.md,"
	    "line=3,col=7::100%25 sure%0D%0Anot: a, b \\x1b]0;x\\x07\n");
	free(s);
	s = print_one(LINT_FORMAT_GITHUB, "f.md", 4, 0, "m");
	assert_string_equal(s, "::error file=f.md,line=4::m\n");
	free(s);

	s = print_one(LINT_FORMAT_JSON, "dir/\xff.md", 3, 7, "m\n");
	root = json_loads(s, 0, &err);
	assert_non_null(root);
	assert_true(json_is_array(root));
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(root, 0), "file")), "dir/\\xff.md");
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(root, 0), "message")), "m\\n");
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(root, 0), "check")), "dead-anchor");
	assert_int_equal(json_integer_value(json_object_get(
	    json_array_get(root, 0), "column")), 7);
	json_decref(root);
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dead_anchor),
		cmocka_unit_test(test_seed_links_resolve),
		cmocka_unit_test(test_empty_and_todo),
		cmocka_unit_test(test_duplicate_sections),
		cmocka_unit_test(test_duplicate_names_aliases),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_loader_diags_and_status),
		cmocka_unit_test(test_formats),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
