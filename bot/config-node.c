/*
 * config-node.c: what the config's section loaders share (support:,
 * support_tiers:, rotations:, admins:, duties:, escalation_policies:,
 * a rotation's summary:, watches:): the positioned error
 * "file:line:column: key: message" (README "Config errors"; tests and
 * `opsbot -n` depend on it byte for byte) and the checks of a scalar
 * that every key makes before its own.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "bot/config.h"

int
config_node_verror(char **cause, const char *file, const yaml_node_t *n,
    size_t extra, const char *fmt, va_list ap)
{
	char	*msg;

	xvasprintf(&msg, fmt, ap);
	xasprintf(cause, "%s:%zu:%zu: %s", file, n->start_mark.line + 1,
	    n->start_mark.column + 1 + extra, msg);
	free(msg);
	return (-1);
}

int
config_node_error(char **cause, const char *file, const yaml_node_t *n,
    size_t extra, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	config_node_verror(cause, file, n, extra, fmt, ap);
	va_end(ap);
	return (-1);
}

void
config_at_init(struct config_at *at, yaml_document_t *doc, const char *file,
    char **cause, const char *list)
{
	memset(at, 0, sizeof *at);
	at->doc = doc;
	at->file = file;
	at->cause = cause;
	config_at_list(at, "%s", list);
}

void
config_at_list(struct config_at *at, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(at->list, sizeof at->list, fmt, ap);
	va_end(ap);
	at->entry[0] = '\0';
}

void
config_at_entry(struct config_at *at, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(at->entry, sizeof at->entry, fmt, ap);
	va_end(ap);
}

void
config_at_leave(struct config_at *at)
{
	at->entry[0] = '\0';
}

/* "where: message" at n, where already the key path. */
static int config_at_verror(struct config_at *, const yaml_node_t *,
    const char *, const char *, const char *, va_list) PRINTFLIKE(5, 0);

static int
config_at_verror(struct config_at *at, const yaml_node_t *n,
    const char *where, const char *key, const char *fmt, va_list ap)
{
	char	*msg;

	xvasprintf(&msg, fmt, ap);
	config_node_error(at->cause, at->file, n, 0, "%s%s%s: %s", where,
	    key != NULL ? "." : "", key != NULL ? key : "", msg);
	free(msg);
	return (-1);
}

int
config_at_error(struct config_at *at, const yaml_node_t *n, const char *key,
    const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	if (at->entry[0] != '\0')
		config_at_verror(at, n, at->entry, key, fmt, ap);
	else
		config_at_verror(at, n, at->list, NULL, fmt, ap);
	va_end(ap);
	return (-1);
}

int
config_at_list_error(struct config_at *at, const yaml_node_t *n,
    const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	config_at_verror(at, n, at->list, NULL, fmt, ap);
	va_end(ap);
	return (-1);
}

int
config_at_scalar(struct config_at *at, const yaml_node_t *n,
    const char *key, const char **text)
{
	const char	*v;

	if (n->type != YAML_SCALAR_NODE)
		return (config_at_error(at, n, key, "expected a single value"));
	v = (const char *)n->data.scalar.value;
	if (strlen(v) != n->data.scalar.length)
		return (config_at_error(at, n, key, "contains a NUL byte"));
	*text = v;
	return (0);
}

int
config_at_text(struct config_at *at, const yaml_node_t *n, const char *key,
    const char **text)
{
	const char	*v = NULL;

	if (config_at_scalar(at, n, key, &v) != 0)
		return (-1);
	if (*v == '\0')
		return (config_at_error(at, n, key, "must not be empty"));
	*text = v;
	return (0);
}

char *
config_path_new(const char *file, const char *path)
{
	const char	*slash;
	char		*out;

	if (path[0] == '/' || file == NULL ||
	    (slash = strrchr(file, '/')) == NULL)
		return (xstrdup(path));
	xasprintf(&out, "%.*s/%s", (int)(slash - file), file, path);
	return (out);
}
