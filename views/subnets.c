// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "subnets.h"

static bool prefix_of(const char *s, int max, int *out)
{
	int v = 0;

	if (!*s || strlen(s) > 3)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (*s - '0');
	}
	if (v > max)
		return false;
	*out = v;
	return true;
}

/* Clear the bits past the prefix. */
static void mask(uint8_t *addr, int prefix, int bytes)
{
	for (int i = 0; i < bytes; i++) {
		int keep = prefix - i * 8;

		if (keep <= 0)
			addr[i] = 0;
		else if (keep < 8)
			addr[i] &= (uint8_t)(0xff << (8 - keep));
	}
}

static int parse_one(const char *item, struct subnet *sn, char *err, size_t errlen)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash, addr[INET6_ADDRSTRLEN];
	int prefix, max;

	if (strlen(item) >= sizeof(buf)) {
		snprintf(err, errlen, "--subnets: '%.40s...' is not a subnet (ADDRESS/PREFIX)",
			 item);
		return -EINVAL;
	}
	strcpy(buf, item);
	slash = strchr(buf, '/');
	if (slash)
		*slash = 0;
	memset(sn, 0, sizeof(*sn));
	if (inet_pton(AF_INET, buf, sn->addr) == 1)
		sn->family = 4;
	else if (inet_pton(AF_INET6, buf, sn->addr) == 1)
		sn->family = 6;
	else {
		snprintf(err, errlen, "--subnets: '%.50s' is not an IPv4 or IPv6 address", buf);
		return -EINVAL;
	}
	max = sn->family == 4 ? 32 : 128;
	prefix = max;
	if (slash && !prefix_of(slash + 1, max, &prefix)) {
		snprintf(err, errlen, "--subnets: '%.50s' has a bad prefix length (0 to %d)", item,
			 max);
		return -EINVAL;
	}
	sn->prefix = (uint8_t)prefix;
	mask(sn->addr, prefix, sn->family == 4 ? 4 : 16);
	inet_ntop(sn->family == 4 ? AF_INET : AF_INET6, sn->addr, addr, sizeof(addr));
	snprintf(sn->text, sizeof(sn->text), "%s/%d", addr, prefix);
	return 0;
}

int subnets_parse(const char *list, struct subnets *out, char *err, size_t errlen)
{
	const char *at = list;

	memset(out, 0, sizeof(*out));
	if (!*list) {
		snprintf(err, errlen, "--subnets: the list is empty");
		return -EINVAL;
	}
	for (;;) {
		size_t len = strcspn(at, ",");
		char item[128];

		if (!len) {
			snprintf(err, errlen, "--subnets: '%.60s' has an empty item", list);
			return -EINVAL;
		}
		if (out->n == SUBNETS_MAX) {
			snprintf(err, errlen, "--subnets: at most %d subnets", SUBNETS_MAX);
			return -EINVAL;
		}
		if (len >= sizeof(item))
			len = sizeof(item) - 1; /* too long for an address: parse_one says so */
		memcpy(item, at, len);
		item[len] = 0;
		if (parse_one(item, &out->s[out->n], err, errlen))
			return -EINVAL;
		out->n++;
		at += strcspn(at, ",");
		if (!*at)
			return 0;
		at++;
	}
}

static bool holds(const struct subnet *sn, const uint8_t *addr)
{
	int full = sn->prefix / 8, rest = sn->prefix % 8;

	if (memcmp(sn->addr, addr, (size_t)full))
		return false;
	return !rest || !((sn->addr[full] ^ addr[full]) & (uint8_t)(0xff << (8 - rest)));
}

int subnets_match(const struct subnets *s, uint8_t family, const uint8_t *addr)
{
	for (int i = 0; i < s->n; i++)
		if (s->s[i].family == family && holds(&s->s[i], addr))
			return i;
	return -1;
}
