/*
 * wakeup-floor.c: what the kernel alone charges a process that is woken
 * for each small message and answers it, on this machine, with no
 * library at all. Two processes on loopback TCP: the sender writes a
 * ~1 KB message every millisecond (a timerfd, like fakeslack's flood)
 * and keeps reading answers; the receiver sleeps in epoll_wait, reads
 * the message and sends a 50-byte answer, as a Socket Mode client acks
 * an envelope. The receiver's CPU time per 1,000 messages is the floor
 * for any client at 1,000 events/s here: it has no WebSocket framing,
 * no JSON, no TLS and no frame mask.
 *
 * usage: wakeup-floor [count]    (default 20000, i.e. 20 s)
 * Prints one line: "wakeup floor: N messages, X ms CPU per 1,000".
 */
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <err.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MSG_BYTES	1000
#define ACK_BYTES	50

/* user + system CPU of this process, in milliseconds */
static double
cpu_ms(void)
{
	struct rusage	ru;

	getrusage(RUSAGE_SELF, &ru);
	return ((double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3);
}

/* The client: woken per message, answers each. Never returns. */
static void
receiver(const struct sockaddr_in *sin, int count)
{
	struct epoll_event	 ev;
	char			 buf[65536], ack[ACK_BYTES];
	double			 c0;
	ssize_t			 n;
	size_t			 partial = 0;	/* bytes of the next message */
	int			 s, ep, one = 1, got = 0;

	if ((s = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    connect(s, (const struct sockaddr *)sin, sizeof *sin) == -1)
		err(1, "connect");
	setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if ((ep = epoll_create1(0)) == -1)
		err(1, "epoll_create1");
	memset(&ev, 0, sizeof ev);
	ev.events = EPOLLIN;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev) == -1)
		err(1, "epoll_ctl");
	memset(ack, 'a', sizeof ack);
	c0 = cpu_ms();
	while (got < count) {
		if (epoll_wait(ep, &ev, 1, -1) < 1)
			continue;
		if ((n = recv(s, buf, sizeof buf, 0)) <= 0)
			break;
		/* one answer per whole message, however they arrived */
		for (partial += (size_t)n; partial >= MSG_BYTES;
		    partial -= MSG_BYTES, got++)
			send(s, ack, sizeof ack, 0);
	}
	printf("wakeup floor: %d messages, %.1f ms CPU per 1,000\n", got,
	    (cpu_ms() - c0) * 1000.0 / (got > 0 ? got : 1));
	fflush(stdout);
	_exit(0);
}

int
main(int argc, char **argv)
{
	struct sockaddr_in	 sin;
	struct itimerspec	 it;
	socklen_t		 slen = sizeof sin;
	uint64_t		 ticks;
	pid_t			 pid;
	char			 msg[MSG_BYTES], buf[65536];
	int			 ls, c, tf, one = 1, i, count = 20000;

	if (argc > 1 && (count = atoi(argv[1])) <= 0)
		errx(2, "usage: wakeup-floor [count]");
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);	/* loopback only */
	if ((ls = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    bind(ls, (struct sockaddr *)&sin, sizeof sin) == -1 ||
	    listen(ls, 1) == -1 ||
	    getsockname(ls, (struct sockaddr *)&sin, &slen) == -1)
		err(1, "listen");
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0)
		receiver(&sin, count);

	if ((c = accept(ls, NULL, NULL)) == -1)
		err(1, "accept");
	setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if ((tf = timerfd_create(CLOCK_MONOTONIC, 0)) == -1)
		err(1, "timerfd_create");
	memset(&it, 0, sizeof it);
	it.it_value.tv_nsec = it.it_interval.tv_nsec = 1000000;
	timerfd_settime(tf, 0, &it, NULL);
	memset(msg, 'x', sizeof msg);
	for (i = 0; i < count; i++) {
		if (read(tf, &ticks, sizeof ticks) != sizeof ticks)
			err(1, "timerfd");
		send(c, msg, sizeof msg, 0);
		while (recv(c, buf, sizeof buf, MSG_DONTWAIT) > 0)
			;
	}
	/* let the receiver finish, then collect it */
	sleep(1);
	shutdown(c, SHUT_RDWR);
	waitpid(pid, NULL, 0);
	return (0);
}
