/*
 * oncall-ical.c: rotations that follow an iCalendar feed by URL (issue
 * 10, "a rotation may instead follow an iCalendar file or URL exported
 * by the team's existing scheduler"). Config load only checked the
 * URL's shape; here the loop fetches it through the adapter (never
 * blocking: curl multi inside lws, adapters/slack-web.c), swaps each
 * good schedule into the config's rotation and keeps its body in the
 * store for a restart while the server is down.
 *
 * The refresh is a plain lws timer, not a durable one (bot/sched.h): it
 * is no clock a user sees or waits for, missing one while opsbot is
 * down changes nothing (start fetches at once anyway), and a moved test
 * clock need not fire it.
 */
#include <stdlib.h>
#include <string.h>

#include <libwebsockets.h>

#include "bot/bot.h"
#include "bot/clock.h"
#include "bot/config.h"
#include "bot/oncall.h"
#include "store/store.h"
#include "adapters/adapter.h"

/* One rotation followed by URL. */
struct ical_feed {
	struct bot		*bot;	/* borrowed */
	struct rotation		*rot;	/* borrowed from bot->cfg */
	struct adapter_fetch	 f;	/* f.url borrowed from rot */
	lws_sorted_usec_list_t	 sul;	/* the next refresh */
	int			 inflight;
	int			 answered;	/* the first fetch is over */
};

struct oncall_ical {
	struct ical_feed	*v;	/* owned, one per URL rotation */
	size_t			 n;
};

void
oncall_ical_failed(struct rotation *rot, int64_t now_ms, const char *error)
{
	rot->ical_tried_ms = now_ms;
	free(rot->ical_error);
	rot->ical_error = xstrdup(error);
}

/* The schedule's people become rot's members, as at load for a file. */
static void
ical_members(struct rotation *rot)
{
	const char	*u;
	size_t		 i;

	strv_reset(&rot->members);
	strv_reset(&rot->member_names);
	for (i = 0; i < rotation_ical_nevents(rot->ical); i++) {
		u = rotation_ical_user(rot->ical, i);
		if (!rotation_is_member(rot, u)) {
			strv_add(&rot->members, u);
			strv_add(&rot->member_names, "");
		}
	}
}

int
oncall_ical_learn(struct bot *bot, struct rotation *rot, const char *body,
    size_t len, int64_t now_ms, int cache)
{
	struct rotation_ical	*ri;
	char			*why = NULL, *msg = NULL;

	rot->ical_tried_ms = now_ms;
	if ((ri = rotation_ical_parse(body, len, &why)) == NULL) {
		xasprintf(&msg, "not a calendar: %s", why);
		oncall_ical_failed(rot, now_ms, msg);
		free(msg);
		free(why);
		return (-1);
	}
	rotation_ical_free(rot->ical);
	rot->ical = ri;
	rot->ical_fetched_ms = now_ms;
	free(rot->ical_error);
	rot->ical_error = NULL;
	ical_members(rot);
	/* a cache that failed costs the next restart only: logged there */
	if (cache && bot->store != NULL)
		(void)store_ical_put(bot->store, rot->name, rot->ical_url,
		    body, len, now_ms);
	return (0);
}

static void	feed_fetch(struct ical_feed *);

static void
feed_on_sul(lws_sorted_usec_list_t *sul)
{
	struct ical_feed	*fd = lws_container_of(sul, struct ical_feed,
				    sul);

	if (!fd->bot->stopping)
		feed_fetch(fd);
}

/* The next try, ical_refresh from now, whatever this one did. */
static void
feed_arm(struct ical_feed *fd)
{
	lws_sul_schedule(fd->bot->lws, 0, &fd->sul, feed_on_sul,
	    (lws_usec_t)fd->rot->ical_refresh_ms * LWS_US_PER_MS);
}

/* Logs what went wrong with the redacted URL: no credentials in logs. */
static void
feed_log(struct ical_feed *fd)
{
	char	*url;

	url = adapter_url_redact_new(fd->rot->ical_url);
	log_warnx("rotation %s: calendar %s: %s; %s", fd->rot->name, url,
	    fd->rot->ical_error, fd->rot->ical != NULL ? "keeping the "
	    "schedule known" : "nobody is on call until it is fetched");
	free(url);
}

static void
feed_done(struct adapter_fetch *f, long status, const char *error,
    const char *body, size_t len)
{
	struct ical_feed	*fd = lws_container_of(f, struct ical_feed, f);
	int64_t			 now = clock_wall_ms();
	char			*msg = NULL;

	fd->inflight = 0;
	fd->answered = 1;
	if (error != NULL)
		oncall_ical_failed(fd->rot, now, error);
	else if (status < 200 || status > 299) {
		xasprintf(&msg, "HTTP status %ld", status);
		oncall_ical_failed(fd->rot, now, msg);
		free(msg);
	} else if (oncall_ical_learn(fd->bot, fd->rot, body, len, now, 1) ==
	    0)
		log_info("rotation %s: calendar fetched, %zu events",
		    fd->rot->name, rotation_ical_nevents(fd->rot->ical));
	if (fd->rot->ical_error != NULL)
		feed_log(fd);
	feed_arm(fd);
}

static void
feed_fetch(struct ical_feed *fd)
{
	const struct adapter_ops	*ops = fd->bot->adapter->ops;

	if (fd->inflight)
		return;
	if (ops->fetch != NULL && ops->fetch(fd->bot->adapter, &fd->f) == 0) {
		fd->inflight = 1;
		return;
	}
	fd->answered = 1;
	oncall_ical_failed(fd->rot, clock_wall_ms(), "the adapter cannot "
	    "fetch it");
	feed_log(fd);
	feed_arm(fd);
}

/* The store's last good body, if any, until the first fetch answers. */
static void
feed_from_cache(struct ical_feed *fd)
{
	struct rotation	*rot = fd->rot;
	char		*body = NULL;
	size_t		 len = 0;
	int64_t		 at = 0;

	if (fd->bot->store == NULL || store_ical_get(fd->bot->store,
	    rot->name, rot->ical_url, &body, &len, &at) != 1)
		goto out;
	if (oncall_ical_learn(fd->bot, rot, body, len, at, 0) != 0) {
		log_warnx("rotation %s: the stored calendar: %s", rot->name,
		    rot->ical_error);
		goto out;
	}
	/* not tried yet in this run: only the body's age is known */
	rot->ical_tried_ms = 0;
	log_info("rotation %s: calendar from the store (%zu events)",
	    rot->name, rotation_ical_nevents(rot->ical));
out:
	free(body);
}

int
oncall_ical_start(struct bot *bot)
{
	struct oncall_ical	*oi;
	struct ical_feed	*fd;
	size_t			 i;

	if (bot->ical != NULL)
		return (0);
	oi = xcalloc(1, sizeof *oi);
	for (i = 0; i < bot->cfg->nrotations; i++) {
		if (bot->cfg->rotations[i].ical_url != NULL)
			oi->n++;
	}
	if (oi->n > 0)
		oi->v = xcalloc(oi->n, sizeof *oi->v);
	oi->n = 0;
	bot->ical = oi;
	for (i = 0; i < bot->cfg->nrotations; i++) {
		if (bot->cfg->rotations[i].ical_url == NULL)
			continue;
		fd = &oi->v[oi->n++];
		fd->bot = bot;
		fd->rot = &bot->cfg->rotations[i];
		fd->f.url = fd->rot->ical_url;
		fd->f.done = feed_done;
		feed_from_cache(fd);
		feed_fetch(fd);
	}
	return (0);
}

void
oncall_ical_stop(struct bot *bot)
{
	struct oncall_ical	*oi = bot->ical;
	size_t			 i;

	if (oi == NULL)
		return;
	for (i = 0; i < oi->n; i++)
		lws_sul_cancel(&oi->v[i].sul);
	free(oi->v);
	free(oi);
	bot->ical = NULL;
}

int
oncall_ical_waiting(struct bot *bot)
{
	size_t	 i;
	int	 n = 0;

	if (bot->ical == NULL)
		return (0);
	for (i = 0; i < bot->ical->n; i++) {
		if (!bot->ical->v[i].answered)
			n++;
	}
	return (n);
}
