// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "cgroup_paths.h"
#include "views/event.h"

#define WALK_EVERY_NS 1000000000ULL /* a cgroup unknown to the last walk waits this long */
#define WALK_DEPTH    32

struct cgroup_path {
	uint64_t id; /* first: the table's key */
	char path[TS_CGROUP_PATH];
};

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* mountinfo writes blanks and backslashes in paths as octal escapes (\040). */
static void unescape(char *s)
{
	char *out = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*out++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0'));
			s += 3;
		} else {
			*out++ = *s;
		}
	}
	*out = 0;
}

/* The first cgroup2 mount in the mount table, into root; false if none. */
static bool find_v2(char *root, size_t n, bool *v1)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[1024];
	bool found = false;

	*v1 = false;
	while (f && !found && fgets(line, sizeof(line), f)) {
		char mnt[512], type[64];
		const char *dash = strstr(line, " - ");

		/* id parent major:minor root mountpoint options... - type source options */
		if (!dash || sscanf(line, "%*s %*s %*s %*s %511s", mnt) != 1 ||
		    sscanf(dash + 3, "%63s", type) != 1)
			continue;
		if (!strcmp(type, "cgroup"))
			*v1 = true;
		if (strcmp(type, "cgroup2"))
			continue;
		unescape(mnt);
		if (strlen(mnt) < n) {
			strcpy(root, mnt);
			found = true;
		}
	}
	if (f)
		fclose(f);
	return found;
}

int cgroup_paths_open(struct cgroup_paths *c, size_t max)
{
	bool v1;

	memset(c, 0, sizeof(*c));
	if (!find_v2(c->root, sizeof(c->root), &v1)) {
		c->root[0] = 0;
		snprintf(c->why, sizeof(c->why),
			 "SERVICE shows '-': %s; services are named by their cgroup v2 path",
			 v1 ? "only cgroup v1 controllers are mounted, no cgroup v2 hierarchy"
			    : "no cgroup hierarchy is mounted");
		return 0;
	}
	if (table_init(&c->paths, sizeof(struct cgroup_path), sizeof(uint64_t), max)) {
		snprintf(c->why, sizeof(c->why),
			 "SERVICE shows '-': out of memory for cgroup paths");
		c->root[0] = 0;
		return -ENOMEM;
	}
	snprintf(c->why, sizeof(c->why), "services from the cgroup v2 hierarchy at %.150s",
		 c->root);
	return 0;
}

void cgroup_paths_close(struct cgroup_paths *c)
{
	table_free(&c->paths);
	memset(c, 0, sizeof(*c));
}

/* Every directory under dir (path from the root in path, len bytes of it) goes in the table. */
static void walk(struct cgroup_paths *c, int dir, char *path, size_t len, int depth)
{
	DIR *d = fdopendir(dir);
	struct dirent *de;

	if (!d) {
		close(dir);
		return;
	}
	while ((de = readdir(d))) {
		size_t nl = strlen(de->d_name);
		struct cgroup_path *e;
		struct stat st;
		uint64_t id;
		int fd;

		if (de->d_type != DT_DIR || de->d_name[0] == '.' || len + 1 + nl >= TS_CGROUP_PATH)
			continue;
		fd = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (fstat(fd, &st)) {
			close(fd);
			continue;
		}
		path[len] = '/';
		memcpy(path + len + 1, de->d_name, nl + 1);
		id = st.st_ino;
		e = table_get(&c->paths, &id, NULL);
		if (e)
			memcpy(e->path, path, len + 2 + nl);
		else
			c->not_kept++;
		if (depth < WALK_DEPTH)
			walk(c, fd, path, len + 1 + nl, depth + 1); /* closes fd */
		else
			close(fd);
		path[len] = 0;
	}
	closedir(d);
}

static void walk_all(struct cgroup_paths *c)
{
	char path[TS_CGROUP_PATH] = "";
	struct cgroup_path *e;
	struct stat st;
	uint64_t id;
	int fd;

	c->walked_ns = mono_ns();
	table_clear(&c->paths);
	c->not_kept = 0;
	fd = open(c->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (!fstat(fd, &st)) {
		id = st.st_ino;
		e = table_get(&c->paths, &id, NULL);
		if (e)
			strcpy(e->path, "/");
	}
	walk(c, fd, path, 0, 0);
}

bool cgroup_paths_find(struct cgroup_paths *c, uint64_t id, char *path, size_t n)
{
	const struct cgroup_path *e;

	if (!c->root[0] || !id)
		return false;
	e = table_find(&c->paths, &id);
	if (!e && (!c->walked_ns || mono_ns() - c->walked_ns >= WALK_EVERY_NS)) {
		walk_all(c);
		e = table_find(&c->paths, &id);
	}
	if (!e)
		return false;
	snprintf(path, n, "%s", e->path);
	return true;
}

uint64_t cgroup_of_pid(const struct cgroup_paths *c, uint32_t pid)
{
	char name[64], line[4096], full[sizeof(c->root) + sizeof(line)];
	uint64_t id = 0;
	struct stat st;
	FILE *f;

	if (!c->root[0] || !pid)
		return 0;
	snprintf(name, sizeof(name), "/proc/%u/cgroup", pid);
	f = fopen(name, "re");
	while (f && fgets(line, sizeof(line), f)) {
		/* the v2 hierarchy's line: "0::/system.slice/a.service" */
		if (strncmp(line, "0::", 3))
			continue;
		line[strcspn(line, "\n")] = 0;
		if ((size_t)snprintf(full, sizeof(full), "%s%s", c->root,
				     strcmp(line + 3, "/") ? line + 3 : "") < sizeof(full) &&
		    !stat(full, &st))
			id = st.st_ino;
		break;
	}
	if (f)
		fclose(f);
	return id;
}
