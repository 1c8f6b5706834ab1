/*
 * lint.h: `opsbot lint`, the runbooks' checks for CI.
 *
 * Map (prototypes grouped by file below):
 *   lint.c      opsbot lint's checks: findings with positions
 *   lint-format.c  findings as text, GitHub annotations or JSON
 *   lint-main.c  the `opsbot lint` command line
 */
#ifndef OPSBOT_LINT_H
#define OPSBOT_LINT_H

#include <stddef.h>
#include <stdio.h>

struct rb_diags;
struct runbook_set;

/* lint.c */
/*
 * What opsbot lint reports. Findings are sorted by file, line, column,
 * then the order the checks found them in.
 */
enum lint_severity {
	LINT_WARNING = 0,
	LINT_ERROR,
};
struct lint_finding {
	char			*file;		/* owned, as loaded (raw bytes) */
	int			 line;		/* 1-based; 0: the whole file */
	int			 column;	/* 1-based byte; 0 if unknown */
	enum lint_severity	 severity;
	const char		*check;		/* static: "dead-anchor"... */
	char			*message;	/* owned, raw: escape to print */
	size_t			 seq;		/* order found, for sorting */
};
struct lint_findings {
	struct lint_finding	*v;	/* owned */
	size_t			 n;
	size_t			 cap;
};
/*
 * Appends to out (zeroed by the caller, freed with lint_findings_reset)
 * the findings about set (may be NULL when no dir could be read) and
 * every loader diag in diags (may be NULL), then sorts out. Checks, by
 * name: front-matter, repaired-markdown and load (the loader's diags,
 * their severity kept); dead-anchor (error); duplicate-name (error: two
 * runbooks' top sections answer to one name, by heading or alias);
 * duplicate-section (error between siblings, else a warning);
 * empty-section, todo-section and too-long (warnings). Reads only set:
 * no files, no network, no store. Never fails.
 */
void	 lint_check(const struct runbook_set *set,
	    const struct rb_diags *diags, struct lint_findings *out);
void	 lint_count(const struct lint_findings *, size_t *errors,
	    size_t *warnings);
/* 2 if any error, 1 if any warning and strict, else 0. */
int	 lint_exit_status(const struct lint_findings *, int strict);
void	 lint_findings_reset(struct lint_findings *);

/* lint-format.c */
enum lint_format {
	LINT_FORMAT_TEXT = 0,	/* file:line:column: severity: message */
	LINT_FORMAT_GITHUB,	/* ::error file=F,line=L,col=C::message */
	LINT_FORMAT_JSON,	/* [{file,line,column,severity,message,check}] */
};
/* "text", "github" or "json"; 0, or -1 for anything else. */
int	 lint_format_parse(const char *, enum lint_format *);
/*
 * Writes the findings to fp in format f. In every format, control
 * characters and bytes that are not UTF-8 in file names and messages
 * are escaped (utf8_escape_controls), so a line is one finding; GitHub
 * annotations also encode '%', CR and LF (and ':' and ',' in
 * properties) as %XX. A position of 0 is left out. JSON is one array
 * (jansson), "line" and "column" numbers (0 if unknown). Returns 0, or
 * -1 if writing failed.
 */
int	 lint_print(FILE *fp, enum lint_format f,
	    const struct lint_findings *);

/* lint-main.c */
/*
 * `opsbot lint [--format=text|github|json] [--strict] DIR...`: loads the
 * runbooks under each DIR, prints the findings on stdout and a summary
 * on stderr. argv[0] is "lint". Returns the exit status: 0 clean
 * (warnings allowed), 1 warnings with --strict, 2 errors, or a usage
 * error (message on stderr) or output that could not be written.
 */
int	 lint_main(int argc, char **argv);

#endif /* OPSBOT_LINT_H */
