/*
 * test_slack_api.c: the Web API classifier (adapters/slack-api.c).
 * Every Web API answer in ../shared/fixtures/ is classified from the
 * table below; a fixture missing from the table fails the test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <cmocka.h>

#include "adapters/slack.h"

#define FIXTURES_DIR OPSBOT_SEEDS_DIR "/../fixtures"

#define OK	SLACK_API_OK
#define RL	SLACK_API_RATE_LIMITED
#define RETRY	SLACK_API_RETRYABLE
#define PERM	SLACK_API_PERMANENT

/* Status 429 where fixtures/README.md says so; 200 otherwise. */
static const struct {
	const char		*file;
	const char		*method;
	long			 status, retry_after;
	enum slack_api_verdict	 verdict;
	const char		*error, *warning;
} answers[] = {
	{ "apps_connections_open_invalid_auth.json", "apps.connections.open",
	    200, 0, PERM, "invalid_auth", NULL },
	{ "apps_connections_open_not_allowed_token_type.json",
	    "apps.connections.open", 200, 0, PERM, "not_allowed_token_type",
	    NULL },
	{ "apps_connections_open_ok.json", "apps.connections.open", 200, 0,
	    OK, NULL, NULL },
	{ "apps_connections_open_ratelimited.json", "apps.connections.open",
	    429, 30, RL, "ratelimited", NULL },
	{ "auth_test_ok.json", "auth.test", 200, 0, OK, NULL, NULL },
	{ "chat_postEphemeral_ok.json", "chat.postMessage", 200, 0, OK, NULL,
	    NULL },
	{ "chat_postMessage_ok.json", "chat.postMessage", 200, 0, OK, NULL,
	    NULL },
	{ "chat_postMessage_ok_with_warning.json", "chat.postMessage", 200, 0,
	    OK, NULL, "missing_charset" },
	{ "chat_postMessage_ratelimited.json", "chat.postMessage", 429, 1,
	    RL, "ratelimited", NULL },
	{ "conversations_info_ok.json", "conversations.info", 200, 0, OK,
	    NULL, NULL },
	{ "users_info_ok.json", "users.info", 200, 0, OK, NULL, NULL },
	{ "error_account_inactive.json", "chat.postMessage", 200, 0, PERM,
	    "account_inactive", NULL },
	{ "error_channel_not_found.json", "chat.postMessage", 200, 0, PERM,
	    "channel_not_found", NULL },
	{ "error_channel_not_found_with_warning.json", "chat.postMessage",
	    200, 0, PERM, "channel_not_found", "missing_charset" },
	/* a post may have been done: never repeated [WEB] */
	{ "error_fatal_error.json", "chat.postMessage", 200, 0, PERM,
	    "fatal_error", NULL },
	{ "error_internal_error.json", "chat.postMessage", 200, 0, PERM,
	    "internal_error", NULL },
	{ "error_invalid_auth.json", "chat.postMessage", 200, 0, PERM,
	    "invalid_auth", NULL },
	{ "error_invalid_blocks.json", "chat.postMessage", 200, 0, PERM,
	    "invalid_blocks", NULL },
	{ "error_invalid_json.json", "chat.postMessage", 200, 0, PERM,
	    "invalid_json", NULL },
	{ "error_is_archived.json", "chat.postMessage", 200, 0, PERM,
	    "is_archived", NULL },
	{ "error_missing_scope.json", "chat.postMessage", 200, 0, PERM,
	    "missing_scope", NULL },
	{ "error_msg_blocks_too_long.json", "chat.postMessage", 200, 0, PERM,
	    "msg_blocks_too_long", NULL },
	{ "error_msg_too_long.json", "chat.postMessage", 200, 0, PERM,
	    "msg_too_long", NULL },
	{ "error_no_text.json", "chat.postMessage", 200, 0, PERM, "no_text",
	    NULL },
	{ "error_not_authed.json", "chat.postMessage", 200, 0, PERM,
	    "not_authed", NULL },
	{ "error_not_in_channel.json", "chat.postMessage", 200, 0, PERM,
	    "not_in_channel", NULL },
	{ "error_token_revoked.json", "chat.postMessage", 200, 0, PERM,
	    "token_revoked", NULL },
	{ "error_user_not_in_channel.json", "chat.postMessage", 200, 0, PERM,
	    "user_not_in_channel", NULL },
};

static int
str_same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a == b);
	return (strcmp(a, b) == 0);
}

static char *
read_file(const char *path, size_t *lenp)
{
	struct buf	 b = { 0 };
	FILE		*fp;
	char		 chunk[4096];
	size_t		 n;

	fp = fopen(path, "rb");
	assert_non_null(fp);
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		buf_add(&b, chunk, n);
	fclose(fp);
	*lenp = b.len;
	buf_addc(&b, '\0');
	return (buf_release(&b));
}

static void
classify(const char *method, long status, long ra, const char *body,
    size_t len, struct slack_api_answer *a)
{
	const struct slack_api_method	*m = NULL;

	if (method != NULL) {
		m = slack_api_method_find(method);
		assert_non_null(m);
	}
	slack_api_classify(m, status, ra, body, len, a);
}

/* Every Web API answer (a top-level "ok") is in the table, and back. */
static void
test_fixtures(void **state)
{
	struct slack_api_answer	 a;
	struct dirent		*de;
	DIR			*d;
	json_t			*j;
	char			 path[1024], *data;
	size_t			 i, len, seen = 0, n;
	int			 found;

	(void)state;
	d = opendir(FIXTURES_DIR);
	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		n = strlen(de->d_name);
		if (n < 5 || strcmp(de->d_name + n - 5, ".json") != 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", FIXTURES_DIR, de->d_name);
		data = read_file(path, &len);
		j = json_loadb(data, len, 0, NULL);
		assert_non_null(j);
		if (json_object_get(j, "ok") == NULL) {
			json_decref(j);
			free(data);
			continue;
		}
		json_decref(j);
		found = 0;
		for (i = 0; i < sizeof answers / sizeof answers[0]; i++) {
			if (strcmp(answers[i].file, de->d_name) != 0)
				continue;
			found = 1;
			classify(answers[i].method, answers[i].status,
			    answers[i].retry_after, data, len, &a);
			if (a.verdict != answers[i].verdict ||
			    !str_same(a.error, answers[i].error) ||
			    !str_same(a.warning, answers[i].warning))
				fail_msg("%s: %s %s %s", de->d_name,
				    slack_api_verdict_name(a.verdict),
				    a.error ? a.error : "-",
				    a.warning ? a.warning : "-");
			assert_int_equal(a.retry_after,
			    answers[i].retry_after);
			assert_non_null(a.root);
			slack_api_answer_clear(&a);
		}
		if (!found)
			fail_msg("Web API fixture %s is not in the table",
			    de->d_name);
		seen++;
		free(data);
	}
	closedir(d);
	assert_int_equal(seen, sizeof answers / sizeof answers[0]);
}

/* HTTP-level cases, bodies Slack does not document, and ok itself. */
static void
test_cases(void **state)
{
	static const struct {
		const char		*method;
		long			 status, ra;
		const char		*body;
		enum slack_api_verdict	 verdict;
		const char		*error;
		long			 retry_after;
	} cases[] = {
		/* 429 with and without Retry-After, with any body [RL] */
		{ "chat.postMessage", 429, 7, "{\"ok\":false,\"error\":"
		    "\"ratelimited\"}", RL, "ratelimited", 7 },
		{ "chat.postMessage", 429, 0, "", RL, NULL, 0 },
		{ "chat.postMessage", 429, -3, "<html>", RL, NULL, 0 },
		{ "chat.postMessage", 200, 0, "{\"ok\":false,\"error\":"
		    "\"ratelimited\"}", RL, "ratelimited", 0 },
		/* no answer, outages [WEB] */
		{ "chat.postMessage", 0, 0, NULL, RETRY, NULL, 0 },
		{ "chat.postMessage", 500, 0, "<html><body>Internal Server "
		    "Error</body></html>\n", RETRY, NULL, 0 },
		{ "chat.postMessage", 503, 0, "{\"ok\":false,\"error\":"
		    "\"service_unavailable\"}", RETRY, "service_unavailable",
		    0 },
		{ "auth.test", 502, 0, "{\"ok\":true}", RETRY, NULL, 0 },
		/* not JSON, or cut */
		{ "chat.postMessage", 200, 0, "", RETRY, NULL, 0 },
		{ "chat.postMessage", 200, 0, "not json", RETRY, NULL, 0 },
		{ "chat.postMessage", 200, 0, "{\"ok\":true", RETRY, NULL, 0 },
		{ "chat.postMessage", 200, 0, "{\"ok\":true}x", RETRY, NULL,
		    0 },
		{ "chat.postMessage", 200, 0, "[{\"ok\":true}]", RETRY, NULL,
		    0 },
		/* a proxy or a wrong URL: retried, within the outbox's
		 * bound; only an expired response_url is gone for good */
		{ "chat.postMessage", 404, 0, "not found\n", RETRY, NULL, 0 },
		{ "chat.postMessage", 407, 0, "<html>proxy</html>", RETRY,
		    NULL, 0 },
		{ "chat.postMessage", 408, 0, "", RETRY, NULL, 0 },
		{ "response_url", 200, 0, "ok", OK, NULL, 0 },
		{ "response_url", 404, 0, "not found", PERM, NULL, 0 },
		{ "response_url", 410, 0, "gone", PERM, NULL, 0 },
		{ "response_url", 200, 0, "{\"ok\":true}", OK, NULL, 0 },
		/* ok missing, or not exactly true */
		{ "chat.postMessage", 200, 0, "{}", PERM, NULL, 0 },
		{ "chat.postMessage", 200, 0, "{\"ts\":\"1.2\"}", PERM, NULL,
		    0 },
		{ "chat.postMessage", 200, 0, "{\"ok\":\"true\"}", PERM, NULL,
		    0 },
		{ "chat.postMessage", 200, 0, "{\"ok\":1}", PERM, NULL, 0 },
		{ "chat.postMessage", 200, 0, "{\"ok\":[true]}", PERM, NULL,
		    0 },
		{ "chat.postMessage", 200, 0, "{\"ok\":false,\"error\":\"\"}",
		    PERM, NULL, 0 },
		{ "chat.postMessage", 200, 0, "{\"ok\":false,\"error\":42}",
		    PERM, NULL, 0 },
		{ "chat.postMessage", 200, 0, "{\"message\":{\"ok\":true}}",
		    PERM, NULL, 0 },
		{ "chat.postMessage", 200, 0, "{\"ok\":true,\"ok\":false}",
		    PERM, NULL, 0 },
		{ "chat.postMessage", 200, 0, " {\"ok\":true}\n", OK, NULL, 0 },
		{ "chat.postMessage", 200, 0, "{\"ok\":false,\"error\":"
		    "\"not\\u005fauthed\"}", PERM, "not_authed", 0 },
		/* retryable codes; unsure ones only where a repeat is safe */
		{ "chat.postMessage", 200, 0, "{\"ok\":false,\"error\":"
		    "\"request_timeout\"}", RETRY, "request_timeout", 0 },
		{ "chat.postMessage", 200, 0, "{\"ok\":false,\"error\":"
		    "\"rate_limited\"}", RETRY, "rate_limited", 0 },
		{ "apps.connections.open", 200, 0, "{\"ok\":false,\"error\":"
		    "\"fatal_error\"}", RETRY, "fatal_error", 0 },
		{ "users.info", 200, 0, "{\"ok\":false,\"error\":"
		    "\"internal_error\"}", RETRY, "internal_error", 0 },
		{ NULL, 200, 0, "{\"ok\":false,\"error\":\"internal_error\"}",
		    PERM, "internal_error", 0 },
		/* a 4xx with ok:true is not a success */
		{ "chat.postMessage", 400, 0, "{\"ok\":true}", PERM, NULL, 0 },
	};
	struct slack_api_answer	 a;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		classify(cases[i].method, cases[i].status, cases[i].ra,
		    cases[i].body, cases[i].body != NULL ?
		    strlen(cases[i].body) : 0, &a);
		if (a.verdict != cases[i].verdict ||
		    !str_same(a.error, cases[i].error) ||
		    a.retry_after != cases[i].retry_after)
			fail_msg("case %zu (%s): %s %s %ld (%s)", i,
			    cases[i].body ? cases[i].body : "NULL",
			    slack_api_verdict_name(a.verdict),
			    a.error ? a.error : "-", a.retry_after, a.why);
		if (a.verdict != SLACK_API_OK)
			assert_true(a.why[0] != '\0');
		slack_api_answer_clear(&a);
	}
	slack_api_answer_clear(NULL);
}

/* "warning" and response_metadata.warnings, merged and each once. */
static void
test_warnings(void **state)
{
	struct slack_api_answer	 a;
	const char		*b;

	(void)state;
	b = "{\"ok\":true,\"warning\":\"a,b\",\"response_metadata\":"
	    "{\"warnings\":[\"b\",\"c\",3,\"a\"]}}";
	classify("chat.postMessage", 200, 0, b, strlen(b), &a);
	assert_int_equal(a.verdict, SLACK_API_OK);
	assert_string_equal(a.warning, "a,b,c");
	slack_api_answer_clear(&a);
	b = "{\"ok\":true,\"warning\":\",,ab,a,\"}";
	classify("chat.postMessage", 200, 0, b, strlen(b), &a);
	assert_string_equal(a.warning, "ab,a");
	slack_api_answer_clear(&a);
	b = "{\"ok\":true,\"warning\":7}";
	classify("chat.postMessage", 200, 0, b, strlen(b), &a);
	assert_null(a.warning);
	slack_api_answer_clear(&a);
}

/* Every method the next features need is in the table. */
static void
test_methods(void **state)
{
	static const char *const names[] = {
		"apps.connections.open", "auth.test", "chat.postMessage",
		"chat.update", "reactions.add", "users.info",
		"conversations.info", "chat.getPermalink", "response_url",
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		assert_non_null(slack_api_method_find(names[i]));
	assert_null(slack_api_method_find("chat.nope"));
	assert_int_equal(slack_api_method_find("apps.connections.open")->token,
	    SLACK_TOKEN_APP);
	assert_int_equal(slack_api_method_find("response_url")->token,
	    SLACK_TOKEN_NONE);
	assert_true(slack_error_is_fatal_auth("invalid_auth"));
	assert_true(slack_error_is_fatal_auth("not_allowed_token_type"));
	assert_false(slack_error_is_fatal_auth("internal_error"));
	assert_false(slack_error_is_fatal_auth(NULL));
}

/* Read methods take forms [WEB]; values are URL-encoded by libcurl. */
static void
test_form(void **state)
{
	char	*f;

	(void)state;
	f = slack_form_new("user", "U0001");
	assert_string_equal(f, "user=U0001");
	free(f);
	f = slack_form_new("channel", "C1 &=\xc3\xa9+");
	assert_string_equal(f, "channel=C1%20%26%3D%C3%A9%2B");
	free(f);
	assert_true(slack_api_method_find("users.info")->form);
	assert_true(slack_api_method_find("conversations.info")->form);
	assert_true(slack_api_method_find("chat.getPermalink")->form);
	assert_false(slack_api_method_find("chat.postMessage")->form);
	assert_false(slack_api_method_find("chat.update")->form);
	assert_false(slack_api_method_find("reactions.add")->form);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_warnings),
		cmocka_unit_test(test_methods),
		cmocka_unit_test(test_form),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
