/*
 * handoff-click.c: a click on a handoff post's "Got it" button
 * (bot/handoff.h) is run as `handoff ack <id>` by the clicker, through
 * dispatch, so the check (only the incoming person or someone who may
 * change the rotation), the answer and the audit row are the
 * command's (as bot/page-click.c does for pages).
 */
#include <stdlib.h>
#include <string.h>

#include "bot/blocks.h"
#include "bot/bot.h"
#include "bot/gate.h"
#include "bot/handoff.h"

int
handoff_click_claims(struct bot *bot, const struct msg *m)
{
	(void)bot;
	return (m->action_id != NULL &&
	    strcmp(m->action_id, HANDOFF_ACK_ACTION) == 0 &&
	    click_value_id(m, HANDOFF_BUTTON_VALUE) > 0);
}

enum gate_verdict
handoff_click_handle(struct bot *bot, const struct msg *m,
    struct reply *reply)
{
	char	*line;

	xasprintf(&line, "handoff ack %lld",
	    click_value_id(m, HANDOFF_BUTTON_VALUE));
	click_run_as(bot, m, line, reply);
	free(line);
	return (GATE_DONE);
}
