/*
 * page.c: opening a page, its escalation timeline, ack, resolve,
 * needhelp and escalate-now, and the page message kept current with
 * chat.update (bot/page.h); the words of it all are page-text.c's.
 * Everything here runs in the caller's transaction (a command's gate
 * transaction, a timer's claim).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/bot.h"
#include "bot/channels.h"
#include "bot/outbox.h"
#include "bot/page.h"
#include "bot/sched.h"
#include "store/store.h"

/*
 * The channel to page in: its ID when it is written "#name" and the
 * adapter learnt that name (channels.h; chat.update takes IDs only),
 * else as written. Borrowed from r or bot->channels.
 */
static const char *
page_channel_id(struct bot *bot, const char *channel)
{
	const struct channel_names	*cn = bot->channels;
	size_t				 i;

	if (channel[0] != '#' || cn == NULL)
		return (channel);
	for (i = 0; i < cn->names.n && i < cn->ids.n; i++) {
		if (strcasecmp(cn->names.v[i], channel + 1) == 0)
			return (cn->ids.v[i]);
	}
	return (channel);
}

const char *
page_targets_at(struct bot *bot, const struct page_rota *r,
    const struct policy_step *def, int64_t at_ms, struct strv *out)
{
	char	*u = NULL;
	size_t	 i;

	switch (def->action) {
	case PAGE_REMIND:
		if ((u = page_rota_oncall_new(bot, r->name, at_ms)) == NULL)
			return ("nobody is on call");
		break;
	case PAGE_NEXT:
		if ((u = page_rota_next_new(bot, r->name, at_ms)) == NULL)
			return ("nobody is next in the rotation");
		break;
	case PAGE_MANAGER:
		for (i = 0; i < r->managers.n; i++)
			strv_add(out, r->managers.v[i]);
		return (out->n == 0 ? "the rotation has no manager" : NULL);
	case PAGE_ADMIN:
		if (r->admin_channel == NULL)
			return ("the rotation has no admin channel");
		strv_add(out, r->admin_channel);
		return (NULL);
	case PAGE_POST:
	case PAGE_VENDOR:
		strv_add(out, def->arg);
		return (NULL);
	}
	strv_add(out, u);
	free(u);
	return (NULL);
}

void
page_plan_make(struct bot *bot, const struct page_rota *r,
    const struct esc_policy *pol, int phase, int64_t from_ms, int critical,
    struct page_plan *plan)
{
	const struct policy_step	*list;
	struct page_plan_step		*ps;
	size_t				 n, i;

	memset(plan, 0, sizeof *plan);
	list = phase == PAGE_PHASE_PAGE ? pol->steps : pol->help;
	n = phase == PAGE_PHASE_PAGE ? pol->nsteps : pol->nhelp;
	plan->ack_due_ms = from_ms + pol->ack_ms;
	plan->oncall = page_rota_oncall_new(bot, r->name, from_ms);
	plan->v = xcalloc(n > 0 ? n : 1, sizeof *plan->v);
	for (i = 0; i < n; i++) {
		ps = &plan->v[plan->n++];
		ps->def = &list[i];
		ps->phase = phase;
		ps->idx = i;
		ps->due_ms = from_ms + list[i].after_ms;
		if (list[i].critical_only && !critical) {
			ps->excluded = 1;
			continue;
		}
		ps->why = page_targets_at(bot, r, &list[i], ps->due_ms,
		    &ps->targets);
	}
}

void
page_plan_release(struct page_plan *plan)
{
	size_t	 i;

	for (i = 0; i < plan->n; i++)
		strv_reset(&plan->v[i].targets);
	free(plan->v);
	free(plan->oncall);
	memset(plan, 0, sizeof *plan);
}

static const char *
page_prefix(struct bot *bot)
{
	return (bot->cfg->prefix != NULL ? bot->cfg->prefix : "!");
}

int
page_update_queue(struct bot *bot, const struct store_page *p,
    const char *key, int64_t now_ms)
{
	struct post	 u;
	char		*text, *blocks, *target;
	int		 rc = 0;

	text = page_text_new(bot, p, page_prefix(bot), now_ms);
	blocks = page_blocks_new(p, text);
	xasprintf(&target, "page:%lld", (long long)p->id);
	memset(&u, 0, sizeof u);
	u.op = POST_UPDATE;
	u.channel = p->channel;
	u.target_key = target;
	u.text = text;
	u.blocks = blocks;
	u.key = key;
	if (outbox_queue(bot, &u) < 0)
		rc = -1;
	free(target);
	free(blocks);
	free(text);
	return (rc);
}

char *
page_thread_new(struct bot *bot, const struct store_page *p)
{
	char	*key, *ts = NULL, *order = NULL;
	int	 state = 0;

	if (p->ts != NULL)
		return (xstrdup(p->ts));
	xasprintf(&key, "page:%lld", (long long)p->id);
	if (store_post_by_key(bot->store, key, &ts, &state, &order) == 1 &&
	    ts != NULL && store_page_set_ts(bot->store, p->id, ts) != 0) {
		free(ts);
		ts = NULL;
	}
	free(order);
	free(key);
	return (ts);
}

/*
 * Arms phase's steps of pol for page id from from_ms: each a timer, or
 * skipped at once when its target is nobody now. *nskipped counts
 * those. Returns 0 or -1.
 */
static int
page_arm(struct bot *bot, int64_t id, const struct page_rota *r,
    const struct esc_policy *pol, int phase, int64_t from_ms, int critical,
    int64_t now_ms, struct strv *skipped)
{
	struct page_plan	 plan;
	struct page_step_add	 a;
	struct buf		 b = { NULL, 0, 0 };
	size_t			 i;
	int			 rc = -1;

	page_plan_make(bot, r, pol, phase, from_ms, critical, &plan);
	for (i = 0; i < plan.n; i++) {
		if (plan.v[i].excluded)
			continue;
		memset(&a, 0, sizeof a);
		a.page = id;
		a.phase = phase;
		a.idx = (int)i;
		a.action = plan.v[i].def->action;
		a.arg = plan.v[i].def->arg[0] != '\0' ? plan.v[i].def->arg :
		    NULL;
		a.critical_only = plan.v[i].def->critical_only;
		a.due_ms = plan.v[i].due_ms;
		a.now_ms = now_ms;
		a.timer_kind = plan.v[i].why == NULL ? PAGE_STEP_KIND : NULL;
		a.why = plan.v[i].why;
		if (store_page_step_add(bot->store, &a) < 0)
			goto out;
		if (plan.v[i].why != NULL && skipped != NULL) {
			buf_printf(&b, "%s step (%s) skipped: %s",
			    page_action_name(a.action), phase == PAGE_PHASE_PAGE ?
			    "policy" : "needhelp", plan.v[i].why);
			strv_add(skipped, buf_str(&b));
			buf_reset(&b);
		}
	}
	rc = 0;
out:
	buf_reset(&b);
	page_plan_release(&plan);
	return (rc);
}

int64_t
page_open(struct bot *bot, const struct page_rota *r,
    const struct page_req *q, int *added)
{
	const struct esc_policy	*pol;
	struct store_page	 p;
	struct page_add		 a;
	struct post		 post;
	char			*oncall = NULL, *text = NULL, *blocks = NULL;
	char			*key = NULL;
	int64_t			 id = -1;

	memset(&p, 0, sizeof p);
	if ((pol = policy_find(bot->cfg, r->policy)) == NULL) {
		log_warnx("rotation %s: no escalation policy %s; the default "
		    "applies", r->name, r->policy);
		pol = &policy_default;
	}
	oncall = page_rota_oncall_new(bot, r->name, q->now_ms);
	memset(&a, 0, sizeof a);
	a.key = q->key;
	a.adapter = q->adapter;
	a.rotation = r->name;
	a.summary = q->summary;
	a.severity = q->severity;
	a.policy = pol->name;
	a.opened_by = q->opened_by;
	a.oncall = oncall;
	a.channel = page_channel_id(bot, r->channel);
	a.now_ms = q->now_ms;
	a.ack_due_ms = q->now_ms + pol->ack_ms;
	if ((id = store_page_add(bot->store, &a, added)) < 0 || !*added)
		goto out;
	if (page_arm(bot, id, r, pol, PAGE_PHASE_PAGE, q->now_ms,
	    strcasecmp(q->severity, "critical") == 0, q->now_ms, NULL) != 0 ||
	    store_page_get(bot->store, id, &p) != 1) {
		id = -1;
		goto out;
	}
	text = page_text_new(bot, &p, q->prefix, q->now_ms);
	blocks = page_blocks_new(&p, text);
	xasprintf(&key, "page:%lld", (long long)id);
	memset(&post, 0, sizeof post);
	post.op = POST_MESSAGE;
	post.channel = p.channel;
	post.text = text;
	post.blocks = blocks;
	post.key = key;
	if (outbox_queue(bot, &post) < 0) {
		id = -1;
		goto out;
	}
	if (bot->sched != NULL)
		sched_kick(bot->sched);
	log_info("page %lld opened for %s, on call %s", (long long)id,
	    r->name, oncall != NULL ? oncall : "nobody");
out:
	store_page_release(&p);
	free(key);
	free(blocks);
	free(text);
	free(oncall);
	return (id);
}

int
page_ack(struct bot *bot, const struct store_page *p, const char *user,
    int64_t now_ms)
{
	struct store_page	 now;
	int			 rc;

	memset(&now, 0, sizeof now);
	if ((rc = store_page_ack(bot->store, p->id, user, now_ms)) != 1)
		return (rc);
	if (store_page_get(bot->store, p->id, &now) != 1 ||
	    page_update_queue(bot, &now, NULL, now_ms) != 0)
		rc = -1;
	store_page_release(&now);
	if (bot->sched != NULL)
		sched_kick(bot->sched);
	return (rc);
}

int
page_resolve(struct bot *bot, const struct store_page *p, const char *user,
    const char *note, int64_t now_ms)
{
	struct store_page	 now;
	int			 rc;

	memset(&now, 0, sizeof now);
	if ((rc = store_page_resolve(bot->store, p->id, user, note,
	    now_ms)) != 1)
		return (rc);
	if (store_page_get(bot->store, p->id, &now) != 1 ||
	    page_update_queue(bot, &now, NULL, now_ms) != 0)
		rc = -1;
	store_page_release(&now);
	if (bot->sched != NULL)
		sched_kick(bot->sched);
	return (rc);
}

/* Says in p's thread which needhelp steps were skipped at once. */
static int
page_say_skipped(struct bot *bot, const struct store_page *p,
    const struct strv *skipped)
{
	struct post	 post;
	struct buf	 b = { NULL, 0, 0 };
	char		*thread;
	size_t		 i;
	int		 rc = 0;

	if (skipped->n == 0)
		return (0);
	thread = page_thread_new(bot, p);
	buf_printf(&b, ":fast_forward: Page *#%lld*:", (long long)p->id);
	for (i = 0; i < skipped->n; i++) {
		buf_adds(&b, "\n• ");
		mrkdwn_escape(&b, skipped->v[i], strlen(skipped->v[i]));
	}
	memset(&post, 0, sizeof post);
	post.op = POST_MESSAGE;
	post.channel = p->channel;
	post.thread_ts = thread;
	post.text = buf_str(&b);
	if (outbox_queue(bot, &post) < 0)
		rc = -1;
	buf_reset(&b);
	free(thread);
	return (rc);
}

int
page_needhelp(struct bot *bot, const struct store_page *p, const char *user,
    int64_t now_ms)
{
	const struct esc_policy	*pol;
	struct page_rota	 r;
	struct store_page	 now;
	struct strv		 skipped = { NULL, 0, 0 };
	int			 rc;

	memset(&now, 0, sizeof now);
	memset(&r, 0, sizeof r);
	if ((rc = store_page_needhelp(bot->store, p->id, user, now_ms)) != 1)
		return (rc);
	if ((pol = policy_find(bot->cfg, p->policy)) == NULL)
		pol = &policy_default;
	if (page_rota_get(bot, p->rotation, &r) != 1) {
		/* the rotation left the config: what needs it is skipped */
		r.name = xstrdup(p->rotation);
		r.channel = xstrdup(p->channel);
	}
	if (page_arm(bot, p->id, &r, pol, PAGE_PHASE_HELP, now_ms,
	    strcasecmp(p->severity, "critical") == 0, now_ms, &skipped) != 0 ||
	    store_page_get(bot->store, p->id, &now) != 1 ||
	    page_update_queue(bot, &now, NULL, now_ms) != 0 ||
	    page_say_skipped(bot, &now, &skipped) != 0)
		rc = -1;
	strv_reset(&skipped);
	page_rota_release(&r);
	store_page_release(&now);
	if (bot->sched != NULL)
		sched_kick(bot->sched);
	return (rc);
}

int
page_escalate_now(struct bot *bot, const struct store_page *p,
    const char *user, int64_t now_ms, int *phase, int *step_idx)
{
	struct store_page_step	 st;
	char			*detail = NULL;
	int			 rc;

	memset(&st, 0, sizeof st);
	if ((rc = store_page_next_step(bot->store, p->id, &st)) != 1)
		return (rc);
	/* the timer fires it, once, through the scheduler's next pass */
	if (store_timer_reschedule(bot->store, st.timer, now_ms) < 0) {
		rc = -1;
		goto out;
	}
	xasprintf(&detail, "%s step %d brought forward",
	    st.phase == PAGE_PHASE_PAGE ? "policy" : "needhelp", st.idx + 1);
	if (store_page_event_add(bot->store, p->id, now_ms, "escalate-now",
	    user, detail) != 0) {
		rc = -1;
		goto out;
	}
	*phase = st.phase;
	*step_idx = st.idx;
	if (bot->sched != NULL)
		sched_kick(bot->sched);
out:
	free(detail);
	store_page_step_release(&st);
	return (rc);
}
