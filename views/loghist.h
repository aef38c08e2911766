/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A bounded log-linear histogram of durations (ns): 8 buckets an octave
 * from 1 us to 2^44 ns (4.9 hours), one below, one above. A quantile is the
 * middle of its bucket: within 6.25% of the true value (a bucket's half
 * width over its lower end is at most 1/16), below 1 us within 512 ns; above
 * 4.9 hours it says 2^44 ns (a lower bound). Fixed size, so a group's costs
 * no allocation; a coarser group's quantiles come from the sum of its parts'.
 */
#ifndef TCPSCOPE_LOGHIST_H
#define TCPSCOPE_LOGHIST_H

#include <stddef.h>
#include <stdint.h>

#define LOGHIST_LOW_BITS  10 /* below 2^10 ns: one bucket */
#define LOGHIST_HIGH_BITS 44 /* from 2^44 ns: one bucket */
#define LOGHIST_SUB	  8  /* buckets an octave */
#define LOGHIST_BUCKETS	  (2 + (LOGHIST_HIGH_BITS - LOGHIST_LOW_BITS) * LOGHIST_SUB)

/* 32-bit counts: a full bucket halves them all, keeping the shape. */
struct loghist {
	uint64_t n;
	uint32_t count[LOGHIST_BUCKETS];
};

void loghist_add(struct loghist *h, uint64_t ns);
/*
 * The q-quantile (0 < q <= 1), in ns, of the values of n histograms taken
 * together: the bucket of the ceil(q total)-th smallest value; 0 if empty.
 */
uint64_t loghist_quantile(const struct loghist *const *parts, size_t n, double q);

#endif
