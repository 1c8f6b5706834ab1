/*
 * bench-watch.c: one message against N channel-watch rules compiled
 * together (bot/watch-match.c), as the gate's claims and the handler
 * call it. Not a ctest: timings depend on the machine (bench/README.md).
 * Usage: bench-watch [RULES [REGEXES [ROUNDS]]]; prints the median,
 * p90 and p99 µs per message for claims (stop at the first rule) and
 * for the handler's "every rule" call.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bot/bot.h"
#include "bot/watch.h"

static const char *const syll[] = {
	"ka", "lo", "mer", "ti", "zan", "qu", "ro", "bel", "ni", "os",
	"vu", "tre", "gal", "dif", "up", "sto", "rem", "cy", "fa", "wex",
};

/* Chat as it comes: mostly no rule matches. */
static const char *const chatter[] = {
	"morning all, anyone seen the deploy pipeline stuck on staging?",
	"I think the cert rotation finished, checking the dashboards now",
	"can someone review my PR for the ingress controller timeouts",
	"lunch?",
	("the grafana panel for etcd latency looks odd since 10:40 UTC, "
	"p99 went from 8 ms to 40 ms and back, probably the compaction"),
	"ok thanks, closing the ticket then",
	"is the vault cluster in eu-de healthy? ipops asks about 403s",
	"we are rolling out the new node pool, expect a few restarts",
	"FYI: maintenance window tomorrow 06:00-08:00 CET on the build farm",
	"+1",
};

static char *
word_new(unsigned *seed, int nsyll)
{
	struct buf	 b = { NULL, 0, 0 };
	int		 i;

	for (i = 0; i < nsyll; i++) {
		*seed = *seed * 1103515245 + 12345;
		buf_adds(&b, syll[(*seed >> 16) % 20]);
	}
	return (buf_release(&b));
}

/* RULES rules in one channel: words, phrases, and REGEXES regexes. */
static char *
rules_yaml_new(int nrules, int nregex)
{
	struct buf	 b = { NULL, 0, 0 };
	unsigned	 seed = 42;
	char		*w1, *w2;
	int		 i;

	buf_adds(&b, "watches:\n");
	for (i = 0; i < nrules; i++) {
		w1 = word_new(&seed, 3);
		w2 = word_new(&seed, 2);
		buf_printf(&b, "  - name: r%d\n    channel: C0001\n", i);
		if (i < nregex)
			buf_printf(&b, "    patterns: [\"regex:%s\\\\d+ "
			    "(%s|down)\"]\n", w1, w2);
		else if (i % 3 == 0)
			buf_printf(&b, "    patterns: [\"%s %s\"]\n", w1, w2);
		else
			buf_printf(&b, "    patterns: [%s]\n", w1);
		buf_printf(&b, "    text: answer %d\n", i);
		free(w1);
		free(w2);
	}
	return (buf_release(&b));
}

static int64_t
now_ns(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec);
}

static int
cmp64(const void *a, const void *b)
{
	int64_t	 x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x < y ? -1 : x > y);
}

static void
report(const char *what, int64_t *ns, size_t n)
{
	qsort(ns, n, sizeof *ns, cmp64);
	printf("%-28s median %6.2f µs  p90 %6.2f µs  p99 %6.2f µs\n", what,
	    ns[n / 2] / 1000.0, ns[n * 90 / 100] / 1000.0,
	    ns[n * 99 / 100] / 1000.0);
}

int
main(int argc, char **argv)
{
	struct watch_hits	 hits = { NULL, 0, 0 };
	struct watch_chan	*c;
	struct config		*cfg;
	const char		*msg;
	char			*yaml, *cause = NULL;
	int64_t			*any, *all, t0;
	size_t			 i, n, nmsg;
	int			 nrules, nregex, rounds;

	nrules = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 500;
	nregex = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 0;
	rounds = argc > 3 ? (int)strtol(argv[3], NULL, 10) : 2000;
	nmsg = sizeof chatter / sizeof chatter[0];
	n = (size_t)rounds * nmsg;
	yaml = rules_yaml_new(nrules, nregex);
	cfg = config_new();
	t0 = now_ns();
	if (config_load_string(cfg, "bench.yaml", yaml, strlen(yaml),
	    &cause) != 0)
		fatalx("%s", cause);
	c = watch_chan_find(cfg->watches, "C0001");
	printf("%d rules (%d regexes) in one channel; pattern %zu bytes, "
	    "JIT %s; config load and compile %.1f ms\n", nrules, nregex,
	    strlen(c->source), c->jit ? "yes" : "no",
	    (now_ns() - t0) / 1e6);
	any = xcalloc(n, sizeof *any);
	all = xcalloc(n, sizeof *all);
	for (i = 0; i < n; i++) {
		msg = chatter[i % nmsg];
		t0 = now_ns();
		watch_match(c, msg, strlen(msg), 0, NULL);
		any[i] = now_ns() - t0;
		t0 = now_ns();
		watch_match(c, msg, strlen(msg), 1, &hits);
		all[i] = now_ns() - t0;
		hits.n = 0;
	}
	report("claims (first rule)", any, n);
	report("handle (every rule)", all, n);
	watch_hits_reset(&hits);
	free(any);
	free(all);
	free(yaml);
	config_free(cfg);
	return (0);
}
