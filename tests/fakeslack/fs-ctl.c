/*
 * fs-ctl.c: the control API under /_ctl/ that tests and the benchmark
 * drive, and the flood generator. Every answer is JSON; errors are
 * {"ok":false,"error":...} with HTTP 400 or 409, so a test sees its own
 * mistakes at once.
 *
 * For reply latency the benchmark matches two lists: the '!sop' the
 * flood sent (GET /_ctl/flood/commands: ts, channel, sent_us) and the
 * chat.postMessage calls that arrived (GET /_ctl/posts: t_us, channel,
 * thread_ts). A reply is the first post whose thread_ts is a command's
 * ts; both times are on fs_now_us's clock.
 */
#include <sys/timerfd.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fakeslack.h"

/* Realistic on-call chatter: what a busy #ops channel looks like. */
static const char *fs_chatter[] = {
	"anyone else seeing elevated 5xx on api-gateway in us-east? started "
	    "around 14:02 and the dashboards are lagging",
	"deploy of billing-service 2.14.3 is rolling, 4/12 pods done, no "
	    "errors so far",
	"ack, looking",
	"I think that's the same cert rotation issue from last week, the "
	    "intermediate wasn't picked up by the ingress controller",
	"can someone review https://github.com/example/infra/pull/4312 before "
	    "the change window? it only touches the alert thresholds",
	"paged again for DiskPressure on worker-17, cleaning up old images",
	"lunch, back in 30",
	"the postmortem doc for Tuesday's outage is up, please add your "
	    "timeline notes by Friday",
	"kubectl get pods -n telemeter shows two CrashLoopBackOff, checking "
	    "logs now",
	"thanks!",
	"vault is fine, it was the client token TTL, not a seal",
	"heads up: maintenance on the staging database tonight 22:00-23:00 "
	    "UTC, expect read-only mode for about ten minutes",
};

static json_t *
fs_ctl_err(const char *error)
{
	return (json_pack("{s:b, s:s}", "ok", 0, "error", error));
}

static int
fs_ctl_int(json_t *req, const char *key, int dflt)
{
	json_t	*v = json_object_get(req, key);

	if (json_is_integer(v))
		return ((int)json_integer_value(v));
	if (json_is_real(v))
		return ((int)json_real_value(v));
	return (dflt);
}

static struct fs_conn *
fs_ctl_conn(struct fakeslack *fs, json_t *req)
{
	return (fs_ws_find(fs, fs_ctl_int(req, "conn", -1)));
}

static int
fs_stamp_wants(json_t *stamp, const char *what)
{
	if (json_is_true(stamp))
		return (1);
	return (json_is_true(json_object_get(stamp, what)));
}

/*
 * Stamps fresh ids into frame (an envelope) as asked ("stamp": true for
 * all, or an object of envelope_id, event_id, ts, action_ts: a click's
 * actions[0].action_ts); fills out with what was stamped.
 */
static void
fs_ctl_stamp(struct fakeslack *fs, json_t *frame, json_t *stamp, json_t *out)
{
	json_t	*payload, *event;
	char	*s, *path = NULL, *url;

	payload = json_object_get(frame, "payload");
	event = json_object_get(payload, "event");
	if (fs_stamp_wants(stamp, "envelope_id") &&
	    json_object_get(frame, "envelope_id") != NULL) {
		s = fs_uuid_new(fs);
		json_object_set_new(frame, "envelope_id", json_string(s));
		free(s);
	}
	if (fs_stamp_wants(stamp, "event_id") &&
	    json_object_get(payload, "event_id") != NULL) {
		s = fs_event_id_new(fs);
		json_object_set_new(payload, "event_id", json_string(s));
		free(s);
	}
	if (fs_stamp_wants(stamp, "ts") && json_is_object(event)) {
		s = fs_ts_new(fs);
		json_object_set_new(event, "ts", json_string(s));
		json_object_set_new(event, "event_ts", json_string(s));
		free(s);
	}
	/* a click (block_actions): a fresh action_ts, as a new click has */
	if (fs_stamp_wants(stamp, "action_ts") &&
	    json_is_object(json_array_get(json_object_get(payload, "actions"),
	    0))) {
		s = fs_ts_new(fs);
		json_object_set_new(json_array_get(json_object_get(payload,
		    "actions"), 0), "action_ts", json_string(s));
		json_object_set_new(out, "action_ts", json_string(s));
		free(s);
	}
	/* response_url must point back here, whatever the fixture says */
	if (json_is_string(json_object_get(payload, "response_url"))) {
		s = fs_uuid_new(fs);
		if (asprintf(&path, "/hooks/%s", s) < 0)
			abort();
		url = fs_url_new(fs, 0, path);
		json_object_set_new(payload, "response_url", json_string(url));
		json_object_set_new(out, "response_url", json_string(url));
		free(url);
		free(path);
		free(s);
	}
	json_object_set(out, "envelope_id", json_object_get(frame,
	    "envelope_id"));
	json_object_set(out, "event_id", json_object_get(payload, "event_id"));
	json_object_set(out, "ts", json_object_get(event, "ts"));
}

static json_t *
fs_ctl_send(struct fakeslack *fs, json_t *req)
{
	struct fs_conn	*c;
	json_t		*frame, *out;
	const char	*raw, *eid;
	char		*text;

	c = fs_ctl_conn(fs, req);
	if (c == NULL)
		return (fs_ctl_err("no_connection"));
	out = json_pack("{s:b, s:i}", "ok", 1, "conn", c->id);
	raw = json_string_value(json_object_get(req, "raw"));
	if (raw != NULL) {
		fs_ws_queue(c, raw, strlen(raw),
		    json_is_true(json_object_get(req, "binary")), NULL, -1);
		fs_log_new(fs, "inject", json_pack("{s:i, s:s, s:b}", "conn",
		    c->id, "raw", raw, "binary",
		    json_is_true(json_object_get(req, "binary"))));
		return (out);
	}
	frame = json_deep_copy(json_object_get(req, "frame"));
	if (!json_is_object(frame)) {
		json_decref(frame);
		json_decref(out);
		return (fs_ctl_err("frame_not_object"));
	}
	fs_ctl_stamp(fs, frame, json_object_get(req, "stamp"), out);
	text = json_dumps(frame, JSON_COMPACT);
	eid = json_string_value(json_object_get(frame, "envelope_id"));
	fs_ws_queue(c, text, strlen(text), 0, eid, -1);
	fs_log_new(fs, "inject", json_pack("{s:i, s:s?, s:O}", "conn", c->id,
	    "envelope_id", eid, "frame", frame));
	free(text);
	json_decref(frame);
	return (out);
}

static json_t *
fs_ctl_disconnect(struct fakeslack *fs, json_t *req)
{
	struct fs_conn	*c;
	const char	*reason;
	char		*s;
	json_t		*frame;

	c = fs_ctl_conn(fs, req);
	if (c == NULL)
		return (fs_ctl_err("no_connection"));
	reason = json_string_value(json_object_get(req, "reason"));
	frame = json_pack("{s:s, s:s, s:{s:s}}", "type", "disconnect",
	    "reason", reason != NULL ? reason : "refresh_requested",
	    "debug_info", "host", "applink-fakeslack");
	s = json_dumps(frame, JSON_COMPACT);
	fs_ws_queue(c, s, strlen(s), 0, NULL, -1);
	fs_log_new(fs, "inject", json_pack("{s:i, s:O}", "conn", c->id,
	    "frame", frame));
	free(s);
	json_decref(frame);
	fs_ws_close_after(c, fs_ctl_int(req, "close_after_ms", -1));
	return (json_pack("{s:b, s:i}", "ok", 1, "conn", c->id));
}

static json_t *
fs_ctl_fault(struct fakeslack *fs, json_t *req)
{
	struct fs_fault	*f = NULL;
	const char	*method, *mode, *error;
	size_t		 i;

	method = json_string_value(json_object_get(req, "method"));
	mode = json_string_value(json_object_get(req, "mode"));
	error = json_string_value(json_object_get(req, "error"));
	if (method == NULL || mode == NULL)
		return (fs_ctl_err("method_and_mode_required"));
	for (i = 0; i < fs->nfaults; i++)
		if (strcmp(fs->faults[i].method, method) == 0)
			f = &fs->faults[i];
	if (f == NULL) {
		fs->faults = fs_xrealloc(fs->faults, fs->nfaults + 1,
		    sizeof *fs->faults);
		f = &fs->faults[fs->nfaults++];
		memset(f, 0, sizeof *f);
		f->method = fs_xstrdup(method);
	}
	free(f->error);
	f->error = error != NULL ? fs_xstrdup(error) : NULL;
	f->count = fs_ctl_int(req, "count", 1);
	f->retry_after = fs_ctl_int(req, "retry_after", 1);
	if (strcmp(mode, "429") == 0)
		f->mode = FS_FAULT_429;
	else if (strcmp(mode, "error") == 0)
		f->mode = FS_FAULT_ERROR;
	else if (strcmp(mode, "500") == 0)
		f->mode = FS_FAULT_500;
	else if (strcmp(mode, "hold") == 0)
		f->mode = FS_FAULT_HOLD;
	else if (strcmp(mode, "none") == 0)
		f->mode = FS_FAULT_NONE;
	else
		return (fs_ctl_err("bad_mode"));
	return (json_pack("{s:b}", "ok", 1));
}

static json_t *
fs_ctl_release(struct fakeslack *fs, json_t *req)
{
	const char	*method;
	size_t		 i;

	method = json_string_value(json_object_get(req, "method"));
	for (i = 0; i < fs->nfaults; i++) {
		if (fs->faults[i].mode == FS_FAULT_HOLD && (method == NULL ||
		    strcmp(method, fs->faults[i].method) == 0))
			fs->faults[i].mode = FS_FAULT_NONE;
	}
	fs_web_release(fs, method);
	return (json_pack("{s:b}", "ok", 1));
}

static json_t *
fs_ctl_state(struct fakeslack *fs)
{
	struct fs_conn	*c;
	struct fs_http	*h;
	json_t		*conns, *out;
	int		 nholds = 0;

	conns = json_array();
	TAILQ_FOREACH(c, &fs->conns, entry)
		json_array_append_new(conns, json_pack("{s:i, s:b, s:b, s:b, "
		    "s:b, s:b}", "id", c->id, "hello", c->hello_sent,
		    "silent", c->silent, "closing", c->closing,
		    "dropped", c->dropped, "rejected", c->rejected));
	TAILQ_FOREACH(h, &fs->holds, hold_entry)
		nholds++;
	/* start_us: CLOCK_MONOTONIC at start, which every t_us counts from */
	out = json_pack("{s:b, s:i, s:b, s:s, s:{s:i, s:i}, s:o, s:i, s:i, "
	    "s:i, s:I, s:i, s:i, s:I}", "ok", 1, "port", fs->port, "tls", fs->tls,
	    "host", fs->host, "tls_handshakes", "started", fs->tls_started,
	    "done", fs->tls_done, "conns", conns, "posts", fs->posts,
	    "postmessages", fs->npostlog, "holds", nholds,
	    "next", (json_int_t)fs->nevents, "web_delay_ms", fs->delay.ms,
	    "delayed", fs_delay_count(fs), "start_us",
	    (json_int_t)fs->start_us);
	return (out);
}

static json_t *
fs_ctl_log(struct fakeslack *fs, struct fs_http *h)
{
	char		 arg[64];
	const char	*v;
	json_t		*events;
	size_t		 since = 0, i;

	v = lws_get_urlarg_by_name(h->wsi, "since=", arg, sizeof arg);
	if (v != NULL)
		since = strtoul(v, NULL, 10);
	events = json_array();
	for (i = since; i < fs->nevents; i++)
		json_array_append(events, fs->events[i]);
	return (json_pack("{s:b, s:I, s:o}", "ok", 1, "next",
	    (json_int_t)fs->nevents, "events", events));
}

/* GET /_ctl/posts?since=N: chat.postMessage calls N and on. */
static json_t *
fs_ctl_posts(struct fakeslack *fs, struct fs_http *h)
{
	struct fs_post	*p;
	char		 arg[64];
	const char	*v;
	json_t		*posts;
	long		 since = 0;
	int		 i;

	v = lws_get_urlarg_by_name(h->wsi, "since=", arg, sizeof arg);
	if (v != NULL)
		since = strtol(v, NULL, 10);
	if (since < 0 || since > fs->npostlog)
		since = fs->npostlog;
	posts = json_array();
	for (i = (int)since; i < fs->npostlog; i++) {
		p = &fs->postlog[i];
		json_array_append_new(posts, json_pack("{s:I, s:s, s:s?}",
		    "t_us", (json_int_t)p->t_us, "channel", p->channel,
		    "thread_ts", p->thread_ts));
	}
	return (json_pack("{s:b, s:i, s:o}", "ok", 1, "next", fs->npostlog,
	    "posts", posts));
}

/*
 * POST (or GET) /_ctl/config: {"web_delay_ms": N, "usergroups": {...},
 * "files": {path: body or {body, status}}}; says what is set.
 */
static json_t *
fs_ctl_config(struct fakeslack *fs, json_t *req)
{
	json_t	*v;
	int	 ms;

	v = json_object_get(req, "usergroups");
	if (v != NULL) {
		/* {"S0123": ["U1", ...], ...}: usergroups.users.list */
		if (!json_is_object(v))
			return (fs_ctl_err("usergroups_not_object"));
		json_decref(fs->usergroups);
		fs->usergroups = json_deep_copy(v);
		fs_log_new(fs, "config", json_pack("{s:O}", "usergroups", v));
	}
	v = json_object_get(req, "files");
	if (v != NULL) {
		/* {"/cal/vault.ics": "BEGIN:VCALENDAR...", "/x": {"body":
		   "...", "status": 500}}: merged into what GET answers */
		if (!json_is_object(v))
			return (fs_ctl_err("files_not_object"));
		if (fs->files == NULL)
			fs->files = json_object();
		json_object_update(fs->files, v);
		fs_log_new(fs, "config", json_pack("{s:O}", "files", v));
	}
	v = json_object_get(req, "web_delay_ms");
	if (v != NULL) {
		if (!json_is_integer(v))
			return (fs_ctl_err("web_delay_ms_not_integer"));
		if (json_integer_value(v) < 0 ||
		    json_integer_value(v) > FS_DELAY_MAX_MS)
			return (fs_ctl_err("web_delay_ms_out_of_range"));
		ms = (int)json_integer_value(v);
		if (fs_delay_set(fs, ms) != 0)
			return (fs_ctl_err("no_timer"));
		fs_log_new(fs, "config", json_pack("{s:i}", "web_delay_ms",
		    ms));
	}
	return (json_pack("{s:b, s:i}", "ok", 1, "web_delay_ms",
	    fs->delay.ms));
}

/* ---- flood --------------------------------------------------------- */

void
fs_flood_reset(struct fakeslack *fs)
{
	struct fs_flood	*fl = &fs->flood;
	struct itimerspec off;
	struct lws	*wsi = fl->tfd_wsi;
	int		 run = fl->run, tfd = fl->tfd;

	memset(&off, 0, sizeof off);
	if (tfd != -1)
		timerfd_settime(tfd, 0, &off, NULL);
	free(fl->sent_us);
	free(fl->lat_us);
	free(fl->cmds);
	memset(fl, 0, sizeof *fl);
	fl->run = run;
	fl->tfd = tfd;
	fl->tfd_wsi = wsi;
}

/* Arms the 1 ms pacing clock; 0 or -1. */
static int
fs_flood_clock(struct fakeslack *fs)
{
	struct fs_flood		*fl = &fs->flood;
	struct itimerspec	 it;
	lws_sock_file_fd_type	 fd;

	if (fl->tfd == -1) {
		fl->tfd = timerfd_create(CLOCK_MONOTONIC,
		    TFD_NONBLOCK | TFD_CLOEXEC);
		if (fl->tfd == -1)
			return (-1);
		fd.filefd = fl->tfd;
		fl->tfd_wsi = lws_adopt_descriptor_vhost(fs->vhost,
		    LWS_ADOPT_RAW_FILE_DESC, fd, "fakeslack", NULL);
		if (fl->tfd_wsi == NULL) {
			close(fl->tfd);
			fl->tfd = -1;
			return (-1);
		}
	}
	memset(&it, 0, sizeof it);
	it.it_value.tv_nsec = 1000000;
	it.it_interval.tv_nsec = 1000000;
	return (timerfd_settime(fl->tfd, 0, &it, NULL));
}

/* Remembers command idx, so that its reply can be found. */
static void
fs_flood_cmd_add(struct fs_flood *fl, int idx, const char *ts,
    const char *channel)
{
	struct fs_flood_cmd	*cmd;

	if (fl->ncmds == fl->capcmds) {
		fl->capcmds = fl->capcmds == 0 ? 256 : fl->capcmds * 2;
		fl->cmds = fs_xrealloc(fl->cmds, (size_t)fl->capcmds,
		    sizeof *fl->cmds);
	}
	cmd = &fl->cmds[fl->ncmds++];
	memset(cmd, 0, sizeof *cmd);
	cmd->idx = idx;
	snprintf(cmd->ts, sizeof cmd->ts, "%s", ts);
	cmd->channel = channel;
}

static void
fs_flood_one(struct fakeslack *fs, struct fs_conn *c, int idx)
{
	struct fs_flood	*fl = &fs->flood;
	const char	*text, *channel = "C0001";
	char		*ts, *cmid, *s = NULL;
	double		 r;
	int		 n, is_cmd = 0;

	r = (double)(fs_rand(&fl->rng) % 10000) / 10000.0;
	text = fs_chatter[fs_rand(&fl->rng) %
	    (sizeof fs_chatter / sizeof fs_chatter[0])];
	if (r >= fl->p_chatter && r < fl->p_chatter + fl->p_sop) {
		text = "!sop hivedown";
		is_cmd = 1;
	} else if (r >= fl->p_chatter + fl->p_sop)
		channel = "C0002";
	/*
	 * Every event is a new top-level message (no thread_ts) with a ts
	 * of its own, so each reply opens its own thread.
	 */
	ts = fs_ts_new(fs);
	if (is_cmd)
		fs_flood_cmd_add(fl, idx, ts, channel);
	cmid = fs_uuid_new(fs);
	n = asprintf(&s,
	    "{\"envelope_id\":\"fl-%d-%d\",\"payload\":{\"token\":"
	    "\"verification-token-deprecated\",\"team_id\":\"T0001\","
	    "\"context_team_id\":\"T0001\",\"context_enterprise_id\":null,"
	    "\"api_app_id\":\"A0001\",\"event\":{\"client_msg_id\":\"%s\","
	    "\"type\":\"message\",\"text\":\"%s\",\"user\":\"U000%d\","
	    "\"ts\":\"%s\",\"team\":\"T0001\",\"blocks\":[{\"type\":"
	    "\"rich_text\",\"block_id\":\"b%04x\",\"elements\":[{\"type\":"
	    "\"rich_text_section\",\"elements\":[{\"type\":\"text\","
	    "\"text\":\"%s\"}]}]}],\"channel\":\"%s\",\"event_ts\":\"%s\","
	    "\"channel_type\":\"channel\"},\"type\":\"event_callback\","
	    "\"event_id\":\"EvFL%d_%d\",\"event_time\":%lld,"
	    "\"authorizations\":[{\"enterprise_id\":null,\"team_id\":"
	    "\"T0001\",\"user_id\":\"U0BOT\",\"is_bot\":true,"
	    "\"is_enterprise_install\":false}],\"is_ext_shared_channel\":"
	    "false,\"event_context\":\"1-message-T0001-%s\"},\"type\":"
	    "\"events_api\",\"accepts_response_payload\":false,"
	    "\"retry_attempt\":0,\"retry_reason\":\"\"}",
	    idx, fl->run, cmid, text, 1 + idx % 2, ts, idx & 0xffff, text,
	    channel, ts, fl->run, idx, (long long)time(NULL), channel);
	if (n < 0)
		abort();
	fs_ws_queue(c, s, (size_t)n, 0, NULL, idx);
	free(s);
	free(ts);
	free(cmid);
}

/* Queues as many envelopes as the schedule (or window) allows. */
static void
fs_flood_fill(struct fakeslack *fs)
{
	struct fs_flood	*fl = &fs->flood;
	struct fs_conn	*c;
	int64_t		 due;

	if (!fl->active)
		return;
	c = fs_ws_find(fs, fl->conn);
	if (c == NULL || c->closing || c->dropped) {
		fl->active = 0;
		fs_log_new(fs, "flood_stop", json_pack("{s:s}", "reason",
		    "connection gone"));
		return;
	}
	if (fl->rate > 0) {
		due = (int64_t)((double)(fs_now_us(fs) - fl->start_us) *
		    fl->rate / 1e6) + 1;
		while (fl->queued < fl->count && fl->queued < due)
			fs_flood_one(fs, c, fl->queued++);
	} else {
		while (fl->queued < fl->count &&
		    fl->queued - fl->acked < fl->window)
			fs_flood_one(fs, c, fl->queued++);
	}
	if (fl->queued >= fl->count)
		fl->active = 0;
}

void
fs_flood_tick(struct fakeslack *fs)
{
	struct fs_flood		*fl = &fs->flood;
	struct itimerspec	 off;
	uint64_t		 expirations;

	if (fl->tfd == -1)
		return;
	if (read(fl->tfd, &expirations, sizeof expirations) < 0)
		return;
	fs_flood_fill(fs);
	if (!fl->active) {
		memset(&off, 0, sizeof off);
		timerfd_settime(fl->tfd, 0, &off, NULL);
	}
}

static int
fs_flood_cmd_cmp(const void *key, const void *elem)
{
	int idx = *(const int *)key;
	const struct fs_flood_cmd *cmd = elem;

	return (idx < cmd->idx ? -1 : idx > cmd->idx);
}

void
fs_flood_sent(struct fakeslack *fs, int idx)
{
	struct fs_flood		*fl = &fs->flood;
	struct fs_flood_cmd	*cmd;

	if (fl->sent_us == NULL || idx < 0 || idx >= fl->count)
		return;
	fl->sent_us[idx] = fs_now_us(fs);
	fl->sent++;
	/* sent_us[idx] is overwritten by the ack; the command keeps its own */
	if (fl->ncmds == 0)
		return;
	cmd = bsearch(&idx, fl->cmds, (size_t)fl->ncmds, sizeof *fl->cmds,
	    fs_flood_cmd_cmp);
	if (cmd != NULL)
		cmd->sent_us = fl->sent_us[idx];
}

void
fs_flood_acked(struct fakeslack *fs, int idx)
{
	struct fs_flood	*fl = &fs->flood;
	int64_t		 now;

	if (fl->sent_us == NULL || idx < 0 || idx >= fl->count ||
	    fl->sent_us[idx] <= 0)
		return;
	now = fs_now_us(fs);
	fl->lat_us[fl->acked++] = (uint32_t)(now - fl->sent_us[idx]);
	fl->sent_us[idx] = -1;	/* a second ack is not counted */
	fl->last_ack_us = now;
	if (fl->rate <= 0)
		fs_flood_fill(fs);
}

static json_t *
fs_ctl_flood_start(struct fakeslack *fs, json_t *req)
{
	struct fs_flood	*fl = &fs->flood;
	struct fs_conn	*c;
	json_t		*mix, *v;

	c = fs_ctl_conn(fs, req);
	if (c == NULL)
		return (fs_ctl_err("no_connection"));
	fs_flood_reset(fs);
	fl->run++;
	fl->count = fs_ctl_int(req, "count", 1000);
	if (fl->count <= 0 || fl->count > 10000000)
		return (fs_ctl_err("bad_count"));
	v = json_object_get(req, "rate_per_sec");
	fl->rate = json_is_number(v) ? json_number_value(v) : 1000;
	fl->window = fs_ctl_int(req, "window", 64);
	mix = json_object_get(req, "mix");
	v = json_object_get(mix, "chatter");
	fl->p_chatter = json_is_number(v) ? json_number_value(v) : 0.8;
	v = json_object_get(mix, "sop");
	fl->p_sop = json_is_number(v) ? json_number_value(v) : 0.1;
	fl->conn = c->id;
	fl->rng = fs_rand(&fs->rng) | 1;
	fl->sent_us = fs_xcalloc((size_t)fl->count, sizeof *fl->sent_us);
	fl->lat_us = fs_xcalloc((size_t)fl->count, sizeof *fl->lat_us);
	fl->posts_before = fs->npostlog;
	fl->start_us = fs_now_us(fs);
	fl->active = 1;
	fs_log_new(fs, "flood_start", json_pack("{s:i, s:f, s:i, s:i}",
	    "conn", c->id, "rate_per_sec", fl->rate, "count", fl->count,
	    "run", fl->run));
	fs_flood_fill(fs);
	if (fl->active && fl->rate > 0 && fs_flood_clock(fs) != 0) {
		fl->active = 0;
		return (fs_ctl_err("no_timer"));
	}
	return (json_pack("{s:b, s:i, s:i}", "ok", 1, "conn", c->id, "run",
	    fl->run));
}

static int
fs_u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x < y ? -1 : x > y);
}

static json_t *
fs_ctl_flood_stats(struct fakeslack *fs)
{
	struct fs_flood	*fl = &fs->flood;
	uint32_t	*sorted;
	double		 secs, sum = 0;
	int		 i, n = fl->acked;
	json_t		*out;

	out = json_pack("{s:b, s:b, s:i, s:i, s:i, s:i, s:i, s:i, s:i}",
	    "ok", 1, "active", fl->active, "count", fl->count,
	    "queued", fl->queued, "sent", fl->sent, "acked", fl->acked,
	    "posts", fs->npostlog - fl->posts_before,
	    "posts_from", fl->posts_before, "commands", fl->ncmds);
	secs = (double)(fl->last_ack_us - fl->start_us) / 1e6;
	json_object_set_new(out, "elapsed_s", json_real(n > 0 ? secs : 0));
	json_object_set_new(out, "acked_per_sec",
	    json_real(n > 0 && secs > 0 ? n / secs : 0));
	if (n <= 0)
		return (out);
	sorted = fs_xmalloc((size_t)n * sizeof *sorted);
	memcpy(sorted, fl->lat_us, (size_t)n * sizeof *sorted);
	qsort(sorted, (size_t)n, sizeof *sorted, fs_u32_cmp);
	for (i = 0; i < n; i++)
		sum += sorted[i];
	json_object_set_new(out, "p50_us", json_integer(sorted[n / 2]));
	json_object_set_new(out, "p99_us",
	    json_integer(sorted[(size_t)((n - 1) * 0.99)]));
	json_object_set_new(out, "max_us", json_integer(sorted[n - 1]));
	json_object_set_new(out, "mean_us", json_real(sum / n));
	free(sorted);
	return (out);
}

/* GET /_ctl/flood/commands: the '!sop' of the current flood. */
static json_t *
fs_ctl_flood_commands(struct fakeslack *fs)
{
	struct fs_flood		*fl = &fs->flood;
	struct fs_flood_cmd	*cmd;
	json_t			*cmds;
	int			 i;

	cmds = json_array();
	for (i = 0; i < fl->ncmds; i++) {
		cmd = &fl->cmds[i];
		json_array_append_new(cmds, json_pack("{s:i, s:s, s:s, s:I}",
		    "idx", cmd->idx, "ts", cmd->ts, "channel", cmd->channel,
		    "sent_us", (json_int_t)cmd->sent_us));
	}
	return (json_pack("{s:b, s:i, s:o}", "ok", 1, "run", fl->run,
	    "commands", cmds));
}

/* ---- routing ------------------------------------------------------- */

void
fs_ctl_request(struct fakeslack *fs, struct fs_http *h)
{
	const char	*what = h->path + 6;
	json_t		*req = NULL, *resp = NULL;
	json_error_t	 jerr;
	struct fs_conn	*c;

	if (h->body.s != NULL && h->body.len > 0) {
		req = json_loads(h->body.s, 0, &jerr);
		if (!json_is_object(req)) {
			resp = json_pack("{s:b, s:s, s:s}", "ok", 0,
			    "error", "bad_json", "detail", jerr.text);
			goto out;
		}
	} else
		req = json_object();

	if (strcmp(what, "log") == 0)
		resp = fs_ctl_log(fs, h);
	else if (strcmp(what, "state") == 0)
		resp = fs_ctl_state(fs);
	else if (strcmp(what, "send") == 0)
		resp = fs_ctl_send(fs, req);
	else if (strcmp(what, "disconnect") == 0)
		resp = fs_ctl_disconnect(fs, req);
	else if (strcmp(what, "close") == 0 || strcmp(what, "drop") == 0 ||
	    strcmp(what, "rst") == 0 || strcmp(what, "silent") == 0) {
		c = fs_ctl_conn(fs, req);
		if (c == NULL)
			resp = fs_ctl_err("no_connection");
		else {
			if (what[0] == 'c')
				fs_ws_close_after(c, 0);
			else if (what[0] == 'd')
				fs_ws_drop(c);
			else if (what[0] == 'r')
				fs_ws_reset(c);
			else
				fs_ws_silence(c, json_is_true(json_object_get(
				    req, "after_write")));
			resp = json_pack("{s:b, s:i}", "ok", 1, "conn", c->id);
		}
	} else if (strcmp(what, "fault") == 0)
		resp = fs_ctl_fault(fs, req);
	else if (strcmp(what, "release") == 0)
		resp = fs_ctl_release(fs, req);
	else if (strcmp(what, "ws_reject") == 0) {
		free(fs->reject_reason);
		fs->reject_reason = fs_xstrdup(json_is_string(json_object_get(
		    req, "reason")) ? json_string_value(json_object_get(req,
		    "reason")) : "too_many_websockets");
		fs->reject_count = fs_ctl_int(req, "count", 1);
		fs->reject_close_ms = fs_ctl_int(req, "close_after_ms", 100);
		resp = json_pack("{s:b}", "ok", 1);
	} else if (strcmp(what, "flood") == 0) {
		if (h->is_post)
			resp = fs_ctl_flood_start(fs, req);
		else
			resp = fs_ctl_flood_stats(fs);
	} else if (strcmp(what, "flood/commands") == 0)
		resp = fs_ctl_flood_commands(fs);
	else if (strcmp(what, "posts") == 0)
		resp = fs_ctl_posts(fs, h);
	else if (strcmp(what, "config") == 0)
		resp = fs_ctl_config(fs, req);
	else if (strcmp(what, "reset") == 0) {
		/* state only: a delay set by /_ctl/config or -d stays */
		fs_flood_reset(fs);
		fs_ws_sent_reset(fs);
		fs_log_reset(fs);
		fs_web_postlog_reset(fs);
		fs->posts = 0;
		resp = json_pack("{s:b}", "ok", 1);
	} else
		resp = fs_ctl_err("unknown_control");
out:
	json_decref(req);
	fs_http_answer_json_new(h, json_is_true(json_object_get(resp, "ok")) ?
	    200 : 409, resp);
}
