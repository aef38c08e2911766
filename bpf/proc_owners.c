// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "proc_owners.h"

static int by_ino(const void *a, const void *b)
{
	const struct owner_query *x = a, *y = b;

	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

static void read_comm(int pid, char *comm)
{
	char path[64];
	ssize_t len;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	memset(comm, 0, TS_COMM_LEN);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	len = read(fd, comm, TS_COMM_LEN);
	close(fd);
	if (len > 0 && comm[len - 1] == '\n')
		comm[len - 1] = 0;
	if (len == TS_COMM_LEN)
		comm[TS_COMM_LEN - 1] = 0;
}

/* Claim the queries for the sockets in one process's fd directory. */
static size_t scan_process(int pid, struct owner_query *q, size_t n)
{
	char path[64], link[64];
	struct dirent *de;
	size_t found = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	d = opendir(path);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		unsigned long long ino;
		struct owner_query key, *hit;
		ssize_t len;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		len = readlinkat(dirfd(d), de->d_name, link, sizeof(link) - 1);
		if (len <= 0)
			continue;
		link[len] = 0;
		if (sscanf(link, "socket:[%llu]", &ino) != 1)
			continue;
		key.ino = ino;
		hit = bsearch(&key, q, n, sizeof(*q), by_ino);
		if (!hit || hit->owner.pid)
			continue;
		hit->owner.pid = (uint32_t)pid;
		hit->owner.tid = (uint32_t)pid;
		read_comm(pid, hit->owner.comm);
		found++;
	}
	closedir(d);
	return found;
}

size_t proc_find_owners(struct owner_query *q, size_t n)
{
	struct dirent *de;
	size_t found = 0;
	DIR *d;

	if (!n)
		return 0;
	qsort(q, n, sizeof(*q), by_ino);
	d = opendir("/proc");
	if (!d)
		return 0;
	/* /proc lists processes in pid order, so a parent claims before its children */
	while (found < n && (de = readdir(d)))
		if (isdigit((unsigned char)de->d_name[0]))
			found += scan_process(atoi(de->d_name), q, n);
	closedir(d);
	return found;
}
