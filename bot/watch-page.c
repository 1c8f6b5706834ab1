/*
 * watch-page.c: a watch rule's `page: <rotation>` (bot/watch.h): on a
 * match outside the rule's cooldown, besides or instead of the answer,
 * the rule opens a page through the page engine (bot/page.h), in the
 * gate's transaction, so the answer, the page and the dedupe row
 * commit together. The page's own policy then escalates it.
 */
#include <stdlib.h>
#include <string.h>

#include "bot/bot.h"
#include "bot/config.h"
#include "bot/oncall.h"
#include "bot/page.h"
#include "bot/watch.h"

int
watch_check_pages(const struct config *cfg, const char *file, char **cause)
{
	const struct watch_rule	*r;
	size_t			 i;

	if (cfg->watches == NULL)
		return (0);
	for (i = 0; i < cfg->watches->nrules; i++) {
		r = &cfg->watches->rules[i];
		if (r->page == NULL || rotation_find(cfg, r->page) != NULL)
			continue;
		xasprintf(cause, "%s:%zu:%zu: watches: page: rule '%s' pages "
		    "'%s', which is no rotation (rotations: lists them)",
		    file, r->page_line, r->page_column, r->name, r->page);
		return (-1);
	}
	return (0);
}

int64_t
watch_page_open(struct bot *bot, const struct msg *m,
    const struct watch_rule *r, int64_t now_ms)
{
	struct page_rota	 rota;
	struct page_req		 q;
	char			*key = NULL, *summary = NULL, *by = NULL;
	const char		*text = m->text != NULL ? m->text : "";
	size_t			 len;
	int64_t			 id = 0;
	int			 added = 0;

	memset(&rota, 0, sizeof rota);
	if (page_rota_get(bot, r->page, &rota) != 1 || rota.channel == NULL) {
		log_warnx("watch: rule '%s': rotation '%s' is gone or has no "
		    "channel: no page", r->name, r->page);
		goto out;
	}
	len = strcspn(text, "\n");
	xasprintf(&summary, "%s: %.*s", r->name, (int)len, text);
	xasprintf(&by, "watch:%s", r->name);
	/* the message and the rule: a retried event opens one page */
	if (m->ts != NULL)
		xasprintf(&key, "watch-page:%s:%s:%s:%s", m->adapter,
		    m->channel, m->ts, r->name);
	else if (m->event_id != NULL)
		xasprintf(&key, "watch-page:%s:%s:%s", m->adapter,
		    m->event_id, r->name);
	memset(&q, 0, sizeof q);
	q.key = key;
	q.adapter = m->adapter;
	q.rotation = rota.name;
	q.summary = summary;
	q.severity = r->page_severity != NULL ? r->page_severity : "high";
	q.opened_by = by;
	q.prefix = bot->cfg->prefix != NULL ? bot->cfg->prefix : "";
	q.now_ms = now_ms;
	if ((id = page_open(bot, &rota, &q, &added)) < 0)
		goto out;
	log_info("watch: '%s' %s page %lld for %s", r->name, added ?
	    "opened" : "had opened", (long long)id, rota.name);
out:
	page_rota_release(&rota);
	free(key);
	free(summary);
	free(by);
	return (id);
}
