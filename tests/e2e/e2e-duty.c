/*
 * e2e-duty.c: issue 10's on-call duties and a watch that pages, on the
 * real binary. A duty due once a day at the next whole hour (UTC): the
 * clock moved there nudges the person on call in the rotation's
 * channel; `!checked` records it and nothing follows; left unchecked,
 * a reminder after missed_after and the manager after as long again.
 * "vault is sealed in production?" in the watched channel gets the
 * watch's answer in its thread and a page in the rotation's channel.
 * The duty scenarios move the clock: test-clock builds only.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "e2e.h"

#define MIN_MS		INT64_C(60000)
#define HOUR_MS		(60 * MIN_MS)
#define DUTY_CHANNEL	"C0001"		/* the rotation's: `!checked` there */

/*
 * The vault rotation with one member on call (U0001, who the injected
 * messages are from) and a duty due once a day
 * at the next whole UTC hour that is at least two minutes away (the
 * bot arms it at its start). Returns that hour's wall ms.
 */
static int64_t
duty_config(struct e2e *e)
{
	int64_t	 now = (int64_t)time(NULL), due;

	due = (now / 3600 + 1) * 3600;
	if (due - now < 120)
		due += 3600;
	e2e_cfg_printf(e, "rotations:\n"
	    "  - name: vault\n"
	    "    members: [U0001]\n"
	    "    shift: weekly\n"
	    "    start: 2026-01-05\n"
	    "    timezone: UTC\n"
	    "    channel: " DUTY_CHANNEL "\n"
	    "    managers: [U0MGR]\n"
	    "    duties:\n"
	    "      - name: general\n"
	    "        what: Check the general channel\n"
	    "        channel: C0GENERAL\n"
	    "        days: [mon, tue, wed, thu, fri, sat, sun]\n"
	    "        times: [\"%02d:00\"]\n"
	    "        missed_after: 1h\n", (int)(due / 3600 % 24));
	return (due * 1000);
}

/* Moves the bot's clock to at_ms (wall); 0 or -1. */
static int
clock_to(struct e2e *e, int64_t at_ms)
{
	int64_t	 wall = 0;

	if (e2e_clock_advance(e, 1, &wall) != 0)
		return (-1);
	if (wall >= at_ms)
		return (0);
	return (e2e_clock_advance(e, at_ms - wall, NULL));
}

/*
 * ---- nudge at the due time, `!checked` records it, nothing after -----
 */
int
sc_duty_nudge_checked(struct e2e *e)
{
	json_t	*r = NULL;
	char	 last[4096] = "";
	int64_t	 due;
	int	 rc = -1;

	e->test_clock = 1;
	due = duty_config(e);
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	CHECK(e, clock_to(e, due - MIN_MS) == 0, "move to a minute before");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_posts_in(e, NULL, "on-call duty", NULL, 0) == 0,
	    "nudged early");
	CHECK(e, clock_to(e, due) == 0, "move to the due time");
	CHECK(e, e2e_wait_posts_in(e, NULL, "on-call duty *general*", 1,
	    E2E_TIMER_MS, last,
	    sizeof last) == 0, "no nudge within 5 s of the due time");
	e2e_note(e, "nudge: %s", last);
	CHECK(e, e2e_posts_in(e, DUTY_CHANNEL, "on-call duty *general*", NULL,
	    0) == 1, "the nudge is not in " DUTY_CHANNEL);
	CHECK(e, strstr(last, "<@U0001>") != NULL &&
	    strstr(last, "<#C0GENERAL>") != NULL, "not the nudge: '%s'", last);
	r = e2e_send_message(e, "!checked all quiet");
	CHECK(e, r != NULL, "inject !checked");
	CHECK(e, e2e_wait_posts_in(e, NULL, "checked by <@U0001>: all quiet", 1,
	    E2E_TIMER_MS, last,
	    sizeof last) == 0, "`checked` did not record it");
	e2e_note(e, "checked: %s", last);
	CHECK(e, e2e_clock_advance(e, 3 * HOUR_MS, NULL) == 0, "move 3 h");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_posts_in(e, NULL, "reminder", NULL, 0) == 0 &&
	    e2e_posts_in(e, NULL, "<@U0MGR>", NULL, 0) == 0,
	    "escalated a checked duty");
	CHECK(e, e2e_posts_in(e, NULL, "on-call duty *general*", NULL, 0) == 1,
	    "nudged twice");
	rc = 0;
out:
	json_decref(r);
	return (rc);
}

/*
 * ---- unchecked: a reminder after 1 h, the manager after 2 h ----------
 */
int
sc_duty_missed_escalates(struct e2e *e)
{
	char	 last[4096] = "";
	int64_t	 due;
	int	 rc = -1;

	e->test_clock = 1;
	due = duty_config(e);
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	CHECK(e, clock_to(e, due) == 0, "move to the due time");
	CHECK(e, e2e_wait_posts_in(e, NULL, "on-call duty *general*", 1,
	    E2E_TIMER_MS, NULL, 0) ==
	    0, "no nudge");
	CHECK(e, clock_to(e, due + HOUR_MS - MIN_MS) == 0, "move");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_posts_in(e, NULL, "reminder", NULL, 0) == 0,
	    "reminded early");
	CHECK(e, clock_to(e, due + HOUR_MS) == 0, "move to due + 1 h");
	CHECK(e, e2e_wait_posts_in(e, NULL, "<@U0001> reminder", 1,
	    E2E_TIMER_MS, last,
	    sizeof last) == 0, "no reminder within 5 s of due + 1 h");
	e2e_note(e, "reminder: %s", last);
	CHECK(e, e2e_posts_in(e, NULL, "<@U0MGR>", NULL, 0) == 0,
	    "manager early");
	CHECK(e, clock_to(e, due + 2 * HOUR_MS) == 0, "move to due + 2 h");
	CHECK(e, e2e_wait_posts_in(e, NULL, "<@U0MGR>", 1, E2E_TIMER_MS, last,
	    sizeof last) == 0,
	    "no manager within 5 s of due + 2 h");
	e2e_note(e, "manager: %s", last);
	CHECK(e, strstr(last, "recorded missed") != NULL, "not the manager "
	    "step: '%s'", last);
	CHECK(e, e2e_clock_advance(e, HOUR_MS, NULL) == 0, "move 1 h");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_posts_in(e, NULL, "reminder", NULL, 0) == 1 &&
	    e2e_posts_in(e, NULL, "<@U0MGR>", NULL, 0) == 1,
	    "a step fired twice");
	rc = 0;
out:
	return (rc);
}

/*
 * ---- a watch that pages: the answer in the thread AND a page ---------
 */
int
sc_watch_pages(struct e2e *e)
{
	json_t	*r = NULL, *posts = NULL, *p;
	size_t	 i;
	int	 rc = -1, answered = 0, paged = 0;

	e2e_cfg_printf(e, "rotations:\n"
	    "  - name: vault\n"
	    "    members: [U0ONE]\n"
	    "    shift: weekly\n"
	    "    start: 2026-01-05\n"
	    "    timezone: UTC\n"
	    "    channel: C0VAULT\n"
	    "    managers: [U0MGR]\n"
	    "watches:\n"
	    "  - name: vault-sealed\n"
	    "    channel: C0001\n"
	    "    patterns: [sealed]\n"
	    "    text: \"{user}: page HashiCorp after 15 minutes\"\n"
	    "    page: vault\n"
	    "    page_severity: critical\n");
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	r = e2e_send_message(e, "vault is sealed in production?");
	CHECK(e, r != NULL && *e2e_str(r, "ts") != '\0', "inject the message");
	CHECK(e, e2e_wait_posts_in(e, NULL, "*Page #1*", 1, E2E_TIMER_MS, NULL,
	    0) == 0, "no page");
	CHECK(e, e2e_wait_posts_in(e, NULL, "page HashiCorp", 1, E2E_TIMER_MS,
	    NULL, 0) == 0,
	    "no answer");
	posts = e2e_posts(e, "chat.postMessage");
	json_array_foreach(posts, i, p) {
		if (strstr(e2e_str(p, "text"), "page HashiCorp") != NULL &&
		    strcmp(e2e_str(p, "channel"), "C0001") == 0 &&
		    strcmp(e2e_str(p, "thread_ts"), e2e_str(r, "ts")) == 0)
			answered++;
		if (strstr(e2e_str(p, "text"), "*Page #1*") != NULL) {
			e2e_note(e, "page: %s", e2e_str(p, "text"));
			if (strcmp(e2e_str(p, "channel"), "C0VAULT") == 0 &&
			    strstr(e2e_str(p, "text"), "On call: <@U0ONE>") !=
			    NULL && strstr(e2e_str(p, "text"), "(critical)") !=
			    NULL && strstr(e2e_str(p, "text"), "vault-sealed: "
			    "vault is sealed in production?") != NULL)
				paged++;
		}
	}
	CHECK(e, answered == 1, "%d answers in the message's thread, want 1",
	    answered);
	CHECK(e, paged == 1, "%d pages in C0VAULT mentioning U0ONE, want 1",
	    paged);
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_posts_in(e, NULL, "*Page #", NULL, 0) == 1,
	    "%d pages, want 1",
	    e2e_posts_in(e, NULL, "*Page #", NULL, 0));
	rc = 0;
out:
	json_decref(posts);
	json_decref(r);
	return (rc);
}
