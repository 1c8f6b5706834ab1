/*
 * report-format.c: a report (bot/report.h) as people and spreadsheets
 * read it: mrkdwn for `summary` and the scheduled post, CSV and JSON for
 * `opsbot report`.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bot/config.h"
#include "bot/mrkdwn.h"
#include "bot/oncall.h"
#include "bot/report.h"
#include "bot/tz.h"
#include "bot/util.h"

/* "45s", "4m05s", "1h02m"; "-" for none (ms < 0). */
static void
report_duration(struct buf *b, int64_t ms)
{
	int64_t	 s;

	if (ms < 0) {
		buf_adds(b, "-");
		return;
	}
	s = (ms + 500) / 1000;
	if (s < 60)
		buf_printf(b, "%" PRId64 "s", s);
	else if (s < 3600)
		buf_printf(b, "%" PRId64 "m%02" PRId64 "s", s / 60, s % 60);
	else
		buf_printf(b, "%" PRId64 "h%02" PRId64 "m", s / 3600,
		    s / 60 % 60);
}

/* The local date of at_ms in tz, "2026-11-23"; UTC if tz fails. */
static void
report_date(struct buf *b, const char *tz, int64_t at_ms)
{
	struct tz_time	 t;
	int64_t		 secs = at_ms / 1000 - (at_ms % 1000 < 0);

	if (tz_local(tz, secs, &t) != 0 && tz_local("UTC", secs, &t) != 0) {
		buf_adds(b, "?");
		return;
	}
	buf_printf(b, "%04d-%02d-%02d", t.year, t.mon, t.mday);
}

/* The person's display name (config), else the user ID; escaped. */
static void
report_who(struct buf *b, const struct config *cfg, const char *rotation,
    const char *user)
{
	const struct rotation	*rot;
	const char		*name = NULL;

	if (cfg != NULL && (rot = rotation_find(cfg, rotation)) != NULL)
		name = rotation_member_name(rot, user);
	if (name != NULL && *name != '\0')
		mrkdwn_escape(b, name, strlen(name));
	else
		mrkdwn_escape(b, user, strlen(user));
}

/* The total's sentence. */
static void
report_total_mrkdwn(struct buf *b, const struct report_row *row)
{
	buf_printf(b, "*%s*: %" PRId64 " page%s", row->rotation, row->pages,
	    row->pages == 1 ? "" : "s");
	if (row->pages > 0) {
		buf_printf(b, " (%" PRId64 " business hours, %" PRId64
		    " off-hours, %" PRId64 " sleep hours)", row->business,
		    row->offhours, row->sleep);
		buf_adds(b, ", time to ack median ");
		report_duration(b, row->ack_median_ms);
		buf_adds(b, ", 90th percentile ");
		report_duration(b, row->ack_p90_ms);
		buf_adds(b, ", worst ");
		report_duration(b, row->ack_worst_ms);
		buf_printf(b, ", %" PRId64 " not acknowledged",
		    row->pages_unacked);
	}
	buf_printf(b, "; %" PRId64 " escalation step%s fired; "
	    "%" PRId64 " handoff%s (%" PRId64 " acked, %" PRId64 " late); "
	    "duties %" PRId64 " done, %" PRId64 " missed\n", row->steps,
	    row->steps == 1 ? "" : "s", row->handoffs,
	    row->handoffs == 1 ? "" : "s", row->handoffs_acked,
	    row->handoffs_late, row->duties_done, row->duties_missed);
}

/* The widest name of rows [i, j), at least "person", at most 32. */
static int
report_who_width(const struct config *cfg, const struct report_row *rows,
    size_t i, size_t j)
{
	struct buf	 who = { NULL, 0, 0 };
	int		 w = 6;

	for (; i < j; i++) {
		buf_truncate(&who, 0);
		report_who(&who, cfg, rows[i].rotation, rows[i].user);
		if (who.len > (size_t)w)
			w = who.len > 32 ? 32 : (int)who.len;
	}
	buf_reset(&who);
	return (w);
}

/* One person's line of the table, the name column w wide. */
static void
report_person_mrkdwn(struct buf *b, const struct config *cfg,
    const struct report_row *row, int w)
{
	struct buf	 who = { NULL, 0, 0 }, t = { NULL, 0, 0 };

	report_who(&who, cfg, row->rotation, row->user);
	buf_printf(b, "%-*s %5" PRId64 " ", w, buf_str(&who), row->pages);
	report_duration(&t, row->ack_median_ms);
	buf_printf(b, "%7s ", buf_str(&t));
	buf_truncate(&t, 0);
	report_duration(&t, row->ack_p90_ms);
	buf_printf(b, "%7s ", buf_str(&t));
	buf_truncate(&t, 0);
	report_duration(&t, row->ack_worst_ms);
	buf_printf(b, "%7s ", buf_str(&t));
	buf_truncate(&t, 0);
	buf_printf(&t, "%" PRId64 "/%" PRId64 "/%" PRId64, row->business,
	    row->offhours, row->sleep);
	buf_printf(b, "%5" PRId64 " %5" PRId64 " %-13s ", row->pages_unacked,
	    row->steps, buf_str(&t));
	buf_truncate(&t, 0);
	buf_printf(&t, "%" PRId64 "/%" PRId64 "/%" PRId64, row->handoffs,
	    row->handoffs_acked, row->handoffs_late);
	buf_printf(b, "%-10s %" PRId64 "/%" PRId64 "\n", buf_str(&t),
	    row->duties_done, row->duties_missed);
	buf_reset(&t);
	buf_reset(&who);
}

static void
report_tickets_mrkdwn(struct buf *b, const struct report_tickets *t,
    const char *label)
{
	if (label != NULL) {
		buf_adds(b, "• ");
		mrkdwn_escape(b, label, strlen(label));
		buf_adds(b, ": ");
	}
	buf_printf(b, "%" PRId64 " opened, %" PRId64 " answered within SLA, "
	    "%" PRId64 " breached, %" PRId64 " waiting\n", t->opened,
	    t->in_sla, t->breached, t->waiting);
}

void
report_mrkdwn(struct buf *b, const struct report *r,
    const struct config *cfg, const char *tz)
{
	size_t	 i, j;
	int	 w;

	buf_adds(b, ":bar_chart: *On-call summary* ");
	report_date(b, tz, r->from_ms);
	buf_adds(b, " to ");
	report_date(b, tz, r->to_ms - 1);
	buf_printf(b, " (%s)\n", tz);
	if (r->nrows == 0)
		buf_adds(b, "No pages, handoffs or duty checks in this "
		    "period.\n");
	for (i = 0; i < r->nrows; i = j) {
		report_total_mrkdwn(b, &r->rows[i]);
		for (j = i + 1; j < r->nrows && strcmp(r->rows[j].rotation,
		    r->rows[i].rotation) == 0; j++)
			;
		if (j == i + 1)
			continue;
		w = report_who_width(cfg, r->rows, i + 1, j);
		buf_printf(b, "```\n%-*s %5s %7s %7s %7s %5s %5s %-13s "
		    "%-10s %s\n", w, "person", "pages", "p50", "p90", "worst",
		    "unack", "steps", "biz/off/sleep", "handoffs", "duties");
		for (j = i + 1; j < r->nrows && strcmp(r->rows[j].rotation,
		    r->rows[i].rotation) == 0; j++)
			report_person_mrkdwn(b, cfg, &r->rows[j], w);
		buf_adds(b, "```\n_Per person: the pages that paged them; "
		    "p50/p90/worst: time to acknowledge (nearest rank); "
		    "handoffs: done/acked/late (as the outgoing person); "
		    "duties: done/missed._\n");
	}
	if (r->tickets.opened == 0)
		return;
	buf_adds(b, "*Tickets*: ");
	report_tickets_mrkdwn(b, &r->tickets, NULL);
	for (i = 0; i < r->nchannels; i++)
		report_tickets_mrkdwn(b, &r->channels[i], r->channels[i].name);
	for (i = 0; i < r->nresponders; i++)
		report_tickets_mrkdwn(b, &r->responders[i],
		    *r->responders[i].name != '\0' ? r->responders[i].name :
		    "(no response)");
}

/* "2026-11-23T00:00:00Z" */
static void
report_iso(struct buf *b, int64_t ms)
{
	struct tz_time	 t;

	if (tz_local("UTC", ms / 1000 - (ms % 1000 < 0), &t) != 0) {
		buf_adds(b, "?");
		return;
	}
	buf_printf(b, "%04d-%02d-%02dT%02d:%02d:%02dZ", t.year, t.mon,
	    t.mday, t.hour, t.min, t.sec);
}

/* A CSV field: quoted when it holds a comma, a quote or a line break. */
static void
report_csv_field(struct buf *b, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		buf_adds(b, s);
		return;
	}
	buf_addc(b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			buf_addc(b, '"');
		buf_addc(b, *s);
	}
	buf_addc(b, '"');
}

/* Seconds, rounded; empty for none. */
static void
report_csv_secs(struct buf *b, int64_t ms)
{
	if (ms >= 0)
		buf_printf(b, "%" PRId64, (ms + 500) / 1000);
	buf_addc(b, ',');
}

/* from,to,kind,name,person, */
static void
report_csv_lead(struct buf *b, const struct report *r, const char *kind,
    const char *name, const char *person)
{
	report_iso(b, r->from_ms);
	buf_addc(b, ',');
	report_iso(b, r->to_ms);
	buf_printf(b, ",%s,", kind);
	report_csv_field(b, name);
	buf_addc(b, ',');
	report_csv_field(b, person);
	buf_addc(b, ',');
}

static void
report_csv_tickets(struct buf *b, const struct report *r, const char *kind,
    const struct report_tickets *t)
{
	int	 responder = strcmp(kind, "tickets-responder") == 0;

	report_csv_lead(b, r, kind, responder ? "" : t->name,
	    responder ? t->name : "");
	/* 14 rotation columns empty */
	buf_printf(b, ",,,,,,,,,,,,,,%" PRId64 ",%" PRId64 ",%" PRId64
	    ",%" PRId64 "\r\n", t->opened, t->in_sla, t->breached,
	    t->waiting);
}

void
report_csv(struct buf *b, const struct report *r)
{
	const struct report_row	*row;
	size_t			 i;

	buf_adds(b, REPORT_CSV_HEADER "\r\n");
	for (i = 0; i < r->nrows; i++) {
		row = &r->rows[i];
		report_csv_lead(b, r, "rotation", row->rotation, row->user);
		buf_printf(b, "%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64
		    ",%" PRId64 ",", row->handoffs, row->handoffs_acked,
		    row->handoffs_late, row->pages, row->pages_unacked);
		report_csv_secs(b, row->ack_median_ms);
		report_csv_secs(b, row->ack_p90_ms);
		report_csv_secs(b, row->ack_worst_ms);
		buf_printf(b, "%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64
		    ",%" PRId64 ",%" PRId64 ",,,,\r\n", row->steps,
		    row->business, row->offhours, row->sleep,
		    row->duties_done, row->duties_missed);
	}
	for (i = 0; i < r->nchannels; i++)
		report_csv_tickets(b, r, "tickets-channel", &r->channels[i]);
	for (i = 0; i < r->nresponders; i++)
		report_csv_tickets(b, r, "tickets-responder",
		    &r->responders[i]);
}

/* A duration in ms, or null. New reference. */
static json_t *
report_json_ms(int64_t ms)
{
	return (ms >= 0 ? json_integer(ms) : json_null());
}

/* The figures of row into o (borrowed). */
static void
report_json_figures(json_t *o, const struct report_row *row)
{
	json_object_set_new(o, "handoffs", json_integer(row->handoffs));
	json_object_set_new(o, "handoffs_acked",
	    json_integer(row->handoffs_acked));
	json_object_set_new(o, "handoffs_late",
	    json_integer(row->handoffs_late));
	json_object_set_new(o, "pages", json_integer(row->pages));
	json_object_set_new(o, "pages_unacked",
	    json_integer(row->pages_unacked));
	json_object_set_new(o, "ack_median_ms",
	    report_json_ms(row->ack_median_ms));
	json_object_set_new(o, "ack_p90_ms", report_json_ms(row->ack_p90_ms));
	json_object_set_new(o, "ack_worst_ms",
	    report_json_ms(row->ack_worst_ms));
	json_object_set_new(o, "steps_fired", json_integer(row->steps));
	json_object_set_new(o, "pages_business", json_integer(row->business));
	json_object_set_new(o, "pages_offhours", json_integer(row->offhours));
	json_object_set_new(o, "pages_sleep", json_integer(row->sleep));
	json_object_set_new(o, "duties_done", json_integer(row->duties_done));
	json_object_set_new(o, "duties_missed",
	    json_integer(row->duties_missed));
}

/* Ticket counts into o (borrowed). */
static void
report_json_tickets(json_t *o, const struct report_tickets *t)
{
	json_object_set_new(o, "opened", json_integer(t->opened));
	json_object_set_new(o, "in_sla", json_integer(t->in_sla));
	json_object_set_new(o, "breached", json_integer(t->breached));
	json_object_set_new(o, "waiting", json_integer(t->waiting));
}

json_t *
report_json_new(const struct report *r)
{
	json_t		*root, *rots, *rot = NULL, *people = NULL, *o, *tk, *a;
	struct buf	 b = { NULL, 0, 0 };
	size_t		 i;

	root = json_object();
	report_iso(&b, r->from_ms);
	json_object_set_new(root, "from", json_string(buf_str(&b)));
	buf_truncate(&b, 0);
	report_iso(&b, r->to_ms);
	json_object_set_new(root, "to", json_string(buf_str(&b)));
	buf_reset(&b);
	rots = json_array();
	json_object_set_new(root, "rotations", rots);	/* rots borrowed */
	for (i = 0; i < r->nrows; i++) {
		o = json_object();
		report_json_figures(o, &r->rows[i]);
		if (*r->rows[i].user == '\0') {
			rot = json_object();
			json_object_set_new(rot, "rotation",
			    json_string(r->rows[i].rotation));
			json_object_set_new(rot, "total", o);
			people = json_array();
			json_object_set_new(rot, "people", people);
			json_array_append_new(rots, rot);
		} else {
			json_object_set_new(o, "user",
			    json_string(r->rows[i].user));
			/* build_report puts every total before its people */
			if (people != NULL)
				json_array_append_new(people, o);
			else
				json_decref(o);
		}
	}
	tk = json_object();
	json_object_set_new(root, "tickets", tk);	/* tk borrowed */
	report_json_tickets(tk, &r->tickets);
	a = json_array();
	json_object_set_new(tk, "channels", a);		/* a borrowed */
	for (i = 0; i < r->nchannels; i++) {
		o = json_object();
		json_object_set_new(o, "channel",
		    json_string(r->channels[i].name));
		report_json_tickets(o, &r->channels[i]);
		json_array_append_new(a, o);
	}
	a = json_array();
	json_object_set_new(tk, "responders", a);
	for (i = 0; i < r->nresponders; i++) {
		o = json_object();
		json_object_set_new(o, "user",
		    json_string(r->responders[i].name));
		report_json_tickets(o, &r->responders[i]);
		json_array_append_new(a, o);
	}
	return (root);
}
