/*
 * ack-floor.c: the smallest correct Socket Mode client on opsbot's
 * libraries, to measure what any client pays on this machine. It gets a
 * URL from apps.connections.open once (libcurl, blocking: nothing else
 * is running yet), connects with libwebsockets, waits for hello and acks
 * every envelope with {"envelope_id":"..."}, written from the receive
 * callback as opsbot does. No store, no runbooks, no replies. bench/run
 * runs it in place of opsbot (BENCH_CLIENT=floor or floor-nojson).
 *
 * usage: ack-floor [-m]
 *	-m	find the envelope_id with strstr instead of parsing the
 *		frame with jansson: a lower bound with no JSON cost, correct
 *		only for ids that need no escaping (Slack's are UUIDs)
 *
 * Environment, as for opsbot: SLACK_APP_TOKEN (xapp-...), SLACK_API_URL
 * (default https://slack.com/api/).
 */
#include <sys/types.h>

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>
#include <libwebsockets.h>

#define FLOOR_RX_MAX	(1024 * 1024)	/* reassembled message cap */
#define FLOOR_ACK_MAX	256		/* an ack is ~55 bytes */

struct floor {
	struct lws_context	*ctx;		/* owned by main() */
	struct lws		*wsi;		/* borrowed from lws; NULL if none */
	lws_retry_bo_t		 retry;		/* lws pings, as opsbot's */
	int			 nojson;	/* -m */
	int			 conn_done;	/* the socket closed or failed */
	unsigned long		 hellos;
	char			*rx;		/* owned; a fragmented message */
	size_t			 rx_len;
	int			 rx_drop;
	unsigned long		 frames;
	unsigned long		 acks;
	unsigned long		 bad;		/* frames we could not use */
};

/*
 * The signal handler needs the context to end lws' wait; this is the
 * only global, set once before the handlers are installed.
 */
static struct lws_context	*floor_signal_ctx;
static volatile sig_atomic_t	 floor_stop;

static void
floor_on_signal(int sig)
{
	floor_stop = 1;
	if (floor_signal_ctx != NULL)
		lws_cancel_service(floor_signal_ctx);
}

static void
sleep_ms(int ms)
{
	struct timespec	ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR && !floor_stop)
		;
}

static size_t
on_curl_data(char *p, size_t size, size_t n, void *arg)
{
	return (fwrite(p, size, n, arg));
}

/*
 * POSTs apps.connections.open with the app token. Returns the wss:// (or
 * loopback ws://) URL as a new string, or NULL; *fatal is set when the
 * token was refused, so retrying is pointless.
 */
static char *
open_url_new(const char *api, const char *token, int *fatal)
{
	CURL			*curl;
	struct curl_slist	*h = NULL;
	FILE			*f;
	char			*resp = NULL, *auth = NULL, *url = NULL;
	char			*out = NULL;
	const char		*u, *e;
	size_t			 len = 0;
	long			 status = 0;
	json_t			*root = NULL;

	*fatal = 0;
	curl = curl_easy_init();
	f = open_memstream(&resp, &len);
	if (curl == NULL || f == NULL)
		errx(1, "out of memory");
	if (asprintf(&url, "%sapps.connections.open", api) == -1 ||
	    asprintf(&auth, "Authorization: Bearer %s", token) == -1)
		errx(1, "out of memory");
	h = curl_slist_append(h, auth);
	h = curl_slist_append(h,
	    "Content-Type: application/x-www-form-urlencoded");
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 10000L);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDS, "");
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_curl_data);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, f);
	if (curl_easy_perform(curl) != CURLE_OK) {
		warnx("apps.connections.open: %s", url);
		fclose(f);
		goto out;
	}
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	fclose(f);
	root = json_loadb(resp, len, 0, NULL);
	u = json_string_value(json_object_get(root, "url"));
	e = json_string_value(json_object_get(root, "error"));
	if (status == 200 && json_is_true(json_object_get(root, "ok")) &&
	    u != NULL)
		out = strdup(u);
	else {
		warnx("apps.connections.open: HTTP %ld%s%s", status,
		    e != NULL ? ": " : "", e != NULL ? e : "");
		*fatal = e != NULL && (strcmp(e, "invalid_auth") == 0 ||
		    strcmp(e, "not_authed") == 0 ||
		    strcmp(e, "not_allowed_token_type") == 0);
	}
out:
	json_decref(root);
	curl_slist_free_all(h);
	curl_easy_cleanup(curl);
	free(resp);
	free(auth);
	free(url);
	return (out);
}

/* Starts the WebSocket to url; 0, or -1 if lws refused at once. */
static int
floor_connect(struct floor *fl, const char *url)
{
	struct lws_client_connect_info	 ci;
	const char			*proto, *addr, *p;
	char				*copy, path[1024];
	int				 port, rv = -1;

	copy = strdup(url);
	if (copy == NULL)
		errx(1, "out of memory");
	/* lws_parse_uri drops the path's leading '/' (lws-notes.md) */
	if (lws_parse_uri(copy, &proto, &addr, &port, &p) != 0) {
		warnx("bad URL from apps.connections.open: %s", url);
		goto out;
	}
	snprintf(path, sizeof path, "/%s", p[0] == '/' ? p + 1 : p);

	memset(&ci, 0, sizeof ci);
	ci.context = fl->ctx;
	ci.address = addr;
	ci.port = port;
	ci.ssl_connection = strcmp(proto, "wss") == 0 ? LCCSCF_USE_SSL : 0;
	ci.path = path;
	ci.host = addr;
	ci.origin = addr;
	ci.local_protocol_name = "floor-ws";
	ci.ietf_version_or_minus_one = -1;
	ci.retry_and_idle_policy = &fl->retry;
	ci.pwsi = &fl->wsi;
	fl->conn_done = 0;
	if (lws_client_connect_via_info(&ci) == NULL) {
		warnx("cannot connect to %s", addr);
		goto out;
	}
	rv = 0;
out:
	free(copy);
	return (rv);
}

/* Writes the ack for the id of len bytes; -1 if the socket failed. */
static int
floor_ack(struct floor *fl, struct lws *wsi, const char *id, size_t len)
{
	unsigned char	 b[LWS_PRE + FLOOR_ACK_MAX];
	char		*s = NULL;
	json_t		*o;
	size_t		 i, n;
	int		 rv;

	for (i = 0; i < len; i++)
		if (id[i] == '"' || id[i] == '\\' ||
		    (unsigned char)id[i] < 0x20)
			break;
	if (i == len && len < FLOOR_ACK_MAX - 20) {
		n = (size_t)snprintf((char *)b + LWS_PRE, FLOOR_ACK_MAX,
		    "{\"envelope_id\":\"%.*s\"}", (int)len, id);
	} else {
		/* An id that needs escaping: let jansson write it. */
		o = json_pack("{s:s%}", "envelope_id", id, len);
		s = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
		json_decref(o);
		if (s == NULL || strlen(s) >= FLOOR_ACK_MAX) {
			fl->bad++;
			free(s);
			return (0);
		}
		n = strlen(s);
		memcpy(b + LWS_PRE, s, n);
		free(s);
	}
	/*
	 * Straight from the receive callback, as opsbot's conn_write_now:
	 * what the socket does not take lws keeps on the wsi and sends
	 * first on the next POLLOUT, so this client needs no queue.
	 */
	rv = lws_write(wsi, b + LWS_PRE, n, LWS_WRITE_TEXT);
	if (rv < (int)n)
		return (-1);
	fl->acks++;
	return (0);
}

/*
 * One whole text message. Returns 0, or -1 to close the socket (a
 * disconnect frame, or a failed write).
 */
static int
floor_message(struct floor *fl, struct lws *wsi, const char *msg,
    size_t len)
{
	json_t		*root;
	const char	*id, *type, *p, *end;
	int		 rv = 0;

	fl->frames++;
	if (fl->nojson) {
		/* Slack puts envelope_id first and never escapes it. */
		p = memmem(msg, len, "\"envelope_id\":\"", 15);
		if (p != NULL) {
			p += 15;
			end = memchr(p, '"', len - (size_t)(p - msg));
			if (end == NULL) {
				fl->bad++;
				return (0);
			}
			return (floor_ack(fl, wsi, p, (size_t)(end - p)));
		}
		if (memmem(msg, len, "\"type\":\"hello\"", 14) != NULL)
			fl->hellos++;
		else if (memmem(msg, len, "\"type\":\"disconnect\"", 19) !=
		    NULL)
			return (-1);
		return (0);
	}

	root = json_loadb(msg, len, 0, NULL);
	if (!json_is_object(root)) {
		fl->bad++;
		goto out;
	}
	type = json_string_value(json_object_get(root, "type"));
	id = json_string_value(json_object_get(root, "envelope_id"));
	if (type != NULL && strcmp(type, "hello") == 0)
		fl->hellos++;
	else if (type != NULL && strcmp(type, "disconnect") == 0)
		rv = -1;	/* Slack wants a fresh socket: reconnect */
	else if (id != NULL)
		rv = floor_ack(fl, wsi, id, strlen(id));
out:
	json_decref(root);
	return (rv);
}

/* Appends a chunk; hands whole messages to floor_message. */
static int
floor_rx(struct floor *fl, struct lws *wsi, const char *in, size_t len)
{
	char	*p;
	int	 rv;

	if (lws_is_first_fragment(wsi)) {
		fl->rx_len = 0;
		fl->rx_drop = lws_frame_is_binary(wsi);
		/* The usual case, one chunk: parse in place, no copy. */
		if (lws_is_final_fragment(wsi))
			return (fl->rx_drop ? 0 :
			    floor_message(fl, wsi, in, len));
	}
	if (!fl->rx_drop) {
		if (fl->rx_len + len > FLOOR_RX_MAX)
			fl->rx_drop = 1;
		else {
			p = realloc(fl->rx, fl->rx_len + len + 1);
			if (p == NULL)
				errx(1, "out of memory");
			fl->rx = p;
			memcpy(fl->rx + fl->rx_len, in, len);
			fl->rx_len += len;
		}
	}
	if (!lws_is_final_fragment(wsi))
		return (0);
	rv = fl->rx_drop ? 0 : floor_message(fl, wsi, fl->rx, fl->rx_len);
	if (fl->rx_drop)
		fl->bad++;
	fl->rx_len = 0;
	fl->rx_drop = 0;
	return (rv);
}

static int
floor_ws_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct floor	*fl = lws_context_user(lws_get_context(wsi));

	switch (reason) {
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		warnx("connection failed: %s", in != NULL && len > 0 ?
		    (const char *)in : "?");
		fl->wsi = NULL;
		fl->conn_done = 1;
		break;
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		fl->wsi = wsi;
		break;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		return (floor_rx(fl, wsi, in, len));
	case LWS_CALLBACK_CLIENT_CLOSED:
		fl->wsi = NULL;
		fl->conn_done = 1;
		break;
	default:
		break;
	}
	return (0);
}

static const struct lws_protocols floor_protocols[] = {
	/* the same 64 KiB receive buffer as opsbot's "slack-ws" */
	{ "floor-ws", floor_ws_cb, 0, 65536, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

static __attribute__((__noreturn__)) void
usage(void)
{
	fprintf(stderr, "usage: ack-floor [-m]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct lws_context_creation_info	 info;
	struct sigaction			 sa;
	struct floor				 fl;
	const char				*token, *api;
	char					*url;
	int					 ch, fatal, rc = 0;

	memset(&fl, 0, sizeof fl);
	while ((ch = getopt(argc, argv, "m")) != -1) {
		switch (ch) {
		case 'm':
			fl.nojson = 1;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	token = getenv("SLACK_APP_TOKEN");
	if (token == NULL || strncmp(token, "xapp-", 5) != 0)
		errx(2, "SLACK_APP_TOKEN (xapp-...) is not set");
	api = getenv("SLACK_API_URL");
	if (api == NULL || *api == '\0')
		api = "https://slack.com/api/";

	/* The same loop setup as opsbot's bot_loop_run and slack_init. */
	curl_global_init(CURL_GLOBAL_DEFAULT);
	lws_set_log_level(LLL_ERR | LLL_WARN, NULL);
	fl.retry.secs_since_valid_ping = 10;
	fl.retry.secs_since_valid_hangup = 30;
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = floor_protocols;
	info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	info.user = &fl;
	info.fd_limit_per_thread = 64;
	fl.ctx = lws_create_context(&info);
	if (fl.ctx == NULL)
		errx(1, "lws_create_context");

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	floor_signal_ctx = fl.ctx;
	sa.sa_handler = floor_on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	/* One socket at a time; a fresh URL (a new ticket) for each. */
	while (!floor_stop) {
		url = open_url_new(api, token, &fatal);
		if (url == NULL) {
			if (fatal) {
				rc = 1;
				break;
			}
			sleep_ms(1000);
			continue;
		}
		if (floor_connect(&fl, url) == 0) {
			while (!floor_stop && !fl.conn_done)
				if (lws_service(fl.ctx, 0) < 0)
					break;
		}
		free(url);
		if (!floor_stop)
			sleep_ms(200);
	}

	floor_signal_ctx = NULL;
	lws_context_destroy(fl.ctx);
	curl_global_cleanup();
	free(fl.rx);
	fprintf(stderr, "ack-floor (%s): %lu hello, %lu frames, %lu acks, "
	    "%lu unusable\n", fl.nojson ? "strstr" : "jansson", fl.hellos,
	    fl.frames, fl.acks, fl.bad);
	return (rc);
}
