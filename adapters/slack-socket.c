/*
 * slack-socket.c: Socket Mode connections over libwebsockets. Each slot
 * runs one state machine (slack.h: enum slack_conn_state) with one retry
 * timer, so a slot never has two sockets or two timers (node-slack-sdk
 * #2094). A disconnect warning opens a replacement in another slot and
 * the old socket is closed once the new one says hello [SM §2.2, §2.8].
 */
#include <sys/ioctl.h>

#include <stdlib.h>
#include <string.h>

#include "adapters/slack.h"
#include "bot/clock.h"

#define LONG_BACKOFF_MS		30000	/* after too_many_websockets */
#define BACKOFF_CAP_MS		300000	/* 5 min, as slack-go [SM §2.8] */
#define CLOSE_GRACE_SECS	2	/* Slack may not answer a close [SM §8.9] */

static void	conn_open_url(struct slack_conn *);
static void	conn_kill(struct slack_conn *, const char *);

static void
ackq_clear(struct slack_conn *c)
{
	size_t	 i;

	for (i = c->ackq_head; i < c->ackq_n; i++)
		free(c->ackq[i]);
	c->ackq_head = c->ackq_n = 0;
}

/* The socket is gone (or never came): forget it, then decide. */
static void
conn_reset(struct slack_conn *c)
{
	c->wsi = NULL;
	c->closing = 0;
	lws_sul_cancel(&c->sul_watch);
	buf_reset(&c->rx);
	c->rx_drop = 0;
	ackq_clear(c);
}

static void
on_retry(lws_sorted_usec_list_t *sul)
{
	struct slack_conn	*c = lws_container_of(sul, struct slack_conn,
				    sul_retry);

	if (c->sl->stopping || c->state != CONN_BACKOFF)
		return;
	conn_open_url(c);
}

static void
conn_schedule(struct slack_conn *c, int64_t ms)
{
	c->state = CONN_BACKOFF;
	lws_sul_schedule(c->sl->bot->lws, 0, &c->sul_retry, on_retry,
	    (lws_usec_t)(ms > 0 ? ms : 1) * LWS_US_PER_MS);
}

/* Another failure: wait, growing, then open a fresh URL. */
static void
conn_retry(struct slack_conn *c)
{
	struct slack	*sl = c->sl;
	int64_t		 ms;

	if (sl->stopping) {
		c->state = CONN_IDLE;
		return;
	}
	ms = backoff_ms(c->failures, BACKOFF_CAP_MS, slack_rnd32(sl));
	if (c->long_backoff && ms < LONG_BACKOFF_MS)
		ms = LONG_BACKOFF_MS + (int64_t)(slack_rnd32(sl) % 5000);
	c->failures++;
	log_info("slack: socket %d: reconnecting in %lld ms", c->idx,
	    (long long)ms);
	conn_schedule(c, ms);
}

/* CONNECTION_ERROR or CLIENT_CLOSED for the slot's socket. */
static void
conn_lost(struct slack_conn *c, const char *why)
{
	struct slack	*sl = c->sl;
	int		 was_ready = c->state == CONN_READY;
	int64_t		 hello_ms = c->hello_ms;

	conn_reset(c);
	if (sl->stopping) {
		c->state = CONN_IDLE;
		return;
	}
	if (c->retiring) {
		/* Its replacement carries on: this slot is free again. */
		log_debug("%s: socket %d retired (%s)", __func__, c->idx, why);
		c->retiring = 0;
		c->state = CONN_IDLE;
		return;
	}
	/*
	 * The loss of a socket that had proved itself is no failure:
	 * reconnect at once, without jitter (one socket per slot, no herd
	 * to spread). One lost soon after its hello counts as a failure,
	 * so a link that flaps still backs off.
	 */
	if (was_ready && !c->long_backoff &&
	    slack_conn_healthy(hello_ms, clock_mono_ms())) {
		log_info("slack: socket %d: %s, reconnecting at once", c->idx,
		    why);
		c->failures = 0;
		conn_schedule(c, 0);
		return;
	}
	log_info("slack: socket %d: %s", c->idx, why);
	conn_retry(c);
}

/* 1 if bytes wait unread on the socket's file descriptor. */
static int
conn_rx_pending(struct slack_conn *c)
{
	int	 n = 0;

	if (ioctl(lws_get_socket_fd(c->wsi), FIONREAD, &n) == -1)
		return (0);
	return (n > 0);
}

/*
 * The silence watchdog. lws pings ping_interval s after each pong
 * (lws-notes) and Slack answers pings [SM §2.7], so a live socket
 * brings a pong at least every ping_interval s plus the round trip; a
 * socket with no frame and no pong for pong_timeout s is dead. So is
 * one that has not said hello within pong_timeout s of its connect.
 */
static void
on_watch(lws_sorted_usec_list_t *sul)
{
	struct slack_conn	*c = lws_container_of(sul, struct slack_conn,
				    sul_watch);
	int64_t			 idle_ms, now, next;

	if (c->wsi == NULL)
		return;
	idle_ms = (int64_t)c->sl->bot->cfg->idle_secs * 1000;
	now = clock_mono_ms();
	if (c->state != CONN_READY && now - c->connect_ms >= idle_ms) {
		log_warnx("slack: socket %d: no hello %lld ms after "
		    "connecting, reconnecting", c->idx,
		    (long long)(now - c->connect_ms));
		conn_kill(c, "no hello");
		return;
	}
	next = slack_silence_check(now, c->last_rx_ms, idle_ms,
	    conn_rx_pending(c));
	if (next == 0) {
		/* Half-open sockets look connected (slack-go #1566). */
		log_warnx("slack: socket %d: nothing received for %lld ms, "
		    "reconnecting", c->idx, (long long)(now - c->last_rx_ms));
		conn_kill(c, "silent");
		return;
	}
	if (c->state != CONN_READY && c->connect_ms + idle_ms - now < next)
		next = c->connect_ms + idle_ms - now;
	lws_sul_schedule(c->sl->bot->lws, 0, &c->sul_watch, on_watch,
	    (lws_usec_t)next * LWS_US_PER_MS);
}

static void
watch_arm(struct slack_conn *c)
{
	int64_t	 idle_ms = (int64_t)c->sl->bot->cfg->idle_secs * 1000;

	c->last_rx_ms = c->connect_ms = clock_mono_ms();
	c->hello_ms = 0;
	if (idle_ms <= 0)
		return;
	lws_sul_schedule(c->sl->bot->lws, 0, &c->sul_watch, on_watch,
	    (lws_usec_t)idle_ms * LWS_US_PER_MS);
}

/* Drops the socket now; CLIENT_CLOSED (or CONNECTION_ERROR) follows. */
static void
conn_kill(struct slack_conn *c, const char *why)
{
	if (c->wsi == NULL)
		return;
	log_debug("%s: socket %d: %s", __func__, c->idx, why);
	c->closing = 1;
	lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
}

/* Flushes queued acks, sends a close frame, and drops it if unanswered. */
static void
conn_close_graceful(struct slack_conn *c)
{
	if (c->wsi == NULL)
		return;
	c->closing = 1;
	lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, CLOSE_GRACE_SECS);
	lws_callback_on_writable(c->wsi);
}

static void
conn_connect(struct slack_conn *c, const char *url)
{
	struct slack			*sl = c->sl;
	struct lws_client_connect_info	 ci;
	char				*host = NULL, *path = NULL, *p;
	int				 port, tls;

	if (slack_url_split(url, &host, &port, &path, &tls) == -1) {
		log_warnx("slack: apps.connections.open gave a bad URL");
		conn_retry(c);
		goto out;
	}
	if (!tls && !(sl->ws_plain_ok && slack_host_is_loopback(host))) {
		/* Plain ws:// only for a fake Slack on loopback. */
		log_warnx("slack: refusing unencrypted ws:// to '%s'", host);
		conn_retry(c);
		goto out;
	}
	if (sl->bot->cfg->debug_reconnects) {
		xasprintf(&p, "%s%sdebug_reconnects=true", path,
		    strchr(path, '?') != NULL ? "&" : "?");
		free(path);
		path = p;
	}

	memset(&ci, 0, sizeof ci);
	ci.context = sl->bot->lws;
	ci.address = host;
	ci.port = port;
	ci.ssl_connection = tls ? LCCSCF_USE_SSL : 0;
	ci.path = path;		/* with its '/' (lws-notes) */
	ci.host = host;		/* Host header, SNI, certificate name */
	ci.origin = host;
	ci.protocol = NULL;
	ci.local_protocol_name = "slack-ws";
	ci.ietf_version_or_minus_one = -1;
	ci.retry_and_idle_policy = &sl->retry;
	ci.opaque_user_data = c;
	ci.pwsi = &c->wsi;

	c->state = CONN_CONNECTING;
	c->closing = 0;
	c->generation++;
	watch_arm(c);
	log_debug("%s: socket %d: connecting to %s:%d", __func__, c->idx,
	    host, port);
	if (lws_client_connect_via_info(&ci) == NULL &&
	    c->state == CONN_CONNECTING)
		conn_lost(c, "cannot connect");
out:
	free(host);
	free(path);
}

/* Acts on apps.connections.open's verdict [ACO]: the one place. */
static void
on_url(void *arg, const struct slack_api_answer *a,
    const struct slack_web_resp *r)
{
	struct slack_conn	*c = arg;
	struct slack		*sl = c->sl;
	const char		*url;
	int64_t			 ms;

	if (sl->stopping || c->state != CONN_OPENING)
		return;
	switch (a->verdict) {
	case SLACK_API_OK:
		url = json_string_value(json_object_get(a->root, "url"));
		if (url != NULL) {
			conn_connect(c, url);
			return;
		}
		log_warnx("slack: apps.connections.open: ok, but no url");
		conn_retry(c);
		return;
	case SLACK_API_RATE_LIMITED:
		/* PY sleeps Retry-After, 30 s by default [ACO]. */
		ms = (a->retry_after > 0 ? a->retry_after : 30) * 1000;
		ms += slack_rnd32(sl) % 1000;
		log_warnx("slack: apps.connections.open: rate limited, "
		    "waiting %lld ms", (long long)ms);
		c->failures++;
		conn_schedule(c, ms);
		return;
	case SLACK_API_RETRYABLE:
		log_warnx("slack: apps.connections.open: %s", a->status == 0 ?
		    r->net_errstr : a->why);
		conn_retry(c);
		return;
	case SLACK_API_PERMANENT:
		if (slack_error_is_fatal_auth(a->error)) {
			log_warnx("slack: apps.connections.open: %s: the "
			    "app-level token (SLACK_APP_TOKEN, xapp-, scope "
			    "connections:write) was refused; stopping",
			    a->error);
			sl->stopping = 1;
			c->state = CONN_IDLE;
			bot_stop(sl->bot, 1);
			return;
		}
		/* Other codes: back off and ask again, as NODE does [ACO]. */
		log_warnx("slack: apps.connections.open: %s", a->why);
		conn_retry(c);
		return;
	}
}

static void
conn_open_url(struct slack_conn *c)
{
	struct slack	*sl = c->sl;

	/* A ticket is single-use: a fresh URL for every connect [ACO]. */
	c->state = CONN_OPENING;
	if (slack_api_call(sl, "apps.connections.open", NULL, NULL, on_url,
	    c, NULL) == -1) {
		log_warnx("slack: cannot start apps.connections.open");
		conn_retry(c);
	}
}

void
slack_socket_start(struct slack *sl)
{
	int	 i;

	for (i = 0; i < SLACK_MAX_CONNS; i++) {
		sl->conns[i].sl = sl;
		sl->conns[i].idx = i;
	}
	if (sl->conns[0].state == CONN_IDLE)
		conn_schedule(&sl->conns[0], 0);
}

void
slack_socket_stop(struct slack *sl)
{
	struct slack_conn	*c;
	int			 i;

	sl->stopping = 1;
	for (i = 0; i < SLACK_MAX_CONNS; i++) {
		c = &sl->conns[i];
		lws_sul_cancel(&c->sul_retry);
		lws_sul_cancel(&c->sul_watch);
		if (c->wsi != NULL)
			conn_close_graceful(c);
		ackq_clear(c);
		free(c->ackq);
		free(c->ackq_len);
		c->ackq = NULL;
		c->ackq_len = NULL;
		c->ackq_cap = 0;
		buf_reset(&c->rx);
	}
}

/*
 * Writes a small ack now, from whatever callback we are in, instead of
 * asking for CLIENT_WRITEABLE: that saves a poll() round trip and a
 * wake-up per envelope. lws_write never loses data here: what the
 * socket does not take is kept on the wsi's own buffer list and sent
 * first on the next POLLOUT (lws_issue_raw), and later writes queue
 * behind it. Returns 0, or -1 if the socket failed (it is being
 * killed; Slack redelivers what was not acked).
 */
static int
conn_write_now(struct slack_conn *c, const char *text, size_t len)
{
	unsigned char	 b[LWS_PRE + 256];

	memcpy(b + LWS_PRE, text, len);
	if (lws_write(c->wsi, b + LWS_PRE, len, LWS_WRITE_TEXT) < (int)len) {
		log_warnx("slack: socket %d: write failed", c->idx);
		conn_kill(c, "write failed");
		return (-1);
	}
	return (0);
}

int
slack_conn_ack(struct slack_conn *c, const char *text)
{
	size_t	 len = strlen(text);
	char	*b;

	if (c->wsi == NULL || (c->state != CONN_READY &&
	    c->state != CONN_AWAIT_HELLO))
		return (-1);
	if (c->ackq_head == c->ackq_n)
		c->ackq_head = c->ackq_n = 0;
	/* Nothing queued ahead of it (order matters): send it now. */
	if (c->ackq_n == c->ackq_head && len <= 256 && !c->closing)
		return (conn_write_now(c, text, len));
	if (c->ackq_n - c->ackq_head >= SLACK_ACKQ_MAX)
		return (-1);
	if (c->ackq_n == c->ackq_cap) {
		if (c->ackq_head > 0) {
			memmove(c->ackq, c->ackq + c->ackq_head,
			    (c->ackq_n - c->ackq_head) * sizeof *c->ackq);
			memmove(c->ackq_len, c->ackq_len + c->ackq_head,
			    (c->ackq_n - c->ackq_head) * sizeof *c->ackq_len);
			c->ackq_n -= c->ackq_head;
			c->ackq_head = 0;
		} else {
			c->ackq_cap = c->ackq_cap == 0 ? 16 : c->ackq_cap * 2;
			c->ackq = xreallocarray(c->ackq, c->ackq_cap,
			    sizeof *c->ackq);
			c->ackq_len = xreallocarray(c->ackq_len, c->ackq_cap,
			    sizeof *c->ackq_len);
		}
	}
	b = xmalloc(LWS_PRE + len + 1);
	memcpy(b + LWS_PRE, text, len + 1);
	c->ackq[c->ackq_n] = b;
	c->ackq_len[c->ackq_n] = len;
	c->ackq_n++;
	lws_callback_on_writable(c->wsi);
	return (0);
}

void
slack_conn_hello(struct slack_conn *c)
{
	struct slack	*sl = c->sl;
	int		 i;

	/*
	 * failures is not reset here but when the socket is lost, if it
	 * lived SLACK_HEALTHY_MS: a hello followed by a quick drop must
	 * still count as a failure.
	 */
	c->state = CONN_READY;
	c->hello_ms = clock_mono_ms();
	c->long_backoff = 0;
	log_info("slack: socket %d: connected", c->idx);
	/* Make-before-break: only now may the old sockets go. */
	for (i = 0; i < SLACK_MAX_CONNS; i++) {
		if (&sl->conns[i] != c && sl->conns[i].retiring &&
		    sl->conns[i].wsi != NULL)
			conn_close_graceful(&sl->conns[i]);
	}
}

void
slack_conn_disconnect(struct slack_conn *c, const char *reason)
{
	struct slack	*sl = c->sl;
	int		 i, spare = -1;

	switch (slack_disconnect_kind(reason)) {
	case SLACK_DISC_LINK_DISABLED:
		log_warnx("slack: Socket Mode was turned off for this app "
		    "(disconnect: link_disabled); enable it in the app "
		    "settings; stopping");
		for (i = 0; i < SLACK_MAX_CONNS; i++)
			conn_kill(&sl->conns[i], "link_disabled");
		sl->stopping = 1;
		bot_stop(sl->bot, 1);
		return;
	case SLACK_DISC_TOO_MANY:
		/* Reconnecting at once only feeds the loop (bolt-js #2225). */
		log_warnx("slack: socket %d: too_many_websockets: more than 10 "
		    "sockets use this app token (another opsbot running?); "
		    "backing off", c->idx);
		c->long_backoff = 1;
		conn_kill(c, "too_many_websockets");
		return;
	case SLACK_DISC_REFRESH:
		break;
	}
	if (c->retiring)
		return;
	if (c->state != CONN_READY) {
		conn_kill(c, reason != NULL ? reason : "disconnect");
		return;
	}
	for (i = 0; i < SLACK_MAX_CONNS; i++) {
		if (sl->conns[i].state == CONN_IDLE && !sl->conns[i].retiring) {
			spare = i;
			break;
		}
	}
	if (spare == -1) {
		log_info("slack: socket %d: disconnect (%s), reconnecting",
		    c->idx, reason != NULL ? reason : "?");
		conn_kill(c, "disconnect");
		return;
	}
	log_info("slack: socket %d: disconnect (%s), opening socket %d first",
	    c->idx, reason != NULL ? reason : "?", spare);
	c->retiring = 1;
	sl->conns[spare].failures = 0;
	sl->conns[spare].long_backoff = 0;
	conn_schedule(&sl->conns[spare], 0);
}

/* Larger reassembly buffers are freed after their frame, not kept. */
#define RX_KEEP_MAX	(64 * 1024)

static void
conn_rx(struct slack_conn *c, struct lws *wsi, const char *in, size_t len)
{
	struct buf	 frame;

	if (lws_is_first_fragment(wsi)) {
		buf_truncate(&c->rx, 0);
		c->rx_drop = lws_frame_is_binary(wsi) ? 2 : 0;
	}
	if (!c->rx_drop) {
		if (c->rx.len + len > SLACK_RX_MAX)
			c->rx_drop = 1;
		else
			buf_add(&c->rx, in, len);
	}
	if (!lws_is_final_fragment(wsi))
		return;
	if (c->rx_drop == 1)
		log_warnx("slack: socket %d: dropped a frame over %d bytes",
		    c->idx, SLACK_RX_MAX);
	else if (c->rx_drop == 2)
		log_debug("%s: socket %d: ignored a binary frame", __func__,
		    c->idx);
	if (c->rx_drop) {
		buf_reset(&c->rx);
		c->rx_drop = 0;
		return;
	}
	/*
	 * The handler may reset this slot, so it reads the buffer taken
	 * out of it. The buffer then goes back, emptied, for the next
	 * frame: no allocation per frame once it has grown.
	 */
	frame = c->rx;
	memset(&c->rx, 0, sizeof c->rx);
	slack_handle_frame(c->sl, c, buf_str(&frame), frame.len);
	if (c->rx.s == NULL && frame.cap <= RX_KEEP_MAX) {
		buf_truncate(&frame, 0);
		c->rx = frame;
	} else
		buf_reset(&frame);
}

int
slack_ws_lws_cb(struct lws *wsi, enum lws_callback_reasons reason,
    void *user, void *in, size_t len)
{
	struct slack_conn	*c = lws_get_opaque_user_data(wsi);
	struct bot		*bot;
	const char		*why;
	char			*b, *cause, hint[512];
	size_t			 n;

	/*
	 * Called once, while the context is made, on a stand-in wsi with
	 * only the context set; user is the client SSL_CTX. The loop turns
	 * off lws' own eager load of the system bundle (bot/loop.c).
	 */
	if (reason == LWS_CALLBACK_OPENSSL_LOAD_EXTRA_CLIENT_VERIFY_CERTS) {
		bot = lws_context_user(lws_get_context(wsi));
		if (slack_tls_load(user, bot->cfg->ca_file, &cause) != 0) {
			log_warnx("slack: %s", cause);
			free(cause);
			return (1);
		}
		return (0);
	}
	if (c == NULL || (c->wsi != NULL && c->wsi != wsi))
		return (0);	/* a stale socket of a recycled slot */

	switch (reason) {
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		if (c->state < CONN_CONNECTING)
			return (0);
		why = in != NULL && len > 0 ? (const char *)in : "?";
		if (strstr(why, "SSL") != NULL) {
			/*
			 * lws says only "connect SSL err 1"; its own warning
			 * line before this one has OpenSSL's reason.
			 */
			slack_tls_hint(hint, sizeof hint,
			    c->sl->bot->cfg->ca_file);
			log_warnx("slack: socket %d: TLS handshake failed: %s "
			    "(the certificate is not trusted or does not name "
			    "the host; %s)", c->idx, why, hint);
		} else
			log_warnx("slack: socket %d: connection failed: %s",
			    c->idx, why);
		conn_lost(c, "connection failed");
		return (0);
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		c->wsi = wsi;
		c->state = CONN_AWAIT_HELLO;
		c->last_rx_ms = clock_mono_ms();
		log_debug("%s: socket %d: upgraded, waiting for hello",
		    __func__, c->idx);
		if (c->ackq_n > c->ackq_head)
			lws_callback_on_writable(wsi);
		return (0);
	case LWS_CALLBACK_CLIENT_RECEIVE:
		c->last_rx_ms = clock_mono_ms();
		conn_rx(c, wsi, in, len);
		return (0);
	case LWS_CALLBACK_CLIENT_RECEIVE_PONG:
		c->last_rx_ms = clock_mono_ms();
		return (0);
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		if (c->ackq_n > c->ackq_head) {
			b = c->ackq[c->ackq_head];
			n = c->ackq_len[c->ackq_head];
			c->ackq_head++;
			if (lws_write(wsi, (unsigned char *)b + LWS_PRE, n,
			    LWS_WRITE_TEXT) < (int)n) {
				free(b);
				log_warnx("slack: socket %d: write failed",
				    c->idx);
				return (-1);
			}
			free(b);
			if (c->ackq_n > c->ackq_head || c->closing)
				lws_callback_on_writable(wsi);
			return (0);
		}
		if (c->closing) {
			lws_close_reason(wsi, LWS_CLOSE_STATUS_NORMAL, NULL, 0);
			return (-1);
		}
		return (0);
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		log_debug("%s: socket %d: peer closed", __func__, c->idx);
		return (0);
	case LWS_CALLBACK_CLIENT_CLOSED:
		if (c->state < CONN_CONNECTING)
			return (0);
		conn_lost(c, c->closing ? "closed" : "connection lost");
		return (0);
	default:
		return (0);
	}
}
