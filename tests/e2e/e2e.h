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

struct e2e {
	const char	*name;		/* the scenario */
	char		*tmpdir;	/* owned */
	const char	*bot_bin;	/* from the environment */
	const char	*fs_bin;
	const char	*seeds;
	const char	*fixtures;
	pid_t		 fs_pid;
	int		 port;
	char		 base[64];	/* http://127.0.0.1:port */
	pid_t		 bot_pid;	/* -1 when not running */
	int		 bot_status;	/* waitpid status once exited */
	int		 expect_exit;	/* the scenario stops the bot itself */
	char		*bot_err;	/* owned: path of the bot's stderr */
	char		*bot_out;	/* owned: path of the bot's stdout */
	char		*fs_err;	/* owned: path of fakeslack's stderr */
	char		*cfg_extra;	/* owned: YAML appended to slack: */
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
int64_t	 e2e_now_ms(void);
void	 e2e_sleep_ms(int);

/* Lifecycle: setup starts fakeslack; teardown stops everything. */
int	 e2e_setup(struct e2e *, const char *name);
/* Returns 0 if the teardown found nothing wrong (exit code, leaks). */
int	 e2e_teardown(struct e2e *);

/* Writes <tmpdir>/opsbot.yaml and starts opsbot (Slack mode). */
int	 e2e_bot_start(struct e2e *);
/* Starts and waits for the first hello; 0 or -1. */
int	 e2e_bot_start_ready(struct e2e *);
/* Sends sig and waits up to ms; returns the exit status, or -1. */
int	 e2e_bot_stop(struct e2e *, int sig, int ms);
/* 1 if the bot is still running; reaps it otherwise. */
int	 e2e_bot_alive(struct e2e *);
/* Counts lines of the bot's stderr containing s. */
int	 e2e_stderr_count(struct e2e *, const char *s);

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

#endif /* E2E_H */
