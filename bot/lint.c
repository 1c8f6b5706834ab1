/*
 * lint.c: the checks of `opsbot lint`: what in a runbook repository makes
 * the bot answer wrongly or not at all, as findings with positions. The
 * loader already found most of it (its diags and dead links); the rest
 * is read off the loaded sections. Printing is lint-format.c's job.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/lint.h"
#include "bot/runbook.h"
#include "bot/mrkdwn.h"

static void
lint_add(struct lint_findings *out, const char *file, int line, int column,
    enum lint_severity severity, const char *check, const char *fmt, ...)
    PRINTFLIKE(7, 8);

static void
lint_add(struct lint_findings *out, const char *file, int line, int column,
    enum lint_severity severity, const char *check, const char *fmt, ...)
{
	struct lint_finding	*f;
	va_list			 ap;

	if (out->n == out->cap) {
		out->cap = out->cap == 0 ? 16 : 2 * out->cap;
		out->v = xreallocarray(out->v, out->cap, sizeof *out->v);
	}
	f = &out->v[out->n];
	f->file = xstrdup(file);
	f->line = line;
	f->column = column;
	f->severity = severity;
	f->check = check;
	f->seq = out->n++;
	va_start(ap, fmt);
	xvasprintf(&f->message, fmt, ap);
	va_end(ap);
}

static const struct rb_section *
lint_section(const struct runbook_set *set, size_t id)
{
	return (&set->sections[id]);
}

static const char *
lint_file(const struct runbook_set *set, size_t id)
{
	return (set->runbooks[set->sections[id].runbook].path);
}

/* ------------------------------------------------------------------ */
/* What the loader found */

static void
lint_diags(const struct rb_diags *diags, struct lint_findings *out)
{
	const struct rb_diag	*d;
	const char		*check;
	size_t			 i;

	for (i = 0; i < diags->n; i++) {
		d = &diags->v[i];
		switch (d->kind) {
		case RB_DIAG_FRONTMATTER:
			check = "front-matter";
			break;
		case RB_DIAG_REPAIRED:
			check = "repaired-markdown";
			break;
		default:
			check = "load";
			break;
		}
		lint_add(out, d->file, d->line, d->column,
		    d->is_error ? LINT_ERROR : LINT_WARNING, check, "%s",
		    d->message);
	}
}

static void
lint_dead_links(const struct runbook_set *set, struct lint_findings *out)
{
	const struct runbook	*rb;
	const struct rb_link	*k;
	size_t			 i, j;

	for (i = 0; i < set->nrunbooks; i++) {
		rb = &set->runbooks[i];
		for (j = 0; j < rb->dead_links.n; j++) {
			k = &rb->dead_links.v[j];
			lint_add(out, rb->path, k->line, k->column, LINT_ERROR,
			    "dead-anchor", "link to '#%s' matches no heading "
			    "in this file", k->anchor);
		}
	}
}

/* ------------------------------------------------------------------ */
/* Names that make !sop ambiguous */

/* A name a runbook's top section answers to (one of rb->keys). */
struct lint_name {
	const char	*name;		/* borrowed: a slug from rb->keys */
	size_t		 runbook;
	int		 heading;	/* 1: the top heading's own name */
};

static int
lint_name_cmp(const void *a, const void *b)
{
	const struct lint_name	*x = a, *y = b;
	int			 c;

	if ((c = strcmp(x->name, y->name)) != 0)
		return (c);
	if (x->runbook != y->runbook)
		return (x->runbook < y->runbook ? -1 : 1);
	/* The heading first: it is the name people see. */
	return (y->heading - x->heading);
}

/*
 * Where a claim is written: the top heading at its line; a title or an
 * alias comes from the front matter or the file name, at the top.
 */
static int
lint_name_line(const struct runbook_set *set, const struct lint_name *n)
{
	const struct runbook	*rb = &set->runbooks[n->runbook];

	return (n->heading ? set->sections[rb->top].line : 1);
}

/*
 * What claims n, as written, for a message (new string): "heading
 * 'HiveDown'", "title '...'" or "alias 'Northbound Stale'". Only the
 * error path pays for finding the text behind a key.
 */
static char *
lint_name_what_new(const struct runbook_set *set, const struct lint_name *n)
{
	const struct runbook	*rb = &set->runbooks[n->runbook];
	const char		*what = "name", *text = n->name;
	char			*s, *k;
	size_t			 i;

	if (n->heading) {
		what = "heading";
		text = set->sections[rb->top].heading;
	} else {
		for (i = 0; i <= rb->aliases.n; i++) {
			s = i == 0 ? rb->title : rb->aliases.v[i - 1];
			if (s == NULL)
				continue;
			k = slug_new(s);
			if (strcmp(k, n->name) == 0) {
				what = i == 0 ? "title" : "alias";
				text = s;
				free(k);
				break;
			}
			free(k);
		}
	}
	xasprintf(&s, "%s '%s'", what, text);
	return (s);
}

/*
 * Two runbooks whose top sections answer to the same name (rb->keys,
 * the names runbook_resolve knows them by: heading, title, aliases):
 * `!sop NAME` cannot tell which is meant. Sub-sections are left out:
 * "Meaning" in many runbooks is reached by its path. Each later claim is
 * reported against the first.
 */
static void
lint_duplicate_names(const struct runbook_set *set,
    struct lint_findings *out)
{
	const struct runbook	*rb;
	struct lint_name	*v = NULL, *first;
	size_t			 n = 0, cap = 0, i, j;
	char			*what, *firstwhat;

	for (i = 0; i < set->nrunbooks; i++) {
		rb = &set->runbooks[i];
		if (rb->top == SIZE_MAX)
			continue;
		for (j = 0; j < rb->keys.n; j++) {
			if (n == cap) {
				cap = cap == 0 ? 16 : 2 * cap;
				v = xreallocarray(v, cap, sizeof *v);
			}
			v[n].name = rb->keys.v[j];
			v[n].runbook = i;
			/* keys[0] is the top heading's slug, if it has one. */
			v[n].heading = j == 0 &&
			    strcmp(set->sections[rb->top].slug, v[n].name) == 0;
			n++;
		}
	}
	if (n > 0)
		qsort(v, n, sizeof *v, lint_name_cmp);
	first = NULL;
	for (i = 0; i < n; i++) {
		if (first == NULL || strcmp(first->name, v[i].name) != 0) {
			first = &v[i];
			continue;
		}
		/* keys hold no repeats, but two runbooks may share one. */
		if (v[i].runbook == v[i - 1].runbook)
			continue;
		what = lint_name_what_new(set, &v[i]);
		firstwhat = lint_name_what_new(set, first);
		lint_add(out, set->runbooks[v[i].runbook].path,
		    lint_name_line(set, &v[i]), 1, LINT_ERROR,
		    "duplicate-name", "%s gives this runbook the name '%s', "
		    "which %s:%d (%s) has too: '!sop %s' is ambiguous", what,
		    v[i].name, set->runbooks[first->runbook].path,
		    lint_name_line(set, first), firstwhat, v[i].name);
		free(what);
		free(firstwhat);
	}
	free(v);
}

/* A section by slug, then parent, then order. */
struct lint_slug {
	const char	*slug;		/* borrowed from the section */
	ssize_t		 parent;
	size_t		 id;
};

static int
lint_slug_cmp(const void *a, const void *b)
{
	const struct lint_slug	*x = a, *y = b;
	int			 c;

	if ((c = strcmp(x->slug, y->slug)) != 0)
		return (c);
	if (x->parent != y->parent)
		return (x->parent < y->parent ? -1 : 1);
	return (x->id < y->id ? -1 : x->id > y->id);
}

/*
 * Two headings of one runbook with the same slug under the same parent:
 * no path tells them apart, only their order (runbook/section#2), an
 * error. Each is reported against the one before it. Sorted, so that a
 * file of a thousand "## Notes" costs n log n, not n squared.
 */
static void
lint_duplicate_sections(const struct runbook_set *set, size_t r,
    struct lint_findings *out)
{
	const struct runbook	*rb = &set->runbooks[r];
	const struct rb_section	*s, *t;
	struct lint_slug	*v;
	size_t			 n = 0, i;

	v = xcalloc(rb->count + 1, sizeof *v);
	for (i = rb->first; i < rb->first + rb->count; i++) {
		s = lint_section(set, i);
		/* The preamble is named after the runbook, not by its text. */
		if (s->level == 0 || *s->slug == '\0')
			continue;
		v[n].slug = s->slug;
		v[n].parent = s->parent;
		v[n++].id = i;
	}
	qsort(v, n, sizeof *v, lint_slug_cmp);
	/*
	 * Sorted by slug, then parent: two of one name under one heading
	 * are neighbours. Under different headings each is reached through
	 * its heading's path (runbook_ref_new), so only these are reported.
	 */
	for (i = 1; i < n; i++) {
		if (v[i - 1].parent != v[i].parent ||
		    strcmp(v[i - 1].slug, v[i].slug) != 0)
			continue;
		s = lint_section(set, v[i].id);
		t = lint_section(set, v[i - 1].id);
		lint_add(out, rb->path, s->line, 1, LINT_ERROR,
		    "duplicate-section", "section '%s' has the name of the one "
		    "at line %d ('%s') under the same heading: only their "
		    "order (#N) tells them apart", s->heading, t->line,
		    t->heading);
	}
	free(v);
}

/* ------------------------------------------------------------------ */
/* Sections that answer with nothing, or with too much */

/* Whether section id has sub-sections (they follow it directly). */
static int
lint_has_children(const struct runbook_set *set, size_t id)
{
	return (id + 1 < set->nsections &&
	    set->sections[id + 1].parent == (ssize_t)id);
}

/*
 * The placeholder word a block starts with ("TODO", "TBD", "FIXME"),
 * markup and punctuation before it skipped, or NULL.
 */
static const char *
lint_placeholder(const char *block)
{
	static const char	*words[] = { "TODO", "TBD", "FIXME" };
	const char		*p = block;
	size_t			 i, n;
	char			 c;

	for (;;) {
		if (*p != '\0' && strchr(" \t\n*_~`>-[]():", *p) != NULL)
			p++;
		else if (strncmp(p, "\xe2\x80\xa2", 3) == 0)	/* bullet */
			p += 3;
		else
			break;
	}
	for (i = 0; i < sizeof words / sizeof words[0]; i++) {
		n = strlen(words[i]);
		if (strncasecmp(p, words[i], n) != 0)
			continue;
		c = p[n];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_')
			continue;
		return (words[i]);
	}
	return (NULL);
}

/*
 * A heading with nothing under it that the bot would show, or only a
 * placeholder ("TODO: write the steps"): `!sop` answers with a title.
 * A heading that only groups sub-sections is not empty.
 */
static void
lint_empty(const struct runbook_set *set, size_t id,
    struct lint_findings *out)
{
	const struct rb_section	*s = lint_section(set, id);
	const char		*word;

	if (s->level == 0 || lint_has_children(set, id))
		return;
	if (s->blocks.n <= 1) {
		lint_add(out, lint_file(set, id), s->line, 1, LINT_WARNING,
		    "empty-section", "section '%s' is empty", s->heading);
		return;
	}
	if (s->blocks.n == 2 && (word = lint_placeholder(s->blocks.v[1])) !=
	    NULL)
		lint_add(out, lint_file(set, id), s->line, 1, LINT_WARNING,
		    "todo-section", "section '%s' holds only a placeholder "
		    "(%s)", s->heading, word);
}

/*
 * A section whose answer (runbook_section_reply, measured by reply_size
 * as cmd_section_reply does) is too big for one answer and that has no
 * sub-sections to offer instead: `!sop` can only say it is too long.
 */
static void
lint_too_long(const struct runbook_set *set, size_t id,
    struct lint_findings *out)
{
	const struct rb_section	*s = lint_section(set, id);
	struct reply		 r;
	size_t			 bytes;

	if (lint_has_children(set, id))
		return;
	memset(&r, 0, sizeof r);
	runbook_section_reply(set, id, &r);
	bytes = reply_size(&r);
	reply_reset(&r);
	if (bytes <= REPLY_ANSWER_MAX_BYTES)
		return;
	lint_add(out, lint_file(set, id), s->line, 1, LINT_WARNING,
	    "too-long", "section '%s' takes %zu bytes (about %zu messages) "
	    "as an answer, more than the %d one answer holds, and has no "
	    "sub-sections to offer instead", s->heading, bytes,
	    bytes / REPLY_MSG_LIMIT + 1, REPLY_ANSWER_MAX_BYTES);
}

/* ------------------------------------------------------------------ */

static int
lint_finding_cmp(const void *a, const void *b)
{
	const struct lint_finding	*x = a, *y = b;
	int				 c;

	if ((c = strcmp(x->file, y->file)) != 0)
		return (c);
	if (x->line != y->line)
		return (x->line < y->line ? -1 : 1);
	if (x->column != y->column)
		return (x->column < y->column ? -1 : 1);
	return (x->seq < y->seq ? -1 : x->seq > y->seq);
}

void
lint_check(const struct runbook_set *set, const struct rb_diags *diags,
    struct lint_findings *out)
{
	size_t	 i;

	if (diags != NULL)
		lint_diags(diags, out);
	if (set != NULL) {
		lint_dead_links(set, out);
		lint_duplicate_names(set, out);
		for (i = 0; i < set->nrunbooks; i++)
			lint_duplicate_sections(set, i, out);
		for (i = 0; i < set->nsections; i++) {
			lint_empty(set, i, out);
			lint_too_long(set, i, out);
		}
	}
	if (out->n > 0)
		qsort(out->v, out->n, sizeof *out->v, lint_finding_cmp);
}

void
lint_count(const struct lint_findings *f, size_t *errors, size_t *warnings)
{
	size_t	 i;

	*errors = *warnings = 0;
	for (i = 0; i < f->n; i++) {
		if (f->v[i].severity == LINT_ERROR)
			(*errors)++;
		else
			(*warnings)++;
	}
}

int
lint_exit_status(const struct lint_findings *f, int strict)
{
	size_t	 errors, warnings;

	lint_count(f, &errors, &warnings);
	if (errors > 0)
		return (2);
	if (warnings > 0 && strict)
		return (1);
	return (0);
}

void
lint_findings_reset(struct lint_findings *f)
{
	size_t	 i;

	for (i = 0; i < f->n; i++) {
		free(f->v[i].file);
		free(f->v[i].message);
	}
	free(f->v);
	memset(f, 0, sizeof *f);
}
