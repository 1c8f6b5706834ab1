/*
 * test_walk.c: finding runbook files: symbolic links (loops, links out of
 * the runbook directories, links inside them), each file once, directories
 * too deep or unreadable, and file names with control characters in the
 * diagnostics.
 */
#include <sys/stat.h>
#include <sys/syscall.h>

#include <linux/capability.h>

#include <ftw.h>
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

struct tree {
	char	 dir[64];	/* the runbook directory */
	char	 out[64];	/* a directory next to it, not configured */
};

static void
put(const char *dir, const char *rel, const char *text)
{
	FILE	*f;
	char	*path;

	xasprintf(&path, "%s/%s", dir, rel);
	f = fopen(path, "w");
	if (f == NULL)
		fail_msg("cannot create %s", path);
	fputs(text, f);
	fclose(f);
	free(path);
}

static void
mkdir_in(const char *dir, const char *rel)
{
	char	*path;

	xasprintf(&path, "%s/%s", dir, rel);
	if (mkdir(path, 0700) != 0)
		fail_msg("cannot mkdir %s", path);
	free(path);
}

/* ln -s target dir/rel */
static void
symlink_in(const char *target, const char *dir, const char *rel)
{
	char	*path;

	xasprintf(&path, "%s/%s", dir, rel);
	if (symlink(target, path) != 0)
		fail_msg("cannot link %s", path);
	free(path);
}

static int
tree_setup(void **state)
{
	struct tree	*t;

	t = xcalloc(1, sizeof *t);
	snprintf(t->dir, sizeof t->dir, "/tmp/opsbot-walk-XX" "XX" "XX");
	snprintf(t->out, sizeof t->out, "/tmp/opsbot-walk-XX" "XX" "XX");
	if (mkdtemp(t->dir) == NULL || mkdtemp(t->out) == NULL)
		return (-1);
	put(t->dir, "a.md", "# A\n\n## Alpha\n");
	*state = t;
	return (0);
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return (remove(path) != 0 ? -1 : 0);
}

static void
rm_tree(const char *dir)
{
	char	*p;

	/* test_unreadable's directory, if it failed half-way. */
	xasprintf(&p, "%s/locked", dir);
	chmod(p, 0700);
	free(p);
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static int
tree_teardown(void **state)
{
	struct tree	*t = *state;

	rm_tree(t->dir);
	rm_tree(t->out);
	free(t);
	return (0);
}

/* How many diags are errors, and how many contain needle. */
static size_t
count_diags(const struct rb_diags *diags, int errors, const char *needle)
{
	size_t	 i, n = 0;

	for (i = 0; i < diags->n; i++) {
		if (errors != -1 && diags->v[i].is_error != errors)
			continue;
		if (needle != NULL && strstr(diags->v[i].message, needle) ==
		    NULL)
			continue;
		n++;
	}
	return (n);
}

static void
dump(const struct rb_diags *diags)
{
	size_t	 i;
	char	*s;

	for (i = 0; i < diags->n; i++) {
		s = rb_diag_format_new(&diags->v[i]);
		print_message("diag %zu: %s%s\n", i, s,
		    diags->v[i].is_error ? " (error)" : "");
		free(s);
	}
}

/* Two and three links back to the directory: each file once, quickly. */
static void
test_loops(void **state)
{
	struct tree		*t = *state;
	const char		*dirs[] = { t->dir };
	struct rb_diags		 diags = { NULL, 0 };
	struct runbook_set	*set;

	symlink_in(".", t->dir, "l1");
	symlink_in(".", t->dir, "l2");
	symlink_in(".", t->dir, "l3");
	mkdir_in(t->dir, "sub");
	put(t->dir, "sub/b.md", "# B\n");
	symlink_in("..", t->dir, "sub/up");
	set = runbook_set_load(dirs, 1, &diags);
	assert_non_null(set);
	dump(&diags);
	assert_int_equal(set->nrunbooks, 2);
	assert_int_equal(count_diags(&diags, 1, NULL), 0);
	assert_int_equal(count_diags(&diags, 0, "already walked"), 4);
	runbook_set_free(set);
	rb_diags_reset(&diags);
}

/*
 * A link out of the runbook directories is not followed, file or
 * directory, and says so; one to another configured directory is.
 */
static void
test_outside(void **state)
{
	struct tree		*t = *state;
	const char		*dirs[] = { t->dir, t->out };
	struct rb_diags		 diags = { NULL, 0 };
	struct runbook_set	*set;
	char			*p;
	size_t			 i;

	put(t->out, "secret.md", "# Secret\n\nroot:x:0:0\n");
	xasprintf(&p, "%s/secret.md", t->out);
	symlink_in(p, t->dir, "passwd.txt");
	free(p);
	symlink_in(t->out, t->dir, "elsewhere");
	symlink_in("/etc/passwd", t->dir, "etc-passwd.txt");
	symlink_in("/nonexistent/opsbot", t->dir, "broken.md");

	set = runbook_set_load(dirs, 1, &diags);
	assert_non_null(set);
	dump(&diags);
	assert_int_equal(set->nrunbooks, 1);
	for (i = 0; i < set->nsections; i++)
		assert_null(strstr(set->sections[i].text, "root:x"));
	assert_int_equal(count_diags(&diags, 0, "outside the runbook "
	    "directories"), 3);
	assert_int_equal(count_diags(&diags, 0, "broken symbolic link"), 1);
	assert_int_equal(count_diags(&diags, 1, NULL), 0);
	for (i = 0; i < diags.n; i++) {
		if (strstr(diags.v[i].message, "/etc/passwd") != NULL)
			break;
	}
	assert_true(i < diags.n);
	p = strrchr(diags.v[i].file, '/');
	assert_string_equal(p, "/etc-passwd.txt");
	runbook_set_free(set);
	rb_diags_reset(&diags);

	/* Both configured: out's file is loaded once, through either path. */
	set = runbook_set_load(dirs, 2, &diags);
	assert_non_null(set);
	dump(&diags);
	assert_int_equal(set->nrunbooks, 2);
	assert_int_equal(count_diags(&diags, 0, "outside the runbook "
	    "directories"), 1);
	runbook_set_free(set);
	rb_diags_reset(&diags);
}

/* Links inside the directory are followed, and each file loads once. */
static void
test_inside(void **state)
{
	struct tree		*t = *state;
	const char		*dirs[] = { t->dir };
	struct rb_diags		 diags = { NULL, 0 };
	struct runbook_set	*set;
	char			*p, *q;

	mkdir_in(t->dir, "real");
	put(t->dir, "real/c.md", "# C\n");
	put(t->dir, "real/d.md", "# D\n");
	symlink_in("real", t->dir, "alias");
	symlink_in("real/c.md", t->dir, "c-again.md");
	mkdir_in(t->dir, "other");
	symlink_in("../real/d.md", t->dir, "other/d-link.md");
	xasprintf(&p, "%s/a.md", t->dir);	/* absolute, still inside */
	symlink_in(p, t->dir, "other/a-abs.md");
	/* A hard link: the same inode under another name. */
	xasprintf(&q, "%s/other/a-hard.md", t->dir);
	assert_int_equal(link(p, q), 0);
	free(q);
	free(p);

	set = runbook_set_load(dirs, 1, &diags);
	assert_non_null(set);
	dump(&diags);
	assert_int_equal(set->nrunbooks, 3);	/* a, c, d */
	assert_int_equal(count_diags(&diags, 1, NULL), 0);
	assert_int_equal(count_diags(&diags, 0, "already loaded"), 4);
	assert_int_equal(count_diags(&diags, 0, "already walked"), 1);
	/* Loaded under the first path in walk order (names sorted). */
	xasprintf(&p, "%s/a.md", t->dir);
	assert_string_equal(set->runbooks[0].path, p);
	free(p);
	runbook_set_free(set);
	rb_diags_reset(&diags);
}

/* 17 levels down is too deep: an error, or a warning when allowed. */
static void
test_depth(void **state)
{
	struct tree		*t = *state;
	const char		*dirs[] = { t->dir };
	struct rb_diags		 diags = { NULL, 0 };
	struct runbook_set	*set;
	struct buf		 rel = { NULL, 0, 0 };
	char			*f;
	int			 i;

	for (i = 1; i <= 17; i++) {
		buf_printf(&rel, "%sd%d", i > 1 ? "/" : "", i);
		mkdir_in(t->dir, buf_str(&rel));
		if (i == 16 || i == 17) {
			xasprintf(&f, "%s/at%d.md", buf_str(&rel), i);
			put(t->dir, f, "# Deep\n");
			free(f);
		}
	}
	buf_reset(&rel);

	set = runbook_set_load(dirs, 1, &diags);
	assert_non_null(set);
	dump(&diags);
	assert_int_equal(set->nrunbooks, 2);	/* a.md and at16.md */
	assert_int_equal(count_diags(&diags, 1, "deeper than 16"), 1);
	assert_non_null(strstr(diags.v[0].file, "/d17"));
	runbook_set_free(set);
	rb_diags_reset(&diags);

	set = runbook_set_load_flags(dirs, 1, RB_LOAD_ALLOW_SKIPPED, &diags);
	assert_non_null(set);
	assert_int_equal(set->nrunbooks, 2);
	assert_int_equal(count_diags(&diags, 1, NULL), 0);
	assert_int_equal(count_diags(&diags, 0, "deeper than 16"), 1);
	runbook_set_free(set);
	rb_diags_reset(&diags);
}

/*
 * Root reads any directory (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH): drop
 * them from the effective set for the test, keeping them permitted so
 * they can be raised again. Returns 0, or -1 if that is not possible.
 */
static int
dac_caps(int on)
{
	struct __user_cap_header_struct	 h = { _LINUX_CAPABILITY_VERSION_3,
	    0 };
	struct __user_cap_data_struct	 d[2];
	unsigned int			 bits;

	if (geteuid() != 0)
		return (0);
	bits = (1U << CAP_DAC_OVERRIDE) | (1U << CAP_DAC_READ_SEARCH);
	if (syscall(SYS_capget, &h, d) != 0)
		return (-1);
	if (on)
		d[0].effective |= bits & d[0].permitted;
	else
		d[0].effective &= ~bits;
	return (syscall(SYS_capset, &h, d) != 0 ? -1 : 0);
}

/* A sub-directory that cannot be opened: an error unless allowed. */
static void
test_unreadable(void **state)
{
	struct tree		*t = *state;
	const char		*dirs[] = { t->dir };
	struct rb_diags		 diags = { NULL, 0 };
	struct rb_diags		 d2 = { NULL, 0 };
	struct runbook_set	*set, *set2;
	char			*p;

	mkdir_in(t->dir, "locked");
	put(t->dir, "locked/e.md", "# E\n");
	xasprintf(&p, "%s/locked", t->dir);
	assert_int_equal(chmod(p, 0), 0);
	free(p);
	if (dac_caps(0) != 0)
		skip();
	set = runbook_set_load(dirs, 1, &diags);
	set2 = runbook_set_load_flags(dirs, 1, RB_LOAD_ALLOW_SKIPPED, &d2);
	/* Capabilities back before anything can fail. */
	assert_int_equal(dac_caps(1), 0);
	assert_non_null(set);
	assert_non_null(set2);
	dump(&diags);
	assert_int_equal(count_diags(&d2, 1, NULL), 0);
	assert_int_equal(count_diags(&d2, 0, "cannot open directory"), 1);
	rb_diags_reset(&d2);
	assert_int_equal(set->nrunbooks, 1);
	assert_int_equal(count_diags(&diags, 1, "cannot open directory: "
	    "Permission denied"), 1);
	runbook_set_free(set);
	runbook_set_free(set2);
	rb_diags_reset(&diags);
}

/* Control characters in names are escaped in every formatted diag. */
static void
test_escaped_names(void **state)
{
	struct tree		*t = *state;
	const char		*dirs[] = { t->dir };
	struct rb_diags		 diags = { NULL, 0 };
	struct runbook_set	*set;
	char			*s, *target;
	size_t			 i, found = 0;

	/* Front matter that is not YAML: an error naming the file. */
	put(t->dir, "bad\nname\x1b[31m.md", "---\n: [\n---\n# Bad\n");
	xasprintf(&target, "%s/evil\x1b]0;x\x07\\.md", t->out);
	put(t->out, "evil\x1b]0;x\x07\\.md", "# Evil\n");
	symlink_in(target, t->dir, "evil.md");
	free(target);

	set = runbook_set_load(dirs, 1, &diags);
	assert_non_null(set);
	dump(&diags);
	for (i = 0; i < diags.n; i++) {
		s = rb_diag_format_new(&diags.v[i]);
		assert_null(strchr(s, '\n'));
		assert_null(strchr(s, '\x1b'));
		assert_null(strchr(s, '\x07'));
		if (strstr(s, "/bad\\nname\\x1b[31m.md:") != NULL)
			found |= 1;
		/* A backslash is kept: only controls are escaped. */
		if (strstr(s, "/evil\\x1b]0;x\\x07\\.md") != NULL)
			found |= 2;
		free(s);
	}
	assert_int_equal(found, 3);
	runbook_set_free(set);
	rb_diags_reset(&diags);

	/* Straight from rb_diags_add: the file is escaped when formatted. */
	rb_diags_add(&diags, "x\ry\x7f\xff\xc2\x9b.md", 2, 0, 0, "m");
	s = rb_diag_format_new(&diags.v[0]);
	assert_string_equal(s, "x\\ry\\x7f\\xff\\xc2\\x9b.md:2: m");
	free(s);
	rb_diags_reset(&diags);
	/* Valid UTF-8 is kept as it is. */
	rb_diags_add(&diags, "caf\xc3\xa9.md", 0, 0, 0, "m");
	s = rb_diag_format_new(&diags.v[0]);
	assert_string_equal(s, "caf\xc3\xa9.md: m");
	free(s);
	rb_diags_reset(&diags);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_loops, tree_setup,
		    tree_teardown),
		cmocka_unit_test_setup_teardown(test_outside, tree_setup,
		    tree_teardown),
		cmocka_unit_test_setup_teardown(test_inside, tree_setup,
		    tree_teardown),
		cmocka_unit_test_setup_teardown(test_depth, tree_setup,
		    tree_teardown),
		cmocka_unit_test_setup_teardown(test_unreadable, tree_setup,
		    tree_teardown),
		cmocka_unit_test_setup_teardown(test_escaped_names,
		    tree_setup, tree_teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
