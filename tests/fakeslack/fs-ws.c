/*
 * fs-ws.c: Socket Mode connections at /link/: the ticket check at the
 * upgrade, hello, queued frames written one per WRITEABLE, acks matched to
 * the envelopes they answer, and the ways a connection can go wrong.
 */
#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fakeslack.h"

static void
fs_frame_free(struct fs_frame *f)
{
	if (f == NULL)
		return;
	free(f->data);
	free(f->envelope_id);
	free(f);
}

static void
fs_conn_free(struct fs_conn *c)
{
	struct fs_frame	*f;

	while ((f = TAILQ_FIRST(&c->frames)) != NULL) {
		TAILQ_REMOVE(&c->frames, f, entry);
		fs_frame_free(f);
	}
	fs_buf_reset(&c->rx);
	free(c);
}

int
fs_ws_count(struct fakeslack *fs)
{
	struct fs_conn	*c;
	int		 n = 0;

	TAILQ_FOREACH(c, &fs->conns, entry)
		n++;
	return (n);
}

struct fs_conn *
fs_ws_find(struct fakeslack *fs, int id)
{
	struct fs_conn	*c;

	TAILQ_FOREACH_REVERSE(c, &fs->conns, fs_conns, entry) {
		if (id >= 0) {
			if (c->id == id)
				return (c);
			continue;
		}
		if (c->hello_sent && !c->closing && !c->silent &&
		    !c->dropped && !c->rejected)
			return (c);
	}
	return (NULL);
}

void
fs_ws_queue(struct fs_conn *c, const char *data, size_t len, int binary,
    const char *envelope_id, int flood_idx)
{
	struct fs_frame	*f;

	f = fs_xcalloc(1, sizeof *f);
	f->data = fs_xmalloc(LWS_PRE + len + 1);
	memcpy(f->data + LWS_PRE, data, len);
	f->len = len;
	f->binary = binary;
	f->flood_idx = flood_idx;
	if (envelope_id != NULL)
		f->envelope_id = fs_xstrdup(envelope_id);
	TAILQ_INSERT_TAIL(&c->frames, f, entry);
	if (!c->silent && !c->dropped)
		lws_callback_on_writable(c->wsi);
}

static void
fs_ws_close_cb(lws_sorted_usec_list_t *sul)
{
	struct fs_conn	*c = lws_container_of(sul, struct fs_conn, close_sul);

	c->closing = 1;
	lws_callback_on_writable(c->wsi);
}

void
fs_ws_close_after(struct fs_conn *c, int ms)
{
	if (ms < 0)
		return;
	if (ms == 0) {
		c->closing = 1;
		lws_callback_on_writable(c->wsi);
		return;
	}
	lws_sul_schedule(c->fs->ctx, 0, &c->close_sul, fs_ws_close_cb,
	    (lws_usec_t)ms * 1000);
}

void
fs_ws_drop(struct fs_conn *c)
{
	/*
	 * shutdown() rather than close(): lws still owns the fd. The peer
	 * sees EOF with no close frame; lws sees it too and cleans up.
	 */
	c->dropped = 1;
	shutdown(lws_get_socket_fd(c->wsi), SHUT_RDWR);
	lws_callback_on_writable(c->wsi);
	fs_log_new(c->fs, "drop", json_pack("{s:i}", "conn", c->id));
}

void
fs_ws_reset(struct fs_conn *c)
{
	struct sockaddr	 sa;

	/*
	 * lws owns the fd, so it cannot be closed with SO_LINGER 0 here.
	 * connect() to AF_UNSPEC disconnects a TCP socket in place, and
	 * Linux sends an RST for an established one (tcp_disconnect); lws
	 * then finds the socket dead and cleans up.
	 */
	c->dropped = 1;
	memset(&sa, 0, sizeof sa);
	sa.sa_family = AF_UNSPEC;
	if (connect(lws_get_socket_fd(c->wsi), &sa, sizeof sa) == -1)
		shutdown(lws_get_socket_fd(c->wsi), SHUT_RDWR);
	lws_callback_on_writable(c->wsi);
	fs_log_new(c->fs, "rst", json_pack("{s:i}", "conn", c->id));
}

void
fs_ws_silence(struct fs_conn *c, int after_write)
{
	if (after_write) {
		c->silent_next = 1;
		return;
	}
	/* Not reading means PINGs are never seen, so never answered. */
	c->silent = 1;
	lws_rx_flow_control(c->wsi, 0);
	fs_log_new(c->fs, "silent", json_pack("{s:i}", "conn", c->id));
}

static void
fs_sent_add(struct fakeslack *fs, const char *envelope_id, int conn)
{
	struct fs_sent	*s;

	if (fs->nsent == fs->capsent) {
		fs->capsent = fs->capsent == 0 ? 64 : fs->capsent * 2;
		fs->sent = fs_xrealloc(fs->sent, fs->capsent,
		    sizeof *fs->sent);
	}
	s = &fs->sent[fs->nsent++];
	s->envelope_id = fs_xstrdup(envelope_id);
	s->conn = conn;
	s->sent_us = fs_now_us(fs);
	s->acked = 0;
}

void
fs_ws_sent_reset(struct fakeslack *fs)
{
	size_t	i;

	for (i = 0; i < fs->nsent; i++)
		free(fs->sent[i].envelope_id);
	free(fs->sent);
	fs->sent = NULL;
	fs->nsent = fs->capsent = 0;
}

static struct fs_sent *
fs_sent_find(struct fakeslack *fs, const char *envelope_id)
{
	size_t	i;

	/* newest first: a test reusing an envelope_id means the latest */
	for (i = fs->nsent; i > 0; i--)
		if (strcmp(fs->sent[i - 1].envelope_id, envelope_id) == 0)
			return (&fs->sent[i - 1]);
	return (NULL);
}

static int
fs_ws_writeable(struct fakeslack *fs, struct fs_conn *c)
{
	struct fs_frame	*f;
	int		 n;

	if (c->silent || c->dropped)
		return (0);
	f = TAILQ_FIRST(&c->frames);
	if (f == NULL) {
		if (c->closing) {
			lws_close_reason(c->wsi, LWS_CLOSE_STATUS_NORMAL,
			    (unsigned char *)"bye", 3);
			return (-1);
		}
		return (0);
	}
	TAILQ_REMOVE(&c->frames, f, entry);
	n = lws_write(c->wsi, f->data + LWS_PRE, f->len,
	    f->binary ? LWS_WRITE_BINARY : LWS_WRITE_TEXT);
	if (n < (int)f->len) {
		fs_frame_free(f);
		return (-1);
	}
	if (f->flood_idx >= 0)
		fs_flood_sent(fs, f->flood_idx);
	else if (f->envelope_id != NULL) {
		fs_sent_add(fs, f->envelope_id, c->id);
		fs_log_new(fs, "sent", json_pack("{s:i, s:s}", "conn", c->id,
		    "envelope_id", f->envelope_id));
	}
	fs_frame_free(f);
	if (c->silent_next) {
		c->silent_next = 0;
		fs_ws_silence(c, 0);
		return (0);
	}
	if (!TAILQ_EMPTY(&c->frames) || c->closing)
		lws_callback_on_writable(c->wsi);
	return (0);
}

static void
fs_ws_message(struct fakeslack *fs, struct fs_conn *c, const char *data,
    size_t len, int binary)
{
	struct fs_sent	*s;
	json_t		*root = NULL, *ev;
	const char	*eid;
	char		*end;
	long		 idx;

	if (!binary)
		root = json_loadb(data, len, 0, NULL);
	eid = json_string_value(json_object_get(root, "envelope_id"));
	if (eid == NULL) {
		ev = json_pack("{s:i, s:s%, s:b}", "conn", c->id,
		    "text", data, len, "binary", binary);
		if (ev == NULL)	/* not UTF-8 */
			ev = json_pack("{s:i, s:i, s:b}", "conn", c->id,
			    "length", (int)len, "binary", binary);
		fs_log_new(fs, "frame", ev);
		goto out;
	}
	if (strncmp(eid, "fl-", 3) == 0) {
		idx = strtol(eid + 3, &end, 10);
		if (*end == '-' && strtol(end + 1, NULL, 10) == fs->flood.run)
			fs_flood_acked(fs, (int)idx);
		goto out;
	}
	s = fs_sent_find(fs, eid);
	ev = json_pack("{s:i, s:s, s:O?, s:s%}", "conn", c->id,
	    "envelope_id", eid, "payload", json_object_get(root, "payload"),
	    "text", data, len);
	if (s == NULL) {
		json_object_set_new(ev, "latency_us", json_integer(-1));
		json_object_set_new(ev, "unknown", json_true());
	} else {
		json_object_set_new(ev, "latency_us",
		    json_integer(fs_now_us(fs) - s->sent_us));
		json_object_set_new(ev, "sent_conn", json_integer(s->conn));
		if (s->acked)
			json_object_set_new(ev, "duplicate", json_true());
		s->acked = 1;
	}
	fs_log_new(fs, "ack", ev);
out:
	json_decref(root);
}

static void
fs_ws_established(struct fakeslack *fs, struct fs_pss *pss, struct lws *wsi)
{
	struct fs_conn	*c;
	json_t		*frame;
	char		*s;

	c = fs_xcalloc(1, sizeof *c);
	c->fs = fs;
	c->wsi = wsi;
	c->id = fs->next_conn++;
	c->opened_us = fs_now_us(fs);
	TAILQ_INIT(&c->frames);
	TAILQ_INSERT_TAIL(&fs->conns, c, entry);
	pss->conn = c;

	if (fs->reject_count != 0) {
		if (fs->reject_count > 0)
			fs->reject_count--;
		c->rejected = 1;
		frame = json_pack("{s:s, s:s, s:{s:s}}", "type", "disconnect",
		    "reason", fs->reject_reason != NULL ? fs->reject_reason :
		    "too_many_websockets", "debug_info", "host", "applink-10");
	} else {
		c->hello_sent = 1;
		frame = json_pack("{s:s, s:i, s:{s:s, s:i, s:i}, s:{s:s}}",
		    "type", "hello", "num_connections", fs_ws_count(fs),
		    "debug_info", "host", "applink-fakeslack",
		    "build_number", 1, "approximate_connection_time", 18060,
		    "connection_info", "app_id", "A0001");
	}
	s = json_dumps(frame, JSON_COMPACT);
	fs_ws_queue(c, s, strlen(s), 0, NULL, -1);
	fs_log_new(fs, "ws_open", json_pack("{s:i, s:b, s:O, s:i, s:b}",
	    "conn", c->id, "hello", c->hello_sent, "frame", frame,
	    "live", fs_ws_count(fs), "tls",
	    lws_is_ssl(lws_get_network_wsi(wsi))));
	free(s);
	json_decref(frame);
	if (c->rejected)
		fs_ws_close_after(c, fs->reject_close_ms);
}

static int
fs_ws_filter(struct fakeslack *fs, struct lws *wsi)
{
	char		 uri[256], arg[256];
	const char	*ticket;

	if (lws_hdr_copy(wsi, uri, sizeof uri, WSI_TOKEN_GET_URI) < 0)
		uri[0] = '\0';
	ticket = lws_get_urlarg_by_name(wsi, "ticket=", arg, sizeof arg);
	if (strncmp(uri, "/link", 5) == 0 && ticket != NULL &&
	    fs_web_ticket_use(fs, ticket) == 0)
		return (0);
	fs_log_new(fs, "ws_reject", json_pack("{s:s, s:s?}", "uri", uri,
	    "ticket", ticket));
	lws_return_http_status(wsi, HTTP_STATUS_UNAUTHORIZED, "bad ticket");
	return (-1);
}

int
fs_ws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct fakeslack	*fs;
	struct fs_pss		*pss = user;
	struct fs_conn		*c;
	int			 code;

	fs = lws_context_user(lws_get_context(wsi));
	/* only the connection callbacks have our pss in user */
	c = NULL;
	if (reason == LWS_CALLBACK_SERVER_WRITEABLE ||
	    reason == LWS_CALLBACK_RECEIVE ||
	    reason == LWS_CALLBACK_WS_PEER_INITIATED_CLOSE ||
	    reason == LWS_CALLBACK_CLOSED)
		c = pss != NULL ? pss->conn : NULL;
	switch (reason) {
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		return (fs_ws_filter(fs, wsi));
	case LWS_CALLBACK_ESTABLISHED:
		fs_ws_established(fs, pss, wsi);
		break;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		if (c != NULL)
			return (fs_ws_writeable(fs, c));
		break;
	case LWS_CALLBACK_RECEIVE:
		if (c == NULL || c->silent)
			break;
		if (c->rx.len + len > FS_FRAME_MAX)
			return (-1);
		fs_buf_add(&c->rx, in, len);
		if (!lws_is_final_fragment(wsi))
			break;
		fs_ws_message(fs, c, c->rx.s, c->rx.len,
		    lws_frame_is_binary(wsi));
		c->rx.len = 0;
		break;
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		code = len >= 2 ? ((unsigned char *)in)[0] << 8 |
		    ((unsigned char *)in)[1] : 0;
		if (c != NULL)
			fs_log_new(fs, "ws_peer_close", json_pack("{s:i, s:i}",
			    "conn", c->id, "code", code));
		break;
	case LWS_CALLBACK_CLOSED:
		if (c == NULL)
			break;
		lws_sul_cancel(&c->close_sul);
		TAILQ_REMOVE(&fs->conns, c, entry);
		fs_log_new(fs, "ws_close", json_pack("{s:i, s:b, s:b, s:i, "
		    "s:I}", "conn", c->id, "hello", c->hello_sent,
		    "dropped", c->dropped, "live", fs_ws_count(fs),
		    "lived_us", (json_int_t)(fs_now_us(fs) - c->opened_us)));
		fs_conn_free(c);
		pss->conn = NULL;
		break;
	default:
		break;
	}
	return (0);
}
