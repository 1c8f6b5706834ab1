/*
 * runbook-index.c: finding sections: by name for "!sop hivedown", by
 * nearest name for suggestions, and by full text through the store.
 */
#include <stdlib.h>
#include <string.h>

#include "bot/runbook.h"
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

int
runbook_prefers(const struct runbook *rb, const char *prefer)
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
	size_t			 i, n;

	n = runbook_resolve(set, query, ids);
	if (n < 2)
		return (n);
	hits = xcalloc(n, sizeof *hits);
	for (i = 0; i < n; i++) {
		s = &set->sections[(*ids)[i]];
		hits[i].preferred = prefer == NULL || *prefer == '\0' ||
		    !runbook_prefers(&set->runbooks[s->runbook], prefer);
		hits[i].level = s->level;
		hits[i].id = s->id;
	}
	qsort(hits, n, sizeof *hits, rb_hit_cmp);
	for (i = 0; i < n; i++)
		(*ids)[i] = hits[i].id;
	free(hits);
	return (n);
}

struct rb_near {
	size_t		 distance;
	int		 partial;	/* 0 if one contains the other */
	const char	*name;		/* borrowed from the set */
	size_t		 id;
};

static int
rb_near_cmp(const void *a, const void *b)
{
	const struct rb_near	*x = a, *y = b;
	int			 c;

	if (x->distance != y->distance)
		return (x->distance < y->distance ? -1 : 1);
	if (x->partial != y->partial)
		return (x->partial < y->partial ? -1 : 1);
	if ((c = strcmp(x->name, y->name)) != 0)
		return (c);
	return (x->id < y->id ? -1 : x->id > y->id);
}

void
runbook_suggest(const struct runbook_set *set, const char *query,
    size_t max, struct strv *out)
{
	struct rb_near	*near = NULL;
	const char	*name, *last;
	char		*q, *ref;
	size_t		 i, j, n = 0, k, qlen, slen, limit, d;
	int		 partial;

	/* Of a path, the last name is the one that was not found. */
	last = strrchr(query, '/');
	q = slug_new(last != NULL && last[1] != '\0' ? last + 1 : query);
	qlen = strlen(q);
	if (qlen == 0 || max == 0 || set->nnames == 0)
		goto out;
	/* Beyond this many edits a name is a different word, not a typo. */
	limit = qlen / 3 > 2 ? qlen / 3 : 2;
	near = xcalloc(set->nnames, sizeof *near);
	for (i = 0; i < set->nnames; i++) {
		name = set->names[i].name;
		slen = strlen(name);
		partial = !((qlen >= 3 && strstr(name, q) != NULL) ||
		    (slen >= 3 && strstr(q, name) != NULL));
		/*
		 * When one holds the other the distance is the difference in
		 * length; else it is at least that, so most names are out
		 * before the O(qlen * slen) distance is worked out.
		 */
		d = qlen > slen ? qlen - slen : slen - qlen;
		if (partial && d > limit)
			continue;
		if (partial && (d = slug_distance(q, name)) > limit)
			continue;
		near[n].distance = d;
		near[n].partial = partial;
		near[n].name = name;
		near[n].id = set->names[i].id;
		n++;
	}
	if (n > 0)
		qsort(near, n, sizeof *near, rb_near_cmp);
	/*
	 * Each section once (a top section may be near by its slug and a
	 * key): the first max of them, each by the path that shows it.
	 */
	for (i = 0, k = 0; i < n && k < max; i++) {
		for (j = 0; j < i; j++) {
			if (near[j].id == near[i].id)
				break;
		}
		if (j < i || (ref = runbook_ref_new(set, near[i].id)) == NULL)
			continue;
		strv_add_new(out, ref);
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
	const char		*title;
	struct words		*w;
	struct buf		 heading, words;
	size_t			 i;
	int			 rv = -1;

	memset(&heading, 0, sizeof heading);
	memset(&words, 0, sizeof words);
	w = words_new();
	/* One transaction: a row at a time took 49 s for 87,846 sections. */
	if (store_index_begin(store) != 0)
		goto out;
	for (i = 0; i < set->nsections; i++) {
		s = &set->sections[i];
		title = set->runbooks[s->runbook].title;
		/* "KubePodCrashLooping" is a heading match for "pod crash". */
		buf_truncate(&heading, 0);
		buf_adds(&heading, s->heading);
		buf_addc(&heading, ' ');
		words_split(w, s->heading, strlen(s->heading), &heading);
		buf_truncate(&words, 0);
		words_split(w, title, strlen(title), &words);
		words_split(w, s->text, strlen(s->text), &words);
		if (store_index_add(store, (int64_t)s->id, title,
		    buf_str(&heading), s->text, buf_str(&words)) != 0) {
			(void)store_rollback(store);
			goto out;
		}
	}
	rv = store_index_commit(store);
out:
	buf_reset(&heading);
	buf_reset(&words);
	words_free(w);
	return (rv);
}
