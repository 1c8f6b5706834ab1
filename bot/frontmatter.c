/*
 * frontmatter.c: the Jekyll-style YAML front matter of a runbook (title,
 * service, tags, aliases), read with libyaml so errors carry line and
 * column.
 */
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "bot/runbook.h"
#include "bot/config.h"

/* Length of the line at p (without its "\n" or "\r\n"). */
static size_t
fm_linelen(const char *p, size_t left, size_t *next)
{
	size_t	 n;

	for (n = 0; n < left && p[n] != '\n'; n++)
		;
	*next = n < left ? n + 1 : n;
	if (n > 0 && p[n - 1] == '\r')
		n--;
	return (n);
}

/* Whether the line is exactly the marker, trailing blanks allowed. */
static int
fm_is_marker(const char *p, size_t n, const char *marker)
{
	size_t	 m;

	m = strlen(marker);
	if (n < m || memcmp(p, marker, m) != 0)
		return (0);
	for (; m < n; m++) {
		if (p[m] != ' ' && p[m] != '\t')
			return (0);
	}
	return (1);
}

size_t
frontmatter_split(const char *data, size_t len, const char **yaml,
    size_t *yamllen, int *body_line)
{
	size_t	 off, n, next, start;
	int	 line;

	*yaml = NULL;
	*yamllen = 0;
	*body_line = 1;

	/* A UTF-8 byte order mark is not part of the marker line. */
	off = 0;
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		off = 3;
	n = fm_linelen(data + off, len - off, &next);
	if (!fm_is_marker(data + off, n, "---"))
		return (0);
	off += next;
	start = off;
	line = 2;
	while (off < len) {
		n = fm_linelen(data + off, len - off, &next);
		if (fm_is_marker(data + off, n, "---") ||
		    fm_is_marker(data + off, n, "...")) {
			*yaml = data + start;
			*yamllen = off - start;
			*body_line = line + 1;
			return (off + next);
		}
		off += next;
		line++;
	}
	/* No closing marker: a thematic break, not front matter. */
	return (0);
}

/* Returns the scalar's value (borrowed from the document) or NULL. */
static const char *
fm_scalar(yaml_node_t *node)
{
	if (node == NULL || node->type != YAML_SCALAR_NODE)
		return (NULL);
	return ((const char *)node->data.scalar.value);
}

/* Splits "a, b ,c" into trimmed non-empty words appended to out. */
static void
fm_split_tags(const char *s, struct strv *out)
{
	const char	*p, *e;

	while (*s != '\0') {
		p = s;
		while (*p != '\0' && *p != ',')
			p++;
		e = p;
		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (e > s)
			strv_add_new(out, xstrndup(s, (size_t)(e - s)));
		s = *p == ',' ? p + 1 : p;
	}
}

/* A list, or a "a, b" string: each non-empty item appended to out. */
static void
fm_list(yaml_document_t *doc, yaml_node_t *val, struct strv *out)
{
	yaml_node_item_t	*it;
	const char		*v;

	if ((v = fm_scalar(val)) != NULL) {
		fm_split_tags(v, out);
		return;
	}
	if (val->type != YAML_SEQUENCE_NODE)
		return;
	for (it = val->data.sequence.items.start;
	    it < val->data.sequence.items.top; it++) {
		v = fm_scalar(yaml_document_get_node(doc, *it));
		if (v != NULL && *v != '\0')
			strv_add(out, v);
	}
}

int
frontmatter_parse(const char *yaml, size_t len, struct runbook *rb,
    int *line, int *column, char **cause)
{
	static const struct yaml_limits fm_limits = {
		"front matter", "front matter: ", FRONTMATTER_MAX_BYTES,
		FRONTMATTER_MAX_DEPTH, FRONTMATTER_MAX_ANCHORS
	};
	yaml_document_t		 doc;
	yaml_node_t		*root, *key, *val;
	yaml_node_pair_t	*pair;
	const char		*k, *v;
	int			 rv = -1, have_doc = 0;

	if (len > FRONTMATTER_MAX_BYTES) {
		/* Point at the first byte past the limit. */
		text_position(yaml, FRONTMATTER_MAX_BYTES, line, column);
		xasprintf(cause, "front matter: longer than %d bytes",
		    FRONTMATTER_MAX_BYTES);
		return (-1);
	}
	if (yaml_compose(yaml, len, &fm_limits, &doc, line, column,
	    cause) != 0)
		goto out;
	have_doc = 1;
	root = yaml_document_get_root_node(&doc);
	if (root == NULL) {
		rv = 0;		/* empty front matter */
		goto out;
	}
	if (root->type != YAML_MAPPING_NODE) {
		*line = (int)root->start_mark.line + 1;
		*column = (int)root->start_mark.column + 1;
		*cause = xstrdup("front matter: not a mapping of keys");
		goto out;
	}
	for (pair = root->data.mapping.pairs.start;
	    pair < root->data.mapping.pairs.top; pair++) {
		key = yaml_document_get_node(&doc, pair->key);
		val = yaml_document_get_node(&doc, pair->value);
		k = fm_scalar(key);
		if (k == NULL || val == NULL)
			continue;
		v = fm_scalar(val);
		if (strcmp(k, "title") == 0 && v != NULL && *v != '\0') {
			free(rb->title);
			rb->title = xstrdup(v);
		} else if (strcmp(k, "service") == 0 && v != NULL &&
		    *v != '\0') {
			free(rb->service);
			rb->service = xstrdup(v);
		} else if (strcmp(k, "tags") == 0)
			fm_list(&doc, val, &rb->tags);
		else if (strcmp(k, "aliases") == 0 || strcmp(k, "alert") == 0 ||
		    strcmp(k, "alertname") == 0)
			fm_list(&doc, val, &rb->aliases);
	}
	rv = 0;
out:
	if (have_doc)
		yaml_document_delete(&doc);
	return (rv);
}
