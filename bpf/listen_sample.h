/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Listeners pane's numbers, each interval: the kernel's listener tables
 * (bpf/listen.bpf.h) read, each listening socket's queue sampled by running
 * listen_sample on it, and the sockets that share an address added up into
 * one record per address (struct ts_ev_listener). Owners of listeners from
 * before tracing are found in /proc once.
 */
#ifndef TCPSCOPE_LISTEN_SAMPLE_H
#define TCPSCOPE_LISTEN_SAMPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "cgroup_paths.h"
#include "views/event.h"
#include "views/table.h"

struct tcpscope_bpf;

struct listen_sampler {
	int socks_fd, addrs_fd;
	int prog_fd;  /* the sampler; -1: not run (the listen job is off) */
	uint32_t pid; /* -p: only this process's listeners */
	size_t max;   /* entries of each kernel table */
	uint64_t *keys;
	struct ts_lsock *socks;
	struct ts_lkey *akeys;
	struct ts_laddr *addrs;
	struct table out;    /* struct ts_ev_listener by address, made each interval */
	struct table owners; /* listeners from before tracing: struct found_owner by inode */
	const struct cgroup_paths *cgroups;
};

int listen_sampler_open(struct listen_sampler *s, struct tcpscope_bpf *skel, bool sample,
			uint32_t pid, size_t max, const struct cgroup_paths *cg);
/* Whether the kernel runs the sampler on demand (BPF_PROG_TEST_RUN); why not in why. */
bool listen_sampler_works(struct listen_sampler *s, char *why, size_t n);
/* Sample every listener and hand a record per listening address to fn. */
void listen_sampler_tick(struct listen_sampler *s, void (*fn)(void *ctx, const union ts_event *ev),
			 void *ctx);
void listen_sampler_close(struct listen_sampler *s);

#endif
