/* cmd.c: the command table, lookup, and what every command uses to answer. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>

#include "bot/util.h"
#include "commands/cmd.h"

static void	cmd_vreply(struct cmd_ctx *, int, const char *, va_list)
		    PRINTFLIKE(3, 0);

extern const struct cmd_entry cmd_ack_entry;
extern const struct cmd_entry cmd_checked_entry;
extern const struct cmd_entry cmd_escalate_entry;
extern const struct cmd_entry cmd_escalate_now_entry;
extern const struct cmd_entry cmd_handoff_entry;
extern const struct cmd_entry cmd_handoffs_entry;
extern const struct cmd_entry cmd_help_entry;
extern const struct cmd_entry cmd_needhelp_entry;
extern const struct cmd_entry cmd_oncall_entry;
extern const struct cmd_entry cmd_page_entry;
extern const struct cmd_entry cmd_remind_entry;
extern const struct cmd_entry cmd_resolve_entry;
extern const struct cmd_entry cmd_runbook_entry;
extern const struct cmd_entry cmd_sop_entry;
extern const struct cmd_entry cmd_summary_entry;
extern const struct cmd_entry cmd_ticket_entry;
extern const struct cmd_entry cmd_watch_entry;

const struct cmd_entry *const cmd_table[] = {
	&cmd_ack_entry,
	&cmd_checked_entry,
	&cmd_escalate_entry,
	&cmd_escalate_now_entry,
	&cmd_handoff_entry,
	&cmd_handoffs_entry,
	&cmd_help_entry,
	&cmd_needhelp_entry,
	&cmd_oncall_entry,
	&cmd_page_entry,
	&cmd_remind_entry,
	&cmd_resolve_entry,
	&cmd_runbook_entry,
	&cmd_sop_entry,
	&cmd_summary_entry,
	&cmd_ticket_entry,
	&cmd_watch_entry,
	NULL
};

const struct cmd_entry *
cmd_find(const char *name)
{
	const struct cmd_entry *const	*e;

	for (e = cmd_table; *e != NULL; e++) {
		if (strcasecmp((*e)->name, name) == 0)
			return (*e);
		if ((*e)->alias != NULL && strcasecmp((*e)->alias, name) == 0)
			return (*e);
	}
	return (NULL);
}

static void
cmd_vreply(struct cmd_ctx *ctx, int is_error, const char *fmt, va_list ap)
{
	char	*s;

	xvasprintf(&s, fmt, ap);
	reply_add_new(ctx->reply, s);
	if (is_error)
		ctx->reply->is_error = 1;
}

void
cmd_reply(struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	cmd_vreply(ctx, 0, fmt, ap);
	va_end(ap);
}

void
cmd_error(struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	cmd_vreply(ctx, 1, fmt, ap);
	va_end(ap);
}

char *
cmd_join_args(const struct cmd_ctx *ctx, int from)
{
	struct buf	 b = { NULL, 0, 0 };
	int		 i;

	for (i = from; i < ctx->argc; i++) {
		if (i > from)
			buf_addc(&b, ' ');
		buf_adds(&b, ctx->argv[i]);
	}
	return (buf_release(&b));
}

enum cmd_retval
cmd_not_found(struct cmd_ctx *ctx, const char *kind, const char *what,
    const char *how)
{
	struct strv	 near = { NULL, 0, 0 };
	struct buf	 b = { NULL, 0, 0 };
	char		*safe;
	size_t		 i;

	safe = mrkdwn_escape_new(what);
	buf_printf(&b, "No %s matches `%s`.", kind, safe);
	runbook_suggest(ctx->bot->runbooks, what, 5, &near);
	if (near.n > 0) {
		buf_adds(&b, " Nearest: ");
		for (i = 0; i < near.n; i++)
			cmd_ref_add(&b, ctx, how, near.v[i], i > 0 ? ", " : "");
		buf_addc(&b, '.');
	}
	buf_printf(&b, " To search every runbook: `%srunbook %s`.",
	    ctx->prefix, safe);
	cmd_error(ctx, "%s", buf_str(&b));
	buf_reset(&b);
	strv_reset(&near);
	free(safe);
	return (CMD_ERROR);
}

void
cmd_ref_add(struct buf *b, const struct cmd_ctx *ctx, const char *how,
    const char *ref, const char *before)
{
	char	*safe;

	safe = mrkdwn_escape_new(ref);
	buf_printf(b, "%s`%s%s %s`", before, ctx->prefix, how, safe);
	free(safe);
}

void
cmd_section_ref_add(struct buf *b, const struct cmd_ctx *ctx,
    const char *how, size_t id, const char *before)
{
	char	*ref;

	if ((ref = runbook_ref_new(ctx->bot->runbooks, id)) == NULL)
		return;
	cmd_ref_add(b, ctx, how, ref, before);
	free(ref);
}

/* Appends "\n• Runbook › Heading — `!how ref`" for each of ids[0..n). */
static void
cmd_section_list(struct buf *b, struct cmd_ctx *ctx, const char *how,
    const size_t *ids, size_t n)
{
	char	*where;
	size_t	 i;

	for (i = 0; i < n; i++) {
		where = runbook_section_path_new(ctx->bot->runbooks, ids[i]);
		buf_printf(b, "\n• %s", where);
		cmd_section_ref_add(b, ctx, how, ids[i], " — ");
		free(where);
	}
}

/*
 * The sections a shared name could mean, each with the command that
 * shows it: choosing for the user would show another runbook's section.
 */
static void
cmd_candidates(struct cmd_ctx *ctx, const char *query, const size_t *ids,
    size_t n, const char *how)
{
	struct buf	 b = { NULL, 0, 0 };
	char		*safe;

	safe = mrkdwn_escape_new(query);
	buf_printf(&b, "`%s` names %zu sections. Which one?", safe, n);
	cmd_section_list(&b, ctx, how, ids,
	    n < CMD_CANDIDATES_MAX ? n : CMD_CANDIDATES_MAX);
	if (n > CMD_CANDIDATES_MAX)
		buf_printf(&b, "\n…and %zu more. Name the runbook too "
		    "(`%s%s &lt;runbook&gt;/%s`), or search with `%srunbook "
		    "%s &lt;more words&gt;`.", n - CMD_CANDIDATES_MAX,
		    ctx->prefix, how, safe, ctx->prefix, safe);
	reply_add_new(ctx->reply, buf_release(&b));
	free(safe);
}

size_t
cmd_named_reply(struct cmd_ctx *ctx, const char *query, const char *prefer,
    const char *how)
{
	const struct runbook_set	*set = ctx->bot->runbooks;
	struct buf			 b = { NULL, 0, 0 };
	size_t				*ids = NULL, n, i, npref = 0;

	n = runbook_find(set, query, prefer, &ids);
	if (n == 0)
		goto out;
	/*
	 * runbook_find puts the runbooks the command prefers first: one
	 * such section is the one meant ("!escalate akamai").
	 */
	for (i = 0; prefer != NULL && i < n; i++) {
		if (runbook_prefers(&set->runbooks[set->sections[ids[i]].runbook],
		    prefer))
			npref++;
	}
	if (n > 1 && npref != 1) {
		cmd_candidates(ctx, query, ids, n, how);
		goto out;
	}
	cmd_section_reply(ctx, ids[0], how);
	if (n > 1) {
		buf_adds(&b, "_Also found:_");
		cmd_section_list(&b, ctx, how, ids + 1,
		    n - 1 < CMD_CANDIDATES_MAX ? n - 1 : CMD_CANDIDATES_MAX);
		reply_add_new(ctx->reply, buf_release(&b));
	}
out:
	free(ids);
	return (n);
}

enum cmd_retval
cmd_section_or_reply(struct cmd_ctx *ctx, const char *kind,
    const char *prefer, const char *how)
{
	char		*query;
	enum cmd_retval	 rv = CMD_OK;

	query = cmd_join_args(ctx, 1);
	if (cmd_named_reply(ctx, query, prefer, how) == 0)
		rv = cmd_not_found(ctx, kind, query, how);
	free(query);
	return (rv);
}

void
cmd_section_reply(struct cmd_ctx *ctx, size_t id, const char *how)
{
	const struct runbook_set	*set = ctx->bot->runbooks;
	const struct rb_section		*sub;
	struct reply			 whole = { { NULL, 0, 0 }, 0 };
	struct buf			 b = { NULL, 0, 0 };
	size_t				 i, bytes, nsub = 0;
	char				*path, *heading;

	runbook_section_reply(set, id, &whole);
	bytes = reply_size(&whole);
	if (bytes <= REPLY_ANSWER_MAX_BYTES) {
		for (i = 0; i < whole.blocks.n; i++)
			reply_add(ctx->reply, whole.blocks.v[i]);
		goto out;
	}
	/*
	 * Dozens of messages would flood the thread and Slack's rate limit:
	 * say so, and offer the sub-sections one by one instead.
	 */
	path = runbook_section_path_new(set, id);
	buf_printf(&b, "*%s* is too long for one answer (about %zu "
	    "messages). Its parts:", path, bytes / REPLY_MSG_LIMIT + 1);
	free(path);
	for (i = id + 1; i < set->nsections; i++) {
		sub = &set->sections[i];
		if (sub->parent != (ssize_t)id)
			continue;
		if (nsub++ >= CMD_PARTS_MAX)
			continue;
		heading = mrkdwn_escape_new(sub->heading);
		buf_printf(&b, "\n• %s", heading);
		cmd_section_ref_add(&b, ctx, how, i, " — ");
		free(heading);
	}
	if (nsub > CMD_PARTS_MAX)
		buf_printf(&b, "\n…and %zu more.", nsub - CMD_PARTS_MAX);
	if (nsub == 0 || nsub > CMD_PARTS_MAX)
		buf_printf(&b, "\nSearch inside it with `%srunbook "
		    "&lt;words&gt;`.",
		    ctx->prefix);
	reply_add_new(ctx->reply, buf_release(&b));
out:
	reply_reset(&whole);
}

int
cmd_user_parse(const char *s, char *user, size_t size)
{
	size_t	 len;

	if (strncmp(s, "<@", 2) == 0) {
		s += 2;
		len = strcspn(s, "|>");
		if (s[len] == '\0')
			return (0);
	} else {
		if (*s == '@')
			s++;
		len = strlen(s);
	}
	if (len == 0 || len >= size)
		return (0);
	memcpy(user, s, len);
	user[len] = '\0';
	if (!slack_id_like(user, "UW")) {
		user[0] = '\0';
		return (0);
	}
	return (1);
}

int
cmd_id_parse(const char *s, int64_t *id)
{
	char		*end;
	long long	 v;

	if (*s == '#')
		s++;
	if (*s < '0' || *s > '9')
		return (0);
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v <= 0)
		return (0);
	*id = v;
	return (1);
}
