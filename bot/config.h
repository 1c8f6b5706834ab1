/*
 * config.h: reading the YAML config.
 *
 * Map (prototypes grouped by file below):
 *   config.c    YAML config file, the options table
 *   config-reference.c  --config-reference: every option, in words
 *   config-node.c  what the section loaders share: positioned errors
 *               "file:line:column: key: message", a scalar's checks
 *   yaml-compose.c  one YAML document from events, within hard limits
 *               (the config file and runbooks' front matter)
 */
#ifndef OPSBOT_CONFIG_H
#define OPSBOT_CONFIG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include "bot/util.h"

struct rotation;
struct duty;
struct watch_set;
struct esc_policy;

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
	/* the console's user (--user: a Slack user ID to act as a rotation
	   member or a support engineer), or NULL: $USER, else "console" */
	char		*console_user;
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
	/* `watches:` (bot/watch-config.c), compiled; NULL if none. */
	struct watch_set *watches;
	/* support: (bot/support-config.c, bot/ticket.h) */
	struct support_channel *support;
	size_t		 nsupport;
	/* support_tiers: (bot/support-tiers.c): the defaults of 004_*,
	   overridden and added to by the config; never empty */
	struct support_tier_def *tiers;
	size_t		 ntiers;
	/* rotations: and admins: (bot/rotation-config.c, bot/oncall.h) */
	struct rotation	*rotations;
	size_t		 nrotations;
	struct strv	 admins;	/* user IDs */
	/* rotations' duties: (bot/duty-config.c, bot/duty.h) */
	struct duty	*duties;
	size_t		 nduties;
	/* escalation_policies: (bot/policy-config.c, bot/page.h) */
	struct esc_policy *policies;
	size_t		 npolicies;
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
/* config.c's part of config_print_reference: the scalar options. */
void		 config_options_reference(FILE *);

/*
 * config-reference.c: writes a commented reference of every option,
 * scalar options and sections (for README and --config-reference).
 */
void		 config_print_reference(FILE *);

/*
 * config-node.c: the pieces every section loader (support-config.c,
 * support-tiers.c, rotation-config.c, duty-config.c, policy-config.c,
 * summary-config.c, watch-config.c) uses, so that their errors read
 * alike: "file:line:column: where: message", line and column 1-based
 * from the node's start mark (yaml_compose keeps them).
 */
struct yaml_document_s;
struct yaml_node_s;
/*
 * Writes "file:line:column: message" into *cause (caller frees); extra
 * moves the column right (a place inside a scalar). Returns -1.
 */
int	 config_node_verror(char **cause, const char *file,
	    const struct yaml_node_s *, size_t extra, const char *fmt,
	    va_list) PRINTFLIKE(5, 0);
int	 config_node_error(char **cause, const char *file,
	    const struct yaml_node_s *, size_t extra, const char *fmt, ...)
	    PRINTFLIKE(5, 6);
/*
 * Where a loader is: the section ("support", "rotations[2].duties") and
 * the entry read in it ("support[3]", "support_tiers.gold"), "" outside
 * one. Paths longer than CONFIG_AT_PATH_MAX - 1 bytes are cut. doc,
 * file and cause are borrowed; errors go to *cause (caller frees).
 */
#define CONFIG_AT_PATH_MAX	128
struct config_at {
	struct yaml_document_s	*doc;
	const char		*file;
	char			**cause;
	char			 list[CONFIG_AT_PATH_MAX];
	char			 entry[CONFIG_AT_PATH_MAX];
};
/* Starts at section list, outside any entry. */
void	 config_at_init(struct config_at *, struct yaml_document_s *,
	    const char *file, char **cause, const char *list);
/* Moves to another section (printf-like), outside any entry. */
void	 config_at_list(struct config_at *, const char *fmt, ...)
	    PRINTFLIKE(2, 3);
/* Enters an entry of the section (printf-like: "support[%zu]"). */
void	 config_at_entry(struct config_at *, const char *fmt, ...)
	    PRINTFLIKE(2, 3);
/* Leaves the entry: errors name the section again. */
void	 config_at_leave(struct config_at *);
/*
 * Inside an entry: "file:l:c: entry.key: message" ("entry: message"
 * without a key); outside one: "file:l:c: list: message" whatever the
 * key. Returns -1.
 */
int	 config_at_error(struct config_at *, const struct yaml_node_s *,
	    const char *key, const char *fmt, ...) PRINTFLIKE(4, 5);
/* "file:l:c: list: message", inside an entry too. Returns -1. */
int	 config_at_list_error(struct config_at *, const struct yaml_node_s *,
	    const char *fmt, ...) PRINTFLIKE(3, 4);
/*
 * A scalar's text (borrowed from the document) without NUL bytes: 0, or
 * -1 with "expected a single value" or "contains a NUL byte" at key.
 */
int	 config_at_scalar(struct config_at *, const struct yaml_node_s *,
	    const char *key, const char **text);
/* config_at_scalar, and not empty ("must not be empty"). */
int	 config_at_text(struct config_at *, const struct yaml_node_s *,
	    const char *key, const char **text);
/*
 * path as the config file (file; NULL: none) names it: relative to
 * file's directory unless absolute (new string; "a.yaml" + "x" is "x").
 */
char	*config_path_new(const char *file, const char *path);

/* yaml-compose.c */
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

#endif /* OPSBOT_CONFIG_H */
