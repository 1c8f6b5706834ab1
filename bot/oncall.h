/*
 * oncall.h: rotations as the bot runs them (issue 10, "Rotations and
 * who is on call"): the `rotations:` and `admins:` config, finding a
 * rotation by name or channel, who may change it, overrides layered on
 * the schedule (bot/rotation.h), and the iCalendar feed of its shifts.
 * Pages, escalation and handoffs build on this.
 *
 * Map (prototypes grouped by file below):
 *   rotation-config.c  the `rotations:` list and `admins:` of the config
 *   oncall.c           rotations by name and channel, permissions,
 *                      who is on call with overrides, setting them
 *   oncall-export.c    `opsbot oncall export`: the shifts as iCalendar
 *
 * Instants are wall ms UTC (clock_wall_ms(), the store) throughout.
 */
#ifndef OPSBOT_ONCALL_H
#define OPSBOT_ONCALL_H

#include <stddef.h>
#include <stdint.h>

#include "bot/rotation.h"
#include "bot/util.h"

struct bot;
struct config;
struct yaml_document_s;
struct yaml_node_s;

/* rotation-config.c */
/* The most rotations one config may list. */
#define ROTATIONS_MAX		64
/*
 * Reads the `rotations:` list (node n of doc, read from file) into cfg,
 * replacing any earlier one. Each entry is a mapping: name, members (a
 * list of user IDs, or of {id, name}), shift (daily, weekly, Nd),
 * handoff ("09:00"), handoff_day (weekly: mon..sun; default mon), start
 * ("2026-01-05"), timezone (default: the config's), channel, managers,
 * admin_channel, escalation_policy (default "default"); or ical (a path
 * relative to file's directory, read and parsed now; or an http(s) URL
 * whose shape alone is checked, fetched by oncall-ical.c every
 * ical_refresh, default 1h) instead of members and shift. Returns 0, or -1 with *cause
 * "file:line:column: rotations[i].key: ..." (caller frees).
 */
int	 rotation_config_load(struct config *cfg,
	    struct yaml_document_s *doc, struct yaml_node_s *n,
	    const char *file, char **cause);
/*
 * Reads `admins:` (a user ID or a list of them) into cfg->admins,
 * replacing it. Errors as rotation_config_load's, "admins: ...".
 */
int	 admins_config_load(struct config *cfg,
	    struct yaml_document_s *doc, struct yaml_node_s *n,
	    const char *file, char **cause);
/* Frees cfg's rotations and admins (both may be empty). */
void	 rotation_config_free(struct config *cfg);

/* oncall.c */
/* The most overrides one answer layers: older ones beyond are ignored. */
#define ONCALL_OVERRIDES_MAX	200
/* The rotation named name (any case), or NULL (borrowed from cfg). */
const struct rotation *rotation_find(const struct config *cfg,
	    const char *name);
/*
 * The rotation whose channel is channel (an ID from a message): listed
 * with that ID, else with the name the adapter learnt for it
 * (channels.h; '#' and case ignored). The first such, or NULL.
 */
const struct rotation *rotation_for_channel(struct bot *,
	    const char *channel);
/* Whether user is one of the config's admins: 1 or 0. */
int	 is_admin(const struct config *cfg, const char *user);
/*
 * Whether user may change rot (set overrides; later: ack, hand off):
 * a member, a manager or an admin. 1 or 0.
 */
int	 rotation_may_change(const struct config *cfg,
	    const struct rotation *rot, const char *user);
/*
 * Who is on call for rot at at_ms: the schedule's shift
 * (rotation_shift_at) with the overrides of bot->store on top, the
 * newest winning where they overlap. *out is the stretch around at_ms
 * with one person on call: an override's [from, until) (overridden 1,
 * override_id set) cut where a newer override starts, or the schedule's
 * shift cut where an override starts or ends inside it. bot->store may
 * be NULL (the schedule alone). Returns 0, or -1 if the schedule cannot
 * be computed or the store failed (logged).
 */
int	 rotation_oncall_at(struct bot *, const struct rotation *rot,
	    int64_t at_ms, struct rotation_shift *out);
/*
 * The stretch after cur (what rotation_oncall_at gives at cur->end_ms),
 * skipping stretches that name the same person as cur, so that "who is
 * next" is someone else (at most 64 stretches ahead). Returns 0 with
 * *out, 1 if nothing follows (cur never ends, or no one else within
 * reach: *out untouched), or -1 as rotation_oncall_at.
 */
int	 rotation_next(struct bot *, const struct rotation *rot,
	    const struct rotation_shift *cur, struct rotation_shift *out);
/*
 * Sets an override: user ("" for no one) on call for rot over
 * [from_ms, until_ms) (until_ms > from_ms), set by set_by at now_ms,
 * with its audit row (store_override_add), both or neither. Does not check
 * permissions (rotation_may_change). Returns the override's id (> 0),
 * or -1 (nothing stored).
 */
int64_t	 rotation_override_set(struct bot *, const struct rotation *rot,
	    const char *user, int64_t from_ms, int64_t until_ms,
	    const char *set_by, int64_t now_ms);

/* oncall-export.c */
/* How many days `opsbot oncall export` covers, and at most (--days). */
#define ONCALL_EXPORT_DAYS	90
#define ONCALL_EXPORT_DAYS_MAX	732
/*
 * rot's shifts (rotation_oncall_at, overrides included) overlapping
 * [from_ms, from_ms + days days) as an iCalendar feed (RFC 5545) made
 * with libical: a VCALENDAR (PRODID, VERSION 2.0, X-WR-CALNAME) with
 * one VEVENT per stretch with someone on call, its UID
 * "<rotation>-<start ms>[-o<override id>]@opsbot" stable across exports,
 * DTSTART and DTEND in UTC, SUMMARY "On call: <user>[ (name)]
 * [(override)]". Appends the text (CRLF lines) to out. Returns the
 * number of VEVENTs, or -1 with *cause (caller frees).
 */
int	 oncall_export(struct bot *, const struct rotation *rot,
	    int64_t from_ms, int days, struct buf *out, char **cause);

/* oncall-ical.c */
/*
 * Starts following every rotation whose ical is a URL (called by the
 * loop once the adapter has started): the store's copy of its last
 * good body (store_ical_get) is swapped in at once, then the URL is
 * fetched through the adapter (adapter_ops.fetch) and again every
 * ical_refresh. Never blocks: answers come from the loop. State is
 * bot->ical (owned; oncall_ical_stop frees it). 0, or -1 if it cannot.
 */
int	 oncall_ical_start(struct bot *);
/*
 * Stops the refreshes and frees bot->ical. Call before the adapter's
 * stop, which drops the fetches in flight without answering them.
 * Accepts a bot that never started.
 */
void	 oncall_ical_stop(struct bot *);
/* How many rotations' first fetch has not answered yet (0: none). */
int	 oncall_ical_waiting(struct bot *);
/*
 * A body fetched for rot (a rotation of bot->cfg, ical_url set) at
 * now_ms (wall ms UTC): parsed with rotation_ical_parse and, if good,
 * swapped in (rot owns the new schedule, the old one is freed, its
 * members become the people the calendar names, ical_fetched_ms
 * now_ms, ical_error cleared) and, if cache, kept in the store
 * (store_ical_put). If not good, rot keeps its schedule and
 * ical_error says why. ical_tried_ms is now_ms either way. 0 swapped,
 * -1 kept.
 */
int	 oncall_ical_learn(struct bot *, struct rotation *rot,
	    const char *body, size_t len, int64_t now_ms, int cache);
/*
 * A fetch for rot that failed at now_ms: rot keeps its schedule,
 * ical_tried_ms and ical_error (a copy of error) say so.
 */
void	 oncall_ical_failed(struct rotation *rot, int64_t now_ms,
	    const char *error);

#endif /* OPSBOT_ONCALL_H */
