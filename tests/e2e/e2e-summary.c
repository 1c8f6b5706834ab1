/*
 * e2e-summary.c: issue 10's summaries for managers on the real binary.
 *   summary_weekly_post  a rotation with `summary: {at: "mon 09:00"}`;
 *                        two pages opened and acknowledged through the
 *                        bot with the clock moved 3 and 7 minutes; the
 *                        clock moved to the next Monday 09:00 (UTC):
 *                        the summary posts once in the managers'
 *                        channel, with the figures computed here, and
 *                        not again when the clock moves on;
 *   summary_late_after_restart  the post time passes while opsbot is
 *                        down: the summary posts once at start, late;
 *   report_csv           the same two pages, then `opsbot report
 *                        --format=csv` on the database once the bot
 *                        stopped: the row of the rotation's total.
 * The first moves the clock: a test-clock build only.
 */
#include <sys/wait.h>

#include <err.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "e2e.h"

#define MIN_MS		INT64_C(60000)
#define HOUR_MS		(60 * MIN_MS)
#define DAY_MS		(24 * HOUR_MS)
#define SUMMARY_PAGES	"C0PAGES"
#define SUMMARY_MGRS	"C0MGRS"
/* Slack ts to ms are not needed: acks are timed by the moved clock. */
#define ACK1_MS		(3 * MIN_MS)
#define ACK2_MS		(7 * MIN_MS)

static void
summary_config(struct e2e *e)
{
	e2e_cfg_vault(e, "[U0ONE, U0TWO]", "UTC", SUMMARY_PAGES,
	    "    summary: {channel: " SUMMARY_MGRS ", at: \"mon 09:00\"}\n");
}

/*
 * Pages twice and acknowledges each, page 1 after ACK1_MS and page 2
 * after ACK2_MS of moved clock. *opened gets the bot's time when page 1
 * was asked for. 0 or -1 (reported).
 */
static int
two_pages(struct e2e *e, int64_t *opened)
{
	int	 rc = -1;

	CHECK(e, e2e_clock_advance(e, 0, opened) == 0, "read the clock");
	CHECK(e, e2e_say(e, "U0OPS", SUMMARY_PAGES, NULL,
	    "!page vault vault sealed")
	    == 0, "page 1");
	CHECK(e, e2e_wait_posts_in(e, SUMMARY_PAGES, "*Page #1*", 1,
	    E2E_REPLY_MS, NULL, 0) ==
	    0, "no page 1");
	CHECK(e, e2e_clock_advance(e, ACK1_MS, NULL) == 0, "move");
	CHECK(e, e2e_say(e, "U0ONE", SUMMARY_PAGES, NULL, "!ack 1") == 0,
	    "ack 1");
	CHECK(e, e2e_wait_posts_in(e, NULL, "acknowledged by <@U0ONE>", 1,
	    E2E_REPLY_MS, NULL,
	    0) == 0, "page 1 not acknowledged");
	CHECK(e, e2e_say(e, "U0OPS", SUMMARY_PAGES, NULL,
	    "!page vault vault sealed again") == 0,
	    "page 2");
	CHECK(e, e2e_wait_posts_in(e, SUMMARY_PAGES, "*Page #2*", 1,
	    E2E_REPLY_MS, NULL, 0) ==
	    0, "no page 2");
	CHECK(e, e2e_clock_advance(e, ACK2_MS, NULL) == 0, "move");
	CHECK(e, e2e_say(e, "U0TWO", SUMMARY_PAGES, NULL, "!ack 2") == 0,
	    "ack 2");
	CHECK(e, e2e_wait_posts_in(e, NULL, "acknowledged by <@U0TWO>", 1,
	    E2E_REPLY_MS, NULL,
	    0) == 0, "page 2 not acknowledged");
	rc = 0;
out:
	return (rc);
}

/* The next Monday 09:00 UTC strictly after at_ms. */
static int64_t
next_monday_9(int64_t at_ms)
{
	int64_t	 day = at_ms / DAY_MS * DAY_MS, t;
	int	 wday;

	for (t = day + 9 * HOUR_MS; ; t += DAY_MS) {
		/* 1970-01-01 was a Thursday (4) */
		wday = (int)((t / DAY_MS + 4) % 7);
		if (wday == 1 && t > at_ms)
			return (t);
	}
}

/*
 * The bucket a page opened at at_ms falls in, UTC, the default business
 * hours: "business", "off-hours" or "sleep".
 */
static const char *
bucket(int64_t at_ms)
{
	int	 wday = (int)((at_ms / DAY_MS + 4) % 7);
	int	 min = (int)(at_ms % DAY_MS / MIN_MS);

	if (wday >= 1 && wday <= 5 && min >= 8 * 60 && min < 18 * 60)
		return ("business");
	if (min >= 22 * 60 || min < 8 * 60)
		return ("sleep");
	return ("off-hours");
}

/* Reads "<m>m<ss>s" after needle in text into ms; -1 if absent. */
static int64_t
duration_after(const char *text, const char *needle)
{
	const char	*p = strstr(text, needle);
	int		 m, s;

	if (p == NULL || sscanf(p + strlen(needle), "%dm%ds", &m, &s) != 2)
		return (-1);
	return ((int64_t)(m * 60 + s) * 1000);
}

/* Within 5 s above want (the real time a command takes to run). */
static int
near(int64_t got, int64_t want)
{
	return (got >= want && got <= want + 5000);
}

int
sc_summary_weekly_post(struct e2e *e)
{
	char	 text[8192] = "", want[256];
	int64_t	 wall = 0, opened = 0, due, t1, t2;
	int	 rc = -1, n1, n2;

	e->test_clock = 1;
	summary_config(e);
	/*
	 * A Monday before 09:00: the pages would open in the week the next
	 * post does not cover; start the bot nine hours on.
	 */
	wall = e2e_wall_ms();
	if ((wall / DAY_MS + 4) % 7 == 1 && wall % DAY_MS < 9 * HOUR_MS)
		e2e_clock_advance_before_start(e, 9 * HOUR_MS);
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	CHECK(e, two_pages(e, &opened) == 0, "pages");
	t1 = opened;
	t2 = opened + ACK1_MS;
	due = next_monday_9(opened);
	CHECK(e, e2e_clock_advance(e, 0, &wall) == 0, "read the clock");
	e2e_note(e, "pages at %lld and %lld, the summary due at %lld",
	    (long long)t1, (long long)t2, (long long)due);
	CHECK(e, due - wall > MIN_MS, "too close to the due time");
	CHECK(e, e2e_clock_advance(e, due - wall - MIN_MS, NULL) == 0,
	    "move to a minute before");
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_posts_in(e, NULL, "On-call summary", NULL, 0) == 0,
	    "the summary came early");
	CHECK(e, e2e_clock_advance(e, MIN_MS, NULL) == 0, "move to 09:00");
	CHECK(e, e2e_wait_posts_in(e, SUMMARY_MGRS, "On-call summary", 1,
	    E2E_REPLY_MS, text,
	    sizeof text) == 0, "no summary in the managers' channel");
	e2e_note(e, "summary: %s", text);
	CHECK(e, strstr(text, "*vault*: 2 pages (") != NULL, "not 2 pages");
	/* the buckets, as this test reads the two times */
	n1 = (strcmp(bucket(t1), "business") == 0) +
	    (strcmp(bucket(t2), "business") == 0);
	snprintf(want, sizeof want, "(%d business hours, %d off-hours, %d "
	    "sleep hours)", n1, (strcmp(bucket(t1), "off-hours") == 0) +
	    (strcmp(bucket(t2), "off-hours") == 0),
	    (strcmp(bucket(t1), "sleep") == 0) +
	    (strcmp(bucket(t2), "sleep") == 0));
	CHECK(e, strstr(text, want) != NULL, "not %s", want);
	/* nearest rank of {3 min, 7 min}: median 3, p90 and worst 7 */
	CHECK(e, near(duration_after(text, "median "), ACK1_MS), "median");
	CHECK(e, near(duration_after(text, "90th percentile "), ACK2_MS),
	    "90th percentile");
	CHECK(e, near(duration_after(text, "worst "), ACK2_MS), "worst");
	CHECK(e, strstr(text, "0 not acknowledged; 0 escalation steps fired")
	    != NULL, "unacked or steps");
	CHECK(e, strstr(text, "Late") == NULL, "said late");
	/* on: a day and more, nothing again */
	CHECK(e, e2e_clock_advance(e, 2 * DAY_MS, NULL) == 0, "move 2 days");
	e2e_sleep_ms(E2E_SETTLE_MS);
	n2 = e2e_posts_in(e, NULL, "On-call summary", NULL, 0);
	CHECK(e, n2 == 1, "the summary came %d times", n2);
	/* the command says the same of the same week, where it was asked */
	CHECK(e, e2e_say(e, "U0MGR", SUMMARY_PAGES, NULL, "!summary vault week")
	    == 0,
	    "summary");
	CHECK(e, e2e_wait_posts_in(e, SUMMARY_PAGES, "On-call summary", 1,
	    E2E_REPLY_MS, text,
	    sizeof text) == 0, "no answer to !summary");
	CHECK(e, strstr(text, "*vault*: 2 pages (") != NULL &&
	    strstr(text, want) != NULL, "the command says otherwise: %s",
	    text);
	rc = 0;
out:
	return (rc);
}

/*
 * ---- a post time passed while opsbot was down: once, late -----------
 */
int
sc_summary_late_after_restart(struct e2e *e)
{
	char	 text[8192] = "";
	int64_t	 now, due;
	int	 rc = -1, status, n;

	e->test_clock = 1;
	summary_config(e);
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	status = e2e_bot_stop(e, SIGTERM, 15000);
	CHECK(e, status != -1 && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0, "no clean exit on SIGTERM (%d)", status);
	/* counted from the real time: two hours past the next post time */
	now = e2e_wall_ms();
	due = next_monday_9(now);
	e2e_clock_advance_before_start(e, due - now + 2 * HOUR_MS);
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello after the restart");
	CHECK(e, e2e_wait_posts_in(e, SUMMARY_MGRS, "On-call summary", 1,
	    E2E_REPLY_MS, text,
	    sizeof text) == 0, "the missed summary did not post at start");
	e2e_note(e, "late summary: %s", text);
	CHECK(e, strstr(text, "_Late: this was due at 09:00 Mon") != NULL,
	    "not said late: %s", text);
	CHECK(e, strstr(text, "*vault*: 0 pages") != NULL, "pages: %s",
	    text);
	CHECK(e, e2e_clock_advance(e, 3 * HOUR_MS, NULL) == 0, "move 3 h");
	e2e_sleep_ms(E2E_SETTLE_MS);
	n = e2e_posts_in(e, NULL, "On-call summary", NULL, 0);
	CHECK(e, n == 1, "the summary came %d times", n);
	rc = 0;
out:
	return (rc);
}

/* Runs `opsbot report` with args into *text; its exit status or -1. */
static int
report_run(struct e2e *e, const char *since, const char *until, char **text)
{
	char	 cfg[1024], db[1024], out[1024];
	FILE	*f;
	long	 len;
	pid_t	 pid;
	int	 fd, status;

	snprintf(cfg, sizeof cfg, "%s/opsbot.yaml", e->tmpdir);
	snprintf(db, sizeof db, "%s/opsbot.db", e->tmpdir);
	snprintf(out, sizeof out, "%s/report.csv", e->tmpdir);
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		if ((fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644)) ==
		    -1 || dup2(fd, 1) == -1)
			_exit(126);
		if ((fd = open(e->bot_err, O_WRONLY | O_APPEND)) != -1)
			dup2(fd, 2);
		execl(e->bot_bin, "opsbot", "-c", cfg, "--db", db, "report",
		    "--format=csv", "--rotation", "vault", "--since", since,
		    "--until", until, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return (-1);
	if ((f = fopen(out, "rb")) == NULL)
		return (-1);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	*text = calloc(1, (size_t)len + 1);
	if (*text == NULL || fread(*text, 1, (size_t)len, f) != (size_t)len)
		err(1, "read %s", out);
	fclose(f);
	return (WEXITSTATUS(status));
}

/* "2026-11-30" of at_ms, UTC. */
static void
utc_date(char *b, size_t sz, int64_t at_ms)
{
	time_t		 t = (time_t)(at_ms / 1000);
	struct tm	 tm;

	gmtime_r(&t, &tm);
	strftime(b, sz, "%Y-%m-%d", &tm);
}

int
sc_report_csv(struct e2e *e)
{
	char	*text = NULL, *line, since[16], until[16];
	char	 head[64];
	long	 v[23];
	int64_t	 opened = 0;
	int	 rc = -1, status, n, i;

	e->test_clock = 1;
	summary_config(e);
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	CHECK(e, two_pages(e, &opened) == 0, "pages");
	status = e2e_bot_stop(e, SIGTERM, 15000);
	CHECK(e, status != -1 && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0, "no clean exit on SIGTERM (%d)", status);
	utc_date(since, sizeof since, opened - DAY_MS);
	utc_date(until, sizeof until, opened + DAY_MS);
	CHECK(e, report_run(e, since, until, &text) == 0, "opsbot report "
	    "failed");
	e2e_note(e, "report:\n%s", text);
	CHECK(e, strncmp(text, "from,to,kind,name,person,handoffs,", 34) == 0,
	    "no header row");
	snprintf(head, sizeof head, ",rotation,vault,,");
	CHECK(e, (line = strstr(text, head)) != NULL, "no total row");
	line += strlen(head);
	/* handoffs..duties_missed: 14 numbers */
	memset(v, 0, sizeof v);
	n = sscanf(line, "%ld,%ld,%ld,%ld,%ld,%ld,%ld,%ld,%ld,%ld,%ld,%ld,"
	    "%ld,%ld", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7],
	    &v[8], &v[9], &v[10], &v[11], &v[12], &v[13]);
	CHECK(e, n == 14, "the total row has %d numbers", n);
	CHECK(e, v[3] == 2 && v[4] == 0, "pages %ld, unacked %ld", v[3],
	    v[4]);
	CHECK(e, v[5] >= 180 && v[5] <= 185, "median %ld s", v[5]);
	CHECK(e, v[6] >= 420 && v[6] <= 425 && v[7] == v[6], "p90 %ld s, "
	    "worst %ld s", v[6], v[7]);
	CHECK(e, v[8] == 0, "%ld steps", v[8]);
	CHECK(e, v[9] + v[10] + v[11] == 2, "buckets");
	/* one row per person who was paged, the total, the header */
	for (n = 0, i = 0; text[i] != '\0'; i++)
		n += text[i] == '\n';
	CHECK(e, n >= 3, "%d lines", n);
	rc = 0;
out:
	free(text);
	return (rc);
}
