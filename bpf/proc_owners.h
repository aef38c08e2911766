/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Owners of sockets that were open before tracing began: the process whose
 * descriptor table holds the socket's inode, found once through /proc.
 */
#ifndef TCPSCOPE_PROC_OWNERS_H
#define TCPSCOPE_PROC_OWNERS_H

#include <stddef.h>
#include <stdint.h>
#include "events.h"

struct owner_query {
	uint64_t ino;	       /* in */
	uint64_t sid;	       /* the caller's, carried along */
	struct ts_owner owner; /* out: pid 0 if not found */
};

/* Look up every query's inode; returns how many were found. */
size_t proc_find_owners(struct owner_query *q, size_t n);

#endif
