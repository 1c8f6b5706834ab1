/*
 * adapter.h: where messages come from and replies go. A narrow vtable:
 * the core never knows which transport it talks to.
 *
 * Map of adapters/:
 *   adapter.c          adapters[] and adapter_find()
 *   adapter-console.c  stdin lines in, plain text out
 *   adapter-slack.c    Slack: envelopes -> the gate, acks, auth.test
 *   slack-deliver.c    Slack: posts -> chat.postMessage, chat.update,
 *                      reactions.add, response_url
 *   slack-socket.c     Socket Mode over libwebsockets
 *   slack-web.c        Web API (and plain GETs, for both adapters' fetch)
 *                      over libcurl multi, sockets adopted into lws
 */
#ifndef OPSBOT_ADAPTER_H
#define OPSBOT_ADAPTER_H

#include <stdint.h>

struct bot;
struct adapter;
struct post_row;
struct lws_protocols;
struct lws_context;

/*
 * One plain HTTP GET the core asks an adapter for (adapter_ops.fetch):
 * a struct the asker owns and embeds in its own state, reached back
 * with lws_container_of in done, so the adapter allocates nothing that
 * a stop could leak. url is borrowed and must stay valid until done
 * runs or the adapter stops.
 */
struct adapter_fetch {
	const char	*url;
	/*
	 * Called once from the loop: status is the HTTP status (0 if none),
	 * error NULL when the transfer completed (whatever the status), else
	 * a sentence (curl's, or "response too large"); body (len bytes,
	 * NUL-terminated) is borrowed for the call.
	 */
	void		(*done)(struct adapter_fetch *, long status,
			    const char *error, const char *body, size_t len);
	void		*adapter_priv;	/* the adapter's, for the transfer */
};

struct adapter_ops {
	const char	*name;
	/*
	 * lws protocols this adapter needs on the context's vhost,
	 * terminated by an all-zero entry. Read before the context exists.
	 */
	const struct lws_protocols *protocols;
	/* Allocates a->ctx. Called before the lws context is created. */
	int	(*init)(struct adapter *);
	/* The context exists: connect, adopt fds, arm timers. 0 or -1. */
	int	(*start)(struct adapter *);
	/* Begin a graceful stop; the loop ends when bot->stopping is set. */
	void	(*stop)(struct adapter *);
	/*
	 * The clock moved forward (a test build's --test-clock-fd): re-run
	 * what waits on a timer armed from the old time, so that what fell
	 * due fires now. NULL: nothing of the adapter's waits on the clock.
	 */
	void	(*clock_moved)(struct adapter *);
	/*
	 * Delivers one queued post (bot/outbox.h): row and its strings are
	 * borrowed for the call. The adapter answers with
	 * outbox_delivered(bot->outbox, token, result) exactly once, inside
	 * this call or later from the loop. Returns 0, or -1 if it cannot
	 * take the post now (then it never answers for token). The outbox
	 * calls deliver only between outbox_ready(1) and (0).
	 */
	int	(*deliver)(struct adapter *, const struct post_row *row,
		    void *token);
	/*
	 * Asks for the permalink of message ts in channel (borrowed), for
	 * ticket (bot/ticket-link.c). The adapter answers exactly once with
	 * ticket_permalink_learnt(bot, ticket, ts, link or NULL, error), inside
	 * this call or later from the loop (or never, if it stops first).
	 * NULL: the adapter has no permalinks.
	 */
	void	(*permalink)(struct adapter *, const char *channel,
		    const char *ts, int64_t ticket);
	/*
	 * GETs f->url over http or https without blocking the loop: at most
	 * 3 redirects, 15 s in all, a body of at most 4 MB, TLS checked as
	 * the adapter's own calls are (adapters/slack-web.c slack_web_get).
	 * f->done runs exactly once, later, unless the adapter stops first
	 * (then never). Returns 0, or -1 if it cannot start (done not
	 * called). NULL: the adapter cannot fetch.
	 */
	int	(*fetch)(struct adapter *, struct adapter_fetch *f);
	/* Frees a->ctx; called after the lws context is destroyed. */
	void	(*free)(struct adapter *);
};

struct adapter {
	const struct adapter_ops *ops;
	void		*ctx;	/* owned by the adapter, freed by ops->free */
	struct bot	*bot;	/* borrowed back pointer */
};

/* adapter.c */
/* Finds an adapter by name ("console", "slack"), or NULL. */
const struct adapter_ops *adapter_find(const char *name);
/* Allocates an adapter and calls ops->init; NULL on failure. */
struct adapter	*adapter_new(const struct adapter_ops *, struct bot *);
/* Calls ops->free and frees a. Accepts NULL. */
void		 adapter_free(struct adapter *);
/*
 * url as it may be logged, without credentials (user, password, query,
 * fragment): slack_url_redact_new's rules, for the core. Caller frees.
 */
char		*adapter_url_redact_new(const char *url);
/* Options the command line sets on adapters before init. */
struct adapter_options {
	const char	*console_channel;	/* --channel */
};

extern const struct adapter_ops adapter_console_ops;
extern const struct adapter_ops adapter_slack_ops;

#endif /* OPSBOT_ADAPTER_H */
