/*
 * runbook.h: runbooks, from the files on disk to sections a user can
 * name: walking the dirs, repairing and parsing the Markdown, cutting it
 * into sections, the names and paths that lead back to each.
 *
 * Map (prototypes grouped by file below):
 *   slug.c      slugs: the case/space/punctuation-blind names of sections
 *   runbook.c   loading runbooks and cutting them into sections;
 *               diagnostics
 *   runbook-index.c  lookups: by slug, full text (through the store)
 *   runbook-ref.c  the names of sections, in paths that lead back to one
 *   runbook-reply.c  a section as a reply: where it is, its blocks, links
 *   label.c     status labels of headings ("[Deprecated]")
 *   words.c     identifier splitting for the full-text index
 *   runbook-link.c  lists of in-page links with their positions
 *   runbook-walk.c  finding runbook files: links, loops, depth
 *   frontmatter.c  YAML front matter of runbooks
 *   fixup.c     repairs of real-world Markdown mess before parsing
 * Rendering a section's Markdown is mrkdwn.h's; the PCRE2 patterns of
 * fixup.c, label.c and words.c are compiled through re.h.
 */
#ifndef OPSBOT_RUNBOOK_H
#define OPSBOT_RUNBOOK_H

#include <stddef.h>
#include <sys/types.h>

#include "bot/util.h"

struct reply;
struct store;

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

/* runbook.c: loading. */
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

/* runbook-index.c */
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

/* runbook-reply.c: a section as a reply. */
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

#endif /* OPSBOT_RUNBOOK_H */
