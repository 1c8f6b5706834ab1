/*
 * test_store.c: the sqlite store on :memory: and on temporary files:
 * migrations, dedupe keys, the outbox across restarts, the FTS index.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "bot/bot.h"
#include "bot/outbox.h"
#include "store/store.h"

static int64_t	add_post(struct store *, const char *, const char *,
		    const char *, const char *);

/* A temporary directory per test, removed with its files afterwards. */
struct tmpdb {
	char	 dir[64];
	char	*path;
};

static void
tmpdb_init(struct tmpdb *t)
{
	snprintf(t->dir, sizeof t->dir, "/tmp/test_store.XX" "XX" "XX");
	assert_non_null(mkdtemp(t->dir));
	xasprintf(&t->path, "%s/bot.db", t->dir);
}

static void
tmpdb_release(struct tmpdb *t)
{
	static const char *const suffixes[] = { "", "-wal", "-shm" };
	char	*f;
	size_t	 i;

	for (i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		xasprintf(&f, "%s%s", t->path, suffixes[i]);
		unlink(f);
		free(f);
	}
	rmdir(t->dir);
	free(t->path);
}

/* Runs sql on a raw connection to path, as another program would. */
static void
raw_exec(const char *path, const char *sql)
{
	sqlite3	*db;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	sqlite3_close(db);
}

static struct store *
open_ok(const char *path)
{
	struct store	*s;
	char		*cause = NULL;

	s = store_open(path, &cause);
	if (s == NULL)
		fail_msg("store_open: %s", cause);
	return (s);
}

/*
 * The store never reads the clock: each test says what time it is. T0 is
 * 2026-07-25T17:20:00Z; any instant would do, and none passes for real.
 */
#define T0_MS	INT64_C(1785000000000)
#define T0_SECS	(T0_MS / 1000)

static void
test_open_memory(void **state)
{
	struct store	*s;

	s = open_ok(":memory:");
	assert_true(store_schema_latest() >= 3);
	assert_int_equal(store_schema_version(s), store_schema_latest());
	assert_int_equal(store_audit_count(s), 0);
	assert_int_equal(store_post_count(s), 0);
	store_close(s);
	store_close(NULL);
}

static void
test_open_file_and_reopen(void **state)
{
	struct tmpdb	 t;
	struct store	*s;
	struct audit_rec r = { 1700000000, "console", "#ops", "alice", "help",
	    "", "ok", NULL };
	sqlite3		*db;
	sqlite3_stmt	*st;

	tmpdb_init(&t);
	s = open_ok(t.path);
	assert_int_equal(store_schema_version(s), store_schema_latest());
	assert_int_equal(store_audit_add(s, &r), 0);

	/* The bot holds its database: another program cannot read it. */
	assert_int_equal(sqlite3_open(t.path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "SELECT count(*) FROM audit", NULL,
	    NULL, NULL), SQLITE_BUSY);
	sqlite3_close(db);
	store_close(s);

	/* The file is in WAL mode, as another reader sees it. */
	assert_int_equal(sqlite3_open(t.path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1,
	    &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	sqlite3_close(db);

	/* Reopening a migrated file changes nothing and keeps the rows. */
	s = open_ok(t.path);
	assert_int_equal(store_schema_version(s), store_schema_latest());
	assert_int_equal(store_audit_count(s), 1);
	{
		char	*cause = NULL;

		assert_int_equal(store_migrate(s, &cause), 0);
		assert_null(cause);
	}
	assert_int_equal(store_schema_version(s), store_schema_latest());
	store_close(s);
	tmpdb_release(&t);
}

/*
 * Random bytes over every page behind a valid header: the schema still
 * reads, so the store opened and the bot stalled at its first write
 * (issue 6). PRAGMA quick_check at open refuses it, naming the file.
 */
static void
test_open_corrupt(void **state)
{
	struct tmpdb	 t;
	struct store	*s;
	struct audit_rec r = { 1700000000, "slack", "C0001", "U0001", "sop",
	    "hivedown and a long argument to fill pages", "ok", NULL };
	char		*cause = NULL;
	FILE		*f;
	long		 len, i;
	uint32_t	 x = 2463534242u;

	tmpdb_init(&t);
	/* a file that was never made is not damaged: it will be */
	assert_int_equal(store_check(t.path, &cause), 0);
	assert_null(cause);
	s = open_ok(t.path);
	for (i = 0; i < 400; i++)
		assert_int_equal(store_audit_add(s, &r), 0);
	store_close(s);
	assert_int_equal(store_check(t.path, &cause), 0);
	assert_null(cause);

	f = fopen(t.path, "r+b");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	assert_true(len > 4 * 4096);
	fseek(f, 4096, SEEK_SET);
	for (i = 4096; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		fputc((int)(x & 0xff), f);
	}
	fclose(f);

	assert_null(store_open(t.path, &cause));
	assert_non_null(cause);
	if (strstr(cause, t.path) == NULL || strstr(cause, "damaged") == NULL)
		fail_msg("cause: %s", cause);
	free(cause);
	cause = NULL;
	assert_int_equal(store_check(t.path, &cause), -1);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "damaged"));
	free(cause);
	tmpdb_release(&t);
}

/* The last failure is kept for the caller to report (in words). */
static void
test_last_error(void **state)
{
	struct store	*s;

	s = open_ok(":memory:");
	assert_string_equal(store_last_error(s), "");
	assert_int_equal(store_begin(s), 0);
	assert_int_equal(store_begin(s), -1);
	assert_non_null(strstr(store_last_error(s), "store_begin"));
	assert_int_equal(store_rollback(s), 0);
	assert_int_equal(store_commit(s), -1);
	assert_non_null(strstr(store_last_error(s), "not in a transaction"));
	store_close(s);
}

static void
test_open_errors(void **state)
{
	struct tmpdb	 t;
	char		*cause = NULL, *sql, *want;
	FILE		*f;

	assert_null(store_open("/nonexistent-opsbot-dir/x.db", &cause));
	assert_string_equal(cause, "cannot open database "
	    "'/nonexistent-opsbot-dir/x.db': unable to open database file");
	free(cause);
	cause = NULL;

	/* Not a database at all. */
	tmpdb_init(&t);
	assert_non_null(f = fopen(t.path, "w"));
	fputs("this is a runbook, not a database, but it is long enough "
	    "to have a header where sqlite looks for its magic string\n", f);
	fclose(f);
	assert_null(store_open(t.path, &cause));
	xasprintf(&want, "cannot open database '%s': file is not a database",
	    t.path);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	cause = NULL;
	tmpdb_release(&t);

	/* A database from a newer opsbot is refused, naming both versions. */
	tmpdb_init(&t);
	xasprintf(&sql, "CREATE TABLE future (x); PRAGMA user_version = %d;",
	    store_schema_latest() + 4);
	raw_exec(t.path, sql);
	free(sql);
	assert_null(store_open(t.path, &cause));
	xasprintf(&want, "cannot open database '%s': schema version %d is "
	    "newer than this opsbot %s knows (%d); use a newer opsbot", t.path,
	    store_schema_latest() + 4, OPSBOT_VERSION, store_schema_latest());
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	tmpdb_release(&t);
}

/* Schema version 1 as shipped: frozen here on purpose. */
static const char schema_v1[] =
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
    "CREATE INDEX audit_at ON audit (at);"
    "INSERT INTO audit (at, adapter, channel, user, command, args, status,"
    "  event_id) VALUES (1, 'slack', 'C1', 'U1', 'sop', 'hivedown', 'ok',"
    "  'Ev1');"
    "INSERT INTO audit (at, adapter, channel, user, command, args, status,"
    "  event_id) VALUES (2, 'slack', 'C1', 'U1', 'nope', '', 'unknown',"
    "  'Ev2');"
    "PRAGMA user_version = 1;";

static void
test_migrate_from_v1(void **state)
{
	struct tmpdb	 t;
	struct store	*s;
	struct audit_rec r = { 3, "slack", "C1", "U2", "help", "", "ok",
	    "Ev3" };

	tmpdb_init(&t);
	raw_exec(t.path, schema_v1);
	s = open_ok(t.path);
	assert_int_equal(store_schema_version(s), store_schema_latest());
	assert_int_equal(store_audit_count(s), 2);
	assert_int_equal(store_audit_add(s, &r), 0);
	assert_int_equal(store_audit_count(s), 3);
	assert_int_equal(store_seen_add(s, "Ev3", 3), 0);
	assert_int_equal(store_seen_has(s, "Ev3", 0), 1);
	assert_true(add_post(s, "C1", NULL, "x", NULL) > 0);
	store_close(s);
	tmpdb_release(&t);
}

static void
test_audit(void **state)
{
	struct store	*s;
	struct audit_rec r = { 1700000000, "slack", "C1", "U1", "sop",
	    "hivedown", "ok", "Ev1" };

	s = open_ok(":memory:");
	assert_int_equal(store_audit_add(s, &r), 0);
	r.event_id = NULL;
	r.status = "unknown";
	assert_int_equal(store_audit_add(s, &r), 0);
	r.channel = r.user = r.args = NULL;
	assert_int_equal(store_audit_add(s, &r), 0);
	assert_int_equal(store_audit_count(s), 3);
	store_close(s);
}

static void
test_seen(void **state)
{
	struct store	*s;

	s = open_ok(":memory:");
	assert_int_equal(store_seen_has(s, "Ev1", 0), 0);
	assert_int_equal(store_seen_add(s, "Ev1", 100), 0);
	assert_int_equal(store_seen_has(s, "Ev1", 100), 1);
	assert_int_equal(store_seen_has(s, "Ev1", 50), 1);
	assert_int_equal(store_seen_has(s, "Ev1", 101), 0);
	assert_int_equal(store_seen_has(s, "Ev2", 0), 0);

	/* Seeing it again keeps the first time. */
	assert_int_equal(store_seen_add(s, "Ev1", 200), 0);
	assert_int_equal(store_seen_has(s, "Ev1", 101), 0);

	assert_int_equal(store_seen_add(s, "C1:1700000000.000100", 300), 0);
	assert_int_equal(store_seen_prune(s, 150), 1);
	assert_int_equal(store_seen_has(s, "Ev1", 0), 0);
	assert_int_equal(store_seen_has(s, "C1:1700000000.000100", 300), 1);
	assert_int_equal(store_seen_prune(s, 150), 0);
	assert_int_equal(store_seen_prune(s, 301), 1);
	store_close(s);
}

static void
release_rows(struct post_rec *rows, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		store_post_rec_release(&rows[i]);
	free(rows);
}

static int64_t
add_post(struct store *s, const char *channel, const char *thread,
    const char *text, const char *key)
{
	struct post	 p;
	char		 order[64];

	memset(&p, 0, sizeof p);
	p.op = POST_MESSAGE;
	p.channel = channel;
	p.thread_ts = thread;
	p.text = text;
	p.key = key;
	snprintf(order, sizeof order, "%s/%s", channel, thread ? thread : "");
	return (store_post_add(s, T0_MS, &p, order));
}

/* The heads of each order key, keys, done rows kept, deferral. */
static void
test_posts(void **state)
{
	struct store	*s;
	struct post_rec	*rows = NULL;
	size_t		 n = 0;
	int64_t		 a, b, c, d;
	char		*ts = NULL, *ok = NULL;
	int		 st;

	s = open_ok(":memory:");
	a = add_post(s, "C1", NULL, "a", "k:a");
	b = add_post(s, "C1", NULL, "b", NULL);
	c = add_post(s, "C1", "1.1", "c", NULL);	/* a thread: own key */
	d = add_post(s, "C2", NULL, "d", NULL);
	assert_true(a > 0 && a < b && b < c && c < d);
	assert_int_equal(store_post_count(s), 4);
	/* The same key again adds nothing. */
	assert_int_equal(add_post(s, "C9", NULL, "again", "k:a"), 0);
	assert_int_equal(store_post_count(s), 4);

	/* One head per order key, oldest first, every field read back. */
	assert_int_equal(store_post_heads(s, 0, 10, &rows, &n), 3);
	assert_int_equal(rows[0].id, a);
	assert_int_equal(rows[0].op, POST_MESSAGE);
	assert_string_equal(rows[0].channel, "C1");
	assert_null(rows[0].thread_ts);
	assert_string_equal(rows[0].text, "a");
	assert_string_equal(rows[0].key, "k:a");
	assert_string_equal(rows[0].order_key, "C1/");
	assert_int_equal(rows[1].id, c);
	assert_string_equal(rows[1].thread_ts, "1.1");
	assert_string_equal(rows[1].order_key, "C1/1.1");
	assert_int_equal(rows[2].id, d);
	release_rows(rows, n);
	rows = NULL;
	n = 0;

	/* Deferred, a head keeps its place and its key's next waits. */
	assert_int_equal(store_post_defer(s, a, T0_MS + 60000, "http 500"), 0);
	assert_int_equal(store_post_heads(s, 0, 10, &rows, &n), 3);
	assert_int_equal(rows[0].id, a);
	assert_int_equal(rows[0].attempts, 1);
	assert_int_equal(rows[0].not_before_ms, T0_MS + 60000);
	release_rows(rows, n);
	rows = NULL;
	n = 0;

	/* Delivered: the next of its key is the head; the ts is kept. */
	assert_int_equal(store_post_done(s, a, "1700.1", T0_MS, 1), 0);
	assert_int_equal(store_post_heads(s, 0, 1, &rows, &n), 1);
	assert_int_equal(rows[0].id, b);
	release_rows(rows, n);
	rows = NULL;
	n = 0;
	assert_int_equal(store_post_by_key(s, "k:a", &ts, &st, &ok), 1);
	assert_string_equal(ts, "1700.1");
	assert_int_equal(st, 1);
	assert_string_equal(ok, "C1/");
	free(ts);
	free(ok);
	assert_int_equal(store_post_by_key(s, "k:none", &ts, &st, NULL), 0);
	assert_null(ts);
	/* ...and its key still dedupes. */
	assert_int_equal(add_post(s, "C1", NULL, "a", "k:a"), 0);

	assert_int_equal(store_post_failed(s, b, "channel_not_found",
	    T0_MS, 1), 0);
	assert_int_equal(store_post_count(s), 2);
	/* Without keep (no key), a finished row is gone at once. */
	assert_int_equal(store_post_done(s, c, "1700.2", T0_MS, 0), 0);
	assert_int_equal(store_post_count(s), 1);
	/* Finished rows go when old enough; pending ones never. */
	assert_int_equal(store_post_prune(s, T0_MS), 0);
	assert_int_equal(store_post_prune(s, T0_MS + 1), 2);
	assert_int_equal(store_post_count(s), 1);
	store_close(s);
}

/* The restart-loses-no-reply guarantee. */
static void
test_posts_persist(void **state)
{
	struct tmpdb	 t;
	struct store	*s;
	struct post_rec	*rows = NULL;
	size_t		 n = 0;
	int64_t		 a, b;

	tmpdb_init(&t);
	s = open_ok(t.path);
	a = add_post(s, "C1", NULL, "a", NULL);
	b = add_post(s, "C2", "2.2", "b", "k:b");
	assert_int_equal(store_post_defer(s, b, 1, "http 500"), 0);
	store_close(s);

	s = open_ok(t.path);
	assert_int_equal(store_post_count(s), 2);
	assert_int_equal(store_post_heads(s, 0, 10, &rows, &n), 2);
	assert_int_equal(rows[0].id, a);
	assert_string_equal(rows[0].text, "a");
	assert_int_equal(rows[1].id, b);
	assert_string_equal(rows[1].thread_ts, "2.2");
	assert_int_equal(rows[1].attempts, 1);
	release_rows(rows, n);
	store_close(s);
	tmpdb_release(&t);
}

/* Replies queued by a version 4 opsbot survive the upgrade. */
static const char schema_v4_rows[] =
    "INSERT INTO outbox (created_at, kind, target, channel, body) VALUES"
    " (5, 'chat.postMessage', NULL, 'C1', '{\"channel\":\"C1\","
    "\"text\":\"hello\",\"mrkdwn\":true,\"thread_ts\":\"9.9\"}'),"
    " (6, 'response_url', 'http://127.0.0.1:1/r', 'C2',"
    " '{\"response_type\":\"in_channel\",\"text\":\"later\"}'),"
    " (7, 'chat.postMessage', NULL, 'C3', 'not json');";

static void
test_migrate_outbox_to_posts(void **state)
{
	struct tmpdb	 t;
	struct store	*s;
	struct post_rec	*rows = NULL;
	size_t		 n = 0;
	sqlite3		*db;
	int		 i;

	tmpdb_init(&t);
	assert_int_equal(sqlite3_open(t.path, &db), SQLITE_OK);
	/* Steps 1-4 as shipped, then rows in the old table. */
	for (i = 1; i <= 4; i++)
		assert_int_equal(sqlite3_exec(db, store_migration_sql(i), NULL,
		    NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, schema_v4_rows, NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 4", NULL,
	    NULL, NULL), SQLITE_OK);
	sqlite3_close(db);

	s = open_ok(t.path);
	assert_int_equal(store_post_count(s), 2);
	assert_int_equal(store_post_heads(s, 0, 10, &rows, &n), 2);
	assert_int_equal(rows[0].op, POST_MESSAGE);
	assert_string_equal(rows[0].channel, "C1");
	assert_string_equal(rows[0].thread_ts, "9.9");
	assert_string_equal(rows[0].text, "hello");
	assert_string_equal(rows[0].order_key, "C1/9.9");
	assert_int_equal(rows[1].op, POST_RESPOND);
	assert_string_equal(rows[1].response_url, "http://127.0.0.1:1/r");
	assert_string_equal(rows[1].text, "later");
	release_rows(rows, n);
	store_close(s);
	tmpdb_release(&t);
}

static void
test_transactions(void **state)
{
	struct store	*s;
	struct audit_rec r = { 1, "console", NULL, NULL, "help", "", "ok",
	    NULL };

	s = open_ok(":memory:");
	assert_false(store_in_transaction(s));
	assert_int_equal(store_commit(s), -1);
	assert_int_equal(store_begin(s), 0);
	assert_true(store_in_transaction(s));
	assert_int_equal(store_begin(s), -1);
	assert_true(store_in_transaction(s));
	assert_int_equal(store_audit_add(s, &r), 0);
	assert_int_equal(store_commit(s), 0);
	assert_false(store_in_transaction(s));
	assert_int_equal(store_audit_count(s), 1);

	assert_int_equal(store_begin(s), 0);
	assert_int_equal(store_audit_add(s, &r), 0);
	assert_int_equal(store_seen_add(s, "Ev1", 1), 0);
	assert_int_equal(store_rollback(s), 0);
	assert_false(store_in_transaction(s));
	assert_int_equal(store_audit_count(s), 1);
	assert_int_equal(store_seen_has(s, "Ev1", 0), 0);
	store_close(s);
}

/*
 * Cuts a seed runbook into sections the way the runbook module does (a
 * heading and everything under it up to the next heading of the same or
 * a higher level; "> #" headings in quotes count) and indexes them with
 * ids from *next. The heading of each id goes into headings.
 */
static void
index_seed(struct store *s, const char *name, struct strv *headings)
{
	struct strv	 lines = { 0 };
	struct buf	 body = { 0 };
	char		*path, *line = NULL, *p;
	const char	*h;
	size_t		 len = 0, i, j;
	ssize_t		 got;
	int		 level, lj;
	FILE		*f;

	xasprintf(&path, "%s/%s", OPSBOT_SEEDS_DIR, name);
	if ((f = fopen(path, "r")) == NULL)
		fail_msg("cannot open %s", path);
	while ((got = getline(&line, &len, f)) != -1)
		strv_add(&lines, line);
	fclose(f);
	free(line);
	free(path);

	for (i = 0; i < lines.n; i++) {
		h = lines.v[i];
		if (strncmp(h, "> ", 2) == 0)
			h += 2;
		if ((level = (int)strspn(h, "#")) == 0 || h[level] != ' ')
			continue;
		for (j = i + 1; j < lines.n; j++) {
			p = lines.v[j];
			if (strncmp(p, "> ", 2) == 0)
				p += 2;
			lj = (int)strspn(p, "#");
			if (lj > 0 && lj <= level && p[lj] == ' ')
				break;
			buf_adds(&body, lines.v[j]);
		}
		p = xstrdup(h + level + 1);
		p[strcspn(p, "\r\n")] = '\0';
		assert_int_equal(store_index_add(s, (int64_t)headings->n, name,
		    p, buf_str(&body), NULL), 0);
		strv_add_new(headings, p);
		buf_reset(&body);
	}
	strv_reset(&lines);
}

static void
test_index_ranking(void **state)
{
	static const char *const seeds[] = {
		"000_dcaa39d86c36c8df.txt", "001_5f826d3462a797b7.txt",
		"002_4c217e9bee29e4fb.txt", "003_712e53d3fab084b4.txt",
		"004_e47fa480ed963588.txt",
	};
	struct store	*s;
	struct strv	 headings = { 0 };
	int64_t		 ids[8];
	size_t		 i;
	int		 n;

	s = open_ok(":memory:");
	for (i = 0; i < sizeof seeds / sizeof seeds[0]; i++)
		index_seed(s, seeds[i], &headings);
	assert_true(headings.n > 20);

	n = store_index_search(s, "pods not starting", ids, 8);
	assert_true(n >= 3);
	assert_string_equal(headings.v[ids[0]], "Pods not starting");
	/* Other sections that mention pods come after it. */
	for (i = 1; i < (size_t)n; i++)
		assert_string_not_equal(headings.v[ids[i]],
		    "Pods not starting");

	n = store_index_search(s, "Pods NOT working", ids, 8);
	assert_true(n >= 1);
	assert_string_equal(headings.v[ids[0]], "Pods not working");

	/* Porter stemming: "escalating" finds "Escalation" sections. */
	n = store_index_search(s, "escalating", ids, 8);
	assert_true(n >= 1);
	assert_non_null(strcasestr(headings.v[ids[0]], "escalat"));

	/* No section has every word: any word will do. */
	n = store_index_search(s, "hivedown xyzzyplugh", ids, 8);
	assert_true(n >= 1);
	assert_non_null(strcasestr(headings.v[ids[0]], "hivedown"));

	assert_int_equal(store_index_search(s, "xyzzyplugh", ids, 8), 0);
	assert_int_equal(store_index_search(s, "   ", ids, 8), 0);
	assert_int_equal(store_index_search(s, "pods", ids, 2), 2);

	/* Cleared, nothing is found; the index works again after. */
	assert_int_equal(store_index_clear(s), 0);
	assert_int_equal(store_index_search(s, "pods", ids, 8), 0);
	assert_int_equal(store_index_add(s, 7, "r.md", "Pods", "text", NULL), 0);
	assert_int_equal(store_index_search(s, "pods", ids, 8), 1);
	assert_int_equal(ids[0], 7);

	strv_reset(&headings);
	store_close(s);
}

static void
test_index_punctuation(void **state)
{
	static const char *const hostile[] = {
		"c++ \"quoted\" AND OR NEAR(", "\"", "\"\"", "*", "^pods",
		"heading:pods", "NEAR(pods starting, 2)", "-pods", "(", ")",
		"AND", "OR", "NOT", "pods AND", "{heading body}: pods",
		"pods*", "'; DROP TABLE outbox; --",
		"\xc3\xa9t\xc3\xa9 \xe2\x80\x9c",
	};
	struct store	*s;
	int64_t		 ids[8];
	size_t		 i;
	int		 n;

	s = open_ok(":memory:");
	assert_int_equal(store_index_add(s, 1, "lang.md", "C++ builds",
	    "the \"quoted\" compiler flags and NEAR misses", NULL), 0);
	assert_int_equal(store_index_add(s, 2, "k8s.md", "Pods",
	    "pods and more pods", NULL), 0);
	for (i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
		n = store_index_search(s, hostile[i], ids, 8);
		if (n < 0)
			fail_msg("search \"%s\" failed", hostile[i]);
	}
	/* The words are taken literally: "AND" and "NEAR" are words. */
	n = store_index_search(s, "c++ \"quoted\" AND NEAR(", ids, 8);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], 1);
	/* Not a column filter, which would find the "Pods" heading. */
	assert_int_equal(store_index_search(s, "heading:pods", ids, 8), 0);
	assert_int_equal(store_post_count(s), 0);
	store_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_memory),
		cmocka_unit_test(test_open_file_and_reopen),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_open_corrupt),
		cmocka_unit_test(test_last_error),
		cmocka_unit_test(test_migrate_from_v1),
		cmocka_unit_test(test_audit),
		cmocka_unit_test(test_seen),
		cmocka_unit_test(test_posts),
		cmocka_unit_test(test_posts_persist),
		cmocka_unit_test(test_migrate_outbox_to_posts),
		cmocka_unit_test(test_transactions),
		cmocka_unit_test(test_index_ranking),
		cmocka_unit_test(test_index_punctuation),
	};

	log_init(LOG_LVL_WARN, stderr);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
