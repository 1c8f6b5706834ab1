/*
 * duty-click.c: a click on a duty nudge's Done button (bot/duty.h) is
 * run as `checked #<id>` by the clicker, through dispatch, so the
 * checks (rotation members), the answer and the audit row are the
 * command's, as page-click.c does for pages.
 */
#include <stdlib.h>
#include <string.h>

#include "bot/bot.h"
#include "bot/duty.h"
#include "bot/gate.h"

/* The check id of a value "duty-done:<id>", or 0. */
static long long
duty_button_id(const char *value)
{
	const char	*num;
	char		*end;
	long long	 id;

	if (value == NULL || strncmp(value, DUTY_BUTTON_VALUE,
	    strlen(DUTY_BUTTON_VALUE)) != 0)
		return (0);
	num = value + strlen(DUTY_BUTTON_VALUE);
	if (*num < '1' || *num > '9')
		return (0);
	id = strtoll(num, &end, 10);
	return (*end == '\0' && id > 0 ? id : 0);
}

int
duty_click_claims(struct bot *bot, const struct msg *m)
{
	(void)bot;
	return (m->kind == MSG_ACTION && m->action_id != NULL &&
	    strcmp(m->action_id, DUTY_BUTTON_ACTION) == 0 &&
	    duty_button_id(m->action_value) > 0);
}

enum gate_verdict
duty_click_handle(struct bot *bot, const struct msg *m, struct reply *reply)
{
	struct msg	 as;
	char		*line;

	xasprintf(&line, "checked #%lld", duty_button_id(m->action_value));
	as = *m;
	as.kind = MSG_MESSAGE;
	as.text = line;
	as.command = NULL;
	as.addressed = 1;
	dispatch_message(bot, &as, reply);
	free(line);
	return (GATE_DONE);
}
