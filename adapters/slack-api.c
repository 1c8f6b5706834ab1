/*
 * slack-api.c: what a Web API answer means. One pure function (no I/O)
 * turns an HTTP status, a Retry-After value and a body into a verdict
 * every caller acts on (slack-call.c posts, the callers decide); the
 * method table says what each method may safely retry. Sources are the
 * sections of ../shared/slack-protocol.md: [WEB] §5.1, [RL] §5.6,
 * [ACO] §1, [PM] §5.2, [SC] §4.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/slack.h"

/*
 * Every method opsbot calls or will call. retry_unsure is 0 where a
 * repeat after internal_error/fatal_error ("some aspect of the
 * operation succeeded" [WEB]) could be seen twice: a second post.
 * form: JSON bodies are for write methods only [WEB]; the read methods
 * take their arguments URL-encoded (slack_form_new).
 */
static const struct slack_api_method methods[] = {
	{ "apps.connections.open", SLACK_TOKEN_APP, 1, 0, 1 },
	{ "auth.test", SLACK_TOKEN_BOT, 1, 0, 1 },
	{ "chat.postMessage", SLACK_TOKEN_BOT, 0, 0, 0 },
	{ "chat.update", SLACK_TOKEN_BOT, 1, 0, 0 },
	{ "reactions.add", SLACK_TOKEN_BOT, 1, 0, 0 }, /* already_reacted */
	{ "users.info", SLACK_TOKEN_BOT, 1, 0, 1 },
	{ "conversations.info", SLACK_TOKEN_BOT, 1, 0, 1 },
	{ "chat.getPermalink", SLACK_TOKEN_BOT, 1, 0, 1 },
	{ "usergroups.users.list", SLACK_TOKEN_BOT, 1, 0, 1 },
	/* The URL is the credential [SC]; its answer is not documented
	 * as a Web API body, so a 2xx that is not JSON is a success. */
	{ "response_url", SLACK_TOKEN_NONE, 0, 1, 0 },
};

/*
 * ok:false codes worth asking again [WEB]. ratelimited is not here: it
 * is its own verdict; rate_limited ("posted too many messages" [PM]) is.
 */
static const char *const retryable[] = {
	"rate_limited", "service_unavailable", "request_timeout",
	"team_added_to_org", "internal_error", "fatal_error", NULL
};

/* Codes after which the operation may have been done in part [WEB]. */
static const char *const unsure[] = {
	"internal_error", "fatal_error", NULL
};

/* The auth errors after which retrying cannot help [ACO], NODE, GO. */
static const char *const fatal_auth[] = {
	"invalid_auth", "not_authed", "account_inactive", "token_revoked",
	"token_expired", "not_allowed_token_type", "user_removed_from_team",
	"team_disabled", "missing_args", NULL
};

static int
in_list(const char *const *list, const char *s)
{
	size_t	 i;

	if (s == NULL)
		return (0);
	for (i = 0; list[i] != NULL; i++) {
		if (strcmp(s, list[i]) == 0)
			return (1);
	}
	return (0);
}

const struct slack_api_method *
slack_api_method_find(const char *name)
{
	size_t	 i;

	for (i = 0; i < sizeof methods / sizeof methods[0]; i++) {
		if (strcmp(methods[i].name, name) == 0)
			return (&methods[i]);
	}
	return (NULL);
}

int
slack_error_is_fatal_auth(const char *error)
{
	return (in_list(fatal_auth, error));
}

const char *
slack_api_verdict_name(enum slack_api_verdict v)
{
	switch (v) {
	case SLACK_API_OK:
		return ("ok");
	case SLACK_API_RATE_LIMITED:
		return ("rate limited");
	case SLACK_API_RETRYABLE:
		return ("retryable");
	case SLACK_API_PERMANENT:
		return ("permanent");
	}
	return ("?");
}

/* Appends n bytes of s to the comma-separated list in b, once. */
static void
warning_add(struct buf *b, const char *s, size_t n)
{
	const char	*p, *end;

	if (n == 0)
		return;
	for (p = b->len > 0 ? buf_str(b) : ""; *p != '\0'; p = end) {
		end = p + strcspn(p, ",");
		if ((size_t)(end - p) == n && strncmp(p, s, n) == 0)
			return;
		if (*end == ',')
			end++;
	}
	if (b->len > 0)
		buf_addc(b, ',');
	buf_add(b, s, n);
}

/*
 * "warning" (itself a comma-separated list) and
 * response_metadata.warnings[] [WEB], merged; root is borrowed.
 */
static char *
warnings_new(json_t *root)
{
	struct buf	 b = { 0 };
	json_t		*arr, *v;
	const char	*w;
	size_t		 i, n;

	w = json_string_value(json_object_get(root, "warning"));
	while (w != NULL && *w != '\0') {
		n = strcspn(w, ",");
		warning_add(&b, w, n);
		w += n + (w[n] == ',');
	}
	arr = json_object_get(json_object_get(root, "response_metadata"),
	    "warnings");
	json_array_foreach(arr, i, v) {
		if ((w = json_string_value(v)) != NULL)
			warning_add(&b, w, strlen(w));
	}
	if (b.len == 0) {
		buf_reset(&b);
		return (NULL);
	}
	return (buf_release(&b));
}

void
slack_api_classify(const struct slack_api_method *m, long status,
    long retry_after, const char *body, size_t len,
    struct slack_api_answer *a)
{
	json_t		*root;
	const char	*e;

	memset(a, 0, sizeof *a);
	a->status = status;
	a->retry_after = retry_after > 0 ? retry_after : 0;
	if (status <= 0) {
		/* No HTTP answer at all: a network error, a timeout. */
		a->verdict = SLACK_API_RETRYABLE;
		snprintf(a->why, sizeof a->why, "no answer");
		return;
	}
	root = body != NULL ? json_loadb(body, len, 0, NULL) : NULL;
	if (json_is_object(root)) {
		a->root = root;
		e = json_string_value(json_object_get(root, "error"));
		if (e != NULL && *e != '\0')
			a->error = xstrdup(e);
		a->warning = warnings_new(root);
	} else
		json_decref(root);

	/* 429, or the same said in the body: wait Retry-After [RL]. */
	if (status == 429 || (a->error != NULL &&
	    strcmp(a->error, "ratelimited") == 0)) {
		a->verdict = SLACK_API_RATE_LIMITED;
		snprintf(a->why, sizeof a->why, "rate limited (HTTP %ld)",
		    status);
		return;
	}
	/* Outages: 5xx, maybe with an HTML body [WEB]. */
	if (status >= 500) {
		a->verdict = SLACK_API_RETRYABLE;
		snprintf(a->why, sizeof a->why, "HTTP %ld%s%s", status,
		    a->error != NULL ? ", " : "", a->error != NULL ? a->error :
		    "");
		return;
	}
	if (a->root == NULL) {
		if (status >= 200 && status < 300 && m != NULL &&
		    m->any_body) {
			a->verdict = SLACK_API_OK;
			return;
		}
		/*
		 * Every Web API answer is JSON [WEB]: one that is not came
		 * from something between us and Slack (a proxy's 407 or
		 * 503 page, a WAF, a cut answer) and may well change, so
		 * it is tried again; the outbox bounds the attempts, so a
		 * wrong URL costs a few retries, not the reply. Only a
		 * response_url that is gone (404, 410: it expires [SC])
		 * will not come back.
		 */
		a->verdict = (m != NULL && m->any_body &&
		    (status == 404 || status == 410)) ?
		    SLACK_API_PERMANENT : SLACK_API_RETRYABLE;
		snprintf(a->why, sizeof a->why, "HTTP %ld, not JSON", status);
		return;
	}
	if (json_is_true(json_object_get(a->root, "ok")) && status >= 200 &&
	    status < 300) {
		a->verdict = SLACK_API_OK;
		return;
	}
	if (a->error == NULL) {
		/* ok missing or not true, and no code to say why. */
		a->verdict = SLACK_API_PERMANENT;
		snprintf(a->why, sizeof a->why, "HTTP %ld, ok is not true",
		    status);
		return;
	}
	snprintf(a->why, sizeof a->why, "%s", a->error);
	if (in_list(retryable, a->error)) {
		a->unsure = in_list(unsure, a->error);
		/* A repeat could be seen twice: give up instead [WEB]. */
		a->verdict = (a->unsure && (m == NULL || !m->retry_unsure)) ?
		    SLACK_API_PERMANENT : SLACK_API_RETRYABLE;
		return;
	}
	a->verdict = SLACK_API_PERMANENT;
}

void
slack_api_answer_clear(struct slack_api_answer *a)
{
	if (a == NULL)
		return;
	json_decref(a->root);
	free(a->error);
	free(a->warning);
	memset(a, 0, sizeof *a);
}
