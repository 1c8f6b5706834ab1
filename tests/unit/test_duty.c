/*
 * test_duty.c: on-call duties (bot/duty.h) with a real struct bot, the
 * real outbox and scheduler and a fake adapter; the clock is moved by
 * passing a later now to sched_fire_due. The `duties:` config and its
 * errors, due times (weekdays, weekends, a DST day in Europe/Berlin),
 * the nudge, `checked`, the Done button, the escalation of a missed
 * check, nobody on call, and each timer firing once.
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

#include "adapters/adapter.h"
#include "bot/bot.h"
#include "bot/clock.h"
#include "bot/config.h"
#include "bot/duty.h"
#include "bot/gate.h"
#include "bot/oncall.h"
#include "bot/outbox.h"
#include "bot/page.h"
#include "bot/sched.h"
#include "bot/ticket.h"
#include "bot/watch.h"
#include "store/store.h"
#include "tests/unit/test-util.h"

#define MIN_MS	INT64_C(60000)
#define HOUR_MS	(60 * MIN_MS)

static const char config_yaml[] =
    "timezone: UTC\n"
    "rotations:\n"
    "  - name: vault\n"
    "    members: [U0ON, U0OTHER]\n"
    "    shift: 56d\n"
    "    start: 2026-11-01\n"
    "    timezone: Europe/Berlin\n"
    "    channel: C0VAULT\n"
    "    managers: [U0MGR]\n"
    "    duties:\n"
    "      - name: general\n"
    "        what: \"Check #operator-vault-general for unanswered "
    "questions\"\n"
    "        channel: C0GENERAL\n"
    "        weekdays: [\"09:00\", \"13:00\", \"17:00\"]\n"
    "        weekends: [\"10:00\", \"18:00\"]\n"
    "      - name: backups\n"
    "        what: Look at last night's backup job\n"
    "        days: [mon]\n"
    "        times: \"09:00\"\n"
    "        missed_after: 30m\n"
    "      - name: gap\n"
    "        what: A time in the spring-forward gap\n"
    "        days: [sun]\n"
    "        times: [\"02:30\"]\n"
    "support:\n"
    "  - channel: C0SUP\n"
    "    tier: advanced\n"
    "    engineers: [U0ENG]\n"
    "    escalation_channel: C0ESC\n"
    "    page: {rotation: vault, at: 80%}\n"
    "  - channel: C0SUP2\n"
    "    tier: advanced\n"
    "    engineers: [U0ENG]\n"
    "    escalation_channel: C0ESC\n"
    "    page: {rotation: vault, at: 50%}\n"
    "watches:\n"
    "  - name: sealed\n"
    "    channel: C0GENERAL\n"
    "    patterns: [sealed]\n"
    "    text: A sealed Vault is an incident.\n"
    "    page: vault\n"
    "    page_severity: Critical\n"
    "  - name: quiet\n"
    "    channel: C0GENERAL\n"
    "    patterns: [unseal me]\n"
    "    page: vault\n";

struct delivery {
	char		*channel;
	char		*text;
	char		*blocks;
};

struct fixture {
	struct bot	 bot;
	struct adapter	 adapter;
	struct sched	 sc;
	struct delivery	 d[64];
	size_t		 n;
	int		 seq;
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
	snprintf(ts, sizeof ts, "1700000200.%06zu", f->n + 1);
	f->d[f->n].channel = dup_or_null(row->p.channel);
	f->d[f->n].text = dup_or_null(row->p.text);
	f->d[f->n].blocks = dup_or_null(row->p.blocks);
	f->n++;
	memset(&res, 0, sizeof res);
	res.v = POST_OK;
	res.ts = row->p.op == POST_MESSAGE ? ts : NULL;
	outbox_delivered(a->bot->outbox, token, &res);
	return (0);
}

static const struct adapter_ops fake_ops = {
	.name = "slack",
	.deliver = fake_deliver,
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
	f->adapter.ops = &fake_ops;
	f->adapter.ctx = f;
	f->adapter.bot = &f->bot;
	f->bot.adapter = &f->adapter;
	f->bot.store = store_open(":memory:", &cause);
	if (f->bot.store == NULL)
		fail_msg("store: %s", cause);
	f->bot.outbox = outbox_new(&f->bot);
	outbox_ready(f->bot.outbox, 1);
	sched_init(&f->sc, timer_kinds, timer_nkinds, &f->bot);
	f->bot.sched = &f->sc;
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
	for (i = 0; i < f->n; i++) {
		free(f->d[i].channel);
		free(f->d[i].text);
		free(f->d[i].blocks);
	}
	free(f);
	return (0);
}

/* A message (or, action_value set, a click) through the gate. */
static void
gate(struct fixture *f, const char *channel, const char *user,
    const char *text, const char *action_value)
{
	struct msg	 m;
	char		 ts[64], *ack = NULL;
	size_t		 nq;

	memset(&m, 0, sizeof m);
	m.adapter = "slack";
	m.channel = channel;
	m.user = user;
	m.text = text;
	snprintf(ts, sizeof ts, "1700000300.%06d", ++f->seq);
	m.ts = ts;
	m.bot_user_id = "U0BOT";
	if (action_value != NULL) {
		m.kind = MSG_ACTION;
		m.action_id = DUTY_BUTTON_ACTION;
		m.action_value = action_value;
		m.action_ts = ts;
	}
	assert_int_equal(gate_message(&f->bot, &m, &ack, &nq), GATE_HANDLED);
	free(ack);
	assert_false(store_in_transaction(f->bot.store));
	outbox_flush(f->bot.outbox);
}

static int
fire(struct fixture *f, int64_t now)
{
	int	 n;

	n = sched_fire_due(&f->sc, f->bot.store, now);
	outbox_flush(f->bot.outbox);
	return (n);
}

/* How many deliveries to channel have needle in their text. */
static int
count(struct fixture *f, const char *channel, const char *needle)
{
	size_t	 i;
	int	 n = 0;

	for (i = 0; i < f->n; i++) {
		if (strcmp(f->d[i].channel, channel) == 0 &&
		    f->d[i].text != NULL && strstr(f->d[i].text, needle) !=
		    NULL)
			n++;
	}
	return (n);
}

static const char *
last_text(struct fixture *f)
{
	assert_true(f->n > 0);
	return (f->d[f->n - 1].text);
}

static void
check_state(struct fixture *f, int64_t id, enum duty_state want,
    const char *note)
{
	struct store_duty_check	 c;

	assert_int_equal(store_duty_check_get(f->bot.store, id, &c), 1);
	assert_int_equal(c.state, want);
	if (note != NULL)
		assert_string_equal(c.note, note);
	store_duty_check_release(&c);
}

/* --- the schedule --- */

static void
test_next_due(void **state)
{
	struct fixture		*f = *state;
	const struct duty	*d, *b, *g;
	int64_t			 due;

	assert_int_equal(f->bot.cfg->nduties, 3);
	assert_non_null(d = duty_find(f->bot.cfg, "vault", "general"));
	assert_non_null(b = duty_find(f->bot.cfg, "vault", "backups"));
	assert_non_null(g = duty_find(f->bot.cfg, "vault", "gap"));
	assert_null(duty_find(f->bot.cfg, "vault", "nope"));
	assert_string_equal(duty_zone(&f->bot, d), "Europe/Berlin");
	assert_int_equal(d->missed_after_ms, HOUR_MS);
	assert_int_equal(b->missed_after_ms, 30 * MIN_MS);
	/* Monday 30 Nov 2026 09:00 CET is 08:00Z: strictly after it, 13:00 */
	assert_int_equal(duty_next_due(d, "Europe/Berlin",
	    test_utc_ms("2026-11-30T07:59:00Z"), &due), 0);
	assert_int_equal(due, test_utc_ms("2026-11-30T08:00:00Z"));
	assert_int_equal(duty_next_due(d, "Europe/Berlin",
	    test_utc_ms("2026-11-30T08:00:00Z"), &due), 0);
	assert_int_equal(due, test_utc_ms("2026-11-30T12:00:00Z"));
	/* Friday after 17:00: the weekend's 10:00, not Saturday 09:00 */
	assert_int_equal(duty_next_due(d, "Europe/Berlin",
	    test_utc_ms("2026-11-27T16:30:00Z"), &due), 0);
	assert_int_equal(due, test_utc_ms("2026-11-28T09:00:00Z"));
	/* Saturday after 10:00: 18:00; Sunday 18:00: then Monday 09:00 */
	assert_int_equal(duty_next_due(d, "Europe/Berlin",
	    test_utc_ms("2026-11-28T09:00:00Z"), &due), 0);
	assert_int_equal(due, test_utc_ms("2026-11-28T17:00:00Z"));
	assert_int_equal(duty_next_due(d, "Europe/Berlin",
	    test_utc_ms("2026-11-29T17:00:00Z"), &due), 0);
	assert_int_equal(due, test_utc_ms("2026-11-30T08:00:00Z"));
	/* DST day: Sunday 29 March 2026, 10:00 CEST is 08:00Z (not 09:00Z) */
	assert_int_equal(duty_next_due(d, "Europe/Berlin",
	    test_utc_ms("2026-03-28T17:30:00Z"), &due), 0);
	assert_int_equal(due, test_utc_ms("2026-03-29T08:00:00Z"));
	/* ... and the day before it, 18:00 CET is 17:00Z */
	assert_int_equal(duty_next_due(d, "Europe/Berlin",
	    test_utc_ms("2026-03-28T12:00:00Z"), &due), 0);
	assert_int_equal(due, test_utc_ms("2026-03-28T17:00:00Z"));
	/* 02:30 does not exist that night: as far past the gap, 03:30 CEST */
	assert_int_equal(duty_next_due(g, "Europe/Berlin",
	    test_utc_ms("2026-03-28T12:00:00Z"), &due), 0);
	assert_int_equal(due, test_utc_ms("2026-03-29T01:30:00Z"));
	/* days/times: Mondays only, a week ahead */
	assert_int_equal(duty_next_due(b, "Europe/Berlin",
	    test_utc_ms("2026-11-30T08:00:00Z"), &due), 0);
	assert_int_equal(due, test_utc_ms("2026-12-07T08:00:00Z"));
	/* a zone that is not one */
	assert_int_equal(duty_next_due(b, "Nowhere/Atlantis",
	    test_utc_ms("2026-11-30T08:00:00Z"), &due), -1);
}

static void
config_error(const char *duties, const char *want)
{
	struct config	*cfg = config_new();
	struct buf	 b = { NULL, 0, 0 };
	char		*cause = NULL;

	buf_adds(&b, "rotations:\n"
	    "  - name: vault\n"
	    "    members: [U0ON]\n"
	    "    shift: daily\n"
	    "    start: 2026-01-01\n"
	    "    timezone: UTC\n"
	    "    duties:\n");
	buf_adds(&b, duties);
	assert_int_not_equal(config_load_string(cfg, "t.yaml", buf_str(&b),
	    b.len, &cause), 0);
	assert_non_null(cause);
	if (strstr(cause, want) == NULL)
		fail_msg("got '%s', want '%s'", cause, want);
	free(cause);
	buf_reset(&b);
	config_free(cfg);
}

static void
test_config_errors(void **state)
{
	(void)state;
	config_error("      - {name: a, what: x, weekdays: [\"25:00\"]}\n",
	    "t.yaml:8:39: rotations[0].duties[0].weekdays: '25:00' is not "
	    "a time of day");
	config_error("      - {name: a, what: x}\n",
	    "t.yaml:8:9: rotations[0].duties[0]: missing: the schedule");
	config_error("      - {name: a, weekdays: \"09:00\"}\n",
	    "rotations[0].duties[0].what: missing");
	config_error("      - {name: a, what: x, weekdays: \"09:00\", "
	    "colour: red}\n", "t.yaml:8:47: rotations[0].duties[0]: unknown "
	    "key 'colour'");
	config_error("      - {name: a, what: x, weekdays: \"09:00\", "
	    "days: [mon], times: \"10:00\"}\n", "not both");
	config_error("      - {name: a, what: x, days: [mon]}\n",
	    "rotations[0].duties[0].times: missing: days and times go "
	    "together");
	config_error("      - {name: a, what: x, days: [moon], times: "
	    "\"10:00\"}\n", "'moon' is not a weekday");
	config_error("      - {name: A!, what: x, weekdays: \"09:00\"}\n",
	    "rotations[0].duties[0].name: 'A!'");
	config_error("      - {name: a, what: x, weekdays: \"09:00\", "
	    "missed_after: soon}\n", "missed_after: 'soon' is not a "
	    "duration");
	config_error("      - {name: a, what: x, weekdays: \"09:00\"}\n"
	    "      - {name: a, what: y, weekdays: \"10:00\"}\n",
	    "t.yaml:9:9: rotations[0].duties[1].name: 'a' is listed twice");
	config_error("      name: a\n", "rotations[0].duties: expected a "
	    "list of duties");
}

/* --- nudges, checks, escalation --- */

/* Arms at from and fires the first occurrence: the general duty due. */
static void
arm(struct fixture *f, int64_t from)
{
	assert_int_equal(duty_arm_all(&f->bot, from), 0);
	/* twice: nothing more is armed */
	assert_int_equal(duty_arm_all(&f->bot, from), 0);
}

static void
test_nudge_checked(void **state)
{
	struct fixture	*f = *state;
	int64_t		 due = test_utc_ms("2026-12-01T08:00:00Z");	/* Tue */

	arm(f, due - HOUR_MS);
	assert_int_equal(fire(f, due - 1), 0);
	assert_int_equal(fire(f, due), 1);
	assert_int_equal(count(f, "C0VAULT", "<@U0ON> on-call duty "
	    "*general*"), 1);
	assert_non_null(strstr(last_text(f), ": Check #operator-vault-general "
	    "for unanswered questions (<#C0GENERAL>)."));
	assert_non_null(f->d[f->n - 1].blocks);
	assert_non_null(strstr(f->d[f->n - 1].blocks, "duty-done:1"));
	check_state(f, 1, DUTY_PENDING, NULL);
	/* fired again (a restart): nothing more */
	assert_int_equal(fire(f, due), 0);
	assert_int_equal(count(f, "C0VAULT", "on-call duty"), 1);

	/* someone who is not in the rotation may not */
	gate(f, "C0VAULT", "U0STRANGER", "!checked", NULL);
	assert_non_null(strstr(last_text(f), "Only members of the *vault*"));
	check_state(f, 1, DUTY_PENDING, NULL);
	gate(f, "C0VAULT", "U0ON", "!checked all quiet", NULL);
	assert_non_null(strstr(last_text(f), "*general* due "));
	assert_non_null(strstr(last_text(f), "checked by <@U0ON>: all "
	    "quiet"));
	check_state(f, 1, DUTY_DONE, "all quiet");
	gate(f, "C0VAULT", "U0ON", "!checked", NULL);
	assert_non_null(strstr(last_text(f), "No duty of *vault* is "
	    "waiting"));
	/* no reminder, no manager */
	fire(f, due + 3 * HOUR_MS);
	assert_int_equal(count(f, "C0VAULT", "reminder"), 0);
	assert_int_equal(count(f, "C0VAULT", "U0MGR"), 0);
	/* the next occurrence (13:00 CET) was armed and nudges */
	assert_int_equal(count(f, "C0VAULT", "on-call duty *general*"), 1);
	fire(f, test_utc_ms("2026-12-01T12:00:00Z"));
	assert_int_equal(count(f, "C0VAULT", "on-call duty *general*"), 2);
}

static void
test_button(void **state)
{
	struct fixture	*f = *state;
	int64_t		 due = test_utc_ms("2026-12-01T08:00:00Z");

	arm(f, due - HOUR_MS);
	fire(f, due);
	gate(f, "C0VAULT", "U0OTHER", NULL, "duty-done:1");
	assert_non_null(strstr(last_text(f), "checked by <@U0OTHER>"));
	check_state(f, 1, DUTY_DONE, NULL);
	/* a second click says so */
	gate(f, "C0VAULT", "U0ON", NULL, "duty-done:1");
	assert_non_null(strstr(last_text(f), "was done already"));
	gate(f, "C0VAULT", "U0ON", NULL, "duty-done:99");
	assert_non_null(strstr(last_text(f), "There is no duty check #99"));
}

static void
test_missed_escalates(void **state)
{
	struct fixture	*f = *state;
	int64_t		 due = test_utc_ms("2026-12-01T08:00:00Z");
	int64_t		 before;

	arm(f, due - HOUR_MS);
	fire(f, due);
	before = store_audit_count(f->bot.store);
	fire(f, due + HOUR_MS - 1);
	assert_int_equal(count(f, "C0VAULT", "reminder"), 0);
	fire(f, due + HOUR_MS);
	assert_int_equal(count(f, "C0VAULT", "<@U0ON> reminder: on-call "
	    "duty *general*"), 1);
	check_state(f, 1, DUTY_PENDING, NULL);
	fire(f, due + 2 * HOUR_MS);
	assert_int_equal(count(f, "C0VAULT", "<@U0MGR> on-call duty "
	    "*general*"), 1);
	assert_non_null(strstr(last_text(f), "was not checked by <@U0ON>: "
	    "it is recorded missed"));
	check_state(f, 1, DUTY_MISSED, NULL);
	assert_int_equal(store_audit_count(f->bot.store), before + 2);
	/* too late now */
	gate(f, "C0VAULT", "U0ON", NULL, "duty-done:1");
	assert_non_null(strstr(last_text(f), "was missed already"));
}

/*
 * Down over the due time (09:00 CET): one nudge at start, late, and
 * the next occurrence (13:00 CET) armed; the reminder counts from the
 * late nudge, not from the due time (it would be at once).
 */
static void
test_late_nudge(void **state)
{
	struct fixture	*f = *state;
	int64_t		 due = test_utc_ms("2026-12-01T08:00:00Z");
	int64_t		 up = due + 3 * HOUR_MS + 30 * MIN_MS;

	arm(f, due - HOUR_MS);
	assert_int_equal(fire(f, up), 1);
	assert_int_equal(count(f, "C0VAULT", "on-call duty *general*"), 1);
	assert_non_null(strstr(last_text(f), "(due 09:00 Tue 1 Dec "
	    "(Europe/Berlin))"));
	assert_non_null(strstr(last_text(f), "_Late: "));
	assert_int_equal(count(f, "C0VAULT", "reminder"), 0);
	/* 13:00 CET: the next nudge; still no reminder for the first */
	fire(f, up + HOUR_MS - 1);
	assert_int_equal(count(f, "C0VAULT", "on-call duty *general*"), 2);
	assert_int_equal(count(f, "C0VAULT", "reminder"), 0);
	fire(f, up + HOUR_MS);
	assert_int_equal(count(f, "C0VAULT", "reminder: on-call duty "
	    "*general* (due 09:00"), 1);
}

/* A timer armed for a time the config no longer has nudges nobody. */
static void
test_config_changed(void **state)
{
	struct fixture	*f = *state;
	struct store_duty_check	 c;
	struct duty	*d;
	int64_t		 due = test_utc_ms("2026-12-01T08:00:00Z");

	arm(f, due - HOUR_MS);
	/* now Tuesdays at 09:30 CET only */
	d = (struct duty *)duty_find(f->bot.cfg, "vault", "general");
	assert_non_null(d);
	memset(d->ntimes, 0, sizeof d->ntimes);
	d->times[2][0] = 9 * 60 + 30;
	d->ntimes[2] = 1;
	assert_int_equal(fire(f, due), 1);
	assert_int_equal(count(f, "C0VAULT", "on-call duty"), 0);
	assert_int_equal(store_duty_check_get(f->bot.store, 1, &c), 0);
	fire(f, due + 30 * MIN_MS);
	assert_int_equal(count(f, "C0VAULT", "on-call duty *general* (due "
	    "09:30"), 1);
}

/* What `opsbot --config-reference` and the audit rows say. */
static void
test_reference_and_adapter(void **state)
{
	struct fixture	*f = *state;
	char		*text = NULL;
	size_t		 len = 0;
	FILE		*fp;

	assert_non_null(fp = open_memstream(&text, &len));
	duty_config_reference(fp);
	fclose(fp);
	assert_non_null(strstr(text, "missed_after"));
	assert_non_null(strstr(text, "weekends"));
	free(text);
	assert_string_equal(duty_adapter(&f->bot), "slack");
	f->bot.adapter = NULL;
	assert_string_equal(duty_adapter(&f->bot), "console");
	f->bot.adapter = &f->adapter;
}

static void
test_nobody_oncall(void **state)
{
	struct fixture		*f = *state;
	const struct rotation	*rot = rotation_find(f->bot.cfg, "vault");
	int64_t			 due = test_utc_ms("2026-12-01T08:00:00Z");

	assert_true(rotation_override_set(&f->bot, rot, "", due - HOUR_MS,
	    due + HOUR_MS, "U0MGR", due - 2 * HOUR_MS) > 0);
	arm(f, due - HOUR_MS);
	fire(f, due);
	assert_int_equal(count(f, "C0VAULT", "nobody is on call"), 1);
	check_state(f, 1, DUTY_MISSED, NULL);
	fire(f, due + 3 * HOUR_MS);
	assert_int_equal(count(f, "C0VAULT", "reminder"), 0);
}

static int
between_cb(const struct store_duty_check *c, void *arg)
{
	struct buf	*b = arg;

	buf_printf(b, "%s:%s;", c->duty, store_duty_state_name(c->state));
	return (0);
}

/* Two pending: `checked` takes the oldest, `checked <duty>` the one. */
static void
test_several_pending(void **state)
{
	struct fixture	*f = *state;
	struct buf	 b = { NULL, 0, 0 };
	int64_t		 mon = test_utc_ms("2026-11-30T08:00:00Z");

	arm(f, mon - HOUR_MS);
	fire(f, mon);		/* general and backups, both 09:00 CET */
	assert_int_equal(count(f, "C0VAULT", "on-call duty"), 2);
	gate(f, "C0VAULT", "U0ON", "!checked backups fine", NULL);
	assert_non_null(strstr(last_text(f), "*backups*"));
	gate(f, "C0VAULT", "U0ON", "!checked vault general", NULL);
	assert_non_null(strstr(last_text(f), "*general*"));
	assert_int_equal(store_duty_checks_between(f->bot.store, "vault",
	    mon, mon + 1, between_cb, &b), 2);
	assert_non_null(strstr(buf_str(&b), "general:done;"));
	assert_non_null(strstr(buf_str(&b), "backups:done;"));
	assert_int_equal(store_duty_checks_between(f->bot.store, "other",
	    mon, mon + 1, between_cb, &b), 0);
	buf_reset(&b);
}

/* --- a watch rule that pages --- */

static void
test_watch_pages(void **state)
{
	struct fixture		*f = *state;
	struct store_page	 p;
	struct msg		 m;
	int64_t			 id;

	gate(f, "C0GENERAL", "U0ASK", "is vault sealed in production?\n"
	    "more detail", NULL);
	/* the answer, and the page in the rotation's channel */
	assert_int_equal(count(f, "C0GENERAL", "A sealed Vault is an "
	    "incident"), 1);
	assert_int_equal(count(f, "C0VAULT", "<@U0ON>"), 1);
	assert_int_equal(store_page_get(f->bot.store, 1, &p), 1);
	assert_string_equal(p.rotation, "vault");
	assert_string_equal(p.summary, "sealed: is vault sealed in "
	    "production?");
	assert_string_equal(p.severity, "critical");
	assert_string_equal(p.opened_by, "watch:sealed");
	store_page_release(&p);
	/* within the cooldown: no second page */
	gate(f, "C0GENERAL", "U0ASK", "still sealed", NULL);
	assert_int_equal(store_page_get(f->bot.store, 2, &p), 0);
	/* the same message again (a retry past the dedupe): the same page */
	memset(&m, 0, sizeof m);
	m.adapter = "slack";
	m.channel = "C0GENERAL";
	m.user = "U0ASK";
	m.text = "is vault sealed in production?";
	m.ts = "1700000300.000001";
	assert_int_equal(store_begin(f->bot.store), 0);
	id = watch_page_open(&f->bot, &m, &f->bot.cfg->watches->rules[0],
	    clock_wall_ms());
	assert_int_equal(store_commit(f->bot.store), 0);
	assert_int_equal(id, 1);
	assert_int_equal(store_page_get(f->bot.store, 2, &p), 0);
	/* a rule with page: only: a page, no answer */
	gate(f, "C0GENERAL", "U0ASK", "please unseal me", NULL);
	assert_int_equal(count(f, "C0VAULT", "(high): quiet: please unseal "
	    "me"), 1);
	assert_int_equal(count(f, "C0VAULT", "Opened by watch:"), 2);
	assert_int_equal(count(f, "C0GENERAL", "unseal"), 0);
}

static void
test_watch_page_unknown(void **state)
{
	struct config	*cfg = config_new();
	static const char yaml[] =
	    "watches:\n"
	    "  - channel: C0GENERAL\n"
	    "    patterns: [sealed]\n"
	    "    page: nobody\n";
	char		*cause = NULL;

	(void)state;
	assert_int_not_equal(config_load_string(cfg, "t.yaml", yaml,
	    strlen(yaml), &cause), 0);
	assert_string_equal(cause, "t.yaml:4:11: watches: page: rule "
	    "'sealed' pages 'nobody', which is no rotation (rotations: lists "
	    "them)");
	free(cause);
	config_free(cfg);
}

/* --- a ticket's warning pages the support rotation --- */

static void
test_ticket_pages(void **state)
{
	struct fixture		*f = *state;
	struct store_ticket	 t;
	struct store_page	 p;

	gate(f, "C0SUP", "U0REQ", "cannot log in", NULL);
	assert_int_equal(store_ticket_get(f->bot.store, 1, &t), 1);
	assert_int_equal(fire(f, t.warn_ms - 1), 0);
	assert_int_equal(store_page_get(f->bot.store, 1, &p), 0);
	assert_int_equal(fire(f, t.warn_ms), 1);
	/* the warning, and the page in the rotation's channel */
	assert_int_equal(count(f, "C0ESC", "80%"), 1);
	assert_int_equal(count(f, "C0VAULT", "Ticket #1 (Medium) in C0SUP "
	    "has had no response for 80% of its response time"), 1);
	assert_int_equal(count(f, "C0VAULT", "<@U0ON>"), 1);
	assert_int_equal(store_page_get(f->bot.store, 1, &p), 1);
	assert_string_equal(p.opened_by, "ticket:1");
	assert_int_equal(p.state, PAGE_OPEN);
	store_page_release(&p);
	/* the breach pages nobody again */
	fire(f, t.due_ms);
	assert_int_equal(count(f, "C0ESC", "no response within"), 1);
	assert_int_equal(store_page_get(f->bot.store, 2, &p), 0);
	store_ticket_release(&t);
}

/* At 50%: a timer of its own pages before the warning, which does not. */
static void
test_ticket_pages_at_share(void **state)
{
	struct fixture		*f = *state;
	struct store_ticket	 t;
	struct store_page	 p;
	int64_t			 half;

	gate(f, "C0SUP2", "U0REQ", "cannot log in", NULL);
	assert_int_equal(store_ticket_get(f->bot.store, 1, &t), 1);
	/* Advanced, Medium: 8 h around the clock; 50% is 4 h */
	half = t.opened_ms + (t.due_ms - t.opened_ms) / 2;
	assert_int_equal(fire(f, half - 1), 0);
	assert_int_equal(fire(f, half), 1);
	assert_int_equal(count(f, "C0VAULT", "Ticket #1 (Medium) in C0SUP2 "
	    "has had no response for 50% of its response time"), 1);
	assert_int_equal(store_page_get(f->bot.store, 1, &p), 1);
	store_page_release(&p);
	fire(f, t.warn_ms);
	assert_int_equal(count(f, "C0ESC", "80%"), 1);
	assert_int_equal(store_page_get(f->bot.store, 2, &p), 0);
	store_ticket_release(&t);
}

/* Answered before the share: no page. */
static void
test_ticket_answered_no_page(void **state)
{
	struct fixture		*f = *state;
	struct store_ticket	 t;
	struct store_page	 p;
	char			 thread[64];

	gate(f, "C0SUP2", "U0REQ", "cannot log in", NULL);
	assert_int_equal(store_ticket_get(f->bot.store, 1, &t), 1);
	snprintf(thread, sizeof thread, "%s", t.thread_ts);
	{
		struct msg	 m;
		char		*ack = NULL;
		size_t		 nq;

		memset(&m, 0, sizeof m);
		m.adapter = "slack";
		m.channel = "C0SUP2";
		m.user = "U0ENG";
		m.text = "looking into it";
		m.ts = "1700000400.000001";
		m.thread_ts = thread;
		m.bot_user_id = "U0BOT";
		assert_int_equal(gate_message(&f->bot, &m, &ack, &nq),
		    GATE_HANDLED);
		free(ack);
		outbox_flush(f->bot.outbox);
	}
	fire(f, t.due_ms);
	assert_int_equal(store_page_get(f->bot.store, 1, &p), 0);
	assert_int_equal(count(f, "C0VAULT", "Ticket #1"), 0);
	store_ticket_release(&t);
}

static void
config_error_full(const char *yaml, const char *want)
{
	struct config	*cfg = config_new();
	char		*cause = NULL;

	assert_int_not_equal(config_load_string(cfg, "t.yaml", yaml,
	    strlen(yaml), &cause), 0);
	if (cause == NULL || strstr(cause, want) == NULL)
		fail_msg("got '%s', want '%s'", cause, want);
	free(cause);
	config_free(cfg);
}

static void
test_ticket_page_errors(void **state)
{
	(void)state;
	config_error_full("support:\n"
	    "  - channel: C0SUP\n"
	    "    engineers: [U0ENG]\n"
	    "    escalation_channel: C0ESC\n"
	    "    page: {rotation: nobody}\n",
	    "t.yaml:5:22: support: page: C0SUP pages 'nobody', which is no "
	    "rotation");
	config_error_full("support:\n"
	    "  - channel: C0SUP\n"
	    "    engineers: [U0ENG]\n"
	    "    escalation_channel: C0ESC\n"
	    "    page: {rotation: vault, at: 100%}\n",
	    "t.yaml:5:33: support[0].page.at: '100%' is not a share of the "
	    "response time from 1% to 99%");
	config_error_full("support:\n"
	    "  - channel: C0SUP\n"
	    "    engineers: [U0ENG]\n"
	    "    escalation_channel: C0ESC\n"
	    "    page: {rotation: vault, at: half}\n",
	    "support[0].page.at: 'half' is not a share");
	config_error_full("support:\n"
	    "  - channel: C0SUP\n"
	    "    engineers: [U0ENG]\n"
	    "    escalation_channel: C0ESC\n"
	    "    page: [vault]\n",
	    "support[0].page: expected a rotation");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_next_due, setup,
		    teardown),
		cmocka_unit_test(test_config_errors),
		cmocka_unit_test_setup_teardown(test_nudge_checked, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_button, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missed_escalates, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_late_nudge, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_config_changed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_reference_and_adapter,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_nobody_oncall, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_several_pending, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_watch_pages, setup,
		    teardown),
		cmocka_unit_test(test_watch_page_unknown),
		cmocka_unit_test_setup_teardown(test_ticket_pages, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ticket_pages_at_share,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_ticket_answered_no_page,
		    setup, teardown),
		cmocka_unit_test(test_ticket_page_errors),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
