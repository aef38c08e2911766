// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include "loghist.h"

static unsigned bucket_of(uint64_t ns)
{
	unsigned e;

	if (ns < (1ULL << LOGHIST_LOW_BITS))
		return 0;
	if (ns >= (1ULL << LOGHIST_HIGH_BITS))
		return LOGHIST_BUCKETS - 1;
	e = 63 - (unsigned)__builtin_clzll(ns);
	/* the three bits after the leading one pick the bucket within the octave */
	return 1 + (e - LOGHIST_LOW_BITS) * LOGHIST_SUB + (unsigned)((ns >> (e - 3)) & 7);
}

/* The value a bucket stands for: its middle (its lower end for the last). */
static uint64_t bucket_value(unsigned b)
{
	unsigned e, sub;

	if (b == 0)
		return (1ULL << LOGHIST_LOW_BITS) / 2;
	if (b == LOGHIST_BUCKETS - 1)
		return 1ULL << LOGHIST_HIGH_BITS;
	e = LOGHIST_LOW_BITS + (b - 1) / LOGHIST_SUB;
	sub = (b - 1) % LOGHIST_SUB;
	return ((uint64_t)(LOGHIST_SUB + sub) << (e - 3)) + (1ULL << (e - 3)) / 2;
}

void loghist_add(struct loghist *h, uint64_t ns)
{
	unsigned b = bucket_of(ns);

	if (h->count[b] == UINT32_MAX) {
		h->n = 0;
		for (unsigned i = 0; i < LOGHIST_BUCKETS; i++) {
			h->count[i] = (uint32_t)(((uint64_t)h->count[i] + 1) / 2);
			h->n += h->count[i];
		}
	}
	h->count[b]++;
	h->n++;
}

uint64_t loghist_quantile(const struct loghist *const *parts, size_t n, double q)
{
	uint64_t total = 0, rank, seen = 0;

	for (size_t i = 0; i < n; i++)
		total += parts[i]->n;
	if (!total)
		return 0;
	/* (a hair under, so 0.99 x 100 is rank 99, not 100) */
	rank = (uint64_t)ceil(q * (double)total - 1e-9);
	if (rank < 1)
		rank = 1;
	/* the parts are summed bucket by bucket as they are walked: no sum is stored */
	for (unsigned b = 0; b < LOGHIST_BUCKETS; b++) {
		for (size_t i = 0; i < n; i++)
			seen += parts[i]->count[b];
		if (seen >= rank)
			return bucket_value(b);
	}
	return bucket_value(LOGHIST_BUCKETS - 1);
}
