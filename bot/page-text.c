/*
 * page-text.c: the words of a page (bot/page.h): the page message's
 * text and buttons at a given moment, the `page --dry-run` answer with
 * its timeline in local times, and the pieces they are made of
 * (mentions, channels, times, spans). Reads the store's page as given;
 * writes nothing.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/blocks.h"
#include "bot/bot.h"
#include "bot/page.h"
#include "bot/tz.h"
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

void
page_elapsed_add(struct buf *b, int64_t ms)
{
	if (ms < MIN_MS)
		buf_adds(b, "under a minute");
	else
		page_span_add(b, ms / MIN_MS * MIN_MS);
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
		page_elapsed_add(&b, p->acked_ms - p->opened_ms);
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
