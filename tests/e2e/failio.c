/*
 * failio.c: an LD_PRELOAD shim for the e2e tests that makes the store's
 * writes fail on demand, to see what opsbot does when its database
 * breaks while it runs. Corrupting the file under a running bot proves
 * nothing: its writes sit in the WAL and sqlite keeps its page cache.
 *
 * While the file named by $OPSBOT_FAILIO_TRIGGER exists, every write,
 * pwrite and pwrite64 to a file whose name ends in ".db", ".db-wal" or
 * "-journal" fails with EIO (what a dying disk returns). Everything
 * else passes through. Test code only: never linked into opsbot.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static int
failio_store_fd(int fd)
{
	static const char	*ends[] = { ".db", ".db-wal", "-journal" };
	const char		*trigger;
	char			 link[64], path[4096];
	ssize_t			 n;
	size_t			 i, len;

	if ((trigger = getenv("OPSBOT_FAILIO_TRIGGER")) == NULL ||
	    access(trigger, F_OK) != 0)
		return (0);
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	if ((n = readlink(link, path, sizeof path - 1)) <= 0)
		return (0);
	path[n] = '\0';
	for (i = 0; i < sizeof ends / sizeof ends[0]; i++) {
		len = strlen(ends[i]);
		if ((size_t)n >= len && strcmp(path + n - len, ends[i]) == 0)
			return (1);
	}
	return (0);
}

#define FAILIO_NEXT(name, type) \
	static type next; \
	if (next == NULL) \
		next = (type)dlsym(RTLD_NEXT, name)

ssize_t
write(int fd, const void *buf, size_t len)
{
	typedef ssize_t (*fn)(int, const void *, size_t);
	FAILIO_NEXT("write", fn);

	if (failio_store_fd(fd)) {
		errno = EIO;
		return (-1);
	}
	return (next(fd, buf, len));
}

ssize_t
pwrite(int fd, const void *buf, size_t len, off_t off)
{
	typedef ssize_t (*fn)(int, const void *, size_t, off_t);
	FAILIO_NEXT("pwrite", fn);

	if (failio_store_fd(fd)) {
		errno = EIO;
		return (-1);
	}
	return (next(fd, buf, len, off));
}

ssize_t
pwrite64(int fd, const void *buf, size_t len, off64_t off)
{
	typedef ssize_t (*fn)(int, const void *, size_t, off64_t);
	FAILIO_NEXT("pwrite64", fn);

	if (failio_store_fd(fd)) {
		errno = EIO;
		return (-1);
	}
	return (next(fd, buf, len, off));
}
