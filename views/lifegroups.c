// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "lifegroups.h"
#include "session_values.h"

static const char *const group_names[LG_MAX] = {
    [LG_SOCKET] = "socket",   [LG_PROC_PORT_HOST] = "process+port+host",
    [LG_PROC] = "process",    [LG_PORT] = "port",
    [LG_SERVICE] = "service",
};

const char *life_group_name(enum life_group g)
{
	return g < LG_MAX ? group_names[g] : "?";
}

int life_group_parse(const char *name)
{
	for (int g = 0; g < LG_MAX; g++)
		if (!strcmp(name, group_names[g]))
			return g;
	return -1;
}

#define KIND(k) (1u << (k))

static bool has_proc(enum life_group g);
static bool has_port(enum life_group g);
static bool has_service(enum life_group g);

enum life_group life_group_for(enum life_group g, const struct filter *f)
{
	bool ports, proc, host, service;

	if (g == LG_SOCKET || !f || !f->n)
		return g;
	/* sums keep the remote host alone: a local address is a session's */
	if (filter_uses(f, KIND(FK_LADDR)))
		return LG_SOCKET;
	ports = filter_uses(f, KIND(FK_PORT) | KIND(FK_LPORT) | KIND(FK_RPORT));
	proc = filter_uses(f, KIND(FK_PID) | KIND(FK_COMM));
	host = filter_uses(f, KIND(FK_ADDR) | KIND(FK_RADDR) | KIND(FK_IP));
	service = filter_uses(f, KIND(FK_SERVICE));
	/* process, port and host has all that any grouping has */
	if ((ports && !has_port(g)) || (proc && !has_proc(g)) || (service && !has_service(g)) ||
	    (host && g != LG_PROC_PORT_HOST))
		return LG_PROC_PORT_HOST;
	return g;
}

static bool has_proc(enum life_group g)
{
	return g == LG_PROC_PORT_HOST || g == LG_PROC;
}

static bool has_service(enum life_group g)
{
	return has_proc(g) || g == LG_SERVICE;
}

static bool has_port(enum life_group g)
{
	return g == LG_PROC_PORT_HOST || g == LG_PORT;
}

/* The part of a finer key (process, port and host) that grouping g keeps. */
static void key_within(enum life_group g, const struct life_key *fine, struct life_key *k)
{
	memset(k, 0, sizeof(*k));
	if (has_proc(g)) {
		k->pid = fine->pid;
		memcpy(k->comm, fine->comm, sizeof(k->comm));
	}
	if (has_service(g))
		k->svc = fine->svc;
	if (has_port(g))
		k->port = fine->port;
	if (g == LG_PROC_PORT_HOST) {
		k->family = fine->family;
		memcpy(k->raddr, fine->raddr, sizeof(k->raddr));
	}
}

void life_key_of(enum life_group g, const struct session *s, struct life_key *k)
{
	struct life_key fine = {.pid = s->owner.pid, .family = s->conn.family, .svc = s->svc};
	uint8_t role;

	/* the service port as flows have it: listening port accepted, remote port connected */
	flow_service(&s->conn, s->dir, &fine.port, &role);
	if (s->owner.pid)
		memcpy(fine.comm, s->owner.comm, sizeof(fine.comm));
	memcpy(fine.raddr, s->conn.raddr, sizeof(fine.raddr));
	if (g == LG_PROC_PORT_HOST)
		*k = fine;
	else
		key_within(g, &fine, k);
}

/*
 * The summary of key k, added if new; NULL when the table is full. Sessions
 * come in runs of the same few groups: the last ones found are tried first.
 */
static struct life_sum *sum_of(struct model *m, const struct life_key *k)
{
	uint64_t h = ((uint64_t)k->pid << 16 ^ k->port ^ (uint64_t)k->raddr[15] << 40 ^
		      (uint64_t)k->raddr[3] << 48) *
		     0x9e3779b97f4a7c15ULL;

	return table_get_hinted(&m->summaries, k, &m->life_recent[h >> 58], NULL);
}

void life_closed(struct model *m, const struct session *s)
{
	enum session_outcome out = session_outcome(s);
	struct life_key k;
	struct life_sum *sum;

	life_key_of(LG_PROC_PORT_HOST, s, &k);
	sum = sum_of(m, &k);
	if (!sum) {
		m->st.dropped_summaries++;
		return;
	}
	sum->closed++;
	sum->fails += out >= SO_REFUSED;
	sum->refused += out == SO_REFUSED;
	sum->timeout += out == SO_TIMEOUT;
	sum->reset += out == SO_RESET;
	sum->tx += session_tx(s);
	sum->rx += session_rx(s);
	/* a lost close's end is only when it was missed; a session from before has no start */
	if (s->start_ns && out != SO_LOST)
		loghist_add(&sum->dur, session_duration(s, 0));
	if (s->start_ns && s->start_ns >= m->life_iv_start)
		sum->iv_opened++;
	else if (s->start_ns && s->start_ns >= m->life_last_start)
		sum->last_opened++;
	sum->last_active = m->st.ticks;
}

/* Keep the table from filling: forget the sums idle longest (their sessions are long gone). */
static void evict_idle(struct model *m)
{
	struct table *t = &m->summaries;
	uint64_t age = 64;

	while (table_count(t) > t->cap * 3 / 4 && age) {
		size_t pos = 0;
		struct life_sum *s;

		while ((s = table_next(t, &pos)))
			if (m->st.ticks - s->last_active >= age)
				table_remove(t, s);
		age /= 2;
	}
}

void life_tick(struct model *m, uint64_t now_ns)
{
	size_t pos = 0;
	struct life_sum *s;

	while ((s = table_next(&m->summaries, &pos))) {
		s->last_opened = s->iv_opened;
		s->iv_opened = 0;
	}
	m->life_last_start = m->life_iv_start ? m->life_iv_start : m->st.first_ns;
	m->life_iv_start = now_ns;
	evict_idle(m);
}

void life_rows_free(struct life_rows *lr)
{
	table_free(&lr->rows);
	free(lr->pairs);
	free(lr->parts);
	memset(lr, 0, sizeof(*lr));
}

/* Room for rows rows and parts parts; the rows table is emptied. */
static int reserve(struct life_rows *lr, size_t rows, size_t parts)
{
	if (lr->rows.cap < rows) {
		table_free(&lr->rows);
		if (table_init(&lr->rows, sizeof(struct life_row), sizeof(struct life_key), rows))
			return -ENOMEM;
	} else {
		table_clear(&lr->rows);
	}
	if (lr->cap < parts) {
		uint64_t *pairs = realloc(lr->pairs, parts * sizeof(*pairs));
		const struct loghist **p;

		if (!pairs)
			return -ENOMEM;
		lr->pairs = pairs;
		p = realloc(lr->parts, parts * sizeof(*p));
		if (!p)
			return -ENOMEM;
		lr->parts = p;
		lr->cap = parts;
	}
	return 0;
}

static struct life_row *row_for(struct life_rows *lr, enum life_group g, const struct life_key *k)
{
	bool added;
	struct life_row *r = table_get(&lr->rows, k, &added);

	if (r && added)
		r->group = (uint8_t)g;
	return r;
}

static int cmp_pair(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Each row's percentiles, from the histograms of the sums it took in. */
static void percentiles(struct life_rows *lr, const struct model *m, size_t npairs)
{
	qsort(lr->pairs, npairs, sizeof(*lr->pairs), cmp_pair);
	for (size_t i = 0, j; i < npairs; i = j) {
		struct life_row *r = table_at(&lr->rows, (size_t)(lr->pairs[i] >> 32));
		size_t n = 0;

		for (j = i; j < npairs && lr->pairs[j] >> 32 == lr->pairs[i] >> 32; j++) {
			const struct life_sum *s = table_at(&m->summaries, (uint32_t)lr->pairs[j]);

			lr->parts[n++] = &s->dur;
		}
		r->p50_ns = loghist_quantile(lr->parts, n, 0.5);
		r->p99_ns = loghist_quantile(lr->parts, n, 0.99);
	}
}

int life_rows_build(struct life_rows *lr, const struct model *m, enum life_group g)
{
	size_t nsums = table_count(&m->summaries), npairs = 0, pos = 0;
	const struct life_sum *sum;
	const struct session *s;
	struct life_row *r;
	struct life_key k;

	if (reserve(lr, nsums + table_count(&m->open) + 1, nsums + 1))
		return -ENOMEM;
	while ((sum = table_next(&m->summaries, &pos))) {
		key_within(g, &sum->key, &k);
		r = row_for(lr, g, &k);
		if (!r)
			continue; /* not for want of room: the table has a row for each */
		r->sessions += sum->closed;
		r->opened += sum->last_opened;
		r->fails += sum->fails;
		r->refused += sum->refused;
		r->reset += sum->reset;
		r->timeout += sum->timeout;
		r->tx += sum->tx;
		r->rx += sum->rx;
		r->timed += sum->dur.n;
		if (sum->dur.n)
			lr->pairs[npairs++] = (uint64_t)table_index(&lr->rows, r) << 32 |
					      table_index(&m->summaries, sum);
	}
	pos = 0;
	while ((s = table_next(&m->open, &pos))) {
		life_key_of(g, s, &k);
		r = row_for(lr, g, &k);
		if (!r)
			continue;
		r->sessions++;
		r->open++;
		r->tx += session_tx(s);
		r->rx += session_rx(s);
		r->opened += s->start_ns && s->start_ns >= m->life_last_start &&
			     s->start_ns < m->life_iv_start;
	}
	percentiles(lr, m, npairs);
	return 0;
}
