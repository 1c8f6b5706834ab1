/*
 * test_ticket.c: support tickets through the gate with a real struct
 * bot, the real outbox and a fake adapter: a request opens a ticket
 * answered in its thread, the 80% warning and the breach fire at their
 * instants (sched_fire_due with a moved now), an engineer's reply stops
 * the clock, the ticket command; and the support: config's errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "adapters/adapter.h"
#include "bot/bot.h"
#include "bot/channels.h"
#include "bot/clock.h"
#include "bot/gate.h"
#include "bot/outbox.h"
#include "bot/sched.h"
#include "bot/ticket.h"
#include "store/store.h"

#ifndef OPSBOT_TEST_CLOCK
/* A build whose clock stands still: the clock_is_movable() branches,
   the only callers, never run there. */
static int
clock_test_advance(int64_t ms)
{
	(void)ms;
	return -1;
}
#endif

#define MIN_MS	INT64_C(60000)
#define HOUR_MS	(60 * MIN_MS)
#define TS	"1700000000.000100"

static const char config_yaml[] =
    "timezone: Europe/Berlin\n"
    "support:\n"
    "  - channel: C0SUP\n"
    "    tier: advanced\n"
    "    engineers: [U0ENG, U0ENG2]\n"
    "    escalation_channel: C0ESC\n"
    "  - channel: \"#help-desk\"\n"
    "    engineers: [U0ENG]\n"
    "    escalation_channel: C0ESC\n";

struct delivery {
	char		*channel;
	char		*thread_ts;
	char		*text;
};

struct fixture {
	struct bot	 bot;
	struct adapter	 adapter;
	struct sched	 sc;
	struct delivery	 d[32];
	size_t		 n;
	int		 seq;	/* makes each message's ts unique */
};

static char *
dup_or_null(const char *s)
{
	return (s != NULL ? xstrdup(s) : NULL);
}

static int
fake_deliver(struct adapter *a, const struct post_row *row, void *token)
{
	struct fixture		*f = a->ctx;
	struct post_result	 res;
	char			 ts[64];

	assert_true(f->n < sizeof f->d / sizeof f->d[0]);
	f->d[f->n].channel = dup_or_null(row->p.channel);
	f->d[f->n].thread_ts = dup_or_null(row->p.thread_ts);
	f->d[f->n].text = dup_or_null(row->p.text);
	f->n++;
	memset(&res, 0, sizeof res);
	res.v = POST_OK;
	snprintf(ts, sizeof ts, "1700000200.%06zu", f->n);
	res.ts = ts;
	outbox_delivered(a->bot->outbox, token, &res);
	return (0);
}

static const struct adapter_ops fake_ops = {
	.name = "fake",
	.deliver = fake_deliver,
};

static void
deliveries_reset(struct fixture *f)
{
	size_t	 i;

	for (i = 0; i < f->n; i++) {
		free(f->d[i].channel);
		free(f->d[i].thread_ts);
		free(f->d[i].text);
	}
	f->n = 0;
}

static int
setup(void **state)
{
	struct fixture	*f;
	char		*cause = NULL;

	f = xcalloc(1, sizeof *f);
	f->bot.cfg = config_new();
	if (config_load_string(f->bot.cfg, "test.yaml", config_yaml,
	    strlen(config_yaml), &cause) != 0)
		fail_msg("config: %s", cause);
	f->bot.runbooks = runbook_set_load_string("t.md",
	    "# T\n\n## A\n\ntext\n", 16, NULL);
	assert_non_null(f->bot.runbooks);
	f->bot.store = store_open(":memory:", &cause);
	assert_non_null(f->bot.store);
	assert_int_equal(runbook_index_build(f->bot.runbooks, f->bot.store),
	    0);
	f->adapter.ops = &fake_ops;
	f->adapter.ctx = f;
	f->adapter.bot = &f->bot;
	f->bot.adapter = &f->adapter;
	f->bot.outbox = outbox_new(&f->bot);
	outbox_ready(f->bot.outbox, 1);
	/* not started: sched_kick is a no-op, the tests fire by hand */
	sched_init(&f->sc, timer_kinds, timer_nkinds, &f->bot);
	f->bot.sched = &f->sc;
	/* as main() does: the gate claims replies in tickets' threads only */
	f->bot.tickets = ticket_index_new();
	assert_int_equal(ticket_index_load(f->bot.tickets, f->bot.store), 0);
	*state = f;
	return (0);
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	outbox_free(f->bot.outbox);
	ticket_index_free(f->bot.tickets);
	store_close(f->bot.store);
	runbook_set_free(f->bot.runbooks);
	config_free(f->bot.cfg);
	deliveries_reset(f);
	free(f);
	return (0);
}

/*
 * Sends text from user in C0SUP, in thread (NULL: top level, ts TS),
 * through the gate, and delivers what it queued.
 */
static enum gate_result
say(struct fixture *f, const char *user, const char *thread,
    const char *text)
{
	struct msg		 m;
	enum gate_result	 res;
	char			 ts[64], *ack = NULL;
	size_t			 nq;

	memset(&m, 0, sizeof m);
	m.adapter = "slack";
	m.channel = "C0SUP";
	m.user = user;
	m.text = text;
	if (thread == NULL)
		m.ts = TS;
	else {
		snprintf(ts, sizeof ts, "1700000300.%06d", ++f->seq);
		m.ts = ts;
		m.thread_ts = thread;
	}
	m.bot_user_id = "U0BOT";
	res = gate_message(&f->bot, &m, &ack, &nq);
	assert_null(ack);
	assert_false(store_in_transaction(f->bot.store));
	outbox_flush(f->bot.outbox);
	return (res);
}

static void
fire(struct fixture *f, int64_t now, int expect)
{
	assert_int_equal(sched_fire_due(&f->sc, f->bot.store, now), expect);
	outbox_flush(f->bot.outbox);
}

static void
get_ticket(struct fixture *f, int64_t id, struct store_ticket *t)
{
	assert_int_equal(store_ticket_get(f->bot.store, id, t), 1);
}

static int
has_event(struct fixture *f, int64_t id, const char *kind)
{
	struct store_ticket_event	*v = NULL;
	size_t				 n = 0, i;
	int				 found = 0;

	assert_true(store_ticket_events(f->bot.store, id, 100, &v, &n) >= 0);
	for (i = 0; i < n; i++) {
		if (strcmp(v[i].kind, kind) == 0)
			found = 1;
		store_ticket_event_release(&v[i]);
	}
	free(v);
	return (found);
}

static void
test_request_opens_ticket(void **state)
{
	struct fixture		*f = *state;
	struct store_ticket	 t;
	struct store_timer	 tm;

	assert_int_equal(say(f, "U0REQ", NULL, "the vault is sealed, high "
	    "priority please"), GATE_HANDLED);
	assert_int_equal(f->n, 1);
	assert_string_equal(f->d[0].channel, "C0SUP");
	assert_string_equal(f->d[0].thread_ts, TS);
	assert_non_null(strstr(f->d[0].text, "ticket *#1*"));
	assert_non_null(strstr(f->d[0].text, "*High*"));
	assert_non_null(strstr(f->d[0].text, "Advanced tier"));
	get_ticket(f, 1, &t);
	assert_int_equal(t.state, TICKET_OPEN);
	assert_int_equal(t.priority, SUPPORT_HIGH);
	assert_string_equal(t.requester, "U0REQ");
	/* Advanced, High: 4 h around the clock; the warning at 80% */
	assert_int_equal(t.due_ms - t.opened_ms, 4 * HOUR_MS);
	assert_int_equal(t.warn_ms - t.opened_ms, 4 * HOUR_MS * 8 / 10);
	assert_int_equal(store_timer_get(f->bot.store, t.warn_timer, &tm), 1);
	assert_string_equal(tm.kind, TICKET_WARN_KIND);
	assert_int_equal(tm.due_ms, t.warn_ms);
	store_timer_release(&tm);
	assert_int_equal(store_timer_get(f->bot.store, t.breach_timer, &tm),
	    1);
	assert_string_equal(tm.kind, TICKET_BREACH_KIND);
	assert_int_equal(tm.due_ms, t.due_ms);
	store_timer_release(&tm);
	assert_true(has_event(f, 1, "opened"));
	store_ticket_release(&t);

	/* the same message again: a duplicate, no second ticket */
	assert_int_equal(say(f, "U0REQ", NULL, "the vault is sealed, high "
	    "priority please"), GATE_DUPLICATE);
	assert_int_equal(f->n, 1);
	assert_int_equal(store_ticket_get(f->bot.store, 2, &t), 0);
}

/* A support channel written with its name applies to its ID once learnt. */
/* {user}: the cached display name (escaped), else the mention. */
static void
test_first_response_user(void **state)
{
	struct fixture	*f = *state;

	assert_int_equal(say(f, "U0REQ", NULL, "the vault is sealed"),
	    GATE_HANDLED);
	assert_int_equal(f->n, 1);
	assert_non_null(strstr(f->d[0].text, "Hi <@U0REQ>,"));
}

static void
test_first_response_name(void **state)
{
	struct fixture	*f = *state;

	assert_int_equal(store_user_put(f->bot.store, "U0ADA",
	    "Ada <!channel>", "Europe/Berlin", INT64_C(1700000000000)), 0);
	assert_int_equal(say(f, "U0ADA", NULL, "the gateway is down"),
	    GATE_HANDLED);
	assert_int_equal(f->n, 1);
	assert_non_null(strstr(f->d[0].text, "Hi Ada &lt;!channel&gt;,"));
	assert_null(strstr(f->d[0].text, "<@U0ADA>"));
	assert_null(strstr(f->d[0].text, "<!channel>"));
}

static void
test_channel_by_name(void **state)
{
	struct fixture			*f = *state;
	const struct support_channel	*sc;

	assert_null(support_channel_for(&f->bot, "C0HELP"));
	f->bot.channels = channel_names_new(NULL);
	channel_learn(&f->bot, "C0HELP", "Help-Desk");
	sc = support_channel_for(&f->bot, "C0HELP");
	assert_non_null(sc);
	assert_string_equal(sc->channel, "#help-desk");
	assert_string_equal(support_channel_for(&f->bot, "C0SUP")->channel,
	    "C0SUP");
	assert_null(support_channel_for(&f->bot, "C0OTHER"));
	channel_names_free(f->bot.channels);
	f->bot.channels = NULL;
}

static void
test_not_a_request(void **state)
{
	struct fixture		*f = *state;
	struct store_ticket	 t;

	/*
	 * an engineer's top-level message; a reply by someone else in a
	 * thread that is no ticket's: not claimed (no transaction)
	 */
	assert_int_equal(say(f, "U0ENG", NULL, "maintenance at 10:00"),
	    GATE_IGNORED);
	assert_int_equal(say(f, "U0REQ", TS, "any news?"), GATE_IGNORED);
	assert_int_equal(f->n, 0);
	assert_int_equal(store_ticket_get(f->bot.store, 1, &t), 0);
}

static void
test_warn_then_breach(void **state)
{
	struct fixture		*f = *state;
	struct store_ticket	 t;

	assert_int_equal(say(f, "U0REQ", NULL, "cannot log in"),
	    GATE_HANDLED);
	get_ticket(f, 1, &t);
	/* Advanced, Medium: 8 h; warning at 6 h 24 min */
	assert_int_equal(t.priority, SUPPORT_MEDIUM);
	assert_int_equal(t.due_ms - t.opened_ms, 8 * HOUR_MS);
	deliveries_reset(f);
	fire(f, t.warn_ms - 1, 0);
	assert_int_equal(f->n, 0);
	fire(f, t.warn_ms, 1);
	assert_int_equal(f->n, 1);
	assert_string_equal(f->d[0].channel, "C0ESC");
	assert_null(f->d[0].thread_ts);
	assert_non_null(strstr(f->d[0].text, "<@U0ENG> <@U0ENG2>"));
	assert_non_null(strstr(f->d[0].text, "80%"));
	assert_non_null(strstr(f->d[0].text, "<#C0SUP> (thread " TS ")"));
	assert_null(strstr(f->d[0].text, "Late"));
	assert_true(has_event(f, 1, "warned"));
	fire(f, t.due_ms - 1, 0);
	fire(f, t.due_ms, 1);
	assert_int_equal(f->n, 2);
	assert_string_equal(f->d[1].channel, "C0ESC");
	assert_non_null(strstr(f->d[1].text, "no response within its 8 h"));
	assert_true(has_event(f, 1, "breached"));
	fire(f, t.due_ms + 24 * HOUR_MS, 0);
	assert_int_equal(f->n, 2);
	store_ticket_release(&t);
}

static void
test_engineer_reply_stops_clock(void **state)
{
	struct fixture		*f = *state;
	struct store_ticket	 t;

	assert_int_equal(say(f, "U0REQ", NULL, "low: a typo in the docs"),
	    GATE_HANDLED);
	deliveries_reset(f);
	assert_int_equal(say(f, "U0ENG2", TS, "thanks, looking"),
	    GATE_HANDLED);
	get_ticket(f, 1, &t);
	assert_int_equal(t.state, TICKET_ANSWERED);
	assert_string_equal(t.responder, "U0ENG2");
	assert_true(t.first_response_ms > 0);
	assert_true(has_event(f, 1, "answered"));
	fire(f, t.due_ms + HOUR_MS, 0);
	assert_int_equal(f->n, 0);
	/* a second reply changes nothing */
	assert_int_equal(say(f, "U0ENG", TS, "fixed"), GATE_HANDLED);
	store_ticket_release(&t);
}

static void
test_priority_commands(void **state)
{
	struct fixture		*f = *state;
	struct store_ticket	 t;
	struct store_timer	 tm;

	assert_int_equal(say(f, "U0REQ", NULL, "URGENT: production is down"),
	    GATE_HANDLED);
	get_ticket(f, 1, &t);
	/* Critical from a requester opens as High */
	assert_int_equal(t.priority, SUPPORT_HIGH);
	assert_non_null(strstr(f->d[0].text, "validates"));
	store_ticket_release(&t);
	deliveries_reset(f);

	say(f, "U0REQ", TS, "!ticket priority critical");
	assert_non_null(strstr(f->d[0].text, "Only a support engineer"));
	say(f, "U0ENG", TS, "!ticket priority 1 bogus");
	assert_non_null(strstr(f->d[1].text, "'bogus' is not a priority"));
	say(f, "U0ENG", TS, "!ticket priority 42 high");
	assert_non_null(strstr(f->d[2].text, "There is no ticket #42"));
	say(f, "U0ENG", TS, "!ticket priority 1 critical");
	assert_non_null(strstr(f->d[3].text, "now *Critical*"));
	get_ticket(f, 1, &t);
	assert_int_equal(t.priority, SUPPORT_CRITICAL);
	assert_int_equal(t.due_ms - t.opened_ms, 2 * HOUR_MS);
	assert_int_equal(store_timer_get(f->bot.store, t.breach_timer, &tm),
	    1);
	assert_int_equal(tm.due_ms, t.due_ms);	/* re-armed */
	store_timer_release(&tm);
	/* the command in the thread is no first response */
	assert_int_equal(t.state, TICKET_OPEN);
	store_ticket_release(&t);

	/* the warning fires, then a workaround re-arms a later one */
	get_ticket(f, 1, &t);
	fire(f, t.warn_ms, 1);
	assert_int_equal(f->n, 5);
	say(f, "U0ENG", TS, "!ticket workaround");
	assert_non_null(strstr(f->d[5].text, "now *High*"));
	store_ticket_release(&t);
	get_ticket(f, 1, &t);
	assert_int_equal(t.due_ms - t.opened_ms, 4 * HOUR_MS);
	assert_true(has_event(f, 1, "workaround"));
	fire(f, t.warn_ms, 1);		/* the new warning */
	assert_non_null(strstr(f->d[6].text, "of its 4 h"));
	store_ticket_release(&t);

	say(f, "U0ENG", TS, "!ticket show");
	assert_non_null(strstr(f->d[7].text, "*Ticket #1*: High"));
	assert_non_null(strstr(f->d[7].text, "workaround by U0ENG"));
	say(f, "U0OTHER", TS, "!ticket close 1");
	assert_non_null(strstr(f->d[8].text, "Only the requester"));
	say(f, "U0REQ", TS, "!ticket close");
	assert_non_null(strstr(f->d[9].text, "Closed ticket #1"));
	get_ticket(f, 1, &t);
	assert_int_equal(t.state, TICKET_CLOSED);
	fire(f, t.due_ms + HOUR_MS, 0);		/* no breach once closed */
	store_ticket_release(&t);
	say(f, "U0ENG", "1700000000.555555", "!ticket list");
	assert_non_null(strstr(f->d[10].text, "No open tickets"));
}

/* reopen: closed -> open, the timers re-armed while still ahead. */
static void
test_reopen(void **state)
{
	struct fixture		*f = *state;
	struct store_ticket	 t;

	assert_int_equal(say(f, "U0REQ", NULL, "cannot log in"),
	    GATE_HANDLED);
	say(f, "U0REQ", TS, "!ticket reopen");
	assert_non_null(strstr(f->d[1].text, "is not closed"));
	say(f, "U0REQ", TS, "!ticket close");
	assert_non_null(strstr(f->d[2].text, "Closed ticket #1"));
	say(f, "U0OTHER", TS, "!ticket reopen 1");
	assert_non_null(strstr(f->d[3].text, "Only the requester"));
	say(f, "U0ENG", TS, "!ticket reopen 1");
	assert_non_null(strstr(f->d[4].text, "Reopened ticket #1: due "));
	get_ticket(f, 1, &t);
	assert_int_equal(t.state, TICKET_OPEN);
	assert_true(has_event(f, 1, "reopened"));
	deliveries_reset(f);
	fire(f, t.warn_ms, 1);		/* the re-armed warning */
	assert_non_null(strstr(f->d[0].text, "80%"));
	fire(f, t.due_ms, 1);		/* and the breach */
	assert_non_null(strstr(f->d[1].text, "no response within"));
	store_ticket_release(&t);

	/* closed again and reopened past its due time: breaching */
	say(f, "U0REQ", TS, "!ticket close");
	if (!clock_is_movable())
		return;
	get_ticket(f, 1, &t);
	assert_int_equal(clock_test_advance(t.due_ms - clock_wall_ms() +
	    MIN_MS), 0);
	store_ticket_release(&t);
	say(f, "U0REQ", TS, "!ticket reopen");
	assert_non_null(strstr(f->d[3].text, "it is *breaching*"));
	get_ticket(f, 1, &t);
	assert_int_equal(t.state, TICKET_OPEN);
	fire(f, t.due_ms + HOUR_MS, 0);	/* no second breach */
	store_ticket_release(&t);
}

/* A ticket answered, then closed, reopens answered: no clock runs. */
static void
test_reopen_answered(void **state)
{
	struct fixture		*f = *state;
	struct store_ticket	 t;

	assert_int_equal(say(f, "U0REQ", NULL, "cannot log in"),
	    GATE_HANDLED);
	say(f, "U0ENG", TS, "on it");
	say(f, "U0ENG", TS, "!ticket close");
	say(f, "U0REQ", TS, "!ticket reopen");
	assert_non_null(strstr(f->d[f->n - 1].text, "answered already"));
	get_ticket(f, 1, &t);
	assert_int_equal(t.state, TICKET_ANSWERED);
	deliveries_reset(f);
	fire(f, t.due_ms + HOUR_MS, 0);
	assert_int_equal(f->n, 0);
	store_ticket_release(&t);
}

/* No activity for stale_after: one nudge in the thread. */
static void
test_stale(void **state)
{
	struct fixture		*f = *state;
	struct store_ticket	 t;
	struct store_timer	 tm;

	assert_int_equal(say(f, "U0REQ", NULL, "cannot log in"),
	    GATE_HANDLED);
	say(f, "U0ENG", TS, "looking");		/* answered: no warnings */
	get_ticket(f, 1, &t);
	assert_int_equal(t.state, TICKET_ANSWERED);
	assert_true(t.stale_timer > 0);
	assert_int_equal(store_timer_get(f->bot.store, t.stale_timer, &tm), 1);
	assert_string_equal(tm.kind, TICKET_STALE_KIND);
	assert_int_equal(tm.due_ms, t.active_ms + SUPPORT_STALE_DEFAULT_MS);
	deliveries_reset(f);
	fire(f, tm.due_ms - 1, 0);
	fire(f, tm.due_ms, 1);
	assert_int_equal(f->n, 1);
	assert_string_equal(f->d[0].channel, "C0SUP");
	assert_string_equal(f->d[0].thread_ts, TS);
	assert_non_null(strstr(f->d[0].text, "no activity for 5 days"));
	assert_non_null(strstr(f->d[0].text, "ticket close 1"));
	assert_non_null(strstr(f->d[0].text, "roadmap"));
	assert_true(has_event(f, 1, "stale"));
	fire(f, tm.due_ms + 30 * 24 * HOUR_MS, 0);	/* once */
	assert_int_equal(f->n, 1);
	store_timer_release(&tm);
	store_ticket_release(&t);
}

/* Activity in the thread moves the stale timer; closing cancels it. */
static void
test_stale_activity(void **state)
{
	struct fixture		*f = *state;
	struct store_ticket	 t, t2;
	struct store_timer	 tm;
	int64_t			 due0;

	assert_int_equal(say(f, "U0REQ", NULL, "cannot log in"),
	    GATE_HANDLED);
	get_ticket(f, 1, &t);
	assert_int_equal(store_timer_get(f->bot.store, t.stale_timer, &tm), 1);
	due0 = tm.due_ms;
	store_timer_release(&tm);
	if (clock_is_movable())
		assert_int_equal(clock_test_advance(HOUR_MS), 0);
	/* the requester's reply is activity too (not an answer) */
	assert_int_equal(say(f, "U0REQ", TS, "any news?"), GATE_HANDLED);
	get_ticket(f, 1, &t2);
	assert_int_equal(t2.state, TICKET_OPEN);
	assert_int_equal(t2.stale_timer, t.stale_timer);
	assert_true(t2.active_ms >= t.active_ms);
	assert_int_equal(store_timer_get(f->bot.store, t2.stale_timer, &tm),
	    1);
	assert_int_equal(tm.due_ms, t2.active_ms + SUPPORT_STALE_DEFAULT_MS);
	if (clock_is_movable()) {
		assert_true(tm.due_ms > due0);
		deliveries_reset(f);
		fire(f, due0, 2);		/* the warning and the breach */
		assert_null(strstr(f->d[1].text, "no activity"));
	}
	fire(f, tm.due_ms, 1);
	assert_non_null(strstr(f->d[f->n - 1].text, "no activity"));
	store_timer_release(&tm);
	store_ticket_release(&t2);
	store_ticket_release(&t);

	/* closed: the timer is cancelled, and activity re-arms nothing */
	say(f, "U0REQ", TS, "!ticket close");
	say(f, "U0REQ", TS, "thanks");
	get_ticket(f, 1, &t);
	assert_int_equal(t.state, TICKET_CLOSED);
	fire(f, t.active_ms + 60 * 24 * HOUR_MS, 0);
	store_ticket_release(&t);
}

/*
 * Only replies in an open ticket's thread are claimed: others take no
 * transaction (GATE_IGNORED). A closed ticket's thread is dropped by
 * the first reply there; a reopen puts it back; a restart reloads it.
 */
static void
test_index_claims(void **state)
{
	struct fixture		*f = *state;
	struct ticket_index	*again;

	assert_int_equal(say(f, "U0REQ", NULL, "cannot log in"),
	    GATE_HANDLED);
	assert_int_equal(ticket_index_find(f->bot.tickets, "C0SUP", TS), 1);
	assert_int_equal(say(f, "U0REQ", TS, "any news?"), GATE_HANDLED);
	assert_int_equal(say(f, "U0REQ", "1700000000.000999", "unrelated"),
	    GATE_IGNORED);
	assert_int_equal(say(f, "U0ENG", "1700000000.000999", "unrelated"),
	    GATE_IGNORED);

	/* a restart: the open ticket's thread comes back from the store */
	again = ticket_index_new();
	assert_int_equal(ticket_index_load(again, f->bot.store), 0);
	assert_int_equal(ticket_index_count(again), 1);
	assert_int_equal(ticket_index_find(again, "C0SUP", TS), 1);
	ticket_index_free(again);

	say(f, "U0REQ", TS, "!ticket close");
	assert_non_null(strstr(f->d[f->n - 1].text, "Closed ticket #1"));
	/* the first reply after the close drops it, the next is chatter */
	assert_int_equal(say(f, "U0REQ", TS, "thanks"), GATE_HANDLED);
	assert_int_equal(ticket_index_find(f->bot.tickets, "C0SUP", TS), 0);
	assert_int_equal(say(f, "U0REQ", TS, "bye"), GATE_IGNORED);
	again = ticket_index_new();
	assert_int_equal(ticket_index_load(again, f->bot.store), 0);
	assert_int_equal(ticket_index_count(again), 0);
	ticket_index_free(again);

	say(f, "U0REQ", TS, "!ticket reopen");
	assert_non_null(strstr(f->d[f->n - 1].text, "Reopened ticket #1"));
	assert_int_equal(ticket_index_find(f->bot.tickets, "C0SUP", TS), 1);
	assert_int_equal(say(f, "U0REQ", TS, "still broken"), GATE_HANDLED);
}

/* The table alone: 10,000 threads in, half out, in again, tombstones. */
static void
test_index_table(void **state)
{
	struct ticket_index	*ix;
	char			 ts[32];
	int			 i;

	(void)state;
	ix = ticket_index_new();
	assert_int_equal(ticket_index_find(ix, "C1", "1.1"), 0);
	ticket_index_remove(ix, "C1", "1.1");
	ticket_index_add(ix, "C1", NULL, 1);
	ticket_index_add(ix, "C1", "1.1", 0);
	assert_int_equal(ticket_index_count(ix), 0);
	for (i = 1; i <= 10000; i++) {
		snprintf(ts, sizeof ts, "1700000000.%06d", i);
		ticket_index_add(ix, i % 2 ? "C1" : "C2", ts, i);
	}
	assert_int_equal(ticket_index_count(ix), 10000);
	/* the channel is part of the key */
	assert_int_equal(ticket_index_find(ix, "C1", "1700000000.000001"), 1);
	assert_int_equal(ticket_index_find(ix, "C2", "1700000000.000001"), 0);
	/* a key that is a prefix of another is not it */
	assert_int_equal(ticket_index_find(ix, "C", "1\n1700000000.000001"),
	    0);
	for (i = 1; i <= 10000; i += 2) {
		snprintf(ts, sizeof ts, "1700000000.%06d", i);
		ticket_index_remove(ix, "C1", ts);
	}
	assert_int_equal(ticket_index_count(ix), 5000);
	for (i = 1; i <= 10000; i++) {
		snprintf(ts, sizeof ts, "1700000000.%06d", i);
		assert_int_equal(ticket_index_find(ix, i % 2 ? "C1" : "C2",
		    ts), i % 2 ? 0 : i);
	}
	/* removing and adding over and over reuses the slots */
	for (i = 0; i < 100000; i++) {
		ticket_index_add(ix, "C3", "9.9", i + 1);
		ticket_index_remove(ix, "C3", "9.9");
	}
	ticket_index_add(ix, "C2", "1700000000.000002", 7);
	assert_int_equal(ticket_index_find(ix, "C2", "1700000000.000002"), 7);
	assert_int_equal(ticket_index_count(ix), 5000);
	ticket_index_free(ix);
	ticket_index_free(NULL);
	assert_int_equal(ticket_index_find(NULL, "C1", "1.1"), 0);
	assert_int_equal(ticket_index_count(NULL), 0);
}

static void
test_list(void **state)
{
	struct fixture		*f = *state;
	struct store_ticket	 t, *v = NULL;
	size_t			 n = 0;

	assert_int_equal(say(f, "U0REQ", NULL, "p2 broken"), GATE_HANDLED);
	deliveries_reset(f);
	say(f, "U0REQ", "1700000000.999999", "!ticket list mine");
	assert_non_null(strstr(f->d[0].text, "*#1* High, due"));
	say(f, "U0ENG", "1700000000.999999", "!ticket list breaching");
	assert_non_null(strstr(f->d[1].text, "No ticket is breaching"));
	say(f, "U0ENG", "1700000000.999999", "!ticket list sideways");
	assert_non_null(strstr(f->d[2].text, "not a list"));
	get_ticket(f, 1, &t);
	/* at its due time it is breaching */
	assert_int_equal(store_ticket_list(f->bot.store,
	    TICKET_LIST_BREACHING, NULL, t.due_ms, 10, &v, &n), 1);
	assert_int_equal(v[0].id, 1);
	store_ticket_release(&v[0]);
	free(v);
	store_ticket_release(&t);
}

/* One bad config: loading fails with want in the message. */
static void
config_fails(const char *yaml, const char *want)
{
	struct config	*cfg = config_new();
	char		*cause = NULL;

	assert_int_equal(config_load_string(cfg, "t.yaml", yaml,
	    strlen(yaml), &cause), -1);
	if (strstr(cause, want) == NULL)
		fail_msg("'%s' does not contain '%s'", cause, want);
	free(cause);
	config_free(cfg);
}

static void
test_config_errors(void **state)
{
	char	 path[] = "/tmp/test_ticket.XXXXXX";
	char	*yaml = NULL;
	int	 fd;

	config_fails("support:\n  - channel: C1\n    tier: gold\n"
	    "    engineers: [U1]\n    escalation_channel: C2\n",
	    "t.yaml:3:11: support[0].tier: 'gold' is not one of");
	config_fails("support:\n  - channel: C1\n    engineers: [U1]\n",
	    "t.yaml:2:5: support[0].escalation_channel: missing");
	config_fails("support:\n  - channel: C1\n    engineers: [U1]\n"
	    "    escalation_channel: C2\n    colour: red\n",
	    "t.yaml:5:13: support: support[0]: unknown key 'colour'");
	config_fails("support:\n  - channel: C1\n    engineers: [U1]\n"
	    "    escalation_channel: C2\n    timezone: Mars/Olympus\n",
	    "t.yaml:5:15: support[0].timezone:");
	config_fails("support:\n  - channel: C1\n    engineers: [U1]\n"
	    "    escalation_channel: C2\n    stale_after: soon\n",
	    "support[0].stale_after: 'soon' is not a duration");
	/* a template with a misspelt placeholder */
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "Hi {usr}, {ticket}\n", 19), 19);
	close(fd);
	xasprintf(&yaml, "support:\n  - channel: C1\n    engineers: [U1]\n"
	    "    escalation_channel: C2\n    template: %s\n", path);
	config_fails(yaml, "t.yaml:5:15: support[0].template: ");
	config_fails(yaml, ": unknown placeholder {usr}");
	unlink(path);
	free(yaml);
	config_fails("support:\n  - channel: C1\n    engineers: [U1]\n"
	    "    escalation_channel: C2\n    template: /nonexistent\n",
	    "support[0].template: cannot read '/nonexistent'");
	config_fails("support: C1\n", "t.yaml:1:10: support: expected a list");
}

/* The bundled config's #support channel and its template load. */
static void
test_bundled_config(void **state)
{
	const struct support_channel	*sc;
	struct config			*cfg = config_new();
	char				*cause = NULL;

	if (config_load(cfg, OPSBOT_SOURCE_DIR "/config/opsbot.yaml",
	    &cause) != 0)
		fail_msg("%s", cause);
	sc = support_channel_find(cfg, "#support");
	assert_non_null(sc);
	assert_int_equal(sc->tier, SUPPORT_ADVANCED);
	assert_non_null(strstr(sc->template_text, "{ticket}"));
	assert_int_equal(sc->stale_ms, 5 * 24 * HOUR_MS);
	assert_string_equal(support_channel_zone(cfg, sc), "UTC");
	config_free(cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_request_opens_ticket,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_first_response_user,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_first_response_name,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_reopen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reopen_answered, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_stale, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_activity, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_channel_by_name, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_not_a_request, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_warn_then_breach, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_engineer_reply_stops_clock,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_priority_commands, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_index_claims, setup,
		    teardown),
		cmocka_unit_test(test_index_table),
		cmocka_unit_test(test_config_errors),
		cmocka_unit_test(test_bundled_config),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
