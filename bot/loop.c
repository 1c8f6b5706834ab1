/*
 * loop.c: one thread, one loop, owned by libwebsockets. Adapters add
 * their protocols; timers are lws_sul members of the structs that own
 * them; signals only ask the loop to stop.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <libwebsockets.h>

#include "bot/bot.h"
#include "bot/clock.h"
#include "bot/duty.h"
#include "bot/gate.h"
#include "bot/oncall.h"
#include "bot/outbox.h"
#include "bot/sched.h"
#include "bot/watch.h"
#include "adapters/adapter.h"

/* How often old dedupe keys and watch answers are deleted, in seconds. */
#define HOUSEKEEPING_SECS	300

/* The loop's own periodic chores; lives on bot_loop_run's stack. */
struct housekeeping {
	struct bot		*bot;	/* borrowed */
	lws_sorted_usec_list_t	 sul;
};

/*
 * A signal handler cannot reach struct bot through an argument; this is
 * the only way in, and it is only read by the handler.
 */
static struct lws_context *volatile loop_signal_ctx;
static volatile sig_atomic_t loop_signalled;

static void
loop_on_signal(int sig)
{
	loop_signalled = sig;
	if (loop_signal_ctx != NULL)
		lws_cancel_service(loop_signal_ctx);
}

/* lws hands us whole lines with a trailing newline and no timestamp. */
static void
loop_lws_log(int level, const char *line)
{
	char	*copy;
	size_t	 len;

	copy = xstrdup(line);
	len = strlen(copy);
	while (len > 0 && (copy[len - 1] == '\n' || copy[len - 1] == '\r'))
		copy[--len] = '\0';
	if (level & LLL_ERR)
		log_warnx("lws: %s", copy);
	else if (level & (LLL_WARN | LLL_NOTICE))
		log_info("lws: %s", copy);
	else
		log_debug("lws: %s", copy);
	free(copy);
}

void
bot_stop(struct bot *bot, int exit_code)
{
	if (!bot->stopping)
		bot->exit_code = exit_code;
	bot->stopping = 1;
	if (bot->lws != NULL)
		lws_cancel_service(bot->lws);
}

static void
on_housekeeping(lws_sorted_usec_list_t *sul)
{
	struct housekeeping	*hk = lws_container_of(sul,
				    struct housekeeping, sul);

	if (hk->bot->stopping)
		return;
	gate_prune(hk->bot);
	watch_prune(hk->bot);
	lws_sul_schedule(hk->bot->lws, 0, &hk->sul, on_housekeeping,
	    (lws_usec_t)HOUSEKEEPING_SECS * LWS_USEC_PER_SEC);
}

int
bot_loop_run(struct bot *bot)
{
	struct housekeeping			 hk;
	struct lws_context_creation_info	 info;
	struct sigaction			 sa;
	int					 levels, rc = -1;

	levels = LLL_ERR | LLL_WARN;
	if (log_getlevel() >= LOG_LVL_DEBUG)
		levels |= LLL_NOTICE;
	lws_set_log_level(levels, loop_lws_log);

	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = bot->adapter->ops->protocols;
	/*
	 * DISABLE_OS_CA_CERTS: lws would parse the whole system bundle at
	 * start; an adapter that makes TLS connections adds its trust in
	 * LWS_CALLBACK_OPENSSL_LOAD_EXTRA_CLIENT_VERIFY_CERTS instead
	 * (adapters/slack-tls.c says why).
	 */
	info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT |
	    LWS_SERVER_OPTION_DISABLE_OS_CA_CERTS;
	info.user = bot;
	/*
	 * The fd table is most of lws' idle memory (lws-notes.md). We use
	 * at most 3 Socket Mode sockets, curl's connections (capped at
	 * twice max_inflight + 1) and lws' own event pipe: 64 is ample.
	 */
	info.fd_limit_per_thread = 64;
	bot->lws = lws_create_context(&info);
	if (bot->lws == NULL) {
		log_warnx("cannot create the event loop (lws context)");
		return (-1);
	}

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = loop_on_signal;
	loop_signal_ctx = bot->lws;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	memset(&hk, 0, sizeof hk);
	hk.bot = bot;
	if (bot->adapter->ops->start(bot->adapter) != 0)
		goto out;
	/* Each duty's next occurrence (idempotent: bot/duty.h). */
	if (duty_arm_all(bot, clock_wall_ms()) != 0)
		log_warnx("duties: cannot arm their timers");
	/* Timers that fell due while opsbot was down fire at once, late. */
	sched_start(bot->sched, bot->lws, bot->store);
	/* Calendars by URL: the stored copy now, the fetch from the loop. */
	oncall_ical_start(bot);
	lws_sul_schedule(bot->lws, 0, &hk.sul, on_housekeeping,
	    LWS_USEC_PER_SEC);
#ifdef OPSBOT_TEST_CLOCK
	test_clock_start(bot->test_clock);
#endif
	while (!bot->stopping) {
		if (lws_service(bot->lws, 0) < 0)
			break;
		if (loop_signalled != 0) {
			log_info("signal %d: stopping", (int)loop_signalled);
			bot_stop(bot, 0);
		}
	}
	rc = 0;
out:
#ifdef OPSBOT_TEST_CLOCK
	test_clock_stop(bot->test_clock);
#endif
	lws_sul_cancel(&hk.sul);
	sched_stop(bot->sched);
	/* Before the adapter drops the fetches: they point into bot->ical. */
	oncall_ical_stop(bot);
	/* The adapter drops its calls in flight; then the outbox forgets them. */
	bot->adapter->ops->stop(bot->adapter);
	outbox_stop(bot->outbox);
	loop_signal_ctx = NULL;
	lws_context_destroy(bot->lws);
	bot->lws = NULL;
	return (rc);
}
