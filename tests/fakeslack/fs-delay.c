/*
 * fs-delay.c: a slow Slack. With a delay set (-d ms, or POST
 * /_ctl/config {"web_delay_ms":N}), every Web API answer, whatever the
 * method (response_url posts and faults included), leaves N ms after its
 * request arrived. The request is still handled at once (logged, posts
 * stamped); only the answer waits, and the loop keeps serving meanwhile.
 */
#include <sys/timerfd.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fakeslack.h"

/* Arms the timerfd for the head of the queue, or disarms it. */
static void
fs_delay_arm(struct fakeslack *fs)
{
	struct fs_delay		*d = &fs->delay;
	struct fs_http		*h;
	struct itimerspec	 it;
	int64_t			 at;

	memset(&it, 0, sizeof it);
	h = TAILQ_FIRST(&d->queue);
	if (h != NULL) {
		/* fs_now_us counts from start_us on CLOCK_MONOTONIC */
		at = fs->start_us + h->due_us;
		it.it_value.tv_sec = at / 1000000;
		it.it_value.tv_nsec = (long)(at % 1000000) * 1000;
	}
	if (d->tfd != -1 &&
	    timerfd_settime(d->tfd, TFD_TIMER_ABSTIME, &it, NULL) == -1)
		fprintf(stderr, "fakeslack: cannot arm the delay timer\n");
}

/* Makes the timerfd and hands it to lws; 0 or -1. */
static int
fs_delay_clock(struct fakeslack *fs)
{
	struct fs_delay		*d = &fs->delay;
	lws_sock_file_fd_type	 fd;

	if (d->tfd != -1)
		return (0);
	d->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (d->tfd == -1)
		return (-1);
	fd.filefd = d->tfd;
	d->tfd_wsi = lws_adopt_descriptor_vhost(fs->vhost,
	    LWS_ADOPT_RAW_FILE_DESC, fd, "fakeslack", NULL);
	if (d->tfd_wsi == NULL) {
		close(d->tfd);
		d->tfd = -1;
		return (-1);
	}
	return (0);
}

int
fs_delay_set(struct fakeslack *fs, int ms)
{
	if (ms > 0 && fs_delay_clock(fs) != 0)
		return (-1);
	/* answers already waiting keep the due time they were given */
	fs->delay.ms = ms > 0 ? ms : 0;
	return (0);
}

void
fs_delay_start(struct fakeslack *fs, struct fs_http *h)
{
	struct fs_delay	*d = &fs->delay;
	struct fs_http	*prev;

	if (d->ms <= 0 || d->tfd == -1 || h->delayed)
		return;
	h->delayed = 1;
	h->due_us = h->arrived_us + (int64_t)d->ms * 1000;
	/*
	 * From the tail: with one delay the new answer is the last one
	 * due, and only a delay lowered since puts it further forward.
	 */
	TAILQ_FOREACH_REVERSE(prev, &d->queue, fs_delays, delay_entry)
		if (prev->due_us <= h->due_us)
			break;
	if (prev == NULL)
		TAILQ_INSERT_HEAD(&d->queue, h, delay_entry);
	else
		TAILQ_INSERT_AFTER(&d->queue, prev, h, delay_entry);
	if (TAILQ_FIRST(&d->queue) == h)
		fs_delay_arm(fs);
}

void
fs_delay_forget(struct fakeslack *fs, struct fs_http *h)
{
	if (!h->delayed)
		return;
	/* the timer may then fire for nothing; the tick re-arms it */
	TAILQ_REMOVE(&fs->delay.queue, h, delay_entry);
	h->delayed = 0;
}

void
fs_delay_tick(struct fakeslack *fs)
{
	struct fs_delay	*d = &fs->delay;
	struct fs_http	*h;
	uint64_t	 expirations;
	int64_t		 now;

	if (d->tfd == -1)
		return;
	if (read(d->tfd, &expirations, sizeof expirations) < 0)
		return;
	now = fs_now_us(fs);
	while ((h = TAILQ_FIRST(&d->queue)) != NULL && h->due_us <= now) {
		TAILQ_REMOVE(&d->queue, h, delay_entry);
		h->delayed = 0;
		/* a held request (a "hold" fault) waits for its release */
		if (h->answered && !h->held)
			lws_callback_on_writable(h->wsi);
	}
	fs_delay_arm(fs);
}

int
fs_delay_count(struct fakeslack *fs)
{
	struct fs_http	*h;
	int		 n = 0;

	TAILQ_FOREACH(h, &fs->delay.queue, delay_entry)
		n++;
	return (n);
}
