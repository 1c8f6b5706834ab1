/*
 * rotation-ical.c: a rotation that follows an iCalendar file exported
 * by a team's scheduler (RFC 5545). libical parses it and expands its
 * recurrences (RRULE, RDATE, EXDATE); here we only pick out who each
 * event names and cut the occurrences to the window asked for.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libical/ical.h>

#include "bot/util.h"
#include "bot/rotation.h"

/* The most VEVENTs one file may hold. */
#define ROTATION_ICAL_EVENTS_MAX	10000
/* The most occurrences one expansion returns: a year of hourly shifts. */
#define ROTATION_ICAL_EXPAND_MAX	20000

struct rotation_ical {
	icalcomponent	*cal;		/* owned: the VCALENDAR */
	icalcomponent	**events;	/* borrowed from cal */
	char		(*users)[ROTATION_USER_MAX];	/* one per event */
	int64_t		*lengths;	/* ms, one per event */
	size_t		 n;
};

/*
 * The first Slack user ID in s, bare or in a mention: a U or W that
 * starts a word, then capitals and digits (slack_id_like), with a digit
 * among them unless it is a mention ("<@USLACKBOT>"). 1 with out
 * filled, else 0.
 */
static int
ical_user_in(const char *s, char out[ROTATION_USER_MAX])
{
	const char	*p, *e;
	char		 word[ROTATION_USER_MAX];
	size_t		 len;

	if (s == NULL)
		return (0);
	for (p = s; *p != '\0'; p++) {
		if ((*p != 'U' && *p != 'W') || (p > s &&
		    ((p[-1] >= 'A' && p[-1] <= 'Z') ||
		    (p[-1] >= 'a' && p[-1] <= 'z') ||
		    (p[-1] >= '0' && p[-1] <= '9'))))
			continue;
		for (e = p; (*e >= 'A' && *e <= 'Z') ||
		    (*e >= '0' && *e <= '9'); e++)
			;
		len = (size_t)(e - p);
		if (len >= sizeof word || ((*e >= 'a' && *e <= 'z') ||
		    *e == '_'))
			continue;
		memcpy(word, p, len);
		word[len] = '\0';
		/* a bare word needs a digit: "UTC" and "USA" are no one */
		if (!(p - s >= 2 && p[-2] == '<' && p[-1] == '@') &&
		    strpbrk(word, "0123456789") == NULL)
			continue;
		if (slack_id_like(word, "UW")) {
			memcpy(out, word, len + 1);
			return (1);
		}
	}
	return (0);
}

/* Who ev names: SUMMARY first, then its ATTENDEEs. 1 or 0. */
static int
ical_event_user(icalcomponent *ev, char out[ROTATION_USER_MAX])
{
	icalproperty	*p;
	icalparameter	*cn;
	const char	*v;

	if ((p = icalcomponent_get_first_property(ev,
	    ICAL_SUMMARY_PROPERTY)) != NULL &&
	    ical_user_in(icalproperty_get_summary(p), out))
		return (1);
	for (p = icalcomponent_get_first_property(ev, ICAL_ATTENDEE_PROPERTY);
	    p != NULL;
	    p = icalcomponent_get_next_property(ev, ICAL_ATTENDEE_PROPERTY)) {
		cn = icalproperty_get_first_parameter(p, ICAL_CN_PARAMETER);
		if (cn != NULL && slack_id_like(icalparameter_get_cn(cn),
		    "UW") && strlen(icalparameter_get_cn(cn)) <
		    ROTATION_USER_MAX) {
			snprintf(out, ROTATION_USER_MAX, "%s",
			    icalparameter_get_cn(cn));
			return (1);
		}
		v = icalproperty_get_attendee(p);
		if (v != NULL && strncasecmp(v, "slack:", 6) == 0 &&
		    slack_id_like(v + 6, "UW") &&
		    strlen(v + 6) < ROTATION_USER_MAX) {
			snprintf(out, ROTATION_USER_MAX, "%s", v + 6);
			return (1);
		}
	}
	return (0);
}

/* t as ms since the epoch: in its zone, or UTC when floating. */
static int64_t
ical_ms(struct icaltimetype t)
{
	return ((int64_t)icaltime_as_timet_with_zone(t, t.zone != NULL ?
	    t.zone : icaltimezone_get_utc_timezone()) * 1000);
}

/*
 * How long each occurrence of ev lasts (ms): DTEND - DTSTART, or
 * DURATION, as exact time (RFC 5545 3.8.5.3: every recurrence lasts as
 * long as the first); a day for a DATE without either. libical's own
 * spans end a DATE event at 23:59:59 of the wrong day.
 */
static int64_t
ical_length(icalcomponent *ev)
{
	struct icaltimetype	 start, end;

	start = icalcomponent_get_dtstart(ev);
	if (icalcomponent_get_first_property(ev, ICAL_DTEND_PROPERTY) ==
	    NULL && icalcomponent_get_first_property(ev,
	    ICAL_DURATION_PROPERTY) == NULL)
		return (INT64_C(24) * 3600 * 1000);
	end = icalcomponent_get_dtend(ev);
	return (ical_ms(end) - ical_ms(start));
}

/* What is wrong with ev as a shift, or NULL: a sentence (static). */
static const char *
ical_event_fault(icalcomponent *ev)
{
	struct icaltimetype	 start, end;
	struct icalrecurrencetype rule;
	icalproperty		*p;

	if (icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY) ==
	    NULL)
		return ("has no DTSTART");
	/*
	 * libical expands every occurrence of a window, and cannot be
	 * stopped: a rule every second is millions of shifts a question.
	 * Shifts recur hourly at most often (one BYMINUTE, one BYSECOND).
	 */
	for (p = icalcomponent_get_first_property(ev, ICAL_RRULE_PROPERTY);
	    p != NULL;
	    p = icalcomponent_get_next_property(ev, ICAL_RRULE_PROPERTY)) {
		rule = icalproperty_get_rrule(p);
		if (rule.freq == ICAL_SECONDLY_RECURRENCE ||
		    rule.freq == ICAL_MINUTELY_RECURRENCE ||
		    rule.freq == ICAL_NO_RECURRENCE ||
		    (rule.by_second[0] != ICAL_RECURRENCE_ARRAY_MAX &&
		    rule.by_second[1] != ICAL_RECURRENCE_ARRAY_MAX) ||
		    (rule.by_minute[0] != ICAL_RECURRENCE_ARRAY_MAX &&
		    rule.by_minute[1] != ICAL_RECURRENCE_ARRAY_MAX))
			return ("has an RRULE more often than hourly (or "
			    "unreadable)");
	}
	start = icalcomponent_get_dtstart(ev);
	if (icaltime_is_null_time(start) || !icaltime_is_valid_time(start))
		return ("has a DTSTART that is not a date or time");
	if (icalcomponent_get_first_property(ev, ICAL_DTEND_PROPERTY) ==
	    NULL && icalcomponent_get_first_property(ev,
	    ICAL_DURATION_PROPERTY) == NULL) {
		if (start.is_date)
			return (NULL);	/* a day long (RFC 5545 3.6.1) */
		return ("has neither DTEND nor DURATION");
	}
	end = icalcomponent_get_dtend(ev);
	if (icaltime_is_null_time(end) || ical_ms(end) <= ical_ms(start))
		return ("ends before it starts");
	return (NULL);
}

void
rotation_ical_free(struct rotation_ical *ri)
{
	if (ri == NULL)
		return;
	if (ri->cal != NULL)
		icalcomponent_free(ri->cal);
	free(ri->events);
	free(ri->users);
	free(ri->lengths);
	free(ri);
}

struct rotation_ical *
rotation_ical_parse(const char *data, size_t len, char **cause)
{
	struct rotation_ical	*ri;
	icalcomponent		*ev;
	const char		*why, *uid;
	char			*text;

	ri = xcalloc(1, sizeof *ri);
	if (len > ROTATION_ICAL_MAX) {
		xasprintf(cause, "larger than %d bytes", ROTATION_ICAL_MAX);
		goto fail;
	}
	text = xstrndup(data, len);
	if (strlen(text) != len) {
		free(text);
		xasprintf(cause, "contains a NUL byte");
		goto fail;
	}
	ri->cal = icalparser_parse_string(text);
	free(text);
	if (ri->cal == NULL ||
	    icalcomponent_isa(ri->cal) != ICAL_VCALENDAR_COMPONENT) {
		xasprintf(cause, "is not an iCalendar file (no VCALENDAR)");
		goto fail;
	}
	for (ev = icalcomponent_get_first_component(ri->cal,
	    ICAL_VEVENT_COMPONENT); ev != NULL;
	    ev = icalcomponent_get_next_component(ri->cal,
	    ICAL_VEVENT_COMPONENT)) {
		uid = icalcomponent_get_uid(ev);
		if (ri->n == ROTATION_ICAL_EVENTS_MAX) {
			xasprintf(cause, "more than %d VEVENTs",
			    ROTATION_ICAL_EVENTS_MAX);
			goto fail;
		}
		if ((why = ical_event_fault(ev)) != NULL) {
			xasprintf(cause, "VEVENT %zu (UID %s) %s", ri->n + 1,
			    uid != NULL ? uid : "none", why);
			goto fail;
		}
		ri->events = xreallocarray(ri->events, ri->n + 1,
		    sizeof *ri->events);
		ri->users = xreallocarray(ri->users, ri->n + 1,
		    sizeof *ri->users);
		ri->lengths = xreallocarray(ri->lengths, ri->n + 1,
		    sizeof *ri->lengths);
		ri->lengths[ri->n] = ical_length(ev);
		if (!ical_event_user(ev, ri->users[ri->n])) {
			xasprintf(cause, "VEVENT %zu (UID %s) names no one: "
			    "put the user ID in SUMMARY (\"On call: "
			    "<@U0123ABCD>\") or an ATTENDEE's CN", ri->n + 1,
			    uid != NULL ? uid : "none");
			goto fail;
		}
		ri->events[ri->n++] = ev;
	}
	if (ri->n == 0) {
		xasprintf(cause, "holds no VEVENT");
		goto fail;
	}
	return (ri);
fail:
	rotation_ical_free(ri);
	return (NULL);
}

size_t
rotation_ical_nevents(const struct rotation_ical *ri)
{
	return (ri != NULL ? ri->n : 0);
}

const char *
rotation_ical_user(const struct rotation_ical *ri, size_t i)
{
	return (ri != NULL && i < ri->n ? ri->users[i] : NULL);
}

/* The state of one expansion, for its callback. */
struct ical_expand {
	const char		*user;
	int64_t			 length;	/* ms */
	int64_t			 from_ms, to_ms;
	struct rotation_shift	**v;
	size_t			*n;
	size_t			 added;
};

static void
ical_expand_one(icalcomponent *comp, struct icaltime_span *span,
    void *arg)
{
	struct ical_expand	*x = arg;
	struct rotation_shift	*s;
	int64_t			 start, end;

	start = (int64_t)span->start * 1000;
	end = start + x->length;
	if (end <= x->from_ms || start >= x->to_ms || end <= start ||
	    x->added >= ROTATION_ICAL_EXPAND_MAX)
		return;
	*x->v = xreallocarray(*x->v, *x->n + 1, sizeof **x->v);
	s = &(*x->v)[(*x->n)++];
	memset(s, 0, sizeof *s);
	snprintf(s->user, sizeof s->user, "%s", x->user);
	s->start_ms = start;
	s->end_ms = end;
	s->number = -1;
	x->added++;
}

static int
shift_cmp(const void *a, const void *b)
{
	const struct rotation_shift	*x = a, *y = b;

	if (x->start_ms != y->start_ms)
		return (x->start_ms < y->start_ms ? -1 : 1);
	if (x->end_ms != y->end_ms)
		return (x->end_ms < y->end_ms ? -1 : 1);
	return (0);
}

size_t
rotation_ical_expand(const struct rotation_ical *ri, int64_t from_ms,
    int64_t to_ms, struct rotation_shift **v, size_t *n)
{
	struct ical_expand	 x;
	icaltimezone		*utc = icaltimezone_get_utc_timezone();
	struct icaltimetype	 from, to;
	size_t			 i, first = *n;

	memset(&x, 0, sizeof x);
	x.from_ms = from_ms;
	x.to_ms = to_ms;
	x.v = v;
	x.n = n;
	/* an occurrence that started before from_ms may still hold it:
	   libical filters on the start, so ask from a span earlier */
	from = icaltime_from_timet_with_zone((time_t)((from_ms -
	    ROTATION_ICAL_SPAN_MS) / 1000), 0, utc);
	to = icaltime_from_timet_with_zone((time_t)(to_ms / 1000), 0, utc);
	for (i = 0; i < ri->n; i++) {
		x.user = ri->users[i];
		x.length = ri->lengths[i];
		icalcomponent_foreach_recurrence(ri->events[i], from, to,
		    ical_expand_one, &x);
	}
	/* nothing found: *v may still be NULL, which qsort must not see */
	if (*n > first)
		qsort(*v + first, *n - first, sizeof **v, shift_cmp);
	return (*n - first);
}

int
rotation_ical_url_ok(const char *s)
{
	const char	*p;

	if (strncasecmp(s, "http://", 7) == 0)
		p = s + 7;
	else if (strncasecmp(s, "https://", 8) == 0)
		p = s + 8;
	else
		return (0);
	/* a host: something before the path, port or query */
	if (*p == '\0' || *p == '/' || *p == ':' || *p == '?' || *p == '#')
		return (0);
	for (; *p != '\0'; p++) {
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return (0);
	}
	return (1);
}
