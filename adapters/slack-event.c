/*
 * slack-event.c: the pure part of the Slack adapter. Socket Mode frames
 * in, decisions and JSON texts out; no I/O, so it is unit tested and
 * fuzzed on its own (tests/unit/test_slack_event.c).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "adapters/slack.h"

/* A string member, or NULL when absent, not a string or empty. */
static const char *
get_str(json_t *obj, const char *key)
{
	json_t		*v;
	const char	*s;

	if (!json_is_object(obj))
		return (NULL);
	v = json_object_get(obj, key);
	if (!json_is_string(v))
		return (NULL);
	s = json_string_value(v);
	if (s == NULL || *s == '\0')
		return (NULL);
	return (s);
}

int
slack_frame_parse(const char *data, size_t len, struct slack_frame *f,
    char **cause)
{
	json_error_t	 jerr;
	json_t		*root = NULL, *v;
	const char	*type;
	int		 rv = -1;

	memset(f, 0, sizeof *f);
	/* Frames are JSON objects; PY and JAVA skip anything else [SM]. */
	while (len > 0 && isspace((unsigned char)*data)) {
		data++;
		len--;
	}
	if (len == 0 || *data != '{') {
		xasprintf(cause, "frame is not a JSON object (%zu bytes)", len);
		goto out;
	}
	root = json_loadb(data, len, 0, &jerr);
	if (root == NULL) {
		xasprintf(cause, "invalid JSON at line %d column %d: %s",
		    jerr.line, jerr.column, jerr.text);
		goto out;
	}
	if (!json_is_object(root)) {
		xasprintf(cause, "frame is not a JSON object");
		goto out;
	}
	if ((type = get_str(root, "type")) == NULL) {
		xasprintf(cause, "frame has no type");
		goto out;
	}

	f->type_name = type;
	if (strcmp(type, "hello") == 0)
		f->type = SLACK_FRAME_HELLO;
	else if (strcmp(type, "disconnect") == 0)
		f->type = SLACK_FRAME_DISCONNECT;
	else if (strcmp(type, "events_api") == 0)
		f->type = SLACK_FRAME_EVENTS_API;
	else if (strcmp(type, "slash_commands") == 0)
		f->type = SLACK_FRAME_SLASH;
	else if (strcmp(type, "interactive") == 0)
		f->type = SLACK_FRAME_INTERACTIVE;
	else
		f->type = SLACK_FRAME_UNKNOWN;

	f->envelope_id = get_str(root, "envelope_id");
	v = json_object_get(root, "payload");
	f->payload = v;
	f->reason = get_str(root, "reason");
	f->app_id = get_str(json_object_get(root, "connection_info"),
	    "app_id");
	v = json_object_get(root, "retry_attempt");
	if (json_is_integer(v) && json_integer_value(v) > 0 &&
	    json_integer_value(v) < 1000)
		f->retry_attempt = (int)json_integer_value(v);
	f->accepts_response_payload =
	    json_is_true(json_object_get(root, "accepts_response_payload"));

	f->root = root;
	root = NULL;
	rv = 0;
out:
	json_decref(root);
	if (rv != 0)
		memset(f, 0, sizeof *f);
	return (rv);
}

void
slack_frame_clear(struct slack_frame *f)
{
	json_decref(f->root);
	memset(f, 0, sizeof *f);
}

enum slack_disconnect
slack_disconnect_kind(const char *reason)
{
	if (reason != NULL && strcmp(reason, "link_disabled") == 0)
		return (SLACK_DISC_LINK_DISABLED);
	if (reason != NULL && strcmp(reason, "too_many_websockets") == 0)
		return (SLACK_DISC_TOO_MANY);
	/* warning, refresh_requested and anything new: get a new socket. */
	return (SLACK_DISC_REFRESH);
}

const char *
slack_verdict_name(enum slack_verdict v)
{
	switch (v) {
	case SLACK_HANDLE:
		return ("handle");
	case SLACK_IGNORE_NO_EVENT:
		return ("no event");
	case SLACK_IGNORE_TYPE:
		return ("event type");
	case SLACK_IGNORE_SELF:
		return ("self");
	case SLACK_IGNORE_BOT:
		return ("bot");
	case SLACK_IGNORE_SUBTYPE:
		return ("subtype");
	case SLACK_IGNORE_INVALID:
		return ("invalid");
	}
	return ("?");
}

static int
same(const char *a, const char *b)
{
	return (a != NULL && b != NULL && strcmp(a, b) == 0);
}

enum slack_verdict
slack_event_to_msg(json_t *payload, const struct slack_self *self,
    struct msg *out)
{
	json_t		*ev;
	const char	*type, *subtype, *user, *bot_id, *app_id;
	int		 mention;

	memset(out, 0, sizeof *out);
	ev = json_is_object(payload) ? json_object_get(payload, "event") :
	    NULL;
	/* app_rate_limited has no event [EV §3.1]. */
	if (!json_is_object(ev))
		return (SLACK_IGNORE_NO_EVENT);
	if ((type = get_str(ev, "type")) == NULL)
		return (SLACK_IGNORE_TYPE);
	if (strcmp(type, "app_mention") == 0)
		mention = 1;
	else if (strcmp(type, "message") == 0)
		mention = 0;
	else
		return (SLACK_IGNORE_TYPE);

	user = get_str(ev, "user");
	bot_id = get_str(ev, "bot_id");
	app_id = get_str(ev, "app_id");
	subtype = get_str(ev, "subtype");

	/* Our own posts come back without a subtype [EV §3.4]. */
	if (same(user, self->user_id) || same(bot_id, self->bot_id) ||
	    same(app_id, self->app_id))
		return (SLACK_IGNORE_SELF);
	/* Two bots answering each other never stop [EV §3.4]. */
	if (bot_id != NULL ||
	    (subtype != NULL && strcmp(subtype, "bot_message") == 0) ||
	    json_is_object(json_object_get(ev, "bot_profile")))
		return (SLACK_IGNORE_BOT);
	if (subtype != NULL && strcmp(subtype, "thread_broadcast") != 0 &&
	    strcmp(subtype, "file_share") != 0)
		return (SLACK_IGNORE_SUBTYPE);

	out->adapter = "slack";
	out->channel = get_str(ev, "channel");
	out->user = user;
	out->ts = get_str(ev, "ts");
	out->thread_ts = get_str(ev, "thread_ts");
	out->event_id = get_str(payload, "event_id");
	out->bot_user_id = self->user_id;
	if (!json_is_string(json_object_get(ev, "text")))
		out->text = NULL;
	else
		out->text = json_string_value(json_object_get(ev, "text"));
	if (out->channel == NULL || out->user == NULL || out->ts == NULL ||
	    out->text == NULL) {
		memset(out, 0, sizeof *out);
		return (SLACK_IGNORE_INVALID);
	}
	/* app_mention has no channel_type; DMs need no prefix [EV §3.5]. */
	if (mention || same(get_str(ev, "channel_type"), "im"))
		out->addressed = 1;
	return (SLACK_HANDLE);
}

int
slack_slash_to_msg(json_t *payload, struct msg *out,
    const char **response_url)
{
	json_t	*v;

	memset(out, 0, sizeof *out);
	*response_url = NULL;
	out->adapter = "slack";
	out->command = get_str(payload, "command");
	out->channel = get_str(payload, "channel_id");
	out->user = get_str(payload, "user_id");
	v = json_is_object(payload) ? json_object_get(payload, "text") : NULL;
	out->text = json_is_string(v) ? json_string_value(v) : "";
	out->addressed = 1;
	if (out->command == NULL || out->channel == NULL || out->user == NULL) {
		memset(out, 0, sizeof *out);
		return (-1);
	}
	*response_url = get_str(payload, "response_url");
	return (0);
}

void
slack_dedupe_keys(const struct msg *m, char **ev_key, char **ts_key)
{
	*ev_key = NULL;
	*ts_key = NULL;
	if (m->event_id != NULL)
		xasprintf(ev_key, "ev:%s", m->event_id);
	if (m->channel != NULL && m->ts != NULL)
		xasprintf(ts_key, "ts:%s:%s", m->channel, m->ts);
}

const char *
slack_reply_thread(const struct msg *m)
{
	if (m->thread_ts != NULL && *m->thread_ts != '\0')
		return (m->thread_ts);
	return (m->ts);
}

/* Dumps a new object to a new string, stealing obj. */
static char *
dump_new(json_t *obj)
{
	char	*s, *copy;

	if (obj == NULL)
		fatalx("%s: out of memory", __func__);
	s = json_dumps(obj, JSON_COMPACT);
	json_decref(obj);
	if (s == NULL)
		fatalx("%s: out of memory", __func__);
	/* jansson allocates with malloc; hand out an xstrdup'd copy anyway
	 * so every string of ours is freed the same way. */
	copy = xstrdup(s);
	free(s);
	return (copy);
}

char *
slack_post_body_new(const char *channel, const char *text,
    const char *thread_ts)
{
	json_t	*o;

	o = json_pack("{s:s, s:s, s:b, s:b, s:b}", "channel", channel,
	    "text", text, "mrkdwn", 1, "unfurl_links", 0, "unfurl_media", 0);
	if (o != NULL && thread_ts != NULL)
		json_object_set_new(o, "thread_ts", json_string(thread_ts));
	return (dump_new(o));
}

char *
slack_response_url_body_new(const char *text)
{
	return (dump_new(json_pack("{s:s, s:s, s:b}", "response_type",
	    "in_channel", "text", text, "replace_original", 0)));
}

char *
slack_ack_new(const char *envelope_id, const char *text)
{
	json_t	*o;
	char	*s;

	if (text == NULL)
		o = json_pack("{s:s}", "envelope_id", envelope_id);
	else
		o = json_pack("{s:s, s:{s:s, s:s}}", "envelope_id",
		    envelope_id, "payload", "response_type", "in_channel",
		    "text", text);
	s = dump_new(o);
	if (strlen(s) >= SLACK_ACK_MAX) {
		free(s);
		return (NULL);
	}
	return (s);
}

int64_t
slack_backoff_ms(unsigned int attempt, int64_t cap_ms, uint32_t rnd)
{
	int64_t	 base;

	if (attempt == 0)
		return (200 + (int64_t)(rnd % 801));
	if (attempt > 20)
		attempt = 20;
	base = (int64_t)1000 << (attempt - 1);
	if (base > cap_ms)
		base = cap_ms;
	base += (int64_t)(rnd % 1024) * (base / 4) / 1024;
	if (base > cap_ms + cap_ms / 4)
		base = cap_ms + cap_ms / 4;
	return (base);
}

int
slack_host_is_loopback(const char *host)
{
	struct in_addr	 a4;
	char		 tmp[64];
	size_t		 len;

	if (host == NULL)
		return (0);
	if (strcasecmp(host, "localhost") == 0)
		return (1);
	if (inet_pton(AF_INET, host, &a4) == 1)
		return ((ntohl(a4.s_addr) >> 24) == 127);
	len = strlen(host);
	if (len >= 2 && host[0] == '[' && host[len - 1] == ']' &&
	    len - 2 < sizeof tmp) {
		memcpy(tmp, host + 1, len - 2);
		tmp[len - 2] = '\0';
		host = tmp;
	}
	return (strcmp(host, "::1") == 0);
}

int
slack_url_split(const char *url, char **host, int *port, char **path,
    int *tls)
{
	const char	*p, *h, *hend, *pstart;
	char		*hs = NULL, *end;
	long		 n;
	int		 defport, rv = -1;

	if (strncasecmp(url, "https://", 8) == 0 ||
	    strncasecmp(url, "wss://", 6) == 0) {
		*tls = 1;
		defport = 443;
	} else if (strncasecmp(url, "http://", 7) == 0 ||
	    strncasecmp(url, "ws://", 5) == 0) {
		*tls = 0;
		defport = 80;
	} else
		goto out;
	h = strstr(url, "://") + 3;
	pstart = h + strcspn(h, "/?#");
	/* lws_parse_uri drops the leading '/' (lws-notes): build our own. */
	if (*h == '[') {
		if ((hend = memchr(h, ']', pstart - h)) == NULL)
			goto out;
		hend++;
	} else
		hend = h + strcspn(h, ":/?#");
	if (hend == h || hend > pstart)
		goto out;
	if (memchr(h, '@', pstart - h) != NULL)
		goto out;	/* no userinfo: nothing of ours uses it */
	hs = xstrndup(h, hend - h);
	p = hend;
	*port = defport;
	if (*p == ':') {
		n = strtol(p + 1, &end, 10);
		if (end == p + 1 || end != pstart || n <= 0 || n > 65535)
			goto out;
		*port = (int)n;
	} else if (p != pstart)
		goto out;
	if (*pstart == '/')
		*path = xstrdup(pstart);
	else
		xasprintf(path, "/%s", pstart);
	if ((end = strchr(*path, '#')) != NULL)
		*end = '\0';
	*host = hs;
	hs = NULL;
	rv = 0;
out:
	free(hs);
	return (rv);
}

int
slack_error_is_transient(const char *error)
{
	static const char *const transient[] = {
		"ratelimited", "rate_limited", "service_unavailable",
		"request_timeout", "team_added_to_org", NULL
	};
	size_t	 i;

	if (error == NULL)
		return (0);
	for (i = 0; transient[i] != NULL; i++) {
		if (strcmp(error, transient[i]) == 0)
			return (1);
	}
	return (0);
}

int
slack_error_is_fatal_auth(const char *error)
{
	static const char *const fatal_auth[] = {
		"invalid_auth", "not_authed", "account_inactive",
		"token_revoked", "token_expired", "not_allowed_token_type",
		"user_removed_from_team", "team_disabled", "missing_args",
		NULL
	};
	size_t	 i;

	if (error == NULL)
		return (0);
	for (i = 0; fatal_auth[i] != NULL; i++) {
		if (strcmp(error, fatal_auth[i]) == 0)
			return (1);
	}
	return (0);
}

char *
slack_log_excerpt_new(const char *s, size_t len, size_t max)
{
	struct buf	 b = { 0 };
	size_t		 i, n;

	n = len < max ? len : max;
	for (i = 0; i < n; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			buf_addc(&b, '.');
		else
			buf_addc(&b, s[i]);
	}
	if (n < len)
		buf_adds(&b, "...");
	return (buf_release(&b));
}
