/*
 * test_outbox.c: the delivery policy of the outbox (bot/outbox.c) as the
 * adapter sees it, through a fake adapter whose deliver records each
 * post and answers at once or later. bot->lws stays NULL: no lws timer
 * is armed, and every pass is run by outbox_flush.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <libwebsockets.h>
#include <sqlite3.h>

#include "adapters/adapter.h"
#include "bot/bot.h"
#include "bot/clock.h"
#include "bot/outbox.h"
#include "store/store.h"

#ifndef OPSBOT_TEST_CLOCK
#error "test_outbox needs a test build (OPSBOT_TEST_CLOCK)"
#endif

/* More than any back-off: OUTBOX_BACKOFF_CAP_MS (300 s) plus 25%. */
#define PAST_ANY_BACKOFF_MS	400000

/* One deliver call, its strings copied. */
struct delivery {
	int64_t		 id;
	enum post_op	 op;
	char		*channel;
	char		*thread_ts;
	char		*text;
	char		*target_ts;
	char		*reaction;
	char		*response_url;
	char		*key;
	int		 attempts;
	void		*token;		/* until answered */
	int		 answered;
};

/*
 * One scripted answer, for the next delivery of text (NULL: of any
 * post). A delivery no answer is left for is answered POST_OK.
 */
struct answer {
	const char	*text;
	enum post_verdict v;
	int64_t		 retry_after_ms;
	int		 used;
};

struct fake {
	struct delivery	 d[64];
	size_t		 n;
	int		 hold;		/* keep tokens: answer() later */
	struct answer	 script[16];
	size_t		 nscript;
};

struct fixture {
	struct bot	 bot;
	struct adapter	 adapter;
	struct fake	 fake;
	char		 dir[64];	/* of a file-backed store, or "" */
	char		*path;
};

static char *
dup_or_null(const char *s)
{
	return (s != NULL ? xstrdup(s) : NULL);
}

/* The ts a delivered post gets: unique per post id. */
static void
ts_of(int64_t id, char *ts, size_t len)
{
	snprintf(ts, len, "1700000000.%06lld", (long long)id);
}

/* Answers delivery i with v (POST_OK: the ts of ts_of). */
static void
answer(struct fixture *f, size_t i, enum post_verdict v,
    int64_t retry_after_ms)
{
	struct delivery		*d = &f->fake.d[i];
	struct post_result	 res;
	char			 ts[64];

	assert_true(i < f->fake.n);
	assert_false(d->answered);
	memset(&res, 0, sizeof res);
	res.v = v;
	res.retry_after_ms = retry_after_ms;
	res.why = v == POST_OK ? NULL : "test";
	if (v == POST_OK) {
		ts_of(d->id, ts, sizeof ts);
		res.ts = ts;
	}
	d->answered = 1;
	outbox_delivered(f->bot.outbox, d->token, &res);
}

static int
fake_deliver(struct adapter *a, const struct post_row *row, void *token)
{
	struct fixture	*f = a->ctx;
	struct fake	*fk = &f->fake;
	struct delivery	*d;
	struct answer	*ans = NULL;
	size_t		 i, j;

	if (fk->n == sizeof fk->d / sizeof fk->d[0])
		fail_msg("too many deliveries");
	i = fk->n++;
	d = &fk->d[i];
	memset(d, 0, sizeof *d);
	d->id = row->id;
	d->op = row->p.op;
	d->channel = dup_or_null(row->p.channel);
	d->thread_ts = dup_or_null(row->p.thread_ts);
	d->text = dup_or_null(row->p.text);
	d->target_ts = dup_or_null(row->p.target_ts);
	d->reaction = dup_or_null(row->p.reaction);
	d->response_url = dup_or_null(row->p.response_url);
	d->key = dup_or_null(row->p.key);
	d->attempts = row->attempts;
	d->token = token;
	if (fk->hold)
		return (0);
	for (j = 0; j < fk->nscript && ans == NULL; j++) {
		if (!fk->script[j].used && (fk->script[j].text == NULL ||
		    (d->text != NULL &&
		    strcmp(fk->script[j].text, d->text) == 0)))
			ans = &fk->script[j];
	}
	if (ans == NULL) {
		answer(f, i, POST_OK, 0);
		return (0);
	}
	ans->used = 1;
	answer(f, i, ans->v, ans->retry_after_ms);
	return (0);
}

static const struct adapter_ops fake_ops = {
	.name = "fake",
	.deliver = fake_deliver,
};

static void
fake_reset(struct fake *fk)
{
	size_t		 i;
	struct delivery	*d;

	for (i = 0; i < fk->n; i++) {
		d = &fk->d[i];
		free(d->channel);
		free(d->thread_ts);
		free(d->text);
		free(d->target_ts);
		free(d->reaction);
		free(d->response_url);
		free(d->key);
	}
	memset(fk, 0, sizeof *fk);
}

static void
script(struct fixture *f, const char *text, enum post_verdict v,
    int64_t retry_after_ms)
{
	struct fake	*fk = &f->fake;

	assert_true(fk->nscript < sizeof fk->script / sizeof fk->script[0]);
	fk->script[fk->nscript].text = text;
	fk->script[fk->nscript].v = v;
	fk->script[fk->nscript].retry_after_ms = retry_after_ms;
	fk->nscript++;
}

static void
open_store(struct fixture *f)
{
	char	*cause = NULL;

	f->bot.store = store_open(f->path != NULL ? f->path : ":memory:",
	    &cause);
	if (f->bot.store == NULL)
		fail_msg("store_open: %s", cause);
	f->bot.outbox = outbox_new(&f->bot);
	outbox_ready(f->bot.outbox, 1);
}

/* What a stop or a crash leaves: nothing of the outbox's memory. */
static void
close_store(struct fixture *f)
{
	outbox_free(f->bot.outbox);
	f->bot.outbox = NULL;
	store_close(f->bot.store);
	f->bot.store = NULL;
}

static int
setup(void **state)
{
	struct fixture	*f;

	f = xcalloc(1, sizeof *f);
	f->bot.cfg = config_new();
	f->bot.cfg->max_inflight = 4;
	f->adapter.ops = &fake_ops;
	f->adapter.ctx = f;
	f->adapter.bot = &f->bot;
	f->bot.adapter = &f->adapter;
	open_store(f);
	*state = f;
	return (0);
}

static int
setup_file(void **state)
{
	struct fixture	*f;

	f = xcalloc(1, sizeof *f);
	f->bot.cfg = config_new();
	f->bot.cfg->max_inflight = 4;
	f->adapter.ops = &fake_ops;
	f->adapter.ctx = f;
	f->adapter.bot = &f->bot;
	f->bot.adapter = &f->adapter;
	snprintf(f->dir, sizeof f->dir, "/tmp/test_outbox.XX" "XX" "XX");
	assert_non_null(mkdtemp(f->dir));
	xasprintf(&f->path, "%s/bot.db", f->dir);
	open_store(f);
	*state = f;
	return (0);
}

static int
teardown(void **state)
{
	static const char *const suffixes[] = { "", "-wal", "-shm" };
	struct fixture	*f = *state;
	char		*p;
	size_t		 i;

	close_store(f);
	/* after the outbox, whose timer it holds (test_loop_glue) */
	if (f->bot.lws != NULL)
		lws_context_destroy(f->bot.lws);
	fake_reset(&f->fake);
	config_free(f->bot.cfg);
	if (f->path != NULL) {
		for (i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
			xasprintf(&p, "%s%s", f->path, suffixes[i]);
			unlink(p);
			free(p);
		}
		rmdir(f->dir);
		free(f->path);
	}
	free(f);
	return (0);
}

/* Queues a message; key may be NULL. Returns outbox_queue's answer. */
static int64_t
queue_msg(struct fixture *f, const char *channel, const char *thread_ts,
    const char *text, const char *key)
{
	struct post	 p;

	memset(&p, 0, sizeof p);
	p.op = POST_MESSAGE;
	p.channel = channel;
	p.thread_ts = thread_ts;
	p.text = text;
	p.key = key;
	return (outbox_queue(&f->bot, &p));
}

static int64_t
queue_ok(struct fixture *f, const char *channel, const char *thread_ts,
    const char *text, const char *key)
{
	int64_t	 id;

	id = queue_msg(f, channel, thread_ts, text, key);
	if (id <= 0)
		fail_msg("outbox_queue '%s': %lld", text, (long long)id);
	return (id);
}

/* How many deliveries carried text. */
static size_t
count_text(const struct fixture *f, const char *text)
{
	size_t	 i, n = 0;

	for (i = 0; i < f->fake.n; i++) {
		if (f->fake.d[i].text != NULL &&
		    strcmp(f->fake.d[i].text, text) == 0)
			n++;
	}
	return (n);
}

/* The index of the first delivery of text; fails if there is none. */
static size_t
find_text(const struct fixture *f, const char *text)
{
	size_t	 i;

	for (i = 0; i < f->fake.n; i++) {
		if (f->fake.d[i].text != NULL &&
		    strcmp(f->fake.d[i].text, text) == 0)
			return (i);
	}
	fail_msg("'%s' was not delivered", text);
	return (0);
}

/* The state of the post with key: 0 pending, 1 delivered, 2 failed. */
static int
state_of(struct fixture *f, const char *key)
{
	char	*ts = NULL;
	int	 state = -1;

	assert_int_equal(store_post_by_key(f->bot.store, key, &ts, &state,
	    NULL), 1);
	free(ts);
	return (state);
}

static void
advance(struct fixture *f, int64_t ms)
{
	assert_int_equal(clock_test_advance(ms), 0);
	outbox_clock_moved(f->bot.outbox);
}

/*
 * A thread's posts go one at a time, in the order queued: the second
 * is not started while the first is in flight, then goes.
 */
static void
test_order_in_thread(void **state)
{
	struct fixture	*f = *state;

	f->fake.hold = 1;
	queue_ok(f, "C1", "100.1", "A1", NULL);
	queue_ok(f, "C1", "100.1", "A2", NULL);
	queue_ok(f, "C1", "100.1", "A3", NULL);
	assert_int_equal(outbox_flush(f->bot.outbox), 1);
	assert_int_equal(f->fake.n, 1);
	assert_string_equal(f->fake.d[0].text, "A1");
	assert_string_equal(f->fake.d[0].thread_ts, "100.1");
	assert_int_equal(outbox_flush(f->bot.outbox), 0);
	assert_int_equal(f->fake.n, 1);

	answer(f, 0, POST_OK, 0);
	assert_int_equal(outbox_flush(f->bot.outbox), 1);
	assert_int_equal(f->fake.n, 2);
	assert_string_equal(f->fake.d[1].text, "A2");
	answer(f, 1, POST_OK, 0);
	assert_int_equal(outbox_flush(f->bot.outbox), 1);
	assert_string_equal(f->fake.d[2].text, "A3");
	answer(f, 2, POST_OK, 0);
	assert_int_equal(outbox_flush(f->bot.outbox), 0);
	assert_int_equal(f->fake.n, 3);
	assert_int_equal(store_post_count(f->bot.store), 0);
}

/*
 * Different threads and channels do not wait for each other: their
 * heads start together, up to max_inflight; the rest start as posts
 * in flight are answered.
 */
static void
test_parallel_keys(void **state)
{
	struct fixture	*f = *state;
	size_t		 i, j;

	f->fake.hold = 1;
	queue_ok(f, "C1", "100.1", "t1-a", NULL);
	queue_ok(f, "C1", "100.2", "t2-a", NULL);
	queue_ok(f, "C1", NULL, "c1-top", NULL);
	queue_ok(f, "C2", NULL, "c2-top", NULL);
	queue_ok(f, "C3", "100.1", "c3-t1", NULL);
	queue_ok(f, "C1", "100.1", "t1-b", NULL);
	assert_int_equal(outbox_flush(f->bot.outbox), 4);
	assert_int_equal(f->fake.n, 4);
	assert_string_equal(f->fake.d[0].text, "t1-a");
	assert_string_equal(f->fake.d[1].text, "t2-a");
	assert_string_equal(f->fake.d[2].text, "c1-top");
	assert_null(f->fake.d[2].thread_ts);
	assert_string_equal(f->fake.d[3].text, "c2-top");
	assert_int_equal(outbox_flush(f->bot.outbox), 0);

	/* a slot frees: the oldest waiting head goes, not t1-b */
	answer(f, 0, POST_OK, 0);
	assert_int_equal(outbox_flush(f->bot.outbox), 1);
	assert_string_equal(f->fake.d[4].text, "c3-t1");
	answer(f, 1, POST_OK, 0);
	assert_int_equal(outbox_flush(f->bot.outbox), 1);
	assert_string_equal(f->fake.d[5].text, "t1-b");

	for (i = 2; i < f->fake.n; i++)
		answer(f, i, POST_OK, 0);
	assert_int_equal(outbox_flush(f->bot.outbox), 0);
	assert_int_equal(f->fake.n, 6);
	assert_int_equal(store_post_count(f->bot.store), 0);
	for (i = 0; i < f->fake.n; i++) {
		for (j = i + 1; j < f->fake.n; j++)
			assert_true(f->fake.d[i].id != f->fake.d[j].id);
	}
}

/*
 * A 429 pauses its method in its channel for retry_after_ms: another
 * channel, and another method in the same channel, still go. The post
 * keeps its place and goes once the pause is over; 429s are not
 * failures and never give the post up.
 */
static void
test_rate_limited(void **state)
{
	struct fixture	*f = *state;
	struct post	 p;
	size_t		 i, n;

	script(f, "c1-1", POST_RATE_LIMITED, 30000);
	queue_ok(f, "C1", NULL, "c1-1", NULL);
	queue_ok(f, "C1", "100.1", "c1-thread", NULL);
	queue_ok(f, "C2", NULL, "c2-1", NULL);
	queue_ok(f, "C1", NULL, "c1-2", NULL);
	memset(&p, 0, sizeof p);
	p.op = POST_REACTION;
	p.channel = "C1";
	p.thread_ts = "100.7";
	p.target_ts = "100.7";
	p.reaction = "eyes";
	assert_true(outbox_queue(&f->bot, &p) > 0);

	outbox_flush(f->bot.outbox);
	assert_int_equal(f->fake.n, 3);
	assert_string_equal(f->fake.d[0].text, "c1-1");
	assert_string_equal(f->fake.d[1].text, "c2-1");
	assert_int_equal(f->fake.d[2].op, POST_REACTION);
	assert_int_equal(store_post_count(f->bot.store), 3);

	advance(f, 29000);
	assert_int_equal(outbox_flush(f->bot.outbox), 0);
	assert_int_equal(f->fake.n, 3);

	advance(f, 1001);
	outbox_flush(f->bot.outbox);
	assert_int_equal(f->fake.n, 6);
	assert_string_equal(f->fake.d[3].text, "c1-1");
	assert_int_equal(f->fake.d[3].attempts, 0);
	assert_string_equal(f->fake.d[4].text, "c1-thread");
	assert_string_equal(f->fake.d[5].text, "c1-2");
	assert_int_equal(store_post_count(f->bot.store), 0);

	/* more 429s than OUTBOX_MAX_ATTEMPTS: still delivered */
	fake_reset(&f->fake);
	for (i = 0; i < OUTBOX_MAX_ATTEMPTS + 2; i++)
		script(f, "patient", POST_RATE_LIMITED, 0);	/* 0: 1 s */
	queue_ok(f, "C9", NULL, "patient", "patient");
	for (i = 0; i < 3 * OUTBOX_MAX_ATTEMPTS &&
	    count_text(f, "patient") < OUTBOX_MAX_ATTEMPTS + 3; i++) {
		n = f->fake.n;
		outbox_flush(f->bot.outbox);
		/* retry_after 0 means a second: not at once */
		if (f->fake.n > n)
			assert_int_equal(outbox_flush(f->bot.outbox), 0);
		advance(f, 1000);
	}
	assert_int_equal(count_text(f, "patient"), OUTBOX_MAX_ATTEMPTS + 3);
	assert_int_equal(state_of(f, "patient"), 1);
}

/*
 * A retryable failure defers the post with a growing back-off and
 * keeps its place: the thread's later posts wait for it, other threads
 * do not.
 */
/*
 * More paused heads than one page of store_post_heads (256) in one
 * channel do not hide another channel's post behind them.
 */
static void
test_paused_page(void **state)
{
	struct fixture	*f = *state;
	char		 thread[32];
	int		 i;

	script(f, "first", POST_RATE_LIMITED, 60000);
	queue_ok(f, "C1", NULL, "first", NULL);
	outbox_flush(f->bot.outbox);
	assert_int_equal(f->fake.n, 1);
	for (i = 0; i < 300; i++) {
		snprintf(thread, sizeof thread, "200.%d", i);
		queue_ok(f, "C1", thread, "held", NULL);
	}
	queue_ok(f, "C2", NULL, "other channel", NULL);
	outbox_flush(f->bot.outbox);
	assert_int_equal(f->fake.n, 2);
	assert_string_equal(f->fake.d[1].text, "other channel");
	assert_int_equal(count_text(f, "held"), 0);
}

static void
test_retryable_backoff(void **state)
{
	struct fixture	*f = *state;

	script(f, "A1", POST_RETRYABLE, 0);
	script(f, "A1", POST_RETRYABLE, 0);
	queue_ok(f, "C1", "100.1", "A1", "a1");
	queue_ok(f, "C1", "100.1", "A2", NULL);
	queue_ok(f, "C1", "100.2", "B1", NULL);
	outbox_flush(f->bot.outbox);
	assert_int_equal(f->fake.n, 2);
	assert_string_equal(f->fake.d[0].text, "A1");
	assert_string_equal(f->fake.d[1].text, "B1");
	assert_int_equal(state_of(f, "a1"), 0);

	/* the first back-off is at least a second */
	advance(f, 900);
	assert_int_equal(outbox_flush(f->bot.outbox), 0);
	advance(f, 400);
	outbox_flush(f->bot.outbox);
	assert_int_equal(f->fake.n, 3);
	assert_string_equal(f->fake.d[2].text, "A1");
	assert_int_equal(f->fake.d[2].attempts, 1);

	/* the second is longer than the first could be */
	advance(f, 1300);
	assert_int_equal(outbox_flush(f->bot.outbox), 0);
	assert_int_equal(count_text(f, "A2"), 0);
	advance(f, 1300);
	outbox_flush(f->bot.outbox);
	assert_int_equal(f->fake.n, 5);
	assert_string_equal(f->fake.d[3].text, "A1");
	assert_int_equal(f->fake.d[3].attempts, 2);
	assert_string_equal(f->fake.d[4].text, "A2");
	assert_int_equal(state_of(f, "a1"), 1);
	assert_int_equal(store_post_count(f->bot.store), 0);
}

/*
 * OUTBOX_MAX_ATTEMPTS failures give the post up (failed, not pending)
 * and the next post of its thread goes.
 */
static void
test_give_up(void **state)
{
	struct fixture	*f = *state;
	size_t		 i;

	for (i = 0; i < OUTBOX_MAX_ATTEMPTS; i++)
		script(f, "doomed", POST_RETRYABLE, 0);
	script(f, "next", POST_RETRYABLE, 0);
	queue_ok(f, "C1", "100.1", "doomed", "doomed");
	queue_ok(f, "C1", "100.1", "next", "next");
	for (i = 0; i < 2 * OUTBOX_MAX_ATTEMPTS &&
	    count_text(f, "next") == 0; i++) {
		outbox_flush(f->bot.outbox);
		advance(f, PAST_ANY_BACKOFF_MS);
	}
	assert_int_equal(count_text(f, "doomed"), OUTBOX_MAX_ATTEMPTS);
	for (i = 0; i < OUTBOX_MAX_ATTEMPTS; i++)
		assert_int_equal(f->fake.d[i].attempts, (int)i);
	assert_int_equal(state_of(f, "doomed"), 2);
	assert_int_equal(count_text(f, "next"), 1);
	/* "next" met the script's last failure; it is retried, not lost */
	assert_int_equal(state_of(f, "next"), 0);
	advance(f, PAST_ANY_BACKOFF_MS);
	outbox_flush(f->bot.outbox);
	assert_int_equal(count_text(f, "next"), 2);
	assert_int_equal(state_of(f, "next"), 1);
	outbox_flush(f->bot.outbox);
	assert_int_equal(count_text(f, "doomed"), OUTBOX_MAX_ATTEMPTS);
}

/* A permanent error drops the post at once; the thread goes on. */
static void
test_permanent(void **state)
{
	struct fixture	*f = *state;

	script(f, "bad", POST_PERMANENT, 0);
	queue_ok(f, "C1", "100.1", "bad", "bad");
	queue_ok(f, "C1", "100.1", "good", "good");
	outbox_flush(f->bot.outbox);
	assert_int_equal(f->fake.n, 2);
	assert_string_equal(f->fake.d[0].text, "bad");
	assert_string_equal(f->fake.d[1].text, "good");
	assert_int_equal(state_of(f, "bad"), 2);
	assert_int_equal(state_of(f, "good"), 1);
	advance(f, PAST_ANY_BACKOFF_MS);
	assert_int_equal(outbox_flush(f->bot.outbox), 0);
	assert_int_equal(count_text(f, "bad"), 1);
}

/*
 * The idempotency key: a second post with a key already queued, or
 * already delivered, is dropped (0) and never delivered. Posts without
 * a key are not deduplicated.
 */
static void
test_idempotency_key(void **state)
{
	struct fixture	*f = *state;

	f->fake.hold = 1;
	assert_true(queue_msg(f, "C1", NULL, "once", "ev:1:0") > 0);
	assert_int_equal(queue_msg(f, "C1", NULL, "once again", "ev:1:0"), 0);
	assert_int_equal(queue_msg(f, "C2", "1.1", "elsewhere", "ev:1:0"), 0);
	assert_int_equal(store_post_count(f->bot.store), 1);
	outbox_flush(f->bot.outbox);
	assert_int_equal(f->fake.n, 1);
	/* in flight */
	assert_int_equal(queue_msg(f, "C1", NULL, "in flight", "ev:1:0"), 0);
	answer(f, 0, POST_OK, 0);
	/* delivered */
	assert_int_equal(queue_msg(f, "C1", NULL, "after", "ev:1:0"), 0);
	assert_int_equal(outbox_flush(f->bot.outbox), 0);
	assert_int_equal(f->fake.n, 1);
	assert_string_equal(f->fake.d[0].text, "once");
	assert_string_equal(f->fake.d[0].key, "ev:1:0");

	f->fake.hold = 0;
	assert_true(queue_msg(f, "C1", NULL, "nokey", NULL) > 0);
	assert_true(queue_msg(f, "C1", NULL, "nokey", NULL) > 0);
	outbox_flush(f->bot.outbox);
	assert_int_equal(count_text(f, "nokey"), 2);
}

/*
 * An update names its post by key: it waits while that post is in
 * flight, then carries the ts the adapter reported. It does not hold
 * up the channel's other posts.
 */
static void
test_update_waits_for_target(void **state)
{
	struct fixture	*f = *state;
	struct post	 p;
	char		 ts[64];
	size_t		 u;

	f->fake.hold = 1;
	queue_ok(f, "C1", "100.1", "working on it", "status");
	memset(&p, 0, sizeof p);
	p.op = POST_UPDATE;
	p.channel = "C1";
	p.target_key = "status";
	p.text = "done";
	p.key = "status:update";
	assert_true(outbox_queue(&f->bot, &p) > 0);
	queue_ok(f, "C1", NULL, "top-level", NULL);

	outbox_flush(f->bot.outbox);
	assert_int_equal(f->fake.n, 2);
	assert_string_equal(f->fake.d[0].text, "working on it");
	assert_string_equal(f->fake.d[1].text, "top-level");
	assert_int_equal(outbox_flush(f->bot.outbox), 0);

	answer(f, 0, POST_OK, 0);
	outbox_flush(f->bot.outbox);
	assert_int_equal(f->fake.n, 3);
	u = find_text(f, "done");
	assert_int_equal(f->fake.d[u].op, POST_UPDATE);
	assert_string_equal(f->fake.d[u].channel, "C1");
	ts_of(f->fake.d[0].id, ts, sizeof ts);
	assert_non_null(f->fake.d[u].target_ts);
	assert_string_equal(f->fake.d[u].target_ts, ts);
	answer(f, u, POST_OK, 0);
	answer(f, 1, POST_OK, 0);
	assert_int_equal(outbox_flush(f->bot.outbox), 0);
	assert_int_equal(state_of(f, "status:update"), 1);
}

/*
 * An update whose post failed, or that names no post at all, can never
 * be delivered: it is dropped, and what follows it goes.
 */
static void
test_update_target_failed(void **state)
{
	struct fixture	*f = *state;
	struct post	 p;

	script(f, "lost", POST_PERMANENT, 0);
	queue_ok(f, "C1", "100.1", "lost", "lost");
	memset(&p, 0, sizeof p);
	p.op = POST_UPDATE;
	p.channel = "C1";
	p.target_key = "lost";
	p.text = "update of lost";
	p.key = "u1";
	assert_true(outbox_queue(&f->bot, &p) > 0);
	queue_ok(f, "C1", "100.1", "after", "after");
	p.target_key = "nobody";
	p.text = "update of nobody";
	p.key = "u2";
	assert_true(outbox_queue(&f->bot, &p) > 0);

	outbox_flush(f->bot.outbox);
	assert_int_equal(count_text(f, "lost"), 1);
	assert_int_equal(count_text(f, "update of lost"), 0);
	assert_int_equal(count_text(f, "update of nobody"), 0);
	assert_int_equal(count_text(f, "after"), 1);
	assert_int_equal(state_of(f, "u1"), 2);
	assert_int_equal(state_of(f, "u2"), 2);
	assert_int_equal(state_of(f, "after"), 1);
	assert_int_equal(store_post_count(f->bot.store), 0);
}

/* A reaction reaches the adapter with its message and its emoji. */
static void
test_reaction(void **state)
{
	struct fixture	*f = *state;
	struct post	 p;

	memset(&p, 0, sizeof p);
	p.op = POST_REACTION;
	p.channel = "C1";
	p.thread_ts = "100.1";
	p.target_ts = "100.5";
	p.reaction = "white_check_mark";
	p.key = "react";
	assert_true(outbox_queue(&f->bot, &p) > 0);
	outbox_flush(f->bot.outbox);
	assert_int_equal(f->fake.n, 1);
	assert_int_equal(f->fake.d[0].op, POST_REACTION);
	assert_string_equal(f->fake.d[0].channel, "C1");
	assert_string_equal(f->fake.d[0].target_ts, "100.5");
	assert_string_equal(f->fake.d[0].reaction, "white_check_mark");
	assert_int_equal(state_of(f, "react"), 1);
}

/* A post that says not where it goes is refused, and nothing queued. */
static void
test_refuses_without_destination(void **state)
{
	struct fixture	*f = *state;
	struct post	 p;

	memset(&p, 0, sizeof p);
	p.op = POST_MESSAGE;
	p.text = "nowhere";
	assert_int_equal(outbox_queue(&f->bot, &p), 0);

	memset(&p, 0, sizeof p);
	p.op = POST_RESPOND;
	p.channel = "C1";
	p.text = "no url";
	assert_int_equal(outbox_queue(&f->bot, &p), 0);

	memset(&p, 0, sizeof p);
	p.op = POST_REACTION;
	p.channel = "C1";
	p.reaction = "eyes";
	assert_int_equal(outbox_queue(&f->bot, &p), 0);
	p.target_ts = "100.1";
	p.reaction = NULL;
	assert_int_equal(outbox_queue(&f->bot, &p), 0);

	memset(&p, 0, sizeof p);
	p.op = POST_UPDATE;
	p.channel = "C1";
	p.text = "no target";
	assert_int_equal(outbox_queue(&f->bot, &p), 0);

	memset(&p, 0, sizeof p);
	p.op = POST_UPDATE;
	p.target_ts = "100.1";
	p.text = "no channel";
	assert_int_equal(outbox_queue(&f->bot, &p), 0);

	assert_int_equal(store_post_count(f->bot.store), 0);
	assert_int_equal(outbox_flush(f->bot.outbox), 0);
	assert_int_equal(f->fake.n, 0);
}

/*
 * Posts survive a restart and are delivered once: queued posts go
 * after the store is reopened, delivered ones never again, and their
 * keys still dedupe. A post in flight at the crash goes again (the
 * adapter never said it was delivered).
 */
static void
test_restart(void **state)
{
	struct fixture	*f = *state;

	queue_ok(f, "C1", "100.1", "A1", "a1");
	queue_ok(f, "C1", "100.1", "A2", "a2");
	queue_ok(f, "C2", NULL, "B1", "b1");
	close_store(f);

	open_store(f);
	assert_int_equal(store_post_count(f->bot.store), 3);
	outbox_flush(f->bot.outbox);
	assert_int_equal(f->fake.n, 3);
	assert_int_equal(count_text(f, "A1"), 1);
	assert_int_equal(count_text(f, "A2"), 1);
	assert_int_equal(count_text(f, "B1"), 1);
	assert_true(find_text(f, "A1") < find_text(f, "A2"));
	assert_int_equal(outbox_flush(f->bot.outbox), 0);
	close_store(f);

	open_store(f);
	assert_int_equal(store_post_count(f->bot.store), 0);
	assert_int_equal(outbox_flush(f->bot.outbox), 0);
	assert_int_equal(f->fake.n, 3);
	assert_int_equal(queue_msg(f, "C1", "100.1", "A1", "a1"), 0);

	/* in flight when the bot died */
	f->fake.hold = 1;
	queue_ok(f, "C3", NULL, "C3-1", "c3");
	assert_int_equal(outbox_flush(f->bot.outbox), 1);
	close_store(f);
	f->fake.hold = 0;
	open_store(f);
	outbox_flush(f->bot.outbox);
	assert_int_equal(count_text(f, "C3-1"), 2);
	assert_int_equal(state_of(f, "c3"), 1);
	close_store(f);

	open_store(f);
	assert_int_equal(outbox_flush(f->bot.outbox), 0);
	assert_int_equal(f->fake.n, 5);
}

/*
 * Runs sql on the store's file between a close and a reopen of the
 * store alone: the outbox, and what it holds in memory, stay.
 */
static void
swap_store_sql(struct fixture *f, const char *sql)
{
	sqlite3	*db;
	char	*cause = NULL;

	store_close(f->bot.store);
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	f->bot.store = store_open(f->path, &cause);
	if (f->bot.store == NULL)
		fail_msg("store_open: %s", cause);
}

/*
 * Delivered, but the store cannot record it (a disk error): the post is
 * held, not sent again pass after pass (it once was, thousands of
 * times), and recorded once the store works again.
 */
static void
test_outcome_not_stored(void **state)
{
	struct fixture	*f = *state;

	f->fake.hold = 1;
	queue_ok(f, "C1", "100.1", "sent once", NULL);
	queue_ok(f, "C1", "100.1", "next in thread", NULL);
	assert_int_equal(outbox_flush(f->bot.outbox), 1);
	swap_store_sql(f, "CREATE TRIGGER no_delete BEFORE DELETE ON posts"
	    " BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;"
	    "CREATE TRIGGER no_update BEFORE UPDATE ON posts"
	    " BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;");
	f->fake.hold = 0;
	answer(f, 0, POST_OK, 0);
	assert_int_equal(outbox_flush(f->bot.outbox), 0);
	advance(f, 10000);
	assert_int_equal(outbox_flush(f->bot.outbox), 0);
	assert_int_equal(count_text(f, "sent once"), 1);
	assert_int_equal(count_text(f, "next in thread"), 0);

	swap_store_sql(f, "DROP TRIGGER no_delete; DROP TRIGGER no_update;");
	advance(f, 10000);
	outbox_flush(f->bot.outbox);
	outbox_flush(f->bot.outbox);
	assert_int_equal(count_text(f, "sent once"), 1);
	assert_int_equal(count_text(f, "next in thread"), 1);
	assert_int_equal(store_post_count(f->bot.store), 0);
}

static int
dummy_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	return (0);
}

static const struct lws_protocols dummy_protocols[] = {
	{ "dummy", dummy_cb, 0, 0, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

/*
 * Turns the loop until text was delivered want times, at most 5 turns
 * (as test_sched.c: lws runs the ripe timers, then polls until the next
 * one; lws_cancel_service ends that poll at once).
 */
static void
service_until(struct fixture *f, const char *text, size_t want)
{
	int	 i;

	for (i = 0; i < 5 && count_text(f, text) < want; i++) {
		lws_cancel_service(f->bot.lws);
		assert_true(lws_service(f->bot.lws, 0) >= 0);
	}
	if (count_text(f, text) != want)
		fail_msg("'%s' delivered %zu times, not %zu", text,
		    count_text(f, text), want);
}

/* Turns the loop n times, whatever happens. */
static void
service_turns(struct fixture *f, int n)
{
	while (n-- > 0) {
		lws_cancel_service(f->bot.lws);
		assert_true(lws_service(f->bot.lws, 0) >= 0);
	}
}

/*
 * With the real loop and no outbox_flush, as the Slack adapter runs
 * it: a queued post goes at the loop's next turn; a deferred one once
 * its back-off is over; and a thread whose update was dropped (its
 * target failed) carries on with its next post by itself.
 */
static void
test_loop_glue(void **state)
{
	struct fixture	*f = *state;
	struct lws_context_creation_info info;
	struct post	 p;

	lws_set_log_level(LLL_ERR, NULL);
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = dummy_protocols;
	assert_non_null(f->bot.lws = lws_create_context(&info));
	outbox_ready(f->bot.outbox, 1);

	queue_ok(f, "C1", NULL, "hello", NULL);
	service_until(f, "hello", 1);

	script(f, "again", POST_RETRYABLE, 0);
	queue_ok(f, "C1", NULL, "again", NULL);
	service_until(f, "again", 1);
	advance(f, 1300);
	service_until(f, "again", 2);

	script(f, "slow down", POST_RATE_LIMITED, 5000);
	queue_ok(f, "C1", NULL, "slow down", NULL);
	service_until(f, "slow down", 1);
	advance(f, 4000);
	service_turns(f, 3);
	assert_int_equal(count_text(f, "slow down"), 1);
	advance(f, 1001);
	service_until(f, "slow down", 2);

	/* answered later, from the loop: the next post follows */
	f->fake.hold = 1;
	queue_ok(f, "C1", "100.1", "first", NULL);
	queue_ok(f, "C1", "100.1", "second", NULL);
	service_until(f, "first", 1);
	service_turns(f, 3);
	assert_int_equal(count_text(f, "second"), 0);
	answer(f, find_text(f, "first"), POST_OK, 0);
	service_until(f, "second", 1);
	answer(f, find_text(f, "second"), POST_OK, 0);
	f->fake.hold = 0;

	script(f, "lost", POST_PERMANENT, 0);
	queue_ok(f, "C2", "100.1", "lost", "lost");
	memset(&p, 0, sizeof p);
	p.op = POST_UPDATE;
	p.channel = "C2";
	p.target_key = "lost";
	p.text = "update of lost";
	assert_true(outbox_queue(&f->bot, &p) > 0);
	queue_ok(f, "C2", "100.1", "after", NULL);
	service_until(f, "lost", 1);
	service_until(f, "after", 1);
	assert_int_equal(count_text(f, "update of lost"), 0);
	assert_int_equal(store_post_count(f->bot.store), 0);

}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_order_in_thread, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_parallel_keys, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_paused_page, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_outcome_not_stored,
		    setup_file, teardown),
		cmocka_unit_test_setup_teardown(test_rate_limited, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_retryable_backoff, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_give_up, setup, teardown),
		cmocka_unit_test_setup_teardown(test_permanent, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_idempotency_key, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_update_waits_for_target,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_update_target_failed,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_reaction, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_refuses_without_destination, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restart, setup_file,
		    teardown),
		cmocka_unit_test_setup_teardown(test_loop_glue, setup,
		    teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
