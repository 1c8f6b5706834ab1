/*
 * bench-tickets.c: issue 9's "10,000 open tickets: start-up time, peak
 * RSS, and the delay between a timer's due time and its message".
 * bench/tickets runs it against fakeslack; see bench/README.md.
 *
 * usage: bench-tickets -p fakeslack-port -b opsbot -c config -D db
 *	      [-n tickets] [-d due] [-l lead-ms] [-w wait-s]
 *
 * 1. Fills db (which must not exist) through the store API: n open
 *    tickets in C0001, each with its three timers (warning, breach,
 *    stale), as a support request would have left them; then moves the
 *    warning of the first `due` of them to one instant, lead-ms after
 *    the fill (all at once: the worst burst).
 *    store_open and the open tickets' threads loaded are timed alone.
 * 2. Starts opsbot -c config --db db (its environment: SLACK_* set by
 *    the caller) and times the start-up on CLOCK_MONOTONIC: from fork to
 *    the Socket Mode hello fakeslack sent (its event log), and opsbot's
 *    CPU and RSS then.
 * 3. Waits for `due` warnings in the escalation channel (C0ESC), at most
 *    wait-s after the due instant, and takes each one's delay: the time
 *    fakeslack received its chat.postMessage minus the due time, both
 *    wall ms (CLOCK_REALTIME, which is the release bot's clock).
 * 4. Stops opsbot (SIGTERM), reads its peak RSS (VmHWM, and getrusage
 *    after the wait), then opens the store and reads each warning
 *    timer's fired_at_ms: the delay in the bot's own clock, before the
 *    outbox.
 * Prints one "key value" line per figure (bench/tickets makes the table).
 */
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>

#include "bot/bot.h"
#include "bot/support.h"
#include "bot/ticket.h"
#include "store/store.h"

#define ESC_CHANNEL	"C0ESC"
#define SUP_CHANNEL	"C0001"
#define DAY_MS		(INT64_C(24) * 3600 * 1000)

struct tb {
	CURL		*curl;		/* owned */
	char		 base[64];
	int64_t		 fs_start_us;	/* fakeslack's CLOCK_MONOTONIC origin */
	int64_t		 wall_minus_mono_us;
};

static int64_t
mono_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
}

static int64_t
wall_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
}

static void
sleep_ms(int ms)
{
	struct timespec	ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

static size_t
on_data(char *p, size_t size, size_t n, void *arg)
{
	return (fwrite(p, size, n, arg));
}

/* GETs /_ctl/path; the answer (new reference) or NULL. */
static json_t *
ctl(struct tb *b, const char *path)
{
	char	 url[256], *resp = NULL;
	size_t	 len = 0;
	FILE	*f;
	json_t	*out = NULL;

	snprintf(url, sizeof url, "%s/_ctl/%s", b->base, path);
	if ((f = open_memstream(&resp, &len)) == NULL)
		err(1, "open_memstream");
	curl_easy_reset(b->curl);
	curl_easy_setopt(b->curl, CURLOPT_URL, url);
	curl_easy_setopt(b->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(b->curl, CURLOPT_TIMEOUT_MS, 10000L);
	curl_easy_setopt(b->curl, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(b->curl, CURLOPT_WRITEDATA, f);
	if (curl_easy_perform(b->curl) == CURLE_OK) {
		fflush(f);
		out = json_loadb(resp, len, 0, NULL);
	}
	fclose(f);
	free(resp);
	return (out);
}

/* A /proc/<pid>/status field in kB, or -1. */
static long
status_kb(pid_t pid, const char *key)
{
	char	 path[64], line[256];
	FILE	*f;
	long	 kb = -1;

	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return (-1);
	while (fgets(line, sizeof line, f) != NULL)
		if (strncmp(line, key, strlen(key)) == 0)
			kb = strtol(line + strlen(key), NULL, 10);
	fclose(f);
	return (kb);
}

/* utime + stime of pid in ms, or -1. */
static double
cpu_ms(pid_t pid)
{
	char			 path[64], buf[1024], *p;
	unsigned long		 ut, st;
	FILE			*f;
	size_t			 n;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return (-1);
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* after "(comm) ": state is field 3, utime 14, stime 15 */
	if ((p = strrchr(buf, ')')) == NULL || sscanf(p + 2,
	    "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut,
	    &st) != 2)
		return (-1);
	return ((double)(ut + st) * 1000.0 / (double)sysconf(_SC_CLK_TCK));
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x < y ? -1 : x > y);
}

/* Prints "<name>_p50/_p99/_max" of v[n] (sorted here), in ms. */
static void
print_pct(const char *name, int64_t *v, size_t n, double unit)
{
	if (n == 0) {
		printf("%s_n 0\n", name);
		return;
	}
	qsort(v, n, sizeof *v, cmp_i64);
	printf("%s_n %zu\n", name, n);
	printf("%s_min %.1f\n", name, (double)v[0] / unit);
	printf("%s_p50 %.1f\n", name, (double)v[(n - 1) / 2] / unit);
	printf("%s_p99 %.1f\n", name, (double)v[(n * 99 + 99) / 100 - 1] /
	    unit);
	printf("%s_max %.1f\n", name, (double)v[n - 1] / unit);
}

/*
 * Fills path with n open tickets and their timers; the warning timers
 * of tickets 1..due are then moved to *due_ms (now + lead). Returns 0.
 */
static int
fill(const char *path, int n, int due, int64_t lead_ms, int64_t *due_ms)
{
	struct store		*s;
	struct ticket_add	 a;
	struct store_ticket	 t;
	char			*cause = NULL, key[64], ts[32], user[16];
	char			 ref[32], skey[64];
	int64_t			 now, id, stale;
	int			 i, added;
	int64_t			 t0 = mono_us();

	if ((s = store_open(path, &cause)) == NULL)
		errx(1, "store_open %s: %s", path, cause);
	now = wall_us() / 1000;
	if (store_begin(s) != 0)
		errx(1, "begin: %s", store_last_error(s));
	for (i = 1; i <= n; i++) {
		snprintf(ts, sizeof ts, "1700000000.%06d", i);
		snprintf(key, sizeof key, "ticket:slack:" SUP_CHANNEL ":%s", ts);
		snprintf(user, sizeof user, "U%07d", i % 500);
		memset(&a, 0, sizeof a);
		a.key = key;
		a.adapter = "slack";
		a.channel = SUP_CHANNEL;
		a.thread_ts = ts;
		a.requester = user;
		a.priority = SUPPORT_MEDIUM;
		a.tier = SUPPORT_ADVANCED;
		/* opened over the last hour; due days ahead, as a backlog */
		a.now_ms = now - (i % 3600) * 1000;
		a.warn_ms = now + DAY_MS + i * 1000;
		a.due_ms = a.warn_ms + 3600 * 1000;
		a.warn_kind = "ticket-warn";
		a.breach_kind = "ticket-breach";
		a.detail = "priority Medium";
		if ((id = store_ticket_add(s, &a, &added)) < 0 || !added)
			errx(1, "ticket %d: %s", i, store_last_error(s));
		/* the stale timer, as ticket_stale_arm leaves it */
		snprintf(ref, sizeof ref, "ticket:%lld", (long long)id);
		snprintf(skey, sizeof skey, "ticket-stale:%lld:after:0",
		    (long long)id);
		if ((stale = store_timer_add(s, a.now_ms, a.now_ms + 5 * DAY_MS,
		    "ticket-stale", ref, skey)) < 0 ||
		    store_ticket_set_stale(s, id, stale, a.now_ms) != 0)
			errx(1, "ticket %d stale: %s", i, store_last_error(s));
	}
	if (store_commit(s) != 0)
		errx(1, "commit: %s", store_last_error(s));
	printf("fill_ms %.1f\n", (double)(mono_us() - t0) / 1000.0);
	*due_ms = wall_us() / 1000 + lead_ms;
	if (store_begin(s) != 0)
		errx(1, "begin: %s", store_last_error(s));
	for (i = 1; i <= due && i <= n; i++) {
		memset(&t, 0, sizeof t);
		if (store_ticket_get(s, i, &t) != 1 ||
		    store_timer_reschedule(s, t.warn_timer, *due_ms) != 1)
			errx(1, "ticket %d: cannot move its warning", i);
		store_ticket_release(&t);
	}
	if (store_commit(s) != 0)
		errx(1, "commit: %s", store_last_error(s));
	store_close(s);
	return (0);
}

/*
 * What opsbot's start does with the store, timed alone: store_open
 * (with its PRAGMA quick_check) and loading the open tickets' threads
 * (ticket_index_load), on the filled store before the bot starts.
 */
static void
startup_parts(const char *path)
{
	struct store		*s;
	struct ticket_index	*ix;
	char			*cause = NULL;
	int64_t			 t0, t1;

	t0 = mono_us();
	if ((s = store_open(path, &cause)) == NULL)
		errx(1, "store_open %s: %s", path, cause);
	t1 = mono_us();
	ix = ticket_index_new();
	if (ticket_index_load(ix, s) != 0)
		errx(1, "ticket_index_load: %s", store_last_error(s));
	printf("store_open_ms %.1f\n", (double)(t1 - t0) / 1000.0);
	printf("index_load_ms %.1f\n", (double)(mono_us() - t1) / 1000.0);
	printf("index_threads %zu\n", ticket_index_count(ix));
	ticket_index_free(ix);
	store_close(s);
}

/*
 * The CLOCK_MONOTONIC µs of the first hello fakeslack sent at or after
 * its log index from, or -1 if there is none yet.
 */
static int64_t
hello_at(struct tb *b, long from)
{
	json_t		*log, *ev;
	const char	*kind;
	char		 path[64];
	size_t		 i;
	int64_t		 at = -1;

	snprintf(path, sizeof path, "log?since=%ld", from);
	if ((log = ctl(b, path)) == NULL)
		return (-1);
	json_array_foreach(json_object_get(log, "events"), i, ev) {
		kind = json_string_value(json_object_get(ev, "kind"));
		if (kind != NULL && strcmp(kind, "ws_open") == 0 &&
		    json_is_true(json_object_get(ev, "hello"))) {
			at = b->fs_start_us +
			    json_integer_value(json_object_get(ev, "t_us"));
			break;
		}
	}
	json_decref(log);
	return (at);
}

/*
 * The posts in ESC_CHANNEL since post index from: their arrival, wall
 * µs, appended to *v (n entries). Returns the count.
 */
static size_t
esc_posts(struct tb *b, long from, int64_t **v)
{
	json_t		*posts, *p;
	const char	*ch;
	char		 path[64];
	size_t		 i, n = 0;

	snprintf(path, sizeof path, "posts?since=%ld", from);
	if ((posts = ctl(b, path)) == NULL)
		return (0);
	free(*v);
	*v = NULL;
	json_array_foreach(json_object_get(posts, "posts"), i, p) {
		ch = json_string_value(json_object_get(p, "channel"));
		if (ch == NULL || strcmp(ch, ESC_CHANNEL) != 0)
			continue;
		*v = xreallocarray(*v, n + 1, sizeof **v);
		(*v)[n++] = b->fs_start_us +
		    json_integer_value(json_object_get(p, "t_us")) +
		    b->wall_minus_mono_us;
	}
	json_decref(posts);
	return (n);
}

/* The bot's own record: each due warning's fired_at_ms - due_ms. */
static void
fired_delays(const char *path, int due, int64_t due_ms)
{
	struct store		*s;
	struct store_ticket	 t;
	struct store_timer	 tm;
	char			*cause = NULL;
	int64_t			*v;
	size_t			 n = 0;
	int			 i, late = 0;

	if ((s = store_open(path, &cause)) == NULL)
		errx(1, "store_open %s: %s", path, cause);
	v = xcalloc((size_t)due + 1, sizeof *v);
	for (i = 1; i <= due; i++) {
		memset(&t, 0, sizeof t);
		memset(&tm, 0, sizeof tm);
		if (store_ticket_get(s, i, &t) == 1 && store_timer_get(s,
		    t.warn_timer, &tm) == 1 && tm.state == TIMER_FIRED) {
			v[n++] = tm.fired_at_ms - due_ms;
			late += tm.late;
		}
		store_timer_release(&tm);
		store_ticket_release(&t);
	}
	printf("fired_late %d\n", late);
	print_pct("fired_delay_ms", v, n, 1.0);
	free(v);
	store_close(s);
}

static void
usage(void)
{
	fprintf(stderr, "usage: bench-tickets -p fakeslack-port -b opsbot "
	    "-c config -D db [-n tickets] [-d due] [-l lead-ms] "
	    "[-w wait-s]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct tb	 b;
	struct rusage	 ru;
	json_t		*st;
	const char	*bin = NULL, *cfg = NULL, *db = NULL, *errfile;
	int64_t		 due_ms = 0, lead_ms = 5000, t0, hello = -1;
	int64_t		*arrivals = NULL, *delay = NULL;
	long		 log_from, posts_from;
	size_t		 got = 0, i;
	pid_t		 pid;
	int		 ch, port = 0, n = 10000, due = 1000, wait_s = 60;
	int		 fd, status;

	while ((ch = getopt(argc, argv, "p:b:c:D:n:d:l:w:")) != -1) {
		switch (ch) {
		case 'p': port = atoi(optarg); break;
		case 'b': bin = optarg; break;
		case 'c': cfg = optarg; break;
		case 'D': db = optarg; break;
		case 'n': n = atoi(optarg); break;
		case 'd': due = atoi(optarg); break;
		case 'l': lead_ms = atoi(optarg); break;
		case 'w': wait_s = atoi(optarg); break;
		default: usage();
		}
	}
	if (port <= 0 || bin == NULL || cfg == NULL || db == NULL || n < 0 ||
	    due < 0 || lead_ms < 0)
		usage();
	if (due > n)
		due = n;
	log_init(LOG_LVL_WARN, stderr);
	memset(&b, 0, sizeof b);
	snprintf(b.base, sizeof b.base, "http://127.0.0.1:%d", port);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if ((b.curl = curl_easy_init()) == NULL)
		errx(1, "curl_easy_init");

	printf("tickets %d\ndue %d\n", n, due);
	fill(db, n, due, lead_ms, &due_ms);
	startup_parts(db);
	if ((st = ctl(&b, "state")) == NULL)
		errx(1, "fakeslack does not answer on port %d", port);
	b.fs_start_us = json_integer_value(json_object_get(st, "start_us"));
	log_from = (long)json_integer_value(json_object_get(st, "next"));
	posts_from = (long)json_integer_value(json_object_get(st,
	    "postmessages"));
	json_decref(st);
	b.wall_minus_mono_us = wall_us() - mono_us();

	errfile = getenv("BENCH_BOT_STDERR");
	t0 = mono_us();
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		if (errfile != NULL && (fd = open(errfile, O_WRONLY | O_CREAT |
		    O_APPEND, 0644)) != -1)
			dup2(fd, 2);
		execl(bin, bin, "-c", cfg, "--db", db, (char *)NULL);
		_exit(127);
	}
	/* start-up: fork to hello, polled every 2 ms (the time is fakeslack's) */
	while (mono_us() - t0 < 60 * 1000000 &&
	    (hello = hello_at(&b, log_from)) < 0) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			errx(1, "opsbot exited during start-up");
		sleep_ms(2);
	}
	if (hello < 0)
		errx(1, "no hello within 60 s");
	printf("startup_ms %.1f\n", (double)(hello - t0) / 1000.0);
	printf("startup_cpu_ms %.0f\n", cpu_ms(pid));
	printf("rss_at_hello_kb %ld\n", status_kb(pid, "VmRSS:"));
	printf("hwm_at_hello_kb %ld\n", status_kb(pid, "VmHWM:"));
	printf("hello_before_due_ms %.1f\n", (double)(due_ms * 1000 -
	    (hello + b.wall_minus_mono_us)) / 1000.0);

	if (due > 0) {
		while ((got = esc_posts(&b, posts_from, &arrivals)) <
		    (size_t)due && wall_us() / 1000 < due_ms + wait_s * 1000)
			sleep_ms(100);
		/* anything more (a second warning would be a bug) */
		sleep_ms(1000);
		got = esc_posts(&b, posts_from, &arrivals);
		printf("warnings_posted %zu\n", got);
		delay = xcalloc(got + 1, sizeof *delay);
		for (i = 0; i < got; i++)
			delay[i] = arrivals[i] - due_ms * 1000;
		print_pct("post_delay_ms", delay, got, 1000.0);
		if (got > 1)
			printf("burst_ms %.1f\n", (double)(delay[got - 1] -
			    delay[0]) / 1000.0);
	} else
		sleep_ms(1000);
	printf("cpu_total_ms %.0f\n", cpu_ms(pid));
	printf("hwm_kb %ld\n", status_kb(pid, "VmHWM:"));
	kill(pid, SIGTERM);
	if (waitpid(pid, &status, 0) != pid)
		err(1, "waitpid");
	if (getrusage(RUSAGE_CHILDREN, &ru) == 0)
		printf("maxrss_kb %ld\n", ru.ru_maxrss);
	printf("exit %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	if (due > 0)
		fired_delays(db, due, due_ms);
	free(arrivals);
	free(delay);
	curl_easy_cleanup(b.curl);
	curl_global_cleanup();
	return (0);
}
