/* adapter.c: the table of adapters and their common lifecycle. */
#include <stdlib.h>
#include <string.h>

#include "bot/bot.h"
#include "adapters/adapter.h"
#include "adapters/slack.h"

static const struct adapter_ops *const adapters[] = {
	&adapter_console_ops,
	&adapter_slack_ops,
	NULL
};

const struct adapter_ops *
adapter_find(const char *name)
{
	const struct adapter_ops *const	*a;

	for (a = adapters; *a != NULL; a++) {
		if (strcmp((*a)->name, name) == 0)
			return (*a);
	}
	return (NULL);
}

struct adapter *
adapter_new(const struct adapter_ops *ops, struct bot *bot)
{
	struct adapter	*a;

	a = xcalloc(1, sizeof *a);
	a->ops = ops;
	a->bot = bot;
	if (ops->init(a) != 0) {
		free(a);
		return (NULL);
	}
	return (a);
}

void
adapter_free(struct adapter *a)
{
	if (a == NULL)
		return;
	a->ops->free(a);
	free(a);
}

char *
adapter_url_redact_new(const char *url)
{
	return (slack_url_redact_new(url));
}
