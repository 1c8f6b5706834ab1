/*
 * page.h: pages with timed escalation (issue 10, "Pages and
 * escalation"). A page is opened for a rotation, posted in its channel
 * mentioning the person on call, and escalated by the steps of an
 * escalation policy, each a durable timer (sched.h) that fires at most
 * once, also across restarts, until the page is acknowledged or
 * resolved. The Vault runbook (seeds 001_*) is the default policy.
 *
 * Map (prototypes grouped by file below):
 *   policy-config.c  the `escalation_policies:` list of the YAML config
 *                    and the built-in `default` policy
 *   page-rotation.c  the ONE place pages reach rotations (the shim: see
 *                    there; bot/rotation.h once branch `oncall` merges)
 *   page.c           open, the timeline, ack, resolve, needhelp,
 *                    escalate-now, the page message's updates
 *   page-text.c      the page message's text and buttons, the dry run's
 *                    answer, mentions and times in them
 *   page-help.c      a reply to needhelp's admin post answers the
 *                    call for help: its steps still waiting cancelled
 *   page-fire.c      the "page-step" timer kind
 */
#ifndef OPSBOT_PAGE_H
#define OPSBOT_PAGE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "bot/util.h"
#include "bot/watch.h"

#include "bot/blocks.h"

struct bot;
struct config;
struct runbook_set;
struct store;
struct store_page;
struct store_page_step;
struct store_timer;
struct yaml_document_s;
struct yaml_node_s;

/* policy-config.c */
/* What a step does when it fires. */
enum page_action {
	PAGE_REMIND = 0,	/* mention the person on call again */
	PAGE_NEXT,		/* mention the next person of the rotation */
	PAGE_MANAGER,		/* mention the rotation's manager(s) */
	PAGE_ADMIN,		/* post in the rotation's admin channel, @here */
	PAGE_POST,		/* post in another channel (arg) */
	PAGE_VENDOR,		/* the vendor escalation section arg, as
				   `!escalate <arg>` shows it */
};
#define POLICY_NAME_MAX		64	/* bytes, with the NUL */
#define POLICY_STEPS_MAX	16	/* steps of one list */
#define POLICY_MAX		32	/* policies of one config */
/* The longest `after:` or `ack_deadline:`: a week. */
#define POLICY_AFTER_MAX_MS	(INT64_C(7) * 24 * 3600 * 1000)
/*
 * One step. after_ms counts from the page's opening (steps) or from the
 * `needhelp` (needhelp steps), not from the step before: the policy
 * reads as a timeline ("remind at 10m, manager at 15m"), and a step
 * skipped holds up none after it.
 */
struct policy_step {
	int64_t		 after_ms;
	enum page_action action;
	char		 arg[POLICY_NAME_MAX];	/* PAGE_POST, PAGE_VENDOR */
	int		 critical_only;		/* `only: critical` */
	size_t		 line, column;		/* where written; 0: built in */
};
/* One policy. Everything inline: the built-in one is a constant. */
struct esc_policy {
	char		 name[POLICY_NAME_MAX];
	int64_t		 ack_ms;	/* the ack deadline, from the opening */
	struct policy_step steps[POLICY_STEPS_MAX];
	size_t		 nsteps;
	struct policy_step help[POLICY_STEPS_MAX];	/* `needhelp:` */
	size_t		 nhelp;
	/*
	 * Business hours; outside them a manager step says to phone.
	 * tz is always NULL: the rotation's zone applies.
	 */
	struct watch_active hours;
};
/*
 * The built-in `default` policy (seeds 001_*): remind the person on
 * call at 10m, the manager at 15m (the ack deadline); needhelp: the
 * admin channel with @here at once, 10m later the manager (phone after
 * hours) and, for a critical page, the `hashicorp` vendor escalation.
 * Business hours mon-fri 08:00-18:00.
 */
extern const struct esc_policy policy_default;
/*
 * Reads the `escalation_policies:` list (node n of doc, read from file)
 * into cfg, replacing any earlier one. Returns 0, or -1 with *cause
 * "file:line:column: escalation_policies[i].key: ..." (caller frees).
 */
int	 policy_config_load(struct config *cfg, struct yaml_document_s *doc,
	    struct yaml_node_s *n, const char *file, char **cause);
/*
 * Checks that every `vendor:` of cfg's policies names an escalation
 * section of rb, as `!escalate` finds it (the built-in default's
 * `hashicorp` missing is only logged: runbooks without it still run).
 * Returns 0, or -1 with *cause "file:line:column: escalation_policies:
 * ..." (caller frees). For `opsbot -n` and the start.
 */
int	 policy_check_vendors(const struct config *cfg,
	    const struct runbook_set *rb, const char *file, char **cause);
/* Frees cfg's policies (none is fine). */
void	 policy_config_free(struct config *cfg);
/*
 * The policy called name (NULL: "default"): configured, else the
 * built-in default for "default", else NULL. Borrowed.
 */
const struct esc_policy *policy_find(const struct config *,
	    const char *name);
/* "remind", "next", "manager", "admin", "post", "vendor" (static). */
const char *page_action_name(enum page_action);
/* The config reference's lines for `escalation_policies`. */
void	 policy_config_reference(FILE *);

/* page-rotation.c: the shim (see the top of page-rotation.c). */
/* What a page needs of a rotation; strings owned (page_rota_release). */
struct page_rota {
	char		*name;
	char		*channel;	/* where its pages are posted */
	char		*admin_channel;	/* needhelp's @here, or NULL */
	char		*zone;		/* IANA zone of its clocks */
	char		*policy;	/* escalation policy name, or NULL */
	struct strv	 managers;	/* user ids, maybe none */
};
/* 1 with *r filled (release it), 0 if there is no rotation name. */
int	 page_rota_get(struct bot *, const char *name, struct page_rota *r);
void	 page_rota_release(struct page_rota *);
/*
 * The user on call in rotation name at at_ms (wall ms UTC), or the one
 * after them (next): a new string, or NULL when nobody is (no member,
 * an empty override, no such rotation).
 */
char	*page_rota_oncall_new(struct bot *, const char *name, int64_t at_ms);
char	*page_rota_next_new(struct bot *, const char *name, int64_t at_ms);
/* Whether user is a member (or a manager) of rotation name: 1 or 0. */
int	 page_rota_is_member(struct bot *, const char *name,
	    const char *user);
int	 page_rota_is_manager(struct bot *, const char *name,
	    const char *user);
/*
 * Whether channel (as a message carries it: an ID) is some rotation's
 * admin channel, configured by ID or by a name the adapter learnt for
 * it (channels.h; '#' and case ignored): 1 or 0.
 */
int	 page_rota_admin_channel(struct bot *, const char *channel);
/*
 * Checks that every rotation of cfg names an escalation policy that
 * exists (policy_find). Returns 0, or -1 with *cause "file:0:0:
 * rotations: ..." (caller frees). For `opsbot -n` and the start.
 */
int	 page_rota_check_policies(const struct config *cfg, const char *file,
	    char **cause);

/* page.c */
#define PAGE_STEP_KIND	"page-step"	/* one line in bot/handlers.c */
/* The phases of a page's steps (store: page_steps.phase). */
#define PAGE_PHASE_PAGE		0	/* the policy's steps */
#define PAGE_PHASE_HELP		1	/* its needhelp steps */
/*
 * One step of a timeline as planned: its due time (wall ms UTC), what
 * it does, and its target as of then (new strings, or NULL: nobody, so
 * it is skipped at once). why says what is missing ("no manager").
 */
struct page_plan_step {
	const struct policy_step *def;	/* borrowed from the policy */
	int		 phase;
	size_t		 idx;		/* in the policy's list */
	int64_t		 due_ms;
	struct strv	 targets;	/* user ids, or the channel */
	const char	*why;		/* static; NULL unless skipped */
	int		 excluded;	/* `only: critical` on a page that is not */
};
struct page_plan {
	int64_t		 ack_due_ms;
	char		*oncall;	/* who is paged now, or NULL */
	struct page_plan_step *v;	/* owned, n of them */
	size_t		 n;
};
/*
 * The timeline of phase's steps of policy pol for rotation r, counted
 * from from_ms (the opening, or the needhelp), on a critical page or
 * not: each step's due time and its target at that time. Fills *plan
 * (page_plan_release). Never fails.
 */
void	 page_plan_make(struct bot *, const struct page_rota *r,
	    const struct esc_policy *pol, int phase, int64_t from_ms,
	    int critical, struct page_plan *plan);
void	 page_plan_release(struct page_plan *);
/*
 * Who or where step def goes for rotation r at at_ms (wall ms UTC),
 * added to out (user ids, or a channel, or the vendor name): NULL, or
 * why nobody (static: "the rotation has no manager") with out empty.
 */
const char *page_targets_at(struct bot *, const struct page_rota *r,
	    const struct policy_step *def, int64_t at_ms, struct strv *out);
/* What page_open takes; strings borrowed. */
struct page_req {
	const char	*key;		/* the asking message's identity, or NULL */
	const char	*adapter;
	const char	*rotation;
	const char	*summary;	/* as typed, escaped when shown */
	const char	*severity;	/* "critical", "high"... */
	const char	*opened_by;
	const char	*prefix;	/* the command prefix, for the buttons' text */
	int64_t		 now_ms;
};
/*
 * Opens a page in the caller's transaction: the page, its steps and
 * their timers, the page message in r's channel (key "page:<id>"), the
 * steps whose target is nobody marked skipped (said in the message).
 * Returns the page id (> 0; *added 0 when the key had opened it
 * already), or -1 (store failed; the caller rolls back).
 */
int64_t	 page_open(struct bot *, const struct page_rota *r,
	    const struct page_req *q, int *added);
/*
 * Queues a chat.update of p's message (target key "page:<id>") with
 * page_text_new at now_ms; key may be NULL. Returns 0 or -1.
 */
int	 page_update_queue(struct bot *, const struct store_page *p,
	    const char *key, int64_t now_ms);
/*
 * The thread of p's message: p->ts, else the ts its post got (learnt
 * and kept), else NULL (not delivered yet: post at the top level).
 * New string.
 */
char	*page_thread_new(struct bot *, const struct store_page *p);
/*
 * Acknowledges, resolves, marks as needing help, in the caller's
 * transaction, with the event, the message updated and (needhelp) the
 * needhelp steps armed. Each returns 1, 0 when the page's state does
 * not allow it (acked or resolved already; needhelp asked already), or
 * -1 (store failed). Who may is the caller's check.
 */
int	 page_ack(struct bot *, const struct store_page *p, const char *user,
	    int64_t now_ms);
int	 page_resolve(struct bot *, const struct store_page *p,
	    const char *user, const char *note, int64_t now_ms);
int	 page_needhelp(struct bot *, const struct store_page *p,
	    const char *user, int64_t now_ms);
/*
 * Brings p's next pending step forward to now_ms (its timer
 * rescheduled: it fires once, at the scheduler's next pass). Returns 1
 * with *step_idx and *phase, 0 if none is pending, or -1.
 */
int	 page_escalate_now(struct bot *, const struct store_page *p,
	    const char *user, int64_t now_ms, int *phase, int *step_idx);

/* page-text.c: the words of a page, its message and the dry run. */
/*
 * A severity word a page understands (critical, high, medium, low; any
 * case) as its name (static), or NULL. A page's default is "high".
 */
const char *page_severity_name(const char *word);
/* Appends "10:15 Mon 30 Nov (Europe/Berlin)" for at_ms in zone. */
void	 page_when_add(struct buf *, int64_t at_ms, int64_t now_ms,
	    const char *zone);
/* Appends user as a mention on Slack (<@U1>), else escaped. */
void	 page_user_add(struct buf *, const char *adapter, const char *user);
/*
 * Appends a time gone by, ms (>= 0), in whole minutes rounded down
 * ("7 min", "1 h 5 min"), or "under a minute": how long an ack took,
 * said the same way in the reply and in the page message.
 */
void	 page_elapsed_add(struct buf *, int64_t ms);
/*
 * The `page --dry-run` answer: who would be paged and the whole
 * timeline (the steps, then what needhelp would do) in local times.
 * New mrkdwn string.
 */
char	*page_dry_run_new(struct bot *, const char *adapter,
	    const struct page_rota *r, const char *summary,
	    const char *severity, const char *prefix, int64_t now_ms);
/*
 * The page message's text (mrkdwn, new string) at now_ms: summary, who
 * is paged, time left to the ack deadline, or who acknowledged or
 * resolved and when, and the commands (the buttons' equivalents).
 */
char	*page_text_new(struct bot *, const struct store_page *p,
	    const char *prefix, int64_t now_ms);
/*
 * The page message's Block Kit blocks (JSON array text, new string) or
 * NULL for text only: text as a section, then the buttons Acknowledge
 * (while open), Escalate and Resolve (until resolved), action_ids
 * "page-ack", "page-escalate", "page-resolve", value "page:<id>". NULL
 * when Block Kit would refuse it (blocks_buttons_new).
 */
char	*page_blocks_new(const struct store_page *p, const char *text);

/* page-help.c */
/*
 * gate_handler.claims and .handle (bot/handlers.c): a reply in the
 * thread of needhelp's post in the admin channel answers the call for
 * help (001_*: "if you get no response after 10 minutes, contact your
 * manager"), so the page's needhelp steps still waiting (the manager,
 * the vendor) are cancelled, said in that thread and in the page's. A
 * reply by the person on call is not an answer. claims touches no
 * store: thread replies in admin channels only.
 */
int	 page_help_claims(struct bot *, const struct msg *);
enum gate_verdict page_help_handle(struct bot *, const struct msg *,
	    struct reply *);

/* page-click.c: the buttons' clicks. */
#define PAGE_BUTTON_VALUE	"page:"		/* + the page's id */
struct msg;
struct reply;
/*
 * gate_handler.claims and .handle (bot/handlers.c, GATE_WANTS_ACTIONS):
 * a click on a page button is run as the command it stands for (`ack
 * 3`, `escalate-now 3`, `resolve 3`) by the clicker, through dispatch:
 * the same checks, answer and audit row as typing it.
 */
int	 page_click_claims(struct bot *, const struct msg *);
enum gate_verdict page_click_handle(struct bot *, const struct msg *,
	    struct reply *);

/* page-fire.c */
/*
 * The "page-step" timer handler (sched_fn; arg is the struct bot): in
 * the claim's transaction, the step its ref names fires once: nothing
 * if the page is resolved (or acknowledged, for a policy step); skipped
 * and said in the page's thread if its target is nobody now; else its
 * post (key "timer:<id>") and the page message updated; either way a
 * page event and an audit row ("page-step"). Returns 0, or -1 (store
 * failed; the timer stays pending).
 */
int	 page_step_fire(struct store *, const struct store_timer *,
	    void *arg);

#endif /* OPSBOT_PAGE_H */
