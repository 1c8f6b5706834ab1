/*
 * ticket-fire.c: the "ticket-warn" and "ticket-breach" timer kinds. At
 * 80% of a ticket's response time, and at its due time, without a first
 * response, the escalation channel is told, with its engineers
 * mentioned; queued in the transaction that fires the timer
 * (docs/internals/timers.md). After stale_after without activity in
 * its thread, a ticket not closed gets a nudge there: close it, or put
 * it on the roadmap (003_*: no stale tickets).
 */
#include <stdlib.h>
#include <string.h>

#include "bot/bot.h"
#include "bot/outbox.h"
#include "bot/ticket.h"
#include "store/store.h"

/*
 * Where the ticket is: <#C1> on Slack, and "(thread <ts>)" when its
 * link could not say (linked 0).
 */
static void
ticket_where(struct buf *b, const struct store_ticket *t, int linked)
{
	if (slack_id_like(t->channel, "CGD"))
		buf_printf(b, "<#%s>", t->channel);
	else
		mrkdwn_escape(b, t->channel, strlen(t->channel));
	if (t->thread_ts != NULL && !linked) {
		buf_adds(b, " (thread ");
		mrkdwn_escape(b, t->thread_ts, strlen(t->thread_ts));
		buf_adds(b, ")");
	}
}

/* "5 days", "12 h", "90 min": a duration for people. */
static void
ticket_span_add(struct buf *b, int64_t ms)
{
	if (ms >= 86400000 && ms % 86400000 == 0)
		buf_printf(b, "%lld day%s", (long long)(ms / 86400000),
		    ms == 86400000 ? "" : "s");
	else if (ms >= 3600000 && ms % 3600000 == 0)
		buf_printf(b, "%lld h", (long long)(ms / 3600000));
	else
		buf_printf(b, "%lld min", (long long)(ms / 60000));
}

static int
ticket_fire(struct store *s, const struct store_timer *tm, void *arg,
    int breach)
{
	struct bot			*bot = arg;
	const struct support_channel	*sc;
	const struct support_tier_def	*tier;
	struct store_ticket		 t;
	struct post			 p;
	struct buf			 b = { NULL, 0, 0 };
	char				*key = NULL, *detail = NULL;
	int				 rc, rv = -1, linked;

	memset(&t, 0, sizeof t);
	if ((rc = store_ticket_by_ref(s, tm->ref, &t)) < 0)
		goto out;
	rv = 0;
	if (rc == 0 || t.state != TICKET_OPEN) {
		log_debug("%s: timer %lld: %s is %s; nothing posted",
		    __func__, (long long)tm->id, tm->ref, rc == 0 ?
		    "not a ticket" : "answered or closed");
		goto out;
	}
	if ((sc = support_channel_find(bot->cfg, t.channel)) == NULL) {
		log_warnx("ticket %lld: %s is no longer a support channel; "
		    "no %s posted", (long long)t.id, t.channel,
		    breach ? "breach" : "warning");
		goto out;
	}
	tier = ticket_tier(bot, &t);
	buf_adds(&b, breach ? ":rotating_light: " : ":warning: ");
	ticket_mentions_add(&b, sc, t.adapter);
	linked = ticket_link_add(&b, &t);
	if (!linked && t.thread_ts != NULL)
		log_warnx("ticket %lld: its permalink is not known (see the "
		    "log when it opened); the %s names channel and ticket",
		    (long long)t.id, breach ? "breach" : "warning");
	buf_printf(&b, " (%s, %s tier) in ", support_priority_name(t.priority),
	    t.tier_name != NULL ? t.tier_name : "?");
	ticket_where(&b, &t, linked);
	buf_adds(&b, breach ? " has had no response within its " :
	    " has had no response for ");
	if (!breach)
		buf_printf(&b, "%d%% of its ", TICKET_WARN_PERCENT);
	/* the tier's time now: the config may have changed since */
	if (tier != NULL && t.priority >= 0 &&
	    t.priority < SUPPORT_NPRIORITIES)
		ticket_span_add(&b, tier->response_ms[t.priority]);
	else
		buf_adds(&b, "response time");
	buf_adds(&b, breach ? ": it was due at " : ": due at ");
	ticket_when_add(bot, &b, &t, t.due_ms, tm->fired_at_ms);
	buf_adds(&b, ".");
	if (tm->late)
		buf_adds(&b, "\n_Late: opsbot was not running when this "
		    "fell due._");

	xasprintf(&key, "timer:%lld", (long long)tm->id);
	memset(&p, 0, sizeof p);
	p.op = POST_MESSAGE;
	p.channel = sc->escalation;
	p.text = buf_str(&b);
	p.key = key;
	xasprintf(&detail, "timer %lld%s", (long long)tm->id,
	    tm->late ? ", late" : "");
	if (outbox_queue(bot, &p) < 0 ||
	    store_ticket_event_add(s, t.id, tm->fired_at_ms, breach ?
	    "breached" : "warned", NULL, detail) != 0 ||
	    (!breach && sc->page_rotation != NULL &&
	    sc->page_percent == TICKET_WARN_PERCENT &&
	    ticket_page_open(bot, sc, &t, tm) < 0)) {
		rv = -1;
		goto out;
	}
	log_info("ticket %lld: %s posted in %s", (long long)t.id,
	    breach ? "breach" : "warning", sc->escalation);
out:
	buf_reset(&b);
	free(detail);
	free(key);
	store_ticket_release(&t);
	return (rv);
}

int
ticket_warn_fire(struct store *s, const struct store_timer *tm, void *arg)
{
	return (ticket_fire(s, tm, arg, 0));
}

int
ticket_breach_fire(struct store *s, const struct store_timer *tm, void *arg)
{
	return (ticket_fire(s, tm, arg, 1));
}

int
ticket_stale_fire(struct store *s, const struct store_timer *tm, void *arg)
{
	struct bot			*bot = arg;
	const struct support_channel	*sc;
	struct store_ticket		 t;
	struct post			 p;
	struct buf			 b = { NULL, 0, 0 };
	char				*key = NULL;
	int				 rc, rv = -1;

	memset(&t, 0, sizeof t);
	if ((rc = store_ticket_by_ref(s, tm->ref, &t)) < 0)
		goto out;
	rv = 0;
	if (rc == 0 || t.state == TICKET_CLOSED || t.stale_timer != tm->id) {
		log_debug("%s: timer %lld: %s is closed, gone or active "
		    "since; nothing posted", __func__, (long long)tm->id,
		    tm->ref);
		goto out;
	}
	sc = support_channel_for(bot, t.channel);
	buf_printf(&b, ":hourglass: Ticket *#%lld* has had no activity for ",
	    (long long)t.id);
	ticket_span_add(&b, sc != NULL ? sc->stale_ms :
	    SUPPORT_STALE_DEFAULT_MS);
	buf_printf(&b, ". If it is resolved, close it (`%sticket close "
	    "%lld`); if it is a request for later, put it on the roadmap "
	    "and close it here.", bot->cfg->prefix != NULL ?
	    bot->cfg->prefix : "", (long long)t.id);
	if (tm->late)
		buf_adds(&b, "\n_Late: opsbot was not running when this "
		    "fell due._");

	xasprintf(&key, "timer:%lld", (long long)tm->id);
	memset(&p, 0, sizeof p);
	p.op = POST_MESSAGE;
	p.channel = t.channel;
	p.thread_ts = t.thread_ts;
	p.text = buf_str(&b);
	p.key = key;
	if (outbox_queue(bot, &p) < 0 || store_ticket_event_add(s, t.id,
	    tm->fired_at_ms, "stale", NULL, tm->late ? "late" : NULL) != 0) {
		rv = -1;
		goto out;
	}
	log_info("ticket %lld: stale, nudged in %s", (long long)t.id,
	    t.channel);
out:
	buf_reset(&b);
	free(key);
	store_ticket_release(&t);
	return (rv);
}
