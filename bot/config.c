/*
 * config.c: the YAML config file, described by one options table that
 * drives defaults, validation and the printed reference. Tokens never
 * come from the file: only from the environment.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <yaml.h>

#include "bot/config.h"
#include "bot/duty.h"
#include "bot/oncall.h"
#include "bot/page.h"
#include "bot/ticket.h"
#include "bot/tz.h"
#include "bot/watch.h"

enum opt_type {
	OPT_STRING,
	OPT_INT,
	OPT_BOOL,
	OPT_DIRS,
	OPT_LOGLEVEL,
};

struct opt {
	const char	*name;		/* dotted path in the YAML */
	enum opt_type	 type;
	size_t		 off;		/* into struct config */
	const char	*def;		/* default, parsed like file input */
	long		 min, max;	/* OPT_INT bounds */
	const char	*help;
	/* a file's value, once set: -1 with *cause (no position) */
	int		(*check)(const struct opt *, const char *, char **);
};

static int	check_nonempty(const struct opt *, const char *, char **);
static int	check_ca_file(const struct opt *, const char *, char **);
static int	check_timezone(const struct opt *, const char *, char **);

#define OFF(f) offsetof(struct config, f)
static const struct opt opts[] = {
	{ "runbooks", OPT_DIRS, OFF(runbook_dirs), NULL, 0, 0,
	  "Runbook directories (a list or one path), relative to this file; "
	  "--runbooks replaces them", NULL },
	{ "prefix", OPT_STRING, OFF(prefix), "!", 0, 0,
	  "What starts a command in a message (\"!sop hivedown\")", NULL },
	{ "store", OPT_STRING, OFF(db_path), "opsbot.db", 0, 0,
	  "The sqlite database, relative to the working directory; --db "
	  "overrides", check_nonempty },
	{ "log_level", OPT_LOGLEVEL, OFF(log_level), "info", 0, 0,
	  "error, warn, info or debug; -v raises it", NULL },
	{ "console.channel", OPT_STRING, OFF(console_channel), "#console",
	  0, 0, "Channel name the console adapter pretends to be in", NULL },
	{ "timezone", OPT_STRING, OFF(tz), "UTC", 0, 0,
	  "IANA time zone (Europe/Berlin) of the times users type, as in "
	  "!remind tomorrow 09:00, when their own zone is not known",
	  check_timezone },
	{ "slack.api_url", OPT_STRING, OFF(api_url), "https://slack.com/api/",
	  0, 0, "Web API base URL; SLACK_API_URL overrides (tests point it "
	  "at a loopback server)", check_nonempty },
	/*
	 * 2 and 8: a dead socket is replaced within 10 s, and a pong may
	 * take 6 s, more than the 5 s that gave Bolt-JS false alarms
	 * (bolt-js #2496, slack-protocol.md §2.7). README "How it behaves".
	 */
	{ "slack.ping_interval", OPT_INT, OFF(ping_secs), "2", 1, 300,
	  "Seconds from a pong to the next client ping on the Socket Mode "
	  "connection", NULL },
	{ "slack.pong_timeout", OPT_INT, OFF(idle_secs), "8", 2, 900,
	  "Seconds without a pong or any frame before the connection is "
	  "declared dead and replaced; more than ping_interval", NULL },
	{ "slack.dedupe_ttl", OPT_INT, OFF(dedupe_secs), "3600", 600, 604800,
	  "Seconds an event_id is remembered (Slack retries for 5 min)", NULL },
	{ "slack.ca_file", OPT_STRING, OFF(ca_file), NULL, 0, 0,
	  "Extra CA bundle (PEM) trusted besides the system CA directory",
	  check_ca_file },
	{ "slack.max_inflight", OPT_INT, OFF(max_inflight), "4", 1, 64,
	  "Posts in flight at once (one per thread or channel at a time)",
	  NULL },
	{ "slack.debug_reconnects", OPT_BOOL, OFF(debug_reconnects), "false",
	  0, 0, "Ask Slack to refresh the socket every 360 s (staging)", NULL },
};
#undef OFF

static const struct opt *
opt_find(const char *name)
{
	size_t	 i;

	for (i = 0; i < sizeof opts / sizeof opts[0]; i++) {
		if (strcmp(opts[i].name, name) == 0)
			return (&opts[i]);
	}
	return (NULL);
}

/* Is name a section ("slack") of some dotted option? */
static int
opt_is_section(const char *name)
{
	size_t	 i, len;

	len = strlen(name);
	for (i = 0; i < sizeof opts / sizeof opts[0]; i++) {
		if (strncmp(opts[i].name, name, len) == 0 &&
		    opts[i].name[len] == '.')
			return (1);
	}
	return (0);
}

/* Sets a scalar option from its text; -1 with *cause (no position). */
static int
opt_set(struct config *cfg, const struct opt *o, const char *value,
    char **cause)
{
	char		**sp, *end;
	int		 *ip;
	long		  l;

	switch (o->type) {
	case OPT_STRING:
		sp = (char **)((char *)cfg + o->off);
		free(*sp);
		*sp = value != NULL ? xstrdup(value) : NULL;
		return (0);
	case OPT_INT:
		errno = 0;
		l = strtol(value, &end, 10);
		if (errno != 0 || *value == '\0' || *end != '\0') {
			xasprintf(cause, "%s: '%s' is not a whole number",
			    o->name, value);
			return (-1);
		}
		if (l < o->min || l > o->max) {
			xasprintf(cause, "%s: %ld is out of range (%ld to %ld)",
			    o->name, l, o->min, o->max);
			return (-1);
		}
		ip = (int *)((char *)cfg + o->off);
		*ip = (int)l;
		return (0);
	case OPT_BOOL:
		ip = (int *)((char *)cfg + o->off);
		if (strcmp(value, "true") == 0 || strcmp(value, "yes") == 0 ||
		    strcmp(value, "on") == 0)
			*ip = 1;
		else if (strcmp(value, "false") == 0 ||
		    strcmp(value, "no") == 0 || strcmp(value, "off") == 0)
			*ip = 0;
		else {
			xasprintf(cause, "%s: '%s' is not true or false",
			    o->name, value);
			return (-1);
		}
		return (0);
	case OPT_LOGLEVEL:
		if (log_level_parse(value, &cfg->log_level) != 0) {
			xasprintf(cause, "%s: '%s' is not one of error, warn, "
			    "info, debug", o->name, value);
			return (-1);
		}
		return (0);
	case OPT_DIRS:
		break;
	}
	xasprintf(cause, "%s: needs a list", o->name);
	return (-1);
}

static int
check_nonempty(const struct opt *o, const char *value, char **cause)
{
	if (*value != '\0')
		return (0);
	if (o->off == offsetof(struct config, db_path))
		xasprintf(cause, "%s: must not be empty (an empty name is a "
		    "temporary database)", o->name);
	else
		xasprintf(cause, "%s: must not be empty", o->name);
	return (-1);
}

/*
 * lws only logs a CA file it cannot use and carries on, so check here
 * that it is a readable regular file with at least one certificate.
 * O_NONBLOCK: a FIFO named here must not hang `opsbot -n`.
 */
static int
check_ca_file(const struct opt *o, const char *value, char **cause)
{
	STACK_OF(X509_INFO)	*infos = NULL;
	struct stat		 st;
	BIO			*bio = NULL;
	int			 fd, i, certs = 0, rc = -1;

	if ((fd = open(value, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1) {
		xasprintf(cause, "%s: cannot read '%s': %s", o->name, value,
		    strerror(errno));
		goto out;
	}
	if (fstat(fd, &st) != 0) {
		xasprintf(cause, "%s: cannot read '%s': %s", o->name, value,
		    strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		xasprintf(cause, "%s: '%s' is %s", o->name, value,
		    S_ISDIR(st.st_mode) ? "a directory" :
		    "not a regular file");
		goto out;
	}
	if (st.st_size > CONFIG_MAX_CA_BYTES) {
		xasprintf(cause, "%s: '%s' is larger than %d bytes", o->name,
		    value, CONFIG_MAX_CA_BYTES);
		goto out;
	}
	if ((bio = BIO_new_fd(fd, BIO_CLOSE)) == NULL)
		fatalx("%s: BIO_new_fd failed", __func__);
	fd = -1;
	infos = PEM_X509_INFO_read_bio(bio, NULL, NULL, NULL);
	for (i = 0; infos != NULL && i < sk_X509_INFO_num(infos); i++) {
		if (sk_X509_INFO_value(infos, i)->x509 != NULL)
			certs++;
	}
	if (certs == 0) {
		xasprintf(cause, "%s: '%s' holds no readable PEM certificate",
		    o->name, value);
		goto out;
	}
	rc = 0;
out:
	ERR_clear_error();
	sk_X509_INFO_pop_free(infos, X509_INFO_free);
	BIO_free(bio);
	if (fd != -1)
		close(fd);
	return (rc);
}

/* A zone glibc would not find is silently UTC: refuse it here. */
static int
check_timezone(const struct opt *o, const char *value, char **cause)
{
	char	*why = NULL;

	if (tz_check(value, &why) == 0)
		return (0);
	xasprintf(cause, "%s: %s", o->name, why);
	free(why);
	return (-1);
}

struct config *
config_new(void)
{
	struct config	*cfg;
	char		*cause = NULL;
	size_t		 i;

	cfg = xcalloc(1, sizeof *cfg);
	for (i = 0; i < sizeof opts / sizeof opts[0]; i++) {
		if (opts[i].def == NULL)
			continue;
		if (opt_set(cfg, &opts[i], opts[i].def, &cause) != 0)
			fatalx("config default: %s", cause);
	}
	support_tiers_default(cfg);
	return (cfg);
}

void
config_free(struct config *cfg)
{
	if (cfg == NULL)
		return;
	free(cfg->path);
	strv_reset(&cfg->runbook_dirs);
	free(cfg->prefix);
	free(cfg->db_path);
	free(cfg->console_channel);
	free(cfg->console_user);
	free(cfg->tz);
	free(cfg->api_url);
	free(cfg->ca_file);
	watch_set_free(cfg->watches);
	support_config_free(cfg);
	support_tiers_free(cfg);
	rotation_config_free(cfg);
	policy_config_free(cfg);
	if (cfg->app_token != NULL) {
		explicit_bzero(cfg->app_token, strlen(cfg->app_token));
		free(cfg->app_token);
	}
	if (cfg->bot_token != NULL) {
		explicit_bzero(cfg->bot_token, strlen(cfg->bot_token));
		free(cfg->bot_token);
	}
	free(cfg);
}

struct load_state {
	struct config	*cfg;
	yaml_document_t	 doc;
	const char	*file;
	char		**cause;
	yaml_node_t	*ping_node;	/* set ping_interval or pong_timeout */
};

static int
node_error(struct load_state *ls, yaml_node_t *n, const char *fmt, ...)
    PRINTFLIKE(3, 4);

static int
node_error(struct load_state *ls, yaml_node_t *n, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	config_node_verror(ls->cause, ls->file, n, 0, fmt, ap);
	va_end(ap);
	return (-1);
}

/*
 * A scalar's text, or -1 with a positioned error. libyaml keeps a
 * "\0" escape in the value and gives its length: C would silently cut
 * the string there ("a\0b" becomes "a").
 */
static int
node_text(struct load_state *ls, yaml_node_t *n, const char *name,
    const char **text)
{
	const char	*v = (const char *)n->data.scalar.value;

	if (strlen(v) != n->data.scalar.length)
		return (node_error(ls, n, "%s: contains a NUL byte", name));
	*text = v;
	return (0);
}

static int
load_dirs(struct load_state *ls, const struct opt *o, yaml_node_t *n)
{
	yaml_node_item_t	*it;
	yaml_node_t		*item;
	const char		*dir = NULL;

	strv_reset(&ls->cfg->runbook_dirs);
	if (n->type == YAML_SCALAR_NODE) {
		if (node_text(ls, n, o->name, &dir) != 0)
			return (-1);
		strv_add_new(&ls->cfg->runbook_dirs, config_path_new(ls->file,
		    dir));
		return (0);
	}
	if (n->type != YAML_SEQUENCE_NODE)
		return (node_error(ls, n, "%s: expected a list of directories",
		    o->name));
	for (it = n->data.sequence.items.start;
	    it < n->data.sequence.items.top; it++) {
		item = yaml_document_get_node(&ls->doc, *it);
		if (item == NULL || item->type != YAML_SCALAR_NODE ||
		    item->data.scalar.length == 0)
			return (node_error(ls, item != NULL ? item : n,
			    "%s: each entry must be a directory path",
			    o->name));
		if (node_text(ls, item, o->name, &dir) != 0)
			return (-1);
		strv_add_new(&ls->cfg->runbook_dirs, config_path_new(ls->file,
		    dir));
	}
	return (0);
}

/* Sets one scalar option from node v, then runs the option's check. */
static int
load_scalar(struct load_state *ls, const struct opt *o, yaml_node_t *v)
{
	const char	*text = NULL;
	char		*why = NULL;
	int		 rc = -1;

	if (v->type != YAML_SCALAR_NODE) {
		node_error(ls, v, "%s: expected a single value", o->name);
		goto out;
	}
	if (node_text(ls, v, o->name, &text) != 0)
		goto out;
	if (opt_set(ls->cfg, o, text, &why) != 0 ||
	    (o->check != NULL && o->check(o, text, &why) != 0)) {
		node_error(ls, v, "%s", why);
		goto out;
	}
	if (o->off == offsetof(struct config, ping_secs) ||
	    o->off == offsetof(struct config, idle_secs))
		ls->ping_node = v;
	rc = 0;
out:
	free(why);
	return (rc);
}

static int
load_mapping(struct load_state *ls, yaml_node_t *map, const char *prefix)
{
	yaml_node_pair_t	*pair;
	yaml_node_t		*k, *v;
	const struct opt	*o;
	char			*name = NULL;
	int			 rc = -1;

	for (pair = map->data.mapping.pairs.start;
	    pair < map->data.mapping.pairs.top; pair++) {
		k = yaml_document_get_node(&ls->doc, pair->key);
		v = yaml_document_get_node(&ls->doc, pair->value);
		if (k == NULL || v == NULL || k->type != YAML_SCALAR_NODE ||
		    strlen((const char *)k->data.scalar.value) !=
		    k->data.scalar.length) {
			node_error(ls, k != NULL ? k : map,
			    "keys must be plain names");
			goto out;
		}
		free(name);
		if (prefix != NULL)
			xasprintf(&name, "%s.%s", prefix,
			    (const char *)k->data.scalar.value);
		else
			name = xstrdup((const char *)k->data.scalar.value);
		if (strstr(name, "token") != NULL) {
			node_error(ls, k, "%s: tokens are read only from the "
			    "environment (SLACK_APP_TOKEN, SLACK_BOT_TOKEN), "
			    "never from the config file", name);
			goto out;
		}
		if (prefix == NULL && strcmp(name, "watches") == 0) {
			watch_set_free(ls->cfg->watches);
			ls->cfg->watches = watch_config_load(&ls->doc, v,
			    ls->file, ls->cause);
			if (ls->cfg->watches == NULL)
				goto out;
			continue;
		}
		if (prefix == NULL && strcmp(name, "support_tiers") == 0)
			continue;	/* read first: load_tiers */
		if (strcmp(name, "support") == 0) {
			if (support_config_load(ls->cfg, &ls->doc, v, ls->file,
			    ls->cause) != 0)
				goto out;
			continue;
		}
		if (prefix == NULL && strcmp(name, "rotations") == 0) {
			if (rotation_config_load(ls->cfg, &ls->doc, v, ls->file,
			    ls->cause) != 0)
				goto out;
			continue;
		}
		if (prefix == NULL && strcmp(name, "admins") == 0) {
			if (admins_config_load(ls->cfg, &ls->doc, v, ls->file,
			    ls->cause) != 0)
				goto out;
			continue;
		}
		if (strcmp(name, "escalation_policies") == 0) {
			if (policy_config_load(ls->cfg, &ls->doc, v, ls->file,
			    ls->cause) != 0)
				goto out;
			continue;
		}
		if ((o = opt_find(name)) == NULL) {
			if (!opt_is_section(name)) {
				node_error(ls, k, "unknown option '%s'", name);
				goto out;
			}
			if (v->type != YAML_MAPPING_NODE) {
				node_error(ls, v, "%s: expected a mapping of "
				    "%s.* options", name, name);
				goto out;
			}
			if (load_mapping(ls, v, name) != 0)
				goto out;
			continue;
		}
		if (o->type == OPT_DIRS) {
			if (load_dirs(ls, o, v) != 0)
				goto out;
			continue;
		}
		if (load_scalar(ls, o, v) != 0)
			goto out;
	}
	rc = 0;
out:
	free(name);
	return (rc);
}

/*
 * support_tiers: before the rest, so that a support channel's tier may
 * name a tier defined further down the file.
 */
static int
load_tiers(struct load_state *ls, yaml_node_t *map)
{
	yaml_node_pair_t	*pair;
	yaml_node_t		*k, *v;

	for (pair = map->data.mapping.pairs.start;
	    pair < map->data.mapping.pairs.top; pair++) {
		k = yaml_document_get_node(&ls->doc, pair->key);
		v = yaml_document_get_node(&ls->doc, pair->value);
		if (k == NULL || v == NULL || k->type != YAML_SCALAR_NODE ||
		    strcmp((const char *)k->data.scalar.value,
		    "support_tiers") != 0)
			continue;	/* load_mapping says what is wrong */
		if (support_tiers_load(ls->cfg, &ls->doc, v, ls->file,
		    ls->cause) != 0)
			return (-1);
	}
	return (0);
}

int
config_load_string(struct config *cfg, const char *name, const char *data,
    size_t len, char **cause)
{
	static const struct yaml_limits config_limits = {
		"config file", "", CONFIG_MAX_BYTES, CONFIG_MAX_DEPTH,
		CONFIG_MAX_ANCHORS
	};
	struct load_state	 ls;
	yaml_node_t		*root;
	char			*msg = NULL;
	int			 rc = -1, have_doc = 0, line, column;

	memset(&ls, 0, sizeof ls);
	ls.cfg = cfg;
	ls.file = name;
	ls.cause = cause;
	if (yaml_compose(data, len, &config_limits, &ls.doc, &line, &column,
	    &msg) != 0) {
		xasprintf(cause, "%s:%d:%d: %s", name, line, column, msg);
		goto out;
	}
	have_doc = 1;
	free(cfg->path);
	cfg->path = xstrdup(name);
	root = yaml_document_get_root_node(&ls.doc);
	if (root == NULL) {
		rc = 0;	/* an empty file means all defaults */
		goto out;
	}
	if (root->type != YAML_MAPPING_NODE) {
		node_error(&ls, root, "the config must be a mapping of "
		    "option: value");
		goto out;
	}
	if (load_tiers(&ls, root) != 0 || load_mapping(&ls, root, NULL) != 0)
		goto out;
	/* what names a rotation, once rotations: is read, wherever it is */
	if (watch_check_pages(cfg, name, ls.cause) != 0 ||
	    ticket_check_pages(cfg, name, ls.cause) != 0)
		goto out;
	/* Else every healthy socket is killed between pings (lws asserts). */
	if (cfg->idle_secs <= cfg->ping_secs && ls.ping_node != NULL) {
		node_error(&ls, ls.ping_node, "slack.pong_timeout (%d) must "
		    "be larger than slack.ping_interval (%d)", cfg->idle_secs,
		    cfg->ping_secs);
		goto out;
	}
	rc = 0;
out:
	free(msg);
	if (have_doc)
		yaml_document_delete(&ls.doc);
	return (rc);
}

/*
 * Reads at most CONFIG_MAX_BYTES + 1 bytes, so that /dev/zero or a huge
 * file is refused after one read too many, not after filling memory.
 */
int
config_load(struct config *cfg, const char *path, char **cause)
{
	struct stat	 st;
	char		*data = NULL;
	size_t		 len = 0;
	ssize_t		 n;
	int		 fd, rc = -1;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		xasprintf(cause, "%s:0:0: cannot open config file: %s", path,
		    strerror(errno));
		goto out;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		xasprintf(cause, "%s:0:0: cannot read config file: it is a "
		    "directory", path);
		goto out;
	}
	data = xmalloc(CONFIG_MAX_BYTES + 1);
	while (len < CONFIG_MAX_BYTES + 1) {
		n = read(fd, data + len, CONFIG_MAX_BYTES + 1 - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			xasprintf(cause, "%s:0:0: cannot read config file: %s",
			    path, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	rc = config_load_string(cfg, path, data, len, cause);
out:
	free(data);
	if (fd != -1)
		close(fd);
	return (rc);
}

static int
env_token(const char *var, const char *prefix, char **dst, char **cause)
{
	const char	*v;

	v = getenv(var);
	if (v == NULL || *v == '\0')
		return (0);
	if (strncmp(v, prefix, strlen(prefix)) != 0) {
		/* never echo the value: it may be a real secret */
		xasprintf(cause, "%s does not start with '%s'", var, prefix);
		return (-1);
	}
	*dst = xstrdup(v);
	log_add_secret(v);
	return (0);
}

int
config_from_env(struct config *cfg, char **cause)
{
	const char	*url;

	if (env_token("SLACK_APP_TOKEN", "xapp-", &cfg->app_token, cause) != 0)
		return (-1);
	if (env_token("SLACK_BOT_TOKEN", "xoxb-", &cfg->bot_token, cause) != 0)
		return (-1);
	url = getenv("SLACK_API_URL");
	if (url != NULL && *url != '\0') {
		if (strncmp(url, "https://", 8) != 0 &&
		    strncmp(url, "http://", 7) != 0) {
			xasprintf(cause, "SLACK_API_URL must be an http(s) URL");
			return (-1);
		}
		free(cfg->api_url);
		if (url[strlen(url) - 1] == '/')
			cfg->api_url = xstrdup(url);
		else
			xasprintf(&cfg->api_url, "%s/", url);
	}
	return (0);
}

void
config_options_reference(FILE *f)
{
	size_t	 i;

	for (i = 0; i < sizeof opts / sizeof opts[0]; i++) {
		fprintf(f, "# %s\n#   %s", opts[i].name, opts[i].help);
		if (opts[i].type == OPT_INT)
			fprintf(f, " [%ld..%ld]", opts[i].min, opts[i].max);
		fprintf(f, "\n#   default: %s\n", opts[i].def != NULL ?
		    opts[i].def : "(none)");
	}
}
