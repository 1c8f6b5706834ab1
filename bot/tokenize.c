/*
 * tokenize.c: a command line typed in Slack (or the console) into words.
 * Slack escapes &, < and > and rewrites links, quotes and mentions, so
 * the line is decoded before it is split.
 */
#include <stdlib.h>
#include <string.h>

#include "bot/mrkdwn.h"

char *
slack_unescape_new(const char *s)
{
	static const struct {
		const char	*entity;
		char		 c;
	} entities[] = { { "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' } };
	struct buf	 b = { NULL, 0, 0 };
	size_t		 i, len;
	int		 hit;

	while (*s != '\0') {
		hit = 0;
		for (i = 0; i < sizeof entities / sizeof entities[0]; i++) {
			len = strlen(entities[i].entity);
			if (strncmp(s, entities[i].entity, len) == 0) {
				buf_addc(&b, entities[i].c);
				s += len;
				hit = 1;
				break;
			}
		}
		if (!hit)
			buf_addc(&b, *s++);
	}
	return (buf_release(&b));
}

/* Slack clients turn "quotes" into curly ones; treat them as straight. */
static size_t
smart_quote(const char *p, char *as)
{
	if (strncmp(p, "\xe2\x80\x9c", 3) == 0 ||
	    strncmp(p, "\xe2\x80\x9d", 3) == 0) {
		*as = '"';
		return (3);
	}
	if (strncmp(p, "\xe2\x80\x98", 3) == 0 ||
	    strncmp(p, "\xe2\x80\x99", 3) == 0) {
		*as = '\'';
		return (3);
	}
	*as = *p;
	return (1);
}

/*
 * Slack markup inside <...> as it arrives on the wire (before entity
 * decoding): <http://x|label> -> label, <http://x> -> http://x,
 * <#C123|name> -> #name, <@U123> stays as is so commands can use ids.
 */
static void
add_markup(struct buf *b, const char *in, size_t len)
{
	const char	*bar, *p;

	bar = memchr(in, '|', len);
	if (len > 0 && in[0] == '@') {
		buf_addc(b, '<');
		buf_add(b, in, len);
		buf_addc(b, '>');
	} else if (len > 0 && in[0] == '#' && bar != NULL) {
		buf_addc(b, '#');
		buf_add(b, bar + 1, len - (size_t)(bar + 1 - in));
	} else if (bar != NULL) {
		/* a link label is one word, whatever its spaces */
		for (p = bar + 1; p < in + len; p++) {
			if (*p == ' ' || *p == '\\')
				buf_addc(b, '\\');
			buf_addc(b, *p);
		}
	} else
		buf_add(b, in, len);
}

/* Rewrites Slack markup first: <...> on the wire is always markup. */
static char *
strip_markup_new(const char *line)
{
	struct buf	 b = { NULL, 0, 0 };
	const char	*end;

	while (*line != '\0') {
		if (*line == '<' && (end = strchr(line, '>')) != NULL) {
			add_markup(&b, line + 1, (size_t)(end - line - 1));
			line = end + 1;
		} else
			buf_addc(&b, *line++);
	}
	return (buf_release(&b));
}

int
tokenize(const char *line, struct strv *out, char **cause)
{
	struct buf	 word = { NULL, 0, 0 };
	char		*plain = NULL, *decoded = NULL, *p, c, quote = 0;
	int		 in_word = 0, rc = -1;
	size_t		 n;

	plain = strip_markup_new(line);
	decoded = slack_unescape_new(plain);
	for (p = decoded; *p != '\0'; p += n) {
		n = smart_quote(p, &c);
		if (quote != 0) {
			if (c == quote)
				quote = 0;
			else
				buf_add(&word, p, n);
			continue;
		}
		if (c == '"' || c == '\'') {
			/* An apostrophe inside a word is just a letter. */
			if (c == '\'' && in_word && p[n] != '\0' &&
			    p[n] != ' ' && p[n] != '\t') {
				buf_add(&word, p, n);
				continue;
			}
			quote = c;
			in_word = 1;
		} else if (c == '\\' && p[1] != '\0') {
			buf_addc(&word, p[1]);
			n = 2;
			in_word = 1;
		} else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			if (in_word)
				strv_add_new(out, buf_release(&word));
			in_word = 0;
		} else {
			buf_add(&word, p, n);
			in_word = 1;
		}
	}
	if (quote != 0) {
		if (cause != NULL)
			xasprintf(cause, "unbalanced %c quote", quote);
		goto out;
	}
	if (in_word)
		strv_add_new(out, buf_release(&word));
	rc = 0;
out:
	buf_reset(&word);
	free(decoded);
	free(plain);
	return (rc);
}
