/*
 * duty-click.c: a click on a duty nudge's Done button (bot/duty.h) is
 * run as `checked #<id>` by the clicker, through dispatch, so the
 * checks (rotation members), the answer and the audit row are the
 * command's, as page-click.c does for pages.
 */
#include <stdlib.h>
#include <string.h>

#include "bot/blocks.h"
#include "bot/bot.h"
#include "bot/duty.h"
#include "bot/gate.h"

int
duty_click_claims(struct bot *bot, const struct msg *m)
{
	(void)bot;
	return (m->action_id != NULL &&
	    strcmp(m->action_id, DUTY_BUTTON_ACTION) == 0 &&
	    click_value_id(m, DUTY_BUTTON_VALUE) > 0);
}

enum gate_verdict
duty_click_handle(struct bot *bot, const struct msg *m, struct reply *reply)
{
	char	*line;

	xasprintf(&line, "checked #%lld", click_value_id(m, DUTY_BUTTON_VALUE));
	click_run_as(bot, m, line, reply);
	free(line);
	return (GATE_DONE);
}
