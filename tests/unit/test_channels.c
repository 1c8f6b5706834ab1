/*
 * test_channels.c: channel names learnt from the adapter (channels.h),
 * kept in memory and in the store across a restart, and watch rules
 * written with a name found through them (watch_chan_for).
 */
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
#include "bot/channels.h"
#include "store/store.h"

static struct store *
open_ok(const char *path)
{
	struct store	*s;
	char		*cause = NULL;

	if ((s = store_open(path, &cause)) == NULL)
		fail_msg("store_open: %s", cause);
	return (s);
}

static void
test_learn_and_restart(void **state)
{
	struct bot	 bot;
	char		 dir[] = "/tmp/test_channels.XXXXXX", path[64];

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/bot.db", dir);
	memset(&bot, 0, sizeof bot);
	bot.store = open_ok(path);
	bot.channels = channel_names_new(bot.store);
	assert_null(channel_name(&bot, "C0001"));
	channel_learn(&bot, "C0001", "#ops");
	channel_learn(&bot, "C0002", "operator-vault-general");
	assert_string_equal(channel_name(&bot, "C0001"), "ops");
	/* renamed in Slack: the new name wins */
	channel_learn(&bot, "C0001", "ops-renamed");
	assert_string_equal(channel_name(&bot, "C0001"), "ops-renamed");
	assert_null(channel_name(&bot, "C0003"));
	assert_null(channel_name(&bot, NULL));
	channel_names_free(bot.channels);
	store_close(bot.store);

	/* a restart knows them at once */
	bot.store = open_ok(path);
	bot.channels = channel_names_new(bot.store);
	assert_string_equal(channel_name(&bot, "C0001"), "ops-renamed");
	assert_string_equal(channel_name(&bot, "C0002"),
	    "operator-vault-general");
	channel_names_free(bot.channels);
	store_close(bot.store);
	channel_names_free(NULL);

	/* no map at all: nothing known, nothing stored */
	memset(&bot, 0, sizeof bot);
	channel_learn(&bot, "C0001", "ops");
	assert_null(channel_name(&bot, "C0001"));
	snprintf(path, sizeof path, "rm -rf %s", dir);
	assert_int_equal(system(path), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_learn_and_restart),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
