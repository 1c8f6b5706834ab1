/*
 * sched.c: fires due timers through a handler per kind and keeps one
 * lws timer armed for the earliest due (docs/internals/timers.md).
 * Decisions (what is due, which handler) are plain functions of the
 * store and a now_ms the caller passes; only the lws glue at the end
 * reads the clock.
 */
#include <string.h>

#include "bot/bot.h"
#include "bot/clock.h"
#include "bot/sched.h"

/* The longest lws delay armed at once; a later due re-arms on wake. */
#define TIMER_MAX_DELAY_MS	(INT64_C(24) * 3600 * 1000)

void
sched_init(struct sched *sc, const struct sched_handler *h, size_t n,
    void *arg)
{
	memset(sc, 0, sizeof *sc);
	sc->handlers = h;
	sc->nhandlers = n;
	sc->arg = arg;
}

static const struct sched_handler *
sched_find(const struct sched *sc, const char *kind)
{
	size_t	 i;

	for (i = 0; i < sc->nhandlers; i++) {
		if (strcmp(sc->handlers[i].kind, kind) == 0)
			return (&sc->handlers[i]);
	}
	return (NULL);
}

/* store_timer_cb: dispatch by kind. */
static int
sched_dispatch(struct store *s, const struct store_timer *t, void *arg)
{
	struct sched			*sc = arg;
	const struct sched_handler	*h;

	if ((h = sched_find(sc, t->kind)) == NULL) {
		/*
		 * No handler will appear at run time: retrying would fail
		 * forever and hold the batch. Fired, so it is seen once.
		 */
		log_warnx("timer %lld: no handler for kind '%s' (ref %s); "
		    "dropped", (long long)t->id, t->kind, t->ref);
		return (0);
	}
	if (t->late)
		log_info("timer %lld (%s %s) fires late, due %lld",
		    (long long)t->id, t->kind, t->ref, (long long)t->due_ms);
	return (h->fn(s, t, sc->arg));
}

int
sched_fire_due(struct sched *sc, struct store *s, int64_t now_ms)
{
	size_t	 failed;
	int	 fired;

	fired = store_timer_claim(s, now_ms, TIMER_LATE_GRACE_MS, TIMER_BATCH,
	    sched_dispatch, sc, &failed);
	if (fired < 0)
		return (-1);
	/* A failing handler must not turn the loop into a busy wait. */
	sc->retry_at_ms = failed > 0 ? now_ms + TIMER_RETRY_MS : 0;
	return (fired);
}

int64_t
sched_next_delay_ms(struct sched *sc, struct store *s, int64_t now_ms)
{
	int64_t	 due, delay;

	switch (store_timer_next_due(s, &due)) {
	case 0:
		return (-1);
	case 1:
		break;
	default:
		/* Logged by the store; look again rather than never. */
		return (TIMER_RETRY_MS);
	}
	if (sc->retry_at_ms > now_ms && due < sc->retry_at_ms)
		due = sc->retry_at_ms;
	delay = due - now_ms;
	if (delay < 0)
		delay = 0;
	return (delay);
}

static void
on_sched(lws_sorted_usec_list_t *sul)
{
	struct sched	*sc = lws_container_of(sul, struct sched, sul);

	/* A store error is logged; the re-arm below retries later. */
	sched_fire_due(sc, sc->store, clock_wall_ms());
	sched_kick(sc);
}

void
sched_kick(struct sched *sc)
{
	int64_t	 delay;

	if (sc->lws == NULL)
		return;
	delay = sched_next_delay_ms(sc, sc->store, clock_wall_ms());
	if (delay < 0) {
		lws_sul_cancel(&sc->sul);
		return;
	}
	if (delay > TIMER_MAX_DELAY_MS)
		delay = TIMER_MAX_DELAY_MS;
	lws_sul_schedule(sc->lws, 0, &sc->sul, on_sched,
	    (lws_usec_t)delay * LWS_US_PER_MS);
}

void
sched_start(struct sched *sc, struct lws_context *lws, struct store *s)
{
	sc->lws = lws;
	sc->store = s;
	/* At once, not at the earliest due: late timers fire at start. */
	lws_sul_schedule(sc->lws, 0, &sc->sul, on_sched, 0);
}

void
sched_stop(struct sched *sc)
{
	if (sc->lws != NULL)
		lws_sul_cancel(&sc->sul);
	sc->lws = NULL;
	sc->store = NULL;
}
