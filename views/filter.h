/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The filter language (the '/' line and --filter): space-separated terms,
 * all must match. port N[,M] (either end), lport N, rport N, pid N,
 * comm TEXT, addr IP[/PREFIX] (either end), laddr and raddr (one end),
 * state NAME, ip 4|6, type NAME (an event's kind or class: reset, cong...),
 * service TEXT (a substring of the service's name); a bare number is a
 * port, bare text a comm substring; '!' before a term negates it. Ports
 * take ranges (8000-8100); every list is comma-separated.
 */
#ifndef TCPSCOPE_FILTER_H
#define TCPSCOPE_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "pane.h"

#define FILTER_MAX_TERMS  16
#define FILTER_MAX_VALUES 16

enum filter_kind {
	FK_PORT,
	FK_LPORT,
	FK_RPORT,
	FK_PID,
	FK_COMM,
	FK_ADDR,
	FK_STATE,
	FK_IP,
	FK_LADDR,
	FK_RADDR,
	FK_TYPE,
	FK_SERVICE,
};

struct filter_addr {
	uint8_t family; /* 4 or 6 */
	uint8_t prefix; /* bits */
	uint8_t addr[16];
};

struct filter_term {
	enum filter_kind kind;
	bool neg;
	int n; /* values */
	union {
		struct {
			uint16_t lo, hi;
		} ports[FILTER_MAX_VALUES];
		uint32_t pids[FILTER_MAX_VALUES];
		char comm[TS_COMM_LEN * 4 + 1]; /* and a service's text */
		struct filter_addr addrs[FILTER_MAX_VALUES];
		uint8_t states[FILTER_MAX_VALUES];
		uint8_t families[FILTER_MAX_VALUES];
		uint32_t kinds; /* FK_TYPE: bit per enum ev_kind, of all the values */
	} v;
};

struct filter {
	int n;
	struct filter_term terms[FILTER_MAX_TERMS];
	char text[256]; /* as typed, for the header */
};

/* Parse expr; on error return -EINVAL and say why in err. An empty expr matches everything. */
int filter_parse(const char *expr, struct filter *f, char *err, size_t errlen);
bool filter_match(const struct filter *f, const struct row_fields *rf);
/* dst = both a and b must match (text from b); -E2BIG past FILTER_MAX_TERMS. */
int filter_and(struct filter *dst, const struct filter *a, const struct filter *b);
/* Whether any term looks at ports (the throughput pane groups by socket then). */
bool filter_uses_ports(const struct filter *f);
/* Whether any term is of one of these kinds (bits 1 << FK_*). */
bool filter_uses(const struct filter *f, unsigned kinds);
/* Parse "IP[/PREFIX]" (--laddr, --raddr); -EINVAL when it is not one. */
int parse_addr_prefix(const char *s, struct filter_addr *a);
/* Parse a port list as -L/-D take it ("80,443"); -EINVAL with a message on error. */
int parse_port_list(const char *s, uint8_t *bitmap8192, char *err, size_t errlen);

#endif
