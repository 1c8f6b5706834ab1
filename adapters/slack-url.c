/*
 * slack-url.c: URLs of Slack and of the fake Slack of the tests: which
 * hosts are loopback, a URL split for lws, a URL as it may be logged.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "adapters/slack.h"

int
slack_host_is_loopback(const char *host)
{
	struct in_addr	 a4;
	char		 tmp[64];
	size_t		 len;

	if (host == NULL)
		return (0);
	if (strcasecmp(host, "localhost") == 0)
		return (1);
	if (inet_pton(AF_INET, host, &a4) == 1)
		return ((ntohl(a4.s_addr) >> 24) == 127);
	len = strlen(host);
	if (len >= 2 && host[0] == '[' && host[len - 1] == ']' &&
	    len - 2 < sizeof tmp) {
		memcpy(tmp, host + 1, len - 2);
		tmp[len - 2] = '\0';
		host = tmp;
	}
	return (strcmp(host, "::1") == 0);
}

int
slack_url_split(const char *url, char **host, int *port, char **path,
    int *tls)
{
	const char	*p, *h, *hend, *pstart;
	char		*hs = NULL, *end;
	long		 n;
	int		 defport, rv = -1;

	if (strncasecmp(url, "https://", 8) == 0 ||
	    strncasecmp(url, "wss://", 6) == 0) {
		*tls = 1;
		defport = 443;
	} else if (strncasecmp(url, "http://", 7) == 0 ||
	    strncasecmp(url, "ws://", 5) == 0) {
		*tls = 0;
		defport = 80;
	} else
		goto out;
	h = strstr(url, "://") + 3;
	pstart = h + strcspn(h, "/?#");
	/* lws_parse_uri drops the leading '/' (lws-notes): build our own. */
	if (*h == '[') {
		if ((hend = memchr(h, ']', pstart - h)) == NULL)
			goto out;
		hend++;
	} else
		hend = h + strcspn(h, ":/?#");
	if (hend == h || hend > pstart)
		goto out;
	if (memchr(h, '@', pstart - h) != NULL)
		goto out;	/* no userinfo: nothing of ours uses it */
	hs = xstrndup(h, hend - h);
	p = hend;
	*port = defport;
	if (*p == ':') {
		n = strtol(p + 1, &end, 10);
		if (end == p + 1 || end != pstart || n <= 0 || n > 65535)
			goto out;
		*port = (int)n;
	} else if (p != pstart)
		goto out;
	if (*pstart == '/')
		*path = xstrdup(pstart);
	else
		xasprintf(path, "/%s", pstart);
	if ((end = strchr(*path, '#')) != NULL)
		*end = '\0';
	*host = hs;
	hs = NULL;
	rv = 0;
out:
	free(hs);
	return (rv);
}

char *
slack_url_redact_new(const char *url)
{
	static const CURLUPart	 drop[] = { CURLUPART_USER,
	    CURLUPART_PASSWORD, CURLUPART_OPTIONS, CURLUPART_QUERY,
	    CURLUPART_FRAGMENT };
	CURLU			*u;
	char			*s = NULL, *out = NULL;
	size_t			 i;

	if ((u = curl_url()) == NULL)
		goto out;
	/* wss:// is not a scheme every libcurl build knows. */
	if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) !=
	    CURLUE_OK)
		goto out;
	for (i = 0; i < sizeof drop / sizeof drop[0]; i++) {
		if (curl_url_set(u, drop[i], NULL, 0) != CURLUE_OK)
			goto out;
	}
	if (curl_url_get(u, CURLUPART_URL, &s, 0) != CURLUE_OK)
		goto out;
	out = xstrdup(s);
out:
	curl_free(s);
	curl_url_cleanup(u);
	return (out != NULL ? out : xstrdup("(not a URL)"));
}
