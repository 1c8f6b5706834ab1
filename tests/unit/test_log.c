/*
 * test_log.c: what reaches the log: secrets masked (tokens, configured
 * secrets, URL passwords) and control characters escaped, so no input
 * can forge a log line or send a terminal escape.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bot/bot.h"

/* Logs one line through the real writer; returns it after the level. */
static char *
logged(const char *arg)
{
	FILE	*f;
	char	 line[4096], *msg;
	size_t	 n;

	f = tmpfile();
	assert_non_null(f);
	log_init(LOG_LVL_INFO, f);
	log_info("%s", arg);
	log_init(LOG_LVL_INFO, NULL);
	rewind(f);
	n = fread(line, 1, sizeof line - 1, f);
	fclose(f);
	line[n] = '\0';
	/* exactly one line, ending in its newline */
	assert_true(n > 0 && line[n - 1] == '\n');
	assert_ptr_equal(strchr(line, '\n'), line + n - 1);
	line[n - 1] = '\0';
	msg = strstr(line, " info ");
	assert_non_null(msg);
	return (xstrdup(msg + 6));
}

static void
test_control_chars_escaped(void **state)
{
	char	*s;

	s = logged("cannot read 'a.md\n2026-01-01T00:00:00Z info "
	    "forged\x1b[31m\r\x7f\tend'");
	assert_string_equal(s, "cannot read 'a.md\\n2026-01-01T00:00:00Z info "
	    "forged\\x1b[31m\\r\\x7f\\tend'");
	free(s);
	/* C1 controls (U+0080-U+009F) are escapes to some terminals too */
	s = logged("csi \xc2\x9b" "2J caf\xc3\xa9");
	assert_string_equal(s, "csi \\xc2\\x9b2J caf\xc3\xa9");
	free(s);
}

static void
test_url_userinfo_masked(void **state)
{
	char	*s;

	s = logged("fetching https://deploy:s3cr3tpw@git.example/x.git "
	    "and ftp://anon@host/ and http://u:p@h/ "
	    "and https://h/path?q=a:b@c");
	assert_string_equal(s, "fetching https://deploy:***@git.example/x.git "
	    "and ftp://anon@host/ and http://u:*@h/ "
	    "and https://h/path?q=a:b@c");
	free(s);
}

static void
test_tokens_masked(void **state)
{
	char	 line[] = "!runbook xoxb-123-456-abc and xoxp-9-zz and "
	    "xoxe.xoxp-1-abcdef";
	char	*s;

	log_redact(line);
	assert_string_equal(line, "!runbook xoxb-*** and xoxp-*** and "
	    "xoxe.xoxp-***");
	s = logged("token xapp-1-A0001-secretsecret");
	assert_string_equal(s, "token xapp-***");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_control_chars_escaped),
		cmocka_unit_test(test_url_userinfo_masked),
		cmocka_unit_test(test_tokens_masked),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
