/* test_cmd.c: the command table is complete and every entry documented. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>

#include <cmocka.h>

#include "commands/cmd.h"

static void
test_every_file_has_an_entry(void **state)
{
	DIR		*d;
	struct dirent	*de;
	char		*name;
	size_t		 len, files = 0, entries = 0;

	d = opendir(OPSBOT_SOURCE_DIR "/commands");
	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (strncmp(de->d_name, "cmd-", 4) != 0 || len < 7 ||
		    strcmp(de->d_name + len - 2, ".c") != 0)
			continue;
		name = xstrndup(de->d_name + 4, len - 6);
		if (cmd_find(name) == NULL)
			fail_msg("commands/%s has no entry in cmd_table[]",
			    de->d_name);
		free(name);
		files++;
	}
	closedir(d);
	while (cmd_table[entries] != NULL)
		entries++;
	assert_int_equal(files, entries);
}

static void
test_entries_documented_and_sorted(void **state)
{
	size_t	 i;

	for (i = 0; cmd_table[i] != NULL; i++) {
		assert_non_null(cmd_table[i]->usage);
		assert_non_null(cmd_table[i]->help);
		assert_true(strlen(cmd_table[i]->help) > 10);
		assert_non_null(cmd_table[i]->exec);
		if (i > 0 && strcmp(cmd_table[i - 1]->name,
		    cmd_table[i]->name) >= 0)
			fail_msg("cmd_table[] not alphabetical at %s",
			    cmd_table[i]->name);
	}
}

static void
test_find_exact_only(void **state)
{
	assert_non_null(cmd_find("sop"));
	assert_non_null(cmd_find("SOP"));
	assert_ptr_equal(cmd_find("rb"), cmd_find("runbook"));
	/* an abbreviation must never resolve to an ops command */
	assert_null(cmd_find("so"));
	assert_null(cmd_find("esc"));
	assert_null(cmd_find(""));
}

/* A person in a command: a mention, or the ID as typed on the console. */
static void
test_user_parse(void **state)
{
	char	 u[16];

	(void)state;
	assert_int_equal(cmd_user_parse("<@U0AB12>", u, sizeof u), 1);
	assert_string_equal(u, "U0AB12");
	assert_int_equal(cmd_user_parse("<@W0AB12|ann>", u, sizeof u), 1);
	assert_string_equal(u, "W0AB12");
	assert_int_equal(cmd_user_parse("@U0AB12", u, sizeof u), 1);
	assert_string_equal(u, "U0AB12");
	assert_int_equal(cmd_user_parse("U0AB12", u, sizeof u), 1);
	/* names, channels, broken mentions, too long: none is a person */
	assert_int_equal(cmd_user_parse("bob", u, sizeof u), 0);
	assert_int_equal(cmd_user_parse("@bob", u, sizeof u), 0);
	assert_int_equal(cmd_user_parse("<#C0AB12>", u, sizeof u), 0);
	assert_int_equal(cmd_user_parse("<@U0AB12", u, sizeof u), 0);
	assert_int_equal(cmd_user_parse("<@>", u, sizeof u), 0);
	assert_int_equal(cmd_user_parse("@", u, sizeof u), 0);
	assert_int_equal(cmd_user_parse("U0123456789ABCDEF", u, sizeof u), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_file_has_an_entry),
		cmocka_unit_test(test_entries_documented_and_sorted),
		cmocka_unit_test(test_find_exact_only),
		cmocka_unit_test(test_user_parse),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
