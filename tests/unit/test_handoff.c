/*
 * test_handoff.c: on-call handoffs (bot/handoff.h): the record built
 * from a store filled with pages, a fired step, tickets (one
 * breaching), audit rows of `sop`, a watch answer; its text; the
 * commands `handoff` and `handoffs` through dispatch with their
 * permissions; the reminders of the incoming person and the managers
 * and the ack that stops them; the prompt armed at each shift's end
 * across both DST changes of Europe/Berlin. The outbox's queue is
 * replaced by __wrap_outbox_queue (tests/CMakeLists.txt), which keeps
 * what would be posted; the clock is moved by passing a later now to
 * sched_fire_due.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <jansson.h>

#include "bot/bot.h"
#include "bot/gate.h"
#include "bot/handoff.h"
#include "bot/oncall.h"
#include "bot/outbox.h"
#include "bot/sched.h"
#include "store/store.h"
#include "tests/unit/test-util.h"

#define MIN_MS	INT64_C(60000)
#define HOUR_MS	(60 * MIN_MS)
#define DAY_MS	(24 * HOUR_MS)

static const char config_yaml[] =
    "admins: [U0ADMIN]\n"
    "rotations:\n"
    "  - name: vault\n"
    "    members: [U0AAA, U0BBB, U0CCC]\n"
    "    shift: weekly\n"
    "    handoff: \"09:00\"\n"
    "    start: 2026-03-02\n"
    "    timezone: Europe/Berlin\n"
    "    channel: C0VAULT\n"
    "    managers: U0MGR\n"
    "    handoff_remind: 30m\n"
    "  - name: armada\n"
    "    members: [U0DDD]\n"
    "    shift: daily\n"
    "    handoff: \"00:00\"\n"
    "    start: 2026-01-01\n"
    "    timezone: UTC\n"
    "    channel: C0ARMADA\n"
    "    handoff_grace: 10m\n"
    "    handoff_escalate: 1h\n";

/* ---- the outbox's queue, recorded ---- */

#define QMAX	32
static char	*qtext[QMAX];
static char	*qchannel[QMAX];
static char	*qblocks[QMAX];
static size_t	 nq;

int64_t		 __wrap_outbox_queue(struct bot *, const struct post *);

int64_t
__wrap_outbox_queue(struct bot *b, const struct post *p)
{
	(void)b;
	assert_true(nq < QMAX);
	qtext[nq] = xstrdup(p->text != NULL ? p->text : "");
	qchannel[nq] = xstrdup(p->channel != NULL ? p->channel : "");
	qblocks[nq] = p->blocks != NULL ? xstrdup(p->blocks) : NULL;
	nq++;
	return ((int64_t)nq);
}

static void
queued_reset(void)
{
	size_t	 i;

	for (i = 0; i < nq; i++) {
		free(qtext[i]);
		free(qchannel[i]);
		free(qblocks[i]);
	}
	nq = 0;
}

/* The last post queued contains want. */
static void
last_post_has(const char *want)
{
	assert_true(nq > 0);
	if (strstr(qtext[nq - 1], want) == NULL)
		fail_msg("posted '%s', not '%s'", qtext[nq - 1], want);
}

/* ---- the bot ---- */

struct fixture {
	struct bot	 bot;
	struct sched	 sc;
};

static int
setup(void **state)
{
	struct fixture	*f = xcalloc(1, sizeof *f);
	char		*cause = NULL;

	f->bot.cfg = config_new();
	if (config_load_string(f->bot.cfg, "test.yaml", config_yaml,
	    strlen(config_yaml), &cause) != 0)
		fail_msg("config: %s", cause);
	if ((f->bot.store = store_open(":memory:", &cause)) == NULL)
		fail_msg("store: %s", cause);
	sched_init(&f->sc, timer_kinds, timer_nkinds, &f->bot);
	f->bot.sched = &f->sc;
	*state = f;
	return (0);
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	queued_reset();
	store_close(f->bot.store);
	config_free(f->bot.cfg);
	free(f);
	return (0);
}

/* ---- the record ---- */

/* Opens a page of rotation at opened_ms; returns its id. */
static int64_t
page_at(struct store *s, const char *rotation, const char *summary,
    int64_t opened_ms)
{
	struct page_add	 a;
	int		 added;
	int64_t		 id;

	memset(&a, 0, sizeof a);
	a.adapter = "slack";
	a.rotation = rotation;
	a.summary = summary;
	a.severity = "high";
	a.policy = "default";
	a.opened_by = "U0AAA";
	a.oncall = "U0AAA";
	a.channel = "C0VAULT";
	a.now_ms = opened_ms;
	a.ack_due_ms = opened_ms + 15 * MIN_MS;
	assert_true((id = store_page_add(s, &a, &added)) > 0);
	return (id);
}

static int64_t
ticket_at(struct store *s, const char *key, int64_t opened_ms,
    int64_t due_ms)
{
	struct ticket_add	 a;
	int			 added;
	int64_t			 id;

	memset(&a, 0, sizeof a);
	a.key = key;
	a.adapter = "slack";
	a.channel = "C0SUPPORT";
	a.thread_ts = key;
	a.requester = "U0CUST";
	a.now_ms = opened_ms;
	a.due_ms = due_ms;
	a.warn_ms = due_ms - MIN_MS;
	a.warn_kind = "ticket-warn";
	a.breach_kind = "ticket-breach";
	assert_true((id = store_ticket_add(s, &a, &added)) > 0);
	return (id);
}

static void
fill(struct store *s, int64_t t)
{
	struct page_step_add	 sa;
	struct audit_rec	 au;
	int64_t			 a, b, step, t2;

	/* page 1: opened and acked 4 minutes later, in the shift */
	a = page_at(s, "vault", "disk full", t - 3 * HOUR_MS);
	assert_int_equal(store_page_ack(s, a, "U0AAA", t - 3 * HOUR_MS +
	    4 * MIN_MS), 1);
	/* page 2: open, its reminder fired */
	b = page_at(s, "vault", "vault <sealed>", t - HOUR_MS);
	memset(&sa, 0, sizeof sa);
	sa.page = b;
	sa.due_ms = t - 50 * MIN_MS;
	sa.now_ms = t - HOUR_MS;
	sa.timer_kind = "page-step";
	assert_true((step = store_page_step_add(s, &sa)) > 0);
	assert_int_equal(store_page_step_done(s, step, t - 50 * MIN_MS, 0, 0,
	    "U0AAA", "remind"), 1);
	/* another rotation's page: not this record's */
	(void)page_at(s, "armada", "ships", t - HOUR_MS);
	/* ticket 1 past due, unanswered: breaching; ticket 2 answered */
	(void)ticket_at(s, "1.1", t - 2 * HOUR_MS, t - 30 * MIN_MS);
	t2 = ticket_at(s, "1.2", t - 2 * HOUR_MS, t + HOUR_MS);
	assert_int_equal(store_ticket_answer(s, t2, "U0BBB", t - 90 * MIN_MS),
	    1);
	/* a sop posted; a help is not an SOP */
	memset(&au, 0, sizeof au);
	au.at = (t - 20 * MIN_MS) / 1000;
	au.adapter = "slack";
	au.channel = "C0VAULT";
	au.user = "U0AAA";
	au.command = "sop";
	au.args = "vault-unseal";
	au.status = "ok";
	assert_int_equal(store_audit_add(s, &au), 0);
	au.command = "help";
	assert_int_equal(store_audit_add(s, &au), 0);
	assert_int_equal(store_watch_add(s, "sealed", "C0PROD", "9.9",
	    t - 10 * MIN_MS), 0);
	/* before the shift: not counted */
	assert_int_equal(store_watch_add(s, "sealed", "C0PROD", "9.8",
	    t - 8 * DAY_MS), 0);
}

static void
test_record(void **state)
{
	struct fixture		*f = *state;
	struct handoff_shift_req q;
	const json_t		*open, *shift, *it;
	json_t			*rec;
	char			*text;
	int64_t			 t = test_utc_ms("2026-03-23T08:00:00Z");

	fill(f->bot.store, t);
	memset(&q, 0, sizeof q);
	q.rotation = "vault";
	q.from_user = "U0AAA";
	q.to_user = "U0BBB";
	q.shift_start_ms = t - 7 * DAY_MS;
	q.shift_end_ms = t;
	q.now_ms = t + 5 * MIN_MS;
	q.notes = "watch <the> disk & backups";
	assert_non_null(rec = handoff_record_build(f->bot.store, &q));
	assert_string_equal(json_string_value(json_object_get(rec, "to")),
	    "U0BBB");
	open = json_object_get(rec, "open");
	/* acked is not resolved: both pages are still open */
	assert_int_equal(json_array_size(json_object_get(open, "pages")), 2);
	it = json_array_get(json_object_get(open, "pages"), 0);
	assert_string_equal(json_string_value(json_object_get(it, "state")),
	    "acked");
	it = json_array_get(json_object_get(open, "pages"), 1);
	assert_int_equal(json_integer_value(json_object_get(it, "id")), 2);
	assert_int_equal(json_array_size(json_object_get(open, "tickets")), 2);
	it = json_array_get(json_object_get(open, "tickets"), 0);
	assert_true(json_is_true(json_object_get(it, "breaching")));
	it = json_array_get(json_object_get(open, "tickets"), 1);
	assert_true(json_is_false(json_object_get(it, "breaching")));
	assert_int_equal(handoff_record_open_count(rec), 4);
	shift = json_object_get(rec, "shift");
	assert_int_equal(json_array_size(json_object_get(shift, "pages")), 2);
	it = json_array_get(json_object_get(shift, "pages"), 0);
	assert_int_equal(json_integer_value(json_object_get(it, "ack_ms")),
	    4 * MIN_MS);
	it = json_array_get(json_object_get(shift, "pages"), 1);
	assert_true(json_is_null(json_object_get(it, "ack_ms")));
	it = json_array_get(json_object_get(shift, "steps"), 0);
	assert_string_equal(json_string_value(json_object_get(it, "action")),
	    "remind");
	assert_int_equal(json_array_size(json_object_get(shift, "sops")), 1);
	assert_int_equal(json_array_size(json_object_get(shift,
	    "watch_hits")), 1);
	it = json_object_get(shift, "tickets");
	assert_int_equal(json_array_size(json_object_get(it, "opened")), 2);
	assert_int_equal(json_array_size(json_object_get(it, "answered")), 1);
	assert_int_equal(json_array_size(json_object_get(it, "breached")), 0);

	text = handoff_record_text_new(rec, "slack", "Europe/Berlin",
	    q.now_ms);
	assert_non_null(strstr(text, "*Handoff of vault*: <@U0AAA> → <@U0BBB>,"
	    " 09:05 Mon 23 Mar (Europe/Berlin)"));
	assert_non_null(strstr(text, "Notes: watch &lt;the&gt; disk &amp; "
	    "backups"));
	assert_non_null(strstr(text, "• Page *#2* (open, paged <@U0AAA>): "
	    "high: vault &lt;sealed&gt;"));
	assert_non_null(strstr(text, "• Ticket *#1* (open, *breaching*: was "
	    "due 08:30 Mon 23 Mar (Europe/Berlin)) from <@U0CUST>"));
	assert_non_null(strstr(text, "#1 high: disk full: acked in 4 min"));
	assert_non_null(strstr(text, "Escalation steps fired: 1"));
	assert_non_null(strstr(text, "`sop vault-unseal` by <@U0AAA>"));
	assert_non_null(strstr(text, "Watch hits: 1"));
	assert_non_null(strstr(text, "Tickets: 2 opened, 1 answered, 0 "
	    "breached"));
	free(text);
	json_decref(rec);
}

/* ---- the commands ---- */

static void
test_commands(void **state)
{
	struct fixture	*f = *state;
	struct bot	*bot = &f->bot;

	test_said(bot, "slack", "U0AAA", "C0RANDOM", "!handoff <@U0BBB>",
	    "Which rotation?");
	test_said(bot, "slack", "U0AAA", "C0RANDOM", "!handoff nope <@U0BBB>",
	    "There is no rotation named `nope`.");
	test_said(bot, "slack", "U0AAA", "C0VAULT", "!handoff",
	    "No handoff of *vault* is recorded yet.");
	test_said(bot, "slack", "U0ZZZ", "C0VAULT",
	    "!handoff <@U0BBB> all good",
	    "Only members of *vault*, its managers and admins may hand it "
	    "off.");
	test_said(bot, "slack", "U0AAA", "C0VAULT", "!handoff bob",
	    "Who takes over? Mention them");
	assert_int_equal(nq, 0);
	/* in the channel the post is the answer; elsewhere, a line too */
	free(test_say(bot, "slack", "U0AAA", "C0VAULT",
	    "!handoff <@U0BBB|bob> all good"));
	assert_int_equal(nq, 1);
	assert_string_equal(qchannel[0], "C0VAULT");
	last_post_has("*Handoff of vault*: <@U0");
	last_post_has("→ <@U0BBB>");
	last_post_has("Notes: all good");
	last_post_has("[Got it: `!handoff ack 1`]");
	assert_non_null(strstr(qblocks[0], "\"action_id\":\"handoff-ack\""));
	assert_non_null(strstr(qblocks[0], "\"value\":\"handoff-ack:1\""));
	test_said(bot, "slack", "U0MGR", "C0RANDOM", "!handoff vault <@U0CCC>",
	    "Handoff *#2* of *vault* recorded");
	test_said(bot, "slack", "U0AAA", "C0VAULT", "!handoff",
	    "Last handoff of *vault* (#2): ");
	test_said(bot, "slack", "U0AAA", "C0VAULT", "!handoff",
	    "*not confirmed yet*");
	test_said(bot, "slack", "U0ZZZ", "C0VAULT", "!handoff ack 1",
	    "Only <@U0BBB>, who "
	    "takes over, or a member, manager or admin of *vault* may "
	    "confirm handoff #1.");
	test_said(bot, "slack", "U0BBB", "C0VAULT", "!handoff ack 1",
	    "<@U0BBB> took over *vault* from <@U0");
	/* the handoff post updated: who confirmed, and no button */
	last_post_has(":white_check_mark: Confirmed by <@U0BBB>, ");
	assert_non_null(qblocks[nq - 1]);
	assert_null(strstr(qblocks[nq - 1], "handoff-ack"));
	test_said(bot, "slack", "U0BBB", "C0VAULT", "!handoff ack 1",
	    "was confirmed already");
	test_said(bot, "slack", "U0CCC", "C0VAULT", "!handoff ack",
	    "(handoff #2 confirmed)");
	test_said(bot, "slack", "U0CCC", "C0VAULT", "!handoff ack x",
	    "`x` is not a handoff number");
	test_said(bot, "slack", "U0AAA", "C0VAULT", "!handoff",
	    "confirmed by <@U0CCC>");
	test_said(bot, "slack", "U0AAA", "C0RANDOM", "!handoffs vault",
	    "*Handoffs of vault* (2):");
	test_said(bot, "slack", "U0AAA", "C0VAULT", "!handoffs 30d",
	    " *vault* #1: <@U0");
	test_said(bot, "slack", "U0AAA", "C0VAULT", "!handoffs",
	    "→ <@U0CCC>, acked, ");
	test_said(bot, "slack", "U0AAA", "C0VAULT",
	    "!handoffs since 2020-01-01",
	    "(2):");
	/* outside a rotation's channel: every rotation's, in its zone */
	test_said(bot, "slack", "U0AAA", "C0RANDOM", "!handoffs",
	    "*Handoffs* (2):");
	test_said(bot, "slack", "U0AAA", "C0RANDOM", "!handoffs",
	    " *vault* #2: <@U0");
	test_said(bot, "slack", "U0AAA", "C0RANDOM", "!handoffs armada",
	    "No handoff of *armada* recorded in that period.");
	test_said(bot, "slack", "U0AAA", "C0RANDOM",
	    "!handoffs vault yesterday",
	    "Usage: `!handoffs [<rotation>] [7d|30d|since YYYY-MM-DD]`");
}

/* The click of "Got it" is `handoff ack <id>` by the clicker. */
static void
test_click(void **state)
{
	struct fixture	*f = *state;
	struct reply	 reply;
	struct msg	 m;

	free(test_say(&f->bot, "slack", "U0AAA", "C0VAULT",
	    "!handoff <@U0BBB>"));
	memset(&m, 0, sizeof m);
	m.kind = MSG_ACTION;
	m.adapter = "slack";
	m.channel = "C0VAULT";
	m.user = "U0BBB";
	m.action_id = "handoff-ack";
	m.action_value = "handoff-ack:1";
	assert_int_equal(handoff_click_claims(&f->bot, &m), 1);
	m.action_value = "page:1";
	assert_int_equal(handoff_click_claims(&f->bot, &m), 0);
	m.action_value = "handoff-ack:1";
	memset(&reply, 0, sizeof reply);
	assert_int_equal(handoff_click_handle(&f->bot, &m, &reply), GATE_DONE);
	assert_true(reply.blocks.n > 0);
	assert_non_null(strstr(reply.blocks.v[0], "took over *vault*"));
	reply_reset(&reply);
}

/* ---- the timers ---- */

/* The due time of the timer whose key is key (it must exist). */
static int64_t
timer_due(struct store *s, const char *key)
{
	struct store_timer	 tm;
	int64_t			 id, due;

	/* a taken key answers with its timer's id */
	id = store_timer_add(s, 0, 1, "none", key, key);
	assert_int_equal(store_timer_get(s, id, &tm), 1);
	if (strcmp(tm.kind, "none") == 0)
		fail_msg("no timer %s", key);
	due = tm.due_ms;
	store_timer_release(&tm);
	return (due);
}

static void
test_reminders(void **state)
{
	struct fixture		*f = *state;
	const struct rotation	*rot = rotation_find(f->bot.cfg, "vault");
	struct handoff_req	 q;
	struct store_handoff	 h;
	int64_t			 t = test_utc_ms("2026-03-23T08:10:00Z"), id;

	memset(&q, 0, sizeof q);
	q.adapter = "slack";
	q.channel = "C0VAULT";
	q.by = "U0AAA";
	q.to_user = "U0BBB";
	q.prefix = "!";
	q.now_ms = t;
	assert_true((id = handoff_record(&f->bot, rot, &q, &h)) > 0);
	assert_int_equal(h.late, 0);
	assert_string_equal(h.from_user, "U0CCC");	/* 3rd week's */
	assert_int_equal(h.shift_end_ms, test_utc_ms("2026-03-23T08:00:00Z"));
	store_handoff_release(&h);
	assert_int_equal(nq, 1);
	assert_int_equal(sched_fire_due(&f->sc, f->bot.store, t + 29 * MIN_MS),
	    0);
	assert_int_equal(sched_fire_due(&f->sc, f->bot.store, t + 30 * MIN_MS),
	    1);
	last_post_has("<@U0BBB> please confirm the handoff of *vault* from "
	    "<@U0CCC> (recorded 09:10 Mon 23 Mar (Europe/Berlin)): click "
	    "*Got it* on it or run `!handoff ack`.");
	assert_int_equal(sched_fire_due(&f->sc, f->bot.store, t + 60 * MIN_MS),
	    1);
	assert_int_equal(sched_fire_due(&f->sc, f->bot.store, t + 90 * MIN_MS),
	    1);
	assert_int_equal(nq, 4);
	/* at 2 h: the fourth reminder and the manager, once */
	assert_int_equal(sched_fire_due(&f->sc, f->bot.store,
	    t + 120 * MIN_MS), 2);
	assert_true(strstr(qtext[nq - 1], "<@U0MGR> <@U0BBB> has not "
	    "confirmed the handoff of *vault* from <@U0CCC>") != NULL ||
	    strstr(qtext[nq - 2], "<@U0MGR> <@U0BBB> has not confirmed the "
	    "handoff of *vault* from <@U0CCC>") != NULL);
	/* the ack (and its update of the post) stops them */
	test_said(&f->bot, "slack", "U0BBB", "C0VAULT", "!handoff ack",
	    "took over");
	assert_int_equal(nq, 7);
	assert_int_equal(sched_fire_due(&f->sc, f->bot.store, t + 10 * DAY_MS),
	    0);
	assert_int_equal(nq, 7);
}

/* A weekly handoff at 09:00 Europe/Berlin: 08:00 UTC in winter, 07:00 in
   summer, both ways. */
static void
test_prompt_dst(void **state)
{
	struct fixture		*f = *state;
	const struct rotation	*rot = rotation_find(f->bot.cfg, "vault");
	struct handoff_req	 q;
	struct store_handoff	 h;
	int64_t			 mar23 = test_utc_ms("2026-03-23T08:00:00Z");
	int64_t			 mar30 = test_utc_ms("2026-03-30T07:00:00Z");

	assert_int_equal(handoff_arm_due(&f->bot, rot,
	    test_utc_ms("2026-03-18T12:00:00Z")), 0);
	assert_int_equal(timer_due(f->bot.store,
	    "handoff-due:vault:1774252800000"), mar23);
	/* arming again arms nothing more */
	assert_int_equal(handoff_arm_due(&f->bot, rot,
	    test_utc_ms("2026-03-19T12:00:00Z")), 0);
	assert_int_equal(sched_fire_due(&f->sc, f->bot.store, mar23 - 1), 0);
	assert_int_equal(sched_fire_due(&f->sc, f->bot.store, mar23), 1);
	assert_string_equal(qchannel[nq - 1], "C0VAULT");
	last_post_has("<@U0CCC> your *vault* shift ends now (09:00 Mon 23 Mar "
	    "(Europe/Berlin)); <@U0AAA> is next. Please hand off: "
	    "`!handoff @next <notes>`");
	/* the next one, after the change to summer time: 07:00 UTC */
	assert_int_equal(timer_due(f->bot.store,
	    "handoff-due:vault:1774854000000"), mar30);
	/* not recorded within the grace (30m): reminded once */
	assert_int_equal(sched_fire_due(&f->sc, f->bot.store,
	    mar23 + 30 * MIN_MS), 1);
	last_post_has("<@U0CCC> reminder: the handoff of *vault* due at 09:00 "
	    "Mon 23 Mar (Europe/Berlin) is not recorded yet.");
	assert_int_equal(sched_fire_due(&f->sc, f->bot.store, mar30), 1);
	last_post_has("<@U0AAA> your *vault* shift ends now (09:00 Mon 30 Mar");
	/* recorded in time: no reminder at the grace */
	memset(&q, 0, sizeof q);
	q.adapter = "slack";
	q.channel = "C0VAULT";
	q.by = "U0AAA";
	q.to_user = "U0BBB";
	q.prefix = "!";
	q.now_ms = mar30 + 5 * MIN_MS;
	assert_true(handoff_record(&f->bot, rot, &q, &h) > 0);
	assert_int_equal(h.shift_end_ms, mar30);
	store_handoff_release(&h);
	queued_reset();
	assert_int_equal(sched_fire_due(&f->sc, f->bot.store,
	    mar30 + 30 * MIN_MS), 1);
	assert_int_equal(nq, 0);
	/* October: back to 08:00 UTC after the last Sunday */
	assert_int_equal(handoff_arm_due(&f->bot, rot,
	    test_utc_ms("2026-10-20T12:00:00Z")), 0);
	assert_int_equal(timer_due(f->bot.store,
	    "handoff-due:vault:1793001600000"),
	    test_utc_ms("2026-10-26T08:00:00Z"));
	assert_int_equal(handoff_arm_due(&f->bot, rot,
	    test_utc_ms("2026-10-14T12:00:00Z")), 0);
	assert_int_equal(timer_due(f->bot.store,
	    "handoff-due:vault:1792393200000"),
	    test_utc_ms("2026-10-19T07:00:00Z"));
}

/* Nobody on call before an end (an empty override): no prompt then, the
   next one still armed. */
static void
test_prompt_nobody(void **state)
{
	struct fixture		*f = *state;
	const struct rotation	*rot = rotation_find(f->bot.cfg, "vault");
	int64_t			 mar23 = test_utc_ms("2026-03-23T08:00:00Z");

	assert_true(rotation_override_set(&f->bot, rot, "", mar23 - DAY_MS,
	    mar23, "U0ADMIN", mar23 - 2 * DAY_MS) > 0);
	assert_int_equal(handoff_arm_due(&f->bot, rot,
	    test_utc_ms("2026-03-18T12:00:00Z")), 0);
	/* the override cuts U0CCC's shift: their prompt comes at its start */
	assert_int_equal(sched_fire_due(&f->sc, f->bot.store, mar23 - DAY_MS),
	    1);
	/* the next stretch is no one's: nobody is named */
	last_post_has("<@U0CCC> your *vault* shift ends now (09:00 Sun 22 "
	    "Mar (Europe/Berlin)). Please hand off: ");
	queued_reset();
	/* at 09:00 Monday nobody hands off: only U0CCC's late reminder */
	assert_int_equal(sched_fire_due(&f->sc, f->bot.store, mar23), 2);
	assert_int_equal(nq, 1);
	last_post_has("<@U0CCC> reminder: the handoff of *vault* due at 09:00 "
	    "Sun 22 Mar");
	assert_int_equal(timer_due(f->bot.store,
	    "handoff-due:vault:1774854000000"),
	    test_utc_ms("2026-03-30T07:00:00Z"));
	assert_int_equal(sched_fire_due(&f->sc, f->bot.store,
	    mar23 + HOUR_MS), 0);
}

/* A late handoff: past the end + grace. */
static void
test_late_and_config(void **state)
{
	struct fixture		*f = *state;
	const struct rotation	*rot = rotation_find(f->bot.cfg, "armada");
	const struct rotation	*vault = rotation_find(f->bot.cfg, "vault");
	struct handoff_req	 q;
	struct store_handoff	 h;
	struct config		*cfg = config_new();
	char			*cause = NULL;

	assert_int_equal(rot->handoff_grace_ms, 10 * MIN_MS);
	assert_int_equal(rot->handoff_remind_ms, 30 * MIN_MS);
	assert_int_equal(rot->handoff_escalate_ms, HOUR_MS);
	assert_int_equal(vault->handoff_escalate_ms, 2 * HOUR_MS);
	memset(&q, 0, sizeof q);
	q.adapter = "slack";
	q.channel = "C0ARMADA";
	q.by = "U0DDD";
	q.to_user = "U0BBB";
	q.prefix = "!";
	/* 00:00 UTC daily: at 23:55 the shift that ends at midnight */
	q.now_ms = test_utc_ms("2026-05-04T23:55:00Z");
	assert_true(handoff_record(&f->bot, rot, &q, &h) > 0);
	assert_int_equal(h.late, 0);
	assert_int_equal(h.shift_end_ms, test_utc_ms("2026-05-05T00:00:00Z"));
	store_handoff_release(&h);
	/* the next day, 11 minutes after the handoff time: late */
	q.now_ms = test_utc_ms("2026-05-06T00:11:00Z");
	assert_true(handoff_record(&f->bot, rot, &q, &h) > 0);
	assert_int_equal(h.late, 1);
	assert_int_equal(h.shift_end_ms, test_utc_ms("2026-05-06T00:00:00Z"));
	store_handoff_release(&h);
	/* that shift is handed off: another one now is the current shift's */
	q.now_ms = test_utc_ms("2026-05-06T00:20:00Z");
	assert_true(handoff_record(&f->bot, rot, &q, &h) > 0);
	assert_int_equal(h.late, 0);
	assert_int_equal(h.shift_end_ms, test_utc_ms("2026-05-07T00:00:00Z"));
	store_handoff_release(&h);
	/* a bad duration says where */
	assert_int_equal(config_load_string(cfg, "t.yaml", "rotations:\n"
	    "  - name: x\n    members: [U0AAA]\n    shift: daily\n"
	    "    start: 2026-01-01\n    timezone: UTC\n"
	    "    handoff_remind: 0\n", 123, &cause), -1);
	assert_non_null(strstr(cause, "t.yaml:7:"));
	assert_non_null(strstr(cause, "handoff_remind: '0' is not a "
	    "duration"));
	free(cause);
	config_free(cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_record, setup, teardown),
		cmocka_unit_test_setup_teardown(test_commands, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_click, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reminders, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_prompt_dst, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_prompt_nobody, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_late_and_config, setup,
		    teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
