/* re.c: one way to compile a PCRE2 pattern (see re.h). */
#include "bot/util.h"
#include "bot/re.h"

pcre2_code *
re_compile(const char *pattern, uint32_t flags, char **cause)
{
	pcre2_code	*re;
	PCRE2_UCHAR	 msg[256];
	PCRE2_SIZE	 offset;
	int		 error;

	re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
	    PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF | flags, &error,
	    &offset, NULL);
	if (re != NULL)
		return (re);
	if (pcre2_get_error_message(error, msg, sizeof msg) < 0)
		xasprintf(cause, "column %zu: PCRE2 error %d",
		    (size_t)offset + 1, error);
	else
		xasprintf(cause, "column %zu: %s", (size_t)offset + 1,
		    (const char *)msg);
	return (NULL);
}
