/*
 * cmd-ticket.c: support tickets (bot/ticket.c): list, show, change the
 * priority, lower it for a workaround, close, reopen. In a ticket's
 * thread the
 * id may be left out.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/clock.h"
#include "bot/sched.h"
#include "bot/ticket.h"
#include "commands/cmd.h"
#include "store/store.h"

#define TICKET_LIST_MAX		20	/* tickets `ticket list` shows */
#define TICKET_EVENTS_MAX	20	/* events `ticket show` shows */

static enum cmd_retval	cmd_ticket_exec(struct cmd_ctx *);

const struct cmd_entry cmd_ticket_entry = {
	.name = "ticket",
	.alias = NULL,
	.args = { 1, 3 },
	.usage = "list [open|breaching|mine] | show [<id>] | priority [<id>] "
	    "<level> | workaround [<id>] | close [<id>] [--no-reply] | "
	    "reopen [<id>]",
	.help = "Support tickets: list them, show one, change its priority, "
	    "lower it for a workaround, close (an engineer's close asks the "
	    "requester first; --no-reply after close_wait) or reopen it",
	.flags = 0,
	.exec = cmd_ticket_exec,
};

static enum cmd_retval
ticket_store_error(struct cmd_ctx *ctx)
{
	cmd_error(ctx, "I could not read or save tickets: the store failed. "
	    "Nothing was changed; try again.");
	return (CMD_ERROR);
}

/*
 * The ticket argv[i] names, or the one whose thread this is when
 * argv[i] is not an id (*used 0). Returns 0 with *t, or -1 replied.
 */
static int
ticket_or_reply(struct cmd_ctx *ctx, int i, struct store_ticket *t,
    int *used)
{
	const char	*thread = ctx->msg->thread_ts;
	int64_t		 id;
	int		 rc;

	*used = 0;
	if (i < ctx->argc && cmd_id_parse(ctx->argv[i], &id)) {
		*used = 1;
		if ((rc = store_ticket_get(ctx->bot->store, id, t)) < 0) {
			ticket_store_error(ctx);
			return (-1);
		}
		if (rc == 0) {
			cmd_error(ctx, "There is no ticket #%lld. `%sticket "
			    "list` shows the open ones.", (long long)id,
			    ctx->prefix);
			return (-1);
		}
		return (0);
	}
	if (thread != NULL && (rc = store_ticket_by_thread(ctx->bot->store,
	    ctx->msg->channel, thread, t)) != 0) {
		if (rc < 0) {
			ticket_store_error(ctx);
			return (-1);
		}
		return (0);
	}
	if (i < ctx->argc && ctx->argv[i][0] >= '0' &&
	    ctx->argv[i][0] <= '9')
		cmd_error(ctx, "'%s' is not a ticket id: ids are whole "
		    "numbers such as 12.", ctx->argv[i]);
	else
		cmd_error(ctx, "Which ticket? Give its id (`%sticket %s 12`), "
		    "or ask in the ticket's thread.", ctx->prefix,
		    ctx->argv[1]);
	return (-1);
}

static const char *
ticket_state_name(enum ticket_state s)
{
	switch (s) {
	case TICKET_OPEN:
		return ("waiting for a first response");
	case TICKET_ANSWERED:
		return ("answered");
	case TICKET_CLOSED:
		return ("closed");
	}
	return ("?");
}

/* One line of a list: "#12 High, due 13:00 ... (UTC), in #support". */
static void
ticket_line_add(struct cmd_ctx *ctx, struct buf *b,
    const struct store_ticket *t, int64_t now)
{
	buf_printf(b, "\n• *#%lld* %s, ", (long long)t->id,
	    support_priority_name(t->priority));
	if (t->state != TICKET_CLOSED && t->closing_ms > 0) {
		buf_adds(b, "*closing*, asked the requester ");
		ticket_when_add(ctx->bot, b, t, t->closing_ms, now);
	} else if (t->state == TICKET_OPEN) {
		buf_adds(b, t->due_ms <= now ? "*breached*, was due " :
		    "due ");
		ticket_when_add(ctx->bot, b, t, t->due_ms, now);
	} else
		buf_adds(b, ticket_state_name(t->state));
	buf_adds(b, ", in ");
	mrkdwn_escape(b, t->channel, strlen(t->channel));
}

static enum cmd_retval
ticket_list(struct cmd_ctx *ctx)
{
	struct store_ticket	*v = NULL;
	struct buf		 b = { NULL, 0, 0 };
	enum ticket_filter	 filter = TICKET_LIST_OPEN;
	const char		*what = "open";
	size_t			 n = 0, i;
	int64_t			 now = clock_wall_ms();
	enum cmd_retval		 rv = CMD_ERROR;

	if (ctx->argc > 3) {
		cmd_error(ctx, "Usage: `%sticket list [open|breaching|mine]`.",
		    ctx->prefix);
		return (CMD_ERROR);
	}
	if (ctx->argc == 3) {
		what = ctx->argv[2];
		if (strcasecmp(what, "open") == 0)
			filter = TICKET_LIST_OPEN;
		else if (strcasecmp(what, "breaching") == 0)
			filter = TICKET_LIST_BREACHING;
		else if (strcasecmp(what, "mine") == 0)
			filter = TICKET_LIST_MINE;
		else {
			mrkdwn_escape(&b, what, strlen(what));
			cmd_error(ctx, "'%s' is not a list: open, breaching "
			    "or mine.", buf_str(&b));
			buf_reset(&b);
			return (CMD_ERROR);
		}
	}
	if (store_ticket_list(ctx->bot->store, filter, ctx->msg->user, now,
	    TICKET_LIST_MAX, &v, &n) < 0) {
		rv = ticket_store_error(ctx);
		goto out;
	}
	if (n == 0)
		buf_adds(&b, filter == TICKET_LIST_MINE ? "You have no open "
		    "tickets." : filter == TICKET_LIST_BREACHING ? "No ticket "
		    "is breaching." : "No open tickets.");
	else
		buf_printf(&b, "*Tickets* (%s):", filter ==
		    TICKET_LIST_MINE ? "yours" : filter ==
		    TICKET_LIST_BREACHING ? "breaching" : "open");
	for (i = 0; i < n; i++)
		ticket_line_add(ctx, &b, &v[i], now);
	if (n == TICKET_LIST_MAX)
		buf_printf(&b, "\n…showing the first %d.", TICKET_LIST_MAX);
	reply_add_new(ctx->reply, buf_release(&b));
	rv = CMD_OK;
out:
	for (i = 0; i < n; i++)
		store_ticket_release(&v[i]);
	free(v);
	buf_reset(&b);
	return (rv);
}

static enum cmd_retval
ticket_show(struct cmd_ctx *ctx)
{
	struct store_ticket		 t;
	struct store_ticket_event	*ev = NULL;
	struct buf			 b = { NULL, 0, 0 };
	size_t				 n = 0, i;
	int64_t				 now = clock_wall_ms();
	int				 used;
	enum cmd_retval			 rv = CMD_ERROR;

	memset(&t, 0, sizeof t);
	if (ticket_or_reply(ctx, 2, &t, &used) != 0)
		goto out;
	if (store_ticket_events(ctx->bot->store, t.id, TICKET_EVENTS_MAX,
	    &ev, &n) < 0) {
		rv = ticket_store_error(ctx);
		goto out;
	}
	buf_printf(&b, "*Ticket #%lld*: %s, %s tier, %s\nIn ",
	    (long long)t.id, support_priority_name(t.priority),
	    t.tier_name != NULL ? t.tier_name : "?",
	    ticket_state_name(t.state));
	mrkdwn_escape(&b, t.channel, strlen(t.channel));
	buf_adds(&b, ", asked by ");
	mrkdwn_escape(&b, t.requester, strlen(t.requester));
	if (t.permalink != NULL) {
		/* escaped, a URL's '&' too: Slack links it all the same */
		buf_adds(&b, "\nThread: ");
		mrkdwn_escape(&b, t.permalink, strlen(t.permalink));
	}
	buf_adds(&b, "\nOpened ");
	ticket_when_add(ctx->bot, &b, &t, t.opened_ms, now);
	buf_adds(&b, "; due ");
	ticket_when_add(ctx->bot, &b, &t, t.due_ms, now);
	if (t.first_response_ms > 0) {
		buf_adds(&b, "; first response ");
		ticket_when_add(ctx->bot, &b, &t, t.first_response_ms, now);
	}
	if (t.state != TICKET_CLOSED && t.closing_ms > 0) {
		buf_adds(&b, "; *closing*: the requester was asked ");
		ticket_when_add(ctx->bot, &b, &t, t.closing_ms, now);
	}
	for (i = 0; i < n; i++) {
		buf_adds(&b, "\n• ");
		ticket_when_add(ctx->bot, &b, &t, ev[i].at_ms, now);
		buf_printf(&b, " %s", ev[i].kind);
		if (ev[i].actor != NULL) {
			buf_adds(&b, " by ");
			mrkdwn_escape(&b, ev[i].actor, strlen(ev[i].actor));
		}
		if (ev[i].detail != NULL) {
			buf_adds(&b, ": ");
			mrkdwn_escape(&b, ev[i].detail, strlen(ev[i].detail));
		}
	}
	reply_add_new(ctx->reply, buf_release(&b));
	rv = CMD_OK;
out:
	for (i = 0; i < n; i++)
		store_ticket_event_release(&ev[i]);
	free(ev);
	buf_reset(&b);
	store_ticket_release(&t);
	return (rv);
}

/* The reply after a priority change: the new priority and due time. */
static enum cmd_retval
ticket_changed_reply(struct cmd_ctx *ctx, int64_t id, const char *what)
{
	struct store_ticket	 t;
	struct buf		 b = { NULL, 0, 0 };

	memset(&t, 0, sizeof t);
	if (store_ticket_get(ctx->bot->store, id, &t) != 1)
		return (ticket_store_error(ctx));
	buf_printf(&b, "Ticket #%lld %s: now *%s*, due ", (long long)id, what,
	    support_priority_name(t.priority));
	ticket_when_add(ctx->bot, &b, &t, t.due_ms, clock_wall_ms());
	buf_adds(&b, t.state == TICKET_OPEN ? "." :
	    " (answered already: no clock runs).");
	reply_add_new(ctx->reply, buf_release(&b));
	store_ticket_release(&t);
	return (CMD_OK);
}

static enum cmd_retval
ticket_priority(struct cmd_ctx *ctx, int workaround)
{
	const struct support_channel	*sc;
	struct store_ticket		 t;
	enum support_priority		 p;
	const char			*level;
	int				 used, eng;
	enum cmd_retval			 rv = CMD_ERROR;

	memset(&t, 0, sizeof t);
	if (ticket_or_reply(ctx, 2, &t, &used) != 0)
		goto out;
	if (t.state == TICKET_CLOSED) {
		cmd_error(ctx, "Ticket #%lld is closed.", (long long)t.id);
		goto out;
	}
	sc = support_channel_for(ctx->bot, t.channel);
	eng = sc != NULL && support_is_engineer(sc, ctx->msg->user);
	if (workaround) {
		if (2 + used != ctx->argc) {
			cmd_error(ctx, "Usage: `%sticket workaround [<id>]`.",
			    ctx->prefix);
			goto out;
		}
		p = support_priority_lower(t.priority);
		if (p == (enum support_priority)t.priority) {
			cmd_error(ctx, "Ticket #%lld is Low already: a "
			    "workaround cannot lower it further.",
			    (long long)t.id);
			goto out;
		}
	} else {
		if (2 + used + 1 != ctx->argc) {
			cmd_error(ctx, "Usage: `%sticket priority [<id>] "
			    "critical|high|medium|low`.", ctx->prefix);
			goto out;
		}
		level = ctx->argv[2 + used];
		if (support_priority_parse(level, &p) != 0) {
			struct buf	 b = { NULL, 0, 0 };

			mrkdwn_escape(&b, level, strlen(level));
			cmd_error(ctx, "'%s' is not a priority: critical, "
			    "high, medium or low.", buf_str(&b));
			buf_reset(&b);
			goto out;
		}
		if (!support_priority_allowed(p, eng)) {
			cmd_error(ctx, "Only a support engineer can make a "
			    "ticket Critical: a critical request is validated "
			    "on the support side.");
			goto out;
		}
	}
	if (p == (enum support_priority)t.priority && !workaround) {
		cmd_reply(ctx, "Ticket #%lld is %s already.", (long long)t.id,
		    support_priority_name(p));
		rv = CMD_OK;
		goto out;
	}
	if (ticket_set_priority(ctx->bot, &t, p, workaround ? "workaround" :
	    "priority", ctx->msg->user, clock_wall_ms()) != 0) {
		rv = ticket_store_error(ctx);
		goto out;
	}
	rv = ticket_changed_reply(ctx, t.id, workaround ?
	    "has a workaround, one level lower" : "re-prioritised");
out:
	store_ticket_release(&t);
	return (rv);
}

/* "--no-reply" among argv[2..]: 1 (and removed from the count), else 0. */
static int
ticket_no_reply(struct cmd_ctx *ctx)
{
	if (ctx->argc > 2 && strcmp(ctx->argv[ctx->argc - 1],
	    "--no-reply") == 0) {
		ctx->argc--;
		return (1);
	}
	return (0);
}

/*
 * `ticket close <id> --no-reply` by an engineer: allowed once the
 * question has waited close_wait. Returns 1 if it may close now, else
 * 0 with the reply said.
 */
static int
ticket_no_reply_allowed(struct cmd_ctx *ctx, const struct store_ticket *t,
    const struct support_channel *sc, int64_t now)
{
	struct buf	 b = { NULL, 0, 0 };
	int64_t		 wait = sc != NULL ? sc->close_wait_ms :
			    SUPPORT_CLOSE_WAIT_DEFAULT_MS;

	if (t->closing_ms == 0) {
		cmd_error(ctx, "Ticket #%lld has not asked its requester yet: "
		    "`%sticket close %lld` asks first; `--no-reply` closes "
		    "only when nobody answered that.", (long long)t->id,
		    ctx->prefix, (long long)t->id);
		return (0);
	}
	if (now >= t->closing_ms + wait)
		return (1);
	buf_printf(&b, "Ticket #%lld waits for its requester's answer "
	    "since ", (long long)t->id);
	ticket_when_add(ctx->bot, &b, t, t->closing_ms, now);
	buf_adds(&b, ". `--no-reply` closes it from ");
	ticket_when_add(ctx->bot, &b, t, t->closing_ms + wait, now);
	buf_adds(&b, ".");
	cmd_error(ctx, "%s", b.s);
	buf_reset(&b);
	return (0);
}

static enum cmd_retval
ticket_close(struct cmd_ctx *ctx)
{
	const struct support_channel	*sc;
	struct store_ticket		 t;
	struct buf			 how = { NULL, 0, 0 };
	int64_t				 now = clock_wall_ms();
	int				 used, rc, no_reply, requester;
	int				 in_thread;
	enum cmd_retval			 rv = CMD_ERROR;

	memset(&t, 0, sizeof t);
	no_reply = ticket_no_reply(ctx);
	if (ticket_or_reply(ctx, 2, &t, &used) != 0)
		goto out;
	if (2 + used != ctx->argc) {
		cmd_error(ctx, "Usage: `%sticket close [<id>] [--no-reply]`.",
		    ctx->prefix);
		goto out;
	}
	sc = support_channel_for(ctx->bot, t.channel);
	requester = strcmp(t.requester, ctx->msg->user) == 0;
	if (!requester && (sc == NULL ||
	    !support_is_engineer(sc, ctx->msg->user))) {
		cmd_error(ctx, "Only the requester or a support engineer can "
		    "close ticket #%lld.", (long long)t.id);
		goto out;
	}
	if (t.state == TICKET_CLOSED) {
		cmd_error(ctx, "Ticket #%lld is closed already.",
		    (long long)t.id);
		goto out;
	}
	if (!requester && !no_reply) {
		/* Ask the requester: they say when it is solved. */
		if ((rc = ticket_close_ask(ctx->bot, &t, ctx->msg->user,
		    ctx->prefix, now)) < 0) {
			rv = ticket_store_error(ctx);
			goto out;
		}
		if (rc == 0) {
			cmd_error(ctx, "Ticket #%lld already waits for its "
			    "requester's answer; `%sticket close %lld "
			    "--no-reply` closes it without one after the "
			    "wait.", (long long)t.id, ctx->prefix,
			    (long long)t.id);
			goto out;
		}
		cmd_reply(ctx, "Asked the requester whether ticket #%lld may "
		    "close; it closes when they accept.", (long long)t.id);
		rv = CMD_OK;
		goto out;
	}
	if (!requester && !ticket_no_reply_allowed(ctx, &t, sc, now))
		goto out;
	if (requester)
		buf_adds(&how, "the requester closed it.");
	else
		buf_adds(&how, "no answer from the requester, closed with "
		    "`--no-reply`.");
	/* Said in the ticket's thread, the reply is the announcement; a
	   ticket without a thread (the console) has nowhere else to say it. */
	in_thread = t.thread_ts != NULL && ctx->msg->thread_ts != NULL &&
	    strcmp(t.thread_ts, ctx->msg->thread_ts) == 0 &&
	    strcmp(t.channel, ctx->msg->channel) == 0;
	if ((rc = ticket_close_now(ctx->bot, &t, ctx->msg->user, how.s,
	    t.thread_ts != NULL && !in_thread, now)) < 0) {
		rv = ticket_store_error(ctx);
		goto out;
	}
	if (rc == 0) {
		cmd_error(ctx, "Ticket #%lld is closed already.",
		    (long long)t.id);
		goto out;
	}
	cmd_reply(ctx, "Closed ticket #%lld.", (long long)t.id);
	rv = CMD_OK;
out:
	buf_reset(&how);
	store_ticket_release(&t);
	return (rv);
}

static enum cmd_retval
ticket_reopen_cmd(struct cmd_ctx *ctx)
{
	const struct support_channel	*sc;
	struct store_ticket		 t;
	struct buf			 b = { NULL, 0, 0 };
	int64_t				 now = clock_wall_ms();
	int				 used, rc, breaching;
	enum cmd_retval			 rv = CMD_ERROR;

	memset(&t, 0, sizeof t);
	if (ticket_or_reply(ctx, 2, &t, &used) != 0)
		goto out;
	if (2 + used != ctx->argc) {
		cmd_error(ctx, "Usage: `%sticket reopen [<id>]`.",
		    ctx->prefix);
		goto out;
	}
	sc = support_channel_for(ctx->bot, t.channel);
	if (strcmp(t.requester, ctx->msg->user) != 0 && (sc == NULL ||
	    !support_is_engineer(sc, ctx->msg->user))) {
		cmd_error(ctx, "Only the requester or a support engineer can "
		    "reopen ticket #%lld.", (long long)t.id);
		goto out;
	}
	if (t.state != TICKET_CLOSED && t.closing_ms > 0) {
		/* "No, still open" typed instead of clicked. */
		if (ticket_close_decline(ctx->bot, &t, ctx->msg->user,
		    "keeps it open", now) < 0) {
			rv = ticket_store_error(ctx);
			goto out;
		}
		cmd_reply(ctx, "Ticket #%lld stays open.", (long long)t.id);
		rv = CMD_OK;
		goto out;
	}
	if ((rc = ticket_reopen(ctx->bot, &t, ctx->msg->user, now,
	    &breaching)) < 0) {
		rv = ticket_store_error(ctx);
		goto out;
	}
	if (rc == 0) {
		cmd_error(ctx, "Ticket #%lld is not closed.", (long long)t.id);
		goto out;
	}
	buf_printf(&b, "Reopened ticket #%lld", (long long)t.id);
	if (t.first_response_ms != 0)
		buf_adds(&b, " (answered already: no clock runs).");
	else if (breaching) {
		buf_adds(&b, ": it is *breaching*, its response was due ");
		ticket_when_add(ctx->bot, &b, &t, t.due_ms, now);
		buf_adds(&b, ".");
	} else {
		buf_adds(&b, ": due ");
		ticket_when_add(ctx->bot, &b, &t, t.due_ms, now);
		buf_adds(&b, ".");
	}
	reply_add_new(ctx->reply, buf_release(&b));
	rv = CMD_OK;
out:
	store_ticket_release(&t);
	return (rv);
}

static enum cmd_retval
cmd_ticket_exec(struct cmd_ctx *ctx)
{
	const char	*sub = ctx->argv[1];

	if (ctx->bot->store == NULL) {
		cmd_error(ctx, "Tickets need the store, and it is not open.");
		return (CMD_ERROR);
	}
	if (strcasecmp(sub, "list") == 0)
		return (ticket_list(ctx));
	if (strcasecmp(sub, "show") == 0)
		return (ticket_show(ctx));
	if (strcasecmp(sub, "priority") == 0)
		return (ticket_priority(ctx, 0));
	if (strcasecmp(sub, "workaround") == 0)
		return (ticket_priority(ctx, 1));
	if (strcasecmp(sub, "close") == 0)
		return (ticket_close(ctx));
	if (strcasecmp(sub, "reopen") == 0)
		return (ticket_reopen_cmd(ctx));
	cmd_error(ctx, "`%sticket` takes list, show, priority, workaround, "
	    "close or reopen.", ctx->prefix);
	return (CMD_ERROR);
}
