/*
 * slack-permalink.c: adapter_ops.permalink for Slack: chat.getPermalink
 * [Slack reference/methods/chat.getPermalink: a read method, channel and
 * message_ts in, {"ok":true,"channel":..,"permalink":"https://..."}
 * out; errors channel_not_found, message_not_found; no scope needed].
 * The answer goes to the core (bot/ticket-link.c), which stores it on
 * the ticket; a failure is logged there with Slack's error code.
 */
#include <stdlib.h>
#include <string.h>

#include "adapters/adapter.h"
#include "adapters/slack.h"
#include "bot/ticket.h"

/* A chat.getPermalink call in flight: the ticket it is for. */
struct slack_link_call {
	struct slack	*sl;		/* borrowed */
	int64_t		 ticket;
	char		*ts;		/* owned: the request's */
};

/* Frees c; also slack_api_call's drop, for a call abandoned. */
static void
link_call_free(void *arg)
{
	struct slack_link_call	*c = arg;

	free(c->ts);
	free(c);
}

static void
on_permalink(void *arg, const struct slack_api_answer *a,
    const struct slack_web_resp *r)
{
	struct slack_link_call	*c = arg;
	const char		*link = NULL;
	char			*why = NULL;

	if (a->verdict == SLACK_API_OK)
		link = json_string_value(json_object_get(a->root,
		    "permalink"));
	if (link == NULL || *link == '\0') {
		link = NULL;
		xasprintf(&why, "chat.getPermalink: %s", a->verdict !=
		    SLACK_API_OK ? (a->status == 0 ? r->net_errstr :
		    (a->error != NULL ? a->error : a->why)) :
		    "no permalink in the answer");
	}
	ticket_permalink_learnt(c->sl->bot, c->ticket, c->ts, link, why);
	free(why);
	link_call_free(c);
}

void
slack_permalink(struct adapter *ad, const char *channel, const char *ts,
    int64_t ticket)
{
	struct slack		*sl = ad->ctx;
	struct slack_link_call	*c;
	char			*ch = NULL, *mts = NULL, *body = NULL;

	/* A read method: form arguments, not JSON [WEB]. */
	if ((ch = slack_form_new("channel", channel)) == NULL ||
	    (mts = slack_form_new("message_ts", ts)) == NULL) {
		ticket_permalink_learnt(sl->bot, ticket, ts, NULL,
		    "chat.getPermalink: cannot encode the arguments");
		goto out;
	}
	xasprintf(&body, "%s&%s", ch, mts);
	c = xcalloc(1, sizeof *c);
	c->sl = sl;
	c->ticket = ticket;
	c->ts = xstrdup(ts);
	if (slack_api_call(sl, "chat.getPermalink", NULL, body, on_permalink,
	    c, link_call_free) == -1) {
		link_call_free(c);
		ticket_permalink_learnt(sl->bot, ticket, ts, NULL,
		    "chat.getPermalink: the request could not start");
	}
out:
	free(body);
	free(mts);
	free(ch);
}
