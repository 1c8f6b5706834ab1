/*
 * e2e.c: end-to-end scenarios. Each one runs the real opsbot against its
 * own fakeslack and asserts what a Slack user would see: posts, ack
 * payloads, connections. Usage: opsbot-e2e [scenario ...] (all if none).
 */
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "e2e.h"

/* ---- helpers for scenarios ----------------------------------------- */

/* Waits for the ack of envelope_id; returns its event (new ref). */
static json_t *
wait_ack(struct e2e *e, const char *envelope_id)
{
	if (e2e_wait_count(e, "ack", "envelope_id", envelope_id, 1,
	    E2E_REPLY_MS) < 0)
		return (NULL);
	return (e2e_find(e, "ack", "envelope_id", envelope_id));
}

/*
 * Waits until there are n posts, then watches E2E_SETTLE_MS more; returns
 * the final count (so "== n" means "exactly n").
 */
static int
wait_posts_exactly(struct e2e *e, int n)
{
	if (e2e_wait_count(e, "post", "method", "chat.postMessage", n,
	    E2E_REPLY_MS) < 0)
		return (e2e_post_count(e));
	e2e_sleep_ms(E2E_SETTLE_MS);
	return (e2e_post_count(e));
}

/* The visible text of the i-th post (new string), "" if none. */
static char *
post_text(struct e2e *e, int i)
{
	json_t	*posts;
	char	*s;

	posts = e2e_posts(e, "chat.postMessage");
	s = e2e_visible_text_new(json_object_get(json_array_get(posts,
	    (size_t)i), "request"));
	json_decref(posts);
	return (s);
}

static const char *
post_field(json_t *posts, int i, const char *key)
{
	return (json_string_value(json_object_get(json_array_get(posts,
	    (size_t)i), key)));
}

/* Sends "!sop hivedown" and checks one more post appears with Impact. */
static int
still_answers(struct e2e *e)
{
	json_t	*r;
	char	*text;
	int	 before, ok;

	before = e2e_post_count(e);
	r = e2e_send_message(e, "!sop hivedown");
	if (r == NULL || !json_is_true(json_object_get(r, "ok"))) {
		json_decref(r);
		return (0);
	}
	json_decref(r);
	if (e2e_wait_count(e, "post", "method", "chat.postMessage",
	    before + 1, E2E_REPLY_MS) < 0)
		return (0);
	text = post_text(e, before);
	ok = e2e_contains(text, "Clusters are not able to push metrics");
	free(text);
	return (ok);
}

/*
 * What a !sop hivedown answer must show; NULL if text has it all, else
 * the first thing missing.
 */
static const char *
hivedown_missing(const char *text)
{
	static const char *const want[] = {
		"Impact", "Clusters are not able to push metrics", "Severity",
		"Critical", "Steps",
	};
	size_t	i;

	for (i = 0; i < sizeof want / sizeof want[0]; i++)
		if (!e2e_contains(text, want[i]))
			return (want[i]);
	return (NULL);
}

/* ---- 1. !sop as a message ------------------------------------------ */

static int
sc_sop_message(struct e2e *e)
{
	json_t		*r = NULL, *ack = NULL, *posts = NULL;
	const char	*eid, *ts, *miss;
	char		*text = NULL;
	int		 rc = -1;
	int64_t		 lat;

	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	r = e2e_send_message(e, "!sop hivedown");
	CHECK(e, r != NULL && json_is_true(json_object_get(r, "ok")),
	    "cannot inject the event");
	eid = e2e_str(r, "envelope_id");
	ts = e2e_str(r, "ts");
	ack = wait_ack(e, eid);
	CHECK(e, ack != NULL, "envelope %s never acked", eid);
	lat = json_integer_value(json_object_get(ack, "latency_us"));
	CHECK(e, lat >= 0 && lat < E2E_ACK_US, "ack took %lld us",
	    (long long)lat);
	CHECK(e, wait_posts_exactly(e, 1) == 1, "expected exactly one post, "
	    "got %d", e2e_post_count(e));
	posts = e2e_posts(e, "chat.postMessage");
	CHECK(e, strcmp(post_field(posts, 0, "channel"), "C0001") == 0,
	    "posted to %s", post_field(posts, 0, "channel"));
	CHECK(e, post_field(posts, 0, "thread_ts") != NULL &&
	    strcmp(post_field(posts, 0, "thread_ts"), ts) == 0,
	    "thread_ts %s, want %s", post_field(posts, 0, "thread_ts") ?
	    post_field(posts, 0, "thread_ts") : "(none)", ts);
	text = post_text(e, 0);
	miss = hivedown_missing(text);
	CHECK(e, miss == NULL, "no '%s' in: %s", miss, text);
	rc = 0;
out:
	free(text);
	json_decref(r);
	json_decref(ack);
	json_decref(posts);
	return (rc);
}

/* ---- 2. slash commands answered in the ack ------------------------- */

static char *
slash(struct e2e *e, const char *command, const char *text)
{
	json_t	*frame, *r, *ack;
	char	*s = NULL;

	frame = e2e_fixture(e, "slash_command.json");
	if (frame == NULL)
		return (NULL);
	json_object_set_new(json_object_get(frame, "payload"), "command",
	    json_string(command));
	json_object_set_new(json_object_get(frame, "payload"), "text",
	    json_string(text));
	r = e2e_send(e, frame, "all");
	json_decref(frame);
	if (r == NULL)
		return (NULL);
	ack = wait_ack(e, e2e_str(r, "envelope_id"));
	if (ack != NULL && json_integer_value(json_object_get(ack,
	    "latency_us")) < E2E_ACK_US)
		s = e2e_visible_text_new(json_object_get(ack, "payload"));
	json_decref(ack);
	json_decref(r);
	return (s);
}

static int
sc_slash_command(struct e2e *e)
{
	char	*sop = NULL, *esc = NULL;
	int	 rc = -1;

	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	sop = slash(e, "/sop", "hivedown");
	CHECK(e, sop != NULL, "/sop hivedown: no ack within 3 s");
	CHECK(e, e2e_contains(sop, "Impact") &&
	    e2e_contains(sop, "Clusters are not able to push metrics"),
	    "/sop hivedown ack payload lacks the SOP: '%s'", sop);
	esc = slash(e, "/escalate", "akamai");
	CHECK(e, esc != NULL, "/escalate akamai: no ack within 3 s");
	CHECK(e, e2e_contains(esc, "1-877-4-AKATEC"), "no AKATEC in '%s'",
	    esc);
	CHECK(e, e2e_contains(esc, "1-617-444-4699"), "no 617 number in '%s'",
	    esc);
	CHECK(e, e2e_contains(esc, "BLMX (2569)"), "no routing code in '%s'",
	    esc);
	rc = 0;
out:
	free(sop);
	free(esc);
	return (rc);
}

/* ---- 3. app_mention and its companion message: one answer ----------- */

static int
sc_app_mention(struct e2e *e)
{
	json_t		*m = NULL, *c = NULL, *r1 = NULL, *r2 = NULL;
	json_t		*ev, *a1 = NULL, *a2 = NULL;
	const char	*text = "<@U0BOT> escalate redhat";
	char		*seen = NULL;
	int		 rc = -1;

	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	m = e2e_fixture(e, "events_api_app_mention.json");
	c = e2e_fixture(e, "events_api_app_mention_companion_message.json");
	CHECK(e, m != NULL && c != NULL, "fixtures");
	ev = json_object_get(json_object_get(m, "payload"), "event");
	json_object_set_new(ev, "text", json_string(text));
	ev = json_object_get(json_object_get(c, "payload"), "event");
	json_object_set_new(ev, "text", json_string(text));
	r1 = e2e_send(e, m, "all");
	CHECK(e, r1 != NULL, "inject mention");
	/* the companion: same channel and ts, its own event_id */
	json_object_set_new(ev, "ts", json_string(e2e_str(r1, "ts")));
	json_object_set_new(ev, "event_ts", json_string(e2e_str(r1, "ts")));
	r2 = e2e_send(e, c, "{\"envelope_id\":true,\"event_id\":true}");
	CHECK(e, r2 != NULL, "inject companion");
	a1 = wait_ack(e, e2e_str(r1, "envelope_id"));
	a2 = wait_ack(e, e2e_str(r2, "envelope_id"));
	CHECK(e, a1 != NULL && a2 != NULL, "both envelopes must be acked");
	CHECK(e, wait_posts_exactly(e, 1) == 1, "expected one answer, got %d",
	    e2e_post_count(e));
	seen = post_text(e, 0);
	CHECK(e, e2e_contains(seen, "888-GO-REDHAT"), "no 888-GO-REDHAT in "
	    "'%s'", seen);
	rc = 0;
out:
	free(seen);
	json_decref(m);
	json_decref(c);
	json_decref(r1);
	json_decref(r2);
	json_decref(a1);
	json_decref(a2);
	return (rc);
}

/* ---- 4. bots and edits are not commands ---------------------------- */

static int
send_ignored(struct e2e *e, const char *fixture, int edit)
{
	json_t	*f, *r, *ack = NULL, *msg;
	int	 ok = 0;

	f = e2e_fixture(e, fixture);
	if (f == NULL)
		return (0);
	if (edit) {
		msg = json_object_get(json_object_get(json_object_get(f,
		    "payload"), "event"), "message");
		json_object_set_new(msg, "text", json_string("!sop hivedown"));
		r = e2e_send(e, f, "{\"envelope_id\":true,\"event_id\":true}");
	} else {
		e2e_set_text(f, "!sop hivedown");
		r = e2e_send(e, f, "all");
	}
	if (r != NULL)
		ack = wait_ack(e, e2e_str(r, "envelope_id"));
	ok = ack != NULL;
	json_decref(ack);
	json_decref(r);
	json_decref(f);
	return (ok);
}

static int
sc_ignore_bots(struct e2e *e)
{
	json_t	*r = NULL;
	char	*text = NULL;
	int	 rc = -1;

	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	CHECK(e, send_ignored(e, "events_api_bot_message_self.json", 0),
	    "own message not acked");
	CHECK(e, send_ignored(e, "events_api_bot_message_other_app.json", 0),
	    "other bot's message not acked");
	CHECK(e, send_ignored(e, "events_api_message_changed.json", 1),
	    "message_changed not acked");
	/* a human command after them proves they were all processed */
	r = e2e_send_message(e, "!escalate akamai");
	CHECK(e, r != NULL, "inject");
	CHECK(e, wait_posts_exactly(e, 1) == 1, "bots or edits were answered: "
	    "%d posts", e2e_post_count(e));
	text = post_text(e, 0);
	CHECK(e, e2e_contains(text, "AKATEC"), "the one post is not the "
	    "human's command: '%s'", text);
	rc = 0;
out:
	free(text);
	json_decref(r);
	return (rc);
}

/* ---- 5. a Slack retry of the same event ---------------------------- */

static int
sc_retry_dedupe(struct e2e *e)
{
	json_t	*r1 = NULL, *r2 = NULL, *retry = NULL, *a1 = NULL, *a2 = NULL;
	json_t	*ev;
	int	 rc = -1;

	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	r1 = e2e_send_message(e, "!escalate akamai");
	CHECK(e, r1 != NULL, "inject");
	a1 = wait_ack(e, e2e_str(r1, "envelope_id"));
	CHECK(e, a1 != NULL, "first delivery not acked");
	retry = e2e_fixture(e, "events_api_message_retry.json");
	CHECK(e, retry != NULL, "fixture");
	e2e_set_text(retry, "!escalate akamai");
	ev = json_object_get(json_object_get(retry, "payload"), "event");
	json_object_set_new(ev, "ts", json_string(e2e_str(r1, "ts")));
	json_object_set_new(ev, "event_ts", json_string(e2e_str(r1, "ts")));
	json_object_set_new(json_object_get(retry, "payload"), "event_id",
	    json_string(e2e_str(r1, "event_id")));
	r2 = e2e_send(e, retry, "{\"envelope_id\":true}");
	CHECK(e, r2 != NULL, "inject retry");
	a2 = wait_ack(e, e2e_str(r2, "envelope_id"));
	CHECK(e, a2 != NULL, "the retry must be acked too");
	CHECK(e, wait_posts_exactly(e, 1) == 1, "retry answered twice: %d "
	    "posts", e2e_post_count(e));
	rc = 0;
out:
	json_decref(r1);
	json_decref(r2);
	json_decref(retry);
	json_decref(a1);
	json_decref(a2);
	return (rc);
}

/* ---- 6. refresh_requested and warning: make before break ----------- */

static int
seq_of(struct e2e *e, const char *kind, const char *key, const char *value)
{
	json_t	*ev;
	int	 seq;

	ev = e2e_find(e, kind, key, value);
	seq = ev != NULL ? (int)json_integer_value(json_object_get(ev,
	    "seq")) : -1;
	json_decref(ev);
	return (seq);
}

static int
max_live(struct e2e *e)
{
	json_t	*evs, *ev;
	size_t	 i;
	int	 m = 0, n;

	evs = e2e_events(e);
	json_array_foreach(evs, i, ev) {
		if (strcmp(e2e_str(ev, "kind"), "ws_open") != 0)
			continue;
		n = (int)json_integer_value(json_object_get(ev, "live"));
		if (n > m)
			m = n;
	}
	json_decref(evs);
	return (m);
}

static int
sc_refresh(struct e2e *e)
{
	json_t	*r = NULL, *d = NULL, *frame = NULL;
	char	 conn_a[16], conn_b[16], eid[128];
	char	*text = NULL;
	int	 rc = -1, opens, a, posts;

	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	opens = e2e_count(e, "api", "method", "apps.connections.open");
	/*
	 * Hold the new URL back so the switch takes a while: the old socket
	 * must keep serving meanwhile.
	 */
	json_decref(e2e_ctl(e, "fault", json_pack("{s:s, s:s, s:i}",
	    "method", "apps.connections.open", "mode", "hold", "count", -1)));
	d = e2e_ctl(e, "disconnect", json_pack("{s:s}", "reason",
	    "refresh_requested"));
	CHECK(e, d != NULL && json_is_true(json_object_get(d, "ok")),
	    "disconnect");
	a = (int)json_integer_value(json_object_get(d, "conn"));
	snprintf(conn_a, sizeof conn_a, "%d", a);
	snprintf(conn_b, sizeof conn_b, "%d", a + 1);
	/* an event on the old socket during the switch */
	frame = e2e_fixture(e, "events_api_message.json");
	CHECK(e, frame != NULL, "fixture");
	e2e_set_text(frame, "!escalate akamai");
	r = e2e_ctl(e, "send", json_pack("{s:i, s:O, s:b}", "conn", a,
	    "frame", frame, "stamp", 1));
	CHECK(e, r != NULL && json_is_true(json_object_get(r, "ok")),
	    "inject on the old socket");
	snprintf(eid, sizeof eid, "%s", e2e_str(r, "envelope_id"));
	CHECK(e, e2e_wait_count(e, "hold", "method", "apps.connections.open",
	    1, E2E_REPLY_MS) > 0,
	    "no new apps.connections.open after refresh_requested");
	CHECK(e, e2e_wait_count(e, "ack", "envelope_id", eid, 1,
	    E2E_REPLY_MS) > 0, "the old socket stopped serving before the new "
	    "one was up");
	json_decref(e2e_ctl(e, "release", json_pack("{s:s}", "method",
	    "apps.connections.open")));
	CHECK(e, e2e_wait_count(e, "api", "method", "apps.connections.open",
	    opens + 1, E2E_REPLY_MS) > opens,
	    "no new apps.connections.open after refresh_requested");
	CHECK(e, e2e_wait_count(e, "ws_open", "conn", conn_b, 1,
	    E2E_REPLY_MS) > 0, "no new connection");
	CHECK(e, e2e_wait_count(e, "ws_close", "conn", conn_a, 1,
	    E2E_REPLY_MS) > 0, "the old connection was never closed");
	CHECK(e, seq_of(e, "ws_close", "conn", conn_a) >
	    seq_of(e, "ws_open", "conn", conn_b),
	    "the old socket closed before the new one said hello");
	/* the event sent during the switch: acked and answered */
	CHECK(e, e2e_count(e, "ack", "envelope_id", eid) == 1,
	    "the event sent during the switch was not acked once");
	CHECK(e, e2e_wait_count(e, "post", "method", "chat.postMessage", 1,
	    E2E_REPLY_MS) > 0, "the event sent during the switch was lost");
	text = post_text(e, 0);
	CHECK(e, e2e_contains(text, "AKATEC"), "first post is '%s'", text);
	CHECK(e, still_answers(e), "no answer after refresh_requested");

	/* warning: a replacement comes up at once */
	json_decref(d);
	opens = e2e_count(e, "api", "method", "apps.connections.open");
	d = e2e_ctl(e, "disconnect", json_pack("{s:s}", "reason", "warning"));
	CHECK(e, d != NULL && json_is_true(json_object_get(d, "ok")),
	    "disconnect warning");
	CHECK(e, e2e_wait_count(e, "api", "method", "apps.connections.open",
	    opens + 1, E2E_REPLY_MS) > opens,
	    "no new apps.connections.open after warning");
	snprintf(conn_b, sizeof conn_b, "%d", a + 2);
	CHECK(e, e2e_wait_count(e, "ws_open", "conn", conn_b, 1,
	    E2E_REPLY_MS) > 0, "no new connection after warning");
	posts = e2e_post_count(e);
	CHECK(e, still_answers(e), "no answer after warning");
	CHECK(e, e2e_post_count(e) == posts + 1, "posts %d, want %d",
	    e2e_post_count(e),
	    posts + 1);
	CHECK(e, max_live(e) <= 2, "%d sockets open at once", max_live(e));
	rc = 0;
out:
	free(text);
	json_decref(frame);
	json_decref(r);
	json_decref(d);
	return (rc);
}

/* ---- 7. TCP dropped without a close frame -------------------------- */

static int
sc_drop_tcp(struct e2e *e)
{
	json_t	*d = NULL;
	int	 rc = -1, opens, hellos;
	int64_t	 t0;

	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	opens = e2e_count(e, "api", "method", "apps.connections.open");
	hellos = e2e_count(e, "ws_open", "hello", "true");
	t0 = e2e_now_ms();
	d = e2e_ctl(e, "drop", json_object());
	CHECK(e, d != NULL && json_is_true(json_object_get(d, "ok")), "drop");
	CHECK(e, e2e_wait_count(e, "ws_open", "hello", "true", hellos + 1,
	    E2E_REPLY_MS) > hellos, "no reconnection after a TCP drop");
	e2e_note(e, "reconnected %lld ms after the drop",
	    (long long)(e2e_now_ms() - t0));
	CHECK(e, e2e_count(e, "api", "method", "apps.connections.open") >
	    opens, "reconnected without a new apps.connections.open");
	CHECK(e, still_answers(e), "no answer after reconnecting");
	rc = 0;
out:
	json_decref(d);
	return (rc);
}

/* ---- 8. a silent socket: no pongs, no frames ----------------------- */

static int
sc_silent_socket(struct e2e *e)
{
	json_t	*d = NULL;
	int	 rc = -1, hellos;
	int64_t	 t0, dt;

	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	hellos = e2e_count(e, "ws_open", "hello", "true");
	t0 = e2e_now_ms();
	d = e2e_ctl(e, "silent", json_object());
	CHECK(e, d != NULL && json_is_true(json_object_get(d, "ok")),
	    "silent");
	/* ping 1 s + pong timeout 3 s, with room for ASan and backoff */
	CHECK(e, e2e_wait_count(e, "ws_open", "hello", "true", hellos + 1,
	    12000) > hellos, "a silent socket was never replaced");
	dt = e2e_now_ms() - t0;
	e2e_note(e, "replaced %lld ms after going silent", (long long)dt);
	CHECK(e, still_answers(e), "no answer after replacing the socket");
	rc = 0;
out:
	json_decref(d);
	return (rc);
}

/* ---- 9. 429 with Retry-After on chat.postMessage ------------------- */

static int
sc_ratelimit_429(struct e2e *e)
{
	json_t	*f = NULL, *r = NULL, *evs = NULL, *ev;
	int64_t	 t429 = -1, tok = -1;
	size_t	 i;
	int	 rc = -1;

	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	f = e2e_ctl(e, "fault", json_pack("{s:s, s:s, s:i, s:i}", "method",
	    "chat.postMessage", "mode", "429", "retry_after", 1, "count", 1));
	CHECK(e, f != NULL && json_is_true(json_object_get(f, "ok")), "fault");
	r = e2e_send_message(e, "!sop hivedown");
	CHECK(e, r != NULL, "inject");
	CHECK(e, wait_posts_exactly(e, 1) == 1, "want exactly one post after "
	    "a 429, got %d", e2e_post_count(e));
	evs = e2e_events(e);
	json_array_foreach(evs, i, ev) {
		if (strcmp(e2e_str(ev, "kind"), "api") != 0 ||
		    strcmp(e2e_str(ev, "method"), "chat.postMessage") != 0)
			continue;
		if (json_integer_value(json_object_get(ev, "status")) == 429)
			t429 = json_integer_value(json_object_get(ev, "t_us"));
		else if (json_is_true(json_object_get(ev, "ok")) && tok < 0)
			tok = json_integer_value(json_object_get(ev, "t_us"));
	}
	CHECK(e, t429 >= 0, "the bot never hit the 429");
	CHECK(e, tok > t429, "no successful post after the 429");
	e2e_note(e, "retried %lld ms after the 429",
	    (long long)((tok - t429) / 1000));
	CHECK(e, tok - t429 >= 900000, "retried after %lld ms, before "
	    "Retry-After: 1", (long long)((tok - t429) / 1000));
	rc = 0;
out:
	json_decref(f);
	json_decref(r);
	json_decref(evs);
	return (rc);
}

/*
 * ---- 9b. the bot's clock moved past a 429's Retry-After: 3600 -------
 * Registered only in test-clock builds (CMakeLists.txt). The reply waits
 * out an hour's pause without an hour passing: half the jump must not
 * post it (nothing fires early), the whole of it posts it at once.
 */
static int
sc_clock_jump_429(struct e2e *e)
{
	json_t	*f = NULL, *r = NULL;
	int64_t	 t0, wall0, wall1;
	int	 rc = -1;

	e->test_clock = 1;
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	f = e2e_ctl(e, "fault", json_pack("{s:s, s:s, s:i, s:i}", "method",
	    "chat.postMessage", "mode", "429", "retry_after", 3600, "count",
	    1));
	CHECK(e, f != NULL && json_is_true(json_object_get(f, "ok")), "fault");
	r = e2e_send_message(e, "!sop hivedown");
	CHECK(e, r != NULL, "inject");
	CHECK(e, e2e_wait_count(e, "api", "status", "429", 1,
	    E2E_REPLY_MS) == 1, "the bot never hit the 429");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_post_count(e) == 0, "posted %d before Retry-After",
	    e2e_post_count(e));

	CHECK(e, e2e_clock_advance(e, 1800000, &wall0) == 0, "move 30 min");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_post_count(e) == 0,
	    "posted half an hour into a 3600 s pause");

	t0 = e2e_now_ms();
	CHECK(e, e2e_clock_advance(e, 1800000, &wall1) == 0, "move 30 min");
	CHECK(e, wall1 - wall0 >= 1800000, "the bot's wall clock moved "
	    "%lld ms, not 30 min", (long long)(wall1 - wall0));
	CHECK(e, e2e_wait_count(e, "post", "method", "chat.postMessage", 1,
	    5000) == 1, "no post within 5 s of moving the clock an hour");
	e2e_note(e, "posted %lld ms after the clock moved past the pause",
	    (long long)(e2e_now_ms() - t0));
	CHECK(e, wait_posts_exactly(e, 1) == 1, "want exactly one post, got "
	    "%d", e2e_post_count(e));
	rc = 0;
out:
	json_decref(f);
	json_decref(r);
	return (rc);
}

/* ---- 10. malformed frames and ok:false ----------------------------- */

static int
sc_malformed(struct e2e *e)
{
	json_t	*r = NULL, *rl = NULL, *ack = NULL, *f = NULL;
	int	 rc = -1, warns;

	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	warns = e2e_stderr_count(e, "Z warn");
	json_decref(e2e_send_raw(e, "not json", 0));
	json_decref(e2e_send_raw(e, "[1,2]", 0));
	json_decref(e2e_send_raw(e, "{\"type\":\"events_api\"}", 0));
	json_decref(e2e_send_raw(e, "{\"type\":\"events_api\","
	    "\"envelope_id\":\"e2e-no-payload\"}", 0));
	json_decref(e2e_send_raw(e, "\x01\x02\x03 binary", 1));
	rl = e2e_fixture(e, "events_api_app_rate_limited.json");
	CHECK(e, rl != NULL, "fixture");
	r = e2e_send(e, rl, "all");
	CHECK(e, r != NULL, "inject app_rate_limited");
	ack = wait_ack(e, e2e_str(r, "envelope_id"));
	CHECK(e, ack != NULL, "an envelope without payload.event must still "
	    "be acked");
	CHECK(e, still_answers(e), "no answer after malformed frames");
	CHECK(e, e2e_bot_alive(e), "opsbot died");
	CHECK(e, e2e_stderr_count(e, "Z warn") > warns, "no warning logged "
	    "for malformed frames");

	/* ok:false from chat.postMessage: logged, and the next one works */
	f = e2e_ctl(e, "fault", json_pack("{s:s, s:s, s:s, s:i}", "method",
	    "chat.postMessage", "mode", "error", "error", "channel_not_found",
	    "count", 1));
	CHECK(e, f != NULL && json_is_true(json_object_get(f, "ok")), "fault");
	json_decref(r);
	r = e2e_send_message(e, "!escalate akamai");
	CHECK(e, e2e_wait_count(e, "api", "error", "channel_not_found", 1,
	    E2E_REPLY_MS) > 0, "the bot never posted into the fault");
	e2e_sleep_ms(500);
	CHECK(e, e2e_stderr_count(e, "channel_not_found") > 0,
	    "channel_not_found not in the bot's log");
	CHECK(e, still_answers(e), "no answer after ok:false");
	rc = 0;
out:
	json_decref(r);
	json_decref(rl);
	json_decref(ack);
	json_decref(f);
	return (rc);
}

/* ---- 11. kill -9 with a reply in the outbox ------------------------ */

static int
sc_kill9_outbox(struct e2e *e)
{
	json_t	*f = NULL, *r = NULL, *retry = NULL, *ev, *a2 = NULL;
	int	 rc = -1, status;

	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	f = e2e_ctl(e, "fault", json_pack("{s:s, s:s, s:i}", "method",
	    "chat.postMessage", "mode", "hold", "count", -1));
	CHECK(e, f != NULL && json_is_true(json_object_get(f, "ok")), "fault");
	r = e2e_send_message(e, "!sop hivedown");
	CHECK(e, r != NULL, "inject");
	CHECK(e, e2e_wait_count(e, "ack", "envelope_id", e2e_str(r,
	    "envelope_id"), 1, E2E_REPLY_MS) > 0, "never acked");
	/* give the post a chance to reach the hold, then kill */
	e2e_wait_count(e, "hold", NULL, NULL, 1, 3000);
	status = e2e_bot_stop(e, SIGKILL, 5000);
	CHECK(e, status != -1 && WIFSIGNALED(status), "kill -9 failed");
	if (e2e_count(e, "hold", NULL, NULL) > 0)
		CHECK(e, e2e_wait_count(e, "abort", NULL, NULL, 1, 5000) > 0,
		    "the held post's connection did not close");
	json_decref(f);
	f = e2e_ctl(e, "release", json_object());
	CHECK(e, e2e_post_count(e) == 0, "a post got through the hold");

	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello after the restart");
	CHECK(e, wait_posts_exactly(e, 1) == 1, "the pending reply was not "
	    "delivered exactly once after restart: %d posts",
	    e2e_post_count(e));

	/* Slack retries the same event: still one post */
	retry = e2e_fixture(e, "events_api_message_retry.json");
	CHECK(e, retry != NULL, "fixture");
	e2e_set_text(retry, "!sop hivedown");
	ev = json_object_get(json_object_get(retry, "payload"), "event");
	json_object_set_new(ev, "ts", json_string(e2e_str(r, "ts")));
	json_object_set_new(ev, "event_ts", json_string(e2e_str(r, "ts")));
	json_object_set_new(json_object_get(retry, "payload"), "event_id",
	    json_string(e2e_str(r, "event_id")));
	json_decref(f);
	f = e2e_send(e, retry, "{\"envelope_id\":true}");
	CHECK(e, f != NULL, "inject retry");
	a2 = wait_ack(e, e2e_str(f, "envelope_id"));
	CHECK(e, a2 != NULL, "the retry was not acked");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_post_count(e) == 1,
	    "dedupe did not survive the restart: %d posts", e2e_post_count(e));
	rc = 0;
out:
	json_decref(f);
	json_decref(r);
	json_decref(retry);
	json_decref(a2);
	return (rc);
}

/* ---- 12. unknown commands and near misses -------------------------- */

static int
sc_unknown_command(struct e2e *e)
{
	json_t	*r = NULL;
	char	*t1 = NULL, *t2 = NULL, *t3 = NULL;
	int	 rc = -1;

	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	r = e2e_send_message(e, "!frobnicate");
	CHECK(e, e2e_wait_count(e, "post", "method", "chat.postMessage", 1,
	    E2E_REPLY_MS) > 0, "no answer to an unknown command");
	t1 = post_text(e, 0);
	CHECK(e, e2e_contains(t1, "unknown") && e2e_contains(t1, "help"),
	    "unknown command reply: '%s'", t1);
	CHECK(e, e2e_contains(t1, "frobnicate"), "reply does not name the "
	    "command: '%s'", t1);
	json_decref(r);
	r = e2e_send_message(e, "!sop nosuchalert");
	CHECK(e, e2e_wait_count(e, "post", "method", "chat.postMessage", 2,
	    E2E_REPLY_MS) > 0, "no answer to !sop nosuchalert");
	t2 = post_text(e, 1);
	CHECK(e, e2e_contains(t2, "nosuchalert"), "reply does not name the "
	    "alert: '%s'", t2);
	CHECK(e, !e2e_contains(t2, "Clusters are not able"), "answered with "
	    "some SOP anyway: '%s'", t2);
	json_decref(r);
	r = e2e_send_message(e, "!sop hivedwon");
	CHECK(e, e2e_wait_count(e, "post", "method", "chat.postMessage", 3,
	    E2E_REPLY_MS) > 0, "no answer to !sop hivedwon");
	t3 = post_text(e, 2);
	CHECK(e, e2e_contains(t3, "hivedown"), "a one-letter typo does not "
	    "suggest hivedown: '%s'", t3);
	rc = 0;
out:
	free(t1);
	free(t2);
	free(t3);
	json_decref(r);
	return (rc);
}

/* ---- 13. tokens never in the log ----------------------------------- */

static int
sc_token_redaction(struct e2e *e)
{
	json_t	*r = NULL;
	int	 rc = -1;

	/* every teardown greps for the secret; this run walks error paths */
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	json_decref(e2e_ctl(e, "fault", json_pack("{s:s, s:s, s:s, s:i}",
	    "method", "chat.postMessage", "mode", "error", "error",
	    "invalid_auth", "count", 1)));
	r = e2e_send_message(e, "!sop hivedown");
	CHECK(e, e2e_wait_count(e, "api", "error", "invalid_auth", 1,
	    E2E_REPLY_MS) > 0, "no post attempted");
	json_decref(e2e_ctl(e, "disconnect", json_pack("{s:s}", "reason",
	    "refresh_requested")));
	CHECK(e, e2e_wait_count(e, "ws_open", "hello", "true", 2,
	    E2E_REPLY_MS) > 0, "no reconnection");
	e2e_sleep_ms(500);
	CHECK(e, e2e_stderr_count(e, E2E_SECRET) == 0, "a token secret is "
	    "in the log");
	CHECK(e, e2e_stderr_count(e, "xoxb-0001") == 0 &&
	    e2e_stderr_count(e, "xapp-1-A0001") == 0, "a token prefix with "
	    "its id is in the log");
	rc = 0;
out:
	json_decref(r);
	return (rc);
}

/* ---- 14. link_disabled and too_many_websockets --------------------- */

static int
sc_link_disabled(struct e2e *e)
{
	json_t	*d = NULL;
	int64_t	 deadline;
	int	 rc = -1, opens;

	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	opens = e2e_count(e, "api", "method", "apps.connections.open");
	d = e2e_ctl(e, "disconnect", json_pack("{s:s, s:i}", "reason",
	    "link_disabled", "close_after_ms", 200));
	CHECK(e, d != NULL && json_is_true(json_object_get(d, "ok")),
	    "disconnect");
	deadline = e2e_now_ms() + 10000;
	while (e2e_bot_alive(e) && e2e_now_ms() < deadline)
		e2e_sleep_ms(50);
	e->expect_exit = 1;
	CHECK(e, !e2e_bot_alive(e), "still running 10 s after link_disabled");
	CHECK(e, WIFEXITED(e->bot_status) && WEXITSTATUS(e->bot_status) != 0,
	    "link_disabled: want a non-zero exit, got %s %d",
	    WIFEXITED(e->bot_status) ? "status" : "signal",
	    WIFEXITED(e->bot_status) ? WEXITSTATUS(e->bot_status) :
	    WTERMSIG(e->bot_status));
	CHECK(e, e2e_stderr_count(e, "link_disabled") > 0,
	    "the exit message does not name link_disabled");
	CHECK(e, e2e_count(e, "api", "method", "apps.connections.open") <=
	    opens + 1, "apps.connections.open hammered after link_disabled: "
	    "%d calls", e2e_count(e, "api", "method", "apps.connections.open")
	    - opens);
	rc = 0;
out:
	json_decref(d);
	return (rc);
}

static int
sc_too_many_websockets(struct e2e *e)
{
	json_t	*d = NULL;
	int	 rc = -1, n;

	d = e2e_ctl(e, "ws_reject", json_pack("{s:s, s:i, s:i}", "reason",
	    "too_many_websockets", "count", -1, "close_after_ms", 100));
	CHECK(e, d != NULL && json_is_true(json_object_get(d, "ok")),
	    "ws_reject");
	CHECK(e, e2e_bot_start(e) == 0, "start");
	CHECK(e, e2e_wait_count(e, "ws_open", "hello", "false", 1,
	    E2E_START_MS) > 0, "the bot never connected");
	e2e_sleep_ms(5000);
	n = e2e_count(e, "api", "method", "apps.connections.open");
	e2e_note(e, "%d apps.connections.open calls in the first 5 s", n);
	CHECK(e, n <= 3, "no backoff on too_many_websockets: %d "
	    "apps.connections.open calls within 5 s", n);
	CHECK(e, e2e_bot_alive(e), "the bot gave up on too_many_websockets");
	/* the condition clears: the bot gets back on its own */
	json_decref(d);
	d = e2e_ctl(e, "ws_reject", json_pack("{s:i}", "count", 0));
	CHECK(e, e2e_wait_count(e, "ws_open", "hello", "true", 1, 40000) > 0,
	    "no healthy connection within 40 s after the limit cleared");
	CHECK(e, still_answers(e), "no answer after recovering");
	rc = 0;
out:
	json_decref(d);
	return (rc);
}

/* ---- issue 6: bad input never stops the bot or loses an event ----- */

/* Writes text to <tmpdir>/<name> (made if need be); 0 or -1. */
static int
write_tmp(struct e2e *e, const char *name, const char *text, size_t len)
{
	char	*path = NULL;
	FILE	*f;
	int	 rc = -1;

	if (asprintf(&path, "%s/%s", e->tmpdir, name) < 0)
		return (-1);
	if ((f = fopen(path, "wb")) == NULL)
		goto out;
	if (fwrite(text, 1, len, f) != len) {
		fclose(f);
		goto out;
	}
	rc = fclose(f) == 0 ? 0 : -1;
out:
	free(path);
	return (rc);
}

/*
 * A reply that is not UTF-8 (a Latin-1 runbook; the loader may repair
 * it one day, the JSON builders must not count on that): jansson would
 * refuse it, which once ended the bot. Answered, acked, still running.
 */
static int
sc_reply_not_utf8(struct e2e *e)
{
	static const char rb[] = "# Opening hours\n\nThe caf\xe9 opens at "
	    "nine, \xab\xa0sharp\xa0\xbb.\n";
	json_t	*r = NULL, *ack = NULL;
	char	*dir = NULL, *text = NULL;
	int	 rc = -1;

	CHECK(e, asprintf(&dir, "%s/latin1", e->tmpdir) > 0 &&
	    mkdir(dir, 0755) == 0, "mkdir");
	CHECK(e, write_tmp(e, "latin1/hours.md", rb, sizeof rb - 1) == 0,
	    "write the runbook");
	e->runbooks_extra = dir;
	dir = NULL;
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	r = e2e_send_message(e, "!sop openinghours");
	CHECK(e, r != NULL, "inject");
	ack = wait_ack(e, e2e_str(r, "envelope_id"));
	CHECK(e, ack != NULL, "never acked");
	CHECK(e, wait_posts_exactly(e, 1) == 1, "want one answer, got %d",
	    e2e_post_count(e));
	text = post_text(e, 0);
	CHECK(e, e2e_contains(text, "opens at nine") &&
	    e2e_contains(text, "caf\xc3\xa9"), "answer: '%s'", text);
	CHECK(e, e2e_bot_alive(e), "opsbot died on a reply that is not UTF-8");
	CHECK(e, still_answers(e), "no answer afterwards");
	rc = 0;
out:
	free(dir);
	free(text);
	json_decref(r);
	json_decref(ack);
	return (rc);
}

/* Reads a file of tests/fuzz/corpus-envelope into a new string. */
static char *
corpus_read(struct e2e *e, const char *name)
{
	char	*path = NULL, *data = NULL;
	FILE	*f;
	long	 len;

	if (asprintf(&path, "%s/../../fuzz/corpus-envelope/%s", e->fixtures,
	    name) < 0)
		return (NULL);
	if ((f = fopen(path, "rb")) == NULL)
		goto out;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	if (len >= 0 && (data = calloc(1, (size_t)len + 1)) != NULL &&
	    fread(data, 1, (size_t)len, f) != (size_t)len) {
		free(data);
		data = NULL;
	}
	fclose(f);
out:
	free(path);
	return (data);
}

/*
 * A member name of 249 bytes inside payload.event, before "text": the
 * LEJP fast path lost every later field (acked, never answered). Sent
 * byte for byte as in ../shared/repro/envelope: answered exactly once.
 */
static int
sc_envelope_longkey(struct e2e *e)
{
	json_t	*r = NULL, *ack = NULL;
	char	*raw = NULL, *text = NULL;
	const char *miss;
	int	 rc = -1;

	raw = corpus_read(e, "envelope-longkey-249.json");
	CHECK(e, raw != NULL, "cannot read envelope-longkey-249.json");
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	r = e2e_send_raw(e, raw, 0);
	CHECK(e, r != NULL, "inject");
	ack = wait_ack(e, "3b7e4a52-6c1d-4c8e-9a5b-1f2e3d4c5b6a");
	CHECK(e, ack != NULL, "never acked");
	CHECK(e, wait_posts_exactly(e, 1) == 1, "want exactly one answer, "
	    "got %d", e2e_post_count(e));
	text = post_text(e, 0);
	miss = hivedown_missing(text);
	CHECK(e, miss == NULL, "no '%s' in: %s", miss, text);
	rc = 0;
out:
	free(raw);
	free(text);
	json_decref(r);
	json_decref(ack);
	return (rc);
}

/*
 * Credentials inside SLACK_API_URL: the adapter refuses the URL (the
 * tokens authenticate) and says so, naming the URL without its user
 * name, password or query.
 */
static int
sc_api_url_credentials(struct e2e *e)
{
	char	*url = NULL, *shown = NULL;
	int64_t	 deadline;
	int	 rc = -1;

	CHECK(e, asprintf(&url, "http://opsbot:pw-hunter2-e2e@127.0.0.1:%d"
	    "/api/?q=pw-query-e2e", e->port) > 0, "asprintf");
	CHECK(e, asprintf(&shown, "'http://127.0.0.1:%d/api/'", e->port) > 0,
	    "asprintf");
	e2e_bot_setenv(e, "SLACK_API_URL", url);
	CHECK(e, e2e_bot_start(e) == 0, "start");
	deadline = e2e_now_ms() + E2E_START_MS;
	while (e2e_bot_alive(e) && e2e_now_ms() < deadline)
		e2e_sleep_ms(50);
	e->expect_exit = 1;
	CHECK(e, !e2e_bot_alive(e), "opsbot runs on a URL it cannot use");
	CHECK(e, WIFEXITED(e->bot_status) && WEXITSTATUS(e->bot_status) != 0,
	    "want a non-zero exit");
	CHECK(e, e2e_stderr_count(e, "pw-hunter2-e2e") == 0, "the password "
	    "of SLACK_API_URL is in the log");
	CHECK(e, e2e_stderr_count(e, "pw-query-e2e") == 0, "the query of "
	    "SLACK_API_URL is in the log");
	CHECK(e, e2e_stderr_count(e, shown) > 0, "the log does not name the "
	    "URL as %s", shown);
	rc = 0;
out:
	free(url);
	free(shown);
	return (rc);
}

/*
 * Overwrites <tmpdir>/opsbot.db from its second page to its end with
 * pseudo-random bytes (fixed seed), keeping the header valid, as in the
 * report: dd if=/dev/urandom of=store.db bs=4096 seek=1 conv=notrunc.
 * 0, or -1 if the file is too small or cannot be written.
 */
static int
corrupt_db(struct e2e *e)
{
	char		*path = NULL;
	FILE		*f = NULL;
	long		 len, i;
	uint32_t	 x = 2463534242u;
	int		 rc = -1;

	if (asprintf(&path, "%s/opsbot.db", e->tmpdir) < 0)
		return (-1);
	if ((f = fopen(path, "r+b")) == NULL)
		goto out;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	if (len < 2 * 4096 || fseek(f, 4096, SEEK_SET) != 0)
		goto out;
	for (i = 4096; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		fputc((int)(x & 0xff), f);
	}
	rc = 0;
out:
	if (f != NULL && fclose(f) != 0)
		rc = -1;
	free(path);
	return (rc);
}

/*
 * A store damaged while the bot was down: it refuses to start, saying
 * which file and what to do, instead of running without ever acking.
 */
static int
sc_store_corrupt_start(struct e2e *e)
{
	char	*path = NULL;
	int64_t	 deadline;
	int	 rc = -1, status, hellos;

	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	CHECK(e, still_answers(e), "no answer before the damage");
	status = e2e_bot_stop(e, SIGTERM, 15000);
	CHECK(e, status != -1 && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0, "stop");
	CHECK(e, corrupt_db(e) == 0, "cannot damage the store");
	hellos = e2e_count(e, "ws_open", "hello", "true");
	CHECK(e, e2e_bot_start(e) == 0, "start");
	deadline = e2e_now_ms() + E2E_START_MS;
	while (e2e_bot_alive(e) && e2e_now_ms() < deadline)
		e2e_sleep_ms(50);
	e->expect_exit = 1;
	CHECK(e, !e2e_bot_alive(e), "opsbot runs on a damaged store");
	CHECK(e, WIFEXITED(e->bot_status) && WEXITSTATUS(e->bot_status) != 0,
	    "want a non-zero exit");
	CHECK(e, asprintf(&path, "database '%s/opsbot.db' is damaged",
	    e->tmpdir) > 0, "asprintf");
	CHECK(e, e2e_stderr_count(e, path) == 1, "no '%s' in the log", path);
	CHECK(e, e2e_stderr_count(e, "move the file") == 1, "the message does "
	    "not say what to do");
	CHECK(e, e2e_count(e, "ws_open", "hello", "true") == hellos,
	    "connected to Slack on a damaged store");
	rc = 0;
out:
	free(path);
	return (rc);
}

/*
 * The store breaks while the bot runs (writes fail with EIO through the
 * failio shim): the request is still acked, the user is told, the log
 * says "unhealthy" once at error level, and the bot answers again once
 * the disk is back, saying so.
 */
static int
sc_store_fails_running(struct e2e *e)
{
	const char	*shim, *asan;
	char		*trigger = NULL, *opts = NULL, *text = NULL;
	json_t		*r = NULL, *ack = NULL;
	FILE		*f;
	int		 rc = -1, before;

	shim = getenv("E2E_FAILIO");
	CHECK(e, shim != NULL, "E2E_FAILIO not set");
	CHECK(e, asprintf(&trigger, "%s/failio.on", e->tmpdir) > 0, "asprintf");
	asan = getenv("ASAN_OPTIONS");
	/* The shim comes first in the preload list, ahead of ASan's. */
	CHECK(e, asprintf(&opts, "%s%sverify_asan_link_order=0",
	    asan != NULL ? asan : "", asan != NULL ? ":" : "") > 0, "asprintf");
	e2e_bot_setenv(e, "LD_PRELOAD", shim);
	e2e_bot_setenv(e, "ASAN_OPTIONS", opts);
	e2e_bot_setenv(e, "OPSBOT_FAILIO_TRIGGER", trigger);
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	CHECK(e, still_answers(e), "no answer before the disk fails");

	CHECK(e, (f = fopen(trigger, "w")) != NULL && fclose(f) == 0,
	    "cannot create %s", trigger);
	before = e2e_post_count(e);
	r = e2e_send_message(e, "!sop hivedown");
	CHECK(e, r != NULL, "inject");
	ack = wait_ack(e, e2e_str(r, "envelope_id"));
	CHECK(e, ack != NULL, "not acked while the store fails");
	CHECK(e, wait_posts_exactly(e, before + 1) == before + 1,
	    "want one post telling the user, got %d",
	    e2e_post_count(e) - before);
	text = post_text(e, before);
	CHECK(e, e2e_contains(text, "database failed"), "told: '%s'", text);
	CHECK(e, e2e_stderr_count(e, "Z error slack: unhealthy") == 1,
	    "no single 'unhealthy' line at error level in the log");
	CHECK(e, e2e_bot_alive(e), "opsbot died when its store failed");

	CHECK(e, unlink(trigger) == 0, "unlink %s", trigger);
	CHECK(e, still_answers(e), "no answer after the disk is back");
	CHECK(e, e2e_stderr_count(e, "healthy again") == 1,
	    "recovery not logged");
	rc = 0;
out:
	free(trigger);
	free(opts);
	free(text);
	json_decref(r);
	json_decref(ack);
	return (rc);
}

/* ---- issue 7: runbooks by their real names ------------------------ */

/*
 * A runbook repository as teams keep them (tests/data/alert-repo): the
 * alert is asked for by the name Alertmanager gives it, the file's stem
 * (NorthboundStaleAlert.md starts with "# NorthboundStale"), and a name
 * many runbooks share answers with its candidates, each command of
 * which leads back to its own section.
 */
static int
sc_sop_alert_name(struct e2e *e)
{
	char	*text = NULL;
	int	 rc = -1;

	CHECK(e, asprintf(&e->runbooks_extra, "%s/../../data/alert-repo",
	    e->fixtures) > 0, "asprintf");
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	json_decref(e2e_send_message(e, "!sop NorthboundStaleAlert"));
	CHECK(e, wait_posts_exactly(e, 1) == 1, "want one answer, got %d",
	    e2e_post_count(e));
	text = post_text(e, 0);
	CHECK(e, e2e_contains(text, "*NorthboundStale*") &&
	    e2e_contains(text, "northbound database"), "answer: '%s'", text);
	CHECK(e, !e2e_contains(text, "No SOP matches"), "not found: '%s'",
	    text);
	free(text);
	text = NULL;

	json_decref(e2e_send_message(e, "!runbook meaning"));
	CHECK(e, wait_posts_exactly(e, 2) == 2, "want a second answer");
	text = post_text(e, 1);
	CHECK(e, e2e_contains(text, "Which one?") &&
	    e2e_contains(text, "!runbook northboundstale/meaning"),
	    "candidates: '%s'", text);
	free(text);
	text = NULL;

	json_decref(e2e_send_message(e, "!runbook northboundstale/meaning"));
	CHECK(e, wait_posts_exactly(e, 3) == 3, "want a third answer");
	text = post_text(e, 2);
	CHECK(e, e2e_contains(text, "*Meaning*") &&
	    e2e_contains(text, "has not been written to"), "path: '%s'",
	    text);
	rc = 0;
out:
	free(text);
	return (rc);
}

/* ---- console ------------------------------------------------------- */

static int
sc_console(struct e2e *e)
{
	char	*cmd = NULL, *out = NULL;
	size_t	 len = 0;
	FILE	*p = NULL, *f;
	char	 buf[4096];
	size_t	 n;
	int	 rc = -1, status;

	if (asprintf(&cmd, "printf '!sop hivedown\\n' | '%s' --console "
	    "--runbooks '%s' --db '%s/console.db' 2>>'%s'", e->bot_bin,
	    e->seeds, e->tmpdir, e->bot_err) < 0)
		goto out;
	f = open_memstream(&out, &len);
	p = popen(cmd, "r");
	CHECK(e, p != NULL && f != NULL, "popen");
	while ((n = fread(buf, 1, sizeof buf, p)) > 0)
		fwrite(buf, 1, n, f);
	status = pclose(p);
	p = NULL;
	fclose(f);
	CHECK(e, WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "console exit status %d", status);
	CHECK(e, e2e_contains(out, "Impact"), "no Impact in stdout:\n%s", out);
	CHECK(e, e2e_contains(out, "Clusters are not able to push metrics"),
	    "no impact text in stdout:\n%s", out);
	CHECK(e, e2e_contains(out, "Summary"), "no Summary:\n%s", out);
	CHECK(e, e2e_contains(out, "Access required"), "no Access:\n%s", out);
	CHECK(e, e2e_contains(out, "Severity"), "no Severity:\n%s", out);
	CHECK(e, e2e_contains(out, "Steps"), "no Steps:\n%s", out);
	CHECK(e, strstr(out, "&gt;") == NULL && strstr(out, "&amp;") == NULL,
	    "Slack entities in plain text:\n%s", out);
	rc = 0;
out:
	if (p != NULL)
		pclose(p);
	free(cmd);
	free(out);
	return (rc);
}

/* ---- interactive envelopes are acked, and nothing is posted ------- */

static int
sc_interactive_ack(struct e2e *e)
{
	static const char *const fixtures[] = {
		"interactive_block_actions.json", "interactive_shortcut.json",
	};
	json_t	*f = NULL, *r = NULL, *ack = NULL;
	size_t	 i;
	int	 rc = -1;

	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	for (i = 0; i < sizeof fixtures / sizeof fixtures[0]; i++) {
		f = e2e_fixture(e, fixtures[i]);
		CHECK(e, f != NULL, "fixture %s", fixtures[i]);
		r = e2e_send(e, f, "{\"envelope_id\":true}");
		CHECK(e, r != NULL, "inject %s", fixtures[i]);
		ack = wait_ack(e, e2e_str(r, "envelope_id"));
		CHECK(e, ack != NULL, "%s was not acked", fixtures[i]);
		CHECK(e, json_integer_value(json_object_get(ack,
		    "latency_us")) < E2E_ACK_US, "%s acked too late",
		    fixtures[i]);
		json_decref(ack);
		json_decref(r);
		json_decref(f);
		ack = r = f = NULL;
	}
	CHECK(e, still_answers(e), "no answer after interactive envelopes");
	CHECK(e, e2e_post_count(e) == 1,
	    "interactive envelopes caused posts: %d",
	    e2e_post_count(e));
	rc = 0;
out:
	json_decref(ack);
	json_decref(r);
	json_decref(f);
	return (rc);
}

/* ---- a DM needs no prefix ----------------------------------------- */

static int
sc_dm_no_prefix(struct e2e *e)
{
	json_t	*f = NULL, *r = NULL, *posts = NULL;
	char	*text = NULL;
	int	 rc = -1;

	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	f = e2e_fixture(e, "events_api_message_im.json");
	CHECK(e, f != NULL, "fixture");
	e2e_set_text(f, "escalate letsencrypt");
	r = e2e_send(e, f, "all");
	CHECK(e, r != NULL, "inject");
	CHECK(e, wait_posts_exactly(e, 1) == 1, "DM answered %d times",
	    e2e_post_count(e));
	posts = e2e_posts(e, "chat.postMessage");
	CHECK(e, strcmp(post_field(posts, 0, "channel") != NULL ?
	    post_field(posts, 0, "channel") : "", "D0001") == 0,
	    "answer not in the DM");
	text = post_text(e, 0);
	CHECK(e, e2e_contains(text, "letsencrypt.status.io"),
	    "not the Let's Encrypt section: '%s'", text);
	rc = 0;
out:
	free(text);
	json_decref(posts);
	json_decref(r);
	json_decref(f);
	return (rc);
}

/* ---- a long section arrives whole, in order, over several posts ---- */

static int
sc_long_section(struct e2e *e)
{
	static const char *const want[] = {
		"Pods not starting", "describe the pod",
		"Pods not working", "Network services not working",
		"Common Istio issues", "external-dns", "cert-manager",
		"storageclasses", "opa-gatekeeper",
	};
	json_t	*r = NULL, *posts = NULL;
	char	*part = NULL, *all = NULL, *tmp;
	size_t	 i, n, last = 0;
	int	 rc = -1;
	const char *at;

	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	r = e2e_send_message(e, "!runbook advanced k8s support");
	CHECK(e, r != NULL, "inject");
	CHECK(e, e2e_wait_count(e, "post", "method", "chat.postMessage", 2,
	    E2E_REPLY_MS) >= 2, "a long section should take several posts");
	e2e_sleep_ms(E2E_SETTLE_MS);
	posts = e2e_posts(e, "chat.postMessage");
	n = json_array_size(posts);
	all = strdup("");
	for (i = 0; i < n; i++) {
		part = post_text(e, (int)i);
		CHECK(e, strlen(part) <= 4000, "post %zu is %zu bytes", i,
		    strlen(part));
		CHECK(e, strcmp(post_field(posts, (int)i, "thread_ts") != NULL ?
		    post_field(posts, (int)i, "thread_ts") : "",
		    e2e_str(r, "ts")) == 0, "post %zu is not in the thread", i);
		if (asprintf(&tmp, "%s%s\n", all, part) < 0)
			goto out;
		free(all);
		all = tmp;
		free(part);
		part = NULL;
	}
	/* every sub-section is there, in the runbook's order */
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		at = strstr(all + last, want[i]);
		CHECK(e, at != NULL, "'%s' missing or out of order", want[i]);
		last = (size_t)(at - all);
	}
	rc = 0;
out:
	free(part);
	free(all);
	json_decref(posts);
	json_decref(r);
	return (rc);
}

/* ---- TLS: a real certificate chain, verified on both links -------- */

/*
 * How long a bot that must not trust fakeslack is watched: long enough
 * for two retries (backoff starts near 1 s, then 2 s), and any hammering
 * would show as dozens of attempts.
 */
#define TLS_WATCH_MS	6000

/* Why a bot over TLS got no hello, for the failure message. */
static const char *
tls_no_hello_why(struct e2e *e)
{
	int	alerts = e2e_count(e, "tls_alert", "from", "client");

	if (e2e_count(e, "api", "ok", "true") == 0)
		return (alerts > 0 ? "the Web API client (libcurl) rejected "
		    "the certificate" : "no Web API call reached fakeslack");
	if (e2e_count(e, "api", "method", "apps.connections.open") == 0)
		return ("apps.connections.open was never called");
	if (alerts > 0)
		return ("the Web API worked, the WebSocket client (lws) "
		    "rejected the certificate");
	return ("the WebSocket never opened");
}

/* Checks the newest call of method was answered ok, over TLS. */
static int
tls_api_ok(struct e2e *e, const char *method)
{
	json_t	*ev;
	int	 ok;

	ev = e2e_find(e, "api", "method", method);
	ok = ev != NULL && json_is_true(json_object_get(ev, "ok")) &&
	    json_is_true(json_object_get(ev, "tls"));
	json_decref(ev);
	return (ok);
}

/*
 * The whole path over TLS, for a bot that trusts the test CA: auth.test
 * and apps.connections.open over https, hello over wss, a !sop answered
 * with a chat.postMessage over https. 0 or -1 (reported).
 */
static int
tls_full_path(struct e2e *e)
{
	json_t		*r = NULL, *ack = NULL, *posts = NULL;
	const char	*ts, *miss;
	char		*text = NULL;
	int		 rc = -1;

	/* the bot gets SLACK_API_URL=<base>/api/ */
	CHECK(e, strncmp(e->base, "https://", 8) == 0,
	    "SLACK_API_URL %s/api/ is not https", e->base);
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello over wss: %s",
	    tls_no_hello_why(e));
	CHECK(e, tls_api_ok(e, "auth.test"), "auth.test not ok over TLS");
	CHECK(e, tls_api_ok(e, "apps.connections.open"),
	    "apps.connections.open not ok over TLS");
	CHECK(e, e2e_count(e, "ws_open", "tls", "true") >= 1,
	    "hello, but not over TLS");

	r = e2e_send_message(e, "!sop hivedown");
	CHECK(e, r != NULL && json_is_true(json_object_get(r, "ok")),
	    "cannot inject the event");
	ts = e2e_str(r, "ts");
	ack = wait_ack(e, e2e_str(r, "envelope_id"));
	CHECK(e, ack != NULL, "envelope never acked over wss");
	CHECK(e, wait_posts_exactly(e, 1) == 1, "expected exactly one post, "
	    "got %d", e2e_post_count(e));
	CHECK(e, tls_api_ok(e, "chat.postMessage"),
	    "chat.postMessage not ok over TLS");
	posts = e2e_posts(e, "chat.postMessage");
	CHECK(e, strcmp(post_field(posts, 0, "thread_ts") != NULL ?
	    post_field(posts, 0, "thread_ts") : "", ts) == 0,
	    "the answer is not in the thread");
	text = post_text(e, 0);
	miss = hivedown_missing(text);
	CHECK(e, miss == NULL, "no '%s' in: %s", miss, text);
	/* nothing at all came in plain, whatever the method */
	CHECK(e, e2e_count(e, "api", "tls", "false") == 0,
	    "%d Web API calls without TLS", e2e_count(e, "api", "tls",
	    "false"));
	CHECK(e, e2e_count(e, "tls_alert", "from", "client") == 0,
	    "the bot rejected fakeslack's certificate at some point");
	rc = 0;
out:
	free(text);
	json_decref(posts);
	json_decref(ack);
	json_decref(r);
	return (rc);
}

/*
 * TLS handshakes fakeslack saw begin that neither completed nor ended in
 * a client's alert: plain http or ws sent to the TLS port, or anything
 * else that is not a TLS client rejecting the certificate. The events
 * are read first, so a handshake under way makes this briefly positive,
 * never negative. -1 if fakeslack's state cannot be read.
 */
static int
tls_unexplained(struct e2e *e)
{
	json_t	*st, *hs;
	int	 alerts, n = -1;

	alerts = e2e_count(e, "tls_alert", "from", "client");
	st = e2e_ctl(e, "state", NULL);
	hs = json_object_get(st, "tls_handshakes");
	if (json_is_object(hs))
		n = (int)json_integer_value(json_object_get(hs, "started")) -
		    (int)json_integer_value(json_object_get(hs, "done")) -
		    alerts;
	json_decref(st);
	return (n);
}

/*
 * Watches a bot that must not get through: it stays up, keeps trying
 * with backoff (the rejections fakeslack sees: at least min_alerts of
 * them, at most 8 while watched, none closer than 150 ms: the first
 * reconnect may come after 200 ms), never says hello, never posts and
 * never tries anything but TLS. Then SIGTERM must stop it cleanly. 0 or
 * -1 (reported).
 */
static int
tls_refused(struct e2e *e, int min_alerts)
{
	json_t	*evs = NULL, *ev;
	int64_t	 t, prev = -1, gap, min_gap = -1, deadline;
	size_t	 i;
	int	 rc = -1, n, odd, status;

	CHECK(e, e2e_wait_count(e, "tls_alert", "from", "client", 1,
	    E2E_START_MS) > 0, "fakeslack saw no TLS handshake rejected "
	    "within %d ms (%d WebSockets opened, %d Web API calls answered)",
	    E2E_START_MS, e2e_count(e, "ws_open", NULL, NULL),
	    e2e_count(e, "api", NULL, NULL));
	e2e_sleep_ms(TLS_WATCH_MS);
	CHECK(e, e2e_bot_alive(e), "the bot died on a certificate it does "
	    "not trust");
	evs = e2e_events(e);
	n = 0;
	json_array_foreach(evs, i, ev) {
		if (strcmp(e2e_str(ev, "kind"), "tls_alert") != 0 ||
		    strcmp(e2e_str(ev, "from"), "client") != 0)
			continue;
		n++;
		t = json_integer_value(json_object_get(ev, "t_us")) / 1000;
		gap = prev >= 0 ? t - prev : -1;
		if (gap >= 0 && (min_gap < 0 || gap < min_gap))
			min_gap = gap;
		prev = t;
	}
	e2e_note(e, "%d rejected handshakes, the closest %lld ms apart", n,
	    (long long)min_gap);
	CHECK(e, n >= min_alerts, "%d rejected handshakes: the bot does not "
	    "retry", n);
	CHECK(e, n <= 8 && min_gap >= 150, "%d rejected handshakes, %lld ms "
	    "apart: no backoff", n, (long long)min_gap);
	CHECK(e, e2e_count(e, "ws_open", NULL, NULL) == 0,
	    "a WebSocket opened");
	CHECK(e, e2e_count(e, "post", NULL, NULL) == 0, "something was "
	    "posted");
	CHECK(e, e2e_count(e, "api", "tls", "false") == 0,
	    "the bot fell back to plain http");
	/* a plain request to this port leaves no event, only this */
	deadline = e2e_now_ms() + 2000;
	while ((odd = tls_unexplained(e)) > 0 && e2e_now_ms() < deadline)
		e2e_sleep_ms(100);
	CHECK(e, odd == 0, "%d connections to fakeslack's TLS port were "
	    "neither TLS that completed nor a certificate rejected (plain "
	    "http or ws?)", odd);
	CHECK(e, e2e_stderr_count(e, E2E_SECRET) == 0,
	    "a token secret is in the log");
	status = e2e_bot_stop(e, SIGTERM, 15000);
	CHECK(e, status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "SIGTERM while retrying: exit status %d", status);
	rc = 0;
out:
	json_decref(evs);
	return (rc);
}

static int
sc_tls_ca_file(struct e2e *e)
{
	int	rc = -1;

	CHECK(e, e2e_tls_start(e, NULL, NULL) == 0, "cannot set up TLS");
	/* the one way in: slack.ca_file; SSL_CERT_DIR stays the system's */
	e2e_cfg_printf(e, "  ca_file: %s\n", e->ca_file);
	rc = tls_full_path(e);
out:
	return (rc);
}

static int
sc_tls_cert_dir(struct e2e *e)
{
	char	*dir = NULL;
	int	 rc = -1;

	CHECK(e, e2e_tls_start(e, NULL, NULL) == 0, "cannot set up TLS");
	/* no ca_file: a directory holding the test CA and nothing else */
	dir = e2e_tls_hashdir_new(e, "certs", e->ca_file);
	CHECK(e, dir != NULL, "cannot make the certificate directory");
	e2e_bot_setenv(e, "SSL_CERT_DIR", dir);
	rc = tls_full_path(e);
out:
	free(dir);
	return (rc);
}

static int
sc_tls_untrusted(struct e2e *e)
{
	char	*other = NULL, *dir = NULL;
	int	 rc = -1;

	/*
	 * SSL_CERT_DIR names a directory with an unrelated CA: the bot
	 * looks in the right place and still finds no trust anchor.
	 */
	other = e2e_tls_ca_new(e, "other");
	CHECK(e, other != NULL, "cannot make the unrelated CA");
	CHECK(e, e2e_tls_start(e, NULL, NULL) == 0, "cannot set up TLS");
	dir = e2e_tls_hashdir_new(e, "certs-other", other);
	CHECK(e, dir != NULL, "cannot make the certificate directory");
	e2e_bot_setenv(e, "SSL_CERT_DIR", dir);
	CHECK(e, e2e_bot_start(e) == 0, "start");
	/* the first link is the Web API: it never gets an answer */
	if (tls_refused(e, 2) != 0)
		goto out;
	CHECK(e, e2e_count(e, "api", NULL, NULL) == 0, "fakeslack answered "
	    "%d Web API calls", e2e_count(e, "api", NULL, NULL));
	CHECK(e, e2e_count(e, "tls_alert", "alert", "unknown_ca") > 0,
	    "the rejections do not say unknown CA");
	CHECK(e, e2e_stderr_count(e, "certificate") > 0, "opsbot's log does "
	    "not name the certificate problem");
	/* and says what it trusted and how to change that */
	CHECK(e, e2e_stderr_count(e, "set SSL_CERT_DIR or slack.ca_file") > 0,
	    "opsbot's log gives no hint on what it trusts");
	rc = 0;
out:
	free(dir);
	free(other);
	return (rc);
}

static int
sc_tls_ws_hostname(struct e2e *e)
{
	int	rc = -1, opens;

	/*
	 * The Web API goes to 127.0.0.1, which the certificate names, so
	 * libcurl gets through; apps.connections.open hands out
	 * wss://localhost, which it does not name. Only lws can stop this,
	 * and only if it checks the name (and so verifies at all).
	 */
	CHECK(e, e2e_tls_start(e, "IP:127.0.0.1", "localhost") == 0,
	    "cannot set up TLS");
	e2e_cfg_printf(e, "  ca_file: %s\n", e->ca_file);
	CHECK(e, e2e_bot_start(e) == 0, "start");
	CHECK(e, e2e_wait_count(e, "api", "method", "apps.connections.open",
	    1, E2E_START_MS) > 0, "apps.connections.open never called: %s",
	    tls_no_hello_why(e));
	CHECK(e, tls_api_ok(e, "auth.test"), "auth.test not ok over TLS");
	if (tls_refused(e, 2) != 0)
		goto out;
	opens = e2e_count(e, "api", "method", "apps.connections.open");
	CHECK(e, opens >= 2, "apps.connections.open called %d times: no "
	    "retry", opens);
	CHECK(e, e2e_stderr_count(e, "mismatch") > 0 ||
	    e2e_stderr_count(e, "certificate") > 0, "opsbot's log does not "
	    "name the certificate problem");
	CHECK(e, e2e_stderr_count(e, "TLS handshake failed") > 0 &&
	    e2e_stderr_count(e, "does not name the host") > 0,
	    "opsbot's own line does not say the WebSocket's TLS failed");
	rc = 0;
out:
	return (rc);
}

/* ---- runner -------------------------------------------------------- */

static const struct {
	const char	*name;
	int		(*fn)(struct e2e *);
} scenarios[] = {
	{ "sop_message", sc_sop_message },
	{ "slash_command", sc_slash_command },
	{ "app_mention", sc_app_mention },
	{ "ignore_bots", sc_ignore_bots },
	{ "retry_dedupe", sc_retry_dedupe },
	{ "refresh", sc_refresh },
	{ "drop_tcp", sc_drop_tcp },
	{ "silent_socket", sc_silent_socket },
	{ "silent_redeliver", sc_silent_redeliver },
	{ "rst_healthy", sc_rst_healthy },
	{ "ratelimit_429", sc_ratelimit_429 },
	{ "clock_jump_429", sc_clock_jump_429 },
	{ "malformed", sc_malformed },
	{ "kill9_outbox", sc_kill9_outbox },
	{ "unknown_command", sc_unknown_command },
	{ "token_redaction", sc_token_redaction },
	{ "link_disabled", sc_link_disabled },
	{ "too_many_websockets", sc_too_many_websockets },
	{ "console", sc_console },
	{ "interactive_ack", sc_interactive_ack },
	{ "dm_no_prefix", sc_dm_no_prefix },
	{ "long_section", sc_long_section },
	{ "tls_ca_file", sc_tls_ca_file },
	{ "tls_cert_dir", sc_tls_cert_dir },
	{ "tls_untrusted", sc_tls_untrusted },
	{ "tls_ws_hostname", sc_tls_ws_hostname },
	{ "reply_not_utf8", sc_reply_not_utf8 },
	{ "envelope_longkey", sc_envelope_longkey },
	{ "api_url_credentials", sc_api_url_credentials },
	{ "store_corrupt_start", sc_store_corrupt_start },
	{ "store_fails_running", sc_store_fails_running },
	{ "sop_alert_name", sc_sop_alert_name },
	{ "remind_posts_once", sc_remind_posts_once },
	{ "ticket_warn_breach", sc_ticket_warn_breach },
	{ "ticket_warn_breach_premium", sc_ticket_warn_breach_premium },
	{ "ticket_engineer_reply", sc_ticket_engineer_reply },
	{ "ticket_essential_weekend", sc_ticket_essential_weekend },
	{ "ticket_restart", sc_ticket_restart },
	{ "ticket_late_warning", sc_ticket_late_warning },
	{ "ticket_stale", sc_ticket_stale },
	{ "ticket_reopen", sc_ticket_reopen },
	{ "ticket_close_reaction", sc_ticket_close_reaction },
	{ "ticket_close_button", sc_ticket_close_button },
	{ "ticket_close_no_reply", sc_ticket_close_no_reply },
	{ "ticket_permalink", sc_ticket_permalink },
	{ "ticket_permalink_error", sc_ticket_permalink_error },
	{ "ticket_group_member", sc_ticket_group_member },
	{ "ticket_custom_tier", sc_ticket_custom_tier },
	{ "page_remind_manager", sc_page_remind_manager },
	{ "page_ack_stops", sc_page_ack_stops },
	{ "page_restart", sc_page_restart },
	{ "page_ack_button", sc_page_ack_button },
	{ "page_needhelp_answered", sc_page_needhelp_answered },
	{ "duty_nudge_checked", sc_duty_nudge_checked },
	{ "duty_missed_escalates", sc_duty_missed_escalates },
	{ "watch_pages", sc_watch_pages },
	{ "handoff_records_open", sc_handoff_records_open },
	{ "handoff_ack_reminders", sc_handoff_ack_reminders },
	{ "handoff_ack_button", sc_handoff_ack_button },
	{ "handoff_dst", sc_handoff_dst },
	{ "handoff_restart", sc_handoff_restart },
	{ "summary_weekly_post", sc_summary_weekly_post },
	{ "summary_late_after_restart", sc_summary_late_after_restart },
	{ "report_csv", sc_report_csv },
	{ "remind_user_zone", sc_remind_user_zone },
	{ "remind_late_after_restart", sc_remind_late_after_restart },
	{ "remind_kill9", sc_remind_kill9 },
	{ "remind_kill9_before_due", sc_remind_kill9_before_due },
	{ "remind_console", sc_remind_console },
	{ "watch_sealed", sc_watch_sealed },
	{ "watch_channel_name", sc_watch_channel_name },
	{ "oncall_console", sc_oncall_console },
	{ "oncall_export", sc_oncall_export },
	{ "oncall_ical_url", sc_oncall_ical_url },
};
#define NSCENARIOS (sizeof scenarios / sizeof scenarios[0])

static int
run_one(size_t i)
{
	struct e2e	e;
	int64_t		t0 = e2e_now_ms();
	int		rc;

	if (e2e_setup(&e, scenarios[i].name) != 0)
		rc = -1;
	else
		rc = scenarios[i].fn(&e);
	if (rc != 0)
		e.failed = 1;
	if (e2e_teardown(&e) != 0)
		rc = -1;
	fprintf(stderr, "%s %s (%lld ms)\n", rc == 0 ? "PASS" : "FAIL",
	    scenarios[i].name, (long long)(e2e_now_ms() - t0));
	return (rc);
}

int
main(int argc, char **argv)
{
	size_t	i;
	int	j, passed = 0, failed = 0, found;

	signal(SIGPIPE, SIG_IGN);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (argc > 1 && strcmp(argv[1], "-l") == 0) {
		for (i = 0; i < NSCENARIOS; i++)
			printf("%s\n", scenarios[i].name);
		return (0);
	}
	for (i = 0; i < NSCENARIOS; i++) {
		found = argc == 1;
		for (j = 1; j < argc; j++)
			if (strcmp(argv[j], scenarios[i].name) == 0)
				found = 1;
		if (!found)
			continue;
		if (run_one(i) == 0)
			passed++;
		else
			failed++;
	}
	printf("%d passed, %d failed\n", passed, failed);
	curl_global_cleanup();
	return (failed == 0 && passed > 0 ? 0 : 1);
}
