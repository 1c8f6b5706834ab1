/*
 * ticket-close.c: `ticket close` asks the requester first (issue 9:
 * "closes only after the requester accepts, e.g. by a reaction or a
 * button, or with --no-reply after a configured wait"). The question
 * goes in the ticket's thread with two buttons; the requester's click,
 * their :white_check_mark: on the question or on their request, or a
 * new message of theirs in the thread (which means "still open")
 * answers it. Clicks and reactions reach ticket_close_event through
 * the gate (MSG_ACTION, MSG_REACTION); nobody else's count.
 */
#include <stdlib.h>
#include <string.h>

#include "bot/blocks.h"
#include "bot/bot.h"
#include "bot/clock.h"
#include "bot/outbox.h"
#include "bot/sched.h"
#include "bot/ticket.h"
#include "store/store.h"

/* "<@U1>" for Slack, the plain name elsewhere (the console). */
static void
mention_add(struct buf *b, const struct store_ticket *t, const char *user)
{
	if (strcmp(t->adapter, "slack") == 0)
		buf_printf(b, "<@%s>", user);
	else
		buf_adds(b, user);
}

/* Queues p in t's thread (channel, thread_ts); 0 or -1. */
static int
queue_in_thread(struct bot *bot, const struct store_ticket *t,
    struct post *p)
{
	p->channel = t->channel;
	if (p->op == POST_MESSAGE)
		p->thread_ts = t->thread_ts;
	return (outbox_queue(bot, p) < 0 ? -1 : 0);
}

/*
 * Replaces the question's buttons with what became of it (chat.update
 * of the post keyed t->closing_key), so that nobody clicks twice.
 */
static int
question_answered(struct bot *bot, const struct store_ticket *t,
    const char *outcome)
{
	struct post	 p;
	char		*blocks;
	int		 rc;

	if (t->closing_key == NULL)
		return (0);
	memset(&p, 0, sizeof p);
	p.op = POST_UPDATE;
	p.target_key = t->closing_key;
	p.text = outcome;
	blocks = blocks_buttons_new(outcome, NULL, 0);
	p.blocks = blocks;
	rc = queue_in_thread(bot, t, &p);
	free(blocks);
	return (rc);
}

int
ticket_close_ask(struct bot *bot, const struct store_ticket *t,
    const char *actor, const char *prefix, int64_t now_ms)
{
	struct button	 b[2];
	struct post	 p;
	struct buf	 q = { NULL, 0, 0 };
	char		*yes_v, *no_v, *yes_c, *no_c, *key, *text = NULL;
	char		*blocks = NULL;
	int		 rc = -1;

	xasprintf(&yes_v, "%s%lld", TICKET_CLOSE_ACCEPT, (long long)t->id);
	xasprintf(&no_v, "%s%lld", TICKET_CLOSE_DECLINE, (long long)t->id);
	xasprintf(&yes_c, "ticket close %lld", (long long)t->id);
	xasprintf(&no_c, "ticket reopen %lld", (long long)t->id);
	/* Unique per question: a second one after a "no" is a new post. */
	xasprintf(&key, "ticket-close:%lld:%lld", (long long)t->id,
	    (long long)now_ms);
	memset(b, 0, sizeof b);
	b[0].label = "Yes, close it";
	b[0].action_id = "ticket-close-accept";
	b[0].value = yes_v;
	b[0].style = "primary";
	b[0].command = yes_c;
	b[1].label = "No, still open";
	b[1].action_id = "ticket-close-decline";
	b[1].value = no_v;
	b[1].command = no_c;

	mention_add(&q, t, t->requester);
	buf_adds(&q, ": ");
	mention_add(&q, t, actor);
	buf_printf(&q, " would like to close ticket #%lld. Is your request "
	    "solved? Click *Yes, close it* or react to this message (or to "
	    "your request) with :%s:; *No, still open* or a reply here "
	    "keeps it open.", (long long)t->id, TICKET_CLOSE_REACTION);
	text = blocks_fallback_new(q.s, b, 2, prefix);
	blocks = blocks_buttons_new(q.s, b, 2);

	memset(&p, 0, sizeof p);
	p.op = POST_MESSAGE;
	p.text = text;
	p.blocks = blocks;
	p.key = key;
	if ((rc = store_ticket_closing(bot->store, t->id, key, actor,
	    now_ms)) != 1)
		goto out;
	if (queue_in_thread(bot, t, &p) != 0)
		rc = -1;
out:
	buf_reset(&q);
	free(text);
	free(blocks);
	free(key);
	free(yes_v);
	free(no_v);
	free(yes_c);
	free(no_c);
	return (rc);
}

int
ticket_close_now(struct bot *bot, const struct store_ticket *t,
    const char *actor, const char *how, int announce, int64_t now_ms)
{
	struct post	 p;
	struct buf	 b = { NULL, 0, 0 };
	int		 rc;

	if ((rc = store_ticket_close(bot->store, t->id, actor, now_ms)) != 1)
		return (rc);
	if (bot->sched != NULL)
		sched_kick(bot->sched);
	buf_printf(&b, "Ticket #%lld is closed: ", (long long)t->id);
	buf_adds(&b, how);
	memset(&p, 0, sizeof p);
	p.op = POST_MESSAGE;
	p.text = b.s;
	rc = 1;
	if (question_answered(bot, t, b.s) != 0 ||
	    (announce && queue_in_thread(bot, t, &p) != 0))
		rc = -1;
	buf_reset(&b);
	return (rc);
}

int
ticket_close_decline(struct bot *bot, const struct store_ticket *t,
    const char *actor, const char *why, int64_t now_ms)
{
	struct post	 p;
	struct buf	 b = { NULL, 0, 0 };
	int		 rc;

	if ((rc = store_ticket_still_open(bot->store, t->id, actor, why,
	    now_ms)) != 1)
		return (rc);
	buf_printf(&b, "Ticket #%lld stays open: ", (long long)t->id);
	mention_add(&b, t, actor);
	buf_printf(&b, " %s.", why);
	memset(&p, 0, sizeof p);
	p.op = POST_MESSAGE;
	p.text = b.s;
	rc = 1;
	if (question_answered(bot, t, b.s) != 0 ||
	    queue_in_thread(bot, t, &p) != 0)
		rc = -1;
	buf_reset(&b);
	return (rc);
}

int
ticket_close_claims(struct bot *bot, const struct msg *m)
{
	if (m->kind == MSG_ACTION)
		return (m->action_value != NULL &&
		    (strncmp(m->action_value, TICKET_CLOSE_ACCEPT,
		    strlen(TICKET_CLOSE_ACCEPT)) == 0 ||
		    strncmp(m->action_value, TICKET_CLOSE_DECLINE,
		    strlen(TICKET_CLOSE_DECLINE)) == 0));
	if (m->kind == MSG_REACTION)
		return (m->reaction != NULL &&
		    strcmp(m->reaction, TICKET_CLOSE_REACTION) == 0 &&
		    support_channel_for(bot, m->channel) != NULL);
	return (0);
}

/* The ticket a click's value names: 1 with *t, 0, or -1. */
static int
ticket_of_click(struct bot *bot, const struct msg *m, int *accept,
    struct store_ticket *t)
{
	long long	 id;

	*accept = 1;
	if ((id = click_value_id(m, TICKET_CLOSE_ACCEPT)) == 0) {
		*accept = 0;
		id = click_value_id(m, TICKET_CLOSE_DECLINE);
	}
	if (id == 0)
		return (0);
	return (store_ticket_get(bot->store, id, t));
}

/*
 * The ticket a reaction is about: the one whose question it is on, else
 * the one whose request it is on. 1 with *t, 0, or -1.
 */
static int
ticket_of_reaction(struct bot *bot, const struct msg *m,
    struct store_ticket *t)
{
	int	 rc;

	if ((rc = store_ticket_by_question(bot->store, m->channel, m->ts,
	    t)) != 0)
		return (rc);
	return (store_ticket_by_thread(bot->store, m->channel, m->ts, t));
}

enum gate_verdict
ticket_close_event(struct bot *bot, const struct msg *m)
{
	struct store_ticket	 t;
	struct buf		 how = { NULL, 0, 0 };
	enum gate_verdict	 v = GATE_FAILED;
	int64_t			 now = clock_wall_ms();
	int			 rc, accept = 1;

	memset(&t, 0, sizeof t);
	if (m->kind == MSG_ACTION)
		rc = ticket_of_click(bot, m, &accept, &t);
	else
		rc = ticket_of_reaction(bot, m, &t);
	if (rc < 0)
		goto out;
	v = GATE_PASS;
	if (rc == 0 || t.state == TICKET_CLOSED || t.closing_ms == 0) {
		log_debug("ticket: %s by %s: no ticket waits for it",
		    m->kind == MSG_ACTION ? "a click" : "a reaction",
		    m->user);
		goto out;
	}
	v = GATE_DONE;
	if (strcmp(m->user, t.requester) != 0) {
		/* Only the requester answers the question. */
		log_info("ticket %lld: %s by %s, not the requester: ignored",
		    (long long)t.id, m->kind == MSG_ACTION ? "a click" :
		    "a reaction", m->user);
		goto out;
	}
	if (accept) {
		mention_add(&how, &t, m->user);
		buf_adds(&how, m->kind == MSG_ACTION ? " confirmed." :
		    " confirmed with a reaction.");
		rc = ticket_close_now(bot, &t, m->user, how.s, 1, now);
	} else
		rc = ticket_close_decline(bot, &t, m->user, "says it is not "
		    "solved yet", now);
	if (rc < 0)
		v = GATE_FAILED;
	else if (rc > 0)
		log_info("ticket %lld %s by its requester", (long long)t.id,
		    accept ? "closed" : "kept open");
out:
	buf_reset(&how);
	store_ticket_release(&t);
	return (v);
}
