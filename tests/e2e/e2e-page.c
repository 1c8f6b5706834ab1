/*
 * e2e-page.c: issue 10's pages on the real binary with its clock moved
 * (docs/internals/timers.md, clock.md), with the built-in default
 * escalation policy of seeds 001_*: a page is posted in the rotation's
 * channel mentioning the person on call; 10 minutes later a reminder in
 * its thread, at 15 minutes the manager, each once, and the page
 * message updated (chat.update) each time; `ack` in the page's thread
 * stops the chain; a restart in the middle neither repeats nor skips a
 * step (the one due while the bot was down comes at start, late).
 *
 * The rotations come from the config's `rotations:`; the scenarios
 * move the clock, so they run in a test-clock build only.
 */
#include <sys/wait.h>

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e.h"

#define MIN_MS		INT64_C(60000)
#define PAGE_CHANNEL	"C0001"

/* The vault rotation: two members, the manager, the admin channel. */
static void
page_config(struct e2e *e)
{
	e2e_cfg_vault(e, "[U0ONE, U0TWO]", "UTC", PAGE_CHANNEL,
	    "    admin_channel: C0ADMIN\n");
}

/*
 * Pages the vault rotation and checks the page message. Returns the
 * message's ts (new string) or NULL (reported).
 */
static char *
page_open(struct e2e *e)
{
	json_t	*r = NULL, *posts = NULL, *p, *msg = NULL;
	size_t	 i;
	char	*ts = NULL;

	r = e2e_send_message(e, "!page vault vault sealed in production");
	CHECK(e, r != NULL, "inject the page command");
	CHECK(e, e2e_wait_posts_in(e, NULL, "*Page #1*", 1, E2E_TIMER_MS, NULL,
	    0) == 0, "no page message");
	posts = e2e_posts(e, "chat.postMessage");
	json_array_foreach(posts, i, p) {
		if (strstr(e2e_str(p, "text"), "*Page #1*") != NULL)
			msg = p;
	}
	e2e_note(e, "page: %s", e2e_str(msg, "text"));
	CHECK(e, strcmp(e2e_str(msg, "channel"), PAGE_CHANNEL) == 0 &&
	    *e2e_str(msg, "thread_ts") == '\0',
	    "the page went to %s thread '%s'",
	    e2e_str(msg, "channel"), e2e_str(msg, "thread_ts"));
	CHECK(e, (strstr(e2e_str(msg, "text"), "On call: <@U0ONE>") != NULL ||
	    strstr(e2e_str(msg, "text"), "On call: <@U0TWO>") != NULL) &&
	    strstr(e2e_str(msg, "text"), "15 min left") != NULL &&
	    strstr(e2e_str(msg, "text"), "(UTC)") != NULL, "not the page "
	    "message: '%s'", e2e_str(msg, "text"));
	ts = strdup(e2e_str(msg, "ts"));
out:
	json_decref(posts);
	json_decref(r);
	return (ts);
}

/* The post with needle is in the page's thread. */
static int
in_thread(struct e2e *e, const char *needle, const char *ts)
{
	json_t	*posts, *p;
	size_t	 i;
	int	 ok = 0;

	posts = e2e_posts(e, "chat.postMessage");
	json_array_foreach(posts, i, p) {
		if (strstr(e2e_str(p, "text"), needle) != NULL &&
		    strcmp(e2e_str(p, "thread_ts"), ts) == 0)
			ok = 1;
	}
	json_decref(posts);
	return (ok);
}

/*
 * ---- page -> reminder at 10 min -> manager at 15 min, each once -----
 */
int
sc_page_remind_manager(struct e2e *e)
{
	char	*ts = NULL, last[4096] = "";
	int	 rc = -1, nupd;

	e->test_clock = 1;
	page_config(e);
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	CHECK(e, (ts = page_open(e)) != NULL, "page");
	CHECK(e, e2e_clock_advance(e, 9 * MIN_MS, NULL) == 0, "move 9 min");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_posts_in(e, NULL, "reminder", NULL, 0) == 0,
	    "reminded early");
	CHECK(e, e2e_clock_advance(e, MIN_MS, NULL) == 0, "move 1 min");
	CHECK(e, e2e_wait_posts_in(e, NULL, "reminder", 1, E2E_TIMER_MS, last,
	    sizeof last) == 0,
	    "no reminder within 5 s of 10 min");
	e2e_note(e, "reminder: %s", last);
	CHECK(e, in_thread(e, "reminder", ts), "the reminder is not in the "
	    "page's thread");
	CHECK(e, strstr(last, "Late") == NULL, "on time, said late");
	CHECK(e, e2e_wait_count(e, "api", "method", "chat.update", 1,
	    E2E_REPLY_MS) > 0, "the page message was not updated");
	CHECK(e, e2e_clock_advance(e, 4 * MIN_MS, NULL) == 0, "move 4 min");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_posts_in(e, NULL, "<@U0MGR>", NULL, 0) == 0,
	    "manager early");
	CHECK(e, e2e_clock_advance(e, MIN_MS, NULL) == 0, "move 1 min");
	CHECK(e, e2e_wait_posts_in(e, NULL, "<@U0MGR>", 1, E2E_TIMER_MS, last,
	    sizeof last) == 0,
	    "no manager within 5 s of 15 min");
	e2e_note(e, "manager: %s", last);
	CHECK(e, in_thread(e, "<@U0MGR>", ts) && strstr(last, "was not "
	    "acknowledged") != NULL, "not the manager step: '%s'", last);
	CHECK(e, e2e_wait_count(e, "api", "method", "chat.update", 2,
	    E2E_REPLY_MS) > 0, "the page message was not updated again");
	/* an hour more: nothing */
	CHECK(e, e2e_clock_advance(e, 60 * MIN_MS, NULL) == 0, "move 1 h");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_posts_in(e, NULL, "reminder", NULL, 0) == 1 &&
	    e2e_posts_in(e, NULL, "<@U0MGR>", NULL, 0) == 1,
	    "a step fired twice");
	nupd = e2e_count(e, "api", "method", "chat.update");
	CHECK(e, nupd == 2, "%d updates, want 2", nupd);
	rc = 0;
out:
	free(ts);
	return (rc);
}

/*
 * ---- ack in the page's thread stops the chain -------------------------
 */
int
sc_page_ack_stops(struct e2e *e)
{
	json_t	*frame = NULL, *ev, *a = NULL, *upd = NULL, *u;
	char	*ts = NULL, last[4096] = "";
	size_t	 i;
	int	 rc = -1, acked = 0;

	e->test_clock = 1;
	page_config(e);
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	CHECK(e, (ts = page_open(e)) != NULL, "page");
	CHECK(e, e2e_clock_advance(e, 5 * MIN_MS, NULL) == 0, "move 5 min");
	frame = e2e_fixture(e, "events_api_message.json");
	CHECK(e, frame != NULL, "fixture");
	e2e_set_text(frame, "!ack");
	ev = json_object_get(json_object_get(frame, "payload"), "event");
	json_object_set_new(ev, "user", json_string("U0TWO"));
	json_object_set_new(ev, "thread_ts", json_string(ts));
	a = e2e_send(e, frame, "all");
	CHECK(e, a != NULL, "inject the ack");
	CHECK(e, e2e_wait_posts_in(e, NULL, "acknowledged by <@U0TWO>", 1,
	    E2E_TIMER_MS, last,
	    sizeof last) == 0, "no answer to the ack");
	e2e_note(e, "ack: %s", last);
	CHECK(e, e2e_wait_count(e, "api", "method", "chat.update", 1,
	    E2E_REPLY_MS) > 0, "the page message was not updated");
	upd = e2e_events(e);
	json_array_foreach(upd, i, u) {
		if (!e2e_match(u, "api", "method", "chat.update"))
			continue;
		if (strstr(json_string_value(json_object_get(json_object_get(u,
		    "request"), "text")) != NULL ? json_string_value(
		    json_object_get(json_object_get(u, "request"), "text")) :
		    "", "Acknowledged by <@U0TWO>") != NULL)
			acked = 1;
	}
	CHECK(e, acked, "the update does not say who acknowledged");
	/* past both steps, and an hour more: nothing */
	CHECK(e, e2e_clock_advance(e, 70 * MIN_MS, NULL) == 0, "move");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_posts_in(e, NULL, "reminder", NULL, 0) == 0 &&
	    e2e_posts_in(e, NULL, "<@U0MGR>", NULL, 0) == 0,
	    "a step fired after the ack");
	rc = 0;
out:
	json_decref(upd);
	json_decref(a);
	json_decref(frame);
	free(ts);
	return (rc);
}

/*
 * ---- a restart in the middle: nothing repeated, nothing skipped ------
 * The reminder fires at 10 min; the bot stops and starts again at 17
 * min: the manager step, due at 15 min while it was down, fires once
 * at start, marked late; the reminder is not repeated.
 */
int
sc_page_restart(struct e2e *e)
{
	char	*ts = NULL, last[4096] = "";
	int	 rc = -1, status;

	e->test_clock = 1;
	page_config(e);
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	CHECK(e, (ts = page_open(e)) != NULL, "page");
	CHECK(e, e2e_clock_advance(e, 10 * MIN_MS, NULL) == 0, "move 10 min");
	CHECK(e, e2e_wait_posts_in(e, NULL, "reminder", 1, E2E_TIMER_MS, NULL,
	    0) == 0, "no reminder");
	status = e2e_bot_stop(e, SIGTERM, 15000);
	CHECK(e, status != -1 && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0, "no clean exit on SIGTERM (%d)", status);
	/* counted from the real time: 17 min after the page */
	e2e_clock_advance_before_start(e, 17 * MIN_MS);
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello after the restart");
	CHECK(e, e2e_wait_posts_in(e, NULL, "<@U0MGR>", 1, E2E_TIMER_MS, last,
	    sizeof last) == 0,
	    "the manager step did not fire at start");
	e2e_note(e, "manager: %s", last);
	CHECK(e, strstr(last, "Late") != NULL, "not said late: '%s'", last);
	CHECK(e, in_thread(e, "<@U0MGR>", ts), "not in the page's thread");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_clock_advance(e, 60 * MIN_MS, NULL) == 0, "move 1 h");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_posts_in(e, NULL, "reminder", NULL, 0) == 1,
	    "the reminder "
	    "came %d times", e2e_posts_in(e, NULL, "reminder", NULL, 0));
	CHECK(e, e2e_posts_in(e, NULL, "<@U0MGR>", NULL, 0) == 1,
	    "the manager step "
	    "came %d times", e2e_posts_in(e, NULL, "<@U0MGR>", NULL, 0));
	rc = 0;
out:
	free(ts);
	return (rc);
}

/*
 * ---- the Acknowledge button does what `ack` does ---------------------
 */
int
sc_page_ack_button(struct e2e *e)
{
	json_t	*frame = NULL, *pl, *act, *a = NULL, *posts = NULL, *p;
	char	*ts = NULL, *dump = NULL, last[4096] = "";
	size_t	 i;
	int	 rc = -1, buttons = 0;

	e->test_clock = 1;
	page_config(e);
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	CHECK(e, (ts = page_open(e)) != NULL, "page");
	posts = e2e_posts(e, "chat.postMessage");
	json_array_foreach(posts, i, p) {
		if (strcmp(e2e_str(p, "ts"), ts) != 0)
			continue;
		dump = json_dumps(json_object_get(json_object_get(p,
		    "request"), "blocks"), JSON_COMPACT);
		buttons = dump != NULL && strstr(dump, "\"page-ack\"") !=
		    NULL && strstr(dump, "\"page-resolve\"") != NULL;
		free(dump);
		dump = NULL;
	}
	CHECK(e, buttons, "the page message has no Acknowledge and Resolve "
	    "buttons");
	CHECK(e, e2e_clock_advance(e, 3 * MIN_MS, NULL) == 0, "move 3 min");
	frame = e2e_fixture(e, "interactive_block_actions.json");
	CHECK(e, frame != NULL, "fixture");
	pl = json_object_get(frame, "payload");
	json_object_set_new(json_object_get(pl, "user"), "id",
	    json_string("U0ONE"));
	json_object_set_new(json_object_get(pl, "container"), "message_ts",
	    json_string(ts));
	json_object_del(json_object_get(pl, "container"), "thread_ts");
	act = json_array_get(json_object_get(pl, "actions"), 0);
	json_object_set_new(act, "action_id", json_string("page-ack"));
	json_object_set_new(act, "value", json_string("page:1"));
	a = e2e_send(e, frame, "{\"envelope_id\":true,\"action_ts\":true}");
	CHECK(e, a != NULL, "inject the click");
	CHECK(e, e2e_wait_posts_in(e, NULL, "acknowledged by <@U0ONE>", 1,
	    E2E_TIMER_MS, last,
	    sizeof last) == 0, "the click did not acknowledge");
	CHECK(e, in_thread(e, "acknowledged by <@U0ONE>", ts), "the answer "
	    "is not in the page's thread");
	CHECK(e, e2e_wait_count(e, "api", "method", "chat.update", 1,
	    E2E_REPLY_MS) > 0, "the page message was not updated");
	CHECK(e, e2e_clock_advance(e, 70 * MIN_MS, NULL) == 0, "move");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_posts_in(e, NULL, "reminder", NULL, 0) == 0 &&
	    e2e_posts_in(e, NULL, "<@U0MGR>", NULL, 0) == 0,
	    "a step fired after the click");
	rc = 0;
out:
	json_decref(posts);
	json_decref(a);
	json_decref(frame);
	free(ts);
	return (rc);
}

/*
 * ---- an answer to the call for help: no manager ---------------------
 * 001_*: post in the admin channel with @here; "if you get no response
 * after 10 minutes, contact your manager". A reply in the thread of
 * that post is the response: 20 minutes on, the manager was not called.
 */
int
sc_page_needhelp_answered(struct e2e *e)
{
	json_t		*posts = NULL, *p;
	char		*ts = NULL, admin_ts[64] = "", last[4096] = "";
	size_t		 i;
	int		 rc = -1;

	e->test_clock = 1;
	page_config(e);
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	CHECK(e, (ts = page_open(e)) != NULL, "page");
	/* acked, so that only needhelp's steps are left to fire */
	CHECK(e, e2e_say(e, "U0TWO", PAGE_CHANNEL, ts, "!ack") == 0, "ack");
	CHECK(e, e2e_wait_posts_in(e, NULL, "acknowledged by <@U0TWO>", 1,
	    E2E_TIMER_MS, NULL, 0) == 0, "no answer to the ack");
	CHECK(e, e2e_say(e, "U0TWO", PAGE_CHANNEL, ts, "!needhelp") == 0,
	    "needhelp");
	CHECK(e, e2e_wait_posts_in(e, "C0ADMIN", "<!here>", 1, E2E_TIMER_MS,
	    last, sizeof last) == 0, "no call for help in the admin channel");
	e2e_note(e, "call for help: %s", last);
	posts = e2e_posts(e, "chat.postMessage");
	json_array_foreach(posts, i, p) {
		if (strcmp(e2e_str(p, "channel"), "C0ADMIN") == 0 &&
		    strstr(e2e_str(p, "text"), "<!here>") != NULL)
			snprintf(admin_ts, sizeof admin_ts, "%s",
			    e2e_str(p, "ts"));
	}
	CHECK(e, *admin_ts != '\0', "no ts for the call for help");
	/* the bot reads its post's ts from the answer fakeslack logged */
	e2e_sleep_ms(300);
	/* someone outside the rotation answers in its thread */
	CHECK(e, e2e_say(e, "U0HELPER", "C0ADMIN", admin_ts, "on my way") ==
	    0, "answer");
	CHECK(e, e2e_wait_posts_in(e, "C0ADMIN", "its manager will not be "
	    "called", 1, E2E_TIMER_MS, NULL, 0) == 0, "the answer was not "
	    "taken");
	CHECK(e, in_thread(e, "answered the call for help", ts), "the page's "
	    "thread was not told");
	/* past needhelp's manager step (10 min) and the vendor's: nothing */
	CHECK(e, e2e_clock_advance(e, 20 * MIN_MS, NULL) == 0, "move 20 min");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_posts_in(e, NULL, "<@U0MGR>", NULL, 0) == 0, "the "
	    "manager was called although help came");
	rc = 0;
out:
	json_decref(posts);
	free(ts);
	return (rc);
}
