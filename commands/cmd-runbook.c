/*
 * cmd-runbook.c: a section by name, or a full-text search over every
 * section of every runbook, best runbooks first, each with its best
 * sections: five hits in one runbook must not hide all the others.
 */
#include <stdlib.h>
#include <string.h>

#include "commands/cmd.h"
#include "store/store.h"

#define RUNBOOK_MAX_HITS	64	/* hits read from the index */
#define RUNBOOK_MAX_GROUPS	6	/* runbooks shown */
#define RUNBOOK_MAX_PER_GROUP	3	/* sections shown per runbook */

/* One runbook's line: its best sections, best first. */
struct runbook_group {
	size_t	 runbook;
	size_t	 ids[RUNBOOK_MAX_PER_GROUP];
	size_t	 n;
};

static enum cmd_retval	cmd_runbook_exec(struct cmd_ctx *);

const struct cmd_entry cmd_runbook_entry = {
	.name = "runbook",
	.alias = "rb",
	.args = { 1, -1 },
	.usage = "<words or section>",
	.help = "Search every runbook, or show a section by name or path "
	    "(e.g. pods-not-starting, hivedown/steps)",
	.flags = 0,
	.exec = cmd_runbook_exec,
};

/*
 * Groups hits (best first) by runbook into groups (at most
 * RUNBOOK_MAX_GROUPS, in the order of each runbook's best hit); returns
 * how many.
 */
static size_t
runbook_group_hits(const struct runbook_set *set, const int64_t *hits,
    int nhits, struct runbook_group *groups)
{
	struct runbook_group	*g;
	size_t			 ngroups = 0, k, rb;
	int			 i;

	for (i = 0; i < nhits; i++) {
		if (hits[i] < 0 || (size_t)hits[i] >= set->nsections)
			continue;
		rb = set->sections[hits[i]].runbook;
		for (k = 0; k < ngroups && groups[k].runbook != rb; k++)
			;
		if (k == ngroups) {
			if (ngroups == RUNBOOK_MAX_GROUPS)
				continue;
			g = &groups[ngroups++];
			g->runbook = rb;
			g->n = 0;
		}
		g = &groups[k];
		if (g->n < RUNBOOK_MAX_PER_GROUP)
			g->ids[g->n++] = (size_t)hits[i];
	}
	return (ngroups);
}

/*
 * "1. *Runbook* `!runbook ref` — Heading `!runbook ref` · Other ...": the
 * runbook's own command when its top section is a hit, then its other
 * sections.
 */
static void
runbook_group_line(struct buf *b, struct cmd_ctx *ctx, size_t num,
    const struct runbook_group *g)
{
	const struct runbook_set	*set = ctx->bot->runbooks;
	const struct runbook		*rb = &set->runbooks[g->runbook];
	const char			*sep = " — ";
	char				*title, *sub;
	size_t				 i;

	title = mrkdwn_escape_new(rb->title);
	buf_printf(b, "\n%zu. *%s*", num, title);
	free(title);
	for (i = 0; i < g->n; i++) {
		if (g->ids[i] == rb->top)
			cmd_section_ref_add(b, ctx, "runbook", g->ids[i], " ");
	}
	for (i = 0; i < g->n; i++) {
		if (g->ids[i] == rb->top)
			continue;
		sub = runbook_section_subpath_new(set, g->ids[i]);
		buf_printf(b, "%s%s", sep, sub);
		cmd_section_ref_add(b, ctx, "runbook", g->ids[i], " ");
		free(sub);
		sep = " · ";
	}
}

static enum cmd_retval
cmd_runbook_exec(struct cmd_ctx *ctx)
{
	const struct runbook_set	*set = ctx->bot->runbooks;
	struct runbook_group		 groups[RUNBOOK_MAX_GROUPS];
	int64_t				 hits[RUNBOOK_MAX_HITS];
	struct buf			 b = { NULL, 0, 0 };
	char				*words, *safe = NULL;
	size_t				 ngroups, i;
	int				 n;
	enum cmd_retval			 rv = CMD_OK;

	words = cmd_join_args(ctx, 1);
	if (cmd_named_reply(ctx, words, NULL, "runbook") > 0)
		goto out;
	n = store_index_search(ctx->bot->store, words, hits, RUNBOOK_MAX_HITS);
	if (n < 0) {
		cmd_error(ctx, "The runbook search failed; the log says why.");
		rv = CMD_ERROR;
		goto out;
	}
	ngroups = runbook_group_hits(set, hits, n, groups);
	if (ngroups == 0) {
		rv = cmd_not_found(ctx, "runbook section", words, "runbook");
		goto out;
	}
	safe = mrkdwn_escape_new(words);
	buf_printf(&b, "*Runbooks matching `%s`* (best first):", safe);
	for (i = 0; i < ngroups; i++)
		runbook_group_line(&b, ctx, i + 1, &groups[i]);
	reply_add_new(ctx->reply, buf_release(&b));
out:
	free(safe);
	free(words);
	return (rv);
}
