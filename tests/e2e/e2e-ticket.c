/*
 * e2e-ticket.c: issue 9's support tickets on the real binary with its
 * clock moved (docs/internals/timers.md, clock.md): a support message
 * opens a ticket answered in its thread with the template; for the
 * Advanced tier (24x7, High: 4 h) the 80% warning comes at 3 h 12 min
 * and the breach at 4 h, in the escalation channel, each once; an
 * engineer's reply in the thread stops both. An Essential (24x5)
 * channel's clock stops over the weekend; a restart keeps the timers,
 * and a warning that fell due while the bot was stopped comes once, at
 * start, marked late. A ticket quiet for stale_after gets one nudge in
 * its thread, later if the thread was active, across a restart; a
 * reopened ticket's warning comes at its time, and a reopen past the
 * due time says it is breaching. Test-clock builds only.
 */
#include <sys/wait.h>

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e.h"

#define MIN_MS		INT64_C(60000)
#define TICKET_ASK	"p2: the API gateway answers 502 since 09:00"
#define TICKET_ESC	"C0ESC"
/* The Essential channel's zone: UTC+9 all year, so a test can do its sums. */
#define TICKET_TOKYO_MS	(INT64_C(9) * 3600 * 1000)
#define DAY_MS		(INT64_C(24) * 3600 * 1000)

/* C0001 is a support channel (Advanced), U0ENG its engineer. */
static void
ticket_config(struct e2e *e)
{
	e2e_cfg_printf(e, "support:\n"
	    "  - channel: C0001\n"
	    "    tier: advanced\n"
	    "    engineers: [U0ENG]\n"
	    "    escalation_channel: " TICKET_ESC "\n"
	    "    timezone: Europe/Berlin\n");
}

/* The same channel on the Essential tier (24x5), in Asia/Tokyo. */
static void
ticket_config_essential(struct e2e *e)
{
	e2e_cfg_printf(e, "support:\n"
	    "  - channel: C0001\n"
	    "    tier: essential\n"
	    "    engineers: [U0ENG]\n"
	    "    escalation_channel: " TICKET_ESC "\n"
	    "    timezone: Asia/Tokyo\n");
}

/*
 * Sends the request and checks the first response in its thread.
 * Returns the control answer (new reference; "ts" the request's), or
 * NULL (reported).
 */
static json_t *
ticket_ask(struct e2e *e, const char *tier)
{
	json_t	*r = NULL, *posts = NULL, *p;

	r = e2e_send_message(e, TICKET_ASK);
	CHECK(e, r != NULL && *e2e_str(r, "ts") != '\0', "inject the request");
	CHECK(e, e2e_wait_count(e, "post", "method", "chat.postMessage", 1,
	    E2E_REPLY_MS) > 0, "no first response");
	posts = e2e_posts(e, "chat.postMessage");
	p = json_array_get(posts, 0);
	e2e_note(e, "first response: %s", e2e_str(p, "text"));
	CHECK(e, strcmp(e2e_str(p, "channel"), "C0001") == 0 &&
	    strcmp(e2e_str(p, "thread_ts"), e2e_str(r, "ts")) == 0, "the first "
	    "response went to %s thread '%s', not the request's %s",
	    e2e_str(p, "channel"), e2e_str(p, "thread_ts"), e2e_str(r, "ts"));
	CHECK(e, strstr(e2e_str(p, "text"), "ticket *#1*") != NULL &&
	    strstr(e2e_str(p, "text"), "priority *High*") != NULL &&
	    strstr(e2e_str(p, "text"), tier) != NULL, "not the "
	    "template: '%s'", e2e_str(p, "text"));
	json_decref(posts);
	return (r);
out:
	json_decref(posts);
	json_decref(r);
	return (NULL);
}

/*
 * ---- the warning at 80%, the breach at 100%, each once --------------
 * A High request on tier (config word; "Advanced" as the template says
 * it), whose response time is hours h: warned at 80% and not a minute
 * before, breached at 100% and not a minute before, each once.
 */
static int
ticket_warn_breach_tier(struct e2e *e, const char *tier, const char *name,
    int h)
{
	json_t	*r = NULL;
	char	 last[2048] = "", tiername[64], within[64];
	int64_t	 warn_min = h * 60 * 80 / 100;
	int	 rc = -1;

	e->test_clock = 1;
	e2e_cfg_printf(e, "support:\n"
	    "  - channel: C0001\n"
	    "    tier: %s\n"
	    "    engineers: [U0ENG]\n"
	    "    escalation_channel: " TICKET_ESC "\n"
	    "    timezone: Europe/Berlin\n", tier);
	snprintf(tiername, sizeof tiername, "%s tier", name);
	snprintf(within, sizeof within, "no response within its %d h", h);
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	r = ticket_ask(e, tiername);
	CHECK(e, r != NULL, "ask");
	/* a minute under 80% */
	CHECK(e, e2e_clock_advance(e, (warn_min - 1) * MIN_MS, NULL) == 0,
	    "move");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_posts_in(e, TICKET_ESC, "", NULL, 0) == 0,
	    "warned before 80%%");
	CHECK(e, e2e_clock_advance(e, MIN_MS, NULL) == 0, "move 1 min");
	CHECK(e, e2e_wait_posts_in(e, TICKET_ESC, "", 1, E2E_TIMER_MS, last,
	    sizeof last) == 0, "no warning within 5 s of 80%%");
	e2e_note(e, "warning: %s", last);
	/* linked to the thread: fakeslack's chat.getPermalink answer */
	CHECK(e, strstr(last, "<@U0ENG>") != NULL && strstr(last, "80%") !=
	    NULL && strstr(last, "<https://fake.slack.test/archives/C0001/p"
	    "") != NULL && strstr(last, "|ticket #1>") != NULL && strstr(last,
	    "<#C0001>") != NULL && strstr(last, "Late") == NULL, "not the "
	    "warning: '%s'", last);
	/* a minute before the due time: nothing more */
	CHECK(e, e2e_clock_advance(e, (h * 60 - warn_min - 1) * MIN_MS,
	    NULL) == 0, "move");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_posts_in(e, TICKET_ESC, "", NULL, 0) == 1,
	    "breached early");
	CHECK(e, e2e_clock_advance(e, MIN_MS, NULL) == 0, "move 1 min");
	CHECK(e, e2e_wait_posts_in(e, TICKET_ESC, "", 2, E2E_TIMER_MS, last,
	    sizeof last) == 0, "no breach within 5 s of the due time");
	e2e_note(e, "breach: %s", last);
	CHECK(e, strstr(last, "<@U0ENG>") != NULL && strstr(last, within) !=
	    NULL, "not the breach: '%s'", last);
	CHECK(e, e2e_clock_advance(e, 60 * MIN_MS, NULL) == 0, "move 1 h");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_posts_in(e, TICKET_ESC, "", NULL, 0) == 2,
	    "%d escalation posts, want 2",
	    e2e_posts_in(e, TICKET_ESC, "", NULL, 0));
	rc = 0;
out:
	json_decref(r);
	return (rc);
}

/* Advanced: High is 4 h (004_*), warned at 3 h 12 min. */
int
sc_ticket_warn_breach(struct e2e *e)
{
	return (ticket_warn_breach_tier(e, "advanced", "Advanced", 4));
}

/* Premium: High is 2 h (004_*), warned at 1 h 36 min. */
int
sc_ticket_warn_breach_premium(struct e2e *e)
{
	return (ticket_warn_breach_tier(e, "premium", "Premium", 2));
}

/*
 * ---- an engineer's reply in the thread stops the clock ---------------
 */
int
sc_ticket_engineer_reply(struct e2e *e)
{
	json_t	*r = NULL, *frame = NULL, *ev, *a = NULL;
	int	 rc = -1;

	e->test_clock = 1;
	ticket_config(e);
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	r = ticket_ask(e, "Advanced tier");
	CHECK(e, r != NULL, "ask");
	CHECK(e, e2e_clock_advance(e, 60 * MIN_MS, NULL) == 0, "move 1 h");
	frame = e2e_fixture(e, "events_api_message.json");
	CHECK(e, frame != NULL, "fixture");
	e2e_set_text(frame, "looking at it now");
	ev = json_object_get(json_object_get(frame, "payload"), "event");
	json_object_set_new(ev, "user", json_string("U0ENG"));
	json_object_set_new(ev, "thread_ts", json_string(e2e_str(r, "ts")));
	a = e2e_send(e, frame, "all");
	CHECK(e, a != NULL, "inject the engineer's reply");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_stderr_count(e, "ticket 1 answered by U0ENG") == 1,
	    "the reply did not stop the clock");
	/* past the warning and the due time, and an hour more */
	CHECK(e, e2e_clock_advance(e, 240 * MIN_MS, NULL) == 0, "move 4 h");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_posts_in(e, TICKET_ESC, "", NULL, 0) == 0,
	    "%d escalation posts after "
	    "an engineer's reply", e2e_posts_in(e, TICKET_ESC, "", NULL, 0));
	CHECK(e, e2e_count(e, "post", "method", "chat.postMessage") == 1,
	    "posted more than the first response");
	rc = 0;
out:
	json_decref(a);
	json_decref(frame);
	json_decref(r);
	return (rc);
}

/*
 * ---- Essential (24x5): a request on Friday evening -------------------
 * High is 12 h of support time: 4 h on Friday (20:00 to 24:00), then
 * the clock stops until Monday 00:00; the warning (80%, 9 h 36 min)
 * comes on Monday at 05:36, the due time is 08:00. The weekday of the
 * bot's clock is whatever today is: the test moves it to the next
 * Friday 20:00 in the channel's zone before the request.
 */
int
sc_ticket_essential_weekend(struct e2e *e)
{
	json_t	*r = NULL;
	char	 last[2048] = "";
	int64_t	 wall, local, day, target;
	int	 rc = -1;

	e->test_clock = 1;
	ticket_config_essential(e);
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	CHECK(e, e2e_clock_advance(e, 1, &wall) == 0, "read the clock");
	/* days since 1970-01-01 (a Thursday) in the zone; Friday is 1 mod 7 */
	local = wall + TICKET_TOKYO_MS;
	day = local / DAY_MS;
	target = (day + ((1 - day % 7) + 7) % 7) * DAY_MS + 20 * 3600000;
	if (target <= local + 1000)
		target += 7 * DAY_MS;
	e2e_note(e, "bot at local %lld, moving %lld ms to Friday 20:00",
	    (long long)local, (long long)(target - local));
	CHECK(e, e2e_clock_advance(e, target - local, NULL) == 0, "move to "
	    "Friday 20:00");
	r = ticket_ask(e, "Essential tier");
	CHECK(e, r != NULL, "ask");
	/* Saturday 12:00: 4 h of 12 h gone, nothing yet */
	CHECK(e, e2e_clock_advance(e, 16 * 60 * MIN_MS, NULL) == 0, "move to "
	    "Saturday noon");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_posts_in(e, TICKET_ESC, "", NULL, 0) == 0,
	    "warned on Saturday");
	/* Sunday 23:59 */
	CHECK(e, e2e_clock_advance(e, (35 * 60 + 59) * MIN_MS, NULL) == 0,
	    "move to Sunday 23:59");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_posts_in(e, TICKET_ESC, "", NULL, 0) == 0,
	    "warned on Sunday");
	/* Monday 05:35: 9 h 35 min of support time */
	CHECK(e, e2e_clock_advance(e, (5 * 60 + 36) * MIN_MS, NULL) == 0,
	    "move to Monday 05:35");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_posts_in(e, TICKET_ESC, "", NULL, 0) == 0,
	    "warned before Monday 05:36");
	CHECK(e, e2e_clock_advance(e, MIN_MS, NULL) == 0, "move 1 min");
	CHECK(e, e2e_wait_posts_in(e, TICKET_ESC, "", 1, E2E_TIMER_MS, last,
	    sizeof last) == 0, "no warning within 5 s of Monday 05:36");
	e2e_note(e, "warning: %s", last);
	CHECK(e, strstr(last, "80%") != NULL && strstr(last, "08:00 Mon") !=
	    NULL && strstr(last, "Essential tier") != NULL && strstr(last,
	    "Late") == NULL, "not the warning: '%s'", last);
	/* Monday 08:00: the breach */
	CHECK(e, e2e_clock_advance(e, 143 * MIN_MS, NULL) == 0, "move to "
	    "Monday 07:59");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_posts_in(e, TICKET_ESC, "", NULL, 0) == 1,
	    "breached before 08:00");
	CHECK(e, e2e_clock_advance(e, MIN_MS, NULL) == 0, "move 1 min");
	CHECK(e, e2e_wait_posts_in(e, TICKET_ESC, "", 2, E2E_TIMER_MS, last,
	    sizeof last) == 0, "no breach within 5 s of Monday 08:00");
	CHECK(e, strstr(last, "within its 12 h") != NULL, "not the breach: "
	    "'%s'", last);
	rc = 0;
out:
	json_decref(r);
	return (rc);
}

/* Stops the bot with SIGTERM; 0 on a clean exit, else -1 (reported). */
static int
ticket_stop(struct e2e *e)
{
	int	 rc = -1, status;

	status = e2e_bot_stop(e, SIGTERM, 15000);
	CHECK(e, status != -1 && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0, "no clean exit on SIGTERM (%d)", status);
	rc = 0;
out:
	return (rc);
}

/*
 * ---- a restart before the warning ------------------------------------
 * Stopped after the request and started 2 h later: the warning still
 * comes at 3 h 12 min, once and on time.
 */
int
sc_ticket_restart(struct e2e *e)
{
	json_t	*r = NULL;
	char	 last[2048] = "";
	int	 rc = -1;

	e->test_clock = 1;
	ticket_config(e);
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	r = ticket_ask(e, "Advanced tier");
	CHECK(e, r != NULL, "ask");
	CHECK(e, ticket_stop(e) == 0, "stop");
	e2e_clock_advance_before_start(e, 120 * MIN_MS);
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello after the restart");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_posts_in(e, TICKET_ESC, "", NULL, 0) == 0,
	    "warned at 2 h");
	/* 3 h 11 min */
	CHECK(e, e2e_clock_advance(e, 71 * MIN_MS, NULL) == 0, "move");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_posts_in(e, TICKET_ESC, "", NULL, 0) == 0,
	    "warned before 80%%");
	CHECK(e, e2e_clock_advance(e, MIN_MS, NULL) == 0, "move 1 min");
	CHECK(e, e2e_wait_posts_in(e, TICKET_ESC, "", 1, E2E_TIMER_MS, last,
	    sizeof last) == 0, "no warning within 5 s of 80%%");
	CHECK(e, strstr(last, "80%") != NULL && strstr(last, "Late") == NULL,
	    "not the warning on time: '%s'", last);
	CHECK(e, e2e_stderr_count(e, "fires late") == 0, "fired late");
	CHECK(e, e2e_clock_advance(e, 20 * MIN_MS, NULL) == 0, "move");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_posts_in(e, TICKET_ESC, "", NULL, 0) == 1,
	    "%d escalation posts, want 1",
	    e2e_posts_in(e, TICKET_ESC, "", NULL, 0));
	CHECK(e, e2e_count(e, "post", "method", "chat.postMessage") == 2,
	    "posted more than the first response and the warning");
	rc = 0;
out:
	json_decref(r);
	return (rc);
}

/*
 * ---- the warning falls due while the bot is stopped ------------------
 * Started again 3 h 20 min after the request: the warning (3 h 12 min)
 * comes once, at start, marked late; the breach (4 h) is still ahead.
 */
int
sc_ticket_late_warning(struct e2e *e)
{
	json_t	*r = NULL;
	char	 last[2048] = "";
	int	 rc = -1;

	e->test_clock = 1;
	ticket_config(e);
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	r = ticket_ask(e, "Advanced tier");
	CHECK(e, r != NULL, "ask");
	CHECK(e, ticket_stop(e) == 0, "stop");
	e2e_clock_advance_before_start(e, 200 * MIN_MS);
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello after the restart");
	/* no clock move since the start: the first pass fires it */
	CHECK(e, e2e_wait_posts_in(e, TICKET_ESC, "", 1, E2E_TIMER_MS, last,
	    sizeof last) == 0, "the late warning was not posted at start");
	e2e_note(e, "late warning: %s", last);
	CHECK(e, strstr(last, "80%") != NULL && strstr(last, "_Late:") !=
	    NULL, "not the late warning: '%s'", last);
	CHECK(e, e2e_stderr_count(e, "fires late") == 1, "the scheduler did "
	    "not fire it late (once)");
	/* 3 h 59 min: nothing more */
	CHECK(e, e2e_clock_advance(e, 39 * MIN_MS, NULL) == 0, "move");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_posts_in(e, TICKET_ESC, "", NULL, 0) == 1,
	    "%d escalation posts, want 1",
	    e2e_posts_in(e, TICKET_ESC, "", NULL, 0));
	rc = 0;
out:
	json_decref(r);
	return (rc);
}

/*
 * Posts in the request's thread (ts) whose text has needle; *last the
 * last one's text.
 */
static int
thread_posts(struct e2e *e, const char *ts, const char *needle, char *last,
    size_t lastsz)
{
	json_t	*posts, *p;
	size_t	 i;
	int	 n = 0;

	posts = e2e_posts(e, "chat.postMessage");
	json_array_foreach(posts, i, p) {
		if (strcmp(e2e_str(p, "channel"), "C0001") != 0 ||
		    strcmp(e2e_str(p, "thread_ts"), ts) != 0 ||
		    strstr(e2e_str(p, "text"), needle) == NULL)
			continue;
		n++;
		if (last != NULL)
			snprintf(last, lastsz, "%s", e2e_str(p, "text"));
	}
	json_decref(posts);
	return (n);
}

static int
wait_thread_posts(struct e2e *e, const char *ts, const char *needle, int n,
    char *last, size_t lastsz)
{
	int64_t	deadline;

	deadline = e2e_now_ms() + 5000;
	while (thread_posts(e, ts, needle, last, lastsz) < n) {
		if (e2e_now_ms() > deadline)
			return (-1);
		e2e_sleep_ms(50);
	}
	return (0);
}

/* The stale nudge's words (ticket-fire.c). */
#define TICKET_STALE_SAYS	"has had no activity for"

/*
 * ---- stale: one nudge after stale_after without activity ------------
 * stale_after 2 h. A reply in the thread at 1 h moves the nudge from
 * 2 h to 3 h; the bot is restarted at 2 h 30 min; nothing at 2 h or
 * before 3 h, one nudge in the thread at 3 h, and no second one while
 * it stays quiet. A reply at 4 h, to the restarted bot, is activity
 * too: the next nudge comes at 6 h.
 */
int
sc_ticket_stale(struct e2e *e)
{
	json_t		*r = NULL;
	const char	*ts;
	char		 last[2048] = "";
	int		 rc = -1;

	e->test_clock = 1;
	ticket_config(e);
	e2e_cfg_printf(e, "    stale_after: 2h\n");
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	r = ticket_ask(e, "Advanced tier");
	CHECK(e, r != NULL, "ask");
	ts = e2e_str(r, "ts");
	CHECK(e, e2e_clock_advance(e, 60 * MIN_MS, NULL) == 0, "move 1 h");
	/* the requester's reply: activity, not a first response */
	CHECK(e, e2e_say(e, NULL, NULL, ts, "any news? it is still 502") ==
	    0, "reply");
	e2e_sleep_ms(E2E_SETTLE_MS);
	/* 2 h: the original stale time, pushed back by the reply */
	CHECK(e, e2e_clock_advance(e, 60 * MIN_MS, NULL) == 0, "move to 2 h");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, thread_posts(e, ts, TICKET_STALE_SAYS, NULL, 0) == 0,
	    "nudged at the original time despite the reply");
	/*
	 * a restart in the middle: a new process' clock starts from the
	 * machine's, so the step is the whole 2 h 30 min since the request
	 */
	CHECK(e, ticket_stop(e) == 0, "stop");
	e2e_clock_advance_before_start(e, 150 * MIN_MS);
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello after the restart");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, thread_posts(e, ts, TICKET_STALE_SAYS, NULL, 0) == 0,
	    "nudged at 2 h 30 min");
	/* 2 h 59 min */
	CHECK(e, e2e_clock_advance(e, 29 * MIN_MS, NULL) == 0, "move");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, thread_posts(e, ts, TICKET_STALE_SAYS, NULL, 0) == 0,
	    "nudged before 3 h");
	CHECK(e, e2e_clock_advance(e, MIN_MS, NULL) == 0, "move 1 min");
	CHECK(e, wait_thread_posts(e, ts, TICKET_STALE_SAYS, 1, last,
	    sizeof last) == 0, "no nudge within 5 s of 3 h");
	e2e_note(e, "stale: %s", last);
	CHECK(e, strstr(last, "ticket *#1*") != NULL || strstr(last,
	    "Ticket *#1*") != NULL, "not ticket 1's nudge: '%s'", last);
	CHECK(e, strstr(last, "2 h") != NULL && strstr(last, "close it") !=
	    NULL && strstr(last, "roadmap") != NULL && strstr(last, "Late") ==
	    NULL, "not the nudge: '%s'", last);
	/* nothing more while it stays quiet */
	CHECK(e, e2e_clock_advance(e, 60 * MIN_MS, NULL) == 0, "move to 4 h");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, thread_posts(e, ts, TICKET_STALE_SAYS, NULL, 0) == 1,
	    "%d nudges, want 1", thread_posts(e, ts, TICKET_STALE_SAYS, NULL,
	    0));
	/*
	 * a reply at 4 h, in the restarted bot: its thread was loaded at
	 * start (ticket-index.c), so the reply is activity: the next nudge
	 * comes at 6 h
	 */
	CHECK(e, e2e_say(e, NULL, NULL, ts, "still there?") == 0, "reply");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_clock_advance(e, 119 * MIN_MS, NULL) == 0, "move to "
	    "5 h 59 min");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, thread_posts(e, ts, TICKET_STALE_SAYS, NULL, 0) == 1,
	    "nudged again before 2 h after the last reply");
	CHECK(e, e2e_clock_advance(e, MIN_MS, NULL) == 0, "move 1 min");
	CHECK(e, wait_thread_posts(e, ts, TICKET_STALE_SAYS, 2, NULL, 0) == 0,
	    "no second nudge within 5 s of 2 h after the last reply");
	rc = 0;
out:
	json_decref(r);
	return (rc);
}

/*
 * Closes ticket 1 from its thread (ts) as the requester and waits for
 * the answer. The one place a test closes a ticket: if closing comes to
 * wait for the requester's acceptance, only this changes.
 */
static int
ticket_close_step(struct e2e *e, const char *ts)
{
	int	 rc = -1, n;

	n = thread_posts(e, ts, "Closed ticket #1", NULL, 0);
	CHECK(e, e2e_say(e, NULL, NULL, ts, "!ticket close") == 0, "close");
	CHECK(e, wait_thread_posts(e, ts, "Closed ticket #1", n + 1, NULL,
	    0) == 0, "no answer to ticket close");
	rc = 0;
out:
	return (rc);
}

/*
 * ---- reopen: the clock re-armed -------------------------------------
 * Advanced, High (4 h): closed at 30 min, reopened at 1 h from its
 * thread; the 80% warning still comes at 3 h 12 min, once. Closed
 * again and reopened at 4 h 10 min: the answer says it is breaching,
 * and no second breach is posted.
 */
int
sc_ticket_reopen(struct e2e *e)
{
	json_t		*r = NULL;
	const char	*ts;
	char		 last[2048] = "";
	int		 rc = -1;

	e->test_clock = 1;
	ticket_config(e);
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	r = ticket_ask(e, "Advanced tier");
	CHECK(e, r != NULL, "ask");
	ts = e2e_str(r, "ts");
	CHECK(e, e2e_clock_advance(e, 30 * MIN_MS, NULL) == 0, "move 30 min");
	CHECK(e, ticket_close_step(e, ts) == 0, "close");
	CHECK(e, e2e_clock_advance(e, 30 * MIN_MS, NULL) == 0, "move to 1 h");
	CHECK(e, e2e_say(e, NULL, NULL, ts, "!ticket reopen") == 0, "reopen");
	CHECK(e, wait_thread_posts(e, ts, "Reopened ticket #1", 1, last,
	    sizeof last) == 0, "no answer to ticket reopen");
	e2e_note(e, "reopen: %s", last);
	CHECK(e, strstr(last, ": due ") != NULL && strstr(last, "breaching") ==
	    NULL, "not a reopen with its due time: '%s'", last);
	/* 3 h 11 min: nothing; 3 h 12 min: the warning */
	CHECK(e, e2e_clock_advance(e, 131 * MIN_MS, NULL) == 0, "move");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_posts_in(e, TICKET_ESC, "", NULL, 0) == 0,
	    "warned before 80%%");
	CHECK(e, e2e_clock_advance(e, MIN_MS, NULL) == 0, "move 1 min");
	CHECK(e, e2e_wait_posts_in(e, TICKET_ESC, "", 1, E2E_TIMER_MS, last,
	    sizeof last) == 0, "no warning "
	    "within 5 s of 80%% after the reopen");
	CHECK(e, strstr(last, "80%") != NULL && strstr(last, "ticket #1") !=
	    NULL && strstr(last, "Late") == NULL, "not the warning: '%s'",
	    last);
	/* closed before the due time, reopened after it */
	CHECK(e, ticket_close_step(e, ts) == 0, "close again");
	CHECK(e, e2e_clock_advance(e, 58 * MIN_MS, NULL) == 0, "move to 4 h "
	    "10 min");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_posts_in(e, TICKET_ESC, "", NULL, 0) == 1,
	    "a closed ticket breached");
	CHECK(e, e2e_say(e, NULL, NULL, ts, "!ticket reopen") == 0, "reopen");
	CHECK(e, wait_thread_posts(e, ts, "Reopened ticket #1", 2, last,
	    sizeof last) == 0, "no answer to the second reopen");
	e2e_note(e, "reopen past due: %s", last);
	CHECK(e, strstr(last, "it is *breaching*") != NULL, "not said to be "
	    "breaching: '%s'", last);
	CHECK(e, e2e_clock_advance(e, 60 * MIN_MS, NULL) == 0, "move 1 h");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_posts_in(e, TICKET_ESC, "", NULL, 0) == 1,
	    "%d escalation posts, want 1 "
	    "(no breach armed past its due time)", e2e_posts_in(e, TICKET_ESC,
	    "", NULL, 0));
	rc = 0;
out:
	json_decref(r);
	return (rc);
}

/*
 * ---- ticket close asks the requester (reactions and buttons) ---------
 * U0001 (the fixtures' user) asks; the engineer's `!ticket close` posts
 * the question with two buttons in the thread. Test-clock builds only
 * for --no-reply (the wait is moved).
 */

/* Sends text by user in the request's thread (r: the request's answer). */
static json_t *
ticket_say(struct e2e *e, json_t *r, const char *user, const char *text)
{
	json_t	*frame, *ev, *a;

	if ((frame = e2e_fixture(e, "events_api_message.json")) == NULL)
		return (NULL);
	e2e_set_text(frame, text);
	ev = json_object_get(json_object_get(frame, "payload"), "event");
	json_object_set_new(ev, "user", json_string(user));
	json_object_set_new(ev, "thread_ts", json_string(e2e_str(r, "ts")));
	a = e2e_send(e, frame, "all");
	json_decref(frame);
	return (a);
}

/*
 * The engineer closes ticket 1: waits for the question and copies its
 * ts to qts. Returns 0, or -1 (reported).
 */
static int
ticket_question(struct e2e *e, json_t *r, char *qts, size_t qtssz)
{
	json_t		*a = NULL, *posts = NULL, *p, *q = NULL;
	char		*blocks = NULL;
	int64_t		 deadline = e2e_now_ms() + E2E_REPLY_MS;
	size_t		 i;
	int		 rc = -1, before, n;

	/* a question asked earlier is not this one */
	before = e2e_posts_in(e, NULL, "Yes, close it", NULL, 0);
	a = ticket_say(e, r, "U0ENG", "!ticket close 1");
	CHECK(e, a != NULL, "inject the engineer's close");
	while (q == NULL && e2e_now_ms() < deadline) {
		json_decref(posts);
		posts = e2e_posts(e, "chat.postMessage");
		n = 0;
		json_array_foreach(posts, i, p)
			if (strstr(e2e_str(p, "text"), "Yes, close it")
			    != NULL &&
			    ++n > before)
				q = p;
		if (q == NULL)
			e2e_sleep_ms(50);
	}
	CHECK(e, q != NULL, "no close question within %d ms", E2E_REPLY_MS);
	e2e_note(e, "question: %s", e2e_str(q, "text"));
	CHECK(e, strcmp(e2e_str(q, "thread_ts"), e2e_str(r, "ts")) == 0 &&
	    strstr(e2e_str(q, "text"), "<@U0001>") != NULL,
	    "the question is not "
	    "in the ticket's thread, to the requester: '%s'", e2e_str(q,
	    "text"));
	blocks = json_dumps(json_object_get(json_object_get(q, "request"),
	    "blocks"), JSON_COMPACT);
	CHECK(e, blocks != NULL && strstr(blocks, "\"type\":\"button\"") !=
	    NULL && strstr(blocks, "ticket-close-accept:1") != NULL &&
	    strstr(blocks, "ticket-close-decline:1") != NULL, "no buttons in "
	    "the question's blocks: %s", blocks != NULL ? blocks : "none");
	snprintf(qts, qtssz, "%s", e2e_str(q, "ts"));
	/*
	 * fakeslack logs the post when it answers; the bot learns the
	 * question's ts when it reads that answer, which may come after a
	 * reaction the test sends at once over the other socket (a person
	 * cannot react within a millisecond). Give it that moment.
	 */
	e2e_sleep_ms(300);
	rc = 0;
out:
	free(blocks);
	json_decref(posts);
	json_decref(a);
	return (rc);
}

/* A reaction_added of reaction by user on message ts in C0001. */
static json_t *
ticket_react(struct e2e *e, const char *user, const char *ts,
    const char *event_id)
{
	json_t	*frame, *ev, *a;

	if ((frame = e2e_fixture(e, "events_api_reaction_added.json")) ==
	    NULL)
		return (NULL);
	ev = json_object_get(json_object_get(frame, "payload"), "event");
	json_object_set_new(ev, "user", json_string(user));
	json_object_set_new(json_object_get(ev, "item"), "ts",
	    json_string(ts));
	json_object_set_new(json_object_get(frame, "payload"), "event_id",
	    json_string(event_id));
	a = e2e_send(e, frame, "{\"envelope_id\":true}");
	json_decref(frame);
	return (a);
}

int
sc_ticket_close_reaction(struct e2e *e)
{
	json_t	*r = NULL, *a = NULL;
	char	 qts[64];
	int	 rc = -1;

	ticket_config(e);
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	r = ticket_ask(e, "Advanced tier");
	CHECK(e, r != NULL, "ask");
	CHECK(e, ticket_question(e, r, qts, sizeof qts) == 0, "question");
	/* the engineer's own check mark: not the requester's answer */
	a = ticket_react(e, "U0ENG", qts, "EvREACT01");
	CHECK(e, a != NULL, "inject a reaction");
	CHECK(e, e2e_wait_count(e, "ack", "envelope_id", e2e_str(a,
	    "envelope_id"), 1, E2E_REPLY_MS) == 1, "the reaction not acked");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_stderr_count(e, "not the requester: ignored") == 1,
	    "the engineer's reaction was not ignored as such");
	CHECK(e, e2e_posts_in(e, NULL, "is closed", NULL, 0) == 0,
	    "closed by the engineer's reaction");
	json_decref(a);
	/* the requester's: closed, and the question's buttons replaced */
	a = ticket_react(e, "U0001", qts, "EvREACT02");
	CHECK(e, a != NULL, "inject the requester's reaction");
	CHECK(e, e2e_wait_posts_in(e, NULL, "Ticket #1 is closed: <@U0001> "
	    "confirmed with a reaction", 1, E2E_REPLY_MS, NULL, 0) == 0,
	    "no closing post");
	CHECK(e, e2e_wait_count(e, "api", "method", "chat.update", 1,
	    E2E_REPLY_MS) >= 1, "the question was not updated");
	CHECK(e, e2e_stderr_count(e, "ticket 1 closed by its requester") ==
	    1, "not closed by the requester");
	json_decref(a);
	/* Slack redelivers it (same event_id, new envelope): nothing */
	a = ticket_react(e, "U0001", qts, "EvREACT02");
	CHECK(e, a != NULL, "redeliver");
	CHECK(e, e2e_wait_count(e, "ack", "envelope_id", e2e_str(a,
	    "envelope_id"), 1, E2E_REPLY_MS) == 1, "the retry not acked");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_posts_in(e, NULL, "is closed", NULL, 0) == 1,
	    "closed twice");
	rc = 0;
out:
	json_decref(a);
	json_decref(r);
	return (rc);
}

/* A block_actions click by user on the question qts, value value. */
static json_t *
ticket_click(struct e2e *e, json_t *r, const char *user, const char *qts,
    const char *value)
{
	json_t	*frame, *pl, *act, *a;

	if ((frame = e2e_fixture(e, "interactive_block_actions.json")) ==
	    NULL)
		return (NULL);
	pl = json_object_get(frame, "payload");
	json_object_set_new(json_object_get(pl, "user"), "id",
	    json_string(user));
	json_object_set_new(json_object_get(pl, "container"), "message_ts",
	    json_string(qts));
	json_object_set_new(json_object_get(pl, "container"), "thread_ts",
	    json_string(e2e_str(r, "ts")));
	act = json_array_get(json_object_get(pl, "actions"), 0);
	json_object_set_new(act, "action_id", json_string(strncmp(value,
	    "ticket-close-accept", 19) == 0 ? "ticket-close-accept" :
	    "ticket-close-decline"));
	json_object_set_new(act, "value", json_string(value));
	a = e2e_send(e, frame, "{\"envelope_id\":true,\"action_ts\":true}");
	json_decref(frame);
	return (a);
}

int
sc_ticket_close_button(struct e2e *e)
{
	json_t	*r = NULL, *a = NULL;
	char	 qts[64];
	int	 rc = -1;

	ticket_config(e);
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	r = ticket_ask(e, "Advanced tier");
	CHECK(e, r != NULL, "ask");
	CHECK(e, ticket_question(e, r, qts, sizeof qts) == 0, "question");
	/* "No, still open": stays open */
	a = ticket_click(e, r, "U0001", qts, "ticket-close-decline:1");
	CHECK(e, a != NULL, "inject the click");
	CHECK(e, e2e_wait_count(e, "ack", "envelope_id", e2e_str(a,
	    "envelope_id"), 1, E2E_REPLY_MS) == 1, "the click not acked");
	CHECK(e, e2e_wait_posts_in(e, NULL, "Ticket #1 stays open", 1,
	    E2E_REPLY_MS, NULL, 0) == 0,
	    "no post for No");
	json_decref(a);
	a = NULL;
	/* asked again; "Yes, close it" */
	CHECK(e, ticket_question(e, r, qts, sizeof qts) == 0, "question 2");
	a = ticket_click(e, r, "U0001", qts, "ticket-close-accept:1");
	CHECK(e, a != NULL, "inject the click");
	CHECK(e, e2e_wait_posts_in(e, NULL, "Ticket #1 is closed: <@U0001> "
	    "confirmed.", 1, E2E_REPLY_MS, NULL, 0) == 0,
	    "no closing post for Yes");
	CHECK(e, e2e_wait_count(e, "api", "method", "chat.update", 2,
	    E2E_REPLY_MS) >= 2, "the questions were not updated");
	rc = 0;
out:
	json_decref(a);
	json_decref(r);
	return (rc);
}

int
sc_ticket_close_no_reply(struct e2e *e)
{
	json_t	*r = NULL, *a = NULL;
	char	 qts[64];
	int	 rc = -1;

	e->test_clock = 1;
	ticket_config(e);
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	r = ticket_ask(e, "Advanced tier");
	CHECK(e, r != NULL, "ask");
	CHECK(e, ticket_question(e, r, qts, sizeof qts) == 0, "question");
	a = ticket_say(e, r, "U0ENG", "!ticket close 1 --no-reply");
	CHECK(e, a != NULL, "inject --no-reply");
	CHECK(e, e2e_wait_posts_in(e, NULL, "`--no-reply` closes it from", 1,
	    E2E_REPLY_MS, NULL, 0) == 0,
	    "--no-reply was not refused before close_wait");
	json_decref(a);
	/* 3 days (close_wait's default) later */
	CHECK(e, e2e_clock_advance(e, 3 * DAY_MS, NULL) == 0, "move 3 d");
	a = ticket_say(e, r, "U0ENG", "!ticket close 1 --no-reply");
	CHECK(e, a != NULL, "inject --no-reply");
	CHECK(e, e2e_wait_posts_in(e, NULL, "Closed ticket #1.", 1,
	    E2E_REPLY_MS, NULL, 0) == 0,
	    "--no-reply did not close after close_wait");
	CHECK(e, e2e_wait_count(e, "api", "method", "chat.update", 1,
	    E2E_REPLY_MS) >= 1, "the question was not updated");
	rc = 0;
out:
	json_decref(a);
	json_decref(r);
	return (rc);
}
