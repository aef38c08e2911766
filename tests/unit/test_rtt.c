// SPDX-License-Identifier: GPL-2.0
/*
 * RTT histograms (views/rtt.c): values fall in the kernel's buckets (a
 * quarter of a power of 2 each) whose sums are tcprtt's log2 slots in
 * microseconds; records add up per host for the interval and since start;
 * a tick makes the interval the last one; p50/p90/p99 come within 12.5% and
 * never above the max; the table is bounded.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include "../tap.h"
#include "views/model.h"
#include "views/rtt.h"

/* A record of these values (in the unit), as the kernel sends it for one interval. */
static struct ts_ev_rtt rec(uint8_t scope, const char *addr, const uint32_t *v, size_t n,
			    uint64_t ts)
{
	struct ts_ev_rtt e;

	memset(&e, 0, sizeof(e));
	e.hdr.kind = TS_K_RTT;
	e.hdr.size = sizeof(e);
	e.hdr.ts_ns = ts;
	e.key.scope = scope;
	if (addr) {
		e.key.family = 4;
		if (inet_pton(AF_INET, addr, e.key.addr) != 1)
			abort();
	}
	for (size_t i = 0; i < n; i++) {
		e.h.samples++;
		e.h.sum += v[i];
		if (v[i] > e.h.max)
			e.h.max = v[i];
		e.h.buckets[rtt_bucket_of(v[i])]++;
	}
	return e;
}

/* The log2 slot tcprtt puts v in: [2^k, 2^(k+1)), 0 and 1 in slot 0. */
static unsigned log2_slot(uint32_t v)
{
	return v < 2 ? 0 : 31 - (unsigned)__builtin_clz(v);
}

TEST(values_fall_in_quarter_octave_buckets)
{
	/* by hand: under 4 a bucket each, then 4 an octave */
	CHECK_EQ_U64(rtt_bucket_of(0), 0);
	CHECK_EQ_U64(rtt_bucket_of(3), 3);
	CHECK_EQ_U64(rtt_bucket_of(4), 4);
	CHECK_EQ_U64(rtt_bucket_of(7), 7);
	CHECK_EQ_U64(rtt_bucket_of(8), 8);
	CHECK_EQ_U64(rtt_bucket_of(9), 8);
	CHECK_EQ_U64(rtt_bucket_of(10), 9);
	CHECK_EQ_U64(rtt_bucket_of(15), 11);
	CHECK_EQ_U64(rtt_bucket_of(16), 12);
	/* 20 ms: 2^14 = 16384 .. 20479 is the octave's first quarter */
	CHECK_EQ_U64(rtt_bucket_of(20000), 52);
	CHECK_EQ_U64(rtt_bucket_of(20480), 53);
	CHECK_EQ_U64(rtt_bucket_of((1u << 27) + 1), 104);
	/* from 2^28 on, the last bucket */
	CHECK_EQ_U64(rtt_bucket_of(1u << 28), TS_RTT_BUCKETS - 1);
	CHECK_EQ_U64(rtt_bucket_of(UINT32_MAX), TS_RTT_BUCKETS - 1);
}

/* Every value's bucket sums into the log2 slot tcprtt would count it in. */
TEST(buckets_sum_to_tcprtts_log2_slots)
{
	static const uint32_t v[] = {0,	    1,	   2,	   3,	    4,	      5,
				     7,	    8,	   15,	   16,	    100,      999,
				     1000,  1023,  1024,   16383,   16384,    20000,
				     32767, 32768, 100000, 1000000, 1u << 27, (1u << 28) - 1};
	uint64_t slots[RTT_SLOTS];

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct rtt_dist d;

		memset(&d, 0, sizeof(d));
		d.samples = 1;
		d.buckets[rtt_bucket_of(v[i])] = 1;
		rtt_slots(&d, slots);
		for (unsigned s = 0; s < RTT_SLOTS; s++)
			if (slots[s] != (s == log2_slot(v[i]))) {
				printf("#   value %u: slot %u holds %llu\n", v[i], s,
				       (unsigned long long)slots[s]);
				CHECK(0);
			}
	}
}

TEST(records_add_up_per_host_over_the_interval_and_since_start)
{
	struct rtt_hosts r;
	static const uint32_t a[] = {1000, 20000, 20000}, b[] = {40000};
	struct ts_ev_rtt e;
	const struct rtt_host *all, *h1, *h2;
	uint8_t addr[16] = {0};

	CHECK(!rtt_init(&r, 8));
	e = rec(TS_RTT_ALL, NULL, a, 3, 10);
	/* every connection's histogram has no address, whatever the record says */
	e.key.family = 4;
	memset(e.key.addr, 0xab, sizeof(e.key.addr));
	rtt_apply(&r, &e);
	e = rec(TS_RTT_ALL, NULL, b, 1, 20);
	rtt_apply(&r, &e);
	e = rec(TS_RTT_RADDR, "10.0.0.1", a, 3, 30);
	rtt_apply(&r, &e);
	e = rec(TS_RTT_RADDR, "10.0.0.2", b, 1, 40);
	rtt_apply(&r, &e);
	CHECK_EQ_U64(table_count(&r.t), 3);
	all = rtt_find(&r, TS_RTT_ALL, 0, NULL);
	inet_pton(AF_INET, "10.0.0.1", addr);
	h1 = rtt_find(&r, TS_RTT_RADDR, 4, addr);
	inet_pton(AF_INET, "10.0.0.2", addr);
	h2 = rtt_find(&r, TS_RTT_RADDR, 4, addr);
	CHECK(all && h1 && h2);
	if (!all || !h1 || !h2) {
		rtt_free(&r);
		return;
	}
	CHECK(rtt_find(&r, TS_RTT_LADDR, 4, addr) == NULL);
	CHECK_EQ_U64(all->iv.samples, 4);
	CHECK_EQ_U64(all->iv.sum, 81000);
	CHECK_EQ_U64(all->iv.max, 40000);
	CHECK_EQ_U64(all->iv.buckets[52], 2);
	CHECK_EQ_U64(all->total.samples, 4);
	CHECK_EQ_U64(all->last.samples, 0);
	CHECK_EQ_U64(h1->iv.samples, 3);
	CHECK_EQ_U64(h1->iv.max, 20000);
	CHECK_EQ_U64(h2->iv.samples, 1);
	CHECK_EQ_U64(all->last_ns, 20);

	/* the interval ends: it becomes the last one, the next starts empty */
	rtt_tick(&r);
	CHECK_EQ_U64(all->iv.samples, 0);
	CHECK_EQ_U64(all->last.samples, 4);
	CHECK_EQ_U64(all->total.samples, 4);
	e = rec(TS_RTT_ALL, NULL, b, 1, 50);
	rtt_apply(&r, &e);
	rtt_tick(&r);
	CHECK_EQ_U64(all->last.samples, 1);
	CHECK_EQ_U64(all->last.max, 40000);
	CHECK_EQ_U64(all->total.samples, 5);
	CHECK_EQ_U64(all->total.sum, 121000);
	/* a host's sums are of one unit: milliseconds start it again */
	e = rec(TS_RTT_ALL, NULL, (const uint32_t[]){20}, 1, 60);
	e.unit = 1;
	rtt_apply(&r, &e);
	CHECK_EQ_U64(all->unit, 1);
	CHECK_EQ_U64(all->total.samples, 1);
	CHECK_EQ_U64(all->total.max, 20);
	rtt_free(&r);
}

TEST(percentiles_over_the_interval_and_since_start)
{
	struct rtt_hosts r;
	uint32_t v[100];
	struct ts_ev_rtt e;
	const struct rtt_host *h;

	/* 50 at 1 ms, 40 at 20 ms, 10 at 100 ms */
	for (int i = 0; i < 100; i++)
		v[i] = i < 50 ? 1000 : i < 90 ? 20000 : 100000;
	CHECK(!rtt_init(&r, 4));
	e = rec(TS_RTT_ALL, NULL, v, 100, 1);
	rtt_apply(&r, &e);
	h = rtt_find(&r, TS_RTT_ALL, 0, NULL);
	if (!h) {
		CHECK(h != NULL);
		rtt_free(&r);
		return;
	}
	/* the middle of each one's bucket: 896..1023 -> 960; 16384..20479 -> 18432 */
	CHECK_EQ_U64(rtt_quantile(&h->iv, 0.5), 960);
	CHECK_EQ_U64(rtt_quantile(&h->iv, 0.9), 18432);
	/* 98304..114687's middle is past the max: the max */
	CHECK_EQ_U64(rtt_quantile(&h->iv, 0.99), 100000);
	CHECK_EQ_U64(rtt_quantile(&h->iv, 1), 100000);
	CHECK_EQ_U64(h->iv.max, 100000);
	/* rank 51 of 100 is the first of the 20 ms ones */
	CHECK_EQ_U64(rtt_quantile(&h->iv, 0.51), 18432);

	/* the next interval: only 5 ms; since start still has the rest */
	rtt_tick(&r);
	for (int i = 0; i < 100; i++)
		v[i] = 5000;
	e = rec(TS_RTT_ALL, NULL, v, 100, 2);
	rtt_apply(&r, &e);
	rtt_tick(&r);
	/* 4096..5119 -> 4608, within 12.5% of 5000 */
	CHECK_EQ_U64(rtt_quantile(&h->last, 0.5), 4608);
	CHECK_EQ_U64(rtt_quantile(&h->last, 0.99), 4608);
	CHECK_EQ_U64(h->last.max, 5000);
	/* 200 since start: 50 at 1 ms, 100 at 5 ms, 40 at 20 ms, 10 at 100 ms */
	CHECK_EQ_U64(h->total.samples, 200);
	CHECK_EQ_U64(rtt_quantile(&h->total, 0.5), 4608);
	CHECK_EQ_U64(rtt_quantile(&h->total, 0.9), 18432);
	CHECK_EQ_U64(rtt_quantile(&h->total, 0.99), 100000);
	CHECK_EQ_U64(h->total.max, 100000);
	/* an empty interval says 0 */
	CHECK_EQ_U64(rtt_quantile(&h->iv, 0.5), 0);
	rtt_free(&r);
}

/* Each value's quantile is within 12.5% of it (the promise in views/rtt.h). */
TEST(a_quantile_is_within_an_eighth)
{
	for (uint32_t v = 1; v < (1u << 27); v = v * 3 / 2 + 1) {
		struct rtt_dist d;
		uint64_t q;

		memset(&d, 0, sizeof(d));
		d.samples = 1;
		d.max = UINT32_MAX; /* not capped by the max */
		d.buckets[rtt_bucket_of(v)] = 1;
		q = rtt_quantile(&d, 0.5);
		if (q * 8 < (uint64_t)v * 7 || q * 8 > (uint64_t)v * 9) {
			printf("#   value %u: quantile %llu\n", v, (unsigned long long)q);
			CHECK(0);
		}
	}
}

TEST(a_full_table_counts_what_it_drops_and_lets_idle_hosts_go)
{
	struct rtt_hosts r;
	static const uint32_t v[] = {100};
	struct ts_ev_rtt e;

	CHECK(!rtt_init(&r, 2));
	e = rec(TS_RTT_RADDR, "10.0.0.1", v, 1, 1);
	rtt_apply(&r, &e);
	e = rec(TS_RTT_RADDR, "10.0.0.2", v, 1, 1);
	rtt_apply(&r, &e);
	e = rec(TS_RTT_RADDR, "10.0.0.3", v, 1, 1);
	rtt_apply(&r, &e);
	CHECK_EQ_U64(r.dropped, 1);
	CHECK_EQ_U64(table_count(&r.t), 2);
	/* 10.0.0.2 stays busy; 10.0.0.1 idles until it may go */
	for (int i = 0; i < RTT_IDLE_TICKS; i++) {
		e = rec(TS_RTT_RADDR, "10.0.0.2", v, 1, 2);
		rtt_apply(&r, &e);
		rtt_tick(&r);
	}
	e = rec(TS_RTT_RADDR, "10.0.0.3", v, 1, 3);
	rtt_apply(&r, &e);
	CHECK_EQ_U64(r.dropped, 1);
	CHECK_EQ_U64(r.let_go, 1);
	{
		uint8_t a[16] = {0};

		inet_pton(AF_INET, "10.0.0.1", a);
		CHECK(rtt_find(&r, TS_RTT_RADDR, 4, a) == NULL);
		inet_pton(AF_INET, "10.0.0.3", a);
		CHECK(rtt_find(&r, TS_RTT_RADDR, 4, a) != NULL);
	}
	rtt_free(&r);
}

/* Through the model: RTT records and ticks reach its histograms. */
TEST(the_model_takes_rtt_records)
{
	struct model m;
	struct model_config cfg;
	static const uint32_t v[] = {20000, 21000, 30000};
	struct ts_ev_rtt e = rec(TS_RTT_ALL, NULL, v, 3, 5);
	struct ts_ev_tick t;
	const struct rtt_host *h;

	model_config_default(&cfg);
	if (model_init(&m, &cfg))
		abort();
	CHECK(!model_apply(&m, (union ts_event *)&e));
	memset(&t, 0, sizeof(t));
	t.hdr.kind = TS_K_TICK;
	t.hdr.size = sizeof(t);
	t.hdr.ts_ns = 1000000000;
	t.interval_ns = 1000000000;
	CHECK(!model_apply(&m, (union ts_event *)&t));
	h = rtt_find(&m.rtt, TS_RTT_ALL, 0, NULL);
	CHECK(h != NULL);
	if (h) {
		uint64_t slots[RTT_SLOTS];

		rtt_slots(&h->last, slots);
		CHECK_EQ_U64(slots[14], 3);
		CHECK_EQ_U64(h->last.samples, 3);
		CHECK_EQ_U64(h->iv.samples, 0);
	}
	model_free(&m);
}

int main(void)
{
	RUN(values_fall_in_quarter_octave_buckets);
	RUN(buckets_sum_to_tcprtts_log2_slots);
	RUN(records_add_up_per_host_over_the_interval_and_since_start);
	RUN(percentiles_over_the_interval_and_since_start);
	RUN(a_quantile_is_within_an_eighth);
	RUN(a_full_table_counts_what_it_drops_and_lets_idle_hosts_go);
	RUN(the_model_takes_rtt_records);
	TAP_DONE();
}
