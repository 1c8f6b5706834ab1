/*
 * test_oncall.c: bot/rotation-config.c, bot/oncall.c and
 * bot/oncall-export.c: the `rotations:` and `admins:` config and its
 * errors (file:line:column: key), finding rotations by name and
 * channel, who may change one, overrides over the schedule (precedence,
 * expiry, cut stretches, who is next) in a ":memory:" store, and the
 * iCalendar feed parsed back with libical.
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
#include <libical/ical.h>

#include "bot/bot.h"
#include "bot/gate.h"
#include "bot/oncall.h"
#include "store/store.h"
#include "tests/unit/test-util.h"

#define HOUR_MS		(INT64_C(3600) * 1000)
#define DAY_MS		(24 * HOUR_MS)

static const char vault_yaml[] =
    "admins: [U0ADMIN]\n"
    "rotations:\n"
    "  - name: vault\n"
    "    members:\n"
    "      - { id: U0AAA, name: Alice }\n"
    "      - U0BBB\n"
    "      - U0CCC\n"
    "    shift: weekly\n"
    "    handoff: \"09:00\"\n"
    "    start: 2026-01-05\n"
    "    timezone: Europe/Berlin\n"
    "    channel: \"#operator-vault\"\n"
    "    managers: U0MGR\n"
    "    admin_channel: \"#vault-admin\"\n"
    "  - name: daily\n"
    "    members: [U0DDD, U0EEE]\n"
    "    shift: daily\n"
    "    handoff: \"00:00\"\n"
    "    start: 2026-01-01\n"
    "    timezone: UTC\n"
    "    channel: C0DAILY1\n"
    "    escalation_policy: gentle\n";

static void
bot_init(struct bot *bot)
{
	char	*cause = NULL;

	memset(bot, 0, sizeof *bot);
	if ((cause = test_config_load(vault_yaml, &bot->cfg)) != NULL)
		fail_msg("%s", cause);
	if ((bot->store = store_open(":memory:", &cause)) == NULL)
		fail_msg("%s", cause);
}

static void
bot_fini(struct bot *bot)
{
	store_close(bot->store);
	config_free(bot->cfg);
}

static void
test_config(void **state)
{
	struct config		*cfg = NULL;
	const struct rotation	*r;
	char			*cause;

	(void)state;
	if ((cause = test_config_load(vault_yaml, &cfg)) != NULL)
		fail_msg("%s", cause);
	assert_int_equal(cfg->nrotations, 2);
	assert_int_equal(cfg->admins.n, 1);
	r = rotation_find(cfg, "VAULT");
	assert_non_null(r);
	assert_string_equal(r->name, "vault");
	assert_int_equal(r->members.n, 3);
	assert_string_equal(r->members.v[0], "U0AAA");
	assert_string_equal(rotation_member_name(r, "U0AAA"), "Alice");
	assert_int_equal(r->shift_days, 7);
	assert_int_equal(r->handoff_wday, 1);	/* weekly: Monday */
	assert_int_equal(r->handoff_hour, 9);
	assert_string_equal(r->tz, "Europe/Berlin");
	assert_string_equal(r->channel, "#operator-vault");
	assert_string_equal(r->admin_channel, "#vault-admin");
	assert_string_equal(r->policy, "default");
	assert_int_equal(rotation_is_manager(r, "U0MGR"), 1);
	assert_int_equal(rotation_is_manager(r, "U0AAA"), 0);
	assert_null(rotation_find(cfg, "armada"));
	assert_null(rotation_find(cfg, NULL));
	r = rotation_find(cfg, "daily");
	assert_string_equal(r->policy, "gentle");
	assert_int_equal(r->handoff_wday, -1);
	assert_int_equal(is_admin(cfg, "U0ADMIN"), 1);
	assert_int_equal(is_admin(cfg, "U0AAA"), 0);
	assert_int_equal(is_admin(cfg, NULL), 0);
	config_free(cfg);
}

/* Each broken config says file:line:column: key: why. */
static void
test_config_errors(void **state)
{
	static const struct {
		const char	*yaml;
		const char	*want;
	} rows[] = {
		{ "rotations: vault\n",
		  "t.yaml:1:12: rotations: expected a list of rotations" },
		{ "rotations:\n  - name: vault\n    members: [U0AAA]\n"
		  "    shift: fortnightly\n",
		  "t.yaml:4:12: rotations[0].shift: 'fortnightly' is not "
		  "daily, weekly or a number of days" },
		{ "rotations:\n  - name: vault\n    members: [alice]\n",
		  "t.yaml:3:15: rotations[0].members: 'alice' is not a Slack "
		  "user ID" },
		{ "rotations:\n  - name: vault\n    members: [U0AAA]\n"
		  "    shift: daily\n    start: 2026-01-01\n"
		  "    timezone: Mars/Olympus\n",
		  "t.yaml:6:15: rotations[0].timezone: " },
		{ "rotations:\n  - name: vault\n    members: [U0AAA]\n"
		  "    shift: daily\n    start: 2026-01-01\n"
		  "    timezone: UTC\n    handoff: \"9am\"\n",
		  "t.yaml:7:14: rotations[0].handoff: '9am' is not a time" },
		{ "rotations:\n  - name: vault\n    members: [U0AAA]\n"
		  "    shift: daily\n    start: 2026-02-30\n",
		  "t.yaml:5:12: rotations[0].start: '2026-02-30' is not a "
		  "date" },
		{ "rotations:\n  - name: vault\n    members: [U0AAA]\n"
		  "    shift: daily\n    start: 2026-01-01\n",
		  "t.yaml:2:5: rotations[0].timezone: missing" },
		{ "rotations:\n  - name: vault\n    members: [U0AAA]\n"
		  "    shift: daily\n    start: 2026-01-01\n"
		  "    timezone: UTC\n    handoff_day: mon\n",
		  "t.yaml:7:5: rotations[0].handoff_day: only a weekly shift" },
		{ "rotations:\n  - name: Vault Team\n",
		  "t.yaml:2:11: rotations[0].name: 'Vault Team': use at most" },
		{ "rotations:\n  - name: list\n",
		  "t.yaml:2:11: rotations[0].name: 'list' is a word of the "
		  "oncall command" },
		{ "rotations:\n  - name: vault\n    members: [U0AAA]\n"
		  "    timezone: UTC\n",
		  "t.yaml:2:5: rotations[0].shift: missing" },
		{ "rotations:\n  - name: vault\n    pager: U0AAA\n",
		  "t.yaml:3:12: rotations[0]: unknown key 'pager'" },
		{ "rotations:\n  - name: a\n    members: [U0AAA]\n"
		  "    shift: daily\n    start: 2026-01-01\n    timezone: UTC\n"
		  "  - name: a\n    members: [U0AAA]\n"
		  "    shift: daily\n    start: 2026-01-01\n    timezone: UTC\n",
		  "t.yaml:7:5: rotations[1].name: 'a' is listed twice" },
		{ "rotations:\n  - name: cal\n    timezone: UTC\n"
		  "    ical: nonesuch.ics\n",
		  "t.yaml:4:11: rotations[0].ical: cannot read '" },
		{ "rotations:\n  - name: cal\n    timezone: UTC\n"
		  "    ical: broken-runbooks/fine.md\n",
		  "t.yaml:4:11: rotations[0].ical: '" },
		{ "rotations:\n  - name: cal\n    timezone: UTC\n"
		  "    ical: oncall.ics\n    members: [U0AAA]\n",
		  "t.yaml:5:5: rotations[0].members: a rotation that follows "
		  "an iCalendar file" },
		{ "admins: [U0AAA, bob]\n",
		  "t.yaml:1:17: admins: 'bob' is not a Slack user ID" },
	};
	struct config	*cfg = NULL;
	char		*cause;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		cause = test_config_load(rows[i].yaml, &cfg);
		if (cause == NULL)
			fail_msg("row %zu loaded", i);
		if (strstr(cause, rows[i].want) == NULL)
			fail_msg("row %zu: got '%s', want '%s'", i, cause,
			    rows[i].want);
		free(cause);
	}
}

/* A rotation that follows tests/data/oncall.ics. */
static void
test_config_ical(void **state)
{
	static const char yaml[] = "rotations:\n  - name: cal\n"
	    "    timezone: Europe/Berlin\n    ical: oncall.ics\n";
	struct config		*cfg = NULL;
	const struct rotation	*r;
	struct rotation_shift	 s;
	char			*cause;

	(void)state;
	if ((cause = test_config_load(yaml, &cfg)) != NULL)
		fail_msg("%s", cause);
	r = rotation_find(cfg, "cal");
	assert_non_null(r->ical);
	assert_int_equal(r->members.n, 3);	/* who the calendar names */
	assert_int_equal(rotation_is_member(r, "U0ICAL3"), 1);
	assert_int_equal(rotation_oncall_at(NULL, r,
	    test_utc_ms("2026-01-20T00:00:00Z"), &s), 0);
	assert_string_equal(s.user, "U0ICAL1");
	config_free(cfg);
}

static void
test_find_and_permissions(void **state)
{
	struct bot		 bot;
	const struct rotation	*vault;

	(void)state;
	bot_init(&bot);
	vault = rotation_find(bot.cfg, "vault");
	assert_ptr_equal(rotation_for_channel(&bot, "#operator-vault"), vault);
	assert_ptr_equal(rotation_for_channel(&bot, "operator-vault"), vault);
	assert_ptr_equal(rotation_for_channel(&bot, "C0DAILY1"),
	    rotation_find(bot.cfg, "daily"));
	assert_null(rotation_for_channel(&bot, "#random"));
	assert_null(rotation_for_channel(&bot, NULL));
	assert_int_equal(rotation_may_change(bot.cfg, vault, "U0BBB"), 1);
	assert_int_equal(rotation_may_change(bot.cfg, vault, "U0MGR"), 1);
	assert_int_equal(rotation_may_change(bot.cfg, vault, "U0ADMIN"), 1);
	assert_int_equal(rotation_may_change(bot.cfg, vault, "U0DDD"), 0);
	assert_int_equal(rotation_may_change(bot.cfg, vault, NULL), 0);
	bot_fini(&bot);
}

static void
oncall_is(struct bot *bot, const struct rotation *r, const char *at,
    const char *user, const char *start, const char *end, int overridden)
{
	struct rotation_shift	 s;

	assert_int_equal(rotation_oncall_at(bot, r, test_utc_ms(at), &s), 0);
	assert_string_equal(s.user, user);
	assert_int_equal(s.start_ms, test_utc_ms(start));
	assert_int_equal(s.end_ms, test_utc_ms(end));
	assert_int_equal(s.overridden, overridden);
}

/*
 * The daily rotation (D, E; 00:00 UTC from 1 January 2026): 10 March is
 * E's day. Overrides layer: the newest wins, each holds [from, until),
 * and the schedule comes back once they end.
 */
static void
test_overrides(void **state)
{
	struct bot		 bot;
	const struct rotation	*r;
	struct rotation_shift	 s, next;
	int64_t			 a, b;

	(void)state;
	bot_init(&bot);
	r = rotation_find(bot.cfg, "daily");
	oncall_is(&bot, r, "2026-03-10T12:00:00Z", "U0DDD",
	    "2026-03-10T00:00:00Z", "2026-03-11T00:00:00Z", 0);
	/* F covers 10:00-14:00; then G covers 12:00-20:00, newer */
	a = rotation_override_set(&bot, r, "U0FFF",
	    test_utc_ms("2026-03-10T10:00:00Z"),
	    test_utc_ms("2026-03-10T14:00:00Z"),
	    "U0DDD", test_utc_ms("2026-03-09T00:00:00Z"));
	assert_true(a > 0);
	b = rotation_override_set(&bot, r, "U0GGG",
	    test_utc_ms("2026-03-10T12:00:00Z"),
	    test_utc_ms("2026-03-10T20:00:00Z"),
	    "U0EEE", test_utc_ms("2026-03-09T01:00:00Z"));
	assert_true(b > a);
	assert_int_equal(rotation_override_set(&bot, r, "U0GGG",
	    test_utc_ms("2026-03-10T12:00:00Z"),
	    test_utc_ms("2026-03-10T12:00:00Z"),
	    "U0EEE", 0), -1);
	/* the schedule, cut where F starts */
	oncall_is(&bot, r, "2026-03-10T09:00:00Z", "U0DDD",
	    "2026-03-10T00:00:00Z", "2026-03-10T10:00:00Z", 0);
	/* F, cut where the newer G starts */
	oncall_is(&bot, r, "2026-03-10T11:00:00Z", "U0FFF",
	    "2026-03-10T10:00:00Z", "2026-03-10T12:00:00Z", 1);
	/* G wins where both hold */
	oncall_is(&bot, r, "2026-03-10T13:00:00Z", "U0GGG",
	    "2026-03-10T12:00:00Z", "2026-03-10T20:00:00Z", 1);
	assert_int_equal(rotation_oncall_at(&bot, r,
	    test_utc_ms("2026-03-10T13:00:00Z"), &s), 0);
	assert_int_equal(s.override_id, b);
	/* expired: the schedule again, from G's end */
	oncall_is(&bot, r, "2026-03-10T21:00:00Z", "U0DDD",
	    "2026-03-10T20:00:00Z", "2026-03-11T00:00:00Z", 0);
	oncall_is(&bot, r, "2026-03-11T01:00:00Z", "U0EEE",
	    "2026-03-11T00:00:00Z", "2026-03-12T00:00:00Z", 0);
	/* who is next: from D's morning, F at 10:00 */
	assert_int_equal(rotation_oncall_at(&bot, r,
	    test_utc_ms("2026-03-10T09:00:00Z"), &s), 0);
	assert_int_equal(rotation_next(&bot, r, &s, &next), 0);
	assert_string_equal(next.user, "U0FFF");
	assert_int_equal(next.start_ms, test_utc_ms("2026-03-10T10:00:00Z"));
	/* from F's stretch, next is G (D's own stretch in between) */
	assert_int_equal(rotation_oncall_at(&bot, r,
	    test_utc_ms("2026-03-10T11:00:00Z"), &s), 0);
	assert_int_equal(rotation_next(&bot, r, &s, &next), 0);
	assert_string_equal(next.user, "U0GGG");
	/* next skips a stretch of the same person: D until midnight, then
	   E, not D's own next stretch */
	assert_int_equal(rotation_oncall_at(&bot, r,
	    test_utc_ms("2026-03-10T21:00:00Z"), &s), 0);
	assert_int_equal(rotation_next(&bot, r, &s, &next), 0);
	assert_string_equal(next.user, "U0EEE");
	/* an override of "no one", across the midnight handoff */
	assert_true(rotation_override_set(&bot, r, "",
	    test_utc_ms("2026-03-11T22:00:00Z"),
	    test_utc_ms("2026-03-12T02:00:00Z"),
	    "U0ADMIN", test_utc_ms("2026-03-11T00:00:00Z")) > 0);
	oncall_is(&bot, r, "2026-03-12T01:00:00Z", "",
	    "2026-03-11T22:00:00Z", "2026-03-12T02:00:00Z", 1);
	oncall_is(&bot, r, "2026-03-12T03:00:00Z", "U0DDD",
	    "2026-03-12T02:00:00Z", "2026-03-13T00:00:00Z", 0);
	/* each override left an audit row */
	assert_int_equal(store_audit_count(bot.store), 3);
	/* the schedule alone, without a store */
	oncall_is(NULL, r, "2026-03-10T13:00:00Z", "U0DDD",
	    "2026-03-10T00:00:00Z", "2026-03-11T00:00:00Z", 0);
	bot_fini(&bot);
}

/* A long override reaching past the schedule's shift, cut by a newer. */
static void
test_override_long(void **state)
{
	struct bot		 bot;
	const struct rotation	*r;

	(void)state;
	bot_init(&bot);
	r = rotation_find(bot.cfg, "daily");
	assert_true(rotation_override_set(&bot, r, "U0FFF",
	    test_utc_ms("2026-03-10T00:00:00Z"),
	    test_utc_ms("2026-03-15T00:00:00Z"),
	    "U0DDD", 0) > 0);
	assert_true(rotation_override_set(&bot, r, "U0GGG",
	    test_utc_ms("2026-03-13T00:00:00Z"),
	    test_utc_ms("2026-03-13T06:00:00Z"),
	    "U0DDD", 0) > 0);
	oncall_is(&bot, r, "2026-03-11T12:00:00Z", "U0FFF",
	    "2026-03-10T00:00:00Z", "2026-03-13T00:00:00Z", 1);
	oncall_is(&bot, r, "2026-03-13T12:00:00Z", "U0FFF",
	    "2026-03-13T06:00:00Z", "2026-03-15T00:00:00Z", 1);
	/* clear: ended at 14 March 12:00 */
	assert_int_equal(store_override_end(bot.store, "daily",
	    test_utc_ms("2026-03-14T12:00:00Z")), 1);
	oncall_is(&bot, r, "2026-03-14T13:00:00Z", "U0DDD",
	    "2026-03-14T12:00:00Z", "2026-03-15T00:00:00Z", 0);
	bot_fini(&bot);
}

/* The feed, parsed back: one VEVENT per stretch, back to back, in UTC. */
static void
test_export(void **state)
{
	struct bot		 bot;
	const struct rotation	*r;
	struct buf		 b = { NULL, 0, 0 };
	icalcomponent		*cal, *ev;
	struct icaltimetype	 t;
	char			*cause = NULL;
	int64_t			 from = test_utc_ms("2026-03-10T12:00:00Z"),
	    prev_end;
	int			 n, seen = 0;

	(void)state;
	bot_init(&bot);
	r = rotation_find(bot.cfg, "daily");
	assert_true(rotation_override_set(&bot, r, "U0FFF",
	    test_utc_ms("2026-03-11T06:00:00Z"),
	    test_utc_ms("2026-03-11T18:00:00Z"),
	    "U0DDD", 0) > 0);
	n = oncall_export(&bot, r, from, 5, &b, &cause);
	/* 10th (from 00:00), 11th cut in three, 12th..15th: 8 stretches */
	assert_int_equal(n, 8);
	cal = icalparser_parse_string(buf_str(&b));
	assert_non_null(cal);
	prev_end = test_utc_ms("2026-03-10T00:00:00Z");
	for (ev = icalcomponent_get_first_component(cal,
	    ICAL_VEVENT_COMPONENT); ev != NULL;
	    ev = icalcomponent_get_next_component(cal,
	    ICAL_VEVENT_COMPONENT)) {
		t = icalcomponent_get_dtstart(ev);
		assert_int_equal(icaltime_is_utc(t), 1);
		assert_int_equal((int64_t)icaltime_as_timet(t) * 1000,
		    prev_end);
		prev_end = (int64_t)icaltime_as_timet(
		    icalcomponent_get_dtend(ev)) * 1000;
		assert_non_null(strstr(icalcomponent_get_uid(ev), "daily-"));
		if (seen == 2) {
			assert_non_null(strstr(icalcomponent_get_summary(ev),
			    "U0FFF"));
			assert_non_null(strstr(icalcomponent_get_summary(ev),
			    "override"));
		}
		seen++;
	}
	assert_int_equal(seen, 8);
	assert_int_equal(prev_end, test_utc_ms("2026-03-16T00:00:00Z"));
	icalcomponent_free(cal);
	/* the same feed twice: the same UIDs */
	{
		struct buf	 b2 = { NULL, 0, 0 };

		assert_int_equal(oncall_export(&bot, r, from + HOUR_MS, 5, &b2,
		    &cause), 8);
		assert_non_null(strstr(buf_str(&b2), "UID:daily-"
		    "1773100800000@opsbot"));
		assert_non_null(strstr(buf_str(&b), "UID:daily-"
		    "1773100800000@opsbot"));
		buf_reset(&b2);
	}
	assert_int_equal(oncall_export(&bot, r, from, 0, &b, &cause), -1);
	assert_non_null(strstr(cause, "--days"));
	free(cause);
	buf_reset(&b);
	bot_fini(&bot);
}

/* The command as users see it, through dispatch. */
static void
test_command(void **state)
{
	struct bot	 bot;

	(void)state;
	bot_init(&bot);
	test_said(&bot, "console", "U0AAA", "#random", "!oncall",
	    "Which rotation? Name one: "
	    "`!oncall <rotation>`. Rotations: `vault`, `daily`.");
	test_said(&bot, "console", "U0AAA", "#random", "!oncall nope",
	    "There is no rotation `nope`. Rotations: `vault`, `daily`.");
	test_said(&bot, "console", "U0AAA", "#random", "!oncall list",
	    "• *vault*: weekly, "
	    "handoff Mon 09:00 Europe/Berlin, 3 members, in #operator-vault; "
	    "on call now: <@U0");
	test_said(&bot, "console", "U0AAA", "#random", "!oncall list",
	    "• *daily*: daily, handoff 00:00 UTC, 2 members, in C0DAILY1");
	/* the channel's rotation */
	test_said(&bot, "console", "U0AAA", "#operator-vault", "!oncall",
	    "*vault* (Europe/Berlin): <@U0");
	test_said(&bot, "console", "U0AAA", "#operator-vault", "!oncall",
	    "is on call until ");
	test_said(&bot, "console", "U0AAA", "#operator-vault", "!oncall",
	    "\nNext: <@U0");
	test_said(&bot, "console", "U0AAA", "#random",
	    "!oncall vault at tomorrow 09:00",
	    "will be on call, from 09:00 Mon");
	test_said(&bot, "console", "U0AAA", "#random",
	    "!oncall vault at someday",
	    "`someday`");
	/* any moment: one that has passed too (ten days ago, at 10:00
	   local: the shift from the Monday before, 09:00), up to a year */
	{
		time_t		 t = time(NULL) - 10 * 86400;
		struct tm	 tm;
		char		 ask[96], set[128];

		gmtime_r(&t, &tm);
		snprintf(ask, sizeof ask, "!oncall vault at %04d-%02d-%02d "
		    "10:00", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
		test_said(&bot, "console", "U0AAA", "#random", ask,
		    "was on call, from 09:00 Mon");
		/* an override cannot end in the past */
		snprintf(set, sizeof set, "!oncall set vault <@U0ZZZ> until "
		    "%04d-%02d-%02d 10:00", tm.tm_year + 1900, tm.tm_mon + 1,
		    tm.tm_mday);
		test_said(&bot, "console", "U0MGR", "#random", set,
		    "has passed");
	}
	test_said(&bot, "console", "U0AAA", "#random",
	    "!oncall vault at 2020-01-01 10:00",
	    "`2020-01-01 10:00` is more than a year ago.");
	test_said(&bot, "console", "U0AAA", "#random", "!oncall vault soon",
	    "Usage: `!oncall [<rotation>] [at <time>]`.");
	/* who may set overrides */
	test_said(&bot, "console", "U0DDD", "#random",
	    "!oncall set vault <@U0ZZZ>",
	    "Only members of *vault*, its managers and admins may change "
	    "who is on call, and you are none of these.");
	test_said(&bot, "console", "U0MGR", "#random", "!oncall set vault bob",
	    "`bob` is not a person");
	test_said(&bot, "console", "U0MGR", "#random",
	    "!oncall set vault <@U0ZZZ|zed> "
	    "until in 2 hours", "Override #1: <@U0ZZZ> is on call for *vault* "
	    "from now until ");
	test_said(&bot, "console", "U0AAA", "#operator-vault", "!oncall",
	    "<@U0ZZZ> is on call (override) until ");
	test_said(&bot, "console", "U0ADMIN", "#operator-vault",
	    "!oncall set nobody",
	    "Override #2: no one is on call for *vault*");
	test_said(&bot, "console", "U0ADMIN", "#operator-vault",
	    "!oncall set vault clear",
	    "Ended 2 overrides of *vault*");
	test_said(&bot, "console", "U0BBB", "#random", "!oncall set daily me",
	    "Only members of *daily*");
	test_said(&bot, "console", "U0DDD", "#random", "!oncall set daily me",
	    "Override #3: <@U0DDD> is on call for *daily* from now until ");
	bot_fini(&bot);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_config_errors),
		cmocka_unit_test(test_config_ical),
		cmocka_unit_test(test_find_and_permissions),
		cmocka_unit_test(test_overrides),
		cmocka_unit_test(test_override_long),
		cmocka_unit_test(test_export),
		cmocka_unit_test(test_command),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
