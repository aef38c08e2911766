/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Services are named by the owner's cgroup (v2): the kernel gives its id
 * (bpf_get_current_cgroup_id), which is the inode number of its directory
 * in the v2 hierarchy. This finds where that hierarchy is mounted (beside
 * the v1 controllers on a hybrid layout) and turns ids into paths by
 * walking it, at most once a second, keeping what it found.
 */
#ifndef TCPSCOPE_CGROUP_PATHS_H
#define TCPSCOPE_CGROUP_PATHS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "views/table.h"

struct cgroup_paths {
	char root[256];	    /* where the v2 hierarchy is mounted; "" when it is not */
	char why[200];	    /* what -v says of services */
	struct table paths; /* struct cgroup_path by id: the last walk's directories */
	uint64_t walked_ns; /* when the last walk began; 0: never */
	uint64_t not_kept;  /* directories the last walk found no room for */
};

/* Find the hierarchy; remember at most max paths. Services are off (root "") if it is not mounted.
 */
int cgroup_paths_open(struct cgroup_paths *c, size_t max);
void cgroup_paths_close(struct cgroup_paths *c);
/* The path of cgroup id from the root ("/" for the root itself) into path; false if not found. */
bool cgroup_paths_find(struct cgroup_paths *c, uint64_t id, char *path, size_t n);
/* The cgroup (v2) of a process, from /proc/PID/cgroup; 0 when unknown. */
uint64_t cgroup_of_pid(const struct cgroup_paths *c, uint32_t pid);

#endif
