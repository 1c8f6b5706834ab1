/*
 * handlers.c: where features plug into the core. One table of handlers
 * behind the message gate (gate.h), run in this order, and one table of
 * timer kinds for the scheduler (sched.h). A feature adds a line here
 * and keeps its code in its own file.
 */
#include "bot/bot.h"
#include "bot/gate.h"
#include "bot/sched.h"
#include "bot/watch.h"
#include "bot/ticket.h"
#include "bot/page.h"
#include "bot/report.h"
#include "bot/duty.h"
#include "bot/handoff.h"
#include "commands/cmd.h"

/* dispatch.c: "!cmd ...", "@opsbot cmd ...", DMs and slash commands. */
int		 dispatch_claims(struct bot *, const struct msg *);
enum gate_verdict dispatch_handle(struct bot *, const struct msg *,
		    struct reply *);

const struct gate_handler gate_handlers[] = {
	{ "commands", 0, dispatch_claims, dispatch_handle },
	/* bot/ticket.c; reactions and clicks answer a close question */
	{ "tickets", GATE_WANTS_REACTIONS | GATE_WANTS_ACTIONS, ticket_claims,
	    ticket_handle },
	/* bot/page-help.c: an answer to a call for help */
	{ "page-help", 0, page_help_claims, page_help_handle },
	/* bots' messages reach only a channel whose rules count them */
	{ "watches", MSG_FROM_BOT, watch_claims, watch_handle },
	{ "pages", GATE_WANTS_ACTIONS, page_click_claims, page_click_handle },
	{ "duties", GATE_WANTS_ACTIONS, duty_click_claims, duty_click_handle },
	/* bot/handoff-click.c: "Got it" on a handoff */
	{ "handoffs", GATE_WANTS_ACTIONS, handoff_click_claims,
	    handoff_click_handle },
};
const size_t gate_nhandlers = sizeof gate_handlers / sizeof gate_handlers[0];

/* Timer kinds (store_timer.kind): each handler gets the struct bot. */
const struct sched_handler timer_kinds[] = {
	{ REMIND_TIMER_KIND, remind_fire },	/* commands/remind-fire.c */
	{ TICKET_WARN_KIND, ticket_warn_fire },	/* bot/ticket-fire.c */
	{ TICKET_BREACH_KIND, ticket_breach_fire },
	{ TICKET_STALE_KIND, ticket_stale_fire },
	{ TICKET_PAGE_KIND, ticket_page_fire },	/* bot/ticket-page.c */
	{ PAGE_STEP_KIND, page_step_fire },	/* bot/page-fire.c */
	{ SUMMARY_TIMER_KIND, summary_due_fire },	/* bot/summary-post.c */
	{ DUTY_DUE_KIND, duty_due_fire },	/* bot/duty-fire.c */
	{ DUTY_MISSED_KIND, duty_missed_fire },
	{ HANDOFF_DUE_KIND, handoff_due_fire },	/* bot/handoff-fire.c */
	{ HANDOFF_REMIND_KIND, handoff_remind_fire },
	{ NULL, NULL }		/* end: keeps the table non-empty */
};
const size_t timer_nkinds = sizeof timer_kinds / sizeof timer_kinds[0] - 1;
