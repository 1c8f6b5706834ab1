/*
 * test-util.c: the helpers of test-util.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "bot/bot.h"
#include "bot/config.h"
#include "bot/gate.h"
#include "bot/mrkdwn.h"
#include "bot/util.h"
#include "tests/unit/test-util.h"

int64_t
test_utc_ms(const char *iso)
{
	struct tm	 tm;

	memset(&tm, 0, sizeof tm);
	if (sscanf(iso, "%d-%d-%dT%d:%d:%dZ", &tm.tm_year, &tm.tm_mon,
	    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
		fail_msg("bad test time %s", iso);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return ((int64_t)timegm(&tm) * 1000);
}

char *
test_config_load(const char *yaml, struct config **out)
{
	struct config	*cfg = config_new();
	char		*cause = NULL;

	if (config_load_string(cfg, OPSBOT_SOURCE_DIR "/tests/data/t.yaml",
	    yaml, strlen(yaml), &cause) != 0) {
		config_free(cfg);
		return (cause);
	}
	*out = cfg;
	return (NULL);
}

char *
test_say(struct bot *bot, const char *adapter, const char *user,
    const char *channel, const char *text)
{
	struct reply	 reply;
	struct msg	 m;
	struct buf	 b = { NULL, 0, 0 };
	size_t		 i;

	memset(&reply, 0, sizeof reply);
	memset(&m, 0, sizeof m);
	m.adapter = adapter;
	m.channel = channel;
	m.user = user;
	m.ts = "1785000000.000001";
	m.text = text;
	assert_int_equal(dispatch_message(bot, &m, &reply), DISPATCH_REPLIED);
	for (i = 0; i < reply.blocks.n; i++)
		buf_printf(&b, "%s%s", i > 0 ? "\n" : "", reply.blocks.v[i]);
	reply_reset(&reply);
	return (buf_release(&b));
}

void
test_said(struct bot *bot, const char *adapter, const char *user,
    const char *channel, const char *text, const char *want)
{
	char	*got = test_say(bot, adapter, user, channel, text);

	if (got == NULL || strstr(got, want) == NULL)
		fail_msg("'%s' answered '%s', not '%s'", text,
		    got != NULL ? got : "(nothing)", want);
	free(got);
}
