/*
 * opsbot-bench.c: drives fakeslack's flood against a running opsbot and
 * reports throughput, CPU per 1,000 events, ack latency and peak RSS.
 * bench/run starts the processes; this program only measures.
 *
 * usage: opsbot-bench -p fakeslack-port -P opsbot-pid [-r rate] [-s secs]
 *	      [-n max-rate-count] [-F fakeslack-pid]
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

#include <curl/curl.h>
#include <jansson.h>

struct bench {
	CURL	*curl;
	char	 base[64];
	pid_t	 pid;
	pid_t	 fs_pid;	/* fakeslack, or 0 */
	const char *ca_file;	/* -k: fakeslack speaks TLS, trust this */
	double	 sop;		/* share of '!sop hivedown'; chatter gets
				   0.9 - sop, the other channel 0.1 */
};

struct phase {
	const char	*name;
	double		 rate;		/* 0: as fast as acks come back */
	int		 count;
	/* results */
	int		 acked;
	double		 acked_per_sec;
	double		 cpu_ms_per_1k;
	double		 fs_cpu_ms_per_1k;
	int64_t		 p50_us, p99_us, max_us;
	int		 posts;
	long		 hwm_kb;
};

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

/* POSTs body (stolen) or GETs; returns the answer (new reference). */
static json_t *
ctl(struct bench *b, const char *path, json_t *body)
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
		st = ctl(b, "state", NULL);
		n = (int)json_array_size(json_object_get(st, "conns"));
		json_decref(st);
		if (n > 0)
			return (0);
		sleep_ms(100);
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
	r = ctl(b, "flood", json_pack("{s:f, s:i, s:i, s:{s:f, s:f, s:f}}",
	    "rate_per_sec", ph->rate, "count", ph->count, "window", 64,
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
		sleep_ms(200);
		json_decref(st);
		st = ctl(b, "flood", NULL);
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
	ph->cpu_ms_per_1k = ph->acked > 0 ?
	    (cpu1 - cpu0) / (ph->acked / 1000.0) : 0;
	ph->fs_cpu_ms_per_1k = ph->acked > 0 ?
	    (fs1 - fs0) / (ph->acked / 1000.0) : 0;
	ph->hwm_kb = status_kb(b->pid, "VmHWM:");
	json_decref(st);
	return (ph->acked == ph->count ? 0 : -1);
}

static __attribute__((__noreturn__)) void
usage(void)
{
	fprintf(stderr, "usage: opsbot-bench -p port -P opsbot-pid [-r rate] "
	    "[-s secs] [-n max-rate-count] [-F fakeslack-pid] "
	    "[-m sop-share] [-k tls-ca-file]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct bench	 b;
	struct phase	 ph[2];
	long		 idle_kb;
	int		 ch, port = 0, secs = 20, maxn = 50000, rc = 0, i;
	double		 rate = 1000;
	char		 offered[32];

	memset(&b, 0, sizeof b);
	b.sop = 0.1;
	while ((ch = getopt(argc, argv, "F:k:m:n:P:p:r:s:")) != -1) {
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
		case 'r':
			rate = strtod(optarg, NULL);
			break;
		case 's':
			secs = (int)strtol(optarg, NULL, 10);
			break;
		default:
			usage();
		}
	}
	if (port <= 0 || b.pid <= 0 || rate <= 0 || secs <= 0 || maxn <= 0 ||
	    b.sop < 0 || b.sop > 0.9)
		usage();
	snprintf(b.base, sizeof b.base, "%s://127.0.0.1:%d",
	    b.ca_file != NULL ? "https" : "http", port);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	b.curl = curl_easy_init();
	if (b.curl == NULL)
		errx(1, "curl_easy_init");
	if (wait_hello(&b) != 0)
		errx(1, "opsbot never connected to fakeslack");
	sleep_ms(500);
	idle_kb = status_kb(b.pid, "VmRSS:");

	memset(ph, 0, sizeof ph);
	ph[0].name = "fixed rate";
	ph[0].rate = rate;
	ph[0].count = (int)(rate * secs);
	ph[1].name = "max rate";
	ph[1].rate = 0;
	ph[1].count = maxn;
	for (i = 0; i < 2; i++) {
		fprintf(stderr, "bench: %s: %d events...\n", ph[i].name,
		    ph[i].count);
		if (run_phase(&b, &ph[i]) != 0) {
			warnx("%s: only %d of %d envelopes acked", ph[i].name,
			    ph[i].acked, ph[i].count);
			rc = 1;
		}
		sleep_ms(1000);
	}

	fflush(stderr);
	printf("opsbot benchmark: mix %.0f%% chatter, %.0f%% '!sop hivedown', "
	    "10%% other channel\n\n", (0.9 - b.sop) * 100, b.sop * 100);
	printf("%-22s %12s %12s %8s\n", "", ph[0].name, ph[1].name, "target");
	snprintf(offered, sizeof offered, "%.0f/s", ph[0].rate);
	printf("%-22s %12s %12s %8s\n", "offered rate", offered,
	    "unbounded", "");
	printf("%-22s %12d %12d %8s\n", "events acked", ph[0].acked,
	    ph[1].acked, "");
	printf("%-22s %10.0f/s %10.0f/s %8s\n", "acked per second",
	    ph[0].acked_per_sec, ph[1].acked_per_sec, "");
	printf("%-22s %9.2f ms %9.2f ms %8s\n", "CPU per 1,000 events",
	    ph[0].cpu_ms_per_1k, ph[1].cpu_ms_per_1k, "<= 20");
	printf("%-22s %9.2f ms %9.2f ms %8s\n", "  fakeslack's own CPU",
	    ph[0].fs_cpu_ms_per_1k, ph[1].fs_cpu_ms_per_1k, "");
	printf("%-22s %9.3f ms %9.3f ms %8s\n", "ack latency p50",
	    ph[0].p50_us / 1000.0, ph[1].p50_us / 1000.0, "");
	printf("%-22s %9.3f ms %9.3f ms %8s\n", "ack latency p99",
	    ph[0].p99_us / 1000.0, ph[1].p99_us / 1000.0, "<= 1");
	printf("%-22s %9.3f ms %9.3f ms %8s\n", "ack latency max",
	    ph[0].max_us / 1000.0, ph[1].max_us / 1000.0, "");
	printf("%-22s %12d %12d %8s\n", "chat.postMessage", ph[0].posts,
	    ph[1].posts, "");
	printf("%-22s %9.1f MB %9.1f MB %8s\n", "peak RSS (VmHWM)",
	    ph[0].hwm_kb / 1024.0, ph[1].hwm_kb / 1024.0, "<= 15");
	printf("%-22s %9.1f MB\n", "RSS idle, seeds loaded",
	    idle_kb / 1024.0);

	curl_easy_cleanup(b.curl);
	curl_global_cleanup();
	return (rc);
}
