// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include "cells.h"
#include "format.h"
#include "service.h"
#include "text.h"

#define OWNER(row) ((const struct ts_owner *)((const char *)(row) + c->off))
#define CONN(row)  ((const struct ts_conn *)((const char *)(row) + c->off))

CELL(cell_pid)
{
	/* unknown: '-' on screen, an empty field in CSV (a '-' there reads as a formula) */
	if (!OWNER(row)->pid && (f->flags & FMT_CSV))
		b[0] = 0;
	else
		fmt_pid(OWNER(row), b, n);
}

KEY(key_pid)
{
	return OWNER(row)->pid;
}

CELL(cell_comm)
{
	fmt_comm(OWNER(row), b, n);
}

KEY(key_comm)
{
	return str_key(OWNER(row)->comm, TS_COMM_LEN);
}

KEY(key_comm2)
{
	return str_key2(OWNER(row)->comm, TS_COMM_LEN);
}

CMP(cmp_comm)
{
	return strncmp(OWNER(a)->comm, OWNER(b)->comm, TS_COMM_LEN);
}

CELL(cell_ip)
{
	fmt_u64(CONN(row)->family, b, n);
}

KEY(key_ip)
{
	return CONN(row)->family;
}

CELL(cell_laddr)
{
	fmt_addr(CONN(row), CONN(row)->laddr, b, n);
}

KEY(key_laddr)
{
	return addr_key(CONN(row), CONN(row)->laddr);
}

KEY(key_laddr2)
{
	return addr_key2(CONN(row), CONN(row)->laddr);
}

CMP(cmp_laddr)
{
	return addr_cmp(CONN(a), CONN(a)->laddr, CONN(b), CONN(b)->laddr);
}

CELL(cell_raddr)
{
	fmt_addr(CONN(row), CONN(row)->raddr, b, n);
}

KEY(key_raddr)
{
	return addr_key(CONN(row), CONN(row)->raddr);
}

KEY(key_raddr2)
{
	return addr_key2(CONN(row), CONN(row)->raddr);
}

CMP(cmp_raddr)
{
	return addr_cmp(CONN(a), CONN(a)->raddr, CONN(b), CONN(b)->raddr);
}

CELL(cell_lport)
{
	fmt_u64(CONN(row)->lport, b, n);
}

KEY(key_lport)
{
	return CONN(row)->lport;
}

CELL(cell_rport)
{
	fmt_u64(CONN(row)->rport, b, n);
}

KEY(key_rport)
{
	return CONN(row)->rport;
}

CELL(cell_netns)
{
	fmt_u64(CONN(row)->netns, b, n);
}

KEY(key_netns)
{
	return CONN(row)->netns;
}

CELL(cell_tick_clock)
{
	fmt_clock(f, f->m->st.last_tick_ns, b, n);
}

CELL(cell_tick_rel)
{
	fmt_rel(f, f->m->st.last_tick_ns, b, n);
}

KEY(key_none)
{
	return 0;
}

#define U64(row) (*(const uint64_t *)((const char *)(row) + c->off))

CELL(cell_clock)
{
	fmt_clock(f, U64(row), b, n);
}

CELL(cell_rel)
{
	fmt_rel(f, U64(row), b, n);
}

KEY(key_u64)
{
	return U64(row);
}

#define SVC(row) (*(const struct service *const *)((const char *)(row) + c->off))

CELL(cell_service)
{
	/* unknown: '-' on screen, an empty field in CSV */
	if (!SVC(row) && (f->flags & FMT_CSV))
		b[0] = 0;
	else
		text_sanitize_into(b, n, service_label(SVC(row)));
}

KEY(key_service)
{
	const char *s = service_label(SVC(row));

	return str_key(s, strlen(s));
}

KEY(key_service2)
{
	const char *s = service_label(SVC(row));

	return str_key2(s, strlen(s));
}

CMP(cmp_service)
{
	return strcmp(service_label(SVC(a)), service_label(SVC(b)));
}
