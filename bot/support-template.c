/*
 * support-template.c: the first response to a support request, a
 * template of mrkdwn with {placeholders}. The template is trusted text
 * from the config; the values are not (a display name is whatever its
 * owner typed), so each goes through the one escaper, mrkdwn_escape.
 */
#include <stddef.h>
#include <string.h>

#include "bot/util.h"
#include "bot/mrkdwn.h"
#include "bot/support.h"

/* The longest name between braces that counts as a placeholder. */
#define SUPPORT_FIELD_MAX	32

/* The placeholders, in the order of support_field_value. */
static const char *const support_fields[] = {
	"user", "ticket", "priority", "due", "tier", "channel"
};
#define SUPPORT_NFIELDS	(sizeof support_fields / sizeof support_fields[0])

/* The value of support_fields[i] in f (borrowed, may be NULL). */
static const char *
support_field_value(const struct support_fill *f, int i)
{
	switch (i) {
	case 0:
		return (f->user);
	case 1:
		return (f->ticket);
	case 2:
		return (f->priority);
	case 3:
		return (f->due);
	case 4:
		return (f->tier);
	case 5:
		return (f->channel);
	}
	return (NULL);
}

/* Appends {user}: the name escaped, else the id as a mention. */
static void
support_user_add(struct buf *b, const struct support_fill *f)
{
	if (f->user == NULL && f->user_id != NULL &&
	    slack_id_like(f->user_id, "UW"))
		buf_printf(b, "<@%s>", f->user_id);
	else if (f->user == NULL && f->user_id != NULL)
		mrkdwn_escape(b, f->user_id, strlen(f->user_id));
	else if (f->user != NULL)
		mrkdwn_escape(b, f->user, strlen(f->user));
}

static int
support_is_namec(char c)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-');
}

/*
 * The length of the placeholder "{name}" at s (which starts with '{'),
 * braces included; 0 if s does not start one.
 */
static size_t
support_placeholder_len(const char *s)
{
	size_t	 n = 1;

	while (support_is_namec(s[n]) && n <= SUPPORT_FIELD_MAX)
		n++;
	if (n == 1 || n > SUPPORT_FIELD_MAX || s[n] != '}')
		return (0);
	return (n + 1);
}

/* The index in support_fields of the name in "{name}" of len; -1 if none. */
static int
support_field_find(const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < SUPPORT_NFIELDS; i++) {
		if (strlen(support_fields[i]) == len - 2 &&
		    strncmp(s + 1, support_fields[i], len - 2) == 0)
			return ((int)i);
	}
	return (-1);
}

/*
 * Walks tmpl: with b, appends it filled from f; with unknown, collects
 * the unknown placeholders once each. Returns the unknown ones seen
 * (every occurrence for b, distinct ones for unknown).
 */
static int
support_template_walk(const char *tmpl, struct buf *b,
    const struct support_fill *f, struct strv *unknown)
{
	const char	*p = tmpl, *value;
	size_t		 n, i;
	int		 field, count = 0, seen;

	while (*p != '\0') {
		if (p[0] == '{' && p[1] == '{') {
			if (b != NULL)
				buf_addc(b, '{');
			p += 2;
			continue;
		}
		n = p[0] == '{' ? support_placeholder_len(p) : 0;
		if (n == 0) {
			if (b != NULL)
				buf_addc(b, *p);
			p++;
			continue;
		}
		field = support_field_find(p, n);
		if (field >= 0) {
			if (b != NULL && field == 0)
				support_user_add(b, f);
			else if (b != NULL) {
				value = support_field_value(f, field);
				if (value != NULL)
					mrkdwn_escape(b, value, strlen(value));
			}
		} else if (b != NULL) {
			buf_add(b, p, n);
			count++;
		} else {
			seen = 0;
			for (i = 0; i < unknown->n && !seen; i++)
				seen = strlen(unknown->v[i]) == n &&
				    strncmp(unknown->v[i], p, n) == 0;
			if (!seen) {
				strv_add_new(unknown, xstrndup(p, n));
				count++;
			}
		}
		p += n;
	}
	return (count);
}

int
support_template_fill(struct buf *b, const char *tmpl,
    const struct support_fill *f)
{
	int	 count;

	count = support_template_walk(tmpl, b, f, NULL);
	if (b->s == NULL)
		buf_add(b, "", 0);	/* NUL-terminated even if empty */
	return (count);
}

int
support_template_check(const char *tmpl, struct strv *unknown)
{
	return (support_template_walk(tmpl, NULL, NULL, unknown));
}
