/*
 * watch-match.c: all rules of a channel as one PCRE2 pattern, so a
 * message costs one match call whatever the number of rules
 * (docs/internals/watch.md). Words and phrases become a trie of escaped
 * literals under one word boundary; regexes are further branches. The
 * end of each rule's branch is a callout naming the rule: it says which
 * rule matched, and in "all" mode it fails on purpose, so that the one
 * call goes on to find every other rule that matches.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/bot.h"
#include "bot/watch.h"

/* A trie of literal tokens (an ASCII-lowercased UTF-8 character, or " "). */
struct tnode {
	char		 tok[8];
	struct tnode	**kids;
	size_t		 nkids;
	size_t		*ends;		/* channel-local rule numbers */
	size_t		 nends;
};

static void
tnode_free(struct tnode *n)
{
	size_t	 i;

	if (n == NULL)
		return;
	for (i = 0; i < n->nkids; i++)
		tnode_free(n->kids[i]);
	free(n->kids);
	free(n->ends);
	free(n);
}

static struct tnode *
tnode_child(struct tnode *n, const char *tok)
{
	struct tnode	*k;
	size_t		 i;

	for (i = 0; i < n->nkids; i++) {
		if (strcmp(n->kids[i]->tok, tok) == 0)
			return (n->kids[i]);
	}
	k = xcalloc(1, sizeof *k);
	memcpy(k->tok, tok, strlen(tok) + 1);	/* < sizeof k->tok */
	n->kids = xreallocarray(n->kids, n->nkids + 1, sizeof *n->kids);
	n->kids[n->nkids++] = k;
	return (k);
}

/* Adds words as a path of tokens ending in rule. */
static void
trie_add(struct tnode *root, const char *words, size_t rule)
{
	struct tnode	*n = root;
	char		 tok[8];
	size_t		 len, seq;

	len = strlen(words);
	while (len > 0 && isspace((unsigned char)*words)) {
		words++;
		len--;
	}
	while (len > 0 && isspace((unsigned char)words[len - 1]))
		len--;
	while (len > 0) {
		if (isspace((unsigned char)*words)) {
			while (len > 0 && isspace((unsigned char)*words)) {
				words++;
				len--;
			}
			n = tnode_child(n, " ");
			continue;
		}
		seq = utf8_seqlen(words, len);
		if (seq == 0 || seq >= sizeof tok)
			seq = 1;
		memcpy(tok, words, seq);
		tok[seq] = '\0';
		if (seq == 1)
			tok[0] = (char)tolower((unsigned char)tok[0]);
		n = tnode_child(n, tok);
		words += seq;
		len -= seq;
	}
	n->ends = xreallocarray(n->ends, n->nends + 1, sizeof *n->ends);
	n->ends[n->nends++] = rule;
}

/* ASCII letters, digits, '_' and anything not ASCII (UCP decides). */
static int
tok_is_word(const char *tok)
{
	unsigned char	 c = (unsigned char)tok[0];

	return (c >= 0x80 || isalnum(c) || c == '_');
}

static void
tok_emit(struct buf *b, const char *tok)
{
	unsigned char	 c = (unsigned char)tok[0];

	if (strcmp(tok, " ") == 0)
		buf_adds(b, "\\s+");
	else if (c >= 0x80 || isalnum(c) || c == '_')
		buf_adds(b, tok);
	else {
		/* PCRE2: a backslash before any non-alphanumeric is literal */
		buf_addc(b, '\\');
		buf_addc(b, (char)c);
	}
}

static void
trie_emit(struct buf *b, const struct tnode *n, int root)
{
	size_t	 i, nalt;

	nalt = n->nends + n->nkids;
	if (nalt > 1)
		buf_adds(b, "(?:");
	for (i = 0; i < n->nends; i++) {
		if (i > 0)
			buf_addc(b, '|');
		if (tok_is_word(n->tok))
			buf_adds(b, "\\b");
		buf_printf(b, "(?C'%zu')", n->ends[i]);
	}
	for (i = 0; i < n->nkids; i++) {
		if (i > 0 || n->nends > 0)
			buf_addc(b, '|');
		if (root && tok_is_word(n->kids[i]->tok))
			buf_adds(b, "\\b");
		tok_emit(b, n->kids[i]->tok);
		trie_emit(b, n->kids[i], 0);
	}
	if (nalt > 1)
		buf_addc(b, ')');
}

/* The combined pattern of c's rules (new string). */
static char *
chan_source_new(const struct watch_set *set, const struct watch_chan *c)
{
	const struct watch_rule	*r;
	struct tnode		*root;
	struct buf		 b = { NULL, 0, 0 };
	size_t			 i, j;
	int			 any = 0;

	root = xcalloc(1, sizeof *root);
	for (i = 0; i < c->nrules; i++) {
		r = &set->rules[c->rules[i]];
		for (j = 0; j < r->npatterns; j++) {
			if (!r->patterns[j].is_regex)
				trie_add(root, r->patterns[j].text, i);
		}
	}
	/* Branch reset: each regex's groups number from 1, as written. */
	buf_adds(&b, "(?|");
	if (root->nkids > 0) {
		trie_emit(&b, root, 1);
		any = 1;
	}
	for (i = 0; i < c->nrules; i++) {
		r = &set->rules[c->rules[i]];
		for (j = 0; j < r->npatterns; j++) {
			if (!r->patterns[j].is_regex)
				continue;
			if (any)
				buf_addc(&b, '|');
			buf_printf(&b, "(?:%s)(?C'%zu')", r->patterns[j].text,
			    i);
			any = 1;
		}
	}
	buf_addc(&b, ')');
	tnode_free(root);
	return (buf_release(&b));
}

/* "#ops" and "ops" are one channel. */
static const char *
chan_norm(const char *channel)
{
	return (channel[0] == '#' ? channel + 1 : channel);
}

struct watch_chan *
watch_chan_find(const struct watch_set *set, const char *channel)
{
	size_t	 i;

	if (set == NULL || channel == NULL)
		return (NULL);
	channel = chan_norm(channel);
	for (i = 0; i < set->nchans; i++) {
		if (strcasecmp(set->chans[i].channel, channel) == 0)
			return (&set->chans[i]);
	}
	return (NULL);
}

int
watch_compile(struct watch_set *set, char **cause)
{
	struct watch_chan	*c;
	struct watch_rule	*r;
	char			*why = NULL;
	size_t			 i;

	for (i = 0; i < set->nrules; i++) {
		r = &set->rules[i];
		if ((c = watch_chan_find(set, r->channel)) == NULL) {
			set->chans = xreallocarray(set->chans,
			    set->nchans + 1, sizeof *set->chans);
			c = &set->chans[set->nchans++];
			memset(c, 0, sizeof *c);
			c->channel = xstrdup(chan_norm(r->channel));
		}
		c->rules = xreallocarray(c->rules, c->nrules + 1,
		    sizeof *c->rules);
		c->rules[c->nrules++] = i;
		if (r->bots)
			c->bots = 1;
	}
	for (i = 0; i < set->nchans; i++) {
		c = &set->chans[i];
		c->source = chan_source_new(set, c);
		c->re = re_compile(c->source, PCRE2_CASELESS, &why);
		if (c->re == NULL) {
			xasprintf(cause, "the rules of channel '%s' do not "
			    "compile together (%s); a regex's named groups "
			    "or back-references may clash", c->channel, why);
			free(why);
			return (-1);
		}
		/* Without JIT (not built in, no exec memory) it still works. */
		c->jit = pcre2_jit_compile(c->re, PCRE2_JIT_COMPLETE) == 0;
		c->md = pcre2_match_data_create(1, NULL);
		c->mctx = pcre2_match_context_create(NULL);
		if (c->md == NULL || c->mctx == NULL)
			fatalx("%s: out of memory", __func__);
		pcre2_set_match_limit(c->mctx, WATCH_MATCH_LIMIT);
	}
	return (0);
}

/* What the callouts of one match call fill in. */
struct watch_state {
	const struct watch_chan	*c;
	int			 all;
	unsigned char		*seen;	/* all: per channel-local rule */
	struct watch_hits	*hits;
	int			 found;
};

static void
hits_add(struct watch_hits *h, size_t rule, size_t start, size_t end)
{
	if (h->n == h->cap) {
		h->cap = h->cap == 0 ? 8 : h->cap * 2;
		h->v = xreallocarray(h->v, h->cap, sizeof *h->v);
	}
	h->v[h->n].rule = rule;
	h->v[h->n].start = start;
	h->v[h->n].end = end;
	h->n++;
}

static int
watch_callout(pcre2_callout_block *cb, void *arg)
{
	struct watch_state	*ws = arg;
	size_t			 i, n = 0;

	for (i = 0; i < cb->callout_string_length; i++)
		n = n * 10 + (size_t)(cb->callout_string[i] - '0');
	if (n >= ws->c->nrules)
		return (PCRE2_ERROR_CALLOUT);
	if (!ws->all) {
		if (ws->hits != NULL)
			hits_add(ws->hits, ws->c->rules[n], cb->start_match,
			    cb->current_position);
		ws->found = 1;
		return (0);	/* go on: the match succeeds here */
	}
	if (!ws->seen[n]) {
		ws->seen[n] = 1;
		ws->found++;
		hits_add(ws->hits, ws->c->rules[n], cb->start_match,
		    cb->current_position);
	}
	return (1);	/* fail here: look for the other rules too */
}

static int
hit_cmp(const void *a, const void *b)
{
	const struct watch_hit	*x = a, *y = b;

	return (x->rule < y->rule ? -1 : x->rule > y->rule);
}

int
watch_match(struct watch_chan *c, const char *text, size_t len, int all,
    struct watch_hits *hits)
{
	struct watch_state	 ws;
	size_t			 first;
	int			 rc;

	memset(&ws, 0, sizeof ws);
	ws.c = c;
	ws.all = all;
	ws.hits = hits;
	first = hits != NULL ? hits->n : 0;
	if (all)
		ws.seen = xcalloc(c->nrules, 1);
	pcre2_set_callout(c->mctx, watch_callout, &ws);
	rc = pcre2_match(c->re, (PCRE2_SPTR)text, len, 0, 0, c->md, c->mctx);
	free(ws.seen);
	if (rc < 0 && rc != PCRE2_ERROR_NOMATCH) {
		log_warnx("watch: matching in '%s' stopped: PCRE2 error %d",
		    c->channel, rc);
		if (ws.found == 0)
			return (-1);
	}
	if (hits != NULL && hits->n - first > 1)
		qsort(hits->v + first, hits->n - first, sizeof *hits->v,
		    hit_cmp);
	return (ws.found);
}

void
watch_hits_reset(struct watch_hits *h)
{
	free(h->v);
	memset(h, 0, sizeof *h);
}
