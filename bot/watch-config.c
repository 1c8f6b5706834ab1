/*
 * watch-config.c: the config's `watches:` list (watch.h). Every error
 * names file:line:column and the key; a bad regex is placed where PCRE2
 * says it is wrong.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "bot/bot.h"
#include "bot/page.h"
#include "bot/tz.h"
#include "bot/watch.h"

struct wload {
	yaml_document_t	*doc;
	const char	*file;
	char		**cause;
	struct watch_set *set;
};

static int	werror(struct wload *, const yaml_node_t *, size_t,
		    const char *, ...) PRINTFLIKE(4, 5);

/* A positioned error; extra moves the column right (inside a scalar). */
static int
werror(struct wload *wl, const yaml_node_t *n, size_t extra,
    const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	config_node_verror(wl->cause, wl->file, n, extra, fmt, ap);
	va_end(ap);
	return (-1);
}

/* A scalar's text (borrowed from the document), or -1. */
static int
scalar(struct wload *wl, yaml_node_t *n, const char *key, const char **out)
{
	const char	*v;

	if (n->type != YAML_SCALAR_NODE)
		return (werror(wl, n, 0, "watches: %s: expected a single "
		    "value", key));
	v = (const char *)n->data.scalar.value;
	if (strlen(v) != n->data.scalar.length)
		return (werror(wl, n, 0, "watches: %s: contains a NUL byte",
		    key));
	*out = v;
	return (0);
}

int
watch_duration_parse(const char *s, int64_t *ms)
{
	char		*end;
	long long	 v;
	int64_t		 unit;

	errno = 0;
	if (!isdigit((unsigned char)*s))
		return (-1);
	v = strtoll(s, &end, 10);
	if (errno != 0 || v < 0 || v > 366LL * 24 * 3600)
		return (-1);
	if (strcmp(end, "") == 0 && v == 0)
		unit = 0;
	else if (strcmp(end, "s") == 0)
		unit = 1000;
	else if (strcmp(end, "m") == 0)
		unit = 60 * 1000;
	else if (strcmp(end, "h") == 0)
		unit = 3600 * 1000;
	else if (strcmp(end, "d") == 0)
		unit = 24 * 3600 * 1000;
	else
		return (-1);
	*ms = (int64_t)v * unit;
	return (0);
}

/* The template's placeholders: anything else in braces is an error. */
static const char *const watch_placeholders[] = {
	"user", "channel", "severity", "rule", NULL
};

static int
check_template(struct wload *wl, yaml_node_t *n, const char *t)
{
	const char	*p, *close;
	size_t		 i, len;

	for (p = t; (p = strchr(p, '{')) != NULL; p++) {
		if ((close = strchr(p, '}')) == NULL)
			break;
		len = (size_t)(close - p - 1);
		for (i = 0; watch_placeholders[i] != NULL; i++) {
			if (strlen(watch_placeholders[i]) == len &&
			    strncmp(p + 1, watch_placeholders[i], len) == 0)
				break;
		}
		if (watch_placeholders[i] == NULL)
			return (werror(wl, n, 0, "watches: text: unknown "
			    "placeholder '%.*s' (known: {user}, {channel}, "
			    "{severity}, {rule})", (int)(len + 2), p));
	}
	return (0);
}

/*
 * Column of byte off of a scalar's value in the file: exact for a
 * plain or quoted scalar on one line without escapes, else the
 * scalar's start.
 */
static size_t
scalar_offset(const yaml_node_t *n, size_t off)
{
	/* yaml_compose keeps start marks only: a newline says "folded" */
	if (strchr((const char *)n->data.scalar.value, '\n') != NULL)
		return (0);
	switch (n->data.scalar.style) {
	case YAML_PLAIN_SCALAR_STYLE:
		return (off);
	case YAML_SINGLE_QUOTED_SCALAR_STYLE:
	case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
		return (off + 1);
	default:
		return (0);
	}
}

/* Compiles one regex alone, so its error points into the file. */
static int
check_regex(struct wload *wl, yaml_node_t *n, const char *re, size_t skip)
{
	pcre2_code	*code;
	char		*why = NULL, *colon;
	unsigned long	 col;

	if (*re == '\0')
		return (werror(wl, n, 0, "watches: regex: empty pattern"));
	if ((code = re_compile(re, PCRE2_CASELESS, &why)) != NULL) {
		pcre2_code_free(code);
		return (0);
	}
	/* "column N: message" */
	col = strtoul(why + strlen("column "), &colon, 10);
	werror(wl, n, scalar_offset(n, skip + (col > 0 ? col - 1 : 0)),
	    "watches: bad regex '%s': %s", re, colon != NULL &&
	    strncmp(colon, ": ", 2) == 0 ? colon + 2 : why);
	free(why);
	return (-1);
}

/* Words: at least one character that is not space. */
static int
check_words(struct wload *wl, yaml_node_t *n, const char *w)
{
	for (; *w != '\0'; w++) {
		if (!isspace((unsigned char)*w))
			return (0);
	}
	return (werror(wl, n, 0, "watches: pattern: empty"));
}

/* One entry of `patterns:`: "words", "regex:...", or {regex: ...}. */
static int
load_pattern(struct wload *wl, struct watch_rule *r, yaml_node_t *n)
{
	struct watch_pattern	*p;
	yaml_node_pair_t	*pair;
	yaml_node_t		*k, *v;
	const char		*text = NULL, *key = NULL;
	size_t			 skip = 0;
	int			 is_regex = 0;

	if (n->type == YAML_MAPPING_NODE) {
		pair = n->data.mapping.pairs.start;
		if (n->data.mapping.pairs.top - pair != 1)
			return (werror(wl, n, 0, "watches: pattern: expected "
			    "words or {regex: ...}"));
		k = yaml_document_get_node(wl->doc, pair->key);
		v = yaml_document_get_node(wl->doc, pair->value);
		if (k == NULL || v == NULL || scalar(wl, k, "pattern",
		    &key) != 0)
			return (-1);
		if (strcmp(key, "regex") != 0)
			return (werror(wl, k, 0, "watches: pattern: unknown "
			    "key '%s' (only regex)", key));
		if (scalar(wl, v, "regex", &text) != 0)
			return (-1);
		n = v;
		is_regex = 1;
	} else {
		if (scalar(wl, n, "patterns", &text) != 0)
			return (-1);
		if (strncmp(text, "regex:", 6) == 0) {
			is_regex = 1;
			skip = 6;
			while (text[skip] == ' ')
				skip++;
			text += skip;
		}
	}
	if (is_regex && check_regex(wl, n, text, skip) != 0)
		return (-1);
	if (!is_regex && check_words(wl, n, text) != 0)
		return (-1);
	r->patterns = xreallocarray(r->patterns, r->npatterns + 1,
	    sizeof *r->patterns);
	p = &r->patterns[r->npatterns++];
	p->text = xstrdup(text);
	p->is_regex = is_regex;
	return (0);
}

static int
load_patterns(struct wload *wl, struct watch_rule *r, yaml_node_t *v)
{
	yaml_node_item_t	*it;
	yaml_node_t		*item;

	if (v->type != YAML_SEQUENCE_NODE)
		return (load_pattern(wl, r, v));
	for (it = v->data.sequence.items.start;
	    it < v->data.sequence.items.top; it++) {
		if ((item = yaml_document_get_node(wl->doc, *it)) == NULL ||
		    load_pattern(wl, r, item) != 0)
			return (-1);
	}
	return (0);
}

static int
load_bool(struct wload *wl, yaml_node_t *v, const char *key, int *out)
{
	const char	*s = NULL;

	if (scalar(wl, v, key, &s) != 0)
		return (-1);
	if (strcmp(s, "true") == 0 || strcmp(s, "yes") == 0)
		*out = 1;
	else if (strcmp(s, "false") == 0 || strcmp(s, "no") == 0)
		*out = 0;
	else
		return (werror(wl, v, 0, "watches: %s: '%s' is not true or "
		    "false", key, s));
	return (0);
}

/* One key of `active:`. */
static int
load_active_key(struct wload *wl, struct watch_active *a, yaml_node_t *k,
    yaml_node_t *v, const char *key)
{
	const char	*s = NULL;
	char		*why = NULL;
	size_t		 off = 0;

	if (scalar(wl, v, key, &s) != 0)
		return (-1);
	if (strcmp(key, "days") == 0) {
		if (watch_days_parse(s, &a->days, &off) != 0)
			return (werror(wl, v, scalar_offset(v, off), "watches: "
			    "active: days: '%s' is not days such as mon-fri "
			    "or sat,sun", s));
	} else if (strcmp(key, "hours") == 0) {
		if (watch_hours_parse(s, &a->start_min, &a->end_min,
		    &off) != 0)
			return (werror(wl, v, scalar_offset(v, off), "watches: "
			    "active: hours: '%s' is not HH:MM-HH:MM such as "
			    "08:00-18:00 or 22:00-06:00", s));
	} else if (strcmp(key, "timezone") == 0) {
		if (tz_check(s, &why) != 0) {
			werror(wl, v, 0, "watches: active: timezone: %s", why);
			free(why);
			return (-1);
		}
		free(a->tz);
		a->tz = xstrdup(s);
	} else
		return (werror(wl, k, 0, "watches: active: unknown key '%s' "
		    "(known: days, hours, timezone)", key));
	return (0);
}

/* `active: {days: mon-fri, hours: "08:00-18:00", timezone: ...}` */
static int
load_active(struct wload *wl, struct watch_active *a, yaml_node_t *n)
{
	yaml_node_pair_t	*pair;
	yaml_node_t		*k, *v;
	const char		*key = NULL;
	int			 times = 0;

	if (n->type != YAML_MAPPING_NODE)
		return (werror(wl, n, 0, "watches: active: expected a mapping "
		    "such as {days: mon-fri, hours: \"08:00-18:00\"}"));
	a->set = 1;
	a->days = WATCH_ALL_DAYS;
	a->start_min = 0;
	a->end_min = 24 * 60;
	for (pair = n->data.mapping.pairs.start;
	    pair < n->data.mapping.pairs.top; pair++) {
		k = yaml_document_get_node(wl->doc, pair->key);
		v = yaml_document_get_node(wl->doc, pair->value);
		if (k == NULL || v == NULL || scalar(wl, k, "active",
		    &key) != 0)
			return (-1);
		if (load_active_key(wl, a, k, v, key) != 0)
			return (-1);
		if (strcmp(key, "days") == 0 || strcmp(key, "hours") == 0)
			times = 1;
	}
	if (!times)
		return (werror(wl, n, 0, "watches: active: needs days:, "
		    "hours: or both"));
	return (0);
}

/* One key of a rule. */
static int
load_key(struct wload *wl, struct watch_rule *r, yaml_node_t *k,
    yaml_node_t *v, const char *key)
{
	const char	*s = NULL;

	if (strcmp(key, "patterns") == 0 || strcmp(key, "pattern") == 0)
		return (load_patterns(wl, r, v));
	if (strcmp(key, "bots") == 0)
		return (load_bool(wl, v, key, &r->bots));
	if (strcmp(key, "active") == 0)
		return (load_active(wl, &r->active, v));
	if (scalar(wl, v, key, &s) != 0)
		return (-1);
	if (strcmp(key, "name") == 0) {
		if (*s == '\0')
			return (werror(wl, v, 0, "watches: name: empty"));
		free(r->name);
		r->name = xstrdup(s);
	} else if (strcmp(key, "channel") == 0) {
		if (*s == '\0' || strcmp(s, "#") == 0 || strchr(s, ' '))
			return (werror(wl, v, 0, "watches: channel: '%s' is "
			    "not a channel ID or name", s));
		free(r->channel);
		r->channel = xstrdup(s);
	} else if (strcmp(key, "text") == 0) {
		if (check_template(wl, v, s) != 0)
			return (-1);
		free(r->text);
		r->text = xstrdup(s);
	} else if (strcmp(key, "section") == 0) {
		free(r->section);
		r->section = xstrdup(s);
	} else if (strcmp(key, "in") == 0) {
		if (strcmp(s, "thread") == 0)
			r->in_channel = 0;
		else if (strcmp(s, "channel") == 0)
			r->in_channel = 1;
		else
			return (werror(wl, v, 0, "watches: in: '%s' is not "
			    "thread or channel", s));
	} else if (strcmp(key, "cooldown") == 0) {
		if (watch_duration_parse(s, &r->cooldown_ms) != 0)
			return (werror(wl, v, 0, "watches: cooldown: '%s' is "
			    "not a duration such as 90s, 10m, 2h or 0", s));
	} else if (strcmp(key, "severity") == 0) {
		free(r->severity);
		r->severity = xstrdup(s);
	} else if (strcmp(key, "page") == 0) {
		/* the rotation is checked once all is read: watch-page.c */
		if (*s == '\0')
			return (werror(wl, v, 0, "watches: page: empty"));
		free(r->page);
		r->page = xstrdup(s);
		r->page_line = v->start_mark.line + 1;
		r->page_column = v->start_mark.column + 1;
	} else if (strcmp(key, "page_severity") == 0) {
		if (page_severity_name(s) == NULL)
			return (werror(wl, v, 0, "watches: page_severity: '%s' "
			    "is not critical, high, medium or low", s));
		free(r->page_severity);
		r->page_severity = xstrdup(page_severity_name(s));
	} else
		return (werror(wl, k, 0, "watches: unknown key '%s' (known: "
		    "name, channel, patterns, text, section, in, cooldown, "
		    "severity, bots, active, page, page_severity)", key));
	return (0);
}

/* "#ops" and "ops" are one channel (as watch_chan_find has it). */
static const char *
chan_norm(const char *channel)
{
	return (channel[0] == '#' ? channel + 1 : channel);
}

static void
rule_release(struct watch_rule *r)
{
	size_t	 i;

	free(r->name);
	free(r->channel);
	for (i = 0; i < r->npatterns; i++)
		free(r->patterns[i].text);
	free(r->patterns);
	free(r->text);
	free(r->section);
	free(r->severity);
	free(r->page);
	free(r->page_severity);
	free(r->active.tz);
}

static int
load_rule(struct wload *wl, yaml_node_t *n)
{
	struct watch_set	*set = wl->set;
	struct watch_rule	*r;
	yaml_node_pair_t	*pair;
	yaml_node_t		*k, *v;
	const char		*key = NULL;
	size_t			 i;

	if (n->type != YAML_MAPPING_NODE)
		return (werror(wl, n, 0, "watches: each rule must be a "
		    "mapping (channel:, patterns:, text: ...)"));
	if (set->nrules >= WATCH_MAX_RULES)
		return (werror(wl, n, 0, "watches: more than %d rules",
		    WATCH_MAX_RULES));
	set->rules = xreallocarray(set->rules, set->nrules + 1,
	    sizeof *set->rules);
	r = &set->rules[set->nrules++];
	memset(r, 0, sizeof *r);
	r->cooldown_ms = WATCH_DEFAULT_COOLDOWN_MS;
	r->line = n->start_mark.line + 1;
	for (pair = n->data.mapping.pairs.start;
	    pair < n->data.mapping.pairs.top; pair++) {
		k = yaml_document_get_node(wl->doc, pair->key);
		v = yaml_document_get_node(wl->doc, pair->value);
		if (k == NULL || v == NULL)
			return (werror(wl, n, 0, "watches: bad rule"));
		if (k->type != YAML_SCALAR_NODE || scalar(wl, k, "key",
		    &key) != 0)
			return (werror(wl, k, 0, "watches: keys must be plain "
			    "names"));
		if (load_key(wl, r, k, v, key) != 0)
			return (-1);
	}
	if (r->channel == NULL)
		return (werror(wl, n, 0, "watches: a rule needs channel:"));
	if (r->npatterns == 0)
		return (werror(wl, n, 0, "watches: a rule needs patterns:"));
	if (r->text == NULL && r->section == NULL && r->page == NULL)
		return (werror(wl, n, 0, "watches: a rule needs text:, "
		    "section:, page: or some of them"));
	if (r->name == NULL)
		r->name = xstrdup(r->patterns[0].text);
	for (i = 0; i + 1 < set->nrules; i++) {
		if (strcasecmp(set->rules[i].name, r->name) == 0 &&
		    strcasecmp(chan_norm(set->rules[i].channel),
		    chan_norm(r->channel)) == 0)
			return (werror(wl, n, 0, "watches: rule '%s' is in "
			    "%s twice (line %zu); give one a name:", r->name,
			    r->channel, set->rules[i].line));
	}
	if (r->bots)
		set->bots = 1;
	return (0);
}

struct watch_set *
watch_config_load(struct yaml_document_s *doc, struct yaml_node_s *node,
    const char *file, char **cause)
{
	struct wload		 wl;
	yaml_node_item_t	*it;
	yaml_node_t		*item;
	char			*why = NULL;

	memset(&wl, 0, sizeof wl);
	wl.doc = doc;
	wl.file = file;
	wl.cause = cause;
	wl.set = xcalloc(1, sizeof *wl.set);
	if (node->type != YAML_SEQUENCE_NODE) {
		werror(&wl, node, 0, "watches: expected a list of rules");
		goto fail;
	}
	for (it = node->data.sequence.items.start;
	    it < node->data.sequence.items.top; it++) {
		if ((item = yaml_document_get_node(doc, *it)) == NULL ||
		    load_rule(&wl, item) != 0)
			goto fail;
	}
	if (watch_compile(wl.set, &why) != 0) {
		werror(&wl, node, 0, "watches: %s", why);
		free(why);
		goto fail;
	}
	return (wl.set);
fail:
	watch_set_free(wl.set);
	return (NULL);
}

void
watch_set_free(struct watch_set *set)
{
	struct watch_chan	*c;
	size_t			 i;

	if (set == NULL)
		return;
	for (i = 0; i < set->nrules; i++)
		rule_release(&set->rules[i]);
	free(set->rules);
	for (i = 0; i < set->nchans; i++) {
		c = &set->chans[i];
		free(c->channel);
		free(c->rules);
		free(c->source);
		pcre2_code_free(c->re);
		pcre2_match_data_free(c->md);
		pcre2_match_context_free(c->mctx);
	}
	free(set->chans);
	free(set);
}

int
watch_check_sections(const struct watch_set *set,
    const struct runbook_set *rb, const char *file, char **cause)
{
	const struct watch_rule	*r;
	size_t			*ids = NULL, i, n;

	for (i = 0; set != NULL && i < set->nrules; i++) {
		r = &set->rules[i];
		if (r->section == NULL)
			continue;
		n = runbook_find(rb, r->section, NULL, &ids);
		free(ids);
		ids = NULL;
		if (n == 0) {
			xasprintf(cause, "%s:%zu:1: watches: rule '%s': "
			    "section '%s' names no runbook section", file,
			    r->line, r->name, r->section);
			return (-1);
		}
	}
	return (0);
}
