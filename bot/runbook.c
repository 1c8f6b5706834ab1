/*
 * runbook.c: finding runbook files, reading them (front matter, fixups,
 * cmark-gfm) and cutting each into sections at its top-level headings.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmark-gfm.h>

#include "bot/runbook.h"
#include "bot/mrkdwn.h"

#define RB_MAX_FILE	(4 * 1024 * 1024)	/* bytes */

/* ------------------------------------------------------------------ */
/* Diagnostics */

static void	rb_diags_vadd(struct rb_diags *, enum rb_diag_kind,
		    const char *, int, int, int, const char *, va_list)
		    PRINTFLIKE(7, 0);

static void
rb_diags_vadd(struct rb_diags *diags, enum rb_diag_kind kind,
    const char *file, int line, int column, int is_error, const char *fmt,
    va_list ap)
{
	struct rb_diag	*d;

	if (diags == NULL)
		return;
	/*
	 * Doubling, with no room for a capacity in struct rb_diags: the
	 * array is full exactly when n is 0 or a power of two. One more
	 * each time copied it all per warning (a file can have 100,000).
	 */
	if ((diags->n & (diags->n - 1)) == 0)
		diags->v = xreallocarray(diags->v, diags->n == 0 ? 1 :
		    2 * diags->n, sizeof *diags->v);
	d = &diags->v[diags->n++];
	d->file = xstrdup(file);
	d->line = line;
	d->column = column;
	d->is_error = is_error;
	d->kind = kind;
	xvasprintf(&d->message, fmt, ap);
}

void
rb_diags_add(struct rb_diags *diags, const char *file, int line, int column,
    int is_error, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	rb_diags_vadd(diags, RB_DIAG_LOAD, file, line, column, is_error, fmt,
	    ap);
	va_end(ap);
}

void
rb_diags_add_kind(struct rb_diags *diags, enum rb_diag_kind kind,
    const char *file, int line, int column, int is_error, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	rb_diags_vadd(diags, kind, file, line, column, is_error, fmt, ap);
	va_end(ap);
}

void
rb_diags_reset(struct rb_diags *diags)
{
	size_t	 i;

	for (i = 0; i < diags->n; i++) {
		free(diags->v[i].file);
		free(diags->v[i].message);
	}
	free(diags->v);
	diags->v = NULL;
	diags->n = 0;
}

char *
rb_diag_format_new(const struct rb_diag *d)
{
	struct buf	 b = { NULL, 0, 0 };
	char		*s;

	if (d->line > 0 && d->column > 0)
		xasprintf(&s, "%s:%d:%d: %s", d->file, d->line, d->column,
		    d->message);
	else if (d->line > 0)
		xasprintf(&s, "%s:%d: %s", d->file, d->line, d->message);
	else
		xasprintf(&s, "%s: %s", d->file, d->message);
	/* A file name or a heading may hold a newline or an escape. */
	utf8_escape_controls(&b, s, strlen(s));
	free(s);
	return (buf_release(&b));
}

/* ------------------------------------------------------------------ */
/* Cutting a document into sections */

static struct rb_section *
rb_section_add(struct runbook_set *set, size_t runbook, int level, int line,
    char *heading)
{
	struct rb_section	*s;

	/* Doubling: one more each time copied the whole array per heading. */
	if (set->nsections == set->sections_cap) {
		set->sections_cap = set->sections_cap == 0 ? 64 :
		    set->sections_cap * 2;
		set->sections = xreallocarray(set->sections,
		    set->sections_cap, sizeof *set->sections);
	}
	s = &set->sections[set->nsections];
	memset(s, 0, sizeof *s);
	s->id = set->nsections++;
	s->runbook = runbook;
	s->level = level;
	s->line = line;
	s->heading = heading;
	s->label = heading_label_cut(heading);
	s->slug = slug_new(heading);
	s->anchor = slug_anchor_new(heading);
	s->parent = -1;
	return (s);
}

/*
 * Renders nodes [from, to) into s->blocks and s->text, and collects their
 * in-page link anchors. A preamble gets the runbook title as its heading
 * block. Returns the number of blocks the nodes rendered to.
 */
static size_t
rb_section_fill(struct rb_section *s, cmark_node **nodes, size_t from,
    size_t to, struct rb_links *anchors)
{
	struct buf	 text, labelled;
	size_t		 i, before;

	memset(&text, 0, sizeof text);
	memset(&labelled, 0, sizeof labelled);
	if (s->level == 0) {
		buf_addc(&text, '*');
		mrkdwn_escape(&text, s->heading, strlen(s->heading));
		buf_addc(&text, '*');
		strv_add_new(&s->blocks, buf_release(&text));
		buf_printf(&text, "%s\n", s->heading);
	}
	before = s->blocks.n;
	for (i = from; i < to; i++) {
		mrkdwn_render_block(nodes[i], &s->blocks);
		mrkdwn_plain(nodes[i], &text);
		mrkdwn_anchors(nodes[i], anchors);
	}
	if (s->label != NULL && s->level > 0 && s->blocks.n > before) {
		/* The reply shows the label on a line of its own. */
		buf_addc(&labelled, '*');
		mrkdwn_escape(&labelled, s->heading, strlen(s->heading));
		buf_addc(&labelled, '*');
		free(s->blocks.v[before]);
		s->blocks.v[before] = buf_release(&labelled);
	}
	s->text = buf_release(&text);
	return (s->blocks.n - before);
}

/* A section's anchor or slug, to look sections up by it. */
struct rb_key {
	const char	*key;		/* borrowed from the section */
	size_t		 id;
};

static int
rb_key_cmp(const void *a, const void *b)
{
	const struct rb_key	*x = a, *y = b;
	int			 c;

	if ((c = strcmp(x->key, y->key)) != 0)
		return (c);
	return (x->id < y->id ? -1 : x->id > y->id);
}

/* The first index of keys[0..n) not below (key, id). */
static size_t
rb_key_bound(const struct rb_key *keys, size_t n, const char *key, size_t id)
{
	size_t	 lo = 0, hi = n, mid;
	int	 c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(keys[mid].key, key);
		if (c < 0 || (c == 0 && keys[mid].id < id))
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo);
}

/*
 * The lowest section id with this key that is not in [from, to) (the
 * linking section and the sections inside it), or SIZE_MAX.
 */
static size_t
rb_key_find(const struct rb_key *keys, size_t n, const char *key,
    size_t from, size_t to)
{
	size_t	 i;

	i = rb_key_bound(keys, n, key, 0);
	if (i < n && strcmp(keys[i].key, key) == 0 && keys[i].id < from)
		return (keys[i].id);
	i = rb_key_bound(keys, n, key, to);
	if (i < n && strcmp(keys[i].key, key) == 0)
		return (keys[i].id);
	return (SIZE_MAX);
}

/*
 * The section an #anchor link leads to: a heading's anchor exactly,
 * else by slug ("#letsencrypt" finds "LetsEncrypt"); the first such
 * heading outside [from, to), or SIZE_MAX. With from = to = SIZE_MAX,
 * whether any heading answers the link at all.
 */
static size_t
rb_link_target(const struct rb_key *by_anchor, size_t n,
    const struct rb_key *by_slug, size_t nslug, const char *anchor,
    size_t from, size_t to)
{
	size_t	 found;
	char	*slug;

	found = rb_key_find(by_anchor, n, anchor, from, to);
	if (found == SIZE_MAX) {
		slug = slug_new(anchor);
		if (*slug != '\0')
			found = rb_key_find(by_slug, nslug, slug, from, to);
		free(slug);
	}
	return (found);
}

/*
 * Resolves the #anchor links of the runbook's sections [first, set end)
 * to section ids; anchors[k] belongs to section first + k. A link
 * leads to the first heading that answers it (rb_link_target), leaving
 * out the linking section and those inside it. A link no heading of the
 * file answers is appended to dead (once per section that holds it).
 * Lookups are binary searches in sorted keys: a scan of the file per
 * link was quadratic, and a big runbook can hold as many links as
 * headings.
 */
static void
rb_resolve_links(struct runbook_set *set, size_t first,
    struct rb_links *anchors, struct rb_links *dead)
{
	struct rb_section	*s;
	struct rb_key		*by_anchor, *by_slug;
	struct rb_link		*a;
	size_t			 n, i, k, nslug = 0, found, *end, *last;
	ssize_t			 p;

	n = set->nsections - first;
	if (n == 0)
		return;
	by_anchor = xcalloc(n, sizeof *by_anchor);
	by_slug = xcalloc(n, sizeof *by_slug);
	end = xcalloc(n, sizeof *end);
	last = xcalloc(n, sizeof *last);
	for (i = 0; i < n; i++) {
		s = &set->sections[first + i];
		by_anchor[i].key = s->anchor;
		by_anchor[i].id = first + i;
		if (*s->slug != '\0') {
			by_slug[nslug].key = s->slug;
			by_slug[nslug++].id = first + i;
		}
		end[i] = first + i + 1;
		last[i] = SIZE_MAX;
	}
	qsort(by_anchor, n, sizeof *by_anchor, rb_key_cmp);
	qsort(by_slug, nslug, sizeof *by_slug, rb_key_cmp);
	/* A section's subsection ids run on from its own: [id, end). */
	for (i = n; i-- > 0;) {
		p = set->sections[first + i].parent;
		if (p >= (ssize_t)first && end[i] > end[p - first])
			end[p - first] = end[i];
	}

	for (i = 0; i < n; i++) {
		s = &set->sections[first + i];
		if (anchors[i].n == 0)
			continue;
		s->links = xcalloc(anchors[i].n, sizeof *s->links);
		for (k = 0; k < anchors[i].n; k++) {
			a = &anchors[i].v[k];
			found = rb_link_target(by_anchor, n, by_slug, nslug,
			    a->anchor, first + i, end[i]);
			if (found == SIZE_MAX && rb_link_target(by_anchor, n,
			    by_slug, nslug, a->anchor, SIZE_MAX, SIZE_MAX) ==
			    SIZE_MAX)
				rb_links_add(dead, a->anchor, a->line,
				    a->column);
			/* Once each: last[] says who took it last. */
			if (found == SIZE_MAX || last[found - first] == i)
				continue;
			last[found - first] = i;
			s->links[s->nlinks++] = found;
		}
		if (s->nlinks == 0) {
			free(s->links);
			s->links = NULL;
		}
	}
	free(last);
	free(end);
	free(by_slug);
	free(by_anchor);
}

static void
rb_section_release(struct rb_section *s)
{
	free(s->heading);
	free(s->label);
	free(s->slug);
	free(s->anchor);
	strv_reset(&s->blocks);
	free(s->text);
	free(s->links);
}

/*
 * The file name without directories and extension (new), as UTF-8: file
 * names are bytes, and this one may become a title.
 */
static char *
rb_basename_new(const char *path)
{
	struct buf	 b;
	const char	*base, *dot;

	base = strrchr(path, '/');
	base = base != NULL ? base + 1 : path;
	dot = strrchr(base, '.');
	if (dot == NULL || dot == base)
		dot = base + strlen(base);
	memset(&b, 0, sizeof b);
	(void)utf8_repair(&b, base, (size_t)(dot - base), NULL);
	return (buf_release(&b));
}

/*
 * Where to report node: its own start, or its nearest ancestor's when
 * cmark-gfm kept none for it. The line is a line of the fixed-up text.
 */
static void
rb_node_position(cmark_node *n, int *line, int *column)
{
	for (; n != NULL; n = cmark_node_parent(n)) {
		*line = cmark_node_get_start_line(n);
		*column = cmark_node_get_start_column(n);
		if (*line > 0)
			return;
	}
	*line = 0;
	*column = 0;
}

/*
 * Warns about the first of nodes that nests deeper than the renderer
 * follows (mrkdwn_too_deep): once per file is enough to find it.
 */
static void
rb_check_depth(const char *path, const struct fixup *fx, cmark_node **nodes,
    size_t nnodes, struct rb_diags *diags)
{
	cmark_node	*deep;
	size_t		 i;
	int		 line, column;

	for (i = 0; i < nnodes; i++) {
		if ((deep = mrkdwn_too_deep(nodes[i])) == NULL)
			continue;
		rb_node_position(deep, &line, &column);
		rb_diags_add(diags, path, fixup_line(fx, line), column, 0,
		    "nested deeper than %d levels; shown flattened as plain "
		    "text past that", MRKDWN_MAX_DEPTH);
		return;
	}
}

/*
 * Adds one runbook to set from the file's bytes. Bytes that are not
 * UTF-8 are read as Windows-1252 (a warning says where the first was),
 * so that everything the runbook renders to is UTF-8: jansson encodes
 * nothing else. Returns 0, or -1 (with an error in diags) when the file
 * is skipped.
 */
static int
rb_load_one(struct runbook_set *set, const char *path, const char *data,
    size_t len, struct rb_diags *diags)
{
	struct runbook		 rb;
	struct fixup		 fx;
	struct buf		 utf8;	/* data repaired, when it needs it */
	struct rb_section	*s;
	struct rb_links		*anchors = NULL;
	cmark_node		*doc = NULL, *c, **nodes = NULL;
	const char		*yaml;
	char			*cause = NULL, *label;
	size_t			 off, yamllen, nnodes = 0, nodescap = 0;
	size_t			 nbad, bad = 0;
	size_t			 i, j, first, depth;
	size_t			*stack = NULL;
	int			 body_line, line, column, level, rv = -1;

	memset(&rb, 0, sizeof rb);
	memset(&fx, 0, sizeof fx);
	memset(&utf8, 0, sizeof utf8);
	rb.path = xstrdup(path);

	if (memchr(data, '\0', len) != NULL) {
		rb_diags_add(diags, path, 0, 0, 1,
		    "binary file (contains NUL bytes)");
		goto out;
	}
	if (!utf8_valid(data, len)) {
		nbad = utf8_repair(&utf8, data, len, &bad);
		text_position(data, bad, &line, &column);
		rb_diags_add(diags, path, line, column, 0, "invalid UTF-8: "
		    "%zu byte%s read as Windows-1252", nbad,
		    nbad == 1 ? "" : "s");
		/* Lines stay where they were: no byte becomes a newline. */
		data = utf8.s;
		len = utf8.len;
	}
	off = frontmatter_split(data, len, &yaml, &yamllen, &body_line);
	if (yaml != NULL && frontmatter_parse(yaml, yamllen, &rb, &line,
	    &column, &cause) != 0) {
		/* The YAML starts on the file's second line. */
		rb_diags_add_kind(diags, RB_DIAG_FRONTMATTER, path, line + 1,
		    column, 1, "%s", cause);
		goto out;
	}

	fixup_apply(path, data + off, len - off, body_line, &fx, diags);
	doc = mrkdwn_parse(buf_str(&fx.text), fx.text.len);

	for (c = cmark_node_first_child(doc); c != NULL;
	    c = cmark_node_next(c)) {
		if (nnodes == nodescap) {
			nodescap = nodescap == 0 ? 64 : nodescap * 2;
			nodes = xreallocarray(nodes, nodescap, sizeof *nodes);
		}
		nodes[nnodes++] = c;
	}
	rb_check_depth(path, &fx, nodes, nnodes, diags);
	if (rb.title == NULL) {
		for (i = 0; i < nnodes; i++) {
			if (cmark_node_get_type(nodes[i]) ==
			    CMARK_NODE_HEADING &&
			    cmark_node_get_heading_level(nodes[i]) == 1) {
				rb.title = mrkdwn_heading_new(nodes[i]);
				if (*rb.title != '\0')
					break;
				free(rb.title);
				rb.title = NULL;
			}
		}
	}
	if (rb.title == NULL)
		rb.title = rb_basename_new(path);
	/* "X [Deprecated]" is still X; its section shows the label. */
	label = heading_label_cut(rb.title);
	free(label);
	/* Repositories name the file after the alert, not the heading. */
	strv_add_new(&rb.aliases, rb_basename_new(path));

	set->runbooks = xreallocarray(set->runbooks, set->nrunbooks + 1,
	    sizeof *set->runbooks);
	first = set->nsections;
	rb.first = first;

	/* One anchor list per section of this file; at most nnodes + 1. */
	anchors = xcalloc(nnodes + 1, sizeof *anchors);

	/* The preamble: whatever comes before the first heading. */
	for (i = 0; i < nnodes; i++) {
		if (cmark_node_get_type(nodes[i]) == CMARK_NODE_HEADING)
			break;
	}
	if (i > 0) {
		s = rb_section_add(set, set->nrunbooks, 0,
		    fixup_line(&fx, cmark_node_get_start_line(nodes[0])),
		    xstrdup(rb.title));
		if (rb_section_fill(s, nodes, 0, i, &anchors[0]) == 0) {
			/* Only comments or rules: not worth a section. */
			rb_section_release(s);
			rb_links_reset(&anchors[0]);
			set->nsections--;
		}
	}

	stack = xcalloc(nnodes + 1, sizeof *stack);
	depth = 0;
	for (; i < nnodes; i++) {
		if (cmark_node_get_type(nodes[i]) != CMARK_NODE_HEADING)
			continue;
		level = cmark_node_get_heading_level(nodes[i]);
		for (j = i + 1; j < nnodes; j++) {
			if (cmark_node_get_type(nodes[j]) ==
			    CMARK_NODE_HEADING &&
			    cmark_node_get_heading_level(nodes[j]) <= level)
				break;
		}
		s = rb_section_add(set, set->nrunbooks, level,
		    fixup_line(&fx, cmark_node_get_start_line(nodes[i])),
		    mrkdwn_heading_new(nodes[i]));
		while (depth > 0 &&
		    set->sections[stack[depth - 1]].level >= level)
			depth--;
		if (depth > 0)
			s->parent = (ssize_t)stack[depth - 1];
		stack[depth++] = s->id;
		rb_section_fill(s, nodes, i, j, &anchors[s->id - first]);
	}

	/* In-page links, resolved once every heading of the file is known. */
	rb_resolve_links(set, first, anchors, &rb.dead_links);
	for (i = first; i < set->nsections; i++)
		rb_links_reset(&anchors[i - first]);
	/* Found once per enclosing section, at lines of the fixed text. */
	for (i = 0; i < rb.dead_links.n; i++)
		rb.dead_links.v[i].line = fixup_line(&fx,
		    rb.dead_links.v[i].line);
	rb_links_uniq(&rb.dead_links);

	rb.count = set->nsections - first;
	set->runbooks[set->nrunbooks++] = rb;
	memset(&rb, 0, sizeof rb);	/* owned by set now */
	rv = 0;
out:
	free(anchors);
	free(stack);
	free(nodes);
	if (doc != NULL)
		cmark_node_free(doc);
	fixup_release(&fx);
	buf_reset(&utf8);
	free(cause);
	free(rb.path);
	free(rb.title);
	free(rb.service);
	strv_reset(&rb.tags);
	strv_reset(&rb.aliases);
	rb_links_reset(&rb.dead_links);
	return (rv);
}

/* ------------------------------------------------------------------ */
/* Reading files */

/*
 * Reads the file the walk found into b: the same file (device and inode),
 * and a regular one, so that nothing swapped in since (a link to
 * /etc/shadow, a FIFO that would block) is read. -1 with an error in
 * diags.
 */
static int
rb_read(const struct rb_file *rf, struct buf *b, struct rb_diags *diags)
{
	struct stat	 sb;
	char		 tmp[8192];
	ssize_t		 n;
	int		 fd, rv = -1;

	fd = open(rf->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1) {
		rb_diags_add(diags, rf->path, 0, 0, 1, "cannot open: %s",
		    strerror(errno));
		return (-1);
	}
	if (fstat(fd, &sb) != 0) {
		rb_diags_add(diags, rf->path, 0, 0, 1, "cannot stat: %s",
		    strerror(errno));
		goto out;
	}
	if (!S_ISREG(sb.st_mode) || sb.st_dev != rf->dev ||
	    sb.st_ino != rf->ino) {
		rb_diags_add(diags, rf->path, 0, 0, 1,
		    "replaced while the runbooks were loading");
		goto out;
	}
	for (;;) {
		n = read(fd, tmp, sizeof tmp);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			rb_diags_add(diags, rf->path, 0, 0, 1,
			    "cannot read: %s", strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		if (b->len + (size_t)n > RB_MAX_FILE) {
			rb_diags_add(diags, rf->path, 0, 0, 1,
			    "larger than %d bytes", RB_MAX_FILE);
			goto out;
		}
		buf_add(b, tmp, (size_t)n);
	}
	rv = 0;
out:
	close(fd);
	return (rv);
}

struct runbook_set *
runbook_set_load(const char *const *dirs, size_t ndirs,
    struct rb_diags *diags)
{
	return (runbook_set_load_flags(dirs, ndirs, 0, diags));
}

struct runbook_set *
runbook_set_load_flags(const char *const *dirs, size_t ndirs, int flags,
    struct rb_diags *diags)
{
	struct runbook_set	*set;
	struct rb_files		 files;
	struct buf		 data;
	size_t			 j;

	set = xcalloc(1, sizeof *set);
	memset(&files, 0, sizeof files);
	memset(&data, 0, sizeof data);
	if (rb_walk(dirs, ndirs, flags, &files, diags) != 0) {
		runbook_set_free(set);
		set = NULL;
		goto out;
	}
	for (j = 0; j < files.n; j++) {
		if (rb_read(&files.v[j], &data, diags) == 0)
			(void)rb_load_one(set, files.v[j].path, buf_str(&data),
			    data.len, diags);
		buf_reset(&data);
	}
	runbook_names_build(set);
out:
	rb_files_reset(&files);
	return (set);
}

struct runbook_set *
runbook_set_load_string(const char *name, const char *data, size_t len,
    struct rb_diags *diags)
{
	struct runbook_set	*set;

	set = xcalloc(1, sizeof *set);
	(void)rb_load_one(set, name, data, len, diags);
	runbook_names_build(set);
	return (set);
}

void
runbook_set_free(struct runbook_set *set)
{
	size_t	 i;

	if (set == NULL)
		return;
	for (i = 0; i < set->nrunbooks; i++) {
		free(set->runbooks[i].path);
		free(set->runbooks[i].title);
		free(set->runbooks[i].service);
		strv_reset(&set->runbooks[i].tags);
		strv_reset(&set->runbooks[i].aliases);
		rb_links_reset(&set->runbooks[i].dead_links);
		strv_reset(&set->runbooks[i].keys);
	}
	free(set->runbooks);
	free(set->names);
	for (i = 0; i < set->nsections; i++)
		rb_section_release(&set->sections[i]);
	free(set->sections);
	free(set);
}
