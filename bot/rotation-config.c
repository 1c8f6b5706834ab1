/*
 * rotation-config.c: the `rotations:` list and `admins:` of the YAML
 * config (bot/oncall.h). Its errors name file:line:column and the key,
 * as config.c's do; the schedule itself is bot/rotation.c's.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <yaml.h>

#include "bot/config.h"
#include "bot/duty.h"
#include "bot/oncall.h"
#include "bot/report.h"
#include "bot/ticket.h"
#include "bot/tz.h"
#include "bot/watch.h"

/* The longest rotation name. */
#define ROTATION_NAME_MAX	32

static const char rotation_keys[] = "name, members, shift, handoff, "
    "handoff_day, start, timezone, channel, managers, admin_channel, "
    "escalation_policy, ical, ical_refresh, duties, handoff_grace, "
    "handoff_remind, handoff_escalate, summary";

struct rload {
	struct config_at at;	/* "rotations[i]", or "admins" */
	long		 i;	/* the entry read; -1 none */
};

/* A Slack user ID: U or W, then capitals and digits. */
static int
rload_user(struct rload *rl, yaml_node_t *n, const char *key,
    const char **id)
{
	if (config_at_text(&rl->at, n, key, id) != 0)
		return (-1);
	if (!slack_id_like(*id, "UW"))
		return (config_at_error(&rl->at, n, key, "'%s' is not a Slack "
		    "user ID (U0123ABCD; a profile's \"Copy member ID\")",
		    *id));
	return (0);
}

/* One member: "U0123" or {id: U0123, name: Alice}. */
static int
rload_member(struct rload *rl, struct rotation *r, yaml_node_t *n)
{
	yaml_node_pair_t	*pair;
	yaml_node_t		*k, *v;
	const char		*key, *id = NULL, *name = "";

	if (n->type == YAML_MAPPING_NODE) {
		for (pair = n->data.mapping.pairs.start;
		    pair < n->data.mapping.pairs.top; pair++) {
			k = yaml_document_get_node(rl->at.doc, pair->key);
			v = yaml_document_get_node(rl->at.doc, pair->value);
			if (k == NULL || v == NULL ||
			    k->type != YAML_SCALAR_NODE)
				return (config_at_error(&rl->at, n, "members",
				    "keys must be plain names"));
			key = (const char *)k->data.scalar.value;
			if (strcmp(key, "id") == 0) {
				if (rload_user(rl, v, "members", &id) != 0)
					return (-1);
			} else if (strcmp(key, "name") == 0) {
				if (config_at_text(&rl->at, v, "members",
				    &name) != 0)
					return (-1);
			} else
				return (config_at_error(&rl->at, k, "members",
				    "unknown key '%s' (id, name)", key));
		}
		if (id == NULL)
			return (config_at_error(&rl->at, n, "members",
			    "missing: id, the member's Slack user ID"));
	} else if (rload_user(rl, n, "members", &id) != 0)
		return (-1);
	if (r->members.n == ROTATION_MEMBERS_MAX)
		return (config_at_error(&rl->at, n, "members", "more than %d",
		    ROTATION_MEMBERS_MAX));
	strv_add(&r->members, id);
	strv_add(&r->member_names, name);
	return (0);
}

/* A list of entries (or one scalar) read by each. */
static int
rload_list(struct rload *rl, struct rotation *r, yaml_node_t *n,
    const char *key, struct strv *users)
{
	yaml_node_item_t	*it;
	yaml_node_t		*item;
	const char		*id = NULL;

	if (n->type != YAML_SEQUENCE_NODE) {
		if (users == NULL)
			return (rload_member(rl, r, n));
		if (rload_user(rl, n, key, &id) != 0)
			return (-1);
		strv_add(users, id);
		return (0);
	}
	for (it = n->data.sequence.items.start;
	    it < n->data.sequence.items.top; it++) {
		if ((item = yaml_document_get_node(rl->at.doc, *it)) == NULL)
			return (config_at_error(&rl->at, n, key, "bad entry"));
		if (users == NULL) {
			if (rload_member(rl, r, item) != 0)
				return (-1);
			continue;
		}
		if (users->n == ROTATION_MEMBERS_MAX)
			return (config_at_error(&rl->at, item, key, "more than "
			    "%d", ROTATION_MEMBERS_MAX));
		if (rload_user(rl, item, key, &id) != 0)
			return (-1);
		strv_add(users, id);
	}
	return (0);
}

/* Reads and parses r->ical_path; -1 with the error at node n. */
static int
rload_ical(struct rload *rl, struct rotation *r, yaml_node_t *n)
{
	struct stat	 st;
	char		*data = NULL, *why = NULL;
	size_t		 len = 0, i;
	ssize_t		 got;
	int		 fd = -1, rc = -1;

	if ((fd = open(r->ical_path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) ==
	    -1) {
		config_at_error(&rl->at, n, "ical", "cannot read '%s': %s",
		    r->ical_path, strerror(errno));
		goto out;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		config_at_error(&rl->at, n, "ical", "'%s' is not a regular "
		    "file", r->ical_path);
		goto out;
	}
	data = xmalloc(ROTATION_ICAL_MAX + 1);
	while (len < ROTATION_ICAL_MAX + 1) {
		got = read(fd, data + len, ROTATION_ICAL_MAX + 1 - len);
		if (got == -1 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		len += (size_t)got;
	}
	if ((r->ical = rotation_ical_parse(data, len, &why)) == NULL) {
		config_at_error(&rl->at, n, "ical", "'%s': %s", r->ical_path,
		    why);
		goto out;
	}
	/* the people the calendar names are the rotation's members */
	for (i = 0; i < rotation_ical_nevents(r->ical); i++) {
		if (!rotation_is_member(r, rotation_ical_user(r->ical, i))) {
			strv_add(&r->members, rotation_ical_user(r->ical, i));
			strv_add(&r->member_names, "");
		}
	}
	rc = 0;
out:
	free(why);
	free(data);
	if (fd != -1)
		close(fd);
	return (rc);
}

static int
rload_name(struct rload *rl, struct rotation *r, yaml_node_t *v,
    const char *text)
{
	const char	*p;

	for (p = text; *p != '\0'; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '_'))
			break;
	}
	if (*p != '\0' || p - text > ROTATION_NAME_MAX)
		return (config_at_error(&rl->at, v, "name", "'%s': use at most "
		    "%d lower-case letters, digits, '-' and '_'", text,
		    ROTATION_NAME_MAX));
	/* `oncall list`, `oncall set`, `oncall at`: not rotations */
	if (strcmp(text, "list") == 0 || strcmp(text, "set") == 0 ||
	    strcmp(text, "at") == 0)
		return (config_at_error(&rl->at, v, "name", "'%s' is a word of "
		    "the oncall command; choose another name", text));
	free(r->name);
	r->name = xstrdup(text);
	return (0);
}

/*
 * The handoff keys (bot/handoff.h): handoff_grace, handoff_remind,
 * handoff_escalate, each a duration (watch_duration_parse: 30m, 2h) of
 * at most ROTATION_HANDOFF_MAX_MS; remind and escalate not 0. Returns
 * 0, -1 with the error, or 1 if key is none of them.
 */
static int
rload_handoff_key(struct rload *rl, struct rotation *r, const char *key,
    yaml_node_t *v, const char *text)
{
	int64_t	*dst, ms;

	if (strcmp(key, "handoff_grace") == 0)
		dst = &r->handoff_grace_ms;
	else if (strcmp(key, "handoff_remind") == 0)
		dst = &r->handoff_remind_ms;
	else if (strcmp(key, "handoff_escalate") == 0)
		dst = &r->handoff_escalate_ms;
	else
		return (1);
	if (watch_duration_parse(text, &ms) != 0 ||
	    ms > ROTATION_HANDOFF_MAX_MS ||
	    (ms == 0 && dst != &r->handoff_grace_ms))
		return (config_at_error(&rl->at, v, key, "'%s' is not a "
		    "duration such as 30m or 2h (at most 7d%s)", text,
		    dst != &r->handoff_grace_ms ? ", not 0" : ""));
	*dst = ms;
	return (0);
}

/* One key of an entry, read into r. */
static int
rload_key(struct rload *rl, struct rotation *r, const char *key,
    yaml_node_t *v)
{
	const char	*text = NULL;
	char		*why = NULL;
	int		 rc;

	if (strcmp(key, "members") == 0)
		return (rload_list(rl, r, v, key, NULL));
	if (strcmp(key, "managers") == 0)
		return (rload_list(rl, r, v, key, &r->managers));
	if (strcmp(key, "summary") == 0)	/* bot/summary-config.c */
		return (summary_config_load(rl->at.doc, v, rl->at.file, rl->i,
		    &r->summary, rl->at.cause));
	/* duties: read once the rotations are (bot/duty-config.c) */
	if (strcmp(key, "duties") == 0)
		return (0);
	if (config_at_text(&rl->at, v, key, &text) != 0)
		return (-1);
	if (strcmp(key, "name") == 0)
		return (rload_name(rl, r, v, text));
	if (strcmp(key, "shift") == 0) {
		if (rotation_shift_parse(text, &r->shift_days) != 0)
			return (config_at_error(&rl->at, v, key, "'%s' is not "
			    "daily, weekly or a number of days (3d, 1..%d)",
			    text, ROTATION_SHIFT_DAYS_MAX));
	} else if (strcmp(key, "handoff") == 0) {
		if (rotation_time_parse(text, &r->handoff_hour,
		    &r->handoff_min) != 0)
			return (config_at_error(&rl->at, v, key, "'%s' is not "
			    "a time of day such as 09:00", text));
	} else if (strcmp(key, "handoff_day") == 0) {
		if (rotation_wday_parse(text, &r->handoff_wday) != 0)
			return (config_at_error(&rl->at, v, key, "'%s' is not "
			    "a weekday (mon, tue, ... sun)", text));
	} else if (strcmp(key, "start") == 0) {
		if (rotation_date_parse(text, &r->start_year, &r->start_mon,
		    &r->start_mday) != 0)
			return (config_at_error(&rl->at, v, key, "'%s' is not "
			    "a date such as 2026-01-05", text));
	} else if (strcmp(key, "timezone") == 0) {
		if (tz_check(text, &why) != 0) {
			rc = config_at_error(&rl->at, v, key, "%s", why);
			free(why);
			return (rc);
		}
		free(r->tz);
		r->tz = xstrdup(text);
	} else if (strcmp(key, "channel") == 0) {
		free(r->channel);
		r->channel = xstrdup(text);
	} else if (strcmp(key, "admin_channel") == 0) {
		free(r->admin_channel);
		r->admin_channel = xstrdup(text);
	} else if (strcmp(key, "escalation_policy") == 0) {
		free(r->policy);
		r->policy = xstrdup(text);
	} else if (strcmp(key, "ical") == 0) {
		free(r->ical_path);
		free(r->ical_url);
		r->ical_path = r->ical_url = NULL;
		rotation_ical_free(r->ical);
		r->ical = NULL;
		/* a feed: its shape only; fetched at start (oncall-ical.c) */
		if (strncasecmp(text, "http://", 7) == 0 ||
		    strncasecmp(text, "https://", 8) == 0) {
			if (!rotation_ical_url_ok(text))
				return (config_at_error(&rl->at, v, key, "'%s' "
				    "is not an http:// or https:// URL with a "
				    "host", text));
			r->ical_url = xstrdup(text);
			return (0);
		}
		r->ical_path = config_path_new(rl->at.file, text);
		return (rload_ical(rl, r, v));
	} else if (strcmp(key, "ical_refresh") == 0) {
		if (support_duration_parse(text, &r->ical_refresh_ms) != 0 ||
		    r->ical_refresh_ms < ROTATION_ICAL_REFRESH_MIN_MS ||
		    r->ical_refresh_ms > ROTATION_ICAL_REFRESH_MAX_MS)
			return (config_at_error(&rl->at, v, key, "'%s' is not "
			    "a duration from 1m to 7d (30m, 1h, 1d)", text));
	} else if (strncmp(key, "handoff_", 8) == 0 &&
	    (rc = rload_handoff_key(rl, r, key, v, text)) != 1)
		return (rc);
	else
		return (config_at_error(&rl->at, v, NULL, "unknown key '%s' "
		    "(%s)", key, rotation_keys));
	return (0);
}

/* The node of key in mapping n, or n itself: where an error points. */
static yaml_node_t *
rload_at(struct rload *rl, yaml_node_t *n, const char *key)
{
	yaml_node_pair_t	*pair;
	yaml_node_t		*k;

	for (pair = n->data.mapping.pairs.start;
	    pair < n->data.mapping.pairs.top; pair++) {
		k = yaml_document_get_node(rl->at.doc, pair->key);
		if (k != NULL && k->type == YAML_SCALAR_NODE &&
		    strcmp((const char *)k->data.scalar.value, key) == 0)
			return (k);
	}
	return (n);
}

static int
rload_entry(struct rload *rl, struct rotation *r, yaml_node_t *n)
{
	yaml_node_pair_t	*pair;
	yaml_node_t		*k, *v;
	int			 have_day = 0;

	memset(r, 0, sizeof *r);
	r->handoff_hour = 9;
	r->handoff_wday = -1;
	r->handoff_grace_ms = ROTATION_HANDOFF_GRACE_MS;
	r->handoff_remind_ms = ROTATION_HANDOFF_REMIND_MS;
	r->handoff_escalate_ms = ROTATION_HANDOFF_ESCALATE_MS;
	if (n->type != YAML_MAPPING_NODE)
		return (config_at_error(&rl->at, n, NULL, "expected a mapping "
		    "(name, members, shift, ...)"));
	for (pair = n->data.mapping.pairs.start;
	    pair < n->data.mapping.pairs.top; pair++) {
		k = yaml_document_get_node(rl->at.doc, pair->key);
		v = yaml_document_get_node(rl->at.doc, pair->value);
		if (k == NULL || v == NULL || k->type != YAML_SCALAR_NODE ||
		    strlen((const char *)k->data.scalar.value) !=
		    k->data.scalar.length)
			return (config_at_error(&rl->at, k != NULL ? k : n,
			    NULL, "keys must be plain names"));
		if (strcmp((const char *)k->data.scalar.value,
		    "handoff_day") == 0)
			have_day = 1;
		if (rload_key(rl, r, (const char *)k->data.scalar.value,
		    v) != 0)
			return (-1);
	}
	if (r->name == NULL)
		return (config_at_error(&rl->at, n, "name", "missing: how "
		    "commands name the rotation (vault)"));
	if (r->tz == NULL)
		return (config_at_error(&rl->at, n, "timezone", "missing: the "
		    "IANA zone of the handoffs (Europe/Berlin)"));
	if (r->policy == NULL)
		r->policy = xstrdup(ROTATION_POLICY_DEFAULT);
	if (r->summary.set && r->summary.channel == NULL && r->channel == NULL)
		return (config_at_error(&rl->at, rload_at(rl, n, "summary"),
		    "summary", "needs channel: (the rotation has none)"));
	if (r->ical_refresh_ms != 0 && r->ical_url == NULL)
		return (config_at_error(&rl->at,
		    rload_at(rl, n, "ical_refresh"), "ical_refresh", "only a "
		    "rotation whose ical is a URL is refreshed"));
	if (r->ical_url != NULL && r->ical_refresh_ms == 0)
		r->ical_refresh_ms = ROTATION_ICAL_REFRESH_MS;
	if (r->ical != NULL || r->ical_url != NULL) {
		if (r->shift_days != 0 || have_day ||
		    rload_at(rl, n, "start") != n)
			return (config_at_error(&rl->at,
			    rload_at(rl, n, "ical"), "ical", "a rotation "
			    "follows either an iCalendar file or members, "
			    "shift and start, not both"));
		if (rload_at(rl, n, "members") != n)
			return (config_at_error(&rl->at,
			    rload_at(rl, n, "members"), "members", "a rotation "
			    "that follows an iCalendar file takes its members "
			    "from it"));
		return (0);
	}
	if (r->members.n == 0)
		return (config_at_error(&rl->at, n, "members", "missing: the "
		    "members' user IDs in order (or ical: a calendar file or "
		    "URL)"));
	if (r->shift_days == 0)
		return (config_at_error(&rl->at, n, "shift", "missing: daily, "
		    "weekly or a number of days (3d)"));
	if (r->start_year == 0)
		return (config_at_error(&rl->at, n, "start", "missing: the "
		    "date of the first member's first shift (2026-01-05)"));
	if (r->shift_days == 7 && !have_day)
		r->handoff_wday = 1;	/* weekly: Mondays */
	else if (r->shift_days != 7 && have_day)
		return (config_at_error(&rl->at,
		    rload_at(rl, n, "handoff_day"), "handoff_day", "only a "
		    "weekly shift has a handoff day"));
	return (0);
}

int
rotation_config_load(struct config *cfg, struct yaml_document_s *doc,
    struct yaml_node_s *n, const char *file, char **cause)
{
	struct rotation		*v = NULL;
	struct rload		 rl;
	yaml_node_item_t	*it;
	yaml_node_t		*item;
	size_t			 nv = 0, j;

	memset(&rl, 0, sizeof rl);
	config_at_init(&rl.at, doc, file, cause, "rotations");
	rl.i = -1;
	if (n->type != YAML_SEQUENCE_NODE)
		return (config_at_error(&rl.at, n, NULL, "expected a list of "
		    "rotations"));
	for (it = n->data.sequence.items.start;
	    it < n->data.sequence.items.top; it++) {
		if (nv == ROTATIONS_MAX) {
			config_at_error(&rl.at, n, NULL, "more than %d "
			    "rotations", ROTATIONS_MAX);
			goto fail;
		}
		if ((item = yaml_document_get_node(doc, *it)) == NULL) {
			config_at_error(&rl.at, n, NULL, "bad entry");
			goto fail;
		}
		rl.i = (long)nv;
		config_at_entry(&rl.at, "rotations[%ld]", rl.i);
		v = xreallocarray(v, nv + 1, sizeof *v);
		nv++;
		if (rload_entry(&rl, &v[nv - 1], item) != 0)
			goto fail;
		for (j = 0; j + 1 < nv; j++) {
			if (strcmp(v[j].name, v[nv - 1].name) == 0) {
				config_at_error(&rl.at,
				    rload_at(&rl, item, "name"), "name", "'%s' "
				    "is listed twice", v[j].name);
				goto fail;
			}
		}
	}
	for (j = 0; j < cfg->nrotations; j++)
		rotation_release(&cfg->rotations[j]);
	free(cfg->rotations);
	cfg->rotations = v;
	cfg->nrotations = nv;
	/* the rotations' duties: (bot/duty-config.c) */
	return (duty_config_load(cfg, doc, n, file, cause));

fail:
	for (j = 0; j < nv; j++)
		rotation_release(&v[j]);
	free(v);
	return (-1);
}

int
admins_config_load(struct config *cfg, struct yaml_document_s *doc,
    struct yaml_node_s *n, const char *file, char **cause)
{
	struct strv	 admins = { NULL, 0, 0 };
	struct rload	 rl;

	memset(&rl, 0, sizeof rl);
	config_at_init(&rl.at, doc, file, cause, "admins");
	rl.i = -1;
	if (rload_list(&rl, NULL, n, "admins", &admins) != 0) {
		strv_reset(&admins);
		return (-1);
	}
	strv_reset(&cfg->admins);
	cfg->admins = admins;
	return (0);
}

void
rotation_config_free(struct config *cfg)
{
	size_t	 i;

	for (i = 0; i < cfg->nrotations; i++)
		rotation_release(&cfg->rotations[i]);
	free(cfg->rotations);
	cfg->rotations = NULL;
	cfg->nrotations = 0;
	strv_reset(&cfg->admins);
	duty_config_free(cfg);
}
