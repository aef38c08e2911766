/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Batch output of --view rtt: what tcprtt prints, from the model's RTT
 * histograms. Every connection's (or one per address: --byraddr,
 * --byladdr) in tcprtt's log2 slots, per interval with -i, else once for
 * the whole run at the end; -T puts the time before each; as CSV (-s), a
 * row per slot.
 */
#ifndef TCPSCOPE_RTTPRINT_H
#define TCPSCOPE_RTTPRINT_H

#include <stdbool.h>
#include <stdio.h>
#include "filter.h"
#include "model.h"

struct rtt_print_opts {
	uint8_t scope;	   /* enum ts_rtt_scope: every connection, or by address */
	bool per_interval; /* -i: each interval's histograms; else the run's, at the end */
	bool clock, rel;   /* -T, -t (CSV) */
	bool csv;
	double duration;	     /* -d, for the first line; 0: until interrupted */
	const struct filter *filter; /* by address: the addresses it lets through */
};

/* tcprtt's first line (text), or the CSV header. */
void rtt_print_start(FILE *out, const struct rtt_print_opts *o);
/*
 * The histograms of the last complete interval, or (which 1) those of the
 * interval being taken in, or (which 2) since tracing began.
 */
enum rtt_which { RTT_LAST = 0, RTT_CURRENT = 1, RTT_TOTAL = 2 };
void rtt_print(FILE *out, const struct model *m, const struct rtt_print_opts *o,
	       enum rtt_which which);
/* tcprtt's log2 histogram: a line a slot from 0 to the last holding samples; unit "usecs". */
void rtt_print_log2(FILE *out, const uint64_t *slots, int nslots, const char *unit);

#endif
