/*
 * slack-event.c: the pure part of the Slack adapter. Socket Mode frames
 * in, decisions and JSON texts out; no I/O, so it is unit tested and
 * fuzzed on its own (tests/unit/test_slack_event.c).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

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
	if (f->type == SLACK_FRAME_EVENTS_API)
		slack_fields_from_json(f->payload, &f->ev);

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
	free(f->arena);
	memset(f, 0, sizeof *f);
}

/* ------------------------------------------------------------------ */
/* The events_api fast path: LEJP, the streaming parser of lws          */

/* The envelope members we collect. */
enum lite_field {
	LF_NONE = 0,
	LF_TYPE,
	LF_ENVELOPE_ID,
	LF_ACCEPTS,
	LF_RETRY,
	LF_PAYLOAD,
	LF_PTYPE,
	LF_EVENT_ID,
	LF_EVENT,
	LF_EV_TYPE,
	LF_EV_SUBTYPE,
	LF_EV_USER,
	LF_EV_BOT_ID,
	LF_EV_APP_ID,
	LF_EV_BOT_PROFILE,
	LF_EV_TEXT,
	LF_EV_CHANNEL,
	LF_EV_CHANNEL_TYPE,
	LF_EV_TS,
	LF_EV_THREAD_TS,
	LF__COUNT
};

/*
 * The members we collect: depth 0 is the envelope, 1 its payload, 2 the
 * payload's event. LEJP's own path matching is not used: it compares
 * every path at every member and cost more than the whole parse.
 */
static const struct {
	int		 depth;
	const char	*name;
} lite_names[LF__COUNT] = {
	[LF_TYPE] = { 0, "type" },
	[LF_ENVELOPE_ID] = { 0, "envelope_id" },
	[LF_ACCEPTS] = { 0, "accepts_response_payload" },
	[LF_RETRY] = { 0, "retry_attempt" },
	[LF_PAYLOAD] = { 0, "payload" },
	[LF_PTYPE] = { 1, "type" },
	[LF_EVENT_ID] = { 1, "event_id" },
	[LF_EVENT] = { 1, "event" },
	[LF_EV_TYPE] = { 2, "type" },
	[LF_EV_SUBTYPE] = { 2, "subtype" },
	[LF_EV_USER] = { 2, "user" },
	[LF_EV_BOT_ID] = { 2, "bot_id" },
	[LF_EV_APP_ID] = { 2, "app_id" },
	[LF_EV_BOT_PROFILE] = { 2, "bot_profile" },
	[LF_EV_TEXT] = { 2, "text" },
	[LF_EV_CHANNEL] = { 2, "channel" },
	[LF_EV_CHANNEL_TYPE] = { 2, "channel_type" },
	[LF_EV_TS] = { 2, "ts" },
	[LF_EV_THREAD_TS] = { 2, "thread_ts" },
};

/*
 * Parse state. Strings are appended to arena and found by offset (the
 * arena moves as it grows); -1 is "absent or not a string". A later
 * duplicate member overwrites an earlier one, as in jansson.
 */
struct lite {
	struct buf	 arena;
	long		 off[LF__COUNT];
	int		 field;		/* member whose value comes next */
	int		 npayload;	/* times "payload" was seen */
	int		 nevent;
	int		 is_obj[LF__COUNT];	/* payload, event, bot_profile */
	int		 accepts;
	int		 retry;
};

/*
 * The field named by the member whose name LEJP just read, or LF_NONE.
 * ctx->path is the dotted path and ctx->sp the nesting depth: they
 * agree only when no name on the way holds a dot, so a member named
 * "payload.event" is not payload's event.
 */
static int
lite_match(const struct lejp_ctx *ctx)
{
	static const char *const prefix[] = { "", "payload.",
	    "payload.event." };
	const char	*tail;
	size_t		 plen;
	int		 f;

	if (ctx->sp > 2)
		return (LF_NONE);
	plen = strlen(prefix[ctx->sp]);
	if (strncmp(ctx->path, prefix[ctx->sp], plen) != 0)
		return (LF_NONE);
	tail = ctx->path + plen;
	for (f = LF_NONE + 1; f < LF__COUNT; f++) {
		if (lite_names[f].depth == ctx->sp &&
		    strcmp(tail, lite_names[f].name) == 0)
			return (f);
	}
	return (LF_NONE);
}

/* JSON's own whitespace: what jansson skips around a document. */
static size_t
json_space_len(const char *p, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' &&
		    p[i] != '\n')
			break;
	}
	return (i);
}

/*
 * Refuses (so jansson decides) the numbers where LEJP is laxer than
 * jansson: leading zeros, exponents, integers out of jansson's range.
 * Reals never occur in an envelope: they are refused too.
 */
static int
lite_int_ok(const char *s)
{
	size_t	 n;

	if (*s == '-')
		s++;
	n = strlen(s);
	/* LEJP reports 1e999 as an integer: jansson finds it overflows. */
	if (n == 0 || n > 18 || strpbrk(s, "eE") != NULL)
		return (0);
	return (!(s[0] == '0' && n > 1));
}

/*
 * LEJP 4.1.6 appends each member name to ctx->path (LEJP_MAX_PATH
 * bytes) through a one-byte index, unchecked: a name that runs past the
 * end spills into ctx->buf, which follows path, and once the path
 * reaches 256 bytes the index wraps and the name's tail overwrites the
 * path's start. Every later member of payload or event then had a
 * wrong path and was missed (../shared/repro/envelope/), and a tail
 * spelling "payload.event.text" could pose as that member. So lite_cb
 * keeps ctx->buf[0] at NUL between values, and a name that reached
 * buf, filled path or ended before its parent's path (a wrap) sends
 * the whole frame to jansson. Checked at every name, at every depth:
 * a spill deep down corrupts the path of the shallow members too.
 */
_Static_assert(offsetof(struct lejp_ctx, buf) ==
    offsetof(struct lejp_ctx, path) + LEJP_MAX_PATH,
    "LEJP's path no longer spills into buf: revisit lite_name_spilled");

static int
lite_name_spilled(const struct lejp_ctx *ctx)
{
	size_t	 end = ctx->pst[ctx->pst_sp].ppos;
	size_t	 parent = (unsigned char)ctx->st[ctx->sp].p;

	return (ctx->buf[0] != '\0' || end + 1 >= LEJP_MAX_PATH ||
	    end < parent);
}

static signed char	lite_collect(struct lejp_ctx *, char);

static signed char
lite_cb(struct lejp_ctx *ctx, char reason)
{
	signed char	 rv;

	if (reason == LEJPCB_PAIR_NAME && lite_name_spilled(ctx))
		return (-1);
	rv = lite_collect(ctx, reason);
	/* LEJP is done with buf until the next value: the sentinel. */
	ctx->buf[0] = '\0';
	return (rv);
}

static signed char
lite_collect(struct lejp_ctx *ctx, char reason)
{
	struct lite	*l = ctx->user;
	int		 f = l->field;
	long		 v;

	switch (reason) {
	case LEJPCB_PAIR_NAME:
		if ((l->field = f = lite_match(ctx)) == LF_NONE)
			return (0);
		if ((f == LF_PAYLOAD && l->npayload++ > 0) ||
		    (f == LF_EVENT && l->nevent++ > 0))
			return (-1);	/* jansson keeps the last: let it */
		l->off[f] = -1;
		l->is_obj[f] = 0;
		return (0);
	case LEJPCB_VAL_NUM_INT:
		if (!lite_int_ok(ctx->buf))
			return (-1);
		if (f == LF_RETRY) {
			v = strtol(ctx->buf, NULL, 10);
			l->retry = v > 0 && v < 1000 ? (int)v : 0;
		}
		break;
	case LEJPCB_VAL_NUM_FLOAT:
		return (-1);
	case LEJPCB_VAL_TRUE:
		if (f == LF_ACCEPTS)
			l->accepts = 1;
		break;
	case LEJPCB_VAL_FALSE:
	case LEJPCB_VAL_NULL:
		break;
	case LEJPCB_OBJECT_START:
		if (f != LF_NONE)
			l->is_obj[f] = 1;
		break;
	case LEJPCB_ARRAY_START:
		break;
	case LEJPCB_VAL_STR_START:
		if (f != LF_NONE)
			l->off[f] = (long)l->arena.len;
		return (0);
	case LEJPCB_VAL_STR_CHUNK:
		if (f != LF_NONE)
			buf_add(&l->arena, ctx->buf, ctx->npos);
		return (0);
	case LEJPCB_VAL_STR_END:
		if (f != LF_NONE) {
			buf_add(&l->arena, ctx->buf, ctx->npos);
			buf_addc(&l->arena, '\0');
		}
		break;
	default:
		return (0);
	}
	/* That was the member's whole value: what follows is not it. */
	if (f == LF_ACCEPTS && reason != LEJPCB_VAL_TRUE)
		l->accepts = 0;
	if (f == LF_RETRY && reason != LEJPCB_VAL_NUM_INT)
		l->retry = 0;
	l->field = LF_NONE;
	return (0);
}

/* A collected string as get_str() sees it: NULL if absent or empty. */
static const char *
lite_str(const struct lite *l, const char *base, int f)
{
	if (l->off[f] < 0 || base[l->off[f]] == '\0')
		return (NULL);
	return (base + l->off[f]);
}

/*
 * Whether LEJP may read data at all: ASCII only (so every string is
 * what jansson would make of it), no \u escape (LEJP does not pair
 * surrogates and lets \u0000 through), no newline (LEJP takes '#' to
 * the end of a line as a comment; without a newline such a frame never
 * completes and jansson gets it).
 */
static int
lite_eligible(const unsigned char *p, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++) {
		if (p[i] >= 0x80 || p[i] == '\n' || p[i] == '\0')
			return (0);
		if (p[i] == '\\' && i + 1 < len && p[i + 1] == 'u')
			return (0);
	}
	return (1);
}

/* 0 with f filled from the fast path, or -1: use slack_frame_parse. */
static int
lite_parse(const char *data, size_t len, struct slack_frame *f)
{
	struct lejp_ctx	 ctx;
	struct lite	 l;
	const char	*b, *type;
	int		 i, rv = -1, left;

	if (len > INT_MAX || !lite_eligible((const unsigned char *)data, len))
		return (-1);
	memset(&l, 0, sizeof l);
	for (i = 0; i < LF__COUNT; i++)
		l.off[i] = -1;
	/*
	 * A string collected takes its length plus a NUL, less than its
	 * quoted text in data: one allocation of len + 1 holds them all,
	 * where growing the arena string by string took several.
	 */
	l.arena.s = xmalloc(len + 1);
	l.arena.s[0] = '\0';
	l.arena.cap = len + 1;
	lejp_construct(&ctx, lite_cb, &l, NULL, 0);
	left = lejp_parse(&ctx, (const unsigned char *)data, (int)len);
	lejp_destruct(&ctx);
	if (left < 0)
		goto out;
	/* jansson refuses anything but whitespace after the object. */
	if (json_space_len(data + len - left, (size_t)left) != (size_t)left)
		goto out;
	b = l.arena.s;
	if (b == NULL || (type = lite_str(&l, b, LF_TYPE)) == NULL ||
	    strcmp(type, "events_api") != 0)
		goto out;

	memset(f, 0, sizeof *f);
	f->type = SLACK_FRAME_EVENTS_API;
	f->type_name = type;
	f->envelope_id = lite_str(&l, b, LF_ENVELOPE_ID);
	f->retry_attempt = l.retry;
	f->accepts_response_payload = l.accepts;
	if (l.is_obj[LF_PAYLOAD]) {
		f->ev.payload_type = lite_str(&l, b, LF_PTYPE);
		f->ev.event_id = lite_str(&l, b, LF_EVENT_ID);
		f->ev.has_event = l.is_obj[LF_EVENT];
	}
	if (f->ev.has_event) {
		f->ev.type = lite_str(&l, b, LF_EV_TYPE);
		f->ev.subtype = lite_str(&l, b, LF_EV_SUBTYPE);
		f->ev.user = lite_str(&l, b, LF_EV_USER);
		f->ev.bot_id = lite_str(&l, b, LF_EV_BOT_ID);
		f->ev.app_id = lite_str(&l, b, LF_EV_APP_ID);
		f->ev.bot_profile = l.is_obj[LF_EV_BOT_PROFILE];
		f->ev.text = l.off[LF_EV_TEXT] >= 0 ? b + l.off[LF_EV_TEXT] :
		    NULL;
		f->ev.channel = lite_str(&l, b, LF_EV_CHANNEL);
		f->ev.channel_type = lite_str(&l, b, LF_EV_CHANNEL_TYPE);
		f->ev.ts = lite_str(&l, b, LF_EV_TS);
		f->ev.thread_ts = lite_str(&l, b, LF_EV_THREAD_TS);
	}
	f->arena = buf_release(&l.arena);
	rv = 0;
out:
	buf_reset(&l.arena);
	return (rv);
}

int
slack_frame_parse_lite(const char *data, size_t len, struct slack_frame *f,
    char **cause)
{
	const char	*p = data;
	size_t		 n = len;

	/* Frames are JSON objects, as in slack_frame_parse. */
	while (n > 0 && isspace((unsigned char)*p)) {
		p++;
		n--;
	}
	if (n > 0 && *p == '{' && lite_parse(p, n, f) == 0)
		return (0);
	return (slack_frame_parse(data, len, f, cause));
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

void
slack_fields_from_json(json_t *payload, struct slack_event_fields *ev)
{
	json_t	*e;

	memset(ev, 0, sizeof *ev);
	if (!json_is_object(payload))
		return;
	ev->payload_type = get_str(payload, "type");
	ev->event_id = get_str(payload, "event_id");
	e = json_object_get(payload, "event");
	if (!json_is_object(e))
		return;
	ev->has_event = 1;
	ev->type = get_str(e, "type");
	ev->subtype = get_str(e, "subtype");
	ev->user = get_str(e, "user");
	ev->bot_id = get_str(e, "bot_id");
	ev->app_id = get_str(e, "app_id");
	ev->bot_profile = json_is_object(json_object_get(e, "bot_profile"));
	ev->text = json_string_value(json_object_get(e, "text"));
	ev->channel = get_str(e, "channel");
	ev->channel_type = get_str(e, "channel_type");
	ev->ts = get_str(e, "ts");
	ev->thread_ts = get_str(e, "thread_ts");
}

enum slack_verdict
slack_event_to_msg(json_t *payload, const struct slack_self *self,
    struct msg *out)
{
	struct slack_event_fields	 ev;

	slack_fields_from_json(payload, &ev);
	return (slack_fields_to_msg(&ev, self, out));
}

enum slack_verdict
slack_fields_to_msg(const struct slack_event_fields *ev,
    const struct slack_self *self, struct msg *out)
{
	int	 mention;

	memset(out, 0, sizeof *out);
	/* app_rate_limited has no event [EV §3.1]. */
	if (!ev->has_event)
		return (SLACK_IGNORE_NO_EVENT);
	if (ev->type == NULL)
		return (SLACK_IGNORE_TYPE);
	if (strcmp(ev->type, "app_mention") == 0)
		mention = 1;
	else if (strcmp(ev->type, "message") == 0)
		mention = 0;
	else
		return (SLACK_IGNORE_TYPE);

	/* Our own posts come back without a subtype [EV §3.4]. */
	if (same(ev->user, self->user_id) || same(ev->bot_id, self->bot_id) ||
	    same(ev->app_id, self->app_id))
		return (SLACK_IGNORE_SELF);
	/* Two bots answering each other never stop [EV §3.4]. */
	if (ev->bot_id != NULL || (ev->subtype != NULL &&
	    strcmp(ev->subtype, "bot_message") == 0) || ev->bot_profile)
		return (SLACK_IGNORE_BOT);
	if (ev->subtype != NULL && strcmp(ev->subtype, "thread_broadcast") !=
	    0 && strcmp(ev->subtype, "file_share") != 0)
		return (SLACK_IGNORE_SUBTYPE);

	out->adapter = "slack";
	out->channel = ev->channel;
	out->user = ev->user;
	out->ts = ev->ts;
	out->thread_ts = ev->thread_ts;
	out->event_id = ev->event_id;
	out->bot_user_id = self->user_id;
	out->text = ev->text;
	if (out->channel == NULL || out->user == NULL || out->ts == NULL ||
	    out->text == NULL) {
		memset(out, 0, sizeof *out);
		return (SLACK_IGNORE_INVALID);
	}
	/* app_mention has no channel_type; DMs need no prefix [EV §3.5]. */
	if (mention || same(ev->channel_type, "im"))
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

/*
 * A new JSON string of s (borrowed, NUL-terminated), or NULL if jansson
 * cannot allocate. jansson refuses text that is not UTF-8 (a Latin-1
 * runbook, an echo cut inside a character), which once ended the bot:
 * such text is repaired first, its stray bytes read as Windows-1252.
 */
static json_t *
json_text_new(const char *s)
{
	struct buf	 b = { 0 };
	json_t		*j;
	size_t		 len = strlen(s);

	if (utf8_valid(s, len))
		return (json_stringn(s, len));
	utf8_repair(&b, s, len, NULL);
	j = json_stringn(b.s, b.len);
	buf_reset(&b);
	return (j);
}

/*
 * Sets o[key] to the JSON string of s; 0, or -1 if o is NULL or jansson
 * cannot allocate. json_object_set_new steals the new string even when
 * it fails, and takes NULL as a failure.
 */
static int
set_text(json_t *o, const char *key, const char *s)
{
	if (o == NULL)
		return (-1);
	return (json_object_set_new(o, key, json_text_new(s)));
}

/* The same for a boolean. */
static int
set_bool(json_t *o, const char *key, int v)
{
	if (o == NULL)
		return (-1);
	return (json_object_set_new(o, key, json_boolean(v)));
}

/*
 * Dumps obj (a new reference, stolen; may be NULL) to a new string, or
 * NULL if obj is NULL or jansson cannot dump it.
 */
static char *
dump_new(json_t *obj)
{
	char	*s, *copy;

	if (obj == NULL)
		return (NULL);
	s = json_dumps(obj, JSON_COMPACT);
	json_decref(obj);
	if (s == NULL)
		return (NULL);
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

	/* Member order as before: channel, text, flags, thread_ts. */
	o = json_object();
	if (set_text(o, "channel", channel) == -1 ||
	    set_text(o, "text", text) == -1 ||
	    set_bool(o, "mrkdwn", 1) == -1 ||
	    set_bool(o, "unfurl_links", 0) == -1 ||
	    set_bool(o, "unfurl_media", 0) == -1 ||
	    (thread_ts != NULL && set_text(o, "thread_ts", thread_ts) == -1)) {
		json_decref(o);
		return (NULL);
	}
	return (dump_new(o));
}

char *
slack_response_url_body_new(const char *text)
{
	json_t	*o;

	o = json_object();
	if (set_text(o, "response_type", "in_channel") == -1 ||
	    set_text(o, "text", text) == -1 ||
	    set_bool(o, "replace_original", 0) == -1) {
		json_decref(o);
		return (NULL);
	}
	return (dump_new(o));
}

char *
slack_ack_new(const char *envelope_id, const char *text)
{
	json_t	*o, *p = NULL;
	char	*s = NULL;
	int	 rv;

	o = json_object();
	if (set_text(o, "envelope_id", envelope_id) == -1)
		goto out;
	if (text != NULL) {
		p = json_object();
		if (set_text(p, "response_type", "in_channel") == -1 ||
		    set_text(p, "text", text) == -1)
			goto out;
		/* o takes p's reference, even when it fails. */
		rv = json_object_set_new(o, "payload", p);
		p = NULL;
		if (rv == -1)
			goto out;
	}
	s = dump_new(o);
	o = NULL;
	if (s != NULL && strlen(s) >= SLACK_ACK_MAX) {
		free(s);
		s = NULL;
	}
out:
	json_decref(p);
	json_decref(o);
	return (s);
}

int
slack_ack_format(char *dst, size_t dstlen, const char *envelope_id)
{
	const unsigned char	*p;
	int			 n;

	/* Only what JSON (and jansson) writes unescaped. */
	for (p = (const unsigned char *)envelope_id; *p != '\0'; p++) {
		if (*p < 0x20 || *p >= 0x7f || *p == '"' || *p == '\\')
			return (-1);
	}
	n = snprintf(dst, dstlen, "{\"envelope_id\":\"%s\"}", envelope_id);
	if (n < 0 || (size_t)n >= dstlen || n >= SLACK_ACK_MAX)
		return (-1);
	return (n);
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
slack_conn_healthy(int64_t hello_ms, int64_t lost_ms)
{
	return (hello_ms > 0 && lost_ms - hello_ms >= SLACK_HEALTHY_MS);
}

int64_t
slack_silence_check(int64_t now_ms, int64_t last_rx_ms, int64_t timeout_ms,
    int pending)
{
	int64_t	 quiet = now_ms - last_rx_ms;

	if (quiet < timeout_ms)
		return (timeout_ms - quiet);
	/* Unread bytes: the loop stalled, the peer did not; read them. */
	if (pending && quiet < 2 * timeout_ms)
		return (timeout_ms / 10 > 0 ? timeout_ms / 10 : 1);
	return (0);
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

char *
slack_url_redact_new(const char *url)
{
	static const CURLUPart	 drop[] = { CURLUPART_USER,
	    CURLUPART_PASSWORD, CURLUPART_OPTIONS, CURLUPART_QUERY,
	    CURLUPART_FRAGMENT };
	CURLU			*u;
	char			*s = NULL, *out = NULL;
	size_t			 i;

	if ((u = curl_url()) == NULL)
		goto out;
	/* wss:// is not a scheme every libcurl build knows. */
	if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) !=
	    CURLUE_OK)
		goto out;
	for (i = 0; i < sizeof drop / sizeof drop[0]; i++) {
		if (curl_url_set(u, drop[i], NULL, 0) != CURLUE_OK)
			goto out;
	}
	if (curl_url_get(u, CURLUPART_URL, &s, 0) != CURLUE_OK)
		goto out;
	out = xstrdup(s);
out:
	curl_free(s);
	curl_url_cleanup(u);
	return (out != NULL ? out : xstrdup("(not a URL)"));
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
