/*
 * runbook-link.c: lists of in-page links ([text](#anchor)) with where each
 * is written, so that a link no heading answers can be reported there.
 */
#include <stdlib.h>
#include <string.h>

#include "bot/runbook.h"

void
rb_links_add(struct rb_links *l, const char *anchor, int line, int column)
{
	struct rb_link	*k;

	/* Doubling: a big runbook can hold as many links as lines. */
	if (l->n == l->cap) {
		l->cap = l->cap == 0 ? 8 : 2 * l->cap;
		l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	k = &l->v[l->n++];
	k->anchor = xstrdup(anchor);
	k->line = line;
	k->column = column;
}

static int
rb_link_cmp(const void *a, const void *b)
{
	const struct rb_link	*x = a, *y = b;

	if (x->line != y->line)
		return (x->line < y->line ? -1 : 1);
	if (x->column != y->column)
		return (x->column < y->column ? -1 : 1);
	return (strcmp(x->anchor, y->anchor));
}

void
rb_links_uniq(struct rb_links *l)
{
	size_t	 i, n = 0;

	if (l->n == 0)
		return;
	qsort(l->v, l->n, sizeof *l->v, rb_link_cmp);
	for (i = 1; i < l->n; i++) {
		if (rb_link_cmp(&l->v[n], &l->v[i]) == 0) {
			free(l->v[i].anchor);
			continue;
		}
		l->v[++n] = l->v[i];
	}
	l->n = n + 1;
}

void
rb_links_reset(struct rb_links *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].anchor);
	free(l->v);
	memset(l, 0, sizeof *l);
}
