/*
 * support-tiers.c: the support tiers a support channel may name. The
 * three of 004_* (support-priority.c) are the defaults; `support_tiers:`
 * may change a default tier's hours or any of its response times, and
 * add tiers of its own:
 *
 *   support_tiers:
 *     essential: {critical: 8h}
 *     gold: {hours: 24x7, critical: 30m, high: 1h, medium: 2h, low: 8h}
 *
 * Errors name file:line:column and the key, as config.c's do.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "bot/config.h"
#include "bot/ticket.h"

/* The keys of a tier, response times in enum support_priority order. */
static const char *const tier_priority_keys[SUPPORT_NPRIORITIES] = {
	"low", "medium", "high", "critical"
};

static void
tier_release(struct support_tier_def *t)
{
	free(t->name);
	memset(t, 0, sizeof *t);
}

void
support_tiers_free(struct config *cfg)
{
	size_t	 i;

	for (i = 0; i < cfg->ntiers; i++)
		tier_release(&cfg->tiers[i]);
	free(cfg->tiers);
	cfg->tiers = NULL;
	cfg->ntiers = 0;
}

void
support_tiers_default(struct config *cfg)
{
	struct support_tier_def	*t;
	int			 i, p;

	support_tiers_free(cfg);
	cfg->tiers = xcalloc(SUPPORT_NTIERS, sizeof *cfg->tiers);
	for (i = 0; i < SUPPORT_NTIERS; i++) {
		t = &cfg->tiers[i];
		t->name = xstrdup(support_tier_name((enum support_tier)i));
		t->week = support_tier_week((enum support_tier)i);
		for (p = 0; p < SUPPORT_NPRIORITIES; p++)
			t->response_ms[p] = support_response_ms(
			    (enum support_tier)i, (enum support_priority)p);
	}
	cfg->ntiers = SUPPORT_NTIERS;
}

const struct support_tier_def *
support_tier_find(const struct config *cfg, const char *name)
{
	size_t	 i;

	if (name == NULL)
		return (NULL);
	for (i = 0; i < cfg->ntiers; i++) {
		if (strcasecmp(cfg->tiers[i].name, name) == 0)
			return (&cfg->tiers[i]);
	}
	return (NULL);
}

void
support_tiers_names(const struct config *cfg, struct buf *b)
{
	size_t	 i;

	for (i = 0; i < cfg->ntiers; i++)
		buf_printf(b, "%s%s", i > 0 ? ", " : "", cfg->tiers[i].name);
}

/* support_tier_find, for the loader that changes what it finds. */
static struct support_tier_def *
tier_find_mut(struct config *cfg, const char *name)
{
	size_t	 i;

	for (i = 0; i < cfg->ntiers; i++) {
		if (strcasecmp(cfg->tiers[i].name, name) == 0)
			return (&cfg->tiers[i]);
	}
	return (NULL);
}

/* Letters, digits, '-' and '_', 1 to SUPPORT_TIER_NAME_MAX of them. */
static int
tier_name_ok(const char *s, size_t len)
{
	size_t	 i;

	if (len == 0 || len > SUPPORT_TIER_NAME_MAX || strlen(s) != len)
		return (0);
	for (i = 0; i < len; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
		    s[i] == '_'))
			return (0);
	}
	return (1);
}

/*
 * One tier's mapping into t; seen gets bit 0 for hours and bit p + 1
 * for each priority's time given.
 */
static int
tload_tier(struct config_at *at, struct support_tier_def *t, yaml_node_t *n,
    unsigned *seen)
{
	yaml_node_pair_t	*pair;
	yaml_node_t		*k, *v;
	const char		*key, *text = NULL;
	int64_t			 ms;
	int			 p;

	*seen = 0;
	if (n->type != YAML_MAPPING_NODE)
		return (config_at_error(at, n, NULL, "expected a mapping of "
		    "hours, critical, high, medium, low"));
	for (pair = n->data.mapping.pairs.start;
	    pair < n->data.mapping.pairs.top; pair++) {
		k = yaml_document_get_node(at->doc, pair->key);
		v = yaml_document_get_node(at->doc, pair->value);
		if (k == NULL || v == NULL || k->type != YAML_SCALAR_NODE ||
		    strlen((const char *)k->data.scalar.value) !=
		    k->data.scalar.length)
			return (config_at_error(at, k != NULL ? k : n, NULL,
			    "keys must be plain names"));
		key = (const char *)k->data.scalar.value;
		if (strcmp(key, "hours") == 0) {
			if (config_at_scalar(at, v, key, &text) != 0)
				return (-1);
			if (support_week_parse(text, &t->week) != 0)
				return (config_at_error(at, v, key, "'%s' is "
				    "not 24x5 or 24x7", text));
			*seen |= 1;
			continue;
		}
		for (p = 0; p < SUPPORT_NPRIORITIES; p++) {
			if (strcmp(key, tier_priority_keys[p]) == 0)
				break;
		}
		if (p == SUPPORT_NPRIORITIES)
			return (config_at_error(at, k, NULL, "unknown key '%s' "
			    "(hours, critical, high, medium, low)", key));
		if (config_at_scalar(at, v, key, &text) != 0)
			return (-1);
		if (support_duration_parse(text, &ms) != 0 ||
		    ms > SUPPORT_RESPONSE_MAX_MS)
			return (config_at_error(at, v, key, "'%s' is not a "
			    "response time such as 30m, 4h or 1d (at most "
			    "366d)", text));
		t->response_ms[p] = ms;
		*seen |= 1u << (p + 1);
	}
	return (0);
}

int
support_tiers_load(struct config *cfg, struct yaml_document_s *doc,
    struct yaml_node_s *n, const char *file, char **cause)
{
	struct support_tier_def	 t, *found;
	struct config_at	 at;
	yaml_node_pair_t	*pair;
	yaml_node_t		*k, *v;
	const char		*name;
	unsigned		 seen,
	    all = (1u << (SUPPORT_NPRIORITIES + 1)) - 1;
	int			 p;

	config_at_init(&at, doc, file, cause, "support_tiers");
	support_tiers_default(cfg);
	if (n->type != YAML_MAPPING_NODE)
		return (config_at_error(&at, n, NULL, "expected a mapping of "
		    "tier names to {hours, critical, high, medium, low}"));
	for (pair = n->data.mapping.pairs.start;
	    pair < n->data.mapping.pairs.top; pair++) {
		config_at_leave(&at);
		k = yaml_document_get_node(doc, pair->key);
		v = yaml_document_get_node(doc, pair->value);
		if (k == NULL || v == NULL || k->type != YAML_SCALAR_NODE)
			goto bad_name;
		name = (const char *)k->data.scalar.value;
		if (!tier_name_ok(name, k->data.scalar.length))
			goto bad_name;
		config_at_entry(&at, "support_tiers.%s", name);
		if ((found = tier_find_mut(cfg, name)) != NULL) {
			/* A default, or one listed twice: what is given. */
			t = *found;
			if (tload_tier(&at, &t, v, &seen) != 0)
				goto fail;
			t.name = found->name;
			*found = t;
			continue;
		}
		if (cfg->ntiers == SUPPORT_TIERS_MAX) {
			config_at_error(&at, k, NULL, "more than %d tiers",
			    SUPPORT_TIERS_MAX);
			goto fail;
		}
		memset(&t, 0, sizeof t);
		if (tload_tier(&at, &t, v, &seen) != 0)
			goto fail;
		if (seen != all) {
			/* named as a config lists them: critical first */
			p = SUPPORT_NPRIORITIES - 1;
			if ((seen & 1) != 0) {
				while (p > 0 && (seen & (1u << (p + 1))) != 0)
					p--;
			}
			config_at_error(&at, v, (seen & 1) == 0 ? "hours" :
			    tier_priority_keys[p], "missing: a new tier gives "
			    "hours and all four response times");
			goto fail;
		}
		t.name = xstrdup(name);
		cfg->tiers = xreallocarray(cfg->tiers, cfg->ntiers + 1,
		    sizeof *cfg->tiers);
		cfg->tiers[cfg->ntiers++] = t;
	}
	return (0);

bad_name:
	config_at_error(&at, k != NULL ? k : n, NULL, "tier names are 1 to %d "
	    "letters, digits, '-' or '_'", SUPPORT_TIER_NAME_MAX);
fail:
	support_tiers_default(cfg);
	return (-1);
}
