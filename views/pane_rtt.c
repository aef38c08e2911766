// SPDX-License-Identifier: GPL-2.0
/*
 * RTT: the smoothed round-trip time by remote host, from tcp_probe's
 * samples (a segment received, a sample) aggregated in the kernel:
 * samples, p50, p90, p99 and max over the last interval and since tracing
 * began. On the screen the selected host's histogram is drawn beside it;
 * batch mode (--view rtt) prints tcprtt's histograms (views/rttprint.c).
 */
#include <stdio.h>
#include <string.h>
#include "cells.h"
#include "format.h"
#include "rtt.h"

#define H(row) ((const struct rtt_host *)(row))

/* The host as a connection's remote end, for the address cells and keys. */
static struct ts_conn host_conn(const struct rtt_host *h)
{
	struct ts_conn c = {.family = h->key.family};

	memcpy(c.raddr, h->key.addr, sizeof(c.raddr));
	return c;
}

static CELL(f_host)
{
	struct ts_conn host = host_conn(H(row));

	fmt_addr(&host, host.raddr, b, n);
}

static KEY(k_host)
{
	struct ts_conn host = host_conn(H(row));

	return addr_key(&host, host.raddr);
}

static KEY(k_host2)
{
	struct ts_conn host = host_conn(H(row));

	return addr_key2(&host, host.raddr);
}

static CELL(f_ip)
{
	fmt_u64(H(row)->key.family, b, n);
}

static KEY(k_ip)
{
	return H(row)->key.family;
}

/* Which numbers a column shows: a quantile, the max or the samples, of a period. */
enum what { W_SAMPLES, W_P50, W_P90, W_P99, W_MAX };

struct rtt_col {
	enum what what;
	bool total; /* since tracing began; else the last interval */
};

static const struct rtt_col rcols[] = {
    {W_SAMPLES, false}, {W_P50, false}, {W_P90, false}, {W_P99, false}, {W_MAX, false},
    {W_SAMPLES, true},	{W_P50, true},	{W_P90, true},	{W_P99, true},	{W_MAX, true},
};

/* The column's number: samples, or nanoseconds (0: no samples). */
static uint64_t value(const struct column *c, const struct rtt_host *h)
{
	const struct rtt_col *rc = &rcols[c->off];
	const struct rtt_dist *d = rc->total ? &h->total : &h->last;
	uint64_t v, unit_ns = h->unit ? 1000000 : 1000;

	switch (rc->what) {
	case W_SAMPLES:
		return d->samples;
	case W_P50:
		v = rtt_quantile(d, 0.50);
		break;
	case W_P90:
		v = rtt_quantile(d, 0.90);
		break;
	case W_P99:
		v = rtt_quantile(d, 0.99);
		break;
	default:
		v = d->max;
		break;
	}
	return v * unit_ns;
}

static CELL(f_num)
{
	const struct rtt_col *rc = &rcols[c->off];
	uint64_t v = value(c, H(row));

	if (rc->what == W_SAMPLES)
		fmt_u64(v, b, n);
	else if (!(rc->total ? H(row)->total.samples : H(row)->last.samples))
		fmt_str(b, n, f->flags & FMT_CSV ? "" : "-");
	else
		fmt_fixed(v, 1000000, 3, b, n);
}

static KEY(k_num)
{
	return value(c, H(row));
}

#define SAMPLES(NAME, HELP, I, PRIO)                                                               \
	{                                                                                          \
		.name = NAME, .help = HELP, .width = 8, .wide = 10, .priority = PRIO,              \
		.flags = COL_NUM | COL_DESC | COL_ALL, .format = f_num, .key = k_num, .off = I     \
	}
#define MILLIS(NAME, HELP, I, PRIO)                                                                \
	{                                                                                          \
		.name = NAME, .help = HELP, .width = 8, .wide = 9, .priority = PRIO,               \
		.flags = COL_NUM | COL_MS | COL_DESC | COL_ALL, .format = f_num, .key = k_num,     \
		.off = I                                                                           \
	}

static const struct column cols[] = {
    COLS_TIME(struct rtt_host, last_ns, "when the host last had samples", COL_SCREEN | COL_CSV),
    {.name = "RADDR",
     .help = "remote host",
     .width = 15,
     .wide = 39,
     .flags = COL_NOCUT | COL_ALL,
     .format = f_host,
     .key = k_host,
     .key2 = k_host2,
     .whole = addr_key_whole},
    {.name = "IP",
     .help = "IP version",
     .width = 2,
     .wide = 2,
     .priority = 9,
     .flags = COL_NUM | COL_CSV,
     .format = f_ip,
     .key = k_ip},
    SAMPLES("SAMPLES", "segments received in the last interval (an srtt sample each)", 0, 3),
    MILLIS("P50_MS", "median srtt in the last interval (within 12.5%)", 1, 0),
    MILLIS("P90_MS", "90th percentile", 2, 4),
    MILLIS("P99_MS", "99th percentile", 3, 2),
    MILLIS("MAX_MS", "largest srtt in the last interval", 4, 5),
    SAMPLES("ALL_N", "samples since tracing began", 5, 8),
    MILLIS("ALL_P50", "median srtt since tracing began", 6, 6),
    MILLIS("ALL_P90", "90th percentile since tracing began", 7, 8),
    MILLIS("ALL_P99", "99th percentile since tracing began", 8, 7),
    MILLIS("ALL_MAX", "largest srtt since tracing began", 9, 7),
};

_Static_assert(sizeof(rcols) / sizeof(rcols[0]) == 10, "a column of numbers each");

static bool is_host(const struct rtt_host *h)
{
	return h->key.scope == TS_RTT_RADDR;
}

static size_t count(const struct model *m, const struct pane_opts *o)
{
	size_t n = 0, pos = 0;
	const struct rtt_host *h;

	while ((h = table_next(&m->rtt.t, &pos)))
		n += is_host(h);
	return n;
}

static size_t collect(const struct model *m, const struct pane_opts *o, const void **rows,
		      size_t max)
{
	size_t n = 0, pos = 0;
	const struct rtt_host *h;

	while (n < max && (h = table_next(&m->rtt.t, &pos)))
		if (is_host(h))
			rows[n++] = h;
	return n;
}

static void fields(const void *row, struct row_fields *rf)
{
	memset(rf, 0, sizeof(*rf));
	rf->family = H(row)->key.family;
	rf->raddr = H(row)->key.addr;
}

static uint64_t row_ts(const void *row)
{
	return H(row)->last_ns;
}

static uint64_t ident(const void *row)
{
	uint64_t a, b;

	memcpy(&a, H(row)->key.addr, 8);
	memcpy(&b, H(row)->key.addr + 8, 8);
	return (a * 0x9e3779b97f4a7c15ULL) ^ b ^ H(row)->key.family;
}

static void note(const struct model *m, const struct pane_opts *o, char *buf, size_t n)
{
	const struct rtt_host *all = rtt_find(&m->rtt, TS_RTT_ALL, 0, NULL);
	char p50[24];

	if (!all || !all->last.samples) {
		buf[0] = 0;
		return;
	}
	fmt_fixed(rtt_quantile(&all->last, 0.5) * (all->unit ? 1000000 : 1000), 1000000, 3, p50,
		  sizeof(p50));
	snprintf(buf, n, "all: p50 %s ms of %llu samples", p50,
		 (unsigned long long)all->last.samples);
}

/* The selected host's histogram since tracing began, in tcprtt's log2 slots. */
static int side(const struct model *m, const void *row, char lines[][PANE_SIDE_WIDTH + 1], int max)
{
	const struct rtt_dist *d = &H(row)->total;
	const char *unit = H(row)->unit ? "msecs" : "usecs";
	uint64_t slots[RTT_SLOTS], peak = 0;
	int first = -1, last = -1, n = 0;

	rtt_slots(d, slots);
	for (int i = 0; i < RTT_SLOTS; i++) {
		if (slots[i] && first < 0)
			first = i;
		if (slots[i])
			last = i;
		if (slots[i] > peak)
			peak = slots[i];
	}
	if (last < 0 || max < 2)
		return 0;
	snprintf(lines[n++], PANE_SIDE_WIDTH + 1, "%15s : %-8s since start", unit, "count");
	for (int i = first; i <= last && n < max; i++) {
		unsigned long long low = i ? 1ULL << i : 0, high = (2ULL << i) - 1;
		int bar = (int)(slots[i] * 14 / peak);
		char stars[15], text[128];

		memset(stars, ' ', 14);
		memset(stars, '*', (size_t)bar);
		stars[14] = 0;
		snprintf(text, sizeof(text), "%6llu -> %-6llu: %-8llu|%s|", low, high,
			 (unsigned long long)slots[i], stars);
		snprintf(lines[n++], PANE_SIDE_WIDTH + 1, "%.*s", PANE_SIDE_WIDTH, text);
	}
	return n;
}

const struct pane pane_rtt = {
    .name = "rtt",
    .title = "RTT",
    .empty = "no RTT samples yet (they come with received segments)",
    .cols = cols,
    .ncols = PANE_NCOLS(cols),
    .default_sort = 12, /* ALL_P99, slowest first */
    .collect = collect,
    .count = count,
    .fields = fields,
    .ts = row_ts,
    .ident = ident,
    .row_size = sizeof(struct rtt_host),
    .note = note,
    .side = side,
    .weight = 11,
    .grid = {.row = 2, .col = 0},
    .batch = BATCH_HISTOGRAM,
    .losses = 1u << LOSS_RTT,
    .jobs = {"rtt"},
};
