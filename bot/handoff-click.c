/*
 * handoff-click.c: a click on a handoff post's "Got it" button
 * (bot/handoff.h) is run as `handoff ack <id>` by the clicker, through
 * dispatch, so the check (only the incoming person or someone who may
 * change the rotation), the answer and the audit row are the
 * command's (as bot/page-click.c does for pages).
 */
#include <stdlib.h>
#include <string.h>

#include "bot/bot.h"
#include "bot/gate.h"
#include "bot/handoff.h"

/* The handoff id of a button's value "handoff-ack:<id>", or 0. */
static long long
handoff_button_id(const char *value)
{
	const char	*num;
	char		*end;
	long long	 id;

	if (value == NULL || strncmp(value, HANDOFF_BUTTON_VALUE,
	    strlen(HANDOFF_BUTTON_VALUE)) != 0)
		return (0);
	num = value + strlen(HANDOFF_BUTTON_VALUE);
	if (*num < '1' || *num > '9')
		return (0);
	id = strtoll(num, &end, 10);
	return (*end == '\0' && id > 0 ? id : 0);
}

int
handoff_click_claims(struct bot *bot, const struct msg *m)
{
	(void)bot;
	return (m->kind == MSG_ACTION && m->action_id != NULL &&
	    strcmp(m->action_id, HANDOFF_ACK_ACTION) == 0 &&
	    handoff_button_id(m->action_value) > 0);
}

enum gate_verdict
handoff_click_handle(struct bot *bot, const struct msg *m,
    struct reply *reply)
{
	struct msg	 as;
	char		*line;

	xasprintf(&line, "handoff ack %lld",
	    handoff_button_id(m->action_value));
	/* the click as the command typed where the button is */
	as = *m;
	as.kind = MSG_MESSAGE;
	as.text = line;
	as.command = NULL;
	as.addressed = 1;
	dispatch_message(bot, &as, reply);
	free(line);
	return (GATE_DONE);
}
