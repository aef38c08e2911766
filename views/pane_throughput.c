// SPDX-License-Identifier: GPL-2.0
/*
 * Throughput: bytes per interval and in total, grouped by process and host
 * pair (or by hosts, process or connection), tcptop's columns first.
 */
#include <stdio.h>
#include <string.h>
#include "cells.h"
#include "filter.h"
#include "format.h"
#include "self.h"
#include "service.h"
#include "throughput.h"

#define T(row) ((const struct tput_row *)(row))

/* Whether the grouping keeps the process, the host pair, the service */
static bool has_proc(const struct tput_row *r)
{
	return r->group == G_PROC_HOSTS || r->group == G_PROC || r->group == G_SOCKET;
}

static bool has_hosts(const struct tput_row *r)
{
	return r->group == G_PROC_HOSTS || r->group == G_HOSTS || r->group == G_SOCKET;
}

static bool has_service(const struct tput_row *r)
{
	return has_proc(r) || r->group == G_SERVICE;
}

static struct ts_conn conn_of(const struct tput_row *r)
{
	struct ts_conn c = {.family = r->key.family};

	return c;
}

static CELL(f_pid)
{
	if (!has_proc(T(row)))
		fmt_str(b, n, "*");
	else if (T(row)->key.pid)
		fmt_u64(T(row)->key.pid, b, n);
	else
		fmt_str(b, n, f->flags & FMT_CSV ? "" : "-");
}

static KEY(k_pid)
{
	return T(row)->key.pid;
}

static CELL(f_comm)
{
	struct ts_owner o = {.pid = T(row)->key.pid};

	if (!has_proc(T(row))) {
		fmt_str(b, n, "*");
		return;
	}
	memcpy(o.comm, T(row)->key.comm, sizeof(o.comm));
	fmt_comm(&o, b, n);
}

static KEY(k_comm)
{
	return str_key(T(row)->key.comm, TS_COMM_LEN);
}

static KEY(k_comm2)
{
	return str_key2(T(row)->key.comm, TS_COMM_LEN);
}

static CMP(c_comm)
{
	return strncmp(T(a)->key.comm, T(b)->key.comm, TS_COMM_LEN);
}

static CELL(f_service)
{
	if (!has_service(T(row)))
		fmt_str(b, n, "*");
	else
		cell_service(f, c, row, b, n);
}

/* rows by service are named by it */
static bool by_service(const struct pane_opts *o)
{
	return o->group == G_SERVICE;
}

static CELL(f_ip)
{
	if (!has_hosts(T(row)) && (T(row)->group != G_SUBNET || !tput_subnet(f->m, &T(row)->key)))
		fmt_str(b, n, "*");
	else
		fmt_u64(T(row)->key.family, b, n);
}

static KEY(k_ip)
{
	return T(row)->key.family;
}

static void addr_cell(const struct tput_row *r, const uint8_t *a, uint16_t port, char *b, size_t n)
{
	struct ts_conn fam = conn_of(r);

	if (!has_hosts(r))
		fmt_str(b, n, "*");
	else if (r->group == G_SOCKET)
		fmt_addr_port(&fam, a, port, b, n);
	else
		fmt_addr(&fam, a, b, n);
}

static CELL(f_laddr)
{
	addr_cell(T(row), T(row)->key.laddr, T(row)->key.lport, b, n);
}

static CELL(f_raddr)
{
	const struct subnet *sn;

	if (T(row)->group != G_SUBNET) {
		addr_cell(T(row), T(row)->key.raddr, T(row)->key.rport, b, n);
		return;
	}
	sn = tput_subnet(f->m, &T(row)->key);
	fmt_str(b, n, sn ? sn->text : "other");
}

static KEY(k_laddr)
{
	struct ts_conn fam = conn_of(T(row));

	return addr_key(&fam, T(row)->key.laddr);
}

static KEY(k_raddr)
{
	struct ts_conn fam = conn_of(T(row));

	if (T(row)->group == G_SUBNET)
		return T(row)->key.subnet; /* in the list's order, "other" last */
	return addr_key(&fam, T(row)->key.raddr);
}

static KEY(k_laddr2)
{
	struct ts_conn fam = conn_of(T(row));

	return addr_key2(&fam, T(row)->key.laddr);
}

static KEY(k_raddr2)
{
	struct ts_conn fam = conn_of(T(row));

	return addr_key2(&fam, T(row)->key.raddr);
}

static CMP(c_laddr)
{
	struct ts_conn ca = conn_of(T(a)), cb = conn_of(T(b));
	int d = addr_cmp(&ca, T(a)->key.laddr, &cb, T(b)->key.laddr);

	return d ? d : (int)T(a)->key.lport - (int)T(b)->key.lport;
}

static CMP(c_raddr)
{
	struct ts_conn ca = conn_of(T(a)), cb = conn_of(T(b));
	int d = addr_cmp(&ca, T(a)->key.raddr, &cb, T(b)->key.raddr);

	if (!d)
		d = (T(a)->key.subnet > T(b)->key.subnet) - (T(a)->key.subnet < T(b)->key.subnet);
	return d ? d : (int)T(a)->key.rport - (int)T(b)->key.rport;
}

static CELL(f_conns)
{
	fmt_u64(T(row)->conns, b, n);
}

static KEY(k_conns)
{
	return T(row)->conns;
}

/* Per-interval rate in KB/s. */
static double rate(const struct fmt_ctx *f, uint64_t bytes)
{
	uint64_t iv = f->m->st.interval_ns;

	return iv ? bytes / 1024.0 / (iv / 1e9) : 0;
}

#define BYTES_COLUMN(fn, expr)                                                                     \
	static CELL(f_##fn##_kb)                                                                   \
	{                                                                                          \
		fmt_kb(T(row)->expr, b, n);                                                        \
	}                                                                                          \
	static CELL(f_##fn##_b)                                                                    \
	{                                                                                          \
		fmt_u64(T(row)->expr, b, n);                                                       \
	}                                                                                          \
	static KEY(k_##fn)                                                                         \
	{                                                                                          \
		return T(row)->expr;                                                               \
	}

BYTES_COLUMN(rx, last_rx)
BYTES_COLUMN(tx, last_tx)
BYTES_COLUMN(trx, tot_rx)
BYTES_COLUMN(ttx, tot_tx)

static CELL(f_rx_rate)
{
	snprintf(b, n, "%.1f", rate(f, T(row)->last_rx));
}

static CELL(f_tx_rate)
{
	snprintf(b, n, "%.1f", rate(f, T(row)->last_tx));
}

static const struct column cols[] = {
    COLS_INTERVAL_TIME,
    {.name = "PID",
     .help = "process ('*': all)",
     .width = 7,
     .wide = 7,
     .flags = COL_NUM | COL_ALL,
     .format = f_pid,
     .key = k_pid},
    {.name = "COMM",
     .help = "its command name",
     .width = 12,
     .wide = 16,
     .flags = COL_ALL | COL_KEYS_WHOLE,
     .format = f_comm,
     .key = k_comm,
     .cmp = c_comm,
     .key2 = k_comm2},
    {.name = "IP",
     .help = "IP version",
     .width = 2,
     .wide = 2,
     .priority = 6,
     .flags = COL_NUM | COL_CSV,
     .format = f_ip,
     .key = k_ip},
    {.name = "LADDR",
     .help = "local address (with port when grouped by socket)",
     .width = 21,
     .wide = 45,
     .flags = COL_NOCUT | COL_ALL,
     .format = f_laddr,
     .key = k_laddr,
     .cmp = c_laddr,
     .key2 = k_laddr2,
     .whole = addr_key_whole},
    {.name = "RADDR",
     .help = "remote address (with port when grouped by socket)",
     .width = 21,
     .wide = 45,
     .flags = COL_NOCUT | COL_ALL,
     .format = f_raddr,
     .key = k_raddr,
     .cmp = c_raddr,
     .key2 = k_raddr2,
     .whole = addr_key_whole},
    /* not in batch text: tcptop's columns only */
    {.name = "CONNS",
     .help = "connections that moved bytes in the last interval",
     .width = 5,
     .wide = 6,
     .priority = 5,
     .flags = COL_NUM | COL_DESC | COL_SCREEN | COL_CSV,
     .format = f_conns,
     .key = k_conns},
    {.name = "RX_KB",
     .help = "kilobytes received in the last interval",
     .width = 7,
     .wide = 9,
     .flags = COL_NUM | COL_KB | COL_DESC | COL_ALL,
     .format = f_rx_kb,
     .key = k_rx},
    {.name = "TX_KB",
     .help = "kilobytes sent in the last interval",
     .width = 7,
     .wide = 9,
     .flags = COL_NUM | COL_KB | COL_DESC | COL_ALL,
     .format = f_tx_kb,
     .key = k_tx},
    {.name = "RX_BYTES",
     .help = "bytes received in the last interval, exact",
     .width = 10,
     .wide = 12,
     .priority = 8,
     .flags = COL_NUM | COL_BYTES | COL_DESC | COL_CSV,
     .format = f_rx_b,
     .key = k_rx},
    {.name = "TX_BYTES",
     .help = "bytes sent in the last interval, exact",
     .width = 10,
     .wide = 12,
     .priority = 8,
     .flags = COL_NUM | COL_BYTES | COL_DESC | COL_CSV,
     .format = f_tx_b,
     .key = k_tx},
    {.name = "RX_KBS",
     .help = "receive rate, KB/s",
     .width = 8,
     .wide = 9,
     .priority = 4,
     .flags = COL_NUM | COL_KB | COL_DESC | COL_CSV,
     .format = f_rx_rate,
     .key = k_rx},
    {.name = "TX_KBS",
     .help = "send rate, KB/s",
     .width = 8,
     .wide = 9,
     .priority = 4,
     .flags = COL_NUM | COL_KB | COL_DESC | COL_CSV,
     .format = f_tx_rate,
     .key = k_tx},
    {.name = "RX_TOT_KB",
     .help = "kilobytes received since tracing began",
     .width = 9,
     .wide = 11,
     .priority = 3,
     .flags = COL_NUM | COL_KB | COL_DESC | COL_SCREEN | COL_CSV,
     .format = f_trx_kb,
     .key = k_trx},
    {.name = "TX_TOT_KB",
     .help = "kilobytes sent since tracing began",
     .width = 9,
     .wide = 11,
     .priority = 3,
     .flags = COL_NUM | COL_KB | COL_DESC | COL_SCREEN | COL_CSV,
     .format = f_ttx_kb,
     .key = k_ttx},
    {.name = "RX_TOT_BYTES",
     .help = "bytes received since tracing began, exact",
     .width = 12,
     .wide = 14,
     .priority = 8,
     .flags = COL_NUM | COL_BYTES | COL_DESC | COL_CSV,
     .format = f_trx_b,
     .key = k_trx},
    {.name = "TX_TOT_BYTES",
     .help = "bytes sent since tracing began, exact",
     .width = 12,
     .wide = 14,
     .priority = 8,
     .flags = COL_NUM | COL_BYTES | COL_DESC | COL_CSV,
     .format = f_ttx_b,
     .key = k_ttx},
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
     .off = offsetof(struct tput_row, key.svc),
     .key2 = key_service2,
     .batch_when = by_service},
};

static bool shown(const struct tput_row *r, const struct pane_opts *o)
{
	return (o && o->all_groups) || r->last_tx || r->last_rx;
}

static enum tput_group group_of(const struct pane_opts *o)
{
	return o && o->group < G_MAX ? o->group : G_PROC_HOSTS;
}

static size_t count(const struct model *m, const struct pane_opts *o)
{
	if (group_of(o) == G_SOCKET)
		return table_count(&m->open) + retain_count(&m->closed);
	return table_count(&m->groups[group_of(o)]);
}

/* Rows by socket are made at each collect; they stay valid until the next one. */
static struct tput_row *socket_rows;
static size_t socket_rows_cap;

static size_t collect(const struct model *m, const struct pane_opts *o, const void **rows,
		      size_t max)
{
	const struct tput_row *r;
	size_t n = 0, pos = 0;

	if (group_of(o) == G_SOCKET) {
		size_t k = tput_socket_rows(m, o && o->all_groups, &socket_rows, &socket_rows_cap);

		for (size_t i = 0; i < k && n < max; i++)
			rows[n++] = &socket_rows[i];
		return n;
	}
	while (n < max && (r = table_next(&m->groups[group_of(o)], &pos)))
		if (shown(r, o))
			rows[n++] = r;
	return n;
}

/* Ports are known only when grouped by socket; addresses unless grouped by process. */
static void fields(const void *row, struct row_fields *rf)
{
	const struct tput_row *r = T(row);

	rf->family = has_hosts(r) ? r->key.family : 0;
	rf->laddr = r->key.laddr;
	rf->raddr = r->key.raddr;
	rf->has_ports = r->group == G_SOCKET;
	rf->lport = r->key.lport;
	rf->rport = r->key.rport;
	rf->pid = has_proc(r) ? r->key.pid : 0;
	rf->comm = has_proc(r) ? r->key.comm : NULL;
	rf->service = has_service(r) ? service_label(r->key.svc) : NULL;
	rf->state = rf->state2 = 0;
	rf->kinds = 0;
}

static uint64_t row_ts(const void *row)
{
	(void)row;
	return 0;
}

/* FNV-1a over the group's key */
/* Only a row per socket is one connection. */
static uint64_t session_of(const void *row)
{
	return T(row)->group == G_SOCKET ? T(row)->key.sid : 0;
}

static uint64_t ident(const void *row)
{
	const unsigned char *p = (const unsigned char *)&T(row)->key;
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < sizeof(struct tput_key); i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

static void note(const struct model *m, const struct pane_opts *o, char *buf, size_t n)
{
	snprintf(buf, n, "by %s%s", tput_group_name(group_of(o)),
		 o->all_groups ? ", idle rows too" : "");
}

static void table_note(const struct model *m, const struct pane_opts *o, char *buf, size_t n)
{
	snprintf(buf, n, "TX %llu B  RX %llu B", (unsigned long long)m->st.last_tx,
		 (unsigned long long)m->st.last_rx);
}

static bool is_self(const struct self_mark *s, const void *row)
{
	return self_in_tput(row, s->session);
}

/* g: by process and hosts, hosts, process or socket. */
static const char *group_name(int mode)
{
	return tput_group_name((enum tput_group)mode);
}

static int group_get(const struct pane_opts *o)
{
	return o->group;
}

static void group_set(struct pane_opts *o, int mode)
{
	o->group = (enum tput_group)mode;
}

/* Only rows by socket have ports: a filter that names ports needs them. */
static int group_for_filter(int mode, const struct filter *f)
{
	return f && filter_uses_ports(f) ? G_SOCKET : mode;
}

static const struct pane_grouping grouping = {
    .modes = G_MAX,
    .name = group_name,
    .get = group_get,
    .set = group_set,
    .for_filter = group_for_filter,
    .said = "throughput grouped by",
    .for_others = true,
};

const struct pane pane_throughput = {
    .name = "throughput",
    .title = "Throughput",
    .empty = "no bytes moved in the last interval (a: show idle rows)",
    .cols = cols,
    .ncols = PANE_NCOLS(cols),
    .default_sort = 9, /* TX_KB */
    .collect = collect,
    .count = count,
    .fields = fields,
    .ts = row_ts,
    .ident = ident,
    .session = session_of,
    .row_size = sizeof(struct tput_row),
    .note = note,
    .is_self = is_self,
    .weight = 18,
    .grid = {.row = 0, .col = 1},
    .batch = BATCH_PER_INTERVAL,
    .table_note = table_note,
    .losses = 1u << LOSS_GROUPS,
    .grouping = &grouping,
    .jobs = {"traffic"},
};
