/*
 * slack.h: private to the Slack adapter (adapter-slack.c, slack-*.c).
 * Protocol facts are tagged with the keys of ../shared/slack-protocol.md
 * (the project fact sheet): [SM] Socket Mode docs, [EV] Events
 * API, [PM] chat.postMessage, [SC] slash commands, [ACO]
 * apps.connections.open, [AT] auth.test, [RL] rate limits.
 *
 * Layers, one section per file below. Pure (JSON in, decisions and JSON
 * out; unit tested): slack-frame.c and slack-frame-lejp.c read frames,
 * slack-verdict.c decides, slack-json.c builds what we send,
 * slack-conn-policy.c times reconnects, slack-url.c handles URLs and
 * slack-api.c classifies Web API answers. slack-call.c is the one path
 * of a call; slack-web.c is a libcurl multi client whose sockets live in
 * the lws loop; slack-socket.c owns the Socket Mode connections;
 * adapter-slack.c translates envelopes for the core's gate and acks
 * them; slack-deliver.c turns the core's posts into Web API calls.
 */
#ifndef OPSBOT_SLACK_H
#define OPSBOT_SLACK_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <libwebsockets.h>

#include "bot/backoff.h"
#include "bot/bot.h"
#include "bot/gate.h"
#include "bot/outbox.h"

#define SLACK_MAX_CONNS		3		/* Slack allows 10 per app [SM] */
#define SLACK_RX_MAX		(1024 * 1024)	/* reassembly cap per socket */
#define SLACK_ACK_MAX		(20 * 1024 - 1)	/* larger acks are dropped [SM] */
#define SLACK_ACKQ_MAX		4096		/* queued acks per socket */
#define SLACK_DEDUPE_MIN	600		/* last retry ~5 min late [EV] */
/*
 * Up this long after hello, a lost socket was healthy and is replaced
 * at once (slack_conn_healthy): at most 6 immediate reconnects a minute
 * per slot, under apps.connections.open's Tier 3, 50+/min [ACO].
 */
#define SLACK_HEALTHY_MS	10000

struct slack;
struct slack_conn;
struct slack_web;

/* ------------------------------------------------------------------ */
/* slack-frame.c: Socket Mode frames read with jansson                */

enum slack_frame_type {
	SLACK_FRAME_INVALID = 0,	/* not JSON, not an object, no type */
	SLACK_FRAME_HELLO,
	SLACK_FRAME_DISCONNECT,
	SLACK_FRAME_EVENTS_API,
	SLACK_FRAME_SLASH,
	SLACK_FRAME_INTERACTIVE,
	SLACK_FRAME_UNKNOWN,		/* some other type; ack if it has an id */
};

/*
 * What the adapter reads of an events_api payload [EV §3]. String fields
 * are NULL when absent, not a string or empty, except text, which may be
 * "" (NULL only when absent or not a string). Borrowed from the frame.
 */
struct slack_event_fields {
	const char	*payload_type;	/* "event_callback", "app_rate_limited" */
	const char	*event_id;
	int		 has_event;	/* payload.event is an object */
	const char	*type;		/* "message", "app_mention", ... */
	const char	*subtype;
	const char	*user;
	const char	*bot_id;
	const char	*app_id;
	int		 bot_profile;	/* event.bot_profile is an object */
	const char	*text;
	const char	*channel;
	const char	*channel_type;
	const char	*ts;
	const char	*thread_ts;
	/* reaction_added [EV]: read by slack_frame_parse only */
	const char	*reaction;	/* emoji name, no colons */
	const char	*item_type;	/* "message", "file", ... */
	const char	*item_channel;
	const char	*item_ts;
};

/*
 * One parsed Socket Mode frame [SM §2]. root is a new reference owned by
 * the struct (released by slack_frame_clear); every other pointer is
 * borrowed from root and dies with it. Missing or mistyped fields are
 * NULL / 0, never an error: Slack adds fields freely [EV].
 *
 * ev is filled for events_api frames. A frame read by the streaming
 * fast path (slack_frame_parse_lite) has root and payload NULL, and its
 * strings live in arena (owned, freed by slack_frame_clear).
 */
struct slack_frame {
	json_t			*root;
	char			*arena;
	struct slack_event_fields ev;
	enum slack_frame_type	 type;
	const char		*type_name;	/* "events_api", ... or NULL */
	const char		*envelope_id;	/* NULL if absent or empty */
	json_t			*payload;	/* borrowed; NULL if absent */
	const char		*reason;	/* disconnect reason or NULL */
	const char		*app_id;	/* hello connection_info.app_id */
	int			 retry_attempt;	/* events_api, 0 if absent */
	int			 accepts_response_payload;
};

/*
 * Parses one reassembled text frame of len bytes (need not be
 * NUL-terminated). Returns 0 with *f filled (a frame of an unknown type
 * is a success), or -1 with *cause (a new string the caller frees, safe
 * to log: it holds no frame text) when the text is not a JSON object
 * with a string "type"; on -1, *f is left cleared.
 */
int	 slack_frame_parse(const char *data, size_t len, struct slack_frame *f,
	    char **cause);
/* Drops the root reference and the arena; accepts a cleared frame. */
void	 slack_frame_clear(struct slack_frame *f);
/* Fills ev from an events_api payload (borrowed; may be NULL). */
void	 slack_fields_from_json(json_t *payload,
	    struct slack_event_fields *ev);
/*
 * The string v holds (borrowed from v), or NULL when v is NULL, not a
 * string or empty: how every optional string member is read, members
 * being fetched with json_unpack's "s?o".
 */
const char *slack_json_text(json_t *v);
/*
 * Copies at most max bytes of s into a new string with control bytes
 * replaced by '.', and "..." appended if cut: for logging hostile input.
 * The log redacts tokens on top.
 */
char	*slack_log_excerpt_new(const char *s, size_t len, size_t max);

/* ------------------------------------------------------------------ */
/* slack-frame-lejp.c: the events_api fast path (LEJP)                */

/*
 * The same contract as slack_frame_parse, faster for the common case:
 * an events_api envelope in plain ASCII (no \u escapes, no newline) is
 * read with lws' streaming parser LEJP, collecting only the fields of
 * struct slack_event_fields plus envelope_id, retry_attempt and
 * accepts_response_payload, without building a jansson tree. Anything
 * else (other frame types, reaction_added events, non-ASCII text,
 * floats, duplicate payload or
 * event members, nesting deeper than LEJP's 12 levels, any LEJP error)
 * goes to slack_frame_parse, so the result is the same field for field.
 * The one leniency left: LEJP accepts a trailing comma inside an array
 * ([1,]) in parts of the envelope we never read, which jansson refuses.
 */
int	 slack_frame_parse_lite(const char *data, size_t len,
	    struct slack_frame *f, char **cause);

/* ------------------------------------------------------------------ */
/* slack-verdict.c: pure decisions on what Slack sent                 */

enum slack_disconnect {
	SLACK_DISC_REFRESH = 0,	/* warning, refresh_requested, unknown */
	SLACK_DISC_LINK_DISABLED, /* Socket Mode turned off: stop */
	SLACK_DISC_TOO_MANY,	/* too_many_websockets: back off long */
};
/* Maps a disconnect reason (may be NULL) to what we do about it [SM]. */
enum slack_disconnect slack_disconnect_kind(const char *reason);

/* Who "we" are, learnt from auth.test [AT] and hello [SM]. Borrowed. */
struct slack_self {
	const char	*user_id;	/* U0BOT */
	const char	*bot_id;	/* B0001 */
	const char	*app_id;	/* A0001, may be NULL before hello */
};

enum slack_verdict {
	SLACK_HANDLE = 0,		/* a message: to the gate */
	SLACK_IGNORE_NO_EVENT,		/* app_rate_limited and friends */
	SLACK_IGNORE_TYPE,		/* not message / app_mention */
	SLACK_IGNORE_SUBTYPE,		/* joins, topics, ...: not said */
	SLACK_IGNORE_INVALID,		/* missing channel/user/ts/text */
};
/* A short name for logs ("self", "bot", ...). Static string. */
const char *slack_verdict_name(enum slack_verdict);

/*
 * Translates an events_api payload (the event_callback object,
 * borrowed) into a msg for the gate, with pointers borrowed from
 * payload: adapter "slack", channel, user, text, ts, thread_ts,
 * event_id, bot_user_id = self->user_id, addressed (1 for app_mention
 * and channel_type "im"), and flags for the gate's ignore rules
 * [EV §3.3, §3.4]: MSG_FROM_SELF for our own user/bot/app id,
 * MSG_FROM_BOT for any other bot_id, bot_profile or subtype
 * bot_message, MSG_EDITED for message_changed, MSG_DELETED for
 * message_deleted (those two need only a channel). Other subtypes than
 * thread_broadcast, file_share and those are not messages anyone wrote:
 * SLACK_IGNORE_SUBTYPE.
 */
enum slack_verdict slack_event_to_msg(json_t *payload,
	    const struct slack_self *self, struct msg *out);
/*
 * reaction_added events go through slack_event_to_msg and
 * slack_fields_to_msg too: kind MSG_REACTION (gate.h says the fields),
 * SLACK_IGNORE_INVALID without user, reaction, or an item of type
 * "message" with channel and ts; MSG_FROM_SELF for our own reactions.
 */
/* The same rules applied to fields already read (f->ev of a frame). */
enum slack_verdict slack_fields_to_msg(const struct slack_event_fields *ev,
	    const struct slack_self *self, struct msg *out);

/*
 * A slash_commands payload (borrowed; every value a string [SC]) to a
 * msg borrowing from it: command, text ("" if absent), channel =
 * channel_id, user = user_id, addressed = 1. *response_url is set to
 * the payload's response_url or NULL. Returns 0, or -1 when command,
 * channel_id or user_id is missing.
 */
int	 slack_slash_to_msg(json_t *payload, struct msg *out,
	    const char **response_url);
/*
 * An interactive payload (borrowed) of type block_actions [SM §2.3;
 * fixture interactive_block_actions.json] to a msg of kind MSG_ACTION
 * borrowing from it: user = user.id, channel = container.channel_id
 * (else channel.id), ts = container.message_ts, thread_ts =
 * container.thread_ts, action_id, action_value and action_ts of
 * actions[0], text "", bot_user_id = self->user_id; MSG_FROM_SELF if
 * we clicked. *response_url is the payload's or NULL (the caller
 * checks it). Returns 0, or -1 for another payload type or a missing
 * user, channel, message ts, action_id or action_ts.
 */
int	 slack_action_to_msg(json_t *payload, const struct slack_self *self,
	    struct msg *out, const char **response_url);

/* ------------------------------------------------------------------ */
/* slack-json.c: the JSON texts we send                               */

/*
 * JSON builders. Every string they take (borrowed) may hold bytes that
 * are not UTF-8: jansson would refuse them, so they are repaired first
 * (utf8_repair: stray bytes read as Windows-1252). Each returns a new
 * string the caller frees, or NULL if jansson cannot allocate: never
 * fatal, the caller decides what to send instead.
 *
 * New JSON text for chat.postMessage [PM]:
 * {"channel","text","mrkdwn":true,"unfurl_links":false,
 *  "unfurl_media":false,"thread_ts"?}; thread_ts may be NULL.
 */
char	*slack_post_body_new(const char *channel, const char *text,
	    const char *thread_ts);
/*
 * The Web API call that delivers p (bot/outbox.h; target_ts already
 * resolved): *method is set to "chat.postMessage" [PM], "chat.update"
 * [UPD], "reactions.add" [RA] or "response_url" [SC] (static), and the
 * JSON body returned (new string): {"channel","text","mrkdwn":true,
 * "unfurl_links":false,"unfurl_media":false,"thread_ts"?,"blocks"?},
 * {"channel","ts","text","blocks"?}, {"channel","timestamp","name"} or
 * the response_url body below. p->blocks, a JSON array as text, is
 * parsed and embedded; blocks that are not a JSON array are left out
 * (logged) and the text is sent alone. NULL if jansson cannot build it.
 */
char	*slack_request_new(const struct post *p, const char **method);
/*
 * New JSON text for a response_url POST [SC]: {"response_type":
 * "in_channel","text","replace_original":false}, or NULL as above.
 */
char	*slack_response_url_body_new(const char *text);
/*
 * New ack text {"envelope_id":id} or, with text != NULL,
 * {"envelope_id":id,"payload":{"response_type":"in_channel","text":text}}
 * [SM §2.4]. Returns NULL when the result would reach SLACK_ACK_MAX
 * bytes or cannot be built (the caller then acks without a payload).
 * Caller frees.
 */
char	*slack_ack_new(const char *envelope_id, const char *text);
/*
 * Writes {"envelope_id":id} into dst (size dstlen, NUL-terminated)
 * without jansson, for the ack of every envelope. Returns the length,
 * or -1 when the id needs JSON escaping or does not fit (use
 * slack_ack_new then). Same bytes as slack_ack_new(id, NULL).
 */
int	 slack_ack_format(char *dst, size_t dstlen, const char *envelope_id);

/* ------------------------------------------------------------------ */
/* slack-conn-policy.c: reconnect and silence policy (pure)           */


/*
 * A socket that said hello at hello_ms and was lost at lost_ms (both
 * monotonic ms; hello_ms <= 0 if it never said hello) was healthy if
 * it stayed up SLACK_HEALTHY_MS after its hello: then its loss is not
 * a repeated failure and the slot reconnects at once. Returns 1 or 0.
 */
int	 slack_conn_healthy(int64_t hello_ms, int64_t lost_ms);

/*
 * The silence watchdog's verdict at now_ms for a socket last heard
 * from (any frame or pong) at last_rx_ms, allowed timeout_ms of silence
 * (all ms, monotonic). pending is 1 if bytes wait unread in the
 * kernel: after a loop stall the timer runs before the socket is read,
 * so the socket is given up to twice the timeout to be read. Returns
 * 0 if the socket is dead, else the ms until the next check (> 0).
 */
int64_t	 slack_silence_check(int64_t now_ms, int64_t last_rx_ms,
	    int64_t timeout_ms, int pending);

/* ------------------------------------------------------------------ */
/* slack-url.c: URLs (libcurl's URL API)                              */

/*
 * 1 if host (as found in a URL: "127.0.0.1", "localhost", "[::1]",
 * "::1" or any spelling of it) is a loopback name, else 0. Only these may use plain http://
 * and ws:// (the tests' fake Slack).
 */
int	 slack_host_is_loopback(const char *host);

/*
 * Splits an http(s):// or ws(s):// URL with libcurl's URL parser
 * (curl_url). Returns 0 and fills the out strings (new, caller frees;
 * *host keeps an IPv6 literal's brackets, "[::1]"; *path always starts
 * with '/', keeps the query and drops the fragment), *port (default
 * per scheme: 443 or 80) and *tls; -1 on a URL curl refuses, another
 * scheme, userinfo, or port 0.
 */
int	 slack_url_split(const char *url, char **host, int *port, char **path,
	    int *tls);

/*
 * url (any scheme) as it may be logged: a new string without its user
 * name, password, login options, query (a Socket Mode ticket) or
 * fragment, split by libcurl's URL parser (curl_url), never by hand;
 * "(not a URL)" when curl cannot parse it, since then no part is known
 * to be safe. Caller frees.
 */
char	*slack_url_redact_new(const char *url);

/* ------------------------------------------------------------------ */
/* slack-api.c: what a Web API answer means (pure; docs/internals/slack.md) */

enum slack_token {
	SLACK_TOKEN_NONE = 0,	/* response_url: the URL is the credential */
	SLACK_TOKEN_BOT,	/* xoxb-, every Web API method but one */
	SLACK_TOKEN_APP,	/* xapp-, apps.connections.open only [ACO] */
};

/* A Web API method and what may be done with its answers. Static. */
struct slack_api_method {
	const char	*name;		/* "chat.postMessage", "response_url" */
	enum slack_token token;
	int		 retry_unsure;	/* repeat after internal_error? */
	int		 any_body;	/* a 2xx that is not JSON is ok */
	int		 form;		/* arguments URL-encoded, not JSON */
};
/*
 * The entry for name, or NULL for a method not in the table (add it
 * there first: apps.connections.open, auth.test, chat.postMessage,
 * chat.update, reactions.add, users.info, conversations.info,
 * chat.getPermalink, response_url).
 */
const struct slack_api_method *slack_api_method_find(const char *name);

enum slack_api_verdict {
	SLACK_API_OK = 0,	/* ok:true (and a 2xx status) */
	SLACK_API_RATE_LIMITED,	/* HTTP 429 or error "ratelimited" [RL] */
	SLACK_API_RETRYABLE,	/* no answer, 5xx, not JSON, a transient code */
	SLACK_API_PERMANENT,	/* asking again gives the same answer */
};
/* "ok", "rate limited", "retryable", "permanent". Static string. */
const char *slack_api_verdict_name(enum slack_api_verdict);

/*
 * One classified answer. Owns error, warning and root (one reference);
 * slack_api_answer_clear releases them.
 */
struct slack_api_answer {
	enum slack_api_verdict verdict;
	long		 status;	/* HTTP status, 0: no answer */
	long		 retry_after;	/* seconds from Retry-After, 0: none */
	int		 unsure;	/* internal_error/fatal_error: maybe done */
	char		*error;		/* Slack's "error" code, NULL if none */
	char		*warning;	/* "warning" + response_metadata.warnings,
					 * comma-separated, each once; or NULL */
	json_t		*root;		/* the body if a JSON object, else NULL */
	char		 why[64];	/* for logs; "" when OK */
};
/*
 * Classifies one answer of method m (may be NULL: an unknown method is
 * treated like chat.postMessage, never repeated when unsure). status is
 * the HTTP status, 0 when there was no answer (network error, timeout,
 * cut); retry_after the Retry-After header in seconds (0 if absent);
 * body len bytes (borrowed; may be NULL). Rules, in order
 * (docs/internals/slack.md "Web API answers"):
 *   status 0                                  RETRYABLE
 *   429, or {"error":"ratelimited"}           RATE_LIMITED
 *   5xx                                       RETRYABLE
 *   not a JSON object: 2xx with m->any_body   OK
 *                      404, 410 with m->any_body (an expired
 *                      response_url)          PERMANENT
 *                      anything else          RETRYABLE (a proxy, a
 *                      cut answer; the outbox bounds the attempts)
 *   {"ok":true} with a 2xx                    OK
 *   no "error" code                           PERMANENT
 *   rate_limited, service_unavailable, request_timeout,
 *   team_added_to_org                         RETRYABLE
 *   internal_error, fatal_error               RETRYABLE if
 *                  m->retry_unsure, else PERMANENT; unsure = 1
 *   any other code                            PERMANENT
 * Never fails; a (filled with new references) is cleared first.
 */
void	 slack_api_classify(const struct slack_api_method *m, long status,
	    long retry_after, const char *body, size_t len,
	    struct slack_api_answer *a);
/* Releases what a owns and zeroes it. Accepts NULL and cleared answers. */
void	 slack_api_answer_clear(struct slack_api_answer *a);
/* 1 for the auth errors after which retrying cannot help [ACO, AT]. */
int	 slack_error_is_fatal_auth(const char *error);

/* ------------------------------------------------------------------ */
/* slack-web.c: Web API over curl multi, curl's sockets adopted in lws */

/* The outcome of one HTTP request; every pointer borrowed for the call. */
struct slack_web_resp {
	int		 net_error;	/* 0, or a CURLcode */
	const char	*net_errstr;	/* curl's text, "" if none */
	long		 status;	/* HTTP status, 0 if none */
	long		 retry_after;	/* Retry-After secs, 0 if none */
	const char	*body;		/* NUL-terminated, maybe empty */
	size_t		 len;
};
typedef void	 slack_web_cb(void *arg, const struct slack_web_resp *);

/*
 * A client on the context's default vhost (protocol "slack-curl" must be
 * in the vhost's protocols). max_host_conns caps connections per host
 * (CURLMOPT_MAX_HOST_CONNECTIONS). ca_file is slack.ca_file, may be
 * NULL; trust is as slack_tls_load() describes. Returns NULL if curl
 * cannot be set up.
 */
struct slack_web *slack_web_new(struct lws_context *, int max_host_conns,
	    const char *ca_file);
/*
 * Aborts every transfer without calling its callback, closes curl's
 * connections (the lws side is killed asynchronously, so call this
 * while the context still exists) and frees w. Accepts NULL.
 */
void	 slack_web_free(struct slack_web *w);
/*
 * POSTs body (copied; may be "") to url with content type ctype and,
 * if token is not NULL, "Authorization: Bearer <token>" (never logged).
 * cb(arg, resp) is called exactly once from the loop, later, unless w
 * is freed first; arg must stay valid until then. Timeouts: connect
 * 10 s, total 30 s. Returns 0, or -1 if the request cannot be started.
 */
int	 slack_web_post(struct slack_web *w, const char *url,
	    const char *token, const char *ctype, const char *body,
	    slack_web_cb *cb, void *arg);
/* slack_web_get's limits: total seconds, redirects followed. */
#define SLACK_WEB_GET_SECS	15
#define SLACK_WEB_GET_REDIRS	3
/*
 * GETs url (http or https; no credentials are added, and the URL is
 * never logged here) following at most SLACK_WEB_GET_REDIRS redirects
 * (http/https only), within SLACK_WEB_GET_SECS seconds in all. A body
 * over 4 MB aborts the transfer (net_errstr "response too large").
 * TLS as slack_web_post. cb(arg, resp) as slack_web_post: exactly once,
 * later, unless w is freed first. Returns 0, or -1 if it cannot start.
 */
int	 slack_web_get(struct slack_web *w, const char *url,
	    slack_web_cb *cb, void *arg);
/*
 * adapter_ops.fetch for any adapter that owns a struct slack_web (the
 * Slack adapter and the console): slack_web_get of f->url, answered
 * through f->done. w may be NULL (-1: not started). 0 or -1.
 */
struct adapter_fetch;
int	 slack_web_fetch(struct slack_web *w, struct adapter_fetch *f);
/* Number of transfers not yet completed. */
int	 slack_web_inflight(const struct slack_web *w);
/* The lws protocol callback for adopted curl sockets ("slack-curl"). */
int	 slack_web_lws_cb(struct lws *, enum lws_callback_reasons, void *,
	    void *, size_t);

/* ------------------------------------------------------------------ */
/* slack-tls.c: the certificate authorities TLS peers are checked against */

/*
 * The hashed CA directory: $SSL_CERT_DIR if set (OpenSSL's convention;
 * may be a ':'-separated list), else OpenSSL's built-in default
 * (/usr/lib/ssl/certs, a link to /etc/ssl/certs on Debian). Borrowed.
 */
const char	*slack_tls_ca_dir(void);
/*
 * Adds the trust to ssl_ctx (an OpenSSL SSL_CTX *, borrowed): the
 * directory above, looked up lazily per handshake instead of parsing
 * the whole system bundle at start, plus the PEM bundle cfg_ca_file
 * (slack.ca_file; may be NULL). $SSL_CERT_FILE is not read. Returns 0,
 * or -1 with *cause (owned by the caller) if the file cannot be loaded.
 */
int		 slack_tls_load(void *ssl_ctx, const char *cfg_ca_file,
		    char **cause);

/*
 * Writes into dst (len bytes, NUL-terminated, truncated if need be) what
 * a certificate was checked against and how to change it, for the log
 * line of a failed handshake.
 */
void		 slack_tls_hint(char *dst, size_t len, const char *cfg_ca_file);

/* ------------------------------------------------------------------ */
/* slack-socket.c: Socket Mode connection slots                        */

enum slack_conn_state {
	CONN_IDLE = 0,		/* slot free */
	CONN_BACKOFF,		/* waiting for sul_retry */
	CONN_OPENING,		/* apps.connections.open in flight */
	CONN_CONNECTING,	/* TCP/TLS/WS handshake */
	CONN_AWAIT_HELLO,	/* upgraded, not yet healthy [SM §2.1] */
	CONN_READY,		/* hello seen */
};

/*
 * One connection slot: a single reconnect state machine, so never two
 * retry timers or two sockets for one slot (node-slack-sdk #2094).
 */
struct slack_conn {
	struct slack		*sl;		/* borrowed back pointer */
	int			 idx;		/* slot number, for logs */
	enum slack_conn_state	 state;
	struct lws		*wsi;		/* NULL when no socket */
	lws_sorted_usec_list_t	 sul_retry;	/* backoff, then open URL */
	lws_sorted_usec_list_t	 sul_watch;	/* inbound-silence watchdog */
	int64_t			 last_rx_ms;	/* any frame or pong, mono */
	int64_t			 connect_ms;	/* connect started, mono */
	int64_t			 hello_ms;	/* hello seen, mono; 0: not */
	unsigned int		 failures;	/* consecutive, for backoff */
	int			 long_backoff;	/* too_many_websockets seen */
	int			 retiring;	/* replaced after disconnect */
	int			 closing;	/* we asked lws to close it */
	struct buf		 rx;		/* reassembly */
	int			 rx_drop;	/* frame over SLACK_RX_MAX */
	char			**ackq;		/* LWS_PRE + text + NUL, owned */
	size_t			*ackq_len;
	size_t			 ackq_n;
	size_t			 ackq_cap;
	size_t			 ackq_head;
	uint64_t		 generation;	/* bumps per connect attempt */
};

/* Starts slot 0 (after auth.test). */
void	 slack_socket_start(struct slack *);
/* Closes every socket, cancels timers; no reconnects afterwards. */
void	 slack_socket_stop(struct slack *);
/*
 * Queues ack text (copied) on c: written from CLIENT_WRITEABLE, one
 * frame per callback. Returns 0, or -1 if c has no socket or is full.
 */
int	 slack_conn_ack(struct slack_conn *c, const char *text);
/* The lws protocol callback for Socket Mode sockets ("slack-ws"). */
int	 slack_ws_lws_cb(struct lws *, enum lws_callback_reasons, void *,
	    void *, size_t);

/* ------------------------------------------------------------------ */
/* adapter-slack.c: the adapter state and the glue to the core          */

struct slack {
	struct bot		*bot;		/* borrowed */
	struct adapter		*adapter;	/* borrowed */
	struct slack_web	*web;		/* owned */
	/* slack-call.c: the calls in flight, so that those the web client
	   drops unanswered at stop are freed (slack_api_abandon) */
	struct api_call		*calls;
	lws_retry_bo_t		 retry;		/* ping/hangup policy per socket */
	struct slack_conn	 conns[SLACK_MAX_CONNS];
	int			 stopping;
	int			 ws_plain_ok;	/* api_url is http:// on loopback */

	/* identity */
	int			 authed;
	char			*user_id;	/* owned */
	char			*bot_id;	/* owned */
	char			*app_id;	/* owned, from hello */
	unsigned int		 auth_failures;
	lws_sorted_usec_list_t	 sul_auth;

	struct strv		 users_asked;	/* slack-users.c, this run */
	struct strv		 channels_asked; /* slack-channels.c, this run */
	int64_t			 groups_asked_ms; /* slack-usergroups.c, wall */

	/* health: the store failed on the event path (logged on change) */
	int			 store_failing;
	unsigned long		 store_failures; /* since start */
};

/* URL of a Web API method: cfg->api_url + method. New string. */
char	*slack_method_url_new(struct slack *, const char *method);
/*
 * 1 if url may receive a response_url POST: https://, or http:// to a
 * loopback host when api_url is (the fake Slack of the tests).
 */
int	 slack_response_url_ok(struct slack *, const char *url);
/* 32 random bits from lws (for jitter). */
uint32_t slack_rnd32(struct slack *);

/* slack-call.c: the one path of a Web API call */

/*
 * Called once per call with the classified answer a and the raw one r
 * (r->net_errstr says why there was no answer); both borrowed for the
 * call: take a reference to a->root to keep fields past it.
 */
typedef void	 slack_api_cb(void *arg, const struct slack_api_answer *a,
	    const struct slack_web_resp *r);
/*
 * POSTs body (copied: JSON text, or for a method whose table entry says
 * form, "a=b&c=d" from slack_form_new; NULL or "" for no arguments,
 * sent as an empty form) to method, a name in the method table, with the
 * token the table names: to url if not NULL (a response_url), else to
 * cfg->api_url + method. cb(arg, ...) runs later from the loop, exactly
 * once, unless the call is abandoned unanswered at stop
 * (slack_api_abandon): then drop(arg) runs instead, if drop is not NULL
 * (an arg the call owns: free it there; NULL for an arg that outlives
 * the web client, such as sl). Returns 0, or -1 when the method is
 * unknown or the request cannot be started (neither cb nor drop called).
 */
int	 slack_api_call(struct slack *, const char *method, const char *url,
	    const char *body, slack_api_cb *cb, void *arg,
	    void (*drop)(void *arg));
/*
 * After slack_web_free: the calls it dropped without an answer are
 * freed, with their drop(arg) where they have one.
 */
void	 slack_api_abandon(struct slack *);
/*
 * "name=value" with value URL-encoded by libcurl (curl_easy_escape),
 * the body of a read method (form in the method table). New string, or
 * NULL if curl cannot allocate.
 */
char	*slack_form_new(const char *name, const char *value);

/* slack-users.c */
/*
 * Asks users.info about user_id, once per run (a list in sl), and
 * caches the display name and time zone in the store (store_user_put)
 * for commands such as remind. Fire and forget: failures are logged.
 */
void	 slack_users_learn(struct slack *, const char *user_id);

/* slack-channels.c */
/*
 * Asks conversations.info about channel (an ID), once per run, unless
 * its name is known (channels.h), and records the name. Fire and forget.
 */
void	 slack_channels_learn(struct slack *, const char *channel);
/*
 * Checks every watch rule written with a channel ID (conversations.info):
 * learns its name, and warns when the bot is not in the channel or the
 * channel does not exist. Called once authenticated.
 */
void	 slack_channels_check_watches(struct slack *);

/* slack-permalink.c */
/* adapter_ops.permalink (adapter.h): chat.getPermalink, answered later. */
void	 slack_permalink(struct adapter *, const char *channel,
	    const char *ts, int64_t ticket);

/* slack-usergroups.c */
/*
 * Asks usergroups.users.list for every support channel's engineers_group
 * (each group once), unless it did less than an hour ago (wall clock);
 * the members go to support_group_learn. Fire and forget: failures are
 * logged with Slack's error code, and what was known stays.
 */
void	 slack_usergroups_refresh(struct slack *);

/* slack-deliver.c */
/*
 * adapter_ops.deliver (adapter.h, bot/outbox.h): a post becomes
 * chat.postMessage, chat.update, reactions.add or a response_url POST,
 * and Slack's classified answer (slack-api.c) the outbox's verdict.
 */
int	 slack_deliver(struct adapter *, const struct post_row *row,
	    void *token);
/*
 * Handles one complete text frame received on c: hello and disconnect
 * go back to slack-socket.c, envelopes are acked on c.
 */
void	 slack_handle_frame(struct slack *, struct slack_conn *c,
	    const char *data, size_t len);
/* hello arrived on c (called by the socket layer after its own work). */
void	 slack_on_hello(struct slack *, struct slack_conn *c,
	    const struct slack_frame *f);
/* Socket layer reactions, called from slack_handle_frame. */
void	 slack_conn_hello(struct slack_conn *c);
void	 slack_conn_disconnect(struct slack_conn *c, const char *reason);

#endif /* OPSBOT_SLACK_H */
