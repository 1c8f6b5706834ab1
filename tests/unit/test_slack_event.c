/*
 * test_slack_event.c: the pure part of the Slack adapter: frame
 * classification, self/bot/subtype filtering, dedupe keys, the JSON we
 * send, backoff, URL rules, and hostile input (truncated, mistyped,
 * mutated and huge frames) that must never crash the parser.
 * Fixtures are the shared Slack payloads (fixtures/README.md). Covers
 * slack-frame.c, slack-frame-lejp.c, slack-verdict.c, slack-json.c,
 * slack-conn-policy.c and slack-url.c (once slack-event.c).
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

#ifndef FIXTURES_DIR
#define FIXTURES_DIR OPSBOT_SEEDS_DIR "/../fixtures"
#endif

static const struct slack_self self = { "U0BOT", "B0001", "A0001" };

static char *
fixture(const char *name, size_t *lenp)
{
	char	*path, *data;
	FILE	*f;
	long	 len;

	xasprintf(&path, "%s/%s.json", FIXTURES_DIR, name);
	f = fopen(path, "rb");
	if (f == NULL)
		fail_msg("cannot open %s", path);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	data = xmalloc(len + 1);
	assert_int_equal(fread(data, 1, len, f), (size_t)len);
	data[len] = '\0';
	fclose(f);
	free(path);
	if (lenp != NULL)
		*lenp = (size_t)len;
	return (data);
}

static void
parse_fixture(const char *name, struct slack_frame *f)
{
	char	*data, *cause = NULL;
	size_t	 len;

	data = fixture(name, &len);
	if (slack_frame_parse(data, len, f, &cause) != 0)
		fail_msg("%s: %s", name, cause);
	free(data);
}

/* 1. Every control frame and envelope type is classified. */
static void
test_classify(void **state)
{
	static const struct {
		const char		*name;
		enum slack_frame_type	 type;
		const char		*envelope_id;
		const char		*reason;
		int			 retry;
		int			 accepts;
	} t[] = {
		{ "hello", SLACK_FRAME_HELLO, NULL, NULL, 0, 0 },
		{ "disconnect_warning", SLACK_FRAME_DISCONNECT, NULL,
		    "warning", 0, 0 },
		{ "disconnect_refresh_requested", SLACK_FRAME_DISCONNECT,
		    NULL, "refresh_requested", 0, 0 },
		{ "disconnect_too_many_websockets_sdkmock",
		    SLACK_FRAME_DISCONNECT, NULL, "too_many_websockets", 0, 0 },
		{ "events_api_message", SLACK_FRAME_EVENTS_API,
		    "3b7e4a52-6c1d-4c8e-9a5b-1f2e3d4c5b6a", NULL, 0, 0 },
		{ "events_api_message_retry", SLACK_FRAME_EVENTS_API,
		    "9c2d1e0f-8a7b-4c6d-b5e4-f3a2b1c0d9e8", NULL, 1, 0 },
		{ "slash_command", SLACK_FRAME_SLASH,
		    "dbdd0ef3-1543-4f94-bfb4-133d0e6c1545", NULL, 0, 1 },
		{ "interactive_block_actions", SLACK_FRAME_INTERACTIVE,
		    "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d", NULL, 0, -1 },
	};
	struct slack_frame	 f;
	size_t			 i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		parse_fixture(t[i].name, &f);
		assert_int_equal(f.type, t[i].type);
		if (t[i].envelope_id == NULL)
			assert_null(f.envelope_id);
		else
			assert_string_equal(f.envelope_id, t[i].envelope_id);
		if (t[i].reason == NULL)
			assert_null(f.reason);
		else
			assert_string_equal(f.reason, t[i].reason);
		assert_int_equal(f.retry_attempt, t[i].retry);
		if (t[i].accepts >= 0)
			assert_int_equal(f.accepts_response_payload,
			    t[i].accepts);
		slack_frame_clear(&f);
	}
	parse_fixture("hello", &f);
	assert_string_equal(f.app_id, "A0001");
	slack_frame_clear(&f);
}

/* 2. Disconnect reasons map to what the bot does about them. */
static void
test_disconnect_kind(void **state)
{
	assert_int_equal(slack_disconnect_kind("warning"), SLACK_DISC_REFRESH);
	assert_int_equal(slack_disconnect_kind("refresh_requested"),
	    SLACK_DISC_REFRESH);
	assert_int_equal(slack_disconnect_kind("link_disabled"),
	    SLACK_DISC_LINK_DISABLED);
	assert_int_equal(slack_disconnect_kind("too_many_websockets"),
	    SLACK_DISC_TOO_MANY);
	assert_int_equal(slack_disconnect_kind(NULL), SLACK_DISC_REFRESH);
	assert_int_equal(slack_disconnect_kind("something_new"),
	    SLACK_DISC_REFRESH);
}

/* 3. Which events reach dispatch, and how they look. */
static void
test_event_verdicts(void **state)
{
	static const struct {
		const char		*name;
		enum slack_verdict	 v;
		int			 addressed;
		const char		*channel;
		const char		*thread;	/* reply thread */
		int			 flags;		/* MSG_FROM_SELF... */
	} t[] = {
		{ "events_api_message", SLACK_HANDLE, 0, "C0001",
		    "1700000100.000200", 0 },
		{ "events_api_message_retry", SLACK_HANDLE, 0, "C0001",
		    "1700000100.000200", 0 },
		{ "events_api_message_im", SLACK_HANDLE, 1, "D0001",
		    "1700000200.000300", 0 },
		{ "events_api_app_mention", SLACK_HANDLE, 1, "C0001",
		    "1700000900.000100", 0 },
		{ "events_api_app_mention_companion_message", SLACK_HANDLE,
		    0, "C0001", "1700000900.000100", 0 },
		{ "events_api_thread_reply", SLACK_HANDLE, 0, "C0001",
		    "1700000100.000200", 0 },
		{ "events_api_thread_broadcast", SLACK_HANDLE, 0, "C0001",
		    "1700000100.000200", 0 },
		{ "events_api_file_share", SLACK_HANDLE, 0, "C0001",
		    "1700000800.000100", 0 },
		/* the gate drops these by their flags (gate.c) */
		{ "events_api_bot_message_self", SLACK_HANDLE, 0, "C0001",
		    NULL, MSG_FROM_SELF },
		{ "events_api_bot_message_other_app", SLACK_HANDLE, 0,
		    "C0001", NULL, MSG_FROM_BOT },
		{ "events_api_bot_message_classic_subtype", SLACK_HANDLE,
		    0, "C0001", NULL, MSG_FROM_BOT },
		{ "events_api_message_changed", SLACK_HANDLE, 0, "C0001",
		    NULL, MSG_EDITED },
		{ "events_api_message_deleted", SLACK_HANDLE, 0, "C0001",
		    NULL, MSG_DELETED },
		/* a join is nobody's message, ours or not */
		{ "events_api_channel_join", SLACK_IGNORE_SUBTYPE, 0, NULL,
		    NULL, 0 },
		{ "events_api_app_rate_limited", SLACK_IGNORE_NO_EVENT, 0,
		    NULL, NULL, 0 },
	};
	struct slack_frame	 f;
	struct msg		 m;
	size_t			 i;
	enum slack_verdict	 v;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		parse_fixture(t[i].name, &f);
		v = slack_event_to_msg(f.payload, &self, &m);
		if (v != t[i].v)
			fail_msg("%s: got %s, want %s", t[i].name,
			    slack_verdict_name(v), slack_verdict_name(t[i].v));
		if (v == SLACK_HANDLE) {
			assert_string_equal(m.adapter, "slack");
			assert_int_equal(m.addressed, t[i].addressed);
			assert_string_equal(m.channel, t[i].channel);
			if (m.flags != t[i].flags)
				fail_msg("%s: flags %#x, want %#x", t[i].name,
				    m.flags, t[i].flags);
			if (t[i].thread != NULL)
				assert_string_equal(msg_reply_thread(&m),
				    t[i].thread);
			assert_string_equal(m.bot_user_id, "U0BOT");
			assert_non_null(m.event_id);
			assert_null(m.command);
		} else
			assert_null(m.channel);
		slack_frame_clear(&f);
	}
}

/* 4. Someone else's join is still a subtype, not a command. */
static void
test_subtype_join_other(void **state)
{
	static const char *j = "{\"type\":\"events_api\",\"envelope_id\":\"e\","
	    "\"payload\":{\"event_id\":\"Ev9\",\"event\":{\"type\":\"message\","
	    "\"subtype\":\"channel_join\",\"user\":\"U0002\",\"text\":\"<@U0002>"
	    " has joined the channel\",\"channel\":\"C0001\",\"ts\":\"1.2\"}}}";
	static const char *app = "{\"type\":\"events_api\",\"payload\":"
	    "{\"event\":{\"type\":\"message\",\"user\":\"U0003\",\"app_id\":"
	    "\"A0001\",\"text\":\"x\",\"channel\":\"C0001\",\"ts\":\"1.3\"}}}";
	struct slack_frame	 f;
	struct msg		 m;
	char			*cause = NULL;

	assert_int_equal(slack_frame_parse(j, strlen(j), &f, &cause), 0);
	assert_int_equal(slack_event_to_msg(f.payload, &self, &m),
	    SLACK_IGNORE_SUBTYPE);
	slack_frame_clear(&f);
	/* our app_id alone marks a message as ours */
	assert_int_equal(slack_frame_parse(app, strlen(app), &f, &cause), 0);
	assert_int_equal(slack_event_to_msg(f.payload, &self, &m),
	    SLACK_HANDLE);
	assert_int_equal(m.flags, MSG_FROM_SELF);
	slack_frame_clear(&f);
}

/* 5. Dedupe keys: retries share ev:, mention+message share ts:. */
static void
test_dedupe_keys(void **state)
{
	static const char *names[] = { "events_api_message",
	    "events_api_message_retry", "events_api_app_mention",
	    "events_api_app_mention_companion_message" };
	struct slack_frame	 f;
	struct msg		 m[4];
	size_t			 i;

	/* The gate keys on event_id and on channel+ts (gate.c). */
	for (i = 0; i < 4; i++) {
		parse_fixture(names[i], &f);
		assert_int_equal(slack_event_to_msg(f.payload, &self, &m[i]),
		    SLACK_HANDLE);
		/* the pointers borrow from f: copy what is compared */
		m[i].event_id = strdup(m[i].event_id);
		m[i].ts = strdup(m[i].ts);
		m[i].channel = strdup(m[i].channel);
		slack_frame_clear(&f);
	}
	assert_string_equal(m[0].event_id, "Ev0001AAAA");
	assert_string_equal(m[0].ts, "1700000100.000200");
	/* a retry is a duplicate */
	assert_string_equal(m[0].event_id, m[1].event_id);
	assert_string_equal(m[0].ts, m[1].ts);
	/* different event ids... */
	assert_string_not_equal(m[2].event_id, m[3].event_id);
	/* ...one message */
	assert_string_equal(m[2].ts, m[3].ts);
	assert_string_equal(m[2].channel, m[3].channel);
	assert_string_equal(m[2].ts, "1700000900.000100");
	for (i = 0; i < 4; i++) {
		free((char *)m[i].event_id);
		free((char *)m[i].ts);
		free((char *)m[i].channel);
	}
}

/*
 * reaction_added: a MSG_REACTION on the item (channel, ts), by both
 * parsers (the fast path hands it to jansson); ours are MSG_FROM_SELF;
 * a reaction to a file or without its item is not one.
 */
static void
test_reaction_added(void **state)
{
	static const char *r = "{\"type\":\"events_api\",\"envelope_id\":"
	    "\"e1\",\"payload\":{\"type\":\"event_callback\",\"event_id\":"
	    "\"EvR1\",\"event\":{\"type\":\"reaction_added\",\"user\":"
	    "\"U0001\",\"reaction\":\"white_check_mark\",\"item_user\":"
	    "\"U0BOT\",\"item\":{\"type\":\"message\",\"channel\":"
	    "\"C0001\",\"ts\":\"1700000101.000300\"},\"event_ts\":"
	    "\"1700000960.000400\"}}}";
	static const char *self_r = "{\"type\":\"events_api\",\"payload\":"
	    "{\"event_id\":\"EvR2\",\"event\":{\"type\":\"reaction_added\","
	    "\"user\":\"U0BOT\",\"reaction\":\"eyes\",\"item\":{\"type\":"
	    "\"message\",\"channel\":\"C0001\",\"ts\":\"1.2\"}}}}";
	static const char *file_r = "{\"type\":\"events_api\",\"payload\":"
	    "{\"event_id\":\"EvR3\",\"event\":{\"type\":\"reaction_added\","
	    "\"user\":\"U0001\",\"reaction\":\"eyes\",\"item\":{\"type\":"
	    "\"file\",\"file\":\"F1\"}}}}";
	struct slack_frame	 f;
	struct msg		 m;
	char			*cause = NULL;
	int			 lite;

	(void)state;
	for (lite = 0; lite < 2; lite++) {
		assert_int_equal(lite ? slack_frame_parse_lite(r, strlen(r),
		    &f, &cause) : slack_frame_parse(r, strlen(r), &f,
		    &cause), 0);
		assert_int_equal(slack_fields_to_msg(&f.ev, &self, &m),
		    SLACK_HANDLE);
		assert_int_equal(m.kind, MSG_REACTION);
		assert_string_equal(m.reaction, "white_check_mark");
		assert_string_equal(m.user, "U0001");
		assert_string_equal(m.channel, "C0001");
		assert_string_equal(m.ts, "1700000101.000300");
		assert_null(m.thread_ts);
		assert_string_equal(m.event_id, "EvR1");
		assert_string_equal(m.text, "");
		assert_int_equal(m.flags, 0);
		slack_frame_clear(&f);
	}
	assert_int_equal(slack_frame_parse(self_r, strlen(self_r), &f,
	    &cause), 0);
	assert_int_equal(slack_event_to_msg(f.payload, &self, &m),
	    SLACK_HANDLE);
	assert_int_equal(m.flags, MSG_FROM_SELF);
	slack_frame_clear(&f);
	assert_int_equal(slack_frame_parse(file_r, strlen(file_r), &f,
	    &cause), 0);
	assert_int_equal(slack_event_to_msg(f.payload, &self, &m),
	    SLACK_IGNORE_INVALID);
	slack_frame_clear(&f);
}

/*
 * block_actions (the shared fixture): a MSG_ACTION with the button's
 * action_id, value and action_ts, the message's channel, ts and thread;
 * a shortcut, or a click without its action, is not one.
 */
static void
test_block_actions(void **state)
{
	static const char *noact = "{\"type\":\"interactive\",\"payload\":"
	    "{\"type\":\"block_actions\",\"user\":{\"id\":\"U1\"},"
	    "\"container\":{\"channel_id\":\"C1\",\"message_ts\":\"1.1\"},"
	    "\"actions\":[]}}";
	struct slack_frame	 f;
	struct msg		 m;
	const char		*url;
	char			*cause = NULL;

	(void)state;
	parse_fixture("interactive_block_actions", &f);
	assert_int_equal(f.type, SLACK_FRAME_INTERACTIVE);
	assert_int_equal(slack_action_to_msg(f.payload, &self, &m, &url), 0);
	assert_int_equal(m.kind, MSG_ACTION);
	assert_string_equal(m.user, "U0001");
	assert_string_equal(m.channel, "C0001");
	assert_string_equal(m.ts, "1700000101.000300");
	assert_string_equal(m.thread_ts, "1700000100.000200");
	assert_string_equal(m.action_id, "restart_yes");
	assert_string_equal(m.action_value, "worker-3");
	assert_string_equal(m.action_ts, "1700000950.123456");
	assert_string_equal(m.text, "");
	assert_non_null(strstr(url, "hooks.slack.com/actions/"));
	assert_null(m.event_id);
	slack_frame_clear(&f);
	parse_fixture("interactive_shortcut", &f);
	assert_int_equal(slack_action_to_msg(f.payload, &self, &m, &url), -1);
	slack_frame_clear(&f);
	assert_int_equal(slack_frame_parse(noact, strlen(noact), &f, &cause),
	    0);
	assert_int_equal(slack_action_to_msg(f.payload, &self, &m, &url), -1);
	slack_frame_clear(&f);
}

/* 6. Slash command payloads: strings only [SC]. */
static void
test_slash(void **state)
{
	static const char *bad[] = {
		"{\"type\":\"slash_commands\",\"payload\":{\"command\":\"/sop\"}}",
		"{\"type\":\"slash_commands\",\"payload\":[1,2]}",
		"{\"type\":\"slash_commands\",\"payload\":\"text=1\"}",
		("{\"type\":\"slash_commands\",\"payload\":{\"command\":5,"
		    "\"channel_id\":\"C1\",\"user_id\":\"U1\"}}"),
	};
	static const char *notext = "{\"type\":\"slash_commands\","
	    "\"payload\":{\"command\":\"/sop\",\"channel_id\":\"C1\","
	    "\"user_id\":\"U1\",\"text\":7}}";
	struct slack_frame	 f;
	struct msg		 m;
	const char		*rurl;
	char			*cause = NULL;
	size_t			 i;

	parse_fixture("slash_command", &f);
	assert_int_equal(slack_slash_to_msg(f.payload, &m, &rurl), 0);
	assert_string_equal(m.command, "/ops");
	assert_string_equal(m.text, "status api-gateway");
	assert_string_equal(m.channel, "C0001");
	assert_string_equal(m.user, "U0001");
	assert_null(m.ts);
	assert_int_equal(m.addressed, 1);
	assert_string_equal(rurl, "https://hooks.slack.com/commands/T0001/"
	    "1111111111111/AbCdEfGhIjKlMnOpQrStUvWx");
	slack_frame_clear(&f);

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(slack_frame_parse(bad[i], strlen(bad[i]), &f,
		    &cause), 0);
		assert_int_equal(slack_slash_to_msg(f.payload, &m, &rurl), -1);
		assert_null(m.command);
		assert_null(rurl);
		slack_frame_clear(&f);
	}
	assert_int_equal(slack_frame_parse(notext, strlen(notext), &f,
	    &cause), 0);
	assert_int_equal(slack_slash_to_msg(f.payload, &m, &rurl), 0);
	assert_string_equal(m.text, "");
	slack_frame_clear(&f);
}

/* 7. chat.postMessage and response_url bodies [PM, SC]. */
static void
test_bodies(void **state)
{
	json_t	*o;
	char	*s;

	s = slack_post_body_new("C0001", "a \"quoted\" <b> & \xc3\xa9",
	    "1700000100.000200");
	o = json_loads(s, 0, NULL);
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "channel")),
	    "C0001");
	assert_string_equal(json_string_value(json_object_get(o, "text")),
	    "a \"quoted\" <b> & \xc3\xa9");
	assert_string_equal(json_string_value(json_object_get(o,
	    "thread_ts")), "1700000100.000200");
	assert_true(json_is_true(json_object_get(o, "mrkdwn")));
	assert_true(json_is_false(json_object_get(o, "unfurl_links")));
	assert_true(json_is_false(json_object_get(o, "unfurl_media")));
	assert_int_equal(json_object_size(o), 6);
	json_decref(o);
	free(s);

	s = slack_post_body_new("C0001", "x", NULL);
	o = json_loads(s, 0, NULL);
	assert_null(json_object_get(o, "thread_ts"));
	json_decref(o);
	free(s);

	s = slack_response_url_body_new("hi");
	assert_string_equal(s, "{\"response_type\":\"in_channel\",\"text\":"
	    "\"hi\",\"replace_original\":false}");
	free(s);
}

/*
 * jansson refuses a string that is not UTF-8, which once ended the bot
 * (a Latin-1 runbook, an echo cut mid-character): every builder
 * repairs its strings first, stray bytes read as Windows-1252.
 */
static void
test_bodies_not_utf8(void **state)
{
	json_t	*o;
	char	*s;

	s = slack_post_body_new("C0001", "No SOP matches `caf\xe9`.",
	    "1.\xff");
	assert_non_null(s);
	o = json_loads(s, 0, NULL);
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "text")),
	    "No SOP matches `caf\xc3\xa9`.");
	assert_string_equal(json_string_value(json_object_get(o,
	    "thread_ts")), "1.\xc3\xbf");
	json_decref(o);
	free(s);

	s = slack_post_body_new("C\x80", "cut \xc3", NULL);
	assert_non_null(s);
	o = json_loads(s, 0, NULL);
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "channel")),
	    "C\xe2\x82\xac");
	json_decref(o);
	free(s);

	s = slack_response_url_body_new("caf\xe9");
	assert_string_equal(s, "{\"response_type\":\"in_channel\",\"text\":"
	    "\"caf\xc3\xa9\",\"replace_original\":false}");
	free(s);

	s = slack_ack_new("E\xe9", "caf\xe9");
	assert_string_equal(s, "{\"envelope_id\":\"E\xc3\xa9\",\"payload\":{"
	    "\"response_type\":\"in_channel\",\"text\":\"caf\xc3\xa9\"}}");
	free(s);
	s = slack_ack_new("E\xe9", NULL);
	assert_string_equal(s, "{\"envelope_id\":\"E\xc3\xa9\"}");
	free(s);
}

/* 8. Acks: one small object, payload only for text [SM §2.4]. */
static void
test_ack(void **state)
{
	char	*s, *big;

	s = slack_ack_new("dbdd0ef3-1543-4f94-bfb4-133d0e6c1545", NULL);
	assert_string_equal(s,
	    "{\"envelope_id\":\"dbdd0ef3-1543-4f94-bfb4-133d0e6c1545\"}");
	free(s);
	s = slack_ack_new("E1", "api-gateway: 3/3 replicas healthy");
	assert_string_equal(s, "{\"envelope_id\":\"E1\",\"payload\":{"
	    "\"response_type\":\"in_channel\",\"text\":"
	    "\"api-gateway: 3/3 replicas healthy\"}}");
	free(s);
	/* 3,500 control bytes escape to 21,000: over 20 KB, refused */
	big = xmalloc(3501);
	memset(big, '\x01', 3500);
	big[3500] = '\0';
	assert_null(slack_ack_new("E1", big));
	memset(big, 'a', 3500);
	s = slack_ack_new("E1", big);
	assert_non_null(s);
	assert_true(strlen(s) < SLACK_ACK_MAX);
	free(s);
	free(big);
}

/* 9. Backoff: a quick first retry, doubling, jitter, cap. */
static void
test_backoff(void **state)
{
	static const uint32_t rnds[] = { 0, 1, 777, 1023, 0xffffffffu,
	    0x12345678u };
	int64_t		 prev = 0, ms;
	unsigned int	 a;
	size_t		 i;

	for (i = 0; i < sizeof rnds / sizeof rnds[0]; i++) {
		ms = backoff_ms(0, 300000, rnds[i]);
		assert_in_range(ms, 200, 1000);
		ms = backoff_ms(1, 300000, rnds[i]);
		assert_in_range(ms, 1000, 1250);
		ms = backoff_ms(4, 300000, rnds[i]);
		assert_in_range(ms, 8000, 10000);
		for (a = 10; a < 100; a += 7) {
			ms = backoff_ms(a, 300000, rnds[i]);
			assert_in_range(ms, 300000, 375000);
		}
	}
	for (a = 1; a < 12; a++) {
		ms = backoff_ms(a, 300000, 0);
		assert_true(ms >= prev);
		prev = ms;
	}
	assert_int_equal(backoff_ms(2, 300000, 0), 2000);
	assert_int_equal(backoff_ms(3, 300000, 0), 4000);
}

/* 9b. Healthy means hello, then SLACK_HEALTHY_MS up; times injected. */
static void
test_conn_healthy(void **state)
{
	int64_t	 hello = 5000000;

	assert_false(slack_conn_healthy(0, hello + 60000));
	assert_false(slack_conn_healthy(hello, hello));
	assert_false(slack_conn_healthy(hello, hello + SLACK_HEALTHY_MS - 1));
	assert_true(slack_conn_healthy(hello, hello + SLACK_HEALTHY_MS));
	assert_true(slack_conn_healthy(hello, hello + 3600000));
}

/* 9c. The silence watchdog: dead at exactly the timeout, not before. */
static void
test_silence_check(void **state)
{
	int64_t	 rx = 1000000, t = 8000;

	/* checked again when the timeout would run out, not earlier */
	assert_int_equal(slack_silence_check(rx, rx, t, 0), t);
	assert_int_equal(slack_silence_check(rx + 2000, rx, t, 0), 6000);
	assert_int_equal(slack_silence_check(rx + t - 1, rx, t, 0), 1);
	assert_int_equal(slack_silence_check(rx + t, rx, t, 0), 0);
	assert_int_equal(slack_silence_check(rx + 10 * t, rx, t, 0), 0);
	/* unread input after a stall: look again soon, up to 2 timeouts */
	assert_int_equal(slack_silence_check(rx + t, rx, t, 1), t / 10);
	assert_int_equal(slack_silence_check(rx + 2 * t - 1, rx, t, 1),
	    t / 10);
	assert_int_equal(slack_silence_check(rx + 2 * t, rx, t, 1), 0);
	assert_true(slack_silence_check(rx + 2, rx, 2, 1) > 0);
	assert_int_equal(slack_silence_check(rx + 2, rx, 2, 1), 1);
}

/* 10. Plain ws:// and http:// only on loopback. */
static void
test_loopback(void **state)
{
	static const struct {
		const char	*host;
		int		 lo;
	} t[] = {
		{ "127.0.0.1", 1 }, { "127.1.2.3", 1 }, { "localhost", 1 },
		{ "LocalHost", 1 }, { "::1", 1 }, { "[::1]", 1 },
		{ "128.0.0.1", 0 }, { "10.0.0.1", 0 }, { "0.0.0.0", 0 },
		{ "slack.com", 0 }, { "localhost.evil.com", 0 },
		{ "127.0.0.1.nip.io", 0 }, { "[::2]", 0 }, { "", 0 },
		{ "::ffff:127.0.0.1", 0 }, { "0:0:0:0:0:0:0:1", 1 },
		{ "[0::1]", 1 }, { "[::1", 0 }, { "::1]", 0 },
		{ "[127.0.0.1]", 0 },
	};
	size_t	 i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		if (slack_host_is_loopback(t[i].host) != t[i].lo)
			fail_msg("%s: want %d", t[i].host, t[i].lo);
	}
	assert_int_equal(slack_host_is_loopback(NULL), 0);
}

/* 11. URL splitting keeps the leading '/' lws_parse_uri loses. */
static void
test_url_split(void **state)
{
	static const struct {
		const char	*url;
		int		 rv;
		const char	*host;
		int		 port;
		const char	*path;
		int		 tls;
	} t[] = {
		{ "wss://wss-primary.slack.com/link/?ticket=1d3c&app_id=0f1e",
		    0, "wss-primary.slack.com", 443,
		    "/link/?ticket=1d3c&app_id=0f1e", 1 },
		{ "ws://127.0.0.1:8080", 0, "127.0.0.1", 8080, "/", 0 },
		{ "ws://127.0.0.1:8080?ticket=x", 0, "127.0.0.1", 8080,
		    "/?ticket=x", 0 },
		{ "http://[::1]:9/api/", 0, "[::1]", 9, "/api/", 0 },
		{ "https://slack.com/api/", 0, "slack.com", 443, "/api/", 1 },
		{ "HTTP://localhost/x#frag", 0, "localhost", 80, "/x", 0 },
		{ "ftp://x/", -1, NULL, 0, NULL, 0 },
		{ "wss://", -1, NULL, 0, NULL, 0 },
		{ "wss://h:0/", -1, NULL, 0, NULL, 0 },
		{ "wss://h:70000/", -1, NULL, 0, NULL, 0 },
		{ "wss://h:12x/", -1, NULL, 0, NULL, 0 },
		{ "wss://user@h/", -1, NULL, 0, NULL, 0 },
		{ "wss://[::1/", -1, NULL, 0, NULL, 0 },
		{ "link/?ticket=1", -1, NULL, 0, NULL, 0 },
		/* IPv6 literals keep their brackets; the port follows them. */
		{ "ws://[::1]/", 0, "[::1]", 80, "/", 0 },
		{ "wss://[::1]:8443/link/?t=1", 0, "[::1]", 8443,
		    "/link/?t=1", 1 },
		{ "http://[::1]", 0, "[::1]", 80, "/", 0 },
		{ "ws://[::1]x/", -1, NULL, 0, NULL, 0 },
		{ "ws://::1/", -1, NULL, 0, NULL, 0 },
		/* No userinfo, in any of its spellings. */
		{ "https://user:pw@slack.com/api/", -1, NULL, 0, NULL, 0 },
		{ "https://:pw@slack.com/api/", -1, NULL, 0, NULL, 0 },
		{ "ws://u@[::1]:9/", -1, NULL, 0, NULL, 0 },
		/* Default ports per scheme, and explicit ones kept. */
		{ "wss://h/", 0, "h", 443, "/", 1 },
		{ "ws://h/", 0, "h", 80, "/", 0 },
		{ "https://h:443/", 0, "h", 443, "/", 1 },
		{ "http://h:443/", 0, "h", 443, "/", 0 },
		{ "WSS://h:65535", 0, "h", 65535, "/", 1 },
		/* Query strings stay (the ticket); fragments go. */
		{ "wss://h?ticket=a&b=c#f", 0, "h", 443, "/?ticket=a&b=c", 1 },
		{ "wss://h/l/?ticket=a%2Fb", 0, "h", 443, "/l/?ticket=a%2Fb",
		    1 },
		{ "http://h/a/../b?x=1", 0, "h", 80, "/a/../b?x=1", 0 },
	};
	char	*host, *path;
	int	 port, tls;
	size_t	 i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		host = path = NULL;
		if (slack_url_split(t[i].url, &host, &port, &path, &tls) !=
		    t[i].rv)
			fail_msg("%s: want %d", t[i].url, t[i].rv);
		if (t[i].rv == 0) {
			assert_string_equal(host, t[i].host);
			assert_int_equal(port, t[i].port);
			assert_string_equal(path, t[i].path);
			assert_int_equal(tls, t[i].tls);
		}
		free(host);
		free(path);
	}
}

/* 12. Web API error codes: retry, drop, or stop [ACO, PM]. */
static void
test_errors(void **state)
{
	assert_true(slack_error_is_fatal_auth("invalid_auth"));
	assert_true(slack_error_is_fatal_auth("not_authed"));
	assert_true(slack_error_is_fatal_auth("account_inactive"));
	assert_true(slack_error_is_fatal_auth("token_revoked"));
	assert_true(slack_error_is_fatal_auth("not_allowed_token_type"));
	assert_false(slack_error_is_fatal_auth("ratelimited"));
	assert_false(slack_error_is_fatal_auth("internal_error"));
	assert_false(slack_error_is_fatal_auth(NULL));
}

/* 13. Garbage frames are refused with a reason, never a crash. */
static void
test_malformed(void **state)
{
	static const char *bad[] = {
		"", "   ", "[]", "[1]", "null", "\"hello\"", "42", "{",
		"{\"type\":", "{\"type\":5}", "{}", "{\"type\":null}",
		"{\"type\":\"\"}", "{\"type\":\"hello\"} trailing",
		"{\"type\":\"hello\",\"type\":[]}", "\xff\xfe{}",
		"{\"type\":\"hello\"\x00}",
	};
	struct slack_frame	 f;
	char			*cause;
	size_t			 i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cause = NULL;
		if (slack_frame_parse(bad[i], strlen(bad[i]) +
		    (i == sizeof bad / sizeof bad[0] - 1), &f, &cause) != -1)
			fail_msg("bad[%zu] accepted", i);
		assert_non_null(cause);
		assert_null(f.root);
		free(cause);
		slack_frame_clear(&f);	/* harmless on a cleared frame */
	}
}

/* 14. Wrong types in every place an envelope has a value. */
static void
test_wrong_types(void **state)
{
	static const char *t[] = {
		"{\"type\":\"events_api\",\"envelope_id\":5,\"payload\":[]}",
		"{\"type\":\"events_api\",\"envelope_id\":\"\",\"payload\":\"x\"}",
		"{\"type\":\"events_api\",\"payload\":{\"event\":[]}}",
		"{\"type\":\"events_api\",\"payload\":{\"event\":{\"type\":7}}}",
		"{\"type\":\"events_api\",\"payload\":{\"event\":{\"type\":"
		    "\"message\",\"user\":1,\"text\":\"x\",\"channel\":\"C\","
		    "\"ts\":\"1\"}}}",
		"{\"type\":\"events_api\",\"payload\":{\"event\":{\"type\":"
		    "\"message\",\"user\":\"U1\",\"text\":{},\"channel\":\"C\","
		    "\"ts\":\"1\"}}}",
		"{\"type\":\"events_api\",\"payload\":{\"event\":{\"type\":"
		    "\"message\",\"user\":\"U1\",\"text\":\"x\",\"channel\":[],"
		    "\"ts\":1.5}}}",
		"{\"type\":\"events_api\",\"retry_attempt\":\"1\",\"payload\":"
		    "{\"event\":{\"type\":\"app_mention\",\"subtype\":5}}}",
		"{\"type\":\"disconnect\",\"reason\":{}}",
		"{\"type\":\"hello\",\"connection_info\":\"A1\"}",
		"{\"type\":\"events_api\",\"retry_attempt\":-4,"
		    "\"accepts_response_payload\":\"yes\"}",
	};
	struct slack_frame	 f;
	struct msg		 m;
	const char		*rurl;
	char			*cause = NULL;
	size_t			 i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		if (slack_frame_parse(t[i], strlen(t[i]), &f, &cause) != 0)
			fail_msg("t[%zu]: %s", i, cause);
		assert_null(f.envelope_id);
		assert_null(f.reason);
		assert_null(f.app_id);
		assert_int_equal(f.retry_attempt, 0);
		assert_int_equal(f.accepts_response_payload, 0);
		assert_int_not_equal(slack_event_to_msg(f.payload, &self, &m),
		    SLACK_HANDLE);
		assert_int_equal(slack_slash_to_msg(f.payload, &m, &rurl), -1);
		slack_frame_clear(&f);
	}
}

static const char *fuzz_fixtures[] = {
	"hello", "disconnect_warning", "events_api_message",
	"events_api_app_mention", "events_api_message_changed",
	"events_api_bot_message_self", "events_api_app_rate_limited",
	"slash_command", "interactive_block_actions", "events_api_file_share",
};

static void
exercise(const char *data, size_t len)
{
	struct slack_frame	 f;
	struct msg		 m;
	const char		*rurl;
	char			*cause = NULL, *ex;

	ex = slack_log_excerpt_new(data, len, 120);
	assert_true(strlen(ex) <= 123);
	free(ex);
	if (slack_frame_parse(data, len, &f, &cause) == -1) {
		assert_non_null(cause);
		free(cause);
		return;
	}
	if (slack_event_to_msg(f.payload, &self, &m) == SLACK_HANDLE) {
		assert_non_null(m.channel);
		/* what the gate's handlers read, unless it drops m */
		if ((m.flags & (MSG_FROM_SELF | MSG_FROM_BOT | MSG_EDITED |
		    MSG_DELETED)) == 0) {
			assert_non_null(m.user);
			assert_non_null(m.text);
			assert_non_null(msg_reply_thread(&m));
		}
	}
	slack_slash_to_msg(f.payload, &m, &rurl);
	slack_disconnect_kind(f.reason);
	slack_frame_clear(&f);
}

/* 15. Every truncation of real frames fails cleanly. */
static void
test_truncated(void **state)
{
	struct slack_frame	 f;
	char			*data, *cause;
	size_t			 i, len, n;

	for (i = 0; i < sizeof fuzz_fixtures / sizeof fuzz_fixtures[0]; i++) {
		data = fixture(fuzz_fixtures[i], &len);
		while (len > 0 && (data[len - 1] == '\n' ||
		    data[len - 1] == ' '))
			len--;
		for (n = 0; n < len; n++) {
			cause = NULL;
			/* a cut JSON object can never be complete */
			assert_int_equal(slack_frame_parse(data, n, &f,
			    &cause), -1);
			free(cause);
			exercise(data, n);
		}
		free(data);
	}
}

/* Overwrites n random bytes of buf with bytes from pick (xorshift32). */
static void
mutate(char *buf, size_t len, size_t n, uint32_t *x, const char *pick,
    size_t npick)
{
	size_t	 k;

	for (k = 0; k < n; k++) {
		*x ^= *x << 13;
		*x ^= *x >> 17;
		*x ^= *x << 5;
		buf[*x % len] = pick[(*x >> 8) % npick];
	}
}

/* 16. Random byte mutations (fixed seed: reproducible). */
static void
test_mutations(void **state)
{
	char		*data, *copy;
	size_t		 i, len;
	int		 round;
	uint32_t	 x = 2463534242u;
	static const char pick[] = "{}[]\":,\\0x-e \x00\xff";

	for (i = 0; i < sizeof fuzz_fixtures / sizeof fuzz_fixtures[0]; i++) {
		data = fixture(fuzz_fixtures[i], &len);
		copy = xmalloc(len);
		for (round = 0; round < 400; round++) {
			memcpy(copy, data, len);
			mutate(copy, len, 1 + (size_t)(round % 4), &x, pick,
			    sizeof pick - 1);
			exercise(copy, len);
		}
		free(copy);
		free(data);
	}
}

/* 17. Huge strings and deep nesting stay bounded and correct. */
static void
test_huge(void **state)
{
	struct buf		 b = { 0 };
	struct slack_frame	 f;
	struct msg		 m;
	char			*cause = NULL, *s;
	size_t			 i;

	buf_adds(&b, "{\"type\":\"events_api\",\"envelope_id\":\"E\","
	    "\"payload\":{\"event_id\":\"Ev1\",\"event\":{\"type\":\"message\","
	    "\"user\":\"U0001\",\"channel\":\"C0001\",\"ts\":\"1.1\","
	    "\"text\":\"");
	for (i = 0; i < 900000; i++)
		buf_addc(&b, 'a' + i % 26);
	buf_adds(&b, "\"}}}");
	assert_int_equal(slack_frame_parse(b.s, b.len, &f, &cause), 0);
	assert_int_equal(slack_event_to_msg(f.payload, &self, &m),
	    SLACK_HANDLE);
	assert_int_equal(strlen(m.text), 900000);
	s = slack_log_excerpt_new(m.text, strlen(m.text), 50);
	assert_int_equal(strlen(s), 53);
	free(s);
	slack_frame_clear(&f);
	buf_reset(&b);

	/* 100,000 nested arrays: jansson's depth limit refuses it */
	buf_adds(&b, "{\"type\":\"hello\",\"x\":");
	for (i = 0; i < 100000; i++)
		buf_addc(&b, '[');
	assert_int_equal(slack_frame_parse(b.s, b.len, &f, &cause), -1);
	free(cause);
	buf_reset(&b);
}

/* ---- 19. the LEJP fast path agrees with jansson -------------------- */

static int
str_same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a == b);
	return (strcmp(a, b) == 0);
}

/* The one documented leniency of LEJP: "[1,]" (maybe with spaces). */
static int
has_trailing_comma(const char *data, size_t len)
{
	size_t	 i, j;

	for (i = 0; i < len; i++) {
		if (data[i] != ',')
			continue;
		for (j = i + 1; j < len && strchr(" \t\r\n", data[j]) != NULL &&
		    data[j] != '\0'; j++)
			;
		if (j < len && data[j] == ']')
			return (1);
	}
	return (0);
}

/*
 * Parses data both ways and checks that they agree. Returns 1 if the
 * fast path read it (no jansson tree), 0 if it fell back or failed.
 */
static int
agree(const char *data, size_t len)
{
	struct slack_frame	 a, b;
	struct msg		 ma, mb;
	char			*ca = NULL, *cb = NULL;
	int			 ra, rb, fast;

	ra = slack_frame_parse(data, len, &a, &ca);
	rb = slack_frame_parse_lite(data, len, &b, &cb);
	fast = rb == 0 && b.root == NULL;
	if (ra == -1 && rb == 0) {
		/* Only LEJP's trailing comma in an array may get through. */
		if (!fast || !has_trailing_comma(data, len))
			fail_msg("lite accepted what jansson refused: %s", ca);
	} else {
		assert_int_equal(ra, rb);
	}
	if (ra == 0 && rb == 0) {
		assert_int_equal(a.type, b.type);
		assert_true(str_same(a.type_name, b.type_name));
		assert_true(str_same(a.envelope_id, b.envelope_id));
		assert_int_equal(a.retry_attempt, b.retry_attempt);
		assert_int_equal(a.accepts_response_payload,
		    b.accepts_response_payload);
		assert_true(str_same(a.ev.payload_type, b.ev.payload_type));
		assert_true(str_same(a.ev.event_id, b.ev.event_id));
		assert_int_equal(a.ev.has_event, b.ev.has_event);
		assert_true(str_same(a.ev.type, b.ev.type));
		assert_true(str_same(a.ev.subtype, b.ev.subtype));
		assert_true(str_same(a.ev.user, b.ev.user));
		assert_true(str_same(a.ev.bot_id, b.ev.bot_id));
		assert_true(str_same(a.ev.app_id, b.ev.app_id));
		assert_int_equal(a.ev.bot_profile, b.ev.bot_profile);
		assert_true(str_same(a.ev.text, b.ev.text));
		assert_true(str_same(a.ev.channel, b.ev.channel));
		assert_true(str_same(a.ev.channel_type, b.ev.channel_type));
		assert_true(str_same(a.ev.ts, b.ev.ts));
		assert_true(str_same(a.ev.thread_ts, b.ev.thread_ts));
		assert_int_equal(slack_fields_to_msg(&a.ev, &self, &ma),
		    slack_fields_to_msg(&b.ev, &self, &mb));
		assert_true(str_same(ma.text, mb.text));
	}
	if (rb == -1)
		assert_non_null(cb);
	slack_frame_clear(&a);
	slack_frame_clear(&b);
	free(ca);
	free(cb);
	return (fast);
}

/* A fixture as Slack sends it: compact, one line. */
static char *
compact_fixture(const char *name, size_t *lenp)
{
	json_t	*j;
	char	*data, *s, *out;

	data = fixture(name, NULL);
	j = json_loads(data, 0, NULL);
	assert_non_null(j);
	s = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	out = xstrdup(s);
	free(s);
	free(data);
	*lenp = strlen(out);
	return (out);
}

static void
test_lite_fixtures(void **state)
{
	struct slack_frame	 f;
	struct msg		 m;
	char			*data, *cause = NULL;
	size_t			 i, len, n;
	int			 nfast = 0;

	for (i = 0; i < sizeof fuzz_fixtures / sizeof fuzz_fixtures[0]; i++) {
		data = compact_fixture(fuzz_fixtures[i], &len);
		nfast += agree(data, len);
		for (n = 0; n < len; n++)
			assert_int_equal(agree(data, n), 0);
		free(data);
	}
	/* every events_api fixture is ASCII: all of them took the fast path */
	assert_int_equal(nfast, 6);

	/* the pretty-printed files have newlines: jansson reads them */
	data = fixture("events_api_message", &len);
	assert_int_equal(slack_frame_parse_lite(data, len, &f, &cause), 0);
	assert_non_null(f.root);
	assert_int_equal(slack_fields_to_msg(&f.ev, &self, &m), SLACK_HANDLE);
	assert_string_equal(m.text, "deploy status api-gateway");
	slack_frame_clear(&f);
	free(data);
}

static void
test_lite_mutations(void **state)
{
	char		*data, *copy;
	size_t		 i, len;
	int		 round;
	uint32_t	 x = 88172645u;
	static const char pick[] = "{}[]\":,\\0x-e .u\x00\xff";

	for (i = 0; i < sizeof fuzz_fixtures / sizeof fuzz_fixtures[0]; i++) {
		data = compact_fixture(fuzz_fixtures[i], &len);
		copy = xmalloc(len);
		for (round = 0; round < 2000; round++) {
			memcpy(copy, data, len);
			mutate(copy, len, 1 + (size_t)(round % 4), &x, pick,
			    sizeof pick - 1);
			agree(copy, len);
			exercise(copy, len);
		}
		free(copy);
		free(data);
	}
}

/* Where LEJP is laxer or different than jansson, jansson decides. */
static void
test_lite_cases(void **state)
{
	static const struct {
		const char	*json;
		int		 fast;	/* 1: the fast path reads it */
	} c[] = {
		/* the flood's envelope shape, blocks and all */
		{ "{\"envelope_id\":\"fl-1-1\",\"payload\":{\"event\":{"
		    "\"type\":\"message\",\"text\":\"!sop hivedown\",\"user\":"
		    "\"U0001\",\"ts\":\"1.2\",\"blocks\":[{\"type\":\"rich_text\","
		    "\"elements\":[{\"type\":\"rich_text_section\",\"elements\":"
		    "[{\"type\":\"text\",\"text\":\"x\"}]}]}],\"channel\":\"C1\","
		    "\"channel_type\":\"channel\"},\"type\":\"event_callback\","
		    "\"event_id\":\"Ev1\",\"event_time\":1700000000},\"type\":"
		    "\"events_api\",\"accepts_response_payload\":true,"
		    "\"retry_attempt\":2,\"retry_reason\":\"timeout\"}", 1 },
		/* a member named "payload.event" is not payload's event */
		{ "{\"type\":\"events_api\",\"payload.event\":{\"type\":"
		    "\"message\",\"user\":\"U1\",\"text\":\"x\",\"channel\":"
		    "\"C\",\"ts\":\"1\"},\"payload\":{}}", 1 },
		/* strings inside an array under a collected name */
		{ "{\"type\":\"events_api\",\"payload\":{\"event\":{\"type\":"
		    "\"message\",\"user\":[\"U1\"],\"text\":[\"x\"],\"channel\":"
		    "\"C\",\"ts\":\"1\",\"bot_profile\":[{}]}}}", 1 },
		/* empty and escaped strings, text "" is still a text */
		{ "{\"type\":\"events_api\",\"payload\":{\"event\":{\"type\":"
		    "\"message\",\"user\":\"\",\"text\":\"\",\"channel\":"
		    "\"C\\\"\\\\\\/\\n\",\"ts\":\"1\"}}}", 1 },
		/* last duplicate wins, as in jansson */
		{ "{\"type\":\"hello\",\"type\":\"events_api\",\"retry_attempt\":"
		    "3,\"retry_attempt\":null,\"accepts_response_payload\":true,"
		    "\"accepts_response_payload\":1,\"payload\":{\"event\":{"
		    "\"bot_profile\":{},\"bot_profile\":null}}}", 1 },
		/* a text longer than LEJP's 254-byte chunks */
		{ "{\"type\":\"events_api\",\"payload\":{\"event\":{\"type\":"
		    "\"message\",\"user\":\"U1\",\"channel\":\"C\",\"ts\":\"1\","
		    "\"text\":\"0123456789012345678901234567890123456789012345678901"
		    "2345678901234567890123456789012345678901234567890123456789"
		    "0123456789012345678901234567890123456789012345678901234567"
		    "8901234567890123456789012345678901234567890123456789012345"
		    "6789012345678901234567890123456789\"}}}", 1 },
		/* duplicate payload or event: jansson keeps the last one */
		{ "{\"type\":\"events_api\",\"payload\":{\"event\":{\"type\":"
		    "\"message\"}},\"payload\":\"x\"}", 0 },
		{ "{\"type\":\"events_api\",\"payload\":{\"event\":{\"type\":"
		    "\"message\"},\"event\":[]}}", 0 },
		/* numbers LEJP takes and jansson refuses, and reals */
		{ "{\"type\":\"events_api\",\"n\":01}", 0 },
		{ "{\"type\":\"events_api\",\"n\":123456789012345678901}", 0 },
		{ "{\"type\":\"events_api\",\"retry_attempt\":1.0}", 0 },
		{ "{\"type\":\"events_api\",\"n\":1e999}", 0 },
		/* \u escapes, non-ASCII, NUL, newlines, comments */
		{ "{\"type\":\"events_api\",\"s\":\"\\u0000\"}", 0 },
		{ "{\"type\":\"events_api\",\"s\":\"\\ud83d\\ude00\"}", 0 },
		{ "{\"type\":\"events_api\",\"s\":\"caf\xc3\xa9\"}", 0 },
		{ "{\"type\":\"events_api\",\"s\":\"\xff\"}", 0 },
		{ "{\"type\":\"events_api\"\n}", 0 },
		{ "{\"type\":\"events_api\"#x\n}", 0 },
		{ "{\"type\":\"events_api\"#x}", 0 },
		/* trailing bytes, other frame types, no type, deep nesting */
		{ "{\"type\":\"events_api\"} ", 1 },
		{ "{\"type\":\"events_api\"} x", 0 },
		{ "{\"type\":\"events_api\"}{}", 0 },
		{ "{\"type\":\"hello\"}", 0 },
		{ "{\"type\":5}", 0 },
		{ "{\"type\":\"events_api\",\"x\":[[[[[[[[[[[[[[1]]]]]]]]]]]]]]}",
		    0 },
		{ "[{\"type\":\"events_api\"}]", 0 },
	};
	size_t	 i;

	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		if (agree(c[i].json, strlen(c[i].json)) != c[i].fast)
			fail_msg("c[%zu]: fast path %s", i, c[i].fast ?
			    "not taken" : "taken");
	}
}

/* A file of tests/fuzz/corpus-envelope (new string, *lenp bytes). */
static char *
corpus_file(const char *name, size_t *lenp)
{
	char	*path, *data;
	FILE	*f;
	long	 len;

	xasprintf(&path, "%s/tests/fuzz/corpus-envelope/%s",
	    OPSBOT_SOURCE_DIR, name);
	if ((f = fopen(path, "rb")) == NULL)
		fail_msg("cannot open %s", path);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	data = xmalloc((size_t)len + 1);
	assert_int_equal(fread(data, 1, (size_t)len, f), (size_t)len);
	data[len] = '\0';
	fclose(f);
	free(path);
	*lenp = (size_t)len;
	return (data);
}

/*
 * LEJP keeps the dotted path of member names in a 128-byte buffer with a
 * one-byte index: a long name runs past it and, from 256 bytes of path
 * on, wraps round and overwrites the path's start ("payload.event."),
 * so every later member was missed (../shared/repro/envelope/). Names
 * of every length at every depth must read the same as jansson, or
 * fall back to it; a wrapped name must not pose as another member.
 */
static void
test_lite_long_names(void **state)
{
	/* the long name goes between pre and post; "text" comes after it */
	static const struct {
		const char	*pre, *post;
	} where[] = {
		{ "{\"type\":\"events_api\",\"", "\":1,\"envelope_id\":\"E1\","
		    "\"payload\":{\"event_id\":\"Ev1\",\"event\":{\"type\":"
		    "\"message\",\"user\":\"U1\",\"text\":\"!sop hivedown\","
		    "\"channel\":\"C1\",\"ts\":\"1.2\"}}}" },
		{ "{\"type\":\"events_api\",\"envelope_id\":\"E1\",\"payload\":{"
		    "\"", "\":1,\"event_id\":\"Ev1\",\"event\":{\"type\":"
		    "\"message\",\"user\":\"U1\",\"text\":\"!sop hivedown\","
		    "\"channel\":\"C1\",\"ts\":\"1.2\"}}}" },
		{ "{\"type\":\"events_api\",\"envelope_id\":\"E1\",\"payload\":{"
		    "\"event_id\":\"Ev1\",\"event\":{\"", "\":1,\"type\":"
		    "\"message\",\"user\":\"U1\",\"text\":\"!sop hivedown\","
		    "\"channel\":\"C1\",\"ts\":\"1.2\"}}}" },
		{ "{\"type\":\"events_api\",\"envelope_id\":\"E1\",\"payload\":{"
		    "\"event_id\":\"Ev1\",\"event\":{\"blocks\":[{\"e\":{\"",
		    "\":{\"x\":[1]}}}],\"type\":\"message\",\"user\":"
		    "\"U1\",\"text\":\"!sop hivedown\",\"channel\":\"C1\","
		    "\"ts\":\"1.2\"}}}" },
		{ "{\"type\":\"events_api\",\"envelope_id\":\"E1\",\"payload\":{"
		    "\"event_id\":\"Ev1\",\"event\":{\"", "\":{\"a\":{\"b\":1}},"
		    "\"type\":\"message\",\"user\":\"U1\",\"text\":"
		    "\"!sop hivedown\",\"channel\":\"C1\",\"ts\":\"1.2\"}}}" },
	};
	struct slack_frame	 f;
	struct msg		 m;
	struct buf		 name = { 0 };
	char			*j, *cause = NULL, *data;
	size_t			 w, n, len;

	for (w = 0; w < sizeof where / sizeof where[0]; w++) {
		for (n = 1; n <= 700; n++) {
			buf_truncate(&name, 0);
			while (name.len < n)
				buf_addc(&name, 'a' + name.len % 26);
			xasprintf(&j, "%s%s%s", where[w].pre, name.s,
			    where[w].post);
			agree(j, strlen(j));
			assert_int_equal(slack_frame_parse_lite(j, strlen(j),
			    &f, &cause), 0);
			assert_int_equal(slack_fields_to_msg(&f.ev, &self, &m),
			    SLACK_HANDLE);
			if (strcmp(m.text, "!sop hivedown") != 0 ||
			    strcmp(f.envelope_id, "E1") != 0)
				fail_msg("where %zu, name of %zu bytes: text "
				    "'%s'", w, n, m.text);
			slack_frame_clear(&f);
			free(j);
		}
	}

	/* a name whose wrapped tail spells a member we collect */
	buf_truncate(&name, 0);
	while (name.len < 242)
		buf_addc(&name, 'x');
	buf_adds(&name, "payload.event.text");
	xasprintf(&j, "{\"type\":\"events_api\",\"payload\":{\"event\":{"
	    "\"type\":\"message\",\"user\":\"U1\",\"channel\":\"C1\","
	    "\"ts\":\"1.2\",\"text\":\"real\",\"%s\":\"spoofed\"}}}", name.s);
	agree(j, strlen(j));
	assert_int_equal(slack_frame_parse_lite(j, strlen(j), &f, &cause), 0);
	assert_int_equal(slack_fields_to_msg(&f.ev, &self, &m), SLACK_HANDLE);
	assert_string_equal(m.text, "real");
	slack_frame_clear(&f);
	free(j);
	buf_reset(&name);

	/* the readable reproducer: a message event with a 249-byte name */
	data = corpus_file("envelope-longkey-249.json", &len);
	agree(data, len);
	assert_int_equal(slack_frame_parse_lite(data, len, &f, &cause), 0);
	assert_int_equal(slack_fields_to_msg(&f.ev, &self, &m), SLACK_HANDLE);
	assert_string_equal(m.text, "!sop hivedown");
	assert_string_equal(m.channel, "C0001");
	slack_frame_clear(&f);
	free(data);
}

static void
test_lite_fields(void **state)
{
	static const char j[] = "{\"envelope_id\":\"E9\",\"payload\":{"
	    "\"event_id\":\"Ev9\",\"event\":{\"type\":\"app_mention\","
	    "\"user\":\"U7\",\"text\":\"<@U0BOT> sop hivedown\",\"ts\":\"5.5\","
	    "\"thread_ts\":\"5.1\",\"channel\":\"C9\"}},\"type\":\"events_api\","
	    "\"retry_attempt\":2}";
	struct slack_frame	 f;
	struct msg		 m;
	char			*cause = NULL, buf[64];

	assert_int_equal(slack_frame_parse_lite(j, sizeof j - 1, &f, &cause),
	    0);
	assert_null(f.root);
	assert_null(f.payload);
	assert_int_equal(f.type, SLACK_FRAME_EVENTS_API);
	assert_string_equal(f.envelope_id, "E9");
	assert_int_equal(f.retry_attempt, 2);
	assert_int_equal(slack_fields_to_msg(&f.ev, &self, &m), SLACK_HANDLE);
	assert_string_equal(m.channel, "C9");
	assert_string_equal(m.user, "U7");
	assert_string_equal(m.text, "<@U0BOT> sop hivedown");
	assert_string_equal(m.event_id, "Ev9");
	assert_string_equal(msg_reply_thread(&m), "5.1");
	assert_int_equal(m.addressed, 1);
	slack_frame_clear(&f);

	/* acks without jansson: the same bytes, or -1 when in doubt */
	assert_int_equal(slack_ack_format(buf, sizeof buf, "abc-1"), 23);
	assert_string_equal(buf, "{\"envelope_id\":\"abc-1\"}");
	assert_int_equal(slack_ack_format(buf, sizeof buf, "a\"b"), -1);
	assert_int_equal(slack_ack_format(buf, sizeof buf, "caf\xc3\xa9"), -1);
	assert_int_equal(slack_ack_format(buf, 20, "abc-1"), -1);
}

/* A URL for the log: no user name, password, query or fragment. */
static void
test_url_redact(void **state)
{
	static const struct {
		const char	*in, *out;
	} c[] = {
		{ "https://user:s3cret-pass@127.0.0.1:8443/api/",
		    "https://127.0.0.1:8443/api/" },
		{ "http://user@localhost/api/?token=xoxq-1&a=b#frag",
		    "http://localhost/api/" },
		{ "https://:pw@slack.com/api/", "https://slack.com/api/" },
		{ "https://slack.com/api/", "https://slack.com/api/" },
		{ "wss://u:p@wss-primary.slack.com/link/?ticket=t1",
		    "wss://wss-primary.slack.com/link/" },
		{ "http://u:p@[::1]:80/", "http://[::1]:80/" },
		{ "not a url with:password@host", "(not a URL)" },
		{ "", "(not a URL)" },
	};
	size_t	 i;
	char	*s;

	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		s = slack_url_redact_new(c[i].in);
		if (strcmp(s, c[i].out) != 0)
			fail_msg("'%s' -> '%s', want '%s'", c[i].in, s,
			    c[i].out);
		free(s);
	}
}

/* 18. Log excerpts: control bytes hidden, cut marked. */
static void
test_excerpt(void **state)
{
	char	*s;

	s = slack_log_excerpt_new("a\nb\x1b[31mc", 9, 100);
	assert_string_equal(s, "a.b.[31mc");
	free(s);
	s = slack_log_excerpt_new("abcdef", 6, 3);
	assert_string_equal(s, "abc...");
	free(s);
	s = slack_log_excerpt_new("", 0, 3);
	assert_string_equal(s, "");
	free(s);
}


int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_disconnect_kind),
		cmocka_unit_test(test_event_verdicts),
		cmocka_unit_test(test_subtype_join_other),
		cmocka_unit_test(test_dedupe_keys),
		cmocka_unit_test(test_slash),
		cmocka_unit_test(test_bodies),
		cmocka_unit_test(test_bodies_not_utf8),
		cmocka_unit_test(test_ack),
		cmocka_unit_test(test_backoff),
		cmocka_unit_test(test_conn_healthy),
		cmocka_unit_test(test_silence_check),
		cmocka_unit_test(test_loopback),
		cmocka_unit_test(test_url_split),
		cmocka_unit_test(test_url_redact),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_wrong_types),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_mutations),
		cmocka_unit_test(test_huge),
		cmocka_unit_test(test_excerpt),
		cmocka_unit_test(test_lite_fixtures),
		cmocka_unit_test(test_lite_mutations),
		cmocka_unit_test(test_lite_cases),
		cmocka_unit_test(test_reaction_added),
		cmocka_unit_test(test_block_actions),
		cmocka_unit_test(test_lite_fields),
		cmocka_unit_test(test_lite_long_names),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
