/*
 * bot.h: the core of opsbot: the one struct bot, dispatch and the loop.
 * It includes util.h, config.h, runbook.h, mrkdwn.h and lint.h, so its
 * users get every layer below; the other headers are included only by
 * the files that use them.
 *
 * Map of bot/ by header:
 *   util.h      the utility layer, which knows nothing of struct bot:
 *               xmalloc.c, log.c, buf.c, utf8.c
 *   clock.h     clock.c, the only reader of the time
 *   tz.h        tz.c, UTC <-> a zone's wall clock, through the tz
 *               database; when.c, the times people type ("15m",
 *               "tomorrow 09:00")
 *   backoff.h   backoff.c, retry delays
 *   config.h    config.c, yaml-compose.c
 *   runbook.h   runbook.c, runbook-walk.c, runbook-index.c, runbook-ref.c,
 *               runbook-reply.c, runbook-link.c, frontmatter.c, fixup.c,
 *               slug.c, label.c, words.c
 *   re.h        re.c: the PCRE2 patterns of fixup.c, label.c, words.c
 *   mrkdwn.h    mrkdwn-escape.c, mrkdwn.c, tokenize.c, reply.c
 *   lint.h      lint.c, lint-format.c, lint-main.c
 *   gate.h      gate.c, the one way in for messages, and handlers.c, the
 *               tables features plug into: gate handlers, timer kinds
 *   outbox.h    outbox.c, queued posts delivered by the adapter
 *   sched.h     sched.c, durable timers fired through timer kinds
 *   watch.h     watch-config.c, watch-match.c, watch.c: channel watches,
 *               a gate handler (docs/internals/watch.md)
 *   rotation.h  rotation.c, rotation-ical.c: on-call schedules, pure
 *               (utility layer; libical for iCalendar files)
 *   oncall.h    rotation-config.c, oncall.c, oncall-export.c: rotations
 *               in the config, overrides over the schedule, the feed
 *   bot.h (this header, prototypes grouped by file below):
 *     dispatch.c  a command message in, a command run, an audit row, a reply
 *     loop.c      the lws context: one thread, one loop, signals
 *     test-clock.c  test builds only: a test moves the clock (--test-clock-fd)
 *     main.c      command line
 */
#ifndef OPSBOT_BOT_H
#define OPSBOT_BOT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#define OPSBOT_VERSION "0.1.0"

#include "bot/util.h"
#include "bot/config.h"
#include "bot/runbook.h"
#include "bot/mrkdwn.h"
#include "bot/lint.h"

struct adapter;
struct outbox;
struct sched;
struct test_clock;
struct channel_names;
struct ticket_index;
struct oncall_ical;
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
	/* owned (channels.h): channel names learnt; NULL: none known */
	struct channel_names	*channels;
	/*
	 * owned (ticket.h, ticket-index.c): the threads of open tickets,
	 * so the gate claims only the replies there; NULL (tests, -n):
	 * every reply in a support channel is claimed
	 */
	struct ticket_index	*tickets;
	/*
	 * owned (oncall.h, oncall-ical.c): the calendars fetched from URLs
	 * while the loop runs; NULL outside it
	 */
	struct oncall_ical	*ical;
};

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
