/*
 * duty.c: duties' due times and their timers (bot/duty.h). A due time
 * is a local wall time in the rotation's zone, so 09:00 stays 09:00
 * across a DST change; tz.h does every conversion. Each occurrence is
 * one "duty-due" timer whose key names it, so arming it again (at the
 * start, after a firing) adds nothing.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "adapters/adapter.h"
#include "bot/bot.h"
#include "bot/config.h"
#include "bot/duty.h"
#include "bot/oncall.h"
#include "bot/tz.h"
#include "store/store.h"

const struct duty *
duty_find(const struct config *cfg, const char *rotation, const char *name)
{
	size_t	 i;

	for (i = 0; i < cfg->nduties; i++) {
		if (strcmp(cfg->duties[i].rotation, rotation) == 0 &&
		    strcmp(cfg->duties[i].name, name) == 0)
			return (&cfg->duties[i]);
	}
	return (NULL);
}

const char *
duty_zone(struct bot *bot, const struct duty *d)
{
	const struct rotation	*rot;

	if ((rot = rotation_find(bot->cfg, d->rotation)) != NULL &&
	    rot->tz != NULL)
		return (rot->tz);
	return (bot->cfg->tz != NULL ? bot->cfg->tz : "UTC");
}

const char *
duty_adapter(struct bot *bot)
{
	if (bot->adapter != NULL && bot->adapter->ops != NULL &&
	    bot->adapter->ops->name != NULL)
		return (bot->adapter->ops->name);
	return ("console");
}

int
duty_next_due(const struct duty *d, const char *zone, int64_t after_ms,
    int64_t *due_ms)
{
	struct tz_time	 now, lt;
	struct tm	 day;
	int64_t		 secs, ms;
	size_t		 i;
	int		 off;

	if (tz_local(zone, after_ms / 1000 - (after_ms % 1000 < 0), &now) != 0)
		return (-1);
	/* a day before too: the local date may lag after_ms's */
	for (off = -1; off <= 8; off++) {
		/* the weekday of the date off days on, by timegm's rollover */
		memset(&day, 0, sizeof day);
		day.tm_year = now.year - 1900;
		day.tm_mon = now.mon - 1;
		day.tm_mday = now.mday + off;
		day.tm_hour = 12;
		if (timegm(&day) == (time_t)-1)
			return (-1);
		for (i = 0; i < d->ntimes[day.tm_wday]; i++) {
			memset(&lt, 0, sizeof lt);
			lt.year = day.tm_year + 1900;
			lt.mon = day.tm_mon + 1;
			lt.mday = day.tm_mday;
			lt.hour = d->times[day.tm_wday][i] / 60;
			lt.min = d->times[day.tm_wday][i] % 60;
			if (tz_utc(zone, &lt, &secs) == TZ_ERROR)
				return (-1);
			ms = secs * 1000;
			if (ms > after_ms) {
				*due_ms = ms;
				return (0);
			}
		}
	}
	return (-1);
}

int
duty_arm_next(struct bot *bot, struct store *s, const struct duty *d,
    int64_t after_ms, int64_t now_ms)
{
	int64_t	 due;
	char	*ref;
	int	 rc = 0;

	if (duty_next_due(d, duty_zone(bot, d), after_ms, &due) != 0) {
		log_warnx("duty %s/%s: no due time after %lld", d->rotation,
		    d->name, (long long)after_ms);
		return (0);
	}
	xasprintf(&ref, "duty:%s:%s:%lld", d->rotation, d->name,
	    (long long)due);
	if (store_timer_add(s, now_ms, due, DUTY_DUE_KIND, ref, ref) < 0)
		rc = -1;
	free(ref);
	return (rc);
}

int
duty_arm_all(struct bot *bot, int64_t now_ms)
{
	size_t	 i;

	if (bot->store == NULL)
		return (0);
	for (i = 0; i < bot->cfg->nduties; i++) {
		if (duty_arm_next(bot, bot->store, &bot->cfg->duties[i],
		    now_ms, now_ms) != 0)
			return (-1);
	}
	return (0);
}
