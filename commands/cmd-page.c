/*
 * cmd-page.c: `page <rotation> <summary>` opens a page (bot/page.c):
 * posted in the rotation's channel mentioning the person on call, with
 * its ack deadline, and escalated by the rotation's policy until it is
 * acknowledged. `--dry-run` shows who would be paged and the whole
 * timeline without paging anyone.
 */
#include <stdlib.h>
#include <string.h>

#include "bot/clock.h"
#include "bot/page.h"
#include "commands/cmd.h"

static enum cmd_retval	cmd_page_exec(struct cmd_ctx *);

const struct cmd_entry cmd_page_entry = {
	.name = "page",
	.alias = NULL,
	.args = { 2, -1 },
	.usage = "[--dry-run] [--critical] <rotation> [critical|high|medium|"
	    "low] <summary>",
	.help = "Page a rotation's person on call, escalated by its policy "
	    "until acknowledged; --dry-run shows who and when without paging",
	.flags = 0,
	.exec = cmd_page_exec,
};

/* The message's identity (new string, or NULL): one page per message. */
static char *
page_key_new(const struct msg *m)
{
	char	*key = NULL;

	if (m->ts != NULL)
		xasprintf(&key, "page:%s:%s:%s", m->adapter, m->channel, m->ts);
	else if (m->event_id != NULL)
		xasprintf(&key, "page:%s:%s", m->adapter, m->event_id);
	return (key);
}

static enum cmd_retval
cmd_page_exec(struct cmd_ctx *ctx)
{
	struct page_rota	 r;
	struct page_req		 q;
	const char		*severity = "high", *rotation;
	char			*summary = NULL, *text = NULL, *key = NULL;
	int64_t			 now = clock_wall_ms(), id;
	int			 i = 1, dry = 0, added = 0;
	enum cmd_retval		 rv = CMD_ERROR;

	memset(&r, 0, sizeof r);
	for (; i < ctx->argc && strncmp(ctx->argv[i], "--", 2) == 0; i++) {
		if (strcmp(ctx->argv[i], "--dry-run") == 0)
			dry = 1;
		else if (strcmp(ctx->argv[i], "--critical") == 0)
			severity = "critical";
		else {
			cmd_error(ctx, "Unknown option `%s`: `--dry-run` and "
			    "`--critical` are known. Usage: `%spage %s`.",
			    ctx->argv[i][2] == '\0' ? "--" : "--…",
			    ctx->prefix, ctx->entry->usage);
			goto out;
		}
	}
	if (i >= ctx->argc) {
		cmd_error(ctx, "Which rotation? Usage: `%spage %s`.",
		    ctx->prefix, ctx->entry->usage);
		goto out;
	}
	rotation = ctx->argv[i++];
	/* a severity word before the summary, unless it is all of it */
	if (i + 1 < ctx->argc && page_severity_name(ctx->argv[i]) != NULL) {
		if (strcmp(severity, "critical") != 0)
			severity = page_severity_name(ctx->argv[i]);
		i++;
	}
	if (i >= ctx->argc) {
		cmd_error(ctx, "What is the page about? Usage: `%spage %s`.",
		    ctx->prefix, ctx->entry->usage);
		goto out;
	}
	if (page_rota_get(ctx->bot, rotation, &r) != 1) {
		text = mrkdwn_escape_new(rotation);
		cmd_error(ctx, "There is no rotation named `%s`. `%soncall` "
		    "lists the rotations.", text, ctx->prefix);
		goto out;
	}
	if (r.channel == NULL) {
		cmd_error(ctx, "Rotation *%s* has no channel to page in: "
		    "give it `channel:` in the config.", r.name);
		goto out;
	}
	summary = cmd_join_args(ctx, i);
	if (dry) {
		text = page_dry_run_new(ctx->bot, ctx->msg->adapter, &r, summary,
		    severity, ctx->prefix, now);
		cmd_reply(ctx, "%s", text);
		rv = CMD_OK;
		goto out;
	}
	key = page_key_new(ctx->msg);
	memset(&q, 0, sizeof q);
	q.key = key;
	q.adapter = ctx->msg->adapter;
	q.rotation = r.name;
	q.summary = summary;
	q.severity = severity;
	q.opened_by = ctx->msg->user;
	q.prefix = ctx->prefix;
	q.now_ms = now;
	if ((id = page_open(ctx->bot, &r, &q, &added)) < 0) {
		cmd_error(ctx, "I could not open the page: the store failed. "
		    "Nobody was paged; try again.");
		goto out;
	}
	if (strcmp(ctx->msg->channel, r.channel) != 0)
		cmd_reply(ctx, "Page *#%lld* %s in %s.", (long long)id,
		    added ? "posted" : "was posted already", r.channel);
	rv = CMD_OK;
out:
	page_rota_release(&r);
	free(key);
	free(text);
	free(summary);
	return (rv);
}
