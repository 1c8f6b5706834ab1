/*
 * test_ref_roundtrip.c: every command the bot suggests for a section
 * shows exactly that section. For the alert-repo fixture, the five seeds
 * and the bundled runbooks, asks for every section by name, by a typo of
 * its name and by its heading's words; then follows every suggested
 * command in the replies (and in the replies to those), and checks that
 * each answer is one section's reply, the one the suggestion listed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "bot/bot.h"
#include "bot/gate.h"
#include "store/store.h"

struct fixture {
	struct bot	 bot;
	struct strv	 rendered;	/* runbook_section_reply of each section */
	struct strv	 todo;		/* command lines to ask */
	struct strv	 seen;		/* suggestions followed */
	size_t		 followed;
};

static char *
join(const struct strv *blocks)
{
	struct buf	 b = { NULL, 0, 0 };
	size_t		 i;

	for (i = 0; i < blocks->n; i++) {
		buf_adds(&b, blocks->v[i]);
		buf_addc(&b, '\n');
	}
	return (buf_release(&b));
}

static void
load(struct fixture *f, const char *dir)
{
	const char	*dirs[1];
	struct reply	 r = { { NULL, 0, 0 }, 0 };
	char		*cause = NULL;
	size_t		 i;

	memset(f, 0, sizeof *f);
	dirs[0] = dir;
	f->bot.cfg = config_new();
	f->bot.runbooks = runbook_set_load(dirs, 1, NULL);
	assert_non_null(f->bot.runbooks);
	assert_true(f->bot.runbooks->nsections > 0);
	f->bot.store = store_open(":memory:", &cause);
	assert_non_null(f->bot.store);
	assert_int_equal(runbook_index_build(f->bot.runbooks, f->bot.store), 0);
	for (i = 0; i < f->bot.runbooks->nsections; i++) {
		runbook_section_reply(f->bot.runbooks, i, &r);
		strv_add_new(&f->rendered, join(&r.blocks));
		reply_reset(&r);
	}
}

static void
unload(struct fixture *f)
{
	runbook_set_free(f->bot.runbooks);
	store_close(f->bot.store);
	config_free(f->bot.cfg);
	strv_reset(&f->rendered);
	strv_reset(&f->todo);
	strv_reset(&f->seen);
}

/* The reply to a command line, joined (new string); *is_error set. */
static char *
ask(struct fixture *f, const char *text, int *is_error)
{
	struct reply	 r = { { NULL, 0, 0 }, 0 };
	struct msg	 m;
	char		*s;

	memset(&m, 0, sizeof m);
	m.adapter = "test";
	m.channel = "C0001";
	m.user = "U0001";
	m.ts = "1700000100.000200";
	m.text = text;
	assert_int_equal(dispatch_message(&f->bot, &m, &r), DISPATCH_REPLIED);
	s = join(&r.blocks);
	*is_error = r.is_error;
	reply_reset(&r);
	return (s);
}

/* The one section whose reply text is out, or fails. */
static size_t
section_of_reply(struct fixture *f, const char *cmd, const char *out)
{
	size_t	 i, found = SIZE_MAX, n = 0;

	for (i = 0; i < f->rendered.n; i++) {
		if (strcmp(f->rendered.v[i], out) == 0) {
			found = i;
			n++;
		}
	}
	if (n != 1)
		fail_msg("`%s` shows %zu sections' replies, not one:\n%s", cmd,
		    n, out);
	return (found);
}

/* Whether the label before a suggestion lists section id. */
static int
lists(struct fixture *f, const char *label, size_t id)
{
	const struct runbook_set	*set = f->bot.runbooks;
	const struct rb_section		*s = &set->sections[id];
	const struct runbook		*rb = &set->runbooks[s->runbook];
	struct buf			 b = { NULL, 0, 0 };
	const char			*p, *end;
	int				 ok;

	/* The label ends with the section's heading, or is its runbook's. */
	mrkdwn_escape(&b, s->heading, strlen(s->heading));
	end = label + strlen(label);
	while (end > label && strchr(" \xe2\x80\x94*", end[-1]) != NULL)
		end--;
	p = end - b.len;
	ok = p >= label && strncmp(p, buf_str(&b), b.len) == 0;
	buf_reset(&b);
	if (!ok && id == rb->top) {
		mrkdwn_escape(&b, rb->title, strlen(rb->title));
		p = end - b.len;
		ok = p >= label && strncmp(p, buf_str(&b), b.len) == 0;
		buf_reset(&b);
	}
	return (ok);
}

/* Whether the command's last name is a name of section id. */
static int
names(struct fixture *f, const char *cmd, size_t id)
{
	size_t	*ids, n, i;
	int	 ok = 0;
	char	*name, *p;

	name = xstrdup(strchr(cmd, ' ') + 1);
	if ((p = strrchr(name, '/')) != NULL)
		memmove(name, p + 1, strlen(p + 1) + 1);
	if ((p = strchr(name, '#')) != NULL)
		*p = '\0';
	n = runbook_resolve(f->bot.runbooks, name, &ids);
	for (i = 0; i < n; i++)
		ok |= ids[i] == id;
	free(ids);
	free(name);
	return (ok);
}

/*
 * Follows each `!sop|!runbook|!rb|!escalate ...` span of out. Spans
 * with a placeholder (&lt;words&gt;) and search hints ("To search every
 * runbook") are not section references.
 */
static void
follow(struct fixture *f, const char *out)
{
	const char	*p, *open, *close, *seg;
	char		*cmd, *label, *answer;
	size_t		 id;
	int		 is_error;

	seg = out;
	for (p = out; (open = strchr(p, '`')) != NULL; p = close + 1) {
		if ((close = strchr(open + 1, '`')) == NULL)
			break;
		cmd = xstrndup(open + 1, (size_t)(close - open - 1));
		label = xstrndup(seg, (size_t)(open - seg));
		seg = close + 1;
		if (strchr(label, '\n') != NULL)
			memmove(label, strrchr(label, '\n') + 1,
			    strlen(strrchr(label, '\n') + 1) + 1);
		if (cmd[0] != '!' || strchr(cmd, ' ') == NULL ||
		    strstr(cmd, "&lt;") != NULL ||
		    strcasestr(label, "search") != NULL ||
		    (strncmp(cmd, "!sop ", 5) != 0 &&
		    strncmp(cmd, "!runbook ", 9) != 0 &&
		    strncmp(cmd, "!escalate ", 10) != 0)) {
			free(cmd);
			free(label);
			continue;
		}
		answer = ask(f, cmd, &is_error);
		if (is_error)
			fail_msg("`%s` failed:\n%s", cmd, answer);
		id = section_of_reply(f, cmd, answer);
		/* Listed by heading; "Nearest: a, b" lists by the name alone. */
		if (!lists(f, label, id) && !names(f, cmd, id))
			fail_msg("`%s` after '%s' shows %s", cmd, label,
			    f->bot.runbooks->sections[id].heading);
		f->followed++;
		free(answer);
		free(label);
		free(cmd);
	}
}

/* Asks every line of todo and follows what the answers suggest. */
static void
roundtrip(struct fixture *f)
{
	const struct runbook_set	*set = f->bot.runbooks;
	const struct rb_section		*s;
	char				*out, *ref;
	size_t				 i, j;
	int				 is_error;

	for (i = 0; i < set->nsections; i++) {
		s = &set->sections[i];
		strv_addf(&f->todo, "!sop %s", s->slug);
		strv_addf(&f->todo, "!runbook %s", s->slug);
		strv_addf(&f->todo, "!sop %sq", s->slug);
		strv_addf(&f->todo, "!runbook %s", s->heading);
		/* The path itself leads to it (checked in follow, too). */
		if ((ref = runbook_ref_new(set, i)) == NULL)
			continue;
		out = NULL;
		xasprintf(&out, "!runbook %s", ref);
		free(ref);
		ref = ask(f, out, &is_error);
		assert_false(is_error);
		assert_int_equal(section_of_reply(f, out, ref), i);
		free(ref);
		free(out);
	}
	for (i = 0; i < set->nrunbooks; i++) {
		for (j = 0; j < set->runbooks[i].aliases.n; j++)
			strv_addf(&f->todo, "!sop %s",
			    set->runbooks[i].aliases.v[j]);
		strv_addf(&f->todo, "!runbook %s", set->runbooks[i].title);
	}
	for (i = 0; i < f->todo.n; i++) {
		out = ask(f, f->todo.v[i], &is_error);
		follow(f, out);
		free(out);
	}
}

static void
test_alert_repo(void **state)
{
	struct fixture	 f;

	(void)state;
	load(&f, OPSBOT_SOURCE_DIR "/tests/data/alert-repo");
	roundtrip(&f);
	/* Candidates, nearest names, grouped search: many followed. */
	assert_true(f.followed > 200);
	unload(&f);
}

static void
test_seeds(void **state)
{
	struct fixture	 f;

	(void)state;
	load(&f, OPSBOT_SEEDS_DIR);
	assert_int_equal(f.bot.runbooks->nrunbooks, 5);
	roundtrip(&f);
	assert_true(f.followed > 100);
	unload(&f);
}

static void
test_bundled(void **state)
{
	struct fixture	 f;

	(void)state;
	load(&f, OPSBOT_SOURCE_DIR "/config/runbooks");
	roundtrip(&f);
	assert_true(f.followed > 100);
	unload(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alert_repo),
		cmocka_unit_test(test_seeds),
		cmocka_unit_test(test_bundled),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
