/*
 * gate.h: the one way in for messages (bot/gate.c, bot/handlers.c;
 * docs/internals/gate.md). Every adapter translates its wire format into
 * a struct msg and calls gate_message; the gate applies the ignore rules,
 * dedupes, runs the handlers in order and queues their replies in the
 * outbox, all in one store transaction.
 */
#ifndef OPSBOT_GATE_H
#define OPSBOT_GATE_H

#include <stddef.h>

#include "bot/bot.h"

/* What the adapter knows of a message's origin, for the ignore rules. */
#define MSG_FROM_SELF	0x01	/* posted by this bot (its user, bot or app) */
#define MSG_FROM_BOT	0x02	/* posted by another bot or integration */
#define MSG_EDITED	0x04	/* an edit of an earlier message */
#define MSG_DELETED	0x08	/* a deletion notice */
/*
 * What a handler asks to see beyond messages (gate_handler.flags only):
 * reactions and button clicks reach a handler that lists these.
 */
#define GATE_WANTS_REACTIONS	0x100
#define GATE_WANTS_ACTIONS	0x200

/* What happened: someone wrote, reacted or clicked. */
enum msg_kind {
	MSG_MESSAGE = 0,	/* a message or a slash command */
	MSG_REACTION,		/* an emoji reaction added to a message */
	MSG_ACTION,		/* a Block Kit button clicked */
};

/*
 * A message as the core sees it, whatever adapter it came from. Every
 * pointer is borrowed from the adapter for the duration of the call.
 *
 * A reaction (kind MSG_REACTION, Slack's reaction_added [EV]): user is
 * who reacted, reaction the emoji name without colons ("white_check_mark"),
 * channel and ts the message reacted to (item.channel, item.ts),
 * thread_ts NULL (Slack does not say), text "", event_id set.
 * A button click (MSG_ACTION, an interactive block_actions payload):
 * user is who clicked, action_id and action_value the button's,
 * action_ts when it was clicked, channel, ts and thread_ts the message
 * that holds the button (container.*), response_url if Slack gave one
 * the adapter may POST to, text "", no event_id.
 */
struct msg {
	enum msg_kind	 kind;
	const char	*adapter;	/* "slack", "console" */
	const char	*channel;	/* channel id (C0001) or console channel */
	const char	*user;		/* user id, or the console user */
	const char	*text;		/* as received (Slack-escaped for Slack) */
	const char	*ts;		/* message ts; NULL for slash commands
					   and the console (no threads) */
	const char	*thread_ts;	/* thread root if the message is in one */
	const char	*command;	/* slash command ("/sop") or NULL */
	const char	*event_id;	/* Events API event_id or NULL */
	const char	*bot_user_id;	/* strip <@this> mentions, or NULL */
	const char	*response_url;	/* slash command, checked by the
					   adapter as safe to POST to, or NULL */
	const char	*reaction;	/* MSG_REACTION: emoji name, or NULL */
	const char	*action_id;	/* MSG_ACTION: the button's action_id */
	const char	*action_value;	/* MSG_ACTION: its value, or NULL */
	const char	*action_ts;	/* MSG_ACTION: the click's action_ts */
	int		 addressed;	/* app_mention or DM: no prefix needed */
	int		 flags;		/* MSG_FROM_SELF... */
	/*
	 * The adapter answers the first message of the reply in its ack
	 * (a slash command): the gate hands it back instead of queueing.
	 */
	int		 reply_in_ack;
};

/* What a handler did with a message. */
enum gate_verdict {
	GATE_PASS = 0,		/* not mine: the next handler may act */
	GATE_DONE,		/* handled: no handler after this one runs */
	GATE_FAILED = -1,	/* the store failed: the gate rolls back */
};

/*
 * A handler behind the gate, one line in gate_handlers[] (handlers.c).
 * claims is cheap and touches no store: whether handle might act on m.
 * A reaction or a click reaches claims only if flags has
 * GATE_WANTS_REACTIONS or GATE_WANTS_ACTIONS (so existing handlers
 * never see them); claims then checks m->kind itself.
 * When no handler claims a message the gate does nothing more (no
 * transaction, no dedupe lookup): the path of chatter. handle runs
 * inside the gate's transaction; it may fill reply (the gate posts it in
 * reply to m) and queue posts of its own with outbox_queue.
 */
struct gate_handler {
	const char	*name;
	int		 flags;		/* MSG_FROM_BOT..., GATE_WANTS_...
					   it wants to see */
	int		(*claims)(struct bot *, const struct msg *);
	enum gate_verdict (*handle)(struct bot *, const struct msg *,
			    struct reply *reply);
};
extern const struct gate_handler gate_handlers[];
extern const size_t gate_nhandlers;

enum gate_result {
	GATE_IGNORED = 0,	/* ignore rules, or no handler claimed it */
	GATE_DUPLICATE,		/* seen before: nothing run again */
	GATE_HANDLED,		/* handlers ran; posts (if any) committed */
	GATE_STORE_FAILED,	/* nothing stored; the user must be told */
};
/*
 * Runs m through the gate (see the top of this file). On GATE_HANDLED,
 * *nqueued is the number of posts committed (the gate has kicked the
 * outbox) and, if m->reply_in_ack, *ack_text is the first message of the
 * reply (new string, caller frees) or NULL. On GATE_STORE_FAILED the
 * store's error was logged and nothing of m was kept.
 */
enum gate_result gate_message(struct bot *, const struct msg *m,
	    char **ack_text, size_t *nqueued);

/*
 * The thread a reply to m goes in: m's thread, else m itself (Slack
 * threads a reply under the message that asked), NULL when m has no ts
 * (slash commands, the console).
 */
const char	*msg_reply_thread(const struct msg *m);

/* Deletes dedupe keys older than the configured window (periodic). */
void		 gate_prune(struct bot *);

#endif /* OPSBOT_GATE_H */
