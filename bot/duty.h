/*
 * duty.h: on-call duties (issue 10, "On-call duties"): things the
 * person on call does on a schedule, such as checking
 * #operator-vault-general every few hours and twice a day at weekends
 * (seeds 001_*). At each due time opsbot nudges whoever is on call
 * (overrides count) in the rotation's channel, with a Done button;
 * `checked [duty] [note]` or the button records the check done. A check
 * not done by due + missed_after gets a reminder, another missed_after
 * later the rotation's manager(s), and is then recorded missed.
 *
 * Map (prototypes grouped by file below):
 *   duty-config.c  the `duties:` list of each rotation of the config
 *   duty.c         due times (local, in the rotation's zone), arming
 *   duty-fire.c    the "duty-due" and "duty-missed" timer kinds
 *   duty-click.c   the Done button
 *
 * Instants are wall ms UTC throughout; checks are store_duty_check
 * rows (store-duty.c, migration 17).
 */
#ifndef OPSBOT_DUTY_H
#define OPSBOT_DUTY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "bot/gate.h"

struct bot;
struct config;
struct msg;
struct reply;
struct store;
struct store_timer;
struct yaml_document_s;
struct yaml_node_s;

#define DUTY_NAME_MAX		32	/* bytes of a name, without the NUL */
#define DUTY_TIMES_MAX		24	/* due times of one weekday */
#define DUTIES_MAX		64	/* duties of one config */
/* missed_after when the config names none: an hour (seeds 001_*). */
#define DUTY_MISSED_AFTER_MS	(INT64_C(3600) * 1000)

/* One duty of a rotation; strings owned by the config. */
struct duty {
	char		*rotation;	/* the rotation's name */
	char		*name;		/* [a-z0-9_-], unique in the rotation */
	char		*what;		/* what to do, shown in the nudge */
	char		*channel;	/* the channel to check, or NULL */
	/* local due times, minutes after midnight, ascending, per
	   weekday (0 Sunday .. 6 Saturday) */
	int		 times[7][DUTY_TIMES_MAX];
	size_t		 ntimes[7];
	int64_t		 missed_after_ms;
	size_t		 line, column;	/* where written, 1-based */
};

/* duty-config.c */
/*
 * Reads each rotation's `duties:` of the `rotations:` list (node n of
 * doc, read from file; rotation_config_load has read the rotations
 * into cfg already) into cfg->duties, replacing any earlier ones. Each
 * duty: name, what, and its schedule, either weekdays/weekends (lists
 * of "HH:MM": Monday-Friday and Saturday-Sunday) or days (a list of
 * mon..sun) with times (a list of "HH:MM"); missed_after (a duration,
 * default 1h), channel (the channel to check). Returns 0, or -1 with
 * *cause "file:line:column: rotations[i].duties[j].key: ..." (caller
 * frees).
 */
int	 duty_config_load(struct config *cfg, struct yaml_document_s *doc,
	    struct yaml_node_s *n, const char *file, char **cause);
/* Frees cfg's duties (none is fine). */
void	 duty_config_free(struct config *cfg);
/* The config reference's lines for rotations' `duties:`. */
void	 duty_config_reference(FILE *);

/* duty.c */
#define DUTY_DUE_KIND		"duty-due"	/* one line in bot/handlers.c */
#define DUTY_MISSED_KIND	"duty-missed"
/* Duty name of rotation, or NULL (borrowed from cfg). */
const struct duty *duty_find(const struct config *cfg, const char *rotation,
	    const char *name);
/*
 * The first due time of d strictly after after_ms, its local wall time
 * read in zone (IANA) by tz_utc: a time in a skipped hour (spring
 * forward) falls as far past the gap as it was named, one in a repeated
 * hour is the first. Looks 8 days ahead. Returns 0 with *due_ms, or -1
 * (no time in the week, or the zone is not usable).
 */
int	 duty_next_due(const struct duty *d, const char *zone,
	    int64_t after_ms, int64_t *due_ms);
/*
 * Arms d's "duty-due" timer for its first due time after after_ms,
 * with ref and key "duty:<rotation>:<name>:<due_ms>": arming the same
 * occurrence twice adds one timer. now_ms is the creation time. Returns
 * 0 (also when d cannot be scheduled: logged), or -1 (store failed).
 */
int	 duty_arm_next(struct bot *, struct store *, const struct duty *d,
	    int64_t after_ms, int64_t now_ms);
/*
 * At start-up: every duty's next occurrence after now_ms, armed as
 * duty_arm_next does (idempotent). Returns 0 or -1.
 */
int	 duty_arm_all(struct bot *, int64_t now_ms);
/* The zone of d's rotation, else the config's, else "UTC" (borrowed). */
const char *duty_zone(struct bot *, const struct duty *d);
/* The adapter's name ("slack", "console"; "console" without one). */
const char *duty_adapter(struct bot *);

/* duty-fire.c */
/*
 * The "duty-due" timer handler (sched_fn; arg is the struct bot), in
 * the claim's transaction (nothing but the next occurrence armed if
 * the duty's times no longer have this one: the config changed since
 * it was armed): adds the check (once: UNIQUE), nudges the
 * person on call at its due time in the rotation's channel with a Done
 * button (key "timer:<id>") and arms the "duty-missed" reminder at due
 * + missed_after; with nobody on call, records the check missed and
 * says so. Either way an audit row (command "duty") and the duty's next
 * occurrence armed after the later of its due time and now (a day
 * opsbot was down is not replayed occurrence by occurrence).
 */
int	 duty_due_fire(struct store *, const struct store_timer *, void *arg);
/*
 * The "duty-missed" timer handler: ref "duty-check:<id>:<step>". Step
 * 1 reminds the person nudged and arms step 2 another missed_after
 * later; step 2 mentions the rotation's manager(s) and records the
 * check missed. Nothing once the check is done. Audit row per step.
 */
int	 duty_missed_fire(struct store *, const struct store_timer *,
	    void *arg);

/* duty-click.c */
#define DUTY_BUTTON_ACTION	"duty-done"
#define DUTY_BUTTON_VALUE	"duty-done:"	/* + the check's id */
/*
 * gate_handler.claims and .handle (GATE_WANTS_ACTIONS): a click on a
 * nudge's Done button is run as `checked #<id>` by the clicker, through
 * dispatch: the same checks, answer and audit row as typing it.
 */
int	 duty_click_claims(struct bot *, const struct msg *);
enum gate_verdict duty_click_handle(struct bot *, const struct msg *,
	    struct reply *);

#endif /* OPSBOT_DUTY_H */
