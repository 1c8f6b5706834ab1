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

/* A string member, or NULL when absent, not a string or empty. */
const char *
slack_json_str(json_t *obj, const char *key)
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
	if ((type = slack_json_str(root, "type")) == NULL) {
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

	f->envelope_id = slack_json_str(root, "envelope_id");
	v = json_object_get(root, "payload");
	f->payload = v;
	f->reason = slack_json_str(root, "reason");
	f->app_id = slack_json_str(json_object_get(root, "connection_info"),
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

void
slack_fields_from_json(json_t *payload, struct slack_event_fields *ev)
{
	json_t	*e;

	memset(ev, 0, sizeof *ev);
	if (!json_is_object(payload))
		return;
	ev->payload_type = slack_json_str(payload, "type");
	ev->event_id = slack_json_str(payload, "event_id");
	e = json_object_get(payload, "event");
	if (!json_is_object(e))
		return;
	ev->has_event = 1;
	ev->type = slack_json_str(e, "type");
	ev->subtype = slack_json_str(e, "subtype");
	ev->user = slack_json_str(e, "user");
	ev->bot_id = slack_json_str(e, "bot_id");
	ev->app_id = slack_json_str(e, "app_id");
	ev->bot_profile = json_is_object(json_object_get(e, "bot_profile"));
	ev->text = json_string_value(json_object_get(e, "text"));
	ev->channel = slack_json_str(e, "channel");
	ev->channel_type = slack_json_str(e, "channel_type");
	ev->ts = slack_json_str(e, "ts");
	ev->thread_ts = slack_json_str(e, "thread_ts");
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
