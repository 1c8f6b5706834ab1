/*
 * e2e-oncall.c: issue 10's rotations on the real binary, from the
 * console: `!oncall vault` names whom the test computes for now; an
 * override set by a member is still there after a restart; one asked by
 * someone outside the rotation is refused; `opsbot oncall export`
 * prints a feed that libical parses back into the shifts the test
 * expects, the override among them; a rotation that follows a calendar
 * URL (fakeslack's /_ctl/config "files") answers from it, and from the
 * store's copy after the server fails and the bot restarts.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libical/ical.h>

#include "e2e.h"

#define DAY_MS		(INT64_C(24) * 3600 * 1000)
#define HOUR_MS		(INT64_C(3600) * 1000)
/* 2026-01-01T00:00:00Z: the rotation's start, U0VAULT1's first day */
#define ONCALL_START_MS	INT64_C(1767225600000)
#define ONCALL_MEMBER	"U0VAULT2"
#define ONCALL_OUTSIDER	"U0OUTSIDER"
#define ONCALL_COVER	"U0COVER"

static const char *const oncall_members[] = {
	"U0VAULT1", "U0VAULT2", "U0VAULT3"
};

/* A daily rotation at 00:00 UTC: whose day it is, the test can tell. */
static void
oncall_config(struct e2e *e)
{
	e2e_cfg_printf(e, "rotations:\n"
	    "  - name: vault\n"
	    "    members: [U0VAULT1, U0VAULT2, U0VAULT3]\n"
	    "    shift: daily\n"
	    "    handoff: \"00:00\"\n"
	    "    start: 2026-01-01\n"
	    "    timezone: UTC\n"
	    "    channel: \"#operator-vault\"\n"
	    "    managers: [U0VAULTMGR]\n");
}

/* Whose day it is at ms by the test's own arithmetic. */
static const char *
oncall_expected(int64_t ms)
{
	return (oncall_members[((ms - ONCALL_START_MS) / DAY_MS) % 3]);
}

static int
console_done(struct e2e *e)
{
	int	rc = -1, status;

	e2e_console_close(e);
	status = e2e_bot_stop(e, 0, 15000);
	CHECK(e, status != -1 && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0, "the console did not exit 0 (%d)",
	    status);
	rc = 0;
out:
	return (rc);
}

/* Starts the console as user (--user; $USER says someone else). */
static int
console_as(struct e2e *e, const char *user)
{
	e->console = 1;
	e->console_user = user;
	e2e_bot_setenv(e, "USER", "nobody-in-particular");
	return (e2e_bot_start(e));
}

int
sc_oncall_console(struct e2e *e)
{
	char		 want[128];
	const char	*who;
	int64_t		 t0;
	int		 rc = -1;

	oncall_config(e);
	CHECK(e, console_as(e, ONCALL_MEMBER) == 0, "start the console");
	/* a second either side of midnight would make it the next day's */
	t0 = e2e_wall_ms();
	if (t0 % DAY_MS > DAY_MS - 30000)
		e2e_sleep_ms(31000);
	t0 = e2e_wall_ms();
	who = oncall_expected(t0);
	CHECK(e, e2e_console_send(e, "!oncall vault") == 0, "write");
	CHECK(e, e2e_wait_stdout(e, "is on call until", 1, E2E_REPLY_MS) ==
	    1, "no answer printed");
	snprintf(want, sizeof want, "@%s is on call until", who);
	CHECK(e, e2e_stdout_count(e, want) == 1, "not %s on call", who);
	snprintf(want, sizeof want, "Next: @%s, from",
	    oncall_expected(t0 + DAY_MS));
	CHECK(e, e2e_stdout_count(e, want) == 1, "not the next person");
	/* the channel's rotation, or the only one: the same answer */
	CHECK(e, e2e_console_send(e, "!oncall") == 0, "write");
	CHECK(e, e2e_wait_stdout(e, "is on call until", 2, E2E_REPLY_MS) ==
	    2, "no answer to !oncall");
	/* a member hands the pager to someone for three hours */
	CHECK(e, e2e_console_send(e, "!oncall set vault <@" ONCALL_COVER
	    "> until 3h") == 0, "write");
	CHECK(e, e2e_wait_stdout(e, "Override #1", 1, E2E_REPLY_MS) == 1,
	    "no override set");
	CHECK(e, e2e_stdout_count(e, "@" ONCALL_COVER " is on call for "
	    "*vault*") == 1, "the override names someone else");
	CHECK(e, console_done(e) == 0, "exit");

	/* after a restart, asked by someone outside the rotation */
	CHECK(e, console_as(e, ONCALL_OUTSIDER) == 0, "restart the console");
	CHECK(e, e2e_console_send(e, "!oncall vault") == 0, "write");
	CHECK(e, e2e_wait_stdout(e, "@" ONCALL_COVER " is on call (override)",
	    1, E2E_REPLY_MS) == 1, "the override did not survive a restart");
	CHECK(e, e2e_console_send(e, "!oncall set vault me") == 0, "write");
	CHECK(e, e2e_wait_stdout(e, "you are none of these", 1,
	    E2E_REPLY_MS) == 1, "an outsider was not refused");
	CHECK(e, e2e_stdout_count(e, "Override #2") == 0, "an outsider set "
	    "an override");
	CHECK(e, e2e_console_send(e, "!oncall vault") == 0, "write");
	CHECK(e, e2e_wait_stdout(e, "@" ONCALL_COVER " is on call (override)",
	    2, E2E_REPLY_MS) == 2, "the refused override changed the answer");
	CHECK(e, console_done(e) == 0, "exit");
	rc = 0;
out:
	return (rc);
}

/*
 * Runs `opsbot -c <cfg> --db <db> oncall export vault --days N` and
 * reads what it prints into *text (a new string). 0, or -1 (reported).
 */
static int
oncall_export_run(struct e2e *e, int days, char **text)
{
	char	 cfg[1024], db[1024], out[1024], ndays[16];
	FILE	*f;
	long	 len;
	pid_t	 pid;
	int	 fd, status, rc = -1;

	snprintf(cfg, sizeof cfg, "%s/opsbot.yaml", e->tmpdir);
	snprintf(db, sizeof db, "%s/opsbot.db", e->tmpdir);
	snprintf(out, sizeof out, "%s/export.ics", e->tmpdir);
	snprintf(ndays, sizeof ndays, "%d", days);
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		if ((fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644)) ==
		    -1 || dup2(fd, 1) == -1)
			_exit(126);
		if ((fd = open(e->bot_err, O_WRONLY | O_APPEND)) != -1)
			dup2(fd, 2);
		execl(e->bot_bin, "opsbot", "-c", cfg, "--db", db, "oncall",
		    "export", "vault", "--days", ndays, (char *)NULL);
		_exit(127);
	}
	CHECK(e, waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0, "oncall export failed (%d)", status);
	f = fopen(out, "rb");
	CHECK(e, f != NULL, "no export written");
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	*text = calloc(1, (size_t)len + 1);
	if (*text == NULL || fread(*text, 1, (size_t)len, f) != (size_t)len)
		err(1, "read %s", out);
	fclose(f);
	rc = 0;
out:
	return (rc);
}

int
sc_oncall_export(struct e2e *e)
{
	icalcomponent		*cal = NULL, *ev;
	const char		*summary;
	char			*text = NULL;
	int64_t			 now, start, end, prev_end = 0, ov_start = 0;
	int			 n = 0, overrides = 0, want, rc = -1;

	oncall_config(e);
	CHECK(e, console_as(e, "U0VAULT1") == 0, "start the console");
	CHECK(e, e2e_console_send(e, "!oncall set vault <@" ONCALL_COVER
	    "> until 3h") == 0, "write");
	CHECK(e, e2e_wait_stdout(e, "Override #1", 1, E2E_REPLY_MS) == 1,
	    "no override set");
	CHECK(e, console_done(e) == 0, "exit");

	now = e2e_wall_ms();
	CHECK(e, oncall_export_run(e, 10, &text) == 0, "export");
	cal = icalparser_parse_string(text);
	CHECK(e, cal != NULL && icalcomponent_isa(cal) ==
	    ICAL_VCALENDAR_COMPONENT, "libical cannot read the feed");
	for (ev = icalcomponent_get_first_component(cal,
	    ICAL_VEVENT_COMPONENT); ev != NULL;
	    ev = icalcomponent_get_next_component(cal,
	    ICAL_VEVENT_COMPONENT)) {
		CHECK(e, icaltime_is_utc(icalcomponent_get_dtstart(ev)) &&
		    icaltime_is_utc(icalcomponent_get_dtend(ev)),
		    "VEVENT %d: not in UTC", n);
		start = (int64_t)icaltime_as_timet(
		    icalcomponent_get_dtstart(ev)) * 1000;
		end = (int64_t)icaltime_as_timet(
		    icalcomponent_get_dtend(ev)) * 1000;
		summary = icalcomponent_get_summary(ev);
		CHECK(e, summary != NULL && icalcomponent_get_uid(ev) != NULL,
		    "VEVENT %d: no SUMMARY or UID", n);
		CHECK(e, n == 0 || start == prev_end, "VEVENT %d does not "
		    "start where the one before ends", n);
		if (strstr(summary, ONCALL_COVER) != NULL) {
			CHECK(e, strstr(summary, "override") != NULL,
			    "the override is not marked");
			CHECK(e, end - start == 3 * HOUR_MS, "the override "
			    "lasts %lld ms", (long long)(end - start));
			ov_start = start;
			overrides++;
		} else {
			/* whose day: at the stretch's start */
			CHECK(e, strstr(summary, oncall_expected(start)) !=
			    NULL, "VEVENT %d: '%s' is not %s's", n, summary,
			    oncall_expected(start));
			CHECK(e, end % DAY_MS == 0, "VEVENT %d does not end at "
			    "the midnight handoff", n);
		}
		prev_end = end;
		n++;
	}
	CHECK(e, overrides == 1, "%d overrides in the feed", overrides);
	CHECK(e, prev_end >= now + 10 * DAY_MS, "the feed stops short");
	/*
	 * 11 days are touched by [now, now + 10 days); the override cuts
	 * its day in two, unless it runs past midnight: then it takes the
	 * rest of its day and cuts the next.
	 */
	want = (ov_start % DAY_MS) + 3 * HOUR_MS > DAY_MS ? 11 : 12;
	CHECK(e, n == want, "%d VEVENTs, want %d", n, want);
	rc = 0;
out:
	if (cal != NULL)
		icalcomponent_free(cal);
	free(text);
	return (rc);
}

#define ICAL_PERSON	"U0ICALURL"

/*
 * A calendar with ICAL_PERSON on call from a day ago to a day ahead of
 * now_ms, then U0VAULT1: what the scheduler's export would hold.
 */
static char *
ical_body_new(int64_t now_ms)
{
	char		 from[32], mid[32], to[32];
	time_t		 t;
	struct tm	 tm;
	char		*s;

	t = (time_t)(now_ms / 1000 - 86400);
	gmtime_r(&t, &tm);
	strftime(from, sizeof from, "%Y%m%dT%H%M%SZ", &tm);
	t = (time_t)(now_ms / 1000 + 86400);
	gmtime_r(&t, &tm);
	strftime(mid, sizeof mid, "%Y%m%dT%H%M%SZ", &tm);
	t = (time_t)(now_ms / 1000 + 3 * 86400);
	gmtime_r(&t, &tm);
	strftime(to, sizeof to, "%Y%m%dT%H%M%SZ", &tm);
	if (asprintf(&s, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
	    "PRODID:-//e2e//scheduler//EN\r\n"
	    "BEGIN:VEVENT\r\nUID:a@e2e\r\nDTSTAMP:%s\r\nDTSTART:%s\r\n"
	    "DTEND:%s\r\nSUMMARY:On call: <@" ICAL_PERSON ">\r\nEND:VEVENT\r\n"
	    "BEGIN:VEVENT\r\nUID:b@e2e\r\nDTSTAMP:%s\r\nDTSTART:%s\r\n"
	    "DTEND:%s\r\nSUMMARY:On call: <@U0VAULT1>\r\nEND:VEVENT\r\n"
	    "END:VCALENDAR\r\n", from, from, mid, from, mid, to) == -1)
		err(1, "asprintf");
	return (s);
}

/*
 * issue 10: `ical: http://...` fetched by the console at start through
 * the adapter (curl in the loop) from fakeslack's files; after the
 * server answers 500 and the bot restarts, the store's copy still
 * answers, and the log names the failure without the URL's query.
 */
int
sc_oncall_ical_url(struct e2e *e)
{
	json_t	*a = NULL;
	char	*body = NULL;
	int	 rc = -1;

	body = ical_body_new(e2e_wall_ms());
	a = e2e_ctl(e, "config", json_pack("{s:{s:s}}", "files",
	    "/cal/vault.ics", body));
	CHECK(e, a != NULL && json_is_true(json_object_get(a, "ok")),
	    "serve the calendar");
	json_decref(a);
	a = NULL;
	e2e_cfg_printf(e, "rotations:\n"
	    "  - name: vault\n"
	    "    timezone: UTC\n"
	    "    channel: \"#operator-vault\"\n"
	    "    ical: http://127.0.0.1:%d/cal/vault.ics?token=" E2E_SECRET
	    "\n"
	    "    ical_refresh: 1h\n", e->port);
	CHECK(e, console_as(e, ONCALL_MEMBER) == 0, "start the console");
	CHECK(e, e2e_console_send(e, "!oncall vault") == 0, "write");
	CHECK(e, e2e_wait_stdout(e, "is on call until", 1, E2E_REPLY_MS) ==
	    1, "no answer printed");
	CHECK(e, e2e_stdout_count(e, "@" ICAL_PERSON " is on call until") ==
	    1, "not the calendar's person on call");
	CHECK(e, e2e_stdout_count(e, "Next: @U0VAULT1") == 1,
	    "not the calendar's next person");
	CHECK(e, e2e_count(e, "file", "path", "/cal/vault.ics") >= 1,
	    "the calendar was not fetched over HTTP");
	CHECK(e, console_done(e) == 0, "exit");

	/* the scheduler's server breaks; opsbot restarts */
	a = e2e_ctl(e, "config", json_pack("{s:{s:{s:s, s:i}}}", "files",
	    "/cal/vault.ics", "body", "oops", "status", 500));
	CHECK(e, a != NULL && json_is_true(json_object_get(a, "ok")),
	    "break the calendar");
	json_decref(a);
	a = NULL;
	CHECK(e, console_as(e, ONCALL_MEMBER) == 0, "restart the console");
	CHECK(e, e2e_console_send(e, "!oncall vault") == 0, "write");
	/* stdout is appended to across starts: the second answer */
	CHECK(e, e2e_wait_stdout(e, "is on call until", 2, E2E_REPLY_MS) ==
	    2, "no answer printed after the restart");
	CHECK(e, e2e_stdout_count(e, "@" ICAL_PERSON " is on call until") ==
	    2, "the stored calendar did not answer");
	CHECK(e, e2e_stdout_count(e, "could not be refreshed") == 1,
	    "the failed fetch was not said");
	CHECK(e, e2e_stdout_count(e, "HTTP status 500") == 1,
	    "the failure's cause was not said");
	CHECK(e, console_done(e) == 0, "exit");
	CHECK(e, e2e_stderr_count(e, "/cal/vault.ics: HTTP status 500") >= 1,
	    "the failure was not logged");
	CHECK(e, e2e_stderr_count(e, E2E_SECRET) == 0,
	    "the URL's credentials reached the log");
	rc = 0;
out:
	json_decref(a);
	free(body);
	return (rc);
}
