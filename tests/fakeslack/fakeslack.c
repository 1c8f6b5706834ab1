/*
 * fakeslack.c: main(), the lws context, the HTTP side of the one lws
 * protocol, the event log and small helpers.
 *
 * usage: fakeslack [-v] [-p port] [-a app-token] [-b bot-token]
 *	      [-C cert.pem -K key.pem] [-H host] [-d web-delay-ms]
 *
 * It listens on 127.0.0.1 only and prints "port N" once it does. -C and
 * -K (PEM server certificate chain and its key) make every request TLS:
 * the Web API, the Socket Mode upgrade and /_ctl/; plain connections to
 * that port then fail the handshake, so nothing quietly falls back to
 * http:// or ws://. -H sets the host name in the URLs handed out
 * (apps.connections.open, response_url), 127.0.0.1 by default; a TLS
 * client checks the certificate against that name, so it has to be one
 * the certificate carries and one that resolves to 127.0.0.1.
 *
 * The event log says what each connection really was: "tls" (and
 * "http2") on every "api" event, "tls" on "ws_open", and a "tls_alert"
 * event when a client aborts the handshake, which is how a client that
 * rejects our certificate shows up here.
 *
 * Any other path that /_ctl/config "files" names is served as that file
 * (a rotation's iCalendar feed, with the status given), with a "file"
 * event in the log; other paths are 404.
 *
 * -d ms answers every Web API call ms after it arrived (fs-delay.c), as a
 * slow Slack would; /_ctl/config changes it while running.
 */
#include <sys/types.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fakeslack.h"

/* The only globals: what a signal handler may touch (set once). */
static volatile sig_atomic_t fs_stop;
static struct lws_context *fs_sig_ctx;

static const char *fs_default_app_token = "xapp-1-A0001-test-secret";
static const char *fs_default_bot_token = "xoxb-0001-test-secret";

/* ---- allocation and strings ---------------------------------------- */

void *
fs_xmalloc(size_t n)
{
	void	*p;

	p = malloc(n == 0 ? 1 : n);
	if (p == NULL)
		errx(1, "out of memory");
	return (p);
}

void *
fs_xcalloc(size_t n, size_t size)
{
	void	*p;

	p = calloc(n == 0 ? 1 : n, size == 0 ? 1 : size);
	if (p == NULL)
		errx(1, "out of memory");
	return (p);
}

void *
fs_xrealloc(void *old, size_t n, size_t size)
{
	void	*p;

	p = reallocarray(old, n == 0 ? 1 : n, size == 0 ? 1 : size);
	if (p == NULL)
		errx(1, "out of memory");
	return (p);
}

char *
fs_xstrdup(const char *s)
{
	char	*p;

	p = strdup(s);
	if (p == NULL)
		errx(1, "out of memory");
	return (p);
}

void
fs_buf_add(struct fs_buf *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = fs_xrealloc(b->s, b->cap, 1);
	}
	if (n > 0)
		memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
fs_buf_adds(struct fs_buf *b, const char *s)
{
	fs_buf_add(b, s, strlen(s));
}

void
fs_buf_printf(struct fs_buf *b, const char *fmt, ...)
{
	va_list	 ap;
	char	*s = NULL;
	int	 n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		errx(1, "out of memory");
	fs_buf_add(b, s, (size_t)n);
	free(s);
}

void
fs_buf_reset(struct fs_buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

char *
fs_url_new(struct fakeslack *fs, int ws, const char *path)
{
	const char	*scheme;
	char		*url = NULL;
	int		 v6;

	if (ws)
		scheme = fs->tls ? "wss" : "ws";
	else
		scheme = fs->tls ? "https" : "http";
	/* an IPv6 literal needs its brackets in a URL */
	v6 = strchr(fs->host, ':') != NULL && fs->host[0] != '[';
	if (asprintf(&url, "%s://%s%s%s:%d%s", scheme, v6 ? "[" : "",
	    fs->host, v6 ? "]" : "", fs->port, path) < 0)
		errx(1, "out of memory");
	return (url);
}

/* ---- time and ids -------------------------------------------------- */

static int64_t
fs_mono_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
}

int64_t
fs_now_us(struct fakeslack *fs)
{
	return (fs_mono_us() - fs->start_us);
}

uint64_t
fs_rand(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return (x);
}

char *
fs_uuid_new(struct fakeslack *fs)
{
	uint64_t	 a, b;
	char		*s = NULL;

	a = fs_rand(&fs->rng);
	b = fs_rand(&fs->rng);
	if (asprintf(&s, "%08x-%04x-4%03x-%04x-%012llx",
	    (unsigned)(a >> 32), (unsigned)(a >> 16) & 0xffff,
	    (unsigned)a & 0xfff, (unsigned)(b >> 48) & 0xffff,
	    (unsigned long long)(b & 0xffffffffffffULL)) < 0)
		errx(1, "out of memory");
	return (s);
}

char *
fs_event_id_new(struct fakeslack *fs)
{
	char	*s = NULL;

	if (asprintf(&s, "EvFS%06u%04X", ++fs->counter,
	    (unsigned)(fs_rand(&fs->rng) & 0xffff)) < 0)
		errx(1, "out of memory");
	return (s);
}

char *
fs_ts_new(struct fakeslack *fs)
{
	char	*s = NULL;

	/*
	 * Realistic seconds, and a counter in the microseconds so two ts
	 * minted in the same second still differ.
	 */
	if (asprintf(&s, "%lld.%06u", (long long)time(NULL),
	    ++fs->counter % 1000000) < 0)
		errx(1, "out of memory");
	return (s);
}

/* ---- the event log ------------------------------------------------- */

size_t
fs_log_new(struct fakeslack *fs, const char *kind, json_t *ev)
{
	size_t	seq;

	if (ev == NULL)
		ev = json_object();
	if (fs->nevents == fs->capevents) {
		fs->capevents = fs->capevents == 0 ? 256 : fs->capevents * 2;
		fs->events = fs_xrealloc(fs->events, fs->capevents,
		    sizeof *fs->events);
	}
	seq = fs->nevents + 1;
	json_object_set_new(ev, "seq", json_integer((json_int_t)seq));
	json_object_set_new(ev, "t_us", json_integer(fs_now_us(fs)));
	json_object_set_new(ev, "kind", json_string(kind));
	fs->events[fs->nevents++] = ev;
	if (fs->verbose) {
		char	*s;

		s = json_dumps(ev, JSON_COMPACT);
		fprintf(stderr, "fakeslack: %s\n", s != NULL ? s : "?");
		free(s);
	}
	return (seq);
}

void
fs_log_reset(struct fakeslack *fs)
{
	size_t	i;

	for (i = 0; i < fs->nevents; i++)
		json_decref(fs->events[i]);
	free(fs->events);
	fs->events = NULL;
	fs->nevents = fs->capevents = 0;
}

/* ---- HTTP ---------------------------------------------------------- */

void
fs_http_answer(struct fs_http *h, int status, const char *ctype,
    const char *body)
{
	free(h->resp);
	h->resp = fs_xstrdup(body);
	h->status = status;
	h->resp_ctype = ctype;
	h->answered = 1;
	if (!h->held && !h->delayed)
		lws_callback_on_writable(h->wsi);
}

void
fs_http_answer_json_new(struct fs_http *h, int status, json_t *obj)
{
	char	*s;

	s = json_dumps(obj, JSON_COMPACT);
	json_decref(obj);
	fs_http_answer(h, status, "application/json; charset=utf-8",
	    s != NULL ? s : "{}");
	free(s);
}

int
fs_http_tls(struct fs_http *h)
{
	return (lws_is_ssl(lws_get_network_wsi(h->wsi)) != 0);
}

static void
fs_http_clear(struct fs_http *h)
{
	/* the queue must not keep a request that is reused or freed */
	if (h->delayed)
		fs_delay_forget(h->fs, h);
	fs_buf_reset(&h->body);
	free(h->resp);
	h->resp = NULL;
	json_decref(h->req);
	h->req = NULL;
}

static void
fs_http_begin(struct fakeslack *fs, struct fs_http *h, struct lws *wsi,
    const char *uri)
{
	char	*q;

	fs_http_clear(h);
	memset(h, 0, sizeof *h);
	h->fs = fs;
	h->wsi = wsi;
	snprintf(h->path, sizeof h->path, "%s", uri);
	q = strchr(h->path, '?');
	if (q != NULL)
		*q = '\0';
	if (lws_hdr_copy(wsi, h->query, sizeof h->query,
	    WSI_TOKEN_HTTP_URI_ARGS) < 0)
		h->query[0] = '\0';
	h->is_post = lws_hdr_total_length(wsi, WSI_TOKEN_POST_URI) > 0;
	if (lws_hdr_copy(wsi, h->auth, sizeof h->auth,
	    WSI_TOKEN_HTTP_AUTHORIZATION) < 0)
		h->auth[0] = '\0';
	if (lws_hdr_copy(wsi, h->ctype, sizeof h->ctype,
	    WSI_TOKEN_HTTP_CONTENT_TYPE) < 0)
		h->ctype[0] = '\0';
}

static void
fs_http_route(struct fakeslack *fs, struct fs_http *h)
{
	json_t	*f;

	/*
	 * With "Content-Length: 0" lws may still report a body completion
	 * after we answered at LWS_CALLBACK_HTTP: answer once.
	 */
	if (h->routed)
		return;
	h->routed = 1;
	if (strncmp(h->path, "/api/", 5) == 0 ||
	    strncmp(h->path, "/hooks/", 7) == 0)
		fs_web_request(fs, h);
	else if (strncmp(h->path, "/_ctl/", 6) == 0)
		fs_ctl_request(fs, h);
	else if ((f = json_object_get(fs->files, h->path)) != NULL) {
		/* a file /_ctl/config "files" serves (an iCalendar feed) */
		fs_log_new(fs, "file", json_pack("{s:s}", "path", h->path));
		if (json_is_string(f))
			fs_http_answer(h, 200, "text/calendar",
			    json_string_value(f));
		else
			fs_http_answer(h, (int)json_integer_value(
			    json_object_get(f, "status")) > 0 ?
			    (int)json_integer_value(json_object_get(f,
			    "status")) : 200, "text/calendar",
			    json_is_string(json_object_get(f, "body")) ?
			    json_string_value(json_object_get(f, "body")) : "");
	} else
		fs_http_answer(h, 404, "text/plain", "not found\n");
}

static int
fs_http_writeable(struct fs_http *h)
{
	unsigned char	 hdr[LWS_PRE + 1024], *start, *p, *end;
	unsigned char	*out;
	char		 ra[16];
	size_t		 n;

	if (!h->answered || h->held || h->delayed)
		return (0);
	n = strlen(h->resp);
	if (!h->hdrs_sent) {
		start = p = hdr + LWS_PRE;
		end = hdr + sizeof hdr - 1;
		if (lws_add_http_common_headers(h->wsi, (unsigned)h->status,
		    h->resp_ctype, n, &p, end))
			return (-1);
		if (h->retry_after > 0) {
			snprintf(ra, sizeof ra, "%d", h->retry_after);
			if (lws_add_http_header_by_name(h->wsi,
			    (const unsigned char *)"retry-after:",
			    (const unsigned char *)ra, (int)strlen(ra), &p,
			    end))
				return (-1);
		}
		if (lws_finalize_write_http_header(h->wsi, start, &p, end))
			return (-1);
		h->hdrs_sent = 1;
		/* the body goes in its own WRITEABLE, as lws wants */
		lws_callback_on_writable(h->wsi);
		return (0);
	}
	out = fs_xmalloc(LWS_PRE + n + 1);
	memcpy(out + LWS_PRE, h->resp, n);
	if (lws_write(h->wsi, out + LWS_PRE, n, LWS_WRITE_HTTP_FINAL) !=
	    (int)n) {
		free(out);
		return (-1);
	}
	free(out);
	fs_http_clear(h);
	h->answered = 0;
	if (lws_http_transaction_completed(h->wsi))
		return (-1);
	return (0);
}

/* TLS alert descriptions (RFC 8446 6.2), the ones a client may send. */
static const struct {
	int		 code;
	const char	*name;
} fs_alerts[] = {
	{ 10, "unexpected_message" },
	{ 40, "handshake_failure" },
	{ 42, "bad_certificate" },
	{ 43, "unsupported_certificate" },
	{ 44, "certificate_revoked" },
	{ 45, "certificate_expired" },
	{ 46, "certificate_unknown" },
	{ 47, "illegal_parameter" },
	{ 48, "unknown_ca" },
	{ 49, "access_denied" },
	{ 50, "decode_error" },
	{ 51, "decrypt_error" },
	{ 70, "protocol_version" },
	{ 80, "internal_error" },
	{ 90, "user_canceled" },
	{ 112, "unrecognized_name" },
	{ 120, "no_application_protocol" },
};

/*
 * OpenSSL's view of a connection (SSL_CB_*: its ssl.h, which
 * libwebsockets.h includes). A client that rejects our certificate sends
 * an alert and nothing else, so the alert goes into the event log: it is
 * the only trace of the rejection on this side. Handshakes begun and
 * completed are only counted (/_ctl/state): one begun that neither
 * completes nor ends in a client alert is something else, say plain
 * http sent to this TLS port.
 */
static void
fs_tls_info(struct fakeslack *fs, const struct lws_ssl_info *si)
{
	const char	*name = "other";
	size_t		 i;
	int		 code = si->ret & 0xff;

	if (si->where & SSL_CB_HANDSHAKE_START)
		fs->tls_started++;
	if (si->where & SSL_CB_HANDSHAKE_DONE)
		fs->tls_done++;
	/* close_notify ends every TLS connection; it is no news */
	if (!(si->where & SSL_CB_ALERT) || code == 0)
		return;
	for (i = 0; i < sizeof fs_alerts / sizeof fs_alerts[0]; i++)
		if (fs_alerts[i].code == code)
			name = fs_alerts[i].name;
	fs_log_new(fs, "tls_alert", json_pack("{s:s, s:s, s:i, s:s}",
	    "from", (si->where & SSL_CB_READ) ? "client" : "server",
	    "alert", name, "code", code,
	    "level", (si->ret >> 8) == 2 ? "fatal" : "warning"));
}

/* The one protocol: HTTP requests and, after an upgrade, Socket Mode. */
static int
fs_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct fakeslack	*fs;
	struct fs_pss		*pss = user;
	char			 cl[32];

	fs = lws_context_user(lws_get_context(wsi));
	switch (reason) {
	case LWS_CALLBACK_HTTP:
		fs_http_begin(fs, &pss->http, wsi, in);
		cl[0] = '\0';
		if (lws_hdr_copy(wsi, cl, sizeof cl,
		    WSI_TOKEN_HTTP_CONTENT_LENGTH) < 0)
			cl[0] = '\0';
		/* a body is coming: wait for BODY_COMPLETION */
		if (pss->http.is_post && cl[0] != '\0' &&
		    strtol(cl, NULL, 10) > 0)
			return (0);
		fs_http_route(fs, &pss->http);
		return (0);
	case LWS_CALLBACK_HTTP_BODY:
		if (pss->http.body.len + len > FS_BODY_MAX)
			return (-1);
		fs_buf_add(&pss->http.body, in, len);
		return (0);
	case LWS_CALLBACK_HTTP_BODY_COMPLETION:
		if (pss->http.body.s == NULL)
			fs_buf_adds(&pss->http.body, "");
		fs_http_route(fs, &pss->http);
		return (0);
	case LWS_CALLBACK_HTTP_WRITEABLE:
		return (fs_http_writeable(&pss->http));
	case LWS_CALLBACK_SSL_INFO:
		fs_tls_info(fs, in);
		return (0);
	case LWS_CALLBACK_RAW_RX_FILE:
		/* the two timerfds: the flood's pacing and the slow answers */
		if (wsi == fs->delay.tfd_wsi)
			fs_delay_tick(fs);
		else
			fs_flood_tick(fs);
		return (0);
	case LWS_CALLBACK_RAW_CLOSE_FILE:
		if (wsi == fs->delay.tfd_wsi)
			fs->delay.tfd_wsi = NULL;
		else
			fs->flood.tfd_wsi = NULL;
		return (0);
	case LWS_CALLBACK_CLOSED_HTTP:
		/* an h2 network connection closes too, with no pss */
		if (pss == NULL)
			return (0);
		if (pss->http.held)
			fs_web_forget(fs, &pss->http);
		fs_http_clear(&pss->http);
		return (0);
	default:
		break;
	}
	return (fs_ws_callback(wsi, reason, user, in, len));
}

static const struct lws_protocols fs_protocols[] = {
	{
		.name = "fakeslack",
		.callback = fs_callback,
		.per_session_data_size = sizeof(struct fs_pss),
		.rx_buffer_size = 65536,
	},
	{ .name = NULL }
};

/* ---- main ---------------------------------------------------------- */

static void
fs_on_signal(int sig)
{
	fs_stop = 1;
	if (fs_sig_ctx != NULL)
		lws_cancel_service(fs_sig_ctx);
}

static void
fs_seed(struct fakeslack *fs)
{
	int		fd;
	uint64_t	seed = 0;

	fd = open("/dev/urandom", O_RDONLY);
	if (fd != -1) {
		if (read(fd, &seed, sizeof seed) != (ssize_t)sizeof seed)
			seed = 0;
		close(fd);
	}
	seed ^= (uint64_t)fs_mono_us() ^ ((uint64_t)getpid() << 32);
	fs->rng = seed == 0 ? 0x9e3779b97f4a7c15ULL : seed;
}

static __dead void
usage(void)
{
	fprintf(stderr, "usage: fakeslack [-v] [-p port] [-a app-token] "
	    "[-b bot-token]\n"
	    "                 [-C cert.pem -K key.pem] [-H host] "
	    "[-d web-delay-ms]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct lws_context_creation_info	 info;
	struct fakeslack			 fs;
	struct sigaction			 sa;
	const char				*errstr;
	const char				*cert = NULL, *key = NULL;
	int					 ch, port = 0, delay_ms = 0;

	memset(&fs, 0, sizeof fs);
	fs.app_token = fs_xstrdup(fs_default_app_token);
	fs.bot_token = fs_xstrdup(fs_default_bot_token);
	fs.host = fs_xstrdup("127.0.0.1");
	while ((ch = getopt(argc, argv, "a:b:C:d:H:K:p:v")) != -1) {
		switch (ch) {
		case 'C':
			cert = optarg;
			break;
		case 'd':
			delay_ms = (int)strtol(optarg, NULL, 10);
			if (delay_ms < 0 || delay_ms > FS_DELAY_MAX_MS)
				errx(2, "-d %s: out of range", optarg);
			break;
		case 'H':
			if (*optarg == '\0' || strpbrk(optarg, "/?#@ ") != NULL)
				errx(2, "-H %s: not a host name", optarg);
			free(fs.host);
			fs.host = fs_xstrdup(optarg);
			break;
		case 'K':
			key = optarg;
			break;
		case 'a':
			free(fs.app_token);
			fs.app_token = fs_xstrdup(optarg);
			break;
		case 'b':
			free(fs.bot_token);
			fs.bot_token = fs_xstrdup(optarg);
			break;
		case 'p':
			errstr = NULL;
			port = (int)strtol(optarg, NULL, 10);
			if (port < 0 || port > 65535)
				errstr = "out of range";
			if (errstr != NULL)
				errx(2, "port %s: %s", optarg, errstr);
			break;
		case 'v':
			fs.verbose++;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if ((cert == NULL) != (key == NULL))
		errx(2, "-C and -K go together");
	/* lws only says "failed to load"; name the file here instead */
	if (cert != NULL && access(cert, R_OK) == -1)
		err(2, "-C %s", cert);
	if (key != NULL && access(key, R_OK) == -1)
		err(2, "-K %s", key);
	fs.tls = cert != NULL;

	fs.start_us = fs_mono_us();
	fs_seed(&fs);
	TAILQ_INIT(&fs.conns);
	TAILQ_INIT(&fs.holds);
	TAILQ_INIT(&fs.delay.queue);
	fs.next_conn = 1;
	fs.flood.tfd = -1;
	fs.delay.tfd = -1;

	lws_set_log_level(fs.verbose > 1 ? (LLL_ERR | LLL_WARN | LLL_NOTICE |
	    LLL_INFO) : (LLL_ERR | LLL_WARN), NULL);

	memset(&info, 0, sizeof info);
	info.port = port;
	info.iface = "127.0.0.1";	/* loopback only, always */
	/*
	 * With IPv6 on, the lws 4.1.6 we test with bound "127.0.0.1" as
	 * the IPv6 wildcard (ss showed *:port, and the port answered on
	 * every interface). IPv4 only makes iface hold. Clients that resolve "localhost" to
	 * ::1 first fall back to 127.0.0.1 (lws and libcurl both do).
	 */
	info.options = LWS_SERVER_OPTION_DISABLE_IPV6;
	info.protocols = fs_protocols;
	info.user = &fs;
	info.fd_limit_per_thread = 1024;
	info.timeout_secs = 30;
	if (fs.tls) {
		/*
		 * The default vhost takes its certificate from here. No
		 * ALLOW_NON_SSL_ON_SSL_PORT: a plain client must fail.
		 */
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
		info.ssl_cert_filepath = cert;
		info.ssl_private_key_filepath = key;
		info.ssl_info_event_mask = SSL_CB_ALERT |
		    SSL_CB_HANDSHAKE_START | SSL_CB_HANDSHAKE_DONE;
	}
	fs.ctx = lws_create_context(&info);
	if (fs.ctx == NULL)
		errx(1, "cannot create the lws context%s", fs.tls ?
		    " (are -C and -K a PEM certificate and its key?)" : "");
	fs.vhost = lws_get_vhost_by_name(fs.ctx, "default");
	if (fs.vhost == NULL)
		errx(1, "no default vhost");
	fs.port = lws_get_vhost_listen_port(fs.vhost);
	if (fs.port <= 0)
		errx(1, "no listening port");
	if (fs_delay_set(&fs, delay_ms) != 0)
		errx(1, "cannot make the timer for -d");
	printf("port %d\n", fs.port);
	fflush(stdout);

	fs_sig_ctx = fs.ctx;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = fs_on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);

	while (!fs_stop) {
		if (lws_service(fs.ctx, 0) < 0)
			break;
	}
	lws_context_destroy(fs.ctx);
	fs.ctx = NULL;
	fs_flood_reset(&fs);
	fs_web_reset(&fs);
	fs_web_postlog_reset(&fs);
	fs_ws_sent_reset(&fs);
	fs_log_reset(&fs);
	free(fs.app_token);
	free(fs.bot_token);
	free(fs.host);
	return (0);
}
