/*
 * page-rotation.c: the one place pages reach rotations (bot/page.h).
 *
 * Rotations (who is on call, who is next, managers, the admin channel,
 * the escalation policy) are bot/oncall.h's, over bot/rotation.h, read
 * from the config's `rotations:`, overrides of the store included.
 * Pages use them through these few functions only, so the unit tests
 * can put rotations of their own in their place (-Wl,--wrap,
 * tests/CMakeLists.txt).
 */
#include <stdlib.h>
#include <string.h>

#include "bot/bot.h"
#include "bot/channels.h"
#include "bot/page.h"

#include "bot/oncall.h"

void
page_rota_release(struct page_rota *r)
{
	if (r == NULL)
		return;
	free(r->name);
	free(r->channel);
	free(r->admin_channel);
	free(r->zone);
	free(r->policy);
	strv_reset(&r->managers);
	memset(r, 0, sizeof *r);
}


static char *
dup_or_null(const char *s)
{
	return (s != NULL ? xstrdup(s) : NULL);
}

int
page_rota_get(struct bot *bot, const char *name, struct page_rota *r)
{
	const struct rotation	*rot;
	size_t			 i;

	memset(r, 0, sizeof *r);
	if ((rot = rotation_find(bot->cfg, name)) == NULL)
		return (0);
	r->name = xstrdup(rot->name);
	r->channel = dup_or_null(rot->channel);
	r->admin_channel = dup_or_null(rot->admin_channel);
	r->zone = dup_or_null(rot->tz != NULL ? rot->tz : bot->cfg->tz);
	r->policy = dup_or_null(rot->policy);
	for (i = 0; i < rot->managers.n; i++)
		strv_add(&r->managers, rot->managers.v[i]);
	return (1);
}

char *
page_rota_oncall_new(struct bot *bot, const char *name, int64_t at_ms)
{
	const struct rotation	*rot;
	struct rotation_shift	 sh;

	if ((rot = rotation_find(bot->cfg, name)) == NULL ||
	    rotation_oncall_at(bot, rot, at_ms, &sh) != 0 || sh.user[0] == '\0')
		return (NULL);
	return (xstrdup(sh.user));
}

char *
page_rota_next_new(struct bot *bot, const char *name, int64_t at_ms)
{
	const struct rotation	*rot;
	struct rotation_shift	 cur, next;

	if ((rot = rotation_find(bot->cfg, name)) == NULL ||
	    rotation_oncall_at(bot, rot, at_ms, &cur) != 0 ||
	    rotation_next(bot, rot, &cur, &next) != 0 ||
	    next.user[0] == '\0')
		return (NULL);
	return (xstrdup(next.user));
}

int
page_rota_is_member(struct bot *bot, const char *name, const char *user)
{
	const struct rotation	*rot;

	if (user == NULL || (rot = rotation_find(bot->cfg, name)) == NULL)
		return (0);
	return (rotation_is_member(rot, user));
}

int
page_rota_is_manager(struct bot *bot, const char *name, const char *user)
{
	const struct rotation	*rot;

	if (user == NULL || (rot = rotation_find(bot->cfg, name)) == NULL)
		return (0);
	return (rotation_is_manager(rot, user) || is_admin(bot->cfg, user));
}

int
page_rota_check_policies(const struct config *cfg, const char *file,
    char **cause)
{
	size_t	 i;

	for (i = 0; i < cfg->nrotations; i++) {
		if (policy_find(cfg, cfg->rotations[i].policy) != NULL)
			continue;
		xasprintf(cause, "%s:0:0: rotations: rotation '%s' names the "
		    "escalation policy '%s', which escalation_policies does "
		    "not define", file, cfg->rotations[i].name,
		    cfg->rotations[i].policy);
		return (-1);
	}
	return (0);
}

int
page_rota_admin_channel(struct bot *bot, const char *channel)
{
	const struct rotation	*rot;
	const char		*name = NULL;
	size_t			 i;

	if (channel == NULL)
		return (0);
	for (i = 0; i < bot->cfg->nrotations; i++) {
		rot = &bot->cfg->rotations[i];
		if (rot->admin_channel == NULL)
			continue;
		if (strcmp(rot->admin_channel, channel) == 0)
			return (1);
		/* configured by name, met by ID: the name the adapter learnt
		   (looked up once, and only if some rotation needs it) */
		if (name == NULL && bot->channels != NULL)
			name = channel_name(bot, channel);
		if (name != NULL && channel_same(rot->admin_channel, name))
			return (1);
	}
	return (0);
}
