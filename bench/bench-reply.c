/*
 * bench-reply.c: reply latency. After a phase, waits for opsbot's replies
 * and matches each to the '!sop' that asked for it: every command is a
 * new top-level message, so its reply is the first chat.postMessage
 * whose channel and thread_ts are the command's channel and ts.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"

#define REPLY_POLL_MS	250
/*
 * No new post for this long ends the wait early. A delivery path that
 * is only slow posts several times a second; this much silence means
 * the rest will not come.
 */
#define REPLY_QUIET_S	10

/* One '!sop' the flood sent, and when its reply arrived. */
struct reply_cmd {
	char	 channel[16];
	char	 ts[32];
	int64_t	 sent_us;	/* 0: never written */
	int64_t	 reply_us;	/* 0: no reply yet */
};

struct reply_match {
	struct reply_cmd *cmds;		/* owned, by channel then ts */
	int		  ncmds;
	int		  next;		/* next /_ctl/posts index to read */
	int		  answered;
	int		  stray;
};

static double
reply_now_s(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

static int
reply_cmd_cmp(const void *a, const void *b)
{
	const struct reply_cmd *x = a, *y = b;
	int n;

	n = strcmp(x->channel, y->channel);
	return (n != 0 ? n : strcmp(x->ts, y->ts));
}

static int
reply_i64_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x < y ? -1 : x > y);
}

/* Fills key from strings that must fit; 0, or -1 if one does not. */
static int
reply_key(struct reply_cmd *key, const char *channel, const char *ts)
{
	memset(key, 0, sizeof *key);
	if (channel == NULL || ts == NULL ||
	    strlen(channel) >= sizeof key->channel ||
	    strlen(ts) >= sizeof key->ts)
		return (-1);
	memcpy(key->channel, channel, strlen(channel));
	memcpy(key->ts, ts, strlen(ts));
	return (0);
}

/* Reads the current flood's commands into m, sorted; 0 or -1. */
static int
reply_load(struct bench *b, struct reply_match *m)
{
	json_t	*r, *cmds, *c;
	size_t	 i;
	int	 rc = -1;

	r = bench_ctl(b, "flood/commands", NULL);
	cmds = json_object_get(r, "commands");
	if (!json_is_array(cmds))
		goto out;
	m->cmds = calloc(json_array_size(cmds) + 1, sizeof *m->cmds);
	if (m->cmds == NULL)
		err(1, "calloc");
	json_array_foreach(cmds, i, c) {
		if (reply_key(&m->cmds[m->ncmds], json_string_value(
		    json_object_get(c, "channel")), json_string_value(
		    json_object_get(c, "ts"))) != 0)
			goto out;
		m->cmds[m->ncmds++].sent_us = json_integer_value(
		    json_object_get(c, "sent_us"));
	}
	qsort(m->cmds, (size_t)m->ncmds, sizeof *m->cmds, reply_cmd_cmp);
	rc = 0;
out:
	json_decref(r);
	return (rc);
}

/* One post: the reply to a command, a later post in its thread, or stray. */
static void
reply_match_post(struct reply_match *m, json_t *post)
{
	struct reply_cmd	 key, *cmd = NULL;

	if (reply_key(&key, json_string_value(json_object_get(post,
	    "channel")), json_string_value(json_object_get(post,
	    "thread_ts"))) == 0)
		cmd = bsearch(&key, m->cmds, (size_t)m->ncmds,
		    sizeof *m->cmds, reply_cmd_cmp);
	if (cmd == NULL) {
		m->stray++;
		return;
	}
	/* posts come in order of arrival: the first one is the reply */
	if (cmd->reply_us != 0)
		return;
	cmd->reply_us = json_integer_value(json_object_get(post, "t_us"));
	m->answered++;
}

/* Matches the posts that arrived since m->next; how many, or -1. */
static int
reply_read(struct bench *b, struct reply_match *m)
{
	json_t	*r, *posts, *post;
	char	 path[64];
	size_t	 i;
	int	 n = -1;

	snprintf(path, sizeof path, "posts?since=%d", m->next);
	r = bench_ctl(b, path, NULL);
	posts = json_object_get(r, "posts");
	if (!json_is_array(posts))
		goto out;
	json_array_foreach(posts, i, post)
		reply_match_post(m, post);
	n = (int)json_array_size(posts);
	m->next += n;
out:
	json_decref(r);
	return (n);
}

/* Percentiles over the answered commands, as fakeslack does for acks. */
static void
reply_stats(struct reply_match *m, struct bench_replies *out)
{
	int64_t	*lat;
	int	 i, n = 0;

	lat = calloc((size_t)m->ncmds + 1, sizeof *lat);
	if (lat == NULL)
		err(1, "calloc");
	for (i = 0; i < m->ncmds; i++) {
		if (m->cmds[i].sent_us == 0) {
			out->unsent++;
			continue;
		}
		if (m->cmds[i].reply_us == 0) {
			out->missing++;
			continue;
		}
		lat[n++] = m->cmds[i].reply_us - m->cmds[i].sent_us;
	}
	qsort(lat, (size_t)n, sizeof *lat, reply_i64_cmp);
	out->commands = m->ncmds;
	out->answered = n;
	out->stray = m->stray;
	if (n > 0) {
		out->p50_us = lat[n / 2];
		out->p99_us = lat[(size_t)((n - 1) * 0.99)];
		out->max_us = lat[n - 1];
	}
	free(lat);
}

int
bench_reply_measure(struct bench *b, int posts_from,
    struct bench_replies *out)
{
	struct reply_match	 m;
	double			 start, now, last_new;
	int			 i, n, sent = 0, rc = -1;

	memset(&m, 0, sizeof m);
	memset(out, 0, sizeof *out);
	m.next = posts_from;
	/* every envelope was acked, so every command has its sent_us */
	if (reply_load(b, &m) != 0)
		goto out;
	for (i = 0; i < m.ncmds; i++)
		if (m.cmds[i].sent_us != 0)
			sent++;
	fprintf(stderr, "bench: waiting for the replies to %d '!sop' "
	    "(at most %d s)...\n", sent, b->reply_wait_s);
	start = last_new = now = reply_now_s();
	for (;;) {
		n = reply_read(b, &m);
		if (n < 0)
			goto out;
		now = reply_now_s();
		if (n > 0)
			last_new = now;
		if (m.answered >= sent || now - last_new >= REPLY_QUIET_S ||
		    now - start >= b->reply_wait_s)
			break;
		bench_sleep_ms(REPLY_POLL_MS);
	}
	reply_stats(&m, out);
	out->waited_s = now - start;
	rc = 0;
out:
	free(m.cmds);
	return (rc);
}
