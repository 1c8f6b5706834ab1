/*
 * test-clock.c: test builds only (OPSBOT_TEST_CLOCK). Lets a test move
 * the clock of the running opsbot through a descriptor it passes with
 * --test-clock-fd N: each line "+<ms>" moves both clocks forward
 * (clock_test_advance), tells the adapter (ops->clock_moved) so that
 * what fell due fires now, and is answered "ok <wall ms>" on the same
 * descriptor; a bad line is answered "err <why>". End of file stops the
 * polling. Lines already waiting when test_clock_new runs are applied
 * there, before the loop and the scheduler start: a restarted opsbot
 * then starts "later", and its first scheduler pass fires what fell
 * due meanwhile. docs/internals/clock.md has the design.
 *
 * The descriptor is polled with an lws timer rather than adopted into
 * lws: adopting needs a protocol on the vhost, and the vhost's protocols
 * are the adapter's; a 10 ms poll exists only in a test build started
 * with the option.
 */
#ifdef OPSBOT_TEST_CLOCK

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libwebsockets.h>

#include "bot/bot.h"
#include "bot/clock.h"
#include "bot/outbox.h"
#include "bot/sched.h"
#include "adapters/adapter.h"

#define TEST_CLOCK_POLL_US	(10 * LWS_US_PER_MS)
#define TEST_CLOCK_LINE_MAX	64

struct test_clock {
	struct bot		*bot;		/* borrowed */
	int			 fd;		/* borrowed from the test */
	char			 line[TEST_CLOCK_LINE_MAX];
	size_t			 len;
	int			 overlong;	/* drop until the newline */
	int			 started;	/* the loop runs: wake timers */
	int			 eof;		/* nothing more will come */
	lws_sorted_usec_list_t	 sul;
};

static int	test_clock_read(struct test_clock *);

struct test_clock *
test_clock_new(struct bot *bot, int fd)
{
	struct test_clock	*tc;
	int			 fl;

	/* Refuse a descriptor the test forgot to pass, at start. */
	if ((fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1) {
		log_warn("test clock: fd %d", fd);
		return (NULL);
	}
	tc = xcalloc(1, sizeof *tc);
	tc->bot = bot;
	tc->fd = fd;
	/*
	 * Steps the test wrote before starting us take effect now, before
	 * the outbox, the scheduler and the adapter exist: no timer is
	 * armed, so nothing needs waking, and the scheduler's first pass
	 * (sched_start) sees the moved clock, as a process started that
	 * much later would.
	 */
	if (test_clock_read(tc) == -1)
		tc->eof = 1;
	return (tc);
}

/* Writes the whole answer; the test reads it with a blocking read. */
static void
test_clock_answer(struct test_clock *tc, const char *s)
{
	size_t	 off = 0, len = strlen(s);
	ssize_t	 n;

	while (off < len) {
		n = write(tc->fd, s + off, len - off);
		if (n == -1 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0) {
			log_warn("test clock: write");
			return;
		}
		off += (size_t)n;
	}
}

static void
test_clock_line(struct test_clock *tc, const char *line)
{
	struct adapter	*a = tc->bot->adapter;
	char		 out[64], *end;
	long long	 ms;

	if (line[0] != '+' || line[1] < '0' || line[1] > '9') {
		test_clock_answer(tc, "err expected +<ms>\n");
		return;
	}
	errno = 0;
	ms = strtoll(line + 1, &end, 10);
	if (errno != 0 || *end != '\0' || clock_test_advance(ms) != 0) {
		test_clock_answer(tc, "err bad step\n");
		return;
	}
	log_info("test clock: moved %lld ms (offset %" PRId64 " ms)%s", ms,
	    clock_test_offset(), tc->started ? "" : " before start");
	/* Wake what waits on a timer armed from the old time. */
	if (tc->started) {
		if (a != NULL && a->ops->clock_moved != NULL)
			a->ops->clock_moved(a);
		sched_kick(tc->bot->sched);
		outbox_clock_moved(tc->bot->outbox);
	}
	snprintf(out, sizeof out, "ok %" PRId64 "\n", clock_wall_ms());
	test_clock_answer(tc, out);
}

/*
 * Reads what is waiting on the descriptor and runs each whole line;
 * a partial line waits for its rest. Returns 0, or -1 once the test
 * closed its end (or the read failed): nothing more will move us.
 */
static int
test_clock_read(struct test_clock *tc)
{
	char		 buf[256];
	ssize_t		 n, i;

	for (;;) {
		n = read(tc->fd, buf, sizeof buf);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			return (0);
		if (n <= 0) {
			if (n == -1)
				log_warn("test clock: read");
			return (-1);
		}
		for (i = 0; i < n; i++) {
			if (buf[i] != '\n') {
				if (tc->len + 1 < sizeof tc->line)
					tc->line[tc->len++] = buf[i];
				else
					tc->overlong = 1;
				continue;
			}
			tc->line[tc->len] = '\0';
			if (tc->overlong)
				test_clock_answer(tc, "err line too long\n");
			else
				test_clock_line(tc, tc->line);
			tc->len = 0;
			tc->overlong = 0;
		}
	}
}

static void
on_test_clock(lws_sorted_usec_list_t *sul)
{
	struct test_clock	*tc;

	tc = lws_container_of(sul, struct test_clock, sul);
	if (test_clock_read(tc) == -1) {
		tc->eof = 1;
		return;
	}
	if (!tc->bot->stopping)
		lws_sul_schedule(tc->bot->lws, 0, &tc->sul, on_test_clock,
		    TEST_CLOCK_POLL_US);
}

void
test_clock_start(struct test_clock *tc)
{
	if (tc == NULL)
		return;
	tc->started = 1;
	if (!tc->eof)
		lws_sul_schedule(tc->bot->lws, 0, &tc->sul, on_test_clock, 1);
}

void
test_clock_stop(struct test_clock *tc)
{
	if (tc == NULL)
		return;
	lws_sul_cancel(&tc->sul);
	tc->started = 0;
}

void
test_clock_free(struct test_clock *tc)
{
	free(tc);
}

#endif /* OPSBOT_TEST_CLOCK */
