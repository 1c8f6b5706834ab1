/*
 * test_index_build.c: the full-text index of a big runbook is built in
 * one transaction (a commit per section took 49 s for 87,846 sections),
 * and a failed rebuild leaves nothing half-done.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bot/bot.h"
#include "store/store-private.h"

static int
count_commit(void *arg)
{
	(*(int *)arg)++;
	return (0);
}

/* A runbook of n level-2 sections, each linking to the next. */
static struct runbook_set *
big_set(size_t n)
{
	struct runbook_set	*set;
	struct buf		 md = { NULL, 0, 0 };
	size_t			 i;

	buf_adds(&md, "# Big\n\n");
	for (i = 1; i <= n; i++)
		buf_printf(&md, "## Step %zu\n\nRestart unit %zu, then "
		    "[the next](#step-%zu).\n\n", i, i, i + 1);
	set = runbook_set_load_string("big.md", md.s, md.len, NULL);
	buf_reset(&md);
	return (set);
}

static void
test_one_commit(void **state)
{
	struct runbook_set	*set;
	struct store		*st;
	char			*cause = NULL;
	int64_t			 ids[4];
	int			 commits = 0;

	(void)state;
	set = big_set(2000);
	assert_int_equal(set->nsections, 2001);
	st = store_open(":memory:", &cause);
	assert_non_null(st);
	sqlite3_commit_hook(st->db, count_commit, &commits);
	assert_int_equal(runbook_index_build(set, st), 0);
	assert_int_equal(commits, 1);
	assert_false(store_in_transaction(st));
	assert_int_equal(store_index_search(st, "unit 1999", ids, 4), 2);

	/* A rebuild replaces the index, in one more commit. */
	assert_int_equal(runbook_index_build(set, st), 0);
	assert_int_equal(commits, 2);
	assert_int_equal(store_index_search(st, "unit 1999", ids, 4), 2);

	/* Inside a transaction already: refused, and nothing changed. */
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(runbook_index_build(set, st), -1);
	assert_true(store_in_transaction(st));
	assert_int_equal(store_rollback(st), 0);
	assert_int_equal(store_index_search(st, "unit 1999", ids, 4), 2);
	sqlite3_commit_hook(st->db, NULL, NULL);
	store_close(st);
	runbook_set_free(set);
}

/* Links between many sections still resolve, each to the right one. */
static void
test_many_links(void **state)
{
	struct runbook_set	*set;
	const struct rb_section	*s;
	size_t			 i;

	(void)state;
	set = big_set(20000);
	assert_int_equal(set->nsections, 20001);
	for (i = 1; i < 20000; i++) {
		s = &set->sections[i];
		assert_int_equal(s->nlinks, 1);
		assert_int_equal(s->links[0], i + 1);
	}
	assert_int_equal(set->sections[20000].nlinks, 0);
	/* The H1 holds every link, but to sections inside itself. */
	assert_int_equal(set->sections[0].nlinks, 0);
	runbook_set_free(set);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_commit),
		cmocka_unit_test(test_many_links),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
