/*
 * page-fire.c: the "page-step" timer kind (bot/page.h). One step of a
 * page's escalation fires once, in the transaction that claims its
 * timer (docs/internals/timers.md): its post (key "timer:<id>"), the
 * step marked fired and the page message updated commit together or
 * not at all, so a restart neither repeats nor loses a step; a step
 * due while opsbot was down fires at start, marked late.
 */
#include <stdlib.h>
#include <string.h>

#include "bot/bot.h"
#include "bot/outbox.h"
#include "bot/page.h"
#include "store/store.h"

/* What a step's firing queues: up to this many posts (a long vendor text). */
#define PAGE_FIRE_POSTS_MAX	6

struct fire {
	struct bot		*bot;
	const struct store_timer *tm;
	const struct store_page	*p;
	const struct page_rota	*r;
	const struct esc_policy	*pol;
	char			*thread;	/* owned, may be NULL */
	char			*zone;		/* owned */
	int			 nposts;
};

/* Queues one post of the firing: in channel (NULL: the page's thread). */
static int
fire_post(struct fire *f, const char *channel, const char *text)
{
	struct post	 post;
	char		*key;
	int		 rc = 0;

	if (f->nposts == 0)
		xasprintf(&key, "timer:%lld", (long long)f->tm->id);
	else
		xasprintf(&key, "timer:%lld:%d", (long long)f->tm->id,
		    f->nposts);
	f->nposts++;
	memset(&post, 0, sizeof post);
	post.op = POST_MESSAGE;
	post.channel = channel != NULL ? channel : f->p->channel;
	post.thread_ts = channel != NULL ? NULL : f->thread;
	post.text = text;
	post.key = key;
	if (outbox_queue(f->bot, &post) < 0)
		rc = -1;
	free(key);
	return (rc);
}

/* "Page *#3* for *vault* (critical)" */
static void
fire_page_name(struct buf *b, const struct store_page *p)
{
	buf_printf(b, "page *#%lld* for *", (long long)p->id);
	mrkdwn_escape(b, p->rotation, strlen(p->rotation));
	buf_printf(b, "* (%s)", p->severity);
}

static void
fire_late(struct fire *f, struct buf *b)
{
	if (!f->tm->late)
		return;
	buf_adds(b, "\n_Late: opsbot was not running when this fell due, "
	    "at ");
	page_when_add(b, f->tm->due_ms, f->tm->fired_at_ms, f->zone);
	buf_adds(b, "._");
}

static void
fire_mentions(struct buf *b, const char *adapter, const struct strv *who)
{
	size_t	 i;

	for (i = 0; i < who->n; i++) {
		page_user_add(b, adapter, who->v[i]);
		buf_adds(b, " ");
	}
}

/* The vendor escalation section name, as `!escalate name` shows it. */
static int
fire_vendor(struct fire *f, const char *name)
{
	const struct runbook_set	*set = f->bot->runbooks;
	struct reply			 r = { { NULL, 0, 0 }, 0 };
	struct strv			 msgs = { NULL, 0, 0 };
	struct buf			 b = { NULL, 0, 0 };
	size_t				*ids = NULL, n = 0, i, pick = 0;
	int				 rc = 0;

	if (set != NULL)
		n = runbook_find(set, name, "escalation", &ids);
	buf_adds(&b, ":telephone_receiver: Vendor escalation for ");
	fire_page_name(&b, f->p);
	if (n == 0) {
		buf_printf(&b, ": no escalation section is named `%s` in the "
		    "runbooks. Escalate to the vendor by hand, and fix the "
		    "policy's `vendor:`.", name);
		fire_late(f, &b);
		rc = fire_post(f, NULL, buf_str(&b));
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (runbook_prefers(&set->runbooks[set->sections[ids[i]].runbook],
		    "escalation")) {
			pick = i;
			break;
		}
	}
	buf_printf(&b, ", as `%sescalate %s` shows it:",
	    f->bot->cfg->prefix != NULL ? f->bot->cfg->prefix : "", name);
	fire_late(f, &b);
	if (fire_post(f, NULL, buf_str(&b)) != 0) {
		rc = -1;
		goto out;
	}
	runbook_section_reply(set, ids[pick], &r);
	reply_pack(&r, REPLY_MSG_LIMIT, &msgs);
	for (i = 0; i < msgs.n && f->nposts < PAGE_FIRE_POSTS_MAX; i++) {
		if (fire_post(f, NULL, msgs.v[i]) != 0) {
			rc = -1;
			goto out;
		}
	}
out:
	strv_reset(&msgs);
	reply_reset(&r);
	buf_reset(&b);
	free(ids);
	return (rc);
}

/* Whether now is outside the policy's business hours, in the zone. */
static int
fire_after_hours(struct fire *f)
{
	return (watch_active_at(&f->pol->hours, f->zone,
	    f->tm->fired_at_ms) == 0);
}

/* The step's post(s); targets is who or where (not empty). */
static int
fire_action(struct fire *f, const struct store_page_step *st,
    const struct strv *targets)
{
	const struct store_page	*p = f->p;
	const char		*pfx = f->bot->cfg->prefix != NULL ?
				    f->bot->cfg->prefix : "";
	struct buf		 b = { NULL, 0, 0 };
	const char		*channel = NULL;
	int			 rc;

	switch (st->action) {
	case PAGE_REMIND:
		buf_adds(&b, ":bell: ");
		fire_mentions(&b, p->adapter, targets);
		buf_adds(&b, "reminder: ");
		fire_page_name(&b, p);
		if (p->ack_due_ms > f->tm->fired_at_ms) {
			buf_adds(&b, " waits for your acknowledgement, due ");
			page_when_add(&b, p->ack_due_ms, f->tm->fired_at_ms,
			    f->zone);
		} else
			buf_adds(&b, " is past its ack deadline");
		buf_printf(&b, ". `%sack %lld`", pfx, (long long)p->id);
		break;
	case PAGE_NEXT:
		buf_adds(&b, ":bell: ");
		fire_mentions(&b, p->adapter, targets);
		buf_adds(&b, "you are next in the rotation: ");
		fire_page_name(&b, p);
		buf_printf(&b, " is not acknowledged yet. Can you take it? "
		    "`%sack %lld`", pfx, (long long)p->id);
		break;
	case PAGE_MANAGER:
		buf_adds(&b, ":rotating_light: ");
		fire_mentions(&b, p->adapter, targets);
		if (st->phase == PAGE_PHASE_HELP) {
			buf_adds(&b, "help was asked for ");
			fire_page_name(&b, p);
			buf_adds(&b, " and nobody has answered: please step "
			    "in.");
		} else {
			fire_page_name(&b, p);
			buf_adds(&b, " was not acknowledged by its deadline (");
			page_when_add(&b, p->ack_due_ms, f->tm->fired_at_ms,
			    f->zone);
			buf_adds(&b, "): please step in.");
		}
		if (fire_after_hours(f))
			buf_adds(&b, " *Outside business hours: phone the "
			    "manager* if they do not answer here at once.");
		break;
	case PAGE_ADMIN:
		channel = targets->v[0];
		buf_adds(&b, strcmp(p->adapter, "slack") == 0 ? "<!here> " :
		    "@here ");
		fire_page_name(&b, p);
		buf_adds(&b, " needs help: ");
		mrkdwn_escape(&b, p->summary, strlen(p->summary));
		buf_adds(&b, ". Please answer in the page's thread in ");
		if (slack_id_like(p->channel, "CGD"))
			buf_printf(&b, "<#%s>", p->channel);
		else
			mrkdwn_escape(&b, p->channel, strlen(p->channel));
		buf_adds(&b, ".");
		break;
	case PAGE_POST:
		channel = targets->v[0];
		buf_adds(&b, ":rotating_light: ");
		fire_page_name(&b, p);
		buf_printf(&b, " is %s: ", p->state == PAGE_OPEN ?
		    "not acknowledged" : "still open");
		mrkdwn_escape(&b, p->summary, strlen(p->summary));
		break;
	case PAGE_VENDOR:
		return (fire_vendor(f, targets->v[0]));
	default:
		buf_printf(&b, "Step of unknown kind %d.", st->action);
		break;
	}
	fire_late(f, &b);
	rc = fire_post(f, channel, buf_str(&b));
	buf_reset(&b);
	return (rc);
}

/*
 * The audit row of a step (the audit table has every command run; a
 * step is a change no command made): command "page-step", args
 * "page <id>: <detail>", status "ok" or "skipped".
 */
static int
fire_audit(struct store *s, const struct store_page *p,
    const struct store_timer *tm, const char *detail, int skipped)
{
	struct audit_rec	 rec;
	char			*args;
	int			 rc;

	xasprintf(&args, "page %lld: %s", (long long)p->id, detail);
	memset(&rec, 0, sizeof rec);
	rec.at = tm->fired_at_ms / 1000;
	rec.adapter = p->adapter;
	rec.channel = p->channel;
	rec.command = "page-step";
	rec.args = args;
	rec.status = skipped ? "skipped" : "ok";
	rc = store_audit_add(s, &rec);
	free(args);
	return (rc);
}

int
page_step_fire(struct store *s, const struct store_timer *tm, void *arg)
{
	struct bot		*bot = arg;
	struct store_page_step	 st;
	struct store_page	 p;
	struct page_rota	 r;
	struct policy_step	 def;
	struct strv		 targets = { NULL, 0, 0 };
	struct buf		 b = { NULL, 0, 0 };
	struct fire		 f;
	const char		*why;
	char			*ukey = NULL, *detail = NULL;
	int			 rc, rv = -1;

	memset(&st, 0, sizeof st);
	memset(&p, 0, sizeof p);
	memset(&r, 0, sizeof r);
	memset(&f, 0, sizeof f);
	if ((rc = store_page_step_by_ref(s, tm->ref, &st)) < 0)
		goto out;
	if (rc == 1 && (rc = store_page_get(s, st.page, &p)) < 0)
		goto out;
	rv = 0;
	if (rc == 0 || st.fired_ms != 0 || st.skipped) {
		log_debug("%s: timer %lld: %s gone or done", __func__,
		    (long long)tm->id, tm->ref);
		goto out;
	}
	if (p.state == PAGE_RESOLVED || (st.phase == PAGE_PHASE_PAGE &&
	    p.state != PAGE_OPEN)) {
		log_debug("%s: page %lld is %s: step not fired", __func__,
		    (long long)p.id, p.state == PAGE_RESOLVED ? "resolved" :
		    "acknowledged");
		goto out;
	}
	if (page_rota_get(bot, p.rotation, &r) != 1) {
		/* the rotation left the config: what needs it is skipped */
		r.name = xstrdup(p.rotation);
		r.channel = xstrdup(p.channel);
	}
	f.bot = bot;
	f.tm = tm;
	f.p = &p;
	f.r = &r;
	if ((f.pol = policy_find(bot->cfg, p.policy)) == NULL)
		f.pol = &policy_default;
	f.zone = xstrdup(r.zone != NULL ? r.zone : bot->cfg->tz != NULL ?
	    bot->cfg->tz : "UTC");
	f.thread = page_thread_new(bot, &p);

	memset(&def, 0, sizeof def);
	def.action = (enum page_action)st.action;
	if (st.arg != NULL && strlen(st.arg) < sizeof def.arg)
		memcpy(def.arg, st.arg, strlen(st.arg) + 1);
	def.critical_only = st.critical_only;
	rv = -1;
	if ((why = page_targets_at(bot, &r, &def, tm->fired_at_ms,
	    &targets)) != NULL) {
		buf_printf(&b, ":fast_forward: Page *#%lld*: the %s step is "
		    "skipped: %s.", (long long)p.id, page_action_name(
		    def.action), why);
		fire_late(&f, &b);
		if (fire_post(&f, NULL, buf_str(&b)) != 0 ||
		    store_page_step_done(s, st.id, tm->fired_at_ms, tm->late, 1,
		    why, why) < 0 || fire_audit(s, &p, tm, why, 1) != 0)
			goto out;
		log_info("page %lld: %s step skipped: %s", (long long)p.id,
		    page_action_name(def.action), why);
	} else {
		xasprintf(&detail, "%s step %d: %s%s", st.phase ==
		    PAGE_PHASE_PAGE ? "policy" : "needhelp", st.idx + 1,
		    page_action_name(def.action), tm->late ? ", late" : "");
		if (fire_action(&f, &st, &targets) != 0 ||
		    store_page_step_done(s, st.id, tm->fired_at_ms, tm->late, 0,
		    targets.v[0], detail) < 0 ||
		    fire_audit(s, &p, tm, detail, 0) != 0)
			goto out;
		log_info("page %lld: %s", (long long)p.id, detail);
	}
	/* the message shows the time left as of this step */
	xasprintf(&ukey, "timer:%lld:update", (long long)tm->id);
	if (page_update_queue(bot, &p, ukey, tm->fired_at_ms) != 0)
		goto out;
	rv = 0;
out:
	free(f.thread);
	free(f.zone);
	free(ukey);
	free(detail);
	buf_reset(&b);
	strv_reset(&targets);
	page_rota_release(&r);
	store_page_release(&p);
	store_page_step_release(&st);
	return (rv);
}
