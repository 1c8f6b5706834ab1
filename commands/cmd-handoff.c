/*
 * cmd-handoff.c: `handoff` (bot/handoff.h). In a rotation's channel, or
 * naming the rotation first:
 *   handoff [<rotation>] @next [notes]  records the handoff of the shift
 *                                       ending (or just ended)
 *   handoff ack [id]                    the incoming person confirms
 *   handoff [<rotation>]                the last handoff and its record
 * Recording is for the outgoing person, or a member, manager or admin
 * on their behalf (rotation_may_change); the ack for the incoming
 * person or the same.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "bot/clock.h"
#include "bot/handoff.h"
#include "bot/oncall.h"
#include "bot/page.h"
#include "commands/cmd.h"
#include "store/store.h"

static enum cmd_retval	cmd_handoff_exec(struct cmd_ctx *);

const struct cmd_entry cmd_handoff_entry = {
	.name = "handoff",
	.alias = NULL,
	.args = { 0, -1 },
	.usage = "[<rotation>] [<@next> [notes] | ack [id]]",
	.help = "Hand the rotation to the next person with notes (what is "
	    "open is recorded for you); `ack` confirms; alone, the last "
	    "handoff",
	.flags = 0,
	.exec = cmd_handoff_exec,
};

/*
 * The rotation the command means: argv[*i] if it names one (then *i
 * moves past it), else the channel's. NULL with the error replied.
 */
static const struct rotation *
handoff_rotation(struct cmd_ctx *ctx, int *i)
{
	const struct rotation	*rot;
	char			*name;

	if (*i < ctx->argc &&
	    (rot = rotation_find(ctx->bot->cfg, ctx->argv[*i])) != NULL) {
		(*i)++;
		return (rot);
	}
	if ((rot = rotation_for_channel(ctx->bot, ctx->msg->channel)) != NULL)
		return (rot);
	if (*i < ctx->argc && strncmp(ctx->argv[*i], "<@", 2) != 0 &&
	    strcasecmp(ctx->argv[*i], "ack") != 0) {
		name = mrkdwn_escape_new(ctx->argv[*i]);
		cmd_error(ctx, "There is no rotation named `%s`. `%soncall` "
		    "lists the rotations.", name, ctx->prefix);
		free(name);
	} else
		cmd_error(ctx, "Which rotation? This channel is none's: "
		    "`%shandoff <rotation> %s`.", ctx->prefix,
		    "<@next> [notes]");
	return (NULL);
}

/* The last handoff of rot, its record as text. */
static enum cmd_retval
handoff_show(struct cmd_ctx *ctx, const struct rotation *rot)
{
	struct store_handoff	 h;
	struct buf		 b;
	json_t			*rec = NULL;
	char			*text = NULL;
	int64_t			 now = clock_wall_ms();
	int			 rc;

	memset(&b, 0, sizeof b);
	if ((rc = store_handoff_last(ctx->bot->store, rot->name, &h)) < 0) {
		cmd_error(ctx, "I could not read the handoffs: the store "
		    "failed.");
		return (CMD_ERROR);
	}
	if (rc == 0) {
		cmd_reply(ctx, "No handoff of *%s* is recorded yet. "
		    "`%shandoff %s <@next> [notes]` records one.", rot->name,
		    ctx->prefix, rot->name);
		return (CMD_OK);
	}
	buf_printf(&b, "Last handoff of *%s* (#%lld): ", rot->name,
	    (long long)h.id);
	page_user_add(&b, ctx->msg->adapter, h.from_user);
	buf_adds(&b, " → ");
	page_user_add(&b, ctx->msg->adapter, h.to_user);
	buf_adds(&b, ", ");
	page_when_add(&b, h.created_ms, now, rot->tz);
	if (h.late)
		buf_adds(&b, " (late)");
	if (h.acked_ms != 0) {
		buf_adds(&b, "; confirmed by ");
		page_user_add(&b, ctx->msg->adapter,
		    h.acked_by != NULL ? h.acked_by : h.to_user);
		buf_adds(&b, " ");
		page_when_add(&b, h.acked_ms, now, rot->tz);
	} else
		buf_adds(&b, "; *not confirmed yet*");
	buf_adds(&b, ".\n");
	if ((rec = json_loads(h.record, 0, NULL)) != NULL) {
		text = handoff_record_text_new(rec, ctx->msg->adapter, rot->tz,
		    now);
		buf_adds(&b, text);
	}
	reply_add_new(ctx->reply, buf_release(&b));
	json_decref(rec);
	free(text);
	store_handoff_release(&h);
	return (CMD_OK);
}

/* `handoff ack [id]`: the newest of rot unless id is given. */
static enum cmd_retval
handoff_ack_cmd(struct cmd_ctx *ctx, const struct rotation *rot, int i)
{
	struct store_handoff	 h;
	const struct rotation	*hrot;
	char			*arg = NULL;
	int64_t			 id = 0, now = clock_wall_ms();
	int			 rc;
	enum cmd_retval		 rv = CMD_ERROR;

	memset(&h, 0, sizeof h);
	if (i < ctx->argc && !cmd_id_parse(ctx->argv[i], &id)) {
		arg = mrkdwn_escape_new(ctx->argv[i]);
		cmd_error(ctx, "`%s` is not a handoff number. Usage: "
		    "`%shandoff ack [id]`.", arg, ctx->prefix);
		goto out;
	}
	if (id > 0)
		rc = store_handoff_get(ctx->bot->store, id, &h);
	else if (rot != NULL)
		rc = store_handoff_last(ctx->bot->store, rot->name, &h);
	else {
		cmd_error(ctx, "Which handoff? `%shandoff ack <id>`, or run "
		    "it in the rotation's channel.", ctx->prefix);
		goto out;
	}
	if (rc < 0) {
		cmd_error(ctx, "I could not read the handoff: the store "
		    "failed. Nothing changed; try again.");
		goto out;
	}
	if (rc == 0) {
		cmd_error(ctx, "There is no such handoff to confirm.");
		goto out;
	}
	hrot = rotation_find(ctx->bot->cfg, h.rotation);
	if (strcmp(ctx->msg->user, h.to_user) != 0 && (hrot == NULL ||
	    !rotation_may_change(ctx->bot->cfg, hrot, ctx->msg->user))) {
		cmd_error(ctx, "Only <@%s>, who takes over, or a member, "
		    "manager or admin of *%s* may confirm handoff #%lld.",
		    h.to_user, h.rotation, (long long)h.id);
		goto out;
	}
	if (h.acked_ms != 0) {
		cmd_reply(ctx, "Handoff #%lld of *%s* was confirmed already.",
		    (long long)h.id, h.rotation);
		rv = CMD_OK;
		goto out;
	}
	if ((rc = handoff_ack(ctx->bot, hrot, &h, ctx->msg->adapter,
	    ctx->msg->user, now)) < 0) {
		cmd_error(ctx, "I could not record the confirmation: the "
		    "store failed. Try again.");
		goto out;
	}
	cmd_reply(ctx, "<@%s> took over *%s* from <@%s> (handoff #%lld "
	    "confirmed).", h.to_user, h.rotation, h.from_user,
	    (long long)h.id);
	rv = CMD_OK;
out:
	store_handoff_release(&h);
	free(arg);
	return (rv);
}

static enum cmd_retval
handoff_do(struct cmd_ctx *ctx, const struct rotation *rot, int i)
{
	struct handoff_req	 q;
	struct store_handoff	 h;
	char			 to[ROTATION_USER_MAX];
	char			*notes = NULL;
	int64_t			 id;
	enum cmd_retval		 rv = CMD_ERROR;

	memset(&h, 0, sizeof h);
	if (!cmd_user_parse(ctx->argv[i], to, ROTATION_USER_MAX)) {
		cmd_error(ctx, "Who takes over? Mention them: `%shandoff "
		    "[<rotation>] <@next> [notes]`.", ctx->prefix);
		goto out;
	}
	if (!rotation_may_change(ctx->bot->cfg, rot, ctx->msg->user)) {
		cmd_error(ctx, "Only members of *%s*, its managers and admins "
		    "may hand it off.", rot->name);
		goto out;
	}
	if (i + 1 < ctx->argc)
		notes = cmd_join_args(ctx, i + 1);
	memset(&q, 0, sizeof q);
	q.adapter = ctx->msg->adapter;
	q.channel = ctx->msg->channel;
	q.by = ctx->msg->user;
	q.to_user = to;
	q.notes = notes;
	q.prefix = ctx->prefix;
	q.now_ms = clock_wall_ms();
	if ((id = handoff_record(ctx->bot, rot, &q, &h)) < 0) {
		cmd_error(ctx, "I could not record the handoff: the store "
		    "failed. Nothing was recorded; try again.");
		goto out;
	}
	if (rot->channel == NULL || strcmp(ctx->msg->channel,
	    rot->channel) != 0)
		cmd_reply(ctx, "Handoff *#%lld* of *%s* recorded%s.",
		    (long long)id, rot->name, h.late ? " (late)" : "");
	rv = CMD_OK;
out:
	store_handoff_release(&h);
	free(notes);
	return (rv);
}

static enum cmd_retval
cmd_handoff_exec(struct cmd_ctx *ctx)
{
	const struct rotation	*rot;
	int			 i = 1;

	if (ctx->argc >= 2 && strcasecmp(ctx->argv[1], "ack") == 0)
		return (handoff_ack_cmd(ctx, rotation_for_channel(ctx->bot,
		    ctx->msg->channel), 2));
	if ((rot = handoff_rotation(ctx, &i)) == NULL)
		return (CMD_ERROR);
	if (i >= ctx->argc)
		return (handoff_show(ctx, rot));
	if (strcasecmp(ctx->argv[i], "ack") == 0)
		return (handoff_ack_cmd(ctx, rot, i + 1));
	return (handoff_do(ctx, rot, i));
}
