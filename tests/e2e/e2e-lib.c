/*
 * e2e-lib.c: processes (fakeslack, opsbot), the control API client, the
 * event log queries and waits the scenarios are written with.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "e2e.h"

static char *
e2e_strdup(const char *s)
{
	char	*p;

	p = strdup(s);
	if (p == NULL)
		err(1, "strdup");
	return (p);
}

static char *
e2e_printf_new(const char *fmt, ...)
    __attribute__((__format__(__printf__, 1, 2)));

static char *
e2e_printf_new(const char *fmt, ...)
{
	va_list	 ap;
	char	*s = NULL;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		err(1, "vasprintf");
	va_end(ap);
	return (s);
}

int64_t
e2e_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

int64_t
e2e_wall_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

void
e2e_sleep_ms(int ms)
{
	struct timespec	ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

void
e2e_fail(struct e2e *e, const char *file, int line, const char *cond,
    const char *fmt, ...)
{
	va_list	ap;

	e->failed = 1;
	fprintf(stderr, "FAIL %s: %s:%d: ", e->name, file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " [%s]\n", cond);
}

void
e2e_note(struct e2e *e, const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, "  %s: ", e->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int
e2e_contains(const char *hay, const char *needle)
{
	return (hay != NULL && strcasestr(hay, needle) != NULL);
}

/* ---- processes ----------------------------------------------------- */

static const char *
e2e_env(const char *name)
{
	const char	*v;

	v = getenv(name);
	if (v == NULL || *v == '\0')
		errx(2, "%s is not set (run through ctest)", name);
	return (v);
}

/* Waits up to ms for pid; returns the status, or -1 if still running. */
static int
e2e_wait_pid(pid_t pid, int ms)
{
	int64_t	deadline = e2e_now_ms() + ms;
	int	status;
	pid_t	r;

	for (;;) {
		r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			return (status);
		if (r == -1 && errno != EINTR)
			return (-1);
		if (e2e_now_ms() > deadline)
			return (-1);
		e2e_sleep_ms(10);
	}
}

/*
 * Starts fakeslack on a free port, over TLS with cert and key when cert
 * is not NULL, handing out URLs naming url_host when that is not NULL;
 * reads the port it prints and sets e->port and e->base. 0 or -1.
 */
static int
e2e_fs_start(struct e2e *e, const char *cert, const char *key,
    const char *url_host)
{
	const char	*argv[12];
	char		 line[64], *p;
	int		 fds[2], fd, n, argc = 0, off = 0;
	struct pollfd	 pfd;

	argv[argc++] = "fakeslack";
	argv[argc++] = "-v";
	argv[argc++] = "-p";
	argv[argc++] = "0";
	if (cert != NULL) {
		argv[argc++] = "-C";
		argv[argc++] = cert;
		argv[argc++] = "-K";
		argv[argc++] = key;
	}
	if (url_host != NULL) {
		argv[argc++] = "-H";
		argv[argc++] = url_host;
	}
	argv[argc] = NULL;
	if (pipe(fds) == -1)
		err(1, "pipe");
	e->fs_pid = fork();
	if (e->fs_pid == -1)
		err(1, "fork");
	if (e->fs_pid == 0) {
		fd = open(e->fs_err, O_WRONLY | O_CREAT | O_APPEND, 0644);
		if (fd != -1)
			dup2(fd, 2);
		dup2(fds[1], 1);
		close(fds[0]);
		execv(e->fs_bin, (char *const *)argv);
		_exit(127);
	}
	close(fds[1]);
	pfd.fd = fds[0];
	pfd.events = POLLIN;
	while (off < (int)sizeof line - 1) {
		if (poll(&pfd, 1, 10000) <= 0)
			break;
		n = read(fds[0], line + off, sizeof line - 1 - off);
		if (n <= 0)
			break;
		off += n;
		line[off] = '\0';
		if (strchr(line, '\n') != NULL)
			break;
	}
	close(fds[0]);
	line[off] = '\0';
	p = strstr(line, "port ");
	if (p == NULL)
		return (-1);
	e->port = (int)strtol(p + 5, NULL, 10);
	if (cert != NULL)
		snprintf(e->base, sizeof e->base, "https://%s:%d",
		    E2E_TLS_HOST, e->port);
	else
		snprintf(e->base, sizeof e->base, "http://127.0.0.1:%d",
		    e->port);
	return (e->port > 0 ? 0 : -1);
}

static void
e2e_fs_stop(struct e2e *e)
{
	if (e->fs_pid <= 0)
		return;
	kill(e->fs_pid, SIGTERM);
	if (e2e_wait_pid(e->fs_pid, 5000) == -1) {
		kill(e->fs_pid, SIGKILL);
		e2e_wait_pid(e->fs_pid, 5000);
	}
	e->fs_pid = -1;
}

int
e2e_setup(struct e2e *e, const char *name)
{
	const char	*tmp;
	char		*link;

	memset(e, 0, sizeof *e);
	e->name = name;
	e->bot_pid = -1;
	e->fs_pid = -1;
	e->clock_fd = -1;
	e->console_in = -1;
	e->bot_bin = e2e_env("OPSBOT_BIN");
	e->fs_bin = e2e_env("FAKESLACK_BIN");
	e->seeds = e2e_env("OPSBOT_SEEDS_DIR");
	e->fixtures = e2e_env("E2E_FIXTURES");
	tmp = getenv("E2E_TMPDIR");
	if (tmp == NULL || *tmp == '\0')
		tmp = "/tmp";
	mkdir(tmp, 0755);
	e->tmpdir = e2e_printf_new("%s/%s-XX" "XX" "XX", tmp, name);
	if (mkdtemp(e->tmpdir) == NULL)
		err(1, "mkdtemp %s", e->tmpdir);
	/* the config names runbooks relative to itself */
	link = e2e_printf_new("%s/runbooks", e->tmpdir);
	if (symlink(e->seeds, link) == -1)
		warn("symlink %s", link);
	free(link);
	e->bot_err = e2e_printf_new("%s/opsbot.stderr", e->tmpdir);
	e->bot_out = e2e_printf_new("%s/opsbot.stdout", e->tmpdir);
	e->fs_err = e2e_printf_new("%s/fakeslack.stderr", e->tmpdir);
	e->curl = curl_easy_init();
	if (e->curl == NULL)
		errx(1, "curl_easy_init");
	if (e2e_fs_start(e, NULL, NULL, NULL) != 0) {
		fprintf(stderr, "FAIL %s: fakeslack did not start (%s)\n",
		    name, e->fs_err);
		e->failed = 1;
		return (-1);
	}
	return (0);
}

static void
e2e_print_file(const char *title, const char *path, int max_lines)
{
	FILE	*f;
	char	*line = NULL;
	size_t	 cap = 0, n = 0, i, start;
	char	**lines = NULL;
	ssize_t	 len;

	f = fopen(path, "r");
	if (f == NULL)
		return;
	while ((len = getline(&line, &cap, f)) != -1) {
		lines = reallocarray(lines, n + 1, sizeof *lines);
		if (lines == NULL)
			err(1, "reallocarray");
		lines[n++] = e2e_strdup(line);
	}
	fclose(f);
	free(line);
	start = n > (size_t)max_lines ? n - (size_t)max_lines : 0;
	fprintf(stderr, "---- %s (%s, last %zu of %zu lines) ----\n", title,
	    path, n - start, n);
	for (i = 0; i < n; i++) {
		if (i >= start)
			fputs(lines[i], stderr);
		free(lines[i]);
	}
	free(lines);
	fprintf(stderr, "---- end of %s ----\n", title);
}

/* Counts lines of the file at path containing s. */
static int
e2e_file_count(const char *path, const char *s)
{
	FILE	*f;
	char	*line = NULL;
	size_t	 cap = 0;
	int	 n = 0;

	f = fopen(path, "r");
	if (f == NULL)
		return (0);
	while (getline(&line, &cap, f) != -1)
		if (strstr(line, s) != NULL)
			n++;
	fclose(f);
	free(line);
	return (n);
}

int
e2e_stderr_count(struct e2e *e, const char *s)
{
	return (e2e_file_count(e->bot_err, s));
}

int
e2e_stdout_count(struct e2e *e, const char *s)
{
	return (e2e_file_count(e->bot_out, s));
}

int
e2e_wait_stderr(struct e2e *e, const char *s, int n, int ms)
{
	int64_t	deadline = e2e_now_ms() + ms;

	while (e2e_stderr_count(e, s) < n) {
		if (e2e_now_ms() > deadline)
			return (-1);
		e2e_sleep_ms(50);
	}
	return (0);
}

int
e2e_wait_stdout(struct e2e *e, const char *s, int n, int ms)
{
	int64_t	deadline;
	int	c;

	deadline = e2e_now_ms() + ms;
	for (;;) {
		c = e2e_stdout_count(e, s);
		if (c >= n)
			return (c);
		if (e2e_now_ms() > deadline)
			return (-1);
		e2e_sleep_ms(20);
	}
}

int
e2e_teardown(struct e2e *e)
{
	size_t	i;
	int	status, n;

	if (e->bot_pid > 0) {
		status = e2e_bot_stop(e, SIGTERM, 15000);
		if (status == -1)
			e2e_fail(e, __FILE__, __LINE__, "stop",
			    "opsbot did not exit within 15 s of SIGTERM");
		else if (!e->expect_exit && !(WIFEXITED(status) &&
		    WEXITSTATUS(status) == 0))
			e2e_fail(e, __FILE__, __LINE__, "exit 0",
			    "opsbot exited with %s %d after SIGTERM",
			    WIFEXITED(status) ? "status" : "signal",
			    WIFEXITED(status) ? WEXITSTATUS(status) :
			    WTERMSIG(status));
	}
	n = e2e_stderr_count(e, E2E_SECRET);
	if (n > 0)
		e2e_fail(e, __FILE__, __LINE__, "no secrets",
		    "%d lines of opsbot's stderr contain a token secret", n);
	n = e2e_stderr_count(e, "AddressSanitizer") +
	    e2e_stderr_count(e, "runtime error:") +
	    e2e_stderr_count(e, "LeakSanitizer");
	if (n > 0)
		e2e_fail(e, __FILE__, __LINE__, "sanitizers",
		    "sanitizer reports in opsbot's stderr");
	e2e_fs_stop(e);
	/* a fakeslack bug would pass for a bot bug: it is checked too */
	n = e2e_file_count(e->fs_err, "Sanitizer") +
	    e2e_file_count(e->fs_err, "runtime error:");
	if (n > 0)
		e2e_fail(e, __FILE__, __LINE__, "fakeslack sanitizers",
		    "sanitizer reports in fakeslack's log");
	if (e->failed) {
		e2e_print_file("opsbot stderr", e->bot_err, 150);
		e2e_print_file("fakeslack log", e->fs_err, 60);
		if (e->tls_dir != NULL) {
			char *log = e2e_printf_new("%s/openssl.log",
			    e->tls_dir);

			e2e_print_file("openssl output", log, 30);
			free(log);
		}
		fprintf(stderr, "(files kept in %s)\n", e->tmpdir);
	} else {
		/* a passing test leaves nothing behind */
		char *cmd = e2e_printf_new("rm -rf '%s'", e->tmpdir);

		if (system(cmd) != 0)
			warnx("cannot remove %s", e->tmpdir);
		free(cmd);
	}
	if (e->curl != NULL)
		curl_easy_cleanup(e->curl);
	if (e->clock_fd != -1)
		close(e->clock_fd);
	e->clock_fd = -1;
	if (e->console_in != -1)
		close(e->console_in);
	e->console_in = -1;
	free(e->tmpdir);
	free(e->bot_err);
	free(e->bot_out);
	free(e->fs_err);
	free(e->cfg_extra);
	free(e->tls_dir);
	free(e->ca_file);
	free(e->runbooks_extra);
	for (i = 0; i < e->nbot_env; i++)
		free(e->bot_env[i]);
	return (e->failed ? -1 : 0);
}

static int
e2e_write_config(struct e2e *e, const char *path)
{
	FILE	*f;

	f = fopen(path, "w");
	if (f == NULL)
		return (-1);
	fprintf(f,
	    "runbooks: [runbooks]\n"
	    "prefix: \"!\"\n"
	    "store: opsbot.db\n"
	    "log_level: info\n"
	    "slack:\n"
	    "%s"
	    "  dedupe_ttl: 3600      # seconds\n"
	    "  max_inflight: 4\n"
	    "%s", e->default_pings ? "" :
	    "  ping_interval: 1      # seconds\n"
	    "  pong_timeout: 3       # seconds\n",
	    e->cfg_extra != NULL ? e->cfg_extra : "");
	return (fclose(f));
}

/* The bot's end of the clock socketpair, in the child. */
#define E2E_CLOCK_CHILD_FD	3
/* What bot/test-clock.c logs for a step applied before the loop. */
#define E2E_CLOCK_EARLY		"ms) before start"

/* Writes "+<ms>\n" on the clock socketpair. 0 or -1 (reported). */
static int
e2e_clock_write(struct e2e *e, int64_t ms)
{
	char	 line[64];
	size_t	 len;

	len = (size_t)snprintf(line, sizeof line, "+%lld\n", (long long)ms);
	if (write(e->clock_fd, line, len) != (ssize_t)len) {
		e2e_fail(e, __FILE__, __LINE__, "write", "clock fd: %s",
		    strerror(errno));
		return (-1);
	}
	return (0);
}

/*
 * Waits up to ms for the answer to the step of step_ms; on "ok <wall>"
 * sets e->clock_wall and returns 0, else -1 (reported).
 */
static int
e2e_clock_answer(struct e2e *e, int64_t step_ms, int ms)
{
	struct pollfd	 pfd;
	char		 line[128], *end;
	size_t		 len = 0;
	ssize_t		 n;
	int64_t		 deadline;
	int		 left;

	deadline = e2e_now_ms() + ms;
	while (len == 0 || line[len - 1] != '\n') {
		left = (int)(deadline - e2e_now_ms());
		pfd.fd = e->clock_fd;
		pfd.events = POLLIN;
		if (left <= 0 || poll(&pfd, 1, left) <= 0 ||
		    len + 1 >= sizeof line ||
		    (n = read(e->clock_fd, line + len,
		    sizeof line - 1 - len)) <= 0) {
			e2e_fail(e, __FILE__, __LINE__, "answer", "no answer "
			    "to +%lld on the clock fd", (long long)step_ms);
			return (-1);
		}
		len += (size_t)n;
	}
	line[len - 1] = '\0';
	if (strncmp(line, "ok ", 3) != 0) {
		e2e_fail(e, __FILE__, __LINE__, "ok", "clock fd answered "
		    "'%s' to +%lld", line, (long long)step_ms);
		return (-1);
	}
	e->clock_wall = strtoll(line + 3, &end, 10);
	return (0);
}

int
e2e_bot_start(struct e2e *e)
{
	char		*cfg, *db, *url;
	const char	*argv[20];
	size_t		 i;
	int64_t		 ahead;
	int		 fd, argc = 0, sv[2] = { -1, -1 }, in[2] = { -1, -1 };
	int		 early, rc = -1;

	cfg = e2e_printf_new("%s/opsbot.yaml", e->tmpdir);
	db = e2e_printf_new("%s/opsbot.db", e->tmpdir);
	url = e2e_printf_new("%s/api/", e->base);
	if (e2e_write_config(e, cfg) != 0)
		err(1, "%s", cfg);
	if (e->test_clock) {
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1)
			err(1, "socketpair");
		if (e->clock_fd != -1)
			close(e->clock_fd);
		e->clock_fd = sv[0];
	}
	if (e->console) {
		if (pipe2(in, O_CLOEXEC) == -1)
			err(1, "pipe2");
		if (e->console_in != -1)
			close(e->console_in);
		e->console_in = in[1];
	}
	/* Waiting before the bot runs: it applies this before its loop. */
	ahead = e->clock_ahead_ms;
	e->clock_ahead_ms = 0;
	early = e2e_stderr_count(e, E2E_CLOCK_EARLY);
	if (ahead > 0 && e2e_clock_write(e, ahead) != 0)
		goto out;
	argv[argc++] = "opsbot";
	argv[argc++] = "-c";
	argv[argc++] = cfg;
	argv[argc++] = "--runbooks";
	argv[argc++] = e->seeds;
	if (e->runbooks_extra != NULL) {
		argv[argc++] = "--runbooks";
		argv[argc++] = e->runbooks_extra;
	}
	argv[argc++] = "--db";
	argv[argc++] = db;
	argv[argc++] = "-v";
	if (e->console)
		argv[argc++] = "--console";
	if (e->console && e->console_user != NULL) {
		argv[argc++] = "--user";
		argv[argc++] = e->console_user;
	}
	if (e->test_clock) {
		argv[argc++] = "--test-clock-fd";
		argv[argc++] = "3";	/* E2E_CLOCK_CHILD_FD */
	}
	argv[argc] = NULL;
	e->bot_pid = fork();
	if (e->bot_pid == -1)
		err(1, "fork");
	if (e->bot_pid == 0) {
		if (sv[1] != -1) {
			/* dup2 clears close-on-exec; a no-op dup2 would not */
			if (sv[1] == E2E_CLOCK_CHILD_FD ?
			    fcntl(sv[1], F_SETFD, 0) == -1 :
			    dup2(sv[1], E2E_CLOCK_CHILD_FD) == -1)
				_exit(126);
		}
		fd = open(e->bot_err, O_WRONLY | O_CREAT | O_APPEND, 0644);
		if (fd != -1)
			dup2(fd, 2);
		fd = open(e->bot_out, O_WRONLY | O_CREAT | O_APPEND, 0644);
		if (fd != -1)
			dup2(fd, 1);
		fd = in[0] != -1 ? in[0] : open("/dev/null", O_RDONLY);
		/* as above: a pipe that is fd 0 already keeps close-on-exec */
		if (fd == 0)
			fcntl(fd, F_SETFD, 0);
		else if (fd != -1)
			dup2(fd, 0);
		if (!e->console) {
			setenv("SLACK_APP_TOKEN", E2E_APP_TOKEN, 1);
			setenv("SLACK_BOT_TOKEN", E2E_BOT_TOKEN, 1);
			setenv("SLACK_API_URL", url, 1);
		} else {
			unsetenv("SLACK_APP_TOKEN");
			unsetenv("SLACK_BOT_TOKEN");
		}
		for (i = 0; i < e->nbot_env; i++)
			putenv(e->bot_env[i]);
		execv(e->bot_bin, (char *const *)argv);
		_exit(127);
	}
	/* Only the bot holds its ends: its exit is our end of file. */
	if (sv[1] != -1)
		close(sv[1]);
	sv[1] = -1;
	if (in[0] != -1)
		close(in[0]);
	in[0] = -1;
	/*
	 * Answered by test_clock_new, before the loop runs. The poll
	 * after the start would answer the same "ok", later: the bot's
	 * log says which it was, and only the first is what was asked.
	 */
	if (ahead > 0 && e2e_clock_answer(e, ahead, E2E_START_MS) != 0)
		goto out;
	if (ahead > 0 && e2e_stderr_count(e, E2E_CLOCK_EARLY) != early + 1) {
		e2e_fail(e, __FILE__, __LINE__, "early", "the bot did not "
		    "apply +%lld before its start", (long long)ahead);
		goto out;
	}
	rc = 0;
out:
	if (sv[1] != -1)
		close(sv[1]);
	if (in[0] != -1)
		close(in[0]);
	free(cfg);
	free(db);
	free(url);
	return (rc);
}

int
e2e_clock_advance(struct e2e *e, int64_t ms, int64_t *wall)
{
	if (e->clock_fd == -1) {
		e2e_fail(e, __FILE__, __LINE__, "clock_fd", "the bot was not "
		    "started with e->test_clock");
		return (-1);
	}
	if (e2e_clock_write(e, ms) != 0 ||
	    e2e_clock_answer(e, ms, E2E_REPLY_MS) != 0)
		return (-1);
	if (wall != NULL)
		*wall = e->clock_wall;
	return (0);
}

void
e2e_clock_advance_before_start(struct e2e *e, int64_t ms)
{
	e->test_clock = 1;
	e->clock_ahead_ms += ms;
}

int
e2e_console_send(struct e2e *e, const char *line)
{
	char	*s;
	size_t	 len, off = 0;
	ssize_t	 n;
	int	 rc = 0;

	if (e->console_in == -1) {
		e2e_fail(e, __FILE__, __LINE__, "console_in", "no console "
		    "running");
		return (-1);
	}
	s = e2e_printf_new("%s\n", line);
	len = strlen(s);
	while (off < len) {
		n = write(e->console_in, s + off, len - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			e2e_fail(e, __FILE__, __LINE__, "write", "console "
			    "stdin: %s", strerror(errno));
			rc = -1;
			break;
		}
		off += (size_t)n;
	}
	free(s);
	return (rc);
}

void
e2e_console_close(struct e2e *e)
{
	if (e->console_in != -1)
		close(e->console_in);
	e->console_in = -1;
}

void
e2e_cfg_printf(struct e2e *e, const char *fmt, ...)
{
	va_list	 ap;
	char	*add = NULL, *all;

	va_start(ap, fmt);
	if (vasprintf(&add, fmt, ap) < 0)
		err(1, "vasprintf");
	va_end(ap);
	all = e2e_printf_new("%s%s", e->cfg_extra != NULL ? e->cfg_extra :
	    "", add);
	free(add);
	free(e->cfg_extra);
	e->cfg_extra = all;
}

void
e2e_bot_setenv(struct e2e *e, const char *name, const char *value)
{
	if (e->nbot_env == E2E_ENV_MAX)
		errx(1, "%s: more than %d variables for the bot", e->name,
		    E2E_ENV_MAX);
	e->bot_env[e->nbot_env++] = e2e_printf_new("%s=%s", name, value);
}

int
e2e_bot_start_ready(struct e2e *e)
{
	int	before;

	before = e2e_count(e, "ws_open", "hello", "true");
	if (e2e_bot_start(e) != 0)
		return (-1);
	if (e2e_wait_count(e, "ws_open", "hello", "true", before + 1,
	    E2E_START_MS) < 0)
		return (-1);
	return (0);
}

int
e2e_bot_alive(struct e2e *e)
{
	pid_t	r;

	if (e->bot_pid <= 0)
		return (0);
	r = waitpid(e->bot_pid, &e->bot_status, WNOHANG);
	if (r == e->bot_pid) {
		e->bot_pid = -1;
		return (0);
	}
	return (1);
}

int
e2e_bot_stop(struct e2e *e, int sig, int ms)
{
	int	status;

	if (e->bot_pid <= 0)
		return (e->bot_status);
	kill(e->bot_pid, sig);
	status = e2e_wait_pid(e->bot_pid, ms);
	if (status == -1) {
		kill(e->bot_pid, SIGKILL);
		e2e_wait_pid(e->bot_pid, 5000);
		e->bot_pid = -1;
		return (-1);
	}
	e->bot_pid = -1;
	e->bot_status = status;
	return (status);
}

/* ---- TLS ----------------------------------------------------------- */

/* <tmpdir>/tls, made on first use. */
static const char *
e2e_tls_dir(struct e2e *e)
{
	if (e->tls_dir == NULL) {
		e->tls_dir = e2e_printf_new("%s/tls", e->tmpdir);
		if (mkdir(e->tls_dir, 0700) == -1 && errno != EEXIST)
			err(1, "mkdir %s", e->tls_dir);
	}
	return (e->tls_dir);
}

#define E2E_RUN_ARGS	24

/*
 * Runs a command, its arguments then a NULL (the first is looked up in
 * PATH), with its output appended to <tmpdir>/tls/openssl.log. 0 if it
 * exited 0 within 30 s.
 */
static int
e2e_run(struct e2e *e, const char *arg0, ...)
    __attribute__((__sentinel__));

static int
e2e_run(struct e2e *e, const char *arg0, ...)
{
	const char	*argv[E2E_RUN_ARGS + 1];
	va_list		 ap;
	char		*log;
	pid_t		 pid;
	int		 argc = 0, fd, status, rc = -1;

	va_start(ap, arg0);
	argv[argc++] = arg0;
	while ((argv[argc] = va_arg(ap, const char *)) != NULL)
		if (++argc == E2E_RUN_ARGS)
			errx(1, "e2e_run: too many arguments");
	va_end(ap);
	log = e2e_printf_new("%s/openssl.log", e2e_tls_dir(e));
	pid = fork();
	if (pid == -1)
		err(1, "fork");
	if (pid == 0) {
		fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
		if (fd != -1) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		fd = open("/dev/null", O_RDONLY);
		if (fd != -1)
			dup2(fd, 0);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	status = e2e_wait_pid(pid, 30000);
	if (status == -1) {
		kill(pid, SIGKILL);
		e2e_wait_pid(pid, 5000);
		e2e_note(e, "'%s %s' took over 30 s", argv[0],
		    argc > 1 ? argv[1] : "");
		goto out;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		/* 127: not installed (scripts/deps.sh installs openssl) */
		e2e_note(e, "'%s %s' failed (exit %d); see %s", argv[0],
		    argc > 1 ? argv[1] : "", WIFEXITED(status) ?
		    WEXITSTATUS(status) : -1, log);
		goto out;
	}
	rc = 0;
out:
	free(log);
	return (rc);
}

static int
e2e_write_file(const char *path, const char *text)
{
	FILE	*f;

	f = fopen(path, "w");
	if (f == NULL)
		return (-1);
	fputs(text, f);
	return (fclose(f));
}

char *
e2e_tls_ca_new(struct e2e *e, const char *name)
{
	const char	*dir = e2e_tls_dir(e);
	char		*cnf, *pem, *key, *text, *out = NULL;

	cnf = e2e_printf_new("%s/%s.cnf", dir, name);
	pem = e2e_printf_new("%s/%s.pem", dir, name);
	key = e2e_printf_new("%s/%s.key", dir, name);
	/*
	 * A config of our own, not the system's openssl.cnf. The subject
	 * names the scenario and the CA, so two CAs never share a subject
	 * hash in a certificate directory.
	 */
	text = e2e_printf_new(
	    "[req]\n"
	    "distinguished_name = dn\n"
	    "x509_extensions = ext\n"
	    "prompt = no\n"
	    "[dn]\n"
	    "O = opsbot e2e\n"
	    "CN = throwaway test CA %s for %s\n"
	    "[ext]\n"
	    "basicConstraints = critical, CA:TRUE\n"
	    "keyUsage = critical, keyCertSign, cRLSign\n"
	    "subjectKeyIdentifier = hash\n", name, e->name);
	if (e2e_write_file(cnf, text) != 0) {
		warn("%s", cnf);
		goto out;
	}
	/* P-256: a key in milliseconds, where RSA takes a while */
	if (e2e_run(e, "openssl", "req", "-x509", "-config", cnf, "-newkey",
	    "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
	    key, "-out", pem, "-days", "1", (char *)NULL) != 0)
		goto out;
	out = pem;
	pem = NULL;
out:
	free(text);
	free(cnf);
	free(pem);
	free(key);
	return (out);
}

/*
 * Makes <tls>/<name>.pem and .key, a server certificate for san signed
 * by the CA <tls>/<ca>.pem (and .key). 0 or -1.
 */
static int
e2e_tls_cert(struct e2e *e, const char *ca, const char *name,
    const char *san)
{
	const char	*dir = e2e_tls_dir(e);
	char		*cnf, *csr, *pem, *key, *capem, *cakey, *text;
	char		 serial[32];
	int		 rc = -1;

	cnf = e2e_printf_new("%s/%s.cnf", dir, name);
	csr = e2e_printf_new("%s/%s.csr", dir, name);
	pem = e2e_printf_new("%s/%s.pem", dir, name);
	key = e2e_printf_new("%s/%s.key", dir, name);
	capem = e2e_printf_new("%s/%s.pem", dir, ca);
	cakey = e2e_printf_new("%s/%s.key", dir, ca);
	/*
	 * The CN is no host name on purpose: OpenSSL falls back to the CN
	 * when a certificate has no DNS SAN, and a scenario giving only
	 * IP:127.0.0.1 wants "localhost" to fail.
	 */
	text = e2e_printf_new(
	    "[req]\n"
	    "distinguished_name = dn\n"
	    "prompt = no\n"
	    "[dn]\n"
	    "O = opsbot e2e\n"
	    "CN = fakeslack for %s\n"
	    "[ext]\n"
	    "subjectAltName = %s\n"
	    "basicConstraints = critical, CA:FALSE\n"
	    "keyUsage = critical, digitalSignature\n"
	    "extendedKeyUsage = serverAuth\n"
	    "subjectKeyIdentifier = hash\n"
	    "authorityKeyIdentifier = keyid\n", e->name, san);
	if (e2e_write_file(cnf, text) != 0) {
		warn("%s", cnf);
		goto out;
	}
	/* each scenario has its own CA: a serial need only differ there */
	snprintf(serial, sizeof serial, "0x%llx", (unsigned long long)getpid()
	    << 24 | (unsigned long long)(e2e_now_ms() & 0xffffff));
	if (e2e_run(e, "openssl", "req", "-new", "-config", cnf, "-newkey",
	    "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
	    key, "-out", csr, (char *)NULL) != 0)
		goto out;
	if (e2e_run(e, "openssl", "x509", "-req", "-in", csr, "-CA", capem,
	    "-CAkey", cakey, "-set_serial", serial, "-days", "1", "-extfile",
	    cnf, "-extensions", "ext", "-out", pem, (char *)NULL) != 0)
		goto out;
	rc = 0;
out:
	free(text);
	free(cnf);
	free(csr);
	free(pem);
	free(key);
	free(capem);
	free(cakey);
	return (rc);
}

/* Copies the file src to dst. 0 or -1. */
static int
e2e_copy(const char *src, const char *dst)
{
	FILE	*in, *out = NULL;
	char	 buf[4096];
	size_t	 n;
	int	 rc = -1;

	in = fopen(src, "r");
	if (in == NULL)
		goto out;
	out = fopen(dst, "w");
	if (out == NULL)
		goto out;
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			goto out;
	if (!ferror(in))
		rc = 0;
out:
	if (in != NULL)
		fclose(in);
	if (out != NULL && fclose(out) != 0)
		rc = -1;
	return (rc);
}

char *
e2e_tls_hashdir_new(struct e2e *e, const char *name, const char *ca)
{
	char	*dir, *copy = NULL, *out = NULL;

	dir = e2e_printf_new("%s/%s", e2e_tls_dir(e), name);
	if (mkdir(dir, 0700) == -1) {
		warn("mkdir %s", dir);
		goto out;
	}
	if (ca != NULL) {
		copy = e2e_printf_new("%s/ca.pem", dir);
		if (e2e_copy(ca, copy) != 0) {
			warn("copy %s to %s", ca, copy);
			goto out;
		}
		/* adds <subject-hash>.0 -> ca.pem, what OpenSSL looks up */
		if (e2e_run(e, "openssl", "rehash", dir, (char *)NULL) != 0)
			goto out;
	}
	out = dir;
	dir = NULL;
out:
	free(copy);
	free(dir);
	return (out);
}

int
e2e_tls_start(struct e2e *e, const char *san, const char *url_host)
{
	char	*cert = NULL, *key = NULL;
	int	 rc = -1;

	if (e->ca_file != NULL) {
		e2e_note(e, "e2e_tls_start: called twice");
		goto out;
	}
	e->ca_file = e2e_tls_ca_new(e, "ca");
	if (e->ca_file == NULL)
		goto out;
	if (e2e_tls_cert(e, "ca", "fakeslack", san != NULL ? san :
	    E2E_TLS_SAN) != 0)
		goto out;
	cert = e2e_printf_new("%s/fakeslack.pem", e->tls_dir);
	key = e2e_printf_new("%s/fakeslack.key", e->tls_dir);
	e2e_fs_stop(e);
	if (e2e_fs_start(e, cert, key, url_host != NULL ? url_host :
	    E2E_TLS_HOST) != 0) {
		e2e_note(e, "fakeslack did not start over TLS");
		goto out;
	}
	rc = 0;
out:
	free(cert);
	free(key);
	return (rc);
}

/* ---- control API --------------------------------------------------- */

static size_t
e2e_curl_write(char *p, size_t size, size_t n, void *arg)
{
	FILE	*f = arg;

	return (fwrite(p, size, n, f));
}

json_t *
e2e_ctl(struct e2e *e, const char *path, json_t *body)
{
	struct curl_slist	*hdrs = NULL;
	char			*url, *text = NULL, *resp = NULL;
	size_t			 resplen = 0;
	FILE			*f;
	json_t			*out = NULL;

	url = e2e_printf_new("%s/_ctl/%s", e->base, path);
	f = open_memstream(&resp, &resplen);
	if (f == NULL)
		err(1, "open_memstream");
	curl_easy_reset(e->curl);
	curl_easy_setopt(e->curl, CURLOPT_URL, url);
	curl_easy_setopt(e->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e->curl, CURLOPT_TIMEOUT_MS, 10000L);
	curl_easy_setopt(e->curl, CURLOPT_WRITEFUNCTION, e2e_curl_write);
	curl_easy_setopt(e->curl, CURLOPT_WRITEDATA, f);
	/* libcurl verifies by default; over TLS it also trusts our CA */
	if (e->ca_file != NULL)
		curl_easy_setopt(e->curl, CURLOPT_CAINFO, e->ca_file);
	if (body != NULL) {
		text = json_dumps(body, JSON_COMPACT);
		hdrs = curl_slist_append(hdrs,
		    "Content-Type: application/json");
		curl_easy_setopt(e->curl, CURLOPT_HTTPHEADER, hdrs);
		curl_easy_setopt(e->curl, CURLOPT_POSTFIELDS, text);
	}
	if (curl_easy_perform(e->curl) != CURLE_OK)
		goto out;
	fflush(f);
	out = json_loadb(resp, resplen, 0, NULL);
out:
	fclose(f);
	free(resp);
	free(text);
	free(url);
	curl_slist_free_all(hdrs);
	json_decref(body);
	return (out);
}

json_t *
e2e_events(struct e2e *e)
{
	json_t	*r, *ev;

	r = e2e_ctl(e, "log?since=0", NULL);
	ev = json_incref(json_object_get(r, "events"));
	json_decref(r);
	return (ev != NULL ? ev : json_array());
}

json_t *
e2e_fixture(struct e2e *e, const char *name)
{
	char	*path;
	json_t	*j;

	path = e2e_printf_new("%s/%s", e->fixtures, name);
	j = json_load_file(path, 0, NULL);
	if (j == NULL)
		fprintf(stderr, "%s: cannot load fixture %s\n", e->name, path);
	free(path);
	return (j);
}

void
e2e_set_text(json_t *frame, const char *text)
{
	json_t	*event, *blocks;

	event = json_object_get(json_object_get(frame, "payload"), "event");
	if (!json_is_object(event))
		return;
	json_object_set_new(event, "text", json_string(text));
	blocks = json_pack("[{s:s, s:s, s:[{s:s, s:[{s:s, s:s}]}]}]",
	    "type", "rich_text", "block_id", "e2e1", "elements",
	    "type", "rich_text_section", "elements", "type", "text",
	    "text", text);
	json_object_set_new(event, "blocks", blocks);
}

json_t *
e2e_send(struct e2e *e, json_t *frame, const char *stamp)
{
	json_t	*req, *st = NULL;

	if (stamp != NULL && strcmp(stamp, "all") == 0)
		st = json_true();
	else if (stamp != NULL)
		st = json_loads(stamp, 0, NULL);
	req = json_pack("{s:O, s:o?}", "frame", frame, "stamp", st);
	return (e2e_ctl(e, "send", req));
}

json_t *
e2e_send_raw(struct e2e *e, const char *raw, int binary)
{
	return (e2e_ctl(e, "send", json_pack("{s:s, s:b}", "raw", raw,
	    "binary", binary)));
}

json_t *
e2e_send_message(struct e2e *e, const char *text)
{
	json_t	*frame, *r;

	frame = e2e_fixture(e, "events_api_message.json");
	if (frame == NULL)
		return (NULL);
	e2e_set_text(frame, text);
	r = e2e_send(e, frame, "all");
	json_decref(frame);
	return (r);
}

/* ---- the event log ------------------------------------------------- */

int
e2e_match(json_t *ev, const char *kind, const char *key, const char *value)
{
	json_t	*v;
	char	 num[32];

	if (strcmp(json_string_value(json_object_get(ev, "kind")) != NULL ?
	    json_string_value(json_object_get(ev, "kind")) : "", kind) != 0)
		return (0);
	if (key == NULL)
		return (1);
	v = json_object_get(ev, key);
	if (json_is_string(v))
		return (strcmp(json_string_value(v), value) == 0);
	if (json_is_integer(v)) {
		snprintf(num, sizeof num, "%lld",
		    (long long)json_integer_value(v));
		return (strcmp(num, value) == 0);
	}
	if (json_is_boolean(v))
		return (strcmp(json_is_true(v) ? "true" : "false", value) == 0);
	return (v == NULL && strcmp(value, "null") == 0);
}

int
e2e_count(struct e2e *e, const char *kind, const char *key,
    const char *value)
{
	json_t	*evs, *ev;
	size_t	 i;
	int	 n = 0;

	evs = e2e_events(e);
	json_array_foreach(evs, i, ev)
		n += e2e_match(ev, kind, key, value);
	json_decref(evs);
	return (n);
}

int
e2e_wait_count(struct e2e *e, const char *kind, const char *key,
    const char *value, int n, int ms)
{
	int64_t	deadline = e2e_now_ms() + ms;
	int	c;

	for (;;) {
		c = e2e_count(e, kind, key, value);
		if (c >= n)
			return (c);
		if (e2e_now_ms() > deadline)
			return (-1);
		e2e_sleep_ms(50);
	}
}

json_t *
e2e_find(struct e2e *e, const char *kind, const char *key,
    const char *value)
{
	json_t	*evs, *ev, *found = NULL;
	size_t	 i;

	evs = e2e_events(e);
	json_array_foreach(evs, i, ev)
		if (e2e_match(ev, kind, key, value))
			found = ev;
	json_incref(found);
	json_decref(evs);
	return (found);
}

json_t *
e2e_posts(struct e2e *e, const char *method)
{
	json_t	*evs, *ev, *out;
	size_t	 i;

	out = json_array();
	evs = e2e_events(e);
	json_array_foreach(evs, i, ev)
		if (e2e_match(ev, "post", "method", method))
			json_array_append(out, ev);
	json_decref(evs);
	return (out);
}

const char *
e2e_str(json_t *j, const char *key)
{
	const char	*s;

	s = json_string_value(json_object_get(j, key));
	return (s != NULL ? s : "");
}

int
e2e_post_count(struct e2e *e)
{
	return (e2e_count(e, "post", "method", "chat.postMessage"));
}

int
e2e_posts_in(struct e2e *e, const char *channel, const char *needle,
    char *last, size_t lastsz)
{
	json_t	*posts, *p;
	size_t	 i;
	int	 n = 0;

	posts = e2e_posts(e, "chat.postMessage");
	json_array_foreach(posts, i, p) {
		if (strstr(e2e_str(p, "text"), needle) == NULL ||
		    (channel != NULL &&
		    strcmp(e2e_str(p, "channel"), channel) != 0))
			continue;
		n++;
		if (last != NULL)
			snprintf(last, lastsz, "%s", e2e_str(p, "text"));
	}
	json_decref(posts);
	return (n);
}

int
e2e_wait_posts_in(struct e2e *e, const char *channel, const char *needle,
    int n, int ms, char *last, size_t lastsz)
{
	int64_t	deadline = e2e_now_ms() + ms;

	while (e2e_posts_in(e, channel, needle, last, lastsz) < n) {
		if (e2e_now_ms() > deadline)
			return (-1);
		e2e_sleep_ms(50);
	}
	return (0);
}

void
e2e_cfg_vault(struct e2e *e, const char *members, const char *zone,
    const char *channel, const char *extra)
{
	e2e_cfg_printf(e, "rotations:\n"
	    "  - name: vault\n"
	    "    members: %s\n"
	    "    shift: weekly\n"
	    "    handoff: \"09:00\"\n"
	    "    handoff_day: mon\n"
	    "    start: 2026-01-05\n"
	    "    timezone: %s\n"
	    "    channel: %s\n"
	    "    managers: [U0MGR]\n"
	    "%s", members, zone, channel, extra);
}

int
e2e_say(struct e2e *e, const char *user, const char *channel,
    const char *thread_ts, const char *text)
{
	json_t	*frame, *ev, *a = NULL;
	int	 rc = -1;

	frame = e2e_fixture(e, "events_api_message.json");
	CHECK(e, frame != NULL, "fixture");
	e2e_set_text(frame, text);
	ev = json_object_get(json_object_get(frame, "payload"), "event");
	if (user != NULL)
		json_object_set_new(ev, "user", json_string(user));
	if (channel != NULL)
		json_object_set_new(ev, "channel", json_string(channel));
	if (thread_ts != NULL)
		json_object_set_new(ev, "thread_ts", json_string(thread_ts));
	a = e2e_send(e, frame, "all");
	CHECK(e, a != NULL, "inject '%s'", text);
	rc = 0;
out:
	json_decref(a);
	json_decref(frame);
	return (rc);
}

static void
e2e_collect_text(json_t *j, FILE *f)
{
	const char	*k;
	json_t		*v;
	size_t		 i;

	if (json_is_object(j)) {
		json_object_foreach(j, k, v) {
			if (strcmp(k, "text") == 0 && json_is_string(v))
				fprintf(f, "%s\n", json_string_value(v));
			else
				e2e_collect_text(v, f);
		}
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			e2e_collect_text(v, f);
	}
}

char *
e2e_visible_text_new(json_t *message)
{
	char	*s = NULL;
	size_t	 len = 0;
	FILE	*f;

	f = open_memstream(&s, &len);
	if (f == NULL)
		err(1, "open_memstream");
	e2e_collect_text(message, f);
	fclose(f);
	return (s);
}
