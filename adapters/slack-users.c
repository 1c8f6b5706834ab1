/*
 * slack-users.c: who a user is, from users.info [UI: docs.slack.dev
 * reference/methods/users.info: user.tz, user.profile.display_name,
 * user.real_name; scope users:read]. Learnt once per run for each
 * user who talks to the bot (a message the gate handled) and kept in
 * the store's users cache, where commands read it: `remind` works in
 * the user's own time zone once it is known. The first command of a
 * user the bot never saw uses the configured zone, and says so.
 */
#include <stdlib.h>
#include <string.h>

#include "adapters/slack.h"
#include "bot/clock.h"
#include "store/store.h"

/* Users asked about in this run; past this the list starts over. */
#define SLACK_USERS_MAX		1024

/* A users.info call in flight: whom it asks about. */
struct slack_user_call {
	struct slack	*sl;		/* borrowed */
	char		*user_id;	/* owned */
};

/* A string member of o, or NULL if absent or not a string (borrowed). */
static const char *
member_text(json_t *o, const char *key)
{
	const char	*s = json_string_value(json_object_get(o, key));

	return (s != NULL && *s != '\0' ? s : NULL);
}

/* Frees c; also slack_api_call's drop, for a call abandoned. */
static void
user_call_free(void *arg)
{
	struct slack_user_call	*c = arg;

	free(c->user_id);
	free(c);
}

static void
on_user_info(void *arg, const struct slack_api_answer *a,
    const struct slack_web_resp *r)
{
	struct slack_user_call	*c = arg;
	json_t			*user = NULL, *profile = NULL;
	const char		*name, *tz;

	if (a->verdict != SLACK_API_OK) {
		/* Not retried: the next run, or the configured zone, will do. */
		log_info("slack: users.info %s: %s", c->user_id,
		    a->status == 0 ? r->net_errstr : a->why);
		goto out;
	}
	if (json_unpack(a->root, "{s:o}", "user", &user) != 0 ||
	    !json_is_object(user)) {
		log_info("slack: users.info %s: no user object", c->user_id);
		goto out;
	}
	profile = json_object_get(user, "profile");
	name = member_text(profile, "display_name");
	if (name == NULL)
		name = member_text(user, "real_name");
	tz = member_text(user, "tz");
	if (store_user_put(c->sl->bot->store, c->user_id, name, tz,
	    clock_wall_ms()) == -1)
		log_warnx("slack: cannot cache user %s", c->user_id);
out:
	user_call_free(c);
}

void
slack_users_learn(struct slack *sl, const char *user_id)
{
	struct slack_user_call	*c;
	char			*body;
	size_t			 i;

	if (user_id == NULL || *user_id == '\0')
		return;
	for (i = 0; i < sl->users_asked.n; i++) {
		if (strcmp(sl->users_asked.v[i], user_id) == 0)
			return;
	}
	if (sl->users_asked.n >= SLACK_USERS_MAX)
		strv_reset(&sl->users_asked);
	strv_add(&sl->users_asked, user_id);
	/* A read method: form arguments, not JSON [WEB]. */
	if ((body = slack_form_new("user", user_id)) == NULL)
		return;
	c = xcalloc(1, sizeof *c);
	c->sl = sl;
	c->user_id = xstrdup(user_id);
	if (slack_api_call(sl, "users.info", NULL, body, on_user_info, c,
	    user_call_free) == -1)
		user_call_free(c);
	free(body);
}
