// SPDX-License-Identifier: GPL-2.0
/*
 * Events: retransmits (tcpretrans), drops (tcpdrop), resets, congestion
 * states, full queues, memory limits and socket errors, newest first. Drop
 * and reset reasons and locations are named by the recording kernel, via
 * the model.
 */
#include <stdio.h>
#include <string.h>
#include "cells.h"
#include "evdetail.h"
#include "evkind.h"
#include "format.h"
#include "text.h"

#define E(row) ((const struct event_row *)(row))

static const char *type_name(const struct event_row *e)
{
	return ev_kind_name(event_kind(e));
}

static CELL(f_type)
{
	fmt_str(b, n, type_name(E(row)));
}

/* Drops, resets, losses, full queues and errors are bad news; retransmits went out again. */
static enum tone tone_type(const struct fmt_ctx *f, const struct column *c, const void *row)
{
	switch (event_kind(E(row))) {
	case EK_RETRANS:
	case EK_RETRANS_SYN:
	case EK_RETRANS_SYNACK:
	case EK_RST_SENT:
		return TONE_SENT;
	case EK_OPEN:
	case EK_DISORDER:
		return TONE_GOOD;
	default:
		return TONE_BAD;
	}
}

static KEY(k_type)
{
	return str_key(type_name(E(row)), 16);
}

/* No socket, or no owner known: the kernel acted on its own. */
static CELL(f_comm)
{
	if (!E(row)->owner.pid)
		fmt_str(b, n, "[kernel]");
	else
		cell_comm(f, c, row, b, n);
}

/* Which way it went: retransmits and sent resets out, received resets in; drops either way. */
static CELL(f_dir)
{
	const struct event_row *e = E(row);
	bool in = (e->type == EV_DROP || e->type == EV_SOCK) && e->ingress;

	if (e->type == EV_SOCK && e->sock_type != TS_SE_RST_SENT && e->sock_type != TS_SE_RST_RECV)
		fmt_str(b, n, "-"); /* a state of the connection, not a packet */
	/* arrows on screen; words in CSV, where "->" would read as a formula */
	else if (f->flags & FMT_CSV)
		fmt_str(b, n, in ? "in" : "out");
	else
		fmt_str(b, n, in ? "<-" : "->");
}

static KEY(k_dir)
{
	return E(row)->ingress;
}

static CELL(f_state)
{
	fmt_str(b, n, E(row)->state ? state_name(E(row)->state) : "-");
}

static KEY(k_state)
{
	return E(row)->state;
}

static CELL(f_reason)
{
	char raw[64];

	event_detail(f->m, E(row), raw, sizeof(raw));
	text_sanitize_into(b, n, raw);
}

static KEY(k_reason)
{
	return E(row)->type == EV_RETRANS ? 0 : E(row)->reason;
}

static CELL(f_flags)
{
	static const char *const names[] = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};
	uint8_t fl = E(row)->tcp_flags;
	size_t o = 0;

	b[0] = 0;
	if (E(row)->type != EV_DROP) {
		fmt_str(b, n, "-");
		return;
	}
	for (int i = 0; i < 8; i++)
		if (fl & (1 << i) && o < n)
			o += snprintf(b + o, n - o, "%s%s", o ? "|" : "", names[i]);
}

static KEY(k_flags)
{
	return E(row)->tcp_flags;
}

static CELL(f_location)
{
	const char *sym = E(row)->location ? model_symbol(f->m, E(row)->location) : NULL;
	char raw[80];

	if (sym)
		snprintf(raw, sizeof(raw), "%s", sym);
	else if (E(row)->location)
		snprintf(raw, sizeof(raw), "0x%llx", (unsigned long long)E(row)->location);
	else
		snprintf(raw, sizeof(raw), "-");
	text_sanitize_into(b, n, raw);
}

static KEY(k_location)
{
	return E(row)->location;
}

static CELL(f_count)
{
	fmt_u64(E(row)->count, b, n);
}

static KEY(k_count)
{
	return E(row)->count;
}

#define ER struct event_row
static const struct column cols[] = {
    COLS_TIME(struct event_row, ts_ns, "time of the event", COL_SCREEN | COL_CSV),
    {.name = "TYPE",
     .help = "RETRANS*, DROP, RST> RST< (resets), CWR RECOVERY LOSS OPEN DISORDER "
	     "(congestion), RCVQ_FULL PEER_FULL MEM_LIMIT, ERROR",
     .width = 14,
     .wide = 14,
     .flags = COL_ALL,
     .format = f_type,
     .key = k_type,
     .tone = tone_type},
    {.name = "PID",
     .help = "process that owns the socket",
     .width = 7,
     .wide = 7,
     .priority = 3,
     .flags = COL_NUM | COL_ALL,
     .format = cell_pid,
     .key = key_pid,
     .off = offsetof(ER, owner)},
    {.name = "COMM",
     .help = "its command name ([kernel]: no owner)",
     .width = 10,
     .wide = 16,
     .priority = 3,
     .flags = COL_ALL | COL_KEYS_WHOLE,
     .format = f_comm,
     .key = key_comm,
     .cmp = cmp_comm,
     .off = offsetof(ER, owner),
     .key2 = key_comm2},
    COL_IP(ER, conn, COL_CSV),
    COL_ADDR("LADDR", "local address", laddr, ER, conn, COL_ALL),
    COL_PORT("LPORT", "local port", lport, ER, conn, COL_ALL),
    {.name = "DIR",
     .help = "-> sent to the remote end, <- received from it",
     .width = 3,
     .wide = 3,
     .priority = 4,
     .flags = COL_ALL,
     .format = f_dir,
     .key = k_dir},
    COL_ADDR("RADDR", "remote address", raddr, ER, conn, COL_ALL),
    COL_PORT("RPORT", "remote port", rport, ER, conn, COL_ALL),
    {.name = "STATE",
     .help = "TCP state of the socket",
     .width = 11,
     .wide = 11,
     .priority = 2,
     .flags = COL_ALL,
     .format = f_state,
     .key = k_state},
    {.name = "REASON",
     .help = "the kernel's drop or reset reason, the congestion state left, the full queue, "
	     "the error",
     .width = 18,
     .wide = 24,
     .priority = 1,
     .flags = COL_ALL,
     .format = f_reason,
     .key = k_reason},
    {.name = "FLAGS",
     .help = "TCP flags of the dropped packet",
     .width = 11,
     .wide = 15,
     .priority = 6,
     .flags = COL_ALL,
     .format = f_flags,
     .key = k_flags},
    {.name = "LOCATION",
     .help = "kernel function that freed the packet",
     .width = 22,
     .wide = 30,
     .priority = 7,
     .flags = COL_SCREEN | COL_CSV,
     .format = f_location,
     .key = k_location},
    {.name = "COUNT",
     .help = "retransmits of this socket so far",
     .width = 5,
     .wide = 6,
     .priority = 8,
     .flags = COL_NUM | COL_CSV,
     .format = f_count,
     .key = k_count},
    COL_NETNS(ER, conn, COL_CSV),
};

static size_t count(const struct model *m, const struct pane_opts *o)
{
	return retain_count(&m->events);
}

static size_t collect(const struct model *m, const struct pane_opts *o, const void **rows,
		      size_t max)
{
	return retain_collect(&m->events, rows, max);
}

static void fields(const void *row, struct row_fields *rf)
{
	row_fields_conn(rf, &E(row)->conn, &E(row)->owner);
	rf->state = E(row)->state;
	rf->state2 = 0;
	rf->kinds = 1u << event_kind(E(row));
}

static uint64_t row_ts(const void *row)
{
	return E(row)->ts_ns;
}

static uint64_t let_go(const struct model *m)
{
	return m->events.let_go;
}

static uint64_t ident(const void *row)
{
	return (E(row)->ts_ns * 31 + E(row)->sid) * 3 + E(row)->type;
}

/* How many of each kind since tracing began (not only those kept): "RETRANS 12, RST> 2". */
static void note(const struct model *m, const struct pane_opts *o, char *buf, size_t n)
{
	size_t at = 0;

	buf[0] = 0;
	for (int k = EK_NONE + 1; k < EK_MAX && at < n; k++)
		if (m->st.event_kinds[k])
			at += (size_t)snprintf(buf + at, n - at, "%s%s %llu", at ? ", " : "",
					       ev_kind_name((enum ev_kind)k),
					       (unsigned long long)m->st.event_kinds[k]);
}

static uint64_t session_of(const void *row)
{
	return E(row)->sid;
}

const struct pane pane_events = {
    .name = "events",
    .title = "Events",
    .empty = "no retransmits, drops, resets or congestion yet",
    .cols = cols,
    .ncols = PANE_NCOLS(cols),
    .default_sort = 0, /* TIME, newest first */
    .collect = collect,
    .count = count,
    .fields = fields,
    .ts = row_ts,
    .ident = ident,
    .session = session_of,
    .note = note,
    .row_size = sizeof(struct event_row),
    .let_go = let_go,
    .weight = 14,
    .grid = {.row = 1, .col = 1},
    .batch = BATCH_AT_EVENT,
    .jobs = {"retrans", "drops", "resets", "cong", "memory", "errors", "rtt"},
};
