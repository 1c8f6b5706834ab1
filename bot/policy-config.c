/*
 * policy-config.c: the `escalation_policies:` list of the YAML config
 * and the built-in `default` policy (bot/page.h). Errors name
 * file:line:column and the key, as config.c's do.
 *
 *   escalation_policies:
 *     - name: vault
 *       ack_deadline: 15m
 *       business_hours: {days: mon-fri, hours: "08:00-18:00"}
 *       steps:
 *         - {after: 10m, action: remind}
 *         - {after: 15m, action: manager}
 *         - {after: 30m, post: "#vault-leads"}
 *       needhelp:
 *         - {after: 0m, action: admin}
 *         - {after: 10m, action: manager}
 *         - {after: 10m, vendor: hashicorp, only: critical}
 */
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "bot/config.h"
#include "bot/runbook.h"
#include "bot/page.h"

#define MIN_MS	INT64_C(60000)

const struct esc_policy policy_default = {
	.name = "default",
	.ack_ms = 15 * MIN_MS,
	.steps = {
		/* 001_*: acknowledge within 15 minutes */
		{ 10 * MIN_MS, PAGE_REMIND, "", 0, 0, 0 },
		{ 15 * MIN_MS, PAGE_MANAGER, "", 0, 0, 0 },
	},
	.nsteps = 2,
	.help = {
		/* post in vault-admin with an @here ... */
		{ 0, PAGE_ADMIN, "", 0, 0, 0 },
		/* no response after 10 minutes: your manager */
		{ 10 * MIN_MS, PAGE_MANAGER, "", 0, 0, 0 },
		/* critical to production: an urgent HashiCorp ticket */
		{ 10 * MIN_MS, PAGE_VENDOR, "hashicorp", 1, 0, 0 },
	},
	.nhelp = 3,
	.hours = { 1, 0x1f, 8 * 60, 18 * 60, NULL },
};

static const char *const action_names[] = {
	"remind", "next", "manager", "admin", "post", "vendor"
};

const char *
page_action_name(enum page_action a)
{
	if ((size_t)a < sizeof action_names / sizeof action_names[0])
		return (action_names[a]);
	return ("?");
}

struct pload {
	struct config_at at;	/* "escalation_policies[i]" */
	size_t		 i;	/* the policy read */
};

/* A short name into dst (POLICY_NAME_MAX with its NUL). */
static int
pname(struct pload *pl, yaml_node_t *n, const char *key, char *dst)
{
	const char	*v = NULL;

	if (config_at_text(&pl->at, n, key, &v) != 0)
		return (-1);
	if (strlen(v) >= POLICY_NAME_MAX)
		return (config_at_error(&pl->at, n, key, "longer than %d "
		    "bytes", POLICY_NAME_MAX - 1));
	memcpy(dst, v, strlen(v) + 1);
	return (0);
}

/* A duration up to POLICY_AFTER_MAX_MS ("0" allowed when zero_ok). */
static int
pduration(struct pload *pl, yaml_node_t *n, const char *key, int zero_ok,
    int64_t *ms)
{
	const char	*v = NULL;

	if (config_at_text(&pl->at, n, key, &v) != 0)
		return (-1);
	if (watch_duration_parse(v, ms) != 0 || *ms > POLICY_AFTER_MAX_MS ||
	    (!zero_ok && *ms == 0))
		return (config_at_error(&pl->at, n, key, "'%s' is not a "
		    "duration such as 90s, 10m or 2h%s (at most 7d)", v,
		    zero_ok ? " or 0" : ""));
	return (0);
}

/* For "steps[2].after": the key path of a step's key. */
static void
step_key(char *buf, size_t len, const char *list, size_t j, const char *key)
{
	snprintf(buf, len, "%s[%zu].%s", list, j, key);
}

/* One key of a step. *acts counts the action keys seen. */
static int
pstep_key(struct pload *pl, struct policy_step *st, const char *list,
    size_t j, const char *key, yaml_node_t *v, int *acts, int *has_after)
{
	char		 path[96];
	const char	*text = NULL;
	size_t		 a;

	step_key(path, sizeof path, list, j, key);
	if (strcmp(key, "after") == 0) {
		*has_after = 1;
		return (pduration(pl, v, path, 1, &st->after_ms));
	}
	if (config_at_text(&pl->at, v, path, &text) != 0)
		return (-1);
	if (strcmp(key, "only") == 0) {
		if (strcmp(text, "critical") != 0)
			return (config_at_error(&pl->at, v, path, "'%s': the "
			    "only condition is `critical`", text));
		st->critical_only = 1;
		return (0);
	}
	if (strcmp(key, "action") == 0) {
		for (a = 0; a <= PAGE_ADMIN; a++) {
			if (strcmp(text, action_names[a]) == 0)
				break;
		}
		if (a > PAGE_ADMIN)
			return (config_at_error(&pl->at, v, path, "'%s' is not "
			    "one of remind, next, manager, admin (or write "
			    "post: \"#channel\" or vendor: <name>)", text));
		st->action = (enum page_action)a;
	} else if (strcmp(key, "post") == 0 || strcmp(key, "vendor") == 0) {
		if (pname(pl, v, path, st->arg) != 0)
			return (-1);
		st->action = key[0] == 'p' ? PAGE_POST : PAGE_VENDOR;
	} else
		return (config_at_error(&pl->at, v, path, "unknown key (after, "
		    "action, post, vendor, only)"));
	if (++*acts > 1)
		return (config_at_error(&pl->at, v, path, "a step does one "
		    "thing: one of action, post, vendor"));
	return (0);
}

static int
pstep(struct pload *pl, struct policy_step *st, const char *list, size_t j,
    yaml_node_t *n)
{
	yaml_node_pair_t	*pair;
	yaml_node_t		*k, *v;
	char			 path[96];
	int			 acts = 0, has_after = 0;

	memset(st, 0, sizeof *st);
	st->line = n->start_mark.line + 1;
	st->column = n->start_mark.column + 1;
	snprintf(path, sizeof path, "%s[%zu]", list, j);
	if (n->type != YAML_MAPPING_NODE)
		return (config_at_error(&pl->at, n, path, "expected a mapping "
		    "such as {after: 10m, action: remind}"));
	for (pair = n->data.mapping.pairs.start;
	    pair < n->data.mapping.pairs.top; pair++) {
		k = yaml_document_get_node(pl->at.doc, pair->key);
		v = yaml_document_get_node(pl->at.doc, pair->value);
		if (k == NULL || v == NULL || k->type != YAML_SCALAR_NODE ||
		    strlen((const char *)k->data.scalar.value) !=
		    k->data.scalar.length)
			return (config_at_error(&pl->at, k != NULL ? k : n,
			    path, "keys must be plain names"));
		if (pstep_key(pl, st, list, j, (const char *)
		    k->data.scalar.value, v, &acts, &has_after) != 0)
			return (-1);
	}
	if (!has_after)
		return (config_at_error(&pl->at, n, path, "missing after: "
		    "(10m: ten minutes after the page opened%s)",
		    strcmp(list, "needhelp") == 0 ? ", here after the "
		    "needhelp" : ""));
	if (acts == 0)
		return (config_at_error(&pl->at, n, path, "missing what to do: "
		    "action: remind|next|manager|admin, post: \"#channel\" or "
		    "vendor: <name>"));
	return (0);
}

static int
psteps(struct pload *pl, struct policy_step *v, size_t *nv, const char *list,
    yaml_node_t *n)
{
	yaml_node_item_t	*it;
	yaml_node_t		*item;
	size_t			 j = 0;

	if (n->type != YAML_SEQUENCE_NODE)
		return (config_at_error(&pl->at, n, list, "expected a list of "
		    "steps"));
	for (it = n->data.sequence.items.start;
	    it < n->data.sequence.items.top; it++, j++) {
		if (j == POLICY_STEPS_MAX)
			return (config_at_error(&pl->at, n, list, "more than "
			    "%d steps", POLICY_STEPS_MAX));
		if ((item = yaml_document_get_node(pl->at.doc, *it)) == NULL)
			return (config_at_error(&pl->at, n, list, "bad entry"));
		if (pstep(pl, &v[j], list, j, item) != 0)
			return (-1);
		if (j > 0 && v[j].after_ms < v[j - 1].after_ms)
			return (config_at_error(&pl->at, item, list, "step %zu "
			    "comes before step %zu: list the steps in the "
			    "order of their after:", j, j - 1));
	}
	*nv = j;
	return (0);
}

/* `business_hours: {days: mon-fri, hours: "08:00-18:00"}` */
static int
phours(struct pload *pl, struct watch_active *a, yaml_node_t *n)
{
	yaml_node_pair_t	*pair;
	yaml_node_t		*k, *v;
	const char		*key, *text = NULL;
	size_t			 off;
	int			 days = 0, hours = 0;

	if (n->type != YAML_MAPPING_NODE)
		return (config_at_error(&pl->at, n, "business_hours",
		    "expected a mapping such as {days: mon-fri, hours: "
		    "\"08:00-18:00\"}"));
	for (pair = n->data.mapping.pairs.start;
	    pair < n->data.mapping.pairs.top; pair++) {
		k = yaml_document_get_node(pl->at.doc, pair->key);
		v = yaml_document_get_node(pl->at.doc, pair->value);
		if (k == NULL || v == NULL || k->type != YAML_SCALAR_NODE)
			return (config_at_error(&pl->at, n, "business_hours",
			    "keys must be plain names"));
		key = (const char *)k->data.scalar.value;
		if (config_at_text(&pl->at, v, "business_hours", &text) != 0)
			return (-1);
		if (strcmp(key, "days") == 0) {
			if (watch_days_parse(text, &a->days, &off) != 0)
				return (config_at_error(&pl->at, v,
				    "business_hours.days", "'%s' is not days "
				    "such as mon-fri", text));
			days = 1;
		} else if (strcmp(key, "hours") == 0) {
			if (watch_hours_parse(text, &a->start_min,
			    &a->end_min, &off) != 0)
				return (config_at_error(&pl->at, v,
				    "business_hours.hours", "'%s' is not "
				    "HH:MM-HH:MM such as 08:00-18:00", text));
			hours = 1;
		} else
			return (config_at_error(&pl->at, k, "business_hours",
			    "unknown key '%s' (days, hours; the zone is the "
			    "rotation's)", key));
	}
	if (!days || !hours)
		return (config_at_error(&pl->at, n, "business_hours", "needs "
		    "days: and hours:"));
	a->set = 1;
	a->tz = NULL;
	return (0);
}

static int
policy_entry(struct pload *pl, struct esc_policy *p, yaml_node_t *n)
{
	yaml_node_pair_t	*pair;
	yaml_node_t		*k, *v;
	const char		*key;
	int			 has_steps = 0;

	memset(p, 0, sizeof *p);
	p->ack_ms = policy_default.ack_ms;
	p->hours = policy_default.hours;
	if (n->type != YAML_MAPPING_NODE)
		return (config_at_list_error(&pl->at, n,
		    "escalation_policies[%zu]: expected a mapping (name, "
		    "ack_deadline, steps, ...)", pl->i));
	for (pair = n->data.mapping.pairs.start;
	    pair < n->data.mapping.pairs.top; pair++) {
		k = yaml_document_get_node(pl->at.doc, pair->key);
		v = yaml_document_get_node(pl->at.doc, pair->value);
		if (k == NULL || v == NULL || k->type != YAML_SCALAR_NODE ||
		    strlen((const char *)k->data.scalar.value) !=
		    k->data.scalar.length)
			return (config_at_list_error(&pl->at, k != NULL ? k :
			    n, "keys must be plain names"));
		key = (const char *)k->data.scalar.value;
		if (strcmp(key, "name") == 0) {
			if (pname(pl, v, key, p->name) != 0)
				return (-1);
		} else if (strcmp(key, "ack_deadline") == 0) {
			if (pduration(pl, v, key, 0, &p->ack_ms) != 0)
				return (-1);
		} else if (strcmp(key, "steps") == 0) {
			if (psteps(pl, p->steps, &p->nsteps, key, v) != 0)
				return (-1);
			has_steps = 1;
		} else if (strcmp(key, "needhelp") == 0) {
			if (psteps(pl, p->help, &p->nhelp, key, v) != 0)
				return (-1);
		} else if (strcmp(key, "business_hours") == 0) {
			if (phours(pl, &p->hours, v) != 0)
				return (-1);
		} else
			return (config_at_list_error(&pl->at, k,
			    "escalation_policies[%zu]: unknown key '%s' (name, "
			    "ack_deadline, steps, needhelp, business_hours)",
			    pl->i, key));
	}
	if (p->name[0] == '\0')
		return (config_at_error(&pl->at, n, "name", "missing: the name "
		    "rotations give as their policy"));
	if (!has_steps)
		return (config_at_error(&pl->at, n, "steps", "missing: the "
		    "escalation steps, e.g. [{after: 10m, action: remind}]"));
	return (0);
}

int
policy_config_load(struct config *cfg, struct yaml_document_s *doc,
    struct yaml_node_s *n, const char *file, char **cause)
{
	struct esc_policy	*v = NULL;
	struct pload		 pl;
	yaml_node_item_t	*it;
	yaml_node_t		*item;
	size_t			 nv = 0, j;

	memset(&pl, 0, sizeof pl);
	config_at_init(&pl.at, doc, file, cause, "escalation_policies");
	if (n->type != YAML_SEQUENCE_NODE)
		return (config_at_list_error(&pl.at, n, "expected a list of "
		    "policies"));
	for (it = n->data.sequence.items.start;
	    it < n->data.sequence.items.top; it++) {
		if (nv == POLICY_MAX) {
			config_at_list_error(&pl.at, n, "more than %d "
			    "policies", POLICY_MAX);
			goto fail;
		}
		if ((item = yaml_document_get_node(doc, *it)) == NULL) {
			config_at_list_error(&pl.at, n, "bad entry");
			goto fail;
		}
		pl.i = nv;
		config_at_entry(&pl.at, "escalation_policies[%zu]", nv);
		v = xreallocarray(v, nv + 1, sizeof *v);
		nv++;
		if (policy_entry(&pl, &v[nv - 1], item) != 0)
			goto fail;
		for (j = 0; j + 1 < nv; j++) {
			if (strcmp(v[j].name, v[nv - 1].name) == 0) {
				config_at_error(&pl.at, item, "name", "'%s' is "
				    "listed twice", v[j].name);
				goto fail;
			}
		}
	}
	policy_config_free(cfg);
	cfg->policies = v;
	cfg->npolicies = nv;
	return (0);

fail:
	free(v);
	return (-1);
}

/* One policy's list: 0, or -1 with *cause. */
static int
check_vendors(const struct esc_policy *p, const struct policy_step *v,
    size_t n, const struct runbook_set *rb, const char *file, char **cause)
{
	size_t	*ids = NULL, i, found;

	for (i = 0; i < n; i++) {
		if (v[i].action != PAGE_VENDOR)
			continue;
		found = runbook_find(rb, v[i].arg, "escalation", &ids);
		free(ids);
		ids = NULL;
		if (found > 0)
			continue;
		if (v[i].line == 0) {
			/* runbooks without it still run: the page says so */
			log_warnx("escalation policy '%s' (built in): no "
			    "escalation section '%s' in the runbooks (see "
			    "config/runbooks/escalation.md); a critical page's "
			    "needhelp will say so instead", p->name, v[i].arg);
			continue;
		}
		xasprintf(cause, "%s:%zu:%zu: escalation_policies: policy "
		    "'%s': vendor '%s' names no escalation section of the "
		    "runbooks (`!escalate %s` finds none)", file, v[i].line,
		    v[i].column, p->name, v[i].arg, v[i].arg);
		return (-1);
	}
	return (0);
}

int
policy_check_vendors(const struct config *cfg, const struct runbook_set *rb,
    const char *file, char **cause)
{
	const struct esc_policy	*p;
	size_t			 i;

	if (rb == NULL)
		return (0);
	for (i = 0; i <= cfg->npolicies; i++) {
		p = i < cfg->npolicies ? &cfg->policies[i] :
		    policy_find(cfg, "default");
		if (i == cfg->npolicies && p != &policy_default)
			break;
		if (check_vendors(p, p->steps, p->nsteps, rb, file,
		    cause) != 0 || check_vendors(p, p->help, p->nhelp, rb,
		    file, cause) != 0)
			return (-1);
	}
	return (0);
}

void
policy_config_free(struct config *cfg)
{
	free(cfg->policies);
	cfg->policies = NULL;
	cfg->npolicies = 0;
}

const struct esc_policy *
policy_find(const struct config *cfg, const char *name)
{
	size_t	 i;

	if (name == NULL)
		name = "default";
	for (i = 0; i < cfg->npolicies; i++) {
		if (strcmp(cfg->policies[i].name, name) == 0)
			return (&cfg->policies[i]);
	}
	if (strcmp(name, "default") == 0)
		return (&policy_default);
	return (NULL);
}

void
policy_config_reference(FILE *f)
{
	fprintf(f, "# escalation_policies\n#   Escalation policies of pages, "
	    "a list of: name, ack_deadline (default 15m), steps (a list of "
	    "{after: <duration from the page's opening>, and one of action: "
	    "remind|next|manager|admin, post: \"#channel\", vendor: <the "
	    "escalation section, as !escalate names it>; only: critical}), "
	    "needhelp (steps as above, after counted from the needhelp), "
	    "business_hours ({days: mon-fri, hours: \"08:00-18:00\"}, in the "
	    "rotation's zone: outside them a manager step says to phone); "
	    "README \"Pages and escalation\"\n#   default: the built-in "
	    "`default`: remind at 10m, manager at 15m (ack deadline 15m); "
	    "needhelp: admin channel @here at once, manager at 10m, vendor "
	    "hashicorp at 10m for critical pages\n");
}
