/*
 * main.c: the command line. Reads the config and the runbooks, opens the
 * store, picks the adapter (Slack when both tokens are set, else the
 * console) and runs the loop.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bot/bot.h"
#include "bot/channels.h"
#include "bot/clock.h"
#include "bot/oncall.h"
#include "bot/report.h"
#include "bot/outbox.h"
#include "bot/page.h"
#include "bot/sched.h"
#include "bot/ticket.h"
#include "bot/watch.h"
#include "adapters/adapter.h"
#include "store/store.h"

static __dead void
usage(int code)
{
	fprintf(code == 0 ? stdout : stderr,
	    "usage: opsbot [-c FILE] [--console] [--channel NAME] [--user ID] "
	    "[--runbooks DIR]... [--allow-skipped-runbooks] [--db PATH] "
	    "[-n] [-v]\n"
	    "       opsbot lint [--format=text|github|json] [--strict] DIR...\n"
	    "       opsbot [-c FILE] [--db PATH] oncall export ROTATION "
	    "[--days N]\n"
	    "       opsbot [-c FILE] [--db PATH] report [--format=csv|json] "
	    "[--since DATE] [--until DATE] [--rotation NAME]\n"
	    "  -c FILE          config file (YAML), e.g. config/opsbot.yaml\n"
	    "  --console        read commands from stdin, print replies\n"
	    "  --channel NAME   console channel (default from config, "
	    "#console)\n"
	    "  --user ID        console user, e.g. a rotation member's Slack "
	    "ID (default $USER)\n"
	    "  --runbooks DIR   runbook directory; repeat for more; "
	    "replaces the config's\n"
	    "  --allow-skipped-runbooks  a runbook sub-directory that cannot "
	    "be read or is\n"
	    "                   more than 16 deep is a warning, not an error "
	    "(for -n)\n"
	    "  --db PATH        sqlite store (overrides the config's store)\n"
	    "  -n               check config and runbooks, then exit\n"
	    "  -v               more logging (repeat for debug)\n"
	    "  --config-reference  print every config option and exit\n"
	    "  oncall export ROTATION  print the rotation's shifts (overrides "
	    "included)\n"
	    "                   as an iCalendar feed, from now; --days N "
	    "(default 90)\n"
	    "  report           print the summary's figures (read-only) as "
	    "CSV or JSON;\n"
	    "                   --since/--until local dates (default: the "
	    "last 7 days)\n"
#ifdef OPSBOT_TEST_CLOCK
	    "  --test-clock-fd N  (test build) move the clock by \"+<ms>\" "
	    "lines on fd N\n"
#endif
	    "Slack: set SLACK_APP_TOKEN (xapp-) and SLACK_BOT_TOKEN (xoxb-); "
	    "SLACK_API_URL overrides the Web API URL.\n");
	exit(code);
}

/*
 * Debian's libcurl4 links librtmp and libldap, and they link GnuTLS,
 * which initialises itself in a library constructor (libtasn1 trees,
 * p11-kit): about 0.8 MB of RSS (bench/README.md) for a library opsbot
 * never calls, since curl speaks TLS through OpenSSL and is limited to
 * http and https. GnuTLS skips that when GNUTLS_NO_IMPLICIT_INIT=1 is
 * in the environment before the constructors run, so set it and start
 * again, once: same pid, argv and descriptors. If the exec fails we
 * simply go on with the memory spent. Set the variable yourself (to
 * anything) to skip the exec, e.g. under valgrind without
 * --trace-children.
 */
static void
reexec_without_gnutls_init(char **argv)
{
	if (getenv("GNUTLS_NO_IMPLICIT_INIT") != NULL)
		return;
	if (setenv("GNUTLS_NO_IMPLICIT_INIT", "1", 1) != 0)
		return;
	execv("/proc/self/exe", argv);
}

/*
 * Prints a cause (a file name and a value from it, or an error from a
 * library) on stderr as one line, control characters escaped.
 */
static void
print_cause(const char *prefix, const char *cause, const char *suffix)
{
	struct buf	 b = { NULL, 0, 0 };

	utf8_escape_controls(&b, cause, strlen(cause));
	fprintf(stderr, "%s%s%s\n", prefix, buf_str(&b), suffix);
	buf_reset(&b);
}

/*
 * `opsbot oncall export <rotation> [--days N]`: the rotation's shifts
 * from now as an iCalendar feed on stdout, overrides read from the
 * store (db, or the config's). Returns the exit code.
 */
static int
oncall_export_main(struct bot *bot, const char *name, int days,
    const char *db)
{
	const struct rotation	*rot;
	struct buf		 b = { NULL, 0, 0 };
	char			*cause = NULL;
	int			 rc = 1;

	if ((rot = rotation_find(bot->cfg, name)) == NULL) {
		print_cause("opsbot: no rotation named ", name,
		    " in the config");
		goto out;
	}
	if ((bot->store = store_open(db != NULL ? db : bot->cfg->db_path,
	    &cause)) == NULL) {
		print_cause("opsbot: ", cause, "");
		goto out;
	}
	if (oncall_export(bot, rot, clock_wall_ms(), days, &b, &cause) < 0) {
		print_cause("opsbot: ", cause, "");
		goto out;
	}
	if (fwrite(buf_str(&b), 1, b.len, stdout) != b.len ||
	    fflush(stdout) != 0) {
		fprintf(stderr, "opsbot: cannot write the feed: %s\n",
		    strerror(errno));
		goto out;
	}
	rc = 0;
out:
	buf_reset(&b);
	free(cause);
	return (rc);
}

/*
 * Reports load problems (escaped by rb_diag_format_new);
 * returns the number of errors. -n prints every one: a skipped directory
 * must not hide behind a broken runbook reported before it.
 */
static size_t
report_diags(const struct rb_diags *diags, int check_only)
{
	size_t	 i, errors = 0;
	char	*line;

	for (i = 0; i < diags->n; i++) {
		line = rb_diag_format_new(&diags->v[i]);
		if (diags->v[i].is_error) {
			errors++;
			if (check_only)
				fprintf(stderr, "%s\n", line);
			else
				log_warnx("%s (runbook skipped)", line);
		} else if (!check_only)
			log_info("%s", line);
		else
			fprintf(stderr, "%s (warning)\n", line);
		free(line);
	}
	return (errors);
}

/*
 * -n stays off the network: a rotation's calendar URL was only checked
 * for its shape, so say that it is fetched at start (credentials in it
 * redacted).
 */
static void
check_feeds(const struct config *cfg)
{
	size_t	 i;
	char	*url;

	for (i = 0; i < cfg->nrotations; i++) {
		if (cfg->rotations[i].ical_url == NULL)
			continue;
		url = adapter_url_redact_new(cfg->rotations[i].ical_url);
		printf("rotation %s: calendar %s will be fetched at start\n",
		    cfg->rotations[i].name, url);
		free(url);
	}
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "console", no_argument, NULL, 'C' },
		{ "channel", required_argument, NULL, 'H' },
		{ "user", required_argument, NULL, 'U' },
		{ "runbooks", required_argument, NULL, 'R' },
		{ "allow-skipped-runbooks", no_argument, NULL, 'S' },
		{ "db", required_argument, NULL, 'D' },
		{ "config-reference", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "days", required_argument, NULL, 'Y' },
		{ "format", required_argument, NULL, 'P' },
		{ "since", required_argument, NULL, 'i' },
		{ "until", required_argument, NULL, 'u' },
		{ "rotation", required_argument, NULL, 'r' },
#ifdef OPSBOT_TEST_CLOCK
		/* Not in other builds: getopt_long rejects it as unknown. */
		{ "test-clock-fd", required_argument, NULL, 'T' },
#endif
		{ NULL, 0, NULL, 0 }
	};
	struct bot		 bot;
	struct strv		 runbooks = { NULL, 0, 0 };
	struct rb_diags		 diags = { NULL, 0 };
	const struct adapter_ops *ops;
	const char		*cfgfile = NULL, *db = NULL, *channel = NULL;
	const char		*user = NULL;
	/* `report`'s options (bot/report-cli.c) */
	const char		*rformat = NULL, *since = NULL, *until = NULL;
	const char		*rotation = NULL;
	char			*cause = NULL;
	int			 ch, console = 0, check = 0, verbose = 0;
	long			 clock_fd = -1, days = ONCALL_EXPORT_DAYS;
	char			*end;
	int			 load_flags = 0;
	int			 rc = 1;
	int			 level, report;

	reexec_without_gnutls_init(argv);
	memset(&bot, 0, sizeof bot);
	log_init(LOG_LVL_INFO, stderr);
	/* A mode of its own, for runbook repositories' CI (lint-main.c). */
	if (argc > 1 && strcmp(argv[1], "lint") == 0) {
		rc = lint_main(argc - 1, argv + 1);
		log_release();
		return (rc);
	}
	while ((ch = getopt_long(argc, argv, "c:nvhV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			cfgfile = optarg;
			break;
		case 'C':
			console = 1;
			break;
		case 'H':
			channel = optarg;
			break;
		case 'U':
			user = optarg;
			break;
		case 'R':
			strv_add(&runbooks, optarg);
			break;
		case 'S':
			load_flags |= RB_LOAD_ALLOW_SKIPPED;
			break;
		case 'D':
			db = optarg;
			break;
		case 'n':
			check = 1;
			break;
		case 'v':
			verbose++;
			break;
		case 'F':
			config_print_reference(stdout);
			return (0);
		case 'V':
			printf("opsbot %s\n", OPSBOT_VERSION);
			return (0);
		case 'T':
			errno = 0;
			clock_fd = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || end == optarg ||
			    clock_fd < 0 || clock_fd > INT_MAX)
				usage(2);
			break;
		case 'Y':
			errno = 0;
			days = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || end == optarg ||
			    days < 1 || days > ONCALL_EXPORT_DAYS_MAX)
				usage(2);
			break;
		case 'P':
			rformat = optarg;
			break;
		case 'i':
			since = optarg;
			break;
		case 'u':
			until = optarg;
			break;
		case 'r':
			rotation = optarg;
			break;
		case 'h':
			usage(0);
		default:
			usage(2);
		}
	}
	report = argc - optind == 1 && strcmp(argv[optind], "report") == 0;
	if (optind != argc && !report && !(argc - optind == 3 &&
	    strcmp(argv[optind], "oncall") == 0 &&
	    strcmp(argv[optind + 1], "export") == 0))
		usage(2);
	/* report's options are its alone, as --days is export's */
	if (!report && (rformat != NULL || since != NULL || until != NULL ||
	    rotation != NULL))
		usage(2);
	/* --days is export's alone: elsewhere it would be silently unused */
	if ((optind == argc || report) && days != ONCALL_EXPORT_DAYS)
		usage(2);

	bot.cfg = config_new();
	if (cfgfile != NULL && config_load(bot.cfg, cfgfile, &cause) != 0) {
		print_cause("", cause, "");
		goto out;
	}
	if (report) {
		rc = report_cli(bot.cfg, db, rformat, since, until, rotation,
		    clock_wall_ms(), stdout, stderr);
		goto out;
	}
	if (optind != argc) {
		rc = oncall_export_main(&bot, argv[optind + 2], (int)days, db);
		goto out;
	}
	if (config_from_env(bot.cfg, &cause) != 0) {
		print_cause("opsbot: ", cause, "");
		goto out;
	}
	if (runbooks.n > 0) {
		strv_reset(&bot.cfg->runbook_dirs);
		bot.cfg->runbook_dirs = runbooks;
		memset(&runbooks, 0, sizeof runbooks);
	}
	if (db != NULL) {
		free(bot.cfg->db_path);
		bot.cfg->db_path = xstrdup(db);
	}
	if (channel != NULL) {
		free(bot.cfg->console_channel);
		bot.cfg->console_channel = xstrdup(channel);
	}
	if (user != NULL) {
		free(bot.cfg->console_user);
		bot.cfg->console_user = xstrdup(user);
	}
	level = (int)bot.cfg->log_level + verbose;
	log_setlevel(level > LOG_LVL_DEBUG ? LOG_LVL_DEBUG :
	    (enum log_level)level);
	if (bot.cfg->runbook_dirs.n == 0) {
		fprintf(stderr, "opsbot: no runbook directories: give -c FILE "
		    "with 'runbooks:' or --runbooks DIR\n");
		goto out;
	}

	bot.runbooks = runbook_set_load_flags(
	    (const char *const *)bot.cfg->runbook_dirs.v,
	    bot.cfg->runbook_dirs.n, load_flags, &diags);
	if (bot.runbooks == NULL) {
		report_diags(&diags, 1);
		goto out;
	}
	if (report_diags(&diags, check) > 0 && check)
		goto out;
	if (watch_check_sections(bot.cfg->watches, bot.runbooks,
	    cfgfile != NULL ? cfgfile : "config", &cause) != 0 ||
	    policy_check_vendors(bot.cfg, bot.runbooks,
	    cfgfile != NULL ? cfgfile : "config", &cause) != 0 ||
	    page_rota_check_policies(bot.cfg,
	    cfgfile != NULL ? cfgfile : "config", &cause) != 0) {
		print_cause("", cause, "");
		goto out;
	}
	/* A damaged store is refused at start: -n says so first. */
	if (check && bot.cfg->db_path != NULL) {
		switch (store_check(bot.cfg->db_path, &cause)) {
		case -1:
			print_cause("opsbot: ", cause, "");
			goto out;
		case 1:
			print_cause("opsbot: ", cause, " (warning)");
			break;
		}
		free(cause);
		cause = NULL;
	}
	if (check) {
		check_feeds(bot.cfg);
		printf("configuration OK: %zu runbooks, %zu sections\n",
		    bot.runbooks->nrunbooks, bot.runbooks->nsections);
		rc = 0;
		goto out;
	}
	log_info("loaded %zu runbooks, %zu sections",
	    bot.runbooks->nrunbooks, bot.runbooks->nsections);

	if (!console && (bot.cfg->app_token == NULL) !=
	    (bot.cfg->bot_token == NULL)) {
		fprintf(stderr, "opsbot: %s is set but %s is not: set both for "
		    "Slack, or neither for the console\n",
		    bot.cfg->app_token != NULL ? "SLACK_APP_TOKEN" :
		    "SLACK_BOT_TOKEN", bot.cfg->app_token != NULL ?
		    "SLACK_BOT_TOKEN" : "SLACK_APP_TOKEN");
		goto out;
	}
	if (!console && bot.cfg->app_token == NULL) {
		log_info("no Slack tokens set: starting the console adapter");
		console = 1;
	}
	ops = adapter_find(console ? "console" : "slack");

	if ((bot.store = store_open(bot.cfg->db_path, &cause)) == NULL) {
		print_cause("opsbot: ", cause, "");
		goto out;
	}
	if (runbook_index_build(bot.runbooks, bot.store) != 0) {
		fprintf(stderr, "opsbot: cannot build the runbook index\n");
		goto out;
	}
#ifdef OPSBOT_TEST_CLOCK
	if (clock_fd != -1 &&
	    (bot.test_clock = test_clock_new(&bot, (int)clock_fd)) == NULL)
		goto out;
#endif
	bot.channels = channel_names_new(bot.store);
	bot.tickets = ticket_index_new();
	if (ticket_index_load(bot.tickets, bot.store) != 0) {
		fprintf(stderr, "opsbot: cannot read the open tickets: %s\n",
		    store_last_error(bot.store));
		goto out;
	}
	bot.outbox = outbox_new(&bot);
	bot.sched = xcalloc(1, sizeof *bot.sched);
	sched_init(bot.sched, timer_kinds, timer_nkinds, &bot);
	/* the next scheduled summaries; sched_start fires what fell due */
	if (summary_arm_all(&bot, clock_wall_ms()) != 0) {
		fprintf(stderr, "opsbot: cannot arm the scheduled summaries: "
		    "%s\n", store_last_error(bot.store));
		goto out;
	}
	if ((bot.adapter = adapter_new(ops, &bot)) == NULL) {
		fprintf(stderr, "opsbot: cannot start the %s adapter\n",
		    ops->name);
		goto out;
	}
	if (bot_loop_run(&bot) != 0)
		goto out;
	rc = bot.exit_code;
out:
#ifdef OPSBOT_TEST_CLOCK
	test_clock_free(bot.test_clock);
#endif
	adapter_free(bot.adapter);
	outbox_free(bot.outbox);
	channel_names_free(bot.channels);
	ticket_index_free(bot.tickets);
	free(bot.sched);
	store_close(bot.store);
	runbook_set_free(bot.runbooks);
	rb_diags_reset(&diags);
	config_free(bot.cfg);
	strv_reset(&runbooks);
	free(cause);
	log_release();
	return (rc);
}
