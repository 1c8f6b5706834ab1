/*
 * test_store_all.c: every public function of store/store.h called at
 * least once on a fresh ":memory:" store, and every statement of the
 * store run (the other branch of a function too where it runs another:
 * a taken key, a callback that fails, a post without a key). Statements
 * are prepared on first use (store_prep), so this is what catches a
 * typo in a query's SQL before the bot runs it: a new store function
 * gets a call here. The behaviour itself is test_store.c's,
 * test_store_reminder.c's and test_ticket.c's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "bot/bot.h"
#include "bot/outbox.h"
#include "store/store-private.h"

/* 2026-07-25T17:20:00Z, as in test_store.c; any instant would do. */
#define T0_MS	INT64_C(1785000000000)
#define MIN_MS	INT64_C(60000)

static struct store *
open_ok(void)
{
	struct store	*s;
	char		*cause = NULL;

	if ((s = store_open(":memory:", &cause)) == NULL)
		fail_msg("store_open: %s", cause);
	assert_string_equal(store_last_error(s), "");
	return (s);
}

/* Fails the test with the store's last error unless it is "". */
static void
no_error(struct store *s)
{
	if (*store_last_error(s) != '\0')
		fail_msg("store error: %s", store_last_error(s));
}

static void
all_open(struct store *s)
{
	char	*cause = (char *)"unset";

	assert_int_equal(store_check(":memory:", &cause), 0);
	assert_null(cause);
	assert_int_equal(store_schema_version(s), store_schema_latest());
	assert_int_equal(store_migrate(s, &cause), 0);
	assert_non_null(store_migration_sql(1));

	assert_int_equal(store_begin(s), 0);
	assert_true(store_in_transaction(s));
	assert_int_equal(store_commit(s), 0);
	assert_int_equal(store_begin(s), 0);
	assert_int_equal(store_rollback(s), 0);
	assert_false(store_in_transaction(s));
	no_error(s);
}

static void
all_audit_seen(struct store *s)
{
	struct audit_rec	 a = { 1785000000, "console", "C1", "U1",
	    "status", "db-1", "ok", "Ev1" };
	char			*args;

	assert_int_equal(store_audit_add(s, &a), 0);
	assert_int_equal(store_audit_count(s), 1);
	args = store_audit_last_args_new(s);
	assert_non_null(args);
	assert_string_equal(args, "db-1");
	free(args);

	assert_int_equal(store_seen_add(s, "Ev1", 100), 0);
	assert_int_equal(store_seen_has(s, "Ev1", 100), 1);
	assert_int_equal(store_seen_prune(s, 101), 1);
	no_error(s);
}

static void
all_post(struct store *s)
{
	struct post	 p;
	struct post_rec	*rows = NULL;
	size_t		 n = 0, i;
	char		*ts = NULL, *order = NULL;
	int64_t		 id, id2, id3;
	int		 state = -1;

	memset(&p, 0, sizeof p);
	p.op = POST_MESSAGE;
	p.channel = "C1";
	p.text = "hello";
	p.key = "ev:1:0";
	assert_true((id = store_post_add(s, T0_MS, &p, "C1")) > 0);
	assert_int_equal(store_post_add(s, T0_MS, &p, "C1"), 0);
	assert_int_equal(store_post_heads(s, 0, 10, &rows, &n), 1);
	assert_int_equal(rows[0].id, id);
	for (i = 0; i < n; i++)
		store_post_rec_release(&rows[i]);
	free(rows);
	assert_int_equal(store_post_defer(s, id, T0_MS + 1000, "busy"), 0);
	assert_int_equal(store_post_done(s, id, "1785000000.000100",
	    T0_MS + 2000, 1), 0);
	assert_int_equal(store_post_by_key(s, "ev:1:0", &ts, &state, &order),
	    1);
	assert_int_equal(state, 1);
	assert_string_equal(ts, "1785000000.000100");
	free(ts);
	free(order);

	/* failed, kept (a key) and deleted (none); done without a key */
	p.key = "ev:2:0";
	assert_true((id2 = store_post_add(s, T0_MS, &p, "C1")) > 0);
	assert_int_equal(store_post_failed(s, id2, "channel_not_found",
	    T0_MS + 2000, 1), 0);
	p.key = NULL;
	assert_true((id3 = store_post_add(s, T0_MS, &p, "C1")) > 0);
	assert_int_equal(store_post_failed(s, id3, "channel_not_found",
	    T0_MS + 2000, 0), 0);
	assert_true((id3 = store_post_add(s, T0_MS, &p, "C1")) > 0);
	assert_int_equal(store_post_done(s, id3, NULL, T0_MS + 2000, 0), 0);
	assert_int_equal(store_post_prune(s, T0_MS + 3000), 2);
	assert_int_equal(store_post_count(s), 0);
	no_error(s);
}

static void
all_user(struct store *s)
{
	struct store_user	 u;

	assert_int_equal(store_user_put(s, "U1", "ana", "Europe/Berlin",
	    T0_MS), 0);
	assert_int_equal(store_user_get(s, "U1", &u), 1);
	assert_string_equal(u.tz, "Europe/Berlin");
	store_user_release(&u);
	no_error(s);
}

static void
all_channel_watch(struct store *s)
{
	struct strv	 ids = { NULL, 0, 0 }, names = { NULL, 0, 0 };
	int64_t		 last = 0;

	assert_int_equal(store_channel_put(s, "C1", "ops", T0_MS), 0);
	assert_int_equal(store_channel_put(s, "C1", "ops2", T0_MS), 0);
	assert_int_equal(store_channel_all(s, &ids, &names), 1);
	assert_string_equal(names.v[0], "ops2");
	strv_reset(&ids);
	strv_reset(&names);
	assert_int_equal(store_watch_add(s, "r", "C1", "1.1", T0_MS), 0);
	assert_int_equal(store_watch_last(s, "r", "C1", &last), 1);
	assert_int_equal(last, T0_MS);
	assert_int_equal(store_watch_answered(s, "r", "C1", "1.1"), 1);
	assert_int_equal(store_watch_prune(s, T0_MS), 0);
	assert_int_equal(store_watch_prune(s, T0_MS + 1), 1);
	assert_int_equal(store_watch_answered(s, "r", "C1", "1.1"), 0);
	no_error(s);
}

static void
all_timer(struct store *s)
{
	struct store_timer	 t;
	int64_t			 id, due;

	id = store_timer_add(s, T0_MS, T0_MS + MIN_MS, "test", "x:1", "k1");
	assert_true(id > 0);
	assert_int_equal(store_timer_add(s, T0_MS, T0_MS, "test", "x:2",
	    "k1"), id);
	assert_int_equal(store_timer_get(s, id, &t), 1);
	assert_string_equal(t.ref, "x:1");
	store_timer_release(&t);
	assert_int_equal(store_timer_reschedule(s, id, T0_MS + 2 * MIN_MS), 1);
	assert_int_equal(store_timer_next_due(s, &due), 1);
	assert_int_equal(due, T0_MS + 2 * MIN_MS);
	assert_int_equal(store_timer_cancel(s, id), 1);
	assert_int_equal(store_timer_next_due(s, &due), 0);
	no_error(s);
}

static int
cb_fail(struct store *s, const struct store_timer *t, void *arg)
{
	(void)s;
	(void)t;
	(void)arg;
	return (-1);
}

/* Fires the reminder the timer names, as the remind handler does. */
static int
cb_fire(struct store *s, const struct store_timer *t, void *arg)
{
	struct store_reminder	 r;
	int			 rc;

	(void)arg;
	if (store_reminder_by_ref(s, t->ref, &r) != 1)
		return (-1);
	rc = store_reminder_fire(s, r.id, t->fired_at_ms, t->late);
	store_reminder_release(&r);
	return (rc == 1 ? 0 : -1);
}

static void
all_reminder(struct store *s)
{
	struct reminder_add	 add;
	struct store_reminder	 r, *v = NULL;
	size_t			 n = 0, failed = 99;
	int64_t			 id, id2;
	int			 added = -1;

	memset(&add, 0, sizeof add);
	add.key = "remind:console:C1:1";
	add.adapter = "console";
	add.channel = "C1";
	add.user = "U1";
	add.text = "check the backups";
	add.tz = "UTC";
	add.due_ms = T0_MS + MIN_MS;
	add.now_ms = T0_MS;
	add.timer_kind = "remind";
	assert_true((id = store_reminder_add(s, &add, &added)) > 0);
	assert_int_equal(added, 1);
	assert_int_equal(store_reminder_add(s, &add, &added), id);
	assert_int_equal(added, 0);
	assert_int_equal(store_reminder_get(s, id, &r), 1);
	store_reminder_release(&r);
	assert_int_equal(store_reminder_list(s, "U1", 10, &v, &n), 1);
	store_reminder_release(&v[0]);
	free(v);
	assert_int_equal(store_reminder_count(s, "U1"), 1);

	/* a failing callback is undone (ROLLBACK TO), then it fires */
	assert_int_equal(store_timer_claim(s, T0_MS + MIN_MS, MIN_MS, 10,
	    cb_fail, NULL, &failed), 0);
	assert_int_equal(failed, 1);
	assert_int_equal(store_timer_claim(s, T0_MS + MIN_MS, MIN_MS, 10,
	    cb_fire, NULL, &failed), 1);
	assert_int_equal(failed, 0);
	assert_int_equal(store_reminder_get(s, id, &r), 1);
	assert_int_equal(r.state, REMINDER_FIRED);
	store_reminder_release(&r);

	add.key = "remind:console:C1:2";
	assert_true((id2 = store_reminder_add(s, &add, &added)) > 0);
	assert_int_equal(store_reminder_cancel(s, id2), 1);
	assert_int_equal(store_reminder_count(s, "U1"), 0);
	no_error(s);
}

/* store-oncall.c: add (with its audit row), list, end. */
static void
all_override(struct store *s)
{
	struct store_override	 o, *v = NULL;
	size_t			 n = 0, i;
	int64_t			 audits, id;
	char			*args;

	memset(&o, 0, sizeof o);
	o.rotation = (char *)"vault";
	o.user = (char *)"U0VAULT2";
	o.from_ms = T0_MS;
	o.until_ms = T0_MS + 60 * MIN_MS;
	o.set_by = (char *)"U0VAULT1";
	o.created_ms = T0_MS;
	audits = store_audit_count(s);
	assert_true((id = store_override_add(s, &o, "#operator-vault")) > 0);
	assert_int_equal(store_audit_count(s), audits + 1);
	args = store_audit_last_args_new(s);
	assert_string_equal(args, "vault U0VAULT2 1785000000000 "
	    "1785003600000");
	free(args);
	o.until_ms = o.from_ms;		/* empty: refused, nothing written */
	assert_int_equal(store_override_add(s, &o, NULL), -1);
	assert_int_equal(store_audit_count(s), audits + 1);
	assert_int_equal(store_override_list(s, "vault", T0_MS + MIN_MS,
	    T0_MS + 2 * MIN_MS, 10, &v, &n), 1);
	assert_int_equal(v[0].id, id);
	assert_string_equal(v[0].user, "U0VAULT2");
	assert_string_equal(v[0].set_by, "U0VAULT1");
	assert_int_equal(v[0].until_ms, T0_MS + 60 * MIN_MS);
	assert_int_equal(store_override_list(s, "armada", T0_MS,
	    T0_MS + MIN_MS, 10, &v, &n), 0);
	assert_int_equal(store_override_end(s, "vault", T0_MS + 30 * MIN_MS),
	    1);
	assert_int_equal(store_override_list(s, "vault", T0_MS + 30 * MIN_MS,
	    T0_MS + 60 * MIN_MS, 10, &v, &n), 0);
	for (i = 0; i < n; i++)
		store_override_release(&v[i]);
	free(v);
	no_error(s);
}

/* The cached calendar: kept as bytes, one per rotation, by URL. */
static void
all_ical(struct store *s)
{
	static const char	 body[] = "BEGIN:VCALENDAR\r\n\0\xff";
	char			*got = NULL;
	size_t			 len = 0;
	int64_t			 at = 0;

	assert_int_equal(store_ical_get(s, "vault", "https://c.example/v",
	    &got, &len, &at), 0);
	assert_null(got);
	assert_int_equal(store_ical_put(s, "vault", "https://c.example/v",
	    body, sizeof body - 1, T0_MS), 0);
	assert_int_equal(store_ical_get(s, "vault", "https://c.example/v",
	    &got, &len, &at), 1);
	assert_int_equal(len, sizeof body - 1);
	assert_memory_equal(got, body, len);
	assert_int_equal(at, T0_MS);
	free(got);
	/* another URL in the config: the old body is not its calendar */
	assert_int_equal(store_ical_get(s, "vault", "https://c.example/w",
	    &got, &len, &at), 0);
	assert_int_equal(store_ical_put(s, "vault", "https://c.example/w",
	    "X", 1, T0_MS + MIN_MS), 0);
	assert_int_equal(store_ical_get(s, "vault", "https://c.example/w",
	    &got, &len, &at), 1);
	assert_int_equal(at, T0_MS + MIN_MS);
	free(got);
	no_error(s);
}

/* store_ticket_open_threads' callback: counts, checks the thread. */
static void
count_thread(void *arg, int64_t id, const char *channel,
    const char *thread_ts)
{
	int	*n = arg;

	assert_true(id > 0);
	assert_string_equal(channel, "C1");
	assert_string_equal(thread_ts, "1.1");
	(*n)++;
}

static void
all_ticket(struct store *s)
{
	struct ticket_add		 add;
	struct store_ticket		 t, *v = NULL;
	struct store_ticket_event	*ev = NULL;
	size_t				 n = 0, nev = 0, i;
	int64_t				 id, id2;
	int				 added = -1, nthreads = 0;

	memset(&add, 0, sizeof add);
	add.key = "ticket:slack:C1:1.1";
	add.adapter = "slack";
	add.channel = "C1";
	add.thread_ts = "1.1";
	add.requester = "U1";
	add.priority = 1;
	add.tier_name = "gold";
	add.now_ms = T0_MS;
	add.due_ms = T0_MS + 8 * 60 * MIN_MS;
	add.warn_ms = T0_MS + 384 * MIN_MS;
	add.warn_kind = "ticket-warn";
	add.breach_kind = "ticket-breach";
	add.detail = "priority Medium";
	assert_true((id = store_ticket_add(s, &add, &added)) > 0);
	assert_int_equal(added, 1);
	assert_int_equal(store_ticket_add(s, &add, &added), id);
	assert_int_equal(added, 0);
	assert_int_equal(store_ticket_get(s, id, &t), 1);
	assert_string_equal(t.tier_name, "gold");
	assert_null(t.permalink);
	store_ticket_release(&t);
	assert_int_equal(store_ticket_set_permalink(s, id, "1.1",
	    "https://fake.slack.test/archives/C1/p11"), 1);
	assert_int_equal(store_ticket_set_permalink(s, id + 100, "1.1", "x"),
	    0);
	assert_int_equal(store_ticket_set_permalink(s, id, "1.2", "x"), 0);
	assert_int_equal(store_ticket_by_ref(s, "ticket:1", &t), 1);
	assert_string_equal(t.permalink,
	    "https://fake.slack.test/archives/C1/p11");
	store_ticket_release(&t);
	assert_int_equal(store_ticket_by_ref(s, "reminder:1", &t), 0);
	assert_int_equal(store_ticket_by_thread(s, "C1", "1.1", &t), 1);
	store_ticket_release(&t);
	assert_int_equal(store_ticket_open_threads(s, count_thread,
	    &nthreads), 1);
	assert_int_equal(nthreads, 1);
	assert_int_equal(store_ticket_list(s, TICKET_LIST_OPEN, NULL, 0, 10,
	    &v, &n), 1);
	assert_int_equal(store_ticket_list(s, TICKET_LIST_BREACHING, NULL,
	    add.due_ms, 10, &v, &n), 1);
	assert_int_equal(store_ticket_list(s, TICKET_LIST_MINE, "U1", 0, 10,
	    &v, &n), 1);
	for (i = 0; i < n; i++)
		store_ticket_release(&v[i]);
	free(v);
	assert_int_equal(store_ticket_set_priority(s, id, 2, add.due_ms,
	    add.warn_ms, 1, 2, "priority", "U2", "Medium -> High", T0_MS),
	    1);
	assert_int_equal(store_ticket_event_add(s, id, T0_MS, "warned", NULL,
	    "timer 1"), 0);
	assert_int_equal(store_ticket_answer(s, id, "U2", T0_MS + MIN_MS), 1);
	assert_int_equal(store_ticket_answer(s, id, "U2", T0_MS + MIN_MS), 0);
	/* asked, "no", asked again: closing, with the question's key */
	assert_int_equal(store_ticket_closing(s, id, "ticket-close:1:1", "U2",
	    T0_MS + MIN_MS), 1);
	assert_int_equal(store_ticket_closing(s, id, "ticket-close:1:2", "U2",
	    T0_MS + MIN_MS), 0);
	assert_int_equal(store_ticket_still_open(s, id, "U1", "no", T0_MS +
	    MIN_MS), 1);
	assert_int_equal(store_ticket_still_open(s, id, "U1", "no", T0_MS +
	    MIN_MS), 0);
	assert_int_equal(store_ticket_closing(s, id, "ticket-close:1:3", "U2",
	    T0_MS + MIN_MS), 1);
	assert_int_equal(store_ticket_get(s, id, &t), 1);
	assert_int_equal(t.closing_ms, T0_MS + MIN_MS);
	assert_string_equal(t.closing_key, "ticket-close:1:3");
	store_ticket_release(&t);
	/* not delivered yet: no ts to match a reaction */
	assert_int_equal(store_ticket_by_question(s, "C1", "9.9", &t), 0);
	assert_int_equal(store_ticket_close(s, id, "U1", T0_MS + 2 * MIN_MS),
	    1);
	assert_int_equal(store_ticket_close(s, id, "U1", T0_MS), 0);
	/* closed: its thread is no longer an open ticket's */
	assert_int_equal(store_ticket_open_threads(s, count_thread,
	    &nthreads), 0);
	assert_int_equal(nthreads, 1);
	assert_int_equal(store_ticket_events(s, id, 10, &ev, &nev), 8);
	for (i = 0; i < nev; i++)
		store_ticket_event_release(&ev[i]);
	free(ev);
	add.key = NULL;
	assert_true((id2 = store_ticket_add(s, &add, &added)) > id);
	no_error(s);
}

static void
all_page(struct store *s)
{
	struct page_add		 add;
	struct page_step_add	 sa;
	struct store_page	 p;
	struct store_page_step	 st, *v = NULL;
	struct store_page_event	*ev = NULL;
	struct store_timer	 tm;
	size_t			 n = 0, nev = 0, i;
	int64_t			 id, step, skip;
	int			 added = -1;

	memset(&add, 0, sizeof add);
	add.key = "page:slack:C1:1.1";
	add.adapter = "slack";
	add.rotation = "vault";
	add.summary = "vault sealed";
	add.severity = "critical";
	add.policy = "default";
	add.opened_by = "U1";
	add.oncall = "U2";
	add.channel = "C2";
	add.now_ms = T0_MS;
	add.ack_due_ms = T0_MS + 15 * MIN_MS;
	assert_true((id = store_page_add(s, &add, &added)) > 0);
	assert_int_equal(added, 1);
	assert_int_equal(store_page_add(s, &add, &added), id);
	assert_int_equal(added, 0);
	memset(&sa, 0, sizeof sa);
	sa.page = id;
	sa.action = 0;
	sa.due_ms = T0_MS + 10 * MIN_MS;
	sa.now_ms = T0_MS;
	sa.timer_kind = "page-step";
	assert_true((step = store_page_step_add(s, &sa)) > 0);
	/* the same step again: its key is taken, nothing added */
	assert_int_equal(store_page_step_add(s, &sa), 0);
	sa.idx = 1;
	sa.action = 2;
	sa.timer_kind = NULL;
	sa.why = "the rotation has no manager";
	assert_true((skip = store_page_step_add(s, &sa)) > step);
	assert_int_equal(store_page_step_by_ref(s, "page-step:1", &st), 1);
	assert_true(st.timer > 0);
	store_page_step_release(&st);
	assert_int_equal(store_page_step_by_ref(s, "ticket:1", &st), 0);
	assert_int_equal(store_page_next_step(s, id, &st), 1);
	assert_int_equal(st.id, step);
	store_page_step_release(&st);
	assert_int_equal(store_page_steps(s, id, &v, &n), 2);
	assert_int_equal(v[1].skipped, 1);
	assert_string_equal(v[1].target, "the rotation has no manager");
	for (i = 0; i < n; i++)
		store_page_step_release(&v[i]);
	free(v);
	assert_int_equal(store_page_set_ts(s, id, "1700.1"), 0);
	assert_int_equal(store_page_by_thread(s, "C2", "1700.1", &p), 1);
	store_page_release(&p);
	/* the channel's one page still open; none in another channel */
	assert_int_equal(store_page_only_open(s, "C2", &p), 1);
	assert_int_equal(p.id, id);
	store_page_release(&p);
	assert_int_equal(store_page_only_open(s, "C9", &p), 0);
	assert_int_equal(store_page_step_done(s, step, T0_MS + 10 * MIN_MS, 0,
	    0, "U2", "policy step 1: remind"), 1);
	assert_int_equal(store_page_step_done(s, step, T0_MS + 11 * MIN_MS, 0,
	    0, "U2", "again"), 0);
	assert_int_equal(store_page_event_add(s, id, T0_MS, "escalate-now",
	    "U2", NULL), 0);
	assert_int_equal(store_page_needhelp(s, id, "U2", T0_MS + MIN_MS), 1);
	assert_int_equal(store_page_needhelp(s, id, "U2", T0_MS + MIN_MS), 0);
	/* no needhelp post delivered with that ts: no page */
	assert_int_equal(store_page_by_help_post(s, "1700.9"), 0);
	assert_int_equal(store_page_by_help_post(s, NULL), 0);
	assert_int_equal(store_page_helped(s, id, "U3", T0_MS + MIN_MS), 1);
	assert_int_equal(store_page_helped(s, id, "U3", T0_MS + MIN_MS), 0);
	assert_int_equal(store_page_ack(s, id, "U2", T0_MS + 2 * MIN_MS), 1);
	assert_int_equal(store_page_ack(s, id, "U2", T0_MS + 2 * MIN_MS), 0);
	assert_int_equal(store_page_resolve(s, id, "U2", "unsealed",
	    T0_MS + 3 * MIN_MS), 1);
	assert_int_equal(store_page_resolve(s, id, "U2", NULL, T0_MS), 0);
	assert_int_equal(store_page_get(s, id, &p), 1);
	assert_int_equal(p.state, PAGE_RESOLVED);
	assert_string_equal(p.note, "unsealed");
	assert_int_equal(store_page_next_step(s, id, &st), 0);
	store_page_release(&p);
	assert_int_equal(store_page_only_open(s, "C2", &p), 0);
	/* opened, skipped, step, escalate-now, needhelp, helped, acked,
	   resolved */
	assert_int_equal(store_page_events(s, id, 20, &ev, &nev), 8);
	for (i = 0; i < nev; i++)
		store_page_event_release(&ev[i]);
	free(ev);
	assert_int_equal(store_timer_get(s, 1, &tm), 1);
	store_timer_release(&tm);
	no_error(s);
}

static int
duty_cb(const struct store_duty_check *c, void *arg)
{
	int	*stop = arg;

	return (*stop && c->id > 0 ? -1 : 0);
}

static void
all_duty(struct store *s)
{
	struct store_duty_check	 c;
	int64_t			 id;
	int			 added, stop = 0;

	assert_true((id = store_duty_check_add(s, "vault", "general", T0_MS,
	    "U0ON", &added)) > 0);
	assert_int_equal(added, 1);
	assert_int_equal(store_duty_check_add(s, "vault", "general", T0_MS,
	    "U0ON", &added), id);
	assert_int_equal(added, 0);
	assert_int_equal(store_duty_check_get(s, id, &c), 1);
	assert_string_equal(c.user, "U0ON");
	assert_int_equal(c.state, DUTY_PENDING);
	store_duty_check_release(&c);
	assert_int_equal(store_duty_check_get(s, id + 1, &c), 0);
	assert_int_equal(store_duty_check_pending(s, "vault", NULL, &c), 1);
	store_duty_check_release(&c);
	assert_int_equal(store_duty_check_pending(s, "vault", "other", &c),
	    0);
	assert_int_equal(store_duty_check_done(s, id, "U0ON", "ok",
	    T0_MS + MIN_MS), 1);
	assert_int_equal(store_duty_check_done(s, id, "U0ON", "ok",
	    T0_MS + MIN_MS), 0);
	assert_int_equal(store_duty_check_missed(s, id), 0);
	assert_true((id = store_duty_check_add(s, "vault", "general",
	    T0_MS + MIN_MS, "", &added)) > 0);
	assert_int_equal(store_duty_check_missed(s, id), 1);
	assert_string_equal(store_duty_state_name(DUTY_MISSED), "missed");
	assert_int_equal(store_duty_checks_between(s, "vault", T0_MS,
	    T0_MS + 2 * MIN_MS, duty_cb, &stop), 2);
	assert_int_equal(store_duty_checks_between(s, NULL, T0_MS,
	    T0_MS + 1, duty_cb, &stop), 1);
	stop = 1;
	assert_int_equal(store_duty_checks_between(s, "vault", T0_MS,
	    T0_MS + 2 * MIN_MS, duty_cb, &stop), -1);
}

static void
items_free(struct store_shift_item *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		store_shift_item_release(&v[i]);
	free(v);
}

static void
all_handoff(struct store *s)
{
	struct store_handoff	 h, got, *v = NULL;
	struct store_shift_item	*it = NULL;
	struct store_timer	 tm;
	size_t			 n = 0, i;
	int64_t			 id, tid;

	memset(&h, 0, sizeof h);
	h.rotation = "vault";
	h.from_user = "U1";
	h.to_user = "U2";
	h.shift_start_ms = T0_MS - 7 * 24 * 60 * MIN_MS;
	h.shift_end_ms = T0_MS;
	h.created_ms = T0_MS + MIN_MS;
	h.notes = "all quiet";
	h.record = "{}";
	assert_true((id = store_handoff_add(s, &h, "slack", "C2", "U1")) > 0);
	assert_int_equal(store_handoff_get(s, id, &got), 1);
	assert_string_equal(got.to_user, "U2");
	assert_string_equal(got.notes, "all quiet");
	assert_int_equal(got.acked_ms, 0);
	store_handoff_release(&got);
	assert_int_equal(store_handoff_get(s, id + 1, &got), 0);
	assert_int_equal(store_handoff_last(s, "vault", &got), 1);
	assert_int_equal(got.id, id);
	store_handoff_release(&got);
	assert_int_equal(store_handoff_last(s, "armada", &got), 0);
	assert_int_equal(store_handoff_for_shift(s, "vault", T0_MS, &got), 1);
	store_handoff_release(&got);
	assert_int_equal(store_handoff_for_shift(s, "vault", T0_MS + 1, &got),
	    0);
	assert_int_equal(store_handoff_list(s, NULL, 0, 10, &v, &n), 1);
	assert_int_equal(store_handoff_list(s, "vault", T0_MS + 2 * MIN_MS,
	    10, &v, &n), 0);
	for (i = 0; i < n; i++)
		store_handoff_release(&v[i]);
	free(v);
	/* the ack cancels the handoff's own timers, not others' */
	tid = store_timer_add(s, T0_MS, T0_MS + 30 * MIN_MS, "handoff-remind",
	    "handoff:1:remind:1", "handoff:1:remind:1");
	assert_true(tid > 0);
	assert_true(store_timer_add(s, T0_MS, T0_MS + 30 * MIN_MS,
	    "handoff-remind", "handoff:11:remind:1", NULL) > tid);
	assert_int_equal(store_handoff_ack(s, id, "U2", T0_MS + 5 * MIN_MS),
	    1);
	assert_int_equal(store_handoff_ack(s, id, "U2", T0_MS + 6 * MIN_MS),
	    0);
	assert_int_equal(store_timer_get(s, tid, &tm), 1);
	assert_int_equal(tm.state, TIMER_CANCELLED);
	store_timer_release(&tm);
	assert_int_equal(store_timer_get(s, tid + 1, &tm), 1);
	assert_int_equal(tm.state, TIMER_PENDING);
	store_timer_release(&tm);
	/* the reads of a record (all_page left page 1, resolved) */
	n = 0;
	assert_int_equal(store_handoff_open_pages(s, "vault", T0_MS, &it, &n),
	    0);
	assert_int_equal(store_handoff_shift_pages(s, "vault", T0_MS,
	    T0_MS + 60 * MIN_MS, &it, &n), 1);
	assert_string_equal(it[0].detail, "critical: vault sealed");
	assert_int_equal(store_handoff_shift_steps(s, "vault", T0_MS,
	    T0_MS + 60 * MIN_MS, &it, &n), 1);
	assert_string_equal(it[1].who, "U2");
	assert_int_equal(store_handoff_shift_commands(s, 0, INT64_MAX / 2,
	    &it, &n), 0);
	assert_true(store_handoff_shift_watch(s, 0, INT64_MAX, &it, &n) >= 0);
	assert_true(store_handoff_shift_tickets(s, 0, INT64_MAX, &it, &n) >
	    0);
	/* all_duty left one check done and one missed */
	assert_int_equal(store_handoff_shift_duties(s, "vault", 0, INT64_MAX,
	    &it, &n), 2);
	assert_string_equal(it[n - 2].what, "done");
	assert_string_equal(it[n - 2].detail, "general");
	assert_string_equal(it[n - 1].what, "missed");
	items_free(it, n);
	no_error(s);
}

static void
all_index(struct store *s)
{
	int64_t	 ids[4];

	assert_int_equal(store_index_begin(s), 0);
	assert_int_equal(store_index_add(s, 7, "kubernetes",
	    "Pods not starting", "kubectl describe pod", "pods starting"), 0);
	assert_int_equal(store_index_commit(s), 0);
	assert_int_equal(store_index_search(s, "pods", ids, 4), 1);
	assert_int_equal(ids[0], 7);
	/* no section has both words: the OR query runs */
	assert_int_equal(store_index_search(s, "pods nonesuch", ids, 4), 1);
	assert_int_equal(store_index_clear(s), 0);
	assert_int_equal(store_index_search(s, "pods", ids, 4), 0);
	no_error(s);
}

static void
all_report(struct store *s)
{
	struct store_report_page	*pages = NULL;
	struct store_report_count	*c = NULL;
	struct store_report_ticket	*t = NULL;
	struct store			*ro;
	size_t				 np = 0, nc = 0, nt = 0, i;
	char				*cause = NULL;

	assert_true(store_report_handoff_add(s, "vault", "U1", "U2", T0_MS,
	    1, T0_MS + MIN_MS) > 0);
	assert_true(store_report_duty_add(s, "vault", "check", T0_MS, "U1",
	    "done", T0_MS + MIN_MS) > 0);
	assert_true(store_report_pages(s, NULL, 0, INT64_MAX, &pages,
	    &np) >= 0);
	assert_true(store_report_steps(s, "vault", 0, INT64_MAX, &c,
	    &nc) >= 0);
	/* other functions' rows may be there too (all_duty's, ...) */
	assert_true(store_report_handoffs(s, "vault", 0, INT64_MAX, &c,
	    &nc) >= 1);
	assert_true(store_report_duties(s, NULL, 0, INT64_MAX, &c, &nc) >= 1);
	assert_true(store_report_tickets(s, 0, INT64_MAX, &t, &nt) >= 0);
	for (i = 0; i < np; i++)
		store_report_page_release(&pages[i]);
	for (i = 0; i < nc; i++)
		store_report_count_release(&c[i]);
	for (i = 0; i < nt; i++)
		store_report_ticket_release(&t[i]);
	free(pages);
	free(c);
	free(t);
	/* an in-memory database is another one each time: refused, empty */
	ro = store_open_readonly(":memory:", &cause);
	assert_null(ro);
	assert_non_null(strstr(cause, "run opsbot once"));
	free(cause);
	no_error(s);
}

static void
test_every_function(void **state)
{
	struct store	*s = open_ok();

	(void)state;
	all_open(s);
	all_audit_seen(s);
	all_post(s);
	all_user(s);
	all_channel_watch(s);
	all_timer(s);
	all_reminder(s);
	all_ticket(s);
	all_override(s);
	all_ical(s);
	all_page(s);
	all_duty(s);
	all_handoff(s);
	all_index(s);
	all_report(s);
	store_close(s);
}

/*
 * A statement that does not prepare fails its function with -1, and
 * says why: the SQL and sqlite's reason. The store stays usable.
 */
static void
test_unpreparable(void **state)
{
	static const char	 bad[] = "SELECT nonesuch FROM seen";
	struct store		*s = open_ok();

	(void)state;
	assert_null(store_prep(s, bad));
	assert_non_null(strstr(store_last_error(s), "cannot prepare"));
	assert_non_null(strstr(store_last_error(s), "nonesuch"));

	assert_int_equal(sqlite3_exec(s->db, "DROP TABLE seen", NULL, NULL,
	    NULL), SQLITE_OK);
	assert_int_equal(store_seen_has(s, "Ev1", 0), -1);
	assert_non_null(strstr(store_last_error(s),
	    "no such table: seen"));
	assert_int_equal(store_audit_count(s), 0);
	store_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_function),
		cmocka_unit_test(test_unpreparable),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
