/*
 * cmd-summary.c: `summary [rotation] [week|month|DATE..DATE]`, the
 * figures managers read (bot/report.h): per rotation and per person,
 * for the last 7 days up to now unless a period is named. "week" is the
 * previous calendar week (Monday to Sunday) and "month" the previous
 * calendar month, in the rotation's zone (all rotations: the config's
 * zone), as a Monday post about "last week" means. `csv` at the end
 * answers with the figures as `opsbot report --format=csv` prints them,
 * in a code block: the CLI cannot read the store while the bot holds
 * it, so this is how a spreadsheet gets them from a running bot.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/clock.h"
#include "bot/config.h"
#include "bot/mrkdwn.h"
#include "bot/oncall.h"
#include "bot/report.h"
#include "commands/cmd.h"

static enum cmd_retval	cmd_summary_exec(struct cmd_ctx *);

const struct cmd_entry cmd_summary_entry = {
	.name = "summary",
	.alias = NULL,
	.args = { 0, 3 },
	.usage = "[<rotation>] [week|month|YYYY-MM-DD..YYYY-MM-DD] [csv]",
	.help = "Pages, time to ack, escalations, handoffs, duties and "
	    "tickets per rotation and person (default: the last 7 days)",
	.flags = 0,
	.exec = cmd_summary_exec,
};

static enum cmd_retval
cmd_summary_exec(struct cmd_ctx *ctx)
{
	const struct config	*cfg = ctx->bot->cfg;
	const struct rotation	*rot = NULL, *r;
	const char		*period = NULL, *tz;
	struct report		 rep;
	struct buf		 b = { NULL, 0, 0 };
	char			*cause = NULL, *esc;
	int64_t			 from_ms, to_ms;
	size_t			 src, dst;
	enum cmd_retval		 rv = CMD_ERROR;
	int			 i, csv = 0;

	memset(&rep, 0, sizeof rep);
	for (i = 1; i < ctx->argc; i++) {
		if (!csv && i == ctx->argc - 1 &&
		    strcasecmp(ctx->argv[i], "csv") == 0)
			csv = 1;
		else if (rot == NULL && period == NULL &&
		    (r = rotation_find(cfg, ctx->argv[i])) != NULL)
			rot = r;
		else if (period == NULL)
			period = ctx->argv[i];
		else {
			esc = mrkdwn_escape_new(ctx->argv[i]);
			cmd_error(ctx, "`%s` is neither a rotation nor a period. "
			    "Usage: `%ssummary %s`", esc, ctx->prefix,
			    ctx->entry->usage);
			free(esc);
			goto out;
		}
	}
	tz = rot != NULL ? rot->tz : cfg->tz != NULL ? cfg->tz : "UTC";
	if (report_period_parse(period, tz, clock_wall_ms(), &from_ms,
	    &to_ms, &cause) != 0) {
		esc = mrkdwn_escape_new(cause);
		cmd_error(ctx, "%s (nor a rotation). Usage: `%ssummary %s`",
		    esc, ctx->prefix, ctx->entry->usage);
		free(esc);
		goto out;
	}
	if (report_build(ctx->bot->store, cfg, rot != NULL ? rot->name : NULL,
	    from_ms, to_ms, &rep, &cause) != 0) {
		cmd_error(ctx, "I could not read the figures: the store "
		    "failed. Try again.");
		goto out;
	}
	if (csv) {
		report_csv(&b, &rep);
		/* RFC 4180's CRLF is for files; a Slack message has lines */
		for (src = dst = 0; src < b.len; src++) {
			if (b.s[src] != '\r')
				b.s[dst++] = b.s[src];
		}
		b.len = dst;
		esc = mrkdwn_escape_new(buf_str(&b));
		cmd_reply(ctx, "```\n%s```", esc);
		free(esc);
	} else {
		report_mrkdwn(&b, &rep, cfg, tz);
		cmd_reply(ctx, "%s", buf_str(&b));
	}
	rv = CMD_OK;
out:
	report_release(&rep);
	buf_reset(&b);
	free(cause);
	return (rv);
}
