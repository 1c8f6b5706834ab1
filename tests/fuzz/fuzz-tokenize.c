/*
 * fuzz-tokenize.c: any bytes as a command line from Slack: tokenizer,
 * Slack unescaping and the console's mrkdwn-to-plain must never crash;
 * the words as a `remind` time (when_parse) keep its contract, and the
 * bytes as a zone name (users.info's tz) are judged without a crash;
 * the bytes as a support request name one priority (support-priority.c)
 * and, as a first-response template, fill and check without a crash.
 */
/* The checks are the point of a fuzz target: keep them in any build. */
#undef NDEBUG
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bot/bot.h"
#include "bot/support.h"
#include "bot/tz.h"

/* 2026-03-28T11:00:00Z, the day before Berlin springs forward. */
#define FUZZ_NOW_MS	INT64_C(1774695600000)

static void
fuzz_when(const struct strv *words)
{
	struct when	 w;
	char		*cause = NULL;

	if (when_parse((const char *const *)words->v, (int)words->n,
	    FUZZ_NOW_MS, "Europe/Berlin", &w, &cause) == 0) {
		assert(w.nwords >= 1 && (size_t)w.nwords <= words->n);
		assert(w.due_ms > FUZZ_NOW_MS);
		assert(w.due_ms - FUZZ_NOW_MS <= WHEN_MAX_AHEAD_MS);
	} else
		assert(cause != NULL);
	free(cause);
	cause = NULL;
	/* `oncall at`: a year either way */
	if (when_parse_past((const char *const *)words->v, (int)words->n,
	    FUZZ_NOW_MS, "Europe/Berlin", &w, &cause) == 0) {
		assert(w.nwords >= 1 && (size_t)w.nwords <= words->n);
		assert(w.due_ms - FUZZ_NOW_MS <= WHEN_MAX_AHEAD_MS &&
		    FUZZ_NOW_MS - w.due_ms <= WHEN_MAX_AHEAD_MS);
	} else
		assert(cause != NULL);
	free(cause);
}

static void
fuzz_support(const char *line, size_t len)
{
	struct support_fill	 fill = { "<!channel> @here", NULL, "#42",
				     "High", "09:00 Tue 1 Dec", "Advanced",
				     "#support" };
	struct buf		 b = { NULL, 0, 0 };
	struct strv		 unknown = { NULL, 0, 0 };
	enum support_priority	 p;
	int			 named, n, m;

	named = support_priority_words(line, len, &p);
	assert(named == 0 || named == 1);
	assert(p >= SUPPORT_LOW && p <= SUPPORT_CRITICAL);
	if (!named)
		assert(p == SUPPORT_PRIORITY_DEFAULT);
	n = support_template_fill(&b, line, &fill);
	m = support_template_check(line, &unknown);
	assert(n >= 0 && m >= 0 && (size_t)m == unknown.n);
	buf_reset(&b);
	strv_reset(&unknown);
}

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct strv	 out = { NULL, 0, 0 };
	char		*line, *cause = NULL, *plain;

	line = xstrndup((const char *)data, len);
	if (tokenize(line, &out, &cause) == 0)
		fuzz_when(&out);
	(void)tz_check(line, NULL);
	fuzz_support(line, strlen(line));
	plain = mrkdwn_to_plain_new(line);
	free(plain);
	free(slug_new(line));
	free(slug_anchor_new(line));
	free(cause);
	strv_reset(&out);
	free(line);
	return (0);
}
