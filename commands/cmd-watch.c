/* cmd-watch.c: the channel watches of this channel, and a dry run. */
#include <stdlib.h>
#include <string.h>

#include "bot/clock.h"
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

/* ", active mon-fri 08:00-18:00 Europe/Berlin" if the rule says. */
static void
active_text(struct buf *b, const struct watch_rule *r, const char *deftz)
{
	struct buf	 a = { NULL, 0, 0 };
	char		*s, *safe;

	if (!r->active.set)
		return;
	watch_active_format(&a, &r->active, deftz);
	s = buf_release(&a);
	safe = mrkdwn_escape_new(s);
	buf_printf(b, "active %s", safe);
	free(safe);
	free(s);
}

/*
 * "*sealed* (critical): `sealed`, `regex:…` → thread, cooldown 10m,
 * active mon-fri 08:00-18:00 Europe/Berlin"
 */
static void
rule_line(struct buf *b, const struct watch_rule *r, const char *deftz)
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
	if (r->active.set) {
		buf_adds(b, ", ");
		active_text(b, r, deftz);
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
		rule_line(&b, &set->rules[c->rules[i]], ctx->bot->cfg->tz);
	reply_add_new(ctx->reply, buf_release(&b));
	return (CMD_OK);
}

static enum cmd_retval
watch_test(struct cmd_ctx *ctx, struct watch_chan *c)
{
	const struct watch_set	*set = ctx->bot->cfg->watches;
	const char		*deftz = ctx->bot->cfg->tz;
	const struct watch_rule	*r;
	struct watch_hits	 hits = { NULL, 0, 0 };
	struct buf		 b = { NULL, 0, 0 };
	char			*text, *safe, *answer;
	int64_t			 now = clock_wall_ms();
	size_t			 i;
	int			 n, nactive = 0;

	/* as typed: the tokenizer decoded &amp; &lt; &gt;, as watch.c does */
	text = cmd_join_args(ctx, 2);
	n = watch_match(c, text, strlen(text), 1, &hits);
	if (n <= 0) {
		cmd_reply(ctx, "No watch of this channel matches that%s.",
		    n < 0 ? " (the match gave up: see the log)" : "");
		goto out;
	}
	for (i = 0; i < hits.n; i++) {
		r = &set->rules[hits.v[i].rule];
		if (watch_active_at(&r->active, deftz, now) != 0)
			nactive++;
	}
	if (nactive == n)
		buf_printf(&b, "%d watch%s would answer (nothing is posted):",
		    n, n == 1 ? "" : "es");
	else
		buf_printf(&b, "%d watch%s match%s, %d would answer now "
		    "(nothing is posted):", n, n == 1 ? "" : "es",
		    n == 1 ? "es" : "", nactive);
	for (i = 0; i < hits.n; i++) {
		r = &set->rules[hits.v[i].rule];
		safe = mrkdwn_escape_new(r->name);
		buf_printf(&b, "\n• *%s*: ", safe);
		free(safe);
		/* the matched bytes, as a new string to escape */
		safe = xstrndup(text + hits.v[i].start,
		    hits.v[i].end - hits.v[i].start);
		answer = mrkdwn_escape_new(safe);
		buf_printf(&b, "matched `%s`, ", answer);
		free(answer);
		free(safe);
		/* as watch_handle has it: an unusable zone counts as active */
		if (watch_active_at(&r->active, deftz, now) == 0) {
			buf_adds(&b, "would not answer now: outside its ");
			active_text(&b, r, deftz);
		} else
			buf_printf(&b, "would answer in the %s",
			    r->in_channel ? "channel" : "thread");
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
