/*
 * dispatch.c: the policy between a message and a command. Decides
 * whether a message is addressed to the bot, tokenises it, checks the
 * arguments against the command's entry, runs it and audits the run.
 * Command bodies contain only their own logic.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "bot/bot.h"
#include "bot/clock.h"
#include "bot/gate.h"
#include "commands/cmd.h"
#include "store/store.h"

/*
 * Strips a leading <@BOTID> (and a following ':' or ','), as Slack sends
 * mentions [AMEV]. Returns where the command starts; sets *mentioned.
 */
static const char *
strip_mention(const char *text, const char *bot_user_id, int *mentioned)
{
	size_t	 len;

	while (isspace((unsigned char)*text))
		text++;
	if (bot_user_id == NULL || strncmp(text, "<@", 2) != 0)
		return (text);
	len = strlen(bot_user_id);
	if (strncmp(text + 2, bot_user_id, len) != 0)
		return (text);
	/* <@U0BOT> or <@U0BOT|opsbot> */
	if (text[2 + len] != '>' && text[2 + len] != '|')
		return (text);
	text = strchr(text + 2 + len, '>');
	if (text == NULL)
		return ("");
	text++;
	if (*text == ':' || *text == ',')
		text++;
	while (isspace((unsigned char)*text))
		text++;
	*mentioned = 1;
	return (text);
}

/*
 * Finds the command line in a message, or NULL if the message is not
 * for the bot. A prefix must be followed by a letter, so "!!" or "! "
 * in conversation is not a command.
 */
static const char *
command_line(const struct msg *m, const char *prefix, int *addressed)
{
	const char	*text;
	size_t		 plen;
	int		 mentioned = 0;

	text = strip_mention(m->text != NULL ? m->text : "", m->bot_user_id,
	    &mentioned);
	*addressed = m->addressed || mentioned;
	plen = strlen(prefix);
	if (plen > 0 && strncmp(text, prefix, plen) == 0 &&
	    isalpha((unsigned char)text[plen]))
		return (text + plen);
	if (*addressed)
		return (text);
	return (NULL);
}

/* gate_handler.claims: a command line, a slash command, a DM. */
int
dispatch_claims(struct bot *bot, const struct msg *m)
{
	int	 addressed;

	return (m->command != NULL ||
	    command_line(m, bot->cfg->prefix, &addressed) != NULL);
}

/* gate_handler.handle: runs the command; its reply is the gate's. */
enum gate_verdict
dispatch_handle(struct bot *bot, const struct msg *m, struct reply *out)
{
	return (dispatch_message(bot, m, out) == DISPATCH_REPLIED ?
	    GATE_DONE : GATE_PASS);
}

static void
audit(struct bot *bot, const struct msg *m, const char *command,
    const char *args, const char *status)
{
	struct audit_rec	 rec;

	memset(&rec, 0, sizeof rec);
	rec.at = clock_wall_secs();
	rec.adapter = m->adapter;
	rec.channel = m->channel;
	rec.user = m->user;
	rec.command = command;
	rec.args = args;
	rec.status = status;
	rec.event_id = m->event_id;
	if (bot->store != NULL && store_audit_add(bot->store, &rec) != 0)
		log_warnx("audit: cannot record '%s' by %s", command,
		    m->user != NULL ? m->user : "?");
}

enum dispatch_result
dispatch_message(struct bot *bot, const struct msg *m, struct reply *out)
{
	struct strv		 argv = { NULL, 0, 0 };
	struct cmd_ctx		 ctx;
	const struct cmd_entry	*entry;
	const char		*line, *prefix, *status = "ok";
	char			*cause = NULL, *args = NULL, *cmdline = NULL;
	char			*safe = NULL, *redacted = NULL;
	int			 addressed = 0, nargs;
	enum dispatch_result	 res = DISPATCH_REPLIED;

	prefix = m->command != NULL ? "/" : bot->cfg->prefix;
	if (m->command != NULL) {
		/* "/sop hivedown" arrives as command "/sop", text "hivedown" */
		if (strcmp(m->command, "/opsbot") == 0)
			cmdline = xstrdup(m->text != NULL ? m->text : "");
		else
			xasprintf(&cmdline, "%s %s", m->command + 1,
			    m->text != NULL ? m->text : "");
		line = cmdline;
	} else if ((line = command_line(m, bot->cfg->prefix,
	    &addressed)) == NULL)
		return (DISPATCH_IGNORED);
	/*
	 * A token pasted into a command must reach neither the audit
	 * trail nor the reply: from here on only the redacted line exists.
	 */
	redacted = log_redact(xstrdup(line));
	line = redacted;

	if (tokenize(line, &argv, &cause) != 0) {
		reply_addf(out, "I could not read that command: %s.", cause);
		out->is_error = 1;
		audit(bot, m, "?", line, "usage");
		goto out;
	}
	if (argv.n == 0) {
		reply_addf(out, "Yes? `%shelp` lists what I can do.", prefix);
		audit(bot, m, "", "", "usage");
		goto out;
	}
	memset(&ctx, 0, sizeof ctx);
	ctx.bot = bot;
	ctx.msg = m;
	ctx.argc = (int)argv.n;
	ctx.argv = argv.v;
	ctx.reply = out;
	ctx.prefix = prefix;
	args = cmd_join_args(&ctx, 1);
	if ((entry = cmd_find(argv.v[0])) == NULL) {
		safe = mrkdwn_escape_new(argv.v[0]);
		reply_addf(out, "Unknown command `%s`. `%shelp` lists the "
		    "commands.", safe, prefix);
		out->is_error = 1;
		audit(bot, m, argv.v[0], args, "unknown");
		goto out;
	}
	ctx.entry = entry;
	nargs = (int)argv.n - 1;
	if (nargs < entry->args.lower ||
	    (entry->args.upper >= 0 && nargs > entry->args.upper)) {
		reply_addf(out, "Usage: `%s%s %s` — %s", prefix, entry->name,
		    entry->usage, entry->help);
		out->is_error = 1;
		audit(bot, m, entry->name, args, "usage");
		goto out;
	}
	/*
	 * A command that fails leaves nothing half-done: what it wrote
	 * before it failed (a row, a timer, a post of its own) is undone
	 * in the gate's transaction, and only its reply, which says why,
	 * and the audit row remain.
	 */
	if (bot->store != NULL && store_savepoint(bot->store, "command") != 0) {
		reply_addf(out, "I could not save anything just now: the "
		    "store failed. Nothing was changed; try again.");
		out->is_error = 1;
		audit(bot, m, entry->name, args, "error");
		goto out;
	}
	if (entry->exec(&ctx) != CMD_OK) {
		out->is_error = 1;
		status = "error";
	}
	if (bot->store != NULL && (out->is_error ?
	    store_savepoint_undo(bot->store, "command") :
	    store_savepoint_release(bot->store, "command")) != 0)
		status = "error";
	audit(bot, m, entry->name, args, status);
out:
	free(safe);
	free(args);
	free(cause);
	free(cmdline);
	free(redacted);
	strv_reset(&argv);
	return (res);
}
