/*
 * mrkdwn.h: Slack's mrkdwn, both ways: runbook Markdown rendered to it,
 * replies packed into Slack-sized messages of it, and command lines
 * read back out of the text Slack escaped.
 *
 * Map (prototypes grouped by file below):
 *   mrkdwn-escape.c  the one escaper: text Slack shows as text, never
 *               as a mention
 *   mrkdwn.c    Markdown (cmark-gfm AST) to Slack mrkdwn, split in blocks
 *   tokenize.c  splitting a command line into argv
 *   reply.c     a reply: blocks packed into Slack-sized messages
 */
#ifndef OPSBOT_MRKDWN_H
#define OPSBOT_MRKDWN_H

#include <stddef.h>

#include "bot/util.h"

struct rb_links;

/* mrkdwn-escape.c */
/*
 * Appends len bytes of s (need not be NUL-terminated) to b, escaped so
 * that Slack shows them as they are and notifies no one: &, < and >
 * become &amp; &lt; &gt; (so <!channel>, <!here>, <!subteam^S1>, <@U1>
 * and <#C1> are inert text), and @here, @channel, @everyone and @group,
 * in any case, get an invisible U+2060 WORD JOINER after the '@'.
 * Backticks are kept: runbook code must copy as written.
 */
void	 mrkdwn_escape(struct buf *b, const char *s, size_t len);
/*
 * s escaped as mrkdwn_escape does, and each backtick turned into ', for
 * the short texts the bot puts inside its own `code` spans (a user's
 * words, a section's ref): they cannot close the span. Returns a new
 * string; the caller frees it.
 */
char	*mrkdwn_escape_new(const char *s);
/*
 * Appends url to b as the target of a <url|text> link: '&' as &amp;,
 * and '<', '>', '|' and ' ', which would end the markup, %-encoded.
 * Returns 0, or -1 with nothing appended when Slack would read the
 * target as a mention rather than a link (it starts with '!', '@' or
 * '#', like <!channel|x>): show the link's text alone then.
 */
int	 mrkdwn_escape_url(struct buf *b, const char *url);

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

#endif /* OPSBOT_MRKDWN_H */
