/*
 * runbook-index.c: finding sections: by slug for "!sop hivedown", by
 * nearest slug for suggestions, and by full text through the store.
 */
#include <stdlib.h>
#include <string.h>

#include "bot/bot.h"
#include "store/store.h"

struct rb_hit {
	int	 preferred;	/* 0 if its runbook matches prefer */
	int	 level;
	size_t	 id;
};

static int
rb_hit_cmp(const void *a, const void *b)
{
	const struct rb_hit	*x = a, *y = b;

	if (x->preferred != y->preferred)
		return (x->preferred < y->preferred ? -1 : 1);
	if (x->level != y->level)
		return (x->level < y->level ? -1 : 1);
	if (x->id != y->id)
		return (x->id < y->id ? -1 : 1);
	return (0);
}

/* Whether the runbook's tags or title contain prefer, ignoring case. */
static int
rb_prefers(const struct runbook *rb, const char *prefer)
{
	size_t	 i;

	if (strcasestr(rb->title, prefer) != NULL)
		return (1);
	for (i = 0; i < rb->tags.n; i++) {
		if (strcasestr(rb->tags.v[i], prefer) != NULL)
			return (1);
	}
	return (0);
}

size_t
runbook_find(const struct runbook_set *set, const char *query,
    const char *prefer, size_t **ids)
{
	struct rb_hit		*hits = NULL;
	const struct rb_section	*s;
	char			*slug;
	size_t			 i, n = 0, cap = 0;

	*ids = NULL;
	slug = slug_new(query);
	if (*slug == '\0')
		goto out;
	for (i = 0; i < set->nsections; i++) {
		s = &set->sections[i];
		if (strcmp(s->slug, slug) != 0)
			continue;
		if (n == cap) {
			cap = cap == 0 ? 8 : 2 * cap;
			hits = xreallocarray(hits, cap, sizeof *hits);
		}
		hits[n].preferred = prefer == NULL || *prefer == '\0' ||
		    !rb_prefers(&set->runbooks[s->runbook], prefer);
		hits[n].level = s->level;
		hits[n].id = s->id;
		n++;
	}
	if (n == 0)
		goto out;
	qsort(hits, n, sizeof *hits, rb_hit_cmp);
	*ids = xcalloc(n, sizeof **ids);
	for (i = 0; i < n; i++)
		(*ids)[i] = hits[i].id;
out:
	free(hits);
	free(slug);
	return (n);
}

struct rb_near {
	size_t		 distance;
	int		 partial;	/* 0 if one contains the other */
	const char	*slug;		/* borrowed from the set */
};

static int
rb_near_cmp(const void *a, const void *b)
{
	const struct rb_near	*x = a, *y = b;

	if (x->distance != y->distance)
		return (x->distance < y->distance ? -1 : 1);
	if (x->partial != y->partial)
		return (x->partial < y->partial ? -1 : 1);
	return (strcmp(x->slug, y->slug));
}

void
runbook_suggest(const struct runbook_set *set, const char *query,
    size_t max, struct strv *out)
{
	struct rb_near	*near = NULL;
	const char	*slug;
	char		*q;
	size_t		 i, n = 0, k, qlen, slen, limit, d;
	int		 partial;

	q = slug_new(query);
	qlen = strlen(q);
	if (qlen == 0 || max == 0)
		goto out;
	/* Beyond this many edits a slug is a different word, not a typo. */
	limit = qlen / 3 > 2 ? qlen / 3 : 2;
	near = xcalloc(set->nsections, sizeof *near);
	for (i = 0; i < set->nsections; i++) {
		slug = set->sections[i].slug;
		if (*slug == '\0')
			continue;
		slen = strlen(slug);
		partial = !((qlen >= 3 && strstr(slug, q) != NULL) ||
		    (slen >= 3 && strstr(q, slug) != NULL));
		/*
		 * When one holds the other the distance is the difference in
		 * length; else it is at least that, so most slugs are out
		 * before the O(qlen * slen) distance is worked out.
		 */
		d = qlen > slen ? qlen - slen : slen - qlen;
		if (partial && d > limit)
			continue;
		if (partial && (d = slug_distance(q, slug)) > limit)
			continue;
		near[n].distance = d;
		near[n].partial = partial;
		near[n].slug = slug;
		n++;
	}
	/*
	 * A slug shared by several sections sorts next to itself (same
	 * distance, same partial): kept once. Looking each one up in the
	 * list so far was quadratic when most sections matched ("step").
	 */
	if (n > 0)
		qsort(near, n, sizeof *near, rb_near_cmp);
	for (i = 0, k = 0; i < n && k < max; i++) {
		if (i > 0 && strcmp(near[i].slug, near[i - 1].slug) == 0)
			continue;
		strv_add(out, near[i].slug);
		k++;
	}
out:
	free(near);
	free(q);
}

int
runbook_index_build(const struct runbook_set *set, struct store *store)
{
	const struct rb_section	*s;
	size_t			 i;

	/* One transaction: a row at a time took 49 s for 87,846 sections. */
	if (store_index_begin(store) != 0)
		return (-1);
	for (i = 0; i < set->nsections; i++) {
		s = &set->sections[i];
		if (store_index_add(store, (int64_t)s->id,
		    set->runbooks[s->runbook].title, s->heading,
		    s->text) != 0) {
			(void)store_rollback(store);
			return (-1);
		}
	}
	return (store_index_commit(store));
}
