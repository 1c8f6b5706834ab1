/*
 * cmd-runbook.c: a section by name, or a full-text search over every
 * section of every runbook, best hits first.
 */
#include <stdlib.h>

#include "commands/cmd.h"
#include "store/store.h"

#define RUNBOOK_MAX_HITS 8

static enum cmd_retval	cmd_runbook_exec(struct cmd_ctx *);

const struct cmd_entry cmd_runbook_entry = {
	.name = "runbook",
	.alias = "rb",
	.args = { 1, -1 },
	.usage = "<words or section>",
	.help = "Search every runbook, or show a section by name "
	    "(e.g. pods-not-starting)",
	.flags = 0,
	.exec = cmd_runbook_exec,
};

static enum cmd_retval
cmd_runbook_exec(struct cmd_ctx *ctx)
{
	const struct runbook_set	*set = ctx->bot->runbooks;
	int64_t				 hits[RUNBOOK_MAX_HITS];
	struct buf			 b = { NULL, 0, 0 };
	size_t				*ids = NULL;
	char				*words, *where, *safe = NULL;
	int				 n, i;
	enum cmd_retval			 rv = CMD_OK;

	words = cmd_join_args(ctx, 1);
	if (runbook_find(set, words, NULL, &ids) > 0) {
		cmd_section_reply(ctx, ids[0], "runbook");
		goto out;
	}
	n = store_index_search(ctx->bot->store, words, hits, RUNBOOK_MAX_HITS);
	if (n < 0) {
		cmd_error(ctx, "The runbook search failed; the log says why.");
		rv = CMD_ERROR;
		goto out;
	}
	if (n == 0) {
		rv = cmd_not_found(ctx, "runbook section", words, "runbook");
		goto out;
	}
	safe = mrkdwn_escape_new(words);
	buf_printf(&b, "*Runbook sections matching `%s`* (best first):", safe);
	for (i = 0; i < n; i++) {
		if (hits[i] < 0 || (size_t)hits[i] >= set->nsections)
			continue;
		where = runbook_section_path_new(set, (size_t)hits[i]);
		buf_printf(&b, "\n%d. %s — `%srunbook %s`", i + 1, where,
		    ctx->prefix, set->sections[hits[i]].slug);
		free(where);
	}
	reply_add_new(ctx->reply, buf_release(&b));
out:
	free(safe);
	free(ids);
	free(words);
	return (rv);
}
