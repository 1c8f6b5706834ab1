/* slack-id.c: whether a string has the shape of a Slack ID (util.h). */
#include <string.h>

#include "bot/util.h"

int
slack_id_like(const char *s, const char *first)
{
	size_t	 n;

	if (s == NULL || *s == '\0' || strchr(first, *s) == NULL)
		return (0);
	for (n = 1; s[n] != '\0'; n++) {
		if (n > 32 || !((s[n] >= 'A' && s[n] <= 'Z') ||
		    (s[n] >= '0' && s[n] <= '9')))
			return (0);
	}
	return (n > 2);
}
