// SPDX-License-Identifier: GPL-2.0
/*
 * Lifespans grouped (g, --group): sessions summed up by process, service
 * port and remote host, or by process, or by service port. The Lifespans
 * pane shows these rows instead of one per session while grouped.
 */
#include <stdio.h>
#include <string.h>
#include "cells.h"
#include "format.h"
#include "lifegroups.h"
#include "service.h"

#define L(row) ((const struct life_row *)(row))

static bool has_proc(const struct life_row *r)
{
	return r->group == LG_PROC_PORT_HOST || r->group == LG_PROC;
}

static bool has_port(const struct life_row *r)
{
	return r->group == LG_PROC_PORT_HOST || r->group == LG_PORT;
}

static bool has_host(const struct life_row *r)
{
	return r->group == LG_PROC_PORT_HOST;
}

static bool has_service(const struct life_row *r)
{
	return has_proc(r) || r->group == LG_SERVICE;
}

static struct ts_conn conn_of(const struct life_row *r)
{
	struct ts_conn c = {.family = r->key.family};

	return c;
}

static CELL(f_pid)
{
	if (!has_proc(L(row)))
		fmt_str(b, n, "*");
	else if (L(row)->key.pid)
		fmt_u64(L(row)->key.pid, b, n);
	else
		fmt_str(b, n, f->flags & FMT_CSV ? "" : "-");
}

static KEY(k_pid)
{
	return L(row)->key.pid;
}

static CELL(f_comm)
{
	struct ts_owner o = {.pid = L(row)->key.pid};

	if (!has_proc(L(row))) {
		fmt_str(b, n, "*");
		return;
	}
	memcpy(o.comm, L(row)->key.comm, sizeof(o.comm));
	fmt_comm(&o, b, n);
}

static KEY(k_comm)
{
	return str_key(L(row)->key.comm, TS_COMM_LEN);
}

static KEY(k_comm2)
{
	return str_key2(L(row)->key.comm, TS_COMM_LEN);
}

static CMP(c_comm)
{
	return strncmp(L(a)->key.comm, L(b)->key.comm, TS_COMM_LEN);
}

static CELL(f_service)
{
	if (!has_service(L(row)))
		fmt_str(b, n, "*");
	else
		cell_service(f, c, row, b, n);
}

/* rows by service are named by it */
static bool by_service(const struct pane_opts *o)
{
	return o->life_group == LG_SERVICE;
}

static CELL(f_ip)
{
	if (!has_host(L(row)))
		fmt_str(b, n, "*");
	else
		fmt_u64(L(row)->key.family, b, n);
}

static KEY(k_ip)
{
	return L(row)->key.family;
}

static CELL(f_port)
{
	if (!has_port(L(row)))
		fmt_str(b, n, "*");
	else
		fmt_u64(L(row)->key.port, b, n);
}

static KEY(k_port)
{
	return L(row)->key.port;
}

static CELL(f_raddr)
{
	struct ts_conn fam = conn_of(L(row));

	if (!has_host(L(row)))
		fmt_str(b, n, "*");
	else
		fmt_addr(&fam, L(row)->key.raddr, b, n);
}

static KEY(k_raddr)
{
	struct ts_conn fam = conn_of(L(row));

	return addr_key(&fam, L(row)->key.raddr);
}

static KEY(k_raddr2)
{
	struct ts_conn fam = conn_of(L(row));

	return addr_key2(&fam, L(row)->key.raddr);
}

static CMP(c_raddr)
{
	struct ts_conn ca = conn_of(L(a)), cb = conn_of(L(b));

	return addr_cmp(&ca, L(a)->key.raddr, &cb, L(b)->key.raddr);
}

/* A count: its cell and its key. */
#define COUNT(fn, field)                                                                           \
	static CELL(f_##fn)                                                                        \
	{                                                                                          \
		fmt_u64(L(row)->field, b, n);                                                      \
	}                                                                                          \
	static KEY(k_##fn)                                                                         \
	{                                                                                          \
		return L(row)->field;                                                              \
	}

COUNT(sessions, sessions)
COUNT(open, open)
COUNT(fails, fails)
COUNT(refused, refused)
COUNT(reset, reset)
COUNT(timeout, timeout)
COUNT(tx_b, tx)
COUNT(rx_b, rx)

static CELL(f_tx_kb)
{
	fmt_kb(L(row)->tx, b, n);
}

static CELL(f_rx_kb)
{
	fmt_kb(L(row)->rx, b, n);
}

/* Sessions opened per second in the last complete interval (tenths). */
static uint64_t new_per_s10(const struct fmt_ctx *f, const struct life_row *r)
{
	uint64_t iv = f->m->life_iv_start - f->m->life_last_start;

	return f->m->life_last_start && iv ? r->opened * 10000000000ULL / iv : 0;
}

static CELL(f_new)
{
	fmt_fixed(new_per_s10(f, L(row)), 10, 1, b, n);
}

static KEY(k_new)
{
	return L(row)->opened;
}

/* A duration percentile: '-' (empty in CSV) when no session closed with a known start. */
static void percentile(const struct fmt_ctx *f, const struct life_row *r, uint64_t ns, char *b,
		       size_t n)
{
	if (!r->timed)
		fmt_str(b, n, f->flags & FMT_CSV ? "" : "-");
	else
		fmt_ms(ns, b, n);
}

static CELL(f_p50)
{
	percentile(f, L(row), L(row)->p50_ns, b, n);
}

static KEY(k_p50)
{
	return L(row)->p50_ns;
}

static CELL(f_p99)
{
	percentile(f, L(row), L(row)->p99_ns, b, n);
}

static KEY(k_p99)
{
	return L(row)->p99_ns;
}

#define NUM (COL_NUM | COL_DESC)

static const struct column cols[] = {
    COLS_INTERVAL_TIME,
    {.name = "PID",
     .help = "process ('*': all)",
     .width = 7,
     .wide = 7,
     .priority = 0,
     .flags = COL_NUM | COL_ALL,
     .format = f_pid,
     .key = k_pid},
    {.name = "COMM",
     .help = "its command name",
     .width = 12,
     .wide = 16,
     .priority = 0,
     .flags = COL_ALL | COL_KEYS_WHOLE,
     .format = f_comm,
     .key = k_comm,
     .cmp = c_comm,
     .key2 = k_comm2},
    {.name = "IP",
     .help = "IP version of the remote host",
     .width = 2,
     .wide = 2,
     .priority = 7,
     .flags = COL_NUM | COL_CSV,
     .format = f_ip,
     .key = k_ip},
    {.name = "PORT",
     .help = "service port: listening (accepted), remote (connected); '*': all",
     .width = 5,
     .wide = 5,
     .priority = 0,
     .flags = COL_NUM | COL_ALL,
     .format = f_port,
     .key = k_port},
    {.name = "RADDR",
     .help = "remote host ('*': all)",
     .width = 15,
     .wide = 39,
     .priority = 1,
     .flags = COL_NOCUT | COL_ALL,
     .format = f_raddr,
     .key = k_raddr,
     .cmp = c_raddr,
     .key2 = k_raddr2,
     .whole = addr_key_whole},
    {.name = "SESSIONS",
     .help = "sessions since tracing began, open ones too",
     .width = 8,
     .wide = 10,
     .priority = 0,
     .flags = NUM | COL_ALL,
     .format = f_sessions,
     .key = k_sessions},
    {.name = "OPEN",
     .help = "sessions open now",
     .width = 6,
     .wide = 8,
     .priority = 5,
     .flags = NUM | COL_ALL,
     .format = f_open,
     .key = k_open},
    {.name = "NEW/s",
     .help = "sessions opened a second, in the last interval",
     .width = 8,
     .wide = 9,
     .priority = 0,
     .flags = NUM | COL_ALL,
     .format = f_new,
     .key = k_new},
    {.name = "FAILS",
     .help = "sessions that ended in an error: refused, reset, timeout, other",
     .width = 6,
     .wide = 8,
     .priority = 0,
     .flags = NUM | COL_ALL,
     .format = f_fails,
     .key = k_fails,
     .tone = tone_bad_unless_zero},
    {.name = "REFUSED",
     .help = "connects refused",
     .width = 7,
     .wide = 8,
     .priority = 4,
     .flags = NUM | COL_ALL,
     .format = f_refused,
     .key = k_refused,
     .tone = tone_bad_unless_zero},
    {.name = "RESET",
     .help = "sessions reset",
     .width = 6,
     .wide = 8,
     .priority = 4,
     .flags = NUM | COL_ALL,
     .format = f_reset,
     .key = k_reset,
     .tone = tone_bad_unless_zero},
    {.name = "TIMEOUT",
     .help = "sessions timed out",
     .width = 7,
     .wide = 8,
     .priority = 4,
     .flags = NUM | COL_ALL,
     .format = f_timeout,
     .key = k_timeout,
     .tone = tone_bad_unless_zero},
    {.name = "P50_MS",
     .help = "median duration of the closed sessions, ms (log histogram: within 6.25%)",
     .width = 9,
     .wide = 10,
     .priority = 0,
     .flags = NUM | COL_MS | COL_ALL,
     .format = f_p50,
     .key = k_p50},
    {.name = "P99_MS",
     .help = "99th percentile of the same, ms",
     .width = 9,
     .wide = 10,
     .priority = 2,
     .flags = NUM | COL_MS | COL_ALL,
     .format = f_p99,
     .key = k_p99},
    {.name = "TX_KB",
     .help = "kilobytes sent by these sessions",
     .width = 8,
     .wide = 10,
     .priority = 3,
     .flags = NUM | COL_KB | COL_ALL,
     .format = f_tx_kb,
     .key = k_tx_b},
    {.name = "RX_KB",
     .help = "kilobytes received",
     .width = 8,
     .wide = 10,
     .priority = 3,
     .flags = NUM | COL_KB | COL_ALL,
     .format = f_rx_kb,
     .key = k_rx_b},
    {.name = "TX_BYTES",
     .help = "bytes sent, exact",
     .width = 12,
     .wide = 14,
     .priority = 8,
     .flags = NUM | COL_BYTES | COL_CSV,
     .format = f_tx_b,
     .key = k_tx_b},
    {.name = "RX_BYTES",
     .help = "bytes received, exact",
     .width = 12,
     .wide = 14,
     .priority = 8,
     .flags = NUM | COL_BYTES | COL_CSV,
     .format = f_rx_b,
     .key = k_rx_b},
    /* last: CSV readers that count columns find the older ones where they were */
    {.name = "SERVICE",
     .help = "the owner's service: systemd unit, container, or cgroup (v2) path ('*': all)",
     .width = 16,
     .wide = 32,
     .priority = 6,
     .flags = COL_SCREEN | COL_CSV,
     .format = f_service,
     .key = key_service,
     .cmp = cmp_service,
     .off = offsetof(struct life_row, key.svc),
     .key2 = key_service2,
     .batch_when = by_service},
};

static enum life_group group_of(const struct pane_opts *o)
{
	return o && o->life_group > LG_SOCKET && o->life_group < LG_MAX ? o->life_group
									: LG_PROC_PORT_HOST;
}

static size_t count(const struct model *m, const struct pane_opts *o)
{
	return table_count(&m->summaries) + table_count(&m->open);
}

/* The rows are made at each collect; they stay valid until the next one. */
static struct life_rows made;

static size_t collect(const struct model *m, const struct pane_opts *o, const void **rows,
		      size_t max)
{
	size_t n = 0, pos = 0;
	const struct life_row *r;

	if (life_rows_build(&made, m, group_of(o)))
		return 0;
	while (n < max && (r = table_next(&made.rows, &pos)))
		rows[n++] = r;
	return n;
}

/* The filter sees what the grouping keeps: process, service port (either end), remote host. */
static void fields(const void *row, struct row_fields *rf)
{
	const struct life_row *r = L(row);

	memset(rf, 0, sizeof(*rf));
	if (has_proc(r)) {
		rf->pid = r->key.pid;
		rf->comm = r->key.pid ? r->key.comm : NULL;
	}
	rf->has_ports = has_port(r);
	rf->lport = rf->rport = r->key.port;
	if (has_host(r)) {
		rf->family = r->key.family;
		rf->laddr = rf->raddr = r->key.raddr;
	}
	if (has_service(r))
		rf->service = service_label(r->key.svc);
}

static uint64_t row_ts(const void *row)
{
	(void)row;
	return 0;
}

/* Ties in the sort column: by service port, then process (the table's order changes). */
static uint64_t natural(const void *row)
{
	return (uint64_t)L(row)->key.port << 32 | L(row)->key.pid;
}

/* FNV-1a over the group's key */
static uint64_t ident(const void *row)
{
	const unsigned char *p = (const unsigned char *)&L(row)->key;
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < sizeof(struct life_key); i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h ^ L(row)->group;
}

static void note(const struct model *m, const struct pane_opts *o, char *buf, size_t n)
{
	snprintf(buf, n, "by %s, %zu open, %llu closed", life_group_name(group_of(o)),
		 table_count(&m->open), (unsigned long long)m->st.closed);
}

static void table_note(const struct model *m, const struct pane_opts *o, char *buf, size_t n)
{
	snprintf(buf, n, "by %s  sessions %zu open, %llu closed", life_group_name(group_of(o)),
		 table_count(&m->open), (unsigned long long)m->st.closed);
}

/* Lifespans' grouping shows this pane for every mode but a row per session. */
const struct pane pane_life_groups = {
    .name = "lifespans",
    .title = "Lifespans",
    .empty = "no TCP sessions yet",
    .cols = cols,
    .ncols = PANE_NCOLS(cols),
    .default_sort = 7, /* SESSIONS */
    .collect = collect,
    .count = count,
    .fields = fields,
    .ts = row_ts,
    .natural = natural,
    .ident = ident,
    .row_size = sizeof(struct life_row),
    .note = note,
    .batch = BATCH_PER_INTERVAL,
    .table_note = table_note,
    .losses = 1u << LOSS_SUMMARIES,
    .jobs = {"state"},
};
