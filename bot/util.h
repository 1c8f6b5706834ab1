/*
 * util.h: the utility layer, below everything else in opsbot. Its files
 * use nothing of opsbot's but each other and the clock, so that any file
 * may use them and they can be tested alone (scripts/check-style.sh
 * keeps it so).
 *
 * Map (prototypes grouped by file below):
 *   xmalloc.c   allocation wrappers that abort on OOM
 *   log.c       one log stream, token redaction
 *   buf.c       growable strings (struct buf) and string vectors (struct strv)
 *   slack-id.c  the shape of a Slack ID (U123, C0456)
 *   utf8.c      checking UTF-8, repairing stray Latin-1/Windows-1252 bytes,
 *               escaping control characters, line:column of an offset
 * The clock (clock.c) is in this layer too, behind its own header,
 * clock.h, so that the files which read the time are the ones that
 * include it; so are retry delays (backoff.c, backoff.h).
 */
#ifndef OPSBOT_UTIL_H
#define OPSBOT_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#ifndef __dead
#define __dead __attribute__((__noreturn__))
#endif
#define PRINTFLIKE(a, b) __attribute__((__format__(__printf__, a, b)))

/* xmalloc.c: every function aborts with a log line on OOM; never NULL. */
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
int	 xasprintf(char **, const char *, ...) PRINTFLIKE(2, 3);
int	 xvasprintf(char **, const char *, va_list) PRINTFLIKE(2, 0);

/*
 * log.c: levels follow syslog's order. Every line goes through the
 * redactor (log_redact), then control characters are escaped (\n, \x1b),
 * so each call writes exactly one line.
 */
enum log_level {
	LOG_LVL_ERR = 0,
	LOG_LVL_WARN,
	LOG_LVL_INFO,
	LOG_LVL_DEBUG,
};
void	 log_init(enum log_level, FILE *);
void	 log_setlevel(enum log_level);
enum log_level log_getlevel(void);
int	 log_level_parse(const char *, enum log_level *);
/* Adds a secret to redact (copied). Secrets shorter than 8 bytes ignored. */
void	 log_add_secret(const char *);
/* Frees the secret list (wiped with explicit_bzero first). */
void	 log_release(void);
/*
 * The one redactor, for log lines and for user text that is stored or
 * echoed (the dispatcher runs every command line through it). In place
 * (s only shrinks); returns s. What follows a Slack token prefix (xoxb-,
 * xoxp-, xoxa-, xoxe-, xoxr-, xoxs-, xapp-), the password of a URL's
 * userinfo, and every registered secret become "***".
 */
char	*log_redact(char *s);
void	 log_warn(const char *, ...) PRINTFLIKE(1, 2);	/* appends strerror */
/* An error the bot survives (fatalx is for those it does not). */
void	 log_errx(const char *, ...) PRINTFLIKE(1, 2);
void	 log_warnx(const char *, ...) PRINTFLIKE(1, 2);
void	 log_info(const char *, ...) PRINTFLIKE(1, 2);
void	 log_debug(const char *, ...) PRINTFLIKE(1, 2);
__dead void fatal(const char *, ...) PRINTFLIKE(1, 2);
__dead void fatalx(const char *, ...) PRINTFLIKE(1, 2);

/* buf.c: a growable NUL-terminated byte string. Zero-initialise to use. */
struct buf {
	char	*s;	/* owned; NULL until the first add */
	size_t	 len;
	size_t	 cap;
};
void	 buf_add(struct buf *, const void *, size_t);
void	 buf_adds(struct buf *, const char *);
void	 buf_addc(struct buf *, char);
void	 buf_printf(struct buf *, const char *, ...) PRINTFLIKE(2, 3);
void	 buf_vprintf(struct buf *, const char *, va_list) PRINTFLIKE(2, 0);
void	 buf_truncate(struct buf *, size_t);
/* Returns the string ("" if empty); caller owns it; b is reset. */
char	*buf_release(struct buf *);
/* Returns b->s or "" (borrowed). */
const char *buf_str(const struct buf *);
void	 buf_reset(struct buf *);	/* frees, ready for reuse */

/* A vector of owned strings. Zero-initialise to use. */
struct strv {
	char	**v;	/* owned, each element owned */
	size_t	  n;
	size_t	  cap;
};
void	 strv_add_new(struct strv *, char *);	/* steals the string */
void	 strv_add(struct strv *, const char *);	/* copies */
void	 strv_addf(struct strv *, const char *, ...) PRINTFLIKE(2, 3);
void	 strv_reset(struct strv *);

/*
 * utf8.c: UTF-8 as RFC 3629 defines it (no overlong forms, surrogates or
 * code points above U+10FFFF). Lengths are in bytes; s need not be
 * NUL-terminated and may contain NUL (which is valid UTF-8).
 *
 * utf8_seqlen: the length (1-4) of the valid sequence at s, 0 if none.
 * utf8_valid_prefix: how many leading bytes of s are valid UTF-8.
 * utf8_valid: 1 if all len bytes are valid UTF-8, else 0.
 * utf8_repair: appends s to b (always NUL-terminated after), each byte
 *   that is not part of a valid sequence decoded as Windows-1252 (so
 *   Latin-1 "Caf\xe9" becomes "Café"; undefined bytes become U+FFFD).
 *   Returns the number of bytes repaired; if any, *first_bad (may be
 *   NULL) is the offset of the first one in s. Never fails.
 */
size_t	 utf8_seqlen(const char *s, size_t len);
size_t	 utf8_valid_prefix(const char *s, size_t len);
int	 utf8_valid(const char *s, size_t len);
size_t	 utf8_repair(struct buf *b, const char *s, size_t len,
	    size_t *first_bad);
/*
 * Appends s to b (NUL-terminated after, even if len is 0) made safe for
 * one log line or terminal: C0 controls and DEL become \n, \r, \t or
 * \xNN; C1 controls (U+0080-U+009F) and bytes that are not UTF-8 become
 * \xNN per byte; other valid UTF-8 is kept. A file name or a message
 * can then neither start a forged line nor send an escape sequence.
 */
void	 utf8_escape_controls(struct buf *b, const char *s, size_t len);
/*
 * The 1-based line and byte column of offset off (<= the length) in
 * data, for file:line:column messages.
 */
void	 text_position(const char *data, size_t off, int *line, int *column);

/*
 * slack-id.c: 1 if s looks like a Slack ID whose first letter is one of
 * first ("UW" users, "CGD" conversations): that letter, then 2 to 32
 * upper-case ASCII letters and digits. Names (lower case, '#') never
 * match. 0 otherwise, also for NULL.
 */
int	 slack_id_like(const char *s, const char *first);

#endif /* OPSBOT_UTIL_H */
