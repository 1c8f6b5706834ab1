/*
 * ticket-index.c: the threads of open tickets, in memory, so that the
 * gate's claims (ticket_claims) can tell a reply that matters (activity
 * on a ticket: the stale timer, an engineer's first response) from
 * chatter in some other thread of a support channel without a store
 * transaction.
 *
 * The index may hold more than the open tickets, never less: a thread
 * is added when its ticket opens or reopens (even if that transaction
 * then rolls back: a reply there is claimed, and the handler finds no
 * open ticket and drops the entry), and dropped only by the handler
 * once the store says the ticket is closed or absent. A close is
 * therefore not hooked: the first reply after it costs one
 * transaction, and a close rolled back cannot hide an open ticket.
 *
 * An open-addressing hash table (linear probing, tombstones), keyed by
 * "channel\nthread_ts": Slack channel ids and ts have no newline.
 * 10,000 open tickets are about 0.6 MB: 16,384 slots of 16 bytes and
 * 10,000 keys of 24 bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "bot/bot.h"
#include "bot/ticket.h"
#include "store/store.h"

/* A slot: id 0 empty, -1 a tombstone (key freed), else a ticket. */
struct ticket_slot {
	char		*key;	/* owned when id > 0 */
	int64_t		 id;
};

struct ticket_index {
	struct ticket_slot	*v;	/* owned; cap slots, cap a power of 2 */
	size_t			 cap;
	size_t			 n;	/* live entries */
	size_t			 used;	/* live entries and tombstones */
};

#define TICKET_INDEX_MIN	64

struct ticket_index *
ticket_index_new(void)
{
	return (xcalloc(1, sizeof (struct ticket_index)));
}

void
ticket_index_free(struct ticket_index *ix)
{
	size_t	 i;

	if (ix == NULL)
		return;
	for (i = 0; i < ix->cap; i++)
		if (ix->v[i].id > 0)
			free(ix->v[i].key);
	free(ix->v);
	free(ix);
}

/* FNV-1a over channel, '\n', thread_ts. */
static uint64_t
ticket_index_hash(const char *channel, const char *thread_ts)
{
	uint64_t	 h = UINT64_C(14695981039346656037);
	const char	*p;

	for (p = channel; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * UINT64_C(1099511628211);
	h = (h ^ '\n') * UINT64_C(1099511628211);
	for (p = thread_ts; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * UINT64_C(1099511628211);
	return (h);
}

/* Whether key is "channel\nthread_ts". */
static int
ticket_index_is(const char *key, const char *channel, const char *thread_ts)
{
	size_t	 len = strlen(channel);

	return (strncmp(key, channel, len) == 0 && key[len] == '\n' &&
	    strcmp(key + len + 1, thread_ts) == 0);
}

/* The live slot of channel+thread_ts, or NULL. */
static struct ticket_slot *
ticket_index_slot(const struct ticket_index *ix, const char *channel,
    const char *thread_ts)
{
	size_t	 i, mask;

	if (ix == NULL || ix->cap == 0 || channel == NULL || thread_ts == NULL)
		return (NULL);
	mask = ix->cap - 1;
	i = (size_t)ticket_index_hash(channel, thread_ts) & mask;
	for (; ix->v[i].id != 0; i = (i + 1) & mask)
		if (ix->v[i].id > 0 && ticket_index_is(ix->v[i].key, channel,
		    thread_ts))
			return (&ix->v[i]);
	return (NULL);
}

/* Puts key (stolen) for id in the first free slot of its chain. */
static void
ticket_index_put(struct ticket_index *ix, uint64_t h, char *key, int64_t id)
{
	size_t	 i, mask = ix->cap - 1;

	for (i = (size_t)h & mask; ix->v[i].id > 0; i = (i + 1) & mask)
		;
	if (ix->v[i].id == 0)
		ix->used++;
	ix->v[i].key = key;
	ix->v[i].id = id;
	ix->n++;
}

/* Rehashes into a table sized for the live entries, tombstones gone. */
static void
ticket_index_grow(struct ticket_index *ix)
{
	struct ticket_slot	*old = ix->v;
	size_t			 oldcap = ix->cap, i, nl;
	char			*nlp;

	ix->cap = TICKET_INDEX_MIN;
	while (ix->cap < 2 * (ix->n + 1))	/* at most half full after */
		ix->cap *= 2;
	ix->v = xcalloc(ix->cap, sizeof *ix->v);
	ix->n = ix->used = 0;
	for (i = 0; i < oldcap; i++) {
		if (old[i].id <= 0)
			continue;
		nlp = strchr(old[i].key, '\n');
		nl = (size_t)(nlp - old[i].key);
		*nlp = '\0';
		ticket_index_put(ix, ticket_index_hash(old[i].key, nlp + 1),
		    old[i].key, old[i].id);
		old[i].key[nl] = '\n';
	}
	free(old);
}

void
ticket_index_add(struct ticket_index *ix, const char *channel,
    const char *thread_ts, int64_t id)
{
	struct ticket_slot	*sl;
	char			*key;

	if (ix == NULL || channel == NULL || thread_ts == NULL || id <= 0)
		return;
	if ((sl = ticket_index_slot(ix, channel, thread_ts)) != NULL) {
		sl->id = id;
		return;
	}
	/* keep at most 3/4 of the slots used, tombstones included */
	if (4 * (ix->used + 1) > 3 * ix->cap)
		ticket_index_grow(ix);
	xasprintf(&key, "%s\n%s", channel, thread_ts);
	ticket_index_put(ix, ticket_index_hash(channel, thread_ts), key, id);
}

void
ticket_index_remove(struct ticket_index *ix, const char *channel,
    const char *thread_ts)
{
	struct ticket_slot	*sl;

	if ((sl = ticket_index_slot(ix, channel, thread_ts)) == NULL)
		return;
	free(sl->key);
	sl->key = NULL;
	sl->id = -1;
	ix->n--;
}

int64_t
ticket_index_find(const struct ticket_index *ix, const char *channel,
    const char *thread_ts)
{
	struct ticket_slot	*sl;

	sl = ticket_index_slot(ix, channel, thread_ts);
	return (sl != NULL ? sl->id : 0);
}

size_t
ticket_index_count(const struct ticket_index *ix)
{
	return (ix != NULL ? ix->n : 0);
}

static void
ticket_index_load_one(void *arg, int64_t id, const char *channel,
    const char *thread_ts)
{
	ticket_index_add(arg, channel, thread_ts, id);
}

int
ticket_index_load(struct ticket_index *ix, struct store *s)
{
	if (store_ticket_open_threads(s, ticket_index_load_one, ix) < 0)
		return (-1);
	return (0);
}
