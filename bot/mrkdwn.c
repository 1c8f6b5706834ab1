/*
 * mrkdwn.c: runbook Markdown (a cmark-gfm tree) to Slack mrkdwn, one
 * string per top-level block so replies can be split between blocks.
 * Everything from the runbook is escaped; nothing is ever truncated, but
 * what nests deeper than MRKDWN_MAX_DEPTH is shown as plain text.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>

#include "bot/mrkdwn.h"
#include "bot/runbook.h"

#define MD_INDENT	4	/* spaces per list nesting level */
#define MD_CELL_MAX	60	/* wider cells do not widen their column */

#define MD_UNCHECKED	"\xe2\x98\x90"	/* U+2610 BALLOT BOX */
#define MD_CHECKED	"\xe2\x98\x91"	/* U+2611 */
#define MD_BULLET	"\xe2\x80\xa2"	/* U+2022 BULLET */

static void	md_block(struct buf *, cmark_node *, int);
static void	md_inlines(struct buf *, cmark_node *, size_t, int);

static int
md_is(cmark_node *n, const char *type)
{
	return (strcmp(cmark_node_get_type_string(n), type) == 0);
}

static const char *
md_literal(cmark_node *n)
{
	const char	*s;

	s = cmark_node_get_literal(n);
	return (s != NULL ? s : "");
}

static void
md_escapes(struct buf *b, const char *s)
{
	mrkdwn_escape(b, s, strlen(s));
}

/*
 * The nodes cmark_iter enters but never leaves (its iterator.c's list):
 * a walk that acts on leaving a node acts for these on entering.
 */
static int
md_leaf(cmark_node *n)
{
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_HTML_BLOCK:
	case CMARK_NODE_THEMATIC_BREAK:
	case CMARK_NODE_CODE_BLOCK:
	case CMARK_NODE_TEXT:
	case CMARK_NODE_SOFTBREAK:
	case CMARK_NODE_LINEBREAK:
	case CMARK_NODE_CODE:
	case CMARK_NODE_HTML_INLINE:
		return (1);
	default:
		return (0);
	}
}

/* What mrkdwn_plain() adds for n on entering it. */
static void
md_plain_enter(cmark_node *n, struct buf *b)
{
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_TEXT:
	case CMARK_NODE_CODE:
	case CMARK_NODE_CODE_BLOCK:
		buf_adds(b, md_literal(n));
		break;
	case CMARK_NODE_HTML_INLINE:
		/* Shown as text by md_inline(), so searchable as text. */
		if (strncmp(md_literal(n), "<!--", 4) != 0 &&
		    strncasecmp(md_literal(n), "<br", 3) != 0)
			buf_adds(b, md_literal(n));
		break;
	case CMARK_NODE_SOFTBREAK:
		buf_addc(b, ' ');
		break;
	case CMARK_NODE_LINEBREAK:
		buf_addc(b, '\n');
		break;
	default:
		break;
	}
}

/* What mrkdwn_plain() adds for n once its children are done. */
static void
md_plain_leave(cmark_node *n, struct buf *b)
{
	cmark_node_type	 t;

	t = cmark_node_get_type(n);
	if (t == CMARK_NODE_HTML_BLOCK)
		return;
	if (md_is(n, "table_cell"))
		buf_addc(b, ' ');
	else if ((t & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK &&
	    b->len > 0 && b->s[b->len - 1] != '\n')
		buf_addc(b, '\n');
}

/*
 * An iterative walk (cmark_iter): plain text is taken of trees of any
 * depth (headings, link text, flattened deep content).
 */
void
mrkdwn_plain(cmark_node *n, struct buf *b)
{
	cmark_iter		*it;
	cmark_event_type	 ev;
	cmark_node		*c;

	it = cmark_iter_new(n);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		c = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER)
			md_plain_enter(c, b);
		if (ev == CMARK_EVENT_EXIT || md_leaf(c))
			md_plain_leave(c, b);
	}
	cmark_iter_free(it);
}

/*
 * n past MRKDWN_MAX_DEPTH: its plain text, escaped, without the
 * trailing newline of a block.
 */
static void
md_flat(struct buf *b, cmark_node *n)
{
	struct buf	 plain;

	memset(&plain, 0, sizeof plain);
	mrkdwn_plain(n, &plain);
	while (plain.len > 0 && plain.s[plain.len - 1] == '\n')
		plain.len--;
	mrkdwn_escape(b, buf_str(&plain), plain.len);
	buf_reset(&plain);
}

char *
mrkdwn_heading_new(cmark_node *n)
{
	struct buf	 b;
	char		*s, *p, *e;

	memset(&b, 0, sizeof b);
	mrkdwn_plain(n, &b);
	s = buf_release(&b);
	for (p = s; *p != '\0'; p++) {
		if (*p == '\n' || *p == '\t' || *p == '\r')
			*p = ' ';
	}
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == ':'))
		e--;
	*e = '\0';
	for (p = s; *p == ' '; p++)
		;
	memmove(s, p, strlen(p) + 1);
	return (s);
}

void
mrkdwn_anchors(cmark_node *n, struct rb_links *out)
{
	cmark_iter		*it;
	cmark_event_type	 ev;
	cmark_node		*c;
	const char		*url;

	it = cmark_iter_new(n);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		c = cmark_iter_get_node(it);
		if (cmark_node_get_type(c) != CMARK_NODE_LINK)
			continue;
		url = cmark_node_get_url(c);
		if (url != NULL && url[0] == '#' && url[1] != '\0')
			rb_links_add(out, url + 1, cmark_node_get_start_line(c),
			    cmark_node_get_start_column(c));
	}
	cmark_iter_free(it);
}

cmark_node *
mrkdwn_too_deep(cmark_node *block)
{
	cmark_iter		*it;
	cmark_event_type	 ev;
	cmark_node		*c, *found = NULL;
	int			 depth = -1;

	it = cmark_iter_new(block);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		c = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_EXIT) {
			depth--;
			continue;
		}
		if (++depth > MRKDWN_MAX_DEPTH) {
			found = c;
			break;
		}
		if (md_leaf(c))
			depth--;
	}
	cmark_iter_free(it);
	return (found);
}

/* <url|text>, or <url> when the text says nothing more than the URL. */
static void
md_link(struct buf *b, cmark_node *n, int depth)
{
	struct buf	 text;
	const char	*url;
	size_t		 start;

	url = cmark_node_get_url(n);
	start = b->len;
	buf_addc(b, '<');
	if (url == NULL || mrkdwn_escape_url(b, url) == -1 ||
	    b->len == start + 1) {
		/*
		 * In-page anchors cannot be followed from Slack, and a
		 * target Slack would read as a mention must not become one.
		 */
		buf_truncate(b, start);
		md_inlines(b, n, 0, depth);
		return;
	}
	memset(&text, 0, sizeof text);
	mrkdwn_plain(n, &text);
	if (text.len != 0 && strcmp(buf_str(&text), url) != 0) {
		buf_addc(b, '|');
		mrkdwn_escape(b, text.s, text.len);
	}
	buf_addc(b, '>');
	buf_reset(&text);
}

/*
 * Wraps the rendering of n's children in a mrkdwn marker, if not empty.
 * Rendered in place: a copy per level would cost depth times the text.
 */
static void
md_wrap(struct buf *b, cmark_node *n, const char *mark, int depth)
{
	size_t	 start;

	buf_adds(b, mark);
	start = b->len;
	md_inlines(b, n, 0, depth);
	if (b->len == start)
		buf_truncate(b, start - strlen(mark));
	else
		buf_adds(b, mark);
}

/* n at depth below its top-level block; see MRKDWN_MAX_DEPTH. */
static void
md_inline(struct buf *b, cmark_node *n, size_t skip, int depth)
{
	const char	*lit;

	if (depth > MRKDWN_MAX_DEPTH) {
		md_flat(b, n);
		return;
	}
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_TEXT:
		lit = md_literal(n);
		if (skip > strlen(lit))
			skip = strlen(lit);
		md_escapes(b, lit + skip);
		break;
	case CMARK_NODE_CODE:
		buf_addc(b, '`');
		md_escapes(b, md_literal(n));
		buf_addc(b, '`');
		break;
	case CMARK_NODE_SOFTBREAK:
		buf_addc(b, ' ');
		break;
	case CMARK_NODE_LINEBREAK:
		buf_addc(b, '\n');
		break;
	case CMARK_NODE_EMPH:
		md_wrap(b, n, "_", depth);
		break;
	case CMARK_NODE_STRONG:
		md_wrap(b, n, "*", depth);
		break;
	case CMARK_NODE_LINK:
	case CMARK_NODE_IMAGE:
		md_link(b, n, depth);
		break;
	case CMARK_NODE_HTML_INLINE:
		lit = md_literal(n);
		if (strncmp(lit, "<!--", 4) == 0)
			break;
		if (strncasecmp(lit, "<br", 3) == 0) {
			buf_addc(b, '\n');
			break;
		}
		/* Probably a placeholder like <name>, not markup: show it. */
		md_escapes(b, lit);
		break;
	default:
		if (md_is(n, "strikethrough"))
			md_wrap(b, n, "~", depth);
		else
			md_inlines(b, n, 0, depth);
		break;
	}
}

/*
 * Renders the inline children of n (at depth); skip drops bytes from the
 * first text.
 */
static void
md_inlines(struct buf *b, cmark_node *n, size_t skip, int depth)
{
	cmark_node	*c;

	for (c = cmark_node_first_child(n); c != NULL; c = cmark_node_next(c)) {
		md_inline(b, c, skip, depth + 1);
		skip = 0;
	}
}

/* Display width of UTF-8 text: code points (right for most text). */
static size_t
md_width(const char *s)
{
	size_t	 n = 0;

	for (; *s != '\0'; s++) {
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	}
	return (n);
}

/* Appends s with every line after the first indented by indent spaces. */
static void
md_add_indented(struct buf *b, const char *s, size_t indent, int first)
{
	const char	*nl;
	size_t		 i;

	for (;;) {
		if (!first && *s != '\n') {
			for (i = 0; i < indent; i++)
				buf_addc(b, ' ');
		}
		first = 0;
		nl = strchr(s, '\n');
		if (nl == NULL) {
			buf_adds(b, s);
			return;
		}
		buf_add(b, s, (size_t)(nl - s) + 1);
		s = nl + 1;
	}
}

/*
 * Whether item is a task: cmark-gfm marks it, except inside block quotes
 * where its task list extension misses "[ ] " and leaves it as text.
 * Returns -1 (not a task), 0 (unchecked) or 1 (checked); *skip is how
 * many bytes of the first text are the box.
 */
static int
md_task(cmark_node *item, size_t *skip)
{
	cmark_node	*p, *t;
	const char	*lit;

	*skip = 0;
	if (md_is(item, "tasklist"))
		return (cmark_gfm_extensions_get_tasklist_item_checked(item));
	p = cmark_node_first_child(item);
	if (p == NULL || cmark_node_get_type(p) != CMARK_NODE_PARAGRAPH)
		return (-1);
	t = cmark_node_first_child(p);
	if (t == NULL || cmark_node_get_type(t) != CMARK_NODE_TEXT)
		return (-1);
	lit = md_literal(t);
	if (lit[0] != '[' || (lit[1] != ' ' && lit[1] != 'x' &&
	    lit[1] != 'X') || lit[2] != ']' || lit[3] != ' ')
		return (-1);
	*skip = 4;
	return (lit[1] != ' ');
}

/*
 * A list at depth, its items at depth + 1, what they hold at depth + 2.
 * Nested lists are indented MD_INDENT more each: MRKDWN_MAX_DEPTH bounds
 * the indentation, which would otherwise grow with the square of depth.
 */
static void
md_list(struct buf *b, cmark_node *list, size_t indent, int depth)
{
	struct buf	 sub;
	cmark_node	*item, *c;
	int		 ordered, num, task;
	size_t		 i, skip, width, mark;
	char		 delim;

	ordered = cmark_node_get_list_type(list) == CMARK_ORDERED_LIST;
	delim = cmark_node_get_list_delim(list) == CMARK_PAREN_DELIM ? ')' :
	    '.';
	num = cmark_node_get_list_start(list);
	for (item = cmark_node_first_child(list); item != NULL;
	    item = cmark_node_next(item), num++) {
		if (item != cmark_node_first_child(list))
			buf_addc(b, '\n');
		for (i = 0; i < indent; i++)
			buf_addc(b, ' ');
		mark = b->len;
		if (ordered)
			buf_printf(b, "%d%c ", num, delim);
		task = md_task(item, &skip);
		if (task == 0)
			buf_adds(b, MD_UNCHECKED " ");
		else if (task == 1)
			buf_adds(b, MD_CHECKED " ");
		else if (!ordered)
			buf_adds(b, MD_BULLET " ");
		width = md_width(b->s + mark);
		if (depth + 1 > MRKDWN_MAX_DEPTH) {
			md_flat(b, item);
			continue;
		}

		/* Past the limit, md_block() flattens what the item holds. */
		for (c = cmark_node_first_child(item); c != NULL;
		    c = cmark_node_next(c)) {
			memset(&sub, 0, sizeof sub);
			if (cmark_node_get_type(c) == CMARK_NODE_LIST &&
			    depth + 2 <= MRKDWN_MAX_DEPTH) {
				buf_addc(b, '\n');
				md_list(b, c, indent + MD_INDENT, depth + 2);
				continue;
			}
			if (cmark_node_get_type(c) == CMARK_NODE_PARAGRAPH &&
			    depth + 2 <= MRKDWN_MAX_DEPTH)
				md_inlines(&sub, c, skip, depth + 2);
			else
				md_block(&sub, c, depth + 2);
			skip = 0;
			if (sub.len == 0)
				continue;
			if (c != cmark_node_first_child(item))
				buf_addc(b, '\n');
			if (cmark_node_get_type(c) == CMARK_NODE_CODE_BLOCK)
				/* Fences stay unindented. */
				buf_add(b, sub.s, sub.len);
			else
				md_add_indented(b, sub.s, indent + width,
				    c == cmark_node_first_child(item));
			buf_reset(&sub);
		}
	}
}

static void
md_quote(struct buf *b, cmark_node *quote, int depth)
{
	struct buf	 in;
	cmark_node	*c;
	const char	*s, *nl;

	memset(&in, 0, sizeof in);
	for (c = cmark_node_first_child(quote); c != NULL;
	    c = cmark_node_next(c)) {
		if (in.len > 0)
			buf_adds(&in, "\n\n");
		md_block(&in, c, depth + 1);
	}
	s = buf_str(&in);
	while (*s != '\0') {
		nl = strchr(s, '\n');
		if (nl == NULL)
			nl = s + strlen(s);
		buf_addc(b, '>');
		if (nl > s)
			buf_addc(b, ' ');
		buf_add(b, s, (size_t)(nl - s));
		if (*nl == '\0')
			break;
		buf_addc(b, '\n');
		s = nl + 1;
	}
	buf_reset(&in);
}

/* A table as an aligned monospace block: Slack has no tables. */
static void
md_table(struct buf *b, cmark_node *table)
{
	struct strv	 cells;
	struct buf	 line, plain;
	cmark_node	*row, *cell;
	size_t		*widths = NULL, ncols = 0, nrows = 0;
	size_t		 col, r, w, i;
	size_t		 last;
	char		*s, *p;
	int		 header;

	memset(&cells, 0, sizeof cells);
	memset(&line, 0, sizeof line);
	/* First pass: the cells' text, row-major, ncols per row. */
	for (row = cmark_node_first_child(table); row != NULL;
	    row = cmark_node_next(row)) {
		col = 0;
		for (cell = cmark_node_first_child(row); cell != NULL;
		    cell = cmark_node_next(cell))
			col++;
		if (col > ncols)
			ncols = col;
	}
	if (ncols == 0)
		return;
	widths = xcalloc(ncols, sizeof *widths);
	for (row = cmark_node_first_child(table); row != NULL;
	    row = cmark_node_next(row), nrows++) {
		cell = cmark_node_first_child(row);
		for (col = 0; col < ncols; col++) {
			memset(&plain, 0, sizeof plain);
			if (cell != NULL) {
				mrkdwn_plain(cell, &plain);
				cell = cmark_node_next(cell);
			}
			s = buf_release(&plain);
			for (p = s; *p != '\0'; p++) {
				if (*p == '\n')
					*p = ' ';
			}
			p = s + strlen(s);
			while (p > s && p[-1] == ' ')
				*--p = '\0';
			w = md_width(s);
			if (w <= MD_CELL_MAX && w > widths[col])
				widths[col] = w;
			strv_add_new(&cells, s);
		}
	}

	buf_adds(b, "```\n");
	for (r = 0; r < nrows; r++) {
		header = r == 0 &&
		    cmark_gfm_extensions_get_table_row_is_header(
		    cmark_node_first_child(table));
		/* Trailing empty cells would only add a dangling " |". */
		last = ncols;
		while (last > 1 && *cells.v[r * ncols + last - 1] == '\0')
			last--;
		for (col = 0; col < last; col++) {
			s = cells.v[r * ncols + col];
			if (col > 0)
				buf_adds(&line, " | ");
			buf_adds(&line, s);
			for (w = md_width(s); w < widths[col]; w++)
				buf_addc(&line, ' ');
		}
		while (line.len > 0 && line.s[line.len - 1] == ' ')
			buf_truncate(&line, line.len - 1);
		mrkdwn_escape(b, line.s != NULL ? line.s : "", line.len);
		buf_addc(b, '\n');
		buf_reset(&line);
		if (header) {
			for (col = 0; col < ncols; col++) {
				if (col > 0)
					buf_adds(b, "-+-");
				for (i = 0; i < widths[col] || i == 0; i++)
					buf_addc(b, '-');
			}
			buf_addc(b, '\n');
		}
	}
	buf_adds(b, "```");
	free(widths);
	strv_reset(&cells);
}

static void
md_code_block(struct buf *b, cmark_node *n)
{
	const char	*lit;
	size_t		 len;

	lit = md_literal(n);
	len = strlen(lit);
	if (len > 0 && lit[len - 1] == '\n')
		len--;
	buf_adds(b, "```\n");
	mrkdwn_escape(b, lit, len);
	buf_adds(b, "\n```");
}

/* n at depth below its top-level block; see MRKDWN_MAX_DEPTH. */
static void
md_block(struct buf *b, cmark_node *n, int depth)
{
	char		*s;
	cmark_node	*c;
	size_t		 start;

	if (depth > MRKDWN_MAX_DEPTH) {
		md_flat(b, n);
		return;
	}
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_PARAGRAPH:
		md_inlines(b, n, 0, depth);
		break;
	case CMARK_NODE_HEADING:
		s = mrkdwn_heading_new(n);
		if (*s != '\0') {
			buf_addc(b, '*');
			md_escapes(b, s);
			buf_addc(b, '*');
		}
		free(s);
		break;
	case CMARK_NODE_BLOCK_QUOTE:
		md_quote(b, n, depth);
		break;
	case CMARK_NODE_LIST:
		md_list(b, n, 0, depth);
		break;
	case CMARK_NODE_CODE_BLOCK:
		md_code_block(b, n);
		break;
	case CMARK_NODE_HTML_BLOCK:
	case CMARK_NODE_THEMATIC_BREAK:
		break;
	default:
		if (md_is(n, "table")) {
			md_table(b, n);
			break;
		}
		/* Unknown containers: their blocks, one after another. */
		for (c = cmark_node_first_child(n); c != NULL;
		    c = cmark_node_next(c)) {
			start = b->len;
			if (start > 0)
				buf_adds(b, "\n\n");
			md_block(b, c, depth + 1);
			if (b->len == start + (start > 0 ? 2 : 0))
				buf_truncate(b, start);
		}
		break;
	}
}

void
mrkdwn_render_block(cmark_node *n, struct strv *blocks)
{
	struct buf	 b;

	memset(&b, 0, sizeof b);
	md_block(&b, n, 0);
	if (b.len > 0)
		strv_add_new(blocks, buf_release(&b));
	else
		buf_reset(&b);
}

cmark_node *
mrkdwn_parse(const char *md, size_t len)
{
	static const char	*exts[] = {
		"table", "strikethrough", "autolink", "tasklist"
	};
	cmark_parser		*parser;
	cmark_syntax_extension	*ext;
	cmark_node		*doc;
	size_t			 i;

	cmark_gfm_core_extensions_ensure_registered();
	parser = cmark_parser_new(CMARK_OPT_DEFAULT);
	if (parser == NULL)
		fatalx("cmark_parser_new failed");
	for (i = 0; i < sizeof exts / sizeof exts[0]; i++) {
		ext = cmark_find_syntax_extension(exts[i]);
		if (ext == NULL)
			fatalx("cmark-gfm extension %s missing", exts[i]);
		cmark_parser_attach_syntax_extension(parser, ext);
	}
	cmark_parser_feed(parser, md, len);
	doc = cmark_parser_finish(parser);
	cmark_parser_free(parser);
	if (doc == NULL)
		fatalx("cmark_parser_finish failed");
	return (doc);
}

void
mrkdwn_render_string(const char *md, size_t len, struct strv *blocks)
{
	cmark_node	*doc, *c;

	doc = mrkdwn_parse(md, len);
	for (c = cmark_node_first_child(doc); c != NULL; c = cmark_node_next(c))
		mrkdwn_render_block(c, blocks);
	cmark_node_free(doc);
}
