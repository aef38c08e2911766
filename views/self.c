// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "self.h"

static bool parse_end(const char *addr, const char *port, uint8_t out[16], uint16_t *p,
		      uint8_t *family)
{
	unsigned long v;
	char *end;
	uint8_t a[16] = {0};
	uint8_t fam;

	if (inet_pton(AF_INET, addr, a) == 1)
		fam = 4;
	else if (inet_pton(AF_INET6, addr, a) == 1)
		fam = 6;
	else
		return false;
	v = strtoul(port, &end, 10);
	if (*end || !*port || !v || v > 65535)
		return false;
	/* the kernel side shows IPv4-mapped IPv6 as IPv4: so must we */
	if (fam == 6 && !memcmp(a, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12)) {
		memmove(a, a + 12, 4);
		memset(a + 4, 0, 12);
		fam = 4;
	}
	if (*family && *family != fam)
		return false;
	*family = fam;
	memcpy(out, a, 16);
	*p = (uint16_t)v;
	return true;
}

bool self_parse(const char *s, uint32_t netns, struct self_conn *self)
{
	char caddr[64], cport[8], saddr[64], sport[8], rest;

	memset(self, 0, sizeof(*self));
	if (!s || sscanf(s, "%63s %7s %63s %7s %c", caddr, cport, saddr, sport, &rest) != 4)
		return false;
	if (!parse_end(caddr, cport, self->conn.raddr, &self->conn.rport, &self->conn.family) ||
	    !parse_end(saddr, sport, self->conn.laddr, &self->conn.lport, &self->conn.family)) {
		memset(self, 0, sizeof(*self));
		return false;
	}
	self->conn.netns = netns;
	self->known = true;
	return true;
}

bool self_is(const struct self_conn *self, const struct ts_conn *c)
{
	return self->known && c->lport == self->conn.lport && c->rport == self->conn.rport &&
	       c->family == self->conn.family && c->netns == self->conn.netns &&
	       !memcmp(c->laddr, self->conn.laddr, 16) && !memcmp(c->raddr, self->conn.raddr, 16);
}

const struct session *self_session(const struct model *m, const struct self_conn *self)
{
	const struct session *s;
	size_t pos = 0;

	if (!self->known)
		return NULL;
	while ((s = table_next(&m->open, &pos)))
		if (self_is(self, &s->conn))
			return s;
	return NULL;
}

bool self_in_tput(const struct tput_row *r, const struct session *mine)
{
	const struct tput_key *k = &r->key;
	bool hosts;

	if (!mine)
		return false;
	hosts = !memcmp(k->laddr, mine->conn.laddr, 16) && !memcmp(k->raddr, mine->conn.raddr, 16);
	switch ((enum tput_group)r->group) {
	case G_SOCKET:
		return k->sid == mine->sid;
	case G_HOSTS:
		return hosts;
	case G_PROC:
		return k->pid == mine->owner.pid;
	case G_SUBNET:
		return k->subnet == mine->subnet;
	case G_SERVICE:
		return k->svc == mine->svc;
	default:
		return hosts && k->pid == mine->owner.pid;
	}
}
