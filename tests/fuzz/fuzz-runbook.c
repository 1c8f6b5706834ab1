/*
 * fuzz-runbook.c: any bytes as a runbook file: front matter, fixups,
 * cmark-gfm, sections, mrkdwn rendering and reply packing must never
 * crash or leak, whatever people write, and every reply must be UTF-8.
 * Built as a libFuzzer target with -DOPSBOT_FUZZ=ON (clang), and as a
 * replay program over files for ctest.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot/bot.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * Whatever bytes came in, what goes out is UTF-8: jansson refuses
 * anything else, and a reply that cannot be encoded is a lost reply.
 */
static void
check_utf8(const struct strv *v)
{
	size_t	 i;

	for (i = 0; i < v->n; i++) {
		if (!utf8_valid(v->v[i], strlen(v->v[i])))
			abort();
	}
}

/*
 * Every reference the bot prints for a section (runbook_ref_new) leads
 * back to that section and nothing else, whatever the headings are.
 */
static void
check_refs(const struct runbook_set *set)
{
	size_t	 i, n, *ids = NULL;
	char	*ref;

	for (i = 0; i < set->nsections; i++) {
		if ((ref = runbook_ref_new(set, i)) == NULL)
			continue;
		n = runbook_resolve(set, ref, &ids);
		if (n != 1 || ids[0] != i)
			abort();
		free(ids);
		ids = NULL;
		free(ref);
	}
}

/* lint reads what the loader made: every format must print it. */
static void
check_lint(const struct runbook_set *set, const struct rb_diags *diags)
{
	struct lint_findings	 f = { NULL, 0, 0 };
	FILE			*null;

	lint_check(set, diags, &f);
	if ((null = fopen("/dev/null", "w")) != NULL) {
		lint_print(null, LINT_FORMAT_TEXT, &f);
		lint_print(null, LINT_FORMAT_GITHUB, &f);
		lint_print(null, LINT_FORMAT_JSON, &f);
		fclose(null);
	}
	lint_findings_reset(&f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct runbook_set	*set;
	struct rb_diags		 diags = { NULL, 0 };
	struct reply		 r = { { NULL, 0, 0 }, 0 };
	struct strv		 msgs = { NULL, 0, 0 }, near = { NULL, 0, 0 };
	size_t			 i, *ids = NULL;
	char			*q;

	set = runbook_set_load_string("fuzz.md", (const char *)data, len,
	    &diags);
	if (set != NULL) {
		for (i = 0; i < set->nsections; i++) {
			runbook_section_reply(set, i, &r);
			check_utf8(&r.blocks);
			reply_pack(&r, 300, &msgs);
			check_utf8(&msgs);
			strv_reset(&msgs);
			reply_reset(&r);
		}
		if (set->nsections > 0) {
			free(ids);
			ids = NULL;
			runbook_find(set, set->sections[0].heading, "sop", &ids);
		}
		runbook_suggest(set, "hivedown", 3, &near);
		strv_reset(&near);
		check_refs(set);
		check_lint(set, &diags);
		/* The input's first line as a path query ("a/b#2"). */
		q = xstrndup((const char *)data, len < 256 ? len : 256);
		q[strcspn(q, "\n")] = '\0';
		free(ids);
		ids = NULL;
		runbook_resolve(set, q, &ids);
		free(q);
	}
	free(ids);
	runbook_set_free(set);
	rb_diags_reset(&diags);
	return (0);
}
