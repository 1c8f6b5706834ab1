/*
 * opsbot-bench.c: drives fakeslack's flood against a running opsbot and
 * reports throughput, CPU per 1,000 events, ack latency and peak RSS,
 * and with -R the latency of the replies to the fixed-rate phase's
 * '!sop' (bench-reply.c). bench/run starts the processes; this program
 * only measures.
 *
 * usage: opsbot-bench -p fakeslack-port -P opsbot-pid [-r rate] [-s secs]
 *	      [-n max-rate-count] [-F fakeslack-pid] [-m sop-share]
 *	      [-k tls-ca-file] [-R [-w reply-wait-secs]]
 *
 * -n 0 skips the max-rate phase.
 */
#include <sys/types.h>

#include <err.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define CELL	32	/* one table cell */

struct phase {
	const char	*name;
	double		 rate;		/* 0: as fast as acks come back */
	int		 count;
	int		 reply;		/* measure reply latency after it */
	/* results */
	int		 acked;
	double		 acked_per_sec;
	double		 cpu_ms_per_1k;
	double		 fs_cpu_ms_per_1k;
	int64_t		 p50_us, p99_us, max_us;
	int		 posts;
	int		 posts_from;	/* fakeslack's post index at start */
	long		 hwm_kb;
	struct bench_replies replies;	/* if reply */
};

void
bench_sleep_ms(int ms)
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

json_t *
bench_ctl(struct bench *b, const char *path, json_t *body)
{
	char	 url[256], *text = NULL, *resp = NULL;
	size_t	 len = 0;
	FILE	*f;
	json_t	*out = NULL;
	struct curl_slist *h = NULL;

	snprintf(url, sizeof url, "%s/_ctl/%s", b->base, path);
	f = open_memstream(&resp, &len);
	if (f == NULL)
		err(1, "open_memstream");
	curl_easy_reset(b->curl);
	curl_easy_setopt(b->curl, CURLOPT_URL, url);
	if (b->ca_file != NULL)
		curl_easy_setopt(b->curl, CURLOPT_CAINFO, b->ca_file);
	curl_easy_setopt(b->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(b->curl, CURLOPT_TIMEOUT_MS, 10000L);
	curl_easy_setopt(b->curl, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(b->curl, CURLOPT_WRITEDATA, f);
	if (body != NULL) {
		text = json_dumps(body, JSON_COMPACT);
		h = curl_slist_append(h, "Content-Type: application/json");
		curl_easy_setopt(b->curl, CURLOPT_HTTPHEADER, h);
		curl_easy_setopt(b->curl, CURLOPT_POSTFIELDS, text);
	}
	if (curl_easy_perform(b->curl) == CURLE_OK) {
		fflush(f);
		out = json_loadb(resp, len, 0, NULL);
	}
	fclose(f);
	free(resp);
	free(text);
	curl_slist_free_all(h);
	json_decref(body);
	return (out);
}

/* utime + stime of pid in milliseconds, or -1. */
static double
cpu_ms(pid_t pid)
{
	char		 path[64], buf[4096], *p;
	FILE		*f;
	size_t		 n;
	unsigned long	 ut, st;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (f == NULL)
		return (-1);
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* the command name may hold spaces: fields start after ')' */
	p = strrchr(buf, ')');
	if (p == NULL || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u "
	    "%*u %*u %lu %lu", &ut, &st) != 2)
		return (-1);
	return ((double)(ut + st) * 1000.0 / (double)sysconf(_SC_CLK_TCK));
}

/* A "Vm...:" line of /proc/pid/status in kB, or -1. */
static long
status_kb(pid_t pid, const char *key)
{
	char	 path[64], line[256];
	FILE	*f;
	long	 kb = -1;

	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (f == NULL)
		return (-1);
	while (fgets(line, sizeof line, f) != NULL)
		if (strncmp(line, key, strlen(key)) == 0)
			kb = strtol(line + strlen(key), NULL, 10);
	fclose(f);
	return (kb);
}

static int
wait_hello(struct bench *b)
{
	json_t	*st;
	int	 i, n;

	for (i = 0; i < 200; i++) {
		st = bench_ctl(b, "state", NULL);
		n = (int)json_array_size(json_object_get(st, "conns"));
		json_decref(st);
		if (n > 0)
			return (0);
		bench_sleep_ms(100);
	}
	return (-1);
}

static int
run_phase(struct bench *b, struct phase *ph)
{
	json_t	*r, *st = NULL;
	double	 cpu0, cpu1, fs0 = 0, fs1 = 0;
	int	 i, last = -1, stalls = 0, acked;

	cpu0 = cpu_ms(b->pid);
	if (b->fs_pid > 0)
		fs0 = cpu_ms(b->fs_pid);
	r = bench_ctl(b, "flood", json_pack("{s:f, s:i, s:i, "
	    "s:{s:f, s:f, s:f}}", "rate_per_sec", ph->rate, "count", ph->count, "window", 64,
	    "mix", "chatter", 0.9 - b->sop, "sop", b->sop, "other_channel",
	    0.1));
	if (!json_is_true(json_object_get(r, "ok"))) {
		warnx("%s: cannot start the flood", ph->name);
		json_decref(r);
		return (-1);
	}
	json_decref(r);
	/* poll until every envelope is acked, or acks stop for 5 s */
	for (i = 0;; i++) {
		bench_sleep_ms(200);
		json_decref(st);
		st = bench_ctl(b, "flood", NULL);
		acked = (int)json_integer_value(json_object_get(st, "acked"));
		if (acked >= ph->count)
			break;
		if (acked == last && ++stalls >= 25)
			break;
		if (acked != last)
			stalls = 0;
		last = acked;
	}
	cpu1 = cpu_ms(b->pid);
	if (b->fs_pid > 0)
		fs1 = cpu_ms(b->fs_pid);
	ph->acked = (int)json_integer_value(json_object_get(st, "acked"));
	ph->acked_per_sec = json_number_value(json_object_get(st,
	    "acked_per_sec"));
	ph->p50_us = json_integer_value(json_object_get(st, "p50_us"));
	ph->p99_us = json_integer_value(json_object_get(st, "p99_us"));
	ph->max_us = json_integer_value(json_object_get(st, "max_us"));
	ph->posts = (int)json_integer_value(json_object_get(st, "posts"));
	ph->posts_from = (int)json_integer_value(json_object_get(st,
	    "posts_from"));
	ph->cpu_ms_per_1k = ph->acked > 0 ?
	    (cpu1 - cpu0) / (ph->acked / 1000.0) : 0;
	ph->fs_cpu_ms_per_1k = ph->acked > 0 ?
	    (fs1 - fs0) / (ph->acked / 1000.0) : 0;
	ph->hwm_kb = status_kb(b->pid, "VmHWM:");
	json_decref(st);
	return (ph->acked == ph->count ? 0 : -1);
}

/* fakeslack's Web API delay in ms, or -1 if it cannot say. */
static int
web_delay_ms(struct bench *b)
{
	json_t	*r;
	int	 ms = -1;

	r = bench_ctl(b, "config", NULL);
	if (json_is_integer(json_object_get(r, "web_delay_ms")))
		ms = (int)json_integer_value(json_object_get(r,
		    "web_delay_ms"));
	json_decref(r);
	return (ms);
}

/* ---- the table ----------------------------------------------------- */

static void
print_row(const char *label, char cells[][CELL], int n, const char *target)
{
	int	i;

	printf("%-24s", label);
	for (i = 0; i < n; i++)
		printf(" %12s", cells[i]);
	printf(" %8s\n", target);
}

static void
print_head(struct bench *b, struct phase *ph, int nph)
{
	char	cells[2][CELL];
	int	i;

	printf("opsbot benchmark: mix %.0f%% chatter, %.0f%% '!sop hivedown', "
	    "10%% other channel\n", (0.9 - b->sop) * 100, b->sop * 100);
	if (b->web_delay_ms > 0)
		printf("fakeslack answers every Web API call after %d ms\n",
		    b->web_delay_ms);
	printf("\n");
	for (i = 0; i < nph; i++)
		snprintf(cells[i], CELL, "%s", ph[i].name);
	print_row("", cells, nph, "target");
	for (i = 0; i < nph; i++) {
		if (ph[i].rate > 0)
			snprintf(cells[i], CELL, "%.0f/s", ph[i].rate);
		else
			snprintf(cells[i], CELL, "unbounded");
	}
	print_row("offered rate", cells, nph, "");
}

/* The rows every phase has: acks, CPU, posts, memory. */
static void
print_acks(struct phase *ph, int nph)
{
	char	cells[2][CELL];
	int	i;

	for (i = 0; i < nph; i++)
		snprintf(cells[i], CELL, "%d", ph[i].acked);
	print_row("events acked", cells, nph, "");
	for (i = 0; i < nph; i++)
		snprintf(cells[i], CELL, "%.0f/s", ph[i].acked_per_sec);
	print_row("acked per second", cells, nph, "");
	for (i = 0; i < nph; i++)
		snprintf(cells[i], CELL, "%.2f ms", ph[i].cpu_ms_per_1k);
	print_row("CPU per 1,000 events", cells, nph, "<= 20");
	for (i = 0; i < nph; i++)
		snprintf(cells[i], CELL, "%.2f ms", ph[i].fs_cpu_ms_per_1k);
	print_row("  fakeslack's own CPU", cells, nph, "");
	for (i = 0; i < nph; i++)
		snprintf(cells[i], CELL, "%.3f ms", ph[i].p50_us / 1000.0);
	print_row("ack latency p50", cells, nph, "");
	for (i = 0; i < nph; i++)
		snprintf(cells[i], CELL, "%.3f ms", ph[i].p99_us / 1000.0);
	print_row("ack latency p99", cells, nph, "<= 1");
	for (i = 0; i < nph; i++)
		snprintf(cells[i], CELL, "%.3f ms", ph[i].max_us / 1000.0);
	print_row("ack latency max", cells, nph, "");
	for (i = 0; i < nph; i++)
		snprintf(cells[i], CELL, "%d", ph[i].posts);
	print_row("chat.postMessage", cells, nph, "");
	for (i = 0; i < nph; i++)
		snprintf(cells[i], CELL, "%.1f MB", ph[i].hwm_kb / 1024.0);
	print_row("peak RSS (VmHWM)", cells, nph, "<= 15");
}

/* A reply figure with its unit, or "-" for a phase that measured none. */
static void
reply_cell(char *cell, const struct phase *ph, double v, int decimals,
    const char *unit)
{
	if (ph->reply)
		snprintf(cell, CELL, "%.*f%s", decimals, v, unit);
	else
		snprintf(cell, CELL, "-");
}

static void
print_replies(struct phase *ph, int nph)
{
	char	cells[2][CELL];
	int	i;

	for (i = 0; i < nph; i++)
		reply_cell(cells[i], &ph[i], ph[i].replies.commands -
		    ph[i].replies.unsent, 0, "");
	print_row("'!sop' sent", cells, nph, "");
	for (i = 0; i < nph; i++)
		reply_cell(cells[i], &ph[i], ph[i].replies.answered, 0, "");
	print_row("  answered", cells, nph, "");
	for (i = 0; i < nph; i++)
		reply_cell(cells[i], &ph[i], ph[i].replies.missing, 0, "");
	print_row("  missing", cells, nph, "0");
	for (i = 0; i < nph; i++)
		reply_cell(cells[i], &ph[i], ph[i].replies.p50_us / 1000.0, 1,
		    " ms");
	print_row("reply latency p50", cells, nph, "");
	for (i = 0; i < nph; i++)
		reply_cell(cells[i], &ph[i], ph[i].replies.p99_us / 1000.0, 1,
		    " ms");
	print_row("reply latency p99", cells, nph, "<= 300");
	for (i = 0; i < nph; i++)
		reply_cell(cells[i], &ph[i], ph[i].replies.max_us / 1000.0, 1,
		    " ms");
	print_row("reply latency max", cells, nph, "");
	for (i = 0; i < nph; i++)
		reply_cell(cells[i], &ph[i], ph[i].replies.waited_s, 1, " s");
	print_row("  waited after acks", cells, nph, "");
}

/* ---- main ---------------------------------------------------------- */

static __attribute__((__noreturn__)) void
usage(void)
{
	fprintf(stderr, "usage: opsbot-bench -p port -P opsbot-pid [-r rate] "
	    "[-s secs] [-n max-rate-count] [-F fakeslack-pid] "
	    "[-m sop-share] [-k tls-ca-file] [-R [-w reply-wait-secs]]\n");
	exit(2);
}

/* Runs phase ph, then waits for its replies if it measures them. */
static int
run_one(struct bench *b, struct phase *ph)
{
	int	rc = 0;

	fprintf(stderr, "bench: %s: %d events...\n", ph->name, ph->count);
	if (run_phase(b, ph) != 0) {
		warnx("%s: only %d of %d envelopes acked", ph->name, ph->acked,
		    ph->count);
		rc = -1;
	}
	if (!ph->reply)
		return (rc);
	if (bench_reply_measure(b, ph->posts_from, &ph->replies) != 0) {
		warnx("%s: cannot read the commands or posts", ph->name);
		return (-1);
	}
	/* a figure, not a failure: the table shows it */
	if (ph->replies.missing > 0 || ph->replies.unsent > 0)
		warnx("%s: %d '!sop' unanswered after %.0f s, %d never sent",
		    ph->name, ph->replies.missing, ph->replies.waited_s,
		    ph->replies.unsent);
	return (rc);
}

int
main(int argc, char **argv)
{
	struct bench	 b;
	struct phase	 ph[2];
	long		 idle_kb;
	int		 ch, port = 0, secs = 20, maxn = 50000, rc = 0, i;
	int		 nph;
	double		 rate = 1000;

	memset(&b, 0, sizeof b);
	b.sop = 0.1;
	b.reply_wait_s = 60;
	while ((ch = getopt(argc, argv, "F:k:m:n:P:p:Rr:s:w:")) != -1) {
		switch (ch) {
		case 'k':
			b.ca_file = optarg;
			break;
		case 'm':
			b.sop = strtod(optarg, NULL);
			break;
		case 'F':
			b.fs_pid = (pid_t)strtol(optarg, NULL, 10);
			break;
		case 'n':
			maxn = (int)strtol(optarg, NULL, 10);
			break;
		case 'P':
			b.pid = (pid_t)strtol(optarg, NULL, 10);
			break;
		case 'p':
			port = (int)strtol(optarg, NULL, 10);
			break;
		case 'R':
			b.reply = 1;
			break;
		case 'r':
			rate = strtod(optarg, NULL);
			break;
		case 's':
			secs = (int)strtol(optarg, NULL, 10);
			break;
		case 'w':
			b.reply_wait_s = (int)strtol(optarg, NULL, 10);
			break;
		default:
			usage();
		}
	}
	if (port <= 0 || b.pid <= 0 || rate <= 0 || secs <= 0 || maxn < 0 ||
	    b.sop < 0 || b.sop > 0.9 || b.reply_wait_s <= 0)
		usage();
	snprintf(b.base, sizeof b.base, "%s://127.0.0.1:%d",
	    b.ca_file != NULL ? "https" : "http", port);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	b.curl = curl_easy_init();
	if (b.curl == NULL)
		errx(1, "curl_easy_init");
	if (wait_hello(&b) != 0)
		errx(1, "opsbot never connected to fakeslack");
	b.web_delay_ms = web_delay_ms(&b);
	bench_sleep_ms(500);
	idle_kb = status_kb(b.pid, "VmRSS:");

	memset(ph, 0, sizeof ph);
	ph[0].name = "fixed rate";
	ph[0].rate = rate;
	ph[0].count = (int)(rate * secs);
	ph[0].reply = b.reply;
	ph[1].name = "max rate";
	ph[1].rate = 0;
	ph[1].count = maxn;
	nph = maxn > 0 ? 2 : 1;
	for (i = 0; i < nph; i++) {
		if (run_one(&b, &ph[i]) != 0)
			rc = 1;
		bench_sleep_ms(1000);
	}

	fflush(stderr);
	print_head(&b, ph, nph);
	print_acks(ph, nph);
	if (b.reply)
		print_replies(ph, nph);
	printf("%-24s %9.1f MB\n", "RSS idle, seeds loaded",
	    idle_kb / 1024.0);

	curl_easy_cleanup(b.curl);
	curl_global_cleanup();
	return (rc);
}
