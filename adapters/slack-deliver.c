/*
 * slack-deliver.c: the Slack side of the core's outbox (bot/outbox.h).
 * A post becomes one Web API call through slack_api_call, and the
 * classified answer becomes the outbox's verdict: the retry policy
 * (order, pauses, back-off) lives in the core, once for every adapter.
 */
#include <stdlib.h>
#include <string.h>

#include "adapters/adapter.h"
#include "adapters/slack.h"

/* What the user sees when a post cannot be turned into JSON. */
#define ENCODE_FAILED_TEXT \
	"opsbot could not encode its reply; see the log"

/* One call in flight: the outbox's token and what to log. */
struct slack_delivery {
	struct slack	*sl;		/* borrowed */
	void		*token;		/* the outbox's, borrowed */
	enum post_op	 op;
};

/*
 * Slack's answer to the outbox's verdict. A reaction that is already
 * there is what was asked for [RA: already_reacted].
 */
static void
on_delivered(void *arg, const struct slack_api_answer *a,
    const struct slack_web_resp *r)
{
	struct slack_delivery	*d = arg;
	struct post_result	 res;

	memset(&res, 0, sizeof res);
	switch (a->verdict) {
	case SLACK_API_OK:
		res.v = POST_OK;
		/* chat.postMessage and chat.update answer the ts [PM]. */
		res.ts = json_string_value(json_object_get(a->root, "ts"));
		break;
	case SLACK_API_RATE_LIMITED:
		res.v = POST_RATE_LIMITED;
		res.retry_after_ms = (int64_t)a->retry_after * 1000;
		res.why = a->why;
		break;
	case SLACK_API_RETRYABLE:
		res.v = POST_RETRYABLE;
		res.why = a->status == 0 ? r->net_errstr : a->why;
		break;
	case SLACK_API_PERMANENT:
		if (d->op == POST_REACTION && a->error != NULL &&
		    strcmp(a->error, "already_reacted") == 0) {
			res.v = POST_OK;
			break;
		}
		res.v = POST_PERMANENT;
		res.unsure = a->unsure;
		res.why = a->why;
		break;
	}
	outbox_delivered(d->sl->bot->outbox, d->token, &res);
	free(d);
}

/* Answers the outbox at once: the post can never be sent. */
static int
refuse(struct slack *sl, void *token, const char *why)
{
	struct post_result	 res;

	memset(&res, 0, sizeof res);
	res.v = POST_PERMANENT;
	res.why = why;
	outbox_delivered(sl->bot->outbox, token, &res);
	return (0);
}

int
slack_deliver(struct adapter *ad, const struct post_row *row, void *token)
{
	struct slack		*sl = ad->ctx;
	struct slack_delivery	*d;
	struct post		 p = row->p;
	const char		*method = NULL;
	char			*body;

	if (sl == NULL || sl->stopping || !sl->authed)
		return (-1);
	if (p.op == POST_RESPOND && !slack_response_url_ok(sl,
	    p.response_url))
		return (refuse(sl, token, "not a response_url opsbot may "
		    "POST to"));
	if ((body = slack_request_new(&p, &method)) == NULL &&
	    (p.op == POST_MESSAGE || p.op == POST_RESPOND)) {
		/* The user still hears back, and the log says why. */
		log_errx("slack: cannot encode a %s to %s as JSON (%zu "
		    "bytes); sending \"%s\" instead", post_op_name(p.op),
		    p.channel, p.text != NULL ? strlen(p.text) : 0,
		    ENCODE_FAILED_TEXT);
		p.text = ENCODE_FAILED_TEXT;
		p.blocks = NULL;
		body = slack_request_new(&p, &method);
	}
	if (body == NULL)
		return (refuse(sl, token, "cannot be encoded as JSON"));
	d = xcalloc(1, sizeof *d);
	d->sl = sl;
	d->token = token;
	d->op = p.op;
	/* response_url: the URL is the credential, sent with no token. */
	if (slack_api_call(sl, method, p.op == POST_RESPOND ?
	    p.response_url : NULL, body, on_delivered, d, free) == -1) {
		free(d);
		free(body);
		return (-1);
	}
	free(body);
	return (0);
}
