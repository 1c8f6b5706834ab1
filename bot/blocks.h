/*
 * blocks.h: a Block Kit message of one section and a row of buttons,
 * for posts (struct post.blocks and .text; bot/blocks.c). A button's
 * click comes back through the gate as a msg of kind MSG_ACTION with
 * its action_id and value (bot/gate.h). Every button also names the
 * command that does the same, for adapters that cannot click (the
 * console prints the fallback text, which lists them).
 *
 * Map: blocks.c (building), click.c (a click's value, run as the
 * command).
 */
#ifndef OPSBOT_BLOCKS_H
#define OPSBOT_BLOCKS_H

#include <stddef.h>

/* One button; strings borrowed. */
struct button {
	const char	*label;		/* plain text, at most 75 chars [BK] */
	const char	*action_id;	/* unique within the message [BK] */
	const char	*value;		/* what the handler needs: "x:42" */
	const char	*style;		/* "primary", "danger" or NULL */
	const char	*command;	/* the same without a click, without
					   the prefix: "ticket close 42" */
};

/* Block Kit limits [BK]: section text, button label, value, buttons. */
#define BLOCKS_SECTION_MAX	3000
#define BLOCKS_LABEL_MAX	75
#define BLOCKS_VALUE_MAX	2000
#define BLOCKS_BUTTONS_MAX	25

/*
 * The blocks of a message (a new string, caller frees): a JSON array
 *   [{"type":"section","text":{"type":"mrkdwn","text":<text>}},
 *    {"type":"actions","elements":[{"type":"button","text":
 *     {"type":"plain_text","text":<label>},"action_id":..,"value":..,
 *     "style":..}, ...]}]
 * (no actions block when n is 0: what a chat.update leaves once the
 * question is answered). NULL when text, a label or a value is longer
 * than Block Kit takes, n > BLOCKS_BUTTONS_MAX, or a string is not
 * UTF-8: the caller posts the fallback text alone.
 */
char	*blocks_buttons_new(const char *text, const struct button *b,
	    size_t n);
/*
 * The text that goes with them (new string): text, then one line of
 * "[<label>: `<prefix><command>`]" for the buttons, so that who cannot
 * click can type. Slack shows it in notifications only.
 */
char	*blocks_fallback_new(const char *text, const struct button *b,
	    size_t n, const char *prefix);

/* click.c: the click side, for the handlers of the buttons above. */
struct bot;
struct msg;
struct reply;
/*
 * The id a click's value "<prefix><id>" names (id decimal, > 0, no
 * sign or leading zero, nothing after it), or 0: not a click (m->kind
 * is not MSG_ACTION), no value, another prefix, or no such id.
 */
long long click_value_id(const struct msg *m, const char *prefix);
/*
 * Runs the click as line, the command the button stands for, typed by
 * the clicker where the button is and addressed to the bot, through
 * dispatch (bot.h): the command's checks, answer (into reply) and
 * audit row. line is borrowed.
 */
void	 click_run_as(struct bot *, const struct msg *m, const char *line,
	    struct reply *reply);

#endif /* OPSBOT_BLOCKS_H */
