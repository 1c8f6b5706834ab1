/*
 * bench-summary.c: issue 10's "a year of history for 10 rotations
 * (pages, handoffs, tickets): `summary` for a month and for the year
 * answers in under 50 ms".
 *
 * usage: bench-summary [-D db] [-p pages-per-day] [-r runs]
 *
 * Fills db (default ":memory:"; a file must not exist) through the
 * store API, in one transaction: 10 rotations over the 365 days before
 * 2026-11-30, each with pages-per-day pages (default 4) at spread-out
 * hours, 3 in 4 acknowledged after 1-20 minutes, two escalation steps
 * each (one fired, one skipped), a daily handoff and four duty checks a
 * day; and 20 support tickets a day over 3 channels. Then times what
 * `summary` does (report_build for all rotations and the mrkdwn) for
 * the last month and for the year, the best and the median of runs
 * (default 20), and prints one "key value" line per figure.
 */
#include <err.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bot/bot.h"
#include "bot/config.h"
#include "bot/page.h"
#include "bot/report.h"
#include "store/store.h"

#define MIN_MS		INT64_C(60000)
#define DAY_MS		(INT64_C(24) * 60 * MIN_MS)
#define NROT		10
/* 2026-11-30T00:00:00Z: the end of the year of history */
#define END_MS		INT64_C(1796000000000)
#define RUNS_MAX	1000

static int64_t
mono_us(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
}

static void
fill(struct store *s, int per_day)
{
	struct page_add		 pa;
	struct page_step_add	 sa;
	struct ticket_add	 ta;
	char			 rot[16], user[16], chan[16];
	int64_t			 day0 = END_MS - 365 * DAY_MS, t, id, st;
	int			 d, r, k, added;
	unsigned		 seed = 1;

	if (store_begin(s) != 0)
		errx(1, "begin");
	for (d = 0; d < 365; d++) {
		for (r = 0; r < NROT; r++) {
			snprintf(rot, sizeof rot, "rot%d", r);
			snprintf(user, sizeof user, "U0R%dM%d", r, d % 4);
			for (k = 0; k < per_day; k++) {
				t = day0 + d * DAY_MS + (k * 24 / per_day) *
				    60 * MIN_MS + r * MIN_MS;
				memset(&pa, 0, sizeof pa);
				pa.adapter = "slack";
				pa.rotation = rot;
				pa.summary = "bench";
				pa.severity = "high";
				pa.policy = "default";
				pa.opened_by = "U0BENCH";
				pa.oncall = user;
				pa.channel = "C0PAGES";
				pa.now_ms = t;
				pa.ack_due_ms = t + 15 * MIN_MS;
				if ((id = store_page_add(s, &pa, &added)) < 0)
					errx(1, "page");
				memset(&sa, 0, sizeof sa);
				sa.page = id;
				sa.action = PAGE_REMIND;
				sa.due_ms = t + 10 * MIN_MS;
				sa.now_ms = t;
				sa.timer_kind = "page-step";
				if ((st = store_page_step_add(s, &sa)) < 0 ||
				    store_page_step_done(s, st, sa.due_ms, 0,
				    0, user, "bench") < 0)
					errx(1, "step");
				sa.idx = 1;
				sa.due_ms = t + 15 * MIN_MS;
				sa.timer_kind = NULL;
				sa.why = "bench";
				if (store_page_step_add(s, &sa) < 0)
					errx(1, "skipped step");
				seed = seed * 1103515245 + 12345;
				if ((seed >> 16) % 4 != 0 && store_page_ack(s,
				    id, user, t + (1 + (seed >> 8) % 20) *
				    MIN_MS) < 0)
					errx(1, "ack");
			}
			if (store_report_handoff_add(s, rot, user, "U0NEXT",
			    day0 + d * DAY_MS + 9 * 60 * MIN_MS, d % 10 == 0,
			    d % 3 != 0 ? day0 + d * DAY_MS + 10 * 60 *
			    MIN_MS : 0) < 0)
				errx(1, "handoff");
			for (k = 0; k < 4; k++)
				if (store_report_duty_add(s, rot, "general",
				    day0 + d * DAY_MS + k * 6 * 60 * MIN_MS,
				    user, k == 3 ? "missed" : "done", 0) < 0)
					errx(1, "duty");
		}
		for (k = 0; k < 20; k++) {
			snprintf(chan, sizeof chan, "C0SUP%d", k % 3);
			memset(&ta, 0, sizeof ta);
			ta.adapter = "slack";
			ta.channel = chan;
			ta.requester = "U0CUST";
			ta.tier_name = "Advanced";
			ta.now_ms = day0 + d * DAY_MS + k * 60 * MIN_MS;
			ta.due_ms = ta.now_ms + 4 * 60 * MIN_MS;
			ta.warn_ms = ta.due_ms - 60 * MIN_MS;
			ta.warn_kind = "ticket-warn";
			ta.breach_kind = "ticket-breach";
			if ((id = store_ticket_add(s, &ta, &added)) < 0 ||
			    (k % 5 != 0 && store_ticket_answer(s, id, "U0ENG",
			    ta.now_ms + k * 20 * MIN_MS) < 0))
				errx(1, "ticket");
		}
	}
	if (store_commit(s) != 0)
		errx(1, "commit");
}

static int
cmp_us(const void *a, const void *b)
{
	int64_t	 x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x < y ? -1 : x > y);
}

/* Times `summary` over [from, to): best and median of runs, in us. */
static void
run(struct store *s, const struct config *cfg, const char *what,
    int64_t from, int64_t to, int runs)
{
	static int64_t	 us[RUNS_MAX];
	struct report	 r;
	struct buf	 b = { NULL, 0, 0 };
	char		*cause = NULL;
	int64_t		 t0, pages = 0;
	size_t		 j;
	int		 i;

	for (i = 0; i < runs; i++) {
		t0 = mono_us();
		if (report_build(s, cfg, NULL, from, to, &r, &cause) != 0)
			errx(1, "report_build: %s", cause);
		report_mrkdwn(&b, &r, cfg, "Europe/Berlin");
		us[i] = mono_us() - t0;
		for (pages = 0, j = 0; j < r.nrows; j++)
			if (*r.rows[j].user == '\0')
				pages += r.rows[j].pages;
		report_release(&r);
		buf_reset(&b);
	}
	qsort(us, (size_t)runs, sizeof us[0], cmp_us);
	printf("%s_pages %lld\n", what, (long long)pages);
	printf("%s_best_ms %.2f\n", what, us[0] / 1000.0);
	printf("%s_median_ms %.2f\n", what, us[runs / 2] / 1000.0);
}

int
main(int argc, char **argv)
{
	struct config	*cfg = config_new();
	struct store	*s;
	struct buf	 y = { NULL, 0, 0 };
	const char	*db = ":memory:";
	char		*cause = NULL;
	int64_t		 t0;
	int		 ch, per_day = 4, runs = 20, r;

	while ((ch = getopt(argc, argv, "D:p:r:")) != -1) {
		switch (ch) {
		case 'D':
			db = optarg;
			break;
		case 'p':
			per_day = atoi(optarg);
			break;
		case 'r':
			runs = atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: bench-summary [-D db] "
			    "[-p pages-per-day] [-r runs]\n");
			return (2);
		}
	}
	if (per_day < 1 || per_day > 96 || runs < 1 || runs > RUNS_MAX)
		errx(2, "-p 1..96, -r 1..%d", RUNS_MAX);
	if (strcmp(db, ":memory:") != 0 && access(db, F_OK) == 0)
		errx(2, "%s exists", db);
	log_init(LOG_LVL_WARN, stderr);
	buf_adds(&y, "rotations:\n");
	for (r = 0; r < NROT; r++)
		buf_printf(&y, "  - name: rot%d\n    members: [U0R%dM0, "
		    "U0R%dM1, U0R%dM2, U0R%dM3]\n    shift: daily\n"
		    "    start: 2025-01-01\n    timezone: %s\n"
		    "    channel: C0PAGES\n", r, r, r, r, r,
		    r % 2 ? "Europe/Berlin" : "America/New_York");
	if (config_load_string(cfg, "bench.yaml", buf_str(&y), y.len,
	    &cause) != 0)
		errx(1, "%s", cause);
	buf_reset(&y);
	if ((s = store_open(db, &cause)) == NULL)
		errx(1, "%s", cause);
	t0 = mono_us();
	fill(s, per_day);
	printf("fill_ms %.0f\n", (mono_us() - t0) / 1000.0);
	run(s, cfg, "month", END_MS - 30 * DAY_MS, END_MS, runs);
	run(s, cfg, "year", END_MS - 365 * DAY_MS, END_MS, runs);
	store_close(s);
	config_free(cfg);
	log_release();
	return (0);
}
