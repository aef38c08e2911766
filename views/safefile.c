// SPDX-License-Identifier: GPL-2.0
/*
 * Safe output files. Everything happens relative to the target's directory,
 * opened once, so the directory cannot be swapped between the checks and the
 * rename; the final name is only ever replaced by rename(2), which does not
 * follow a symbolic link. Symbolic links among the directories of the path
 * are followed: the kernel's protected_symlinks guards those in sticky
 * directories, and the last component is where a planted link would bite.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>
#include "safefile.h"

struct safefile {
	int dirfd;
	int fd;
	FILE *stream;
	bool force;
	char *path; /* as given, for messages */
	const char *base;
	char tmp[NAME_MAX + 1];
};

static void sf_free(struct safefile *f)
{
	if (f->stream)
		fclose(f->stream);
	else if (f->fd >= 0)
		close(f->fd);
	if (f->dirfd >= 0)
		close(f->dirfd);
	free(f->path);
	free(f);
}

/* ".NAME.XXXXXX" beside the target; O_EXCL, so an existing entry (or link) is never reused. */
static int create_temp(struct safefile *f)
{
	static const char digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";

	for (int attempt = 0; attempt < 64; attempt++) {
		unsigned char r[6];
		char suffix[7];

		if (getrandom(r, sizeof(r), 0) != sizeof(r)) {
			/* no entropy yet: the pid and the attempt still make the name unique enough
			 */
			for (size_t i = 0; i < sizeof(r); i++)
				r[i] =
				    (unsigned char)(getpid() >> (i * 4)) + (unsigned char)attempt;
		}
		for (size_t i = 0; i < sizeof(r); i++)
			suffix[i] = digits[r[i] % (sizeof(digits) - 1)];
		suffix[6] = 0;
		snprintf(f->tmp, sizeof(f->tmp), ".%.200s.%s", f->base, suffix);
		f->fd = openat(f->dirfd, f->tmp,
			       O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (f->fd >= 0)
			return 0;
		if (errno != EEXIST)
			return -errno;
	}
	return -EEXIST;
}

/* Started through sudo: the file belongs to the user who asked for it. */
static void give_to_sudo_user(int fd)
{
	const char *u = getenv("SUDO_UID"), *g = getenv("SUDO_GID");
	unsigned long uid, gid;
	char *end;

	if (geteuid() != 0 || !u || !g || !*u || !*g)
		return;
	uid = strtoul(u, &end, 10);
	if (*end || uid >= (uid_t)-1)
		return;
	gid = strtoul(g, &end, 10);
	if (*end || gid >= (gid_t)-1)
		return;
	/* a failure (root squashed on NFS...) leaves the file root's, still 0600 */
	if (fchown(fd, (uid_t)uid, (gid_t)gid))
		return;
}

static int open_dir(struct safefile *f, char *err, size_t n)
{
	char *slash = strrchr(f->path, '/');
	char *dir;

	if (!slash) {
		f->base = f->path;
		dir = strdup(".");
	} else {
		f->base = slash + 1;
		dir = slash == f->path ? strdup("/") : strndup(f->path, (size_t)(slash - f->path));
	}
	if (!dir) {
		snprintf(err, n, "out of memory");
		return -ENOMEM;
	}
	if (!*f->base || !strcmp(f->base, ".") || !strcmp(f->base, "..")) {
		snprintf(err, n, "%s: not a file name", f->path);
		free(dir);
		return -EISDIR;
	}
	f->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (f->dirfd < 0) {
		int e = errno;

		snprintf(err, n, "cannot write %s: %s", f->path, strerror(e));
		return -e;
	}
	return 0;
}

/* What is at the target now: nothing, or a regular file we may replace when forced. */
static int check_target(struct safefile *f, char *err, size_t n)
{
	struct stat st;

	if (fstatat(f->dirfd, f->base, &st, AT_SYMLINK_NOFOLLOW)) {
		int e = errno;

		if (e == ENOENT)
			return 0;
		snprintf(err, n, "cannot write %s: %s", f->path, strerror(e));
		return -e;
	}
	if (S_ISLNK(st.st_mode)) {
		snprintf(err, n, "%s is a symbolic link: not writing through it", f->path);
		return -ELOOP;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(err, n, "%s is a directory", f->path);
		return -EISDIR;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, n, "%s is not a regular file: not replacing it", f->path);
		return -EEXIST;
	}
	if (!f->force) {
		snprintf(err, n, "%s exists: use --force to replace it", f->path);
		return -EEXIST;
	}
	return 0;
}

struct safefile *safefile_create(const char *path, bool force, char *err, size_t n)
{
	struct safefile *f;
	int rc;

	if (!path || !*path) {
		snprintf(err, n, "no file name");
		return NULL;
	}
	f = calloc(1, sizeof(*f));
	if (!f || !(f->path = strdup(path))) {
		free(f);
		snprintf(err, n, "out of memory");
		return NULL;
	}
	f->dirfd = f->fd = -1;
	f->force = force;
	if (open_dir(f, err, n) || check_target(f, err, n)) {
		sf_free(f);
		return NULL;
	}
	rc = create_temp(f);
	if (rc) {
		snprintf(err, n, "cannot write %s: %s", f->path, strerror(-rc));
		sf_free(f);
		return NULL;
	}
	/* exactly 0600, whatever the umask */
	if (fchmod(f->fd, 0600)) {
		snprintf(err, n, "cannot write %s: %s", f->path, strerror(errno));
		safefile_abort(f);
		return NULL;
	}
	give_to_sudo_user(f->fd);
	return f;
}

FILE *safefile_stream(struct safefile *f)
{
	if (!f->stream)
		f->stream = fdopen(f->fd, "w");
	return f->stream;
}

int safefile_fd(const struct safefile *f)
{
	return f->fd;
}

const char *safefile_path(const struct safefile *f)
{
	return f->path;
}

void safefile_abort(struct safefile *f)
{
	if (!f)
		return;
	unlinkat(f->dirfd, f->tmp, 0);
	sf_free(f);
}

/* The data is complete in f->tmp: put it in place without replacing anything unless forced. */
static int put_in_place(struct safefile *f)
{
	if (f->force)
		return renameat(f->dirfd, f->tmp, f->dirfd, f->base) ? -errno : 0;
	if (!renameat2(f->dirfd, f->tmp, f->dirfd, f->base, RENAME_NOREPLACE))
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -errno;
	/* a file system without RENAME_NOREPLACE: link(2) refuses to replace too */
	if (linkat(f->dirfd, f->tmp, f->dirfd, f->base, 0))
		return -errno;
	unlinkat(f->dirfd, f->tmp, 0);
	return 0;
}

int safefile_commit(struct safefile *f, char *err, size_t n)
{
	int rc = 0;

	if (f->stream && (fflush(f->stream) || ferror(f->stream)))
		rc = -(errno ? errno : EIO);
	/* a full disk may only show at sync time (delayed allocation) */
	if (!rc && fsync(f->fd) && errno != EINVAL && errno != EROFS)
		rc = -errno;
	if (f->stream ? fclose(f->stream) : close(f->fd))
		rc = rc ? rc : -errno;
	f->stream = NULL;
	f->fd = -1;
	if (rc) {
		snprintf(err, n, "cannot write %s: %s", f->path, strerror(-rc));
		safefile_abort(f);
		return rc;
	}
	rc = put_in_place(f);
	if (rc == -EEXIST)
		snprintf(err, n,
			 "%s appeared while it was being written: not replaced (the data is in "
			 "%s beside it)",
			 f->path, f->tmp);
	else if (rc)
		snprintf(err, n, "cannot write %s: %s (the data is in %s beside it)", f->path,
			 strerror(-rc), f->tmp);
	else
		fsync(f->dirfd); /* make the rename durable; a failure here loses nothing yet */
	sf_free(f);
	return rc;
}

int write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;

	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EAGAIN) {
			struct pollfd out = {.fd = fd, .events = POLLOUT};

			poll(&out, 1, 100);
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		if (w == 0)
			return -EIO;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}
