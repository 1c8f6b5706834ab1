/*
 * runbook-ref.c: the names of sections. Hundreds of runbooks each have a
 * "Meaning" and a "Diagnosis", so a slug alone rarely names one section:
 * a path does ("kubepodcrashlooping/meaning"). runbook_ref_new makes the
 * shortest path that leads back to a section and runbook_resolve reads
 * one; every command the bot suggests is made by the first, so following
 * it shows the section it was printed for.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bot/runbook.h"

/* An element of a chain that only the runbook's keys match. */
#define REF_RUNBOOK	SIZE_MAX

/* A parsed query: slugs of the path's names, and the "#N" (0 if none). */
struct ref_path {
	struct strv	 comps;
	size_t		 nth;
};

static int
ref_name_cmp(const void *a, const void *b)
{
	const struct rb_name	*x = a, *y = b;
	int			 c;

	if ((c = strcmp(x->name, y->name)) != 0)
		return (c);
	return (x->id < y->id ? -1 : x->id > y->id);
}

/*
 * The runbook's top section: its only top-level heading (the usual
 * "# AlertName" that holds everything), else its preamble, else its
 * first section.
 */
static size_t
ref_top(const struct runbook_set *set, const struct runbook *rb)
{
	const struct rb_section	*s;
	size_t			 i, root = SIZE_MAX, nroots = 0;

	if (rb->count == 0)
		return (SIZE_MAX);
	for (i = rb->first; i < rb->first + rb->count; i++) {
		s = &set->sections[i];
		if (s->level > 0 && s->parent == -1 && nroots++ == 0)
			root = i;
	}
	if (nroots == 1)
		return (root);
	return (rb->first);
}

/* Adds slug_new(s) to keys unless empty or there already. */
static void
ref_add_key(struct strv *keys, const char *s)
{
	char	*k;
	size_t	 i;

	k = slug_new(s);
	for (i = 0; i < keys->n; i++) {
		if (strcmp(keys->v[i], k) == 0)
			break;
	}
	if (*k == '\0' || i < keys->n)
		free(k);
	else
		strv_add_new(keys, k);
}

void
runbook_names_build(struct runbook_set *set)
{
	struct runbook	*rb;
	size_t		 i, j, n = 0, k;

	for (i = 0; i < set->nrunbooks; i++) {
		rb = &set->runbooks[i];
		strv_reset(&rb->keys);
		rb->top = ref_top(set, rb);
		if (rb->top == SIZE_MAX)
			continue;
		/* The heading first: it is what the reply shows. */
		ref_add_key(&rb->keys, set->sections[rb->top].heading);
		ref_add_key(&rb->keys, rb->title);
		for (j = 0; j < rb->aliases.n; j++)
			ref_add_key(&rb->keys, rb->aliases.v[j]);
		n += rb->keys.n;
	}
	free(set->names);
	set->names = xcalloc(set->nsections + n + 1, sizeof *set->names);
	n = 0;
	for (i = 0; i < set->nsections; i++) {
		if (*set->sections[i].slug == '\0')
			continue;
		set->names[n].name = set->sections[i].slug;
		set->names[n++].id = i;
	}
	for (i = 0; i < set->nrunbooks; i++) {
		rb = &set->runbooks[i];
		for (j = 0; j < rb->keys.n; j++) {
			set->names[n].name = rb->keys.v[j];
			set->names[n++].id = rb->top;
		}
	}
	qsort(set->names, n, sizeof *set->names, ref_name_cmp);
	/* A top section's slug is usually one of its keys too: once. */
	for (i = 0, k = 0; i < n; i++) {
		if (k > 0 && ref_name_cmp(&set->names[k - 1],
		    &set->names[i]) == 0)
			continue;
		set->names[k++] = set->names[i];
	}
	set->nnames = k;
}

/*
 * Section id's chain, outermost first, into *chain (caller frees):
 * section ids of its enclosing sections and itself. The runbook's top
 * section stands for the runbook (its keys name it); when it does not
 * enclose id, REF_RUNBOOK comes first so that the runbook can still be
 * named. Returns the length.
 */
static size_t
ref_chain(const struct runbook_set *set, size_t id, size_t **chain)
{
	const struct runbook	*rb;
	size_t			 n = 0, i, *c;
	ssize_t			 p;

	rb = &set->runbooks[set->sections[id].runbook];
	for (p = (ssize_t)id; p >= 0; p = set->sections[p].parent)
		n++;
	c = xcalloc(n + 1, sizeof *c);
	i = n + 1;
	for (p = (ssize_t)id; p >= 0; p = set->sections[p].parent)
		c[--i] = (size_t)p;
	if (c[1] != rb->top) {
		c[0] = REF_RUNBOOK;
		n++;
	} else
		memmove(c, c + 1, n * sizeof *c);
	*chain = c;
	return (n);
}

/* Whether name names chain element e of a section of runbook rb. */
static int
ref_element_is(const struct runbook_set *set, const struct runbook *rb,
    size_t e, const char *name)
{
	size_t	 i;

	if (e != REF_RUNBOOK && strcmp(set->sections[e].slug, name) == 0)
		return (1);
	if (e != REF_RUNBOOK && e != rb->top)
		return (0);
	for (i = 0; i < rb->keys.n; i++) {
		if (strcmp(rb->keys.v[i], name) == 0)
			return (1);
	}
	return (0);
}

/* Whether the path's names are the last of section id's chain. */
static int
ref_matches(const struct runbook_set *set, size_t id,
    const struct strv *comps)
{
	const struct runbook	*rb;
	size_t			*chain, n, i;
	int			 ok = 1;

	rb = &set->runbooks[set->sections[id].runbook];
	n = ref_chain(set, id, &chain);
	if (comps->n > n)
		ok = 0;
	for (i = 0; ok && i < comps->n; i++) {
		if (!ref_element_is(set, rb, chain[n - comps->n + i],
		    comps->v[i]))
			ok = 0;
	}
	free(chain);
	return (ok);
}

static int
ref_id_cmp(const void *a, const void *b)
{
	size_t	 x = *(const size_t *)a, y = *(const size_t *)b;

	return (x < y ? -1 : x > y);
}

/* The sections path names, in load order; see runbook_resolve. */
static size_t
ref_find(const struct runbook_set *set, const struct ref_path *path,
    size_t **ids)
{
	struct rb_name	 key;
	const char	*last;
	size_t		 lo, hi, mid, n = 0;

	*ids = NULL;
	if (path->comps.n == 0 || set->nnames == 0)
		return (0);
	last = path->comps.v[path->comps.n - 1];
	key.name = last;
	key.id = 0;
	lo = 0;
	hi = set->nnames;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ref_name_cmp(&set->names[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (hi = lo; hi < set->nnames &&
	    strcmp(set->names[hi].name, last) == 0; hi++)
		;
	if (hi == lo)
		return (0);
	*ids = xcalloc(hi - lo, sizeof **ids);
	for (; lo < hi; lo++) {
		if (ref_matches(set, set->names[lo].id, &path->comps))
			(*ids)[n++] = set->names[lo].id;
	}
	/* By name then id: a section may be here by its slug and a key. */
	qsort(*ids, n, sizeof **ids, ref_id_cmp);
	for (lo = 0, hi = 0; lo < n; lo++) {
		if (hi == 0 || (*ids)[hi - 1] != (*ids)[lo])
			(*ids)[hi++] = (*ids)[lo];
	}
	n = hi;
	if (path->nth > 0) {
		if (path->nth <= n) {
			(*ids)[0] = (*ids)[path->nth - 1];
			n = 1;
		} else
			n = 0;
	}
	if (n == 0) {
		free(*ids);
		*ids = NULL;
	}
	return (n);
}

/* How ref_parse reads a query. */
#define REF_WHOLE	0x1	/* one name, '/' and all */
#define REF_NO_NTH	0x2	/* "#12" is part of the name ("Issue #12") */

/*
 * Reads query as a path: split at '/', a trailing "#digits" taken as
 * the ordinal, each name slugged, empty names dropped; flags as above.
 */
static void
ref_parse(const char *query, int flags, struct ref_path *path)
{
	const char	*p, *end, *hash;
	char		*part, *slug;
	size_t		 len, nth;

	memset(path, 0, sizeof *path);
	len = strlen(query);
	hash = strrchr(query, '#');
	if ((flags & REF_NO_NTH) == 0 && hash != NULL && hash[1] != '\0' &&
	    strspn(hash + 1, "0123456789") == strlen(hash + 1) &&
	    strlen(hash + 1) <= 6) {
		nth = (size_t)strtol(hash + 1, NULL, 10);
		if (nth > 0) {
			path->nth = nth;
			len = (size_t)(hash - query);
		}
	}
	for (p = query; p < query + len; p = end + 1) {
		end = (flags & REF_WHOLE) ? query + len : memchr(p, '/',
		    (size_t)(query + len - p));
		if (end == NULL)
			end = query + len;
		part = xstrndup(p, (size_t)(end - p));
		slug = slug_new(part);
		free(part);
		if (*slug == '\0')
			free(slug);
		else
			strv_add_new(&path->comps, slug);
	}
}

size_t
runbook_resolve(const struct runbook_set *set, const char *query,
    size_t **ids)
{
	static const int	 tries[] = { 0, REF_NO_NTH,
	    REF_WHOLE | REF_NO_NTH };
	struct ref_path		 path;
	size_t			 i, n = 0;

	*ids = NULL;
	for (i = 0; n == 0 && i < sizeof tries / sizeof tries[0]; i++) {
		/* Another reading only where the query has what it reads. */
		if (i == 1 && strchr(query, '#') == NULL)
			continue;
		if (i == 2 && strchr(query, '/') == NULL)
			continue;
		ref_parse(query, tries[i], &path);
		n = ref_find(set, &path, ids);
		strv_reset(&path.comps);
	}
	return (n);
}

/* How many sections comps names (all of them if nth is 0). */
static size_t
ref_count(const struct runbook_set *set, struct strv *comps, size_t nth,
    size_t **ids)
{
	struct ref_path	 path;

	path.comps = *comps;
	path.nth = nth;
	return (ref_find(set, &path, ids));
}

/* Joins comps with '/' (new string). */
static char *
ref_join(const struct strv *comps)
{
	struct buf	 b;
	size_t		 i;

	memset(&b, 0, sizeof b);
	for (i = 0; i < comps->n; i++) {
		if (i > 0)
			buf_addc(&b, '/');
		buf_adds(&b, comps->v[i]);
	}
	return (buf_release(&b));
}

/*
 * Fills comps with the names of chain[from..n): the first by its
 * key'th name (slug, or keys of the runbook), the rest by slug. Returns
 * 0, or -1 when there is no key'th name.
 */
static int
ref_names(const struct runbook_set *set, const struct runbook *rb,
    const size_t *chain, size_t n, size_t from, size_t key,
    struct strv *comps)
{
	const char	*first;
	size_t		 i, e = chain[from];

	strv_reset(comps);
	if (e == REF_RUNBOOK || e == rb->top) {
		/* A top section's slug is in its keys (if not empty). */
		if (key >= rb->keys.n)
			return (-1);
		first = rb->keys.v[key];
	} else {
		if (key > 0 || *set->sections[e].slug == '\0')
			return (-1);
		first = set->sections[e].slug;
	}
	strv_add(comps, first);
	for (i = from + 1; i < n; i++) {
		if (*set->sections[chain[i]].slug == '\0')
			return (-1);
		strv_add(comps, set->sections[chain[i]].slug);
	}
	return (0);
}

char *
runbook_ref_new(const struct runbook_set *set, size_t id)
{
	const struct runbook	*rb;
	struct strv		 comps;
	size_t			*chain = NULL, *ids = NULL, n, from, key, got;
	size_t			 i;
	char			*ref = NULL, *tmp;

	memset(&comps, 0, sizeof comps);
	if (id >= set->nsections)
		return (NULL);
	rb = &set->runbooks[set->sections[id].runbook];
	n = ref_chain(set, id, &chain);
	/* Shortest first: the section's own name, then with its parents. */
	for (from = n; from-- > 0;) {
		for (key = 0; ref_names(set, rb, chain, n, from, key,
		    &comps) == 0; key++) {
			got = ref_count(set, &comps, 0, &ids);
			free(ids);
			ids = NULL;
			if (got == 1) {
				ref = ref_join(&comps);
				goto out;
			}
		}
	}
	/* Even the whole chain is shared (two "## Diagnosis" side by side). */
	if (ref_names(set, rb, chain, n, 0, 0, &comps) != 0)
		goto out;
	got = ref_count(set, &comps, 0, &ids);
	for (i = 0; i < got; i++) {
		if (ids[i] == id)
			break;
	}
	if (i < got) {
		tmp = ref_join(&comps);
		xasprintf(&ref, "%s#%zu", tmp, i + 1);
		free(tmp);
	}
out:
	free(ids);
	free(chain);
	strv_reset(&comps);
	return (ref);
}
