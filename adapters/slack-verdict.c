/*
 * slack-verdict.c: pure decisions on what Slack sent. Whether an event
 * is a message for the bot (and its struct msg), a slash command's msg,
 * dedupe keys, the reply thread and what a disconnect reason asks of us.
 */
#include <stdlib.h>
#include <string.h>

#include "adapters/slack.h"

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
	struct slack_event_fields	 ev;

	slack_fields_from_json(payload, &ev);
	return (slack_fields_to_msg(&ev, self, out));
}

/*
 * reaction_added [EV]: a reaction to a message (not a file) by a user;
 * ours (the watches react) are MSG_FROM_SELF.
 */
static enum slack_verdict
reaction_to_msg(const struct slack_event_fields *ev,
    const struct slack_self *self, struct msg *out)
{
	if (ev->user == NULL || ev->reaction == NULL ||
	    !same(ev->item_type, "message") || ev->item_channel == NULL ||
	    ev->item_ts == NULL)
		return (SLACK_IGNORE_INVALID);
	out->kind = MSG_REACTION;
	out->adapter = "slack";
	out->channel = ev->item_channel;
	out->ts = ev->item_ts;
	out->user = ev->user;
	out->reaction = ev->reaction;
	out->event_id = ev->event_id;
	out->bot_user_id = self->user_id;
	out->text = "";
	if (same(ev->user, self->user_id))
		out->flags |= MSG_FROM_SELF;
	return (SLACK_HANDLE);
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
	if (strcmp(ev->type, "reaction_added") == 0)
		return (reaction_to_msg(ev, self, out));
	if (strcmp(ev->type, "app_mention") == 0)
		mention = 1;
	else if (strcmp(ev->type, "message") == 0)
		mention = 0;
	else
		return (SLACK_IGNORE_TYPE);

	/* Our own posts come back without a subtype [EV §3.4]. */
	if (same(ev->user, self->user_id) || same(ev->bot_id, self->bot_id) ||
	    same(ev->app_id, self->app_id))
		out->flags |= MSG_FROM_SELF;
	/* Two bots answering each other never stop [EV §3.4]. */
	else if (ev->bot_id != NULL || (ev->subtype != NULL &&
	    strcmp(ev->subtype, "bot_message") == 0) || ev->bot_profile)
		out->flags |= MSG_FROM_BOT;
	if (ev->subtype != NULL) {
		if (strcmp(ev->subtype, "message_changed") == 0)
			out->flags |= MSG_EDITED;
		else if (strcmp(ev->subtype, "message_deleted") == 0)
			out->flags |= MSG_DELETED;
		else if (strcmp(ev->subtype, "thread_broadcast") != 0 &&
		    strcmp(ev->subtype, "file_share") != 0 &&
		    strcmp(ev->subtype, "bot_message") != 0) {
			memset(out, 0, sizeof *out);
			return (SLACK_IGNORE_SUBTYPE);
		}
	}

	out->adapter = "slack";
	out->channel = ev->channel;
	out->user = ev->user;
	out->ts = ev->ts;
	out->thread_ts = ev->thread_ts;
	out->event_id = ev->event_id;
	out->bot_user_id = self->user_id;
	out->text = ev->text;
	/*
	 * An edit or a deletion carries the message inside it, and a bot's
	 * post may have no user: the gate drops them unless a handler asks,
	 * so only a channel is required of those.
	 */
	if (out->channel == NULL || ((out->flags & (MSG_EDITED | MSG_DELETED |
	    MSG_FROM_SELF | MSG_FROM_BOT)) == 0 && (out->user == NULL ||
	    out->ts == NULL || out->text == NULL))) {
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
	json_t	*command = NULL, *channel = NULL, *user = NULL, *text = NULL;
	json_t	*rurl = NULL;

	memset(out, 0, sizeof *out);
	*response_url = NULL;
	/* Any type for every member: a mistyped one is as if absent. */
	if (!json_is_object(payload) || json_unpack(payload,
	    "{s?o s?o s?o s?o s?o}", "command", &command, "channel_id",
	    &channel, "user_id", &user, "text", &text, "response_url",
	    &rurl) != 0)
		return (-1);
	out->adapter = "slack";
	out->command = slack_json_text(command);
	out->channel = slack_json_text(channel);
	out->user = slack_json_text(user);
	out->text = json_is_string(text) ? json_string_value(text) : "";
	out->addressed = 1;
	if (out->command == NULL || out->channel == NULL || out->user == NULL) {
		memset(out, 0, sizeof *out);
		return (-1);
	}
	*response_url = slack_json_text(rurl);
	return (0);
}

int
slack_action_to_msg(json_t *payload, const struct slack_self *self,
    struct msg *out, const char **response_url)
{
	json_t		*type = NULL, *user = NULL, *container = NULL;
	json_t		*channel = NULL, *actions = NULL, *rurl = NULL;
	json_t		*a, *uid = NULL, *cch = NULL, *cts = NULL, *cth = NULL;
	json_t		*aid = NULL, *aval = NULL, *ats = NULL, *chid = NULL;

	memset(out, 0, sizeof *out);
	*response_url = NULL;
	/* Any type for every member, as in slack_frame_parse. */
	if (!json_is_object(payload) || json_unpack(payload,
	    "{s?o s?o s?o s?o s?o s?o}", "type", &type, "user", &user,
	    "container", &container, "channel", &channel, "actions",
	    &actions, "response_url", &rurl) != 0)
		return (-1);
	if (!same(slack_json_text(type), "block_actions"))
		return (-1);
	/* One click, one action [HUI]; the first is the one clicked. */
	a = json_array_get(actions, 0);
	if (!json_is_object(user) || !json_is_object(container) ||
	    !json_is_object(a) ||
	    json_unpack(user, "{s?o}", "id", &uid) != 0 ||
	    json_unpack(container, "{s?o s?o s?o}", "channel_id", &cch,
	    "message_ts", &cts, "thread_ts", &cth) != 0 ||
	    json_unpack(a, "{s?o s?o s?o}", "action_id", &aid, "value",
	    &aval, "action_ts", &ats) != 0)
		return (-1);
	if (json_is_object(channel))
		chid = json_object_get(channel, "id");
	out->kind = MSG_ACTION;
	out->adapter = "slack";
	out->user = slack_json_text(uid);
	out->channel = slack_json_text(cch);
	if (out->channel == NULL)
		out->channel = slack_json_text(chid);
	out->ts = slack_json_text(cts);
	out->thread_ts = slack_json_text(cth);
	out->action_id = slack_json_text(aid);
	out->action_value = slack_json_text(aval);
	out->action_ts = slack_json_text(ats);
	out->bot_user_id = self->user_id;
	out->text = "";
	if (out->user == NULL || out->channel == NULL || out->ts == NULL ||
	    out->action_id == NULL || out->action_ts == NULL) {
		memset(out, 0, sizeof *out);
		return (-1);
	}
	if (same(out->user, self->user_id))
		out->flags |= MSG_FROM_SELF;
	*response_url = slack_json_text(rurl);
	return (0);
}
