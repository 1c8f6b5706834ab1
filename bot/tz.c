/*
 * tz.c: UTC <-> a zone's wall clock, through glibc and the system tz
 * database. glibc converts in one zone only, the one the TZ environment
 * variable names; tz_enter and tz_leave are the one place that sets it.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bot/util.h"
#include "bot/tz.h"

/*
 * How far apart, in seconds, a wall clock and UTC can be: tzdata's
 * offsets stay within -12h..+14h since 1900 but for a few local mean
 * times of about 15h; 16h covers them. tz_utc reads the offsets at
 * this distance on either side of a time as those before and after
 * the (at most one) change near it.
 */
#define TZ_SPAN_SECS	(16 * 3600)

/*
 * TZ as it was before tz_enter, to put back. The process environment is
 * global state outside struct bot, which the house style does not
 * otherwise allow; it is confined here because:
 *   - glibc has no per-zone conversion (no localtime_rz), and the other
 *     way, reading TZif files ourselves, is a second implementation of
 *     the tz database to keep right (the footer's POSIX rules for years
 *     past the table are DST rules by another name);
 *   - opsbot is one thread (the lws loop), so nothing runs between
 *     tz_enter and tz_leave, and every public function here leaves TZ as
 *     it found it before it returns: outside this file TZ never changes;
 *   - nothing else in opsbot reads local time: what is stored is UTC and
 *     the log stamps with gmtime_r.
 * The price is that glibc re-reads the zone file at each switch (one
 * open and read of a few KiB): microseconds, a few times per command.
 */
struct tz_saved {
	char	*tz;		/* owned copy of the old TZ, NULL if unset */
};

static void
tz_setenv(const char *value)
{
	if (value == NULL) {
		if (unsetenv("TZ") != 0)
			fatal("unsetenv TZ");
	} else if (setenv("TZ", value, 1) != 0)
		fatal("setenv TZ");
	/* localtime_r need not re-read TZ; tzset makes it. */
	tzset();
}

/* Makes zone (already checked) glibc's local zone until tz_leave. */
static void
tz_enter(const char *zone, struct tz_saved *sv)
{
	const char	*old;
	char		*value;

	old = getenv("TZ");
	/* getenv's string may not survive setenv: copy it. */
	sv->tz = old != NULL ? xstrdup(old) : NULL;
	if (strcmp(zone, "UTC") == 0)
		value = xstrdup("UTC0");	/* POSIX form: no file needed */
	else
		xasprintf(&value, ":%s/%s", TZ_DIR, zone);
	tz_setenv(value);
	free(value);
}

static void
tz_leave(struct tz_saved *sv)
{
	tz_setenv(sv->tz);
	free(sv->tz);
	sv->tz = NULL;
}

/* Whether name has only the characters and components a zone name has. */
static int
tz_name_ok(const char *name)
{
	const char	*p;
	int		 start = 1;

	for (p = name; *p != '\0'; p++) {
		if (*p == '/') {
			if (start)
				return (0);	/* "//" or a leading '/' */
			start = 1;
			continue;
		}
		start = 0;
		/* No '.': no "..", and no tzdata's non-zone files (zone.tab). */
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '_' || *p == '-' ||
		    *p == '+'))
			return (0);
	}
	return (!start);		/* not empty, no trailing '/' */
}

/* Whether path is a regular file that starts like a TZif file. */
static int
tz_file_ok(const char *path)
{
	struct stat	 st;
	char		 magic[4];
	int		 fd, ok = 0;

	/* O_NONBLOCK: a FIFO put there must not hang the bot. */
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1)
		return (0);
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    read(fd, magic, sizeof magic) == (ssize_t)sizeof magic &&
	    memcmp(magic, "TZif", sizeof magic) == 0)
		ok = 1;
	close(fd);
	return (ok);
}

int
tz_check(const char *name, char **cause)
{
	char	*path = NULL, *why = NULL;
	int	 rc = -1;

	if (name == NULL || *name == '\0') {
		why = xstrdup("no time zone given: name one such as "
		    "Europe/Berlin, America/New_York or UTC");
		goto out;
	}
	if (strlen(name) > TZ_NAME_MAX) {
		xasprintf(&why, "a time zone name has at most %d bytes",
		    TZ_NAME_MAX);
		goto out;
	}
	if (*name == '/') {
		/* not echoed: it may be any path on this machine */
		why = xstrdup("a time zone is a name such as Europe/Berlin, "
		    "not a path");
		goto out;
	}
	if (!tz_name_ok(name)) {
		why = xstrdup("a time zone name has only letters, digits and "
		    "/ _ + - (such as Europe/Berlin)");
		goto out;
	}
	if (strncmp(name, "right/", 6) == 0) {
		xasprintf(&why, "'%s' counts leap seconds and the clock does "
		    "not: use '%s'", name, name + 6);
		goto out;
	}
	if (strcmp(name, "UTC") == 0) {
		rc = 0;
		goto out;
	}
	xasprintf(&path, "%s/%s", TZ_DIR, name);
	if (!tz_file_ok(path)) {
		xasprintf(&why, "'%s' is not a time zone of the tz database "
		    "(%s); e.g. Europe/Berlin, America/New_York, UTC", name,
		    TZ_DIR);
		goto out;
	}
	rc = 0;
out:
	if (rc != 0 && cause != NULL) {
		*cause = why;
		why = NULL;
	}
	free(why);
	free(path);
	return (rc);
}

/* localtime_r in the entered zone; -1 if secs is past the calendar. */
static int
tz_local_entered(int64_t secs, struct tz_time *out)
{
	struct tm	 tm;
	time_t		 t = (time_t)secs;

	if ((int64_t)t != secs || localtime_r(&t, &tm) == NULL)
		return (-1);
	memset(out, 0, sizeof *out);
	out->year = tm.tm_year + 1900;
	out->mon = tm.tm_mon + 1;
	out->mday = tm.tm_mday;
	out->hour = tm.tm_hour;
	out->min = tm.tm_min;
	out->sec = tm.tm_sec;
	out->wday = tm.tm_wday;
	out->gmtoff = tm.tm_gmtoff;
	out->isdst = tm.tm_isdst > 0;
	/* tm_zone points into glibc's zone data: copy it before tz_leave. */
	snprintf(out->abbr, sizeof out->abbr, "%s",
	    tm.tm_zone != NULL ? tm.tm_zone : "");
	return (0);
}

int
tz_local(const char *zone, int64_t utc_secs, struct tz_time *out)
{
	struct tz_saved	 sv;
	struct tz_time	 t;
	int		 rc;

	if (tz_check(zone, NULL) != 0)
		return (-1);
	tz_enter(zone, &sv);
	rc = tz_local_entered(utc_secs, &t);
	tz_leave(&sv);
	if (rc == 0)
		*out = t;
	return (rc);
}

int
tz_local_all(const char *zone, const int64_t *utc_secs, size_t n,
    struct tz_time *out)
{
	struct tz_saved	 sv;
	size_t		 i;
	int		 rc = 0;

	if (tz_check(zone, NULL) != 0)
		return (-1);
	tz_enter(zone, &sv);
	for (i = 0; i < n && rc == 0; i++)
		rc = tz_local_entered(utc_secs[i], &out[i]);
	tz_leave(&sv);
	return (rc);
}

/* The offset (seconds east of UTC) in effect at u; -1 on error. */
static int
tz_offset_at(int64_t u, long *off)
{
	struct tz_time	 t;

	if (tz_local_entered(u, &t) != 0)
		return (-1);
	*off = t.gmtoff;
	return (0);
}

/* Whether the entered zone's clocks show wall (as UTC seconds) at u. */
static int
tz_shows(int64_t u, int64_t wall, int *yes)
{
	long	 off;

	if (tz_offset_at(u, &off) != 0)
		return (-1);
	*yes = u + off == wall;
	return (0);
}

enum tz_fit
tz_utc(const char *zone, const struct tz_time *local, int64_t *utc_secs)
{
	struct tz_saved	 sv;
	struct tm	 tm;
	int64_t		 wall, u1, u2;
	long		 before, after;
	int		 v1, v2;
	enum tz_fit	 fit = TZ_ERROR;

	if (local->year < 1900 || local->year > 9999 ||
	    tz_check(zone, NULL) != 0)
		return (TZ_ERROR);
	memset(&tm, 0, sizeof tm);
	tm.tm_year = local->year - 1900;
	tm.tm_mon = local->mon - 1;
	tm.tm_mday = local->mday;
	tm.tm_hour = local->hour;
	tm.tm_min = local->min;
	tm.tm_sec = local->sec;
	/* The wall-clock fields counted as if they were UTC: "wall". */
	errno = 0;
	wall = (int64_t)timegm(&tm);
	if (wall == -1 && errno != 0)
		return (TZ_ERROR);

	/*
	 * An instant u shows wall when u + offset(u) == wall. Offsets are
	 * within TZ_SPAN_SECS, so u is within that of wall, and the only
	 * candidates are wall minus the offset before and after any change
	 * in that window: one fits (exact), both (the repeated hour), or
	 * neither (the skipped hour).
	 */
	tz_enter(zone, &sv);
	if (tz_offset_at(wall - TZ_SPAN_SECS, &before) != 0 ||
	    tz_offset_at(wall + TZ_SPAN_SECS, &after) != 0)
		goto out;
	u1 = wall - before;
	u2 = wall - after;
	if (tz_shows(u1, wall, &v1) != 0 || tz_shows(u2, wall, &v2) != 0)
		goto out;
	if (v1 && v2 && u1 != u2) {
		fit = TZ_OVERLAP;	/* the first occurrence */
		*utc_secs = u1 < u2 ? u1 : u2;
	} else if (v1 || v2) {
		fit = TZ_EXACT;
		*utc_secs = v1 ? u1 : u2;
	} else {
		fit = TZ_GAP;		/* with the offset before the gap */
		*utc_secs = u1;
	}
out:
	tz_leave(&sv);
	return (fit);
}
