// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include "listeners.h"
#include "model.h"

#define TCP_SYN	     0x02
#define TCP_ACK	     0x10
#define REFUSED_IDLE 60 /* intervals a refused-only row stays after its last refusal */

int listeners_init(struct model *m, size_t cap)
{
	return table_init(&m->listeners, sizeof(struct listen_row), sizeof(struct ts_conn), cap);
}

void listeners_free(struct model *m)
{
	table_free(&m->listeners);
}

/* The key of an address: only what names it, everything else zero. */
static void key_of(uint32_t netns, uint8_t family, const uint8_t *laddr, uint16_t lport,
		   struct ts_conn *k)
{
	memset(k, 0, sizeof(*k));
	k->netns = netns;
	k->family = family;
	k->lport = lport;
	memcpy(k->laddr, laddr, sizeof(k->laddr));
}

static struct listen_row *row_get(struct model *m, const struct ts_conn *k)
{
	bool added;
	struct listen_row *r = table_get(&m->listeners, k, &added);

	if (!r) {
		m->st.dropped_listeners++;
		return NULL;
	}
	return r;
}

/*
 * The row of the listener a packet to (netns, family, laddr, lport) reached,
 * as the kernel finds it: its own address, the wildcard, or IPv6's wildcard
 * (which takes IPv4 too). NULL when nobody listens there.
 */
static struct listen_row *listener_at(struct model *m, uint32_t netns, uint8_t family,
				      const uint8_t *laddr, uint16_t lport)
{
	static const uint8_t any[16];
	struct listen_row *r;
	struct ts_conn k;

	key_of(netns, family, laddr, lport, &k);
	r = table_find(&m->listeners, &k);
	if (r && r->state != LS_NONE)
		return r;
	key_of(netns, family, any, lport, &k);
	r = table_find(&m->listeners, &k);
	if (r || family != 4)
		return r && r->state != LS_NONE ? r : NULL;
	key_of(netns, 6, any, lport, &k);
	r = table_find(&m->listeners, &k);
	return r && r->state != LS_NONE ? r : NULL;
}

/* A row that starts listening anew: what an earlier listener there counted goes. */
static void begin(struct listen_row *r, uint64_t start_ns)
{
	struct ts_conn k = r->conn;

	memset(r, 0, sizeof(*r));
	r->conn = k;
	r->state = LS_LISTEN;
	r->start_ns = start_ns;
}

/*
 * Connections accept() took: every child that joined the queue, and those
 * queued when tracing began, less those still queued and those a closing
 * listener threw away. Samples read the queue a moment after the counts,
 * so the total only grows.
 */
static void take_accepts(struct model *m, struct listen_row *r, uint64_t clones, uint64_t base,
			 uint64_t discarded, uint64_t queued, bool per_interval)
{
	uint64_t in = clones + base, out = discarded + queued;
	uint64_t total = in > out ? in - out : 0;

	if (total <= r->accepts)
		return;
	if (per_interval)
		r->last_accepts += total - r->accepts;
	if (m->tally)
		tally_listen_counts(m->tally, r, total - r->accepts, 0);
	r->accepts = total;
}

void listeners_on_listen(struct model *m, const struct ts_ev_listen *e)
{
	struct listen_row *r;
	struct ts_conn k;

	key_of(e->conn.netns, e->conn.family, e->conn.laddr, e->conn.lport, &k);
	if (e->newstate == TS_LISTEN) {
		r = row_get(m, &k);
		if (!r)
			return;
		if (r->state != LS_LISTEN)
			begin(r, e->hdr.ts_ns);
		if (!r->owner.pid) {
			r->owner = e->owner;
			r->svc = services_get(&m->services, e->cgroup_id);
		}
		/* shown as it happens, with its backlog; the next sample has the whole address */
		r->socks = e->tracked ? e->socks : r->socks + 1;
		r->backlog += e->backlog;
		return;
	}
	r = table_find(&m->listeners, &k);
	if (!r || r->state != LS_LISTEN)
		return;
	if (e->tracked)
		take_accepts(m, r, e->clones, e->base_queue, e->discarded, 0, false);
	r->socks = e->tracked ? e->socks : (r->socks ? r->socks - 1 : 0);
	if (r->socks)
		return;
	r->state = LS_CLOSED;
	r->closed_tick = m->st.ticks;
	r->queue = 0;
}

void listeners_on_sample(struct model *m, const struct ts_ev_listener *e)
{
	uint64_t overflows;
	struct listen_row *r;
	struct ts_conn k;

	key_of(e->conn.netns, e->conn.family, e->conn.laddr, e->conn.lport, &k);
	r = row_get(m, &k);
	if (!r)
		return;
	if (r->state != LS_LISTEN)
		begin(r, e->start_ns);
	if (e->owner.pid) {
		r->owner = e->owner;
		r->svc = services_get(&m->services, e->cgroup_id);
	}
	r->socks = e->socks;
	r->sampled_tick = m->st.ticks + 1;
	r->last_accepts = 0;
	take_accepts(m, r, e->clones, e->base_queue, e->discarded, e->queue,
		     e->flags & TS_LF_SAMPLED);
	if (e->flags & TS_LF_HIST) {
		r->hist_kept = true;
		memcpy(r->hist, e->hist, sizeof(r->hist));
	}
	if (!(e->flags & TS_LF_SAMPLED))
		return;
	/* a socket from before tracing brings the drops it had; a new one starts at 0 */
	if (!r->sampled && !r->start_ns)
		r->overflows_base = e->drops;
	r->sampled = 1;
	r->queue = e->queue;
	r->backlog = e->backlog;
	r->syn_queue = e->syn_queue;
	r->qmax = e->qmax > e->queue ? e->qmax : e->queue;
	overflows = e->drops > r->overflows_base ? e->drops - r->overflows_base : 0;
	/* the metric counts what the sockets add; a socket that closes takes its count along */
	if (m->tally && overflows > r->overflows)
		tally_listen_counts(m->tally, r, 0, overflows - r->overflows);
	r->overflows = overflows;
	if (m->tally)
		tally_listen_sample(m->tally, r);
}

/* The slot of the queue an overflow found: one more than the backlog, as tcpsynbl counts it. */
static uint32_t log2_slot(uint32_t v)
{
	uint32_t r = 0;

	while (v >>= 1)
		r++;
	return r;
}

/* A SYN alone, received, that no socket took: the kernel answered it with a reset. */
static bool refused(const struct model *m, const struct ts_ev_drop *e)
{
	const char *why = model_reason_name(m, e->reason);

	if (!e->ingress || e->state || (e->tcp_flags & (TCP_SYN | TCP_ACK)) != TCP_SYN || !why)
		return false;
	/* kernels before drop reasons (5.17) free it unnamed */
	return !strcmp(why, "NO_SOCKET") || (!m->reasons_named && !strcmp(why, "NOT_SPECIFIED"));
}

void listeners_on_drop(struct model *m, const struct ts_ev_drop *e)
{
	const char *why = model_reason_name(m, e->reason);
	const struct ts_conn *c = &e->conn;
	struct listen_row *r;
	struct ts_conn k;

	if (!e->ingress)
		return;
	if (why && !strcmp(why, "TCP_LISTEN_OVERFLOW")) {
		r = listener_at(m, c->netns, c->family, c->laddr, c->lport);
		if (!r)
			return;
		r->ack_overflows++;
		if (r->hist_kept && r->backlog) {
			uint32_t slot = log2_slot(r->backlog + 1);

			if (slot < TS_LHIST)
				r->hist_overflows[slot]++;
		}
		return;
	}
	if (!refused(m, e))
		return;
	r = listener_at(m, c->netns, c->family, c->laddr, c->lport);
	if (!r) {
		/* a row for the port nobody listens on, within half the table (a port scan) */
		key_of(c->netns, c->family, c->laddr, c->lport, &k);
		r = table_find(&m->listeners, &k);
		if (!r && table_count(&m->listeners) >= m->listeners.cap / 2) {
			m->st.dropped_listeners++;
			return;
		}
		if (!r && !(r = row_get(m, &k)))
			return;
	}
	r->refused++;
	r->last_event_tick = m->st.ticks;
}

void listeners_on_retrans(struct model *m, const struct ts_ev_retrans *e)
{
	const struct ts_conn *c = &e->conn;
	struct listen_row *r;

	if (e->kind != TS_RT_SYNACK)
		return;
	r = listener_at(m, c->netns, c->family, c->laddr, c->lport);
	if (r)
		r->synack_rt++;
}

void listeners_tick(struct model *m)
{
	struct table *t = &m->listeners;
	struct listen_row *r;
	size_t pos = 0;

	while ((r = table_next(t, &pos))) {
		/* sampled before but not in this interval: it closed unseen */
		if (r->state == LS_LISTEN && r->sampled_tick && r->sampled_tick <= m->st.ticks) {
			r->state = LS_CLOSED;
			r->closed_tick = m->st.ticks;
		}
		if ((r->state == LS_CLOSED && r->closed_tick < m->st.ticks) ||
		    (r->state == LS_NONE && m->st.ticks - r->last_event_tick > REFUSED_IDLE))
			table_remove(t, r);
	}
}
