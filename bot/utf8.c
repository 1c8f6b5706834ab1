/*
 * utf8.c: checking, repairing and escaping text. Runbooks written on other
 * systems carry Latin-1 or Windows-1252 bytes, and jansson refuses to
 * encode a string that is not valid UTF-8, so text is checked where it
 * enters (the runbook loader) and again before any JSON is built from it.
 * File names and messages reach log lines and terminals, so control
 * characters in them are escaped on the way out.
 */
#include <iconv.h>
#include <string.h>

#include "bot/util.h"

/*
 * Length of the valid UTF-8 sequence at s (1 to 4), or 0 if the bytes
 * there are not one. RFC 3629 section 4: no overlong forms, no UTF-16
 * surrogates (U+D800..U+DFFF), nothing above U+10FFFF.
 */
size_t
utf8_seqlen(const char *s, size_t len)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 n, i;
	unsigned char		 lo = 0x80, hi = 0xbf;

	if (len == 0)
		return (0);
	if (u[0] < 0x80)
		return (1);
	if (u[0] >= 0xc2 && u[0] <= 0xdf)
		n = 2;
	else if (u[0] >= 0xe0 && u[0] <= 0xef) {
		n = 3;
		if (u[0] == 0xe0)
			lo = 0xa0;	/* overlong */
		else if (u[0] == 0xed)
			hi = 0x9f;	/* surrogates */
	} else if (u[0] >= 0xf0 && u[0] <= 0xf4) {
		n = 4;
		if (u[0] == 0xf0)
			lo = 0x90;	/* overlong */
		else if (u[0] == 0xf4)
			hi = 0x8f;	/* above U+10FFFF */
	} else
		return (0);
	if (len < n || u[1] < lo || u[1] > hi)
		return (0);
	for (i = 2; i < n; i++) {
		if (u[i] < 0x80 || u[i] > 0xbf)
			return (0);
	}
	return (n);
}

size_t
utf8_valid_prefix(const char *s, size_t len)
{
	size_t	 off = 0, n;

	while (off < len) {
		/* Runs of ASCII are the common case. */
		if ((unsigned char)s[off] < 0x80) {
			off++;
			continue;
		}
		if ((n = utf8_seqlen(s + off, len - off)) == 0)
			break;
		off += n;
	}
	return (off);
}

int
utf8_valid(const char *s, size_t len)
{
	return (utf8_valid_prefix(s, len) == len);
}

/*
 * One byte that is not UTF-8, read as Windows-1252 (a superset of the
 * printable Latin-1, and what such bytes most often are), through glibc's
 * iconv. The five bytes Windows-1252 leaves undefined become U+FFFD.
 */
static void
utf8_add_cp1252(struct buf *b, iconv_t cd, unsigned char c)
{
	char	 in[1], out[8], *ip = in, *op = out;
	size_t	 il = 1, ol = sizeof out;

	in[0] = (char)c;
	if (cd != (iconv_t)-1 &&
	    iconv(cd, &ip, &il, &op, &ol) != (size_t)-1 && il == 0) {
		buf_add(b, out, sizeof out - ol);
		return;
	}
	buf_adds(b, "\xef\xbf\xbd");	/* U+FFFD REPLACEMENT CHARACTER */
}

size_t
utf8_repair(struct buf *b, const char *s, size_t len, size_t *first_bad)
{
	iconv_t	 cd = (iconv_t)-1;
	size_t	 off = 0, good, bad = 0;

	while (off < len) {
		good = utf8_valid_prefix(s + off, len - off);
		buf_add(b, s + off, good);
		off += good;
		if (off == len)
			break;
		if (bad++ == 0) {
			if (first_bad != NULL)
				*first_bad = off;
			cd = iconv_open("UTF-8", "WINDOWS-1252");
		}
		utf8_add_cp1252(b, cd, (unsigned char)s[off]);
		off++;
	}
	if (cd != (iconv_t)-1)
		iconv_close(cd);
	if (len == 0)
		buf_add(b, "", 0);
	return (bad);
}

void
utf8_escape_controls(struct buf *b, const char *s, size_t len)
{
	size_t		 n, i;
	unsigned char	 c;

	while (len > 0) {
		c = (unsigned char)*s;
		n = utf8_seqlen(s, len);
		/* C1 controls (U+0080-U+009F: CSI among them) act on terminals. */
		if (n == 0 || c < 0x20 || c == 0x7f ||
		    (c == 0xc2 && (unsigned char)s[1] < 0xa0)) {
			n = n == 0 ? 1 : n;
			for (i = 0; i < n; i++) {
				c = (unsigned char)s[i];
				if (c == '\n')
					buf_adds(b, "\\n");
				else if (c == '\r')
					buf_adds(b, "\\r");
				else if (c == '\t')
					buf_adds(b, "\\t");
				else
					buf_printf(b, "\\x%02x", c);
			}
		} else
			buf_add(b, s, n);
		s += n;
		len -= n;
	}
	if (b->s == NULL)
		buf_add(b, "", 0);
}

void
text_position(const char *data, size_t off, int *line, int *column)
{
	size_t	 i, start = 0;

	*line = 1;
	for (i = 0; i < off; i++) {
		if (data[i] == '\n') {
			(*line)++;
			start = i + 1;
		}
	}
	*column = (int)(off - start) + 1;
}
