/*
 * ticket-page.c: a support channel's `page: {rotation, at}` (issue 10:
 * "a support ticket that reaches a configured share of its response
 * time without an answer may page the support rotation: one clock for
 * both"). The ticket's warning timer (ticket-fire.c) opens the page in
 * its own claim, so the warning and the page happen together or not at
 * all. From then on the page escalates on its own policy: answering
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
	    TICKET_WARN_PERCENT);
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
