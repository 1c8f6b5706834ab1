/*
 * runbook-reply.c: a section as the bot answers with it: where it sits
 * ("Runbook › Heading"), its label, its blocks, and the sections it
 * links to. The blocks were rendered when the runbook was loaded.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "bot/mrkdwn.h"
#include "bot/runbook.h"

/* Whether section id is inside section outer (or is it). */
static int
section_nested(const struct runbook_set *set, size_t id, size_t outer)
{
	ssize_t	 p;

	for (p = (ssize_t)id; p >= 0; p = set->sections[p].parent) {
		if ((size_t)p == outer)
			return (1);
	}
	return (0);
}

/*
 * Appends " › "-joined, escaped headings of the sections enclosing id
 * (and id itself if self), outermost first, after the runbook's title
 * if title. A heading that is the title again (the usual "# AlertName"
 * under a front matter title) is not repeated, nor is a preamble's.
 */
static void
section_path(struct buf *b, const struct runbook_set *set, size_t id, int title,
    int self)
{
	const struct rb_section	*s;
	const char		*rbtitle;
	char			*tslug;
	size_t			*chain = NULL, n = 0, i, start;
	ssize_t			 p;

	rbtitle = set->runbooks[set->sections[id].runbook].title;
	tslug = slug_new(rbtitle);
	for (p = (ssize_t)id; p >= 0; p = set->sections[p].parent) {
		chain = xreallocarray(chain, n + 1, sizeof *chain);
		chain[n++] = (size_t)p;
	}
	start = b->len;
	if (title)
		mrkdwn_escape(b, rbtitle, strlen(rbtitle));
	for (i = n; i > (self ? 0 : 1); i--) {
		s = &set->sections[chain[i - 1]];
		if (s->level == 0 || strcmp(s->slug, tslug) == 0)
			continue;
		if (b->len > start)
			buf_adds(b, " \xe2\x80\xba ");	/* U+203A › */
		mrkdwn_escape(b, s->heading, strlen(s->heading));
	}
	free(chain);
	free(tslug);
}

char *
runbook_section_path_new(const struct runbook_set *set, size_t id)
{
	struct buf	 b;

	memset(&b, 0, sizeof b);
	section_path(&b, set, id, 1, 1);
	return (buf_release(&b));
}

char *
runbook_section_subpath_new(const struct runbook_set *set, size_t id)
{
	struct buf	 b;

	memset(&b, 0, sizeof b);
	section_path(&b, set, id, 0, 1);
	return (buf_release(&b));
}

/*
 * "_Runbook › Parent_": where a reply comes from, above the section's
 * own heading. NULL when it would only say what that heading says (the
 * runbook's top section, its preamble).
 */
static char *
section_context_new(const struct runbook_set *set, const struct rb_section *s)
{
	struct buf	 b;
	char		*sub;

	sub = runbook_section_subpath_new(set, s->id);
	if (*sub == '\0') {
		free(sub);
		return (NULL);
	}
	free(sub);
	memset(&b, 0, sizeof b);
	buf_addc(&b, '_');
	section_path(&b, set, s->id, 1, 0);
	buf_addc(&b, '_');
	return (buf_release(&b));
}

/*
 * ":warning: *Deprecated*" for a labelled section, with the heading that
 * carries the label when it is one around it; NULL if none does.
 */
static char *
section_label_new(const struct runbook_set *set, const struct rb_section *s)
{
	const struct rb_section	*l;
	struct buf		 b;
	ssize_t			 p;
	char			 c;

	for (p = (ssize_t)s->id; p >= 0; p = set->sections[p].parent) {
		if (set->sections[p].label != NULL)
			break;
	}
	if (p < 0)
		return (NULL);
	l = &set->sections[p];
	memset(&b, 0, sizeof b);
	buf_adds(&b, ":warning: *");
	c = l->label[0];
	if (c >= 'a' && c <= 'z')
		buf_addc(&b, (char)(c - 'a' + 'A'));
	else
		buf_addc(&b, c);
	mrkdwn_escape(&b, l->label + 1, strlen(l->label + 1));
	buf_addc(&b, '*');
	if (l != s) {
		buf_adds(&b, " (");
		mrkdwn_escape(&b, l->heading, strlen(l->heading));
		buf_addc(&b, ')');
	}
	return (buf_release(&b));
}

void
runbook_section_reply(const struct runbook_set *set, size_t id,
    struct reply *r)
{
	const struct rb_section	*s, *t;
	size_t			 i, j, k;
	char			*line;

	if (id >= set->nsections)
		return;
	s = &set->sections[id];
	if ((line = section_context_new(set, s)) != NULL)
		reply_add_new(r, line);
	if ((line = section_label_new(set, s)) != NULL)
		reply_add_new(r, line);
	for (i = 0; i < s->blocks.n; i++)
		reply_add(r, s->blocks.v[i]);
	for (k = 0; k < s->nlinks; k++) {
		t = &set->sections[s->links[k]];
		/* Already shown inside another linked section? */
		for (j = 0; j < s->nlinks; j++) {
			if (j != k && s->links[j] != t->id &&
			    section_nested(set, t->id, s->links[j]))
				break;
		}
		if (j < s->nlinks || section_nested(set, s->id, t->id))
			continue;
		for (i = 0; i < t->blocks.n; i++)
			reply_add(r, t->blocks.v[i]);
	}
}
