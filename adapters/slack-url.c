/*
 * slack-url.c: URLs of Slack and of the fake Slack of the tests: which
 * hosts are loopback, a URL split for lws, a URL as it may be logged.
 */
#include <netinet/in.h>
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
	struct in6_addr	 a6;
	char		 tmp[INET6_ADDRSTRLEN];
	size_t		 len;

	if (host == NULL)
		return (0);
	if (strcasecmp(host, "localhost") == 0)
		return (1);
	if (inet_pton(AF_INET, host, &a4) == 1)
		return ((ntohl(a4.s_addr) >> 24) == 127);
	/* curl_url hands out an IPv6 literal in its brackets (RFC 3986). */
	len = strlen(host);
	if (len >= 2 && host[0] == '[' && host[len - 1] == ']' &&
	    len - 2 < sizeof tmp) {
		memcpy(tmp, host + 1, len - 2);
		tmp[len - 2] = '\0';
		host = tmp;
	}
	/* ::1 only: ::ffff:127.0.0.1 is an IPv4 address in IPv6 clothing. */
	return (inet_pton(AF_INET6, host, &a6) == 1 &&
	    IN6_IS_ADDR_LOOPBACK(&a6));
}

/*
 * A part of u as a new string of ours, or NULL when u has none (or
 * curl cannot allocate it).
 */
static char *
url_part_new(CURLU *u, CURLUPart what)
{
	char	*s = NULL, *copy = NULL;

	if (curl_url_get(u, what, &s, 0) == CURLUE_OK && s != NULL)
		copy = xstrdup(s);
	curl_free(s);
	return (copy);
}

int
slack_url_split(const char *url, char **host, int *port, char **path,
    int *tls)
{
	CURLU		*u;
	char		*scheme = NULL, *h = NULL, *ps = NULL, *pth = NULL;
	char		*q = NULL, *user = NULL, *pass = NULL, *end;
	long		 n;
	int		 defport, rv = -1;

	if ((u = curl_url()) == NULL)
		goto out;
	/*
	 * wss:// is not a scheme every libcurl build knows; the path is
	 * kept as given (no ../ folding: it is Slack's ticket URL).
	 */
	if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME |
	    CURLU_PATH_AS_IS) != CURLUE_OK)
		goto out;
	/* curl lowercases the scheme. */
	if ((scheme = url_part_new(u, CURLUPART_SCHEME)) == NULL)
		goto out;
	if (strcmp(scheme, "https") == 0 || strcmp(scheme, "wss") == 0) {
		*tls = 1;
		defport = 443;
	} else if (strcmp(scheme, "http") == 0 || strcmp(scheme, "ws") == 0) {
		*tls = 0;
		defport = 80;
	} else
		goto out;
	/* No userinfo: nothing of ours uses it, and lws would drop it. */
	user = url_part_new(u, CURLUPART_USER);
	pass = url_part_new(u, CURLUPART_PASSWORD);
	if (user != NULL || pass != NULL)
		goto out;
	/* An IPv6 literal comes back in its brackets: "[::1]". */
	if ((h = url_part_new(u, CURLUPART_HOST)) == NULL || *h == '\0')
		goto out;
	*port = defport;
	if ((ps = url_part_new(u, CURLUPART_PORT)) != NULL) {
		/* curl refuses ports over 65535 and non-digits; 0 too here. */
		n = strtol(ps, &end, 10);
		if (end == ps || *end != '\0' || n <= 0 || n > 65535)
			goto out;
		*port = (int)n;
	}
	/*
	 * lws_parse_uri drops the leading '/' (lws-notes): the path from
	 * curl always has it; the query stays (the Socket Mode ticket),
	 * the fragment never reaches the wire.
	 */
	if ((pth = url_part_new(u, CURLUPART_PATH)) == NULL)
		pth = xstrdup("/");
	q = url_part_new(u, CURLUPART_QUERY);
	if (q != NULL)
		xasprintf(path, "%s?%s", pth, q);
	else {
		*path = pth;
		pth = NULL;
	}
	*host = h;
	h = NULL;
	rv = 0;
out:
	free(scheme);
	free(user);
	free(pass);
	free(h);
	free(ps);
	free(pth);
	free(q);
	curl_url_cleanup(u);
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
