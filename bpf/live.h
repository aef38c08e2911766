/* SPDX-License-Identifier: GPL-2.0 */
/* The live event source: loads the kernel programs and turns what they report into records. */
#ifndef TCPSCOPE_LIVE_H
#define TCPSCOPE_LIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "views/source.h"
#include "events.h"

struct live_opts {
	uint32_t pid;	/* owner filter, 0: all */
	uint8_t family; /* 0, 4 or 6 */
	bool lport_filter, rport_filter;
	uint8_t lports[8192], rports[8192]; /* port bitmaps */
	bool all_states;		    /* states pane/view needs every transition */
	unsigned want_jobs;  /* bit per enum job: what the panes shown need (the rest always run) */
	uint8_t rtt_scopes;  /* bit per enum ts_rtt_scope: the RTT histograms kept */
	uint32_t rtt_div;    /* 1: microseconds, 1000: milliseconds (-m) */
	size_t max_rtt_keys; /* addresses with a histogram, per generation */
	struct ts_addr_filter laddr, raddr; /* --laddr, --raddr */
	unsigned interval_ms;
	size_t ringbuf_bytes;
	size_t max_sockets;
	int first_tier;	      /* enum tier to start from (tests force raw_tp or tracepoint) */
	unsigned without;     /* bit per enum job: act as if the kernel lacked these hooks */
	bool accept_hook;     /* --with accept: owners at accept() (every syscall pays a little) */
	bool realtime;	      /* drain the kernel's buffer at SCHED_FIFO where allowed */
	bool exclude_self;    /* --exclude-self: leave out self_conn (the kernel does) */
	size_t max_listeners; /* listening sockets and addresses the kernel tracks */
	bool cgroups;	      /* take owners' cgroups (set by live_open: cgroup v2 is mounted) */
	struct ts_conn self_conn; /* the SSH connection carrying tcpscope, when known */
	bool verbose;
};

void live_opts_default(struct live_opts *o);
/* Load, attach and start; NULL with a one-line reason in err. */
struct source *live_open(const struct live_opts *o, feed_fn feed, void *ctx, char *err,
			 size_t errlen);

#endif
