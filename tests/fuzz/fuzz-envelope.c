/*
 * fuzz-envelope.c: any bytes as a Socket Mode frame. Both parsers (the
 * LEJP fast path and jansson) must survive it, and where both accept it
 * they must read the same fields: the fast path may never see a
 * different event than the full parser would.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bot/bot.h"
#include "adapters/slack.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a == b);
	return (strcmp(a, b) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static const struct slack_self self = { "U0BOT", "B0001", "A0001" };
	struct slack_frame	 a, b;
	struct msg		 ma, mb;
	char			*ca = NULL, *cb = NULL;
	const char		*url;
	int			 ra, rb;

	ra = slack_frame_parse((const char *)data, len, &a, &ca);
	rb = slack_frame_parse_lite((const char *)data, len, &b, &cb);
	if (ra == 0 && rb == 0) {
		if (a.type != b.type || !same(a.envelope_id, b.envelope_id) ||
		    a.retry_attempt != b.retry_attempt ||
		    !same(a.ev.event_id, b.ev.event_id) ||
		    !same(a.ev.type, b.ev.type) ||
		    !same(a.ev.subtype, b.ev.subtype) ||
		    !same(a.ev.user, b.ev.user) ||
		    !same(a.ev.bot_id, b.ev.bot_id) ||
		    !same(a.ev.text, b.ev.text) ||
		    !same(a.ev.channel, b.ev.channel) ||
		    !same(a.ev.ts, b.ev.ts) ||
		    !same(a.ev.thread_ts, b.ev.thread_ts) ||
		    slack_fields_to_msg(&a.ev, &self, &ma) !=
		    slack_fields_to_msg(&b.ev, &self, &mb) ||
		    ma.kind != mb.kind || !same(ma.reaction, mb.reaction) ||
		    !same(ma.channel, mb.channel) || !same(ma.ts, mb.ts))
			abort();
	}
	/* Interactive payloads: the click's msg, never a crash. */
	if (ra == 0 && a.type == SLACK_FRAME_INTERACTIVE &&
	    slack_action_to_msg(a.payload, &self, &ma, &url) == 0 &&
	    (ma.kind != MSG_ACTION || ma.user == NULL || ma.ts == NULL ||
	    ma.action_id == NULL))
		abort();
	if (ra == 0)
		slack_frame_clear(&a);
	if (rb == 0)
		slack_frame_clear(&b);
	free(ca);
	free(cb);
	return (0);
}
