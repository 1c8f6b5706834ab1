/*
 * slack-usergroups.c: the members of the support channels' user groups
 * (engineers_group), from usergroups.users.list [Slack reference/methods/
 * usergroups.users.list: a read method, usergroup=S0123ABC in,
 * {"ok":true,"users":["U060R4BJ4",...]} out; scope usergroups:read;
 * errors such as no_such_subteam, missing_scope]. Asked once
 * authenticated, and again when an hour has gone by since (checked as
 * messages come in: membership changes slowly, and a reply a little
 * late to notice a new member only means the clock runs a little
 * longer). A failure keeps what was known, the listed engineers at
 * least, and is logged with Slack's error code.
 */
#include <stdlib.h>
#include <string.h>

#include "adapters/slack.h"
#include "bot/clock.h"
#include "bot/ticket.h"

/* How often the members are asked again: an hour, in ms. */
#define SLACK_USERGROUPS_REFRESH_MS	(INT64_C(3600) * 1000)

/* A usergroups.users.list call in flight: which group. */
struct slack_group_call {
	struct slack	*sl;		/* borrowed */
	char		*group;		/* owned */
};

/* slack_api_call's drop: a call abandoned at stop. */
static void
group_call_free(void *arg)
{
	struct slack_group_call	*c = arg;

	free(c->group);
	free(c);
}

static void
on_group_users(void *arg, const struct slack_api_answer *a,
    const struct slack_web_resp *r)
{
	struct slack_group_call	*c = arg;
	struct strv		 members = { NULL, 0, 0 };
	json_t			*users, *u;
	size_t			 i;

	if (a->verdict != SLACK_API_OK) {
		log_warnx("slack: usergroups.users.list %s: %s; only the "
		    "listed engineers (and members learnt before) count",
		    c->group, a->status == 0 ? r->net_errstr :
		    (a->error != NULL ? a->error : a->why));
		goto out;
	}
	users = json_object_get(a->root, "users");
	if (!json_is_array(users)) {
		log_warnx("slack: usergroups.users.list %s: no users array",
		    c->group);
		goto out;
	}
	json_array_foreach(users, i, u) {
		if (slack_id_like(json_string_value(u), "UW"))
			strv_add(&members, json_string_value(u));
	}
	support_group_learn(c->sl->bot->cfg, c->group, &members);
	log_info("slack: user group %s: %zu member%s", c->group, members.n,
	    members.n == 1 ? "" : "s");
out:
	strv_reset(&members);
	group_call_free(c);
}

/* Whether an earlier support channel than i names the same group. */
static int
group_seen(const struct config *cfg, size_t i)
{
	size_t	 j;

	for (j = 0; j < i; j++) {
		if (cfg->support[j].engineers_group != NULL &&
		    strcmp(cfg->support[j].engineers_group,
		    cfg->support[i].engineers_group) == 0)
			return (1);
	}
	return (0);
}

void
slack_usergroups_refresh(struct slack *sl)
{
	const struct config	*cfg = sl->bot->cfg;
	struct slack_group_call	*c;
	const char		*group;
	char			*body;
	int64_t			 now = clock_wall_ms();
	size_t			 i;

	if (sl->groups_asked_ms != 0 &&
	    now - sl->groups_asked_ms < SLACK_USERGROUPS_REFRESH_MS)
		return;
	sl->groups_asked_ms = now;
	for (i = 0; i < cfg->nsupport; i++) {
		group = cfg->support[i].engineers_group;
		if (group == NULL || group_seen(cfg, i))
			continue;
		/* A read method: form arguments, not JSON [WEB]. */
		if ((body = slack_form_new("usergroup", group)) == NULL)
			continue;
		c = xcalloc(1, sizeof *c);
		c->sl = sl;
		c->group = xstrdup(group);
		if (slack_api_call(sl, "usergroups.users.list", NULL, body,
		    on_group_users, c, group_call_free) == -1) {
			log_warnx("slack: usergroups.users.list %s: cannot "
			    "start the request", group);
			group_call_free(c);
		}
		free(body);
	}
}
