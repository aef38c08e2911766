/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cells every pane shares: the owner and the connection of a row, found at
 * column.off, so each pane's table names them instead of repeating them.
 */
#ifndef TCPSCOPE_CELLS_H
#define TCPSCOPE_CELLS_H

#include <stddef.h>
#include "pane.h"

#define CELL(fn)                                                                                   \
	void fn(const struct fmt_ctx *f, const struct column *c, const void *row, char *b, size_t n)
#define KEY(fn) uint64_t fn(const struct fmt_ctx *f, const struct column *c, const void *row)
#define CMP(fn)                                                                                    \
	int fn(const struct fmt_ctx *f, const struct column *c, const void *a, const void *b)

CELL(cell_pid);
KEY(key_pid);
CELL(cell_comm);
KEY(key_comm);
KEY(key_comm2);
CMP(cmp_comm);
CELL(cell_ip);
KEY(key_ip);
CELL(cell_laddr);
KEY(key_laddr);
KEY(key_laddr2);
CMP(cmp_laddr);
CELL(cell_raddr);
KEY(key_raddr);
KEY(key_raddr2);
CMP(cmp_raddr);
CELL(cell_lport);
KEY(key_lport);
CELL(cell_rport);
KEY(key_rport);
CELL(cell_netns);
KEY(key_netns);
CELL(cell_service);
KEY(key_service);
KEY(key_service2);
CMP(cmp_service);
CELL(cell_tick_clock);
CELL(cell_tick_rel);
KEY(key_none);
CELL(cell_clock);
CELL(cell_rel);
KEY(key_u64);

/* TIME (-T) and TIME(s) (-t) of a row's uint64_t monotonic timestamp M, newest first. */
#define COLS_TIME(T, M, HELP, fl)                                                                  \
	{.name = "TIME",                                                                           \
	 .help = HELP,                                                                             \
	 .width = 8,                                                                               \
	 .wide = 8,                                                                                \
	 .priority = 2,                                                                            \
	 .flags = COL_CLOCK | COL_DESC | (fl),                                                     \
	 .format = cell_clock,                                                                     \
	 .key = key_u64,                                                                           \
	 .off = offsetof(T, M)},                                                                   \
	{                                                                                          \
		.name = "TIME(s)", .help = "seconds since tracing began", .width = 9, .wide = 9,   \
		.priority = 9, .flags = COL_REL | COL_SECS | COL_CSV, .format = cell_rel,          \
		.key = key_u64, .off = offsetof(T, M)                                              \
	}

/* TIME (-T) and TIME(s) (-t) of a table per interval: when the interval ended. */
#define COLS_INTERVAL_TIME                                                                         \
	{.name = "TIME",                                                                           \
	 .help = "end of the interval",                                                            \
	 .width = 8,                                                                               \
	 .wide = 8,                                                                                \
	 .priority = 9,                                                                            \
	 .flags = COL_CLOCK | COL_CSV,                                                             \
	 .format = cell_tick_clock,                                                                \
	 .key = key_none},                                                                         \
	{                                                                                          \
		.name = "TIME(s)", .help = "seconds since tracing began", .width = 9, .wide = 9,   \
		.priority = 9, .flags = COL_REL | COL_SECS | COL_CSV, .format = cell_tick_rel,     \
		.key = key_none                                                                    \
	}

/* Owner columns: T is the row type, M its struct ts_owner member. */
#define COLS_OWNER(T, M, fl)                                                                       \
	{.name = "PID",                                                                            \
	 .help = "process that owns the socket",                                                   \
	 .width = 7,                                                                               \
	 .wide = 7,                                                                                \
	 .flags = COL_NUM | (fl),                                                                  \
	 .format = cell_pid,                                                                       \
	 .key = key_pid,                                                                           \
	 .off = offsetof(T, M)},                                                                   \
	{                                                                                          \
		.name = "COMM", .help = "its command name", .width = 10, .wide = 16,               \
		.flags = (fl) | COL_KEYS_WHOLE, .format = cell_comm, .key = key_comm,              \
		.cmp = cmp_comm, .off = offsetof(T, M), .key2 = key_comm2                          \
	}

/* Connection columns: M is the row's struct ts_conn member. */
#define COL_IP(T, M, fl)                                                                           \
	{                                                                                          \
		.name = "IP", .help = "IP version", .width = 2, .wide = 2, .priority = 6,          \
		.flags = COL_NUM | (fl), .format = cell_ip, .key = key_ip, .off = offsetof(T, M)   \
	}
/* An address column: E is laddr or raddr. */
#define COL_ADDR(NAME, HELP, E, T, M, fl)                                                          \
	{                                                                                          \
		.name = NAME, .help = HELP, .width = 15, .wide = 39, .flags = COL_NOCUT | (fl),    \
		.format = cell_##E, .key = key_##E, .cmp = cmp_##E, .off = offsetof(T, M),         \
		.key2 = key_##E##2, .whole = addr_key_whole                                        \
	}
#define COL_PORT(NAME, HELP, E, T, M, fl)                                                          \
	{                                                                                          \
		.name = NAME, .help = HELP, .width = 5, .wide = 5, .flags = COL_NUM | (fl),        \
		.format = cell_##E, .key = key_##E, .off = offsetof(T, M)                          \
	}
#define COLS_ENDS(T, M, fl)                                                                        \
	COL_ADDR("LADDR", "local address", laddr, T, M, fl),                                       \
	    COL_PORT("LPORT", "local port", lport, T, M, fl),                                      \
	    COL_ADDR("RADDR", "remote address", raddr, T, M, fl),                                  \
	    COL_PORT("RPORT", "remote port", rport, T, M, fl)
/* The owner's service: M is the row's const struct service * member. */
#define COL_SERVICE(T, M, fl)                                                                      \
	{                                                                                          \
		.name = "SERVICE",                                                                 \
		.help = "the owner's service: systemd unit, container, or cgroup (v2) path",       \
		.width = 16, .wide = 32, .priority = 6, .flags = (fl), .format = cell_service,     \
		.key = key_service, .cmp = cmp_service, .off = offsetof(T, M),                     \
		.key2 = key_service2                                                               \
	}
#define COL_NETNS(T, M, fl)                                                                        \
	{                                                                                          \
		.name = "NETNS", .help = "network namespace inode", .width = 10, .wide = 10,       \
		.priority = 9, .flags = COL_NUM | (fl), .format = cell_netns, .key = key_netns,    \
		.off = offsetof(T, M)                                                              \
	}

#endif
