/*
 * cmd.h: the command table and what a command may use.
 *
 * How to add a command:
 *   1. Write commands/cmd-<name>.c exporting one
 *      `const struct cmd_entry cmd_<name>_entry` (designated initialisers;
 *      everything else in the file static).
 *   2. Add one extern line and one cmd_table[] line in commands/cmd.c,
 *      keeping the table alphabetical.
 *   3. Add a slash command to config/slack-app-manifest.yaml if it should
 *      be one, and a line to README.md's command list.
 * tests/unit/test_cmd.c fails if a cmd-*.c file has no table entry or an
 * entry lacks usage or help.
 */
#ifndef OPSBOT_CMD_H
#define OPSBOT_CMD_H

#include "bot/bot.h"
#include "bot/gate.h"
#include "bot/outbox.h"

struct cmd_ctx;

enum cmd_retval {
	CMD_ERROR = -1,	/* the command failed; its reply says why */
	CMD_OK = 0,
};

struct cmd_entry {
	const char	*name;
	const char	*alias;		/* or NULL */
	struct {
		int	lower;		/* minimum positional arguments */
		int	upper;		/* maximum, -1 for no limit */
	} args;
	const char	*usage;		/* "<alert>" */
	const char	*help;		/* one line */
	int		 flags;		/* none defined yet; 0 */
	enum cmd_retval	(*exec)(struct cmd_ctx *);
};

/*
 * What exec gets. All pointers are borrowed for the call; the reply is
 * owned by the dispatcher.
 */
struct cmd_ctx {
	struct bot		*bot;
	const struct cmd_entry	*entry;
	const struct msg	*msg;
	int			 argc;	/* argv[0] is the command name */
	char			**argv;
	struct reply		*reply;
	const char		*prefix; /* how the user invokes commands: "!" or "/" */
};

/* cmd.c */
extern const struct cmd_entry *const cmd_table[];
/* Exact name or alias, case-insensitive; NULL if none. No prefixes. */
const struct cmd_entry	*cmd_find(const char *name);
/* Adds a mrkdwn block to the reply (escape user text with mrkdwn_escape_new). */
void	 cmd_reply(struct cmd_ctx *, const char *, ...) PRINTFLIKE(2, 3);
/* Adds a block and marks the reply as an error. */
void	 cmd_error(struct cmd_ctx *, const char *, ...) PRINTFLIKE(2, 3);
/*
 * The number of a reminder, a ticket...: "12" or "#12" (a positive
 * decimal, nothing after it). 1 with *id set, else 0.
 */
int	 cmd_id_parse(const char *s, int64_t *id);
/*
 * A person named in a command: a Slack mention "<@U123>" or
 * "<@U123|name>", or the ID typed as "@U123" or "U123" (the console).
 * Copies the user ID (U or W, then capitals and digits: slack_id_like)
 * into user (size bytes, NUL-terminated). Returns 1, or 0 (nothing
 * copied) for anything else or an ID that does not fit.
 */
int	 cmd_user_parse(const char *s, char *user, size_t size);
/* argv[from..] joined by single spaces (new string). */
char	*cmd_join_args(const struct cmd_ctx *, int from);
/*
 * Says that nothing matched `what` and suggests the nearest sections,
 * each as `<prefix><how> <ref>`. Returns CMD_ERROR.
 */
enum cmd_retval cmd_not_found(struct cmd_ctx *, const char *kind,
	    const char *what, const char *how);
/*
 * Every command the bot suggests for a section goes through these two,
 * so that following it shows that section (runbook_ref_new): appends
 * before, then "`<prefix><how> <ref>`", ref mrkdwn-escaped. The second
 * makes the ref of section id, and appends nothing if it has none.
 */
void	 cmd_ref_add(struct buf *, const struct cmd_ctx *, const char *how,
	    const char *ref, const char *before);
void	 cmd_section_ref_add(struct buf *, const struct cmd_ctx *,
	    const char *how, size_t id, const char *before);
/* At most this many candidates of a shared name, or "Also found". */
#define CMD_CANDIDATES_MAX	10
/* At most this many parts of a section too long for one answer. */
#define CMD_PARTS_MAX		100
/*
 * Answers the sections query names (runbook_find): the one section;
 * or, when several share the name, the one of them in a runbook the
 * command prefers (`prefer`: "sop", "escalation") if exactly one is,
 * with the others listed after it; else the list of candidates, each
 * with the `<prefix><how> <ref>` that shows it. Replies nothing and
 * returns 0 when query names no section; else returns how many it names.
 */
size_t	 cmd_named_reply(struct cmd_ctx *, const char *query,
	    const char *prefer, const char *how);
/*
 * cmd_named_reply for the arguments, or the cmd_not_found reply.
 * Returns CMD_OK or CMD_ERROR.
 */
enum cmd_retval cmd_section_or_reply(struct cmd_ctx *, const char *kind,
	    const char *prefer, const char *how);
/*
 * Replies with section id (and what it links to); when that would take
 * more than REPLY_ANSWER_MAX_BYTES, replies with the list of its direct
 * sub-sections (at most CMD_PARTS_MAX) and the command that shows each.
 */
void	 cmd_section_reply(struct cmd_ctx *, size_t id, const char *how);

/*
 * remind-fire.c: `remind`'s timer kind ("remind", one line in
 * bot/handlers.c). Kept out of cmd-remind.c so that what links the
 * command table does not need the outbox.
 */
struct store;
struct store_reminder;
struct store_timer;
/* The timer handler's kind, as cmd-remind.c arms it. */
#define REMIND_TIMER_KIND	"remind"
/*
 * What a reminder posts when its timer fires, as data. post borrows
 * channel and thread_ts from the reminder and text and key from here.
 */
struct remind_post {
	struct post	 post;
	char		*text;	/* owned: mrkdwn */
	char		*key;	/* owned: "timer:<timer id>" */
};
/*
 * Fills rp (release with remind_post_release) with r's post for timer
 * t: a POST_MESSAGE in r's channel and thread, mentioning the asker
 * (<@U123> on Slack, the plain name elsewhere), then r's text escaped
 * for mrkdwn (no @here, @channel, <!...>; <@U...> mentions of users
 * stay); if t->late, a line saying so and when it was due, in r's
 * zone. Idempotency key "timer:<t->id>". Never fails.
 */
void	 remind_post_init(struct remind_post *rp,
	    const struct store_reminder *r, const struct store_timer *t);
void	 remind_post_release(struct remind_post *rp);
/*
 * The "remind" timer handler (sched.h's sched_fn; arg is the struct
 * bot). In the claim's transaction (it never begins or commits): loads
 * the reminder t->ref names, queues its one post (outbox_queue) and
 * marks it fired. Returns 0, also when there is nothing to post (the
 * reminder is gone or not pending: logged), or -1 if the store failed
 * (the timer stays pending and is tried again).
 */
int	 remind_fire(struct store *s, const struct store_timer *t,
	    void *arg);

#endif /* OPSBOT_CMD_H */
