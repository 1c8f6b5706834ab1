/*
 * handoff.c: recording a handoff (bot/handoff.h): which shift it
 * closes, the row with its record, the post with the "Got it" button,
 * the timers that remind the incoming person and the managers, the
 * ack that stops them, and the prompt armed at each shift's end.
 */
#include <stdlib.h>
#include <string.h>

#include "bot/bot.h"
#include "bot/blocks.h"
#include "bot/handoff.h"
#include "bot/oncall.h"
#include "bot/outbox.h"
#include "bot/page.h"
#include "bot/sched.h"
#include "store/store.h"

int
handoff_shift(struct bot *bot, const struct rotation *rot, int64_t now_ms,
    struct rotation_shift *out)
{
	struct rotation_shift	 cur, prev;
	struct store_handoff	 h;
	int			 done = 0;

	if (rotation_oncall_at(bot, rot, now_ms, &cur) != 0)
		return (-1);
	*out = cur;
	/* the shift that ended was handed off already: this is the next */
	if (bot->store != NULL && (done = store_handoff_for_shift(bot->store,
	    rot->name, cur.start_ms, &h)) == 1)
		store_handoff_release(&h);
	/* just after the handoff time: the shift that ended is handed off */
	if (done == 0 && cur.end_ms != ROTATION_FOREVER &&
	    cur.start_ms > INT64_MIN + 1 &&
	    now_ms - cur.start_ms < cur.end_ms - now_ms &&
	    rotation_oncall_at(bot, rot, cur.start_ms - 1, &prev) == 0) {
		*out = prev;
		out->end_ms = cur.start_ms;
	}
	return (0);
}

/* Arms a timer of kind at due_ms whose ref is also its key. */
static int
handoff_timer(struct bot *bot, int64_t now_ms, int64_t due_ms,
    const char *kind, const char *ref)
{
	if (store_timer_add(bot->store, now_ms, due_ms, kind, ref, ref) < 0)
		return (-1);
	if (bot->sched != NULL)
		sched_kick(bot->sched);
	return (0);
}

int
handoff_arm_reminder(struct bot *bot, const struct store_handoff *h,
    const struct rotation *rot, int n, int64_t now_ms)
{
	char	*ref;
	int	 rc;

	xasprintf(&ref, "handoff:%lld:remind:%d", (long long)h->id, n);
	rc = handoff_timer(bot, now_ms, h->created_ms +
	    (int64_t)n * rot->handoff_remind_ms, HANDOFF_REMIND_KIND, ref);
	free(ref);
	return (rc);
}

/* The post's text and the "Got it" button; *blocks NULL: text only. */
static void
handoff_post_make(const struct store_handoff *h, const char *text,
    const char *prefix, char **fallback, char **blocks)
{
	struct button	 b;
	char		*value, *cmd;

	xasprintf(&value, HANDOFF_BUTTON_VALUE "%lld", (long long)h->id);
	xasprintf(&cmd, "handoff ack %lld", (long long)h->id);
	memset(&b, 0, sizeof b);
	b.label = "Got it";
	b.action_id = HANDOFF_ACK_ACTION;
	b.value = value;
	b.style = "primary";
	b.command = cmd;
	*blocks = blocks_buttons_new(text, &b, 1);
	*fallback = blocks_fallback_new(text, &b, 1, prefix);
	free(cmd);
	free(value);
}

int64_t
handoff_record(struct bot *bot, const struct rotation *rot,
    const struct handoff_req *q, struct store_handoff *h)
{
	struct handoff_shift_req sq;
	struct rotation_shift	 sh;
	struct post		 post;
	json_t			*rec = NULL;
	char			*text = NULL, *fallback = NULL, *blocks = NULL;
	char			*key = NULL, *ref = NULL;
	int64_t			 id = -1;

	memset(h, 0, sizeof *h);
	if (handoff_shift(bot, rot, q->now_ms, &sh) != 0)
		goto out;
	memset(&sq, 0, sizeof sq);
	sq.rotation = rot->name;
	sq.from_user = q->from_user != NULL ? q->from_user :
	    (sh.user[0] != '\0' ? sh.user : q->by);
	sq.to_user = q->to_user;
	sq.shift_start_ms = sh.start_ms;
	sq.shift_end_ms = sh.end_ms;
	sq.now_ms = q->now_ms;
	sq.notes = q->notes;
	if ((rec = handoff_record_build(bot->store, &sq)) == NULL)
		goto out;
	h->rotation = xstrdup(rot->name);
	h->from_user = xstrdup(sq.from_user);
	h->to_user = xstrdup(q->to_user);
	h->shift_start_ms = sh.start_ms;
	h->shift_end_ms = sh.end_ms;
	h->created_ms = q->now_ms;
	h->late = sh.end_ms != ROTATION_FOREVER &&
	    q->now_ms > sh.end_ms + rot->handoff_grace_ms;
	h->notes = q->notes != NULL ? xstrdup(q->notes) : NULL;
	h->record = json_dumps(rec, JSON_COMPACT);
	if (h->record == NULL)
		goto out;
	if ((h->id = store_handoff_add(bot->store, h, q->adapter, q->channel,
	    q->by)) < 0)
		goto out;
	text = handoff_record_text_new(rec, q->adapter, rot->tz, q->now_ms);
	handoff_post_make(h, text, q->prefix, &fallback, &blocks);
	xasprintf(&key, "handoff:%lld", (long long)h->id);
	memset(&post, 0, sizeof post);
	post.op = POST_MESSAGE;
	post.channel = rot->channel != NULL ? rot->channel : q->channel;
	post.text = fallback;
	post.blocks = blocks;
	post.key = key;
	if (outbox_queue(bot, &post) < 0)
		goto out;
	xasprintf(&ref, "handoff:%lld:manager", (long long)h->id);
	if (handoff_arm_reminder(bot, h, rot, 1, q->now_ms) != 0 ||
	    (rot->managers.n > 0 && handoff_timer(bot, q->now_ms,
	    q->now_ms + rot->handoff_escalate_ms, HANDOFF_REMIND_KIND,
	    ref) != 0))
		goto out;
	id = h->id;
	log_info("handoff %lld of %s recorded%s", (long long)id, rot->name,
	    h->late ? " (late)" : "");
out:
	json_decref(rec);
	free(ref);
	free(key);
	free(blocks);
	free(fallback);
	free(text);
	return (id);
}

/*
 * The handoff post once confirmed (chat.update of key "handoff:<id>"):
 * its record, then who confirmed and when, without the button.
 */
static int
handoff_update_queue(struct bot *bot, const struct rotation *rot,
    const struct store_handoff *h, const char *adapter, const char *user,
    int64_t now_ms)
{
	struct post	 post;
	struct buf	 b;
	json_t		*rec;
	char		*text, *blocks, *key;
	int		 rc = 0;

	if (rot->channel == NULL ||
	    (rec = json_loads(h->record, 0, NULL)) == NULL)
		return (0);	/* nothing to update, or nothing to show */
	memset(&b, 0, sizeof b);
	text = handoff_record_text_new(rec, adapter, rot->tz, now_ms);
	buf_adds(&b, text);
	buf_adds(&b, "\n:white_check_mark: Confirmed by ");
	page_user_add(&b, adapter, user);
	buf_adds(&b, ", ");
	page_when_add(&b, now_ms, now_ms, rot->tz);
	blocks = blocks_buttons_new(buf_str(&b), NULL, 0);
	xasprintf(&key, "handoff:%lld", (long long)h->id);
	memset(&post, 0, sizeof post);
	post.op = POST_UPDATE;
	post.channel = rot->channel;
	post.target_key = key;
	post.text = buf_str(&b);
	post.blocks = blocks;
	if (outbox_queue(bot, &post) < 0)
		rc = -1;
	json_decref(rec);
	free(key);
	free(blocks);
	free(text);
	buf_reset(&b);
	return (rc);
}

int
handoff_ack(struct bot *bot, const struct rotation *rot,
    const struct store_handoff *h, const char *adapter, const char *user,
    int64_t now_ms)
{
	int	 rc;

	rc = store_handoff_ack(bot->store, h->id, user, now_ms);
	if (rc == 1 && rot != NULL &&
	    handoff_update_queue(bot, rot, h, adapter, user, now_ms) != 0)
		rc = -1;
	if (rc == 1 && bot->sched != NULL)
		sched_kick(bot->sched);
	return (rc);
}

int
handoff_arm_due(struct bot *bot, const struct rotation *rot, int64_t now_ms)
{
	struct rotation_shift	 cur;
	char			*ref;
	int			 rc;

	if (rotation_oncall_at(bot, rot, now_ms, &cur) != 0)
		return (-1);
	if (cur.end_ms == ROTATION_FOREVER)
		return (0);
	xasprintf(&ref, "handoff-due:%s:%lld", rot->name,
	    (long long)cur.end_ms);
	rc = handoff_timer(bot, now_ms, cur.end_ms, HANDOFF_DUE_KIND, ref);
	free(ref);
	return (rc);
}

void
handoff_arm_all(struct bot *bot, int64_t now_ms)
{
	size_t	 i;

	if (bot->cfg == NULL || bot->store == NULL)
		return;
	for (i = 0; i < bot->cfg->nrotations; i++) {
		/* a calendar by URL not fetched yet: armed once it is
		   (oncall_ical_learn) */
		if (bot->cfg->rotations[i].ical_url != NULL &&
		    bot->cfg->rotations[i].ical == NULL)
			continue;
		if (handoff_arm_due(bot, &bot->cfg->rotations[i], now_ms) != 0)
			log_warnx("rotation %s: cannot arm the handoff "
			    "prompt", bot->cfg->rotations[i].name);
	}
}
