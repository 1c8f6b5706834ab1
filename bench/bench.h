/*
 * bench.h: opsbot-bench, the benchmark driver, in two files: the phases
 * and the table (opsbot-bench.c), and reply latency (bench-reply.c).
 * ack-floor and wakeup-floor stand alone and do not use this header.
 */
#ifndef BENCH_H
#define BENCH_H

#include <sys/types.h>

#include <stdint.h>

#include <curl/curl.h>
#include <jansson.h>

/* The driver: one per process, owned by main(). */
struct bench {
	CURL		*curl;		/* owned */
	char		 base[64];
	pid_t		 pid;
	pid_t		 fs_pid;	/* fakeslack, or 0 */
	const char	*ca_file;	/* -k: fakeslack speaks TLS, trust this */
	double		 sop;		/* share of '!sop hivedown'; chatter
					   gets 0.9 - sop, the other
					   channel 0.1 */
	int		 reply;		/* -R: measure reply latency */
	int		 reply_wait_s;	/* -w: the longest wait for replies */
	int		 web_delay_ms;	/* fakeslack's, as it reported it */
};

/*
 * Reply latency of one phase: for each '!sop' the flood sent, the first
 * chat.postMessage in its thread arrived at fakeslack this long after
 * fakeslack wrote the command's envelope (both on fakeslack's clock).
 */
struct bench_replies {
	int	 commands;	/* '!sop' the flood queued */
	int	 unsent;	/* of which never written (connection lost) */
	int	 answered;	/* a reply arrived in its thread */
	int	 missing;	/* sent, and no reply when the wait ended */
	int	 stray;		/* posts in no command's thread */
	int64_t	 p50_us;	/* over the answered */
	int64_t	 p99_us;
	int64_t	 max_us;
	double	 waited_s;	/* from the last ack to the end of the wait */
};

/* opsbot-bench.c */
void	 bench_sleep_ms(int);
/*
 * Calls fakeslack's control API: POSTs body (stolen) to /_ctl/path, or
 * GETs it when body is NULL. Returns the answer (a new reference), or
 * NULL if there was none or it was not JSON.
 */
json_t	*bench_ctl(struct bench *, const char *path, json_t *body);

/* bench-reply.c */
/*
 * After a phase whose flood began at post index posts_from (its
 * "posts_from"), waits until every '!sop' it sent has its reply, no new
 * post came for a while, or b->reply_wait_s passed, and fills out.
 * 0, or -1 if fakeslack could not be read.
 */
int	 bench_reply_measure(struct bench *, int posts_from,
	    struct bench_replies *out);

#endif /* BENCH_H */
