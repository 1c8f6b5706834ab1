/*
 * channels.c: channel IDs and their names (channels.h). A workspace has
 * hundreds of channels at most that the bot is in: a linear search of
 * short strings costs less per message than the LEJP parse before it.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/channels.h"
#include "bot/clock.h"
#include "store/store.h"

struct channel_names *
channel_names_new(struct store *st)
{
	struct channel_names	*cn;

	cn = xcalloc(1, sizeof *cn);
	if (st != NULL && store_channel_all(st, &cn->ids, &cn->names) == -1) {
		log_warnx("channels: cannot read the cached channel names");
		strv_reset(&cn->ids);
		strv_reset(&cn->names);
	}
	return (cn);
}

void
channel_names_free(struct channel_names *cn)
{
	if (cn == NULL)
		return;
	strv_reset(&cn->ids);
	strv_reset(&cn->names);
	free(cn);
}

static ssize_t
channel_index(const struct channel_names *cn, const char *id)
{
	size_t	 i;

	for (i = 0; cn != NULL && id != NULL && i < cn->ids.n; i++) {
		if (strcmp(cn->ids.v[i], id) == 0)
			return ((ssize_t)i);
	}
	return (-1);
}

const char *
channel_name(const struct bot *bot, const char *id)
{
	ssize_t	 i;

	if ((i = channel_index(bot->channels, id)) == -1)
		return (NULL);
	return (bot->channels->names.v[i]);
}

void
channel_learn(struct bot *bot, const char *id, const char *name)
{
	struct channel_names	*cn = bot->channels;
	ssize_t			 i;

	if (cn == NULL || id == NULL || name == NULL)
		return;
	if (*name == '#')
		name++;
	if ((i = channel_index(cn, id)) == -1) {
		strv_add(&cn->ids, id);
		strv_add(&cn->names, name);
	} else if (strcmp(cn->names.v[i], name) != 0) {
		free(cn->names.v[i]);
		cn->names.v[i] = xstrdup(name);
	}
	if (bot->store != NULL && store_channel_put(bot->store, id, name,
	    clock_wall_ms()) == -1)
		log_warnx("channels: cannot cache the name of %s", id);
}

int
channel_same(const char *a, const char *b)
{
	if (*a == '#')
		a++;
	if (*b == '#')
		b++;
	return (strcasecmp(a, b) == 0);
}
