/* cmd-watch.c: the channel watches of this channel, and a dry run. */
#include <stdlib.h>
#include <string.h>

#include "bot/watch.h"
#include "commands/cmd.h"

static enum cmd_retval	cmd_watch_exec(struct cmd_ctx *);

const struct cmd_entry cmd_watch_entry = {
	.name = "watch",
	.alias = NULL,
	.args = { 1, -1 },
	.usage = "list | test <text>",
	.help = "The watches of this channel, or which would answer a text",
	.flags = 0,
	.exec = cmd_watch_exec,
};

/* "*sealed* (critical): `sealed`, `regex:…` → thread, cooldown 10m" */
static void
rule_line(struct buf *b, const struct watch_rule *r)
{
	char	*safe;
	size_t	 i;

	safe = mrkdwn_escape_new(r->name);
	buf_printf(b, "\n• *%s*", safe);
	free(safe);
	if (r->severity != NULL) {
		safe = mrkdwn_escape_new(r->severity);
		buf_printf(b, " (%s)", safe);
		free(safe);
	}
	buf_adds(b, ":");
	for (i = 0; i < r->npatterns; i++) {
		safe = mrkdwn_escape_new(r->patterns[i].text);
		buf_printf(b, "%s`%s%s`", i > 0 ? ", " : " ",
		    r->patterns[i].is_regex ? "regex:" : "", safe);
		free(safe);
	}
	buf_printf(b, " → %s, cooldown %llds%s", r->in_channel ?
	    "channel" : "thread", (long long)(r->cooldown_ms / 1000),
	    r->bots ? ", bots count" : "");
	if (r->section != NULL) {
		safe = mrkdwn_escape_new(r->section);
		buf_printf(b, ", section `%s`", safe);
		free(safe);
	}
}

static enum cmd_retval
watch_list(struct cmd_ctx *ctx, struct watch_chan *c)
{
	const struct watch_set	*set = ctx->bot->cfg->watches;
	struct buf		 b = { NULL, 0, 0 };
	size_t			 i;

	buf_printf(&b, "%zu watch%s in this channel:", c->nrules,
	    c->nrules == 1 ? "" : "es");
	for (i = 0; i < c->nrules; i++)
		rule_line(&b, &set->rules[c->rules[i]]);
	reply_add_new(ctx->reply, buf_release(&b));
	return (CMD_OK);
}

static enum cmd_retval
watch_test(struct cmd_ctx *ctx, struct watch_chan *c)
{
	const struct watch_set	*set = ctx->bot->cfg->watches;
	const struct watch_rule	*r;
	struct watch_hits	 hits = { NULL, 0, 0 };
	struct buf		 b = { NULL, 0, 0 };
	char			*text, *safe, *answer;
	size_t			 i;
	int			 n;

	/* as typed: the tokenizer decoded &amp; &lt; &gt;, as watch.c does */
	text = cmd_join_args(ctx, 2);
	n = watch_match(c, text, strlen(text), 1, &hits);
	if (n <= 0) {
		cmd_reply(ctx, "No watch of this channel matches that%s.",
		    n < 0 ? " (the match gave up: see the log)" : "");
		goto out;
	}
	buf_printf(&b, "%d watch%s would answer (nothing is posted):", n,
	    n == 1 ? "" : "es");
	for (i = 0; i < hits.n; i++) {
		r = &set->rules[hits.v[i].rule];
		safe = mrkdwn_escape_new(r->name);
		buf_printf(&b, "\n• *%s*: ", safe);
		free(safe);
		/* the matched bytes, as a new string to escape */
		safe = xstrndup(text + hits.v[i].start,
		    hits.v[i].end - hits.v[i].start);
		answer = mrkdwn_escape_new(safe);
		buf_printf(&b, "matched `%s`, would answer in the %s", answer,
		    r->in_channel ? "channel" : "thread");
		free(answer);
		free(safe);
	}
	reply_add_new(ctx->reply, buf_release(&b));
	for (i = 0; i < hits.n; i++)
		reply_add_new(ctx->reply, watch_answer_new(ctx->bot,
		    &set->rules[hits.v[i].rule], ctx->msg));
out:
	watch_hits_reset(&hits);
	free(text);
	return (CMD_OK);
}

static enum cmd_retval
cmd_watch_exec(struct cmd_ctx *ctx)
{
	struct watch_chan	*c;
	const char		*sub = ctx->argv[1];

	if (strcmp(sub, "list") != 0 && strcmp(sub, "test") != 0) {
		cmd_error(ctx, "Usage: `%swatch list` or `%swatch test "
		    "&lt;text&gt;`.", ctx->prefix, ctx->prefix);
		return (CMD_ERROR);
	}
	if (strcmp(sub, "test") == 0 && ctx->argc < 3) {
		cmd_error(ctx, "What text? `%swatch test vault is sealed`.",
		    ctx->prefix);
		return (CMD_ERROR);
	}
	c = watch_chan_for(ctx->bot, ctx->msg->channel);
	if (c == NULL) {
		cmd_reply(ctx, "No watches in this channel.");
		return (CMD_OK);
	}
	if (strcmp(sub, "list") == 0)
		return (watch_list(ctx, c));
	return (watch_test(ctx, c));
}
