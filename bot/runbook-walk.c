/*
 * runbook-walk.c: finding the runbook files under the configured
 * directories. A symbolic link is followed only when it resolves inside
 * one of them, every file and directory is taken once (by device and
 * inode, so link loops end), and whatever is skipped is reported.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/runbook.h"

#define RB_MAX_DEPTH	16	/* directories below a runbook dir */

struct rb_file_id {
	dev_t	 dev;
	ino_t	 ino;		/* 0: a free slot */
};

/* Device and inode of every directory walked and file taken. */
struct rb_seen {
	struct rb_file_id	*v;	/* owned; open addressing */
	size_t			 cap;	/* a power of two, or 0 */
	size_t			 n;
};

struct rb_walk {
	char		**roots;	/* owned: realpath of each dir */
	size_t		  nroots;
	struct rb_seen	  seen;
	struct rb_files	 *out;		/* borrowed */
	struct rb_diags	 *diags;	/* borrowed, may be NULL */
	int		  strict;	/* a skipped directory is an error */
};

static size_t
rb_seen_slot(const struct rb_seen *s, dev_t dev, ino_t ino)
{
	size_t	 h;

	h = ((size_t)ino * 0x9e3779b97f4a7c15ULL) ^ (size_t)dev;
	for (h &= s->cap - 1;; h = (h + 1) & (s->cap - 1)) {
		if (s->v[h].ino == 0 ||
		    (s->v[h].ino == ino && s->v[h].dev == dev))
			return (h);
	}
}

/* Adds dev+ino to s; returns 0, or 1 if it was there already. */
static int
rb_seen_add(struct rb_seen *s, dev_t dev, ino_t ino)
{
	struct rb_seen	 old;
	size_t		 i, h;

	if (ino == 0)	/* not a real inode number: cannot tell */
		return (0);
	if (s->cap != 0 && s->v[rb_seen_slot(s, dev, ino)].ino != 0)
		return (1);
	if (2 * (s->n + 1) > s->cap) {
		old = *s;
		s->cap = old.cap == 0 ? 64 : old.cap * 2;
		s->v = xcalloc(s->cap, sizeof *s->v);
		for (i = 0; i < old.cap; i++) {
			if (old.v[i].ino != 0)
				s->v[rb_seen_slot(s, old.v[i].dev,
				    old.v[i].ino)] = old.v[i];
		}
		free(old.v);
	}
	h = rb_seen_slot(s, dev, ino);
	s->v[h].dev = dev;
	s->v[h].ino = ino;
	s->n++;
	return (0);
}

/* Whether resolved (a realpath) is one of the roots or inside one. */
static int
rb_inside(const struct rb_walk *w, const char *resolved)
{
	size_t	 i, n;

	for (i = 0; i < w->nroots; i++) {
		n = strlen(w->roots[i]);
		if (strncmp(resolved, w->roots[i], n) != 0)
			continue;
		if (resolved[n] == '\0' || resolved[n] == '/' ||
		    (n == 1 && w->roots[i][0] == '/'))
			return (1);
	}
	return (0);
}

static int
rb_wanted(const char *name)
{
	static const char	*exts[] = { ".md", ".markdown", ".txt" };
	size_t			 i, n, e;

	n = strlen(name);
	for (i = 0; i < sizeof exts / sizeof exts[0]; i++) {
		e = strlen(exts[i]);
		if (n > e && strcasecmp(name + n - e, exts[i]) == 0)
			return (1);
	}
	return (0);
}

static int
rb_name_cmp(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/*
 * The entries of dir worth a look, sorted so that which of two paths to
 * the same file is taken does not depend on readdir order. Hidden
 * entries are left out, and so is the README.md describing a runbook dir
 * at its top. -1 with errno if dir cannot be read.
 */
static int
rb_list(const char *dir, int depth, struct strv *names)
{
	DIR		*d;
	struct dirent	*de;
	int		 saved;

	if ((d = opendir(dir)) == NULL)
		return (-1);
	for (;;) {
		errno = 0;
		if ((de = readdir(d)) == NULL)
			break;
		if (de->d_name[0] == '.')
			continue;
		if (depth == 0 && strcasecmp(de->d_name, "README.md") == 0)
			continue;
		strv_add(names, de->d_name);
	}
	saved = errno;
	closedir(d);
	if (saved != 0) {
		errno = saved;
		return (-1);
	}
	if (names->n > 1)
		qsort(names->v, names->n, sizeof *names->v, rb_name_cmp);
	return (0);
}

/*
 * Reports a directory that is skipped: an error, unless skipped
 * directories were allowed. The rest of the walk goes on either way.
 */
static void
rb_skip_dir(struct rb_walk *w, const char *path, const char *why)
{
	rb_diags_add(w->diags, path, 0, 0, w->strict, "%s: skipped", why);
}

static int	rb_walk_dir(struct rb_walk *, const char *, int);

/*
 * Looks at one entry of a directory at depth: a symbolic link must
 * resolve inside a root; a directory is walked, a runbook file taken,
 * once each.
 */
static void
rb_walk_entry(struct rb_walk *w, const char *path, const char *name,
    int depth)
{
	struct stat	 sb;
	char		*resolved = NULL, *why = NULL;
	int		 is_link;

	if (lstat(path, &sb) != 0) {
		rb_diags_add(w->diags, path, 0, 0, 0, "cannot stat: %s",
		    strerror(errno));
		goto out;
	}
	is_link = S_ISLNK(sb.st_mode);
	if (is_link && stat(path, &sb) != 0) {
		rb_diags_add(w->diags, path, 0, 0, 0,
		    "broken symbolic link: skipped (%s)", strerror(errno));
		goto out;
	}
	if (!S_ISDIR(sb.st_mode) && !(S_ISREG(sb.st_mode) && rb_wanted(name)))
		goto out;	/* not a runbook, wherever it is */
	if (is_link) {
		if ((resolved = realpath(path, NULL)) == NULL) {
			rb_diags_add(w->diags, path, 0, 0, 0,
			    "broken symbolic link: skipped (%s)",
			    strerror(errno));
			goto out;
		}
		if (!rb_inside(w, resolved)) {
			rb_diags_add(w->diags, path, 0, 0, 0,
			    "symbolic link to %s, outside the runbook "
			    "directories: skipped", resolved);
			goto out;
		}
	}
	if (S_ISDIR(sb.st_mode)) {
		if (depth + 1 > RB_MAX_DEPTH) {
			xasprintf(&why, "deeper than %d directories",
			    RB_MAX_DEPTH);
			rb_skip_dir(w, path, why);
		} else if (rb_seen_add(&w->seen, sb.st_dev, sb.st_ino))
			rb_diags_add(w->diags, path, 0, 0, 0, "directory "
			    "already walked (a link loop, or a second path to "
			    "it): skipped");
		else if (rb_walk_dir(w, path, depth + 1) != 0) {
			xasprintf(&why, "cannot open directory: %s",
			    strerror(errno));
			rb_skip_dir(w, path, why);
		}
		goto out;
	}
	if (rb_seen_add(&w->seen, sb.st_dev, sb.st_ino)) {
		rb_diags_add(w->diags, path, 0, 0, 0,
		    "same file as one already loaded: skipped");
		goto out;
	}
	rb_files_add(w->out, path, sb.st_dev, sb.st_ino);
out:
	free(why);
	free(resolved);
}

/*
 * Walks dir, depth directories below its root (the caller has marked it
 * seen). -1 with errno if dir itself cannot be read.
 */
static int
rb_walk_dir(struct rb_walk *w, const char *dir, int depth)
{
	struct strv	 names = { NULL, 0, 0 };
	char		*path;
	size_t		 i;
	int		 rv = -1;

	if (rb_list(dir, depth, &names) != 0)
		goto out;
	for (i = 0; i < names.n; i++) {
		xasprintf(&path, "%s/%s", dir, names.v[i]);
		rb_walk_entry(w, path, names.v[i], depth);
		free(path);
	}
	rv = 0;
out:
	strv_reset(&names);
	return (rv);
}

static int
rb_file_cmp(const void *a, const void *b)
{
	const struct rb_file	*x = a, *y = b;

	return (strcmp(x->path, y->path));
}

int
rb_walk(const char *const *dirs, size_t ndirs, int flags,
    struct rb_files *out, struct rb_diags *diags)
{
	struct rb_walk	 w;
	struct stat	 sb;
	size_t		 i, start;
	int		 rv = -1;

	memset(&w, 0, sizeof w);
	w.out = out;
	w.diags = diags;
	w.strict = !(flags & RB_LOAD_ALLOW_SKIPPED);
	w.roots = xcalloc(ndirs, sizeof *w.roots);

	/* Every root first: a link from one into another is followed. */
	for (i = 0; i < ndirs; i++) {
		if ((w.roots[i] = realpath(dirs[i], NULL)) == NULL) {
			rb_diags_add(diags, dirs[i], 0, 0, 1,
			    "cannot open directory: %s", strerror(errno));
			goto out;
		}
		w.nroots++;
	}
	for (i = 0; i < ndirs; i++) {
		if (stat(w.roots[i], &sb) != 0) {
			rb_diags_add(diags, dirs[i], 0, 0, 1,
			    "cannot open directory: %s", strerror(errno));
			goto out;
		}
		if (rb_seen_add(&w.seen, sb.st_dev, sb.st_ino)) {
			rb_diags_add(diags, dirs[i], 0, 0, 0, "directory "
			    "already walked (given twice, or inside another "
			    "runbook directory): skipped");
			continue;
		}
		start = out->n;
		if (rb_walk_dir(&w, dirs[i], 0) != 0) {
			rb_diags_add(diags, dirs[i], 0, 0, 1,
			    "cannot open directory: %s", strerror(errno));
			goto out;
		}
		if (out->n > start + 1)
			qsort(out->v + start, out->n - start, sizeof *out->v,
			    rb_file_cmp);
	}
	rv = 0;
out:
	for (i = 0; i < w.nroots; i++)
		free(w.roots[i]);
	free(w.roots);
	free(w.seen.v);
	return (rv);
}

void
rb_files_add(struct rb_files *files, const char *path, dev_t dev, ino_t ino)
{
	if (files->n == files->cap) {
		files->cap = files->cap == 0 ? 16 : files->cap * 2;
		files->v = xreallocarray(files->v, files->cap,
		    sizeof *files->v);
	}
	files->v[files->n].path = xstrdup(path);
	files->v[files->n].dev = dev;
	files->v[files->n].ino = ino;
	files->n++;
}

void
rb_files_reset(struct rb_files *files)
{
	size_t	 i;

	for (i = 0; i < files->n; i++)
		free(files->v[i].path);
	free(files->v);
	memset(files, 0, sizeof *files);
}
