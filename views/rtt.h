/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RTT histograms as the kernel aggregates them (bpf/probe.bpf.c, tcprtt):
 * every connection's, and one per remote and per local address, each for
 * the interval being taken in, the last complete one and since tracing
 * began. Bounded: hosts idle for long make room for new ones; a host that
 * finds no room is counted.
 */
#ifndef TCPSCOPE_RTT_H
#define TCPSCOPE_RTT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "event.h"
#include "table.h"

#define RTT_SLOTS      32 /* tcprtt's log2 slots: slot k holds [2^k, 2^(k+1)), slot 0 also 0 */
#define RTT_IDLE_TICKS 60 /* a crowded table lets go of hosts idle this long */

struct rtt_dist {
	uint64_t samples;
	uint64_t sum; /* of the values, in the unit */
	uint32_t max;
	uint32_t pad;
	uint64_t buckets[TS_RTT_BUCKETS];
};

struct rtt_host {
	struct ts_rtt_key key; /* first: the table's key (scope, family, address) */
	uint8_t unit;	       /* 0: microseconds, 1: milliseconds */
	uint8_t pad[3];
	uint64_t last_active; /* tick count when it last had samples */
	uint64_t last_ns;     /* ... and the time of those (monotonic) */
	struct rtt_dist iv;   /* the interval being taken in */
	struct rtt_dist last; /* the last complete interval */
	struct rtt_dist total;
};

struct rtt_hosts {
	struct table t;	  /* struct rtt_host */
	uint64_t dropped; /* histograms not kept: the table was full */
	uint64_t let_go;  /* hosts let go when idle, to make room */
	uint64_t ticks;
	uint64_t full_tick; /* + 1: the tick no room could be made in (not tried again in it) */
};

int rtt_init(struct rtt_hosts *r, size_t cap);
void rtt_free(struct rtt_hosts *r);
void rtt_apply(struct rtt_hosts *r, const struct ts_ev_rtt *e);
/* The interval ended: it becomes the last one. */
void rtt_tick(struct rtt_hosts *r);
const struct rtt_host *rtt_find(const struct rtt_hosts *r, uint8_t scope, uint8_t family,
				const uint8_t *addr);

/* The q-quantile (0 < q <= 1) of d in its unit: the middle of its bucket (within 12.5%), at most
 * its max; 0 if empty. */
uint64_t rtt_quantile(const struct rtt_dist *d, double q);
/* d's counts in tcprtt's log2 slots. */
void rtt_slots(const struct rtt_dist *d, uint64_t slots[RTT_SLOTS]);
/* The bucket a value falls in (as the kernel counts it). */
unsigned rtt_bucket_of(uint32_t v);

#endif
