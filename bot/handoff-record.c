/*
 * handoff-record.c: a handoff's record (bot/handoff.h): what was still
 * open at the handoff and what the bot saw during the shift, read from
 * the store into one JSON object (kept in handoffs.record, read by the
 * summaries), and its mrkdwn summary for people.
 */
#include <stdlib.h>
#include <string.h>

#include "bot/bot.h"
#include "bot/handoff.h"
#include "bot/page.h"
#include "store/store.h"

/* enum page_action as the record names it. */
static const char *
record_action_name(const char *num)
{
	static const char *const names[] = { "remind", "next", "manager",
	    "admin", "post", "vendor" };
	long	 i;

	if (num == NULL)
		return ("step");
	i = strtol(num, NULL, 10);
	if (i < 0 || i >= (long)(sizeof names / sizeof names[0]))
		return ("step");
	return (names[i]);
}

/* json_string of s, or null (new reference). */
static json_t *
jstr(const char *s)
{
	return (s != NULL ? json_string(s) : json_null());
}

static void
items_release(struct store_shift_item *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		store_shift_item_release(&v[i]);
	free(v);
}

/* "open": the rotation's pages and every open ticket. */
static int
record_open(struct store *s, const struct handoff_shift_req *q, json_t *open)
{
	struct store_shift_item	*v = NULL;
	struct store_ticket	*t = NULL;
	json_t			*pages, *tickets;
	size_t			 n = 0, nt = 0, i;
	int			 rc = -1;

	pages = json_array();
	tickets = json_array();
	json_object_set_new(open, "pages", pages);
	json_object_set_new(open, "tickets", tickets);
	if (store_handoff_open_pages(s, q->rotation, q->now_ms, &v, &n) < 0)
		goto out;
	for (i = 0; i < n; i++)
		json_array_append_new(pages, json_pack("{sI so so so sI}",
		    "id", (json_int_t)v[i].ref,
		    "summary", jstr(v[i].detail),
		    "state", jstr(v[i].what),
		    "oncall", jstr(v[i].who),
		    "opened_ms", (json_int_t)v[i].at_ms));
	if (store_ticket_list(s, TICKET_LIST_OPEN, NULL, q->now_ms, 100, &t,
	    &nt) < 0)
		goto out;
	for (i = 0; i < nt; i++)
		json_array_append_new(tickets, json_pack("{sI so so ss sI sI "
		    "sb}",
		    "id", (json_int_t)t[i].id,
		    "channel", jstr(t[i].channel),
		    "requester", jstr(t[i].requester),
		    "state", t[i].state == TICKET_OPEN ? "open" : "answered",
		    "opened_ms", (json_int_t)t[i].opened_ms,
		    "due_ms", (json_int_t)t[i].due_ms,
		    "breaching", t[i].state == TICKET_OPEN &&
		    t[i].due_ms <= q->now_ms));
	rc = 0;
out:
	items_release(v, n);
	for (i = 0; i < nt; i++)
		store_ticket_release(&t[i]);
	free(t);
	return (rc);
}

/* shift.pages and shift.steps */
static int
record_pages(struct store *s, const struct handoff_shift_req *q,
    json_t *shift)
{
	struct store_shift_item	*v = NULL;
	json_t			*a, *ack;
	size_t			 n = 0, i;
	int			 rc = -1;

	a = json_array();
	json_object_set_new(shift, "pages", a);
	if (store_handoff_shift_pages(s, q->rotation, q->shift_start_ms,
	    q->now_ms, &v, &n) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		ack = v[i].ms > 0 ? json_integer(v[i].ms - v[i].at_ms) :
		    json_null();
		json_array_append_new(a, json_pack("{sI so so sI sI so so}",
		    "id", (json_int_t)v[i].ref, "summary", jstr(v[i].detail),
		    "state", jstr(v[i].what), "opened_ms",
		    (json_int_t)v[i].at_ms, "acked_ms", (json_int_t)v[i].ms,
		    "ack_ms", ack, "acked_by", jstr(v[i].who)));
	}
	items_release(v, n);
	v = NULL;
	n = 0;
	a = json_array();
	json_object_set_new(shift, "steps", a);
	if (store_handoff_shift_steps(s, q->rotation, q->shift_start_ms,
	    q->now_ms, &v, &n) < 0)
		goto out;
	for (i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{sI ss so sI sb}",
		    "page", (json_int_t)v[i].ref,
		    "action", record_action_name(v[i].what),
		    "target", jstr(v[i].who),
		    "fired_ms", (json_int_t)v[i].at_ms,
		    "late", v[i].ms != 0));
	rc = 0;
out:
	items_release(v, n);
	return (rc);
}

/* shift.sops, shift.watch_hits, shift.tickets */
static int
record_seen(struct store *s, const struct handoff_shift_req *q,
    json_t *shift)
{
	struct store_shift_item	*v = NULL;
	json_t			*a, *tk;
	const char		*kind;
	size_t			 n = 0, i;
	int			 rc = -1;

	a = json_array();
	json_object_set_new(shift, "sops", a);
	if (store_handoff_shift_commands(s, q->shift_start_ms, q->now_ms, &v,
	    &n) < 0)
		goto out;
	for (i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{so so so sI}",
		    "command", jstr(v[i].what), "args", jstr(v[i].detail),
		    "user", jstr(v[i].who), "at_ms", (json_int_t)v[i].at_ms));
	items_release(v, n);
	v = NULL;
	n = 0;
	a = json_array();
	json_object_set_new(shift, "watch_hits", a);
	if (store_handoff_shift_watch(s, q->shift_start_ms, q->now_ms, &v,
	    &n) < 0)
		goto out;
	for (i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{so so sI}",
		    "rule", jstr(v[i].what), "channel", jstr(v[i].who),
		    "at_ms", (json_int_t)v[i].at_ms));
	items_release(v, n);
	v = NULL;
	n = 0;
	tk = json_pack("{s[] s[] s[]}", "opened", "answered", "breached");
	json_object_set_new(shift, "tickets", tk);
	if (store_handoff_shift_tickets(s, q->shift_start_ms, q->now_ms, &v,
	    &n) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		kind = v[i].what != NULL ? v[i].what : "";
		/* borrowed: the arrays made just above */
		if ((a = json_object_get(tk, kind)) != NULL)
			json_array_append_new(a, json_integer(v[i].ref));
	}
	rc = 0;
out:
	items_release(v, n);
	return (rc);
}

/* shift.duty_checks */
static int
record_duties(struct store *s, const struct handoff_shift_req *q,
    json_t *shift)
{
	struct store_shift_item	*v = NULL;
	json_t			*items;
	size_t			 n = 0, i;
	json_int_t		 done = 0, missed = 0, pending = 0;
	int			 rc = -1;

	items = json_array();
	if (store_handoff_shift_duties(s, q->rotation, q->shift_start_ms,
	    q->now_ms, &v, &n) < 0) {
		json_decref(items);
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (v[i].what != NULL && strcmp(v[i].what, "done") == 0)
			done++;
		else if (v[i].what != NULL && strcmp(v[i].what, "missed") == 0)
			missed++;
		else
			pending++;
		json_array_append_new(items, json_pack("{so sI so so}",
		    "duty", jstr(v[i].detail), "due_ms",
		    (json_int_t)v[i].at_ms, "state", jstr(v[i].what),
		    "user", jstr(v[i].who)));
	}
	json_object_set_new(shift, "duty_checks", json_pack("{sI sI sI so}",
	    "done", done, "missed", missed, "pending", pending,
	    "items", items));
	rc = 0;
out:
	items_release(v, n);
	return (rc);
}

json_t *
handoff_record_build(struct store *s, const struct handoff_shift_req *q)
{
	json_t	*rec, *open, *shift;

	rec = json_pack("{so so so sI sI sI so}",
	    "rotation", jstr(q->rotation),
	    "from", jstr(q->from_user),
	    "to", jstr(q->to_user),
	    "shift_start_ms", (json_int_t)q->shift_start_ms,
	    "shift_end_ms", (json_int_t)q->shift_end_ms,
	    "created_ms", (json_int_t)q->now_ms,
	    "notes", jstr(q->notes));
	if (rec == NULL)
		return (NULL);
	open = json_object();
	shift = json_object();
	json_object_set_new(rec, "open", open);
	json_object_set_new(rec, "shift", shift);
	if (record_open(s, q, open) != 0 || record_pages(s, q, shift) != 0 ||
	    record_seen(s, q, shift) != 0 || record_duties(s, q, shift) != 0) {
		json_decref(rec);
		return (NULL);
	}
	return (rec);
}

size_t
handoff_record_open_count(const json_t *record)
{
	const json_t	*open;

	/* all borrowed from record */
	open = json_object_get(record, "open");
	return (json_array_size(json_object_get(open, "pages")) +
	    json_array_size(json_object_get(open, "tickets")));
}

/* A string member of o, or def (borrowed). */
static const char *
jget(const json_t *o, const char *key, const char *def)
{
	const char	*s = json_string_value(json_object_get(o, key));

	return (s != NULL ? s : def);
}

static int64_t
jint(const json_t *o, const char *key)
{
	return ((int64_t)json_integer_value(json_object_get(o, key)));
}

/* "3 min", "1 h 5 min" */
static void
span_add(struct buf *b, int64_t ms)
{
	int64_t	 min = (ms + 59999) / 60000;

	if (min >= 60)
		buf_printf(b, "%lld h %lld min", (long long)(min / 60),
		    (long long)(min % 60));
	else
		buf_printf(b, "%lld min", (long long)min);
}

/* "… and N more" after HANDOFF_TEXT_ITEMS; 1 if item i is past them. */
static int
more_add(struct buf *b, size_t i, size_t n)
{
	if (i < HANDOFF_TEXT_ITEMS)
		return (0);
	if (i == HANDOFF_TEXT_ITEMS)
		buf_printf(b, "\n    … and %zu more", n - i);
	return (1);
}

static void
text_open(struct buf *b, const json_t *rec, const char *adapter,
    const char *zone, int64_t now_ms)
{
	const json_t	*open, *pages, *tickets, *it;
	size_t		 i;

	open = json_object_get(rec, "open");
	pages = json_object_get(open, "pages");
	tickets = json_object_get(open, "tickets");
	buf_adds(b, "\n*Still open*");
	if (json_array_size(pages) + json_array_size(tickets) == 0)
		buf_adds(b, "\n• Nothing: no page, no ticket.");
	json_array_foreach(pages, i, it) {
		if (more_add(b, i, json_array_size(pages)))
			break;
		buf_printf(b, "\n• Page *#%lld* (%s", (long long)jint(it, "id"),
		    jget(it, "state", "open"));
		if (json_string_value(json_object_get(it, "oncall")) != NULL) {
			buf_adds(b, ", paged ");
			page_user_add(b, adapter, jget(it, "oncall", ""));
		}
		buf_adds(b, "): ");
		mrkdwn_escape(b, jget(it, "summary", ""),
		    strlen(jget(it, "summary", "")));
	}
	json_array_foreach(tickets, i, it) {
		if (more_add(b, i, json_array_size(tickets)))
			break;
		buf_printf(b, "\n• Ticket *#%lld* (%s", (long long)jint(it,
		    "id"), jget(it, "state", "open"));
		if (json_is_true(json_object_get(it, "breaching"))) {
			buf_adds(b, ", *breaching*: was due ");
			page_when_add(b, jint(it, "due_ms"), now_ms, zone);
		}
		buf_adds(b, ") from ");
		page_user_add(b, adapter, jget(it, "requester", "?"));
	}
}

static void
text_shift(struct buf *b, const json_t *rec, const char *adapter)
{
	const json_t	*shift, *a, *it, *tk, *dc;
	size_t		 i;

	shift = json_object_get(rec, "shift");
	buf_adds(b, "\n*During the shift*");
	a = json_object_get(shift, "pages");
	buf_printf(b, "\n• Pages opened: %zu", json_array_size(a));
	json_array_foreach(a, i, it) {
		if (more_add(b, i, json_array_size(a)))
			break;
		buf_printf(b, "\n    #%lld ", (long long)jint(it, "id"));
		mrkdwn_escape(b, jget(it, "summary", ""),
		    strlen(jget(it, "summary", "")));
		if (json_is_integer(json_object_get(it, "ack_ms"))) {
			buf_adds(b, ": acked in ");
			span_add(b, jint(it, "ack_ms"));
		} else
			buf_adds(b, ": not acked");
	}
	a = json_object_get(shift, "steps");
	buf_printf(b, "\n• Escalation steps fired: %zu", json_array_size(a));
	json_array_foreach(a, i, it) {
		if (more_add(b, i, json_array_size(a)))
			break;
		buf_printf(b, "\n    page #%lld: %s", (long long)jint(it,
		    "page"), jget(it, "action", "step"));
		if (json_is_true(json_object_get(it, "late")))
			buf_adds(b, " (late)");
	}
	a = json_object_get(shift, "sops");
	buf_printf(b, "\n• SOPs and escalations posted: %zu",
	    json_array_size(a));
	json_array_foreach(a, i, it) {
		if (more_add(b, i, json_array_size(a)))
			break;
		buf_adds(b, "\n    `");
		mrkdwn_escape(b, jget(it, "command", ""),
		    strlen(jget(it, "command", "")));
		buf_adds(b, " ");
		mrkdwn_escape(b, jget(it, "args", ""),
		    strlen(jget(it, "args", "")));
		buf_adds(b, "` by ");
		page_user_add(b, adapter, jget(it, "user", "?"));
	}
	a = json_object_get(shift, "watch_hits");
	buf_printf(b, "\n• Watch hits: %zu", json_array_size(a));
	tk = json_object_get(shift, "tickets");
	buf_printf(b, "\n• Tickets: %zu opened, %zu answered, %zu breached",
	    json_array_size(json_object_get(tk, "opened")),
	    json_array_size(json_object_get(tk, "answered")),
	    json_array_size(json_object_get(tk, "breached")));
	dc = json_object_get(shift, "duty_checks");
	if (json_array_size(json_object_get(dc, "items")) > 0)
		buf_printf(b, "\n• Duty checks: %lld done, %lld missed, "
		    "%lld pending", (long long)jint(dc, "done"),
		    (long long)jint(dc, "missed"),
		    (long long)jint(dc, "pending"));
}

char *
handoff_record_text_new(const json_t *rec, const char *adapter,
    const char *zone, int64_t now_ms)
{
	struct buf	 b;
	const char	*notes;

	memset(&b, 0, sizeof b);
	buf_adds(&b, "*Handoff of ");
	mrkdwn_escape(&b, jget(rec, "rotation", "?"),
	    strlen(jget(rec, "rotation", "?")));
	buf_adds(&b, "*: ");
	page_user_add(&b, adapter, jget(rec, "from", "?"));
	buf_adds(&b, " → ");
	page_user_add(&b, adapter, jget(rec, "to", "?"));
	buf_adds(&b, ", ");
	page_when_add(&b, jint(rec, "created_ms"), now_ms, zone);
	buf_adds(&b, "\nShift: ");
	page_when_add(&b, jint(rec, "shift_start_ms"), now_ms, zone);
	buf_adds(&b, " to ");
	page_when_add(&b, jint(rec, "shift_end_ms"), now_ms, zone);
	if ((notes = jget(rec, "notes", NULL)) != NULL && *notes != '\0') {
		buf_adds(&b, "\nNotes: ");
		mrkdwn_escape(&b, notes, strlen(notes));
	}
	text_open(&b, rec, adapter, zone, now_ms);
	text_shift(&b, rec, adapter);
	return (buf_release(&b));
}
