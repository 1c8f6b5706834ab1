/*
 * test-util.h: fixture helpers that more than one unit test needs, so
 * each is written once. tests/CMakeLists.txt links test-util.c (the
 * opsbot_test_util library) into every unit test. Include after
 * <cmocka.h> (failures are cmocka's fail_msg).
 */
#ifndef OPSBOT_TEST_UTIL_H
#define OPSBOT_TEST_UTIL_H

#include <stdint.h>

struct bot;
struct config;

/*
 * "2026-03-29T01:30:00Z" (that shape exactly, always UTC) as wall ms
 * UTC; anything else fails the test (fail_msg).
 */
int64_t	 test_utc_ms(const char *iso);
/*
 * Loads yaml as the config file tests/data/t.yaml (so its errors name
 * that path). Returns NULL with *out set (caller config_free()s it), or
 * the cause (caller frees) with *out untouched.
 */
char	*test_config_load(const char *yaml, struct config **out);
/*
 * Runs text through dispatch_message (the commands, as users see them)
 * as user's message in channel on adapter ("slack", "console"),
 * asserting it replied. Returns the reply's blocks joined with "\n"
 * (caller frees).
 */
char	*test_say(struct bot *, const char *adapter, const char *user,
	    const char *channel, const char *text);
/* test_say, and fails the test unless its answer contains want. */
void	 test_said(struct bot *, const char *adapter, const char *user,
	    const char *channel, const char *text, const char *want);

#endif /* OPSBOT_TEST_UTIL_H */
