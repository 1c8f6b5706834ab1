/*
 * page-rotation.c: the one place pages reach rotations (bot/page.h).
 *
 * Rotations (who is on call, who is next, managers, the admin channel,
 * the policy) are branch `oncall`'s: its config `rotations:` and
 * bot/rotation.h. Until that merges, this file is the whole contract
 * between pages and rotations, and it knows no rotation: page says so,
 * and the unit tests put their own rotations in its place (they link
 * with -Wl,--wrap for each function below; tests/CMakeLists.txt). At
 * the merge, only this file changes: each function becomes a call of
 * rotation.h's, with nothing else in pages touched.
 */
#include <stdlib.h>
#include <string.h>

#include "bot/bot.h"
#include "bot/page.h"

int
page_rota_get(struct bot *bot, const char *name, struct page_rota *r)
{
	(void)bot;
	(void)name;
	memset(r, 0, sizeof *r);
	return (0);
}

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

char *
page_rota_oncall_new(struct bot *bot, const char *name, int64_t at_ms)
{
	(void)bot;
	(void)name;
	(void)at_ms;
	return (NULL);
}

char *
page_rota_next_new(struct bot *bot, const char *name, int64_t at_ms)
{
	(void)bot;
	(void)name;
	(void)at_ms;
	return (NULL);
}

int
page_rota_is_member(struct bot *bot, const char *name, const char *user)
{
	(void)bot;
	(void)name;
	(void)user;
	return (0);
}

int
page_rota_is_manager(struct bot *bot, const char *name, const char *user)
{
	(void)bot;
	(void)name;
	(void)user;
	return (0);
}
