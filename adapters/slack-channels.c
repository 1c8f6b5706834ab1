/*
 * slack-channels.c: channel names from conversations.info [CI:
 * docs.slack.dev reference/methods/conversations.info: channel.name,
 * channel.is_member; scopes channels:read, groups:read]. A channel is
 * asked about once per run, the first time a message from it arrives,
 * so that watch rules written with a name (`#operator-vault-general`)
 * apply to the ID messages carry; the names are cached in the store
 * (channels.h). At start, every watch rule written with an ID is
 * checked, so that a rule for a channel the bot is not in says so.
 */
#include <stdlib.h>
#include <string.h>

#include "adapters/slack.h"
#include "bot/channels.h"
#include "bot/watch.h"

/* Channels asked about in this run; past this the list starts over. */
#define SLACK_CHANNELS_MAX	1024

/* A conversations.info call in flight. */
struct slack_channel_call {
	struct slack	*sl;		/* borrowed */
	char		*channel;	/* owned: the ID asked about */
	char		*rule;		/* owned: the watch rule, or NULL */
};

/* Frees c; also slack_api_call's drop, for a call abandoned. */
static void
channel_call_free(void *arg)
{
	struct slack_channel_call	*c = arg;

	free(c->channel);
	free(c->rule);
	free(c);
}

static void
on_channel_info(void *arg, const struct slack_api_answer *a,
    const struct slack_web_resp *r)
{
	struct slack_channel_call	*c = arg;
	json_t				*ch = NULL;
	const char			*name;

	if (a->verdict != SLACK_API_OK) {
		if (c->rule != NULL)
			log_warnx("slack: watch rule '%s': channel %s: %s "
			    "(is opsbot in it? /invite @opsbot there)",
			    c->rule, c->channel, a->status == 0 ?
			    r->net_errstr : a->why);
		else
			log_info("slack: conversations.info %s: %s",
			    c->channel, a->status == 0 ? r->net_errstr :
			    a->why);
		goto out;
	}
	if (json_unpack(a->root, "{s:o}", "channel", &ch) != 0 ||
	    !json_is_object(ch))
		goto out;
	name = json_string_value(json_object_get(ch, "name"));
	if (name != NULL && *name != '\0')
		channel_learn(c->sl->bot, c->channel, name);
	if (c->rule != NULL && json_is_false(json_object_get(ch,
	    "is_member")))
		log_warnx("slack: watch rule '%s': opsbot is not in #%s (%s): "
		    "invite it with /invite @opsbot", c->rule,
		    name != NULL ? name : "?", c->channel);
out:
	channel_call_free(c);
}

/* Asks conversations.info about channel; rule names a watch rule. */
static void
ask(struct slack *sl, const char *channel, const char *rule)
{
	struct slack_channel_call	*c;
	char				*body;

	if ((body = slack_form_new("channel", channel)) == NULL)
		return;
	c = xcalloc(1, sizeof *c);
	c->sl = sl;
	c->channel = xstrdup(channel);
	c->rule = rule != NULL ? xstrdup(rule) : NULL;
	if (slack_api_call(sl, "conversations.info", NULL, body,
	    on_channel_info, c, channel_call_free) == -1)
		channel_call_free(c);
	free(body);
}

void
slack_channels_learn(struct slack *sl, const char *channel)
{
	size_t	 i;

	if (channel == NULL || *channel == '\0' ||
	    channel_name(sl->bot, channel) != NULL)
		return;
	for (i = 0; i < sl->channels_asked.n; i++) {
		if (strcmp(sl->channels_asked.v[i], channel) == 0)
			return;
	}
	if (sl->channels_asked.n >= SLACK_CHANNELS_MAX)
		strv_reset(&sl->channels_asked);
	strv_add(&sl->channels_asked, channel);
	ask(sl, channel, NULL);
}

void
slack_channels_check_watches(struct slack *sl)
{
	const struct watch_set	*set = sl->bot->cfg->watches;
	size_t			 i;

	for (i = 0; set != NULL && i < set->nrules; i++) {
		if (slack_id_like(set->rules[i].channel, "CGD"))
			ask(sl, set->rules[i].channel, set->rules[i].name);
	}
}
