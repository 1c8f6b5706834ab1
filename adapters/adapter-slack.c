/*
 * adapter-slack.c: the Slack adapter. auth.test, then Socket Mode
 * envelopes -> dedupe -> dispatch -> outbox (sqlite) -> ack, and an
 * outbox delivery loop over the Web API. A reply is durable before its
 * envelope is acked, so a crash never loses an answered command.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "adapters/adapter.h"
#include "adapters/slack.h"
#include "bot/clock.h"
#include "store/store.h"

#define PRUNE_EVERY_SECS	300
#define RESPONSE_URL_MAX	5	/* 5 posts in 30 min [SC] */
/* As long as any envelope_id, to size an ack before it is built. */
#define ACK_ID_DUMMY \
	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"

uint32_t
slack_rnd32(struct slack *sl)
{
	uint32_t	 r = 0;

	if (lws_get_random(sl->bot->lws, &r, sizeof r) != sizeof r)
		r = (uint32_t)clock_mono_ms();
	return (r);
}

char *
slack_method_url_new(struct slack *sl, const char *method)
{
	const char	*base = sl->bot->cfg->api_url;
	size_t		 n = strlen(base);
	char		*url;

	xasprintf(&url, "%s%s%s", base, n > 0 && base[n - 1] == '/' ? "" :
	    "/", method);
	return (url);
}

/* ------------------------------------------------------------------ */
/* auth.test                                                           */

static void	auth_start(struct slack *);

static void
on_auth_retry(lws_sorted_usec_list_t *sul)
{
	struct slack	*sl = lws_container_of(sul, struct slack, sul_auth);

	if (!sl->stopping)
		auth_start(sl);
}

static void
auth_retry(struct slack *sl, long retry_after)
{
	int64_t	 ms;

	ms = slack_backoff_ms(sl->auth_failures + 1, 300000, slack_rnd32(sl));
	if (retry_after > 0)
		ms = (int64_t)retry_after * 1000;
	sl->auth_failures++;
	log_info("slack: retrying auth.test in %lld ms", (long long)ms);
	lws_sul_schedule(sl->bot->lws, 0, &sl->sul_auth, on_auth_retry,
	    (lws_usec_t)ms * LWS_US_PER_MS);
}

/* Acts on auth.test's verdict [AT]: the one place for this call. */
static void
on_auth(void *arg, const struct slack_api_answer *a,
    const struct slack_web_resp *r)
{
	struct slack	*sl = arg;
	json_t		*root = a->root;	/* borrowed from a */
	const char	*user_id, *bot_id;

	if (sl->stopping)
		return;
	switch (a->verdict) {
	case SLACK_API_OK:
		break;
	case SLACK_API_RATE_LIMITED:
		log_warnx("slack: auth.test: %s", a->why);
		auth_retry(sl, a->retry_after > 0 ? a->retry_after : 30);
		return;
	case SLACK_API_RETRYABLE:
		log_warnx("slack: auth.test: %s", a->status == 0 ?
		    r->net_errstr : a->why);
		auth_retry(sl, 0);
		return;
	case SLACK_API_PERMANENT:
		if (slack_error_is_fatal_auth(a->error)) {
			log_warnx("slack: auth.test: %s: the bot token "
			    "(SLACK_BOT_TOKEN, xoxb-) was refused; stopping",
			    a->error);
			sl->stopping = 1;
			bot_stop(sl->bot, 1);
			return;
		}
		/* Nothing works before auth.test: keep asking. */
		log_warnx("slack: auth.test: %s", a->why);
		auth_retry(sl, 0);
		return;
	}
	user_id = json_string_value(json_object_get(root, "user_id"));
	bot_id = json_string_value(json_object_get(root, "bot_id"));
	if (user_id == NULL || *user_id == '\0') {
		log_warnx("slack: auth.test returned no user_id; stopping");
		sl->stopping = 1;
		bot_stop(sl->bot, 1);
		return;
	}
	if (bot_id == NULL || *bot_id == '\0')
		log_warnx("slack: auth.test returned no bot_id: "
		    "SLACK_BOT_TOKEN should be a bot token (xoxb-)");
	free(sl->user_id);
	free(sl->bot_id);
	sl->user_id = xstrdup(user_id);
	sl->bot_id = bot_id != NULL && *bot_id != '\0' ? xstrdup(bot_id) :
	    NULL;
	log_info("slack: authenticated as %s (%s, bot %s) in team %s (%s)",
	    json_string_value(json_object_get(root, "user")) ?: "?", user_id,
	    sl->bot_id != NULL ? sl->bot_id : "none",
	    json_string_value(json_object_get(root, "team")) ?: "?",
	    json_string_value(json_object_get(root, "team_id")) ?: "?");
	sl->authed = 1;
	sl->auth_failures = 0;
	slack_socket_start(sl);
	slack_outbox_kick(sl);	/* replies a crash left behind */
}

static void
auth_start(struct slack *sl)
{
	if (slack_api_call(sl, "auth.test", NULL, NULL, on_auth, sl) == -1)
		auth_retry(sl, 0);
}

/* ------------------------------------------------------------------ */
/* Envelopes                                                           */

/* Queues the ack for f on the socket that received it [SM §2.4]. */
static void
ack(struct slack_conn *c, const struct slack_frame *f, const char *text)
{
	char	*s = NULL, tmp[256];

	if (f->envelope_id == NULL) {
		log_warnx("slack: %s envelope without envelope_id",
		    f->type_name);
		return;
	}
	/* Every envelope is acked: no jansson and no allocation for it. */
	if (text == NULL && slack_ack_format(tmp, sizeof tmp,
	    f->envelope_id) != -1) {
		if (slack_conn_ack(c, tmp) == -1)
			log_warnx("slack: socket %d: cannot queue the ack of "
			    "%s", c->idx, f->envelope_id);
		return;
	}
	if (text != NULL)
		s = slack_ack_new(f->envelope_id, text);
	if (s == NULL)
		s = slack_ack_new(f->envelope_id, NULL);
	if (s == NULL || slack_conn_ack(c, s) == -1)
		log_warnx("slack: socket %d: cannot queue the ack of %s",
		    c->idx, f->envelope_id);
	free(s);
}

/*
 * Whether dispatch could take m for a command. A superset of the
 * dispatcher's rule, so that chatter skips the dedupe lookups and the
 * transaction (the budget is 20 ms of CPU per 1,000 events).
 */
static int
maybe_command(struct slack *sl, const struct msg *m)
{
	const char	*prefix = sl->bot->cfg->prefix, *t = m->text;

	if (m->addressed || m->command != NULL)
		return (1);
	if (prefix == NULL || *prefix == '\0')
		return (1);
	/* dispatch.c looks for the prefix or a mention at the start only. */
	while (isspace((unsigned char)*t))
		t++;
	return (strncmp(t, prefix, strlen(prefix)) == 0 ||
	    strncmp(t, "<@", 2) == 0);
}

int
slack_response_url_ok(struct slack *sl, const char *url)
{
	char	*host = NULL, *path = NULL;
	int	 port, tls, ok = 0;

	if (url != NULL && slack_url_split(url, &host, &port, &path, &tls) ==
	    0 && strncasecmp(url, "http", 4) == 0)
		ok = tls || (sl->ws_plain_ok && slack_host_is_loopback(host));
	free(host);
	free(path);
	return (ok);
}

/* What the user sees when their reply cannot be turned into JSON. */
#define ENCODE_FAILED_TEXT \
	"opsbot could not encode its reply; see the log"

/* A request body of kind for text, or NULL (slack-json.c builders). */
static char *
message_body_new(const char *kind, const char *channel, const char *text,
    const char *thread)
{
	if (strcmp(kind, "response_url") == 0)
		return (slack_response_url_body_new(text));
	return (slack_post_body_new(channel, text, thread));
}

/*
 * Adds one message of a reply to the outbox, inside the caller's
 * transaction: kind "response_url" (target is the URL) or
 * "chat.postMessage" (target NULL, thread may be NULL). A body jansson
 * cannot build is logged and replaced by ENCODE_FAILED_TEXT, so the
 * user still hears back and the envelope is still acked. Returns 1 if
 * a row was added, 0 if not even the replacement could be built, -1 if
 * the store failed.
 */
static int
queue_message(struct store *st, const char *kind, const char *target,
    const char *channel, const char *text, const char *thread)
{
	char	*body;
	int	 rv = 0;

	if ((body = message_body_new(kind, channel, text, thread)) == NULL) {
		log_errx("slack: cannot encode a reply to %s as JSON "
		    "(%zu bytes); sending \"%s\" instead", channel,
		    strlen(text), ENCODE_FAILED_TEXT);
		body = message_body_new(kind, channel, ENCODE_FAILED_TEXT,
		    thread);
	}
	if (body == NULL) {
		log_errx("slack: cannot encode even the error reply "
		    "to %s; dropping it", channel);
		goto out;
	}
	rv = store_outbox_add(st, clock_wall_secs(), kind, target, channel,
	    body) == -1 ? -1 : 1;
out:
	free(body);
	return (rv);
}

/* What the user sees when the store fails on their request. */
#define STORE_FAILED_TEXT \
	"opsbot could not answer: its database failed (see opsbot's log)"

/*
 * The store failed on m's transaction (error, the sqlite message, which
 * store_last_error gave, borrowed): logged every time, and the bot
 * marked unhealthy (logged once per change) until a commit succeeds.
 */
static void
store_failed(struct slack *sl, const struct msg *m, const char *error)
{
	sl->store_failures++;
	log_errx("slack: the store failed on the message of %s in "
	    "%s: %s; acked anyway, the user is told", m->user, m->channel,
	    error);
	if (!sl->store_failing)
		log_errx("slack: unhealthy: the store (%s) is failing; "
		    "every request is acked and answered with an error until "
		    "a write succeeds", sl->bot->cfg->db_path);
	sl->store_failing = 1;
}

static void
store_worked(struct slack *sl)
{
	if (sl->store_failing)
		log_info("slack: healthy again: the store works (%lu "
		    "failures)", sl->store_failures);
	sl->store_failing = 0;
}

/* Not retried whatever the verdict: only logged. */
static void
on_direct_posted(void *arg, const struct slack_api_answer *a,
    const struct slack_web_resp *r)
{
	(void)arg;
	if (a->verdict != SLACK_API_OK)
		log_warnx("slack: the error reply was not posted: %s",
		    a->status == 0 ? r->net_errstr : a->why);
}

/*
 * Posts text to channel (in thread, may be NULL) at once, bypassing
 * the outbox: for telling a user that the store failed, when nothing
 * can be stored. Not retried; failures are logged.
 */
static void
post_direct(struct slack *sl, const char *channel, const char *text,
    const char *thread)
{
	char	*body;

	if ((body = slack_post_body_new(channel, text, thread)) == NULL) {
		log_errx("slack: cannot encode the error reply to %s",
		    channel);
		return;
	}
	if (slack_api_call(sl, "chat.postMessage", NULL, body,
	    on_direct_posted, sl) == -1)
		log_warnx("slack: cannot post the error reply to %s", channel);
	free(body);
}

/*
 * Dedupes, dispatches and stores the reply of m. For slash commands
 * (response_url not NULL or m->command set) the first message goes to
 * *ack_text (new string) instead of the outbox. *nqueued is set to the
 * number of outbox rows committed, so that only those kick delivery.
 * Returns 1, or 0 if the store failed: nothing of m was stored, the
 * failure is logged and the bot marked unhealthy (store_failed). The
 * caller acks either way: a redelivery would meet the same store.
 */
static int
process(struct slack *sl, const struct msg *m, const char *response_url,
    char **ack_text, size_t *nqueued)
{
	struct store	*st = sl->bot->store;
	struct reply	 reply = { 0 };
	struct strv	 out = { 0 };
	char		*ev_key = NULL, *ts_key = NULL, *s;
	const char	*thread;
	int64_t		 now = clock_wall_secs(), since;
	int		 in_tx = 0, ok = 0, nresp = 0, q;
	size_t		 i, nrows = 0;

	*ack_text = NULL;
	*nqueued = 0;
	slack_dedupe_keys(m, &ev_key, &ts_key);
	if (maybe_command(sl, m)) {
		since = now - (sl->bot->cfg->dedupe_secs > SLACK_DEDUPE_MIN ?
		    sl->bot->cfg->dedupe_secs : SLACK_DEDUPE_MIN);
		/*
		 * The lookups run inside the transaction: outside, each is a
		 * read transaction of its own (a WAL snapshot taken and
		 * dropped), which cost as much as the lookup.
		 */
		if (store_begin(st) == -1)
			goto out;
		in_tx = 1;
		/* Retries share event_id; mention+message share ts [EV]. */
		if ((ev_key != NULL && store_seen_has(st, ev_key, since) > 0) ||
		    (ts_key != NULL && store_seen_has(st, ts_key, since) > 0)) {
			log_debug("%s: duplicate %s %s", __func__,
			    ev_key ? ev_key : "", ts_key ? ts_key : "");
			ok = 1;
			goto out;
		}
	}
	if (dispatch_message(sl->bot, m, &reply) != DISPATCH_REPLIED) {
		if (in_tx && store_commit(st) == -1)
			goto out;
		in_tx = 0;
		ok = 1;
		goto out;
	}
	if (!in_tx) {
		if (store_begin(st) == -1)
			goto out;
		in_tx = 1;
	}
	reply_pack(&reply, REPLY_MSG_LIMIT, &out);
	thread = slack_reply_thread(m);
	for (i = 0; i < out.n; i++) {
		if (m->command != NULL && i == 0 && m->ts == NULL &&
		    (s = slack_ack_new(ACK_ID_DUMMY, out.v[i])) != NULL) {
			/* Answered in the ack itself [SM §2.4, SC]. */
			free(s);
			*ack_text = xstrdup(out.v[i]);
			continue;
		}
		if (m->command != NULL && nresp < RESPONSE_URL_MAX &&
		    slack_response_url_ok(sl, response_url)) {
			nresp++;
			q = queue_message(st, "response_url", response_url,
			    m->channel, out.v[i], NULL);
		} else
			q = queue_message(st, "chat.postMessage", NULL,
			    m->channel, out.v[i], m->command != NULL ? NULL :
			    thread);
		if (q == -1)
			goto out;
		nrows += (size_t)q;
	}
	if ((ev_key != NULL && store_seen_add(st, ev_key, now) == -1) ||
	    (ts_key != NULL && store_seen_add(st, ts_key, now) == -1))
		goto out;
	if (store_commit(st) == -1)
		goto out;
	in_tx = 0;
	ok = 1;
	*nqueued = nrows;
	store_worked(sl);
out:
	if (!ok) {
		/* Before the rollback, which may say something else. */
		store_failed(sl, m, store_last_error(st));
		free(*ack_text);
		*ack_text = NULL;
	}
	if (in_tx)
		store_rollback(st);
	reply_reset(&reply);
	strv_reset(&out);
	free(ev_key);
	free(ts_key);
	return (ok);
}

static void
handle_events(struct slack *sl, struct slack_conn *c,
    const struct slack_frame *f)
{
	struct slack_self	 self;
	struct msg		 m;
	enum slack_verdict	 v;
	char			*ack_text = NULL;
	const char		*ptype;
	size_t			 nqueued;

	self.user_id = sl->user_id;
	self.bot_id = sl->bot_id;
	self.app_id = sl->app_id;
	v = slack_fields_to_msg(&f->ev, &self, &m);
	if (v == SLACK_IGNORE_NO_EVENT) {
		ptype = f->ev.payload_type;
		if (ptype != NULL && strcmp(ptype, "app_rate_limited") == 0)
			log_warnx("slack: app_rate_limited: Slack is dropping "
			    "events for this workspace (over 30,000/hour)");
		else
			log_info("slack: events_api envelope without an event "
			    "(%s)", ptype != NULL ? ptype : "no type");
		ack(c, f, NULL);
		return;
	}
	if (v != SLACK_HANDLE) {
		log_debug("%s: ignored (%s)", __func__, slack_verdict_name(v));
		ack(c, f, NULL);
		return;
	}
	if (f->retry_attempt > 0)
		log_info("slack: event %s redelivered (attempt %d)",
		    m.event_id != NULL ? m.event_id : "?", f->retry_attempt);
	if (!process(sl, &m, NULL, &ack_text, &nqueued)) {
		ack(c, f, NULL);
		post_direct(sl, m.channel, STORE_FAILED_TEXT,
		    slack_reply_thread(&m));
		return;
	}
	ack(c, f, NULL);
	/* Chatter queues nothing: a delivery pass would find nothing. */
	if (nqueued > 0)
		slack_outbox_queued(sl, m.channel, nqueued);
}

static void
handle_slash(struct slack *sl, struct slack_conn *c,
    const struct slack_frame *f)
{
	struct msg	 m;
	const char	*response_url;
	char		*ack_text = NULL;
	size_t		 nqueued;

	if (slack_slash_to_msg(f->payload, &m, &response_url) == -1) {
		log_warnx("slack: slash command without command, channel_id "
		    "or user_id");
		ack(c, f, NULL);
		return;
	}
	m.bot_user_id = sl->user_id;
	if (!process(sl, &m, response_url, &ack_text, &nqueued)) {
		ack(c, f, STORE_FAILED_TEXT);
		return;
	}
	ack(c, f, ack_text);
	free(ack_text);
	if (nqueued > 0)
		slack_outbox_kick(sl);
}

void
slack_handle_frame(struct slack *sl, struct slack_conn *c, const char *data,
    size_t len)
{
	struct slack_frame	 f;
	char			*cause = NULL, *ex;
	const char		*t;

	if (slack_frame_parse_lite(data, len, &f, &cause) == -1) {
		ex = slack_log_excerpt_new(data, len, 120);
		log_warnx("slack: socket %d: ignoring a frame: %s: %s",
		    c->idx, cause, ex);
		free(ex);
		free(cause);
		return;
	}
	switch (f.type) {
	case SLACK_FRAME_HELLO:
		slack_on_hello(sl, c, &f);
		break;
	case SLACK_FRAME_DISCONNECT:
		log_info("slack: socket %d: disconnect: %s", c->idx,
		    f.reason != NULL ? f.reason : "no reason");
		slack_conn_disconnect(c, f.reason);
		break;
	case SLACK_FRAME_EVENTS_API:
		handle_events(sl, c, &f);
		break;
	case SLACK_FRAME_SLASH:
		handle_slash(sl, c, &f);
		break;
	case SLACK_FRAME_INTERACTIVE:
		t = json_string_value(json_object_get(f.payload, "type"));
		log_debug("%s: interactive %s", __func__, t != NULL ? t : "?");
		ack(c, &f, NULL);
		break;
	case SLACK_FRAME_UNKNOWN:
	case SLACK_FRAME_INVALID:
		log_debug("%s: frame of type %s", __func__, f.type_name);
		if (f.envelope_id != NULL)
			ack(c, &f, NULL);
		break;
	}
	slack_frame_clear(&f);
}

void
slack_on_hello(struct slack *sl, struct slack_conn *c,
    const struct slack_frame *f)
{
	if (f->app_id != NULL && (sl->app_id == NULL ||
	    strcmp(sl->app_id, f->app_id) != 0)) {
		free(sl->app_id);
		sl->app_id = xstrdup(f->app_id);
	}
	slack_conn_hello(c);
}

/* ------------------------------------------------------------------ */
/* Dedupe pruning                                                      */

static void
on_prune(lws_sorted_usec_list_t *sul)
{
	struct slack	*sl = lws_container_of(sul, struct slack, sul_prune);
	int64_t		 keep, n;

	if (sl->stopping)
		return;
	keep = sl->bot->cfg->dedupe_secs > SLACK_DEDUPE_MIN ?
	    sl->bot->cfg->dedupe_secs : SLACK_DEDUPE_MIN;
	n = store_seen_prune(sl->bot->store, clock_wall_secs() - keep);
	if (n > 0)
		log_debug("%s: pruned %lld dedupe keys", __func__,
		    (long long)n);
	lws_sul_schedule(sl->bot->lws, 0, &sl->sul_prune, on_prune,
	    (lws_usec_t)PRUNE_EVERY_SECS * LWS_USEC_PER_SEC);
}

/* ------------------------------------------------------------------ */
/* adapter_ops                                                         */

static int
slack_init(struct adapter *a)
{
	struct config	*cfg = a->bot->cfg;
	struct slack	*sl;
	char		*host = NULL, *path = NULL, *shown = NULL;
	int		 port, tls, rv = -1;

	if (cfg->app_token == NULL || *cfg->app_token == '\0') {
		log_warnx("slack: SLACK_APP_TOKEN is not set (an app-level "
		    "token, xapp-, with connections:write)");
		return (-1);
	}
	if (cfg->bot_token == NULL || *cfg->bot_token == '\0') {
		log_warnx("slack: SLACK_BOT_TOKEN is not set (the bot token, "
		    "xoxb-)");
		return (-1);
	}
	if (strncmp(cfg->app_token, "xapp-", 5) != 0)
		log_warnx("slack: SLACK_APP_TOKEN does not start with xapp-");
	if (strncmp(cfg->bot_token, "xoxb-", 5) != 0)
		log_warnx("slack: SLACK_BOT_TOKEN does not start with xoxb-");
	log_add_secret(cfg->app_token);
	log_add_secret(cfg->bot_token);

	sl = xcalloc(1, sizeof *sl);
	sl->bot = a->bot;
	sl->adapter = a;
	/* SLACK_API_URL may carry user:password@ or a query: never log them. */
	shown = slack_url_redact_new(cfg->api_url != NULL ? cfg->api_url : "");
	if (cfg->api_url == NULL || slack_url_split(cfg->api_url, &host,
	    &port, &path, &tls) == -1 ||
	    strncasecmp(cfg->api_url, "http", 4) != 0) {
		log_warnx("slack: api_url '%s' is not an http(s) URL without "
		    "user name and password (the tokens authenticate)", shown);
		free(sl);
		goto out;
	}
	if (!tls) {
		if (!slack_host_is_loopback(host)) {
			log_warnx("slack: api_url '%s': plain http:// is only "
			    "allowed on loopback", shown);
			free(sl);
			goto out;
		}
		sl->ws_plain_ok = 1;
	}
	/*
	 * lws pings ping_interval s after the last pong (lws-notes). The
	 * watchdog in slack-socket.c decides when a socket is dead: it
	 * counts frames as well as pongs and survives a stalled loop. lws'
	 * own hang-up, which counts only pongs and runs before pending
	 * input is read, is a backstop at twice pong_timeout. config.c
	 * keeps pong_timeout above ping_interval, as lws asserts.
	 */
	sl->retry.secs_since_valid_ping = (uint16_t)cfg->ping_secs;
	sl->retry.secs_since_valid_hangup = (uint16_t)(2 * cfg->idle_secs);
	a->ctx = sl;
	rv = 0;
out:
	free(shown);
	free(host);
	free(path);
	return (rv);
}

static int
slack_start(struct adapter *a)
{
	struct slack	*sl = a->ctx;
	struct config	*cfg = sl->bot->cfg;
	int		 i;

	for (i = 0; i < SLACK_MAX_CONNS; i++) {
		sl->conns[i].sl = sl;
		sl->conns[i].idx = i;
	}
	if (cfg->ca_file != NULL && access(cfg->ca_file, R_OK) == -1) {
		log_warn("slack: ca_file '%s'", cfg->ca_file);
		return (-1);
	}
	sl->web = slack_web_new(sl->bot->lws, (cfg->max_inflight > 0 ?
	    cfg->max_inflight : 4) + 1, cfg->ca_file);
	if (sl->web == NULL) {
		log_warnx("slack: cannot set up libcurl");
		return (-1);
	}
	auth_start(sl);
	lws_sul_schedule(sl->bot->lws, 0, &sl->sul_prune, on_prune,
	    LWS_USEC_PER_SEC);
	return (0);
}

static void
slack_stop(struct adapter *a)
{
	struct slack	*sl = a->ctx;

	if (sl == NULL)
		return;
	sl->stopping = 1;
	lws_sul_cancel(&sl->sul_auth);
	lws_sul_cancel(&sl->sul_prune);
	slack_socket_stop(sl);
	/* Posts in flight stay in the outbox for the next start. */
	slack_web_free(sl->web);
	sl->web = NULL;
	slack_outbox_stop(sl);
}

/*
 * Only the outbox arms a timer from our clock that a jump must cut short
 * (deferred rows, pauses after a 429): one pass re-reads the clock, sends
 * what is due and re-arms for the rest. The socket watchdog and the
 * prune timer check the clock at their next real tick anyway.
 */
static void
slack_clock_moved(struct adapter *a)
{
	struct slack	*sl = a->ctx;

	sl->outbox_no_deferred = 0;
	slack_outbox_kick(sl);
}

static void
slack_free(struct adapter *a)
{
	struct slack	*sl = a->ctx;

	if (sl == NULL)
		return;
	free(sl->user_id);
	free(sl->bot_id);
	free(sl->app_id);
	free(sl);
	a->ctx = NULL;
}

static const struct lws_protocols slack_protocols[] = {
	/* rx_buffer_size 64 KiB: a 60 KB envelope in one callback. */
	{ "slack-ws", slack_ws_lws_cb, 0, 65536, 0, NULL, 0 },
	{ "slack-curl", slack_web_lws_cb, 0, 0, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

const struct adapter_ops adapter_slack_ops = {
	.name = "slack",
	.protocols = slack_protocols,
	.init = slack_init,
	.start = slack_start,
	.stop = slack_stop,
	.clock_moved = slack_clock_moved,
	.free = slack_free,
};
