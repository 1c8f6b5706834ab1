/*
 * summary-config.c: a rotation's `summary:` key (bot/report.h), kept
 * out of rotation-config.c, which calls it, so that other keys can be
 * added there without touching this:
 *
 *   rotations:
 *     - name: vault
 *       summary: {channel: "#vault-managers", at: "mon 09:00",
 *                 period: week}
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "bot/config.h"
#include "bot/report.h"
#include "bot/rotation.h"
#include "bot/util.h"

static const char summary_keys[] = "channel, at, period";

/* "mon 09:00" into out's wday, hour and min. 0 or -1. */
static int
summary_at_parse(const char *text, struct rotation_summary *out)
{
	char	 day[16];
	size_t	 n;

	n = strcspn(text, " ");
	if (n == 0 || n >= sizeof day || text[n] != ' ')
		return (-1);
	memcpy(day, text, n);
	day[n] = '\0';
	if (rotation_wday_parse(day, &out->wday) != 0)
		return (-1);
	while (text[n] == ' ')
		n++;
	return (rotation_time_parse(text + n, &out->hour, &out->min));
}

int
summary_config_load(struct yaml_document_s *doc, struct yaml_node_s *n,
    const char *file, long i, struct rotation_summary *out, char **cause)
{
	yaml_node_pair_t	*pair;
	yaml_node_t		*k, *v;
	const char		*key, *text;
	struct config_at	 at;

	config_at_init(&at, doc, file, cause, "rotations");
	config_at_entry(&at, "rotations[%ld].summary", i);
	free(out->channel);
	memset(out, 0, sizeof *out);
	out->wday = 1;
	out->hour = 9;
	if (n->type != YAML_MAPPING_NODE)
		return (config_at_error(&at, n, NULL, "expected a mapping such "
		    "as {channel: \"#vault-managers\", at: \"mon 09:00\", "
		    "period: week}"));
	for (pair = n->data.mapping.pairs.start;
	    pair < n->data.mapping.pairs.top; pair++) {
		k = yaml_document_get_node(doc, pair->key);
		v = yaml_document_get_node(doc, pair->value);
		if (k == NULL || v == NULL || k->type != YAML_SCALAR_NODE)
			return (config_at_error(&at, n, NULL, "keys must be "
			    "plain names"));
		key = (const char *)k->data.scalar.value;
		if (v->type != YAML_SCALAR_NODE || v->data.scalar.length == 0 ||
		    strlen((const char *)v->data.scalar.value) !=
		    v->data.scalar.length)
			return (config_at_error(&at, v, key, "expected a "
			    "non-empty value"));
		text = (const char *)v->data.scalar.value;
		if (strcmp(key, "channel") == 0) {
			free(out->channel);
			out->channel = xstrdup(text);
		} else if (strcmp(key, "at") == 0) {
			if (summary_at_parse(text, out) != 0)
				return (config_at_error(&at, v, key, "'%s' is "
				    "not a weekday and a time such as \"mon "
				    "09:00\"", text));
		} else if (strcmp(key, "period") == 0) {
			if (strcasecmp(text, "week") == 0)
				out->month = 0;
			else if (strcasecmp(text, "month") == 0)
				out->month = 1;
			else
				return (config_at_error(&at, v, key, "'%s' is "
				    "not week or month", text));
		} else
			return (config_at_error(&at, k, NULL, "unknown key "
			    "'%s' (%s)", key, summary_keys));
	}
	out->set = 1;
	return (0);
}
