/*
 * adapter-slack.c: the Slack adapter. auth.test, then Socket Mode
 * envelopes translated into struct msg for the core's gate (which
 * dedupes, runs the handlers and queues replies in the outbox, durably)
 * and acked after it returns, so a crash never loses an answered
 * command. slack-deliver.c delivers what the outbox hands over.
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
#include "bot/gate.h"
#include "bot/outbox.h"
#include "store/store.h"

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

	ms = backoff_ms(sl->auth_failures + 1, 300000, slack_rnd32(sl));
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
	outbox_ready(sl->bot->outbox, 1);	/* posts a crash left behind */
	slack_channels_check_watches(sl);
	sl->groups_asked_ms = 0;	/* a new connection: ask again */
	slack_usergroups_refresh(sl);
}

static void
auth_start(struct slack *sl)
{
	if (slack_api_call(sl, "auth.test", NULL, NULL, on_auth, sl,
	    NULL) == -1)
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

/* What the user sees when the store fails on their request. */
#define STORE_FAILED_TEXT \
	"opsbot could not answer: its database failed (see opsbot's log)"

/*
 * The gate could not store m (it logged the store's error): the bot is
 * marked unhealthy (logged once per change) until a commit succeeds.
 */
static void
store_failed(struct slack *sl, const struct msg *m)
{
	sl->store_failures++;
	log_errx("slack: the message of %s in %s was acked anyway; the "
	    "user is told", m->user != NULL ? m->user : "?", m->channel);
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
	    on_direct_posted, sl, NULL) == -1)
		log_warnx("slack: cannot post the error reply to %s", channel);
	free(body);
}

/*
 * Passes m through the gate. On success the first message of the reply
 * may come back in *ack_text (new string; slash commands only). Returns
 * 1, or 0 if the store failed (the caller acks anyway: a redelivery
 * would meet the same store, and tells the user).
 */
static int
process(struct slack *sl, const struct msg *m, char **ack_text)
{
	size_t	 nqueued;

	slack_usergroups_refresh(sl);	/* if an hour went by: cheap */
	switch (gate_message(sl->bot, m, ack_text, &nqueued)) {
	case GATE_STORE_FAILED:
		store_failed(sl, m);
		return (0);
	case GATE_HANDLED:
		store_worked(sl);
		/* A user who talks to the bot: learn their time zone. */
		slack_users_learn(sl, m->user);
		break;
	case GATE_IGNORED:
	case GATE_DUPLICATE:
		break;
	}
	return (1);
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
	if (!process(sl, &m, &ack_text)) {
		ack(c, f, NULL);
		post_direct(sl, m.channel, STORE_FAILED_TEXT,
		    msg_reply_thread(&m));
		return;
	}
	ack(c, f, NULL);
	free(ack_text);		/* events are not answered in the ack */
	/* Watches and support channels may be named: learn the name. */
	if (sl->bot->cfg->watches != NULL || sl->bot->cfg->nsupport > 0)
		slack_channels_learn(sl, m.channel);
}

/*
 * An interactive envelope: a block_actions click to the gate, acked
 * after it as events are (well inside Slack's 3 s [SM §2.4]); other
 * interactions (shortcuts, views) are only logged.
 */
static void
handle_interactive(struct slack *sl, struct slack_conn *c,
    const struct slack_frame *f)
{
	struct slack_self	 self;
	struct msg		 m;
	const char		*t, *response_url;
	char			*ack_text = NULL;

	self.user_id = sl->user_id;
	self.bot_id = sl->bot_id;
	self.app_id = sl->app_id;
	if (slack_action_to_msg(f->payload, &self, &m, &response_url) == -1) {
		t = json_string_value(json_object_get(f->payload, "type"));
		log_debug("%s: interactive %s ignored", __func__,
		    t != NULL ? t : "?");
		ack(c, f, NULL);
		return;
	}
	if (response_url != NULL && slack_response_url_ok(sl, response_url))
		m.response_url = response_url;
	if (!process(sl, &m, &ack_text)) {
		ack(c, f, NULL);
		post_direct(sl, m.channel, STORE_FAILED_TEXT,
		    msg_reply_thread(&m));
		return;
	}
	ack(c, f, NULL);
	free(ack_text);		/* clicks are not answered in the ack */
}

/* 1 if an ack of envelope_id can carry text (slack_ack_new). */
static int
slack_ack_fits(const char *envelope_id, const char *text)
{
	char	*s;

	if (envelope_id == NULL || (s = slack_ack_new(envelope_id, text)) ==
	    NULL)
		return (0);
	free(s);
	return (1);
}

static void
queue_instead_of_ack(struct slack *sl, const struct msg *m, const char *text)
{
	struct post	 p;

	memset(&p, 0, sizeof p);
	p.op = m->response_url != NULL ? POST_RESPOND : POST_MESSAGE;
	p.channel = m->channel;
	p.response_url = m->response_url;
	p.text = text;
	if (outbox_queue(sl->bot, &p) == -1)
		log_errx("slack: the first message of the reply to %s in %s "
		    "is lost: %s", m->user, m->channel,
		    store_last_error(sl->bot->store));
}

static void
handle_slash(struct slack *sl, struct slack_conn *c,
    const struct slack_frame *f)
{
	struct msg	 m;
	const char	*response_url;
	char		*ack_text = NULL;

	if (slack_slash_to_msg(f->payload, &m, &response_url) == -1) {
		log_warnx("slack: slash command without command, channel_id "
		    "or user_id");
		ack(c, f, NULL);
		return;
	}
	m.bot_user_id = sl->user_id;
	/* Answered in the ack itself [SM §2.4, SC]; the rest follows. */
	m.reply_in_ack = 1;
	if (response_url != NULL && slack_response_url_ok(sl, response_url))
		m.response_url = response_url;
	else if (response_url != NULL)
		log_warnx("slack: ignoring a response_url opsbot may not POST "
		    "to");
	if (!process(sl, &m, &ack_text)) {
		ack(c, f, STORE_FAILED_TEXT);
		return;
	}
	if (ack_text != NULL && !slack_ack_fits(f->envelope_id, ack_text)) {
		/*
		 * Too big for an ack (SLACK_ACK_MAX): it takes the outbox
		 * instead, after the reply's other messages (rare: a
		 * message is at most REPLY_MSG_LIMIT bytes before escaping).
		 */
		queue_instead_of_ack(sl, &m, ack_text);
		free(ack_text);
		ack_text = NULL;
	}
	ack(c, f, ack_text);
	free(ack_text);
}

void
slack_handle_frame(struct slack *sl, struct slack_conn *c, const char *data,
    size_t len)
{
	struct slack_frame	 f;
	char			*cause = NULL, *ex;

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
		handle_interactive(sl, c, &f);
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
	slack_socket_stop(sl);
	/* Posts in flight stay in the outbox for the next start. */
	outbox_ready(sl->bot->outbox, 0);
	slack_web_free(sl->web);
	sl->web = NULL;
	slack_api_abandon(sl);
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
	strv_reset(&sl->users_asked);
	strv_reset(&sl->channels_asked);
	free(sl);
	a->ctx = NULL;
}

/* adapter_ops.fetch: a GET on the Web API's own curl client. */
static int
slack_fetch(struct adapter *a, struct adapter_fetch *f)
{
	struct slack	*sl = a->ctx;

	return (sl->stopping ? -1 : slack_web_fetch(sl->web, f));
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
	.deliver = slack_deliver,
	.permalink = slack_permalink,
	.fetch = slack_fetch,
	.free = slack_free,
};
