/*
 * lint-main.c: the `opsbot lint` command line, for a runbook
 * repository's CI: load the runbooks as the bot would, report what would
 * make it answer wrongly, and say so in the exit status. No config, no
 * store, no network.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot/lint.h"
#include "bot/runbook.h"

#define LINT_EXIT_USAGE	2

static int
lint_usage(FILE *fp, int code)
{
	fprintf(fp,
	    "usage: opsbot lint [--format=text|github|json] [--strict] "
	    "DIR...\n"
	    "  --format=FORMAT  text (file:line:column: severity: message, "
	    "the default),\n"
	    "                   github (workflow annotations) or json "
	    "(one array)\n"
	    "  --strict         exit 1 when there are warnings\n"
	    "Exit status: 0 clean (warnings allowed), 1 warnings with "
	    "--strict, 2 errors.\n");
	return (code);
}

int
lint_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "strict", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct runbook_set	*set = NULL;
	struct rb_diags		 diags = { NULL, 0 };
	struct lint_findings	 findings;
	struct buf		 b = { NULL, 0, 0 };
	enum lint_format	 format = LINT_FORMAT_TEXT;
	size_t			 errors, warnings;
	int			 ch, strict = 0, rc = LINT_EXIT_USAGE;

	memset(&findings, 0, sizeof findings);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if (lint_format_parse(optarg, &format) != 0) {
				utf8_escape_controls(&b, optarg,
				    strlen(optarg));
				fprintf(stderr, "opsbot lint: unknown format "
				    "'%s'\n", buf_str(&b));
				buf_reset(&b);
				return (lint_usage(stderr, LINT_EXIT_USAGE));
			}
			break;
		case 's':
			strict = 1;
			break;
		case 'h':
			return (lint_usage(stdout, 0));
		default:
			return (lint_usage(stderr, LINT_EXIT_USAGE));
		}
	}
	if (optind == argc)
		return (lint_usage(stderr, LINT_EXIT_USAGE));

	/* A dir that cannot be read leaves set NULL; diags say why. */
	set = runbook_set_load((const char *const *)argv + optind,
	    (size_t)(argc - optind), &diags);
	lint_check(set, &diags, &findings);
	if (lint_print(stdout, format, &findings) != 0) {
		fprintf(stderr, "opsbot lint: cannot write the report\n");
		goto out;
	}
	lint_count(&findings, &errors, &warnings);
	fprintf(stderr, "opsbot lint: %zu runbook%s, %zu error%s, "
	    "%zu warning%s\n", set != NULL ? set->nrunbooks : 0,
	    set != NULL && set->nrunbooks == 1 ? "" : "s", errors,
	    errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
	rc = lint_exit_status(&findings, strict);
out:
	lint_findings_reset(&findings);
	rb_diags_reset(&diags);
	runbook_set_free(set);
	return (rc);
}
