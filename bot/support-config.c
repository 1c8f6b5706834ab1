/*
 * support-config.c: the `support:` list of the YAML config, one entry
 * per support channel (bot/ticket.h). Its errors name file:line:column
 * and the key, as config.c's do.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <yaml.h>

#include "bot/config.h"
#include "bot/channels.h"
#include "bot/ticket.h"
#include "bot/tz.h"

/* The most a template file may hold. */
#define SUPPORT_TEMPLATE_MAX	(64 * 1024)

const char support_template_default[] =
    "Hi {user}, thanks for getting in touch with support.\n\n"
    "Your request is now ticket *{ticket}* with priority *{priority}*. "
    "Someone from the support team ({tier} tier) will reply in this "
    "thread no later than {due}.\n\n"
    "Please add here what you expected to happen, what happened instead, "
    "and the steps that lead to it, and keep everything about this "
    "request in this thread of {channel}.";

struct sload {
	const struct config *cfg;	/* its tier table */
	struct config_at at;		/* "support", "support[i]" */
	size_t		 i;		/* the entry read */
};

int
support_duration_parse(const char *s, int64_t *ms)
{
	char		*end;
	long long	 v, unit;

	if (*s < '0' || *s > '9')
		return (-1);
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || v <= 0 || v > 3660)
		return (-1);
	if (strcmp(end, "d") == 0)
		unit = 24 * 3600;
	else if (strcmp(end, "h") == 0)
		unit = 3600;
	else if (strcmp(end, "m") == 0)
		unit = 60;
	else if (strcmp(end, "s") == 0)
		unit = 1;
	else
		return (-1);
	*ms = (int64_t)v * unit * 1000;
	return (0);
}

/* Reads path (at most SUPPORT_TEMPLATE_MAX bytes) as a new string. */
static char *
support_read_new(const char *path, char **why)
{
	struct stat	 st;
	char		*data = NULL;
	size_t		 len = 0;
	ssize_t		 n;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1) {
		xasprintf(why, "cannot read '%s': %s", path, strerror(errno));
		return (NULL);
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		xasprintf(why, "'%s' is not a regular file", path);
		close(fd);
		return (NULL);
	}
	data = xmalloc(SUPPORT_TEMPLATE_MAX + 1);
	while (len < SUPPORT_TEMPLATE_MAX + 1) {
		n = read(fd, data + len, SUPPORT_TEMPLATE_MAX + 1 - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (len > SUPPORT_TEMPLATE_MAX) {
		xasprintf(why, "'%s' is larger than %d bytes", path,
		    SUPPORT_TEMPLATE_MAX);
		free(data);
		return (NULL);
	}
	data[len] = '\0';
	if (strlen(data) != len || !utf8_valid(data, len)) {
		xasprintf(why, "'%s' is not UTF-8 text", path);
		free(data);
		return (NULL);
	}
	return (data);
}

static int
support_template_load(struct sload *sl, struct support_channel *sc,
    yaml_node_t *n, const char *path)
{
	struct strv	 unknown = { NULL, 0, 0 };
	char		*why = NULL;
	int		 rc = -1;

	free(sc->template_path);
	sc->template_path = config_path_new(sl->at.file, path);
	free(sc->template_text);
	sc->template_text = support_read_new(sc->template_path, &why);
	if (sc->template_text == NULL) {
		config_at_error(&sl->at, n, "template", "%s", why);
		goto out;
	}
	if (support_template_check(sc->template_text, &unknown) > 0) {
		config_at_error(&sl->at, n, "template", "'%s': unknown "
		    "placeholder %s (known: {user} {ticket} {priority} {due} "
		    "{tier} {channel})", sc->template_path, unknown.v[0]);
		goto out;
	}
	rc = 0;
out:
	strv_reset(&unknown);
	free(why);
	return (rc);
}

static int
support_engineers_load(struct sload *sl, struct support_channel *sc,
    yaml_node_t *n)
{
	yaml_node_item_t	*it;
	yaml_node_t		*item;
	const char		*id = NULL;	/* gcc -O2 cannot see it set */

	strv_reset(&sc->engineers);
	if (n->type == YAML_SCALAR_NODE) {
		if (config_at_text(&sl->at, n, "engineers", &id) != 0)
			return (-1);
		strv_add(&sc->engineers, id);
		return (0);
	}
	if (n->type != YAML_SEQUENCE_NODE)
		return (config_at_error(&sl->at, n, "engineers", "expected a "
		    "list of user ids"));
	for (it = n->data.sequence.items.start;
	    it < n->data.sequence.items.top; it++) {
		item = yaml_document_get_node(sl->at.doc, *it);
		if (item == NULL)
			return (config_at_error(&sl->at, n, "engineers", "bad "
			    "entry"));
		if (config_at_text(&sl->at, item, "engineers", &id) != 0)
			return (-1);
		strv_add(&sc->engineers, id);
	}
	return (0);
}

/*
 * `page: {rotation: vault, at: 80%}` (or `page: vault`: at the
 * warning): a ticket without an answer at that share of its response
 * time pages the rotation, checked once all is read
 * (ticket_check_pages). At the warning's share the warning's timer
 * pages (one clock for both); at another, a timer of its own.
 */
static int
support_page_load(struct sload *sl, struct support_channel *sc,
    yaml_node_t *v)
{
	yaml_node_pair_t	*pair;
	yaml_node_t		*k, *pv, *at = v;
	const char		*key, *text = NULL, *rotation = NULL;
	char			*end;
	int			 pct = TICKET_WARN_PERCENT;

	if (v->type == YAML_SCALAR_NODE) {
		if (config_at_text(&sl->at, v, "page", &rotation) != 0)
			return (-1);
	} else if (v->type == YAML_MAPPING_NODE) {
		for (pair = v->data.mapping.pairs.start;
		    pair < v->data.mapping.pairs.top; pair++) {
			k = yaml_document_get_node(sl->at.doc, pair->key);
			pv = yaml_document_get_node(sl->at.doc, pair->value);
			if (k == NULL || pv == NULL ||
			    k->type != YAML_SCALAR_NODE)
				return (config_at_error(&sl->at, v, "page",
				    "keys must be plain names"));
			key = (const char *)k->data.scalar.value;
			if (strcmp(key, "rotation") == 0) {
				if (config_at_text(&sl->at, pv,
				    "page.rotation", &rotation) != 0)
					return (-1);
				at = pv;
			} else if (strcmp(key, "at") == 0) {
				if (config_at_text(&sl->at, pv, "page.at",
				    &text) != 0)
					return (-1);
				pct = (int)strtol(text, &end, 10);
				if (end == text || strcmp(end, "%") != 0 ||
				    pct < 1 || pct > 99)
					return (config_at_error(&sl->at, pv,
					    "page.at", "'%s' is not a share of "
					    "the response time from 1%% to "
					    "99%% (80%%: with the warning)",
					    text));
			} else
				return (config_at_error(&sl->at, k, "page",
				    "unknown key '%s' (rotation, at)", key));
		}
		if (rotation == NULL)
			return (config_at_error(&sl->at, v, "page.rotation",
			    "missing: the rotation to page"));
	} else
		return (config_at_error(&sl->at, v, "page", "expected a "
		    "rotation or {rotation: vault, at: %d%%}",
		    TICKET_WARN_PERCENT));
	free(sc->page_rotation);
	sc->page_rotation = xstrdup(rotation);
	sc->page_percent = pct;
	sc->page_line = at->start_mark.line + 1;
	sc->page_column = at->start_mark.column + 1;
	return (0);
}

/* One key of an entry. */
static int
support_key(struct sload *sl, struct support_channel *sc, const char *key,
    yaml_node_t *v)
{
	const struct support_tier_def *tier;
	struct buf	 names = { NULL, 0, 0 };
	const char	*text = NULL;
	char		*why = NULL;
	int		 rc;

	if (strcmp(key, "engineers") == 0)
		return (support_engineers_load(sl, sc, v));
	if (strcmp(key, "page") == 0)
		return (support_page_load(sl, sc, v));
	if (config_at_text(&sl->at, v, key, &text) != 0)
		return (-1);
	if (strcmp(key, "channel") == 0) {
		free(sc->channel);
		sc->channel = xstrdup(text);
	} else if (strcmp(key, "tier") == 0) {
		if ((tier = support_tier_find(sl->cfg, text)) == NULL) {
			support_tiers_names(sl->cfg, &names);
			rc = config_at_error(&sl->at, v, key, "'%s' is not a "
			    "tier (%s; support_tiers: adds more)", text,
			    buf_str(&names));
			buf_reset(&names);
			return (rc);
		}
		free(sc->tier);
		sc->tier = xstrdup(tier->name);
	} else if (strcmp(key, "engineers_group") == 0) {
		if (!slack_id_like(text, "S"))
			return (config_at_error(&sl->at, v, key, "'%s' is not "
			    "a Slack user group ID (S0123ABC)", text));
		free(sc->engineers_group);
		sc->engineers_group = xstrdup(text);
	} else if (strcmp(key, "escalation_channel") == 0) {
		free(sc->escalation);
		sc->escalation = xstrdup(text);
	} else if (strcmp(key, "timezone") == 0) {
		if (tz_check(text, &why) != 0) {
			rc = config_at_error(&sl->at, v, key, "%s", why);
			free(why);
			return (rc);
		}
		free(sc->tz);
		sc->tz = xstrdup(text);
	} else if (strcmp(key, "template") == 0)
		return (support_template_load(sl, sc, v, text));
	else if (strcmp(key, "stale_after") == 0) {
		if (support_duration_parse(text, &sc->stale_ms) != 0)
			return (config_at_error(&sl->at, v, key, "'%s' is not "
			    "a duration such as 5d, 12h or 30m", text));
	} else if (strcmp(key, "close_wait") == 0) {
		if (support_duration_parse(text, &sc->close_wait_ms) != 0)
			return (config_at_error(&sl->at, v, key, "'%s' is not "
			    "a duration such as 3d, 12h or 30m", text));
	} else
		return (config_at_list_error(&sl->at, v, "support[%zu]: "
		    "unknown key '%s' (channel, tier, engineers, "
		    "engineers_group, escalation_channel, timezone, template, "
		    "stale_after, close_wait, page)", sl->i, key));
	return (0);
}

static void
support_channel_release(struct support_channel *sc)
{
	free(sc->channel);
	free(sc->tier);
	strv_reset(&sc->engineers);
	free(sc->engineers_group);
	strv_reset(&sc->group_members);
	free(sc->escalation);
	free(sc->tz);
	free(sc->template_path);
	free(sc->template_text);
	free(sc->page_rotation);
	memset(sc, 0, sizeof *sc);
}

static int
support_entry(struct sload *sl, struct support_channel *sc, yaml_node_t *n)
{
	yaml_node_pair_t	*pair;
	yaml_node_t		*k, *v;
	const char		*key;

	memset(sc, 0, sizeof *sc);
	sc->stale_ms = SUPPORT_STALE_DEFAULT_MS;
	sc->close_wait_ms = SUPPORT_CLOSE_WAIT_DEFAULT_MS;
	if (n->type != YAML_MAPPING_NODE)
		return (config_at_list_error(&sl->at, n, "support[%zu]: "
		    "expected a mapping (channel, tier, engineers, ...)",
		    sl->i));
	for (pair = n->data.mapping.pairs.start;
	    pair < n->data.mapping.pairs.top; pair++) {
		k = yaml_document_get_node(sl->at.doc, pair->key);
		v = yaml_document_get_node(sl->at.doc, pair->value);
		if (k == NULL || v == NULL || k->type != YAML_SCALAR_NODE ||
		    strlen((const char *)k->data.scalar.value) !=
		    k->data.scalar.length)
			return (config_at_list_error(&sl->at, k != NULL ? k :
			    n, "keys must be plain names"));
		key = (const char *)k->data.scalar.value;
		if (support_key(sl, sc, key, v) != 0)
			return (-1);
	}
	if (sc->channel == NULL)
		return (config_at_error(&sl->at, n, "channel", "missing: the "
		    "support channel, as an ID (C0123) or a name (#support)"));
	if (sc->escalation == NULL)
		return (config_at_error(&sl->at, n, "escalation_channel",
		    "missing: where warnings and breaches are posted"));
	if (sc->engineers.n == 0 && sc->engineers_group == NULL)
		return (config_at_error(&sl->at, n, "engineers", "missing: the "
		    "support engineers' user ids, or engineers_group"));
	if (sc->tier == NULL) {
		/* 003_*'s example channel; a config without Advanced
		   cannot exist (support_tiers: only overrides it). */
		sc->tier = xstrdup(support_tier_name(SUPPORT_ADVANCED));
	}
	if (sc->template_text == NULL)
		sc->template_text = xstrdup(support_template_default);
	return (0);
}

int
support_config_load(struct config *cfg, struct yaml_document_s *doc,
    struct yaml_node_s *n, const char *file, char **cause)
{
	struct support_channel	*v = NULL;
	struct sload		 sl;
	yaml_node_item_t	*it;
	yaml_node_t		*item;
	size_t			 nv = 0, j;

	memset(&sl, 0, sizeof sl);
	sl.cfg = cfg;
	config_at_init(&sl.at, doc, file, cause, "support");
	if (n->type != YAML_SEQUENCE_NODE)
		return (config_at_list_error(&sl.at, n, "expected a list of "
		    "support channels"));
	for (it = n->data.sequence.items.start;
	    it < n->data.sequence.items.top; it++) {
		if (nv == SUPPORT_CHANNELS_MAX) {
			config_at_list_error(&sl.at, n, "more than %d "
			    "channels", SUPPORT_CHANNELS_MAX);
			goto fail;
		}
		item = yaml_document_get_node(doc, *it);
		if (item == NULL) {
			config_at_list_error(&sl.at, n, "bad entry");
			goto fail;
		}
		sl.i = nv;
		config_at_entry(&sl.at, "support[%zu]", nv);
		v = xreallocarray(v, nv + 1, sizeof *v);
		nv++;
		if (support_entry(&sl, &v[nv - 1], item) != 0)
			goto fail;
		for (j = 0; j + 1 < nv; j++) {
			if (strcmp(v[j].channel, v[nv - 1].channel) == 0) {
				config_at_error(&sl.at, item, "channel", "'%s' "
				    "is listed twice", v[j].channel);
				goto fail;
			}
		}
	}
	support_config_free(cfg);
	cfg->support = v;
	cfg->nsupport = nv;
	return (0);

fail:
	for (j = 0; j < nv; j++)
		support_channel_release(&v[j]);
	free(v);
	return (-1);
}

void
support_config_free(struct config *cfg)
{
	size_t	 i;

	for (i = 0; i < cfg->nsupport; i++)
		support_channel_release(&cfg->support[i]);
	free(cfg->support);
	cfg->support = NULL;
	cfg->nsupport = 0;
}

const struct support_channel *
support_channel_find(const struct config *cfg, const char *channel)
{
	size_t	 i;

	if (channel == NULL)
		return (NULL);
	for (i = 0; i < cfg->nsupport; i++) {
		if (strcmp(cfg->support[i].channel, channel) == 0)
			return (&cfg->support[i]);
	}
	return (NULL);
}

const struct support_channel *
support_channel_for(struct bot *bot, const char *channel)
{
	const struct support_channel	*sc;
	const char			*name;
	size_t				 i;

	if ((sc = support_channel_find(bot->cfg, channel)) != NULL)
		return (sc);
	/* Configured by name, met by ID: the name the adapter learnt. */
	if ((name = channel_name(bot, channel)) == NULL)
		return (NULL);
	for (i = 0; i < bot->cfg->nsupport; i++) {
		if (channel_same(bot->cfg->support[i].channel, name))
			return (&bot->cfg->support[i]);
	}
	return (NULL);
}

const char *
support_channel_zone(const struct config *cfg,
    const struct support_channel *sc)
{
	return (sc->tz != NULL ? sc->tz : cfg->tz);
}

int
support_is_engineer(const struct support_channel *sc, const char *user)
{
	size_t	 i;

	if (user == NULL)
		return (0);
	for (i = 0; i < sc->engineers.n; i++) {
		if (strcmp(sc->engineers.v[i], user) == 0)
			return (1);
	}
	for (i = 0; i < sc->group_members.n; i++) {
		if (strcmp(sc->group_members.v[i], user) == 0)
			return (1);
	}
	return (0);
}

size_t
support_group_learn(struct config *cfg, const char *group,
    const struct strv *members)
{
	struct support_channel	*sc;
	size_t			 i, j, n = 0;

	for (i = 0; i < cfg->nsupport; i++) {
		sc = &cfg->support[i];
		if (sc->engineers_group == NULL ||
		    strcmp(sc->engineers_group, group) != 0)
			continue;
		strv_reset(&sc->group_members);
		for (j = 0; j < members->n; j++)
			strv_add(&sc->group_members, members->v[j]);
		n++;
	}
	return (n);
}
