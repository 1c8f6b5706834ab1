/*
 * reply.c: what a command says, as mrkdwn blocks, and packing those
 * blocks into messages small enough for Slack without ever truncating.
 */
#include <stdlib.h>
#include <string.h>

#include "bot/mrkdwn.h"

void
reply_add(struct reply *r, const char *block)
{
	strv_add(&r->blocks, block);
}

void
reply_add_new(struct reply *r, char *block)
{
	strv_add_new(&r->blocks, block);
}

void
reply_addf(struct reply *r, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	xvasprintf(&s, fmt, ap);
	va_end(ap);
	strv_add_new(&r->blocks, s);
}

void
reply_reset(struct reply *r)
{
	strv_reset(&r->blocks);
	r->is_error = 0;
}

size_t
reply_size(const struct reply *r)
{
	size_t	 i, bytes = 0;

	for (i = 0; i < r->blocks.n; i++)
		bytes += strlen(r->blocks.v[i]) + 2;
	return (bytes);
}

/* Never cut inside a UTF-8 sequence or an &entity;. */
static size_t
safe_cut(const char *s, size_t at)
{
	size_t	 i;

	while (at > 0 && ((unsigned char)s[at] & 0xc0) == 0x80)
		at--;
	for (i = at; i > 0 && at - i < 8; i--) {
		if (s[i - 1] == ';')
			break;
		if (s[i - 1] == '&')
			return (i - 1 > 0 ? i - 1 : at);
	}
	return (at);
}

/*
 * Splits one oversized block into pieces of at most limit bytes at line
 * ends; a code fence open at a cut is closed and re-opened so each piece
 * renders on its own.
 */
static void
split_block(const char *block, size_t limit, struct strv *pieces)
{
	struct buf	 cur = { NULL, 0, 0 };
	const char	*line, *nl;
	size_t		 len, room;
	int		 in_fence = 0;

	for (line = block; *line != '\0'; line = nl) {
		nl = strchr(line, '\n');
		nl = nl != NULL ? nl + 1 : line + strlen(line);
		len = (size_t)(nl - line);
		/* room for a closing fence if we are inside one */
		room = limit - (in_fence ? 4 : 0);
		if (cur.len > 0 && cur.len + len > room) {
			if (in_fence)
				buf_adds(&cur, cur.s[cur.len - 1] == '\n' ?
				    "```" : "\n```");
			strv_add_new(pieces, buf_release(&cur));
			if (in_fence)
				buf_adds(&cur, "```\n");
		}
		while (cur.len + len > room) {
			/* a single line longer than a message */
			size_t take = safe_cut(line, room - cur.len);
			if (take == 0)
				take = room - cur.len;
			buf_add(&cur, line, take);
			if (in_fence)
				buf_adds(&cur, "\n```");
			strv_add_new(pieces, buf_release(&cur));
			if (in_fence)
				buf_adds(&cur, "```\n");
			line += take;
			len -= take;
		}
		if (len >= 3 && strncmp(line, "```", 3) == 0)
			in_fence = !in_fence;
		buf_add(&cur, line, len);
	}
	if (cur.len > 0)
		strv_add_new(pieces, buf_release(&cur));
	buf_reset(&cur);
}

void
reply_pack(const struct reply *r, size_t limit, struct strv *out)
{
	struct buf	 msg = { NULL, 0, 0 };
	struct strv	 pieces = { NULL, 0, 0 };
	size_t		 i, j;

	for (i = 0; i < r->blocks.n; i++) {
		if (strlen(r->blocks.v[i]) > limit)
			split_block(r->blocks.v[i], limit, &pieces);
		else
			strv_add(&pieces, r->blocks.v[i]);
	}
	for (j = 0; j < pieces.n; j++) {
		/* blocks are separated by a blank line */
		if (msg.len > 0 && msg.len + 2 + strlen(pieces.v[j]) > limit)
			strv_add_new(out, buf_release(&msg));
		if (msg.len > 0)
			buf_adds(&msg, "\n\n");
		buf_adds(&msg, pieces.v[j]);
	}
	if (msg.len > 0)
		strv_add_new(out, buf_release(&msg));
	strv_reset(&pieces);
	buf_reset(&msg);
}

/* Is the label just the URL (or a mailto: URL's address) again? */
static int
same_target(const char *url, size_t len, const char *label)
{
	if (len > 7 && strncmp(url, "mailto:", 7) == 0) {
		url += 7;
		len -= 7;
	}
	return (strlen(label) == len && strncmp(url, label, len) == 0);
}

char *
mrkdwn_to_plain_new(const char *s)
{
	struct buf	 b = { NULL, 0, 0 };
	const char	*end, *bar;
	char		*link, *out;

	while (*s != '\0') {
		if (*s == '<' && (end = strchr(s, '>')) != NULL) {
			link = xstrndup(s + 1, (size_t)(end - s - 1));
			bar = strchr(link, '|');
			if (bar != NULL && link[0] != '#' &&
			    !same_target(link, (size_t)(bar - link), bar + 1))
				buf_printf(&b, "%s (%.*s)", bar + 1,
				    (int)(bar - link), link);
			else if (bar != NULL)
				buf_adds(&b, bar + 1);
			else
				buf_adds(&b, link);
			free(link);
			s = end + 1;
		} else
			buf_addc(&b, *s++);
	}
	link = buf_release(&b);
	out = slack_unescape_new(link);
	free(link);
	return (out);
}
