/*
 * gate.c: the one way in for messages (gate.h; docs/internals/gate.md).
 * Ignore rules, then the cheap question "does any handler want this?",
 * then, in one store transaction: dedupe, the handlers in order, the
 * reply queued in the outbox, the dedupe keys recorded.
 */
#include <stdlib.h>
#include <string.h>

#include "bot/bot.h"
#include "bot/clock.h"
#include "bot/gate.h"
#include "bot/outbox.h"
#include "store/store.h"

/* Slack retries an event for up to ~5 minutes [EV]: keep keys longer. */
#define GATE_DEDUPE_MIN_SECS	600
/* A slash command's response_url takes 5 posts in 30 minutes [SC]. */
#define GATE_RESPONSE_URL_MAX	5

/* Flags no handler sees unless it says so in its flags. */
#define MSG_IGNORED_FLAGS	(MSG_FROM_BOT | MSG_EDITED | MSG_DELETED)

const char *
msg_reply_thread(const struct msg *m)
{
	if (m->thread_ts != NULL && *m->thread_ts != '\0')
		return (m->thread_ts);
	return (m->ts);
}

static int64_t
dedupe_secs(const struct bot *bot)
{
	int	 secs = bot->cfg->dedupe_secs;

	return (secs > GATE_DEDUPE_MIN_SECS ? secs : GATE_DEDUPE_MIN_SECS);
}

/*
 * The dedupe keys of m (new strings, or NULL): an event_id repeats when
 * Slack retries an event; channel+ts repeats when one message arrives
 * as both `message` and `app_mention` [EV]. A reaction has its
 * event_id only: its ts is the message reacted to, already keyed. A
 * click has no event_id and its envelope_id may change on a retry
 * [SM §2.5]: it is keyed by the click (action_ts, user, action_id,
 * the message's ts), which a redelivery repeats and a second click
 * does not.
 */
static void
dedupe_keys(const struct msg *m, char **ev_key, char **ts_key)
{
	*ev_key = NULL;
	*ts_key = NULL;
	if (m->event_id != NULL)
		xasprintf(ev_key, "ev:%s", m->event_id);
	if (m->kind == MSG_ACTION)
		xasprintf(ts_key, "act:%s:%s:%s:%s", m->action_ts != NULL ?
		    m->action_ts : "", m->user != NULL ? m->user : "",
		    m->action_id != NULL ? m->action_id : "",
		    m->ts != NULL ? m->ts : "");
	else if (m->kind == MSG_MESSAGE && m->channel != NULL &&
	    m->ts != NULL)
		xasprintf(ts_key, "ts:%s:%s", m->channel, m->ts);
}

/* The handler flag a kind of msg needs, 0 for messages. */
static int
kind_flag(enum msg_kind k)
{
	switch (k) {
	case MSG_REACTION:
		return (GATE_WANTS_REACTIONS);
	case MSG_ACTION:
		return (GATE_WANTS_ACTIONS);
	case MSG_MESSAGE:
		break;
	}
	return (0);
}

/* 1 if either key (may be NULL) was seen since `since`, 0 if not, -1. */
static int
seen_either(struct store *st, const char *ev_key, const char *ts_key,
    int64_t since)
{
	int	 rc = 0;

	if (ev_key != NULL && (rc = store_seen_has(st, ev_key, since)) != 0)
		return (rc);
	if (ts_key != NULL)
		rc = store_seen_has(st, ts_key, since);
	return (rc);
}

/*
 * Which handlers may act on m, as a bit mask over gate_handlers[]: none
 * for our own messages; a bot's message, an edit or a deletion only for
 * a handler that asked for them; a reaction or a click only for a
 * handler whose flags want that kind.
 */
static unsigned int
gate_claims(struct bot *bot, const struct msg *m)
{
	const struct gate_handler	*h;
	unsigned int			 mask = 0;
	size_t				 i;
	int				 want = kind_flag(m->kind);

	if (m->flags & MSG_FROM_SELF)
		return (0);
	for (i = 0; i < gate_nhandlers && i < 32; i++) {
		h = &gate_handlers[i];
		if ((m->flags & MSG_IGNORED_FLAGS) & ~h->flags)
			continue;
		if (want != 0 && !(h->flags & want))
			continue;
		if (h->claims(bot, m))
			mask |= 1U << i;
	}
	return (mask);
}

/*
 * Queues the packed messages of a reply to m. The first may go back in
 * the adapter's ack (*ack_text); a slash command's next ones go to its
 * response_url while it takes them, the rest to the channel. No
 * idempotency key: the dedupe keys, written in the same transaction,
 * already make a message answered once. Returns the number of posts
 * queued, or -1.
 */
static int
queue_reply(struct bot *bot, const struct msg *m, const struct strv *msgs,
    char **ack_text)
{
	struct post	 p;
	size_t		 i, nresp = 0;
	int64_t		 id;
	int		 n = 0;

	for (i = 0; i < msgs->n; i++) {
		if (i == 0 && m->reply_in_ack) {
			*ack_text = xstrdup(msgs->v[i]);
			continue;
		}
		memset(&p, 0, sizeof p);
		p.op = POST_MESSAGE;
		p.channel = m->channel;
		p.thread_ts = msg_reply_thread(m);
		p.text = msgs->v[i];
		/* A click's reply goes in its thread: response_url is kept
		   for a handler that wants to replace the clicked message. */
		if (m->kind == MSG_MESSAGE && m->response_url != NULL &&
		    nresp < GATE_RESPONSE_URL_MAX) {
			p.op = POST_RESPOND;
			p.response_url = m->response_url;
			nresp++;
		}
		if ((id = outbox_queue(bot, &p)) == -1)
			return (-1);
		n += id > 0;
	}
	return (n);
}

enum gate_result
gate_message(struct bot *bot, const struct msg *m, char **ack_text,
    size_t *nqueued)
{
	struct store	*st = bot->store;
	struct reply	 reply = { 0 };
	struct strv	 msgs = { 0 };
	enum gate_result res = GATE_STORE_FAILED;
	enum gate_verdict v;
	unsigned int	 mask;
	char		*ev_key = NULL, *ts_key = NULL;
	int64_t		 now, since;
	int		 q, seen;
	size_t		 i;

	*ack_text = NULL;
	*nqueued = 0;
	/* Chatter stops here: no transaction, no lookup. */
	if ((mask = gate_claims(bot, m)) == 0)
		return (GATE_IGNORED);

	dedupe_keys(m, &ev_key, &ts_key);
	now = clock_wall_secs();
	since = now - dedupe_secs(bot);
	/*
	 * The lookups run inside the transaction: outside, each is a read
	 * transaction of its own (a WAL snapshot taken and dropped), which
	 * costs as much as the lookup.
	 */
	if (store_begin(st) == -1)
		goto out;
	if ((seen = seen_either(st, ev_key, ts_key, since)) == -1)
		goto out;	/* not knowing is not "new": no second run */
	if (seen) {
		log_debug("gate: duplicate %s %s", ev_key ? ev_key : "",
		    ts_key ? ts_key : "");
		res = GATE_DUPLICATE;
		goto out;
	}
	for (i = 0; i < gate_nhandlers; i++) {
		if (!(mask & (1U << i)))
			continue;
		v = gate_handlers[i].handle(bot, m, &reply);
		if (v == GATE_FAILED)
			goto out;
		if (v == GATE_DONE)
			break;
	}
	reply_pack(&reply, REPLY_MSG_LIMIT, &msgs);
	q = queue_reply(bot, m, &msgs, ack_text);
	if (q == -1)
		goto out;
	if ((ev_key != NULL && store_seen_add(st, ev_key, now) == -1) ||
	    (ts_key != NULL && store_seen_add(st, ts_key, now) == -1))
		goto out;
	if (store_commit(st) == -1)
		goto out;
	*nqueued = (size_t)q;
	res = GATE_HANDLED;
out:
	if (res == GATE_STORE_FAILED) {
		log_errx("gate: the store failed on the message of %s in %s: "
		    "%s", m->user != NULL ? m->user : "?",
		    m->channel != NULL ? m->channel : "?",
		    store_last_error(st));
		free(*ack_text);
		*ack_text = NULL;
	}
	/* A duplicate read only; a failure must undo what it wrote. */
	if (store_in_transaction(st))
		store_rollback(st);
	if (*nqueued > 0)
		outbox_kick(bot->outbox);
	reply_reset(&reply);
	strv_reset(&msgs);
	free(ev_key);
	free(ts_key);
	return (res);
}

void
gate_prune(struct bot *bot)
{
	int64_t	 n;

	n = store_seen_prune(bot->store, clock_wall_secs() - dedupe_secs(bot));
	if (n > 0)
		log_debug("gate: pruned %lld dedupe keys", (long long)n);
}
