// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>
#include "throughput.h"

static const char *const group_names[G_MAX] = {
    [G_PROC_HOSTS] = "process+hosts",
    [G_HOSTS] = "hosts",
    [G_PROC] = "process",
    [G_SUBNET] = "subnet",
    [G_SERVICE] = "service",
    [G_SOCKET] = "socket",
};

const char *tput_group_name(enum tput_group g)
{
	return g < G_MAX ? group_names[g] : "?";
}

int tput_group_parse(const char *name)
{
	for (int g = 0; g < G_MAX; g++)
		if (!strcmp(name, group_names[g]))
			return g;
	return -1;
}

void tput_key(enum tput_group g, const struct session *s, struct tput_key *k)
{
	memset(k, 0, sizeof(*k));
	if (g == G_SERVICE) {
		k->svc = s->svc;
		return;
	}
	if (g == G_SUBNET) {
		k->subnet = s->subnet;
		return;
	}
	if (g != G_HOSTS) {
		k->pid = s->owner.pid;
		memcpy(k->comm, s->owner.comm, sizeof(k->comm));
		k->svc = s->svc; /* a process's: it splits a row only if it moves */
	}
	if (g != G_PROC) {
		k->family = s->conn.family;
		memcpy(k->laddr, s->conn.laddr, sizeof(k->laddr));
		memcpy(k->raddr, s->conn.raddr, sizeof(k->raddr));
	}
	if (g == G_SOCKET) {
		k->lport = s->conn.lport;
		k->rport = s->conn.rport;
		k->sid = s->sid;
	}
}

/* The first subnet that holds the session's remote address, found once (session.subnet). */
static void find_subnet(const struct model *m, struct session *s)
{
	int i;

	if (s->subnet)
		return;
	i = subnets_match(&m->subnets, s->conn.family, s->conn.raddr);
	s->subnet = i < 0 ? SUBNET_NONE : (uint16_t)(i + 1);
}

const struct subnet *tput_subnet(const struct model *m, const struct tput_key *k)
{
	return k->subnet && k->subnet != SUBNET_NONE && k->subnet <= (uint32_t)m->subnets.n
		   ? &m->subnets.s[k->subnet - 1]
		   : NULL;
}

/* Where a key's hint goes: a mix of the process and the two addresses' last bytes. */
static size_t recent_slot(const struct tput_key *k)
{
	uint32_t l, r;

	memcpy(&l, k->laddr + 12, sizeof(l));
	memcpy(&r, k->raddr + 12, sizeof(r));
	l ^= k->laddr[3] | (uint32_t)k->raddr[3] << 8;
	return (
	    size_t)((((uint64_t)k->pid << 32 ^ l ^ (uint64_t)r << 16) * 0x9e3779b97f4a7c15ULL) >>
		    58);
}

static struct tput_row *group_of(struct model *m, enum tput_group g, const struct session *s,
				 bool create)
{
	struct tput_key k;
	struct tput_row *r;
	bool added;

	tput_key(g, s, &k);
	if (!create)
		return table_find(&m->groups[g], &k);
	/* every close and every interval's totals of every socket land here: hints skip hashing */
	r = table_get_hinted(&m->groups[g], &k, &m->tput_recent[g][recent_slot(&k)], &added);
	if (r && added)
		r->group = g;
	return r;
}

void tput_add(struct model *m, struct session *s, uint64_t app_tx, uint64_t app_rx)
{
	uint64_t dtx = app_tx > s->app_tx ? app_tx - s->app_tx : 0;
	uint64_t drx = app_rx > s->app_rx ? app_rx - s->app_rx : 0;

	if (!dtx && !drx)
		return;
	s->app_tx += dtx;
	s->app_rx += drx;
	s->iv_tx += dtx;
	s->iv_rx += drx;
	m->st.iv_tx += dtx;
	m->st.iv_rx += drx;
	find_subnet(m, s);
	if (m->tally)
		tally_bytes(m->tally, s, dtx, drx);
	for (int g = 0; g < G_SOCKET; g++) {
		struct tput_row *r = group_of(m, g, s, true);

		if (!r) {
			m->st.dropped_groups++;
			continue;
		}
		r->iv_tx += dtx;
		r->iv_rx += drx;
		r->tot_tx += dtx;
		r->tot_rx += drx;
		r->last_active = m->st.ticks;
		r->iv_conns += s->counted_tick != m->st.ticks + 1;
	}
	s->counted_tick = m->st.ticks + 1;
}

static void socket_row(const struct session *s, uint64_t tx, uint64_t rx, struct tput_row *r)
{
	memset(r, 0, sizeof(*r));
	tput_key(G_SOCKET, s, &r->key);
	r->group = G_SOCKET;
	r->last_tx = tx;
	r->last_rx = rx;
	r->tot_tx = s->app_tx;
	r->tot_rx = s->app_rx;
	r->conns = 1;
}

size_t tput_socket_rows(const struct model *m, bool all, struct tput_row **buf, size_t *cap)
{
	size_t want = table_count(&m->open) + retain_count(&m->closed), n = 0, pos = 0;
	const struct session *s;

	if (want > *cap) {
		struct tput_row *grown = realloc(*buf, want * sizeof(*grown));

		if (!grown)
			return 0;
		*buf = grown;
		*cap = want;
	}
	while ((s = table_next(&m->open, &pos)))
		if (all || s->last_tx || s->last_rx)
			socket_row(s, s->last_tx, s->last_rx, &(*buf)[n++]);
	/* closed during the last interval: their final bytes are that interval's */
	for (size_t i = retain_count(&m->closed); i > 0; i--) {
		s = retain_at(&m->closed, i - 1);
		if (s->closed_tick + 1 < m->st.ticks)
			break; /* closed sessions are kept in closing order: the rest are older */
		if (s->closed_tick + 1 == m->st.ticks && (all || s->iv_tx || s->iv_rx))
			socket_row(s, s->iv_tx, s->iv_rx, &(*buf)[n++]);
	}
	return n;
}

/* Keep a table from filling: forget the rows idle longest. */
static void evict_idle(struct model *m, struct table *t)
{
	uint64_t age = 64;

	while (table_count(t) > t->cap * 3 / 4 && age) {
		size_t pos = 0;
		struct tput_row *r;

		while ((r = table_next(t, &pos)))
			if (!r->iv_tx && !r->iv_rx && m->st.ticks - r->last_active >= age)
				table_remove(t, r);
		age /= 2;
	}
}

void tput_tick(struct model *m)
{
	for (int g = 0; g < G_SOCKET; g++) {
		struct table *t = &m->groups[g];
		size_t pos = 0;
		struct tput_row *r;

		while ((r = table_next(t, &pos))) {
			r->last_tx = r->iv_tx;
			r->last_rx = r->iv_rx;
			r->conns = r->iv_conns;
			r->iv_tx = r->iv_rx = 0;
			r->iv_conns = 0;
		}
		evict_idle(m, t);
	}
}
