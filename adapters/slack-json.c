/*
 * slack-json.c: the JSON texts we send: chat.postMessage, chat.update,
 * reactions.add and response_url bodies, Socket Mode acks. Strings that are not UTF-8 are
 * repaired before jansson sees them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/slack.h"

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

/* The chat.postMessage object [PM] (new reference), or NULL. */
static json_t *
post_object_new(const char *channel, const char *text, const char *thread_ts)
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
	return (o);
}

char *
slack_post_body_new(const char *channel, const char *text,
    const char *thread_ts)
{
	return (dump_new(post_object_new(channel, text, thread_ts)));
}

/*
 * Adds p->blocks to o as "blocks" when it is a JSON array; 0, or -1 if
 * jansson cannot allocate. Blocks that do not parse were built by our
 * own code wrongly: logged, and the text goes alone.
 */
static int
add_blocks(json_t *o, const struct post *p)
{
	json_error_t	 err;
	json_t		*b;

	if (p->blocks == NULL)
		return (0);
	b = json_loads(p->blocks, JSON_REJECT_DUPLICATES, &err);
	if (!json_is_array(b)) {
		log_errx("slack: the blocks of a %s in %s are not a JSON "
		    "array (%s); sending the text alone", post_op_name(p->op),
		    p->channel, b == NULL ? err.text : "not an array");
		json_decref(b);
		return (0);
	}
	return (json_object_set_new(o, "blocks", b));
}

char *
slack_request_new(const struct post *p, const char **method)
{
	json_t		*o = NULL;
	const char	*text = p->text != NULL ? p->text : "";

	*method = NULL;
	switch (p->op) {
	case POST_MESSAGE:
		*method = "chat.postMessage";
		o = post_object_new(p->channel, text, p->thread_ts);
		break;
	case POST_UPDATE:
		*method = "chat.update";
		o = json_object();
		if (p->target_ts == NULL || set_text(o, "channel",
		    p->channel) == -1 || set_text(o, "ts", p->target_ts) == -1 ||
		    set_text(o, "text", text) == -1) {
			json_decref(o);
			return (NULL);
		}
		break;
	case POST_REACTION:
		*method = "reactions.add";
		o = json_object();
		if (p->target_ts == NULL || p->reaction == NULL ||
		    set_text(o, "channel", p->channel) == -1 ||
		    set_text(o, "timestamp", p->target_ts) == -1 ||
		    set_text(o, "name", p->reaction) == -1) {
			json_decref(o);
			return (NULL);
		}
		return (dump_new(o));
	case POST_RESPOND:
		*method = "response_url";
		return (slack_response_url_body_new(text));
	}
	if (o == NULL || add_blocks(o, p) == -1) {
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
