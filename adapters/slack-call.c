/*
 * slack-call.c: the one path of a Web API call. POSTs to a method (or
 * a response_url) with the token the method table names, classifies
 * the answer with slack_api_classify and hands the verdict to the
 * caller, which acts on it in one place per concern.
 */
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "adapters/slack.h"

/*
 * One call in flight: owned by slack-web.c's request until its cb, and
 * listed on sl->calls until then, for slack_api_abandon.
 */
struct api_call {
	const struct slack_api_method	*m;	/* static */
	slack_api_cb			*cb;
	void				*arg;
	void				(*drop)(void *);	/* or NULL */
	struct api_call			*next, **prevp;
};

static void
call_unlink(struct api_call *call)
{
	if (call->next != NULL)
		call->next->prevp = call->prevp;
	*call->prevp = call->next;
}

static void
on_answer(void *arg, const struct slack_web_resp *r)
{
	struct api_call		*call = arg;
	struct slack_api_answer	 a;

	call_unlink(call);
	slack_api_classify(call->m, r->net_error != 0 ? 0 : r->status,
	    r->retry_after, r->body, r->len, &a);
	if (a.warning != NULL)
		log_debug("slack: %s: warning %s", call->m->name, a.warning);
	call->cb(call->arg, &a, r);
	slack_api_answer_clear(&a);
	free(call);
}

static int
api_call_start(struct slack *sl, const char *method, const char *url,
    const char *body, slack_api_cb *cb, void *arg, void (*drop)(void *))
{
	const struct slack_api_method	*m;
	struct api_call			*call;
	const char			*token = NULL, *ctype;
	char				*murl = NULL;
	int				 rv = -1;

	if ((m = slack_api_method_find(method)) == NULL) {
		log_warnx("slack: %s is not in the method table", method);
		return (-1);
	}
	switch (m->token) {
	case SLACK_TOKEN_BOT:
		token = sl->bot->cfg->bot_token;
		break;
	case SLACK_TOKEN_APP:
		token = sl->bot->cfg->app_token;
		break;
	case SLACK_TOKEN_NONE:
		/* The URL is the credential: never send a token [SC]. */
		break;
	}
	if (url == NULL)
		url = murl = slack_method_url_new(sl, method);
	/* No arguments: an empty form body [ACO]; else as the table says. */
	ctype = body == NULL || *body == '\0' || m->form ?
	    "application/x-www-form-urlencoded" :
	    "application/json; charset=utf-8";
	call = xcalloc(1, sizeof *call);
	call->m = m;
	call->cb = cb;
	call->arg = arg;
	call->drop = drop;
	if (slack_web_post(sl->web, url, token, ctype, body != NULL ? body :
	    "", on_answer, call) == -1) {
		free(call);
		goto out;
	}
	if ((call->next = sl->calls) != NULL)
		call->next->prevp = &call->next;
	sl->calls = call;
	call->prevp = &sl->calls;
	rv = 0;
out:
	free(murl);
	return (rv);
}

int
slack_api_call(struct slack *sl, const char *method, const char *url,
    const char *body, slack_api_cb *cb, void *arg, void (*drop)(void *))
{
	return (api_call_start(sl, method, url, body, cb, arg, drop));
}

void
slack_api_abandon(struct slack *sl)
{
	struct api_call	*call;

	while ((call = sl->calls) != NULL) {
		call_unlink(call);
		if (call->drop != NULL)
			call->drop(call->arg);
		free(call);
	}
}

char *
slack_form_new(const char *name, const char *value)
{
	char	*v, *s;

	/* libcurl >= 7.82 ignores the handle (curl_easy_escape(3)). */
	if ((v = curl_easy_escape(NULL, value, 0)) == NULL)
		return (NULL);
	xasprintf(&s, "%s=%s", name, v);
	curl_free(v);
	return (s);
}
