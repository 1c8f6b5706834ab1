/*
 * watch.h: channel watches (issue 9): rules from the config's `watches:`
 * list, compiled per channel into one PCRE2 pattern, and the gate
 * handler that answers a message one of them matches
 * (docs/internals/watch.md). Kept out of bot.h so that only the files
 * that match include pcre2.h.
 *
 * Map:
 *   watch-config.c  the `watches:` list of the YAML config, checked
 *   watch-match.c   one pattern per channel, one match call per message
 *   watch-active.c  a rule's active days and hours (`active:`)
 *   watch.c         the gate handler: answer, cooldown, reaction
 */
#ifndef OPSBOT_WATCH_H
#define OPSBOT_WATCH_H

#include <stddef.h>
#include <stdint.h>

#include "bot/gate.h"
#include "bot/re.h"

struct buf;
struct runbook_set;
struct tz_time;
struct yaml_document_s;
struct yaml_node_s;

#define WATCH_DEFAULT_COOLDOWN_MS	(10 * 60 * 1000)
/* The reaction a message gets when its rule is cooling down. */
#define WATCH_REACTION			"eyes"
/* At most this many rules in a config (bench: 500 in one channel). */
#define WATCH_MAX_RULES			4096
/* Backtracking budget of one match call (pcre2_set_match_limit). */
#define WATCH_MATCH_LIMIT		1000000

/* One pattern of a rule, as written. */
struct watch_pattern {
	char		*text;		/* the words, or the regex source */
	int		 is_regex;
};

/*
 * When a rule may fire (`active:`). Days are bits, 1 << 0 Monday to
 * 1 << 6 Sunday; minutes are of the day, start < end, or end < start for
 * a range over midnight, which belongs to the day it starts on (with
 * `days: fri`, 22:00-06:00 covers Friday 22:00 to Saturday 06:00).
 * set == 0: no `active:`, always.
 */
#define WATCH_ALL_DAYS			0x7f
struct watch_active {
	int		 set;
	unsigned	 days;
	int		 start_min;	/* 0-1439 */
	int		 end_min;	/* 1-1440, != start_min */
	char		*tz;		/* NULL: the config's `timezone` */
};

/* One rule of the config's `watches:` list. Everything owned. */
struct watch_rule {
	char		*name;		/* `name:`, else its first pattern */
	char		*channel;	/* as written: "C0123", "#ops", "ops" */
	struct watch_pattern *patterns;
	size_t		 npatterns;
	char		*text;		/* template, or NULL */
	char		*section;	/* runbook section reference, or NULL */
	int		 in_channel;	/* `in: channel`; default the thread */
	int64_t		 cooldown_ms;
	char		*severity;	/* label, or NULL */
	int		 bots;		/* messages from bots count */
	struct watch_active active;
	size_t		 line;		/* where the rule starts, 1-based */
	/* `page:` a rotation to page on a match, or NULL (bot/watch-page.c);
	   page_severity its severity word, NULL "high"; where page: is */
	char		*page;
	char		*page_severity;
	size_t		 page_line, page_column;
};

/* All rules of one channel, compiled together. */
struct watch_chan {
	char		*channel;	/* normalised: no '#', as written */
	size_t		*rules;		/* indices into watch_set.rules */
	size_t		 nrules;
	int		 bots;		/* some rule counts bots */
	char		*source;	/* the combined pattern */
	pcre2_code	*re;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	int		 jit;		/* pcre2_jit_compile succeeded */
};

struct watch_set {
	struct watch_rule *rules;
	size_t		 nrules;
	struct watch_chan *chans;
	size_t		 nchans;
	int		 bots;		/* some rule counts bots */
};

/* What one match call found: the rules (config order) and why. */
struct watch_hit {
	size_t		 rule;		/* index into watch_set.rules */
	size_t		 start, end;	/* the first match's bytes */
};
struct watch_hits {
	struct watch_hit *v;
	size_t		 n, cap;
};

/* watch-config.c */
/*
 * Reads the `watches:` node of doc (from file, for messages) into a new
 * set, compiled (watch_compile). Returns the set (caller frees with
 * watch_set_free) or NULL with *cause "file:line:column: message"
 * (caller frees); a bad regex is placed at PCRE2's error offset inside
 * the scalar when the scalar is on one line.
 */
struct watch_set *watch_config_load(struct yaml_document_s *doc,
	    struct yaml_node_s *node, const char *file, char **cause);
void	 watch_set_free(struct watch_set *);	/* accepts NULL */
/*
 * Checks every rule's `section:` against the runbooks: -1 with *cause
 * (caller frees) naming the first that names no section. set may be
 * NULL.
 */
int	 watch_check_sections(const struct watch_set *,
	    const struct runbook_set *, const char *file, char **cause);
/* watch-page.c: a rule's `page:` (issue 10: a watch may open a page). */
/*
 * Checks that every rule's `page:` names a rotation of cfg: 0, or -1
 * with *cause "file:line:column: watches: page: ..." (caller frees).
 * config.c runs it once the whole file is read.
 */
int	 watch_check_pages(const struct config *cfg, const char *file,
	    char **cause);
/*
 * Opens the page of rule r (r->page set) for message m at now_ms (wall
 * ms UTC) through page_open, in the gate's transaction: summary "<rule
 * name>: <the first line of m's text>", opened_by "watch:<rule name>",
 * key the message's identity and the rule, so a retried event opens
 * one page. Returns the page id, 0 when the rotation is gone or has no
 * channel (logged), or -1 (store failed: the caller rolls back).
 */
int64_t	 watch_page_open(struct bot *, const struct msg *m,
	    const struct watch_rule *r, int64_t now_ms);

/* Parses "90s", "10m", "2h", "1d" or "0" into ms; -1 if malformed. */
int	 watch_duration_parse(const char *, int64_t *ms);

/* watch-active.c */
/*
 * Parses `days:` ("mon-fri", "sat,sun", "fri-mon", "daily") into
 * *days. Returns 0, or -1 with *off the byte of s that is wrong.
 */
int	 watch_days_parse(const char *s, unsigned *days, size_t *off);
/*
 * Parses `hours:` ("08:00-18:00", "22:00-06:00"; 24:00 as an end).
 * Returns 0, or -1 with *off the byte of s that is wrong.
 */
int	 watch_hours_parse(const char *s, int *start_min, int *end_min,
	    size_t *off);
/*
 * Whether a is active at now_ms (wall ms UTC), read in a->tz or else
 * deftz (the config's `timezone`). 1 active (always, if !a->set), 0
 * not, -1 if the zone is not usable (tz_local).
 */
/*
 * The same for a local time t already read in a's zone (tz_local): 1
 * active, 0 not. For many instants read at once (tz_local_all).
 */
int	 watch_active_local(const struct watch_active *a,
	    const struct tz_time *t);
int	 watch_active_at(const struct watch_active *a, const char *deftz,
	    int64_t now_ms);
/* Appends "mon-fri 08:00-18:00 Europe/Berlin" (a->set only). */
void	 watch_active_format(struct buf *, const struct watch_active *a,
	    const char *deftz);

/* watch-match.c */
/*
 * Builds and compiles each channel's combined pattern (JIT if PCRE2 has
 * it). Returns 0, or -1 with *cause naming the channel (caller frees).
 */
int	 watch_compile(struct watch_set *, char **cause);
/* The channel's compiled rules for a message's channel, or NULL. */
struct watch_chan *watch_chan_find(const struct watch_set *,
	    const char *channel);
/*
 * One match call of text against c. all == 0: whether some rule
 * matches (the first hit found stops the search), hits may be NULL.
 * all == 1: every rule that matches anywhere in text, each once, in
 * config order, appended to hits. Returns the number of rules found,
 * or -1 if the match failed (over WATCH_MATCH_LIMIT: logged).
 */
int	 watch_match(struct watch_chan *c, const char *text, size_t len,
	    int all, struct watch_hits *hits);
void	 watch_hits_reset(struct watch_hits *);

/* watch.c: the gate handler (one line in handlers.c). */
/*
 * Answers are kept this long (or the longest cooldown, if longer): "never
 * twice in one thread" holds for a week-old thread, not a year-old one.
 */
#define WATCH_KEEP_ANSWERS_MS	(INT64_C(7) * 24 * 3600 * 1000)
/* Deletes answers no rule can still be cooling down from (periodic). */
void	 watch_prune(struct bot *);
/*
 * The compiled rules for a message's channel (an ID): those written
 * with that ID, else those written with the name the adapter learnt
 * for it (channels.h), else NULL.
 */
struct watch_chan *watch_chan_for(struct bot *, const char *channel);
/* gate_handler.claims: one match call, no store. */
int	 watch_claims(struct bot *, const struct msg *);
/*
 * gate_handler.handle, in the gate's transaction: for each rule that
 * matches, its answer (outbox_queue, in m's thread or the channel), or
 * within its cooldown or in a thread it answered already, one
 * reaction on m instead. GATE_FAILED if the store failed.
 */
enum gate_verdict watch_handle(struct bot *, const struct msg *,
	    struct reply *);
/*
 * The rule's answer to m as mrkdwn (new string): its template with
 * {user}, {channel}, {severity} and {rule} filled in, then its runbook
 * section rendered as `sop` renders it. Never NULL.
 */
char	*watch_answer_new(struct bot *, const struct watch_rule *,
	    const struct msg *m);

#endif /* OPSBOT_WATCH_H */
