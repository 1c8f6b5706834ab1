/*
 * fakeslack.h: a Slack look-alike for the end-to-end tests and the
 * benchmark: Web API, Socket Mode and a control API, on loopback only.
 *
 * The server deliberately shares no code with opsbot: a harness built on
 * the code under test would inherit its bugs. It has its own tiny
 * allocation and string helpers here.
 *
 * Plain by default (http:// and ws://). With -C cert -K key everything,
 * the Web API, Socket Mode and the control API, is TLS on the same one
 * port, and the URLs it hands out are https:// and wss://; -H names the
 * host those URLs carry (the certificate must name it too).
 *
 * Map of tests/fakeslack/:
 *   fakeslack.c  main(), the lws context, the HTTP router, the event log
 *   fs-web.c     /api/<method> and /hooks/<id>: the Slack Web API
 *   fs-ws.c      /link/: Socket Mode connections, frames, acks
 *   fs-ctl.c     /_ctl/...: what the tests drive (send, faults, log, flood)
 *   fs-delay.c   a slow Slack: Web API answers held back web_delay_ms
 */
#ifndef FAKESLACK_H
#define FAKESLACK_H

#include <sys/queue.h>

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <libwebsockets.h>

#ifndef __dead
#define __dead __attribute__((__noreturn__))
#endif

#define FS_BODY_MAX	(4 * 1024 * 1024)	/* request bodies */
#define FS_FRAME_MAX	(4 * 1024 * 1024)	/* inbound WS messages */
#define FS_DELAY_MAX_MS	600000			/* a Web API answer's delay */

/* A growable byte string, NUL-terminated once anything was added. */
struct fs_buf {
	char	*s;	/* owned */
	size_t	 len;
	size_t	 cap;
};

/* One outbound WS frame waiting for WRITEABLE. */
struct fs_frame {
	TAILQ_ENTRY(fs_frame)	 entry;
	unsigned char		*data;	/* owned, LWS_PRE bytes of headroom */
	size_t			 len;
	int			 binary;
	int			 flood_idx;	/* -1 unless a flood envelope */
	char			*envelope_id;	/* owned; NULL if none */
};
TAILQ_HEAD(fs_frames, fs_frame);

/* One Socket Mode connection. Owned by fs->conns; freed on CLOSED. */
struct fs_conn {
	TAILQ_ENTRY(fs_conn)	 entry;
	struct fakeslack	*fs;		/* borrowed */
	struct lws		*wsi;		/* borrowed from lws */
	int			 id;
	int64_t			 opened_us;
	int			 hello_sent;
	int			 rejected;	/* disconnect instead of hello */
	int			 silent;	/* no reads, no writes */
	int			 silent_next;	/* silent once a frame is out */
	int			 closing;	/* close once the queue drains */
	int			 dropped;
	struct fs_frames	 frames;
	struct fs_buf		 rx;
	lws_sorted_usec_list_t	 close_sul;
};
TAILQ_HEAD(fs_conns, fs_conn);

/* An envelope that was written, waiting for its ack. */
struct fs_sent {
	char		*envelope_id;	/* owned */
	int		 conn;
	int64_t		 sent_us;
	int		 acked;
};

/* A Web API fault armed by the control API. */
enum fs_fault_mode {
	FS_FAULT_NONE = 0,
	FS_FAULT_429,
	FS_FAULT_ERROR,
	FS_FAULT_500,
	FS_FAULT_HOLD,
};
struct fs_fault {
	char			*method;	/* owned */
	enum fs_fault_mode	 mode;
	int			 count;		/* calls left; -1 forever */
	int			 retry_after;	/* seconds, for 429 */
	char			*error;		/* owned, for ERROR */
};

/* One HTTP request on the server side; lives in the lws pss. */
struct fs_http {
	struct fakeslack	*fs;		/* borrowed */
	struct lws		*wsi;		/* borrowed */
	char			 path[512];
	char			 query[512];
	int			 is_post;
	char			 auth[512];
	char			 ctype[256];
	struct fs_buf		 body;
	int			 routed;	/* handled once per request */
	/* the answer */
	int			 answered;	/* status/resp are final */
	int			 hdrs_sent;
	int			 held;
	int			 status;
	int			 retry_after;	/* 0: no header */
	char			*resp;		/* owned */
	const char		*resp_ctype;	/* static string */
	char			 api_method[64];
	json_t			*req;		/* new reference; parsed body */
	TAILQ_ENTRY(fs_http)	 hold_entry;
	int64_t			 arrived_us;	/* Web API: fs_now_us */
	/* a slow Slack: the answer waits in fs->delay until due_us */
	int			 delayed;
	int64_t			 due_us;
	TAILQ_ENTRY(fs_http)	 delay_entry;
};
TAILQ_HEAD(fs_holds, fs_http);
TAILQ_HEAD(fs_delays, fs_http);

/*
 * Web API answers held back ms after their request arrived, as a slow
 * Slack would answer. Due times follow arrival, so the queue is in due
 * order; one timerfd, armed for its head, lets them go. Not an lws_sul
 * for the reason given at struct fs_flood: each would spin the CPU for
 * the sub-ms rest of its wait.
 */
struct fs_delay {
	int		 ms;		/* 0: answer at once (the default) */
	struct fs_delays queue;		/* borrowed: each lives in its pss */
	int		 tfd;		/* -1 until a delay is first set */
	struct lws	*tfd_wsi;	/* borrowed from lws */
};

/*
 * A chat.postMessage answered ok, kept so that the benchmark can match
 * replies to the events that asked for them (/_ctl/posts).
 */
struct fs_post {
	int64_t	 t_us;		/* when its request arrived */
	char	*channel;	/* owned */
	char	*thread_ts;	/* owned; NULL for a top-level post */
};

/*
 * A '!sop' the flood sent. Its reply belongs in the thread of this
 * top-level message, so the reply's thread_ts is this ts.
 */
struct fs_flood_cmd {
	int		 idx;		/* flood index */
	char		 ts[32];
	const char	*channel;	/* static string */
	int64_t		 sent_us;	/* 0 until written */
};

/* The lws per-session data: either an HTTP request or a WS connection. */
struct fs_pss {
	struct fs_http	 http;
	struct fs_conn	*conn;		/* owned by fs->conns once set */
};

struct fs_flood {
	int		 active;
	int		 run;		/* bumped per flood: ids unique */
	double		 rate;		/* per second; 0: closed loop */
	int		 window;	/* outstanding when rate is 0 */
	int		 count;
	double		 p_chatter;
	double		 p_sop;
	int		 conn;		/* target connection id */
	int		 queued;
	int		 sent;
	int		 acked;
	int		 outstanding;
	int64_t		 start_us;
	int64_t		 last_ack_us;
	int64_t		*sent_us;	/* owned, count entries; 0 unsent */
	uint32_t	*lat_us;	/* owned, acked entries */
	int		 posts_before;	/* index into fs->postlog */
	struct fs_flood_cmd *cmds;	/* owned, in idx order */
	int		 ncmds;
	int		 capcmds;
	uint64_t	 rng;
	/*
	 * The pacing clock is a timerfd adopted into lws, not an lws_sul:
	 * lws rounds poll timeouts down to whole ms, so a 1 ms sul spins
	 * the CPU for the sub-ms rest and steals it from the bot measured.
	 */
	int		 tfd;		/* -1 until the first rated flood */
	struct lws	*tfd_wsi;	/* borrowed from lws */
};

/* The server: one per process, owned by main(). */
struct fakeslack {
	struct lws_context	*ctx;
	struct lws_vhost	*vhost;
	int			 port;
	int			 verbose;
	int			 tls;		/* -C/-K given: all is TLS */
	int			 tls_started;	/* TLS handshakes begun */
	int			 tls_done;	/* and completed */
	char			*host;		/* owned: the host in our URLs */
	char			*app_token;	/* owned */
	char			*bot_token;	/* owned */
	int64_t			 start_us;
	uint64_t		 rng;
	unsigned		 counter;	/* ids, ts */

	/* the event log the tests poll */
	json_t			**events;	/* owned, each a new reference */
	size_t			 nevents;
	size_t			 capevents;

	struct fs_conns		 conns;
	int			 next_conn;
	struct fs_sent		*sent;		/* owned */
	size_t			 nsent;
	size_t			 capsent;

	char			**tickets;	/* owned, unused tickets */
	size_t			 ntickets;

	struct fs_fault		*faults;	/* owned */
	size_t			 nfaults;
	struct fs_holds		 holds;

	int			 reject_count;	/* ws: disconnect, not hello */
	char			*reject_reason;	/* owned */
	int			 reject_close_ms;

	int			 posts;		/* successful posts, all kinds */
	struct fs_post		*postlog;	/* owned: chat.postMessage ok */
	int			 npostlog;
	int			 cappostlog;
	struct fs_flood		 flood;
	struct fs_delay		 delay;
	/* owned: user group ID -> array of user IDs, for
	   usergroups.users.list; set by /_ctl/config "usergroups" */
	json_t			*usergroups;
	/* path -> body string, or {"body": "...", "status": N}: what
	   GET <path> answers; set by /_ctl/config "files" */
	json_t			*files;
};

/* fakeslack.c */
void	*fs_xmalloc(size_t);
void	*fs_xcalloc(size_t, size_t);
void	*fs_xrealloc(void *, size_t, size_t);
char	*fs_xstrdup(const char *);
void	 fs_buf_add(struct fs_buf *, const void *, size_t);
void	 fs_buf_adds(struct fs_buf *, const char *);
void	 fs_buf_printf(struct fs_buf *, const char *, ...)
	    __attribute__((__format__(__printf__, 2, 3)));
void	 fs_buf_reset(struct fs_buf *);
/*
 * A URL back to this server (new string): http(s)://, or ws(s):// when
 * ws, then host:port and path (which starts with '/').
 */
char	*fs_url_new(struct fakeslack *, int ws, const char *path);
/* Microseconds since the server started (monotonic). */
int64_t	 fs_now_us(struct fakeslack *);
/* A uniform random 64-bit number (xorshift; not for secrets). */
uint64_t fs_rand(uint64_t *);
/* New ids: "xxxxxxxx-xxxx-4xxx-xxxx-xxxxxxxxxxxx", "EvFS0001AB", a ts. */
char	*fs_uuid_new(struct fakeslack *);
char	*fs_event_id_new(struct fakeslack *);
char	*fs_ts_new(struct fakeslack *);
/*
 * Appends ev (stolen) to the event log with "seq", "t_us" and "kind".
 * Returns the seq.
 */
size_t	 fs_log_new(struct fakeslack *, const char *kind, json_t *ev);
void	 fs_log_reset(struct fakeslack *);
/* Answers an HTTP request: status, body (copied), content type. */
void	 fs_http_answer(struct fs_http *, int status, const char *ctype,
	    const char *body);
/* Answers with a JSON object (steals obj), status 200 unless told. */
void	 fs_http_answer_json_new(struct fs_http *, int status, json_t *obj);
/* 1 if h came over TLS (its network connection, for h2 streams too). */
int	 fs_http_tls(struct fs_http *);

/* fs-delay.c */
/*
 * Sets the delay of every Web API answer from now on, in ms (0: none).
 * 0, or -1 if its timer cannot be made (the delay is then unchanged).
 */
int	 fs_delay_set(struct fakeslack *, int ms);
/*
 * h, a Web API request, arrived at h->arrived_us: holds its answer until
 * the delay set is over, if one is.
 */
void	 fs_delay_start(struct fakeslack *, struct fs_http *);
/* h goes away before its delay is over. */
void	 fs_delay_forget(struct fakeslack *, struct fs_http *);
/* The delay timerfd fired: lets every answer that is due go. */
void	 fs_delay_tick(struct fakeslack *);
int	 fs_delay_count(struct fakeslack *);

/* fs-web.c */
/* Routes /api/... and /hooks/...; answers or holds h. */
void	 fs_web_request(struct fakeslack *, struct fs_http *);
/* Answers every held request (of method, or all if NULL). */
void	 fs_web_release(struct fakeslack *, const char *method);
/* A held request went away. */
void	 fs_web_forget(struct fakeslack *, struct fs_http *);
void	 fs_web_reset(struct fakeslack *);
/* Forgets the chat.postMessage calls kept for /_ctl/posts. */
void	 fs_web_postlog_reset(struct fakeslack *);
/* Registers a ticket for the WS upgrade; returns the URL (new string). */
char	*fs_web_ticket_new(struct fakeslack *);
/* Consumes ticket; 0 if it was valid and unused, else -1. */
int	 fs_web_ticket_use(struct fakeslack *, const char *ticket);

/* fs-ws.c */
int	 fs_ws_callback(struct lws *, enum lws_callback_reasons, void *,
	    void *, size_t);
/* The connection with id, or the newest healthy one when id < 0. */
struct fs_conn *fs_ws_find(struct fakeslack *, int id);
/* Queues a text (or binary) frame; data is copied. */
void	 fs_ws_queue(struct fs_conn *, const char *data, size_t len,
	    int binary, const char *envelope_id, int flood_idx);
/* Closes after ms (0: once the queue drains; < 0: never). */
void	 fs_ws_close_after(struct fs_conn *, int ms);
/* EOF without a close frame (FIN). */
void	 fs_ws_drop(struct fs_conn *);
/* A reset (RST) without a close frame, as a crashed peer or a NAT. */
void	 fs_ws_reset(struct fs_conn *);
/*
 * Stops reading and writing: no pongs, no FIN, frames queued or sent
 * to it vanish. With after_write, only once the next frame (queued
 * already or later) is written, so the client has it but its ack is
 * lost.
 */
void	 fs_ws_silence(struct fs_conn *, int after_write);
int	 fs_ws_count(struct fakeslack *);
/* Forgets every sent envelope (their acks then count as unknown). */
void	 fs_ws_sent_reset(struct fakeslack *);

/* fs-ctl.c */
void	 fs_ctl_request(struct fakeslack *, struct fs_http *);
/* A frame with this flood index was written / acked. */
void	 fs_flood_sent(struct fakeslack *, int idx);
void	 fs_flood_acked(struct fakeslack *, int idx);
void	 fs_flood_reset(struct fakeslack *);
/* The pacing timerfd fired. */
void	 fs_flood_tick(struct fakeslack *);

#endif /* FAKESLACK_H */
