/*
 * adapter-console.c: stdin lines in, plain text out. Each line goes
 * through the core's gate exactly as a Slack message in the console
 * channel would, and what the bot posts (replies, reminders) comes out
 * of the same outbox, printed; so what works here works in Slack. End
 * of input stops the bot cleanly once what is due has been printed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libwebsockets.h>

#include "bot/bot.h"
#include "bot/clock.h"
#include "bot/gate.h"
#include "bot/outbox.h"
#include "bot/ticket.h"
#include "bot/oncall.h"
#include "adapters/adapter.h"
#include "adapters/slack.h"

/* What the user sees when the store fails on their line. */
#define CONSOLE_STORE_FAILED \
	"opsbot could not answer: its database failed (see the log)"

#define CONSOLE_MAX_LINE	(64 * 1024)
/*
 * How often the console looks whether the calendars fetched at start
 * have answered before it reads its first line, in ms: well above lws'
 * last-millisecond poll(0) spin (lws-notes.md).
 */
#define CONSOLE_WAIT_MS		50

struct console {
	struct buf	 pending;	/* bytes read, not yet a whole line */
	char		*user;		/* owned */
	unsigned long	 seq;		/* makes each post's ts unique */
	unsigned long	 lineno;	/* lines seen, for warnings */
	int		 skipping;	/* inside a line too long to run */
	int		 adopted;
	/* fetches (adapter_ops.fetch): curl multi in the loop, as Slack's */
	struct slack_web *web;
	lws_sorted_usec_list_t sul_wait;	/* stdin held until fetched */
	struct adapter	*a;		/* borrowed back pointer */
};

static int	console_callback(struct lws *, enum lws_callback_reasons,
		    void *, void *, size_t);

static const struct lws_protocols console_protocols[] = {
	{ "opsbot-console", console_callback, 0, 0, 0, NULL, 0 },
	{ "slack-curl", slack_web_lws_cb, 0, 0, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

static void
console_print(const char *mrkdwn)
{
	char	*plain;

	plain = mrkdwn_to_plain_new(mrkdwn);
	printf("%s\n\n", plain);
	free(plain);
}

/*
 * adapter_ops.deliver: printed at once, answered at once. A post has a
 * ts of its own, so that a later update can name it.
 */
static int
console_deliver(struct adapter *a, const struct post_row *row, void *token)
{
	struct console		*c = a->ctx;
	struct post_result	 res;
	char			 ts[64];
	const char		*text = row->p.text != NULL ? row->p.text : "";

	switch (row->p.op) {
	case POST_MESSAGE:
	case POST_RESPOND:
		console_print(text);
		break;
	case POST_UPDATE:
		printf("(updated) ");
		console_print(text);
		break;
	case POST_REACTION:
		printf(":%s:\n\n", row->p.reaction);
		break;
	}
	fflush(stdout);
	memset(&res, 0, sizeof res);
	res.v = POST_OK;
	snprintf(ts, sizeof ts, "%lld.%06lu", (long long)clock_wall_secs(),
	    ++c->seq % 1000000);
	res.ts = row->p.op == POST_MESSAGE ? ts : NULL;
	outbox_delivered(a->bot->outbox, token, &res);
	return (0);
}

/* A line as a message in the console channel: no ts, no threads. */
static void
console_line(struct adapter *a, const char *line)
{
	struct console	*c = a->ctx;
	struct msg	 m;
	char		*ack_text = NULL;
	size_t		 nqueued;

	memset(&m, 0, sizeof m);
	m.adapter = "console";
	m.channel = a->bot->cfg->console_channel;
	m.user = c->user;
	m.text = line;
	if (gate_message(a->bot, &m, &ack_text, &nqueued) ==
	    GATE_STORE_FAILED) {
		console_print(CONSOLE_STORE_FAILED);
		fflush(stdout);
	}
	free(ack_text);
	/* This line's answer before the next line runs. */
	outbox_flush(a->bot->outbox);
}

/*
 * A line longer than CONSOLE_MAX_LINE is dropped whole, with a warning:
 * dropping only the bytes buffered so far would run the line's tail
 * as a command of its own.
 */
static void
console_too_long(struct console *c)
{
	log_warnx("console: line %lu: longer than %d bytes, ignored",
	    c->lineno, CONSOLE_MAX_LINE);
}

/* Runs every complete line in the buffer; keeps the partial rest. */
static void
console_drain(struct adapter *a, int at_eof)
{
	struct console	*c = a->ctx;
	char		*start, *nl, *end;

	start = c->pending.s;
	end = c->pending.s + c->pending.len;
	while (start != NULL && (nl = memchr(start, '\n',
	    (size_t)(end - start))) != NULL) {
		c->lineno++;
		if (c->skipping || nl - start > CONSOLE_MAX_LINE) {
			console_too_long(c);
			c->skipping = 0;
			start = nl + 1;
			continue;
		}
		*nl = '\0';
		if (nl > start && nl[-1] == '\r')
			nl[-1] = '\0';
		console_line(a, start);
		start = nl + 1;
	}
	if (start != NULL && start < end && (at_eof ||
	    end - start > CONSOLE_MAX_LINE)) {
		/* the unfinished line's bytes so far go; its rest follows */
		if (at_eof) {
			c->lineno++;
			if (c->skipping || end - start > CONSOLE_MAX_LINE)
				console_too_long(c);
			else
				console_line(a, start);
			c->skipping = 0;
		} else
			c->skipping = 1;
		start = end;
	}
	if (start == NULL)
		return;
	memmove(c->pending.s, start, (size_t)(end - start));
	buf_truncate(&c->pending, (size_t)(end - start));
}

static int
console_callback(struct lws *wsi, enum lws_callback_reasons reason,
    void *user, void *in, size_t len)
{
	struct bot	*bot;
	struct adapter	*a;
	char		 chunk[4096];
	ssize_t		 n;

	bot = lws_context_user(lws_get_context(wsi));
	if (bot == NULL || bot->adapter == NULL)
		return (0);
	a = bot->adapter;
	switch (reason) {
	case LWS_CALLBACK_RAW_RX_FILE:
		n = read(lws_get_socket_fd(wsi), chunk, sizeof chunk);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return (0);
		if (n <= 0) {
			if (n < 0)
				log_warn("console: read");
			console_drain(a, 1);
			outbox_flush(bot->outbox);
			bot_stop(bot, 0);
			return (-1);
		}
		buf_add(&((struct console *)a->ctx)->pending, chunk,
		    (size_t)n);
		console_drain(a, 0);
		break;
	case LWS_CALLBACK_RAW_CLOSE_FILE:
		bot_stop(bot, bot->exit_code);
		break;
	default:
		break;
	}
	return (0);
}

static int
console_init(struct adapter *a)
{
	struct console	*c;
	const char	*user;

	c = xcalloc(1, sizeof *c);
	if ((user = a->bot->cfg->console_user) == NULL || *user == '\0')
		user = getenv("USER");
	c->user = xstrdup(user != NULL && *user != '\0' ? user : "console");
	a->ctx = c;
	return (0);
}

/* Watches standard input: from now on lines run. */
static int
console_adopt(struct adapter *a)
{
	struct console		*c = a->ctx;
	struct lws_vhost	*vh;
	lws_sock_file_fd_type	 fd;

	vh = lws_get_vhost_by_name(a->bot->lws, "default");
	fd.filefd = STDIN_FILENO;
	if (vh == NULL || lws_adopt_descriptor_vhost(vh,
	    LWS_ADOPT_RAW_FILE_DESC, fd, "opsbot-console", NULL) == NULL) {
		log_warnx("console: cannot watch standard input");
		return (-1);
	}
	c->adopted = 1;
	log_info("console: reading commands from standard input as %s in %s",
	    c->user, a->bot->cfg->console_channel);
	return (0);
}

/*
 * Piped input ends at once and stops the bot: the first line waits until
 * the calendars asked for at start have answered (or failed: at most
 * their 15 s timeout), so that `oncall` answers from them.
 */
static void
console_on_wait(lws_sorted_usec_list_t *sul)
{
	struct console	*c = lws_container_of(sul, struct console, sul_wait);

	if (c->a->bot->stopping)
		return;
	if (oncall_ical_waiting(c->a->bot) > 0) {
		lws_sul_schedule(c->a->bot->lws, 0, &c->sul_wait,
		    console_on_wait, (lws_usec_t)CONSOLE_WAIT_MS *
		    LWS_US_PER_MS);
		return;
	}
	if (console_adopt(c->a) != 0)
		bot_stop(c->a->bot, 1);
}

static int
console_start(struct adapter *a)
{
	struct console	*c = a->ctx;

	c->a = a;
	if ((c->web = slack_web_new(a->bot->lws, 2, a->bot->cfg->ca_file)) ==
	    NULL)
		log_warnx("console: cannot set up libcurl: no calendar "
		    "fetches");
	outbox_ready(a->bot->outbox, 1);
	/* from the loop: the core asks for its fetches after start */
	lws_sul_schedule(a->bot->lws, 0, &c->sul_wait, console_on_wait,
	    (lws_usec_t)CONSOLE_WAIT_MS * LWS_US_PER_MS);
	return (0);
}

static void
console_stop(struct adapter *a)
{
	struct console	*c = a->ctx;

	lws_sul_cancel(&c->sul_wait);
	slack_web_free(c->web);
	c->web = NULL;
	outbox_ready(a->bot->outbox, 0);
}

/* adapter_ops.fetch: the same curl-in-lws client as the Slack adapter. */
static int
console_fetch(struct adapter *a, struct adapter_fetch *f)
{
	struct console	*c = a->ctx;

	return (slack_web_fetch(c->web, f));
}

static void
console_free(struct adapter *a)
{
	struct console	*c = a->ctx;

	if (c == NULL)
		return;
	buf_reset(&c->pending);
	free(c->user);
	free(c);
	a->ctx = NULL;
}

/*
 * adapter_ops.permalink: the console has no URLs, so a plain reference,
 * answered at once ("#console message 1700000000.000100"). Console lines
 * carry no ts, so only a message from elsewhere (a test) asks.
 */
static void
console_permalink(struct adapter *a, const char *channel, const char *ts,
    int64_t ticket)
{
	char	*ref;

	xasprintf(&ref, "%s message %s", channel, ts);
	ticket_permalink_learnt(a->bot, ticket, ts, ref, NULL);
	free(ref);
}

const struct adapter_ops adapter_console_ops = {
	.name = "console",
	.protocols = console_protocols,
	.init = console_init,
	.start = console_start,
	.stop = console_stop,
	.deliver = console_deliver,
	.permalink = console_permalink,
	.fetch = console_fetch,
	.free = console_free,
};
