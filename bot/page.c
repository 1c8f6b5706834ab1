/*
 * page.c: opening a page, its escalation timeline, ack, resolve,
 * needhelp and escalate-now, and the page message kept current with
 * chat.update (bot/page.h). Everything here runs in the caller's
 * transaction (a command's gate transaction, a timer's claim).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/bot.h"
#include "bot/channels.h"
#include "bot/outbox.h"
#include "bot/page.h"
#include "bot/sched.h"
#include "bot/tz.h"
#include "bot/blocks.h"
#include "store/store.h"

#define MIN_MS	INT64_C(60000)

static const char *const page_severities[] = {
	"critical", "high", "medium", "low", NULL
};

const char *
page_severity_name(const char *word)
{
	size_t	 i;

	for (i = 0; page_severities[i] != NULL; i++) {
		if (strcasecmp(word, page_severities[i]) == 0)
			return (page_severities[i]);
	}
	return (NULL);
}

void
page_user_add(struct buf *b, const char *adapter, const char *user)
{
	if (strcmp(adapter, "slack") == 0 && slack_id_like(user, "UW"))
		buf_printf(b, "<@%s>", user);
	else
		mrkdwn_escape(b, user, strlen(user));
}

/* A channel as Slack links it (<#C1>), else escaped. */
static void
page_channel_add(struct buf *b, const char *channel)
{
	if (slack_id_like(channel, "CGD"))
		buf_printf(b, "<#%s>", channel);
	else
		mrkdwn_escape(b, channel, strlen(channel));
}

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

void
page_when_add(struct buf *b, int64_t at_ms, int64_t now_ms, const char *zone)
{
	if (zone != NULL && when_format(b, at_ms, now_ms, zone) == 0)
		buf_printf(b, " (%s)", zone);
	else if (when_format(b, at_ms, now_ms, "UTC") == 0)
		buf_adds(b, " (UTC)");
}

/* "15 min", "2 h 5 min": a span for people, rounded up to the minute. */
static void
page_span_add(struct buf *b, int64_t ms)
{
	int64_t	 min = (ms + MIN_MS - 1) / MIN_MS;

	if (min >= 60 && min % 60 != 0)
		buf_printf(b, "%lld h %lld min", (long long)(min / 60),
		    (long long)(min % 60));
	else if (min >= 60)
		buf_printf(b, "%lld h", (long long)(min / 60));
	else
		buf_printf(b, "%lld min", (long long)min);
}

/* The rotation's zone, else the config's (new string). */
static char *
page_zone_new(struct bot *bot, const char *rotation)
{
	struct page_rota	 r;
	char			*zone;

	if (page_rota_get(bot, rotation, &r) == 1 && r.zone != NULL)
		zone = xstrdup(r.zone);
	else
		zone = xstrdup(bot->cfg->tz != NULL ? bot->cfg->tz : "UTC");
	page_rota_release(&r);
	return (zone);
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

/* What a step does, for people: "remind <@U1>", "post in #x". */
static void
page_step_what(struct buf *b, const char *adapter,
    const struct policy_step *def, const struct strv *targets)
{
	size_t	 i;

	switch (def->action) {
	case PAGE_REMIND:
		buf_adds(b, "remind ");
		break;
	case PAGE_NEXT:
		buf_adds(b, "mention the next person, ");
		break;
	case PAGE_MANAGER:
		buf_adds(b, "mention the manager ");
		break;
	case PAGE_ADMIN:
		buf_adds(b, "ask for help with @here in ");
		break;
	case PAGE_POST:
		buf_adds(b, "post in ");
		break;
	case PAGE_VENDOR:
		buf_adds(b, "post the vendor escalation `escalate ");
		mrkdwn_escape(b, def->arg, strlen(def->arg));
		buf_adds(b, "`");
		return;
	}
	for (i = 0; i < targets->n; i++) {
		if (i > 0)
			buf_adds(b, ", ");
		if (def->action == PAGE_ADMIN || def->action == PAGE_POST)
			page_channel_add(b, targets->v[i]);
		else
			page_user_add(b, adapter, targets->v[i]);
	}
}

/* The lines of one timeline, "• 10:10 Mon 30 Nov (UTC): remind <@U1>". */
static void
page_plan_lines(struct buf *b, const char *adapter,
    const struct page_plan *plan, const char *zone, int64_t now_ms)
{
	const struct page_plan_step	*ps;
	size_t				 i;

	for (i = 0; i < plan->n; i++) {
		ps = &plan->v[i];
		buf_adds(b, "\n• ");
		page_when_add(b, ps->due_ms, now_ms, zone);
		buf_adds(b, ": ");
		if (ps->why != NULL) {
			buf_printf(b, "_%s: skipped at once (%s)_",
			    page_action_name(ps->def->action), ps->why);
			continue;
		}
		page_step_what(b, adapter, ps->def, &ps->targets);
		if (ps->excluded)
			buf_adds(b, " _(critical pages only: not this one)_");
		else if (ps->def->critical_only)
			buf_adds(b, " _(critical pages only)_");
	}
	if (plan->n == 0)
		buf_adds(b, "\n• _no steps_");
}

char *
page_dry_run_new(struct bot *bot, const char *adapter,
    const struct page_rota *r, const char *summary, const char *severity,
    const char *prefix, int64_t now_ms)
{
	const struct esc_policy	*pol;
	struct page_plan	 plan, help;
	struct buf		 b = { NULL, 0, 0 };
	const char		*zone;
	int			 critical;

	critical = strcasecmp(severity, "critical") == 0;
	zone = r->zone != NULL ? r->zone : bot->cfg->tz;
	if ((pol = policy_find(bot->cfg, r->policy)) == NULL) {
		buf_printf(&b, "Rotation *%s* names the escalation policy `%s`, "
		    "which the config does not define.", r->name, r->policy);
		return (buf_release(&b));
	}
	page_plan_make(bot, r, pol, PAGE_PHASE_PAGE, now_ms, critical, &plan);
	buf_adds(&b, "*Dry run*: nothing was posted and nobody was paged.\n"
	    "A page for *");
	mrkdwn_escape(&b, r->name, strlen(r->name));
	buf_printf(&b, "* (%s) would be posted in ", severity);
	page_channel_add(&b, r->channel);
	buf_adds(&b, " mentioning ");
	if (plan.oncall != NULL)
		page_user_add(&b, adapter, plan.oncall);
	else
		buf_adds(&b, "nobody: *nobody is on call*");
	buf_adds(&b, ": “");
	mrkdwn_escape(&b, summary, strlen(summary));
	buf_printf(&b, "”\nEscalation policy `%s`; acknowledge by ", pol->name);
	page_when_add(&b, plan.ack_due_ms, now_ms, zone);
	buf_adds(&b, ". Unless acknowledged:");
	page_plan_lines(&b, adapter, &plan, zone, now_ms);
	if (pol->nhelp > 0) {
		page_plan_make(bot, r, pol, PAGE_PHASE_HELP, now_ms, critical,
		    &help);
		buf_printf(&b, "\nIf `%sneedhelp` were said now (until the "
		    "page is resolved):", prefix);
		page_plan_lines(&b, adapter, &help, zone, now_ms);
		page_plan_release(&help);
	}
	page_plan_release(&plan);
	return (buf_release(&b));
}

char *
page_text_new(struct bot *bot, const struct store_page *p, const char *prefix,
    int64_t now_ms)
{
	struct store_page_step	*v = NULL;
	struct buf		 b = { NULL, 0, 0 };
	char			*zone;
	size_t			 n = 0, i;

	zone = page_zone_new(bot, p->rotation);
	buf_printf(&b, "%s *Page #%lld* for *", p->state == PAGE_OPEN ?
	    ":rotating_light:" : p->state == PAGE_ACKED ? ":eyes:" :
	    ":white_check_mark:", (long long)p->id);
	mrkdwn_escape(&b, p->rotation, strlen(p->rotation));
	buf_printf(&b, "* (%s): ", p->severity);
	mrkdwn_escape(&b, p->summary, strlen(p->summary));
	buf_adds(&b, "\nOn call: ");
	if (p->oncall != NULL)
		page_user_add(&b, p->adapter, p->oncall);
	else
		buf_adds(&b, "*nobody*");
	buf_adds(&b, ". Opened by ");
	page_user_add(&b, p->adapter, p->opened_by);
	buf_adds(&b, ".\n");
	if (p->state == PAGE_OPEN) {
		buf_adds(&b, "Acknowledge by ");
		page_when_add(&b, p->ack_due_ms, now_ms, zone);
		if (p->ack_due_ms > now_ms) {
			buf_adds(&b, ": *");
			page_span_add(&b, p->ack_due_ms - now_ms);
			buf_adds(&b, " left*.");
		} else
			buf_adds(&b, ": *the deadline has passed*.");
	} else if (p->acked_ms > 0) {
		buf_adds(&b, "Acknowledged by ");
		page_user_add(&b, p->adapter, p->acked_by);
		buf_adds(&b, " at ");
		page_when_add(&b, p->acked_ms, now_ms, zone);
		buf_adds(&b, ", ");
		page_span_add(&b, p->acked_ms - p->opened_ms);
		buf_adds(&b, " after the page.");
	}
	if (p->needhelp_ms > 0 && p->state != PAGE_RESOLVED)
		buf_adds(&b, " *Help requested.*");
	if (p->state == PAGE_RESOLVED) {
		buf_adds(&b, p->acked_ms > 0 ? "\n" : "");
		buf_adds(&b, "Resolved by ");
		page_user_add(&b, p->adapter, p->resolved_by);
		buf_adds(&b, " at ");
		page_when_add(&b, p->resolved_ms, now_ms, zone);
		if (p->note != NULL) {
			buf_adds(&b, ": ");
			mrkdwn_escape(&b, p->note, strlen(p->note));
		}
		buf_adds(&b, ".");
	}
	/* the steps skipped at once, said where everyone sees the page */
	if (store_page_steps(bot->store, p->id, &v, &n) >= 0) {
		for (i = 0; i < n; i++) {
			if (v[i].skipped && v[i].timer == 0 &&
			    v[i].phase == PAGE_PHASE_PAGE)
				buf_printf(&b, "\n_Skipped at once: the %s "
				    "step (%s)._", page_action_name(v[i].action),
				    v[i].target != NULL ? v[i].target :
				    "nobody to tell");
			store_page_step_release(&v[i]);
		}
		free(v);
	}
	if (p->state != PAGE_RESOLVED) {
		buf_printf(&b, "\n`%sack %lld` · `%sescalate-now %lld` · "
		    "`%sresolve %lld [note]`", prefix, (long long)p->id, prefix,
		    (long long)p->id, prefix, (long long)p->id);
		if (p->needhelp_ms == 0)
			buf_printf(&b, " · `%sneedhelp %lld`", prefix,
			    (long long)p->id);
	}
	free(zone);
	return (buf_release(&b));
}

char *
page_blocks_new(const struct store_page *p, const char *text)
{
	struct button	 b[3];
	char		*value, *cmd[3], *blocks;
	size_t		 n = 0, i;

	xasprintf(&value, PAGE_BUTTON_VALUE "%lld", (long long)p->id);
	memset(b, 0, sizeof b);
	memset(cmd, 0, sizeof cmd);
	if (p->state == PAGE_OPEN) {
		xasprintf(&cmd[n], "ack %lld", (long long)p->id);
		b[n].label = "Acknowledge";
		b[n].action_id = "page-ack";
		b[n].style = "primary";
		n++;
	}
	if (p->state != PAGE_RESOLVED) {
		xasprintf(&cmd[n], "escalate-now %lld", (long long)p->id);
		b[n].label = "Escalate";
		b[n].action_id = "page-escalate";
		b[n].style = "danger";
		n++;
		xasprintf(&cmd[n], "resolve %lld", (long long)p->id);
		b[n].label = "Resolve";
		b[n].action_id = "page-resolve";
		n++;
	}
	for (i = 0; i < n; i++) {
		b[i].value = value;
		b[i].command = cmd[i];
	}
	blocks = blocks_buttons_new(text, b, n);
	for (i = 0; i < n; i++)
		free(cmd[i]);
	free(value);
	return (blocks);
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
