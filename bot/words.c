/*
 * words.c: the words inside identifiers, for the full-text index.
 * Alert names are written as one word ("etcdDatabaseQuotaLowSpace",
 * "KubePodCrashLooping") that FTS5's unicode61 tokenizer keeps whole,
 * so "etcd database quota" found nothing. The index gets their parts
 * as well; PCRE2 with Unicode properties finds them.
 */
#include <stdlib.h>
#include <string.h>

#include "bot/runbook.h"
#include "bot/re.h"

/* A run of letters and digits: what unicode61 makes one token of. */
#define WORDS_WORD	"[\\p{L}\\p{N}]+"
/*
 * The parts of a word: an upper-case run before a capitalised word
 * ("REST" of "RESTErrors"), a capitalised or lower-case word, an
 * upper-case run, digits, and letters of scripts without case.
 */
#define WORDS_PART \
	"\\p{Lu}+(?=\\p{Lu}\\p{Ll})|\\p{Lu}?\\p{Ll}+|\\p{Lu}+|\\p{N}+" \
	"|[\\p{L}\\p{N}]+"

/* What separates runs of text (never part of a word), and their limit. */
#define WORDS_SPACE	" \t\r\n\f\v"
#define WORDS_MAX_RUN	256	/* bytes */

struct words {
	pcre2_code		*word;		/* owned */
	pcre2_code		*part;		/* owned */
	pcre2_match_data	*md;		/* owned */
};

/* The patterns are ours: one that does not compile is a bug. */
static pcre2_code *
words_compile(const char *pattern)
{
	pcre2_code	*re;
	char		*cause = NULL;

	if ((re = re_compile(pattern, 0, &cause)) == NULL)
		fatalx("words: bad pattern %s: %s", pattern, cause);
	return (re);
}

struct words *
words_new(void)
{
	struct words	*w;

	w = xcalloc(1, sizeof *w);
	w->word = words_compile(WORDS_WORD);
	w->part = words_compile(WORDS_PART);
	w->md = pcre2_match_data_create(1, NULL);
	if (w->md == NULL)
		fatalx("words: out of memory");
	return (w);
}

void
words_free(struct words *w)
{
	if (w == NULL)
		return;
	pcre2_match_data_free(w->md);
	pcre2_code_free(w->part);
	pcre2_code_free(w->word);
	free(w);
}

/* Appends the parts of word [s, s + len) if it has more than one. */
static void
words_parts(struct words *w, const char *s, size_t len, struct buf *out)
{
	PCRE2_SIZE	*ov;
	size_t		 off = 0, mark, nparts = 0;

	mark = out->len;
	while (off < len && pcre2_match(w->part, (PCRE2_SPTR)s, len, off, 0,
	    w->md, NULL) > 0) {
		ov = pcre2_get_ovector_pointer(w->md);
		if (ov[1] <= ov[0])
			break;
		buf_add(out, s + ov[0], ov[1] - ov[0]);
		buf_addc(out, ' ');
		nparts++;
		off = ov[1];
	}
	if (nparts < 2)
		buf_truncate(out, mark);
}

/* Appends the parts of each word of the run [s, s + len). */
static void
words_run(struct words *w, const char *s, size_t len, struct buf *out)
{
	PCRE2_SIZE	*ov;
	size_t		 off = 0, start;

	while (off < len && pcre2_match(w->word, (PCRE2_SPTR)s, len, off, 0,
	    w->md, NULL) > 0) {
		/* Read before words_parts reuses the match data. */
		ov = pcre2_get_ovector_pointer(w->md);
		if (ov[1] <= ov[0])
			break;
		start = ov[0];
		off = ov[1];
		words_parts(w, s + start, off - start, out);
	}
}

void
words_split(struct words *w, const char *text, size_t len, struct buf *out)
{
	const char	*p = text, *end = text + len;
	size_t		 n;

	/*
	 * A run at a time: each pcre2_match costs time in proportion to
	 * the whole subject, so matching word after word in a 4 MB
	 * section took minutes. A run longer than WORDS_MAX_RUN is no
	 * identifier anyone types (a URL, base64): left as it is.
	 */
	while (p < end) {
		while (p < end && strchr(WORDS_SPACE, *p) != NULL)
			p++;
		for (n = 0; p + n < end && strchr(WORDS_SPACE, p[n]) == NULL;
		    n++)
			;
		if (n > 0 && n <= WORDS_MAX_RUN)
			words_run(w, p, n, out);
		p += n;
	}
}
