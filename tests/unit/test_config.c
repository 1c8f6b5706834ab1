/* test_config.c: the config file, and what a broken line tells the SRE. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "bot/bot.h"

static char *
write_tmp(const char *text)
{
	char	*path;
	FILE	*f;
	int	 fd;

	path = xstrdup("/tmp/opsbot-test-config-XX" "XX" "XX.yaml");
	fd = mkstemps(path, 5);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	return (path);
}

/* Loads text; returns the cause (caller frees) or NULL on success. */
static char *
load(const char *text, struct config **out)
{
	struct config	*cfg;
	char		*path, *cause = NULL, *rel;

	path = write_tmp(text);
	cfg = config_new();
	if (config_load(cfg, path, &cause) != 0) {
		/* drop the random path so rows can compare */
		rel = strstr(cause, ".yaml:");
		if (rel != NULL) {
			char *tmp = xstrdup(rel + 5);
			free(cause);
			cause = tmp;
		}
	}
	unlink(path);
	free(path);
	if (out != NULL && cause == NULL)
		*out = cfg;
	else
		config_free(cfg);
	return (cause);
}

static void
test_defaults(void **state)
{
	struct config	*cfg;

	cfg = config_new();
	assert_string_equal(cfg->prefix, "!");
	assert_string_equal(cfg->db_path, "opsbot.db");
	assert_string_equal(cfg->api_url, "https://slack.com/api/");
	assert_string_equal(cfg->console_channel, "#console");
	assert_string_equal(cfg->tz, "UTC");
	/* a dead socket replaced within 10 s (README) */
	assert_int_equal(cfg->ping_secs, 2);
	assert_int_equal(cfg->idle_secs, 8);
	assert_true(cfg->dedupe_secs >= 600);
	assert_int_equal(cfg->runbook_dirs.n, 0);
	config_free(cfg);
}

static void
test_full_file(void **state)
{
	struct config	*cfg = NULL;
	char		*cause;

	cause = load("runbooks:\n  - runbooks\n  - /srv/more\nprefix: \"?\"\n"
	    "store: /var/lib/opsbot/x.db\nlog_level: debug\n"
	    "timezone: Europe/Berlin\n"
	    "slack:\n  ping_interval: 5\n  pong_timeout: 12\n"
	    "  debug_reconnects: true\n", &cfg);
	assert_null(cause);
	assert_int_equal(cfg->runbook_dirs.n, 2);
	/* relative to the file's directory */
	assert_string_equal(cfg->runbook_dirs.v[0], "/tmp/runbooks");
	assert_string_equal(cfg->runbook_dirs.v[1], "/srv/more");
	assert_string_equal(cfg->prefix, "?");
	assert_int_equal(cfg->log_level, LOG_LVL_DEBUG);
	assert_int_equal(cfg->ping_secs, 5);
	assert_int_equal(cfg->idle_secs, 12);
	assert_int_equal(cfg->debug_reconnects, 1);
	assert_string_equal(cfg->tz, "Europe/Berlin");
	config_free(cfg);
}

static const struct {
	const char	*text;
	const char	*want;	/* cause after the file name */
} bad[] = {
	/* 1 */ { "prefix: \"!\"\nfrobnicate: 3\n",
		  ":2:1: unknown option 'frobnicate'" },
	/* 2 */ { "slack:\n  ping_interval: often\n",
		  ":2:18: slack.ping_interval: 'often' is not a whole number" },
	/* 3 */ { "slack:\n  pong_timeout: 100000\n",
		  ":2:17: slack.pong_timeout: 100000 is out of range (2 to 900)" },
	/* 4 */ { "log_level: loud\n",
		  ":1:12: log_level: 'loud' is not one of error, warn, info, debug" },
	/* 5 */ { "runbooks: {a: b}\n",
		  ":1:11: runbooks: expected a list of directories" },
	/* 6 */ { "prefix: [\"!\"\n",
		  ":2:1: did not find expected ',' or ']' while parsing a flow sequence" },
	/* 7 */ { "slack:\n  bot_token: xoxb-123\n",
		  ":2:3: slack.bot_token: tokens are read only from the environment "
		  "(SLACK_APP_TOKEN, SLACK_BOT_TOKEN), never from the config file" },
	/* 8 */ { "- a\n- b\n", ":1:1: the config must be a mapping of option: value" },
	/* 9 */ { "slack:\n  debug_reconnects: maybe\n",
		  ":2:21: slack.debug_reconnects: 'maybe' is not true or false" },
	/* 10 */ { "slack:\n  ca_file: /nonexistent/ca.pem\n",
		  ":2:12: slack.ca_file: cannot read '/nonexistent/ca.pem': "
		  "No such file or directory" },
	/* 11 */ { "prefix: \"?\"\n---\nprefix: \"!\"\n",
		  ":2:1: a second YAML document: the config file holds one" },
	/* 12 */ { "store: \"\"\n",
		  ":1:8: store: must not be empty (an empty name is a "
		  "temporary database)" },
	/* 13 */ { "prefix: \"a\\0b\"\n",
		  ":1:9: prefix: contains a NUL byte" },
	/* 14 */ { "slack:\n  ping_interval: \"5\\0x\"\n",
		  ":2:18: slack.ping_interval: contains a NUL byte" },
	/* 15 */ { "runbooks:\n  - \"a\\0b\"\n",
		  ":2:5: runbooks: contains a NUL byte" },
	/* 16 */ { "slack:\n  ca_file: /tmp\n",
		  ":2:12: slack.ca_file: '/tmp' is a directory" },
	/* 17 */ { "slack:\n  ca_file: " OPSBOT_SOURCE_DIR "/config/opsbot.yaml\n",
		  ":2:12: slack.ca_file: '" OPSBOT_SOURCE_DIR
		  "/config/opsbot.yaml' holds no readable PEM certificate" },
	/* 18 */ { "slack: 1\n",
		  ":1:8: slack: expected a mapping of slack.* options" },
	/* 19 */ { "slack:\n  foo: 1\n", ":2:3: unknown option 'slack.foo'" },
	/* 20 */ { "runbooks: &l [a]\nprefix: *l\n",
		  ":2:9: prefix: expected a single value" },
	/* 21 */ { "prefix: *nope\n",
		  ":1:9: alias '*nope' names no anchor before it" },
	/* 22 */ { "runbooks: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
		  "[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n",
		  ":1:74: nesting deeper than 64 levels" },
	/* 23 */ { "slack:\n  \"foo\\0bar\": 1\n", ":2:3: keys must be plain names" },
	/* 24 */ { "runbooks: &x [*x]\n",
		  ":1:15: alias '*x' names a list or mapping it is part of" },
	/* 25 */ { "slack:\n  ping_interval: 10\n",
		  ":2:18: slack.pong_timeout (8) must be larger than "
		  "slack.ping_interval (10)" },
	/* 26 */ { "slack:\n  ping_interval: 5\n  pong_timeout: 5\n",
		  ":3:17: slack.pong_timeout (5) must be larger than "
		  "slack.ping_interval (5)" },
	/* glibc would read an unknown zone as UTC, silently */
	/* 27 */ { "prefix: \"!\"\ntimezone: Europe/Berln\n",
		  ":2:11: timezone: 'Europe/Berln' is not a time zone of the tz "
		  "database (/usr/share/zoneinfo); e.g. Europe/Berlin, "
		  "America/New_York, UTC" },
	/* 28 */ { "timezone: /etc/localtime\n",
		  ":1:11: timezone: a time zone is a name such as "
		  "Europe/Berlin, not a path" },
	/* 29 */ { "timezone: ../../etc/passwd\n",
		  ":1:11: timezone: a time zone name has only letters, digits "
		  "and / _ + - (such as Europe/Berlin)" },
	/* 30 */ { "timezone: \"\"\n",
		  ":1:11: timezone: no time zone given: name one such as "
		  "Europe/Berlin, America/New_York or UTC" },
};

static void
test_bad_lines(void **state)
{
	char	*cause;
	size_t	 i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cause = load(bad[i].text, NULL);
		if (cause == NULL)
			fail_msg("row %zu: accepted", i + 1);
		if (strcmp(cause, bad[i].want) != 0)
			fail_msg("row %zu: got '%s', want '%s'", i + 1, cause,
			    bad[i].want);
		free(cause);
	}
}

/* Inputs too big to write as rows: built, then loaded as rows are. */
static void
test_limits(void **state)
{
	struct buf	 b = { NULL, 0, 0 };
	char		*cause;
	size_t		 i;

	/* 1M nested '[' once took minutes: stops at the depth limit */
	for (i = 0; i < 1000000; i++)
		buf_addc(&b, '[');
	cause = load(buf_str(&b), NULL);
	assert_non_null(cause);
	assert_string_equal(cause, ":1:65: nesting deeper than 64 levels");
	free(cause);
	buf_reset(&b);

	/*
	 * an anchor bomb (200,000 anchors took 97 s, quadratic in their
	 * number): as many as fit in the size limit stop at the anchor limit
	 */
	buf_adds(&b, "runbooks:\n");
	for (i = 0; i < 60000; i++)
		buf_printf(&b, "  - &a%zu d\n", i);
	cause = load(buf_str(&b), NULL);
	assert_non_null(cause);
	assert_string_equal(cause, ":102:5: more than 100 anchors");
	free(cause);
	buf_reset(&b);

	/* aliases of a big value add up */
	buf_adds(&b, "runbooks:\n  - &big ");
	for (i = 0; i < 600000; i++)
		buf_addc(&b, 'x');
	buf_adds(&b, "\n  - *big\n  - *big\n");
	cause = load(buf_str(&b), NULL);
	assert_non_null(cause);
	assert_string_equal(cause,
	    ":4:5: aliases expand to more than 1048576 bytes");
	free(cause);
	buf_reset(&b);

	/* the file itself */
	for (i = 0; i < 1100000 / 10; i++)
		buf_adds(&b, "#........\n");
	cause = load(buf_str(&b), NULL);
	assert_non_null(cause);
	assert_string_equal(cause,
	    ":0:0: config file is larger than 1048576 bytes");
	free(cause);
	buf_reset(&b);
}

/* Bytes in memory load as a file of that name would. */
static void
test_load_string(void **state)
{
	static const char	 text[] = "runbooks: rb\nprefix: \"?\"\n";
	struct config		*cfg;
	char			*cause = NULL;

	cfg = config_new();
	assert_int_equal(config_load_string(cfg, "/etc/opsbot/x.yaml", text,
	    sizeof text - 1, &cause), 0);
	assert_string_equal(cfg->prefix, "?");
	assert_string_equal(cfg->runbook_dirs.v[0], "/etc/opsbot/rb");
	assert_string_equal(cfg->path, "/etc/opsbot/x.yaml");
	assert_int_equal(config_load_string(cfg, "y.yaml", "a: [", 4,
	    &cause), -1);
	assert_string_equal(cause, "y.yaml:2:1: did not find expected node "
	    "content while parsing a flow node");
	free(cause);
	config_free(cfg);
}

/* A directory or an empty store name is named as such. */
static void
test_vague_messages(void **state)
{
	struct config	*cfg;
	char		*cause = NULL;

	cfg = config_new();
	assert_int_equal(config_load(cfg, "/tmp", &cause), -1);
	assert_string_equal(cause, "/tmp:0:0: cannot read config file: "
	    "it is a directory");
	free(cause);
	config_free(cfg);
}

static void
test_tokens_from_env_only(void **state)
{
	struct config	*cfg;
	char		*cause = NULL;

	cfg = config_new();
	setenv("SLACK_APP_TOKEN", "xoxb-wrong-kind-of-token", 1);
	unsetenv("SLACK_BOT_TOKEN");
	assert_int_equal(config_from_env(cfg, &cause), -1);
	assert_string_equal(cause, "SLACK_APP_TOKEN does not start with 'xapp-'");
	/* the value is never echoed */
	assert_null(strstr(cause, "wrong-kind"));
	free(cause);
	config_free(cfg);

	cfg = config_new();
	setenv("SLACK_APP_TOKEN", "xapp-1-A0001-secretsecret", 1);
	setenv("SLACK_BOT_TOKEN", "xoxb-0001-secretsecret", 1);
	setenv("SLACK_API_URL", "http://127.0.0.1:9/api", 1);
	assert_int_equal(config_from_env(cfg, &cause), 0);
	assert_string_equal(cfg->api_url, "http://127.0.0.1:9/api/");
	assert_non_null(cfg->app_token);
	config_free(cfg);
	unsetenv("SLACK_APP_TOKEN");
	unsetenv("SLACK_BOT_TOKEN");
	unsetenv("SLACK_API_URL");
	log_release();
}

static void
test_log_redaction(void **state)
{
	char	 line[] = "posting with xoxb-0001-secretsecret and "
	    "xapp-1-A0001-secretsecret done";
	char	 mine[] = "my token is hunter2hunter2 ok";

	log_redact(line);
	assert_string_equal(line, "posting with xoxb-*** and xapp-*** done");
	log_add_secret("hunter2hunter2");
	log_redact(mine);
	assert_string_equal(mine, "my token is *** ok");
	log_release();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_full_file),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_load_string),
		cmocka_unit_test(test_vague_messages),
		cmocka_unit_test(test_tokens_from_env_only),
		cmocka_unit_test(test_log_redaction),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
