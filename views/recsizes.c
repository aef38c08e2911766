// SPDX-License-Identifier: GPL-2.0
#include <stdint.h>
#include "event.h"
#include "recfmt.h"
#include "recsizes.h"

/* Format 1.0's records: record_format.md's table. */
static const uint16_t sizes_1_0[TS_K_MAX] = {
    [TS_K_STATE] = 112, [TS_K_CLOSE] = 168,    [TS_K_OWNER] = 48,  [TS_K_RETRANS] = 112,
    [TS_K_DROP] = 120,	[TS_K_EXISTING] = 104, [TS_K_TPUT] = 128,  [TS_K_TICK] = 72,
    [TS_K_META] = 416,	[TS_K_REASON] = 64,    [TS_K_SYMBOL] = 88, [TS_K_GONE] = 24,
};

/*
 * What each later minor version changed: a kind's size from that version on
 * (fields appended), or a new kind. Oldest first; a line here goes with
 * RECFMT_MINOR and record_format.md's table.
 */
static const struct growth {
	unsigned minor;
	unsigned kind;
	uint16_t size;
} growth[] = {
    /* 1.1: resets, congestion states, full queues, memory limits, errors; RTT histograms */
    {.minor = 1, .kind = TS_K_SOCKEV, .size = 120},
    {.minor = 1, .kind = TS_K_RTT, .size = 496},
    /* 1.1: what tcp_probe saw of a session: its RTT and windows (struct ts_rtt) */
    {.minor = 1, .kind = TS_K_CLOSE, .size = 216},
    {.minor = 1, .kind = TS_K_TPUT, .size = 176},
    /* 1.2: owners' cgroups (services), appended after 1.1's fields; listeners */
    {.minor = 2, .kind = TS_K_CLOSE, .size = 224},
    {.minor = 2, .kind = TS_K_OWNER, .size = 56},
    {.minor = 2, .kind = TS_K_TPUT, .size = 184},
    {.minor = 2, .kind = TS_K_LISTEN, .size = 144},
    {.minor = 2, .kind = TS_K_LISTENER, .size = 256},
    {.minor = 2, .kind = TS_K_CGROUP, .size = 264},
#ifdef TS_RECORD_GROWTH_TEST
    /* tests/record.mk's test build: a field appended to CLOSE in the next minor version */
    {.minor = RECFMT_MINOR_RELEASED + 1, .kind = TS_K_CLOSE, .size = 232},
#endif
    {.minor = 0}, /* the end */
};

size_t record_size_in(unsigned kind, unsigned minor)
{
	size_t size = kind < TS_K_MAX ? sizes_1_0[kind] : 0;

	for (const struct growth *g = growth; g->minor && g->minor <= minor; g++)
		if (g->kind == kind)
			size = g->size;
	return size;
}
