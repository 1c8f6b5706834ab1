/*
 * watch.c: the channel watches' gate handler (watch.h; one line in
 * handlers.c, after the commands). claims is one match call and no
 * store; handle, in the gate's transaction, answers each rule that
 * matches and is active now, or reacts when the rule is cooling down in
 * the channel or has answered in the thread already.
 */
#include <stdlib.h>
#include <string.h>

#include "bot/bot.h"
#include "bot/clock.h"
#include "bot/gate.h"
#include "bot/outbox.h"
#include "bot/channels.h"
#include "bot/watch.h"
#include "store/store.h"

struct watch_chan *
watch_chan_for(struct bot *bot, const char *channel)
{
	struct watch_chan	*c;
	const char		*name;

	if ((c = watch_chan_find(bot->cfg->watches, channel)) != NULL)
		return (c);
	/* A rule written with the name: the adapter may have learnt it. */
	if ((name = channel_name(bot, channel)) == NULL)
		return (NULL);
	return (watch_chan_find(bot->cfg->watches, name));
}

/*
 * Slack escapes &, < and > in message text [FMT]: "R&D" arrives as
 * "R&amp;D". Rules are written as people type, so they see the text as
 * typed, as the command tokenizer does. Returns text itself when it has
 * no '&' (the common case costs one strchr), else a decoded copy that
 * *owned holds (caller frees).
 */
static const char *
typed_text(const char *text, char **owned)
{
	*owned = NULL;
	if (strchr(text, '&') == NULL)
		return (text);
	return (*owned = slack_unescape_new(text));
}

int
watch_claims(struct bot *bot, const struct msg *m)
{
	struct watch_chan	*c;
	const char		*text;
	char			*owned;
	int			 n;

	if (m->text == NULL || m->command != NULL)
		return (0);
	if ((c = watch_chan_for(bot, m->channel)) == NULL)
		return (0);
	/*
	 * The table's flags are const and let bots' messages through to
	 * us: only a channel with a rule that counts bots takes them.
	 */
	if ((m->flags & MSG_FROM_BOT) && !c->bots)
		return (0);
	text = typed_text(m->text, &owned);
	n = watch_match(c, text, strlen(text), 0, NULL);
	free(owned);
	return (n > 0);
}

/* Fills the template's placeholders (checked by watch-config.c). */
static void
fill_template(struct buf *b, const struct watch_rule *r, const struct msg *m)
{
	const char	*p = r->text, *close;
	char		*safe;
	int		 slack;

	slack = m->adapter != NULL && strcmp(m->adapter, "slack") == 0;
	while (*p != '\0') {
		if (*p != '{' || (close = strchr(p, '}')) == NULL) {
			buf_addc(b, *p++);
			continue;
		}
		safe = NULL;
		if (strncmp(p, "{user}", 6) == 0 && m->user != NULL) {
			if (slack)
				buf_printf(b, "<@%s>", m->user);
			else
				safe = mrkdwn_escape_new(m->user);
		} else if (strncmp(p, "{channel}", 9) == 0 &&
		    m->channel != NULL) {
			if (slack)
				buf_printf(b, "<#%s>", m->channel);
			else
				safe = mrkdwn_escape_new(m->channel);
		} else if (strncmp(p, "{severity}", 10) == 0)
			safe = mrkdwn_escape_new(r->severity != NULL ?
			    r->severity : "");
		else if (strncmp(p, "{rule}", 6) == 0)
			safe = mrkdwn_escape_new(r->name);
		else {
			buf_add(b, p, (size_t)(close - p + 1));
			p = close + 1;
			continue;
		}
		if (safe != NULL)
			buf_adds(b, safe);
		free(safe);
		p = close + 1;
	}
}

/* The rule's section as `sop` shows it, or a pointer to it if long. */
static void
add_section(struct buf *b, struct bot *bot, const struct watch_rule *r)
{
	struct reply	 rep = { { NULL, 0, 0 }, 0 };
	size_t		*ids = NULL, i, n;
	char		*ref;

	if (bot->runbooks == NULL ||
	    (n = runbook_find(bot->runbooks, r->section, NULL, &ids)) == 0) {
		log_warnx("watch: rule '%s': section '%s' not found", r->name,
		    r->section);
		goto out;
	}
	runbook_section_reply(bot->runbooks, ids[0], &rep);
	if (b->len > 0)
		buf_adds(b, "\n\n");
	if (reply_size(&rep) > REPLY_ANSWER_MAX_BYTES) {
		ref = runbook_ref_new(bot->runbooks, ids[0]);
		buf_printf(b, "The runbook: `%ssop %s`.", bot->cfg->prefix,
		    ref != NULL ? ref : r->section);
		free(ref);
		goto out;
	}
	for (i = 0; i < rep.blocks.n; i++)
		buf_printf(b, "%s%s", i > 0 ? "\n\n" : "", rep.blocks.v[i]);
out:
	reply_reset(&rep);
	free(ids);
}

char *
watch_answer_new(struct bot *bot, const struct watch_rule *r,
    const struct msg *m)
{
	struct buf	 b = { NULL, 0, 0 };
	char		*sev;

	if (r->severity != NULL && (r->text == NULL ||
	    strstr(r->text, "{severity}") == NULL)) {
		sev = mrkdwn_escape_new(r->severity);
		buf_printf(&b, "*[%s]* ", sev);
		free(sev);
	}
	if (r->text != NULL)
		fill_template(&b, r, m);
	if (r->section != NULL)
		add_section(&b, bot, r);
	return (buf_release(&b));
}

/* Queues rule r's answer to m; -1 if the store failed. */
static int
watch_post(struct bot *bot, const struct msg *m, const struct watch_rule *r,
    const char *thread)
{
	struct reply	 rep = { { NULL, 0, 0 }, 0 };
	struct strv	 msgs = { NULL, 0, 0 };
	struct post	 p;
	char		*key = NULL;
	size_t		 i;
	int		 rc = -1;

	reply_add_new(&rep, watch_answer_new(bot, r, m));
	reply_pack(&rep, REPLY_MSG_LIMIT, &msgs);
	for (i = 0; i < msgs.n; i++) {
		memset(&p, 0, sizeof p);
		p.op = POST_MESSAGE;
		p.channel = m->channel;
		p.thread_ts = r->in_channel ? NULL : thread;
		p.text = msgs.v[i];
		free(key);
		key = NULL;
		if (m->ts != NULL)
			xasprintf(&key, "watch:%s:%s:%s:%zu", m->channel,
			    m->ts, r->name, i);
		p.key = key;
		if (outbox_queue(bot, &p) == -1)
			goto out;
	}
	rc = 0;
out:
	free(key);
	strv_reset(&msgs);
	reply_reset(&rep);
	return (rc);
}

/* One reaction on m (the console has no ts: it prints the emoji). */
static int
watch_react(struct bot *bot, const struct msg *m, const char *thread)
{
	struct post	 p;
	char		*key = NULL;
	int		 rc;

	memset(&p, 0, sizeof p);
	p.channel = m->channel;
	p.thread_ts = thread;
	if (m->ts == NULL) {
		p.op = POST_MESSAGE;
		p.text = ":" WATCH_REACTION ":";
	} else {
		p.op = POST_REACTION;
		p.target_ts = m->ts;
		p.reaction = WATCH_REACTION;
		xasprintf(&key, "watch:%s:%s:react", m->channel, m->ts);
		p.key = key;
	}
	rc = outbox_queue(bot, &p) == -1 ? -1 : 0;
	free(key);
	return (rc);
}

enum gate_verdict
watch_handle(struct bot *bot, const struct msg *m, struct reply *reply)
{
	struct watch_hits	 hits = { NULL, 0, 0 };
	const struct watch_rule	*r;
	struct watch_chan	*c;
	struct store		*st = bot->store;
	const char		*thread, *text;
	char			*owned = NULL;
	enum gate_verdict	 v = GATE_FAILED;
	int64_t			 now, last;
	size_t			 i;
	int			 rc, react = 0, acted = 0;

	(void)reply;
	if ((c = watch_chan_for(bot, m->channel)) == NULL ||
	    m->text == NULL)
		return (GATE_PASS);
	text = typed_text(m->text, &owned);
	if (watch_match(c, text, strlen(text), 1, &hits) <= 0) {
		v = GATE_PASS;
		goto out;
	}
	now = clock_wall_ms();
	thread = msg_reply_thread(m);
	for (i = 0; i < hits.n; i++) {
		r = &bot->cfg->watches->rules[hits.v[i].rule];
		if ((m->flags & MSG_FROM_BOT) && !r->bots)
			continue;
		/*
		 * Outside its active time a rule does not fire: no answer,
		 * no reaction. Here, not in claims: one zone conversion
		 * per matching message, not per message (watch.md).
		 */
		if ((rc = watch_active_at(&r->active, bot->cfg->tz,
		    now)) == 0) {
			log_debug("%s: '%s' not active now", __func__,
			    r->name);
			continue;
		}
		if (rc == -1)
			log_warnx("watch: rule '%s': zone %s not usable, "
			    "taken as active", r->name, r->active.tz != NULL ?
			    r->active.tz : bot->cfg->tz);
		acted = 1;
		if ((rc = store_watch_last(st, r->name, m->channel,
		    &last)) == -1)
			goto out;
		if (rc == 1 && now - last < r->cooldown_ms) {
			log_debug("%s: '%s' cooling down in %s", __func__,
			    r->name, m->channel);
			react = 1;
			continue;
		}
		if (thread != NULL && (rc = store_watch_answered(st, r->name,
		    m->channel, thread)) != 0) {
			if (rc == -1)
				goto out;
			react = 1;
			continue;
		}
		if (((r->text != NULL || r->section != NULL) &&
		    watch_post(bot, m, r, thread) != 0) ||
		    (r->page != NULL && watch_page_open(bot, m, r, now) < 0) ||
		    store_watch_add(st, r->name, m->channel, thread, now) != 0)
			goto out;
		log_info("watch: '%s' answered %s in %s", r->name,
		    m->user != NULL ? m->user : "?", m->channel);
	}
	if (react && watch_react(bot, m, thread) != 0)
		goto out;
	v = acted ? GATE_DONE : GATE_PASS;
out:
	free(owned);
	watch_hits_reset(&hits);
	return (v);
}

void
watch_prune(struct bot *bot)
{
	const struct watch_set	*set = bot->cfg->watches;
	int64_t			 keep = WATCH_KEEP_ANSWERS_MS, n;
	size_t			 i;

	if (set == NULL || bot->store == NULL)
		return;
	for (i = 0; i < set->nrules; i++) {
		if (set->rules[i].cooldown_ms > keep)
			keep = set->rules[i].cooldown_ms;
	}
	n = store_watch_prune(bot->store, clock_wall_ms() - keep);
	if (n > 0)
		log_debug("watch: pruned %lld old answers", (long long)n);
}
