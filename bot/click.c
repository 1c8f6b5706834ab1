/*
 * click.c: what the button handlers share (page-click.c, duty-click.c,
 * handoff-click.c, ticket-close.c): reading the id a button's value
 * carries, and running a click as the command the button stands for.
 */
#include <stdlib.h>
#include <string.h>

#include "bot/blocks.h"
#include "bot/bot.h"
#include "bot/gate.h"

long long
click_value_id(const struct msg *m, const char *prefix)
{
	const char	*num;
	char		*end;
	long long	 id;

	if (m->kind != MSG_ACTION || m->action_value == NULL ||
	    strncmp(m->action_value, prefix, strlen(prefix)) != 0)
		return (0);
	num = m->action_value + strlen(prefix);
	if (*num < '1' || *num > '9')
		return (0);
	id = strtoll(num, &end, 10);
	return (*end == '\0' && id > 0 ? id : 0);
}

void
click_run_as(struct bot *bot, const struct msg *m, const char *line,
    struct reply *reply)
{
	struct msg	 as;

	/* the click as the command typed where the button is */
	as = *m;
	as.kind = MSG_MESSAGE;
	as.text = line;
	as.command = NULL;
	as.addressed = 1;
	dispatch_message(bot, &as, reply);
}
