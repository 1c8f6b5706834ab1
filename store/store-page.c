/*
 * store-page.c: pages, their escalation steps and their events
 * (bot/page.h). A page's state, its steps' timers and its events change
 * together (one savepoint each), so no page is left with a clock that
 * does not match it, and each step fires at most once: fired_ms goes
 * from 0 once, in the transaction that claims its timer.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bot/bot.h"
#include "store/store-private.h"

/* A step's timer names it so: ref "page-step:<step id>". */
#define PAGE_STEP_REF	"page-step:"

#define PAGE_COLUMNS \
    "id, adapter, rotation, summary, severity, policy, opened_by, oncall," \
    " channel, ts, opened_ms, ack_due_ms, state, acked_by, acked_ms," \
    " resolved_by, resolved_ms, note, needhelp_ms"
#define STEP_COLUMNS \
    "id, page, phase, idx, action, arg, critical_only, due_ms, timer," \
    " fired_ms, late, skipped, target"

static const char sql_add[] =
    "INSERT INTO pages (idem_key, adapter, rotation, summary, severity,"
    " policy, opened_by, oncall, channel, opened_ms, ack_due_ms)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
    " ON CONFLICT (idem_key) DO NOTHING";
static const char sql_by_key[] = "SELECT id FROM pages WHERE idem_key = ?1";
static const char sql_get[] =
    "SELECT " PAGE_COLUMNS " FROM pages WHERE id = ?1";
/*
 * The page whose message is ts: known once learnt (pages.ts), else
 * through the delivered post of key "page:<id>" (the outbox keeps it
 * with its ts for days: store-post.c), so a reply in the thread finds
 * its page as soon as the message is out. The channel only ranks: a
 * page posted to "#name" is met in a thread of the channel's ID, and a
 * message ts is unique within a channel, rarely beyond.
 */
static const char sql_by_thread[] =
    "SELECT " PAGE_COLUMNS " FROM pages"
    " WHERE ts = ?2 OR (ts IS NULL AND 'page:' || id IN"
    " (SELECT idem_key FROM posts WHERE ts = ?2))"
    " ORDER BY channel = ?1 DESC, id LIMIT 1";
static const char sql_set_ts[] = "UPDATE pages SET ts = ?2 WHERE id = ?1";
static const char sql_ack[] =
    "UPDATE pages SET state = 'acked', acked_by = ?2, acked_ms = ?3"
    " WHERE id = ?1 AND state = 'open'";
static const char sql_resolve[] =
    "UPDATE pages SET state = 'resolved', resolved_by = ?2,"
    " resolved_ms = ?3, note = ?4 WHERE id = ?1 AND state <> 'resolved'";
static const char sql_needhelp[] =
    "UPDATE pages SET needhelp_ms = ?2"
    " WHERE id = ?1 AND needhelp_ms = 0 AND state <> 'resolved'";
static const char sql_step_add[] =
    "INSERT INTO page_steps (page, phase, idx, action, arg, critical_only,"
    " due_ms, fired_ms, skipped, target)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
    " ON CONFLICT (page, phase, idx) DO NOTHING";
static const char sql_step_timer[] =
    "UPDATE page_steps SET timer = ?2 WHERE id = ?1";
static const char sql_step_get[] =
    "SELECT " STEP_COLUMNS " FROM page_steps WHERE id = ?1";
static const char sql_steps[] =
    "SELECT " STEP_COLUMNS " FROM page_steps WHERE page = ?1"
    " ORDER BY due_ms, phase, idx";
/* fired_ms = 0 AND skipped = 0: the only way a step fires once. */
static const char sql_step_done[] =
    "UPDATE page_steps SET fired_ms = ?2, late = ?3, skipped = ?4,"
    " target = ?5 WHERE id = ?1 AND fired_ms = 0 AND skipped = 0";
static const char sql_next_step[] =
    "SELECT " STEP_COLUMNS " FROM page_steps"
    " WHERE page = ?1 AND fired_ms = 0 AND skipped = 0 AND timer > 0"
    " AND (SELECT state FROM timers WHERE timers.id = page_steps.timer)"
    " = 'pending' ORDER BY due_ms, phase, idx LIMIT 1";
static const char sql_event[] =
    "INSERT INTO page_events (page, at_ms, kind, actor, detail)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";
static const char sql_events[] =
    "SELECT at_ms, kind, actor, detail FROM page_events"
    " WHERE page = ?1 ORDER BY id LIMIT ?2";

static enum page_state
page_state_of(const unsigned char *v)
{
	if (v != NULL && strcmp((const char *)v, "acked") == 0)
		return (PAGE_ACKED);
	if (v != NULL && strcmp((const char *)v, "resolved") == 0)
		return (PAGE_RESOLVED);
	return (PAGE_OPEN);
}

static void
page_from_row(sqlite3_stmt *st, void *out)
{
	struct store_page	*p = out;

	memset(p, 0, sizeof *p);
	p->id = sqlite3_column_int64(st, 0);
	p->adapter = store_column_strdup(st, 1);
	p->rotation = store_column_strdup(st, 2);
	p->summary = store_column_strdup(st, 3);
	p->severity = store_column_strdup(st, 4);
	p->policy = store_column_strdup(st, 5);
	p->opened_by = store_column_strdup(st, 6);
	p->oncall = store_column_strdup(st, 7);
	p->channel = store_column_strdup(st, 8);
	p->ts = store_column_strdup(st, 9);
	p->opened_ms = sqlite3_column_int64(st, 10);
	p->ack_due_ms = sqlite3_column_int64(st, 11);
	p->state = page_state_of(sqlite3_column_text(st, 12));
	p->acked_by = store_column_strdup(st, 13);
	p->acked_ms = sqlite3_column_int64(st, 14);
	p->resolved_by = store_column_strdup(st, 15);
	p->resolved_ms = sqlite3_column_int64(st, 16);
	p->note = store_column_strdup(st, 17);
	p->needhelp_ms = sqlite3_column_int64(st, 18);
}

static void
step_from_row(sqlite3_stmt *st, void *out)
{
	struct store_page_step	*s = out;

	memset(s, 0, sizeof *s);
	s->id = sqlite3_column_int64(st, 0);
	s->page = sqlite3_column_int64(st, 1);
	s->phase = sqlite3_column_int(st, 2);
	s->idx = sqlite3_column_int(st, 3);
	s->action = sqlite3_column_int(st, 4);
	s->arg = store_column_strdup(st, 5);
	s->critical_only = sqlite3_column_int(st, 6);
	s->due_ms = sqlite3_column_int64(st, 7);
	s->timer = sqlite3_column_int64(st, 8);
	s->fired_ms = sqlite3_column_int64(st, 9);
	s->late = sqlite3_column_int(st, 10);
	s->skipped = sqlite3_column_int(st, 11);
	s->target = store_column_strdup(st, 12);
}

/* sql_events' columns: at_ms, kind, actor, detail. */
static void
event_from_row(sqlite3_stmt *st, void *out)
{
	struct store_page_event	*e = out;

	memset(e, 0, sizeof *e);
	e->at_ms = sqlite3_column_int64(st, 0);
	e->kind = store_column_strdup(st, 1);
	e->actor = store_column_strdup(st, 2);
	e->detail = store_column_strdup(st, 3);
}

void
store_page_release(struct store_page *p)
{
	if (p == NULL)
		return;
	free(p->adapter);
	free(p->rotation);
	free(p->summary);
	free(p->severity);
	free(p->policy);
	free(p->opened_by);
	free(p->oncall);
	free(p->channel);
	free(p->ts);
	free(p->acked_by);
	free(p->resolved_by);
	free(p->note);
	memset(p, 0, sizeof *p);
}

void
store_page_step_release(struct store_page_step *s)
{
	if (s == NULL)
		return;
	free(s->arg);
	free(s->target);
	memset(s, 0, sizeof *s);
}

void
store_page_event_release(struct store_page_event *e)
{
	if (e == NULL)
		return;
	free(e->kind);
	free(e->actor);
	free(e->detail);
	memset(e, 0, sizeof *e);
}

int
store_page_event_add(struct store *s, int64_t id, int64_t at_ms,
    const char *kind, const char *actor, const char *detail)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql_event)) == NULL)
		return (-1);
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, at_ms) != SQLITE_OK ||
	    store_bind_text(st, 3, kind) != SQLITE_OK ||
	    store_bind_text(st, 4, actor) != SQLITE_OK ||
	    store_bind_text(st, 5, detail) != SQLITE_OK)
		return (store_fail(s, st, "store_page_event_add"));
	return (store_step_done(s, st, "store_page_event_add"));
}

/* 1 added, 0 the key was taken (*id set), -1. */
static int
page_insert(struct store *s, const struct page_add *a, int64_t *id)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql_add)) == NULL)
		return (-1);
	if (store_bind_text(st, 1, a->key) != SQLITE_OK ||
	    store_bind_text(st, 2, a->adapter) != SQLITE_OK ||
	    store_bind_text(st, 3, a->rotation) != SQLITE_OK ||
	    store_bind_text(st, 4, a->summary) != SQLITE_OK ||
	    store_bind_text(st, 5, a->severity) != SQLITE_OK ||
	    store_bind_text(st, 6, a->policy) != SQLITE_OK ||
	    store_bind_text(st, 7, a->opened_by) != SQLITE_OK ||
	    store_bind_text(st, 8, a->oncall) != SQLITE_OK ||
	    store_bind_text(st, 9, a->channel) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 10, a->now_ms) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 11, a->ack_due_ms) != SQLITE_OK)
		return (store_fail(s, st, "store_page_add"));
	if (store_step_done(s, st, "store_page_add") != 0)
		return (-1);
	if (sqlite3_changes(s->db) == 1) {
		*id = sqlite3_last_insert_rowid(s->db);
		return (1);
	}
	if ((st = store_prep(s, sql_by_key)) == NULL)
		return (-1);
	if (store_bind_text(st, 1, a->key) != SQLITE_OK)
		return (store_fail(s, st, "store_page_add: by key"));
	if (store_step_int(s, st, "store_page_add: by key", id) != 0)
		return (-1);
	return (0);
}

int64_t
store_page_add(struct store *s, const struct page_add *a, int *added)
{
	int64_t	 id = 0;
	int	 rc;

	if (store_savepoint(s, "page: savepoint") != 0)
		return (-1);
	if ((rc = page_insert(s, a, &id)) < 0)
		goto fail;
	if (rc == 1 && store_page_event_add(s, id, a->now_ms, "opened",
	    a->opened_by, a->oncall != NULL ? a->oncall : "nobody on call") !=
	    0)
		goto fail;
	if (store_savepoint_release(s, "page: release") != 0)
		goto fail;
	*added = rc;
	return (id);

fail:
	store_savepoint_undo(s, "page: undo");
	return (-1);
}

int
store_page_get(struct store *s, int64_t id, struct store_page *p)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql_get)) == NULL)
		return (-1);
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK)
		return (store_fail(s, st, "store_page_get"));
	return (store_step_one(s, st, "store_page_get", page_from_row, p));
}

int
store_page_by_thread(struct store *s, const char *channel, const char *ts,
    struct store_page *p)
{
	sqlite3_stmt	*st;

	if (channel == NULL || ts == NULL)
		return (0);
	if ((st = store_prep(s, sql_by_thread)) == NULL)
		return (-1);
	if (store_bind_text(st, 1, channel) != SQLITE_OK ||
	    store_bind_text(st, 2, ts) != SQLITE_OK)
		return (store_fail(s, st, "store_page_by_thread"));
	return (store_step_one(s, st, "store_page_by_thread",
	    page_from_row, p));
}

static const char sql_only_open[] =
    "SELECT " PAGE_COLUMNS " FROM pages"
    " WHERE channel = ?1 AND state != 'resolved' ORDER BY id DESC LIMIT 2";

int
store_page_only_open(struct store *s, const char *channel,
    struct store_page *p)
{
	sqlite3_stmt	*st;
	int		 rc, n = 0;

	if ((st = store_prep(s, sql_only_open)) == NULL)
		return (-1);
	if (store_bind_text(st, 1, channel) != SQLITE_OK)
		return (store_fail(s, st, "store_page_only_open"));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n++ == 0)
			page_from_row(st, p);
	}
	if (rc != SQLITE_DONE) {
		if (n > 0)
			store_page_release(p);
		return (store_fail(s, st, "store_page_only_open"));
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (n > 1) {
		store_page_release(p);
		return (2);
	}
	return (n);
}

int
store_page_set_ts(struct store *s, int64_t id, const char *ts)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql_set_ts)) == NULL)
		return (-1);
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
	    store_bind_text(st, 2, ts) != SQLITE_OK)
		return (store_fail(s, st, "store_page_set_ts"));
	return (store_step_done(s, st, "store_page_set_ts"));
}

static int
step_set_timer(struct store *s, int64_t id, int64_t timer)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql_step_timer)) == NULL)
		return (-1);
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, timer) != SQLITE_OK)
		return (store_fail(s, st, "store_page_step_add: timer"));
	return (store_step_done(s, st, "store_page_step_add: timer"));
}

/* The step row; 1 added (*id), 0 its key was taken, -1. */
static int
step_insert(struct store *s, const struct page_step_add *a, int64_t *id)
{
	sqlite3_stmt	*st;
	int		 skipped = a->timer_kind == NULL;

	if ((st = store_prep(s, sql_step_add)) == NULL)
		return (-1);
	if (sqlite3_bind_int64(st, 1, a->page) != SQLITE_OK ||
	    sqlite3_bind_int(st, 2, a->phase) != SQLITE_OK ||
	    sqlite3_bind_int(st, 3, a->idx) != SQLITE_OK ||
	    sqlite3_bind_int(st, 4, a->action) != SQLITE_OK ||
	    store_bind_text(st, 5, a->arg) != SQLITE_OK ||
	    sqlite3_bind_int(st, 6, a->critical_only) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 7, a->due_ms) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 8, skipped ? a->now_ms : 0) != SQLITE_OK ||
	    sqlite3_bind_int(st, 9, skipped) != SQLITE_OK ||
	    store_bind_text(st, 10, skipped ? a->why : NULL) != SQLITE_OK)
		return (store_fail(s, st, "store_page_step_add"));
	if (store_step_done(s, st, "store_page_step_add") != 0)
		return (-1);
	if (sqlite3_changes(s->db) != 1)
		return (0);
	*id = sqlite3_last_insert_rowid(s->db);
	return (1);
}

int64_t
store_page_step_add(struct store *s, const struct page_step_add *a)
{
	char	*ref = NULL, *key = NULL, *detail = NULL;
	int64_t	 id = 0, timer;
	int	 rc;

	if (store_savepoint(s, "page step: savepoint") != 0)
		return (-1);
	if ((rc = step_insert(s, a, &id)) < 0)
		goto fail;
	if (rc == 0)
		goto done;
	if (a->timer_kind == NULL) {
		xasprintf(&detail, "%s step %d: %s", a->phase == 0 ? "policy" :
		    "needhelp", a->idx + 1, a->why != NULL ? a->why :
		    "nobody to tell");
		if (store_page_event_add(s, a->page, a->now_ms, "skipped",
		    NULL, detail) != 0)
			goto fail;
		goto done;
	}
	xasprintf(&ref, PAGE_STEP_REF "%lld", (long long)id);
	xasprintf(&key, "page-step:%lld:%d:%d", (long long)a->page, a->phase,
	    a->idx);
	if ((timer = store_timer_add(s, a->now_ms, a->due_ms, a->timer_kind,
	    ref, key)) < 0 || step_set_timer(s, id, timer) != 0)
		goto fail;
done:
	if (store_savepoint_release(s, "page step: release") != 0)
		goto fail;
	free(detail);
	free(ref);
	free(key);
	return (id);

fail:
	store_savepoint_undo(s, "page step: undo");
	free(detail);
	free(ref);
	free(key);
	return (-1);
}

int
store_page_step_by_ref(struct store *s, const char *ref,
    struct store_page_step *out)
{
	sqlite3_stmt	*st;
	const char	*digits;
	char		*end;
	long long	 id;

	if (ref == NULL || strncmp(ref, PAGE_STEP_REF,
	    sizeof PAGE_STEP_REF - 1) != 0)
		return (0);
	digits = ref + sizeof PAGE_STEP_REF - 1;
	if (*digits < '0' || *digits > '9')
		return (0);
	errno = 0;
	id = strtoll(digits, &end, 10);
	if (errno != 0 || *end != '\0' || id <= 0)
		return (0);
	if ((st = store_prep(s, sql_step_get)) == NULL)
		return (-1);
	if (sqlite3_bind_int64(st, 1, (int64_t)id) != SQLITE_OK)
		return (store_fail(s, st, "store_page_step_by_ref"));
	return (store_step_one(s, st, "store_page_step_by_ref", step_from_row,
	    out));
}

int
store_page_steps(struct store *s, int64_t page, struct store_page_step **v,
    size_t *n)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql_steps)) == NULL)
		return (-1);
	if (sqlite3_bind_int64(st, 1, page) != SQLITE_OK)
		return (store_fail(s, st, "store_page_steps"));
	return (store_step_rows(s, st, "store_page_steps", SIZE_MAX,
	    step_from_row, NULL, v, sizeof **v, n));
}

int
store_page_step_done(struct store *s, int64_t id, int64_t at_ms, int late,
    int skipped, const char *target, const char *detail)
{
	struct store_page_step	 step;
	sqlite3_stmt		*st;
	int			 rc, changed = 0;

	memset(&step, 0, sizeof step);
	if (store_savepoint(s, "page step: savepoint") != 0)
		return (-1);
	if ((st = store_prep(s, sql_step_get)) == NULL)
		goto fail;
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK) {
		store_fail(s, st, "store_page_step_done");
		goto fail;
	}
	if ((rc = store_step_one(s, st, "store_page_step_done", step_from_row,
	    &step)) < 0)
		goto fail;
	if (rc == 0)
		goto done;
	if ((st = store_prep(s, sql_step_done)) == NULL)
		goto fail;
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, at_ms) != SQLITE_OK ||
	    sqlite3_bind_int(st, 3, late != 0) != SQLITE_OK ||
	    sqlite3_bind_int(st, 4, skipped != 0) != SQLITE_OK ||
	    store_bind_text(st, 5, target) != SQLITE_OK) {
		store_fail(s, st, "store_page_step_done");
		goto fail;
	}
	if (store_step_done(s, st, "store_page_step_done") != 0)
		goto fail;
	if ((changed = sqlite3_changes(s->db) > 0) &&
	    store_page_event_add(s, step.page, at_ms, skipped ? "skipped" :
	    "step", NULL, detail) != 0)
		goto fail;
done:
	if (store_savepoint_release(s, "page step: release") != 0)
		goto fail;
	store_page_step_release(&step);
	return (changed);

fail:
	store_savepoint_undo(s, "page step: undo");
	store_page_step_release(&step);
	return (-1);
}

int
store_page_next_step(struct store *s, int64_t page,
    struct store_page_step *out)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql_next_step)) == NULL)
		return (-1);
	if (sqlite3_bind_int64(st, 1, page) != SQLITE_OK)
		return (store_fail(s, st, "store_page_next_step"));
	return (store_step_one(s, st, "store_page_next_step", step_from_row,
	    out));
}

/*
 * Cancels the timers of page's steps that have not fired, of phase
 * (-1: every phase).
 */
static int
page_cancel_steps(struct store *s, int64_t page, int phase)
{
	struct store_page_step	*v = NULL;
	size_t			 n = 0, i;
	int			 rc = -1;

	if (store_page_steps(s, page, &v, &n) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		if (v[i].timer <= 0 || v[i].fired_ms != 0 ||
		    (phase >= 0 && v[i].phase != phase))
			continue;
		if (store_timer_cancel(s, v[i].timer) < 0)
			goto out;
	}
	rc = 0;
out:
	for (i = 0; i < n; i++)
		store_page_step_release(&v[i]);
	free(v);
	return (rc);
}

/* Runs a state change st (bound) and its event, in a savepoint. */
static int
page_change(struct store *s, sqlite3_stmt *st, int64_t id, int cancel_phase,
    int64_t at_ms, const char *kind, const char *user, const char *detail)
{
	int	 changed;

	if (store_savepoint(s, "page: savepoint") != 0) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		return (-1);
	}
	if (store_step_done(s, st, kind) != 0)
		goto fail;
	if ((changed = sqlite3_changes(s->db) > 0) &&
	    ((cancel_phase != -2 && page_cancel_steps(s, id, cancel_phase) !=
	    0) || store_page_event_add(s, id, at_ms, kind, user, detail) != 0))
		goto fail;
	if (store_savepoint_release(s, "page: release") != 0)
		goto fail;
	return (changed);

fail:
	store_savepoint_undo(s, "page: undo");
	return (-1);
}

int
store_page_ack(struct store *s, int64_t id, const char *user, int64_t at_ms)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql_ack)) == NULL)
		return (-1);
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
	    store_bind_text(st, 2, user) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 3, at_ms) != SQLITE_OK)
		return (store_fail(s, st, "store_page_ack"));
	/* needhelp's steps go on: help is what the acker asked for */
	return (page_change(s, st, id, 0, at_ms, "acked", user, NULL));
}

int
store_page_resolve(struct store *s, int64_t id, const char *user,
    const char *note, int64_t at_ms)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql_resolve)) == NULL)
		return (-1);
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
	    store_bind_text(st, 2, user) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 3, at_ms) != SQLITE_OK ||
	    store_bind_text(st, 4, note) != SQLITE_OK)
		return (store_fail(s, st, "store_page_resolve"));
	return (page_change(s, st, id, -1, at_ms, "resolved", user, note));
}

int
store_page_needhelp(struct store *s, int64_t id, const char *user,
    int64_t at_ms)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql_needhelp)) == NULL)
		return (-1);
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, at_ms) != SQLITE_OK)
		return (store_fail(s, st, "store_page_needhelp"));
	return (page_change(s, st, id, -2, at_ms, "needhelp", user, NULL));
}

int
store_page_events(struct store *s, int64_t id, size_t max,
    struct store_page_event **v, size_t *n)
{
	sqlite3_stmt	*st;

	if (max > INT32_MAX)
		max = INT32_MAX;
	if ((st = store_prep(s, sql_events)) == NULL)
		return (-1);
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, (int64_t)max) != SQLITE_OK)
		return (store_fail(s, st, "store_page_events"));
	/* What was read stays the caller's, even on an error. */
	return (store_step_rows(s, st, "store_page_events", max,
	    event_from_row, NULL, v, sizeof **v, n));
}

/* The page whose needhelp step posted message ts (its key "timer:<id>"). */
static const char sql_by_help_post[] =
    "SELECT ps.page FROM page_steps ps JOIN posts p"
    " ON p.idem_key = 'timer:' || ps.timer"
    " WHERE ps.phase = 1 AND ps.timer > 0 AND p.ts = ?1"
    " ORDER BY ps.page DESC LIMIT 1";
static const char sql_helped[] =
    "UPDATE pages SET helped_ms = ?3, helped_by = ?2"
    " WHERE id = ?1 AND needhelp_ms > 0 AND helped_ms = 0"
    " AND state <> 'resolved'";

/* store_row_fn: the row's first column, an id. */
static void
page_id_from_row(sqlite3_stmt *st, void *out)
{
	*(int64_t *)out = sqlite3_column_int64(st, 0);
}

int64_t
store_page_by_help_post(struct store *s, const char *ts)
{
	sqlite3_stmt	*st;
	int64_t		 id = 0;

	if (ts == NULL)
		return (0);
	if ((st = store_prep(s, sql_by_help_post)) == NULL)
		return (-1);
	if (store_bind_text(st, 1, ts) != SQLITE_OK)
		return (store_fail(s, st, "store_page_by_help_post"));
	if (store_step_one(s, st, "store_page_by_help_post", page_id_from_row,
	    &id) < 0)
		return (-1);
	return (id);
}

int
store_page_helped(struct store *s, int64_t id, const char *user,
    int64_t at_ms)
{
	sqlite3_stmt	*st;

	if ((st = store_prep(s, sql_helped)) == NULL)
		return (-1);
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
	    store_bind_text(st, 2, user) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 3, at_ms) != SQLITE_OK)
		return (store_fail(s, st, "store_page_helped"));
	return (page_change(s, st, id, 1, at_ms, "helped", user, NULL));
}
