/*
 * e2e-ticket-tiers.c: issue 9's remainders on the real binary, clock
 * moved: a warning links the request's thread with the permalink
 * fakeslack's chat.getPermalink answers, and still goes out, naming
 * channel and ticket, when that answers ok:false; a member of the
 * support channel's user group (usergroups.users.list) stops the clock
 * with a reply; a tier of the config's own (support_tiers:) warns at
 * 80% of its own response time. Test-clock builds only.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e.h"

#define MIN_MS		INT64_C(60000)
/* "p2": High */
#define TIERS_ASK	"p2: the API gateway answers 502 since 09:00"
#define TIERS_ESC	"C0ESC"

/*
 * C0001 is a support channel of tier (Advanced when NULL) with U0ENG
 * and the user group S0ENG as its engineers; gold is a tier of its own.
 */
static void
tiers_config(struct e2e *e, const char *tier)
{
	e2e_cfg_printf(e, "support_tiers:\n"
	    "  gold: {hours: 24x7, critical: 30m, high: 1h, medium: 2h,"
	    " low: 8h}\n"
	    "support:\n"
	    "  - channel: C0001\n"
	    "    tier: %s\n"
	    "    engineers: [U0ENG]\n"
	    "    engineers_group: S0ENG\n"
	    "    escalation_channel: " TIERS_ESC "\n"
	    "    timezone: Europe/Berlin\n", tier != NULL ? tier : "advanced");
}

/* The request, its first response seen; the control answer or NULL. */
static json_t *
tiers_ask(struct e2e *e)
{
	json_t	*r;

	r = e2e_send_message(e, TIERS_ASK);
	if (r == NULL || *e2e_str(r, "ts") == '\0' || e2e_wait_count(e, "post",
	    "method", "chat.postMessage", 1, E2E_REPLY_MS) <= 0) {
		json_decref(r);
		return (NULL);
	}
	return (r);
}

/* The permalink fakeslack makes of the request's ts: p + its digits. */
static void
tiers_link(json_t *r, char *link, size_t linksz)
{
	const char	*ts = e2e_str(r, "ts");
	size_t		 n;

	n = (size_t)snprintf(link, linksz,
	    "<https://fake.slack.test/archives/C0001/p");
	for (; *ts != '\0' && n + 1 < linksz; ts++) {
		if (*ts >= '0' && *ts <= '9')
			link[n++] = *ts;
	}
	link[n] = '\0';
	snprintf(link + n, linksz - n, "|ticket #1>");
}

/*
 * ---- the warning links the thread; the group is mentioned -----------
 */
int
sc_ticket_permalink(struct e2e *e)
{
	json_t	*r = NULL, *ev = NULL, *req;
	char	 last[2048] = "", link[256];
	int	 rc = -1;

	e->test_clock = 1;
	tiers_config(e, NULL);
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	r = tiers_ask(e);
	CHECK(e, r != NULL, "ask");
	CHECK(e, e2e_wait_count(e, "api", "method", "chat.getPermalink", 1,
	    E2E_REPLY_MS) > 0, "chat.getPermalink never asked");
	ev = e2e_find(e, "api", "method", "chat.getPermalink");
	req = json_object_get(ev, "request");
	CHECK(e, strcmp(e2e_str(req, "channel"), "C0001") == 0 &&
	    strcmp(e2e_str(req, "message_ts"), e2e_str(r, "ts")) == 0 &&
	    strncmp(e2e_str(ev, "content_type"),
	    "application/x-www-form-urlencoded", 33) == 0, "asked for '%s' "
	    "'%s' as '%s'", e2e_str(req, "channel"), e2e_str(req, "message_ts"),
	    e2e_str(ev, "content_type"));
	/* Advanced, High: 4 h; 80% at 3 h 12 min */
	CHECK(e, e2e_clock_advance(e, 192 * MIN_MS, NULL) == 0, "move");
	CHECK(e, e2e_wait_posts_in(e, TIERS_ESC, "", 1, E2E_TIMER_MS, last,
	    sizeof last) == 0, "no warning within 5 s of 80%%");
	e2e_note(e, "warning: %s", last);
	tiers_link(r, link, sizeof link);
	CHECK(e, strstr(last, link) != NULL && strstr(last,
	    "<!subteam^S0ENG> <@U0ENG>") != NULL && strstr(last, "(thread") ==
	    NULL, "not the linked warning (%s): '%s'", link, last);
	rc = 0;
out:
	json_decref(ev);
	json_decref(r);
	return (rc);
}

/*
 * ---- chat.getPermalink says ok:false: the warning all the same -------
 */
int
sc_ticket_permalink_error(struct e2e *e)
{
	json_t	*r = NULL, *a;
	char	 last[2048] = "";
	int	 rc = -1;

	e->test_clock = 1;
	tiers_config(e, NULL);
	a = e2e_ctl(e, "fault", json_pack("{s:s, s:s, s:s, s:i}", "method",
	    "chat.getPermalink", "mode", "error", "error",
	    "message_not_found", "count", 10));
	CHECK(e, a != NULL && json_is_true(json_object_get(a, "ok")),
	    "arm the fault");
	json_decref(a);
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	r = tiers_ask(e);
	CHECK(e, r != NULL, "ask");
	CHECK(e, e2e_wait_count(e, "api", "method", "chat.getPermalink", 1,
	    E2E_REPLY_MS) > 0, "chat.getPermalink never asked");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_stderr_count(e, "ticket 1: no permalink "
	    "(chat.getPermalink: message_not_found)") == 1, "the failure is "
	    "not logged with its error code");
	CHECK(e, e2e_clock_advance(e, 192 * MIN_MS, NULL) == 0, "move");
	CHECK(e, e2e_wait_posts_in(e, TIERS_ESC, "", 1, E2E_TIMER_MS, last,
	    sizeof last) == 0, "no warning "
	    "within 5 s of 80%% without a permalink");
	e2e_note(e, "warning: %s", last);
	CHECK(e, strstr(last, "ticket *#1*") != NULL && strstr(last,
	    "<#C0001> (thread ") != NULL && strstr(last, "https://") == NULL,
	    "the fallback does not name channel and ticket: '%s'", last);
	rc = 0;
out:
	json_decref(r);
	return (rc);
}

/*
 * ---- a member of the engineers' user group stops the clock -----------
 * (and the members are asked again once an hour has gone by)
 */
int
sc_ticket_group_member(struct e2e *e)
{
	json_t	*r = NULL, *frame = NULL, *ev, *a = NULL;
	int	 rc = -1;

	e->test_clock = 1;
	tiers_config(e, NULL);
	a = e2e_ctl(e, "config", json_pack("{s:{s:[s, s]}}", "usergroups",
	    "S0ENG", "U0GRP", "W0GRP2"));
	CHECK(e, a != NULL && json_is_true(json_object_get(a, "ok")),
	    "configure the user group");
	json_decref(a);
	a = NULL;
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	CHECK(e, e2e_wait_count(e, "api", "method", "usergroups.users.list",
	    1, E2E_REPLY_MS) > 0, "usergroups.users.list never asked");
	CHECK(e, e2e_wait_stderr(e, "user group S0ENG: 2 members", 1,
	    E2E_REPLY_MS) == 0, "the members were not learnt");
	r = tiers_ask(e);
	CHECK(e, r != NULL, "ask");
	CHECK(e, e2e_clock_advance(e, 60 * MIN_MS, NULL) == 0, "move 1 h");
	frame = e2e_fixture(e, "events_api_message.json");
	CHECK(e, frame != NULL, "fixture");
	e2e_set_text(frame, "on it");
	ev = json_object_get(json_object_get(frame, "payload"), "event");
	json_object_set_new(ev, "user", json_string("U0GRP"));
	json_object_set_new(ev, "thread_ts", json_string(e2e_str(r, "ts")));
	a = e2e_send(e, frame, "all");
	CHECK(e, a != NULL, "inject the member's reply");
	CHECK(e, e2e_wait_stderr(e, "ticket 1 answered by U0GRP", 1,
	    E2E_REPLY_MS) == 0, "the group member's reply did not stop the "
	    "clock");
	CHECK(e, e2e_clock_advance(e, 240 * MIN_MS, NULL) == 0, "move 4 h");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_posts_in(e, TIERS_ESC, "", NULL, 0) == 0,
	    "%d escalation posts after "
	    "a group member's reply", e2e_posts_in(e, TIERS_ESC, "", NULL, 0));
	/* five hours on, the next message has the members asked again */
	json_decref(a);
	a = e2e_send_message(e, "hello again");
	CHECK(e, a != NULL, "inject a later message");
	CHECK(e, e2e_wait_count(e, "api", "method", "usergroups.users.list",
	    2, E2E_REPLY_MS) > 0, "the members were not asked again after "
	    "an hour");
	rc = 0;
out:
	json_decref(a);
	json_decref(frame);
	json_decref(r);
	return (rc);
}

/*
 * ---- a tier of the config's own: gold, High is 1 h, 80% at 48 min ----
 */
int
sc_ticket_custom_tier(struct e2e *e)
{
	json_t	*r = NULL;
	char	 last[2048] = "";
	int	 rc = -1;

	e->test_clock = 1;
	tiers_config(e, "gold");
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	r = tiers_ask(e);
	CHECK(e, r != NULL, "ask");
	CHECK(e, e2e_clock_advance(e, 47 * MIN_MS, NULL) == 0, "move 47 min");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_posts_in(e, TIERS_ESC, "", NULL, 0) == 0,
	    "warned before 48 min");
	CHECK(e, e2e_clock_advance(e, MIN_MS, NULL) == 0, "move 1 min");
	CHECK(e, e2e_wait_posts_in(e, TIERS_ESC, "", 1, E2E_TIMER_MS, last,
	    sizeof last) == 0, "no warning within 5 s of gold's 80%%");
	e2e_note(e, "warning: %s", last);
	CHECK(e, strstr(last, "(High, gold tier)") != NULL && strstr(last,
	    "80% of its 1 h") != NULL, "not gold's warning: '%s'", last);
	CHECK(e, e2e_clock_advance(e, 12 * MIN_MS, NULL) == 0, "move 12 min");
	CHECK(e, e2e_wait_posts_in(e, TIERS_ESC, "", 2, E2E_TIMER_MS, last,
	    sizeof last) == 0, "no breach within 5 s of gold's 1 h");
	rc = 0;
out:
	json_decref(r);
	return (rc);
}
