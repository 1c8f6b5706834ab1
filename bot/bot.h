/*
 * bot.h: the core of opsbot: the one struct bot, logging, allocation,
 * strings, config, the runbook index, dispatch and replies.
 *
 * Map of bot/ (prototypes grouped by file below):
 *   xmalloc.c   allocation wrappers that abort on OOM
 *   clock.c     the only reader of the time (its own header, clock.h)
 *   tz.c        UTC <-> a zone's wall clock, through the tz database (tz.h)
 *   when.c      the times people type: "15m", "tomorrow 09:00" (tz.h)
 *   log.c       one log stream, token redaction
 *   buf.c       growable strings (struct buf) and string vectors (struct strv)
 *   utf8.c      checking UTF-8, repairing stray Latin-1/Windows-1252 bytes,
 *               escaping control characters, line:column of an offset
 *   config.c    YAML config file, the options table
 *   yaml-compose.c  one YAML document from events, within hard limits
 *   slug.c      slugs: the case/space/punctuation-blind names of sections
 *   tokenize.c  splitting a command line into argv
 *   fixup.c     repairs of real-world Markdown mess before parsing
 *   re.c        compiling PCRE2 patterns (re.h), for fixup, words, label
 *   frontmatter.c  YAML front matter of runbooks
 *   mrkdwn.c    Markdown (cmark-gfm AST) to Slack mrkdwn, split in blocks
 *   runbook.c   loading runbooks and cutting them into sections
 *   runbook-walk.c  finding runbook files: links, loops, depth
 *   runbook-index.c  lookups: by slug, full text (through the store)
 *   runbook-link.c  lists of in-page links with their positions
 *   lint.c      opsbot lint's checks: findings with positions
 *   lint-format.c  findings as text, GitHub annotations or JSON
 *   lint-main.c  the `opsbot lint` command line
 *   reply.c     a reply: blocks packed into Slack-sized messages
 *   gate.c      the one way in for messages (its own header, gate.h)
 *   handlers.c  the tables features plug into: gate handlers, timer kinds
 *   outbox.c    queued posts delivered by the adapter (outbox.h)
 *   sched.c     durable timers fired through timer kinds (sched.h)
 *   backoff.c   retry delays (backoff.h)
 *   dispatch.c  a command message in, a command run, an audit row, a reply
 *   loop.c      the lws context: one thread, one loop, signals
 *   test-clock.c  test builds only: a test moves the clock (--test-clock-fd)
 *   main.c      command line
 */
#ifndef OPSBOT_BOT_H
#define OPSBOT_BOT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#define OPSBOT_VERSION "0.1.0"

#ifndef __dead
#define __dead __attribute__((__noreturn__))
#endif
#define PRINTFLIKE(a, b) __attribute__((__format__(__printf__, a, b)))

struct adapter;
struct outbox;
struct sched;
struct test_clock;
struct config;
struct store;
struct runbook_set;
struct reply;
struct lws_context;

/*
 * The one piece of mutable state there is. Owned by main(); everything it
 * points at is owned by it and freed by bot_release().
 */
struct bot {
	struct config		*cfg;		/* owned */
	struct store		*store;		/* owned */
	struct runbook_set	*runbooks;	/* owned */
	struct adapter		*adapter;	/* owned */
	struct lws_context	*lws;		/* owned; NULL until bot_loop_init */
	/*
	 * The core's scheduler of durable timers (sched.h) and its outbox
	 * (outbox.h): owned; made by main() before the adapter, NULL in
	 * `opsbot -n` and in tests that need neither.
	 */
	struct sched		*sched;
	struct outbox		*outbox;
	int			 stopping;	/* set by signals or adapters */
	int			 exit_code;	/* what main() returns */
	/* owned; test builds started with --test-clock-fd, else NULL */
	struct test_clock	*test_clock;
};

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
 * config.c: the YAML config. Errors are "file:line:column: message" in
 * *cause (caller frees). Strings in struct config are owned by it.
 */
struct config {
	char		*path;		/* the file read, or NULL for defaults */
	struct strv	 runbook_dirs;	/* resolved relative to the file's dir */
	char		*prefix;	/* command prefix in messages, "!" */
	char		*db_path;	/* sqlite file */
	enum log_level	 log_level;
	char		*console_channel; /* default channel name, "#console" */
	/* IANA zone for times users type when theirs is not known, "UTC" */
	char		*tz;
	/* slack: */
	char		*api_url;	/* default https://slack.com/api/ */
	int		 ping_secs;	/* client ping interval */
	int		 idle_secs;	/* hang up after this long without a pong */
	int		 dedupe_secs;	/* keep event_ids this long (>= 600) */
	char		*ca_file;	/* extra CA bundle, or NULL */
	int		 max_inflight;	/* concurrent Web API posts */
	int		 debug_reconnects; /* append &debug_reconnects=true */
	/* never from the file: */
	char		*app_token;	/* SLACK_APP_TOKEN, or NULL */
	char		*bot_token;	/* SLACK_BOT_TOKEN, or NULL */
};
/*
 * Limits on a config file, whatever it holds (README "Input limits"):
 * its size, how deep lists and mappings nest, how many anchors it
 * defines, and how many bytes aliases may copy in total.
 */
#define CONFIG_MAX_BYTES	(1024 * 1024)
#define CONFIG_MAX_DEPTH	64
#define CONFIG_MAX_ANCHORS	100
#define CONFIG_MAX_CA_BYTES	(16 * 1024 * 1024)	/* slack.ca_file */
/* Defaults only; never fails. */
struct config	*config_new(void);
/*
 * Reads path (YAML, at most CONFIG_MAX_BYTES) over the defaults; -1 with
 * *cause on error (an unreadable file is "path:0:0: ...").
 */
int		 config_load(struct config *, const char *path, char **cause);
/*
 * Loads len bytes of YAML as if read from a file called name (relative
 * runbook dirs resolve against name's directory). data need not be
 * NUL-terminated. Same errors as config_load; cfg may be partly set.
 */
int		 config_load_string(struct config *, const char *name,
		    const char *data, size_t len, char **cause);
/* Takes tokens and SLACK_API_URL from the environment; -1 on a bad one. */
int		 config_from_env(struct config *, char **cause);
void		 config_free(struct config *);
/* Writes a commented reference of every option (for README and --help). */
void		 config_print_reference(FILE *);

/* yaml-compose.c */
struct yaml_document_s;
/*
 * Limits on one YAML document (a config file, a runbook's front matter):
 * its size in bytes (also the most that aliases may copy in total), how
 * deep lists and mappings nest (at most YAML_COMPOSE_MAX_DEPTH), how many
 * anchors it defines. An alias is a copy of what it names. what names the
 * input in messages ("config file"), prefix starts every message ("" or
 * "front matter: ").
 */
#define YAML_COMPOSE_MAX_DEPTH	128
struct yaml_limits {
	const char	*what;
	const char	*prefix;
	size_t		 max_bytes;
	int		 max_depth;
	int		 max_anchors;
};
/*
 * Parses exactly one YAML document from len bytes (need not be
 * NUL-terminated) into *doc (caller deletes it with
 * yaml_document_delete; an empty input gives a document without nodes)
 * from libyaml's events, checking the limits as each event arrives:
 * libyaml's own loader has none, and its cost grows with the square of
 * the anchors and of the depth. Each node's start_mark is where it (or
 * the alias copied into it) was written. Returns 0, or -1 with *line and
 * *column (1-based within data; 0 if the input as a whole is at fault)
 * and *cause (prefix + message; caller frees), *doc untouched.
 */
int	 yaml_compose(const char *data, size_t len,
	    const struct yaml_limits *lim, struct yaml_document_s *doc,
	    int *line, int *column, char **cause);

/* slug.c */
/*
 * Returns a new string: lower-case ASCII letters and digits of s, with
 * everything else dropped except non-ASCII letters (UTF-8 kept as is);
 * Unicode punctuation (U+2000-U+206F, curly quotes) is dropped too.
 * "Lets Encrypt", "LetsEncrypt", "Let's Encrypt" -> "letsencrypt".
 */
char	*slug_new(const char *s);
/* GitHub-style anchor for a heading: "RedHat Boilerplate" -> "redhat-boilerplate". */
char	*slug_anchor_new(const char *s);
/* Damerau-free Levenshtein distance between two byte strings. */
size_t	 slug_distance(const char *, const char *);

/* frontmatter.c, fixup.c, mrkdwn.c, runbook.c, runbook-index.c */
/*
 * A problem found while loading a runbook: "file:line:column: message".
 * Warnings (mess that was repaired) do not fail a load; errors do.
 */
enum rb_diag_kind {
	RB_DIAG_LOAD = 0,	/* reading, walking, encoding, nesting */
	RB_DIAG_FRONTMATTER,	/* front matter that is not YAML */
	RB_DIAG_REPAIRED,	/* Markdown repaired by fixup.c */
};
struct rb_diag {
	char		*file;		/* owned */
	int		 line;		/* 1-based, 0 if unknown */
	int		 column;	/* 1-based, 0 if unknown */
	int		 is_error;
	char		*message;	/* owned */
	enum rb_diag_kind kind;		/* what found it (opsbot lint's check) */
};
struct rb_diags {
	struct rb_diag	*v;	/* owned */
	size_t		 n;
};
void	 rb_diags_reset(struct rb_diags *);
/* Formats d as "file:line:column: message" (new string). */
char	*rb_diag_format_new(const struct rb_diag *);

/* An in-page link ([text](#anchor)) and where it is written. */
struct rb_link {
	char	*anchor;	/* owned, without the '#' */
	int	 line;		/* 1-based, 0 if unknown */
	int	 column;	/* 1-based byte column, 0 if unknown */
};
struct rb_links {
	struct rb_link	*v;	/* owned */
	size_t		 n;
	size_t		 cap;
};

/* One runbook file. */
struct runbook {
	char		*path;		/* as found under a runbook dir */
	char		*title;		/* front matter title, else first H1, else file name */
	char		*service;	/* front matter service, or NULL */
	struct strv	 tags;		/* front matter tags (list or "a, b") */
	/*
	 * Other names of the runbook's top section (owned): the file's
	 * stem, front matter `aliases:`, `alert:` and `alertname:`. Empty
	 * until the loader fills it.
	 */
	struct strv	 aliases;
	/*
	 * The #anchor links that match no heading of the file (owned), in
	 * source order, each once: opsbot lint reports them.
	 */
	struct rb_links	 dead_links;
	size_t		 first;		/* index of its first section in set->sections */
	size_t		 count;		/* number of its sections */
	/*
	 * The section that stands for the whole runbook (runbook_names_build):
	 * its only top-level heading, else its preamble, else its first
	 * section; SIZE_MAX if it has none. Its keys name it as its slug does.
	 */
	size_t		 top;
	struct strv	 keys;		/* slugs of top heading, title, aliases; owned */
};

/*
 * One section: a heading and everything under it up to the next heading
 * of the same or a higher level, sub-sections included. Text before the
 * first heading is a section of its own named after the runbook (level 0).
 */
struct rb_section {
	size_t		 id;		/* index in set->sections */
	size_t		 runbook;	/* index in set->runbooks */
	int		 level;		/* 0 (preamble), 1-6 */
	int		 line;		/* source line of the heading */
	char		*heading;	/* plain text of the heading, label cut off */
	char		*label;		/* "Deprecated" of "X [Deprecated]", or NULL; owned */
	char		*slug;		/* slug_new(heading) */
	char		*anchor;	/* slug_anchor_new(heading) */
	ssize_t		 parent;	/* enclosing section id, or -1 */
	struct strv	 blocks;	/* rendered mrkdwn blocks, heading first */
	char		*text;		/* plain text of the whole section, for FTS */
	size_t		*links;		/* ids of sections this one links to by #anchor */
	size_t		 nlinks;
};

/*
 * A name a user may type for a section: its slug, or one of its
 * runbook's keys when it is the runbook's top section.
 */
struct rb_name {
	const char	*name;		/* borrowed from the section or runbook */
	size_t		 id;		/* section id */
};

struct runbook_set {
	struct runbook		*runbooks;	/* owned */
	size_t			 nrunbooks;
	struct rb_section	*sections;	/* owned */
	size_t			 nsections;
	size_t			 sections_cap;	/* allocated */
	struct rb_name		*names;		/* owned, sorted by name then id */
	size_t			 nnames;
};

/*
 * Loads every .md, .markdown and .txt file under each dir (recursively,
 * sorted by path so loads are reproducible; rb_walk says which files and
 * which links). Mess that can be repaired is repaired and reported as a
 * warning in diags; a file that cannot be read or whose front matter is
 * not YAML is an error in diags and is skipped, and so is a directory
 * that cannot be read or is too deep. Returns a new set (caller frees
 * with runbook_set_free) or NULL when a dir cannot be opened (diags says
 * why). diags may be NULL.
 */
struct runbook_set *runbook_set_load(const char *const *dirs, size_t ndirs,
	    struct rb_diags *diags);
/* Flags of runbook_set_load_flags. */
#define RB_LOAD_ALLOW_SKIPPED	0x1	/* directories skipped: warnings */
/* runbook_set_load with flags (runbook_set_load's are 0). */
struct runbook_set *runbook_set_load_flags(const char *const *dirs,
	    size_t ndirs, int flags, struct rb_diags *diags);
/* Loads one file's bytes as if it were a file called name (tests). */
struct runbook_set *runbook_set_load_string(const char *name,
	    const char *data, size_t len, struct rb_diags *diags);
void	 runbook_set_free(struct runbook_set *);

/*
 * The sections query names (runbook_resolve), best first: a section
 * from a runbook whose tags or title contain `prefer` (e.g. "escalation"),
 * when prefer is not NULL, ranks above one that does not; then shallower
 * headings; then load order. Fills ids (caller frees) and returns the count.
 */
size_t	 runbook_find(const struct runbook_set *, const char *query,
	    const char *prefer, size_t **ids);
/* Whether the runbook's tags or title contain prefer, ignoring case. */
int	 runbook_prefers(const struct runbook *, const char *prefer);
/*
 * The references (runbook_ref_new) of up to max sections whose names
 * (slugs, runbook keys) are nearest to query's last path component (edit
 * distance, then prefix), as new strings appended to out.
 */
void	 runbook_suggest(const struct runbook_set *, const char *query,
	    size_t max, struct strv *out);
/* Adds every section to the store's full-text index; 0 or -1. */
int	 runbook_index_build(const struct runbook_set *, struct store *);
/*
 * "Runbook › Heading › Sub-heading" for a section, mrkdwn-escaped (new
 * string). The runbook's top section is named by the title alone, and an
 * H1 whose slug is the title's is not repeated.
 */
char	*runbook_section_path_new(const struct runbook_set *, size_t id);
/* The same without the title: "Heading › Sub-heading", "" for the top. */
char	*runbook_section_subpath_new(const struct runbook_set *, size_t id);
/*
 * Appends the section's blocks to r, with a context line naming the
 * runbook (left out when it would only repeat the heading below it), a
 * ":warning: *Deprecated*" line when the section or one around it has a
 * label, then the blocks of each section it links to by #anchor that is
 * not already inside it.
 */
void	 runbook_section_reply(const struct runbook_set *, size_t id,
	    struct reply *r);

/* runbook-ref.c: the names of sections, in paths that lead back to one. */
/*
 * Fills each runbook's top and keys and the set's sorted names (called
 * by the loaders once every runbook is in).
 */
void	 runbook_names_build(struct runbook_set *);
/*
 * The sections query names, in load order (ids: caller frees; returns
 * the count). A query is a path of '/'-separated names, each compared as
 * slug_new() makes it: the last names the section (its slug, or a key
 * of its runbook if it is the top section); those before it name its
 * enclosing sections, nearest last, the first possibly a key of the
 * runbook: "kubepodcrashlooping/meaning", "hivedown/steps", "steps".
 * A trailing "#N" keeps only the Nth (1-based) of those matches:
 * "mcdrebooterror/diagnosis#2". A query that names nothing so is read
 * with "#N" as part of the name ("Issue #12"), then, if it has a '/', as
 * one name ("TCP/IP").
 */
size_t	 runbook_resolve(const struct runbook_set *, const char *query,
	    size_t **ids);
/*
 * The shortest path that runbook_resolve answers with exactly section
 * id, and nothing else (new string): its slug alone when no other
 * section shares it, else with as many enclosing names as it takes,
 * else with "#N". Every command the bot suggests names its section with
 * this. NULL for a section without a name (a heading of punctuation).
 */
char	*runbook_ref_new(const struct runbook_set *, size_t id);

/* label.c */
/*
 * If heading (plain text) carries a status label, "X [Deprecated]",
 * "X (deprecated)" or "[Deprecated] X", cuts it off heading (in place)
 * and returns the label's word as written (new string); else NULL.
 */
char	*heading_label_cut(char *heading);

/* words.c */
/*
 * Identifier splitting for the full-text index: "etcdDatabaseQuotaLowSpace"
 * has the words "etcd Database Quota Low Space". One per index build
 * (holds the compiled patterns); words_free accepts NULL.
 */
struct words;
struct words *words_new(void);
void	 words_free(struct words *);
/*
 * Appends to out, each followed by a space, the parts of every word of
 * text (len bytes of UTF-8) with a camelCase or letter/digit boundary.
 * Words without one add nothing: they are indexed as they are.
 */
void	 words_split(struct words *, const char *text, size_t len,
	    struct buf *out);

/* runbook.c: diagnostics. Appends a copy of file and the message. */
void	 rb_diags_add(struct rb_diags *, const char *file, int line,
	    int column, int is_error, const char *fmt, ...) PRINTFLIKE(6, 7);
/* rb_diags_add for a diag of another kind than RB_DIAG_LOAD. */
void	 rb_diags_add_kind(struct rb_diags *, enum rb_diag_kind,
	    const char *file, int line, int column, int is_error,
	    const char *fmt, ...) PRINTFLIKE(7, 8);

/* runbook-link.c: lists of in-page links. */
/* Appends a copy of anchor with its position. */
void	 rb_links_add(struct rb_links *, const char *anchor, int line,
	    int column);
/* Sorts by position (line, column, anchor) and drops repeats. */
void	 rb_links_uniq(struct rb_links *);
void	 rb_links_reset(struct rb_links *);

/* runbook-walk.c: the runbook files found under the runbook dirs. */
struct rb_file {
	char	*path;		/* owned: dir/name/... as walked */
	dev_t	 dev;		/* what the walk saw there, so the file */
	ino_t	 ino;		/* read is that one */
};
struct rb_files {
	struct rb_file	*v;	/* owned */
	size_t		 n;
	size_t		 cap;
};
/*
 * Appends the runbook files (.md, .markdown, .txt) under each of dirs to
 * out, each dir's sorted by path. Hidden entries and a README.md at the
 * top of a dir are left out. A symbolic link is followed only if it
 * resolves inside one of dirs; a file or directory reached twice (by
 * links, hard links or a dir given twice) is taken the first time, in
 * sorted walk order; each skip is a warning in diags. A sub-directory
 * that cannot be read, or more than 16 directories down, is skipped
 * with an error in diags (a warning with RB_LOAD_ALLOW_SKIPPED in flags).
 * Returns 0, or -1 with an error in diags when one of dirs cannot be
 * read (out then holds what was found so far). diags may be NULL.
 */
int	 rb_walk(const char *const *dirs, size_t ndirs, int flags,
	    struct rb_files *out, struct rb_diags *diags);
/* Appends a copy of path with its device and inode. */
void	 rb_files_add(struct rb_files *, const char *path, dev_t, ino_t);
void	 rb_files_reset(struct rb_files *);

/* frontmatter.c */
/*
 * Limits on front matter, which only ever holds a few keys (checked by
 * yaml_compose). Breaking one is an error.
 */
#define FRONTMATTER_MAX_BYTES	(64 * 1024)
#define FRONTMATTER_MAX_DEPTH	64	/* nested sequences and mappings */
#define FRONTMATTER_MAX_ANCHORS	64
/*
 * If data opens with a "---" line closed by a later "---" (or "...")
 * line, points *yaml and *yamllen at the YAML between them and returns the
 * offset of the body (the byte after the closing line), with *body_line
 * set to the body's 1-based line number in data. Otherwise returns 0,
 * *yaml is NULL and *body_line is 1.
 */
size_t	 frontmatter_split(const char *data, size_t len, const char **yaml,
	    size_t *yamllen, int *body_line);
/*
 * Parses front matter YAML (a mapping) into rb->title, rb->service,
 * rb->tags (a list, or a "a, b" string) and rb->aliases (`aliases:` as a
 * list or "a, b", `alert:` and `alertname:`); other keys are ignored. YAML
 * past the FRONTMATTER_MAX_* limits is an error. Returns 0, or -1 with
 * *line and *column (1-based, relative to the YAML text) and *cause
 * (caller frees); rb may then be partly filled.
 */
int	 frontmatter_parse(const char *yaml, size_t len, struct runbook *rb,
	    int *line, int *column, char **cause);

/* fixup.c */
/*
 * Markdown with real-world mess repaired (glued headings, kramdown
 * attribute lists, scraped "Heading#" lines), outside fenced code.
 * lines[i] is the source line of output line i + 1.
 */
struct fixup {
	struct buf	 text;		/* owned */
	int		*lines;		/* owned */
	size_t		 nlines;
	size_t		 linescap;	/* allocated */
};
/*
 * Repairs data (whose first line is source line first_line of file) into
 * out (zeroed by the caller, released with fixup_release). Each repair
 * is a warning in diags (may be NULL).
 */
void	 fixup_apply(const char *file, const char *data, size_t len,
	    int first_line, struct fixup *out, struct rb_diags *diags);
/* Maps a 1-based output line to its source line (0 if out of range). */
int	 fixup_line(const struct fixup *, int line);
void	 fixup_release(struct fixup *);

/* mrkdwn.c */
struct cmark_node;
/*
 * How deep below a top-level block the renderer follows the tree
 * (a list counts two levels: list and item). Anything deeper is shown
 * as its plain text, escaped, so that neither the stack nor list
 * indentation grows with what a runbook nests.
 */
#define MRKDWN_MAX_DEPTH	32
/* Parses GFM (tables, strikethrough, autolinks, task lists); caller frees with cmark_node_free. */
struct cmark_node *mrkdwn_parse(const char *md, size_t len);
/*
 * Renders one block node to Slack mrkdwn, appending one string to blocks
 * (none for a node that shows nothing: HTML, thematic breaks).
 */
void	 mrkdwn_render_block(struct cmark_node *, struct strv *blocks);
/* Parses md and renders each top-level block into blocks (tests). */
void	 mrkdwn_render_string(const char *md, size_t len, struct strv *blocks);
/* A heading's plain text, trimmed of whitespace and trailing ':' (new). */
char	*mrkdwn_heading_new(struct cmark_node *);
/* Appends node's plain text (unescaped, for full-text search) to b. */
void	 mrkdwn_plain(struct cmark_node *, struct buf *b);
/* Appends s escaped for mrkdwn (&, <, >; @here/@channel/@everyone muted). */
void	 mrkdwn_escape(struct buf *b, const char *s, size_t len);
/*
 * Appends node's in-page links to out: each anchor (without '#') and
 * where its link starts, a line of the text cmark parsed (0 if unknown).
 */
void	 mrkdwn_anchors(struct cmark_node *, struct rb_links *out);
/*
 * The first node (in document order) below block deeper than
 * MRKDWN_MAX_DEPTH, which the renderer shows flattened; NULL if none.
 * Borrowed from block's tree.
 */
struct cmark_node *mrkdwn_too_deep(struct cmark_node *block);

/* tokenize.c */
/*
 * Splits a command line into words. Understands "double" and 'single'
 * quotes, Slack's smart quotes, backslash escapes outside quotes, and
 * Slack's entity escaping (&amp; &lt; &gt; are decoded first). Slack link
 * markup <url|label> becomes label, <url> becomes url, <@U123> stays.
 * Returns 0 and fills out (caller resets), or -1 with *cause (unbalanced
 * quote) — cause is owned by the caller.
 */
int	 tokenize(const char *line, struct strv *out, char **cause);
/* Decodes Slack's &amp; &lt; &gt; into a new string. */
char	*slack_unescape_new(const char *);

/* reply.c */
/*
 * A reply is an ordered list of mrkdwn blocks. reply_pack() packs them
 * into messages of at most `limit` bytes, splitting oversized blocks at
 * line boundaries (re-opening ``` fences) so nothing is ever truncated.
 */
#define REPLY_MSG_LIMIT 3500	/* Slack: text <= 4000 recommended (PM) */
struct reply {
	struct strv	blocks;		/* mrkdwn, owned */
	int		is_error;	/* the command failed */
};
void	 reply_add(struct reply *, const char *);	/* copies */
void	 reply_add_new(struct reply *, char *);		/* steals */
void	 reply_addf(struct reply *, const char *, ...) PRINTFLIKE(2, 3);
void	 reply_reset(struct reply *);
/* Fills out with messages (owned by out). */
void	 reply_pack(const struct reply *, size_t limit, struct strv *out);
/*
 * The most one answer to !sop or !runbook may take, as reply_size
 * measures it: about six messages. A bigger section is answered with
 * the list of its sub-sections instead (cmd_section_reply), and opsbot
 * lint warns about one that has none.
 */
#define REPLY_ANSWER_MAX_BYTES	(6 * REPLY_MSG_LIMIT)
/* The bytes of r's blocks, each counted with the blank line after it. */
size_t	 reply_size(const struct reply *);
/* mrkdwn to plain text for the console: entities decoded, <u|t> -> t (u). */
char	*mrkdwn_to_plain_new(const char *);

/* lint.c */
/*
 * What opsbot lint reports. Findings are sorted by file, line, column,
 * then the order the checks found them in.
 */
enum lint_severity {
	LINT_WARNING = 0,
	LINT_ERROR,
};
struct lint_finding {
	char			*file;		/* owned, as loaded (raw bytes) */
	int			 line;		/* 1-based; 0: the whole file */
	int			 column;	/* 1-based byte; 0 if unknown */
	enum lint_severity	 severity;
	const char		*check;		/* static: "dead-anchor"... */
	char			*message;	/* owned, raw: escape to print */
	size_t			 seq;		/* order found, for sorting */
};
struct lint_findings {
	struct lint_finding	*v;	/* owned */
	size_t			 n;
	size_t			 cap;
};
/*
 * Appends to out (zeroed by the caller, freed with lint_findings_reset)
 * the findings about set (may be NULL when no dir could be read) and
 * every loader diag in diags (may be NULL), then sorts out. Checks, by
 * name: front-matter, repaired-markdown and load (the loader's diags,
 * their severity kept); dead-anchor (error); duplicate-name (error: two
 * runbooks' top sections answer to one name, by heading or alias);
 * duplicate-section (error between siblings, else a warning);
 * empty-section, todo-section and too-long (warnings). Reads only set:
 * no files, no network, no store. Never fails.
 */
void	 lint_check(const struct runbook_set *set,
	    const struct rb_diags *diags, struct lint_findings *out);
void	 lint_count(const struct lint_findings *, size_t *errors,
	    size_t *warnings);
/* 2 if any error, 1 if any warning and strict, else 0. */
int	 lint_exit_status(const struct lint_findings *, int strict);
void	 lint_findings_reset(struct lint_findings *);

/* lint-format.c */
enum lint_format {
	LINT_FORMAT_TEXT = 0,	/* file:line:column: severity: message */
	LINT_FORMAT_GITHUB,	/* ::error file=F,line=L,col=C::message */
	LINT_FORMAT_JSON,	/* [{file,line,column,severity,message,check}] */
};
/* "text", "github" or "json"; 0, or -1 for anything else. */
int	 lint_format_parse(const char *, enum lint_format *);
/*
 * Writes the findings to fp in format f. In every format, control
 * characters and bytes that are not UTF-8 in file names and messages
 * are escaped (utf8_escape_controls), so a line is one finding; GitHub
 * annotations also encode '%', CR and LF (and ':' and ',' in
 * properties) as %XX. A position of 0 is left out. JSON is one array
 * (jansson), "line" and "column" numbers (0 if unknown). Returns 0, or
 * -1 if writing failed.
 */
int	 lint_print(FILE *fp, enum lint_format f,
	    const struct lint_findings *);

/* lint-main.c */
/*
 * `opsbot lint [--format=text|github|json] [--strict] DIR...`: loads the
 * runbooks under each DIR, prints the findings on stdout and a summary
 * on stderr. argv[0] is "lint". Returns the exit status: 0 clean
 * (warnings allowed), 1 warnings with --strict, 2 errors, or a usage
 * error (message on stderr) or output that could not be written.
 */
int	 lint_main(int argc, char **argv);

/* dispatch.c: the commands handler behind the gate (gate.h, handlers.c). */
struct msg;
enum dispatch_result {
	DISPATCH_IGNORED = 0,	/* not for the bot: chatter */
	DISPATCH_REPLIED,	/* a command ran (or failed): reply filled */
};
/*
 * Decides whether msg is a command for the bot; if so runs it and fills
 * out, and writes an audit row through bot->store (inside the caller's
 * transaction, if one is open). Never fails: internal errors become a
 * reply that says so.
 */
enum dispatch_result dispatch_message(struct bot *, const struct msg *,
	    struct reply *out);

/* loop.c */
/*
 * Creates the lws context with the adapter's protocols, installs signal
 * handlers (SIGINT/SIGTERM stop, SIGPIPE ignored) and runs lws_service
 * until bot->stopping. Returns 0, or -1 if the context cannot be made.
 */
int	 bot_loop_run(struct bot *);

#ifdef OPSBOT_TEST_CLOCK
/*
 * test-clock.c, test builds only: reads "+<ms>" lines from fd (borrowed,
 * made non-blocking), moves the clock, calls the adapter's clock_moved
 * and answers "ok <wall ms>" (docs/internals/clock.md). new applies the
 * lines already waiting on fd at once (the clock then starts ahead: no
 * timer is armed yet, so nothing is woken), and returns NULL if fd is
 * not open. start polls fd from the loop; stop cancels that.
 */
struct test_clock *test_clock_new(struct bot *, int fd);
void	 test_clock_start(struct test_clock *);
void	 test_clock_stop(struct test_clock *);
void	 test_clock_free(struct test_clock *);
#endif
/* Asks the loop to stop at its next turn (safe from callbacks). */
void	 bot_stop(struct bot *, int exit_code);

#endif /* OPSBOT_BOT_H */
