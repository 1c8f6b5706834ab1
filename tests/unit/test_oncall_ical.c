/*
 * test_oncall_ical.c: a rotation that follows an iCalendar URL
 * (bot/oncall-ical.c): the URL's shape and ical_refresh in the config,
 * a good body swapped in and cached, a bad one or a failed fetch
 * keeping what was known, the store's copy at start, and what `oncall`
 * says meanwhile. The adapter is a stub whose fetch the test answers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libwebsockets.h>

#include "bot/bot.h"
#include "bot/config.h"
#include "bot/gate.h"
#include "bot/oncall.h"
#include "store/store.h"
#include "adapters/adapter.h"
#include "tests/unit/test-util.h"

#define MIN_MS		(INT64_C(60) * 1000)
#define URL		"https://cal.example/vault.ics?token=SECRET"

static const char feed_yaml[] =
    "rotations:\n"
    "  - name: cal\n"
    "    timezone: Europe/Berlin\n"
    "    ical: " URL "\n"
    "    ical_refresh: 30m\n"
    "  - name: other\n"
    "    timezone: UTC\n"
    "    ical: http://127.0.0.1:8080/cal/other.ics\n";

/* The stub adapter's fetches: the last asked for, and how many. */
struct stub {
	struct adapter_fetch	*last;
	int			 n;
	int			 refuse;
};
static struct stub stub;

static int
stub_fetch(struct adapter *a, struct adapter_fetch *f)
{
	(void)a;
	if (stub.refuse)
		return (-1);
	stub.last = f;
	stub.n++;
	return (0);
}

static const struct lws_protocols stub_protocols[] = {
	{ "stub", lws_callback_http_dummy, 0, 0, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

static const struct adapter_ops stub_ops = {
	.name = "stub",
	.protocols = stub_protocols,
	.fetch = stub_fetch,
};

/* tests/data/oncall.ics, whole (caller frees). */
static char *
ics(size_t *len)
{
	FILE	*f;
	char	*data;

	f = fopen(OPSBOT_SOURCE_DIR "/tests/data/oncall.ics", "rb");
	assert_non_null(f);
	data = xmalloc(ROTATION_ICAL_MAX);
	*len = fread(data, 1, ROTATION_ICAL_MAX, f);
	fclose(f);
	return (data);
}

static void
bot_init(struct bot *bot, struct adapter *a)
{
	struct lws_context_creation_info	 info;
	char					*cause = NULL;

	memset(bot, 0, sizeof *bot);
	if ((cause = test_config_load(feed_yaml, &bot->cfg)) != NULL)
		fail_msg("%s", cause);
	if ((bot->store = store_open(":memory:", &cause)) == NULL)
		fail_msg("%s", cause);
	memset(a, 0, sizeof *a);
	a->ops = &stub_ops;
	a->bot = bot;
	bot->adapter = a;
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = stub_protocols;
	lws_set_log_level(LLL_ERR, NULL);
	assert_non_null(bot->lws = lws_create_context(&info));
	memset(&stub, 0, sizeof stub);
}

static void
bot_fini(struct bot *bot)
{
	oncall_ical_stop(bot);
	lws_context_destroy(bot->lws);
	store_close(bot->store);
	config_free(bot->cfg);
}

static void
test_url_shape(void **state)
{
	(void)state;
	assert_int_equal(rotation_ical_url_ok("https://cal.example/x.ics"), 1);
	assert_int_equal(rotation_ical_url_ok("HTTP://127.0.0.1:99/c"), 1);
	assert_int_equal(rotation_ical_url_ok("https://"), 0);
	assert_int_equal(rotation_ical_url_ok("https:///x.ics"), 0);
	assert_int_equal(rotation_ical_url_ok("http://:80/x"), 0);
	assert_int_equal(rotation_ical_url_ok("http://a b/x"), 0);
	assert_int_equal(rotation_ical_url_ok("ftp://cal.example/x.ics"), 0);
	assert_int_equal(rotation_ical_url_ok("oncall.ics"), 0);
}

static void
test_config(void **state)
{
	static const struct {
		const char	*yaml;
		const char	*want;
	} rows[] = {
		{ "rotations:\n  - name: cal\n    timezone: UTC\n"
		  "    ical: https:///x.ics\n",
		  "t.yaml:4:11: rotations[0].ical: 'https:///x.ics' is not an "
		  "http:// or https:// URL with a host" },
		{ "rotations:\n  - name: cal\n    timezone: UTC\n"
		  "    ical: https://c.example/x.ics\n    ical_refresh: 10s\n",
		  "t.yaml:5:19: rotations[0].ical_refresh: '10s' is not a "
		  "duration from 1m to 7d" },
		{ "rotations:\n  - name: cal\n    timezone: UTC\n"
		  "    ical: oncall.ics\n    ical_refresh: 1h\n",
		  "t.yaml:5:5: rotations[0].ical_refresh: only a rotation "
		  "whose ical is a URL is refreshed" },
		{ "rotations:\n  - name: cal\n    timezone: UTC\n"
		  "    ical: https://c.example/x.ics\n    members: [U0AAA]\n",
		  "t.yaml:5:5: rotations[0].members: a rotation that follows "
		  "an iCalendar file takes its members from it" },
	};
	struct config		*cfg = NULL;
	const struct rotation	*r;
	struct rotation_shift	 s;
	char			*cause;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		if ((cause = test_config_load(rows[i].yaml, &cfg)) == NULL)
			fail_msg("row %zu loaded", i);
		if (strstr(cause, rows[i].want) == NULL)
			fail_msg("row %zu: got '%s', want '%s'", i, cause,
			    rows[i].want);
		free(cause);
	}
	/* loading fetches nothing: the schedule is unknown, no one */
	if ((cause = test_config_load(feed_yaml, &cfg)) != NULL)
		fail_msg("%s", cause);
	r = rotation_find(cfg, "cal");
	assert_string_equal(r->ical_url, URL);
	assert_null(r->ical);
	assert_null(r->ical_path);
	assert_int_equal(r->ical_refresh_ms, 30 * MIN_MS);
	assert_int_equal(r->members.n, 0);
	assert_int_equal(rotation_find(cfg, "other")->ical_refresh_ms,
	    ROTATION_ICAL_REFRESH_MS);
	assert_int_equal(rotation_oncall_at(NULL, r, 1785000000000, &s), 0);
	assert_string_equal(s.user, "");
	assert_int_equal(s.end_ms, ROTATION_FOREVER);
	config_free(cfg);
}

/* oncall_ical_learn and _failed on the config's rotation directly. */
static void
test_learn(void **state)
{
	struct bot		 bot;
	struct adapter		 a;
	struct rotation		*r;
	struct rotation_ical	*before;
	struct rotation_shift	 s;
	char			*data, *got = NULL;
	size_t			 len, glen;
	int64_t			 at;

	(void)state;
	bot_init(&bot, &a);
	r = &bot.cfg->rotations[0];
	test_said(&bot, "console", "U0AAA", "#random", "!oncall cal",
	    "The calendar has not been fetched yet");
	oncall_ical_failed(r, 1785000000000, "Could not resolve host");
	assert_int_equal(r->ical_tried_ms, 1785000000000);
	test_said(&bot, "console", "U0AAA", "#random", "!oncall cal",
	    "no one is on call");
	test_said(&bot, "console", "U0AAA", "#random", "!oncall cal",
	    "The calendar could not be fetched (last tried ");
	test_said(&bot, "console", "U0AAA", "#random", "!oncall cal",
	    ": Could not resolve host); no one is on "
	    "call from it until it is.");
	test_said(&bot, "console", "U0AAA", "#random", "!oncall list",
	    "follows a calendar URL (not fetched)");

	/* a good body: swapped in, its people the members, cached */
	data = ics(&len);
	assert_int_equal(oncall_ical_learn(&bot, r, data, len, 1785000060000,
	    1), 0);
	assert_non_null(r->ical);
	assert_null(r->ical_error);
	assert_int_equal(r->members.n, 3);
	assert_int_equal(r->ical_fetched_ms, 1785000060000);
	assert_int_equal(rotation_oncall_at(&bot, r,
	    1768867200000 /* 2026-01-20 */, &s), 0);
	assert_string_equal(s.user, "U0ICAL1");
	assert_int_equal(store_ical_get(bot.store, "cal", URL, &got, &glen,
	    &at), 1);
	assert_int_equal(glen, len);
	assert_int_equal(at, 1785000060000);
	free(got);

	/* a bad one: kept, and said */
	before = r->ical;
	assert_int_equal(oncall_ical_learn(&bot, r, "hello", 5,
	    1785000120000, 1), -1);
	assert_ptr_equal(r->ical, before);
	assert_int_equal(r->members.n, 3);
	assert_non_null(strstr(r->ical_error, "not a calendar"));
	assert_int_equal(r->ical_tried_ms, 1785000120000);
	test_said(&bot, "console", "U0AAA", "#random", "!oncall cal",
	    "The calendar could not be refreshed (last tried ");
	test_said(&bot, "console", "U0AAA", "#random", "!oncall cal",
	    "this is the schedule fetched ");
	/* the cache still holds the good body */
	assert_int_equal(store_ical_get(bot.store, "cal", URL, &got, &glen,
	    &at), 1);
	assert_int_equal(glen, len);
	free(got);
	free(data);
	bot_fini(&bot);
}

/* The loop's side: the store's copy at start, fetches answered. */
static void
test_fetch(void **state)
{
	struct bot		 bot;
	struct adapter		 a;
	struct rotation		*cal, *other;
	struct adapter_fetch	*f;
	char			*data;
	size_t			 len;

	(void)state;
	bot_init(&bot, &a);
	cal = &bot.cfg->rotations[0];
	other = &bot.cfg->rotations[1];
	data = ics(&len);
	assert_int_equal(store_ical_put(bot.store, "cal", URL, data, len,
	    1785000000000), 0);
	assert_int_equal(oncall_ical_waiting(&bot), 0);
	assert_int_equal(oncall_ical_start(&bot), 0);
	/* cal knows its schedule from the store before any answer */
	assert_non_null(cal->ical);
	assert_int_equal(cal->ical_fetched_ms, 1785000000000);
	assert_null(other->ical);
	assert_int_equal(stub.n, 2);
	assert_int_equal(oncall_ical_waiting(&bot), 2);

	/* other's server fails: still nobody, the error kept */
	f = stub.last;
	assert_string_equal(f->url, "http://127.0.0.1:8080/cal/other.ics");
	f->done(f, 500, NULL, "oops", 4);
	assert_int_equal(oncall_ical_waiting(&bot), 1);
	assert_null(other->ical);
	assert_string_equal(other->ical_error, "HTTP status 500");
	test_said(&bot, "console", "U0AAA", "#random", "!oncall other",
	    "(last tried ");
	test_said(&bot, "console", "U0AAA", "#random", "!oncall other",
	    ": HTTP status 500); no one is on call");
	/* then answers: swapped in */
	f->done(f, 200, NULL, data, len);
	assert_non_null(other->ical);
	assert_null(other->ical_error);
	assert_int_equal(other->members.n, 3);
	/* a transfer error keeps it */
	f->done(f, 0, "Operation timed out", "", 0);
	assert_non_null(other->ical);
	assert_string_equal(other->ical_error, "Operation timed out");
	oncall_ical_stop(&bot);
	assert_null(bot.ical);

	/* an adapter that cannot fetch: answered at once, nobody waits */
	stub.refuse = 1;
	assert_int_equal(oncall_ical_start(&bot), 0);
	assert_int_equal(oncall_ical_waiting(&bot), 0);
	assert_string_equal(cal->ical_error, "the adapter cannot fetch it");
	assert_non_null(cal->ical);	/* the store's copy again */
	free(data);
	bot_fini(&bot);
}

/* adapter_url_redact_new: what the logs may show of a feed's URL. */
static void
test_redact(void **state)
{
	char	*s;

	(void)state;
	s = adapter_url_redact_new("https://u:pw@cal.example/v.ics?token=x");
	assert_null(strstr(s, "pw"));
	assert_null(strstr(s, "token"));
	assert_non_null(strstr(s, "cal.example/v.ics"));
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url_shape),
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_learn),
		cmocka_unit_test(test_fetch),
		cmocka_unit_test(test_redact),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
