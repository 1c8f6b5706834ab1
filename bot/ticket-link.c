/*
 * ticket-link.c: how a warning points at a ticket. When a ticket opens,
 * the adapter is asked for its request's permalink (Slack:
 * chat.getPermalink [Slack reference/methods/chat.getPermalink:
 * channel, message_ts -> permalink]), and the answer, whenever it
 * comes, is stored on the ticket. A warning links the thread when the
 * link is known; when it is not (Slack slow, or ok:false), the warning
 * goes out all the same, naming the channel and the ticket.
 */
#include <string.h>

#include "adapters/adapter.h"
#include "bot/bot.h"
#include "bot/ticket.h"
#include "store/store.h"

void
ticket_permalink_ask(struct bot *bot, const struct store_ticket *t)
{
	struct adapter	*a = bot->adapter;

	if (a == NULL || a->ops->permalink == NULL || t->thread_ts == NULL ||
	    t->permalink != NULL)
		return;
	a->ops->permalink(a, t->channel, t->thread_ts, t->id);
}

int
ticket_permalink_learnt(struct bot *bot, int64_t id, const char *ts,
    const char *permalink, const char *error)
{
	int	 rc;

	if (permalink == NULL) {
		log_warnx("ticket %lld: no permalink (%s); its warnings name "
		    "the channel and the ticket instead", (long long)id,
		    error != NULL ? error : "no answer");
		return (0);
	}
	if (bot->store == NULL ||
	    (rc = store_ticket_set_permalink(bot->store, id, ts,
	    permalink)) < 0) {
		log_warnx("ticket %lld: cannot store its permalink",
		    (long long)id);
		return (-1);
	}
	if (rc == 0)
		log_debug("%s: ticket %lld of %s is gone", __func__,
		    (long long)id, ts);
	return (0);
}

/*
 * A link mrkdwn can carry between < and |: http(s), and none of the
 * characters that would end it or the message's markup.
 */
static int
link_usable(const char *s)
{
	if (s == NULL || (strncmp(s, "https://", 8) != 0 &&
	    strncmp(s, "http://", 7) != 0))
		return (0);
	for (; *s != '\0'; s++) {
		if (*s == '<' || *s == '>' || *s == '|' || *s == ' ' ||
		    (unsigned char)*s < 0x20 || *s == 0x7f)
			return (0);
	}
	return (1);
}

int
ticket_link_add(struct buf *b, const struct store_ticket *t)
{
	const char	*s;

	if (!link_usable(t->permalink)) {
		buf_printf(b, "ticket *#%lld*", (long long)t->id);
		return (0);
	}
	/* '&' is markup in mrkdwn, even in a link; Slack decodes it */
	buf_adds(b, "<");
	for (s = t->permalink; *s != '\0'; s++) {
		if (*s == '&')
			buf_adds(b, "&amp;");
		else
			buf_add(b, s, 1);
	}
	buf_printf(b, "|ticket #%lld>", (long long)t->id);
	return (1);
}

void
ticket_mentions_add(struct buf *b, const struct support_channel *sc,
    const char *adapter)
{
	int	 slack = strcmp(adapter, "slack") == 0;
	size_t	 i;

	if (sc->engineers_group != NULL) {
		if (slack && slack_id_like(sc->engineers_group, "S"))
			buf_printf(b, "<!subteam^%s> ", sc->engineers_group);
		else {
			mrkdwn_escape(b, sc->engineers_group,
			    strlen(sc->engineers_group));
			buf_adds(b, " ");
		}
	}
	for (i = 0; i < sc->engineers.n; i++) {
		if (slack && slack_id_like(sc->engineers.v[i], "UW"))
			buf_printf(b, "<@%s> ", sc->engineers.v[i]);
		else {
			mrkdwn_escape(b, sc->engineers.v[i],
			    strlen(sc->engineers.v[i]));
			buf_adds(b, " ");
		}
	}
}
