/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Services: the owner's cgroup (v2) named as people know it. The kernel
 * gives a cgroup id with each owner; a CGROUP record gives the id's path;
 * the name comes from the path: the innermost systemd unit (nginx.service),
 * a container (docker:, containerd:, crio:, podman: with the short id, and
 * the Kubernetes pod's uid where the path holds one), or else the path.
 * Entries never move or go, so rows hold pointers to them; the names of
 * ids whose path has not come yet say the id.
 */
#ifndef TCPSCOPE_SERVICE_H
#define TCPSCOPE_SERVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "table.h"

#define SERVICE_NAME 96

struct service {
	uint64_t id; /* the cgroup's; first: the table's key */
	char name[SERVICE_NAME];
	bool named; /* its path came */
};

struct services {
	struct table t;
	struct service other; /* for ids past the table's room */
	uint64_t not_kept;    /* ids that found no room: they share "other" */
};

int services_init(struct services *s, size_t cap);
void services_free(struct services *s);
/* The entry of cgroup id, added unnamed if new; NULL for id 0 (none known). */
const struct service *services_get(struct services *s, uint64_t id);
/* The path of cgroup id came ("" if it was gone before it could be read). */
void services_name(struct services *s, uint64_t id, const char *path);
/* The name of the service whose cgroup has this path, into out (n bytes). */
void service_name_of(const char *path, char *out, size_t n);
/* What a row shows for a service: its name, or "-" when none is known. */
static inline const char *service_label(const struct service *sv)
{
	return sv ? sv->name : "-";
}

#endif
