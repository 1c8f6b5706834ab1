/*
 * oncall.c: rotations as the bot runs them: found by name or channel,
 * who may change them, and who is on call once the stored overrides
 * are laid over the schedule (bot/rotation.c).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/bot.h"
#include "bot/channels.h"
#include "bot/oncall.h"
#include "store/store.h"

/* How far rotation_next looks for someone else. */
#define ONCALL_NEXT_STEPS	64

const struct rotation *
rotation_find(const struct config *cfg, const char *name)
{
	size_t	 i;

	if (name == NULL)
		return (NULL);
	for (i = 0; i < cfg->nrotations; i++) {
		if (strcasecmp(cfg->rotations[i].name, name) == 0)
			return (&cfg->rotations[i]);
	}
	return (NULL);
}

const struct rotation *
rotation_for_channel(struct bot *bot, const char *channel)
{
	const struct config	*cfg = bot->cfg;
	const char		*name;
	size_t			 i;

	if (channel == NULL)
		return (NULL);
	for (i = 0; i < cfg->nrotations; i++) {
		if (cfg->rotations[i].channel != NULL &&
		    strcmp(cfg->rotations[i].channel, channel) == 0)
			return (&cfg->rotations[i]);
	}
	/* Configured by name, met by ID: the name the adapter learnt. */
	name = bot->channels != NULL ? channel_name(bot, channel) : NULL;
	for (i = 0; i < cfg->nrotations; i++) {
		if (cfg->rotations[i].channel == NULL)
			continue;
		if (channel_same(cfg->rotations[i].channel, channel) ||
		    (name != NULL && channel_same(cfg->rotations[i].channel,
		    name)))
			return (&cfg->rotations[i]);
	}
	return (NULL);
}

int
is_admin(const struct config *cfg, const char *user)
{
	size_t	 i;

	if (user == NULL)
		return (0);
	for (i = 0; i < cfg->admins.n; i++) {
		if (strcmp(cfg->admins.v[i], user) == 0)
			return (1);
	}
	return (0);
}

int
rotation_may_change(const struct config *cfg, const struct rotation *rot,
    const char *user)
{
	return (rotation_is_member(rot, user) ||
	    rotation_is_manager(rot, user) || is_admin(cfg, user));
}

/*
 * Lays overrides v[0..n) (oldest first) over base at at_ms: the newest
 * holding at_ms wins; the stretch ends where a newer one starts, or
 * (the schedule's) where any starts or ends.
 */
static void
oncall_layer(const struct rotation_shift *base,
    const struct store_override *v, size_t n, int64_t at_ms,
    struct rotation_shift *out)
{
	size_t	 i, win = n;

	for (i = 0; i < n; i++) {
		if (v[i].from_ms <= at_ms && at_ms < v[i].until_ms)
			win = i;
	}
	if (win == n) {
		*out = *base;
		for (i = 0; i < n; i++) {
			if (v[i].until_ms <= at_ms &&
			    v[i].until_ms > out->start_ms)
				out->start_ms = v[i].until_ms;
			if (v[i].from_ms > at_ms &&
			    v[i].from_ms < out->end_ms)
				out->end_ms = v[i].from_ms;
		}
		return;
	}
	memset(out, 0, sizeof *out);
	snprintf(out->user, sizeof out->user, "%s", v[win].user);
	out->start_ms = v[win].from_ms;
	out->end_ms = v[win].until_ms;
	out->number = base->number;
	out->overridden = 1;
	out->override_id = v[win].id;
	for (i = win + 1; i < n; i++) {
		if (v[i].from_ms > at_ms && v[i].from_ms < out->end_ms)
			out->end_ms = v[i].from_ms;
		/* an older override cut short by a newer one ending here */
		if (v[i].until_ms <= at_ms && v[i].until_ms > out->start_ms)
			out->start_ms = v[i].until_ms;
	}
}

static void
overrides_free(struct store_override *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		store_override_release(&v[i]);
	free(v);
}

int
rotation_oncall_at(struct bot *bot, const struct rotation *rot,
    int64_t at_ms, struct rotation_shift *out)
{
	struct rotation_shift	 base;
	struct store_override	*v = NULL;
	size_t			 n = 0;
	int64_t			 to;
	int			 rc = -1;

	if (rotation_shift_at(rot, at_ms, &base) != 0)
		goto out;
	if (bot == NULL || bot->store == NULL) {
		*out = base;
		rc = 0;
		goto out;
	}
	/*
	 * Every override that matters overlaps the schedule's shift: one
	 * holding at_ms, or one starting or ending inside it. The winner's
	 * own end may lie beyond: the newer ones that cut it start before
	 * that, so ask again to its end if it is later.
	 */
	if (store_override_list(bot->store, rot->name, base.start_ms,
	    base.end_ms, ONCALL_OVERRIDES_MAX, &v, &n) < 0)
		goto out;
	oncall_layer(&base, v, n, at_ms, out);
	if (out->overridden && out->end_ms > base.end_ms) {
		to = out->end_ms;
		overrides_free(v, n);
		v = NULL;
		n = 0;
		if (store_override_list(bot->store, rot->name, base.start_ms,
		    to, ONCALL_OVERRIDES_MAX, &v, &n) < 0)
			goto out;
		oncall_layer(&base, v, n, at_ms, out);
	}
	rc = 0;
out:
	overrides_free(v, n);
	return (rc);
}

int
rotation_next(struct bot *bot, const struct rotation *rot,
    const struct rotation_shift *cur, struct rotation_shift *out)
{
	struct rotation_shift	 s = *cur;
	int			 i;

	for (i = 0; i < ONCALL_NEXT_STEPS; i++) {
		if (s.end_ms == ROTATION_FOREVER)
			return (1);
		if (rotation_oncall_at(bot, rot, s.end_ms, &s) != 0)
			return (-1);
		if (strcmp(s.user, cur->user) != 0) {
			*out = s;
			return (0);
		}
	}
	return (1);
}

int64_t
rotation_override_set(struct bot *bot, const struct rotation *rot,
    const char *user, int64_t from_ms, int64_t until_ms,
    const char *set_by, int64_t now_ms)
{
	struct store_override	 o;

	if (bot->store == NULL || until_ms <= from_ms)
		return (-1);
	memset(&o, 0, sizeof o);
	/* borrowed for the call: store_override_add copies */
	o.rotation = rot->name;
	o.user = (char *)user;
	o.from_ms = from_ms;
	o.until_ms = until_ms;
	o.set_by = (char *)set_by;
	o.created_ms = now_ms;
	return (store_override_add(bot->store, &o, rot->channel));
}
