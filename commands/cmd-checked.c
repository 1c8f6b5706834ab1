/*
 * cmd-checked.c: `checked [<duty>|#<check>] [note]` records an on-call
 * duty's check done (bot/duty.h): the oldest pending check of the
 * channel's rotation (`checked <rotation> ...` elsewhere), of the duty
 * named if one is. The Done button of a nudge runs `checked #<id>`.
 * Members, managers and admins of the rotation only.
 */
#include <stdlib.h>
#include <string.h>

#include "bot/bot.h"
#include "bot/clock.h"
#include "bot/config.h"
#include "bot/duty.h"
#include "bot/oncall.h"
#include "bot/page.h"
#include "commands/cmd.h"
#include "store/store.h"

static enum cmd_retval	cmd_checked_exec(struct cmd_ctx *);

const struct cmd_entry cmd_checked_entry = {
	.name = "checked",
	.alias = NULL,
	.args = { 0, -1 },
	.usage = "[<rotation>] [<duty>] [note]",
	.help = "Record an on-call duty as done (the oldest pending one "
	    "unless named)",
	.flags = 0,
	.exec = cmd_checked_exec,
};

/* The check a leading "#<id>" names (the button), into *c. */
static int
checked_by_id(struct cmd_ctx *ctx, int64_t id, struct store_duty_check *c,
    const struct rotation **rot)
{
	int	 rc;

	if ((rc = store_duty_check_get(ctx->bot->store, id, c)) < 0) {
		cmd_error(ctx, "Cannot read the duty checks: %s",
		    store_last_error(ctx->bot->store));
		return (-1);
	}
	if (rc == 0 || (*rot = rotation_find(ctx->bot->cfg, c->rotation)) ==
	    NULL) {
		cmd_error(ctx, "There is no duty check #%lld.", (long long)id);
		return (-1);
	}
	return (0);
}

static enum cmd_retval
cmd_checked_exec(struct cmd_ctx *ctx)
{
	struct store_duty_check	 c;
	const struct rotation	*rot = NULL;
	const char		*duty = NULL, *zone;
	struct buf		 b = { NULL, 0, 0 };
	char			*note = NULL;
	int64_t			 now = clock_wall_ms(), id;
	int			 i = 1, rc = 0;
	enum cmd_retval		 rv = CMD_ERROR;

	memset(&c, 0, sizeof c);
	if (ctx->bot->store == NULL) {
		cmd_error(ctx, "Duties need the database.");
		goto out;
	}
	if (ctx->argc > 1 && ctx->argv[1][0] == '#' &&
	    cmd_id_parse(ctx->argv[1], &id)) {
		if (checked_by_id(ctx, id, &c, &rot) != 0)
			goto out;
		i = 2;
	} else {
		if (ctx->argc > 1 && (rot = rotation_find(ctx->bot->cfg,
		    ctx->argv[1])) != NULL)
			i = 2;
		else
			rot = rotation_for_channel(ctx->bot,
			    ctx->msg->channel);
		if (rot == NULL) {
			cmd_error(ctx, "This channel is no rotation's: say "
			    "`%schecked <rotation> [duty] [note]`.",
			    ctx->prefix);
			goto out;
		}
		if (i < ctx->argc && duty_find(ctx->bot->cfg, rot->name,
		    ctx->argv[i]) != NULL)
			duty = ctx->argv[i++];
	}
	if (!rotation_may_change(ctx->bot->cfg, rot, ctx->msg->user)) {
		buf_adds(&b, "Only members of the *");
		mrkdwn_escape(&b, rot->name, strlen(rot->name));
		buf_adds(&b, "* rotation (and its managers and admins) may "
		    "record its duties.");
		cmd_error(ctx, "%s", buf_str(&b));
		goto out;
	}
	if (c.id == 0 && (rc = store_duty_check_pending(ctx->bot->store,
	    rot->name, duty, &c)) <= 0) {
		if (rc < 0) {
			cmd_error(ctx, "Cannot read the duty checks: %s",
			    store_last_error(ctx->bot->store));
			goto out;
		}
		buf_adds(&b, "No duty of *");
		mrkdwn_escape(&b, rot->name, strlen(rot->name));
		buf_printf(&b, "*%s%s is waiting to be checked.",
		    duty != NULL ? " called " : "", duty != NULL ? duty : "");
		cmd_reply(ctx, "%s", buf_str(&b));
		rv = CMD_OK;
		goto out;
	}
	if (i < ctx->argc)
		note = cmd_join_args(ctx, i);
	zone = rot->tz != NULL ? rot->tz : "UTC";
	if ((rc = store_duty_check_done(ctx->bot->store, c.id,
	    ctx->msg->user, note, now)) < 0) {
		cmd_error(ctx, "Cannot record the check: %s",
		    store_last_error(ctx->bot->store));
		goto out;
	}
	buf_adds(&b, rc == 1 ? ":white_check_mark: Duty *" : "Duty *");
	mrkdwn_escape(&b, c.duty, strlen(c.duty));
	buf_adds(&b, "* due ");
	page_when_add(&b, c.due_ms, now, zone);
	if (rc == 0) {
		buf_printf(&b, " was %s already.", store_duty_state_name(
		    c.state));
		cmd_reply(ctx, "%s", buf_str(&b));
		rv = CMD_OK;
		goto out;
	}
	buf_adds(&b, " checked by ");
	page_user_add(&b, ctx->msg->adapter, ctx->msg->user);
	if (note != NULL) {
		buf_adds(&b, ": ");
		mrkdwn_escape(&b, note, strlen(note));
	}
	buf_adds(&b, ".");
	cmd_reply(ctx, "%s", buf_str(&b));
	rv = CMD_OK;
out:
	free(note);
	buf_reset(&b);
	store_duty_check_release(&c);
	return (rv);
}
