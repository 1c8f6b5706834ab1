/*
 * ticket.c: support tickets behind the gate. A top-level message in a
 * support channel from someone who is not one of its engineers opens a
 * ticket, answered in its thread with the first-response template, and
 * arms two durable timers (80% and due: ticket-fire.c); an engineer's
 * reply in the ticket's thread stops the clock. A third timer, the
 * stale one, is re-armed by every message in the thread, so the
 * replies in an open ticket's thread each take a gate transaction;
 * other threads' do not (ticket-index.c).
 */
#include <stdlib.h>
#include <string.h>

#include "bot/bot.h"
#include "bot/clock.h"
#include "bot/gate.h"
#include "bot/outbox.h"
#include "bot/sched.h"
#include "bot/ticket.h"
#include "bot/tz.h"
#include "store/store.h"

int
ticket_due(const char *zone, const struct support_tier_def *tier,
    enum support_priority p, int64_t opened_ms, int64_t *due_ms,
    int64_t *warn_ms)
{
	struct support_hours	 h;
	int64_t			 resp = -1;

	if (tier != NULL) {
		h.week = tier->week;
		h.zone = zone;
		if ((int)p >= 0 && (int)p < SUPPORT_NPRIORITIES)
			resp = tier->response_ms[p];
	}
	if (resp < 0 || support_hours_due(&h, opened_ms, resp, due_ms) != 0 ||
	    support_hours_share_at(&h, opened_ms, resp, TICKET_WARN_PERCENT,
	    warn_ms) != 0) {
		log_warnx("cannot compute a due time in '%s' for %s %s",
		    zone, tier != NULL ? tier->name : "(no tier)",
		    support_priority_name(p));
		return (-1);
	}
	return (0);
}

const struct support_tier_def *
ticket_tier(struct bot *bot, const struct store_ticket *t)
{
	const struct support_tier_def	*tier;
	const struct support_channel	*sc;

	if ((tier = support_tier_find(bot->cfg, t->tier_name)) != NULL)
		return (tier);
	/* The config dropped its tier: the channel's is the best guess. */
	if ((sc = support_channel_for(bot, t->channel)) == NULL)
		return (NULL);
	log_warnx("ticket %lld: tier '%s' is no longer configured; using "
	    "%s's tier %s", (long long)t->id, t->tier_name != NULL ?
	    t->tier_name : "?", sc->channel, sc->tier);
	return (support_tier_find(bot->cfg, sc->tier));
}

const char *
ticket_zone(struct bot *bot, const struct store_ticket *t)
{
	const struct support_channel	*sc;

	sc = support_channel_for(bot, t->channel);
	return (sc != NULL ? support_channel_zone(bot->cfg, sc) :
	    bot->cfg->tz);
}

void
ticket_when_add(struct bot *bot, struct buf *b, const struct store_ticket *t,
    int64_t at_ms, int64_t now_ms)
{
	const char	*zone = ticket_zone(bot, t);

	if (when_format(b, at_ms, now_ms, zone) == 0)
		buf_printf(b, " (%s)", zone);
	else if (when_format(b, at_ms, now_ms, "UTC") == 0)
		buf_adds(b, " (UTC)");
}

/* gate_handler.claims: a request, or a reply in a ticket's thread. */
int
ticket_claims(struct bot *bot, const struct msg *m)
{
	const struct support_channel	*sc;
	int				 eng;

	if (m->kind != MSG_MESSAGE)
		return (ticket_close_claims(bot, m));
	if (m->command != NULL || m->addressed)
		return (0);
	if ((sc = support_channel_for(bot, m->channel)) == NULL)
		return (0);
	eng = support_is_engineer(sc, m->user);
	if (m->thread_ts == NULL || (m->ts != NULL &&
	    strcmp(m->thread_ts, m->ts) == 0))
		return (!eng);
	/* a reply: only in an open ticket's thread (ticket-index.c) */
	return (bot->tickets == NULL ||
	    ticket_index_find(bot->tickets, m->channel, m->thread_ts) > 0);
}

/* The request's identity (new string, or NULL): one ticket per message. */
static char *
ticket_key_new(const struct msg *m)
{
	char	*key = NULL;

	if (m->ts != NULL)
		xasprintf(&key, "ticket:%s:%s:%s", m->adapter, m->channel,
		    m->ts);
	else if (m->event_id != NULL)
		xasprintf(&key, "ticket:%s:%s", m->adapter, m->event_id);
	return (key);
}

/* The requester's display name as cached (new string), else NULL. */
static char *
ticket_user_name_new(struct bot *bot, const char *user)
{
	struct store_user	 u;
	char			*name = NULL;

	if (store_user_get(bot->store, user, &u) == 1) {
		if (u.name != NULL && *u.name != '\0') {
			name = u.name;
			u.name = NULL;
		}
		store_user_release(&u);
	}
	return (name);
}

/* Queues the first response of ticket t in the request's thread. */
static int
ticket_first_response(struct bot *bot, const struct support_channel *sc,
    const struct store_ticket *t, const struct support_ask *ask,
    int64_t now)
{
	struct support_fill	 fill;
	struct post		 p;
	struct buf		 b = { NULL, 0, 0 }, due = { NULL, 0, 0 };
	char			*name, *id, *key;
	int64_t			 rc;

	name = ticket_user_name_new(bot, t->requester);
	xasprintf(&id, "#%lld", (long long)t->id);
	xasprintf(&key, "ticket:%lld:first-response", (long long)t->id);
	ticket_when_add(bot, &due, t, t->due_ms, now);
	memset(&fill, 0, sizeof fill);
	/* a name when the users cache has one, else a mention on Slack */
	fill.user = name;
	if (name == NULL && strcmp(t->adapter, "slack") == 0)
		fill.user_id = t->requester;
	else if (name == NULL)
		fill.user = t->requester;
	fill.ticket = id;
	fill.priority = support_priority_name(t->priority);
	fill.due = buf_str(&due);
	fill.tier = sc->tier;
	fill.channel = sc->channel[0] == '#' ? sc->channel : "this channel";
	support_template_fill(&b, sc->template_text, &fill);
	while (b.len > 0 && buf_str(&b)[b.len - 1] == '\n')
		buf_truncate(&b, b.len - 1);
	if (ask->needs_validation)
		buf_printf(&b, "\n\n_You asked for Critical: a support "
		    "engineer validates that first, so the ticket starts as "
		    "%s._", support_priority_name(ask->priority));

	memset(&p, 0, sizeof p);
	p.op = POST_MESSAGE;
	p.channel = t->channel;
	p.thread_ts = t->thread_ts;
	p.text = buf_str(&b);
	p.key = key;
	rc = outbox_queue(bot, &p);
	buf_reset(&b);
	buf_reset(&due);
	free(key);
	free(id);
	free(name);
	return (rc < 0 ? -1 : 0);
}

static enum gate_verdict
ticket_open(struct bot *bot, const struct support_channel *sc,
    const struct msg *m)
{
	struct ticket_add	 a;
	struct support_ask	 ask;
	struct store_ticket	 t;
	const char		*text = m->text != NULL ? m->text : "";
	const char		*zone = support_channel_zone(bot->cfg, sc);
	char			*key = NULL, *detail = NULL;
	int64_t			 now, id, due, warn;
	int			 added;
	enum gate_verdict	 v = GATE_FAILED;

	memset(&t, 0, sizeof t);
	now = clock_wall_ms();
	support_priority_ask(text, strlen(text), 0, &ask);
	if (ticket_due(zone, support_tier_find(bot->cfg, sc->tier),
	    ask.priority, now, &due, &warn) != 0) {
		v = GATE_PASS;	/* a config fault: logged, nothing opened */
		goto out;
	}
	key = ticket_key_new(m);
	if (ask.needs_validation)
		xasprintf(&detail, "priority %s (asked %s: needs validation)",
		    support_priority_name(ask.priority),
		    support_priority_name(ask.asked));
	else
		xasprintf(&detail, "priority %s",
		    support_priority_name(ask.priority));
	memset(&a, 0, sizeof a);
	a.key = key;
	a.adapter = m->adapter;
	a.channel = m->channel;
	a.thread_ts = m->ts;
	a.requester = m->user;
	a.priority = ask.priority;
	a.tier_name = sc->tier;
	a.now_ms = now;
	a.due_ms = due;
	a.warn_ms = warn;
	a.warn_kind = TICKET_WARN_KIND;
	a.breach_kind = TICKET_BREACH_KIND;
	a.detail = detail;
	if ((id = store_ticket_add(bot->store, &a, &added)) < 0 ||
	    store_ticket_get(bot->store, id, &t) != 1)
		goto out;
	if (t.state != TICKET_CLOSED)
		ticket_index_add(bot->tickets, t.channel, t.thread_ts, t.id);
	if (added) {
		if (ticket_first_response(bot, sc, &t, &ask, now) != 0 ||
		    ticket_stale_arm(bot, &t, now) != 0 ||
		    ticket_page_arm(bot, sc, &t, now, 1) != 0)
			goto out;
		if (bot->sched != NULL)
			sched_kick(bot->sched);
		ticket_permalink_ask(bot, &t);
		log_info("ticket %lld opened in %s by %s: %s, due in %lld min",
		    (long long)id, m->channel, m->user,
		    support_priority_name(t.priority),
		    (long long)((due - now) / 60000));
	}
	v = GATE_DONE;
out:
	store_ticket_release(&t);
	free(detail);
	free(key);
	return (v);
}

/*
 * A message in a ticket's thread: activity (the stale timer re-armed),
 * and an engineer's the first response of a ticket still open.
 */
static enum gate_verdict
ticket_thread(struct bot *bot, const struct support_channel *sc,
    const struct msg *m)
{
	struct store_ticket	 t;
	int64_t			 now = clock_wall_ms();
	int			 rc;
	enum gate_verdict	 v = GATE_FAILED;

	memset(&t, 0, sizeof t);
	if ((rc = store_ticket_by_thread(bot->store, m->channel,
	    m->thread_ts, &t)) < 0)
		goto out;
	v = GATE_PASS;
	if (rc == 0 || t.state == TICKET_CLOSED) {
		/* committed so already: no rollback can make it open again */
		ticket_index_remove(bot->tickets, m->channel, m->thread_ts);
		goto out;
	}
	if (ticket_stale_arm(bot, &t, now) != 0) {
		v = GATE_FAILED;
		goto out;
	}
	if (bot->sched != NULL)
		sched_kick(bot->sched);
	/* The requester writes again while asked: not solved, then. */
	if (t.closing_ms > 0 && strcmp(m->user, t.requester) == 0) {
		if (ticket_close_decline(bot, &t, m->user, "wrote again in "
		    "the thread", now) < 0)
			v = GATE_FAILED;
		goto out;
	}
	if (t.state != TICKET_OPEN || !support_is_engineer(sc, m->user))
		goto out;
	if ((rc = store_ticket_answer(bot->store, t.id, m->user, now)) < 0) {
		v = GATE_FAILED;
		goto out;
	}
	if (rc == 1) {
		if (bot->sched != NULL)
			sched_kick(bot->sched);
		log_info("ticket %lld answered by %s", (long long)t.id,
		    m->user);
		v = GATE_DONE;
	}
out:
	store_ticket_release(&t);
	return (v);
}

enum gate_verdict
ticket_handle(struct bot *bot, const struct msg *m, struct reply *reply)
{
	const struct support_channel	*sc;

	if (bot->store == NULL)
		return (GATE_PASS);
	if (m->kind != MSG_MESSAGE)
		return (ticket_close_event(bot, m));
	if ((sc = support_channel_for(bot, m->channel)) == NULL)
		return (GATE_PASS);
	if (m->thread_ts != NULL && (m->ts == NULL ||
	    strcmp(m->thread_ts, m->ts) != 0))
		return (ticket_thread(bot, sc, m));
	if (support_is_engineer(sc, m->user))
		return (GATE_PASS);
	return (ticket_open(bot, sc, m));
}

/*
 * Re-arms timer *id at due_ms: rescheduled, or, if it fired or was
 * cancelled, a new one keyed by the one it follows (so a replayed
 * command arms one, and no key of the ticket's is ever reused).
 */
static int
ticket_rearm(struct store *s, int64_t ticket, int64_t *id, int64_t due_ms,
    const char *kind, int64_t now_ms)
{
	char	*ref, *key;
	int64_t	 nid;
	int	 rc;

	if (*id > 0 && (rc = store_timer_reschedule(s, *id, due_ms)) != 0)
		return (rc < 0 ? -1 : 0);
	xasprintf(&ref, "ticket:%lld", (long long)ticket);
	xasprintf(&key, "%s:%lld:after:%lld", kind, (long long)ticket,
	    (long long)*id);
	nid = store_timer_add(s, now_ms, due_ms, kind, ref, key);
	free(key);
	free(ref);
	if (nid < 0)
		return (-1);
	*id = nid;
	return (0);
}

int
ticket_set_priority(struct bot *bot, const struct store_ticket *t,
    enum support_priority p, const char *kind, const char *actor,
    int64_t now_ms)
{
	int64_t		 due, warn, wt = t->warn_timer, bt = t->breach_timer;
	char		*detail;
	int		 rc;

	if (ticket_due(ticket_zone(bot, t), ticket_tier(bot, t), p,
	    t->opened_ms, &due, &warn) != 0)
		return (-1);
	if (t->state == TICKET_OPEN &&
	    (ticket_rearm(bot->store, t->id, &wt, warn, TICKET_WARN_KIND,
	    now_ms) != 0 || ticket_rearm(bot->store, t->id, &bt, due,
	    TICKET_BREACH_KIND, now_ms) != 0))
		return (-1);
	xasprintf(&detail, "%s -> %s", support_priority_name(t->priority),
	    support_priority_name(p));
	rc = store_ticket_set_priority(bot->store, t->id, p, due, warn, wt,
	    bt, kind, actor, detail, now_ms);
	free(detail);
	if (rc < 0)
		return (-1);
	/* the page's own share, of the new response time (ticket-page.c) */
	if (t->state == TICKET_OPEN && t->first_response_ms == 0) {
		struct store_ticket	 nt = *t;	/* shallow: strings borrowed */

		nt.priority = p;
		if (ticket_page_arm(bot, support_channel_for(bot, t->channel),
		    &nt, now_ms, 0) != 0)
			return (-1);
	}
	if (bot->sched != NULL)
		sched_kick(bot->sched);
	return (0);
}

int
ticket_reopen(struct bot *bot, const struct store_ticket *t,
    const char *actor, int64_t now_ms, int *breaching)
{
	int64_t		 wt = t->warn_timer, bt = t->breach_timer;
	int		 rc;

	*breaching = 0;
	if (t->state != TICKET_CLOSED)
		return (0);
	if (t->first_response_ms == 0) {
		if (t->warn_ms > now_ms && ticket_rearm(bot->store, t->id, &wt,
		    t->warn_ms, TICKET_WARN_KIND, now_ms) != 0)
			return (-1);
		if (t->due_ms > now_ms && ticket_rearm(bot->store, t->id, &bt,
		    t->due_ms, TICKET_BREACH_KIND, now_ms) != 0)
			return (-1);
		*breaching = t->due_ms <= now_ms;
		if (ticket_page_arm(bot, support_channel_for(bot, t->channel),
		    t, now_ms, 0) != 0)
			return (-1);
	}
	if (ticket_stale_arm(bot, t, now_ms) != 0)
		return (-1);
	rc = store_ticket_reopen(bot->store, t->id, wt, bt, actor,
	    *breaching ? "past its due time" : NULL, now_ms);
	if (rc > 0)
		ticket_index_add(bot->tickets, t->channel, t->thread_ts,
		    t->id);
	if (rc > 0 && bot->sched != NULL)
		sched_kick(bot->sched);
	return (rc);
}

int
ticket_stale_arm(struct bot *bot, const struct store_ticket *t, int64_t now_ms)
{
	const struct support_channel	*sc;
	int64_t				 id = t->stale_timer;

	sc = support_channel_for(bot, t->channel);
	if (ticket_rearm(bot->store, t->id, &id, now_ms + (sc != NULL ?
	    sc->stale_ms : SUPPORT_STALE_DEFAULT_MS), TICKET_STALE_KIND,
	    now_ms) != 0)
		return (-1);
	return (store_ticket_set_stale(bot->store, t->id, id, now_ms));
}
