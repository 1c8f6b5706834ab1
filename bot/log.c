/*
 * log.c: the one log stream (stderr by default), with secrets redacted
 * and control characters escaped in every line. Log state is the one deliberate global
 * besides struct bot: like tmux and smtpd, any code must be able to log
 * without a handle, including lws' log callback and fatal paths.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bot/util.h"
#include "bot/clock.h"

static struct {
	enum log_level	 level;
	FILE		*out;
	struct strv	 secrets;
} log_state = { LOG_LVL_INFO, NULL, { NULL, 0, 0 } };

static const char *const token_prefixes[] = {
	"xoxb-", "xoxp-", "xoxa-", "xoxe-", "xoxr-", "xoxs-", "xapp-", NULL
};

void
log_init(enum log_level level, FILE *out)
{
	log_state.level = level;
	log_state.out = out;
}

void
log_setlevel(enum log_level level)
{
	log_state.level = level;
}

enum log_level
log_getlevel(void)
{
	return (log_state.level);
}

int
log_level_parse(const char *s, enum log_level *out)
{
	static const struct {
		const char	*name;
		enum log_level	 level;
	} names[] = {
		{ "error", LOG_LVL_ERR }, { "warn", LOG_LVL_WARN },
		{ "warning", LOG_LVL_WARN }, { "info", LOG_LVL_INFO },
		{ "debug", LOG_LVL_DEBUG },
	};
	size_t	 i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strcasecmp(s, names[i].name) == 0) {
			*out = names[i].level;
			return (0);
		}
	}
	return (-1);
}

void
log_add_secret(const char *secret)
{
	if (secret == NULL || strlen(secret) < 8)
		return;
	strv_add(&log_state.secrets, secret);
}

void
log_release(void)
{
	size_t	 i;

	for (i = 0; i < log_state.secrets.n; i++) {
		explicit_bzero(log_state.secrets.v[i],
		    strlen(log_state.secrets.v[i]));
	}
	strv_reset(&log_state.secrets);
}

static int
token_char(char c)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-');
}

/* Overwrites [p, p+len) with "***" and closes the gap; returns the new end. */
static size_t
redact_span(char *s, size_t slen, size_t at, size_t len)
{
	size_t	 keep;

	keep = len < 3 ? len : 3;
	memset(s + at, '*', keep);
	memmove(s + at + keep, s + at + len, slen - at - len + 1);
	return (slen - (len - keep));
}

/* Can c be part of a URL's userinfo ("user:pass")? */
static int
userinfo_char(char c)
{
	return (c != '\0' && c != '/' && c != '?' && c != '#' && c != '@' &&
	    c != '<' && c != '>' && c != '"' && c != '\'' && c != '|' &&
	    (unsigned char)c > ' ');
}

/* "scheme://user:pass@host" becomes "scheme://user:***@host". */
static size_t
redact_userinfo(char *s, size_t slen)
{
	size_t	 at, end, colon;
	char	*hit;

	at = 0;
	while ((hit = strstr(s + at, "://")) != NULL) {
		at = (size_t)(hit - s) + 3;
		colon = 0;
		for (end = at; userinfo_char(s[end]); end++) {
			if (s[end] == ':' && colon == 0)
				colon = end;
		}
		if (s[end] != '@' || colon == 0 || end == colon + 1)
			continue;
		slen = redact_span(s, slen, colon + 1, end - colon - 1);
	}
	return (slen);
}

char *
log_redact(char *s)
{
	size_t	 i, j, k, slen, plen, len;
	char	*hit;

	slen = strlen(s);
	for (i = 0; token_prefixes[i] != NULL; i++) {
		plen = strlen(token_prefixes[i]);
		j = 0;
		while ((hit = strstr(s + j, token_prefixes[i])) != NULL) {
			k = (size_t)(hit - s) + plen;
			len = 0;
			while (token_char(s[k + len]))
				len++;
			if (len > 0)
				slen = redact_span(s, slen, k, len);
			j = k + (len < 3 ? len : 3);
		}
	}
	for (i = 0; i < log_state.secrets.n; i++) {
		len = strlen(log_state.secrets.v[i]);
		while ((hit = strstr(s, log_state.secrets.v[i])) != NULL)
			slen = redact_span(s, slen, (size_t)(hit - s), len);
	}
	redact_userinfo(s, slen);
	return (s);
}

static void	log_vwrite(enum log_level, const char *, const char *,
		    va_list, const char *) PRINTFLIKE(3, 0);

static void
log_vwrite(enum log_level level, const char *tag, const char *fmt,
    va_list ap, const char *suffix)
{
	static const char *const names[] = { "error", "warn", "info", "debug" };
	struct buf	 esc = { NULL, 0, 0 };
	char		*line;
	FILE		*out;
	struct tm	 tm;
	time_t		 secs;
	int64_t		 now;
	char		 when[32];

	if (level > log_state.level)
		return;
	out = log_state.out != NULL ? log_state.out : stderr;
	xvasprintf(&line, fmt, ap);
	log_redact(line);
	now = clock_wall_ms();
	secs = (time_t)(now / 1000);
	gmtime_r(&secs, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
	/* Input (a file name, a Slack message) cannot forge a line. */
	utf8_escape_controls(&esc, line, strlen(line));
	if (suffix != NULL) {
		buf_adds(&esc, ": ");
		utf8_escape_controls(&esc, suffix, strlen(suffix));
	}
	fprintf(out, "%s.%03ldZ %s%s %s\n", when, (long)(now % 1000),
	    names[level], tag, buf_str(&esc));
	fflush(out);
	buf_reset(&esc);
	free(line);
}

void
log_errx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LVL_ERR, "", fmt, ap, NULL);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved;

	saved = errno;
	va_start(ap, fmt);
	log_vwrite(LOG_LVL_WARN, "", fmt, ap, strerror(saved));
	va_end(ap);
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LVL_WARN, "", fmt, ap, NULL);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LVL_INFO, "", fmt, ap, NULL);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LVL_DEBUG, "", fmt, ap, NULL);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved;

	saved = errno;
	va_start(ap, fmt);
	log_vwrite(LOG_LVL_ERR, " fatal:", fmt, ap, strerror(saved));
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LVL_ERR, " fatal:", fmt, ap, NULL);
	va_end(ap);
	exit(1);
}
