// SPDX-License-Identifier: GPL-2.0
/*
 * Listeners: a row per listening address, what ss -lnt and nstat say of
 * it and more: the accept queue now, its largest in the interval and the
 * backlog (tcpsynbl's question), the SYN queue, connections accepted,
 * SYN-ACK retransmits and overflows; and a row per address where
 * connects were refused (no listener). listen() and close show as they
 * happen (solisten), with their backlog.
 */
#include <stdio.h>
#include <string.h>
#include "cells.h"
#include "format.h"
#include "listeners.h"
#include "service.h"

#define LR(row) ((const struct listen_row *)(row))

static const char *const state_names[] = {
    [LS_NONE] = "-",
    [LS_LISTEN] = "LISTEN",
    [LS_CLOSED] = "CLOSED",
};

static CELL(f_state)
{
	enum listen_state s = LR(row)->state <= LS_CLOSED ? LR(row)->state : LS_NONE;

	/* nobody: '-' on screen, an empty field in CSV (a '-' there reads as a formula) */
	fmt_str(b, n, s == LS_NONE && (f->flags & FMT_CSV) ? "" : state_names[s]);
}

static KEY(k_state)
{
	return LR(row)->state;
}

/* A number the samples give: '-' (empty in CSV) until one came. */
static void sampled(const struct fmt_ctx *f, const struct listen_row *r, uint64_t v, char *b,
		    size_t n)
{
	if (r->sampled)
		fmt_u64(v, b, n);
	else
		fmt_str(b, n, f->flags & FMT_CSV ? "" : "-");
}

#define SAMPLED_COLUMN(fn, field)                                                                  \
	static CELL(f_##fn)                                                                        \
	{                                                                                          \
		sampled(f, LR(row), LR(row)->field, b, n);                                         \
	}                                                                                          \
	static KEY(k_##fn)                                                                         \
	{                                                                                          \
		return LR(row)->field;                                                             \
	}

#define COUNT_COLUMN(fn, field)                                                                    \
	static CELL(f_##fn)                                                                        \
	{                                                                                          \
		fmt_u64(LR(row)->field, b, n);                                                     \
	}                                                                                          \
	static KEY(k_##fn)                                                                         \
	{                                                                                          \
		return LR(row)->field;                                                             \
	}

SAMPLED_COLUMN(queue, queue)
SAMPLED_COLUMN(qmax, qmax)
SAMPLED_COLUMN(synq, syn_queue)
SAMPLED_COLUMN(overflows, overflows)
COUNT_COLUMN(socks, socks)
COUNT_COLUMN(accepts, accepts)
COUNT_COLUMN(synack, synack_rt)
COUNT_COLUMN(refused, refused)

/* where the kernel names no reason TCP_LISTEN_OVERFLOW: '-' */
static CELL(f_ack_overflows)
{
	if (f->m->listen_overflow_named)
		fmt_u64(LR(row)->ack_overflows, b, n);
	else
		fmt_str(b, n, f->flags & FMT_CSV ? "" : "-");
}

static KEY(k_ack_overflows)
{
	return LR(row)->ack_overflows;
}

/* listen() says its backlog at once; a row nobody listens on has none */
static CELL(f_backlog)
{
	if (LR(row)->state == LS_NONE)
		fmt_str(b, n, f->flags & FMT_CSV ? "" : "-");
	else
		fmt_u64(LR(row)->backlog, b, n);
}

static KEY(k_backlog)
{
	return LR(row)->backlog;
}

/* a queue at its backlog turns new handshakes away */
static enum tone tone_queue(const struct fmt_ctx *f, const struct column *c, const void *row)
{
	const struct listen_row *r = LR(row);

	return r->sampled && r->backlog && r->queue >= r->backlog ? TONE_BAD : TONE_PLAIN;
}

/* accept()s a second, in the last interval */
static CELL(f_acc_rate)
{
	uint64_t iv = f->m->st.interval_ns;

	if (!LR(row)->sampled)
		fmt_str(b, n, f->flags & FMT_CSV ? "" : "-");
	else
		fmt_fixed(iv ? LR(row)->last_accepts * 1000000000ULL * 10 / iv : 0, 10, 1, b, n);
}

static KEY(k_acc_rate)
{
	return LR(row)->last_accepts;
}

#define LRT struct listen_row
#define NUM (COL_NUM | COL_DESC)

static const struct column cols[] = {
    COLS_INTERVAL_TIME,
    COLS_OWNER(LRT, owner, COL_ALL),
    COL_SERVICE(LRT, svc, COL_ALL),
    COL_IP(LRT, conn, COL_CSV),
    COL_ADDR("LADDR", "the address it listens on (0.0.0.0, ::: every address)", laddr, LRT, conn,
	     COL_ALL),
    COL_PORT("LPORT", "the port", lport, LRT, conn, COL_ALL),
    {.name = "STATE",
     .help = "LISTEN; CLOSED: its last socket closed in the interval; -: nobody listens",
     .width = 6,
     .wide = 6,
     .priority = 3,
     .flags = COL_ALL,
     .format = f_state,
     .key = k_state},
    {.name = "SOCKS",
     .help = "sockets listening there (SO_REUSEPORT)",
     .width = 5,
     .wide = 5,
     .priority = 7,
     .flags = NUM | COL_SCREEN | COL_CSV,
     .format = f_socks,
     .key = k_socks},
    {.name = "QUEUE",
     .help = "connections waiting for accept() now (ss: Recv-Q)",
     .width = 6,
     .wide = 7,
     .flags = NUM | COL_ALL,
     .format = f_queue,
     .key = k_queue,
     .tone = tone_queue},
    {.name = "BACKLOG",
     .help = "the most that may wait: listen()'s backlog (ss: Send-Q)",
     .width = 7,
     .wide = 7,
     .flags = NUM | COL_ALL,
     .format = f_backlog,
     .key = k_backlog},
    {.name = "QMAX",
     .help = "the longest the queue was in the last interval",
     .width = 5,
     .wide = 7,
     .priority = 2,
     .flags = NUM | COL_ALL,
     .format = f_qmax,
     .key = k_qmax},
    {.name = "SYNQ",
     .help = "handshakes waiting for their last ACK (request sockets)",
     .width = 5,
     .wide = 7,
     .priority = 5,
     .flags = NUM | COL_ALL,
     .format = f_synq,
     .key = k_synq},
    {.name = "ACC/s",
     .help = "connections accepted a second, in the last interval",
     .width = 7,
     .wide = 9,
     .priority = 1,
     .flags = NUM | COL_ALL,
     .format = f_acc_rate,
     .key = k_acc_rate},
    {.name = "ACCEPTS",
     .help = "connections accept() took since tracing began",
     .width = 8,
     .wide = 10,
     .flags = NUM | COL_ALL,
     .format = f_accepts,
     .key = k_accepts},
    {.name = "SYNACK_RT",
     .help = "SYN-ACKs retransmitted (a client's last ACK lost, or dropped on a full queue)",
     .width = 9,
     .wide = 9,
     .priority = 4,
     .flags = NUM | COL_ALL,
     .format = f_synack,
     .key = k_synack},
    {.name = "OVERFLOWS",
     .help = "connections it turned away, by its own count: a full queue at the SYN or the last "
	     "ACK (nstat: ListenDrops)",
     .width = 9,
     .wide = 9,
     .flags = NUM | COL_ALL,
     .format = f_overflows,
     .key = k_overflows,
     .tone = tone_bad_unless_zero},
    {.name = "ACK_OVF",
     .help = "of those, last ACKs dropped on a full queue (drop reason TCP_LISTEN_OVERFLOW; '-': "
	     "the kernel names none)",
     .width = 7,
     .wide = 8,
     .priority = 3,
     .flags = NUM | COL_ALL,
     .format = f_ack_overflows,
     .key = k_ack_overflows,
     .tone = tone_bad_unless_zero},
    {.name = "REFUSED",
     .help = "connects refused: SYNs to this address no socket took (answered with a reset)",
     .width = 7,
     .wide = 8,
     .priority = 1,
     .flags = NUM | COL_ALL,
     .format = f_refused,
     .key = k_refused,
     .tone = tone_bad_unless_zero},
    COL_NETNS(LRT, conn, COL_CSV),
};

static size_t count(const struct model *m, const struct pane_opts *o)
{
	return table_count(&m->listeners);
}

static size_t collect(const struct model *m, const struct pane_opts *o, const void **rows,
		      size_t max)
{
	const struct listen_row *r;
	size_t n = 0, pos = 0;

	while (n < max && (r = table_next(&m->listeners, &pos)))
		rows[n++] = r;
	return n;
}

static void fields(const void *row, struct row_fields *rf)
{
	const struct listen_row *r = LR(row);

	row_fields_conn(rf, &r->conn, &r->owner);
	rf->raddr = r->conn.laddr; /* no remote end: an address filter looks at the local one */
	rf->service = r->svc ? r->svc->name : NULL;
	rf->state = r->state == LS_NONE ? 0 : TS_LISTEN;
	rf->state2 = 0;
}

static uint64_t row_ts(const void *row)
{
	return LR(row)->start_ns;
}

/* by port, then address: as ss lists them */
static uint64_t natural(const void *row)
{
	const struct listen_row *r = LR(row);
	uint32_t a;

	memcpy(&a, r->conn.family == 4 ? r->conn.laddr : r->conn.laddr + 12, sizeof(a));
	return (uint64_t)r->conn.lport << 48 | (uint64_t)r->conn.family << 40 | (a & 0xffffffffu);
}

/* FNV-1a over the address */
static uint64_t ident(const void *row)
{
	const unsigned char *p = (const unsigned char *)&LR(row)->conn;
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < sizeof(struct ts_conn); i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

/* Listening addresses, and those whose queue is full now. */
static void counts(const struct model *m, size_t *listening, size_t *full, uint64_t *overflows)
{
	const struct listen_row *r;
	size_t pos = 0;

	*listening = *full = 0;
	*overflows = 0;
	while ((r = table_next(&m->listeners, &pos))) {
		*listening += r->state == LS_LISTEN;
		*full +=
		    r->state == LS_LISTEN && r->sampled && r->backlog && r->queue >= r->backlog;
		*overflows += r->overflows;
	}
}

static void note(const struct model *m, const struct pane_opts *o, char *buf, size_t n)
{
	size_t listening, full;
	uint64_t overflows;

	counts(m, &listening, &full, &overflows);
	snprintf(buf, n, "%zu listening%s", listening, full ? ", queues full: " : "");
	if (full)
		snprintf(buf + strlen(buf), n - strlen(buf), "%zu", full);
}

static void table_note(const struct model *m, const struct pane_opts *o, char *buf, size_t n)
{
	size_t listening, full;
	uint64_t overflows;

	counts(m, &listening, &full, &overflows);
	snprintf(buf, n, "listening %zu  full %zu  overflows %llu", listening, full,
		 (unsigned long long)overflows);
}

/* g: a row per address, or the backlog distribution */
static const char *group_name(int mode)
{
	return mode ? "backlog" : "address";
}

static int group_get(const struct pane_opts *o)
{
	return o->listen_hist;
}

static void group_set(struct pane_opts *o, int mode)
{
	o->listen_hist = mode != 0;
}

static const struct pane_grouping grouping = {
    .modes = 2,
    .name = group_name,
    .get = group_get,
    .set = group_set,
    .summed = &pane_listen_hist,
    .said = "listeners by",
    .said_first = "listeners: a row per address",
};

const struct pane pane_listeners = {
    .name = "listeners",
    .title = "Listeners",
    .empty = "nothing listens (a listen() shows here as it happens)",
    .cols = cols,
    .ncols = PANE_NCOLS(cols),
    .default_sort = -1,
    .collect = collect,
    .count = count,
    .fields = fields,
    .ts = row_ts,
    .natural = natural,
    .ident = ident,
    .row_size = sizeof(struct listen_row),
    .note = note,
    .weight = 11,
    .grid = {.row = 2, .col = 1},
    .batch = BATCH_PER_INTERVAL,
    .table_note = table_note,
    .losses = 1u << LOSS_LISTENERS | 1u << LOSS_SERVICES,
    .grouping = &grouping,
    /* the queues; last ACKs on a full queue and refused connects are drops; SYN-ACKs
       retransmits */
    .jobs = {"listen", "drops", "retrans"},
};
