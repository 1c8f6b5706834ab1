/*
 * slack-frame.c: Socket Mode frames read with jansson [SM §2]: the
 * envelope, the events_api fields (slack_fields_from_json) and safe
 * excerpts of frames for logs. The LEJP fast path for message events is
 * slack-frame-lejp.c; both fill the same struct slack_frame.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/slack.h"

const char *
slack_json_text(json_t *v)
{
	const char	*s;

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
	json_t		*root = NULL, *type_v = NULL, *id = NULL, *reason = NULL;
	json_t		*conn = NULL, *retry = NULL, *accepts = NULL;
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
	/*
	 * Every member optional and of any type ("o": borrowed, absent
	 * leaves NULL), judged below: Slack adds and changes fields [EV],
	 * and a mistyped one must not cost the others.
	 */
	if (!json_is_object(root) || json_unpack(root,
	    "{s?o s?o s?o s?o s?o s?o s?o}", "type", &type_v,
	    "envelope_id", &id, "payload", &f->payload, "reason", &reason,
	    "connection_info", &conn, "retry_attempt", &retry,
	    "accepts_response_payload", &accepts) != 0) {
		xasprintf(cause, "frame is not a JSON object");
		goto out;
	}
	if ((type = slack_json_text(type_v)) == NULL) {
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

	f->envelope_id = slack_json_text(id);
	f->reason = slack_json_text(reason);
	f->app_id = slack_json_text(json_object_get(conn, "app_id"));
	if (json_is_integer(retry) && json_integer_value(retry) > 0 &&
	    json_integer_value(retry) < 1000)
		f->retry_attempt = (int)json_integer_value(retry);
	f->accepts_response_payload = json_is_true(accepts);
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

void
slack_fields_from_json(json_t *payload, struct slack_event_fields *ev)
{
	json_t	*ptype = NULL, *id = NULL, *e = NULL, *type = NULL;
	json_t	*subtype = NULL, *user = NULL, *bot_id = NULL, *app_id = NULL;
	json_t	*profile = NULL, *text = NULL, *channel = NULL;
	json_t	*channel_type = NULL, *ts = NULL, *thread_ts = NULL;
	json_t	*reaction = NULL, *item = NULL, *itype = NULL, *ichan = NULL;
	json_t	*its = NULL;

	memset(ev, 0, sizeof *ev);
	/* Any type for every member, as in slack_frame_parse. */
	if (!json_is_object(payload) || json_unpack(payload,
	    "{s?o s?o s?o}", "type", &ptype, "event_id", &id, "event", &e) != 0)
		return;
	ev->payload_type = slack_json_text(ptype);
	ev->event_id = slack_json_text(id);
	if (!json_is_object(e) || json_unpack(e,
	    "{s?o s?o s?o s?o s?o s?o s?o s?o s?o s?o s?o s?o s?o}", "type",
	    &type, "subtype", &subtype, "user", &user, "bot_id", &bot_id,
	    "app_id", &app_id, "bot_profile", &profile, "text", &text,
	    "channel", &channel, "channel_type", &channel_type, "ts", &ts,
	    "thread_ts", &thread_ts, "reaction", &reaction, "item",
	    &item) != 0)
		return;
	/* reaction_added: item {type, channel, ts} [EV]. */
	if (json_is_object(item) && json_unpack(item, "{s?o s?o s?o}",
	    "type", &itype, "channel", &ichan, "ts", &its) == 0) {
		ev->item_type = slack_json_text(itype);
		ev->item_channel = slack_json_text(ichan);
		ev->item_ts = slack_json_text(its);
	}
	ev->reaction = slack_json_text(reaction);
	ev->has_event = 1;
	ev->type = slack_json_text(type);
	ev->subtype = slack_json_text(subtype);
	ev->user = slack_json_text(user);
	ev->bot_id = slack_json_text(bot_id);
	ev->app_id = slack_json_text(app_id);
	ev->bot_profile = json_is_object(profile);
	/* text alone may be "": an empty message is still one. */
	ev->text = json_string_value(text);
	ev->channel = slack_json_text(channel);
	ev->channel_type = slack_json_text(channel_type);
	ev->ts = slack_json_text(ts);
	ev->thread_ts = slack_json_text(thread_ts);
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
