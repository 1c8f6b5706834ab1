/*
 * slug.c: the names users type for sections, blind to case, spaces and
 * punctuation, and GitHub-style anchors for in-page links.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bot/runbook.h"

#define SLUG_INVALID	0x110000	/* beyond Unicode: a stray byte */

/*
 * Decodes the UTF-8 sequence at s (at most len bytes). Returns its length
 * in bytes (1 for an invalid byte, with *cp SLUG_INVALID) and puts the
 * code point in *cp.
 */
static size_t
slug_utf8(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t	 n, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return (1);
	}
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		*cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		*cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		*cp = s[0] & 0x07;
	} else
		goto bad;
	if (n > len)
		goto bad;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			goto bad;
		*cp = (*cp << 6) | (s[i] & 0x3f);
	}
	return (n);
bad:
	/* Not a character at all: kept as is, like a letter. */
	*cp = SLUG_INVALID;
	return (1);
}

/*
 * Non-ASCII code points that are punctuation or spacing rather than
 * letters: Latin-1 punctuation and spaces, General Punctuation (curly
 * quotes, dashes, word joiners), CJK punctuation, BOM.
 */
static int
slug_unicode_punct(uint32_t cp)
{
	if (cp >= 0x80 && cp <= 0xbf)
		return (cp != 0xaa && cp != 0xb5 && cp != 0xba);
	if (cp == 0xd7 || cp == 0xf7)
		return (1);
	if (cp >= 0x2000 && cp <= 0x206f)
		return (1);
	if (cp >= 0x3000 && cp <= 0x303f)
		return (1);
	return (cp == 0xfeff);
}

/*
 * The shared walk: keeps ASCII letters and digits (lower-cased) and
 * non-ASCII letters; with anchor set, also keeps '-' and '_' and turns
 * spaces into '-' as GitHub does.
 */
static char *
slug_make(const char *s, int anchor)
{
	struct buf		 b;
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 len, n;
	uint32_t		 cp;

	memset(&b, 0, sizeof b);
	len = strlen(s);
	while (len > 0) {
		n = slug_utf8(p, len, &cp);
		if (cp < 0x80) {
			if (cp >= 'A' && cp <= 'Z')
				buf_addc(&b, (char)(cp - 'A' + 'a'));
			else if ((cp >= 'a' && cp <= 'z') ||
			    (cp >= '0' && cp <= '9'))
				buf_addc(&b, (char)cp);
			else if (anchor && (cp == '-' || cp == '_'))
				buf_addc(&b, (char)cp);
			else if (anchor && cp == ' ')
				buf_addc(&b, '-');
		} else if (!slug_unicode_punct(cp))
			buf_add(&b, p, n);
		p += n;
		len -= n;
	}
	return (buf_release(&b));
}

char *
slug_new(const char *s)
{
	return (slug_make(s, 0));
}

char *
slug_anchor_new(const char *s)
{
	return (slug_make(s, 1));
}

size_t
slug_distance(const char *a, const char *b)
{
	size_t	 la, lb, i, j, sub, *prev, *cur, *tmp, d;

	la = strlen(a);
	lb = strlen(b);
	prev = xcalloc(lb + 1, sizeof *prev);
	cur = xcalloc(lb + 1, sizeof *cur);
	for (j = 0; j <= lb; j++)
		prev[j] = j;
	for (i = 1; i <= la; i++) {
		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			d = prev[j] + 1;
			if (cur[j - 1] + 1 < d)
				d = cur[j - 1] + 1;
			if (sub < d)
				d = sub;
			cur[j] = d;
		}
		tmp = prev;
		prev = cur;
		cur = tmp;
	}
	d = prev[lb];
	free(prev);
	free(cur);
	return (d);
}
