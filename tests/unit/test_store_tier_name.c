/*
 * test_store_tier_name.c: migration 13 on a database of schema 11 with
 * tickets in it: each keeps its tier, now by name (the enum's order
 * then: Essential, Advanced, Premium), and has no permalink yet.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "bot/bot.h"
#include "store/store.h"

static const char schema_v11_rows[] =
    "INSERT INTO tickets (id, adapter, channel, thread_ts, requester,"
    " priority, tier, opened_ms, due_ms, warn_ms, updated_ms) VALUES"
    " (1, 'slack', 'C1', '1.1', 'U1', 1, 2, 0, 10, 8, 0),"
    " (2, 'slack', 'C1', '1.2', 'U1', 1, 0, 0, 10, 8, 0);";

static void
test_tier_by_name(void **state)
{
	char			 path[] = "/tmp/test_store_tier.XXXXXX";
	struct store_ticket	 t;
	struct store		*s;
	sqlite3			*db;
	char			*cause = NULL;
	int			 fd, i;

	(void)state;
	assert_true((fd = mkstemp(path)) >= 0);
	close(fd);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	for (i = 1; i <= 11; i++)
		assert_int_equal(sqlite3_exec(db, store_migration_sql(i), NULL,
		    NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, schema_v11_rows, NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 11", NULL,
	    NULL, NULL), SQLITE_OK);
	sqlite3_close(db);

	s = store_open(path, &cause);
	if (s == NULL)
		fail_msg("%s", cause);
	assert_true(store_schema_version(s) >= 13);
	assert_int_equal(store_ticket_get(s, 1, &t), 1);
	assert_string_equal(t.tier_name, "Premium");
	assert_null(t.permalink);
	store_ticket_release(&t);
	assert_int_equal(store_ticket_get(s, 2, &t), 1);
	assert_string_equal(t.tier_name, "Essential");
	store_ticket_release(&t);
	store_close(s);
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tier_by_name),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
