/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Subnets for Throughput grouped by subnet (as tcpsubnet sums traffic): a
 * list of CIDRs, IPv4 and IPv6; a remote address counts in the first that
 * holds it, or in "other" when none does, so the subnets' sums are the
 * hosts' sums.
 */
#ifndef TCPSCOPE_SUBNETS_H
#define TCPSCOPE_SUBNETS_H

#include <stddef.h>
#include <stdint.h>

#define SUBNETS_MAX 64
#define SUBNET_TEXT 52 /* an IPv6 address (45 at most), "/128", and its terminator */

/* tcpsubnet's default list, and the same for IPv6. */
#define SUBNETS_DEFAULT_V4 "127.0.0.1/32,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,0.0.0.0/0"
#define SUBNETS_DEFAULT_V6 "::1/128,fc00::/7,::/0"
#define SUBNETS_DEFAULT	   SUBNETS_DEFAULT_V4 "," SUBNETS_DEFAULT_V6

struct subnet {
	uint8_t family;		/* 4 or 6 */
	uint8_t prefix;		/* bits */
	uint8_t addr[16];	/* the network: bits past the prefix are 0 */
	char text[SUBNET_TEXT]; /* "10.0.0.0/8" */
};

struct subnets {
	int n;
	struct subnet s[SUBNETS_MAX];
};

/* Parse "CIDR[,CIDR...]" (a bare address is a host: /32, /128); -EINVAL with a message. */
int subnets_parse(const char *list, struct subnets *out, char *err, size_t errlen);
/* The index of the first subnet that holds addr, or -1. */
int subnets_match(const struct subnets *s, uint8_t family, const uint8_t *addr);

#endif
