/*
 * yaml-compose.c: one YAML document built from libyaml's events under hard
 * limits, so that what a hostile config file or runbook front matter
 * costs is bounded by its size.
 * libyaml's own loader (yaml_parser_load) has no limits: it checks each
 * new anchor against every earlier one (200,000 anchors: 97 s), and it
 * reads the whole document before we see any of it, while its scanner
 * walks the stack of open flow levels for every token (1M nested '[':
 * past 120 s, quadratic in the depth). Here the depth is checked as each
 * collection opens, so the scanner never gets deep.
 */
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "bot/config.h"

struct compose {
	yaml_document_t		*doc;
	const struct yaml_limits *lim;
	int			*line;		/* where the error is */
	int			*column;
	char			**cause;
	struct {
		int	 node;	/* an open sequence or mapping */
		int	 key;	/* a mapping's key awaiting its value */
	} open[YAML_COMPOSE_MAX_DEPTH];
	int			 depth;
	struct {
		char	*name;		/* owned */
		int	 node;
	} *anchors;			/* owned, lim->max_anchors of them */
	size_t			 nanchors;
	size_t			 alias_bytes;	/* copied for aliases */
};

static int	compose_error(struct compose *, const yaml_mark_t *,
		    const char *, ...) PRINTFLIKE(3, 4);

static int
compose_error(struct compose *c, const yaml_mark_t *mark, const char *fmt,
    ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	*c->line = (int)mark->line + 1;
	*c->column = (int)mark->column + 1;
	xasprintf(c->cause, "%s%s", c->lim->prefix, msg);
	free(msg);
	return (-1);
}

/* Hangs node id under the innermost open collection (none: the root). */
static int
compose_attach(struct compose *c, int id, const yaml_mark_t *mark)
{
	yaml_node_t	*parent;
	int		 ok, *key;

	yaml_document_get_node(c->doc, id)->start_mark = *mark;
	if (c->depth == 0)
		return (0);
	parent = yaml_document_get_node(c->doc, c->open[c->depth - 1].node);
	if (parent->type == YAML_SEQUENCE_NODE)
		ok = yaml_document_append_sequence_item(c->doc,
		    c->open[c->depth - 1].node, id);
	else {
		key = &c->open[c->depth - 1].key;
		if (*key == 0) {
			*key = id;
			return (0);
		}
		ok = yaml_document_append_mapping_pair(c->doc,
		    c->open[c->depth - 1].node, *key, id);
		*key = 0;
	}
	if (!ok)
		return (compose_error(c, mark, "cannot store this value"));
	return (0);
}

static int
compose_anchor(struct compose *c, const yaml_char_t *anchor, int id,
    const yaml_mark_t *mark)
{
	if (anchor == NULL)
		return (0);
	if (c->nanchors == (size_t)c->lim->max_anchors)
		return (compose_error(c, mark, "more than %d anchors",
		    c->lim->max_anchors));
	c->anchors[c->nanchors].name = xstrdup((const char *)anchor);
	c->anchors[c->nanchors].node = id;
	c->nanchors++;
	return (0);
}

/*
 * A copy of node src (and everything under it; at most depth levels,
 * which the source kept to when it was composed), each node charged to
 * alias_bytes so that aliases of aliases cannot multiply: no "billion
 * laughs". Returns the new node's id, or 0 with c's error set.
 */
static int
compose_copy(struct compose *c, int src, const yaml_mark_t *mark, int depth)
{
	yaml_node_t		*n;
	yaml_node_item_t	 i, nitems;
	yaml_node_pair_t	 p;
	int			 id, k, v;
	size_t			 j;

	n = yaml_document_get_node(c->doc, src);
	c->alias_bytes += sizeof *n;
	if (n->type == YAML_SCALAR_NODE)
		c->alias_bytes += n->data.scalar.length;
	if (c->alias_bytes > c->lim->max_bytes) {
		compose_error(c, mark, "aliases expand to more than %zu bytes",
		    c->lim->max_bytes);
		return (0);
	}
	if (depth > YAML_COMPOSE_MAX_DEPTH) {
		compose_error(c, mark, "alias nests deeper than %d levels",
		    YAML_COMPOSE_MAX_DEPTH);
		return (0);
	}
	switch (n->type) {
	case YAML_SCALAR_NODE:
		id = yaml_document_add_scalar(c->doc, NULL,
		    n->data.scalar.value, (int)n->data.scalar.length,
		    n->data.scalar.style);
		break;
	case YAML_SEQUENCE_NODE:
		/* Adding nodes may move the array n points into. */
		nitems = (int)(n->data.sequence.items.top -
		    n->data.sequence.items.start);
		id = yaml_document_add_sequence(c->doc, NULL,
		    n->data.sequence.style);
		for (j = 0; id != 0 && j < (size_t)nitems; j++) {
			n = yaml_document_get_node(c->doc, src);
			i = n->data.sequence.items.start[j];
			if ((v = compose_copy(c, i, mark, depth + 1)) == 0)
				return (0);
			if (!yaml_document_append_sequence_item(c->doc, id, v))
				id = 0;
		}
		break;
	case YAML_MAPPING_NODE:
		nitems = (int)(n->data.mapping.pairs.top -
		    n->data.mapping.pairs.start);
		id = yaml_document_add_mapping(c->doc, NULL,
		    n->data.mapping.style);
		for (j = 0; id != 0 && j < (size_t)nitems; j++) {
			n = yaml_document_get_node(c->doc, src);
			p = n->data.mapping.pairs.start[j];
			if ((k = compose_copy(c, p.key, mark, depth + 1)) == 0 ||
			    (v = compose_copy(c, p.value, mark, depth + 1)) == 0)
				return (0);
			if (!yaml_document_append_mapping_pair(c->doc, id, k, v))
				id = 0;
		}
		break;
	default:
		id = 0;
		break;
	}
	if (id == 0) {
		compose_error(c, mark, "cannot store this value");
		return (0);
	}
	yaml_document_get_node(c->doc, id)->start_mark = *mark;
	return (id);
}

/*
 * An alias becomes a copy of the node it names, so every node has one
 * parent and an error points at the alias. Copies add up to at most
 * lim->max_bytes.
 */
static int
compose_alias(struct compose *c, const yaml_event_t *ev)
{
	const char	*name = (const char *)ev->data.alias.anchor;
	size_t		 i;
	int		 src = 0, id;

	for (i = c->nanchors; i > 0; i--) {
		/* the latest definition wins (YAML 1.1 7.1) */
		if (strcmp(c->anchors[i - 1].name, name) == 0) {
			src = c->anchors[i - 1].node;
			break;
		}
	}
	if (src == 0)
		return (compose_error(c, &ev->start_mark, "alias '*%s' names "
		    "no anchor before it", name));
	for (i = 0; i < (size_t)c->depth; i++) {
		if (c->open[i].node == src)
			return (compose_error(c, &ev->start_mark, "alias "
			    "'*%s' names a list or mapping it is part of",
			    name));
	}
	if ((id = compose_copy(c, src, &ev->start_mark, 0)) == 0)
		return (-1);
	return (compose_attach(c, id, &ev->start_mark));
}

static int
compose_event(struct compose *c, const yaml_event_t *ev)
{
	const yaml_mark_t	*mark = &ev->start_mark;
	int			 id;

	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		id = yaml_document_add_scalar(c->doc, NULL,
		    ev->data.scalar.value, (int)ev->data.scalar.length,
		    ev->data.scalar.style);
		if (id == 0)
			return (compose_error(c, mark,
			    "cannot store this value"));
		if (compose_anchor(c, ev->data.scalar.anchor, id, mark) != 0)
			return (-1);
		return (compose_attach(c, id, mark));
	case YAML_ALIAS_EVENT:
		return (compose_alias(c, ev));
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if (c->depth == c->lim->max_depth ||
		    c->depth == YAML_COMPOSE_MAX_DEPTH)
			return (compose_error(c, mark, "nesting deeper than "
			    "%d levels", c->depth));
		if (ev->type == YAML_SEQUENCE_START_EVENT)
			id = yaml_document_add_sequence(c->doc, NULL,
			    ev->data.sequence_start.style);
		else
			id = yaml_document_add_mapping(c->doc, NULL,
			    ev->data.mapping_start.style);
		if (id == 0)
			return (compose_error(c, mark,
			    "cannot store this value"));
		if (ev->type == YAML_SEQUENCE_START_EVENT &&
		    compose_anchor(c, ev->data.sequence_start.anchor, id,
		    mark) != 0)
			return (-1);
		if (ev->type == YAML_MAPPING_START_EVENT &&
		    compose_anchor(c, ev->data.mapping_start.anchor, id,
		    mark) != 0)
			return (-1);
		if (compose_attach(c, id, mark) != 0)
			return (-1);
		c->open[c->depth].node = id;
		c->open[c->depth].key = 0;
		c->depth++;
		return (0);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		c->depth--;
		return (0);
	default:
		return (0);
	}
}

int
yaml_compose(const char *data, size_t len, const struct yaml_limits *lim,
    yaml_document_t *out, int *line, int *column, char **cause)
{
	struct compose	 c;
	yaml_parser_t	 parser;
	yaml_document_t	 doc;
	yaml_event_t	 ev;
	size_t		 i;
	int		 rc = -1, have_ev = 0, ndocs = 0, done = 0;

	memset(&c, 0, sizeof c);
	c.doc = &doc;
	c.lim = lim;
	c.line = line;
	c.column = column;
	c.cause = cause;
	c.anchors = xcalloc((size_t)lim->max_anchors + 1, sizeof *c.anchors);
	*line = *column = 0;
	yaml_document_initialize(&doc, NULL, NULL, NULL, 1, 1);
	yaml_parser_initialize(&parser);
	if (len > lim->max_bytes) {
		xasprintf(cause, "%s%s is larger than %zu bytes", lim->prefix,
		    lim->what, lim->max_bytes);
		goto out;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)data,
	    len);
	while (!done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			*line = (int)parser.problem_mark.line + 1;
			*column = (int)parser.problem_mark.column + 1;
			xasprintf(cause, "%s%s%s%s", lim->prefix,
			    parser.problem != NULL ? parser.problem :
			    "YAML error", parser.context != NULL ? " " : "",
			    parser.context != NULL ? parser.context : "");
			goto out;
		}
		have_ev = 1;
		if (ev.type == YAML_DOCUMENT_START_EVENT && ndocs++ > 0) {
			compose_error(&c, &ev.start_mark, "a second YAML "
			    "document: the %s holds one", lim->what);
			goto out;
		}
		if (ev.type == YAML_STREAM_END_EVENT)
			done = 1;
		if (compose_event(&c, &ev) != 0)
			goto out;
		yaml_event_delete(&ev);
		have_ev = 0;
	}
	*out = doc;
	memset(&doc, 0, sizeof doc);
	rc = 0;
out:
	if (have_ev)
		yaml_event_delete(&ev);
	for (i = 0; i < c.nanchors; i++)
		free(c.anchors[i].name);
	free(c.anchors);
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return (rc);
}
