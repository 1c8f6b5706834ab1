/*
 * page-cmd.h: what the page commands share (commands/page-cmd.c):
 * finding the page a command means, and who may change it. The
 * commands are cmd-page.c, cmd-ack.c, cmd-escalate-now.c,
 * cmd-resolve.c and cmd-needhelp.c; the engine is bot/page.h.
 */
#ifndef OPSBOT_PAGE_CMD_H
#define OPSBOT_PAGE_CMD_H

#include "commands/cmd.h"

struct store_page;

/*
 * The page argv[i] names ("12", "#12"), or, when argv[i] is not an id
 * (or there is none), the page whose thread the message is in (*used
 * 0). Returns 0 with *p (store_page_release), or -1 with the error
 * replied (no such page, not in a page's thread, the store failed).
 */
int	 page_cmd_find(struct cmd_ctx *, int i, struct store_page *p,
	    int *used);
/*
 * Whether the sender may change p with the command `what`: a member of
 * its rotation, or (managers_too) one of its managers or an admin.
 * Returns 1, or 0 with the refusal replied.
 */
int	 page_cmd_may(struct cmd_ctx *, const struct store_page *p,
	    const char *what, int managers_too);
/* Replies that the store failed and nothing changed. CMD_ERROR. */
enum cmd_retval page_cmd_store_error(struct cmd_ctx *);
/* Replies that p is resolved already (when, by whom). CMD_ERROR. */
enum cmd_retval page_cmd_resolved(struct cmd_ctx *, const struct store_page *p);

#endif /* OPSBOT_PAGE_CMD_H */
