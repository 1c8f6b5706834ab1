/*
 * slack-web.c: HTTP POSTs to the Web API (and GETs of plain files, such
 * as a rotation's iCalendar feed) with libcurl multi, without
 * ever blocking the lws loop: curl's sockets are dup()ed and adopted
 * into lws as raw file descriptors, and curl's timer is an lws_sul
 * (measured in ../shared/lws-notes.md: p99 1.25 ms with 10 wake-ups).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "adapters/adapter.h"
#include "adapters/slack.h"

#define WEB_RESP_MAX	(4 * 1024 * 1024)	/* larger answers are cut */

/* One socket curl told us about; the lws side polls a dup() of it. */
struct web_sock {
	struct slack_web	*w;
	curl_socket_t		 fd;	/* curl's, closed by curl via us */
	struct lws		*wsi;	/* adopted dup, NULL once lws closed it */
	int			 want;	/* CURL_POLL_* */
	struct web_sock		*next;
};

/* One request in flight. */
struct web_req {
	struct slack_web	*w;
	CURL			*easy;
	struct curl_slist	*hdrs;	/* owned; Authorization wiped on free */
	struct buf		 resp;
	int			 resp_cut;
	slack_web_cb		*cb;
	void			*arg;
	char			 errbuf[CURL_ERROR_SIZE];
	char			 errtext[CURL_ERROR_SIZE + 512 + 8];
	struct web_req		*next;
};

struct slack_web {
	struct lws_context	*ctx;	/* borrowed */
	struct lws_vhost	*vh;	/* borrowed */
	CURLM			*multi;
	lws_sorted_usec_list_t	 sul;	/* curl's timer */
	struct web_sock		*socks;
	struct web_req		*reqs;
	int			 nreqs;
	char			*ca_file;
};

static struct web_sock *
sock_find(struct slack_web *w, curl_socket_t fd)
{
	struct web_sock	*ws;

	for (ws = w->socks; ws != NULL; ws = ws->next) {
		if (ws->fd == fd)
			return (ws);
	}
	return (NULL);
}

/* Asks lws to poll for what curl wants on ws. */
static void
sock_apply(struct web_sock *ws)
{
	if (ws->wsi == NULL)
		return;
	/* An idle kept-alive socket that the peer closed stays readable:
	 * stop polling it or the loop spins. */
	lws_rx_flow_control(ws->wsi, (ws->want & CURL_POLL_IN) ? 1 : 0);
	if (ws->want & CURL_POLL_OUT)
		lws_callback_on_writable(ws->wsi);
}

static int
sock_adopt(struct web_sock *ws)
{
	lws_adopt_desc_t	 ad;
	int			 dfd;

	/* lws must own a descriptor curl will not close under it. */
	if ((dfd = fcntl(ws->fd, F_DUPFD_CLOEXEC, 0)) == -1) {
		log_warn("slack web: dup");
		return (-1);
	}
	memset(&ad, 0, sizeof ad);
	ad.vh = ws->w->vh;
	ad.type = LWS_ADOPT_RAW_FILE_DESC;
	ad.fd.filefd = dfd;
	ad.vh_prot_name = "slack-curl";
	ad.opaque = ws;
	if ((ws->wsi = lws_adopt_descriptor_vhost_via_info(&ad)) == NULL) {
		log_warnx("slack web: cannot adopt socket %d", (int)ws->fd);
		close(dfd);
		return (-1);
	}
	return (0);
}

static int
on_socket(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp)
{
	struct slack_web	*w = userp;
	struct web_sock		*ws;

	ws = sock_find(w, fd);
	if (what == CURL_POLL_REMOVE) {
		/* Kept alive for reuse, or about to be closed: stop polling. */
		if (ws != NULL) {
			ws->want = 0;
			sock_apply(ws);
		}
		return (0);
	}
	if (ws == NULL) {
		ws = xcalloc(1, sizeof *ws);
		ws->w = w;
		ws->fd = fd;
		ws->next = w->socks;
		w->socks = ws;
	}
	if (ws->wsi == NULL && sock_adopt(ws) == -1)
		return (-1);
	ws->want = what;
	sock_apply(ws);
	return (0);
}

static int
on_closesocket(void *clientp, curl_socket_t fd)
{
	struct slack_web	*w = clientp;
	struct web_sock		*ws, **pp;

	for (pp = &w->socks; (ws = *pp) != NULL; pp = &ws->next) {
		if (ws->fd == fd)
			break;
	}
	if (ws != NULL) {
		*pp = ws->next;
		if (ws->wsi != NULL) {
			lws_set_opaque_user_data(ws->wsi, NULL);
			/* Closing from inside curl: let lws drop it later. */
			lws_set_timeout(ws->wsi, PENDING_TIMEOUT_USER_OK,
			    LWS_TO_KILL_ASYNC);
		}
		free(ws);
	}
	return (close(fd));
}

static void	check_done(struct slack_web *);

static void
on_sul(lws_sorted_usec_list_t *sul)
{
	struct slack_web	*w = lws_container_of(sul, struct slack_web,
				    sul);
	int			 running;

	curl_multi_socket_action(w->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	check_done(w);
}

static int
on_timer(CURLM *multi, long timeout_ms, void *userp)
{
	struct slack_web	*w = userp;

	if (timeout_ms < 0) {
		lws_sul_cancel(&w->sul);
		return (0);
	}
	/* Never call curl from its own callback: go round the loop. */
	lws_sul_schedule(w->ctx, 0, &w->sul, on_sul,
	    timeout_ms == 0 ? 1 : (lws_usec_t)timeout_ms * LWS_US_PER_MS);
	return (0);
}

static size_t
on_write(char *data, size_t size, size_t n, void *userp)
{
	struct web_req	*r = userp;
	size_t		 len = size * n;

	if (r->resp.len + len > WEB_RESP_MAX) {
		r->resp_cut = 1;
		return (0);	/* aborts the transfer: CURLE_WRITE_ERROR */
	}
	buf_add(&r->resp, data, len);
	return (len);
}

static void
req_free(struct web_req *r)
{
	struct curl_slist	*h;

	if (r == NULL)
		return;
	if (r->easy != NULL)
		curl_easy_cleanup(r->easy);
	for (h = r->hdrs; h != NULL; h = h->next)
		explicit_bzero(h->data, strlen(h->data));
	curl_slist_free_all(r->hdrs);
	buf_reset(&r->resp);
	free(r);
}

static void
req_unlink(struct slack_web *w, struct web_req *r)
{
	struct web_req	**pp;

	for (pp = &w->reqs; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == r) {
			*pp = r->next;
			w->nreqs--;
			return;
		}
	}
}

static void
check_done(struct slack_web *w)
{
	struct slack_web_resp	 resp;
	struct web_req		*r;
	CURLMsg			*m;
	CURLcode		 res;
	CURL			*easy;
	curl_off_t		 ra = 0;
	long			 status = 0;
	int			 left;
	char			 hint[512];

	while ((m = curl_multi_info_read(w->multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE)
			continue;
		/* m dies with the handle (ASan, lws-notes): copy first. */
		res = m->data.result;
		easy = m->easy_handle;
		r = NULL;
		curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&r);
		curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
		if (curl_easy_getinfo(easy, CURLINFO_RETRY_AFTER, &ra) !=
		    CURLE_OK || ra < 0)
			ra = 0;
		curl_multi_remove_handle(w->multi, easy);
		if (r == NULL)
			continue;
		req_unlink(w, r);

		memset(&resp, 0, sizeof resp);
		resp.net_error = (int)res;
		if (res != CURLE_OK)
			resp.net_errstr = r->errbuf[0] != '\0' ? r->errbuf :
			    curl_easy_strerror(res);
		if (res == CURLE_PEER_FAILED_VERIFICATION) {
			/* the operator's next question: checked against what */
			slack_tls_hint(hint, sizeof hint, w->ca_file);
			snprintf(r->errtext, sizeof r->errtext, "%s (%s)",
			    resp.net_errstr, hint);
			resp.net_errstr = r->errtext;
		} else if (res == CURLE_OK)
			resp.net_errstr = "";
		if (r->resp_cut)
			resp.net_errstr = "response too large";
		resp.status = status;
		resp.retry_after = (long)(ra > 86400 ? 86400 : ra);
		resp.body = buf_str(&r->resp);
		resp.len = r->resp.len;
		r->cb(r->arg, &resp);
		req_free(r);
	}
}

int
slack_web_lws_cb(struct lws *wsi, enum lws_callback_reasons reason,
    void *user, void *in, size_t len)
{
	struct web_sock		*ws;
	struct slack_web	*w;
	curl_socket_t		 fd;
	int			 running, ev;

	switch (reason) {
	case LWS_CALLBACK_RAW_RX_FILE:
	case LWS_CALLBACK_RAW_WRITEABLE_FILE:
		if ((ws = lws_get_opaque_user_data(wsi)) == NULL)
			return (0);
		w = ws->w;
		fd = ws->fd;
		ev = reason == LWS_CALLBACK_RAW_RX_FILE ? CURL_CSELECT_IN :
		    CURL_CSELECT_OUT;
		/* ws may be freed inside: only fd is used afterwards. */
		curl_multi_socket_action(w->multi, fd, ev, &running);
		if ((ws = sock_find(w, fd)) != NULL &&
		    (ws->want & CURL_POLL_OUT) && ws->wsi != NULL)
			lws_callback_on_writable(ws->wsi);
		check_done(w);
		return (0);
	case LWS_CALLBACK_RAW_CLOSE_FILE:
		if ((ws = lws_get_opaque_user_data(wsi)) == NULL)
			return (0);
		/* lws gave up on it (hang-up): tell curl so the transfer
		 * fails now rather than at its 30 s timeout. */
		lws_set_opaque_user_data(wsi, NULL);
		ws->wsi = NULL;
		w = ws->w;
		curl_multi_socket_action(w->multi, ws->fd,
		    CURL_CSELECT_IN | CURL_CSELECT_ERR, &running);
		check_done(w);
		return (0);
	default:
		return (0);
	}
}

struct slack_web *
slack_web_new(struct lws_context *ctx, int max_host_conns, const char *ca_file)
{
	struct slack_web	*w;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return (NULL);
	w = xcalloc(1, sizeof *w);
	w->ctx = ctx;
	w->vh = lws_get_vhost_by_name(ctx, "default");
	if (w->vh == NULL) {
		log_warnx("slack web: no default vhost");
		goto fail;
	}
	if ((w->multi = curl_multi_init()) == NULL)
		goto fail;
	if (ca_file != NULL)
		w->ca_file = xstrdup(ca_file);
	curl_multi_setopt(w->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
	curl_multi_setopt(w->multi, CURLMOPT_SOCKETDATA, w);
	curl_multi_setopt(w->multi, CURLMOPT_TIMERFUNCTION, on_timer);
	curl_multi_setopt(w->multi, CURLMOPT_TIMERDATA, w);
	/* A burst opened ~287 connections without a cap (lws-notes). */
	curl_multi_setopt(w->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
	    (long)(max_host_conns > 0 ? max_host_conns : 4));
	curl_multi_setopt(w->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
	    (long)(max_host_conns > 0 ? max_host_conns : 4) * 2);
	/*
	 * Keep every connection the cap allows: curl's own cache limit is
	 * 4 x the transfers running now, so after a burst of parallel posts
	 * it closed the idle ones and the next burst opened them again.
	 */
	curl_multi_setopt(w->multi, CURLMOPT_MAXCONNECTS,
	    (long)(max_host_conns > 0 ? max_host_conns : 4) * 2);
	return (w);
fail:
	if (w->multi != NULL)
		curl_multi_cleanup(w->multi);
	free(w);
	curl_global_cleanup();
	return (NULL);
}

void
slack_web_free(struct slack_web *w)
{
	struct web_req	*r;
	struct web_sock	*ws;

	if (w == NULL)
		return;
	lws_sul_cancel(&w->sul);
	while ((r = w->reqs) != NULL) {
		w->reqs = r->next;
		curl_multi_remove_handle(w->multi, r->easy);
		req_free(r);
	}
	w->nreqs = 0;
	/* Closes the cached connections through on_closesocket. */
	curl_multi_cleanup(w->multi);
	while ((ws = w->socks) != NULL) {
		w->socks = ws->next;
		if (ws->wsi != NULL) {
			lws_set_opaque_user_data(ws->wsi, NULL);
			lws_set_timeout(ws->wsi, PENDING_TIMEOUT_USER_OK,
			    LWS_TO_KILL_ASYNC);
		}
		free(ws);
	}
	free(w->ca_file);
	free(w);
	curl_global_cleanup();
}

/*
 * A new request with what every transfer shares set on its handle:
 * callback, http/https only, no redirect, TLS checked as the Socket
 * Mode side is, the response into r->resp. NULL if curl cannot.
 */
static struct web_req *
req_new(struct slack_web *w, const char *url, slack_web_cb *cb, void *arg)
{
	struct web_req	*r;

	r = xcalloc(1, sizeof *r);
	r->w = w;
	r->cb = cb;
	r->arg = arg;
	if ((r->easy = curl_easy_init()) == NULL) {
		free(r);
		return (NULL);
	}
	curl_easy_setopt(r->easy, CURLOPT_URL, url);
	curl_easy_setopt(r->easy, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(r->easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(r->easy, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(r->easy, CURLOPT_USERAGENT, "opsbot/" OPSBOT_VERSION);
	curl_easy_setopt(r->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(r->easy, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(r->easy, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(r->easy, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(r->easy, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(r->easy, CURLOPT_SSL_VERIFYHOST, 2L);
	/*
	 * The same trust as the Socket Mode side (slack-tls.c): the hashed
	 * directory, read lazily, and slack.ca_file. CAINFO NULL drops
	 * the built-in bundle, which curl would parse whole.
	 */
	curl_easy_setopt(r->easy, CURLOPT_CAPATH, slack_tls_ca_dir());
	curl_easy_setopt(r->easy, CURLOPT_CAINFO, w->ca_file);
	curl_easy_setopt(r->easy, CURLOPT_WRITEFUNCTION, on_write);
	curl_easy_setopt(r->easy, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(r->easy, CURLOPT_ERRORBUFFER, r->errbuf);
	curl_easy_setopt(r->easy, CURLOPT_PRIVATE, r);
	curl_easy_setopt(r->easy, CURLOPT_CLOSESOCKETFUNCTION, on_closesocket);
	curl_easy_setopt(r->easy, CURLOPT_CLOSESOCKETDATA, w);
	return (r);
}

/* Hands r to the multi handle; frees it and returns -1 if it refuses. */
static int
req_start(struct slack_web *w, struct web_req *r)
{
	CURLMcode	 mc;

	if ((mc = curl_multi_add_handle(w->multi, r->easy)) != CURLM_OK) {
		log_warnx("slack web: %s", curl_multi_strerror(mc));
		req_free(r);
		return (-1);
	}
	r->next = w->reqs;
	w->reqs = r;
	w->nreqs++;
	return (0);
}

int
slack_web_post(struct slack_web *w, const char *url, const char *token,
    const char *ctype, const char *body, slack_web_cb *cb, void *arg)
{
	struct web_req		*r;
	struct curl_slist	*h;
	char			*line = NULL;

	if ((r = req_new(w, url, cb, arg)) == NULL)
		return (-1);
	xasprintf(&line, "Content-Type: %s", ctype);
	r->hdrs = curl_slist_append(r->hdrs, line);
	free(line);
	line = NULL;
	if (token != NULL) {
		xasprintf(&line, "Authorization: Bearer %s", token);
		h = curl_slist_append(r->hdrs, line);
		explicit_bzero(line, strlen(line));
		free(line);
		line = NULL;
		if (h == NULL)
			goto fail;
		r->hdrs = h;
	}
	/* No "Expect: 100-continue" round trip on larger bodies. */
	if ((h = curl_slist_append(r->hdrs, "Expect:")) == NULL)
		goto fail;
	r->hdrs = h;
	curl_easy_setopt(r->easy, CURLOPT_POST, 1L);
	curl_easy_setopt(r->easy, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	curl_easy_setopt(r->easy, CURLOPT_COPYPOSTFIELDS, body);
	curl_easy_setopt(r->easy, CURLOPT_HTTPHEADER, r->hdrs);
	return (req_start(w, r));
fail:
	req_free(r);
	return (-1);
}

int
slack_web_get(struct slack_web *w, const char *url, slack_web_cb *cb,
    void *arg)
{
	struct web_req	*r;

	if ((r = req_new(w, url, cb, arg)) == NULL)
		return (-1);
	/* A scheduler's export may move: a few hops, never another scheme
	   (CURLOPT_REDIR_PROTOCOLS_STR above). */
	curl_easy_setopt(r->easy, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(r->easy, CURLOPT_MAXREDIRS, (long)SLACK_WEB_GET_REDIRS);
	curl_easy_setopt(r->easy, CURLOPT_TIMEOUT, (long)SLACK_WEB_GET_SECS);
	curl_easy_setopt(r->easy, CURLOPT_HTTPGET, 1L);
	return (req_start(w, r));
}

/* slack_web_get's answer, handed on as adapter_fetch.done wants it. */
static void
fetch_done(void *arg, const struct slack_web_resp *resp)
{
	struct adapter_fetch	*f = arg;

	f->done(f, resp->status, resp->net_error != 0 ||
	    *resp->net_errstr != '\0' ? resp->net_errstr : NULL, resp->body,
	    resp->len);
}

int
slack_web_fetch(struct slack_web *w, struct adapter_fetch *f)
{
	if (w == NULL)
		return (-1);
	return (slack_web_get(w, f->url, fetch_done, f));
}

int
slack_web_inflight(const struct slack_web *w)
{
	return (w->nreqs);
}
