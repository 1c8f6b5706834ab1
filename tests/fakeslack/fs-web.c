/*
 * fs-web.c: the Slack Web API under /api/<method>, response_url
 * endpoints under /hooks/<id>, tickets for the Socket Mode upgrade, the
 * faults the control API arms per method, and the log of posts that
 * /_ctl/posts hands to the benchmark.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fakeslack.h"

enum fs_auth {
	FS_AUTH_NONE,	/* no Authorization header */
	FS_AUTH_BAD,	/* present, but no token we know */
	FS_AUTH_BOT,
	FS_AUTH_APP,
};

static const char *fs_auth_names[] = { "none", "bad", "bot", "app" };

static enum fs_auth
fs_web_auth(struct fakeslack *fs, const char *hdr)
{
	if (hdr[0] == '\0')
		return (FS_AUTH_NONE);
	if (strncasecmp(hdr, "Bearer ", 7) != 0)
		return (FS_AUTH_BAD);
	hdr += 7;
	if (strcmp(hdr, fs->bot_token) == 0)
		return (FS_AUTH_BOT);
	if (strcmp(hdr, fs->app_token) == 0)
		return (FS_AUTH_APP);
	return (FS_AUTH_BAD);
}

static int
fs_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	return (-1);
}

/* Decodes a form value in place ('+' and %XX). */
static void
fs_form_decode(char *s)
{
	char	*o = s;
	int	 hi, lo;

	for (; *s != '\0'; s++) {
		if (*s == '+')
			*o++ = ' ';
		else if (*s == '%' && (hi = fs_hexval(s[1])) >= 0 &&
		    (lo = fs_hexval(s[2])) >= 0) {
			*o++ = (char)(hi * 16 + lo);
			s += 2;
		} else
			*o++ = *s;
	}
	*o = '\0';
}

/* Returns a new object with the form fields as strings. */
static json_t *
fs_form_parse(const char *body)
{
	json_t	*obj;
	char	*copy, *p, *amp, *eq;

	obj = json_object();
	copy = fs_xstrdup(body);
	for (p = copy; p != NULL && *p != '\0'; p = amp) {
		amp = strchr(p, '&');
		if (amp != NULL)
			*amp++ = '\0';
		eq = strchr(p, '=');
		if (eq != NULL)
			*eq++ = '\0';
		fs_form_decode(p);
		if (eq != NULL)
			fs_form_decode(eq);
		json_object_set_new(obj, p, json_string(eq != NULL ? eq : ""));
	}
	free(copy);
	return (obj);
}

static struct fs_fault *
fs_fault_find(struct fakeslack *fs, const char *method)
{
	size_t	i;

	for (i = 0; i < fs->nfaults; i++) {
		if (strcmp(fs->faults[i].method, method) == 0 &&
		    fs->faults[i].mode != FS_FAULT_NONE &&
		    fs->faults[i].count != 0)
			return (&fs->faults[i]);
	}
	return (NULL);
}

/* Logs and answers h. Steals resp. */
static void
fs_web_finish(struct fakeslack *fs, struct fs_http *h, enum fs_auth auth,
    int status, json_t *resp, const char *fault)
{
	json_t		*ev, *ok, *error;

	ok = json_object_get(resp, "ok");
	error = json_object_get(resp, "error");
	ev = json_pack("{s:s, s:i, s:b, s:O?, s:O?, s:s, s:s}",
	    "method", h->api_method, "status", status,
	    "ok", json_is_true(ok), "error", error, "request", h->req,
	    "auth", fs_auth_names[auth], "content_type", h->ctype);
	if (fault != NULL)
		json_object_set_new(ev, "fault", json_string(fault));
	/* what the connection really was, not what we were started as */
	json_object_set_new(ev, "tls", json_boolean(fs_http_tls(h)));
	/* an h2 stream rides on a network connection of its own */
	json_object_set_new(ev, "http2",
	    json_boolean(lws_get_network_wsi(h->wsi) != h->wsi));
	fs_log_new(fs, "api", ev);
	fs_http_answer_json_new(h, status, resp);
}

static json_t *
fs_err(const char *error)
{
	return (json_pack("{s:b, s:s}", "ok", 0, "error", error));
}

static int
fs_channel_ok(const char *ch)
{
	if (ch == NULL || strlen(ch) < 2 || strchr("CDGU", ch[0]) == NULL)
		return (0);
	for (ch++; *ch != '\0'; ch++)
		if (!isupper((unsigned char)*ch) &&
		    !isdigit((unsigned char)*ch))
			return (0);
	return (1);
}

/*
 * Keeps what matches a reply to the event that asked for it: when the
 * post arrived, where it went. The event log has all of it too, but
 * with every request body: far too much to poll during a benchmark.
 */
static void
fs_postlog_add(struct fakeslack *fs, int64_t t_us, const char *channel,
    const char *thread_ts)
{
	struct fs_post	*p;

	if (fs->npostlog == fs->cappostlog) {
		fs->cappostlog = fs->cappostlog == 0 ? 256 :
		    fs->cappostlog * 2;
		fs->postlog = fs_xrealloc(fs->postlog, (size_t)fs->cappostlog,
		    sizeof *fs->postlog);
	}
	p = &fs->postlog[fs->npostlog++];
	p->t_us = t_us;
	p->channel = fs_xstrdup(channel);
	p->thread_ts = thread_ts != NULL ? fs_xstrdup(thread_ts) : NULL;
}

void
fs_web_postlog_reset(struct fakeslack *fs)
{
	int	i;

	for (i = 0; i < fs->npostlog; i++) {
		free(fs->postlog[i].channel);
		free(fs->postlog[i].thread_ts);
	}
	free(fs->postlog);
	fs->postlog = NULL;
	fs->npostlog = fs->cappostlog = 0;
}

static json_t *
fs_post_message(struct fakeslack *fs, struct fs_http *h, int ephemeral)
{
	const char	*channel, *text, *thread_ts, *user;
	json_t		*blocks, *resp, *msg;
	char		*ts;

	channel = json_string_value(json_object_get(h->req, "channel"));
	text = json_string_value(json_object_get(h->req, "text"));
	thread_ts = json_string_value(json_object_get(h->req, "thread_ts"));
	user = json_string_value(json_object_get(h->req, "user"));
	blocks = json_object_get(h->req, "blocks");
	if (!fs_channel_ok(channel))
		return (fs_err("channel_not_found"));
	if ((text == NULL || *text == '\0') && !json_is_array(blocks) &&
	    json_object_get(h->req, "attachments") == NULL)
		return (fs_err("no_text"));
	if (ephemeral && (user == NULL || *user == '\0'))
		return (fs_err("user_not_in_channel"));

	ts = fs_ts_new(fs);
	fs_log_new(fs, "post", json_pack("{s:s, s:s, s:s?, s:s?, s:s?, "
	    "s:s, s:O}", "method", h->api_method, "channel", channel,
	    "text", text, "thread_ts", thread_ts, "user", user, "ts", ts,
	    "request", h->req));
	fs->posts++;
	if (ephemeral) {
		resp = json_pack("{s:b, s:s}", "ok", 1, "message_ts", ts);
		free(ts);
		return (resp);
	}
	fs_postlog_add(fs, h->arrived_us, channel, thread_ts);
	msg = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s?, s:s}",
	    "user", "U0BOT", "type", "message", "ts", ts, "bot_id", "B0001",
	    "app_id", "A0001", "text", text != NULL ? text : "",
	    "thread_ts", thread_ts, "team", "T0001");
	if (json_is_array(blocks))
		json_object_set(msg, "blocks", blocks);
	resp = json_pack("{s:b, s:s, s:s, s:o}", "ok", 1, "channel", channel,
	    "ts", ts, "message", msg);
	free(ts);
	return (resp);
}

/* chat.getPermalink's answer to req (new reference). */
static json_t *
fs_permalink(json_t *req)
{
	const char	*channel, *ts;
	char		 digits[64];
	size_t		 n = 0;
	json_t		*resp;
	char		*link = NULL;

	channel = json_string_value(json_object_get(req, "channel"));
	ts = json_string_value(json_object_get(req, "message_ts"));
	if (!fs_channel_ok(channel))
		return (fs_err("channel_not_found"));
	if (ts == NULL || *ts == '\0')
		return (fs_err("message_not_found"));
	for (; *ts != '\0' && n + 1 < sizeof digits; ts++) {
		if (isdigit((unsigned char)*ts))
			digits[n++] = *ts;
	}
	digits[n] = '\0';
	if (asprintf(&link, "https://fake.slack.test/archives/%s/p%s",
	    channel, digits) == -1)
		return (fs_err("internal_error"));
	resp = json_pack("{s:b, s:s, s:s}", "ok", 1, "channel", channel,
	    "permalink", link);
	free(link);
	return (resp);
}

/* The method itself, once faults are out of the way. */
static void
fs_web_handle(struct fakeslack *fs, struct fs_http *h)
{
	const char	*m = h->api_method;
	enum fs_auth	 auth;
	json_t		*resp = NULL, *v;
	char		*url;
	int		 want_app;

	auth = fs_web_auth(fs, h->auth);
	if (strncmp(h->path, "/hooks/", 7) == 0) {
		/* response_url: the URL is the credential */
		fs_log_new(fs, "post", json_pack("{s:s, s:s, s:O}",
		    "method", "hook", "hook", h->path + 7, "request", h->req));
		fs->posts++;
		fs_web_finish(fs, h, auth, 200, json_pack("{s:b}", "ok", 1),
		    NULL);
		return;
	}
	if (json_object_get(h->req, "_parse_error") != NULL) {
		resp = fs_err(json_string_value(json_object_get(h->req,
		    "_parse_error")));
		goto out;
	}

	want_app = strcmp(m, "apps.connections.open") == 0;
	if (auth == FS_AUTH_NONE) {
		resp = fs_err("not_authed");
		goto out;
	}
	if (auth == FS_AUTH_BAD) {
		resp = fs_err("invalid_auth");
		goto out;
	}
	if (want_app != (auth == FS_AUTH_APP)) {
		resp = fs_err("not_allowed_token_type");
		goto out;
	}

	if (strcmp(m, "auth.test") == 0) {
		resp = json_pack("{s:b, s:s, s:s, s:s, s:s, s:s, s:s, s:b}",
		    "ok", 1, "url", "https://example.slack.com/",
		    "team", "Example Workspace", "user", "opsbot",
		    "team_id", "T0001", "user_id", "U0BOT", "bot_id", "B0001",
		    "is_enterprise_install", 0);
	} else if (strcmp(m, "apps.connections.open") == 0) {
		url = fs_web_ticket_new(fs);
		resp = json_pack("{s:b, s:s}", "ok", 1, "url", url);
		free(url);
	} else if (strcmp(m, "chat.postMessage") == 0) {
		resp = fs_post_message(fs, h, 0);
	} else if (strcmp(m, "chat.postEphemeral") == 0) {
		resp = fs_post_message(fs, h, 1);
	} else if (strcmp(m, "reactions.add") == 0) {
		/* [RA]: channel, timestamp, name; nothing else answered. */
		if (!fs_channel_ok(json_string_value(json_object_get(h->req,
		    "channel"))))
			resp = fs_err("channel_not_found");
		else if (json_string_value(json_object_get(h->req,
		    "timestamp")) == NULL || json_string_value(
		    json_object_get(h->req, "name")) == NULL)
			resp = fs_err("no_item_specified");
		else
			resp = json_pack("{s:b}", "ok", 1);
	} else if (strcmp(m, "chat.update") == 0) {
		/* [UPD]: answers the channel and ts of the message changed. */
		if (!fs_channel_ok(json_string_value(json_object_get(h->req,
		    "channel"))))
			resp = fs_err("channel_not_found");
		else if (json_string_value(json_object_get(h->req, "ts")) ==
		    NULL)
			resp = fs_err("message_not_found");
		else
			resp = json_pack("{s:b, s:O?, s:O?}", "ok", 1,
			    "channel", json_object_get(h->req, "channel"),
			    "ts", json_object_get(h->req, "ts"));
	} else if (strcmp(m, "conversations.info") == 0) {
		resp = json_pack("{s:b, s:{s:s?, s:s, s:b, s:b, s:b}}",
		    "ok", 1, "channel", "id",
		    json_string_value(json_object_get(h->req, "channel")),
		    "name", "ops", "is_channel", 1, "is_private", 0,
		    "is_archived", 0);
	} else if (strcmp(m, "chat.getPermalink") == 0) {
		/*
		 * [Slack reference/methods/chat.getPermalink]: channel and
		 * message_ts in; ok, channel and the permalink out, its path
		 * /archives/<channel>/p<ts without the dot>.
		 */
		resp = fs_permalink(h->req);
	} else if (strcmp(m, "usergroups.users.list") == 0) {
		/* [Slack reference/methods/usergroups.users.list] */
		v = json_object_get(fs->usergroups, json_string_value(
		    json_object_get(h->req, "usergroup")));
		if (v == NULL)
			resp = fs_err("no_such_subteam");
		else
			resp = json_pack("{s:b, s:O}", "ok", 1, "users", v);
	} else if (strcmp(m, "users.info") == 0) {
		/* users_info_ok.json's zone: remind reads it (e2e). */
		resp = json_pack("{s:b, s:{s:s?, s:s, s:s, s:s, s:b, "
		    "s:{s:s, s:s}}}", "ok", 1, "user", "id",
		    json_string_value(json_object_get(h->req, "user")),
		    "name", "alice", "real_name", "Alice", "tz",
		    "Europe/Berlin", "is_bot", 0,
		    "profile", "display_name", "alice", "real_name", "Alice");
	} else
		resp = fs_err("unknown_method");

out:
	/* Slack adds this warning whenever the charset is missing */
	if (strncasecmp(h->ctype, "application/json", 16) == 0 &&
	    strcasestr(h->ctype, "charset=utf-8") == NULL) {
		json_object_set_new(resp, "warning",
		    json_string("missing_charset"));
		json_object_set_new(resp, "response_metadata",
		    json_pack("{s:[s]}", "warnings", "missing_charset"));
	}
	fs_web_finish(fs, h, auth, 200, resp, NULL);
}

void
fs_web_request(struct fakeslack *fs, struct fs_http *h)
{
	struct fs_fault	*f;
	json_error_t	 jerr;
	const char	*body;

	/*
	 * A slow Slack answers late, whatever the answer turns out to be;
	 * the post log wants the arrival even if a "hold" fault delays
	 * the handling.
	 */
	h->arrived_us = fs_now_us(fs);
	fs_delay_start(fs, h);
	if (strncmp(h->path, "/hooks/", 7) == 0)
		snprintf(h->api_method, sizeof h->api_method, "hook");
	else {
		snprintf(h->api_method, sizeof h->api_method, "%s",
		    h->path + 5);
		h->api_method[strcspn(h->api_method, "/")] = '\0';
	}

	body = h->body.s != NULL ? h->body.s : "";
	if (strncasecmp(h->ctype, "application/json", 16) == 0) {
		h->req = json_loads(body, 0, &jerr);
		if (h->req == NULL)
			h->req = json_pack("{s:s, s:s}", "_parse_error",
			    "invalid_json", "_body", body);
		else if (!json_is_object(h->req)) {
			json_decref(h->req);
			h->req = json_pack("{s:s}", "_parse_error",
			    "json_not_object");
		}
	} else if (strncasecmp(h->ctype,
	    "application/x-www-form-urlencoded", 33) == 0 || *body == '\0') {
		h->req = fs_form_parse(body);
	} else
		h->req = json_pack("{s:s, s:s}", "_parse_error",
		    "invalid_form_data", "_body", body);

	f = fs_fault_find(fs, h->api_method);
	if (f == NULL) {
		fs_web_handle(fs, h);
		return;
	}
	if (f->count > 0)
		f->count--;
	switch (f->mode) {
	case FS_FAULT_429:
		h->retry_after = f->retry_after;
		fs_web_finish(fs, h, fs_web_auth(fs, h->auth), 429,
		    fs_err("ratelimited"), "429");
		break;
	case FS_FAULT_ERROR:
		fs_web_finish(fs, h, fs_web_auth(fs, h->auth), 200,
		    fs_err(f->error != NULL ? f->error : "internal_error"),
		    "error");
		break;
	case FS_FAULT_500:
		fs_log_new(fs, "api", json_pack("{s:s, s:i, s:b, s:O?, s:s, "
		    "s:b}", "method", h->api_method, "status", 500, "ok", 0,
		    "request", h->req, "fault", "500", "tls", fs_http_tls(h)));
		fs_http_answer(h, 500, "text/html",
		    "<html><body>Internal Server Error</body></html>\n");
		break;
	case FS_FAULT_HOLD:
		h->held = 1;
		TAILQ_INSERT_TAIL(&fs->holds, h, hold_entry);
		fs_log_new(fs, "hold", json_pack("{s:s, s:O?}",
		    "method", h->api_method, "request", h->req));
		break;
	case FS_FAULT_NONE:
		fs_web_handle(fs, h);
		break;
	}
}

void
fs_web_release(struct fakeslack *fs, const char *method)
{
	struct fs_http	*h, *next;

	for (h = TAILQ_FIRST(&fs->holds); h != NULL; h = next) {
		next = TAILQ_NEXT(h, hold_entry);
		if (method != NULL && strcmp(method, h->api_method) != 0)
			continue;
		TAILQ_REMOVE(&fs->holds, h, hold_entry);
		h->held = 0;
		fs_log_new(fs, "release", json_pack("{s:s}", "method",
		    h->api_method));
		fs_web_handle(fs, h);
	}
}

void
fs_web_forget(struct fakeslack *fs, struct fs_http *h)
{
	TAILQ_REMOVE(&fs->holds, h, hold_entry);
	h->held = 0;
	fs_log_new(fs, "abort", json_pack("{s:s, s:O?}", "method",
	    h->api_method, "request", h->req));
}

void
fs_web_reset(struct fakeslack *fs)
{
	size_t	i;

	for (i = 0; i < fs->nfaults; i++) {
		free(fs->faults[i].method);
		free(fs->faults[i].error);
	}
	free(fs->faults);
	fs->faults = NULL;
	fs->nfaults = 0;
	for (i = 0; i < fs->ntickets; i++)
		free(fs->tickets[i]);
	free(fs->tickets);
	fs->tickets = NULL;
	fs->ntickets = 0;
	free(fs->reject_reason);
	fs->reject_reason = NULL;
	fs->reject_count = 0;
	json_decref(fs->usergroups);
	json_decref(fs->files);
	fs->files = NULL;
	fs->usergroups = NULL;
}

char *
fs_web_ticket_new(struct fakeslack *fs)
{
	char	*ticket, *path = NULL, *url;

	ticket = fs_uuid_new(fs);
	fs->tickets = fs_xrealloc(fs->tickets, fs->ntickets + 1,
	    sizeof *fs->tickets);
	fs->tickets[fs->ntickets++] = ticket;
	if (asprintf(&path, "/link/?ticket=%s&app_id=A0001", ticket) < 0)
		abort();
	url = fs_url_new(fs, 1, path);
	free(path);
	return (url);
}

int
fs_web_ticket_use(struct fakeslack *fs, const char *ticket)
{
	size_t	i;

	for (i = 0; i < fs->ntickets; i++) {
		if (strcmp(fs->tickets[i], ticket) != 0)
			continue;
		free(fs->tickets[i]);
		fs->tickets[i] = fs->tickets[--fs->ntickets];
		return (0);
	}
	return (-1);
}
