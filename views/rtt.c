// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <string.h>
#include "rtt.h"

int rtt_init(struct rtt_hosts *r, size_t cap)
{
	memset(r, 0, sizeof(*r));
	return table_init(&r->t, sizeof(struct rtt_host), sizeof(struct ts_rtt_key), cap ? cap : 1);
}

void rtt_free(struct rtt_hosts *r)
{
	table_free(&r->t);
}

static void dist_add(struct rtt_dist *d, const struct ts_rtt_hist *h)
{
	d->samples += h->samples;
	d->sum += h->sum;
	if (h->max > d->max)
		d->max = h->max;
	for (int b = 0; b < TS_RTT_BUCKETS; b++)
		d->buckets[b] += h->buckets[b];
}

/* Room for one more host: the one idle longest goes, if idle for long. */
static bool make_room(struct rtt_hosts *r)
{
	struct rtt_host *h, *oldest = NULL;
	size_t pos = 0;

	if (r->full_tick == r->ticks + 1)
		return false; /* a scan a tick at most */
	while ((h = table_next(&r->t, &pos)))
		if (!oldest || h->last_active < oldest->last_active)
			oldest = h;
	if (!oldest || r->ticks - oldest->last_active < RTT_IDLE_TICKS) {
		r->full_tick = r->ticks + 1;
		return false;
	}
	table_remove(&r->t, oldest);
	r->let_go++;
	return true;
}

void rtt_apply(struct rtt_hosts *r, const struct ts_ev_rtt *e)
{
	struct ts_rtt_key k = e->key;
	struct rtt_host *h;
	bool added;

	memset(k.pad, 0, sizeof(k.pad));
	if (k.scope == TS_RTT_ALL) {
		k.family = 0;
		memset(k.addr, 0, sizeof(k.addr));
	}
	h = table_get(&r->t, &k, &added);
	if (!h && make_room(r))
		h = table_get(&r->t, &k, &added);
	if (!h) {
		r->dropped++;
		return;
	}
	if (added || h->unit != e->unit) {
		/* a recording may switch units between runs: a host's sums are of one */
		memset((uint8_t *)h + sizeof(k), 0, sizeof(*h) - sizeof(k));
		h->unit = e->unit;
	}
	h->last_active = r->ticks;
	h->last_ns = e->hdr.ts_ns;
	dist_add(&h->iv, &e->h);
	dist_add(&h->total, &e->h);
}

void rtt_tick(struct rtt_hosts *r)
{
	struct rtt_host *h;
	size_t pos = 0;

	while ((h = table_next(&r->t, &pos))) {
		h->last = h->iv;
		memset(&h->iv, 0, sizeof(h->iv));
	}
	r->ticks++;
}

const struct rtt_host *rtt_find(const struct rtt_hosts *r, uint8_t scope, uint8_t family,
				const uint8_t *addr)
{
	struct ts_rtt_key k = {.scope = scope, .family = family};

	if (addr && scope != TS_RTT_ALL)
		memcpy(k.addr, addr, sizeof(k.addr));
	else
		k.family = 0;
	return table_find(&r->t, &k);
}

unsigned rtt_bucket_of(uint32_t v)
{
	unsigned e;

	if (v < 4)
		return v;
	e = 31 - (unsigned)__builtin_clz(v);
	if (e > 27)
		return TS_RTT_BUCKETS - 1;
	return (e - 1) * 4 + ((v >> (e - 2)) & 3);
}

/* The middle of bucket b (bpf/probe.bpf.c's buckets: a quarter of a power of 2 each). */
static uint64_t bucket_middle(unsigned b)
{
	unsigned e, sub;

	if (b < 4)
		return b;
	e = b / 4 + 1;
	sub = b % 4;
	return ((uint64_t)(4 + sub) << (e - 2)) + ((1ULL << (e - 2)) >> 1);
}

uint64_t rtt_quantile(const struct rtt_dist *d, double q)
{
	uint64_t rank, seen = 0;

	if (!d->samples)
		return 0;
	rank = (uint64_t)ceil(q * (double)d->samples - 1e-9);
	if (rank < 1)
		rank = 1;
	for (unsigned b = 0; b < TS_RTT_BUCKETS; b++) {
		seen += d->buckets[b];
		if (seen >= rank) {
			uint64_t v = bucket_middle(b);

			return v > d->max ? d->max : v;
		}
	}
	return d->max;
}

void rtt_slots(const struct rtt_dist *d, uint64_t slots[RTT_SLOTS])
{
	memset(slots, 0, RTT_SLOTS * sizeof(slots[0]));
	for (unsigned b = 0; b < TS_RTT_BUCKETS; b++) {
		unsigned slot = b < 2 ? 0 : b < 4 ? 1 : b / 4 + 1;

		slots[slot < RTT_SLOTS ? slot : RTT_SLOTS - 1] += d->buckets[b];
	}
}
