/*
 * page-help.c: a call for help answered (bot/page.h). `needhelp` posts
 * in the rotation's admin channel with @here; the runbook (seeds 001_*)
 * calls the manager only when that gets no response within 10 minutes.
 * A reply in the thread of that post is the response: the needhelp
 * steps still waiting are cancelled, once, in the gate's transaction.
 */
#include <stdlib.h>
#include <string.h>

#include "bot/bot.h"
#include "bot/clock.h"
#include "bot/gate.h"
#include "bot/outbox.h"
#include "bot/page.h"
#include "store/store.h"

int
page_help_claims(struct bot *bot, const struct msg *m)
{
	if (m->kind != MSG_MESSAGE || m->thread_ts == NULL || m->ts == NULL ||
	    strcmp(m->thread_ts, m->ts) == 0)
		return (0);
	return (page_rota_admin_channel(bot, m->channel));
}

/* Says in the page's thread who answered where (key "page-helped:<id>"). */
static int
help_tell_page(struct bot *bot, const struct store_page *p,
    const struct msg *m)
{
	struct post	 post;
	struct buf	 b = { NULL, 0, 0 };
	char		*thread, *key;
	int		 rc;

	thread = page_thread_new(bot, p);
	xasprintf(&key, "page-helped:%lld", (long long)p->id);
	page_user_add(&b, p->adapter, m->user);
	buf_printf(&b, " answered the call for help in <#%s>: the manager "
	    "will not be called for it.", m->channel);
	memset(&post, 0, sizeof post);
	post.op = POST_MESSAGE;
	post.channel = p->channel;
	post.thread_ts = thread;
	post.text = buf_str(&b);
	post.key = key;
	rc = outbox_queue(bot, &post) < 0 ? -1 : 0;
	free(key);
	free(thread);
	buf_reset(&b);
	return (rc);
}

enum gate_verdict
page_help_handle(struct bot *bot, const struct msg *m, struct reply *out)
{
	struct store_page	 p;
	struct buf		 b = { NULL, 0, 0 };
	int64_t			 id;
	int			 rc;
	enum gate_verdict	 v = GATE_FAILED;

	if ((id = store_page_by_help_post(bot->store, m->thread_ts)) < 0)
		return (GATE_FAILED);
	if (id == 0)
		return (GATE_PASS);
	if ((rc = store_page_get(bot->store, id, &p)) < 0)
		return (GATE_FAILED);
	if (rc == 0)
		return (GATE_PASS);
	/* the person on call talking is not an answer to their own call */
	if (p.oncall != NULL && m->user != NULL &&
	    strcmp(p.oncall, m->user) == 0) {
		v = GATE_PASS;
		goto out;
	}
	if ((rc = store_page_helped(bot->store, id, m->user,
	    clock_wall_ms())) < 0)
		goto out;
	if (rc == 0) {		/* answered already, or resolved */
		v = GATE_PASS;
		goto out;
	}
	if (help_tell_page(bot, &p, m) != 0)
		goto out;
	buf_adds(&b, "Thanks ");
	page_user_add(&b, p.adapter, m->user);
	buf_printf(&b, ": page #%lld has an answer, so its manager will not "
	    "be called.", (long long)p.id);
	reply_add_new(out, buf_release(&b));
	v = GATE_DONE;
out:
	buf_reset(&b);
	store_page_release(&p);
	return (v);
}
