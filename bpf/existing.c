// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "existing.h"
#include "tcpscope.skel.h"
#include "views/table.h"

struct list {
	struct ts_ev_existing *recs;
	size_t n, cap;
};

/* Append the records one socket iterator lists. */
static void read_existing(struct list *li, int fd)
{
	char buf[64 * sizeof(struct ts_ev_existing)];
	size_t have = 0;
	ssize_t len;

	while ((len = read(fd, buf + have, sizeof(buf) - have)) > 0) {
		size_t rec = sizeof(struct ts_ev_existing);
		size_t total = have + (size_t)len, whole = total / rec;

		if (li->n + whole > li->cap) {
			struct ts_ev_existing *grown;

			li->cap = (li->n + whole) * 2;
			grown = realloc(li->recs, li->cap * rec);
			if (!grown)
				break;
			li->recs = grown;
		}
		memcpy(li->recs + li->n, buf, whole * rec);
		li->n += whole;
		have = total - whole * rec;
		memmove(buf, buf + whole * rec, have);
	}
}

/*
 * A socket iterator lists the sockets of the network namespace it was made
 * in. List the namespace at path, unless seen already, by making one there:
 * enter it, make the iterator, come back to self. false if we cannot come back.
 */
static bool list_netns(struct list *li, struct bpf_link *link, const char *path, int self,
		       struct table *seen)
{
	struct stat st;
	uint64_t ino;
	bool added, back;
	int ns, fd;

	if (stat(path, &st))
		return true;
	ino = st.st_ino;
	if (!table_get(seen, &ino, &added) || !added)
		return true;
	ns = open(path, O_RDONLY | O_CLOEXEC);
	if (ns < 0)
		return true;
	if (setns(ns, CLONE_NEWNET)) { /* not allowed (no CAP_SYS_ADMIN): skip it */
		close(ns);
		return true;
	}
	fd = bpf_iter_create(bpf_link__fd(link));
	back = !setns(self, CLONE_NEWNET);
	close(ns);
	if (fd >= 0) {
		read_existing(li, fd);
		close(fd);
	}
	return back;
}

/* The other namespaces: those /run/netns names and those processes are in. */
static void list_other_netns(struct list *li, struct bpf_link *link)
{
	static const char *const dirs[] = {"/run/netns", "/proc"};
	struct table seen;
	struct stat st;
	bool ok = true;
	uint64_t ino;
	int self;

	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0 || fstat(self, &st) || table_init(&seen, 8, 8, 4096)) {
		if (self >= 0)
			close(self);
		return;
	}
	ino = st.st_ino;
	table_get(&seen, &ino, NULL); /* listed already */
	for (size_t i = 0; i < 2 && ok; i++) {
		DIR *d = opendir(dirs[i]);
		struct dirent *de;
		char path[300];

		while (d && ok && (de = readdir(d))) {
			if (de->d_name[0] == '.' ||
			    (i == 1 && !isdigit((unsigned char)de->d_name[0])))
				continue;
			snprintf(path, sizeof(path), i ? "/proc/%s/ns/net" : "/run/netns/%s",
				 de->d_name);
			ok = list_netns(li, link, path, self, &seen);
		}
		if (d)
			closedir(d);
	}
	table_free(&seen);
	close(self);
}

int existing_list(struct tcpscope_bpf *skel, struct ts_ev_existing **recs, size_t *n, char *why,
		  size_t wn)
{
	struct bpf_link *link = bpf_program__attach_iter(skel->progs.existing, NULL);
	struct list li = {0};
	int fd;

	*recs = NULL;
	*n = 0;
	if (!link) {
		snprintf(why, wn, "cannot attach the socket iterator: %s", strerror(errno));
		return -errno;
	}
	fd = bpf_iter_create(bpf_link__fd(link));
	if (fd < 0) {
		snprintf(why, wn, "cannot start the socket iterator: %s", strerror(-fd));
		bpf_link__destroy(link);
		return fd;
	}
	read_existing(&li, fd);
	close(fd);
	list_other_netns(&li, link);
	bpf_link__destroy(link);
	*recs = li.recs;
	*n = li.n;
	return 0;
}
