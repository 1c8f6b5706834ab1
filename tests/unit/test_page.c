/*
 * test_page.c: pages and their escalation, through the gate with a real
 * struct bot, the real outbox and scheduler, and a fake adapter; the
 * clock is moved by passing a later now to sched_fire_due. Rotations
 * are this test's own (rotas[] below): the page_rota_* functions of
 * bot/page-rotation.c are replaced by the __wrap_ ones here
 * (-Wl,--wrap, tests/CMakeLists.txt), so the tests do not depend on
 * branch `oncall`. Also: the escalation_policies: config and its
 * errors, the timeline and the dry run.
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
#include "bot/page.h"
#include "bot/sched.h"
#include "store/store.h"

#define MIN_MS	INT64_C(60000)

static const char config_yaml[] =
    "timezone: UTC\n"
    "escalation_policies:\n"
    "  - name: strict\n"
    "    ack_deadline: 5m\n"
    "    steps:\n"
    "      - {after: 2m, action: remind}\n"
    "      - {after: 4m, action: next}\n"
    "      - {after: 5m, post: \"C0LEADS\"}\n"
    "      - {after: 6m, action: manager}\n";

static const char runbook_md[] =
    "---\ntitle: Upstream escalation\ntags: [escalation]\n---\n\n"
    "# Upstream escalation\n\n## HashiCorp\n\n"
    "Open an urgent HashiCorp ticket and ask for a Zoom call.\n";

/* A rotation as this test has it; NULL strings are "none". */
struct trota {
	const char	*name;
	const char	*channel;
	const char	*admin;
	const char	*zone;
	const char	*policy;
	const char	*manager;
	const char	*member;	/* a member who is not on call */
	const char	*oncall;	/* until until_ms (0: always) */
	int64_t		 until_ms;
	const char	*after;		/* on call from until_ms, or NULL */
	const char	*next;
};
static struct trota rotas[3];

static const struct trota *
trota_find(const char *name)
{
	size_t	 i;

	for (i = 0; i < sizeof rotas / sizeof rotas[0]; i++) {
		if (rotas[i].name != NULL && strcmp(rotas[i].name, name) == 0)
			return (&rotas[i]);
	}
	return (NULL);
}

static char *
dup_or_null(const char *s)
{
	return (s != NULL ? xstrdup(s) : NULL);
}

int	__wrap_page_rota_get(struct bot *, const char *, struct page_rota *);
char	*__wrap_page_rota_oncall_new(struct bot *, const char *, int64_t);
char	*__wrap_page_rota_next_new(struct bot *, const char *, int64_t);
int	__wrap_page_rota_is_member(struct bot *, const char *, const char *);
int	__wrap_page_rota_is_manager(struct bot *, const char *, const char *);
int	__wrap_page_rota_admin_channel(struct bot *, const char *);

int
__wrap_page_rota_get(struct bot *bot, const char *name, struct page_rota *r)
{
	const struct trota	*t;

	(void)bot;
	memset(r, 0, sizeof *r);
	if ((t = trota_find(name)) == NULL)
		return (0);
	r->name = xstrdup(t->name);
	r->channel = dup_or_null(t->channel);
	r->admin_channel = dup_or_null(t->admin);
	r->zone = dup_or_null(t->zone);
	r->policy = dup_or_null(t->policy);
	if (t->manager != NULL)
		strv_add(&r->managers, t->manager);
	return (1);
}

char *
__wrap_page_rota_oncall_new(struct bot *bot, const char *name, int64_t at)
{
	const struct trota	*t;

	(void)bot;
	if ((t = trota_find(name)) == NULL)
		return (NULL);
	if (t->until_ms != 0 && at >= t->until_ms)
		return (dup_or_null(t->after));
	return (dup_or_null(t->oncall));
}

char *
__wrap_page_rota_next_new(struct bot *bot, const char *name, int64_t at)
{
	const struct trota	*t;

	(void)bot;
	(void)at;
	return ((t = trota_find(name)) != NULL ? dup_or_null(t->next) : NULL);
}

int
__wrap_page_rota_is_member(struct bot *bot, const char *name,
    const char *user)
{
	const struct trota	*t;

	(void)bot;
	if ((t = trota_find(name)) == NULL || user == NULL)
		return (0);
	return ((t->oncall != NULL && strcmp(t->oncall, user) == 0) ||
	    (t->member != NULL && strcmp(t->member, user) == 0));
}

int
__wrap_page_rota_is_manager(struct bot *bot, const char *name,
    const char *user)
{
	const struct trota	*t;

	(void)bot;
	return ((t = trota_find(name)) != NULL && t->manager != NULL &&
	    user != NULL && strcmp(t->manager, user) == 0);
}

int
__wrap_page_rota_admin_channel(struct bot *bot, const char *channel)
{
	size_t	 i;

	(void)bot;
	for (i = 0; i < sizeof rotas / sizeof rotas[0]; i++) {
		if (rotas[i].admin != NULL && channel != NULL &&
		    strcmp(rotas[i].admin, channel) == 0)
			return (1);
	}
	return (0);
}

struct delivery {
	int		 op;
	char		*channel;
	char		*thread_ts;
	char		*text;
	char		*target_ts;
	char		*ts;
};

struct fixture {
	struct bot	 bot;
	struct adapter	 adapter;
	struct sched	 sc;
	struct delivery	 d[64];
	size_t		 n;
	int		 seq;
	char		 dbpath[64];
};

static int
fake_deliver(struct adapter *a, const struct post_row *row, void *token)
{
	struct fixture		*f = a->ctx;
	struct post_result	 res;
	char			 ts[64];

	assert_true(f->n < sizeof f->d / sizeof f->d[0]);
	snprintf(ts, sizeof ts, "1700000200.%06zu", f->n + 1);
	f->d[f->n].op = row->p.op;
	f->d[f->n].channel = dup_or_null(row->p.channel);
	f->d[f->n].thread_ts = dup_or_null(row->p.thread_ts);
	f->d[f->n].text = dup_or_null(row->p.text);
	f->d[f->n].target_ts = dup_or_null(row->p.target_ts);
	f->d[f->n].ts = xstrdup(ts);
	f->n++;
	memset(&res, 0, sizeof res);
	res.v = POST_OK;
	res.ts = row->p.op == POST_MESSAGE ? ts : NULL;
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
		free(f->d[i].target_ts);
		free(f->d[i].ts);
	}
	f->n = 0;
}

static void
rotas_default(void)
{
	memset(rotas, 0, sizeof rotas);
	rotas[0].name = "vault";
	rotas[0].channel = "C0VAULT";
	rotas[0].admin = "C0ADMIN";
	rotas[0].zone = "UTC";
	rotas[0].policy = "default";
	rotas[0].manager = "U0MGR";
	rotas[0].member = "U0MEMBER";
	rotas[0].oncall = "U0ON";
	rotas[0].next = "U0NEXT";
	rotas[1].name = "bare";		/* no one on call, no manager */
	rotas[1].channel = "C0BARE";
	rotas[1].zone = "UTC";
	rotas[1].member = "U0MEMBER";
	rotas[2].name = "strict";
	rotas[2].channel = "C0STRICT";
	rotas[2].zone = "UTC";
	rotas[2].policy = "strict";
	rotas[2].manager = "U0MGR";
	rotas[2].oncall = "U0ON";
	rotas[2].next = "U0NEXT";
}

/* Opens the bot's store (path: ":memory:" or a file that survives). */
static void
bot_open(struct fixture *f, const char *path)
{
	char	*cause = NULL;

	f->bot.store = store_open(path, &cause);
	if (f->bot.store == NULL)
		fail_msg("store: %s", cause);
	assert_int_equal(runbook_index_build(f->bot.runbooks, f->bot.store),
	    0);
	f->bot.outbox = outbox_new(&f->bot);
	outbox_ready(f->bot.outbox, 1);
	sched_init(&f->sc, timer_kinds, timer_nkinds, &f->bot);
	f->bot.sched = &f->sc;
}

static void
bot_close(struct fixture *f)
{
	outbox_free(f->bot.outbox);
	f->bot.outbox = NULL;
	store_close(f->bot.store);
	f->bot.store = NULL;
}

static int
setup(void **state)
{
	struct fixture	*f;
	char		*cause = NULL;

	rotas_default();
	f = xcalloc(1, sizeof *f);
	f->bot.cfg = config_new();
	if (config_load_string(f->bot.cfg, "test.yaml", config_yaml,
	    strlen(config_yaml), &cause) != 0)
		fail_msg("config: %s", cause);
	f->bot.runbooks = runbook_set_load_string("escalation.md", runbook_md,
	    strlen(runbook_md), NULL);
	assert_non_null(f->bot.runbooks);
	f->adapter.ops = &fake_ops;
	f->adapter.ctx = f;
	f->adapter.bot = &f->bot;
	f->bot.adapter = &f->adapter;
	bot_open(f, ":memory:");
	*state = f;
	return (0);
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	bot_close(f);
	channel_names_free(f->bot.channels);
	runbook_set_free(f->bot.runbooks);
	config_free(f->bot.cfg);
	deliveries_reset(f);
	if (f->dbpath[0] != '\0')
		unlink(f->dbpath);
	free(f);
	return (0);
}

/* text from user in channel (thread: NULL top level), through the gate. */
static enum gate_result
say_result(struct fixture *f, const char *channel, const char *user,
    const char *thread, const char *text)
{
	struct msg		 m;
	char			 ts[64], *ack = NULL;
	size_t			 nq;
	enum gate_result	 r;

	memset(&m, 0, sizeof m);
	m.adapter = "slack";
	m.channel = channel;
	m.user = user;
	m.text = text;
	snprintf(ts, sizeof ts, "1700000300.%06d", ++f->seq);
	m.ts = ts;
	m.thread_ts = thread;
	m.bot_user_id = "U0BOT";
	r = gate_message(&f->bot, &m, &ack, &nq);
	assert_null(ack);
	assert_false(store_in_transaction(f->bot.store));
	outbox_flush(f->bot.outbox);
	return (r);
}

static void
say(struct fixture *f, const char *channel, const char *user,
    const char *thread, const char *text)
{
	assert_int_equal(say_result(f, channel, user, thread, text),
	    GATE_HANDLED);
}

static int
fire(struct fixture *f, int64_t now)
{
	int	 n;

	n = sched_fire_due(&f->sc, f->bot.store, now);
	outbox_flush(f->bot.outbox);
	return (n);
}

/* The last delivery of op in channel with needle in its text, or NULL. */
static const struct delivery *
find(struct fixture *f, int op, const char *channel, const char *needle)
{
	size_t	 i;

	for (i = f->n; i > 0; i--) {
		if (f->d[i - 1].op == op && strcmp(f->d[i - 1].channel,
		    channel) == 0 && (needle == NULL || (f->d[i - 1].text !=
		    NULL && strstr(f->d[i - 1].text, needle) != NULL)))
			return (&f->d[i - 1]);
	}
	return (NULL);
}

static void
get_page(struct fixture *f, int64_t id, struct store_page *p)
{
	assert_int_equal(store_page_get(f->bot.store, id, p), 1);
}

/* Opens page 1 for rotation with text and returns its opening time. */
static int64_t
open_page(struct fixture *f, const char *text)
{
	struct store_page	 p;
	int64_t			 t0;

	say(f, "C0OPS", "U0REQ", NULL, text);
	get_page(f, 1, &p);
	t0 = p.opened_ms;
	store_page_release(&p);
	return (t0);
}

/* --- the config --- */

static void
test_policy_config(void **state)
{
	struct fixture			*f = *state;
	const struct esc_policy		*p;

	(void)f;
	p = policy_find(f->bot.cfg, "strict");
	assert_non_null(p);
	assert_int_equal(p->ack_ms, 5 * MIN_MS);
	assert_int_equal(p->nsteps, 4);
	assert_int_equal(p->steps[0].action, PAGE_REMIND);
	assert_int_equal(p->steps[1].action, PAGE_NEXT);
	assert_int_equal(p->steps[2].action, PAGE_POST);
	assert_string_equal(p->steps[2].arg, "C0LEADS");
	assert_int_equal(p->steps[3].after_ms, 6 * MIN_MS);
	/* not configured: the built-in default of 001_* */
	p = policy_find(f->bot.cfg, "default");
	assert_ptr_equal(p, &policy_default);
	assert_int_equal(p->ack_ms, 15 * MIN_MS);
	assert_int_equal(p->steps[0].after_ms, 10 * MIN_MS);
	assert_int_equal(p->steps[0].action, PAGE_REMIND);
	assert_int_equal(p->steps[1].after_ms, 15 * MIN_MS);
	assert_int_equal(p->steps[1].action, PAGE_MANAGER);
	assert_int_equal(p->help[0].action, PAGE_ADMIN);
	assert_int_equal(p->help[2].action, PAGE_VENDOR);
	assert_string_equal(p->help[2].arg, "hashicorp");
	assert_null(policy_find(f->bot.cfg, "nonesuch"));
	assert_ptr_equal(policy_find(f->bot.cfg, NULL), &policy_default);
}

static void
config_error(const char *yaml, const char *want)
{
	struct config	*cfg = config_new();
	char		*cause = NULL;

	assert_int_equal(config_load_string(cfg, "t.yaml", yaml, strlen(yaml),
	    &cause), -1);
	if (strstr(cause, want) == NULL)
		fail_msg("want '%s' in '%s'", want, cause);
	free(cause);
	config_free(cfg);
}

static void
test_policy_config_errors(void **state)
{
	char	*ref = NULL;
	size_t	 len = 0;
	FILE	*mem;

	(void)state;
	config_error("escalation_policies: 3\n",
	    "t.yaml:1:22: escalation_policies: expected a list of policies");
	config_error("escalation_policies:\n  - name: a\n",
	    "t.yaml:2:5: escalation_policies[0].steps: missing");
	config_error("escalation_policies:\n  - steps: []\n",
	    "escalation_policies[0].name: missing");
	config_error("escalation_policies:\n  - name: a\n    steps:\n"
	    "      - {after: 10x, action: remind}\n",
	    "t.yaml:4:17: escalation_policies[0].steps[0].after: '10x' is "
	    "not a duration");
	config_error("escalation_policies:\n  - name: a\n    steps:\n"
	    "      - {after: 1m, action: shout}\n",
	    "t.yaml:4:29: escalation_policies[0].steps[0].action: 'shout' is "
	    "not one of remind, next, manager, admin");
	config_error("escalation_policies:\n  - name: a\n    steps:\n"
	    "      - {after: 1m, action: remind, post: \"#x\"}\n",
	    "steps[0].post: a step does one thing");
	config_error("escalation_policies:\n  - name: a\n    steps:\n"
	    "      - {action: remind}\n",
	    "t.yaml:4:9: escalation_policies[0].steps[0]: missing after:");
	config_error("escalation_policies:\n  - name: a\n    steps:\n"
	    "      - {after: 5m, action: remind}\n"
	    "      - {after: 1m, action: manager}\n",
	    "step 1 comes before step 0");
	config_error("escalation_policies:\n  - name: a\n    steps: []\n"
	    "    ack_deadline: 0\n",
	    "escalation_policies[0].ack_deadline: '0' is not a duration");
	config_error("escalation_policies:\n  - name: a\n    steps: []\n"
	    "    business_hours: {days: mon-xyz, hours: \"08:00-18:00\"}\n",
	    "business_hours.days: 'mon-xyz' is not days");
	config_error("escalation_policies:\n  - name: a\n    steps: []\n"
	    "  - name: a\n    steps: []\n", "'a' is listed twice");
	config_error("escalation_policies:\n  - name: a\n    steps: []\n"
	    "    colour: red\n", "t.yaml:4:5: escalation_policies: "
	    "escalation_policies[0]: unknown key 'colour'");
	config_error("escalation_policies:\n  - name: a\n    steps:\n"
	    "      - {after: 1m, action: remind, only: weekends}\n",
	    "the only condition is `critical`");

	/* a vendor: no runbook has: -n says where */
	{
		static const char	 y[] = "escalation_policies:\n"
		    "  - name: a\n    steps:\n"
		    "      - {after: 1m, vendor: nonesuch}\n";
		struct config		*cfg = config_new();
		struct runbook_set	*rb, *none;
		char			*cause = NULL;

		rb = runbook_set_load_string("escalation.md", runbook_md,
		    strlen(runbook_md), NULL);
		none = runbook_set_load_string("t.md", "# T\n\ntext\n", 11,
		    NULL);
		assert_int_equal(policy_check_vendors(cfg, rb, "t.yaml",
		    &cause), 0);
		/* no rotation names a policy that is not there */
		assert_int_equal(page_rota_check_policies(cfg, "t.yaml",
		    &cause), 0);
		/* the built-in default without its section: logged only */
		assert_int_equal(policy_check_vendors(cfg, none, "t.yaml",
		    &cause), 0);
		assert_int_equal(config_load_string(cfg, "t.yaml", y,
		    strlen(y), &cause), 0);
		assert_int_equal(policy_check_vendors(cfg, rb, "t.yaml",
		    &cause), -1);
		assert_string_equal(cause, "t.yaml:4:9: escalation_policies: "
		    "policy 'a': vendor 'nonesuch' names no escalation "
		    "section of the runbooks (`!escalate nonesuch` finds "
		    "none)");
		free(cause);
		runbook_set_free(none);
		runbook_set_free(rb);
		config_free(cfg);
	}

	mem = open_memstream(&ref, &len);
	config_print_reference(mem);
	fclose(mem);
	assert_non_null(strstr(ref, "# escalation_policies\n"));
	assert_non_null(strstr(ref, "ack_deadline"));
	free(ref);
}

/* --- the timeline --- */

static void
test_plan_default(void **state)
{
	struct fixture		*f = *state;
	struct page_rota	 r;
	struct page_plan	 plan;
	const int64_t		 t0 = INT64_C(1785000000000);

	assert_int_equal(page_rota_get(&f->bot, "vault", &r), 1);
	page_plan_make(&f->bot, &r, &policy_default, PAGE_PHASE_PAGE, t0, 0,
	    &plan);
	assert_int_equal(plan.ack_due_ms, t0 + 15 * MIN_MS);
	assert_string_equal(plan.oncall, "U0ON");
	assert_int_equal(plan.n, 2);
	assert_int_equal(plan.v[0].due_ms, t0 + 10 * MIN_MS);
	assert_string_equal(plan.v[0].targets.v[0], "U0ON");
	assert_int_equal(plan.v[1].due_ms, t0 + 15 * MIN_MS);
	assert_string_equal(plan.v[1].targets.v[0], "U0MGR");
	assert_null(plan.v[1].why);
	page_plan_release(&plan);

	/* needhelp, not critical: the vendor step is not this page's */
	page_plan_make(&f->bot, &r, &policy_default, PAGE_PHASE_HELP, t0, 0,
	    &plan);
	assert_int_equal(plan.n, 3);
	assert_int_equal(plan.v[0].due_ms, t0);
	assert_string_equal(plan.v[0].targets.v[0], "C0ADMIN");
	assert_int_equal(plan.v[1].due_ms, t0 + 10 * MIN_MS);
	assert_int_equal(plan.v[2].excluded, 1);
	page_plan_release(&plan);
	page_plan_make(&f->bot, &r, &policy_default, PAGE_PHASE_HELP, t0, 1,
	    &plan);
	assert_int_equal(plan.v[2].excluded, 0);
	assert_string_equal(plan.v[2].targets.v[0], "hashicorp");
	page_plan_release(&plan);
	page_rota_release(&r);

	/* nobody on call, no manager, no admin channel: skipped at once */
	assert_int_equal(page_rota_get(&f->bot, "bare", &r), 1);
	page_plan_make(&f->bot, &r, &policy_default, PAGE_PHASE_PAGE, t0, 0,
	    &plan);
	assert_null(plan.oncall);
	assert_string_equal(plan.v[0].why, "nobody is on call");
	assert_string_equal(plan.v[1].why, "the rotation has no manager");
	page_plan_release(&plan);
	page_rota_release(&r);
}

static void
test_dry_run(void **state)
{
	struct fixture		*f = *state;
	const struct delivery	*d;

	say(f, "C0OPS", "U0REQ", NULL, "!page --dry-run --critical vault "
	    "vault sealed in production");
	d = find(f, POST_MESSAGE, "C0OPS", "Dry run");
	assert_non_null(d);
	assert_non_null(strstr(d->text, "nothing was posted"));
	assert_non_null(strstr(d->text, "mentioning <@U0ON>"));
	assert_non_null(strstr(d->text, "(critical)"));
	assert_non_null(strstr(d->text, "vault sealed in production"));
	assert_non_null(strstr(d->text, "(UTC): remind <@U0ON>"));
	assert_non_null(strstr(d->text, "(UTC): mention the manager <@U0MGR>"));
	assert_non_null(strstr(d->text, "ask for help with @here in <#C0ADMIN>"));
	assert_non_null(strstr(d->text, "`escalate hashicorp`"));
	/* nothing paged: no page, no timer, only the answer posted */
	assert_int_equal(store_page_get(f->bot.store, 1, &(struct store_page){
	    0 }), 0);
	assert_int_equal(fire(f, clock_wall_ms() + 60 * MIN_MS), 0);
	assert_int_equal(f->n, 1);
	assert_null(find(f, POST_MESSAGE, "C0VAULT", NULL));
}

/* --- the flow --- */

static void
test_page_remind_manager(void **state)
{
	struct fixture		*f = *state;
	const struct delivery	*msg, *d;
	struct store_page	 p;
	int64_t			 t0, audits;
	char			*args;

	t0 = open_page(f, "!page vault vault sealed in production");
	msg = find(f, POST_MESSAGE, "C0VAULT", "*Page #1*");
	assert_non_null(msg);
	assert_null(msg->thread_ts);
	assert_non_null(strstr(msg->text, "On call: <@U0ON>"));
	assert_non_null(strstr(msg->text, "Acknowledge by "));
	assert_non_null(strstr(msg->text, "15 min left"));
	assert_non_null(strstr(msg->text, "`!ack 1`"));
	assert_non_null(find(f, POST_MESSAGE, "C0OPS", "Page *#1* posted"));

	/* 9 minutes: nothing */
	audits = store_audit_count(f->bot.store);
	assert_int_equal(fire(f, t0 + 9 * MIN_MS), 0);
	/* 10 minutes: the reminder in the page's thread, message updated */
	assert_int_equal(fire(f, t0 + 10 * MIN_MS), 1);
	d = find(f, POST_MESSAGE, "C0VAULT", "reminder");
	assert_non_null(d);
	assert_string_equal(d->thread_ts, msg->ts);
	assert_non_null(strstr(d->text, "<@U0ON>"));
	assert_null(strstr(d->text, "Late"));
	d = find(f, POST_UPDATE, "C0VAULT", "5 min left");
	assert_non_null(d);
	assert_string_equal(d->target_ts, msg->ts);
	/* the ts was learnt: a reply in the thread finds the page */
	get_page(f, 1, &p);
	assert_string_equal(p.ts, msg->ts);
	store_page_release(&p);
	/* 15 minutes: the manager */
	assert_int_equal(fire(f, t0 + 15 * MIN_MS), 1);
	d = find(f, POST_MESSAGE, "C0VAULT", "<@U0MGR>");
	assert_non_null(d);
	assert_string_equal(d->thread_ts, msg->ts);
	assert_non_null(strstr(d->text, "was not acknowledged by its "
	    "deadline"));
	assert_non_null(find(f, POST_UPDATE, "C0VAULT", "deadline has "
	    "passed"));
	/* each step once: nothing later */
	assert_int_equal(fire(f, t0 + 120 * MIN_MS), 0);
	/* each step an audit row */
	assert_int_equal(store_audit_count(f->bot.store), audits + 2);
	assert_non_null(args = store_audit_last_args_new(f->bot.store));
	assert_string_equal(args, "page 1: policy step 2: manager");
	free(args);
}

static void
test_ack_stops(void **state)
{
	struct fixture		*f = *state;
	const struct delivery	*msg, *d;
	struct store_page	 p;
	size_t			 n;
	int64_t			 t0;

	t0 = open_page(f, "!page vault high the vault is slow");
	msg = find(f, POST_MESSAGE, "C0VAULT", "*Page #1*");
	assert_non_null(strstr(msg->text, "(high)"));
	/* not a member: refused, nothing changed */
	say(f, "C0VAULT", "U0REQ", msg->ts, "!ack");
	assert_non_null(find(f, POST_MESSAGE, "C0VAULT", "Only members of "
	    "the *vault* rotation may acknowledge page #1"));
	get_page(f, 1, &p);
	assert_int_equal(p.state, PAGE_OPEN);
	store_page_release(&p);
	/* a member, in the thread, without the id */
	say(f, "C0VAULT", "U0MEMBER", msg->ts, "!ack");
	assert_non_null(find(f, POST_MESSAGE, "C0VAULT", "Page #1 "
	    "acknowledged by <@U0MEMBER>, under a minute after the page"));
	d = find(f, POST_UPDATE, "C0VAULT", "Acknowledged by <@U0MEMBER>");
	assert_non_null(d);
	/* the reply and the page message say the same time */
	assert_non_null(strstr(d->text, ", under a minute after the page."));
	assert_string_equal(d->target_ts, msg->ts);
	get_page(f, 1, &p);
	assert_int_equal(p.state, PAGE_ACKED);
	assert_string_equal(p.acked_by, "U0MEMBER");
	store_page_release(&p);
	/* the steps stopped: nothing fires, nothing is posted */
	n = f->n;
	assert_int_equal(fire(f, t0 + 60 * MIN_MS), 0);
	assert_int_equal(f->n, n);
	/* a second ack says who did */
	say(f, "C0OPS", "U0ON", NULL, "!ack 1");
	assert_non_null(find(f, POST_MESSAGE, "C0OPS", "acknowledged "
	    "already, by <@U0MEMBER>"));
	/* resolve with a note; then ack says it is resolved */
	say(f, "C0OPS", "U0ON", NULL, "!resolve #1 unsealed with 3 keys");
	assert_non_null(find(f, POST_MESSAGE, "C0OPS", "Page #1 resolved"));
	assert_non_null(find(f, POST_UPDATE, "C0VAULT", "unsealed with 3 "
	    "keys"));
	say(f, "C0OPS", "U0ON", NULL, "!ack 1");
	assert_non_null(find(f, POST_MESSAGE, "C0OPS", "resolved already"));
	say(f, "C0OPS", "U0ON", NULL, "!ack 99");
	assert_non_null(find(f, POST_MESSAGE, "C0OPS", "no page #99"));
	say(f, "C0OPS", "U0ON", NULL, "!ack");
	assert_non_null(find(f, POST_MESSAGE, "C0OPS", "Which page?"));
}

/*
 * No id and no thread (the console, a slash command): the channel's one
 * page still open is meant; with two open, the bot asks which.
 */
static void
test_ack_only_open(void **state)
{
	struct fixture		*f = *state;
	struct store_page	 p;

	open_page(f, "!page vault high the vault is slow");
	open_page(f, "!page vault high the vault is slower");
	say(f, "C0VAULT", "U0MEMBER", NULL, "!ack");
	assert_non_null(find(f, POST_MESSAGE, "C0VAULT", "Which page?"));
	say(f, "C0VAULT", "U0MEMBER", NULL, "!resolve 1 a duplicate");
	say(f, "C0VAULT", "U0MEMBER", NULL, "!ack");
	assert_non_null(find(f, POST_MESSAGE, "C0VAULT", "Page #2 "
	    "acknowledged by <@U0MEMBER>"));
	get_page(f, 2, &p);
	assert_int_equal(p.state, PAGE_ACKED);
	store_page_release(&p);
	/* elsewhere there is no page to mean */
	say(f, "C0OPS", "U0MEMBER", NULL, "!resolve");
	assert_non_null(find(f, POST_MESSAGE, "C0OPS", "Which page?"));
}

static void
test_skip_empty_targets(void **state)
{
	struct fixture		*f = *state;
	const struct delivery	*msg;
	struct store_page_step	*v = NULL;
	size_t			 n = 0, i;

	say(f, "C0OPS", "U0REQ", NULL, "!page bare the vault is slow");
	msg = find(f, POST_MESSAGE, "C0BARE", "*Page #1*");
	assert_non_null(msg);
	assert_non_null(strstr(msg->text, "On call: *nobody*"));
	assert_non_null(strstr(msg->text, "Skipped at once: the remind step "
	    "(nobody is on call)"));
	assert_non_null(strstr(msg->text, "Skipped at once: the manager step "
	    "(the rotation has no manager)"));
	assert_int_equal(store_page_steps(f->bot.store, 1, &v, &n), 2);
	for (i = 0; i < n; i++) {
		assert_int_equal(v[i].skipped, 1);
		assert_int_equal(v[i].timer, 0);
		store_page_step_release(&v[i]);
	}
	free(v);
	/* nothing armed: nothing waits out the delays */
	assert_int_equal(fire(f, clock_wall_ms() + 60 * MIN_MS), 0);
}

/* On call at the opening, nobody at the reminder: skipped, said there. */
static void
test_skip_at_fire(void **state)
{
	struct fixture		*f = *state;
	const struct delivery	*msg, *d;
	int64_t			 t0 = clock_wall_ms();

	rotas[0].until_ms = t0 + 5 * MIN_MS;	/* an empty override after */
	say(f, "C0OPS", "U0REQ", NULL, "!page vault vault sealed");
	msg = find(f, POST_MESSAGE, "C0VAULT", "*Page #1*");
	assert_non_null(strstr(msg->text, "On call: <@U0ON>"));
	/* the plan saw nobody at +10m: skipped at once, the manager kept */
	assert_non_null(strstr(msg->text, "Skipped at once: the remind step "
	    "(nobody is on call)"));
	/* a step armed, then its target gone by its time */
	rotas[0].manager = NULL;
	assert_int_equal(fire(f, t0 + 16 * MIN_MS), 1);
	d = find(f, POST_MESSAGE, "C0VAULT", "the manager step is skipped");
	assert_non_null(d);
	assert_string_equal(d->thread_ts, msg->ts);
	assert_non_null(strstr(d->text, "the rotation has no manager"));
}

/* A restart between the steps neither repeats nor skips one. */
static void
test_restart_once(void **state)
{
	struct fixture		*f = *state;
	const struct delivery	*d;
	struct store_page_step	*v = NULL;
	size_t			 n = 0, i, before;
	int			 fd;
	int64_t			 t0;

	snprintf(f->dbpath, sizeof f->dbpath, "/tmp/test_page.XXXXXX");
	assert_true((fd = mkstemp(f->dbpath)) >= 0);
	close(fd);
	unlink(f->dbpath);
	bot_close(f);
	bot_open(f, f->dbpath);
	t0 = open_page(f, "!page vault vault sealed");
	assert_int_equal(fire(f, t0 + 10 * MIN_MS), 1);
	assert_non_null(find(f, POST_MESSAGE, "C0VAULT", "reminder"));
	/* stopped; started again 7 minutes later: the manager, late */
	bot_close(f);
	bot_open(f, f->dbpath);
	before = f->n;
	assert_int_equal(fire(f, t0 + 17 * MIN_MS), 1);
	d = find(f, POST_MESSAGE, "C0VAULT", "<@U0MGR>");
	assert_non_null(d);
	assert_non_null(strstr(d->text, "_Late: opsbot was not running"));
	/* the reminder was not repeated */
	for (i = before; i < f->n; i++)
		assert_null(strstr(f->d[i].text, "reminder"));
	/* and again: nothing */
	bot_close(f);
	bot_open(f, f->dbpath);
	assert_int_equal(fire(f, t0 + 30 * MIN_MS), 0);
	assert_int_equal(store_page_steps(f->bot.store, 1, &v, &n), 2);
	assert_int_equal(v[0].late, 0);
	assert_true(v[0].fired_ms > 0);
	assert_int_equal(v[1].late, 1);
	for (i = 0; i < n; i++)
		store_page_step_release(&v[i]);
	free(v);
}

static void
test_needhelp_critical(void **state)
{
	struct fixture		*f = *state;
	const struct delivery	*msg, *d;
	struct store_page	 p;
	int64_t			 t1;

	open_page(f, "!page --critical vault vault sealed in production");
	msg = find(f, POST_MESSAGE, "C0VAULT", "*Page #1*");
	assert_non_null(strstr(msg->text, "(critical)"));
	say(f, "C0VAULT", "U0ON", msg->ts, "!ack");
	say(f, "C0VAULT", "U0ON", msg->ts, "!needhelp");
	assert_non_null(find(f, POST_MESSAGE, "C0VAULT", "Asking for help "
	    "with page #1"));
	get_page(f, 1, &p);
	t1 = p.needhelp_ms;
	assert_true(t1 > 0);
	store_page_release(&p);
	/* the admin channel at once, with @here */
	assert_int_equal(fire(f, t1), 1);
	d = find(f, POST_MESSAGE, "C0ADMIN", "<!here>");
	assert_non_null(d);
	assert_non_null(strstr(d->text, "needs help"));
	assert_non_null(strstr(d->text, "<#C0VAULT>"));
	/* 10 minutes: the manager and the vendor text, in the thread */
	assert_int_equal(fire(f, t1 + 10 * MIN_MS), 2);
	d = find(f, POST_MESSAGE, "C0VAULT", "<@U0MGR>");
	assert_non_null(d);
	assert_non_null(strstr(d->text, "help was asked for"));
	assert_non_null(find(f, POST_MESSAGE, "C0VAULT", "as `!escalate "
	    "hashicorp` shows it"));
	assert_non_null(find(f, POST_MESSAGE, "C0VAULT", "urgent HashiCorp "
	    "ticket"));
	/* needhelp once */
	say(f, "C0VAULT", "U0ON", msg->ts, "!needhelp");
	assert_non_null(find(f, POST_MESSAGE, "C0VAULT", "asked for "
	    "already"));
}

/*
 * An answer in the thread of the call for help (001_*: "if you get no
 * response after 10 minutes, contact your manager") stops the manager's
 * step; the person on call talking there is no answer.
 */
static void
test_needhelp_answered(void **state)
{
	struct fixture		*f = *state;
	const struct delivery	*msg, *d;
	struct store_page	 p;
	int64_t			 t1;
	size_t			 n;

	open_page(f, "!page vault vault is slow");
	msg = find(f, POST_MESSAGE, "C0VAULT", "*Page #1*");
	say(f, "C0VAULT", "U0ON", msg->ts, "!ack");
	say(f, "C0VAULT", "U0ON", msg->ts, "!needhelp");
	get_page(f, 1, &p);
	t1 = p.needhelp_ms;
	store_page_release(&p);
	assert_int_equal(fire(f, t1), 1);
	d = find(f, POST_MESSAGE, "C0ADMIN", "<!here>");
	assert_non_null(d);
	/* the asker in the thread, a reply in another thread, a message
	   at the top level: no answer, nothing said */
	n = f->n;
	assert_int_equal(say_result(f, "C0ADMIN", "U0ON", d->ts, "anyone?"),
	    GATE_HANDLED);
	assert_int_equal(say_result(f, "C0ADMIN", "U0REQ", "1.000001", "hi"),
	    GATE_HANDLED);
	/* top level: not even claimed, no transaction */
	assert_int_equal(say_result(f, "C0ADMIN", "U0REQ", NULL, "hello"),
	    GATE_IGNORED);
	assert_int_equal(f->n, n);
	/* someone else answers in the thread */
	assert_int_equal(say_result(f, "C0ADMIN", "U0REQ", d->ts, "on my way"),
	    GATE_HANDLED);
	assert_non_null(find(f, POST_MESSAGE, "C0ADMIN", "page #1 has an "
	    "answer, so its manager will not be called"));
	assert_non_null(find(f, POST_MESSAGE, "C0VAULT", "answered the call "
	    "for help in <#C0ADMIN>"));
	assert_int_equal(f->n, n + 2);
	/* 10 minutes on: the manager is not called */
	n = f->n;
	assert_int_equal(fire(f, t1 + 10 * MIN_MS), 0);
	assert_int_equal(f->n, n);
	/* a second answer changes nothing more */
	n = f->n;
	assert_int_equal(say_result(f, "C0ADMIN", "U0MEMBER", d->ts, "me too"),
	    GATE_HANDLED);
	assert_int_equal(f->n, n);
}

static void
test_escalate_now(void **state)
{
	struct fixture		*f = *state;
	const struct delivery	*d;
	int64_t			 t0, now;

	t0 = open_page(f, "!page strict the vault is slow");
	say(f, "C0OPS", "U0MGR", NULL, "!escalate-now 1");
	assert_non_null(find(f, POST_MESSAGE, "C0OPS", "Escalating page #1 "
	    "now: policy step 1"));
	now = clock_wall_ms();
	assert_int_equal(fire(f, now), 1);
	assert_non_null(find(f, POST_MESSAGE, "C0STRICT", "reminder"));
	/* its time comes: not again; the next person at 4m */
	assert_int_equal(fire(f, t0 + 2 * MIN_MS), 0);
	assert_int_equal(fire(f, t0 + 4 * MIN_MS), 1);
	assert_non_null(find(f, POST_MESSAGE, "C0STRICT", "<@U0NEXT> you are "
	    "next"));
	/* post in another channel at 5m, manager at 6m */
	assert_int_equal(fire(f, t0 + 6 * MIN_MS), 2);
	d = find(f, POST_MESSAGE, "C0LEADS", "is not acknowledged");
	assert_non_null(d);
	assert_null(d->thread_ts);
	say(f, "C0OPS", "U0MGR", NULL, "!escalate-now 1");
	assert_non_null(find(f, POST_MESSAGE, "C0OPS", "no escalation step "
	    "left"));
	say(f, "C0OPS", "U0REQ", NULL, "!escalate-now 1");
	assert_non_null(find(f, POST_MESSAGE, "C0OPS", "Only members"));
}

/* A rotation channel written "#name" pages in its ID once learnt. */
static void
test_channel_name(void **state)
{
	struct fixture		*f = *state;
	const struct delivery	*msg;
	struct store_page	 p;

	f->bot.channels = channel_names_new(f->bot.store);
	channel_learn(&f->bot, "C0NAMED", "vault-pages");
	rotas[0].channel = "#Vault-Pages";
	open_page(f, "!page vault vault sealed");
	msg = find(f, POST_MESSAGE, "C0NAMED", "*Page #1*");
	assert_non_null(msg);
	/* a thread reply carries the ID: found by the message's ts */
	say(f, "C0NAMED", "U0ON", msg->ts, "!ack");
	get_page(f, 1, &p);
	assert_int_equal(p.state, PAGE_ACKED);
	assert_string_equal(p.channel, "C0NAMED");
	store_page_release(&p);
	assert_non_null(find(f, POST_UPDATE, "C0NAMED", "Acknowledged by"));
}

static void
test_page_errors(void **state)
{
	struct fixture	*f = *state;

	say(f, "C0OPS", "U0REQ", NULL, "!page nonesuch it broke");
	assert_non_null(find(f, POST_MESSAGE, "C0OPS", "no rotation named "
	    "`nonesuch`"));
	say(f, "C0OPS", "U0REQ", NULL, "!page --loud vault it broke");
	assert_non_null(find(f, POST_MESSAGE, "C0OPS", "Unknown option"));
	say(f, "C0OPS", "U0REQ", NULL, "!page vault critical");
	/* a severity word alone is the summary */
	assert_non_null(find(f, POST_MESSAGE, "C0VAULT", "(high): critical"));
	assert_int_equal(store_page_get(f->bot.store, 2, &(struct store_page){
	    0 }), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_policy_config, setup,
		    teardown),
		cmocka_unit_test(test_policy_config_errors),
		cmocka_unit_test_setup_teardown(test_plan_default, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_dry_run, setup, teardown),
		cmocka_unit_test_setup_teardown(test_page_remind_manager,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_ack_only_open, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ack_stops, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_skip_empty_targets, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_skip_at_fire, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_restart_once, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_needhelp_critical, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_needhelp_answered, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_escalate_now, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_channel_name, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_page_errors, setup,
		    teardown),
	};

	log_init(LOG_LVL_WARN, stderr);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
