/*
 * test_slack_abandon.c: a Web API call the web client drops unanswered
 * at stop (slack_web_free) is freed by slack_api_abandon: its drop(arg)
 * runs once, its callback never. A real lws context and web client; the
 * request goes to a loopback port and is never answered, since the loop
 * never runs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "adapters/slack.h"

static int	 answered, dropped;

static void
on_answer(void *arg, const struct slack_api_answer *a,
    const struct slack_web_resp *r)
{
	answered++;
	free(arg);
}

static void
on_drop(void *arg)
{
	dropped++;
	free(arg);
}

static const struct lws_protocols protocols[] = {
	{ "slack-curl", slack_web_lws_cb, 0, 0, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

static void
test_abandon(void **state)
{
	struct lws_context_creation_info info;
	struct lws_context	*ctx;
	struct bot		 bot;
	struct slack		 sl;

	(void)state;
	memset(&bot, 0, sizeof bot);
	memset(&sl, 0, sizeof sl);
	bot.cfg = config_new();
	free(bot.cfg->api_url);
	bot.cfg->api_url = xstrdup("http://127.0.0.1:9/api/");
	sl.bot = &bot;
	lws_set_log_level(LLL_ERR, NULL);
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	assert_non_null(ctx = lws_create_context(&info));
	assert_non_null(sl.web = slack_web_new(ctx, 4, NULL));

	assert_int_equal(slack_api_call(&sl, "users.info", NULL, "user=U1",
	    on_answer, xstrdup("one"), on_drop), 0);
	assert_int_equal(slack_api_call(&sl, "chat.getPermalink", NULL,
	    "channel=C1&message_ts=1.2", on_answer, xstrdup("two"), on_drop),
	    0);
	/* a post in flight at stop, to a response_url (slack-deliver.c) */
	assert_int_equal(slack_api_call(&sl, "chat.postMessage",
	    "http://127.0.0.1:9/respond", "{\"text\":\"x\"}", on_answer,
	    xstrdup("three"), on_drop), 0);
	/* not in the method table: refused, nothing owned */
	assert_int_equal(slack_api_call(&sl, "no.such.method", NULL, NULL,
	    on_answer, NULL, on_drop), -1);
	assert_non_null(sl.calls);
	slack_web_free(sl.web);
	sl.web = NULL;
	slack_api_abandon(&sl);
	assert_null(sl.calls);
	assert_int_equal(dropped, 3);
	assert_int_equal(answered, 0);
	slack_api_abandon(&sl);		/* nothing left: a no-op */
	assert_int_equal(dropped, 3);
	lws_context_destroy(ctx);
	config_free(bot.cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_abandon),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
