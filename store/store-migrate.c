/*
 * store-migrate.c: the schema as an ordered list of steps. Step N takes
 * a database from user_version N-1 to N. A shipped step is never edited:
 * a fix is a new step at the end.
 */
#include <stdlib.h>

#include "bot/bot.h"
#include "store/store-private.h"

static const char *const store_migrations[] = {
	/* 1: every command run, for the audit trail. */
	"CREATE TABLE audit ("
	"  id INTEGER PRIMARY KEY,"
	"  at INTEGER NOT NULL,"
	"  adapter TEXT,"
	"  channel TEXT,"
	"  user TEXT,"
	"  command TEXT,"
	"  args TEXT,"
	"  status TEXT,"
	"  event_id TEXT"
	");"
	"CREATE INDEX audit_at ON audit (at);",

	/* 2: event dedupe keys, pruned by age. */
	"CREATE TABLE seen ("
	"  key TEXT PRIMARY KEY,"
	"  at INTEGER NOT NULL"
	") WITHOUT ROWID;"
	"CREATE INDEX seen_at ON seen (at);",

	/*
	 * 3: replies waiting for delivery. AUTOINCREMENT so an id is never
	 * reused: a late answer for a finished row cannot hit a new one.
	 */
	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  created_at INTEGER NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  target TEXT,"
	"  channel TEXT,"
	"  body TEXT NOT NULL,"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  not_before_ms INTEGER NOT NULL DEFAULT 0,"
	"  last_error TEXT"
	");"
	"CREATE INDEX outbox_channel ON outbox (channel, id);",

	/*
	 * 4: durable timers (store-timer.c, docs/internals/timers.md).
	 * Times are wall ms UTC. A fired or cancelled row is kept, not
	 * deleted: its idempotency key must keep answering "already
	 * there", and `remind list` can show what fired late. The
	 * partial index holds only pending rows, so the earliest due is
	 * one seek however long the history grows.
	 */
	"CREATE TABLE timers ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  due_ms INTEGER NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  ref TEXT NOT NULL,"
	"  idem_key TEXT UNIQUE,"
	"  state TEXT NOT NULL DEFAULT 'pending'"
	"    CHECK (state IN ('pending', 'fired', 'cancelled')),"
	"  fired_at_ms INTEGER,"
	"  late INTEGER NOT NULL DEFAULT 0,"
	"  created_ms INTEGER NOT NULL"
	");"
	"CREATE INDEX timers_pending ON timers (due_ms, id)"
	"  WHERE state = 'pending';",

	/*
	 * 5: the adapter-neutral outbox (store-post.c, docs/internals/
	 * outbox.md) replaces step 3's table of Slack request bodies. A
	 * delivered post is kept (state 1) with its ts, so that its key
	 * still dedupes and a later update finds the message; pruned after
	 * a week. The rows of the old outbox move over, so an upgrade
	 * loses no reply: their JSON bodies are read with sqlite's JSON
	 * functions (a body that is not JSON cannot be sent and is left).
	 */
	"CREATE TABLE posts ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  idem_key TEXT UNIQUE,"
	"  op INTEGER NOT NULL,"
	"  channel TEXT NOT NULL,"
	"  thread_ts TEXT,"
	"  text TEXT,"
	"  blocks TEXT,"
	"  target_key TEXT,"
	"  target_ts TEXT,"
	"  reaction TEXT,"
	"  response_url TEXT,"
	"  order_key TEXT NOT NULL,"
	"  created_ms INTEGER NOT NULL,"
	"  not_before_ms INTEGER NOT NULL DEFAULT 0,"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  last_error TEXT,"
	"  state INTEGER NOT NULL DEFAULT 0 CHECK (state IN (0, 1, 2)),"
	"  done_ms INTEGER,"
	"  ts TEXT"
	");"
	"CREATE INDEX posts_pending ON posts (order_key, id) WHERE state = 0;"
	"CREATE INDEX posts_done ON posts (done_ms) WHERE state <> 0;"
	"INSERT INTO posts (op, channel, thread_ts, text, blocks,"
	"  response_url, order_key, created_ms, not_before_ms, attempts,"
	"  last_error)"
	" SELECT CASE kind WHEN 'response_url' THEN 3 ELSE 0 END,"
	"  coalesce(channel, json_extract(body, '$.channel'), ''),"
	"  CASE kind WHEN 'response_url' THEN NULL"
	"   ELSE json_extract(body, '$.thread_ts') END,"
	"  json_extract(body, '$.text'), json_extract(body, '$.blocks'),"
	"  CASE kind WHEN 'response_url' THEN target END,"
	"  CASE kind WHEN 'response_url' THEN target"
	"   ELSE coalesce(channel, json_extract(body, '$.channel'), '') || '/' ||"
	"    coalesce(json_extract(body, '$.thread_ts'), '') END,"
	"  created_at * 1000, not_before_ms, attempts, last_error"
	" FROM outbox WHERE json_valid(body) ORDER BY id;"
	"DROP TABLE outbox;",

	/*
	 * 6: `remind`'s reminders (store-reminder.c). Times are wall ms
	 * UTC. AUTOINCREMENT: `remind cancel 7` never meets a later
	 * reminder that reused 7. idem_key is the message that asked, so
	 * a message handled twice adds one. Fired and cancelled rows stay
	 * (the key must keep answering); the partial index holds the
	 * pending ones, which `remind list` reads per user.
	 */
	"CREATE TABLE reminders ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  idem_key TEXT UNIQUE,"
	"  adapter TEXT NOT NULL,"
	"  channel TEXT NOT NULL,"
	"  thread_ts TEXT,"
	"  user TEXT NOT NULL,"
	"  text TEXT NOT NULL,"
	"  tz TEXT NOT NULL,"
	"  due_ms INTEGER NOT NULL,"
	"  timer_id INTEGER REFERENCES timers (id),"
	"  state TEXT NOT NULL DEFAULT 'pending'"
	"    CHECK (state IN ('pending', 'fired', 'cancelled')),"
	"  created_ms INTEGER NOT NULL,"
	"  fired_ms INTEGER,"
	"  late INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE INDEX reminders_user_pending ON reminders (user, due_ms, id)"
	"  WHERE state = 'pending';",

	/*
	 * 7: users as an adapter knows them (store-user.c): the display
	 * name and time zone Slack's users.info gives, and when it was
	 * learnt, so a reader can tell a stale entry.
	 */
	"CREATE TABLE users ("
	"  user_id TEXT PRIMARY KEY,"
	"  name TEXT,"
	"  tz TEXT,"
	"  fetched_ms INTEGER NOT NULL"
	") WITHOUT ROWID;",

	/*
	 * 8: when a channel watch last answered (store-watch.c): one row
	 * per rule, channel and thread ('' for an answer outside any
	 * thread), for the rule's cooldown in that channel and "never
	 * twice in one thread".
	 */
	"CREATE TABLE watch_answers ("
	"  rule TEXT NOT NULL,"
	"  channel TEXT NOT NULL,"
	"  thread_ts TEXT NOT NULL,"
	"  at_ms INTEGER NOT NULL,"
	"  PRIMARY KEY (rule, channel, thread_ts)"
	") WITHOUT ROWID;",

	/*
	 * 9: channel names as the adapter learnt them (Slack:
	 * conversations.info), so a watch rule written with a name matches
	 * the channel's ID at once after a restart (store-channel.c).
	 */
	"CREATE TABLE channels ("
	"  channel_id TEXT PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  fetched_ms INTEGER NOT NULL"
	") WITHOUT ROWID;",

	/*
	 * 10: support tickets and their events (store-ticket.c). Times are
	 * wall ms UTC. priority and tier are enum support_priority and
	 * enum support_tier. idem_key is the request that opened it, so a
	 * message handled twice opens one ticket. Every state change is an
	 * event row: the audit of tickets.
	 */
	"CREATE TABLE tickets ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  idem_key TEXT UNIQUE,"
	"  adapter TEXT NOT NULL,"
	"  channel TEXT NOT NULL,"
	"  thread_ts TEXT,"
	"  requester TEXT NOT NULL,"
	"  priority INTEGER NOT NULL,"
	"  tier INTEGER NOT NULL,"
	"  opened_ms INTEGER NOT NULL,"
	"  due_ms INTEGER NOT NULL,"
	"  warn_ms INTEGER NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'open'"
	"    CHECK (state IN ('open', 'answered', 'closed')),"
	"  first_response_ms INTEGER,"
	"  responder TEXT,"
	"  warn_timer INTEGER,"
	"  breach_timer INTEGER,"
	"  updated_ms INTEGER NOT NULL"
	");"
	"CREATE INDEX tickets_thread ON tickets (channel, thread_ts);"
	"CREATE INDEX tickets_live ON tickets (state, due_ms)"
	"  WHERE state <> 'closed';"
	"CREATE TABLE ticket_events ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  ticket INTEGER NOT NULL REFERENCES tickets (id),"
	"  at_ms INTEGER NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  actor TEXT,"
	"  detail TEXT"
	");"
	"CREATE INDEX ticket_events_ticket ON ticket_events (ticket, id);",

	/*
	 * 11: a ticket's stale timer and its last activity in its thread
	 * (bot/ticket.c: no activity for stale_after, a nudge).
	 */
	("ALTER TABLE tickets ADD COLUMN stale_timer INTEGER;"
	"ALTER TABLE tickets ADD COLUMN active_ms INTEGER;"),

	/*
	 * 12: `ticket close` asks the requester first (bot/ticket-close.c):
	 * when it asked, and the question post's key (its ts, for a
	 * reaction on it, is in posts once delivered).
	 */
	("ALTER TABLE tickets ADD COLUMN closing_ms INTEGER;"
	"ALTER TABLE tickets ADD COLUMN closing_key TEXT;"),

	/*
	 * 13: a ticket's tier by name (bot/support-tiers.c: tiers are
	 * configurable, so the number of an enum no longer names one; the
	 * integer column stays, -1 from now on), its old rows named as the
	 * enum was then (Essential, Advanced, Premium); and the request's
	 * permalink (chat.getPermalink), NULL until the adapter answers.
	 */
	("ALTER TABLE tickets ADD COLUMN tier_name TEXT;"
	"UPDATE tickets SET tier_name = CASE tier WHEN 0 THEN 'Essential'"
	"  WHEN 1 THEN 'Advanced' WHEN 2 THEN 'Premium' END;"
	"ALTER TABLE tickets ADD COLUMN permalink TEXT;"),

	/*
	 * 14: on-call overrides (store-oncall.c, bot/oncall.h): user is on
	 * call for rotation over [from_ms, until_ms) (wall ms UTC), instead
	 * of whom the schedule names; user '' is "no one". The newest
	 * (largest id) of overlapping overrides wins.
	 */
	("CREATE TABLE oncall_overrides ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  rotation TEXT NOT NULL,"
	"  user TEXT NOT NULL,"
	"  from_ms INTEGER NOT NULL,"
	"  until_ms INTEGER NOT NULL CHECK (until_ms > from_ms),"
	"  set_by TEXT NOT NULL,"
	"  created_ms INTEGER NOT NULL"
	");"
	"CREATE INDEX oncall_overrides_span ON oncall_overrides"
	"  (rotation, until_ms, from_ms);"),

	/*
	 * 15: pages and their escalation steps (store-page.c, bot/page.h).
	 * Times are wall ms UTC, 0 until they happen. idem_key is the
	 * message that opened the page, so a command handled twice opens
	 * one. A step row is armed once (its key, "page:phase:idx", is
	 * unique) and fires once: fired_ms goes from 0 to its time once,
	 * in the transaction of its timer's claim. page_events is the
	 * audit of pages: every change is a row.
	 */
	("CREATE TABLE pages ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  idem_key TEXT UNIQUE,"
	"  adapter TEXT NOT NULL,"
	"  rotation TEXT NOT NULL,"
	"  summary TEXT NOT NULL,"
	"  severity TEXT NOT NULL,"
	"  policy TEXT NOT NULL,"
	"  opened_by TEXT NOT NULL,"
	"  oncall TEXT,"
	"  channel TEXT NOT NULL,"
	"  ts TEXT,"
	"  opened_ms INTEGER NOT NULL,"
	"  ack_due_ms INTEGER NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'open'"
	"    CHECK (state IN ('open', 'acked', 'resolved')),"
	"  acked_by TEXT,"
	"  acked_ms INTEGER NOT NULL DEFAULT 0,"
	"  resolved_by TEXT,"
	"  resolved_ms INTEGER NOT NULL DEFAULT 0,"
	"  note TEXT,"
	"  needhelp_ms INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE INDEX pages_ts ON pages (channel, ts);"
	"CREATE TABLE page_steps ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  page INTEGER NOT NULL REFERENCES pages (id),"
	"  phase INTEGER NOT NULL,"
	"  idx INTEGER NOT NULL,"
	"  action INTEGER NOT NULL,"
	"  arg TEXT,"
	"  critical_only INTEGER NOT NULL DEFAULT 0,"
	"  due_ms INTEGER NOT NULL,"
	"  timer INTEGER NOT NULL DEFAULT 0,"
	"  fired_ms INTEGER NOT NULL DEFAULT 0,"
	"  late INTEGER NOT NULL DEFAULT 0,"
	"  skipped INTEGER NOT NULL DEFAULT 0,"
	"  target TEXT,"
	"  UNIQUE (page, phase, idx)"
	");"
	"CREATE TABLE page_events ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  page INTEGER NOT NULL REFERENCES pages (id),"
	"  at_ms INTEGER NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  actor TEXT,"
	"  detail TEXT"
	");"
	"CREATE INDEX page_events_page ON page_events (page, id);"),

	/*
	 * 16: on-call handoffs (store-handoff.c, bot/handoff.h), the
	 * frozen schema shared with branches duties and summary
	 * (prompts/schema10.md): one row per `handoff`, its record a JSON
	 * object built by bot/handoff-record.c. Times are wall ms UTC.
	 */
	("CREATE TABLE handoffs ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  rotation TEXT NOT NULL,"
	"  from_user TEXT NOT NULL,"
	"  to_user TEXT NOT NULL,"
	"  shift_start_ms INTEGER NOT NULL,"
	"  shift_end_ms INTEGER NOT NULL,"
	"  created_ms INTEGER NOT NULL,"
	"  late INTEGER NOT NULL DEFAULT 0,"
	"  acked_ms INTEGER NOT NULL DEFAULT 0,"
	"  acked_by TEXT,"
	"  notes TEXT,"
	"  record TEXT NOT NULL"
	");"
	"CREATE INDEX handoffs_rotation ON handoffs (rotation, created_ms);"),

	/*
	 * 17: on-call duties' checks (store-duty.c, bot/duty.h): one row
	 * per duty and due time (UNIQUE: a due timer fired again adds
	 * none), pending until `checked` or the button (done) or the
	 * escalation's end (missed). Times are wall ms UTC.
	 */
	("CREATE TABLE duty_checks ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  rotation TEXT NOT NULL,"
	"  duty TEXT NOT NULL,"
	"  due_ms INTEGER NOT NULL,"
	"  user TEXT,"
	"  state TEXT NOT NULL DEFAULT 'pending'"
	"    CHECK (state IN ('pending', 'done', 'missed')),"
	"  done_ms INTEGER NOT NULL DEFAULT 0,"
	"  done_by TEXT,"
	"  note TEXT,"
	"  UNIQUE (rotation, duty, due_ms)"
	");"
	"CREATE INDEX duty_checks_rotation ON duty_checks (rotation, due_ms);"),

	/*
	 * 18: a summary reads one period of pages, of
	 * fired escalation steps and of tickets (store-report.c); without
	 * these a month's summary scans the whole history.
	 */
	("CREATE INDEX pages_opened ON pages (opened_ms);"
	"CREATE INDEX page_steps_fired ON page_steps (fired_ms)"
	"  WHERE fired_ms <> 0 AND skipped = 0;"
	"CREATE INDEX tickets_opened ON tickets (opened_ms);"),

	/*
	 * 19: the last iCalendar body fetched for a rotation that follows
	 * a URL (store-ical.c, bot/oncall-ical.c), so that a restart while
	 * the calendar's server is down still knows who is on call. One
	 * row per rotation; url says which feed it came from (a config
	 * that names another URL does not use it).
	 */
	("CREATE TABLE ical_cache ("
	"  rotation TEXT PRIMARY KEY,"
	"  url TEXT NOT NULL,"
	"  body BLOB NOT NULL,"
	"  fetched_ms INTEGER NOT NULL"
	");"),

	/*
	 * 20: a call for help answered (bot/page-help.c): someone replied
	 * in the thread of needhelp's post in the admin channel, so its
	 * later steps (the manager) were cancelled. 0 until then.
	 */
	("ALTER TABLE pages ADD COLUMN helped_ms INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE pages ADD COLUMN helped_by TEXT;"),
};
#define STORE_NMIGRATIONS \
	((int)(sizeof store_migrations / sizeof store_migrations[0]))

int
store_schema_latest(void)
{
	return (STORE_NMIGRATIONS);
}

const char *
store_migration_sql(int n)
{
	if (n < 1 || n > STORE_NMIGRATIONS)
		return (NULL);
	return (store_migrations[n - 1]);
}

int
store_schema_version(struct store *s)
{
	sqlite3_stmt	*st = NULL;
	int		 v = -1;

	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st,
	    NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
		log_warnx("store_schema_version: %s", sqlite3_errmsg(s->db));
		goto out;
	}
	v = sqlite3_column_int(st, 0);
out:
	sqlite3_finalize(st);
	return (v);
}

/* Applies step n (1-based) in its own transaction; -1 with *cause. */
static int
store_migrate_step(struct store *s, int n, char **cause)
{
	char	 sql[64];
	int	 v;

	if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK)
		goto fail;
	/* Another process may have migrated while we waited for the lock. */
	if ((v = store_schema_version(s)) < 0)
		goto fail;
	if (v < n) {
		if (sqlite3_exec(s->db, store_migrations[n - 1], NULL, NULL,
		    NULL) != SQLITE_OK)
			goto fail;
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", n);
		if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
			goto fail;
	}
	if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	return (0);

fail:
	xasprintf(cause, "schema migration %d failed: %s", n,
	    sqlite3_errmsg(s->db));
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return (-1);
}

int
store_migrate(struct store *s, char **cause)
{
	int	 v, n;

	if (store_in_transaction(s)) {
		*cause = xstrdup("cannot migrate inside a transaction");
		return (-1);
	}
	if ((v = store_schema_version(s)) < 0) {
		xasprintf(cause, "cannot read the schema version: %s",
		    sqlite3_errmsg(s->db));
		return (-1);
	}
	if (v > STORE_NMIGRATIONS) {
		xasprintf(cause, "schema version %d is newer than this opsbot "
		    "%s knows (%d); use a newer opsbot", v, OPSBOT_VERSION,
		    STORE_NMIGRATIONS);
		return (-1);
	}
	for (n = v + 1; n <= STORE_NMIGRATIONS; n++) {
		if (store_migrate_step(s, n, cause) != 0)
			return (-1);
		log_debug("%s: database '%s' now at schema version %d",
		    __func__, s->path, n);
	}
	return (0);
}
