/*
 * e2e.h: the end-to-end harness: the real opsbot binary against
 * fakeslack over loopback, one fakeslack and one temp dir per test so
 * tests can run in parallel (ctest -j).
 *
 * Environment (set by tests/e2e/CMakeLists.txt):
 *   OPSBOT_BIN, FAKESLACK_BIN  the binaries under test
 *   OPSBOT_SEEDS_DIR           the runbooks
 *   E2E_FIXTURES               tests/e2e/fixtures (Slack payloads)
 *   E2E_TMPDIR                 where per-test dirs are made
 *
 * fakeslack speaks plain http:// and ws:// unless a scenario calls
 * e2e_tls_start() first: that makes a throwaway CA and server certificate
 * with the openssl command (in <tmpdir>/tls/) and restarts fakeslack
 * with them, so the bot has to verify a real chain over https:// and
 * wss://.
 */
#ifndef E2E_H
#define E2E_H

#include <sys/types.h>

#include <stdint.h>

#include <curl/curl.h>
#include <jansson.h>

#define E2E_APP_TOKEN	"xapp-1-A0001-test-secret"
#define E2E_BOT_TOKEN	"xoxb-0001-test-secret"
/* the part of both tokens that must never reach a log */
#define E2E_SECRET	"test-secret"

/* Generous: the bot runs under ASan in CI, 2-3x slower. */
#define E2E_START_MS	20000	/* bot start to first hello */
#define E2E_REPLY_MS	10000	/* event to the reply it causes */
#define E2E_SETTLE_MS	1500	/* how long "no second post" is watched */
#define E2E_ACK_US	3000000	/* Slack's ack deadline */
#define E2E_TIMER_MS	5000	/* a moved clock's timer to its post */

/*
 * The host in every TLS URL. An IP literal needs no resolver: lws 4.1.6
 * resolves names with a blocking getaddrinfo(), and "localhost" may
 * come back ::1 first while fakeslack listens on 127.0.0.1 only (both
 * lws and libcurl do fall back, and both check an IP against the
 * certificate's IP SAN, so "localhost" works too; it is just one more
 * moving part).
 */
#define E2E_TLS_HOST	"127.0.0.1"
/* what the server certificate is good for unless a scenario says */
#define E2E_TLS_SAN	"DNS:localhost,IP:127.0.0.1"
#define E2E_ENV_MAX	8	/* extra environment variables for the bot */

struct e2e {
	const char	*name;		/* the scenario */
	char		*tmpdir;	/* owned */
	const char	*bot_bin;	/* from the environment */
	const char	*fs_bin;
	const char	*seeds;
	const char	*fixtures;
	pid_t		 fs_pid;
	int		 port;
	char		 base[64];	/* http(s)://127.0.0.1:port */
	pid_t		 bot_pid;	/* -1 when not running */
	int		 bot_status;	/* waitpid status once exited */
	int		 expect_exit;	/* the scenario stops the bot itself */
	char		*bot_err;	/* owned: path of the bot's stderr */
	char		*bot_out;	/* owned: path of the bot's stdout */
	char		*fs_err;	/* owned: path of fakeslack's stderr */
	char		*cfg_extra;	/* owned: YAML appended to slack: */
	char		*tls_dir;	/* owned: <tmpdir>/tls, once made */
	char		*ca_file;	/* owned: the test CA; NULL if plain */
	char		*bot_env[E2E_ENV_MAX];	/* owned: "NAME=value" */
	char		*runbooks_extra; /* owned: a second --runbooks, or NULL */
	size_t		 nbot_env;
	int		 default_pings;	/* keep the bot's ping defaults */
	int		 test_clock;	/* start the bot with --test-clock-fd */
	int		 clock_fd;	/* our end of it; -1 when none */
	int64_t		 clock_ahead_ms; /* step for the next start; 0 none */
	int64_t		 clock_wall;	/* the bot's wall ms at its last "ok" */
	int		 console;	/* start `opsbot --console` instead */
	const char	*console_user;	/* its --user, or NULL ($USER) */
	int		 console_in;	/* our end of its stdin; -1 when none */
	CURL		*curl;
	int		 failed;
};

/* A failed check: reports and jumps to the scenario's out label. */
#define CHECK(e, cond, ...) do {					\
	if (!(cond)) {							\
		e2e_fail((e), __FILE__, __LINE__, #cond, __VA_ARGS__);	\
		goto out;						\
	}								\
} while (0)

void	 e2e_fail(struct e2e *, const char *file, int line, const char *cond,
	    const char *fmt, ...) __attribute__((__format__(__printf__, 5, 6)));
void	 e2e_note(struct e2e *, const char *fmt, ...)
	    __attribute__((__format__(__printf__, 2, 3)));
/* The test's monotonic ms, for its own deadlines. */
int64_t	 e2e_now_ms(void);
/*
 * The test's real wall ms UTC (CLOCK_REALTIME): what the bot's clock
 * starts from, for sums about when a moved clock falls due.
 */
int64_t	 e2e_wall_ms(void);
void	 e2e_sleep_ms(int);

/* Lifecycle: setup starts fakeslack; teardown stops everything. */
int	 e2e_setup(struct e2e *, const char *name);
/* Returns 0 if the teardown found nothing wrong (exit code, leaks). */
int	 e2e_teardown(struct e2e *);

/*
 * Writes <tmpdir>/opsbot.yaml and starts opsbot (Slack mode), with
 * SLACK_API_URL at e->base and e->bot_env added to its environment.
 */
int	 e2e_bot_start(struct e2e *);
/*
 * Moves the running bot's clock forward by ms (a scenario that set
 * e->test_clock before the start; a test build): writes "+<ms>" on the
 * socketpair and waits for "ok <wall ms>", which the bot sends once its
 * clock moved and its adapter was told. Stores the bot's new wall time
 * in *wall if not NULL. Returns 0, or -1 (reported) on any other answer.
 */
int	 e2e_clock_advance(struct e2e *, int64_t ms, int64_t *wall);
/*
 * Queues a step of ms for the bot's next start (sets e->test_clock):
 * e2e_bot_start writes "+<ms>" on the socketpair before the bot runs,
 * so the bot applies it before its loop and its scheduler start (a bot
 * started that much later), and waits for its "ok" (e->clock_wall).
 * The step is used once; queueing twice before a start adds up.
 */
void	 e2e_clock_advance_before_start(struct e2e *, int64_t ms);
/* Starts and waits for the first hello; 0 or -1. */
int	 e2e_bot_start_ready(struct e2e *);
/* Sends sig and waits up to ms; returns the exit status, or -1. */
int	 e2e_bot_stop(struct e2e *, int sig, int ms);
/* 1 if the bot is still running; reaps it otherwise. */
int	 e2e_bot_alive(struct e2e *);
/* Counts lines of the bot's stderr containing s. */
int	 e2e_stderr_count(struct e2e *, const char *s);
/* Counts lines of the bot's stdout (the console's output) containing s. */
int	 e2e_stdout_count(struct e2e *, const char *s);
/* Waits up to ms until e2e_stderr_count() >= n: 0, or -1 on timeout. */
int	 e2e_wait_stderr(struct e2e *, const char *s, int n, int ms);
/* Waits until e2e_stdout_count() >= n; returns it, or -1 on timeout. */
int	 e2e_wait_stdout(struct e2e *, const char *s, int n, int ms);

/*
 * The console. With e->console set, e2e_bot_start runs `opsbot
 * --console` with no Slack tokens, its stdin a pipe whose write end is
 * e->console_in and its stdout the file e->bot_out. e2e_console_send
 * writes one line (a newline is added); 0 or -1 (reported).
 * e2e_console_close closes stdin: the console then prints what is due
 * and exits 0 (wait with e2e_bot_stop(e, 0, ms)).
 */
int	 e2e_console_send(struct e2e *, const char *line);
void	 e2e_console_close(struct e2e *);
/*
 * Appends YAML to e->cfg_extra, which goes under "slack:" in the bot's
 * next config: indent it two spaces, end it with a newline.
 */
void	 e2e_cfg_printf(struct e2e *, const char *fmt, ...)
	    __attribute__((__format__(__printf__, 2, 3)));
/*
 * Appends (e2e_cfg_printf) the rotation "vault" the page, handoff and
 * summary scenarios share: weekly shifts from Monday 2026-01-05, handed
 * over Mondays 09:00 in zone, members a YAML flow list ("[U0ONE,
 * U0TWO]"), channel its channel, U0MGR its manager. extra is YAML
 * appended as is (more keys of the rotation at four spaces, or "").
 */
void	 e2e_cfg_vault(struct e2e *, const char *members, const char *zone,
	    const char *channel, const char *extra);
/*
 * Sets name=value in the environment of the bot's next start (both are
 * copied; at most E2E_ENV_MAX, more is a harness bug and exits).
 */
void	 e2e_bot_setenv(struct e2e *, const char *name, const char *value);

/*
 * TLS. Everything is made under <tmpdir>/tls/ with the openssl command,
 * whose output goes to <tmpdir>/tls/openssl.log; keys are unencrypted,
 * certificates are valid for a day.
 *
 * e2e_tls_ca_new makes a self-signed CA <name>.pem (and <name>.key);
 * returns the certificate's path (a new string), or NULL.
 */
char	*e2e_tls_ca_new(struct e2e *, const char *name);
/*
 * Makes a hashed certificate directory <tmpdir>/tls/<name>/, what
 * SSL_CERT_DIR names: a copy of the CA certificate ca and its
 * <subject-hash>.0 link (openssl rehash), or nothing at all when ca is
 * NULL. Returns the directory's path (a new string), or NULL.
 */
char	*e2e_tls_hashdir_new(struct e2e *, const char *name, const char *ca);
/*
 * Switches fakeslack to TLS: makes a test CA ("ca") and a server
 * certificate it signs for san (NULL: E2E_TLS_SAN; openssl syntax), stops
 * the plain fakeslack e2e_setup() started and starts one with -C/-K
 * that hands out URLs naming url_host (NULL: E2E_TLS_HOST). Then e->base
 * is https://E2E_TLS_HOST:port, e->ca_file the CA's path, and the
 * control API client trusts that CA. The bot trusts nothing new: that is
 * up to the scenario (cfg_extra ca_file, or SSL_CERT_DIR). Call before
 * the bot starts. Returns 0, or -1 (reported) if anything failed.
 */
int	 e2e_tls_start(struct e2e *, const char *san, const char *url_host);

/*
 * The control API. body is stolen (may be NULL); returns a new
 * reference to the parsed answer, or NULL.
 */
json_t	*e2e_ctl(struct e2e *, const char *path, json_t *body);
/* The whole event log (new reference, an array). */
json_t	*e2e_events(struct e2e *);
/* A fixture by file name (new reference); NULL if unreadable. */
json_t	*e2e_fixture(struct e2e *, const char *name);
/* Replaces a message envelope's text, in event.text and its rich_text. */
void	 e2e_set_text(json_t *frame, const char *text);
/*
 * Sends frame (borrowed) to the newest healthy connection, stamping
 * fresh ids as stamp says (NULL: none; "all"; or a JSON object text).
 * Returns the control answer (new reference) or NULL.
 */
json_t	*e2e_send(struct e2e *, json_t *frame, const char *stamp);
json_t	*e2e_send_raw(struct e2e *, const char *raw, int binary);
/* A message envelope with text, fresh ids, sent; control answer. */
json_t	*e2e_send_message(struct e2e *, const char *text);

/*
 * Counts events of kind whose top-level key equals value (strings or
 * integers written as decimal); key NULL matches every event of kind.
 */
int	 e2e_count(struct e2e *, const char *kind, const char *key,
	    const char *value);
/* 1 if ev is of kind and its key equals value, as e2e_count() counts. */
int	 e2e_match(json_t *ev, const char *kind, const char *key,
	    const char *value);
/* Waits until e2e_count() >= n; returns the count, or -1 on timeout. */
int	 e2e_wait_count(struct e2e *, const char *kind, const char *key,
	    const char *value, int n, int ms);
/* The newest event of kind with key == value (new reference) or NULL. */
json_t	*e2e_find(struct e2e *, const char *kind, const char *key,
	    const char *value);
/* Successful chat.postMessage posts, oldest first (new reference). */
json_t	*e2e_posts(struct e2e *, const char *method);
/* What a user sees of a post or ack payload: text plus block texts. */
char	*e2e_visible_text_new(json_t *message);
/* Case-insensitive substring test. */
int	 e2e_contains(const char *hay, const char *needle);
/*
 * j's member key if it is a string (borrowed), else "" (never NULL, so
 * a check can strcmp/strstr it and print it as is).
 */
const char *e2e_str(json_t *j, const char *key);
/* How many chat.postMessage posts succeeded so far. */
int	 e2e_post_count(struct e2e *);
/*
 * Counts the successful chat.postMessage posts in channel (NULL: any)
 * whose text contains needle (case-sensitive; "" matches every post).
 * If last is not NULL it gets the text of the last one counted
 * (truncated to lastsz; left alone when none is).
 */
int	 e2e_posts_in(struct e2e *, const char *channel, const char *needle,
	    char *last, size_t lastsz);
/*
 * Waits up to ms until e2e_posts_in() >= n, last as there: 0, or -1 on
 * timeout. E2E_TIMER_MS is the usual wait for a post that a timer makes
 * once the clock was moved past it.
 */
int	 e2e_wait_posts_in(struct e2e *, const char *channel,
	    const char *needle, int n, int ms, char *last, size_t lastsz);
/*
 * Sends the message fixture with text, fresh ids, as user in channel,
 * in the thread of thread_ts (each NULL: the fixture's U0001, C0001,
 * top level): 0, or -1 (reported with e2e_fail).
 */
int	 e2e_say(struct e2e *, const char *user, const char *channel,
	    const char *thread_ts, const char *text);

/* e2e-reconnect.c: dead and dropped sockets, timed (bench/reconnect) */
int	 sc_silent_redeliver(struct e2e *);
int	 sc_rst_healthy(struct e2e *);

/* e2e-remind.c: reminders with the clock moved (test-clock builds) */
int	 sc_remind_posts_once(struct e2e *);
int	 sc_remind_user_zone(struct e2e *);
int	 sc_remind_late_after_restart(struct e2e *);
int	 sc_remind_kill9(struct e2e *);
int	 sc_remind_kill9_before_due(struct e2e *);
int	 sc_remind_console(struct e2e *);
/* e2e-watch.c */
int	 sc_watch_sealed(struct e2e *);
int	 sc_watch_channel_name(struct e2e *);
/* e2e-ticket.c */
int	 sc_ticket_warn_breach(struct e2e *);
int	 sc_ticket_warn_breach_premium(struct e2e *);
int	 sc_ticket_engineer_reply(struct e2e *);
int	 sc_ticket_essential_weekend(struct e2e *);
int	 sc_ticket_restart(struct e2e *);
int	 sc_ticket_late_warning(struct e2e *);
int	 sc_ticket_stale(struct e2e *);
int	 sc_ticket_reopen(struct e2e *);
int	 sc_ticket_close_reaction(struct e2e *);
int	 sc_ticket_close_button(struct e2e *);
int	 sc_ticket_close_no_reply(struct e2e *);
/* e2e-ticket-tiers.c */
int	 sc_ticket_permalink(struct e2e *);
int	 sc_ticket_permalink_error(struct e2e *);
int	 sc_ticket_group_member(struct e2e *);
int	 sc_ticket_custom_tier(struct e2e *);
/* e2e-oncall.c */
int	 sc_oncall_console(struct e2e *);
int	 sc_oncall_export(struct e2e *);
int	 sc_oncall_ical_url(struct e2e *);
/* e2e-page.c: registered only with branch oncall's rotations */
int	 sc_page_remind_manager(struct e2e *);
int	 sc_page_ack_stops(struct e2e *);
int	 sc_page_restart(struct e2e *);
int	 sc_page_ack_button(struct e2e *);
int	 sc_page_needhelp_answered(struct e2e *);
/* e2e-duty.c: on-call duties (test-clock builds), a watch that pages */
int	 sc_duty_nudge_checked(struct e2e *);
int	 sc_duty_missed_escalates(struct e2e *);
int	 sc_watch_pages(struct e2e *);
/* e2e-handoff.c: handoffs, with the clock moved */
int	 sc_handoff_records_open(struct e2e *);
int	 sc_handoff_ack_reminders(struct e2e *);
int	 sc_handoff_ack_button(struct e2e *);
int	 sc_handoff_dst(struct e2e *);
int	 sc_handoff_restart(struct e2e *);
/* e2e-summary.c */
int	 sc_summary_weekly_post(struct e2e *);
int	 sc_summary_late_after_restart(struct e2e *);
int	 sc_report_csv(struct e2e *);

#endif /* E2E_H */
