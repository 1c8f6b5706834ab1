/*
 * label.c: status labels written into headings. kubevirt marks a retired
 * alert "# VirtControllerRESTErrorsHigh [Deprecated]"; Alertmanager still
 * calls it VirtControllerRESTErrorsHigh, so the label is no part of the
 * name, but the reader must still see it.
 */
#include <stdlib.h>
#include <string.h>

#include "bot/runbook.h"
#include "bot/re.h"

/*
 * "Name [Deprecated]", "Name (deprecated)" (group 1 the name, 2 the
 * label) or "[Deprecated] Name" (3 the label, 4 the name).
 */
#define LABEL_PATTERN \
	"^(.*?\\S)\\s*[\\[(]\\s*(deprecated|obsolete)\\s*[\\])]\\s*$" \
	"|^\\s*[\\[(]\\s*(deprecated|obsolete)\\s*[\\])]\\s*(\\S.*)$"

char *
heading_label_cut(char *heading)
{
	pcre2_code		*re = NULL;
	pcre2_match_data	*md = NULL;
	PCRE2_SIZE		*ov;
	char			*label = NULL, *name, *cause = NULL;
	size_t			 len;
	int			 rc, gname, glabel;

	/* Nearly no heading has a label: no pattern for the others. */
	len = strlen(heading);
	if (len == 0 || (heading[len - 1] != ']' && heading[len - 1] != ')' &&
	    heading[0] != '[' && heading[0] != '('))
		return (NULL);
	/* The pattern is ours: one that does not compile is a bug. */
	if ((re = re_compile(LABEL_PATTERN, PCRE2_CASELESS, &cause)) == NULL)
		fatalx("label: bad pattern: %s", cause);
	md = pcre2_match_data_create_from_pattern(re, NULL);
	if (md == NULL)
		fatalx("label: out of memory");
	rc = pcre2_match(re, (PCRE2_SPTR)heading, len, 0, 0, md, NULL);
	if (rc <= 0)
		goto out;
	ov = pcre2_get_ovector_pointer(md);
	if (ov[2] != PCRE2_UNSET) {
		gname = 1;
		glabel = 2;
	} else {
		gname = 4;
		glabel = 3;
	}
	label = xstrndup(heading + ov[2 * glabel],
	    ov[2 * glabel + 1] - ov[2 * glabel]);
	name = xstrndup(heading + ov[2 * gname],
	    ov[2 * gname + 1] - ov[2 * gname]);
	memcpy(heading, name, strlen(name) + 1);
	free(name);
out:
	pcre2_match_data_free(md);
	pcre2_code_free(re);
	return (label);
}
