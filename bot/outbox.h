/*
 * outbox.h: what the bot says, whoever started it (a command's reply, a
 * timer, later a watch), queued durably and delivered by the running
 * adapter (bot/outbox.c; docs/internals/outbox.md gives the guarantees).
 *
 * A post is adapter-neutral: a destination (channel, thread), what to
 * say (mrkdwn text and/or Block Kit blocks) and an idempotency key. The
 * Slack adapter turns it into chat.postMessage, chat.update,
 * reactions.add or a response_url POST; the console prints it.
 *
 * Order: posts with the same order key are delivered one at a time in
 * the order they were queued. The key is the channel and thread (a
 * thread's replies, or a channel's top-level posts), so a slow thread
 * holds up nothing but itself.
 */
#ifndef OPSBOT_OUTBOX_H
#define OPSBOT_OUTBOX_H

#include <stddef.h>
#include <stdint.h>

struct bot;
struct store;

enum post_op {
	POST_MESSAGE = 0,	/* a new message in channel (thread_ts: in a thread) */
	POST_UPDATE,		/* replace the text/blocks of a message we posted */
	POST_REACTION,		/* add an emoji reaction to a message */
	POST_RESPOND,		/* a slash command's response_url (Slack only) */
};

/*
 * What to post. Every string is borrowed for the call (the store copies
 * it). Which members an op reads:
 *   POST_MESSAGE   channel, thread_ts (NULL: top level), text, blocks
 *   POST_UPDATE    channel, target_key (the key of our earlier post) or
 *                  target_ts (a ts we know), text, blocks
 *   POST_REACTION  channel, thread_ts (for ordering only), target_ts,
 *                  reaction ("eyes", no colons)
 *   POST_RESPOND   channel, response_url, text
 * text is mrkdwn as the bot writes it (escape user text with
 * mrkdwn_escape); with blocks it is the notification fallback. blocks
 * is a JSON array of Block Kit blocks as text, or NULL.
 */
struct post {
	enum post_op	 op;
	const char	*channel;
	const char	*thread_ts;
	const char	*text;
	const char	*blocks;
	const char	*target_key;
	const char	*target_ts;
	const char	*reaction;
	const char	*response_url;
	/*
	 * Idempotency key, or NULL: a second post queued with a key that
	 * is already in the outbox (pending or delivered in the last
	 * OUTBOX_KEEP_DONE_SECS) is dropped, so a redelivered event or a
	 * timer fired again after a crash says its thing once. Derive it
	 * from what caused the post: "ev:<event_id>:<n>", "timer:<id>".
	 */
	const char	*key;
};

/* A queued post as the outbox hands it to the adapter (all borrowed). */
struct post_row {
	int64_t		 id;
	struct post	 p;	/* target_ts resolved from target_key */
	int		 attempts;	/* earlier tries that failed */
};

/* What the adapter says of a delivery. */
enum post_verdict {
	POST_OK = 0,		/* done; ts is the message's ts if known */
	POST_RATE_LIMITED,	/* 429: retry_after_ms, for op and channel */
	POST_RETRYABLE,		/* network, 5xx: back off and try again */
	POST_PERMANENT,		/* the request is wrong: never retried */
};
struct post_result {
	enum post_verdict v;
	const char	*ts;		/* POST_OK: the message's ts, or NULL */
	int64_t		 retry_after_ms; /* POST_RATE_LIMITED; 0: 1 s */
	const char	*why;		/* for the log (error code), or NULL */
	/* POST_PERMANENT after Slack may have acted (internal_error). */
	int		 unsure;
};

/* Delivered posts are kept this long: their keys and ts stay known. */
#define OUTBOX_KEEP_DONE_SECS	(7 * 24 * 3600)
/* A post that failed this many times (not counting 429s) is dropped. */
#define OUTBOX_MAX_ATTEMPTS	8
/* Posts delivered at once when the config does not say (max_inflight). */
#define OUTBOX_DEFAULT_INFLIGHT	4

struct outbox;

/*
 * Allocates the delivery state (caller owns it: outbox_free). Nothing is
 * delivered until outbox_ready(ob, 1): the adapter says when it can.
 */
struct outbox	*outbox_new(struct bot *);
void		 outbox_free(struct outbox *);	/* accepts NULL */

/*
 * Queues p through bot->store, inside the caller's transaction if one is
 * open (a command's gate transaction, a timer's claim), else in its own.
 * Returns the post's id (> 0), 0 if p->key was already queued or
 * delivered (nothing added: the caller carries on as if it had been), or
 * -1 if the store failed (logged; the caller's transaction should roll
 * back). Kicks a delivery pass for the loop's next turn, which comes
 * after the caller's transaction ended.
 */
int64_t		 outbox_queue(struct bot *, const struct post *p);

/*
 * Starts (ready 1) or stops (0) handing posts to the adapter, e.g. once
 * Slack's auth.test succeeded. Starting runs a pass: posts a crash left
 * behind go out first.
 */
void		 outbox_ready(struct outbox *, int ready);
/* Runs a delivery pass at the loop's next turn (kicks coalesce). */
void		 outbox_kick(struct outbox *);
/*
 * Delivers now, without the loop, until a pass starts nothing: for an
 * adapter whose deliver answers synchronously (the console), so that
 * each input line's output comes before the next line's. Returns the
 * number of posts started.
 */
size_t		 outbox_flush(struct outbox *);
/*
 * The adapter's answer to one deliver call (token is what deliver got).
 * Call exactly once per token, now (inside deliver) or later. ok marks
 * the post delivered (its ts kept for updates); a 429 pauses op+channel
 * for retry_after_ms and keeps the post's place; retryable defers it
 * with back-off, up to OUTBOX_MAX_ATTEMPTS; permanent drops it, logged.
 */
void		 outbox_delivered(struct outbox *, void *token,
		    const struct post_result *);
/* Cancels the timer and forgets what is in flight (rows stay queued). */
void		 outbox_stop(struct outbox *);
/* The clock moved (test builds): re-check deferred posts and pauses. */
void		 outbox_clock_moved(struct outbox *);

/* "message", "update", "reaction", "respond" (static). */
const char	*post_op_name(enum post_op);

#endif /* OPSBOT_OUTBOX_H */
