/*
 * test_runbook_limits.c: hostile runbooks load, say where they are
 * hostile, and come out as valid UTF-8 of a size linear in theirs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <yaml.h>

#include "bot/bot.h"

/* n copies of s appended to b. */
static void
repeat(struct buf *b, const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		buf_adds(b, s);
}

static int
valid(const char *s)
{
	return (utf8_valid(s, strlen(s)));
}

/*
 * Every string a runbook turned into is valid UTF-8; returns the bytes
 * rendered in all, so that callers can bound it.
 */
static size_t
check_set(const struct runbook_set *set)
{
	const struct rb_section	*s;
	const struct runbook	*rb;
	size_t			 i, j, total = 0;

	for (i = 0; i < set->nrunbooks; i++) {
		rb = &set->runbooks[i];
		assert_true(valid(rb->title));
		if (rb->service != NULL)
			assert_true(valid(rb->service));
		for (j = 0; j < rb->tags.n; j++)
			assert_true(valid(rb->tags.v[j]));
	}
	for (i = 0; i < set->nsections; i++) {
		s = &set->sections[i];
		assert_true(valid(s->heading));
		assert_true(valid(s->slug));
		assert_true(valid(s->anchor));
		assert_true(valid(s->text));
		total += strlen(s->text);
		for (j = 0; j < s->blocks.n; j++) {
			if (!valid(s->blocks.v[j]))
				fail_msg("section %zu block %zu not UTF-8", i,
				    j);
			total += strlen(s->blocks.v[j]);
		}
	}
	return (total);
}

/* The only diag, formatted (new); fails unless there is exactly one. */
static char *
only_diag(const struct rb_diags *diags)
{
	size_t	 i;

	if (diags->n != 1) {
		for (i = 0; i < diags->n; i++)
			print_message("diag: %s\n", diags->v[i].message);
		fail_msg("%zu diags, want 1", diags->n);
	}
	return (rb_diag_format_new(&diags->v[0]));
}

/* Latin-1 and Windows-1252 bytes are read as such, and said where. */
static void
test_latin1(void **state)
{
	static const char	 md[] =
	    "# Caf\xe9\n"			/* 1:6 the first bad byte */
	    "\n"
	    "Price: 5\x80, na\xefve \xe2\x82\xac\n";
	struct rb_diags		 diags = { NULL, 0 };
	struct runbook_set	*set;
	char			*s;

	set = runbook_set_load_string("cafe.md", md, sizeof md - 1, &diags);
	s = only_diag(&diags);
	assert_false(diags.v[0].is_error);
	assert_string_equal(s, "cafe.md:1:6: invalid UTF-8: 3 bytes read "
	    "as Windows-1252");
	free(s);
	assert_int_equal(set->nsections, 1);
	assert_string_equal(set->runbooks[0].title, "Caf\xc3\xa9");
	assert_string_equal(set->sections[0].heading, "Caf\xc3\xa9");
	assert_string_equal(set->sections[0].slug, "caf\xc3\xa9");
	assert_string_equal(set->sections[0].blocks.v[1],
	    "Price: 5\xe2\x82\xac, na\xc3\xafve \xe2\x82\xac");
	check_set(set);
	runbook_set_free(set);
	rb_diags_reset(&diags);

	/* In front matter too: libyaml would refuse the bytes. */
	set = runbook_set_load_string("fm.md", "---\ntitle: R\xe9seau\n---\n"
	    "text\n", 26, &diags);
	s = only_diag(&diags);
	assert_string_equal(s, "fm.md:2:9: invalid UTF-8: 1 byte read as "
	    "Windows-1252");
	free(s);
	assert_int_equal(set->nrunbooks, 1);
	assert_string_equal(set->runbooks[0].title, "R\xc3\xa9seau");
	check_set(set);
	runbook_set_free(set);
	rb_diags_reset(&diags);

	/* Valid UTF-8 says nothing. */
	set = runbook_set_load_string("ok.md", "# Caf\xc3\xa9\n", 8, &diags);
	assert_int_equal(diags.n, 0);
	runbook_set_free(set);
}

/* The file name a title falls back to may not be UTF-8 either. */
static void
test_latin1_name(void **state)
{
	struct runbook_set	*set;

	set = runbook_set_load_string("dir/r\xe9seau.md", "text\n", 5, NULL);
	assert_string_equal(set->runbooks[0].title, "r\xc3\xa9seau");
	check_set(set);
	runbook_set_free(set);
}

/*
 * Loads md, checks there is one warning about nesting at line:column
 * (any column if 0), everything is UTF-8, the output is no bigger than
 * limit, and the innermost word survived.
 */
static void
deep(const char *md, size_t len, int line, int column, size_t limit)
{
	struct rb_diags		 diags = { NULL, 0 };
	struct runbook_set	*set;
	char			*s, *want;
	size_t			 total, i, j;
	int			 found = 0;

	set = runbook_set_load_string("deep.md", md, len, &diags);
	s = only_diag(&diags);
	free(s);
	xasprintf(&want, "nested deeper than %d levels; shown flattened as "
	    "plain text past that", MRKDWN_MAX_DEPTH);
	assert_string_equal(diags.v[0].message, want);
	free(want);
	assert_int_equal(diags.v[0].line, line);
	if (column > 0)
		assert_int_equal(diags.v[0].column, column);
	assert_false(diags.v[0].is_error);
	total = check_set(set);
	if (total > limit)
		fail_msg("%zu bytes rendered from %zu", total, len);
	for (i = 0; i < set->nsections; i++) {
		for (j = 0; j < set->sections[i].blocks.n; j++) {
			if (strstr(set->sections[i].blocks.v[j], "xyz") !=
			    NULL)
				found = 1;
		}
	}
	assert_true(found);
	runbook_set_free(set);
	rb_diags_reset(&diags);
}

static void
test_deep_quote(void **state)
{
	struct buf	 md;

	memset(&md, 0, sizeof md);
	buf_adds(&md, "# Deep\n\n");
	repeat(&md, ">", 15000);
	buf_adds(&md, " xyz\n");
	/* The quote at depth 33 opens at column 34. */
	deep(md.s, md.len, 3, MRKDWN_MAX_DEPTH + 2, 64 * 1024);
	buf_reset(&md);
}

static void
test_deep_emphasis(void **state)
{
	static const char	*marks[][2] = {
		{ "*", "*" }, { "_", "_" }, { "~~", "~~" }, { "[", "](#a)" },
		{ "![", "](#a)" }, { "**a ", " b**" },
	};
	struct buf		 md;
	size_t			 i;

	for (i = 0; i < sizeof marks / sizeof marks[0]; i++) {
		memset(&md, 0, sizeof md);
		buf_adds(&md, "# E\n\n");
		repeat(&md, marks[i][0], 20000);
		buf_adds(&md, "xyz");
		repeat(&md, marks[i][1], 20000);
		buf_adds(&md, "\n");
		if (i == 2 || i == 3) {
			/*
			 * cmark-gfm does not nest these: ~~~~ is no
			 * strikethrough, and links hold no links.
			 */
			struct rb_diags		 diags = { NULL, 0 };
			struct runbook_set	*set;

			set = runbook_set_load_string("e.md", md.s, md.len,
			    &diags);
			assert_int_equal(diags.n, 0);
			check_set(set);
			runbook_set_free(set);
		} else
			deep(md.s, md.len, 3, 0, 4 * md.len);
		buf_reset(&md);
	}
}

/* Output linear in the input: no indentation re-applied per level. */
static void
test_deep_list(void **state)
{
	struct buf	 md;

	memset(&md, 0, sizeof md);
	buf_adds(&md, "# L\n\n");
	repeat(&md, "- ", 5000);
	buf_adds(&md, "xyz\n");
	/* Lists count two levels (list, item): item 17, at column 33. */
	deep(md.s, md.len, 3, MRKDWN_MAX_DEPTH + 1, 4 * md.len);
	buf_reset(&md);

	memset(&md, 0, sizeof md);
	buf_adds(&md, "# L\n\n");
	repeat(&md, "1. > - ", 3000);
	buf_adds(&md, "xyz\n");
	deep(md.s, md.len, 3, 0, 4 * md.len);
	buf_reset(&md);
}

/* A heading of 50,000 nested emphases: the plain text walk is flat. */
static void
test_deep_heading(void **state)
{
	struct buf		 md;
	struct runbook_set	*set;

	memset(&md, 0, sizeof md);
	buf_adds(&md, "# ");
	repeat(&md, "*", 100000);
	buf_adds(&md, "Title");
	repeat(&md, "*", 100000);
	buf_adds(&md, "\n\ntext [go](#title)\n");
	set = runbook_set_load_string("h.md", md.s, md.len, NULL);
	assert_string_equal(set->runbooks[0].title, "Title");
	assert_string_equal(set->sections[0].heading, "Title");
	assert_string_equal(set->sections[0].anchor, "title");
	check_set(set);
	runbook_set_free(set);
	buf_reset(&md);
}

static void
fm_error(const char *md, size_t len, const char *want)
{
	struct rb_diags		 diags = { NULL, 0 };
	struct runbook_set	*set;
	char			*s;

	set = runbook_set_load_string("fm.md", md, len, &diags);
	s = only_diag(&diags);
	assert_true(diags.v[0].is_error);
	if (strcmp(s, want) != 0)
		fail_msg("got '%s', want '%s'", s, want);
	free(s);
	assert_int_equal(set->nrunbooks, 0);
	runbook_set_free(set);
	rb_diags_reset(&diags);
}

static void
test_front_matter_limits(void **state)
{
	struct buf	 md;
	char		*want;
	size_t		 i;

	/* Size: the byte past the limit is where it is said to be. */
	memset(&md, 0, sizeof md);
	buf_adds(&md, "---\ntitle: t\ndesc: ");
	repeat(&md, "y", FRONTMATTER_MAX_BYTES);
	buf_adds(&md, "\n---\n# H\n");
	xasprintf(&want, "fm.md:3:%d: front matter: longer than %d bytes",
	    FRONTMATTER_MAX_BYTES - 9 + 1, FRONTMATTER_MAX_BYTES);
	fm_error(md.s, md.len, want);
	free(want);
	buf_reset(&md);

	/* Depth. */
	buf_adds(&md, "---\ntitle: t\nx: ");
	repeat(&md, "[", 1000);
	repeat(&md, "]", 1000);
	buf_adds(&md, "\n---\n# H\n");
	xasprintf(&want, "fm.md:3:%d: front matter: nesting deeper than %d "
	    "levels", 4 + FRONTMATTER_MAX_DEPTH - 1, FRONTMATTER_MAX_DEPTH);
	fm_error(md.s, md.len, want);
	free(want);
	buf_reset(&md);

	/* Anchors: libyaml's loader compares each with all the others. */
	buf_adds(&md, "---\ntitle: t\n");
	for (i = 0; i < 1000; i++)
		buf_printf(&md, "a%zu: &a%zu x\n", i, i);
	buf_adds(&md, "---\n# H\n");
	xasprintf(&want, "fm.md:%d:6: front matter: more than %d anchors",
	    3 + FRONTMATTER_MAX_ANCHORS, FRONTMATTER_MAX_ANCHORS);
	fm_error(md.s, md.len, want);
	free(want);
	buf_reset(&md);

	/*
	 * Aliases are copies, and all of them together may not copy more
	 * than the front matter's size limit: 1,000 aliases of 1,000 bytes
	 * stop at the 64th, 65 KB in.
	 */
	buf_adds(&md, "---\ntitle: &t ");
	repeat(&md, "t", 1000);
	buf_adds(&md, "\n");
	for (i = 0; i < 1000; i++)
		buf_printf(&md, "b%03zu: *t\n", i);
	buf_adds(&md, "---\n# H\n");
	i = FRONTMATTER_MAX_BYTES / (1000 + sizeof(yaml_node_t));
	xasprintf(&want, "fm.md:%zu:7: front matter: aliases expand to more "
	    "than %d bytes", 3 + i, FRONTMATTER_MAX_BYTES);
	fm_error(md.s, md.len, want);
	free(want);
	buf_reset(&md);
}

/* Within the limits, anchors and aliases still work. */
static void
test_front_matter_aliases(void **state)
{
	static const char	 md[] =
	    "---\n"
	    "name: &n Vault\n"
	    "title: *n\n"
	    "tags: &t [a, b]\n"
	    "other: *t\n"
	    "---\n"
	    "text\n";
	struct rb_diags		 diags = { NULL, 0 };
	struct runbook_set	*set;

	set = runbook_set_load_string("fm.md", md, sizeof md - 1, &diags);
	assert_int_equal(diags.n, 0);
	assert_string_equal(set->runbooks[0].title, "Vault");
	assert_int_equal(set->runbooks[0].tags.n, 2);
	runbook_set_free(set);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_latin1),
		cmocka_unit_test(test_latin1_name),
		cmocka_unit_test(test_deep_quote),
		cmocka_unit_test(test_deep_emphasis),
		cmocka_unit_test(test_deep_list),
		cmocka_unit_test(test_deep_heading),
		cmocka_unit_test(test_front_matter_limits),
		cmocka_unit_test(test_front_matter_aliases),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
