/*
 * ticket-page.c: a support channel's `page: {rotation, at}` (issue 10:
 * "a support ticket that reaches a configured share of its response
 * time without an answer may page the support rotation: one clock for
 * both"). At the warning's share (80%) the ticket's warning timer
 * (ticket-fire.c) opens the page in its own claim, so the warning and
 * the page happen together or not at all; at another share a
 * "ticket-page" timer of its own does, at that share of the same
 * support-hours clock (support_hours_share_at). From then on the page escalates on its own policy: answering
 * the ticket acknowledges nothing (the person paged acks the page),
 * as the page may be about more than the one answer.
 */
#include <stdlib.h>
#include <string.h>

#include "bot/bot.h"
#include "bot/config.h"
#include "bot/oncall.h"
#include "bot/page.h"
#include "bot/ticket.h"
#include "store/store.h"

int
ticket_check_pages(const struct config *cfg, const char *file, char **cause)
{
	const struct support_channel	*sc;
	size_t				 i;

	for (i = 0; i < cfg->nsupport; i++) {
		sc = &cfg->support[i];
		if (sc->page_rotation == NULL ||
		    rotation_find(cfg, sc->page_rotation) != NULL)
			continue;
		xasprintf(cause, "%s:%zu:%zu: support: page: %s pages '%s', "
		    "which is no rotation (rotations: lists them)", file,
		    sc->page_line, sc->page_column, sc->channel,
		    sc->page_rotation);
		return (-1);
	}
	return (0);
}

int64_t
ticket_page_open(struct bot *bot, const struct support_channel *sc,
    const struct store_ticket *t, const struct store_timer *tm)
{
	struct page_rota	 rota;
	struct page_req		 q;
	struct buf		 b = { NULL, 0, 0 };
	char			*key = NULL, *by = NULL;
	int64_t			 id = 0;
	int			 added = 0;

	memset(&rota, 0, sizeof rota);
	if (page_rota_get(bot, sc->page_rotation, &rota) != 1 ||
	    rota.channel == NULL) {
		log_warnx("ticket %lld: rotation '%s' is gone or has no "
		    "channel: no page", (long long)t->id, sc->page_rotation);
		goto out;
	}
	buf_printf(&b, "Ticket #%lld (%s) in %s has had no response for "
	    "%d%% of its response time", (long long)t->id,
	    support_priority_name(t->priority), t->channel,
	    sc->page_percent);
	if (t->permalink != NULL)
		buf_printf(&b, ": %s", t->permalink);
	xasprintf(&key, "ticket-page:%lld:%lld", (long long)t->id,
	    (long long)tm->id);
	xasprintf(&by, "ticket:%lld", (long long)t->id);
	memset(&q, 0, sizeof q);
	q.key = key;
	q.adapter = t->adapter;
	q.rotation = rota.name;
	q.summary = buf_str(&b);
	q.severity = "high";
	q.opened_by = by;
	q.prefix = bot->cfg->prefix != NULL ? bot->cfg->prefix : "";
	q.now_ms = tm->fired_at_ms;
	if ((id = page_open(bot, &rota, &q, &added)) < 0)
		goto out;
	log_info("ticket %lld: %s page %lld for %s", (long long)t->id,
	    added ? "opened" : "had opened", (long long)id, rota.name);
out:
	page_rota_release(&rota);
	buf_reset(&b);
	free(key);
	free(by);
	return (id);
}

int
ticket_page_at(struct bot *bot, const struct support_channel *sc,
    const struct store_ticket *t, int64_t *at_ms)
{
	const struct support_tier_def	*tier;
	struct support_hours		 h;

	if ((tier = ticket_tier(bot, t)) == NULL || t->priority < 0 ||
	    t->priority >= SUPPORT_NPRIORITIES)
		return (-1);
	h.week = tier->week;
	h.zone = ticket_zone(bot, t);
	if (support_hours_share_at(&h, t->opened_ms,
	    tier->response_ms[t->priority], sc->page_percent, at_ms) != 0) {
		log_warnx("ticket %lld: cannot compute its page time",
		    (long long)t->id);
		return (-1);
	}
	return (0);
}

int
ticket_page_arm(struct bot *bot, const struct support_channel *sc,
    const struct store_ticket *t, int64_t now_ms, int opened)
{
	int64_t	 at;
	char	*ref, *key;
	int	 rc = 0;

	if (sc == NULL || sc->page_rotation == NULL ||
	    sc->page_percent == TICKET_WARN_PERCENT)
		return (0);
	if (ticket_page_at(bot, sc, t, &at) != 0)
		return (0);	/* logged; the warning still comes */
	if (at <= now_ms && !opened)
		return (0);
	xasprintf(&ref, "ticket:%lld", (long long)t->id);
	xasprintf(&key, "%s:%lld:%lld", TICKET_PAGE_KIND, (long long)t->id,
	    (long long)at);
	if (store_timer_add(bot->store, now_ms, at, TICKET_PAGE_KIND, ref,
	    key) < 0)
		rc = -1;
	free(ref);
	free(key);
	return (rc);
}

int
ticket_page_fire(struct store *s, const struct store_timer *tm, void *arg)
{
	struct bot			*bot = arg;
	const struct support_channel	*sc;
	struct store_ticket		 t;
	int64_t				 at;
	int				 rc, rv = -1;

	memset(&t, 0, sizeof t);
	if ((rc = store_ticket_by_ref(s, tm->ref, &t)) < 0)
		goto out;
	rv = 0;
	if (rc == 0 || t.state != TICKET_OPEN ||
	    (sc = support_channel_find(bot->cfg, t.channel)) == NULL ||
	    sc->page_rotation == NULL ||
	    sc->page_percent == TICKET_WARN_PERCENT ||
	    ticket_page_at(bot, sc, &t, &at) != 0 || at != tm->due_ms) {
		log_debug("%s: timer %lld: %s answered, closed, no longer "
		    "paging or re-timed: no page", __func__,
		    (long long)tm->id, tm->ref);
		goto out;
	}
	if (ticket_page_open(bot, sc, &t, tm) < 0 ||
	    store_ticket_event_add(s, t.id, tm->fired_at_ms, "paged", NULL,
	    sc->page_rotation) != 0)
		rv = -1;
out:
	store_ticket_release(&t);
	return (rv);
}
