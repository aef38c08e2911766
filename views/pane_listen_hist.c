// SPDX-License-Identifier: GPL-2.0
/*
 * Listeners by backlog (g on Listeners, --hist): what tcpsynbl prints, per
 * listening address: how long the accept queue was at each handshake (a
 * log2 histogram since tracing began), against the backlog. The kernel
 * counts each handshake as its child is made, a copy of the listener with
 * its queue length; a handshake whose last ACK found the queue full counts
 * where the kernel names that drop (TCP_LISTEN_OVERFLOW): one past the
 * backlog, as tcpsynbl sees it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cells.h"
#include "format.h"
#include "listeners.h"
#include "service.h"

/* A row: one slot of one address's histogram. */
struct hist_row {
	const struct listen_row *l;
	uint32_t slot;
	uint32_t count;
	uint32_t most; /* the address's fullest slot: the bars' scale */
	uint32_t pad;
};

#define H(row) ((const struct hist_row *)(row))
#define BAR    40 /* the distribution's width, as tcpsynbl's */

static uint32_t slot_count(const struct listen_row *l, int i)
{
	return l->hist[i] + l->hist_overflows[i];
}

static CELL(f_pid)
{
	cell_pid(f, c, H(row)->l, b, n);
}

static CELL(f_comm)
{
	cell_comm(f, c, H(row)->l, b, n);
}

static KEY(k_comm)
{
	return key_comm(f, c, H(row)->l);
}

static CELL(f_service)
{
	cell_service(f, c, H(row)->l, b, n);
}

static CELL(f_laddr)
{
	cell_laddr(f, c, H(row)->l, b, n);
}

static KEY(k_laddr)
{
	return key_laddr(f, c, H(row)->l);
}

static CELL(f_lport)
{
	cell_lport(f, c, H(row)->l, b, n);
}

static KEY(k_lport)
{
	return key_lport(f, c, H(row)->l);
}

static CELL(f_backlog)
{
	fmt_u64(H(row)->l->backlog, b, n);
}

static KEY(k_backlog)
{
	return H(row)->l->backlog;
}

/* The queue lengths a slot holds: 0 -> 1, 2 -> 3, 4 -> 7... (bcc's log2 histograms) */
static uint64_t slot_low(uint32_t slot)
{
	return slot ? 1ULL << slot : 0;
}

static uint64_t slot_high(uint32_t slot)
{
	return (2ULL << slot) - 1;
}

static CELL(f_queue)
{
	snprintf(b, n, "%llu -> %llu", (unsigned long long)slot_low(H(row)->slot),
		 (unsigned long long)slot_high(H(row)->slot));
}

static CELL(f_queue_lo)
{
	fmt_u64(slot_low(H(row)->slot), b, n);
}

static CELL(f_queue_hi)
{
	fmt_u64(slot_high(H(row)->slot), b, n);
}

static KEY(k_slot)
{
	return H(row)->slot;
}

static CELL(f_count)
{
	fmt_u64(H(row)->count, b, n);
}

static KEY(k_count)
{
	return H(row)->count;
}

static CELL(f_bar)
{
	int w = H(row)->most ? (int)((uint64_t)H(row)->count * BAR / H(row)->most) : 0;

	if (n < BAR + 3)
		return;
	b[0] = '|';
	memset(b + 1, '*', (size_t)w);
	memset(b + 1 + w, ' ', (size_t)(BAR - w));
	b[BAR + 1] = '|';
	b[BAR + 2] = 0;
}

static const struct column cols[] = {
    COLS_INTERVAL_TIME,
    {.name = "PID",
     .help = "process that listens",
     .width = 7,
     .wide = 7,
     .flags = COL_NUM | COL_ALL,
     .format = f_pid,
     .key = key_none,
     .off = offsetof(struct listen_row, owner)},
    {.name = "COMM",
     .help = "its command name",
     .width = 10,
     .wide = 16,
     .priority = 4,
     .flags = COL_ALL,
     .format = f_comm,
     .key = k_comm,
     .off = offsetof(struct listen_row, owner)},
    {.name = "SERVICE",
     .help = "the owner's service: systemd unit, container, or cgroup (v2) path",
     .width = 16,
     .wide = 32,
     .priority = 6,
     .flags = COL_SCREEN | COL_CSV,
     .format = f_service,
     .key = key_none,
     .off = offsetof(struct listen_row, svc)},
    {.name = "LADDR",
     .help = "the address it listens on",
     .width = 15,
     .wide = 39,
     .flags = COL_NOCUT | COL_ALL,
     .format = f_laddr,
     .key = k_laddr,
     .off = offsetof(struct listen_row, conn)},
    {.name = "LPORT",
     .help = "the port",
     .width = 5,
     .wide = 5,
     .flags = COL_NUM | COL_ALL,
     .format = f_lport,
     .key = k_lport,
     .off = offsetof(struct listen_row, conn)},
    {.name = "BACKLOG",
     .help = "the most that may wait (tcpsynbl: backlog_max)",
     .width = 7,
     .wide = 7,
     .flags = COL_NUM | COL_ALL,
     .format = f_backlog,
     .key = k_backlog},
    {.name = "QUEUE",
     .help = "accept queue lengths a handshake found (a log2 slot)",
     .width = 15,
     .wide = 21,
     .flags = COL_NUM | COL_BATCH | COL_SCREEN,
     .format = f_queue,
     .key = k_slot},
    {.name = "QUEUE_LO",
     .help = "the slot's shortest queue",
     .width = 8,
     .wide = 8,
     .flags = COL_NUM | COL_CSV,
     .format = f_queue_lo,
     .key = k_slot},
    {.name = "QUEUE_HI",
     .help = "the slot's longest queue",
     .width = 8,
     .wide = 8,
     .flags = COL_NUM | COL_CSV,
     .format = f_queue_hi,
     .key = k_slot},
    {.name = "COUNT",
     .help = "handshakes that found the queue this long, since tracing began",
     .width = 8,
     .wide = 10,
     .flags = COL_NUM | COL_DESC | COL_ALL,
     .format = f_count,
     .key = k_count},
    {.name = "DISTRIBUTION",
     .help = "the counts against the address's largest",
     .width = BAR + 2,
     .wide = BAR + 2,
     .priority = 1,
     .flags = COL_BATCH | COL_SCREEN,
     .format = f_bar,
     .key = k_count},
};

/* The rows are made at each collect; they stay valid until the next one. */
static struct hist_row *made;
static size_t made_cap;

static size_t count(const struct model *m, const struct pane_opts *o)
{
	return table_count(&m->listeners) * TS_LHIST;
}

static size_t collect(const struct model *m, const struct pane_opts *o, const void **rows,
		      size_t max)
{
	size_t want = table_count(&m->listeners) * TS_LHIST, n = 0, pos = 0;
	const struct listen_row *l;

	if (want > made_cap) {
		struct hist_row *grown = realloc(made, want * sizeof(*grown));

		if (!grown)
			return 0;
		made = grown;
		made_cap = want;
	}
	while ((l = table_next(&m->listeners, &pos))) {
		uint32_t most = 0;
		int last = -1;

		if (!l->hist_kept)
			continue;
		for (int i = 0; i < TS_LHIST; i++) {
			if (slot_count(l, i) > most)
				most = slot_count(l, i);
			if (slot_count(l, i))
				last = i;
		}
		/* as tcpsynbl: every slot up to the last one used */
		for (int i = 0; i <= last && n < max; i++) {
			made[n] = (struct hist_row){
			    .l = l, .slot = (uint32_t)i, .count = slot_count(l, i), .most = most};
			rows[n] = &made[n];
			n++;
		}
	}
	return n;
}

static void fields(const void *row, struct row_fields *rf)
{
	const struct listen_row *l = H(row)->l;

	row_fields_conn(rf, &l->conn, &l->owner);
	rf->raddr = l->conn.laddr;
	rf->service = l->svc ? l->svc->name : NULL;
	rf->state = TS_LISTEN;
	rf->state2 = 0;
}

static uint64_t row_ts(const void *row)
{
	return H(row)->l->start_ns;
}

/* by port, then address, then slot */
static uint64_t natural(const void *row)
{
	const struct listen_row *l = H(row)->l;
	uint32_t a;

	memcpy(&a, l->conn.family == 4 ? l->conn.laddr : l->conn.laddr + 12, sizeof(a));
	return (uint64_t)l->conn.lport << 48 | (uint64_t)(a & 0xffffff) << 16 |
	       (uint64_t)l->conn.family << 8 | H(row)->slot;
}

static uint64_t ident(const void *row)
{
	return (uint64_t)(uintptr_t)H(row)->l * 31 + H(row)->slot;
}

static void table_note(const struct model *m, const struct pane_opts *o, char *buf, size_t n)
{
	snprintf(buf, n, "the accept queue at each handshake, since tracing began%s",
		 m->listen_overflow_named ? "" : " (those that overflowed: not on this kernel)");
}

const struct pane pane_listen_hist = {
    .name = "listeners",
    .title = "Listeners",
    .empty = "no handshakes yet",
    .cols = cols,
    .ncols = PANE_NCOLS(cols),
    .default_sort = -1,
    .collect = collect,
    .count = count,
    .fields = fields,
    .ts = row_ts,
    .natural = natural,
    .ident = ident,
    .row_size = sizeof(struct hist_row),
    .note = table_note,
    .batch = BATCH_PER_INTERVAL,
    .table_note = table_note,
    .losses = 1u << LOSS_LISTENERS,
    .jobs = {"listen", "drops", "retrans"},
};
