/*
 * test_report.c: summaries for managers (bot/report.h). Figures over a
 * store filled through the store API, checked against numbers worked
 * out by hand here: ack-time ranks, business/off-hours/sleep buckets
 * across the end of summer time in Europe/Berlin, tickets in and over
 * their SLA, handoffs and duty checks; the periods; the CSV and JSON
 * output parsed back; `summary:` config, its schedule and its timer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "bot/bot.h"
#include "bot/config.h"
#include "bot/gate.h"
#include "bot/outbox.h"
#include "bot/oncall.h"
#include "bot/page.h"
#include "bot/report.h"
#include "bot/tz.h"
#include "bot/watch.h"
#include "store/store.h"
#include "tests/unit/test-util.h"

#define MIN_MS		INT64_C(60000)
#define HOUR_MS		(60 * MIN_MS)
#define DAY_MS		(24 * HOUR_MS)

static const char vault_yaml[] =
    "timezone: UTC\n"
    "rotations:\n"
    "  - name: vault\n"
    "    members:\n"
    "      - { id: U0AAA, name: Alice }\n"
    "      - U0BBB\n"
    "    shift: weekly\n"
    "    handoff: \"09:00\"\n"
    "    start: 2026-01-05\n"
    "    timezone: Europe/Berlin\n"
    "    channel: \"#operator-vault\"\n"
    "    summary: {channel: \"#vault-managers\", at: \"mon 09:00\"}\n"
    "  - name: armada\n"
    "    members: [U0CCC]\n"
    "    shift: daily\n"
    "    start: 2026-01-01\n"
    "    timezone: America/New_York\n"
    "    channel: C0ARMADA\n"
    "    summary: {at: \"tue 10:30\", period: month}\n";

static void
bot_init(struct bot *bot, const char *db)
{
	char	*cause = NULL;

	memset(bot, 0, sizeof *bot);
	if ((cause = test_config_load(vault_yaml, &bot->cfg)) != NULL)
		fail_msg("%s", cause);
	if ((bot->store = store_open(db, &cause)) == NULL)
		fail_msg("%s", cause);
}

static void
bot_fini(struct bot *bot)
{
	store_close(bot->store);
	config_free(bot->cfg);
}

/* A page of rotation opened at opened_ms, paged to oncall; its id. */
static int64_t
page(struct store *s, const char *rotation, const char *oncall,
    int64_t opened_ms, int64_t ack_after_ms)
{
	struct page_add	 a;
	int64_t		 id;
	int		 added = 0;

	memset(&a, 0, sizeof a);
	a.adapter = "console";
	a.rotation = rotation;
	a.summary = "sealed";
	a.severity = "high";
	a.policy = "default";
	a.opened_by = "U0OPENER";
	a.oncall = oncall;
	a.channel = "C0VAULT";
	a.now_ms = opened_ms;
	a.ack_due_ms = opened_ms + 15 * MIN_MS;
	assert_true((id = store_page_add(s, &a, &added)) > 0);
	assert_int_equal(added, 1);
	if (ack_after_ms >= 0)
		assert_int_equal(store_page_ack(s, id, oncall,
		    opened_ms + ack_after_ms), 1);
	return (id);
}

static int64_t
ticket(struct store *s, const char *channel, int64_t opened_ms,
    int64_t due_ms, const char *responder, int64_t answered_ms)
{
	struct ticket_add	 a;
	int64_t			 id;
	int			 added = 0;

	memset(&a, 0, sizeof a);
	a.adapter = "console";
	a.channel = channel;
	a.requester = "U0CUST";
	a.tier_name = "Essential";
	a.now_ms = opened_ms;
	a.due_ms = due_ms;
	a.warn_ms = due_ms - MIN_MS;
	a.warn_kind = "ticket-warn";
	a.breach_kind = "ticket-breach";
	a.detail = "help";
	assert_true((id = store_ticket_add(s, &a, &added)) > 0);
	if (responder != NULL)
		assert_int_equal(store_ticket_answer(s, id, responder,
		    answered_ms), 1);
	return (id);
}

static const struct report_row *
row(const struct report *r, const char *rotation, const char *user)
{
	size_t	 i;

	for (i = 0; i < r->nrows; i++)
		if (strcmp(r->rows[i].rotation, rotation) == 0 &&
		    strcmp(r->rows[i].user, user) == 0)
			return (&r->rows[i]);
	fail_msg("no row %s/%s", rotation, user);
	return (NULL);
}

static void
test_percentile(void **state)
{
	const int64_t	 one[] = { 7 };
	const int64_t	 ten[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	const int64_t	 four[] = { 10, 20, 30, 40 };

	(void)state;
	assert_int_equal(report_percentile(one, 0, 50), -1);
	assert_int_equal(report_percentile(one, 1, 50), 7);
	assert_int_equal(report_percentile(one, 1, 90), 7);
	/* rank ceil(0.5 * 10) = 5, ceil(0.9 * 10) = 9 */
	assert_int_equal(report_percentile(ten, 10, 50), 5);
	assert_int_equal(report_percentile(ten, 10, 90), 9);
	assert_int_equal(report_percentile(ten, 10, 100), 10);
	/* even count: the lower middle; ceil(3.6) = 4 */
	assert_int_equal(report_percentile(four, 4, 50), 20);
	assert_int_equal(report_percentile(four, 4, 90), 40);
	assert_int_equal(report_percentile(four, 4, 0), -1);
}

/*
 * Berlin leaves summer time at 2026-10-25 03:00 CEST (01:00Z): an hour
 * written with a fixed +02:00 would put the Sunday and Monday mornings
 * an hour late, into other buckets.
 */
static void
test_buckets_dst(void **state)
{
	const struct watch_active	*h = &policy_default.hours;
	const char			*tz = "Europe/Berlin";

	(void)state;
	/* Fri 23 Oct 17:30 CEST: business; 18:30 CEST: off-hours */
	assert_int_equal(report_bucket_at(h, tz,
	    test_utc_ms("2026-10-23T15:30:00Z")), REPORT_BUSINESS);
	assert_int_equal(report_bucket_at(h, tz,
	    test_utc_ms("2026-10-23T16:30:00Z")), REPORT_OFFHOURS);
	/* Fri 21:59 CEST off-hours, 22:00 CEST sleep */
	assert_int_equal(report_bucket_at(h, tz,
	    test_utc_ms("2026-10-23T19:59:00Z")), REPORT_OFFHOURS);
	assert_int_equal(report_bucket_at(h, tz,
	    test_utc_ms("2026-10-23T20:00:00Z")), REPORT_SLEEP);
	/* Sat 24 Oct 12:00 CEST: a weekend day, off-hours */
	assert_int_equal(report_bucket_at(h, tz,
	    test_utc_ms("2026-10-24T10:00:00Z")), REPORT_OFFHOURS);
	/* Sun 25 Oct 07:30 CET (06:30Z): still sleep; +02:00 says 08:30 */
	assert_int_equal(report_bucket_at(h, tz,
	    test_utc_ms("2026-10-25T06:30:00Z")), REPORT_SLEEP);
	/* Mon 26 Oct 07:59 CET sleep (06:59Z), 08:00 CET business */
	assert_int_equal(report_bucket_at(h, tz,
	    test_utc_ms("2026-10-26T06:59:00Z")), REPORT_SLEEP);
	assert_int_equal(report_bucket_at(h, tz,
	    test_utc_ms("2026-10-26T07:00:00Z")), REPORT_BUSINESS);
	/* Mon 17:59 CET business (16:59Z), 18:00 CET off-hours */
	assert_int_equal(report_bucket_at(h, tz,
	    test_utc_ms("2026-10-26T16:59:00Z")), REPORT_BUSINESS);
	assert_int_equal(report_bucket_at(h, tz,
	    test_utc_ms("2026-10-26T17:00:00Z")), REPORT_OFFHOURS);
}

/* Many instants at once read as one at a time; business hours alike. */
static void
test_local_all(void **state)
{
	const int64_t	 secs[] = {
		test_utc_ms("2026-10-25T00:59:59Z") / 1000,	/* 02:59:59 CEST */
		test_utc_ms("2026-10-25T01:00:00Z") / 1000,	/* 02:00:00 CET */
		test_utc_ms("2026-10-26T07:00:00Z") / 1000,
		test_utc_ms("2026-03-29T01:00:00Z") / 1000,	/* 03:00 CEST */
	};
	struct tz_time	 all[4], one;
	size_t		 i;

	(void)state;
	assert_int_equal(tz_local_all("Europe/Berlin", secs, 4, all), 0);
	for (i = 0; i < 4; i++) {
		assert_int_equal(tz_local("Europe/Berlin", secs[i], &one), 0);
		assert_int_equal(all[i].hour, one.hour);
		assert_int_equal(all[i].min, one.min);
		assert_int_equal(all[i].wday, one.wday);
		assert_int_equal(all[i].gmtoff, one.gmtoff);
		assert_int_equal(report_bucket_local(&policy_default.hours,
		    &all[i]), report_bucket_at(&policy_default.hours,
		    "Europe/Berlin", secs[i] * 1000));
		assert_int_equal(watch_active_local(&policy_default.hours,
		    &all[i]), watch_active_at(&policy_default.hours,
		    "Europe/Berlin", secs[i] * 1000));
	}
	assert_int_equal(all[0].hour, 2);
	assert_int_equal(all[1].hour, 2);
	assert_int_equal(all[1].isdst, 0);
	assert_int_equal(all[3].hour, 3);
	/* Monday 08:00 CET: business */
	assert_int_equal(watch_active_local(&policy_default.hours, &all[2]),
	    1);
	assert_int_equal(tz_local_all("Not/AZone", secs, 4, all), -1);
	assert_int_equal(tz_local_all("UTC", secs, 0, all), 0);
}

/* The week of 19-25 Oct 2026 (Berlin) and the figures of it. */
static void
fill(struct store *s)
{
	int64_t	 t0 = test_utc_ms("2026-10-19T00:00:00Z");
	int64_t	 id;

	/*
	 * vault, Alice (U0AAA): 5 acked in 1, 2, 3, 4 and 10 min, and one
	 * not acked. Business: Mon-Thu 10:00Z (12:00 CEST); off-hours:
	 * Fri 17:00Z (19:00 CEST); sleep: Sat 21:00Z (23:00 CEST) and
	 * Sun 25 Oct 06:30Z (07:30 CET).
	 */
	page(s, "vault", "U0AAA", t0 + 10 * HOUR_MS, 3 * MIN_MS);
	page(s, "vault", "U0AAA", t0 + DAY_MS + 10 * HOUR_MS, 1 * MIN_MS);
	page(s, "vault", "U0AAA", t0 + 2 * DAY_MS + 10 * HOUR_MS,
	    10 * MIN_MS);
	page(s, "vault", "U0AAA", t0 + 3 * DAY_MS + 10 * HOUR_MS, 2 * MIN_MS);
	page(s, "vault", "U0AAA", test_utc_ms("2026-10-23T17:00:00Z"),
	    4 * MIN_MS);
	id = page(s, "vault", "U0AAA", test_utc_ms("2026-10-24T21:00:00Z"), -1);
	/* U0BBB: one, sleep, acked in 30 s */
	page(s, "vault", "U0BBB", test_utc_ms("2026-10-25T06:30:00Z"),
	    30 * 1000);
	/* outside the period: not counted */
	page(s, "vault", "U0AAA", test_utc_ms("2026-10-26T10:00:00Z"), MIN_MS);
	page(s, "vault", "U0AAA", test_utc_ms("2026-10-18T10:00:00Z"), MIN_MS);
	/* armada: one, no one on call */
	page(s, "armada", NULL, t0 + 12 * HOUR_MS, 5 * MIN_MS);

	/* steps of the unacked page: two fired, one skipped */
	{
		struct page_step_add	 a;
		int64_t			 st;
		int			 i;

		for (i = 0; i < 3; i++) {
			memset(&a, 0, sizeof a);
			a.page = id;
			a.phase = 0;
			a.idx = i;
			a.action = PAGE_REMIND;
			a.due_ms = test_utc_ms("2026-10-24T21:10:00Z") + i * MIN_MS;
			a.now_ms = test_utc_ms("2026-10-24T21:00:00Z");
			a.timer_kind = "page-step";
			assert_true((st = store_page_step_add(s, &a)) > 0);
			assert_int_equal(store_page_step_done(s, st,
			    a.due_ms, 0, i == 2, "U0AAA", "x"), 1);
		}
	}

	/* handoffs: Alice 2 (1 acked, 1 late), Bob 1 acked; one outside */
	assert_true(store_report_handoff_add(s, "vault", "U0AAA", "U0BBB",
	    t0 + HOUR_MS, 0, t0 + 2 * HOUR_MS) > 0);
	assert_true(store_report_handoff_add(s, "vault", "U0AAA", "U0BBB",
	    t0 + 3 * DAY_MS, 1, 0) > 0);
	assert_true(store_report_handoff_add(s, "vault", "U0BBB", "U0AAA",
	    t0 + 4 * DAY_MS, 0, t0 + 4 * DAY_MS + MIN_MS) > 0);
	assert_true(store_report_handoff_add(s, "vault", "U0BBB", "U0AAA",
	    t0 - DAY_MS, 0, 0) > 0);
	/* duties: Alice 2 done 1 missed, Bob 1 pending */
	assert_true(store_report_duty_add(s, "vault", "general", t0 + HOUR_MS,
	    "U0AAA", "done", t0 + 2 * HOUR_MS) > 0);
	assert_true(store_report_duty_add(s, "vault", "general",
	    t0 + 5 * HOUR_MS, "U0AAA", "done", t0 + 6 * HOUR_MS) > 0);
	assert_true(store_report_duty_add(s, "vault", "general",
	    t0 + 9 * HOUR_MS, "U0AAA", "missed", 0) > 0);
	assert_true(store_report_duty_add(s, "vault", "general",
	    t0 + 13 * HOUR_MS, "U0BBB", "pending", 0) > 0);

	/*
	 * tickets: C0SUP in SLA (Dana), breached by a late answer (Dana),
	 * breached with no answer; C0PREM waiting (due after the week)
	 */
	ticket(s, "C0SUP", t0 + HOUR_MS, t0 + 5 * HOUR_MS, "U0DANA",
	    t0 + 5 * HOUR_MS);
	ticket(s, "C0SUP", t0 + HOUR_MS, t0 + 5 * HOUR_MS, "U0DANA",
	    t0 + 5 * HOUR_MS + 1);
	ticket(s, "C0SUP", t0 + HOUR_MS, t0 + 5 * HOUR_MS, NULL, 0);
	ticket(s, "C0PREM", test_utc_ms("2026-10-25T20:00:00Z"),
	    test_utc_ms("2026-10-26T08:00:00Z"), NULL, 0);
}

static void
test_figures(void **state)
{
	struct bot			 bot;
	struct report			 r;
	const struct report_row		*v;
	char				*cause = NULL;
	int64_t				 from, to;

	(void)state;
	bot_init(&bot, ":memory:");
	fill(bot.store);
	/* the week Mon 19 - Sun 25 Oct in Berlin */
	assert_int_equal(report_previous("Europe/Berlin",
	    test_utc_ms("2026-10-28T12:00:00Z"), 0, &from, &to), 0);
	assert_int_equal(from,
	    test_utc_ms("2026-10-18T22:00:00Z"));	/* CEST */
	assert_int_equal(to,
	    test_utc_ms("2026-10-25T23:00:00Z"));	/* CET */
	if (report_build(bot.store, bot.cfg, NULL, from, to, &r, &cause) != 0)
		fail_msg("%s", cause);
	/* armada, armada's total (no one on call: no person row), vault */
	assert_int_equal(r.nrows, 4);
	assert_string_equal(r.rows[0].rotation, "armada");
	assert_string_equal(r.rows[0].user, "");
	assert_string_equal(r.rows[1].user, "");
	assert_string_equal(r.rows[2].user, "U0AAA");
	assert_string_equal(r.rows[3].user, "U0BBB");

	v = row(&r, "vault", "U0AAA");
	assert_int_equal(v->pages, 6);
	assert_int_equal(v->pages_unacked, 1);
	/* 1, 2, 3, 4, 10 min: median rank 3, p90 rank ceil(4.5) = 5 */
	assert_int_equal(v->ack_median_ms, 3 * MIN_MS);
	assert_int_equal(v->ack_p90_ms, 10 * MIN_MS);
	assert_int_equal(v->ack_worst_ms, 10 * MIN_MS);
	assert_int_equal(v->business, 4);
	assert_int_equal(v->offhours, 1);
	assert_int_equal(v->sleep, 1);
	assert_int_equal(v->steps, 2);
	assert_int_equal(v->handoffs, 2);
	assert_int_equal(v->handoffs_acked, 1);
	assert_int_equal(v->handoffs_late, 1);
	assert_int_equal(v->duties_done, 2);
	assert_int_equal(v->duties_missed, 1);

	v = row(&r, "vault", "U0BBB");
	assert_int_equal(v->pages, 1);
	assert_int_equal(v->sleep, 1);
	assert_int_equal(v->ack_median_ms, 30 * 1000);
	assert_int_equal(v->handoffs, 1);
	assert_int_equal(v->duties_done, 0);
	assert_int_equal(v->duties_missed, 0);

	v = row(&r, "vault", "");
	assert_int_equal(v->pages, 7);
	/* 0.5, 1, 2, 3, 4, 10 min: median rank 3, p90 rank ceil(5.4) = 6 */
	assert_int_equal(v->ack_median_ms, 2 * MIN_MS);
	assert_int_equal(v->ack_p90_ms, 10 * MIN_MS);
	assert_int_equal(v->ack_worst_ms, 10 * MIN_MS);
	assert_int_equal(v->business, 4);
	assert_int_equal(v->offhours, 1);
	assert_int_equal(v->sleep, 2);
	assert_int_equal(v->handoffs, 3);

	v = row(&r, "armada", "");
	assert_int_equal(v->pages, 1);
	/* Mon 12:00Z is 08:00 in New York: business */
	assert_int_equal(v->business, 1);

	assert_int_equal(r.tickets.opened, 4);
	assert_int_equal(r.tickets.in_sla, 1);
	assert_int_equal(r.tickets.breached, 2);
	assert_int_equal(r.tickets.waiting, 1);
	assert_int_equal(r.nchannels, 2);
	assert_string_equal(r.channels[0].name, "C0PREM");
	assert_int_equal(r.channels[0].waiting, 1);
	assert_string_equal(r.channels[1].name, "C0SUP");
	assert_int_equal(r.channels[1].opened, 3);
	assert_int_equal(r.channels[1].breached, 2);
	assert_int_equal(r.nresponders, 2);
	assert_string_equal(r.responders[0].name, "");
	assert_int_equal(r.responders[0].opened, 2);
	assert_string_equal(r.responders[1].name, "U0DANA");
	assert_int_equal(r.responders[1].in_sla, 1);
	assert_int_equal(r.responders[1].breached, 1);
	report_release(&r);

	/* one rotation; one with nothing still has its total */
	assert_int_equal(report_build(bot.store, bot.cfg, "vault", from, to,
	    &r, &cause), 0);
	assert_int_equal(r.nrows, 3);
	report_release(&r);
	assert_int_equal(report_build(bot.store, bot.cfg, "quiet", from, to,
	    &r, &cause), 0);
	assert_int_equal(r.nrows, 1);
	assert_int_equal(r.rows[0].pages, 0);
	assert_int_equal(r.rows[0].ack_median_ms, -1);
	report_release(&r);
	bot_fini(&bot);
}

static void
test_periods(void **state)
{
	int64_t	 from, to, now = test_utc_ms("2026-11-04T12:00:00Z");
	char	*cause = NULL;

	(void)state;
	assert_int_equal(report_period_parse(NULL, "UTC", now, &from, &to,
	    &cause), 0);
	assert_int_equal(to, now);
	assert_int_equal(from, now - 7 * DAY_MS);
	/* Wed 4 Nov: the week of Mon 26 Oct, all CET */
	assert_int_equal(report_period_parse("week", "Europe/Berlin", now,
	    &from, &to, &cause), 0);
	assert_int_equal(from, test_utc_ms("2026-10-25T23:00:00Z"));
	assert_int_equal(to, test_utc_ms("2026-11-01T23:00:00Z"));
	/* October: 31 days and an hour, summer time to winter time */
	assert_int_equal(report_period_parse("month", "Europe/Berlin", now,
	    &from, &to, &cause), 0);
	assert_int_equal(from, test_utc_ms("2026-09-30T22:00:00Z"));
	assert_int_equal(to, test_utc_ms("2026-10-31T23:00:00Z"));
	/* January's previous month is December */
	assert_int_equal(report_previous("UTC",
	    test_utc_ms("2027-01-15T00:00:00Z"),
	    1, &from, &to), 0);
	assert_int_equal(from, test_utc_ms("2026-12-01T00:00:00Z"));
	assert_int_equal(to, test_utc_ms("2027-01-01T00:00:00Z"));
	assert_int_equal(report_period_parse("2026-10-01..2026-10-31",
	    "UTC", now, &from, &to, &cause), 0);
	assert_int_equal(from, test_utc_ms("2026-10-01T00:00:00Z"));
	assert_int_equal(to, test_utc_ms("2026-11-01T00:00:00Z"));
	assert_int_equal(report_day_start("Europe/Berlin", 2026, 3, 29, &from),
	    0);
	assert_int_equal(from, test_utc_ms("2026-03-28T23:00:00Z"));

	assert_int_equal(report_period_parse("fortnight", "UTC", now, &from,
	    &to, &cause), -1);
	assert_non_null(strstr(cause, "not a period"));
	free(cause);
	assert_int_equal(report_period_parse("2026-10-31..2026-10-01", "UTC",
	    now, &from, &to, &cause), -1);
	assert_non_null(strstr(cause, "ends before"));
	free(cause);
	assert_int_equal(report_period_parse("2024-01-01..2026-01-01", "UTC",
	    now, &from, &to, &cause), -1);
	assert_non_null(strstr(cause, "longer than"));
	free(cause);
	assert_int_equal(report_period_parse("2026-02-30..2026-03-01", "UTC",
	    now, &from, &to, &cause), -1);
	free(cause);
}

/* The field number col of a CSV line without quotes (a copy). */
static char *
csv_field(const char *line, int col)
{
	const char	*p = line, *e;

	while (col-- > 0) {
		if ((p = strchr(p, ',')) == NULL)
			fail_msg("short line %s", line);
		p++;
	}
	e = p + strcspn(p, ",\r\n");
	return (strndup(p, (size_t)(e - p)));
}

/* The line of b starting with prefix, as a copy. */
static char *
csv_line(const char *b, const char *prefix)
{
	const char	*p = b;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, prefix, strlen(prefix)) == 0)
			return (strndup(p, strcspn(p, "\r\n")));
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	}
	fail_msg("no line %s in\n%s", prefix, b);
	return (NULL);
}

static void
assert_field(const char *line, int col, const char *want)
{
	char	*f = csv_field(line, col);

	if (strcmp(f, want) != 0)
		fail_msg("column %d is '%s', not '%s': %s", col, f, want, line);
	free(f);
}

static void
test_formats(void **state)
{
	struct bot	 bot;
	struct report	 r;
	struct buf	 b = { NULL, 0, 0 };
	char		*cause = NULL, *line;
	json_t		*j, *rot, *o;
	json_error_t	 err;
	int64_t		 from = test_utc_ms("2026-10-18T22:00:00Z");
	int64_t		 to = test_utc_ms("2026-10-25T23:00:00Z");

	(void)state;
	bot_init(&bot, ":memory:");
	fill(bot.store);
	assert_int_equal(report_build(bot.store, bot.cfg, NULL, from, to, &r,
	    &cause), 0);

	report_csv(&b, &r);
	assert_true(strncmp(buf_str(&b), REPORT_CSV_HEADER "\r\n",
	    strlen(REPORT_CSV_HEADER) + 2) == 0);
	/* from,to,kind,name,person, ... as the header names them */
	line = csv_line(buf_str(&b),
	    "2026-10-18T22:00:00Z,2026-10-25T23:00:00Z,rotation,vault,U0AAA,");
	assert_field(line, 5, "2");	/* handoffs */
	assert_field(line, 8, "6");	/* pages */
	assert_field(line, 9, "1");	/* unacked */
	assert_field(line, 10, "180");	/* median, s */
	assert_field(line, 11, "600");
	assert_field(line, 12, "600");
	assert_field(line, 13, "2");	/* steps */
	assert_field(line, 14, "4");
	assert_field(line, 15, "1");
	assert_field(line, 16, "1");
	assert_field(line, 17, "2");	/* duties done */
	assert_field(line, 18, "1");
	assert_field(line, 19, "");	/* tickets: not a rotation's */
	free(line);
	line = csv_line(buf_str(&b), "2026-10-18T22:00:00Z,"
	    "2026-10-25T23:00:00Z,tickets-channel,C0SUP,,");
	assert_field(line, 19, "3");
	assert_field(line, 20, "1");
	assert_field(line, 21, "2");
	assert_field(line, 22, "0");
	free(line);
	line = csv_line(buf_str(&b), "2026-10-18T22:00:00Z,"
	    "2026-10-25T23:00:00Z,tickets-responder,,U0DANA,");
	assert_field(line, 20, "1");
	free(line);
	buf_reset(&b);

	j = report_json_new(&r);
	assert_non_null(j);
	{
		char	*text = json_dumps(j, 0);
		json_t	*back = json_loads(text, 0, &err);

		assert_non_null(back);
		free(text);
		json_decref(j);
		j = back;
	}
	assert_string_equal(json_string_value(json_object_get(j, "from")),
	    "2026-10-18T22:00:00Z");
	rot = json_array_get(json_object_get(j, "rotations"), 1);
	assert_string_equal(json_string_value(json_object_get(rot,
	    "rotation")), "vault");
	o = json_object_get(rot, "total");
	assert_int_equal(json_integer_value(json_object_get(o, "pages")), 7);
	assert_int_equal(json_integer_value(json_object_get(o,
	    "ack_median_ms")), 2 * MIN_MS);
	assert_int_equal(json_integer_value(json_object_get(o,
	    "pages_sleep")), 2);
	o = json_array_get(json_object_get(rot, "people"), 0);
	assert_string_equal(json_string_value(json_object_get(o, "user")),
	    "U0AAA");
	assert_int_equal(json_integer_value(json_object_get(o,
	    "steps_fired")), 2);
	o = json_object_get(j, "tickets");
	assert_int_equal(json_integer_value(json_object_get(o, "breached")),
	    2);
	assert_int_equal(json_array_size(json_object_get(o, "channels")), 2);
	json_decref(j);

	report_mrkdwn(&b, &r, bot.cfg, "Europe/Berlin");
	assert_non_null(strstr(buf_str(&b), "2026-10-19 to 2026-10-25 "
	    "(Europe/Berlin)"));
	assert_non_null(strstr(buf_str(&b), "*vault*: 7 pages (4 business "
	    "hours, 1 off-hours, 2 sleep hours), time to ack median 2m00s, "
	    "90th percentile 10m00s, worst 10m00s, 1 not acknowledged; 2 "
	    "escalation steps fired; 3 handoffs (2 acked, 1 late); duties 2 "
	    "done, 1 missed"));
	/* Alice by her display name; a person's line of the table */
	assert_non_null(strstr(buf_str(&b), "```\nperson pages     p50     "
	    "p90   worst unack steps biz/off/sleep handoffs   duties\n"
	    "Alice      6   3m00s  10m00s  10m00s     1     2 4/1/1         "
	    "2/1/1      2/1\n"
	    "U0BBB      1     30s     30s     30s     0     0 0/0/1         "
	    "1/1/0      0/0\n```\n"));
	assert_non_null(strstr(buf_str(&b), "*Tickets*: 4 opened, 1 answered "
	    "within SLA, 2 breached, 1 waiting"));
	buf_reset(&b);
	report_release(&r);
	bot_fini(&bot);
}

static void
test_cli(void **state)
{
	struct bot	 bot;
	char		 db[] = "/tmp/test_report_XXXXXX";
	char		*text = NULL;
	size_t		 len = 0;
	FILE		*out, *err;
	int		 fd;

	(void)state;
	assert_true((fd = mkstemp(db)) >= 0);
	close(fd);
	bot_init(&bot, db);
	fill(bot.store);
	store_close(bot.store);
	bot.store = NULL;

	assert_non_null(err = fopen("/dev/null", "w"));
	out = open_memstream(&text, &len);
	assert_int_equal(report_cli(bot.cfg, db, "csv", "2026-10-19",
	    "2026-10-25", "vault", test_utc_ms("2026-11-01T00:00:00Z"), out,
	    err), 0);
	fclose(out);
	/* local days of the rotation's zone */
	assert_non_null(strstr(text, "2026-10-18T22:00:00Z,"
	    "2026-10-25T23:00:00Z,rotation,vault,,3,2,1,7,1,120,600,600,2,"
	    "4,1,2,2,1,,,,\r\n"));
	free(text);
	out = open_memstream(&text, &len);
	assert_int_equal(report_cli(bot.cfg, db, "json", NULL, NULL, NULL,
	    test_utc_ms("2026-10-26T00:00:00Z"), out, err), 0);
	fclose(out);
	assert_non_null(strstr(text, "\"rotations\""));
	free(text);

	out = open_memstream(&text, &len);
	assert_int_equal(report_cli(bot.cfg, db, "xml", NULL, NULL, NULL, 0,
	    out, err), 2);
	assert_int_equal(report_cli(bot.cfg, db, "csv", "yesterday", NULL,
	    NULL, 0, out, err), 2);
	assert_int_equal(report_cli(bot.cfg, db, "csv", NULL, NULL, "nope",
	    0, out, err), 2);
	assert_int_equal(report_cli(bot.cfg, db, "csv", "2026-10-20",
	    "2026-10-10", NULL, 0, out, err), 2);
	assert_int_equal(report_cli(bot.cfg, "/nonexistent/x.db", "csv",
	    NULL, NULL, NULL, 0, out, err), 1);
	fclose(out);
	assert_int_equal(len, 0);	/* nothing printed on errors */
	free(text);
	fclose(err);
	unlink(db);
	bot_fini(&bot);
}

static void
test_config_schedule(void **state)
{
	struct config		*cfg = NULL;
	const struct rotation	*v, *a;
	char			*cause;
	int64_t			 due;

	(void)state;
	if ((cause = test_config_load(vault_yaml, &cfg)) != NULL)
		fail_msg("%s", cause);
	v = rotation_find(cfg, "vault");
	assert_int_equal(v->summary.set, 1);
	assert_string_equal(v->summary.channel, "#vault-managers");
	assert_int_equal(v->summary.wday, 1);
	assert_int_equal(v->summary.hour, 9);
	assert_int_equal(v->summary.month, 0);
	a = rotation_find(cfg, "armada");
	assert_null(a->summary.channel);
	assert_int_equal(a->summary.month, 1);

	/* Wed 21 Oct: Mon 26 Oct 09:00 CET (after the change) */
	assert_int_equal(summary_next_due(v,
	    test_utc_ms("2026-10-21T12:00:00Z"),
	    &due), 0);
	assert_int_equal(due, test_utc_ms("2026-10-26T08:00:00Z"));
	/* at the due time itself: the next week's */
	assert_int_equal(summary_next_due(v, due, &due), 0);
	assert_int_equal(due, test_utc_ms("2026-11-02T08:00:00Z"));
	/* month: the first Tuesday of the month, 10:30 New York */
	assert_int_equal(summary_next_due(a,
	    test_utc_ms("2026-10-21T12:00:00Z"),
	    &due), 0);
	assert_int_equal(due,
	    test_utc_ms("2026-11-03T15:30:00Z"));	/* EST */
	config_free(cfg);

	assert_non_null(cause = test_config_load("rotations:\n  - name: x\n"
	    "    members: [U0AAA]\n    shift: daily\n    start: 2026-01-01\n"
	    "    timezone: UTC\n    channel: C1\n"
	    "    summary: {at: \"someday 9\"}\n", &cfg));
	assert_non_null(strstr(cause, "t.yaml:8:19: rotations[0].summary.at: "
	    "'someday 9' is not a weekday and a time"));
	free(cause);
	assert_non_null(cause = test_config_load("rotations:\n  - name: x\n"
	    "    members: [U0AAA]\n    shift: daily\n    start: 2026-01-01\n"
	    "    timezone: UTC\n    summary: {when: x}\n", &cfg));
	assert_non_null(strstr(cause, "rotations[0].summary: unknown key "
	    "'when'"));
	free(cause);
	assert_non_null(cause = test_config_load("rotations:\n  - name: x\n"
	    "    members: [U0AAA]\n    shift: daily\n    start: 2026-01-01\n"
	    "    timezone: UTC\n    summary: {period: year}\n", &cfg));
	assert_non_null(strstr(cause, "summary.period: 'year' is not week "
	    "or month"));
	free(cause);
	assert_non_null(cause = test_config_load("rotations:\n  - name: x\n"
	    "    members: [U0AAA]\n    shift: daily\n    start: 2026-01-01\n"
	    "    timezone: UTC\n    summary: {at: \"mon 09:00\"}\n", &cfg));
	assert_non_null(strstr(cause, "summary: needs channel:"));
	free(cause);
}

/* What the summary-due timer queued (outbox_queue is wrapped). */
static struct {
	char	*channel, *text, *key;
}	 queued[4];
static size_t	 nqueued;

int64_t		 __wrap_outbox_queue(struct bot *, const struct post *);

int64_t
__wrap_outbox_queue(struct bot *b, const struct post *p)
{
	(void)b;
	assert_true(nqueued < sizeof queued / sizeof queued[0]);
	queued[nqueued].channel = strdup(p->channel);
	queued[nqueued].text = strdup(p->text);
	queued[nqueued].key = strdup(p->key);
	nqueued++;
	return ((int64_t)nqueued);
}

static void
queued_reset(void)
{
	size_t	 i;

	for (i = 0; i < nqueued; i++) {
		free(queued[i].channel);
		free(queued[i].text);
		free(queued[i].key);
	}
	nqueued = 0;
}

/*
 * The timer posts the previous week once in the managers' channel,
 * says when it is late, and arms the next; one off the schedule posts
 * nothing.
 */
static void
test_fire(void **state)
{
	struct bot		 bot;
	struct store_timer	 t, next;
	int64_t			 due = test_utc_ms("2026-10-26T08:00:00Z"), nd;

	(void)state;
	bot_init(&bot, ":memory:");
	fill(bot.store);
	memset(&t, 0, sizeof t);
	t.id = 1;
	t.kind = (char *)SUMMARY_TIMER_KIND;
	t.ref = (char *)"summary:vault";
	t.due_ms = due;
	t.fired_at_ms = due + 3 * HOUR_MS;
	t.late = 1;
	assert_int_equal(summary_due_fire(bot.store, &t, &bot), 0);
	assert_int_equal(nqueued, 1);
	assert_string_equal(queued[0].channel, "#vault-managers");
	assert_string_equal(queued[0].key, "summary:vault:1793001600000");
	assert_non_null(strstr(queued[0].text, "2026-10-19 to 2026-10-25 "
	    "(Europe/Berlin)\n*vault*: 7 pages (4 business hours, 1 "
	    "off-hours, 2 sleep hours)"));
	/* only vault's figures: no armada, tickets are everyone's */
	assert_null(strstr(queued[0].text, "armada"));
	assert_non_null(strstr(queued[0].text, "_Late: this was due at 09:00 "
	    "Mon 26 Oct"));
	/* the next: Monday 2 Nov 09:00 CET (its key answers its id) */
	nd = store_timer_add(bot.store, due, due, SUMMARY_TIMER_KIND,
	    "summary:vault", "summary:vault:1793606400000");
	assert_int_equal(store_timer_get(bot.store, nd, &next), 1);
	assert_int_equal(next.due_ms, test_utc_ms("2026-11-02T08:00:00Z"));
	store_timer_release(&next);
	queued_reset();

	/* at: was 10:00 when this was armed */
	t.due_ms = due + HOUR_MS;
	t.fired_at_ms = t.due_ms;
	t.late = 0;
	assert_int_equal(summary_due_fire(bot.store, &t, &bot), 0);
	assert_int_equal(nqueued, 0);
	assert_int_equal(store_timer_add(bot.store, due, due,
	    SUMMARY_TIMER_KIND, "summary:vault",
	    "summary:vault:1793606400000"), nd);
	/* armada: its own channel, the month */
	t.ref = (char *)"summary:armada";
	t.due_ms = test_utc_ms("2026-11-03T15:30:00Z");
	t.fired_at_ms = t.due_ms;
	assert_int_equal(summary_due_fire(bot.store, &t, &bot), 0);
	assert_int_equal(nqueued, 1);
	assert_string_equal(queued[0].channel, "C0ARMADA");
	assert_non_null(strstr(queued[0].text, "2026-10-01 to 2026-10-31 "
	    "(America/New_York)\n*armada*: 1 page ("));
	queued_reset();
	bot_fini(&bot);
}

/* Arming twice arms once; a timer of a rotation gone posts nothing. */
static void
test_arm(void **state)
{
	struct bot		 bot;
	struct store_timer	 t;
	int64_t			 now = test_utc_ms("2026-10-21T12:00:00Z"), due;

	(void)state;
	bot_init(&bot, ":memory:");
	assert_int_equal(summary_arm_all(&bot, now), 0);
	assert_int_equal(summary_arm_all(&bot, now + MIN_MS), 0);
	assert_int_equal(store_timer_next_due(bot.store, &due), 1);
	assert_int_equal(due, test_utc_ms("2026-10-26T08:00:00Z"));
	/* vault's and armada's: ids 1 and 2, nothing more */
	assert_int_equal(store_timer_get(bot.store, 3, &t), 0);
	assert_int_equal(store_timer_get(bot.store, 1, &t), 1);
	assert_string_equal(t.kind, SUMMARY_TIMER_KIND);
	assert_string_equal(t.ref, "summary:vault");
	assert_string_equal(t.key, "summary:vault:1793001600000");
	store_timer_release(&t);
	assert_int_equal(summary_arm(&bot, bot.store,
	    rotation_find(bot.cfg, "vault"), now), 0);
	assert_int_equal(store_timer_get(bot.store, 3, &t), 0);

	memset(&t, 0, sizeof t);
	t.id = 9;
	t.kind = (char *)SUMMARY_TIMER_KIND;
	t.ref = (char *)"summary:gone";
	t.due_ms = due;
	t.fired_at_ms = due;
	assert_int_equal(summary_due_fire(bot.store, &t, &bot), 0);
	bot_fini(&bot);
}

/* `summary` as users see it, through dispatch. */
static void
test_command(void **state)
{
	struct bot	 bot;

	(void)state;
	bot_init(&bot, ":memory:");
	fill(bot.store);
	test_said(&bot, "console", "U0MGR", "#random",
	    "!summary vault 2026-10-19..2026-10-25",
	    ":bar_chart: *On-call summary* 2026-10-19 to 2026-10-25 "
	    "(Europe/Berlin)\n*vault*: 7 pages (4 business hours");
	test_said(&bot, "console", "U0MGR", "#random",
	    "!summary vault 2026-10-19..2026-10-25", "Alice ");
	/* all rotations: the config's zone (UTC) */
	test_said(&bot, "console", "U0MGR", "#random",
	    "!summary 2026-10-19..2026-10-25", "*armada*: 1 page (");
	test_said(&bot, "console", "U0MGR", "#random",
	    "!summary 2026-10-19..2026-10-25", "*Tickets*: 4 opened");
	test_said(&bot, "console", "U0MGR", "#random",
	    "!summary vault 2026-01-01..2026-01-02", "*vault*: 0 pages; "
	    "0 escalation steps fired; 0 handoffs");
	test_said(&bot, "console", "U0MGR", "#random", "!summary nope",
	    "'nope' is not a period: week, month or "
	    "YYYY-MM-DD..YYYY-MM-DD (nor a rotation). Usage: `!summary "
	    "[<rotation>] [week|month|YYYY-MM-DD..YYYY-MM-DD] [csv]`");
	test_said(&bot, "console", "U0MGR", "#random", "!summary week vault",
	    "`vault` is neither a rotation nor a period");
	/* csv: `opsbot report`'s rows in a code block, lines without CR */
	test_said(&bot, "console", "U0MGR", "#random",
	    "!summary vault 2026-10-19..2026-10-25 csv", "```\n"
	    REPORT_CSV_HEADER "\n2026-10-18T22:00:00Z,2026-10-25T23:00:00Z,"
	    "rotation,vault,,");
	test_said(&bot, "console", "U0MGR", "#random",
	    "!summary vault csv week", "`week` is neither a rotation nor a "
	    "period");
	bot_fini(&bot);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_percentile),
		cmocka_unit_test(test_buckets_dst),
		cmocka_unit_test(test_local_all),
		cmocka_unit_test(test_figures),
		cmocka_unit_test(test_periods),
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_cli),
		cmocka_unit_test(test_config_schedule),
		cmocka_unit_test(test_arm),
		cmocka_unit_test(test_fire),
		cmocka_unit_test(test_command),
	};

	setenv("TZ", "UTC", 1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
