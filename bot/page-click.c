/*
 * page-click.c: a click on a page message's button (bot/page.h) does
 * what the command does: it is run as that command, by the clicker,
 * through dispatch, so the checks (members only), the answer in the
 * page's thread and the audit row are the command's.
 */
#include <stdlib.h>
#include <string.h>

#include "bot/blocks.h"
#include "bot/bot.h"
#include "bot/gate.h"
#include "bot/page.h"

/* A button's action_id and the command it stands for. */
static const struct {
	const char	*action_id;
	const char	*command;
} page_buttons[] = {
	{ "page-ack", "ack" },
	{ "page-escalate", "escalate-now" },
	{ "page-resolve", "resolve" },
};

static const char *
page_button_command(const char *action_id)
{
	size_t	 i;

	for (i = 0; i < sizeof page_buttons / sizeof page_buttons[0]; i++) {
		if (action_id != NULL &&
		    strcmp(action_id, page_buttons[i].action_id) == 0)
			return (page_buttons[i].command);
	}
	return (NULL);
}

int
page_click_claims(struct bot *bot, const struct msg *m)
{
	(void)bot;
	return (page_button_command(m->action_id) != NULL &&
	    click_value_id(m, PAGE_BUTTON_VALUE) > 0);
}

enum gate_verdict
page_click_handle(struct bot *bot, const struct msg *m, struct reply *reply)
{
	char	*line;

	/* the click as the command typed in the page's thread */
	xasprintf(&line, "%s %lld", page_button_command(m->action_id),
	    click_value_id(m, PAGE_BUTTON_VALUE));
	click_run_as(bot, m, line, reply);
	free(line);
	return (GATE_DONE);
}

