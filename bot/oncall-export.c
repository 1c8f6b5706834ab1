/*
 * oncall-export.c: a rotation's shifts as an iCalendar feed (RFC 5545),
 * so that people can subscribe to their shifts. libical writes it: the
 * folding, escaping and CRLFs of RFC 5545 are its job, not ours.
 */
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "bot/bot.h"
#include "bot/oncall.h"

#define DAY_MS		(INT64_C(24) * 3600 * 1000)
/* The most stretches one export walks: hourly overrides for two years. */
#define EXPORT_STEPS_MAX	20000

static struct icaltimetype
export_time(int64_t ms)
{
	return (icaltime_from_timet_with_zone((time_t)(ms / 1000), 0,
	    icaltimezone_get_utc_timezone()));
}

/* One VEVENT for stretch s of rot. */
static icalcomponent *
export_event(const struct rotation *rot, const struct rotation_shift *s,
    int64_t now_ms)
{
	icalcomponent	*ev;
	const char	*name;
	char		*uid, *summary;

	if (s->overridden)
		xasprintf(&uid, "%s-%lld-o%lld@opsbot", rot->name,
		    (long long)s->start_ms, (long long)s->override_id);
	else
		xasprintf(&uid, "%s-%lld@opsbot", rot->name,
		    (long long)s->start_ms);
	name = rotation_member_name(rot, s->user);
	xasprintf(&summary, "On call (%s): %s%s%s%s%s", rot->name, s->user,
	    name != NULL ? " (" : "", name != NULL ? name : "",
	    name != NULL ? ")" : "", s->overridden ? " [override]" : "");
	ev = icalcomponent_new_vevent();
	icalcomponent_add_property(ev, icalproperty_new_uid(uid));
	icalcomponent_add_property(ev,
	    icalproperty_new_dtstamp(export_time(now_ms)));
	icalcomponent_add_property(ev,
	    icalproperty_new_dtstart(export_time(s->start_ms)));
	icalcomponent_add_property(ev,
	    icalproperty_new_dtend(export_time(s->end_ms)));
	icalcomponent_add_property(ev, icalproperty_new_summary(summary));
	icalcomponent_add_property(ev,
	    icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
	free(uid);
	free(summary);
	return (ev);
}

int
oncall_export(struct bot *bot, const struct rotation *rot, int64_t from_ms,
    int days, struct buf *out, char **cause)
{
	struct rotation_shift	 s;
	icalcomponent		*cal;
	icalproperty		*p;
	char			*text;
	int64_t			 to_ms, at;
	int			 n = 0, steps;

	if (days < 1 || days > ONCALL_EXPORT_DAYS_MAX) {
		xasprintf(cause, "--days must be 1 to %d",
		    ONCALL_EXPORT_DAYS_MAX);
		return (-1);
	}
	to_ms = from_ms + days * DAY_MS;
	cal = icalcomponent_new_vcalendar();
	icalcomponent_add_property(cal,
	    icalproperty_new_prodid("-//opsbot//on-call " OPSBOT_VERSION
	    "//EN"));
	icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(cal, icalproperty_new_calscale(
	    "GREGORIAN"));
	p = icalproperty_new_x(rot->name);
	icalproperty_set_x_name(p, "X-WR-CALNAME");
	icalcomponent_add_property(cal, p);
	for (at = from_ms, steps = 0; at < to_ms; at = s.end_ms, steps++) {
		if (steps == EXPORT_STEPS_MAX ||
		    rotation_oncall_at(bot, rot, at, &s) != 0) {
			xasprintf(cause, "cannot compute the shifts of '%s' "
			    "from %lld ms", rot->name, (long long)at);
			icalcomponent_free(cal);
			return (-1);
		}
		if (s.user[0] != '\0') {
			icalcomponent_add_component(cal,
			    export_event(rot, &s, from_ms));
			n++;
		}
		if (s.end_ms == ROTATION_FOREVER)
			break;
	}
	text = icalcomponent_as_ical_string_r(cal);
	buf_adds(out, text);
	icalmemory_free_buffer(text);
	icalcomponent_free(cal);
	return (n);
}
