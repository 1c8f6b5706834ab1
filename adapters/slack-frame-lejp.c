/*
 * slack-frame-lejp.c: the events_api fast path. An envelope in plain
 * ASCII is read with LEJP, the streaming parser of lws, without building
 * a jansson tree; anything it is not sure of goes to slack_frame_parse
 * (slack-frame.c). Fuzzed against jansson by tests/fuzz/fuzz-envelope.c.
 */
#include <ctype.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/slack.h"


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

/* A collected string as slack_json_text() sees it: NULL if absent or "". */
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

	/* A reaction's item is read by jansson alone: rare, and nested. */
	if (l.is_obj[LF_EVENT] && (type = lite_str(&l, b, LF_EV_TYPE)) !=
	    NULL && strcmp(type, "reaction_added") == 0)
		goto out;
	type = lite_str(&l, b, LF_TYPE);

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
