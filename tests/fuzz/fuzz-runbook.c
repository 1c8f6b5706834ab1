/*
 * fuzz-runbook.c: any bytes as a runbook file: front matter, fixups,
 * cmark-gfm, sections, mrkdwn rendering and reply packing must never
 * crash or leak, whatever people write, and every reply must be UTF-8.
 * Built as a libFuzzer target with -DOPSBOT_FUZZ=ON (clang), and as a
 * replay program over files for ctest.
 */
#include <stddef.h>
#include <stdint.h>
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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct runbook_set	*set;
	struct rb_diags		 diags = { NULL, 0 };
	struct reply		 r = { { NULL, 0, 0 }, 0 };
	struct strv		 msgs = { NULL, 0, 0 }, near = { NULL, 0, 0 };
	size_t			 i, *ids = NULL;

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
	}
	free(ids);
	runbook_set_free(set);
	rb_diags_reset(&diags);
	return (0);
}
