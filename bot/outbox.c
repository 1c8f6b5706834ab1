/*
 * outbox.c: delivering queued posts through the running adapter
 * (outbox.h; docs/internals/outbox.md). One post in flight per order
 * key (a thread, or a channel's top level), at most max_inflight in
 * all; a 429 pauses its method in its channel; other failures back off.
 * A post is marked done only once the adapter says it was delivered.
 */
#include <stdlib.h>
#include <string.h>

#include <libwebsockets.h>

#include "adapters/adapter.h"
#include "bot/backoff.h"
#include "bot/bot.h"
#include "bot/clock.h"
#include "bot/outbox.h"
#include "store/store.h"

/* Heads read per pass: far more keys than can be in flight at once. */
#define OUTBOX_BATCH		256
/* Back-off cap for a failing post, ms. */
#define OUTBOX_BACKOFF_CAP_MS	300000
/* How often delivered posts past OUTBOX_KEEP_DONE_SECS are deleted. */
#define OUTBOX_PRUNE_MS		(3600 * 1000)
/* After a store error, the next pass waits this long (ms). */
#define OUTBOX_STORE_RETRY_MS	5000

/* One post handed to the adapter, until outbox_delivered. */
struct inflight {
	struct outbox	*ob;
	int64_t		 id;
	enum post_op	 op;
	int		 attempts;
	int		 keyed;		/* has an idempotency key: row kept */
	char		*order_key;	/* owned */
	char		*channel;	/* owned */
	struct inflight	*next;
};

/*
 * What the adapter said of a post, kept while the store cannot write it
 * (a disk error): the post is then neither in flight nor startable, so
 * a delivered post is not sent again and again while the disk fails.
 */
enum outcome_kind {
	OUTCOME_DONE,		/* store_post_done */
	OUTCOME_FAILED,		/* store_post_failed */
	OUTCOME_DEFER,		/* store_post_defer */
};
struct outcome {
	int64_t			 id;
	enum outcome_kind	 kind;
	int			 keyed;
	char			*text;		/* ts or why; owned, may be NULL */
	int64_t			 not_before_ms;	/* OUTCOME_DEFER: wall ms */
	int64_t			 retry_ms;	/* next write, monotonic ms */
};

/* A 429's pause of one method (op) in one channel. */
struct pause {
	enum post_op	 op;
	char		*channel;	/* owned */
	int64_t		 until_ms;	/* monotonic ms */
};

struct outbox {
	struct bot		*bot;		/* borrowed */
	int			 ready;		/* the adapter can deliver */
	int			 in_pass;	/* a pass is running */
	int			 again;		/* something changed during it */
	int			 armed;		/* sul scheduled */
	int64_t			 armed_at;	/* for when, monotonic ms */
	struct inflight		*inflight;	/* owned list */
	size_t			 ninflight;
	struct pause		*pauses;	/* owned */
	size_t			 npauses;
	int64_t			 pruned_ms;	/* wall ms of the last prune */
	struct outcome		*unwritten;	/* owned: outcomes not stored */
	size_t			 nunwritten;
	lws_sorted_usec_list_t	 sul;
};

struct outbox *
outbox_new(struct bot *bot)
{
	struct outbox	*ob;

	ob = xcalloc(1, sizeof *ob);
	ob->bot = bot;
	return (ob);
}

static void
inflight_free(struct inflight *f)
{
	free(f->order_key);
	free(f->channel);
	free(f);
}

void
outbox_stop(struct outbox *ob)
{
	struct inflight	*f;

	if (ob == NULL)
		return;
	lws_sul_cancel(&ob->sul);
	ob->armed = 0;
	ob->ready = 0;
	/* The adapter dropped its calls: the rows stay queued. */
	while ((f = ob->inflight) != NULL) {
		ob->inflight = f->next;
		inflight_free(f);
	}
	ob->ninflight = 0;
}

void
outbox_free(struct outbox *ob)
{
	size_t	 i;

	if (ob == NULL)
		return;
	outbox_stop(ob);
	for (i = 0; i < ob->npauses; i++)
		free(ob->pauses[i].channel);
	free(ob->pauses);
	for (i = 0; i < ob->nunwritten; i++)
		free(ob->unwritten[i].text);
	free(ob->unwritten);
	free(ob);
}

const char *
post_op_name(enum post_op op)
{
	switch (op) {
	case POST_MESSAGE:
		return ("message");
	case POST_UPDATE:
		return ("update");
	case POST_REACTION:
		return ("reaction");
	case POST_RESPOND:
		return ("respond");
	}
	return ("?");
}

static void	outbox_pass(struct outbox *);

/*
 * The order key of a post (new string). A thread's posts keep their
 * order, and a channel's top-level posts theirs; a response_url is its
 * own sequence. An update goes in the sequence of the post it updates,
 * so it cannot overtake it.
 */
static char *
order_key_new(struct bot *bot, const struct post *p)
{
	char	*k = NULL, *ts = NULL;
	int	 state;

	if (p->op == POST_RESPOND && p->response_url != NULL)
		return (xstrdup(p->response_url));
	if (p->op == POST_UPDATE && p->target_key != NULL &&
	    store_post_by_key(bot->store, p->target_key, &ts, &state,
	    &k) == 1 && k != NULL) {
		free(ts);
		return (k);
	}
	free(ts);
	free(k);
	xasprintf(&k, "%s/%s", p->channel, p->thread_ts != NULL ?
	    p->thread_ts : "");
	return (k);
}

int64_t
outbox_queue(struct bot *bot, const struct post *p)
{
	char	*order_key;
	int64_t	 id;

	if (p->channel == NULL || (p->op == POST_RESPOND &&
	    p->response_url == NULL) || (p->op == POST_REACTION &&
	    (p->target_ts == NULL || p->reaction == NULL)) ||
	    (p->op == POST_UPDATE && p->target_ts == NULL &&
	    p->target_key == NULL)) {
		log_errx("outbox: a %s post without its destination; dropped",
		    post_op_name(p->op));
		return (0);
	}
	order_key = order_key_new(bot, p);
	id = store_post_add(bot->store, clock_wall_ms(), p, order_key);
	free(order_key);
	if (id == 0)
		log_debug("outbox: %s already queued", p->key);
	/*
	 * The pass runs at the loop's next turn, after the caller's
	 * transaction committed (or rolled back: then it finds nothing).
	 */
	if (id > 0)
		outbox_kick(bot->outbox);
	return (id);
}


static void
on_outbox(lws_sorted_usec_list_t *sul)
{
	struct outbox	*ob = lws_container_of(sul, struct outbox, sul);

	ob->armed = 0;
	outbox_pass(ob);
}

/*
 * Arms the one timer delay_ms (monotonic) from now, unless it is armed
 * to fire sooner already: lws_sul_schedule replaces, and a far wake
 * must not push back a pass that is due now.
 */
static void
outbox_arm(struct outbox *ob, int64_t delay_ms)
{
	int64_t	 at;

	if (ob->bot->lws == NULL || !ob->ready)
		return;
	if (delay_ms < 0)
		delay_ms = 0;
	at = clock_mono_ms() + delay_ms;
	if (ob->armed && ob->armed_at <= at)
		return;
	ob->armed = 1;
	ob->armed_at = at;
	lws_sul_schedule(ob->bot->lws, 0, &ob->sul, on_outbox,
	    delay_ms == 0 ? 1 : (lws_usec_t)delay_ms * LWS_US_PER_MS);
}

void
outbox_kick(struct outbox *ob)
{
	if (ob == NULL)
		return;
	if (ob->in_pass) {
		ob->again = 1;
		return;
	}
	outbox_arm(ob, 0);
}

void
outbox_ready(struct outbox *ob, int ready)
{
	ob->ready = ready;
	if (ready)
		outbox_kick(ob);
	else {
		lws_sul_cancel(&ob->sul);
		ob->armed = 0;
	}
}

/*
 * The lws timer runs on real time: a wake armed for a moved clock's
 * later moment would come late. Re-arm from the new now.
 */
void
outbox_clock_moved(struct outbox *ob)
{
	if (ob == NULL)
		return;
	ob->armed = 0;
	outbox_kick(ob);
}

static struct inflight *
inflight_find(struct outbox *ob, const char *order_key)
{
	struct inflight	*f;

	for (f = ob->inflight; f != NULL; f = f->next) {
		if (strcmp(f->order_key, order_key) == 0)
			return (f);
	}
	return (NULL);
}

/*
 * Until when (monotonic ms) op is paused in channel, 0 if it is not.
 * Expired pauses are dropped on the way.
 */
static int64_t
pause_until(struct outbox *ob, enum post_op op, const char *channel,
    int64_t now_mono)
{
	size_t	 i = 0;
	int64_t	 until = 0;

	while (i < ob->npauses) {
		if (ob->pauses[i].until_ms <= now_mono) {
			free(ob->pauses[i].channel);
			ob->pauses[i] = ob->pauses[--ob->npauses];
			continue;
		}
		if (ob->pauses[i].op == op &&
		    strcmp(ob->pauses[i].channel, channel) == 0)
			until = ob->pauses[i].until_ms;
		i++;
	}
	return (until);
}

static void
pause_set(struct outbox *ob, enum post_op op, const char *channel,
    int64_t until_ms)
{
	size_t	 i;

	for (i = 0; i < ob->npauses; i++) {
		if (ob->pauses[i].op == op &&
		    strcmp(ob->pauses[i].channel, channel) == 0) {
			if (until_ms > ob->pauses[i].until_ms)
				ob->pauses[i].until_ms = until_ms;
			return;
		}
	}
	ob->pauses = xreallocarray(ob->pauses, ob->npauses + 1,
	    sizeof *ob->pauses);
	ob->pauses[ob->npauses].op = op;
	ob->pauses[ob->npauses].channel = xstrdup(channel);
	ob->pauses[ob->npauses].until_ms = until_ms;
	ob->npauses++;
}

static uint32_t
outbox_rnd32(struct outbox *ob)
{
	uint32_t	 r = 0;

	if (ob->bot->lws == NULL ||
	    lws_get_random(ob->bot->lws, &r, sizeof r) != sizeof r)
		r = (uint32_t)clock_mono_ms();
	return (r);
}

/* Writes one outcome to the store: 0, or -1 (logged by the store). */
static int
outcome_write(struct outbox *ob, const struct outcome *o)
{
	struct store	*st = ob->bot->store;

	switch (o->kind) {
	case OUTCOME_DONE:
		return (store_post_done(st, o->id, o->text, clock_wall_ms(),
		    o->keyed));
	case OUTCOME_FAILED:
		return (store_post_failed(st, o->id, o->text, clock_wall_ms(),
		    o->keyed));
	case OUTCOME_DEFER:
		return (store_post_defer(st, o->id, o->not_before_ms,
		    o->text));
	}
	return (-1);
}

/*
 * Stores what became of a post. If the store fails, the outcome is kept
 * in memory and the post held (outcome_held) until a write succeeds, so
 * it is not started again meanwhile. After a restart a post whose
 * delivery was never written goes once more: at least once (outbox.md).
 */
static void
outcome_record(struct outbox *ob, int64_t id, enum outcome_kind kind,
    int keyed, const char *text, int64_t not_before_ms)
{
	struct outcome	 o, *n;

	memset(&o, 0, sizeof o);
	o.id = id;
	o.kind = kind;
	o.keyed = keyed;
	o.text = (char *)text;	/* borrowed until copied below */
	o.not_before_ms = not_before_ms;
	if (outcome_write(ob, &o) == 0)
		return;
	log_errx("outbox: cannot store what became of post %lld; it is "
	    "held, not sent again, until the store works", (long long)id);
	ob->unwritten = xreallocarray(ob->unwritten, ob->nunwritten + 1,
	    sizeof *ob->unwritten);
	n = &ob->unwritten[ob->nunwritten++];
	*n = o;
	n->text = text != NULL ? xstrdup(text) : NULL;
	n->retry_ms = clock_mono_ms() + OUTBOX_STORE_RETRY_MS;
}

/*
 * Whether post id waits for its outcome to be stored; tries the write
 * again when due (a success lets the next pass see the post as it now
 * is). *wake is lowered to the next try.
 */
static int
outcome_held(struct outbox *ob, int64_t id, int64_t now_mono, int64_t *wake)
{
	struct outcome	*o;
	size_t		 i;

	for (i = 0; i < ob->nunwritten; i++) {
		o = &ob->unwritten[i];
		if (o->id != id)
			continue;
		if (o->retry_ms <= now_mono && outcome_write(ob, o) == 0) {
			log_info("outbox: stored what became of post %lld",
			    (long long)id);
			free(o->text);
			ob->unwritten[i] = ob->unwritten[--ob->nunwritten];
			ob->again = 1;
			return (1);	/* the next pass reads it afresh */
		}
		if (o->retry_ms <= now_mono)
			o->retry_ms = now_mono + OUTBOX_STORE_RETRY_MS;
		if (o->retry_ms < *wake)
			*wake = o->retry_ms;
		return (1);
	}
	return (0);
}

/*
 * An update names the post it changes by key: its ts is known once that
 * post was delivered. Returns 1 with *ts (new string), 0 if it is not
 * delivered yet (wait), or -1 if it never will be (failed, unknown, or
 * the store failed: the update is dropped).
 */
static int
update_target(struct outbox *ob, const struct post_rec *r, char **ts)
{
	char	*k = NULL;
	int	 state, got;

	*ts = NULL;
	got = store_post_by_key(ob->bot->store, r->target_key, ts, &state,
	    &k);
	free(k);
	if (got == 1 && state == 1 && *ts != NULL)
		return (1);
	if (got == 1 && state == 0)
		return (0);
	free(*ts);
	*ts = NULL;
	return (-1);
}

/* Hands r to the adapter. 0, 1 if it must wait, -1 if not startable. */
static int
outbox_start(struct outbox *ob, struct post_rec *r)
{
	struct adapter	*a = ob->bot->adapter;
	struct inflight	*f;
	struct post_row	 row;
	char		*ts = NULL;
	int		 rv = -1;

	memset(&row, 0, sizeof row);
	row.id = r->id;
	row.attempts = r->attempts;
	row.p.op = (enum post_op)r->op;
	row.p.channel = r->channel;
	row.p.thread_ts = r->thread_ts;
	row.p.text = r->text;
	row.p.blocks = r->blocks;
	row.p.target_key = r->target_key;
	row.p.target_ts = r->target_ts;
	row.p.reaction = r->reaction;
	row.p.response_url = r->response_url;
	row.p.key = r->key;
	if (row.p.op == POST_UPDATE && r->target_ts == NULL) {
		switch (update_target(ob, r, &ts)) {
		case 0:
			return (1);
		case -1:
			log_warnx("outbox: post %lld updates %s, which was "
			    "never delivered; dropped", (long long)r->id,
			    r->target_key);
			outcome_record(ob, r->id, OUTCOME_FAILED,
			    r->key != NULL, "target never delivered", 0);
			/* Its key's next post can go: run another pass. */
			outbox_kick(ob);
			return (0);
		}
		row.p.target_ts = ts;
	}
	f = xcalloc(1, sizeof *f);
	f->ob = ob;
	f->id = r->id;
	f->op = row.p.op;
	f->attempts = r->attempts;
	f->keyed = r->key != NULL;
	f->order_key = xstrdup(r->order_key);
	f->channel = xstrdup(r->channel);
	/* In the list first: the adapter may answer before deliver returns. */
	f->next = ob->inflight;
	ob->inflight = f;
	ob->ninflight++;
	if (a == NULL || a->ops->deliver == NULL ||
	    a->ops->deliver(a, &row, f) == -1) {
		ob->inflight = f->next;
		ob->ninflight--;
		inflight_free(f);
		goto out;
	}
	rv = 0;
out:
	free(ts);
	return (rv);
}

static int
outbox_max_inflight(struct outbox *ob)
{
	int	 max = ob->bot->cfg->max_inflight;

	return (max > 0 ? max : OUTBOX_DEFAULT_INFLIGHT);
}

static void
outbox_prune(struct outbox *ob, int64_t now_wall)
{
	int64_t	 n;

	if (now_wall - ob->pruned_ms < OUTBOX_PRUNE_MS)
		return;
	ob->pruned_ms = now_wall;
	n = store_post_prune(ob->bot->store, now_wall -
	    (int64_t)OUTBOX_KEEP_DONE_SECS * 1000);
	if (n > 0)
		log_debug("outbox: pruned %lld delivered posts", (long long)n);
}

/*
 * Starts every post that can start now and arms the timer for the
 * first that will be able to. Returns the number started.
 */
static size_t
outbox_pass_once(struct outbox *ob)
{
	struct post_rec	*rows = NULL;
	size_t		 n = 0, i, started = 0;
	int64_t		 now_wall, now_mono, wake = INT64_MAX, until, after = 0;
	int		 max, rc, got;

	if (!ob->ready || ob->bot->store == NULL)
		return (0);
	max = outbox_max_inflight(ob);
	if (ob->ninflight >= (size_t)max)
		return (0);	/* a completion kicks again */
	now_wall = clock_wall_ms();
	now_mono = clock_mono_ms();
	outbox_prune(ob, now_wall);
	/*
	 * Page by page: a page of heads that cannot start (in flight,
	 * paused by a 429, backing off) must not hide the heads of other
	 * channels behind it.
	 */
	do {
		for (i = 0; i < n; i++)
			store_post_rec_release(&rows[i]);
		n = 0;
		got = store_post_heads(ob->bot->store, after, OUTBOX_BATCH,
		    &rows, &n);
		if (got == -1) {
			until = now_mono + OUTBOX_STORE_RETRY_MS;
			wake = until < wake ? until : wake;
			break;
		}
		for (i = 0; i < n && ob->ninflight < (size_t)max; i++) {
			after = rows[i].id;
			if (inflight_find(ob, rows[i].order_key) != NULL)
				continue;	/* its completion runs a pass */
			if (outcome_held(ob, rows[i].id, now_mono, &wake))
				continue;	/* the store failed on it */
			if (rows[i].not_before_ms > now_wall) {
				until = now_mono + (rows[i].not_before_ms -
				    now_wall);
				wake = until < wake ? until : wake;
				continue;
			}
			until = pause_until(ob, (enum post_op)rows[i].op,
			    rows[i].channel, now_mono);
			if (until > 0) {
				wake = until < wake ? until : wake;
				continue;
			}
			rc = outbox_start(ob, &rows[i]);
			if (rc == -1) {
				/* The adapter cannot take it now: soon. */
				until = now_mono + 1000;
				wake = until < wake ? until : wake;
				got = -1;
				break;
			}
			if (rc == 0)
				started++;
		}
	} while (got == OUTBOX_BATCH && ob->ninflight < (size_t)max);
	for (i = 0; i < n; i++)
		store_post_rec_release(&rows[i]);
	free(rows);
	if (wake != INT64_MAX)
		outbox_arm(ob, wake - now_mono);
	return (started);
}

static void
outbox_pass(struct outbox *ob)
{
	ob->in_pass = 1;
	do {
		ob->again = 0;
		outbox_pass_once(ob);
	} while (ob->again && ob->ninflight == 0);
	ob->in_pass = 0;
	/* A completion during the pass with posts still in flight. */
	if (ob->again) {
		ob->again = 0;
		outbox_arm(ob, 0);
	}
}

size_t
outbox_flush(struct outbox *ob)
{
	size_t	 total = 0, n;

	if (ob == NULL || ob->in_pass)
		return (0);
	ob->in_pass = 1;
	do {
		ob->again = 0;
		n = outbox_pass_once(ob);
		total += n;
	} while (n > 0);
	ob->in_pass = 0;
	return (total);
}

void
outbox_delivered(struct outbox *ob, void *token,
    const struct post_result *res)
{
	struct inflight	 *f = token, **pp;
	int64_t		  ms;
	const char	 *why = res->why != NULL ? res->why : "?";

	for (pp = &ob->inflight; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == f) {
			*pp = f->next;
			ob->ninflight--;
			break;
		}
	}
	switch (res->v) {
	case POST_OK:
		outcome_record(ob, f->id, OUTCOME_DONE, f->keyed, res->ts, 0);
		break;
	case POST_RATE_LIMITED:
		ms = res->retry_after_ms > 0 ? res->retry_after_ms : 1000;
		log_info("outbox: %s in %s rate limited, pausing %lld ms",
		    post_op_name(f->op), f->channel, (long long)ms);
		pause_set(ob, f->op, f->channel, clock_mono_ms() + ms);
		break;
	case POST_RETRYABLE:
		if (f->attempts + 1 >= OUTBOX_MAX_ATTEMPTS) {
			log_warnx("outbox: giving up on a %s in %s after %d "
			    "attempts: %s", post_op_name(f->op), f->channel,
			    f->attempts + 1, why);
			outcome_record(ob, f->id, OUTCOME_FAILED, f->keyed,
			    why, 0);
			break;
		}
		ms = backoff_ms((unsigned int)f->attempts + 1,
		    OUTBOX_BACKOFF_CAP_MS, outbox_rnd32(ob));
		log_info("outbox: %s in %s failed (%s), retrying in %lld ms",
		    post_op_name(f->op), f->channel, why, (long long)ms);
		outcome_record(ob, f->id, OUTCOME_DEFER, f->keyed, why,
		    clock_wall_ms() + ms);
		break;
	case POST_PERMANENT:
		if (res->unsure)
			log_warnx("outbox: %s in %s: %s: it may have gone "
			    "through; not retrying", post_op_name(f->op),
			    f->channel, why);
		else
			log_warnx("outbox: %s in %s: %s; dropped",
			    post_op_name(f->op), f->channel, why);
		outcome_record(ob, f->id, OUTCOME_FAILED, f->keyed, why, 0);
		break;
	}
	inflight_free(f);
	outbox_kick(ob);
}
