/*
 * config-reference.c: `opsbot --config-reference`, every option of the
 * config with its default: the scalar options from config.c's table,
 * then the sections (watches, support, rotations, ...) in words, some
 * of them their loader's own (duty_config_reference,
 * policy_config_reference). README quotes it; keep the two alike.
 */
#include <stdio.h>

#include "bot/config.h"
#include "bot/duty.h"
#include "bot/page.h"

void
config_print_reference(FILE *f)
{
	fprintf(f, "# opsbot.yaml: every option, with its default\n");
	config_options_reference(f);
	fprintf(f, "# watches\n#   Channel watches: a list of rules (channel, "
	    "patterns, text and/or section, in, cooldown, severity, bots, "
	    "active, page (a rotation to page on a match, besides or instead "
	    "of the answer), page_severity (default high)); "
	    "README \"Channel watches\"\n#   default: (none)\n");
	fprintf(f, "# support\n#   Support channels, a list of: channel (ID "
	    "or #name), tier (essential, advanced, premium, or one of "
	    "support_tiers; default advanced), engineers (user ids) and/or "
	    "engineers_group (a Slack user group ID, S0123ABC, its members "
	    "read with usergroups.users.list; the console knows no groups), "
	    "escalation_channel, timezone (default: timezone), template "
	    "(file; default built in), stale_after (default 5d), close_wait "
	    "(default 3d), page ({rotation: vault, at: 80%%}: a ticket "
	    "without an answer at that share of its response time pages the "
	    "rotation; default the warning's 80%%)\n"
	    "#   default: (none)\n");
	fprintf(f, "# support_tiers\n#   Support tiers: a mapping of tier "
	    "name to hours (24x5 or 24x7) and critical, high, medium, low "
	    "(response times in support hours: 30m, 4h, 1d; at most 366d). "
	    "Naming essential, advanced or premium overrides the keys given; "
	    "another name adds a tier and gives all five\n#   default: "
	    "essential {hours: 24x5, critical: 12h, high: 12h, medium: 24h, "
	    "low: 24h}, advanced {hours: 24x7, critical: 2h, high: 4h, "
	    "medium: 8h, low: 24h}, premium {hours: 24x7, critical: 1h, "
	    "high: 2h, medium: 4h, low: 24h}\n");
	fprintf(f, "# admins\n#   User IDs who may change any rotation "
	    "(overrides), besides its members and managers\n"
	    "#   default: (none)\n");
	fprintf(f, "# rotations\n#   On-call rotations, a list of: name, "
	    "members (user IDs in order, or {id, name}), shift (daily, "
	    "weekly, Nd), handoff (HH:MM local; default 09:00), handoff_day "
	    "(weekly: mon..sun; default mon), start (YYYY-MM-DD: members[0]'s "
	    "first shift), timezone (default: timezone), channel, managers "
	    "(user IDs), admin_channel, escalation_policy (default "
	    "default); or ical (an iCalendar file, relative to this file, "
	    "or an http(s) URL fetched at start and every ical_refresh, "
	    "default 1h; each VEVENT's SUMMARY names the user ID) instead "
	    "of members and shift; README \"On call\"\n#   default: (none)\n");
	fprintf(f, "# rotations[].summary\n#   The managers' summary, posted "
	    "by a durable timer: {channel (default: the rotation's), at "
	    "(\"mon 09:00\", local in the rotation's zone), period (week: "
	    "the previous Mon-Sun week; month: the previous month, posted on "
	    "the first such weekday of a month)}; README \"Summaries\"\n"
	    "#   default: (none: no post; `summary` still answers)\n");
	duty_config_reference(f);
	fprintf(f, "# rotations[].handoff_grace, handoff_remind, "
	    "handoff_escalate\n#   Handoffs (README \"Handoffs\"): a "
	    "handoff recorded later than the shift's end + handoff_grace is "
	    "late and the outgoing person is reminded once; the incoming "
	    "person is reminded every handoff_remind until they confirm, "
	    "and the managers mentioned once after handoff_escalate\n"
	    "#   default: 30m, 30m, 2h\n");
	policy_config_reference(f);
	fprintf(f, "# Environment: SLACK_APP_TOKEN (xapp-...), "
	    "SLACK_BOT_TOKEN (xoxb-...), SLACK_API_URL\n");
}
