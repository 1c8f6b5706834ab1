/*
 * duty-config.c: each rotation's `duties:` (bot/duty.h). Read after
 * rotation-config.c has read the rotations (it skips the key), so a
 * duty knows its rotation whatever the order of the keys. Errors name
 * file:line:column and the key, as config.c's do.
 */
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "bot/config.h"
#include "bot/duty.h"
#include "bot/oncall.h"
#include "bot/watch.h"

static const char duty_keys[] = "name, what, weekdays, weekends, days, "
    "times, missed_after, channel";

struct dload {
	struct config_at at;	/* "rotations[rot].duties[i]" */
	long		 rot, i;
};

/* Adds minute m to day wday, kept ascending and without repeats. */
static int
dload_add_time(struct dload *dl, yaml_node_t *n, const char *key,
    struct duty *d, int wday, int m)
{
	size_t	 i, j;

	for (i = 0; i < d->ntimes[wday] && d->times[wday][i] < m; i++)
		;
	if (i < d->ntimes[wday] && d->times[wday][i] == m)
		return (0);
	if (d->ntimes[wday] == DUTY_TIMES_MAX)
		return (config_at_error(&dl->at, n, key, "more than %d times a "
		    "day", DUTY_TIMES_MAX));
	for (j = d->ntimes[wday]; j > i; j--)
		d->times[wday][j] = d->times[wday][j - 1];
	d->times[wday][i] = m;
	d->ntimes[wday]++;
	return (0);
}

/* One entry of a list: "HH:MM" into m[*nm], or a weekday's bit in m[0]. */
static int
dload_item(struct dload *dl, yaml_node_t *item, const char *key, int days,
    int *m, size_t *nm)
{
	const char	*text = NULL;
	int		 h, mi, wday;

	if (config_at_text(&dl->at, item, key, &text) != 0)
		return (-1);
	if (days) {
		if (rotation_wday_parse(text, &wday) != 0)
			return (config_at_error(&dl->at, item, key, "'%s' is "
			    "not a weekday (mon, tue, ... sun)", text));
		m[0] |= 1 << wday;
		*nm = 1;
		return (0);
	}
	if (rotation_time_parse(text, &h, &mi) != 0)
		return (config_at_error(&dl->at, item, key, "'%s' is not a "
		    "time of day such as 09:00", text));
	if (*nm == DUTY_TIMES_MAX)
		return (config_at_error(&dl->at, item, key, "more than %d "
		    "times", DUTY_TIMES_MAX));
	m[(*nm)++] = h * 60 + mi;
	return (0);
}

/*
 * A list (or one scalar) of "HH:MM" into minutes (*m, *nm), or of
 * weekdays when days is set (a bit per weekday in m[0], *nm 1).
 */
static int
dload_list(struct dload *dl, yaml_node_t *n, const char *key, int days,
    int *m, size_t *nm)
{
	yaml_node_item_t	*it;
	yaml_node_t		*item;

	*nm = 0;
	if (days)
		m[0] = 0;
	if (n->type == YAML_SCALAR_NODE)
		return (dload_item(dl, n, key, days, m, nm));
	if (n->type != YAML_SEQUENCE_NODE)
		return (config_at_error(&dl->at, n, key, "expected a list"));
	for (it = n->data.sequence.items.start;
	    it < n->data.sequence.items.top; it++) {
		if ((item = yaml_document_get_node(dl->at.doc, *it)) == NULL)
			return (config_at_error(&dl->at, n, key, "bad entry"));
		if (dload_item(dl, item, key, days, m, nm) != 0)
			return (-1);
	}
	if (*nm == 0)
		return (config_at_error(&dl->at, n, key, "the list is empty"));
	return (0);
}

static int
dload_name(struct dload *dl, struct duty *d, yaml_node_t *v,
    const char *text)
{
	const char	*p;

	for (p = text; *p != '\0'; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '_'))
			break;
	}
	if (*p != '\0' || p - text > DUTY_NAME_MAX)
		return (config_at_error(&dl->at, v, "name", "'%s': use at most "
		    "%d lower-case letters, digits, '-' and '_'", text,
		    DUTY_NAME_MAX));
	free(d->name);
	d->name = xstrdup(text);
	return (0);
}

/* The schedule keys, once all are read: into d->times. */
struct dsched {
	int		 weekdays[DUTY_TIMES_MAX], weekends[DUTY_TIMES_MAX];
	int		 times[DUTY_TIMES_MAX], days;
	size_t		 nweekdays, nweekends, ntimes, ndays;
	yaml_node_t	*at;		/* the first schedule key, for errors */
};

static int
dload_key(struct dload *dl, struct duty *d, struct dsched *sc,
    const char *key, yaml_node_t *k, yaml_node_t *v)
{
	const char	*text = NULL;

	if (strcmp(key, "weekdays") == 0 || strcmp(key, "weekends") == 0 ||
	    strcmp(key, "times") == 0 || strcmp(key, "days") == 0) {
		if (sc->at == NULL)
			sc->at = k;
		if (strcmp(key, "weekdays") == 0)
			return (dload_list(dl, v, key, 0, sc->weekdays,
			    &sc->nweekdays));
		if (strcmp(key, "weekends") == 0)
			return (dload_list(dl, v, key, 0, sc->weekends,
			    &sc->nweekends));
		if (strcmp(key, "times") == 0)
			return (dload_list(dl, v, key, 0, sc->times,
			    &sc->ntimes));
		return (dload_list(dl, v, key, 1, &sc->days, &sc->ndays));
	}
	if (config_at_text(&dl->at, v, key, &text) != 0)
		return (-1);
	if (strcmp(key, "name") == 0)
		return (dload_name(dl, d, v, text));
	if (strcmp(key, "what") == 0) {
		free(d->what);
		d->what = xstrdup(text);
	} else if (strcmp(key, "channel") == 0) {
		free(d->channel);
		d->channel = xstrdup(text);
	} else if (strcmp(key, "missed_after") == 0) {
		if (watch_duration_parse(text, &d->missed_after_ms) != 0 ||
		    d->missed_after_ms <= 0 ||
		    d->missed_after_ms > INT64_C(24) * 3600 * 1000)
			return (config_at_error(&dl->at, v, key, "'%s' is not "
			    "a duration from 1m to 1d (30m, 1h)", text));
	} else
		return (config_at_error(&dl->at, k, NULL, "unknown key '%s' "
		    "(%s)", key, duty_keys));
	return (0);
}

/* The schedule read into d->times. */
static int
dload_schedule(struct dload *dl, struct duty *d, struct dsched *sc,
    yaml_node_t *n)
{
	size_t	 i;
	int	 wday;

	if (sc->at == NULL)
		return (config_at_error(&dl->at, n, NULL, "missing: the "
		    "schedule, weekdays/weekends (lists of \"09:00\") or days "
		    "and times"));
	if ((sc->nweekdays + sc->nweekends) > 0 && (sc->ntimes + sc->ndays) > 0)
		return (config_at_error(&dl->at, sc->at, NULL, "a schedule is "
		    "either weekdays/weekends or days and times, not both"));
	if ((sc->ntimes > 0) != (sc->ndays > 0))
		return (config_at_error(&dl->at, sc->at, sc->ntimes > 0 ?
		    "days" : "times", "missing: days and times go together"));
	for (wday = 0; wday < 7; wday++) {
		for (i = 0; i < sc->nweekdays && wday >= 1 && wday <= 5; i++)
			if (dload_add_time(dl, sc->at, "weekdays", d, wday,
			    sc->weekdays[i]) != 0)
				return (-1);
		for (i = 0; i < sc->nweekends && (wday == 0 || wday == 6);
		    i++)
			if (dload_add_time(dl, sc->at, "weekends", d, wday,
			    sc->weekends[i]) != 0)
				return (-1);
		for (i = 0; i < sc->ntimes && (sc->days & (1 << wday)); i++)
			if (dload_add_time(dl, sc->at, "times", d, wday,
			    sc->times[i]) != 0)
				return (-1);
	}
	return (0);
}

static void
duty_release(struct duty *d)
{
	free(d->rotation);
	free(d->name);
	free(d->what);
	free(d->channel);
	memset(d, 0, sizeof *d);
}

static int
dload_entry(struct dload *dl, const char *rotation, struct duty *d,
    yaml_node_t *n)
{
	yaml_node_pair_t	*pair;
	yaml_node_t		*k, *v;
	struct dsched		 sc;

	memset(d, 0, sizeof *d);
	memset(&sc, 0, sizeof sc);
	d->rotation = xstrdup(rotation);
	d->missed_after_ms = DUTY_MISSED_AFTER_MS;
	d->line = n->start_mark.line + 1;
	d->column = n->start_mark.column + 1;
	if (n->type != YAML_MAPPING_NODE)
		return (config_at_error(&dl->at, n, NULL, "expected a mapping "
		    "(name, what, weekdays, ...)"));
	for (pair = n->data.mapping.pairs.start;
	    pair < n->data.mapping.pairs.top; pair++) {
		k = yaml_document_get_node(dl->at.doc, pair->key);
		v = yaml_document_get_node(dl->at.doc, pair->value);
		if (k == NULL || v == NULL || k->type != YAML_SCALAR_NODE ||
		    strlen((const char *)k->data.scalar.value) !=
		    k->data.scalar.length)
			return (config_at_error(&dl->at, k != NULL ? k : n,
			    NULL, "keys must be plain names"));
		if (dload_key(dl, d, &sc, (const char *)k->data.scalar.value,
		    k, v) != 0)
			return (-1);
	}
	if (d->name == NULL)
		return (config_at_error(&dl->at, n, "name", "missing: how "
		    "`checked` names the duty (vault-general)"));
	if (d->what == NULL)
		return (config_at_error(&dl->at, n, "what", "missing: what the "
		    "person on call does (a sentence)"));
	return (dload_schedule(dl, d, &sc, n));
}

/* The `duties:` node of rotation entry n, or NULL. */
static yaml_node_t *
dload_duties_of(yaml_document_t *doc, yaml_node_t *n)
{
	yaml_node_pair_t	*pair;
	yaml_node_t		*k;

	if (n->type != YAML_MAPPING_NODE)
		return (NULL);
	for (pair = n->data.mapping.pairs.start;
	    pair < n->data.mapping.pairs.top; pair++) {
		k = yaml_document_get_node(doc, pair->key);
		if (k != NULL && k->type == YAML_SCALAR_NODE &&
		    strcmp((const char *)k->data.scalar.value, "duties") == 0)
			return (yaml_document_get_node(doc, pair->value));
	}
	return (NULL);
}

int
duty_config_load(struct config *cfg, struct yaml_document_s *doc,
    struct yaml_node_s *n, const char *file, char **cause)
{
	struct duty		*v = NULL;
	struct dload		 dl;
	yaml_node_item_t	*it, *dit;
	yaml_node_t		*rn, *dn, *item;
	size_t			 nv = 0, j;

	memset(&dl, 0, sizeof dl);
	config_at_init(&dl.at, doc, file, cause, "rotations");
	dl.rot = -1;
	if (n->type != YAML_SEQUENCE_NODE)
		goto done;	/* rotation_config_load said so */
	for (it = n->data.sequence.items.start;
	    it < n->data.sequence.items.top; it++) {
		dl.rot++;
		dl.i = -1;
		config_at_list(&dl.at, "rotations[%ld].duties", dl.rot);
		if ((rn = yaml_document_get_node(doc, *it)) == NULL ||
		    (dn = dload_duties_of(doc, rn)) == NULL)
			continue;
		if ((size_t)dl.rot >= cfg->nrotations)
			break;
		if (dn->type != YAML_SEQUENCE_NODE) {
			config_at_error(&dl.at, dn, NULL, "expected a list of "
			    "duties");
			goto fail;
		}
		for (dit = dn->data.sequence.items.start;
		    dit < dn->data.sequence.items.top; dit++) {
			dl.i++;
			config_at_entry(&dl.at, "rotations[%ld].duties[%ld]",
			    dl.rot, dl.i);
			if (nv == DUTIES_MAX) {
				config_at_error(&dl.at, dn, NULL, "more than "
				    "%d duties in the config", DUTIES_MAX);
				goto fail;
			}
			if ((item = yaml_document_get_node(doc, *dit)) ==
			    NULL) {
				config_at_error(&dl.at, dn, NULL, "bad entry");
				goto fail;
			}
			v = xreallocarray(v, nv + 1, sizeof *v);
			nv++;
			if (dload_entry(&dl, cfg->rotations[dl.rot].name,
			    &v[nv - 1], item) != 0)
				goto fail;
			for (j = 0; j + 1 < nv; j++) {
				if (strcmp(v[j].rotation, v[nv - 1].rotation)
				    == 0 && strcmp(v[j].name, v[nv - 1].name)
				    == 0) {
					config_at_error(&dl.at, item, "name",
					    "'%s' is listed twice", v[j].name);
					goto fail;
				}
			}
		}
	}
done:
	duty_config_free(cfg);
	cfg->duties = v;
	cfg->nduties = nv;
	return (0);

fail:
	for (j = 0; j < nv; j++)
		duty_release(&v[j]);
	free(v);
	return (-1);
}

void
duty_config_free(struct config *cfg)
{
	size_t	 i;

	for (i = 0; i < cfg->nduties; i++)
		duty_release(&cfg->duties[i]);
	free(cfg->duties);
	cfg->duties = NULL;
	cfg->nduties = 0;
}

void
duty_config_reference(FILE *f)
{
	fprintf(f, "#   duties: (a rotation's) what the person on call does "
	    "on a schedule, a list of:\n"
	    "#     name          how `checked` names it: [a-z0-9_-]\n"
	    "#     what          the sentence the nudge shows\n"
	    "#     weekdays      due times Monday-Friday, local in the "
	    "rotation's zone: [\"09:00\", \"13:00\"]\n"
	    "#     weekends      due times Saturday and Sunday: [\"10:00\"]\n"
	    "#     days, times   instead: days [mon, wed] and their times\n"
	    "#     missed_after  unchecked this long after it is due: a "
	    "reminder; as long\n"
	    "#                   again: the manager(s), and it is missed "
	    "(default 1h)\n"
	    "#     channel       the channel to check, mentioned in the "
	    "nudge\n");
}
