/*
 * lint-format.c: opsbot lint's findings as text lines, GitHub workflow
 * annotations or a JSON array. File names and messages come from the
 * runbooks, so everything printed is escaped first.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bot/util.h"
#include "bot/lint.h"

int
lint_format_parse(const char *s, enum lint_format *f)
{
	if (strcmp(s, "text") == 0)
		*f = LINT_FORMAT_TEXT;
	else if (strcmp(s, "github") == 0)
		*f = LINT_FORMAT_GITHUB;
	else if (strcmp(s, "json") == 0)
		*f = LINT_FORMAT_JSON;
	else
		return (-1);
	return (0);
}

static const char *
lint_severity_name(enum lint_severity s)
{
	return (s == LINT_ERROR ? "error" : "warning");
}

/* Appends s made safe for one line (see lint_print). */
static void
lint_escape(struct buf *b, const char *s)
{
	utf8_escape_controls(b, s, strlen(s));
}

/*
 * Appends s encoded for a workflow command: GitHub decodes %25, %0D and
 * %0A in the message, and %3A and %2C too in a property, whose ':' and
 * ',' would otherwise end it. What is left is escaped as everywhere.
 */
static void
lint_escape_github(struct buf *b, const char *s, int property)
{
	struct buf	 enc = { NULL, 0, 0 };

	for (; *s != '\0'; s++) {
		if (*s == '%')
			buf_adds(&enc, "%25");
		else if (*s == '\r')
			buf_adds(&enc, "%0D");
		else if (*s == '\n')
			buf_adds(&enc, "%0A");
		else if (property && *s == ':')
			buf_adds(&enc, "%3A");
		else if (property && *s == ',')
			buf_adds(&enc, "%2C");
		else
			buf_addc(&enc, *s);
	}
	lint_escape(b, buf_str(&enc));
	buf_reset(&enc);
}

static void
lint_line_text(struct buf *b, const struct lint_finding *f)
{
	lint_escape(b, f->file);
	if (f->line > 0)
		buf_printf(b, ":%d", f->line);
	if (f->line > 0 && f->column > 0)
		buf_printf(b, ":%d", f->column);
	buf_printf(b, ": %s: ", lint_severity_name(f->severity));
	lint_escape(b, f->message);
}

static void
lint_line_github(struct buf *b, const struct lint_finding *f)
{
	buf_printf(b, "::%s file=", lint_severity_name(f->severity));
	lint_escape_github(b, f->file, 1);
	if (f->line > 0)
		buf_printf(b, ",line=%d", f->line);
	if (f->line > 0 && f->column > 0)
		buf_printf(b, ",col=%d", f->column);
	buf_adds(b, "::");
	lint_escape_github(b, f->message, 0);
}

/* Returns a new reference: the findings as an array of objects. */
static json_t *
lint_json_new(const struct lint_findings *fs)
{
	const struct lint_finding	*f;
	struct buf			 file = { NULL, 0, 0 };
	struct buf			 msg = { NULL, 0, 0 };
	json_t				*arr, *o;
	size_t				 i;

	arr = json_array();
	for (i = 0; i < fs->n; i++) {
		f = &fs->v[i];
		lint_escape(&file, f->file);
		lint_escape(&msg, f->message);
		/* Escaped, so UTF-8: jansson refuses nothing here. */
		o = json_pack("{s:s, s:i, s:i, s:s, s:s, s:s}",
		    "file", buf_str(&file), "line", f->line,
		    "column", f->column,
		    "severity", lint_severity_name(f->severity),
		    "message", buf_str(&msg), "check", f->check);
		if (o == NULL || json_array_append_new(arr, o) != 0)
			fatalx("lint: cannot build the JSON output");
		buf_reset(&file);
		buf_reset(&msg);
	}
	return (arr);
}

int
lint_print(FILE *fp, enum lint_format format, const struct lint_findings *fs)
{
	struct buf	 b = { NULL, 0, 0 };
	json_t		*arr = NULL;
	size_t		 i;
	int		 rv = -1;

	if (format == LINT_FORMAT_JSON) {
		arr = lint_json_new(fs);
		if (json_dumpf(arr, fp, JSON_INDENT(2)) != 0 ||
		    fputc('\n', fp) == EOF)
			goto out;
	} else {
		for (i = 0; i < fs->n; i++) {
			if (format == LINT_FORMAT_GITHUB)
				lint_line_github(&b, &fs->v[i]);
			else
				lint_line_text(&b, &fs->v[i]);
			buf_addc(&b, '\n');
			if (fwrite(b.s, 1, b.len, fp) != b.len)
				goto out;
			buf_reset(&b);
		}
	}
	if (fflush(fp) != 0 || ferror(fp))
		goto out;
	rv = 0;
out:
	json_decref(arr);
	buf_reset(&b);
	return (rv);
}
