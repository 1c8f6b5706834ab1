/*
 * slack-outbox.c: delivering the replies stored in the outbox, in order
 * per channel, at most max_inflight at a time, honouring Retry-After.
 * A row is deleted only once Slack said ok (or failed it for good).
 */
#include <stdlib.h>
#include <string.h>

#include "adapters/slack.h"
#include "bot/clock.h"
#include "store/store.h"

#define OUTBOX_BATCH		256
#define OUTBOX_MAX_ATTEMPTS	8

enum { KIND_POST = 0, KIND_RESPONSE_URL = 1 };

/* One outbox row being posted. */
struct slack_outflight {
	struct slack		*sl;
	int64_t			 id;
	int			 kind;
	int			 attempts;
	char			*key;		/* channel or response_url */
	char			*channel;	/* for logs, may be NULL */
	struct slack_outflight	*next;
};

static void	outbox_run(struct slack *);
static int	outbox_start(struct slack *, const struct outbox_row *, int,
		    const char *);

static void
on_outbox(lws_sorted_usec_list_t *sul)
{
	outbox_run(lws_container_of(sul, struct slack, sul_outbox));
}

/* Schedules a pass on the next loop turn; kicks coalesce. */
static void
outbox_schedule(struct slack *sl)
{
	if (!sl->stopping)
		lws_sul_schedule(sl->bot->lws, 0, &sl->sul_outbox, on_outbox,
		    1);
}

void
slack_outbox_kick(struct slack *sl)
{
	sl->outbox_settled = 0;
	outbox_schedule(sl);
}

/* The post in flight for key (a channel or a response_url), or NULL. */
static struct slack_outflight *
outflight_find_key(struct slack *sl, const char *key)
{
	struct slack_outflight	*of;

	for (of = sl->outflight; of != NULL; of = of->next) {
		if (strcmp(of->key, key) == 0)
			return (of);
	}
	return (NULL);
}

void
slack_outbox_queued(struct slack *sl, const char *channel, size_t n)
{
	/*
	 * Behind a post in flight, the rows could not start now anyway:
	 * that post's completion runs the pass that starts them.
	 */
	if (sl->outbox_settled && channel != NULL &&
	    outflight_find_key(sl, channel) != NULL) {
		sl->outbox_waiting += n;
		return;
	}
	slack_outbox_kick(sl);
}

static void
outflight_free(struct slack_outflight *of)
{
	free(of->key);
	free(of->channel);
	free(of);
}

static void
outbox_defer(struct slack *sl, struct slack_outflight *of, const char *why)
{
	int64_t	 ms;

	sl->outbox_settled = 0;		/* the row stays for a later pass */
	sl->outbox_no_deferred = 0;
	if (of->attempts + 1 >= OUTBOX_MAX_ATTEMPTS) {
		log_warnx("slack: giving up on a reply to %s after %d "
		    "attempts: %s", of->channel ? of->channel : "?",
		    of->attempts + 1, why);
		store_outbox_done(sl->bot->store, of->id);
		return;
	}
	ms = slack_backoff_ms(of->attempts + 1, 300000, slack_rnd32(sl));
	log_info("slack: reply to %s failed (%s), retrying in %lld ms",
	    of->channel ? of->channel : "?", why, (long long)ms);
	store_outbox_defer(sl->bot->store, of->id, clock_wall_ms() + ms, why);
}

/*
 * The post of channel key finished and was deleted while the outbox
 * was settled: the only row that can have become startable is the next
 * one of that channel, so it is looked up alone instead of reading the
 * whole outbox (a backlog of one busy channel made every completion
 * read 256 rows). Returns 0 when settled still holds, or -1 when a full
 * pass must decide.
 */
static int
outbox_next(struct slack *sl, const char *key)
{
	struct outbox_row	 row;
	int			 max, got, rv = -1;

	max = sl->bot->cfg->max_inflight > 0 ? sl->bot->cfg->max_inflight : 4;
	if (*key == '\0' || sl->ninflight >= max ||
	    sl->paused_until_ms[KIND_POST] > clock_mono_ms())
		return (-1);
	memset(&row, 0, sizeof row);
	if ((got = store_outbox_first(sl->bot->store, key, &row)) <= 0)
		return (got);	/* 0: the rows waiting are of other channels */
	/* A response_url row has its own key; a deferred one, a timer. */
	if (row.kind == NULL || strcmp(row.kind, "chat.postMessage") != 0 ||
	    row.not_before_ms > clock_wall_ms() || sl->outbox_waiting == 0)
		goto out;
	if (outbox_start(sl, &row, KIND_POST, key) == -1)
		goto out;
	sl->outbox_waiting--;
	rv = 0;
out:
	store_outbox_row_release(&row);
	return (rv);
}

/*
 * Acts on a delivery's verdict: the one place for the outbox. ok
 * deletes the row; 429 keeps it and its place and pauses the method
 * for Retry-After [RL]; retryable defers it with backoff; permanent
 * deletes it with the logged code (internal_error/fatal_error on a
 * post may have posted it [WEB]: not repeated).
 */
static void
on_posted(void *arg, const struct slack_api_answer *a,
    const struct slack_web_resp *r)
{
	struct slack_outflight	 *of = arg, **pp;
	struct slack		 *sl = of->sl;
	struct store		 *st = sl->bot->store;
	const char		 *method;
	char			 *why = NULL;
	long			  secs;
	int			  done = 0;

	for (pp = &sl->outflight; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == of) {
			*pp = of->next;
			break;
		}
	}
	sl->ninflight--;
	method = of->kind == KIND_POST ? "chat.postMessage" : "response_url";

	switch (a->verdict) {
	case SLACK_API_OK:
		done = store_outbox_done(st, of->id) == 0;
		break;
	case SLACK_API_RATE_LIMITED:
		secs = a->retry_after > 0 ? a->retry_after : 1;
		log_info("slack: %s: rate limited, pausing %ld s", method,
		    secs);
		sl->paused_until_ms[of->kind] = clock_mono_ms() + secs * 1000;
		break;
	case SLACK_API_RETRYABLE:
		xasprintf(&why, "%s", a->status == 0 ? r->net_errstr : a->why);
		outbox_defer(sl, of, why);
		break;
	case SLACK_API_PERMANENT:
		if (a->unsure)
			log_warnx("slack: %s: %s (channel %s): it may have "
			    "been posted; not retrying", method, a->why,
			    of->channel ? of->channel : "?");
		else
			log_warnx("slack: %s: %s (channel %s); dropping the "
			    "reply", method, a->why,
			    of->channel ? of->channel : "?");
		done = store_outbox_done(st, of->id) == 0;
		break;
	}
	free(why);
	/*
	 * Settled (every row in flight or behind a post in flight) and
	 * this row deleted: nothing waiting means nothing to start, and
	 * otherwise only this channel's next row can start. Anything
	 * else (the row kept, paused or deferred, its DELETE failed, a
	 * response_url) needs a full pass.
	 */
	if (!done || of->kind != KIND_POST)
		sl->outbox_settled = 0;
	if (sl->outbox_settled && sl->outbox_waiting > 0 &&
	    outbox_next(sl, of->key) == -1)
		sl->outbox_settled = 0;
	outflight_free(of);
	if (!sl->outbox_settled)
		outbox_schedule(sl);
}

static int
key_seen(const struct strv *keys, const char *k)
{
	size_t	 i;

	for (i = 0; i < keys->n; i++) {
		if (strcmp(keys->v[i], k) == 0)
			return (1);
	}
	return (0);
}

/* Starts posting row; 0, or -1 if it could not be started. */
static int
outbox_start(struct slack *sl, const struct outbox_row *row, int kind,
    const char *key)
{
	struct slack_outflight	*of;
	int			 rv;

	of = xcalloc(1, sizeof *of);
	of->sl = sl;
	of->id = row->id;
	of->kind = kind;
	of->attempts = row->attempts;
	of->key = xstrdup(key);
	of->channel = row->channel != NULL ? xstrdup(row->channel) : NULL;
	/* response_url: the URL is the credential, sent no token. */
	rv = slack_api_call(sl, kind == KIND_POST ? "chat.postMessage" :
	    "response_url", kind == KIND_POST ? NULL : row->target,
	    row->body, on_posted, of);
	if (rv == -1) {
		outflight_free(of);
		return (-1);
	}
	of->next = sl->outflight;
	sl->outflight = of;
	sl->ninflight++;
	return (0);
}

static void
outbox_run(struct slack *sl)
{
	struct outbox_row	*rows = NULL;
	struct slack_outflight	*of;
	struct strv		 blocked = { 0 };
	size_t			 n = 0, i, waiting = 0;
	int64_t			 now_wall, now_mono, wake = INT64_MAX, w;
	int			 max, kind, unsettled;
	const char		*key;

	sl->outbox_settled = 0;
	if (!sl->authed || sl->stopping)
		return;
	max = sl->bot->cfg->max_inflight > 0 ? sl->bot->cfg->max_inflight : 4;
	if (sl->ninflight >= max)
		return;		/* a completion kicks again */
	/* One now for the queries and for what is done with their answer. */
	now_wall = clock_wall_ms();
	now_mono = clock_mono_ms();
	if (store_outbox_pending(sl->bot->store, now_wall, OUTBOX_BATCH, &rows,
	    &n) == -1) {
		wake = now_mono + 5000;
		goto out;
	}
	/*
	 * Deferred rows are not in the answer until due (nor the rows of
	 * their channel behind them): wake up for the first of them.
	 */
	if (!sl->outbox_no_deferred) {
		if (store_outbox_next_retry(sl->bot->store, now_wall, &w) == -1)
			wake = now_mono + 5000;
		else if (w == 0)
			sl->outbox_no_deferred = 1;
		else
			wake = now_mono + (w > now_wall ? w - now_wall : 1);
	}
	/* Rows past the batch were not seen: the outbox is not settled. */
	unsettled = n >= OUTBOX_BATCH;
	/* At most one post in flight per channel keeps replies in order. */
	for (of = sl->outflight; of != NULL; of = of->next)
		strv_add(&blocked, of->key);
	for (i = 0; i < n; i++) {
		kind = rows[i].kind != NULL && strcmp(rows[i].kind,
		    "response_url") == 0 ? KIND_RESPONSE_URL : KIND_POST;
		key = kind == KIND_RESPONSE_URL ? rows[i].target :
		    rows[i].channel;
		if (key == NULL)
			key = "";
		if (key_seen(&blocked, key)) {
			/* Rows being sent come back too: not waiting. */
			if ((of = outflight_find_key(sl, key)) == NULL)
				unsettled = 1;	/* behind a row not started */
			else if (of->id != rows[i].id)
				waiting++;
			continue;
		}
		strv_add(&blocked, key);
		if (kind == KIND_RESPONSE_URL &&
		    !slack_response_url_ok(sl, rows[i].target)) {
			log_warnx("slack: dropping a reply to a bad "
			    "response_url");
			store_outbox_done(sl->bot->store, rows[i].id);
			unsettled = 1;
			continue;
		}
		if (rows[i].not_before_ms > now_wall) {
			w = now_mono + (rows[i].not_before_ms - now_wall);
			wake = w < wake ? w : wake;
			continue;
		}
		if (sl->paused_until_ms[kind] > now_mono) {
			w = sl->paused_until_ms[kind];
			wake = w < wake ? w : wake;
			continue;
		}
		if (sl->ninflight >= max)
			break;
		if (outbox_start(sl, &rows[i], kind, key) == -1) {
			wake = now_mono + 1000;
			break;
		}
	}
	/*
	 * Settled: every row is in flight or waits behind a post in
	 * flight, so only that post's completion can make one startable.
	 */
	sl->outbox_settled = !unsettled && i == n && wake == INT64_MAX;
	sl->outbox_waiting = waiting;
out:
	for (i = 0; i < n; i++)
		store_outbox_row_release(&rows[i]);
	free(rows);
	strv_reset(&blocked);
	if (wake != INT64_MAX) {
		w = wake - clock_mono_ms();
		lws_sul_schedule(sl->bot->lws, 0, &sl->sul_outbox, on_outbox,
		    (lws_usec_t)(w > 0 ? w : 1) * LWS_US_PER_MS);
	}
}

void
slack_outbox_stop(struct slack *sl)
{
	struct slack_outflight	*of;

	lws_sul_cancel(&sl->sul_outbox);
	while ((of = sl->outflight) != NULL) {
		sl->outflight = of->next;
		outflight_free(of);
	}
	sl->ninflight = 0;
}
