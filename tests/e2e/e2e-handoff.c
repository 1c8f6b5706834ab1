/*
 * e2e-handoff.c: issue 10's handoffs on the real binary with its clock
 * moved (docs/internals/timers.md, clock.md): the record posted by
 * `handoff @next notes` names the page still open and the ticket past
 * its due time; the incoming person is reminded every 30 minutes and
 * the manager at 2 hours until `handoff ack` or the "Got it" button
 * stops them, each once across restarts; the prompt at a weekly 09:00
 * Europe/Berlin handoff comes at 09:00 local on both sides of a DST
 * change (08:00 UTC in winter, 07:00 UTC in summer). Test-clock builds
 * only.
 */
#include <sys/wait.h>

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "e2e.h"

#define MIN_MS		INT64_C(60000)
#define HOUR_MS		(60 * MIN_MS)
#define DAY_MS		(24 * HOUR_MS)
#define HO_CHANNEL	"C0001"		/* the rotation's */
#define HO_SUPPORT	"C0002"		/* a support channel */

/* The vault rotation (the fixture's sender U0001 is a member). */
static void
handoff_config(struct e2e *e, const char *zone)
{
	e2e_cfg_vault(e, "[U0001, U0TWO]", zone, HO_CHANNEL, "");
	e2e_cfg_printf(e, "support:\n"
	    "  - channel: " HO_SUPPORT "\n"
	    "    tier: advanced\n"
	    "    engineers: [U0ENG]\n"
	    "    escalation_channel: C0ESC\n"
	    "    timezone: UTC\n");
}

/*
 * ---- the record names the open page and the breaching ticket --------
 */
int
sc_handoff_records_open(struct e2e *e)
{
	char	 last[8192] = "";
	int	 rc = -1;

	e->test_clock = 1;
	handoff_config(e, "UTC");
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	/* a High ticket (4 h on Advanced), driven past its due time */
	CHECK(e, e2e_say(e, "U0CUST", HO_SUPPORT, NULL,
	    "p2: the API gateway answers 502") == 0, "inject the request");
	CHECK(e, e2e_wait_posts_in(e, NULL, "ticket *#1*", 1, E2E_TIMER_MS,
	    NULL, 0) == 0,
	    "no ticket");
	CHECK(e, e2e_clock_advance(e, 4 * HOUR_MS + MIN_MS, NULL) == 0,
	    "move past the due time");
	/* a page, not acknowledged */
	CHECK(e, e2e_say(e, "U0001", HO_CHANNEL, NULL,
	    "!page vault db primary down") ==
	    0, "inject the page");
	CHECK(e, e2e_wait_posts_in(e, NULL, "*Page #1*", 1, E2E_TIMER_MS, NULL,
	    0) == 0,
	    "no page");
	CHECK(e, e2e_say(e, "U0001", HO_CHANNEL, NULL,
	    "!handoff <@U0TWO> watch the "
	    "db & the gateway") == 0, "inject the handoff");
	CHECK(e, e2e_wait_posts_in(e, NULL, "*Handoff of vault*", 1,
	    E2E_TIMER_MS, last,
	    sizeof last) == 0, "no handoff post");
	e2e_note(e, "handoff: %s", last);
	CHECK(e, strstr(last, "→ <@U0TWO>") != NULL &&
	    strstr(last, "Notes: watch the db &amp; the gateway") != NULL,
	    "not who and the notes: '%s'", last);
	CHECK(e, strstr(last, "• Page *#1* (open") != NULL &&
	    strstr(last, "high: db primary down") != NULL, "the open page "
	    "is not in the record: '%s'", last);
	CHECK(e, strstr(last, "• Ticket *#1* (open, *breaching*") != NULL,
	    "the breaching ticket is not in the record: '%s'", last);
	CHECK(e, strstr(last, "Pages opened: 1") != NULL &&
	    strstr(last, "Tickets: 1 opened") != NULL, "the shift is not "
	    "counted: '%s'", last);
	CHECK(e, strstr(last, "[Got it: `!handoff ack 1`]") != NULL,
	    "no Got it: '%s'", last);
	rc = 0;
out:
	return (rc);
}

/*
 * Records a handoff to U0TWO and checks the reminders at 30 and 60
 * min, not before. 0 or -1 (reported).
 */
static int
handoff_and_remind(struct e2e *e)
{
	char	 last[8192] = "";
	int	 rc = -1;

	CHECK(e, e2e_say(e, "U0001", HO_CHANNEL, NULL,
	    "!handoff <@U0TWO> quiet week") ==
	    0, "inject the handoff");
	CHECK(e, e2e_wait_posts_in(e, NULL, "*Handoff of vault*", 1,
	    E2E_TIMER_MS, NULL, 0) == 0,
	    "no handoff post");
	CHECK(e, e2e_clock_advance(e, 29 * MIN_MS, NULL) == 0, "move 29 min");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_posts_in(e, NULL, "please confirm", NULL, 0) == 0,
	    "reminded early");
	CHECK(e, e2e_clock_advance(e, MIN_MS, NULL) == 0, "move 1 min");
	CHECK(e, e2e_wait_posts_in(e, NULL, "please confirm", 1, E2E_TIMER_MS,
	    last, sizeof last) ==
	    0, "no reminder at 30 min");
	e2e_note(e, "reminder: %s", last);
	CHECK(e, strstr(last, "<@U0TWO> please confirm the handoff of "
	    "*vault* from <@U0") != NULL, "not the reminder: '%s'", last);
	CHECK(e, e2e_clock_advance(e, 30 * MIN_MS, NULL) == 0, "move 30 min");
	CHECK(e, e2e_wait_posts_in(e, NULL, "please confirm", 2, E2E_TIMER_MS,
	    NULL, 0) == 0,
	    "no reminder at 60 min");
	rc = 0;
out:
	return (rc);
}

/*
 * ---- reminders at 30 and 60 min..., the manager at 2 h; the ack stops
 */
int
sc_handoff_ack_reminders(struct e2e *e)
{
	char	 last[8192] = "";
	int	 rc = -1;

	e->test_clock = 1;
	handoff_config(e, "UTC");
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	CHECK(e, handoff_and_remind(e) == 0, "reminders");
	CHECK(e, e2e_clock_advance(e, 59 * MIN_MS, NULL) == 0, "move 59 min");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_posts_in(e, NULL, "<@U0MGR>", NULL, 0) == 0,
	    "manager early");
	CHECK(e, e2e_clock_advance(e, MIN_MS, NULL) == 0, "move 1 min");
	CHECK(e, e2e_wait_posts_in(e, NULL, "<@U0MGR>", 1, E2E_TIMER_MS, last,
	    sizeof last) == 0,
	    "no manager at 2 h");
	e2e_note(e, "manager: %s", last);
	CHECK(e, strstr(last, "<@U0TWO> has not confirmed the handoff of "
	    "*vault*") != NULL, "not the manager's: '%s'", last);
	CHECK(e, e2e_say(e, "U0TWO", HO_CHANNEL, NULL, "!handoff ack") == 0,
	    "inject the ack");
	CHECK(e, e2e_wait_posts_in(e, NULL, "<@U0TWO> took over *vault*", 1,
	    E2E_TIMER_MS, NULL,
	    0) == 0, "no answer to the ack");
	/* hours more: nothing */
	CHECK(e, e2e_clock_advance(e, 3 * HOUR_MS, NULL) == 0, "move 3 h");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_posts_in(e, NULL, "please confirm", NULL, 0) == 4,
	    "%d reminders, want 4 (30, 60, 90, 120 min)",
	    e2e_posts_in(e, NULL, "please confirm", NULL, 0));
	CHECK(e, e2e_posts_in(e, NULL, "<@U0MGR>", NULL, 0) == 1,
	    "the manager was "
	    "mentioned %d times", e2e_posts_in(e, NULL, "<@U0MGR>", NULL, 0));
	rc = 0;
out:
	return (rc);
}

/*
 * ---- the "Got it" button confirms like `handoff ack` ------------------
 */
int
sc_handoff_ack_button(struct e2e *e)
{
	json_t	*frame = NULL, *pl, *act, *a = NULL;
	int	 rc = -1;

	e->test_clock = 1;
	handoff_config(e, "UTC");
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	CHECK(e, handoff_and_remind(e) == 0, "reminders");
	frame = e2e_fixture(e, "interactive_block_actions.json");
	CHECK(e, frame != NULL, "fixture");
	pl = json_object_get(frame, "payload");
	json_object_set_new(json_object_get(pl, "user"), "id",
	    json_string("U0TWO"));
	json_object_del(json_object_get(pl, "container"), "thread_ts");
	act = json_array_get(json_object_get(pl, "actions"), 0);
	json_object_set_new(act, "action_id", json_string("handoff-ack"));
	json_object_set_new(act, "value", json_string("handoff-ack:1"));
	a = e2e_send(e, frame, "{\"envelope_id\":true,\"action_ts\":true}");
	CHECK(e, a != NULL, "inject the click");
	CHECK(e, e2e_wait_posts_in(e, NULL, "<@U0TWO> took over *vault*", 1,
	    E2E_TIMER_MS, NULL,
	    0) == 0, "the click did not confirm");
	CHECK(e, e2e_wait_count(e, "api", "method", "chat.update", 1,
	    E2E_REPLY_MS) > 0, "the handoff post was not updated");
	CHECK(e, e2e_clock_advance(e, 3 * HOUR_MS, NULL) == 0, "move 3 h");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_posts_in(e, NULL, "please confirm", NULL, 0) == 2 &&
	    e2e_posts_in(e, NULL, "<@U0MGR>", NULL, 0) == 0,
	    "reminded after the click");
	rc = 0;
out:
	json_decref(a);
	json_decref(frame);
	return (rc);
}

/*
 * ---- a restart: reminders due while opsbot was down come once --------
 * Down from 40 to 65 minutes after the handoff: the second reminder
 * (due at 60) comes once at start; none is repeated after a second
 * restart.
 */
int
sc_handoff_restart(struct e2e *e)
{
	int	 rc = -1, status;

	e->test_clock = 1;
	handoff_config(e, "UTC");
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	CHECK(e, e2e_say(e, "U0001", HO_CHANNEL, NULL, "!handoff <@U0TWO>")
	    == 0,
	    "inject the handoff");
	CHECK(e, e2e_wait_posts_in(e, NULL, "*Handoff of vault*", 1,
	    E2E_TIMER_MS, NULL, 0) == 0,
	    "no handoff post");
	CHECK(e, e2e_clock_advance(e, 40 * MIN_MS, NULL) == 0, "move 40 min");
	CHECK(e, e2e_wait_posts_in(e, NULL, "please confirm", 1, E2E_TIMER_MS,
	    NULL, 0) == 0,
	    "no reminder at 30 min");
	status = e2e_bot_stop(e, SIGTERM, 15000);
	CHECK(e, status != -1 && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0, "no clean exit on SIGTERM (%d)", status);
	/* counted from the real time: 65 min after the handoff */
	e2e_clock_advance_before_start(e, 65 * MIN_MS);
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello after the restart");
	CHECK(e, e2e_wait_posts_in(e, NULL, "please confirm", 2, E2E_TIMER_MS,
	    NULL, 0) == 0,
	    "the reminder due at 60 min did not come at start");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_posts_in(e, NULL, "please confirm", NULL, 0) == 2, "%d "
	    "reminders after the restart, want 2",
	    e2e_posts_in(e, NULL, "please confirm", NULL, 0));
	status = e2e_bot_stop(e, SIGTERM, 15000);
	CHECK(e, status != -1 && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0, "no clean exit on SIGTERM (%d)", status);
	e2e_clock_advance_before_start(e, 70 * MIN_MS);
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello after the restart");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_posts_in(e, NULL, "please confirm", NULL, 0) == 2,
	    "a reminder "
	    "came again: %d", e2e_posts_in(e, NULL, "please confirm", NULL, 0));
	rc = 0;
out:
	return (rc);
}

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
static int64_t
days_of(int y, int m, int d)
{
	struct tm	 tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = 12;
	return ((int64_t)timegm(&tm) / 86400);
}

/* The last Sunday of month m of year y, as days since the epoch. */
static int64_t
last_sunday(int y, int m)
{
	int64_t	 d = days_of(y, m, 31);

	/* 1970-01-01 was a Thursday: (d + 4) % 7 is the weekday, 0 Sunday */
	return (d - (d + 4) % 7);
}

/* "09:00 Mon 23 Mar" as when_format shows a day d (days since epoch). */
static void
local_day(char *out, size_t sz, int64_t d)
{
	static const char *const mo[] = { "Jan", "Feb", "Mar", "Apr", "May",
	    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t		 t = (time_t)(d * 86400 + 43200);
	struct tm	 tm;

	gmtime_r(&t, &tm);
	snprintf(out, sz, "shift ends now (09:00 Mon %d %s", tm.tm_mday,
	    mo[tm.tm_mon]);
}

/*
 * Moves the clock to 1 minute before utc_ms, checks no prompt for that
 * day yet, moves 1 more minute and waits for it. 0 or -1.
 */
static int
prompt_at(struct e2e *e, int64_t utc_ms, int64_t day)
{
	char	 want[64], last[4096] = "";
	int64_t	 wall = 0;
	int	 rc = -1;

	local_day(want, sizeof want, day);
	CHECK(e, e2e_clock_advance(e, 0, &wall) == 0, "read the clock");
	CHECK(e, wall < utc_ms - MIN_MS, "the clock is past %lld",
	    (long long)utc_ms);
	CHECK(e, e2e_clock_advance(e, utc_ms - MIN_MS - wall, NULL) == 0,
	    "move to a minute before");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_posts_in(e, NULL, want, NULL, 0) == 0,
	    "'%s' a minute early",
	    want);
	CHECK(e, e2e_clock_advance(e, MIN_MS, NULL) == 0, "move 1 min");
	CHECK(e, e2e_wait_posts_in(e, NULL, want, 1, E2E_TIMER_MS, last,
	    sizeof last) == 0,
	    "no '%s' at %lld", want, (long long)utc_ms);
	e2e_note(e, "prompt: %s", last);
	CHECK(e, strstr(last, "<@U0") != NULL && strstr(last, "is next") !=
	    NULL && strstr(last, "`!handoff @next <notes>`") != NULL,
	    "not the prompt: '%s'", last);
	rc = 0;
out:
	return (rc);
}

/*
 * ---- a weekly 09:00 handoff in Europe/Berlin across a DST change -----
 * The next change at least 8 days ahead (the last Sunday of March or
 * October, at 01:00 UTC): the Monday before it at 09:00 local and the
 * Monday after, one hour apart in UTC.
 */
int
sc_handoff_dst(struct e2e *e)
{
	struct tm	 now;
	/* the real clock: the bot's starts there (clock.md) */
	time_t		 t = time(NULL);
	int64_t		 sun = 0, today, before, after, off_before, off_after;
	int		 y, rc = -1, spring = 0;

	gmtime_r(&t, &now);
	today = (int64_t)t / 86400;
	for (y = now.tm_year + 1900; y <= now.tm_year + 1901 && sun == 0;
	    y++) {
		if (last_sunday(y, 3) > today + 8) {
			sun = last_sunday(y, 3);
			spring = 1;
		} else if (last_sunday(y, 10) > today + 8)
			sun = last_sunday(y, 10);
	}
	CHECK(e, sun != 0, "no DST change found");
	before = sun - 6;	/* Monday */
	after = sun + 1;
	/* spring: CET (+1) then CEST (+2); autumn the other way */
	off_before = spring ? HOUR_MS : 2 * HOUR_MS;
	off_after = spring ? 2 * HOUR_MS : HOUR_MS;
	e2e_note(e, "%s change on day %lld", spring ? "spring" : "autumn",
	    (long long)sun);
	e->test_clock = 1;
	handoff_config(e, "Europe/Berlin");
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	CHECK(e, prompt_at(e, before * DAY_MS + 9 * HOUR_MS - off_before,
	    before) == 0, "the Monday before");
	CHECK(e, prompt_at(e, after * DAY_MS + 9 * HOUR_MS - off_after,
	    after) == 0, "the Monday after");
	rc = 0;
out:
	return (rc);
}
