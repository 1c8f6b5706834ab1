/*
 * e2e-reconnect.c: a dead or dropped Socket Mode connection is replaced
 * in time (issue 7, part 4). Both scenarios run with the bot's own
 * ping_interval and pong_timeout defaults, not the fast test ones, and
 * time everything on fakeslack's clock (the t_us of its event log), so
 * a slow harness does not count. They print one "figures:" line each,
 * which bench/reconnect collects.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e.h"

/* The bot's promise: dead socket to a new hello (README). */
#define SILENT_TO_HELLO_MS	10000
/* A healthy socket's RST to the next apps.connections.open. */
#define RST_TO_OPEN_MS		300
/* adapters/slack.h SLACK_HEALTHY_MS, plus room for a slow start. */
#define HEALTHY_WAIT_MS		11000
/* A first failure waits 200-1000 ms (backoff_ms); 0 is "at once". */
#define BACKOFF_MIN_MS		150
/*
 * Up this long before going silent, the socket is healthy when it is
 * declared dead 8 s later (SLACK_HEALTHY_MS is 10 s after hello).
 */
#define UP_BEFORE_SILENCE_MS	3000

/*
 * Waits up to ms for the first event of kind with key == value whose
 * seq is above after. Returns its t_us (fakeslack's clock) and sets
 * *seqp and, if connp is not NULL, *connp to its "conn"; -1 if none.
 */
static int64_t
wait_after(struct e2e *e, int after, const char *kind, const char *key,
    const char *value, int ms, int *seqp, int *connp)
{
	json_t	*evs, *ev;
	int64_t	 deadline = e2e_now_ms() + ms, t = -1;
	size_t	 i;

	for (;;) {
		evs = e2e_events(e);
		json_array_foreach(evs, i, ev) {
			if (json_integer_value(json_object_get(ev, "seq")) <=
			    after || !e2e_match(ev, kind, key, value))
				continue;
			t = json_integer_value(json_object_get(ev, "t_us"));
			*seqp = (int)json_integer_value(json_object_get(ev,
			    "seq"));
			if (connp != NULL)
				*connp = (int)json_integer_value(
				    json_object_get(ev, "conn"));
			break;
		}
		json_decref(evs);
		if (t >= 0 || e2e_now_ms() >= deadline)
			return (t);
		e2e_sleep_ms(20);
	}
}

/*
 * Sends a message envelope with text on connection conn. With orig
 * NULL every id is fresh; else it is Slack's redelivery of orig (a
 * control answer): the same event_id and ts, a new envelope_id,
 * retry_attempt 1 [slack-protocol.md §2.5]. Returns the control answer
 * (new reference) or NULL.
 */
static json_t *
send_on(struct e2e *e, int conn, const char *text, json_t *orig)
{
	json_t		*frame, *payload, *ev, *r;
	const char	*ts;

	frame = e2e_fixture(e, "events_api_message.json");
	if (frame == NULL)
		return (NULL);
	e2e_set_text(frame, text);
	if (orig != NULL) {
		payload = json_object_get(frame, "payload");
		ev = json_object_get(payload, "event");
		ts = json_string_value(json_object_get(orig, "ts"));
		json_object_set_new(ev, "ts", json_string(ts));
		json_object_set_new(ev, "event_ts", json_string(ts));
		json_object_set(payload, "event_id",
		    json_object_get(orig, "event_id"));
		json_object_set_new(frame, "retry_attempt", json_integer(1));
		json_object_set_new(frame, "retry_reason",
		    json_string("timeout"));
	}
	r = e2e_ctl(e, "send", json_pack("{s:i, s:O, s:o}", "conn", conn,
	    "frame", frame, "stamp", orig == NULL ? json_true() :
	    json_pack("{s:b}", "envelope_id", 1)));
	json_decref(frame);
	if (r != NULL && !json_is_true(json_object_get(r, "ok"))) {
		json_decref(r);
		r = NULL;
	}
	return (r);
}

static const char *
sval(json_t *j, const char *key)
{
	const char	*s = json_string_value(json_object_get(j, key));

	return (s != NULL ? s : "");
}

/* The visible text of the i-th chat.postMessage (new string). */
static char *
post_text(struct e2e *e, size_t i)
{
	json_t	*posts;
	char	*s;

	posts = e2e_posts(e, "chat.postMessage");
	s = e2e_visible_text_new(json_object_get(json_array_get(posts, i),
	    "request"));
	json_decref(posts);
	return (s);
}

/*
 * A socket up for a few seconds goes silent right after it delivered
 * an event: no pong, no FIN, the bot's ack and a second event vanish. The bot must notice,
 * be connected again (new apps.connections.open, new socket, hello)
 * within SILENT_TO_HELLO_MS of the silence, and answer each event Slack
 * redelivers on the new socket exactly once: the one it had answered
 * before (dedupe on event_id) and the one it never saw.
 */
int
sc_silent_redeliver(struct e2e *e)
{
	json_t	*d = NULL, *r1 = NULL, *r2 = NULL, *x1 = NULL, *x2 = NULL;
	char	*text = NULL;
	int64_t	 t_silent, t_open, t_hello;
	int	 rc = -1, a, b, seq, seq_silent;

	e->default_pings = 1;
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	e2e_sleep_ms(UP_BEFORE_SILENCE_MS);
	d = e2e_ctl(e, "silent", json_pack("{s:b}", "after_write", 1));
	CHECK(e, d != NULL && json_is_true(json_object_get(d, "ok")),
	    "silent");
	a = (int)json_integer_value(json_object_get(d, "conn"));
	r1 = send_on(e, a, "!escalate akamai", NULL);
	CHECK(e, r1 != NULL, "inject the event before the silence");
	t_silent = wait_after(e, 0, "silent", NULL, NULL, E2E_REPLY_MS,
	    &seq_silent, NULL);
	CHECK(e, t_silent >= 0, "the socket never went silent");
	CHECK(e, e2e_wait_count(e, "post", "method", "chat.postMessage", 1,
	    E2E_REPLY_MS) == 1, "the event before the silence was not "
	    "answered");
	r2 = send_on(e, a, "!sop hivedown", NULL);
	CHECK(e, r2 != NULL, "inject the event into the silence");

	t_open = wait_after(e, seq_silent, "api", "method",
	    "apps.connections.open", 3 * SILENT_TO_HELLO_MS, &seq, NULL);
	CHECK(e, t_open >= 0, "a silent socket was never replaced");
	t_hello = wait_after(e, seq, "ws_open", "hello", "true",
	    E2E_REPLY_MS, &seq, &b);
	CHECK(e, t_hello >= 0, "no hello after the new "
	    "apps.connections.open");
	e2e_note(e, "figures: detect_ms=%.1f gap_ms=%.1f total_ms=%.1f",
	    (double)(t_open - t_silent) / 1000,
	    (double)(t_hello - t_open) / 1000,
	    (double)(t_hello - t_silent) / 1000);
	CHECK(e, t_hello - t_silent <= (int64_t)SILENT_TO_HELLO_MS * 1000,
	    "new hello %lld ms after the silence, want <= %d ms",
	    (long long)((t_hello - t_silent) / 1000), SILENT_TO_HELLO_MS);

	/* Slack redelivers both: the acked-into-the-void one and the lost */
	x1 = send_on(e, b, "!escalate akamai", r1);
	x2 = send_on(e, b, "!sop hivedown", r2);
	CHECK(e, x1 != NULL && x2 != NULL, "redeliver on socket %d", b);
	CHECK(e, e2e_wait_count(e, "ack", "envelope_id",
	    sval(x1, "envelope_id"), 1, E2E_REPLY_MS) == 1 &&
	    e2e_wait_count(e, "ack", "envelope_id", sval(x2, "envelope_id"), 1,
	    E2E_REPLY_MS) == 1, "a redelivery was not acked once");
	CHECK(e, e2e_wait_count(e, "post", "method", "chat.postMessage", 2,
	    E2E_REPLY_MS) >= 2, "the event lost in the silence was never "
	    "answered");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_post_count(e) == 2, "%d posts for 2 events",
	    e2e_post_count(e));
	text = post_text(e, 0);
	CHECK(e, e2e_contains(text, "AKATEC"), "first post is '%s'", text);
	free(text);
	text = post_text(e, 1);
	CHECK(e, e2e_contains(text, "Clusters are not able to push metrics"),
	    "second post is '%s'", text);
	rc = 0;
out:
	free(text);
	json_decref(d);
	json_decref(r1);
	json_decref(r2);
	json_decref(x1);
	json_decref(x2);
	return (rc);
}

/*
 * RST the socket of opsbot, which had one failed apps.connections.open
 * at start and then a healthy connection: the reconnect goes out at
 * once. RST the new socket right after its hello: that is a failure,
 * and the reconnect waits the backoff (its first step, 200-1000 ms).
 */
int
sc_rst_healthy(struct e2e *e)
{
	json_t	*f = NULL, *d = NULL, *r = NULL;
	int64_t	 t_rst, t_open, t_hello, t_rst2, t_open2;
	int	 rc = -1, seq, b;

	e->default_pings = 1;
	f = e2e_ctl(e, "fault", json_pack("{s:s, s:s, s:i}", "method",
	    "apps.connections.open", "mode", "500", "count", 1));
	CHECK(e, f != NULL && json_is_true(json_object_get(f, "ok")), "fault");
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	CHECK(e, e2e_count(e, "api", "fault", "500") == 1, "the failed "
	    "apps.connections.open at start did not happen");
	e2e_sleep_ms(HEALTHY_WAIT_MS);

	d = e2e_ctl(e, "rst", json_object());
	CHECK(e, d != NULL && json_is_true(json_object_get(d, "ok")), "rst");
	t_rst = wait_after(e, 0, "rst", NULL, NULL, E2E_REPLY_MS, &seq, NULL);
	CHECK(e, t_rst >= 0, "no rst in the log");
	t_open = wait_after(e, seq, "api", "method", "apps.connections.open",
	    E2E_REPLY_MS, &seq, NULL);
	CHECK(e, t_open >= 0, "no reconnection after an RST");
	t_hello = wait_after(e, seq, "ws_open", "hello", "true",
	    E2E_REPLY_MS, &seq, &b);
	CHECK(e, t_hello >= 0, "no hello after the RST");
	e2e_note(e, "figures: rst_to_open_ms=%.1f rst_to_hello_ms=%.1f",
	    (double)(t_open - t_rst) / 1000,
	    (double)(t_hello - t_rst) / 1000);
	CHECK(e, t_open - t_rst <= (int64_t)RST_TO_OPEN_MS * 1000,
	    "apps.connections.open %lld ms after the RST of a healthy "
	    "socket, want <= %d ms", (long long)((t_open - t_rst) / 1000),
	    RST_TO_OPEN_MS);

	/* the new socket dies at once: not healthy, so back off */
	json_decref(d);
	d = e2e_ctl(e, "rst", json_pack("{s:i}", "conn", b));
	CHECK(e, d != NULL && json_is_true(json_object_get(d, "ok")), "rst 2");
	t_rst2 = wait_after(e, seq, "rst", NULL, NULL, E2E_REPLY_MS, &seq,
	    NULL);
	CHECK(e, t_rst2 >= 0, "no second rst in the log");
	t_open2 = wait_after(e, seq, "api", "method", "apps.connections.open",
	    E2E_REPLY_MS, &seq, NULL);
	CHECK(e, t_open2 >= 0, "no reconnection after the second RST");
	e2e_note(e, "figures: rst_unhealthy_to_open_ms=%.1f",
	    (double)(t_open2 - t_rst2) / 1000);
	CHECK(e, t_open2 - t_rst2 >= (int64_t)BACKOFF_MIN_MS * 1000,
	    "reconnected %lld ms after a socket that lived under 10 s: no "
	    "backoff", (long long)((t_open2 - t_rst2) / 1000));
	CHECK(e, wait_after(e, seq, "ws_open", "hello", "true", E2E_REPLY_MS,
	    &seq, NULL) >= 0, "no hello after the second RST");
	r = e2e_send_message(e, "!sop hivedown");
	CHECK(e, r != NULL && e2e_wait_count(e, "post", "method",
	    "chat.postMessage", 1, E2E_REPLY_MS) == 1,
	    "no answer after reconnecting");
	rc = 0;
out:
	json_decref(f);
	json_decref(d);
	json_decref(r);
	return (rc);
}
