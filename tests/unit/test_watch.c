/*
 * test_watch.c: channel watches (bot/watch-config.c, watch-match.c):
 * what a rule may say and where a bad one is reported, the one combined
 * pattern per channel, and which rules a message matches.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bot/bot.h"
#include "bot/watch.h"

/* Loads YAML as "w.yaml"; returns the cause (caller frees) or NULL. */
static char *
load(const char *yaml, struct config **out)
{
	struct config	*cfg;
	char		*cause = NULL;

	cfg = config_new();
	if (config_load_string(cfg, "w.yaml", yaml, strlen(yaml),
	    &cause) != 0) {
		config_free(cfg);
		*out = NULL;
		return (cause);
	}
	*out = cfg;
	return (NULL);
}

/* Every row: a config and the error it gives ("" for none). */
static const struct {
	const char	*yaml;
	const char	*error;
} config_rows[] = {
	/* 1 */ { "watches:\n  - channel: ops\n    patterns: [sealed]\n"
		  "    text: hi\n", "" },
	/* 2 */ { "watches:\n  - channel: ops\n    patterns:\n"
		  "      - \"regex:  foo(bar\"\n    text: x\n",
		  "w.yaml:4:25: watches: bad regex 'foo(bar': missing closing "
		  "parenthesis" },
	/* 3 */ { "watches:\n  - channel: ops\n    patterns:\n"
		  "      - regex: a[b\n    text: x\n",
		  "w.yaml:4:19: watches: bad regex 'a[b': missing terminating "
		  "] for character class" },
	/* 4 */ { "watches:\n  - channel: ops\n    patterns: {regex: \"x)\"}\n"
		  "    text: x\n",
		  "w.yaml:3:25: watches: bad regex 'x)': unmatched closing "
		  "parenthesis" },
	/* 5 */ { "watches:\n  - channel: ops\n    patterns: [a]\n"
		  "    text: x\n    colour: red\n",
		  "w.yaml:5:5: watches: unknown key 'colour'" },
	/* 6 */ { "watches:\n  - channel: ops\n    patterns: [a]\n",
		  "w.yaml:2:5: watches: a rule needs text:, section:, page: "
		  "or some of them" },
	/* 7 */ { "watches:\n  - patterns: [a]\n    text: x\n",
		  "w.yaml:2:5: watches: a rule needs channel:" },
	/* 8 */ { "watches:\n  - channel: ops\n    text: x\n",
		  "w.yaml:2:5: watches: a rule needs patterns:" },
	/* 9 */ { "watches:\n  - channel: ops\n    patterns: [a]\n"
		  "    text: x\n    in: dm\n",
		  "w.yaml:5:9: watches: in: 'dm' is not thread or channel" },
	/* 10 */ { "watches:\n  - channel: ops\n    patterns: [a]\n"
		  "    text: x\n    cooldown: 10 minutes\n",
		  "w.yaml:5:15: watches: cooldown: '10 minutes' is not a "
		  "duration" },
	/* 11 */ { "watches:\n  - channel: ops\n    patterns: [a]\n"
		  "    text: x\n    bots: maybe\n",
		  "w.yaml:5:11: watches: bots: 'maybe' is not true or false" },
	/* 12 */ { "watches:\n  - channel: ops\n    patterns: [a]\n"
		  "    text: \"hi {who}\"\n",
		  "w.yaml:4:11: watches: text: unknown placeholder '{who}'" },
	/* 13 */ { "watches:\n  - channel: ops\n    patterns: [a]\n"
		  "    text: x\n  - channel: \"#ops\"\n    patterns: [a]\n"
		  "    text: y\n",
		  "w.yaml:5:5: watches: rule 'a' is in #ops twice (line 2)" },
	/* 14 */ { "watches: yes\n",
		  "w.yaml:1:10: watches: expected a list of rules" },
	/* 15 */ { "watches:\n  - channel: ops\n    patterns: [\"  \"]\n"
		  "    text: x\n", "w.yaml:3:16: watches: pattern: empty" },
	/* 16 */ { "watches:\n  - channel: ops\n    patterns: [a]\n"
		  "    text: x\n    in: channel\n    cooldown: 90s\n"
		  "    severity: high\n    bots: true\n    name: n1\n", "" },
	/* 17: a regex that compiles alone but not with the others */
	/* 17 */ { "watches:\n  - channel: ops\n    patterns: "
		  "[\"regex:(?<x>a)\"]\n    text: x\n  - channel: ops\n"
		  "    patterns: [\"regex:(?<y>b)\"]\n    text: y\n",
		  "w.yaml:2:3: watches: the rules of channel 'ops' do not "
		  "compile together" },
};

static void
test_config_rows(void **state)
{
	struct config	*cfg;
	char		*cause;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof config_rows / sizeof config_rows[0]; i++) {
		cause = load(config_rows[i].yaml, &cfg);
		if (*config_rows[i].error == '\0') {
			if (cause != NULL)
				fail_msg("row %zu: %s", i + 1, cause);
			assert_non_null(cfg->watches);
			config_free(cfg);
			continue;
		}
		if (cause == NULL)
			fail_msg("row %zu: no error", i + 1);
		if (strncmp(cause, config_rows[i].error,
		    strlen(config_rows[i].error)) != 0)
			fail_msg("row %zu: got '%s'", i + 1, cause);
		free(cause);
	}
}

static void
test_config_values(void **state)
{
	const struct watch_rule	*r;
	struct config		*cfg;
	char			*cause;

	(void)state;
	cause = load(config_rows[15].yaml, &cfg);
	assert_null(cause);
	assert_int_equal(cfg->watches->nrules, 1);
	r = &cfg->watches->rules[0];
	assert_string_equal(r->name, "n1");
	assert_true(r->in_channel);
	assert_int_equal(r->cooldown_ms, 90000);
	assert_string_equal(r->severity, "high");
	assert_true(r->bots);
	assert_true(cfg->watches->bots);
	config_free(cfg);

	cause = load(config_rows[0].yaml, &cfg);
	assert_null(cause);
	r = &cfg->watches->rules[0];
	assert_string_equal(r->name, "sealed");	/* its first pattern */
	assert_false(r->in_channel);
	assert_int_equal(r->cooldown_ms, WATCH_DEFAULT_COOLDOWN_MS);
	assert_false(r->bots);
	config_free(cfg);
}

static const char rules_yaml[] =
    "watches:\n"
    "  - name: sealed\n"
    "    channel: \"#vault\"\n"
    "    patterns: [sealed, \"is sealed\"]\n"
    "    text: a\n"
    "  - name: cr\n"
    "    channel: vault\n"
    "    patterns: [\"how do I open a CR\"]\n"
    "    text: b\n"
    "  - name: seal\n"
    "    channel: C0VAULT\n"
    "    patterns: [seal]\n"
    "    text: c\n"
    "  - name: down\n"
    "    channel: vault\n"
    "    patterns: [\"regex:vault (is )?(down|dead)\", \"C++\"]\n"
    "    text: d\n"
    "  - name: backref\n"
    "    channel: vault\n"
    "    patterns: [\"regex:\\\\b(\\\\w+) \\\\1\\\\b\"]\n"
    "    text: e\n";

/* Every row: a message in a channel, and the names of what it matches. */
static const struct {
	const char	*channel;
	const char	*text;
	const char	*want;	/* space-separated rule names, config order */
} match_rows[] = {
	/* 1 */ { "#vault", "vault is sealed in production?", "sealed" },
	/* 2 */ { "vault", "VAULT IS SEALED", "sealed" },
	/* 3: a word boundary: unsealed is not sealed */
	/* 3 */ { "vault", "it is unsealed now", "" },
	/* 4 */ { "vault", "sealedness", "" },
	/* 5 */ { "vault", "How  do i\topen a cr?", "cr" },
	/* 6: two rules in one message, reported in config order */
	/* 6 */ { "vault", "vault is dead, and how do I open a CR", "cr down" },
	/* 7 */ { "vault", "vault is down and it is sealed", "sealed down" },
	/* 8: the back-reference still means its own group */
	/* 8 */ { "vault", "the the vault", "backref" },
	/* 9 */ { "vault", "hello there", "" },
	/* 10: another channel's rules */
	/* 10 */ { "C0VAULT", "sealed", "" },
	/* 11 */ { "C0VAULT", "the seal broke", "seal" },
	/* 12 */ { "C0OTHER", "sealed", "" },
	/* 13: a literal with non-word ends */
	/* 13 */ { "vault", "we use c++ here", "down" },
	/* 14: not UTF-8 never matches nor fails */
	/* 14 */ { "vault", "\xff\xfe sealed", "sealed" },
};

static void
test_match_rows(void **state)
{
	struct watch_hits	 hits = { NULL, 0, 0 };
	struct watch_chan	*c;
	struct config		*cfg;
	struct buf		 b = { NULL, 0, 0 };
	char			*cause;
	size_t			 i, j;
	int			 n, any;

	(void)state;
	cause = load(rules_yaml, &cfg);
	if (cause != NULL)
		fail_msg("%s", cause);
	assert_int_equal(cfg->watches->nchans, 2);
	for (i = 0; i < sizeof match_rows / sizeof match_rows[0]; i++) {
		c = watch_chan_find(cfg->watches, match_rows[i].channel);
		if (c == NULL) {
			if (*match_rows[i].want != '\0' ||
			    strcmp(match_rows[i].channel, "C0OTHER") != 0)
				fail_msg("row %zu: no channel", i + 1);
			continue;
		}
		n = watch_match(c, match_rows[i].text,
		    strlen(match_rows[i].text), 1, &hits);
		any = watch_match(c, match_rows[i].text,
		    strlen(match_rows[i].text), 0, NULL);
		for (j = 0; j < hits.n; j++)
			buf_printf(&b, "%s%s", j > 0 ? " " : "",
			    cfg->watches->rules[hits.v[j].rule].name);
		if (strcmp(buf_str(&b), match_rows[i].want) != 0)
			fail_msg("row %zu: got '%s'", i + 1, buf_str(&b));
		assert_int_equal(n, (int)hits.n);
		assert_int_equal(any, hits.n > 0);
		buf_reset(&b);
		watch_hits_reset(&hits);
	}
	config_free(cfg);
}

/* What `watch test` says why: the bytes of the first match. */
static void
test_match_span(void **state)
{
	struct watch_hits	 hits = { NULL, 0, 0 };
	struct config		*cfg;
	const char		*text = "oh no, Vault is SEALED!";
	char			*cause;

	(void)state;
	cause = load(rules_yaml, &cfg);
	assert_null(cause);
	assert_int_equal(watch_match(watch_chan_find(cfg->watches, "vault"),
	    text, strlen(text), 1, &hits), 1);
	assert_int_equal(hits.v[0].end - hits.v[0].start, strlen("is sealed"));
	assert_memory_equal(text + hits.v[0].start, "is SEALED", 9);
	watch_hits_reset(&hits);
	config_free(cfg);
}

/* One combined pattern per channel, literals under one boundary. */
static void
test_compile_source(void **state)
{
	struct watch_chan	*c;
	struct config		*cfg;
	char			*cause;

	(void)state;
	cause = load(rules_yaml, &cfg);
	assert_null(cause);
	c = watch_chan_find(cfg->watches, "C0VAULT");
	assert_non_null(c);
	assert_string_equal(c->source, "(?|\\bseal\\b(?C'0'))");
	c = watch_chan_find(cfg->watches, "#vault");
	assert_non_null(c);
	assert_int_equal(c->nrules, 4);
	/* "sealed" and "is sealed" share no prefix; c++ escaped */
	assert_non_null(strstr(c->source, "\\bsealed\\b(?C'0')"));
	assert_non_null(strstr(c->source, "\\s+"));
	assert_non_null(strstr(c->source, "\\+\\+(?C'2')"));
	assert_non_null(strstr(c->source, "(?:vault (is )?(down|dead))"
	    "(?C'2')"));
	config_free(cfg);
}

static void
test_duration(void **state)
{
	int64_t	 ms;

	(void)state;
	assert_int_equal(watch_duration_parse("10m", &ms), 0);
	assert_int_equal(ms, 600000);
	assert_int_equal(watch_duration_parse("0", &ms), 0);
	assert_int_equal(ms, 0);
	assert_int_equal(watch_duration_parse("2h", &ms), 0);
	assert_int_equal(ms, 7200000);
	assert_int_equal(watch_duration_parse("1d", &ms), 0);
	assert_int_equal(watch_duration_parse("10", &ms), -1);
	assert_int_equal(watch_duration_parse("-1m", &ms), -1);
	assert_int_equal(watch_duration_parse("m", &ms), -1);
	assert_int_equal(watch_duration_parse("", &ms), -1);
}

/* The bundled config's Vault rules (config/opsbot.yaml). */
static void
test_bundled(void **state)
{
	static const struct {
		const char	*text;
		const char	*want;
	} rows[] = {
		{ "vault is sealed in production?", "vault-sealed" },
		{ "Hi, how do I open a CR?", "open-a-cr" },
		{ "how can we raise a change request", "open-a-cr" },
		{ "the vault is fine", "" },
	};
	struct watch_hits	 hits = { NULL, 0, 0 };
	const struct watch_rule	*r;
	struct watch_chan	*c;
	struct config		*cfg;
	char			*cause = NULL;
	size_t			 i;

	(void)state;
	cfg = config_new();
	if (config_load(cfg, OPSBOT_SOURCE_DIR "/config/opsbot.yaml",
	    &cause) != 0)
		fail_msg("%s", cause);
	c = watch_chan_find(cfg->watches, "#operator-vault-general");
	assert_non_null(c);
	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		watch_match(c, rows[i].text, strlen(rows[i].text), 1, &hits);
		if (*rows[i].want == '\0') {
			assert_int_equal(hits.n, 0);
			continue;
		}
		assert_int_equal(hits.n, 1);
		assert_string_equal(cfg->watches->rules[hits.v[0].rule].name,
		    rows[i].want);
		watch_hits_reset(&hits);
	}
	r = &cfg->watches->rules[0];
	assert_string_equal(r->name, "vault-sealed");
	/* the runbook's facts: ticket, page, 15 minutes, HashiCorp's link */
	assert_non_null(strstr(r->text, "SCM ticket"));
	assert_non_null(strstr(r->text, "paged the Vault on-call team"));
	assert_non_null(strstr(r->text, "15 minutes"));
	assert_non_null(strstr(r->text, "HashiCorp"));
	assert_non_null(strstr(r->text, "<https://github.ibm.com/gensec/"
	    "OperatorVault-Wiki/wiki/Requesting-Support>"));
	assert_non_null(strstr(cfg->watches->rules[1].text, "pinned items"));
	assert_non_null(strstr(cfg->watches->rules[1].text, "weekends"));
	watch_hits_reset(&hits);
	config_free(cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_rows),
		cmocka_unit_test(test_config_values),
		cmocka_unit_test(test_match_rows),
		cmocka_unit_test(test_match_span),
		cmocka_unit_test(test_compile_source),
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_bundled),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
