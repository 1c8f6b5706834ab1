/*
 * slack-tls.c: which certificate authorities the TLS connections to
 * Slack trust, for both libwebsockets (Socket Mode) and libcurl (Web
 * API).
 *
 * Both libraries would, by default, read the whole system bundle
 * (/etc/ssl/certs/ca-certificates.crt, ~140 roots) into an X509_STORE
 * at start: about 245 million instructions and 0.85 MB of heap that
 * stays for the life of the process (measured with callgrind and
 * massif, bench/README.md). OpenSSL's hashed certificate directory
 * holds the same roots, one file per certificate named by subject
 * hash, and is read lazily: a handshake loads only the issuer it
 * needs. So the store we hand both libraries is that directory, plus
 * the one bundle file the operator may name (slack.ca_file).
 *
 * $SSL_CERT_FILE is not read: on most hosts it names the system bundle
 * the directory already holds, and loading it would undo the saving.
 * libcurl never read it either; slack.ca_file is the one way to add a
 * bundle, for both libraries alike.
 */
#include <stdio.h>
#include <stdlib.h>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "adapters/slack.h"

const char *
slack_tls_ca_dir(void)
{
	const char	*dir;

	/* OpenSSL's own convention, as X509_STORE_set_default_paths(). */
	dir = getenv(X509_get_default_cert_dir_env());
	if (dir != NULL && *dir != '\0')
		return (dir);
	return (X509_get_default_cert_dir());
}

int
slack_tls_load(void *ssl_ctx, const char *cfg_ca_file, char **cause)
{
	SSL_CTX		*ctx = ssl_ctx;
	const char	*dir = slack_tls_ca_dir();

	*cause = NULL;
	/* Never fails for a missing directory: lookups just find nothing. */
	if (SSL_CTX_load_verify_dir(ctx, dir) != 1) {
		xasprintf(cause, "cannot use the CA directory '%s'", dir);
		return (-1);
	}
	if (cfg_ca_file != NULL &&
	    SSL_CTX_load_verify_file(ctx, cfg_ca_file) != 1) {
		xasprintf(cause, "cannot load the CA file '%s'", cfg_ca_file);
		return (-1);
	}
	return (0);
}

void
slack_tls_hint(char *dst, size_t len, const char *cfg_ca_file)
{
	snprintf(dst, len, "trusted CAs: the directory '%s'%s%s%s; set "
	    "SSL_CERT_DIR or slack.ca_file to change them", slack_tls_ca_dir(),
	    cfg_ca_file != NULL ? " and '" : "",
	    cfg_ca_file != NULL ? cfg_ca_file : "",
	    cfg_ca_file != NULL ? "'" : "");
}
