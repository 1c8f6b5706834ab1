/*
 * e2e-watch.c: issue 9's channel watches on the real binary: "vault is
 * sealed in production?" gets one answer in its thread, and a second
 * message within the rule's cooldown gets an :eyes: reaction and no
 * post.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e.h"

/* A top-level key: appended after the slack: options, at column 0. */
#define WATCH_CONFIG							\
	"watches:\n"							\
	"  - name: vault-sealed\n"					\
	"    channel: C0001\n"						\
	"    patterns: [sealed]\n"					\
	"    text: \"{user}: page HashiCorp after 15 minutes\"\n"
#define WATCH_ANSWER	"page HashiCorp after 15 minutes"

int
sc_watch_sealed(struct e2e *e)
{
	json_t	*r1 = NULL, *r2 = NULL, *posts = NULL, *api = NULL, *req;
	json_t	*p;
	int	 rc = -1;

	e2e_cfg_printf(e, "%s", WATCH_CONFIG);
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	r1 = e2e_send_message(e, "vault is sealed in production?");
	CHECK(e, r1 != NULL && *e2e_str(r1, "ts") != '\0', "inject message 1");
	CHECK(e, e2e_wait_count(e, "post", "method", "chat.postMessage", 1,
	    E2E_REPLY_MS) > 0, "no answer to the sealed vault");
	posts = e2e_posts(e, "chat.postMessage");
	p = json_array_get(posts, 0);
	CHECK(e, strstr(e2e_str(p, "text"), WATCH_ANSWER) != NULL,
	    "the answer is '%s'", e2e_str(p, "text"));
	CHECK(e, strcmp(e2e_str(p, "channel"), "C0001") == 0, "posted in %s",
	    e2e_str(p, "channel"));
	CHECK(e, strcmp(e2e_str(p, "thread_ts"), e2e_str(r1, "ts")) == 0,
	    "thread_ts '%s', want the message's %s", e2e_str(p, "thread_ts"),
	    e2e_str(r1, "ts"));

	/* within the cooldown: a reaction on the new message, no post */
	r2 = e2e_send_message(e, "is the vault still sealed?");
	CHECK(e, r2 != NULL && *e2e_str(r2, "ts") != '\0', "inject message 2");
	CHECK(e, e2e_wait_count(e, "api", "method", "reactions.add", 1,
	    E2E_REPLY_MS) > 0, "no reaction within the cooldown");
	api = e2e_find(e, "api", "method", "reactions.add");
	req = json_object_get(api, "request");
	CHECK(e, strcmp(e2e_str(req, "timestamp"), e2e_str(r2, "ts")) == 0 &&
	    strcmp(e2e_str(req, "name"), "eyes") == 0 &&
	    strcmp(e2e_str(req, "channel"), "C0001") == 0,
	    "reacted %s on %s in %s", e2e_str(req, "name"),
	    e2e_str(req, "timestamp"), e2e_str(req, "channel"));
	/* give a wrong second post time to show up */
	e2e_sleep_ms(E2E_SETTLE_MS);
	CHECK(e, e2e_post_count(e) == 1, "%d posts, want 1", e2e_post_count(e));
	CHECK(e, e2e_count(e, "api", "method", "reactions.add") == 1,
	    "%d reactions, want 1",
	    e2e_count(e, "api", "method", "reactions.add"));
	/* Slack said ok, and the outbox took it as done (outbox.c logs) */
	CHECK(e, e2e_stderr_count(e, "reaction in") == 0, "the reaction "
	    "was not delivered cleanly (see the bot's log)");
	rc = 0;
out:
	json_decref(r1);
	json_decref(r2);
	json_decref(posts);
	json_decref(api);
	return (rc);
}

/*
 * A rule written with the channel's name: the first message from the
 * channel makes the bot ask conversations.info (fakeslack calls every
 * channel "ops"), and from then on the rule applies to the channel's
 * ID. The first message itself may go unanswered: the name is learnt
 * after its ack.
 */
#define WATCH_BY_NAME							\
	"watches:\n"							\
	"  - name: by-name\n"						\
	"    channel: \"#ops\"\n"						\
	"    patterns: [sealed]\n"					\
	"    text: \"named channel: page HashiCorp after 15 minutes\"\n"

int
sc_watch_channel_name(struct e2e *e)
{
	json_t	*r = NULL;
	int64_t	 deadline;
	int	 rc = -1, asked;

	e2e_cfg_printf(e, "%s", WATCH_BY_NAME);
	CHECK(e, e2e_bot_start_ready(e) == 0, "no hello from opsbot");
	r = e2e_send_message(e, "good morning");
	CHECK(e, r != NULL, "inject the first message");
	json_decref(r);
	r = NULL;
	CHECK(e, e2e_wait_count(e, "api", "method", "conversations.info", 1,
	    E2E_REPLY_MS) > 0, "the channel's name was never asked");
	/* once answered, a sealed vault in C0001 is #ops's */
	deadline = e2e_now_ms() + E2E_REPLY_MS;
	while (e2e_post_count(e) == 0 && e2e_now_ms() < deadline) {
		r = e2e_send_message(e, "vault is sealed again");
		CHECK(e, r != NULL, "inject a sealed message");
		json_decref(r);
		r = NULL;
		e2e_sleep_ms(300);
	}
	CHECK(e, e2e_post_count(e) >= 1,
	    "no answer by the rule written with #ops");
	asked = e2e_count(e, "api", "method", "conversations.info");
	CHECK(e, asked == 1, "conversations.info asked %d times, want once",
	    asked);
	rc = 0;
out:
	json_decref(r);
	return (rc);
}
