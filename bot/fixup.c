/*
 * fixup.c: repairs of the Markdown mess found in real runbooks, done on
 * lines before cmark sees them, each reported with its source position.
 * Fenced code is left alone: what is in a fence is meant literally.
 */
#include <stdlib.h>
#include <string.h>

#include "bot/runbook.h"
#include "bot/re.h"

/*
 * Text glued to a heading: "production### Severity: Critical". Two or
 * more hashes so that "C# is" stays; a space after them so that
 * "page.html#anchor" and "#/case/new" stay.
 */
#define FIXUP_GLUED	"^(.*?[^\\s#\\\\])(#{2,6})[ \\t]+(\\S.*)$"
/* A kramdown inline attribute list alone on its line: "{: .label }". */
#define FIXUP_IAL	"^[ \\t]*\\{:[^}]*\\}[ \\t]*$"
/* A heading scraped from a web page with its permalink: "Support Tiers#". */
#define FIXUP_SCRAPED	"^[ \\t]{0,3}(\\p{L}[^#]{1,77}\\p{L}{2})#[ \\t]*$"

struct fixup_state {
	const char		*file;
	struct fixup		*out;
	struct rb_diags		*diags;
	pcre2_code		*glued;
	pcre2_code		*ial;
	pcre2_code		*scraped;
	pcre2_match_data	*md;
	char			 fence;		/* '`' or '~' in a fence */
	size_t			 fencelen;
};

/* The patterns are ours: one that does not compile is a bug. */
static pcre2_code *
fixup_compile(const char *pattern)
{
	pcre2_code	*re;
	char		*cause = NULL;

	if ((re = re_compile(pattern, 0, &cause)) == NULL)
		fatalx("fixup: bad pattern %s: %s", pattern, cause);
	return (re);
}

/* Matches line against re; fills ov (borrowed) on success. */
static int
fixup_match(struct fixup_state *fs, pcre2_code *re, const char *line,
    size_t len, PCRE2_SIZE **ov)
{
	if (pcre2_match(re, (PCRE2_SPTR)line, len, 0, 0, fs->md, NULL) <= 0)
		return (0);
	*ov = pcre2_get_ovector_pointer(fs->md);
	return (1);
}

static void
fixup_emit(struct fixup_state *fs, const char *s, size_t len, int srcline)
{
	struct fixup	*out = fs->out;

	buf_add(&out->text, s, len);
	buf_addc(&out->text, '\n');
	/* Doubling: one more each time copied them all per line. */
	if (out->nlines == out->linescap) {
		out->linescap = out->linescap == 0 ? 256 : 2 * out->linescap;
		out->lines = xreallocarray(out->lines, out->linescap,
		    sizeof *out->lines);
	}
	out->lines[out->nlines++] = srcline;
}

/*
 * Tracks fenced code blocks. Block quote markers and indentation are
 * skipped so fences inside quotes and list items count too. Returns 1 if
 * the line opens, closes or is inside a fence.
 */
static int
fixup_fence(struct fixup_state *fs, const char *line, size_t len)
{
	size_t	 i, n;
	char	 c;

	i = 0;
	while (i < len && (line[i] == ' ' || line[i] == '\t' ||
	    line[i] == '>'))
		i++;
	c = i < len ? line[i] : '\0';
	n = 0;
	if (c == '`' || c == '~') {
		while (i + n < len && line[i + n] == c)
			n++;
	}
	if (fs->fence != 0) {
		if (c == fs->fence && n >= fs->fencelen) {
			for (i += n; i < len; i++) {
				if (line[i] != ' ' && line[i] != '\t')
					return (1);
			}
			fs->fence = 0;
		}
		return (1);
	}
	if (n >= 3) {
		fs->fence = c;
		fs->fencelen = n;
		return (1);
	}
	return (0);
}

/* Whether the hashes at off are inside a `code span` (odd backticks before). */
static int
fixup_in_code_span(const char *line, size_t off)
{
	size_t	 i, ticks = 0;

	for (i = 0; i < off; i++) {
		if (line[i] == '`')
			ticks++;
	}
	return (ticks % 2 == 1);
}

/* At least four in five characters are letters or spaces. */
static int
fixup_mostly_letters(const char *s, size_t len)
{
	size_t		 i, total = 0, good = 0;
	unsigned char	 c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if ((c & 0xc0) == 0x80)
			continue;	/* UTF-8 continuation */
		total++;
		if (c >= 0x80 || c == ' ' || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z'))
			good++;
	}
	return (total > 0 && good * 5 >= total * 4);
}

static void
fixup_line_one(struct fixup_state *fs, const char *line, size_t len,
    int srcline)
{
	PCRE2_SIZE	*ov;
	char		*s;
	size_t		 i, hashes;

	if (fixup_fence(fs, line, len)) {
		fixup_emit(fs, line, len, srcline);
		return;
	}

	if (fixup_match(fs, fs->ial, line, len, &ov)) {
		for (i = 0; i < len && line[i] != '{'; i++)
			;
		rb_diags_add_kind(fs->diags, RB_DIAG_REPAIRED, fs->file,
		    srcline, (int)i + 1, 0,
		    "kramdown attribute list '%.*s' removed",
		    (int)(len - i), line + i);
		return;
	}

	for (i = 0; i < len && line[i] == ' '; i++)
		;
	if (i < len && line[i] != '#' &&
	    fixup_match(fs, fs->glued, line, len, &ov) &&
	    !fixup_in_code_span(line, ov[4])) {
		hashes = ov[5] - ov[4];
		rb_diags_add_kind(fs->diags, RB_DIAG_REPAIRED, fs->file,
		    srcline, (int)ov[4] + 1, 0,
		    "heading '%.*s' glued to the end of a line; moved to a "
		    "line of its own", (int)(len - ov[4]), line + ov[4]);
		i = ov[3];
		while (i > 0 && (line[i - 1] == ' ' || line[i - 1] == '\t'))
			i--;
		fixup_emit(fs, line, i, srcline);
		xasprintf(&s, "%.*s %.*s", (int)hashes, line + ov[4],
		    (int)(ov[7] - ov[6]), line + ov[6]);
		fixup_emit(fs, s, strlen(s), srcline);
		free(s);
		return;
	}

	if (fixup_match(fs, fs->scraped, line, len, &ov) &&
	    fixup_mostly_letters(line + ov[2], ov[3] - ov[2])) {
		rb_diags_add_kind(fs->diags, RB_DIAG_REPAIRED, fs->file,
		    srcline, (int)ov[3] + 1, 0,
		    "scraped heading '%.*s' made a level 2 heading",
		    (int)(len - ov[2]), line + ov[2]);
		xasprintf(&s, "## %.*s", (int)(ov[3] - ov[2]), line + ov[2]);
		fixup_emit(fs, s, strlen(s), srcline);
		free(s);
		return;
	}

	fixup_emit(fs, line, len, srcline);
}

void
fixup_apply(const char *file, const char *data, size_t len, int first_line,
    struct fixup *out, struct rb_diags *diags)
{
	struct fixup_state	 fs;
	size_t			 off, n, next;
	int			 line;

	memset(&fs, 0, sizeof fs);
	fs.file = file;
	fs.out = out;
	fs.diags = diags;
	fs.glued = fixup_compile(FIXUP_GLUED);
	fs.ial = fixup_compile(FIXUP_IAL);
	fs.scraped = fixup_compile(FIXUP_SCRAPED);
	fs.md = pcre2_match_data_create(8, NULL);
	if (fs.md == NULL)
		fatalx("fixup: out of memory");

	off = 0;
	line = first_line;
	while (off < len) {
		for (n = 0; off + n < len && data[off + n] != '\n'; n++)
			;
		next = off + n + (off + n < len ? 1 : 0);
		if (n > 0 && data[off + n - 1] == '\r')
			n--;
		fixup_line_one(&fs, data + off, n, line);
		off = next;
		line++;
	}

	pcre2_match_data_free(fs.md);
	pcre2_code_free(fs.glued);
	pcre2_code_free(fs.ial);
	pcre2_code_free(fs.scraped);
}

int
fixup_line(const struct fixup *f, int line)
{
	if (line < 1 || (size_t)line > f->nlines)
		return (0);
	return (f->lines[line - 1]);
}

void
fixup_release(struct fixup *f)
{
	buf_reset(&f->text);
	free(f->lines);
	f->lines = NULL;
	f->nlines = f->linescap = 0;
}
