/*
 * test_ticket_tiers.c: configurable tiers (support_tiers:), engineers as
 * a Slack user group (engineers_group), and the permalinks warnings
 * carry: the tier table's defaults, overrides and new tiers; config
 * errors with file:line:column; group members counting as engineers;
 * the warning text with a permalink, with the fallback, with the
 * subteam mention. A real struct bot, the real outbox and a fake
 * adapter that answers permalinks as told.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "adapters/adapter.h"
#include "bot/bot.h"
#include "bot/gate.h"
#include "bot/outbox.h"
#include "bot/sched.h"
#include "bot/ticket.h"
#include "store/store.h"

#define MIN_MS	INT64_C(60000)
#define HOUR_MS	(60 * MIN_MS)
#define TS	"1700000000.000100"
#define LINK	"https://fake.slack.test/archives/C0SUP/p1700000000000100"

/* gold defined after the channel that names it: tiers are read first */
static const char config_yaml[] =
    "timezone: Europe/Berlin\n"
    "support:\n"
    "  - channel: C0SUP\n"
    "    tier: GOLD\n"
    "    engineers: [U0ENG]\n"
    "    engineers_group: S0ENG\n"
    "    escalation_channel: C0ESC\n"
    "  - channel: C0GRP\n"
    "    tier: essential\n"
    "    engineers_group: S0ENG\n"
    "    escalation_channel: C0ESC\n"
    "support_tiers:\n"
    "  essential: {hours: 24x7, critical: 8h}\n"
    "  gold: {hours: 24x7, critical: 30m, high: 1h, medium: 2h,"
    " low: 8h}\n";

struct fixture {
	struct bot	 bot;
	struct adapter	 adapter;
	struct sched	 sc;
	char		*text[16];	/* what was delivered */
	size_t		 n;
	const char	*link;		/* the permalink answered, or NULL */
	int		 asked;		/* permalinks asked */
	int		 seq;
};

static int
fake_deliver(struct adapter *a, const struct post_row *row, void *token)
{
	struct fixture		*f = a->ctx;
	struct post_result	 res;

	assert_true(f->n < sizeof f->text / sizeof f->text[0]);
	f->text[f->n++] = xstrdup(row->p.text);
	memset(&res, 0, sizeof res);
	res.v = POST_OK;
	res.ts = "1700000200.000001";
	outbox_delivered(a->bot->outbox, token, &res);
	return (0);
}

static void
fake_permalink(struct adapter *a, const char *channel, const char *ts,
    int64_t ticket)
{
	struct fixture	*f = a->ctx;

	assert_string_equal(channel, "C0SUP");
	assert_string_equal(ts, TS);
	f->asked++;
	assert_int_equal(ticket_permalink_learnt(a->bot, ticket, ts, f->link,
	    f->link == NULL ? "chat.getPermalink: message_not_found" :
	    NULL), 0);
}

static const struct adapter_ops fake_ops = {
	.name = "fake",
	.deliver = fake_deliver,
	.permalink = fake_permalink,
};

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
	f->bot.store = store_open(":memory:", &cause);
	assert_non_null(f->bot.store);
	f->adapter.ops = &fake_ops;
	f->adapter.ctx = f;
	f->adapter.bot = &f->bot;
	f->bot.adapter = &f->adapter;
	f->bot.outbox = outbox_new(&f->bot);
	outbox_ready(f->bot.outbox, 1);
	sched_init(&f->sc, timer_kinds, timer_nkinds, &f->bot);
	f->bot.sched = &f->sc;
	f->link = LINK;
	*state = f;
	return (0);
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;
	size_t		 i;

	outbox_free(f->bot.outbox);
	store_close(f->bot.store);
	config_free(f->bot.cfg);
	for (i = 0; i < f->n; i++)
		free(f->text[i]);
	free(f);
	return (0);
}

/* text from user in channel, top level (thread NULL, ts TS) or not. */
static enum gate_result
say_in(struct fixture *f, const char *channel, const char *user,
    const char *thread, const char *text)
{
	struct msg		 m;
	enum gate_result	 res;
	char			 ts[64], *ack = NULL;
	size_t			 nq;

	memset(&m, 0, sizeof m);
	m.adapter = "slack";
	m.channel = channel;
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
	outbox_flush(f->bot.outbox);
	return (res);
}

static void
fire(struct fixture *f, int64_t now, int expect)
{
	assert_int_equal(sched_fire_due(&f->sc, f->bot.store, now), expect);
	outbox_flush(f->bot.outbox);
}

/* The table of 004_* as the defaults, found by name in any case. */
static void
test_tier_defaults(void **state)
{
	struct config			*cfg = config_new();
	const struct support_tier_def	*t;
	struct buf			 b = { NULL, 0, 0 };
	int				 i, p;

	(void)state;
	assert_int_equal(cfg->ntiers, SUPPORT_NTIERS);
	for (i = 0; i < SUPPORT_NTIERS; i++) {
		t = support_tier_find(cfg,
		    support_tier_name((enum support_tier)i));
		assert_non_null(t);
		assert_int_equal(t->week,
		    support_tier_week((enum support_tier)i));
		for (p = 0; p < SUPPORT_NPRIORITIES; p++)
			assert_int_equal(t->response_ms[p],
			    support_response_ms((enum support_tier)i,
			    (enum support_priority)p));
	}
	t = support_tier_find(cfg, "pReMiUm");
	assert_non_null(t);
	assert_string_equal(t->name, "Premium");
	assert_int_equal(t->response_ms[SUPPORT_CRITICAL], HOUR_MS);
	assert_null(support_tier_find(cfg, "gold"));
	{
		int64_t	 ms = 0;

		assert_int_equal(support_duration_parse("30m", &ms), 0);
		assert_int_equal(ms, 30 * MIN_MS);
		assert_int_equal(support_duration_parse("2d", &ms), 0);
		assert_int_equal(ms, 48 * HOUR_MS);
		assert_int_equal(support_duration_parse("0h", &ms), -1);
		assert_int_equal(support_duration_parse("1w", &ms), -1);
		assert_int_equal(support_duration_parse("-1h", &ms), -1);
		assert_int_equal(ms, 48 * HOUR_MS);	/* nothing set */
	}
	assert_null(support_tier_find(cfg, NULL));
	support_tiers_names(cfg, &b);
	assert_string_equal(buf_str(&b), "Essential, Advanced, Premium");
	buf_reset(&b);
	config_free(cfg);
}

/* An override changes only what it names; a new tier is added. */
static void
test_tier_overrides(void **state)
{
	struct fixture			*f = *state;
	const struct support_tier_def	*t;

	assert_int_equal(f->bot.cfg->ntiers, 4);
	t = support_tier_find(f->bot.cfg, "Essential");
	assert_non_null(t);
	assert_int_equal(t->week, SUPPORT_24X7);		/* overridden */
	assert_int_equal(t->response_ms[SUPPORT_CRITICAL], 8 * HOUR_MS);
	assert_int_equal(t->response_ms[SUPPORT_HIGH], 12 * HOUR_MS);
	assert_int_equal(t->response_ms[SUPPORT_LOW], 24 * HOUR_MS);
	t = support_tier_find(f->bot.cfg, "gold");
	assert_non_null(t);
	assert_string_equal(t->name, "gold");
	assert_int_equal(t->week, SUPPORT_24X7);
	assert_int_equal(t->response_ms[SUPPORT_CRITICAL], 30 * MIN_MS);
	assert_int_equal(t->response_ms[SUPPORT_HIGH], HOUR_MS);
	assert_int_equal(t->response_ms[SUPPORT_MEDIUM], 2 * HOUR_MS);
	assert_int_equal(t->response_ms[SUPPORT_LOW], 8 * HOUR_MS);
	/* Advanced untouched */
	t = support_tier_find(f->bot.cfg, "advanced");
	assert_int_equal(t->response_ms[SUPPORT_MEDIUM], 8 * HOUR_MS);
	/* the channel's tier as the table spells it */
	assert_string_equal(support_channel_find(f->bot.cfg, "C0SUP")->tier,
	    "gold");
	assert_string_equal(support_channel_find(f->bot.cfg, "C0GRP")->tier,
	    "Essential");
}

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
	/* a failed table is the defaults again */
	if (strstr(want, "support_tiers") != NULL)
		assert_int_equal(cfg->ntiers, SUPPORT_NTIERS);
	config_free(cfg);
}

static void
test_tier_errors(void **state)
{
	(void)state;
	config_fails("support_tiers:\n  gold: {hours: 24x6, critical: 1h,"
	    " high: 2h, medium: 4h, low: 8h}\n",
	    "t.yaml:2:17: support_tiers.gold.hours: '24x6' is not 24x5 or "
	    "24x7");
	config_fails("support_tiers:\n  advanced:\n    critical: soon\n",
	    "t.yaml:3:15: support_tiers.advanced.critical: 'soon' is not a "
	    "response time");
	config_fails("support_tiers:\n  advanced:\n    critical: 400d\n",
	    "t.yaml:3:15: support_tiers.advanced.critical: '400d'");
	config_fails("support_tiers:\n  advanced:\n    urgent: 1h\n",
	    "t.yaml:3:5: support_tiers.advanced: unknown key 'urgent'");
	config_fails("support_tiers:\n  gold: {hours: 24x7, critical: 1h}\n",
	    "t.yaml:2:9: support_tiers.gold.high: missing");
	config_fails("support_tiers:\n  gold: {critical: 1h, high: 1h,"
	    " medium: 1h, low: 1h}\n",
	    "support_tiers.gold.hours: missing");
	config_fails("support_tiers:\n  \"gold tier\": {hours: 24x7}\n",
	    "t.yaml:2:3: support_tiers: tier names are 1 to 32");
	config_fails("support_tiers: [gold]\n",
	    "t.yaml:1:16: support_tiers: expected a mapping");
	config_fails("support_tiers:\n  gold: 1h\n",
	    "t.yaml:2:9: support_tiers.gold: expected a mapping");
	/* an unknown tier lists the configured ones */
	config_fails("support_tiers:\n  gold: {hours: 24x7, critical: 1h,"
	    " high: 2h, medium: 4h, low: 8h}\nsupport:\n  - channel: C1\n"
	    "    tier: silver\n    engineers: [U1]\n"
	    "    escalation_channel: C2\n",
	    "t.yaml:5:11: support[0].tier: 'silver' is not a tier "
	    "(Essential, Advanced, Premium, gold;");
	config_fails("support:\n  - channel: C1\n    engineers_group: U1\n"
	    "    escalation_channel: C2\n",
	    "t.yaml:3:22: support[0].engineers_group: 'U1' is not a Slack "
	    "user group ID");
	config_fails("support:\n  - channel: C1\n    escalation_channel: C2\n",
	    "support[0].engineers: missing: the support engineers' user ids, "
	    "or engineers_group");
}

/* Group members are engineers once learnt; the listed ones always. */
static void
test_group_membership(void **state)
{
	struct fixture			*f = *state;
	const struct support_channel	*sup, *grp;
	struct strv			 members = { NULL, 0, 0 };

	sup = support_channel_find(f->bot.cfg, "C0SUP");
	grp = support_channel_find(f->bot.cfg, "C0GRP");
	assert_true(support_is_engineer(sup, "U0ENG"));
	assert_false(support_is_engineer(sup, "U0GRP"));
	assert_false(support_is_engineer(grp, "U0GRP"));
	strv_add(&members, "U0GRP");
	strv_add(&members, "W0GRP2");
	assert_int_equal(support_group_learn(f->bot.cfg, "S0ENG", &members),
	    2);
	assert_int_equal(support_group_learn(f->bot.cfg, "S0OTHER",
	    &members), 0);
	assert_true(support_is_engineer(sup, "U0GRP"));
	assert_true(support_is_engineer(grp, "W0GRP2"));
	assert_true(support_is_engineer(sup, "U0ENG"));
	assert_false(support_is_engineer(grp, "U0ENG"));
	assert_false(support_is_engineer(sup, NULL));
	/* learnt again: replaced, not added to */
	strv_reset(&members);
	strv_add(&members, "U0NEW");
	support_group_learn(f->bot.cfg, "S0ENG", &members);
	assert_false(support_is_engineer(sup, "U0GRP"));
	assert_true(support_is_engineer(sup, "U0NEW"));
	strv_reset(&members);

	/* a member's message opens no ticket; their reply stops the clock */
	assert_int_equal(say_in(f, "C0SUP", "U0NEW", NULL, "fyi"),
	    GATE_IGNORED);
	assert_int_equal(say_in(f, "C0SUP", "U0REQ", NULL, "help"),
	    GATE_HANDLED);
	assert_int_equal(say_in(f, "C0SUP", "U0NEW", TS, "on it"),
	    GATE_HANDLED);
	{
		struct store_ticket	 t;

		assert_int_equal(store_ticket_get(f->bot.store, 1, &t), 1);
		assert_int_equal(t.state, TICKET_ANSWERED);
		assert_string_equal(t.responder, "U0NEW");
		store_ticket_release(&t);
	}
}

/* gold, Medium: 2 h; its warning at 96 min links the thread. */
static void
test_warn_permalink(void **state)
{
	struct fixture		*f = *state;
	struct store_ticket	 t;

	assert_int_equal(say_in(f, "C0SUP", "U0REQ", NULL, "cannot log in"),
	    GATE_HANDLED);
	assert_int_equal(f->asked, 1);
	assert_int_equal(store_ticket_get(f->bot.store, 1, &t), 1);
	assert_string_equal(t.tier_name, "gold");
	assert_string_equal(t.permalink, LINK);
	assert_int_equal(t.due_ms - t.opened_ms, 2 * HOUR_MS);
	assert_int_equal(t.warn_ms - t.opened_ms, 96 * MIN_MS);
	assert_non_null(strstr(f->text[0], "(gold tier)"));
	fire(f, t.warn_ms - 1, 0);
	fire(f, t.warn_ms, 1);
	assert_int_equal(f->n, 2);
	assert_non_null(strstr(f->text[1], ":warning: <!subteam^S0ENG> "
	    "<@U0ENG> <" LINK "|ticket #1> (Medium, gold tier) in <#C0SUP> "
	    "has had no response for 80% of its 2 h: due at "));
	assert_null(strstr(f->text[1], "(thread"));
	/* ticket show gives the link too */
	assert_int_equal(say_in(f, "C0SUP", "U0ENG", TS, "!ticket show 1"),
	    GATE_HANDLED);
	assert_int_equal(f->n, 3);
	assert_non_null(strstr(f->text[2], "*Ticket #1*: Medium, gold tier"));
	assert_non_null(strstr(f->text[2], "\nThread: " LINK "\n"));
	fire(f, t.due_ms, 1);
	assert_non_null(strstr(f->text[3], ":rotating_light: "
	    "<!subteam^S0ENG> <@U0ENG> <" LINK "|ticket #1>"));
	assert_non_null(strstr(f->text[3], "no response within its 2 h"));
	store_ticket_release(&t);
}

/* No permalink (ok:false): the warning names channel and ticket. */
static void
test_warn_fallback(void **state)
{
	struct fixture		*f = *state;
	struct store_ticket	 t;

	f->link = NULL;
	assert_int_equal(say_in(f, "C0SUP", "U0REQ", NULL, "critical: "
	    "down"), GATE_HANDLED);
	assert_int_equal(f->asked, 1);
	assert_int_equal(store_ticket_get(f->bot.store, 1, &t), 1);
	assert_null(t.permalink);
	/* Critical asked by a requester is High: gold High is 1 h */
	assert_int_equal(t.due_ms - t.opened_ms, HOUR_MS);
	fire(f, t.warn_ms, 1);
	assert_non_null(strstr(f->text[1], "<@U0ENG> ticket *#1* (High, "
	    "gold tier) in <#C0SUP> (thread " TS ") has had no response for "
	    "80% of its 1 h"));
	store_ticket_release(&t);
}

/* ticket_link_add and ticket_mentions_add on their own. */
static void
test_link_and_mentions(void **state)
{
	struct fixture		*f = *state;
	struct store_ticket	 t;
	struct buf		 b = { NULL, 0, 0 };

	memset(&t, 0, sizeof t);
	t.id = 42;
	assert_int_equal(ticket_link_add(&b, &t), 0);
	assert_string_equal(buf_str(&b), "ticket *#42*");
	buf_reset(&b);
	t.permalink = "#support message 1700000000.000100";	/* console */
	assert_int_equal(ticket_link_add(&b, &t), 0);
	assert_string_equal(buf_str(&b), "ticket *#42*");
	buf_reset(&b);
	t.permalink = "https://x.test/a|b";	/* would break the markup */
	assert_int_equal(ticket_link_add(&b, &t), 0);
	buf_reset(&b);
	t.permalink = "https://x.test/archives/C1/p1?thread_ts=1.2&cid=C1";
	assert_int_equal(ticket_link_add(&b, &t), 1);
	assert_string_equal(buf_str(&b), "<https://x.test/archives/C1/p1?"
	    "thread_ts=1.2&amp;cid=C1|ticket #42>");
	buf_reset(&b);

	ticket_mentions_add(&b, support_channel_find(f->bot.cfg, "C0SUP"),
	    "console");
	assert_string_equal(buf_str(&b), "S0ENG U0ENG ");
	buf_reset(&b);
	ticket_mentions_add(&b, support_channel_find(f->bot.cfg, "C0GRP"),
	    "slack");
	assert_string_equal(buf_str(&b), "<!subteam^S0ENG> ");
	buf_reset(&b);
}

/* A ticket whose tier left the config uses its channel's tier. */
static void
test_tier_gone(void **state)
{
	struct fixture		*f = *state;
	struct store_ticket	 t;

	memset(&t, 0, sizeof t);
	t.id = 7;
	t.channel = "C0SUP";
	t.tier_name = "Premium";
	assert_string_equal(ticket_tier(&f->bot, &t)->name, "Premium");
	t.tier_name = "platinum";
	assert_string_equal(ticket_tier(&f->bot, &t)->name, "gold");
	t.channel = "C0NONE";
	assert_null(ticket_tier(&f->bot, &t));
	/* ticket_due refuses no tier */
	{
		int64_t	 due, warn;

		assert_int_equal(ticket_due("UTC", NULL, SUPPORT_LOW, 0, &due,
		    &warn), -1);
	}
	/* an answer for a ticket that is gone changes nothing */
	assert_int_equal(ticket_permalink_learnt(&f->bot, 99, TS, LINK, NULL),
	    0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tier_defaults),
		cmocka_unit_test_setup_teardown(test_tier_overrides, setup,
		    teardown),
		cmocka_unit_test(test_tier_errors),
		cmocka_unit_test_setup_teardown(test_group_membership, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_warn_permalink, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_warn_fallback, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_link_and_mentions, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_tier_gone, setup,
		    teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
