// SPDX-License-Identifier: GPL-2.0
/*
 * Builds the model from the event stream. Per-record work is O(1) (amortized)
 * and does not allocate: the tables and row stores are sized once at start.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"
#include "evkind.h"
#include "lifegroups.h"
#include "throughput.h"

void model_config_default(struct model_config *c)
{
	c->max_open = 262144;
	c->max_closed = 20000;
	c->max_states = 20000;
	c->max_events = 20000;
	c->keep_per_flow = 256;
	c->max_flows = 16384;
	c->max_groups = 32768;
	c->max_summaries = 8192;
	c->max_listeners = 4096;
	c->max_services = 4096;
	c->history = 120;
	c->subnets = NULL;
	c->max_rtt_hosts = 2048;
	c->max_connlogs = 1024;
}

int model_init(struct model *m, const struct model_config *cfg)
{
	int err;

	memset(m, 0, sizeof(*m));
	m->cfg = *cfg;
	err = table_init(&m->open, sizeof(struct session), sizeof(uint64_t), cfg->max_open);
	if (!err)
		err = flowgroups_init(&m->flows, cfg->max_flows);
	if (!err)
		err = retain_init(&m->closed, sizeof(struct session), cfg->max_closed,
				  cfg->keep_per_flow, &m->flows);
	if (!err)
		err = retain_init(&m->states, sizeof(struct state_row), cfg->max_states,
				  cfg->keep_per_flow, &m->flows);
	if (!err)
		err = retain_init(&m->events, sizeof(struct event_row), cfg->max_events,
				  cfg->keep_per_flow, &m->flows);
	for (int g = 0; !err && g < G_SOCKET; g++)
		err = table_init(&m->groups[g], sizeof(struct tput_row), sizeof(struct tput_key),
				 cfg->max_groups);
	if (!err)
		err = table_init(&m->summaries, sizeof(struct life_sum), sizeof(struct life_key),
				 cfg->max_summaries);
	if (!err)
		err = table_init(&m->symbols, sizeof(struct model_symbol), sizeof(uint64_t), 4096);
	if (!err)
		err = listeners_init(m, cfg->max_listeners);
	if (!err)
		err = services_init(&m->services, cfg->max_services);
	if (!err && cfg->subnets)
		m->subnets = *cfg->subnets;
	else if (!err)
		err = subnets_parse(SUBNETS_DEFAULT, &m->subnets, NULL, 0);
	if (!err)
		err = rtt_init(&m->rtt, cfg->max_rtt_hosts);
	if (!err)
		err = connlogs_init(&m->logs, cfg->max_connlogs);
	if (!err) {
		m->hist_tx = calloc(cfg->history ? cfg->history : 1, sizeof(uint64_t));
		m->hist_rx = calloc(cfg->history ? cfg->history : 1, sizeof(uint64_t));
		if (!m->hist_tx || !m->hist_rx)
			err = -ENOMEM;
	}
	if (err)
		model_free(m);
	return err;
}

void model_free(struct model *m)
{
	table_free(&m->open);
	retain_free(&m->closed);
	retain_free(&m->states);
	retain_free(&m->events);
	flowgroups_free(&m->flows);
	for (int g = 0; g < G_SOCKET; g++)
		table_free(&m->groups[g]);
	table_free(&m->summaries);
	table_free(&m->symbols);
	listeners_free(m);
	services_free(&m->services);
	rtt_free(&m->rtt);
	connlogs_free(&m->logs);
	free(m->hist_tx);
	free(m->hist_rx);
	for (int i = 0; i < 512; i++)
		free(m->reason_names[i]);
	for (int i = 0; i < 64; i++)
		free(m->rst_reason_names[i]);
	memset(m, 0, sizeof(*m));
}

struct session *model_find_open(const struct model *m, uint64_t sid)
{
	return table_find(&m->open, &sid);
}

static bool owner_known(const struct ts_owner *o)
{
	return o->pid != 0;
}

/* A session the stream mentions for the first time. */
static struct session *session_get(struct model *m, uint64_t sid, uint64_t ts)
{
	bool added;
	struct session *s = table_get(&m->open, &sid, &added);

	if (!s) {
		m->st.dropped_open++;
		return NULL;
	}
	if (added) {
		struct connlog *l = connlog_get(&m->logs, sid, true);

		s->seen_ns = ts;
		s->log = l ? (uint32_t)table_index(&m->logs.t, l) + 1 : 0;
		m->st.opened++;
	}
	return s;
}

/* The session's connection log, if it still has one. */
static struct connlog *log_of(struct model *m, const struct session *s)
{
	struct connlog *l;

	if (!s->log)
		return NULL;
	l = table_at(&m->logs.t, s->log - 1);
	return l->sid == s->sid ? l : NULL;
}

/*
 * connect() enters SYN_SENT before the local port is chosen, and an accepted
 * socket's first transitions happen before accept() names its owner: fill
 * in the session's first log rows once these are known.
 */
static void complete_rows(struct model *m, const struct session *s)
{
	for (int i = 0; i < 4 && s->rows[i]; i++) {
		struct state_row *r = retain_by_seq(&m->states, s->rows[i] - 1);

		if (!r || r->sid != s->sid)
			continue;
		if (!r->conn.lport)
			r->conn.lport = s->conn.lport;
		if (!owner_known(&r->owner))
			r->owner = s->owner;
	}
}

/* Take what a record says of the connection and its owner. */
static void session_learn(struct model *m, struct session *s, const struct ts_conn *c,
			  const struct ts_owner *o)
{
	bool port_new = c->lport && !s->conn.lport;
	bool owner_new = owner_known(o) && !owner_known(&s->owner);

	/* its rows' flow follows the owner and the ports */
	if (owner_new ||
	    (c->family && ((c->lport && c->lport != s->conn.lport) || c->rport != s->conn.rport)))
		flow_cache_clear(&s->flow);

	if (c->family) {
		uint16_t lport = s->conn.lport;

		if (memcmp(c->raddr, s->conn.raddr, sizeof(c->raddr)) ||
		    c->family != s->conn.family)
			s->subnet = 0; /* found again when next needed */
		s->conn = *c;
		if (!c->lport)
			s->conn.lport = lport; /* a record without the port does not unlearn it */
	}
	if (owner_new)
		s->owner = *o;
	if (port_new || owner_new)
		complete_rows(m, s);
}

/* The owner's service, from a record's cgroup (0: the record does not say). */
static void session_service(struct model *m, struct session *s, uint64_t cgroup)
{
	if (cgroup)
		s->svc = services_get(&m->services, cgroup);
}

/* The flow group of a session's rows (its service and owner as they are now). */
static inline uint32_t session_flow(struct model *m, struct session *s)
{
	return flowgroups_cached(&m->flows, &s->flow, &s->conn, &s->owner, s->dir);
}

static void push_state(struct model *m, struct session *s, uint64_t ts, uint8_t old, uint8_t new,
		       uint64_t dt, const struct ts_owner *o)
{
	struct state_row *r = retain_push(&m->states, session_flow(m, s));
	struct connlog *l;

	r->ts_ns = ts;
	r->sid = s->sid;
	r->dt_ns = dt;
	r->conn = s->conn;
	r->owner = owner_known(o) ? *o : s->owner;
	r->oldstate = old;
	r->newstate = new;
	r->dir = s->dir;
	r->flags = s->flags;
	if (s->sid && (l = log_of(m, s)))
		connlog_state(l, ts, old, new, dt);
	if (m->hooks.state)
		m->hooks.state(m->hooks.ctx, r);
}

static void on_state(struct model *m, const struct ts_ev_state *e)
{
	struct session *s, tmp;

	/* a listener is not a session: its transitions only go to the log */
	if (!e->sid || e->newstate == TS_LISTEN ||
	    (e->oldstate == TS_LISTEN && e->newstate == TS_CLOSE)) {
		memset(&tmp, 0, sizeof(tmp));
		tmp.conn = e->conn;
		tmp.owner = e->owner;
		push_state(m, &tmp, e->hdr.ts_ns, e->oldstate, e->newstate, e->dt_ns, &e->owner);
		return;
	}
	s = session_get(m, e->sid, e->hdr.ts_ns);
	if (!s) {
		memset(&tmp, 0, sizeof(tmp));
		tmp.sid = e->sid;
		s = &tmp;
	}
	if (!s->state) {
		s->dir = e->dir;
		flow_cache_clear(&s->flow);
		s->flags = e->flags;
		if (e->newstate == TS_SYN_SENT || e->newstate == TS_SYN_RECV)
			s->start_ns = e->hdr.ts_ns;
	}
	session_learn(m, s, &e->conn, &e->owner);
	s->flags |= e->flags;
	s->state = e->newstate;
	/* the handshake while the session is open: the kernel's own, the close's, comes later */
	if (e->newstate == TS_ESTABLISHED && !s->lat_ns && e->dt_ns &&
	    (e->oldstate == TS_SYN_SENT || e->oldstate == TS_SYN_RECV))
		s->lat_ns = e->dt_ns;
	push_state(m, s, e->hdr.ts_ns, e->oldstate, e->newstate, e->dt_ns, &e->owner);
	for (int i = 0; i < 4; i++)
		if (!s->rows[i]) {
			s->rows[i] = m->states.next; /* the row just pushed, +1 */
			break;
		}
}

/* A session leaves the open table for the closed ones. */
static void session_close(struct model *m, struct session *s, uint64_t ts)
{
	struct session *c = retain_push(&m->closed, session_flow(m, s));
	struct connlog *l;

	*c = *s;
	c->closed_tick = m->st.ticks;
	c->end_ns = ts;
	c->state = TS_CLOSE;
	c->mflags |= S_CLOSED;
	m->st.closed++;
	if ((l = log_of(m, s)))
		connlog_closed(&m->logs, l);
	life_closed(m, c);
	if (m->tally)
		tally_closed(m->tally, c);
	if (m->hooks.closed)
		m->hooks.closed(m->hooks.ctx, c);
	if (table_owns(&m->open, s)) /* not a copy on the stack */
		table_remove(&m->open, s);
}

static void on_close(struct model *m, const struct ts_ev_close *e)
{
	struct session *s = session_get(m, e->sid, e->hdr.ts_ns);
	struct session tmp;

	if (!s) {
		memset(&tmp, 0, sizeof(tmp));
		tmp.sid = e->sid;
		tmp.seen_ns = e->hdr.ts_ns;
		s = &tmp;
	}
	session_learn(m, s, &e->conn, &e->owner);
	session_service(m, s, e->cgroup_id);
	if (s->dir != e->dir)
		flow_cache_clear(&s->flow);
	s->dir = e->dir;
	s->flags |= e->flags;
	s->start_ns = e->start_ns;
	s->lat_ns = e->lat_ns;
	s->tx_bytes = e->tx_bytes;
	s->rx_bytes = e->rx_bytes;
	s->retrans = e->retrans;
	s->srtt_us = e->srtt_us;
	if (e->rtt.samples)
		s->rtt = e->rtt;
	s->err = e->err;
	tput_add(m, s, e->app_tx, e->app_rx);
	push_state(m, s, e->hdr.ts_ns, e->oldstate, TS_CLOSE, e->dt_ns, &e->owner);
	session_close(m, s, e->hdr.ts_ns);
}

static void on_owner(struct model *m, const struct ts_ev_owner *e)
{
	struct session *s = model_find_open(m, e->sid);

	if (s && owner_known(&e->owner)) {
		s->owner = e->owner;
		session_service(m, s, e->cgroup_id);
		flow_cache_clear(&s->flow);
		complete_rows(m, s);
	}
}

static void on_existing(struct model *m, const struct ts_ev_existing *e)
{
	struct session *s = session_get(m, e->sid, e->hdr.ts_ns);

	if (!s)
		return;
	s->conn = e->conn;
	flow_cache_clear(&s->flow);
	s->state = e->state;
	s->flags |= TS_F_PREEXISTING;
	s->tx_bytes = e->tx_bytes;
	s->rx_bytes = e->rx_bytes;
	s->srtt_us = e->srtt_us;
}

static void on_tput(struct model *m, const struct ts_ev_tput *e)
{
	struct session *s = session_get(m, e->sid, e->hdr.ts_ns);

	if (!s)
		return;
	if (!s->state) {
		s->state = TS_ESTABLISHED;
		s->dir = e->dir;
		flow_cache_clear(&s->flow);
		s->start_ns = e->start_ns;
	}
	s->flags |= e->flags;
	session_learn(m, s, &e->conn, &e->owner);
	session_service(m, s, e->cgroup_id);
	tput_add(m, s, e->app_tx, e->app_rx);
	if (e->rtt.samples >= s->rtt.samples)
		s->rtt = e->rtt;
}

static void on_gone(struct model *m, const struct ts_ev_gone *e)
{
	struct session *s = model_find_open(m, e->sid);

	if (!s)
		return;
	s->mflags |= S_LOST_CLOSE;
	m->st.lost_closes++;
	session_close(m, s, e->hdr.ts_ns);
}

/* An event of session s (NULL: none the model knows) joins s's flow group. */
static struct event_row *push_event(struct model *m, uint8_t type, const struct ts_hdr *h,
				    struct session *s, uint64_t sid, const struct ts_conn *c,
				    const struct ts_owner *o)
{
	struct event_row *r;
	struct flow_key k;
	uint32_t group;

	if (s) {
		group = session_flow(m, s);
	} else {
		flow_key_of(c, o, 0, &k);
		group = flowgroups_get(&m->flows, &k);
	}
	r = retain_push(&m->events, group);
	memset(r, 0, sizeof(*r));
	r->type = type;
	r->ts_ns = h->ts_ns;
	r->sid = sid;
	r->conn = *c;
	r->owner = *o;
	if (!owner_known(o) && s)
		r->owner = s->owner;
	return r;
}

/* The row is whole: count it by kind, and hand it to batch mode. */
static void event_done(struct model *m, const struct event_row *r)
{
	struct connlog *l = connlog_get(&m->logs, r->sid, false);

	if (l)
		connlog_event(l, r);
	m->st.event_kinds[event_kind(r)]++;
	if (m->hooks.event)
		m->hooks.event(m->hooks.ctx, r);
}

static void on_retrans(struct model *m, const struct ts_ev_retrans *e)
{
	struct session *s = e->sid ? model_find_open(m, e->sid) : NULL;
	struct event_row *r = push_event(m, EV_RETRANS, &e->hdr, s, e->sid, &e->conn, &e->owner);

	r->state = e->state;
	r->reason = e->kind;
	r->count = e->retrans;
	if (s)
		s->retrans = e->retrans;
	listeners_on_retrans(m, e);
	if (m->tally)
		tally_retrans(m->tally, r, s);
	event_done(m, r);
}

static void on_drop(struct model *m, const struct ts_ev_drop *e)
{
	struct session *s = e->sid ? model_find_open(m, e->sid) : NULL;
	struct event_row *r = push_event(m, EV_DROP, &e->hdr, s, e->sid, &e->conn, &e->owner);

	r->state = e->state;
	r->reason = e->reason;
	r->location = e->location;
	r->tcp_flags = e->tcp_flags;
	r->ingress = e->ingress;
	r->len = e->len;
	listeners_on_drop(m, e);
	if (m->tally)
		tally_drop(m->tally, e->reason);
	event_done(m, r);
}

static void on_sockev(struct model *m, const struct ts_ev_sockev *e)
{
	struct session *s = e->sid ? model_find_open(m, e->sid) : NULL;
	struct event_row *r = push_event(m, EV_SOCK, &e->hdr, s, e->sid, &e->conn, &e->owner);

	r->state = e->state;
	r->reason = e->err;
	r->sock_type = e->type;
	r->ca_old = e->ca_old;
	r->ca_new = e->ca_new;
	r->value = e->value;
	r->value2 = e->value2;
	r->srtt_us = e->srtt_us;
	/* which way it went, as for drops: a reset came in, or went out */
	r->ingress = e->type == TS_SE_RST_RECV;
	if (m->tally && (e->type == TS_SE_RST_SENT || e->type == TS_SE_RST_RECV))
		tally_reset(m->tally, r, s);
	event_done(m, r);
}

static void on_tick(struct model *m, const struct ts_ev_tick *e)
{
	struct model_stats *st = &m->st;
	size_t pos = 0;
	struct session *s;

	while ((s = table_next(&m->open, &pos))) {
		struct connlog *l = log_of(m, s);

		s->last_tx = s->iv_tx;
		s->last_rx = s->iv_rx;
		s->iv_tx = s->iv_rx = 0;
		if (l) {
			struct tl_point p = {.ts_ns = e->hdr.ts_ns,
					     .tx = s->last_tx,
					     .rx = s->last_rx,
					     .srtt_us = s->rtt.last_us,
					     .cwnd = s->rtt.snd_cwnd};

			connlog_point(l, &p);
		}
	}
	tput_tick(m);
	life_tick(m, e->hdr.ts_ns);
	listeners_tick(m);
	rtt_tick(&m->rtt);
	if (m->tally)
		tally_tick(m->tally);
	memcpy(st->lost_kernel, e->lost, sizeof(st->lost_kernel));
	st->lost_user = e->lost_user;
	st->kernel_open = e->open_sockets;
	st->interval_ns = e->interval_ns ? e->interval_ns : e->hdr.ts_ns - st->last_tick_ns;
	st->events_per_sec = st->interval_ns ? st->iv_records * 1e9 / st->interval_ns : 0;
	st->iv_records = 0;
	st->last_tx = st->iv_tx;
	st->last_rx = st->iv_rx;
	st->iv_tx = st->iv_rx = 0;
	st->last_tick_ns = e->hdr.ts_ns;
	st->ticks++;
	if (m->cfg.history) {
		size_t n = m->cfg.history;

		if (m->hist_len == n) {
			memmove(m->hist_tx, m->hist_tx + 1, (n - 1) * sizeof(uint64_t));
			memmove(m->hist_rx, m->hist_rx + 1, (n - 1) * sizeof(uint64_t));
			m->hist_len--;
		}
		m->hist_tx[m->hist_len] = st->last_tx;
		m->hist_rx[m->hist_len] = st->last_rx;
		m->hist_len++;
	}
	if (m->hooks.tick)
		m->hooks.tick(m->hooks.ctx);
}

/* Copy a fixed-size name and make sure it is terminated. */
static void copy_name(char *dst, size_t n, const char *src, size_t srcn)
{
	size_t len = strnlen(src, srcn);

	if (len >= n)
		len = n - 1;
	memcpy(dst, src, len);
	dst[len] = 0;
}

static void on_meta(struct model *m, const struct ts_ev_meta *e)
{
	m->meta.have = true;
	/* wrapping arithmetic: a damaged or hostile recording may hold any values */
	m->meta.realtime_off = (int64_t)((uint64_t)e->realtime_ns - e->hdr.ts_ns);
	m->meta.interval_ms = e->interval_ms;
	copy_name(m->meta.host, sizeof(m->meta.host), e->host, sizeof(e->host));
	copy_name(m->meta.kernel, sizeof(m->meta.kernel), e->kernel, sizeof(e->kernel));
	copy_name(m->meta.plan, sizeof(m->meta.plan), e->plan, sizeof(e->plan));
}

static void on_reason(struct model *m, const struct ts_ev_reason *e)
{
	char name[sizeof(e->name) + 1], **slot;

	if (e->reason < 512)
		slot = &m->reason_names[e->reason];
	else if (e->reason >= TS_RST_REASON_BASE && e->reason - TS_RST_REASON_BASE < 64)
		slot = &m->rst_reason_names[e->reason - TS_RST_REASON_BASE];
	else
		return;
	m->reasons_named |= e->reason != 0; /* before 5.17 only 0 has a name, ours */
	copy_name(name, sizeof(name), e->name, sizeof(e->name));
	m->listen_overflow_named |= !strcmp(name, "TCP_LISTEN_OVERFLOW");
	free(*slot);
	*slot = strdup(name);
}

static void on_symbol(struct model *m, const struct ts_ev_symbol *e)
{
	struct model_symbol *sym = table_get(&m->symbols, &e->addr, NULL);

	if (sym)
		copy_name(sym->name, sizeof(sym->name), e->name, sizeof(e->name));
}

const char *model_reason_name(const struct model *m, uint32_t reason)
{
	return reason < 512 ? m->reason_names[reason] : NULL;
}

const char *model_rst_reason_name(const struct model *m, uint32_t reason)
{
	return reason < 64 ? m->rst_reason_names[reason] : NULL;
}

const char *model_symbol(const struct model *m, uint64_t addr)
{
	const struct model_symbol *sym = table_find(&m->symbols, &addr);

	return sym ? sym->name : NULL;
}

double model_wall_time(const struct model *m, uint64_t mono_ns)
{
	if (!m->meta.have)
		return 0;
	return (double)(int64_t)(mono_ns + (uint64_t)m->meta.realtime_off) / 1e9;
}

size_t event_size(unsigned kind)
{
	switch (kind) {
	case TS_K_STATE:
		return sizeof(struct ts_ev_state);
	case TS_K_CLOSE:
		return sizeof(struct ts_ev_close);
	case TS_K_OWNER:
		return sizeof(struct ts_ev_owner);
	case TS_K_RETRANS:
		return sizeof(struct ts_ev_retrans);
	case TS_K_DROP:
		return sizeof(struct ts_ev_drop);
	case TS_K_EXISTING:
		return sizeof(struct ts_ev_existing);
	case TS_K_TPUT:
		return sizeof(struct ts_ev_tput);
	case TS_K_TICK:
		return sizeof(struct ts_ev_tick);
	case TS_K_META:
		return sizeof(struct ts_ev_meta);
	case TS_K_REASON:
		return sizeof(struct ts_ev_reason);
	case TS_K_SYMBOL:
		return sizeof(struct ts_ev_symbol);
	case TS_K_GONE:
		return sizeof(struct ts_ev_gone);
	case TS_K_SOCKEV:
		return sizeof(struct ts_ev_sockev);
	case TS_K_RTT:
		return sizeof(struct ts_ev_rtt);
	case TS_K_LISTEN:
		return sizeof(struct ts_ev_listen);
	case TS_K_LISTENER:
		return sizeof(struct ts_ev_listener);
	case TS_K_CGROUP:
		return sizeof(struct ts_ev_cgroup);
	}
	return 0;
}

uint64_t event_cgroup(const union ts_event *ev)
{
	switch (ev->hdr.kind) {
	case TS_K_CLOSE:
		return ev->close.cgroup_id;
	case TS_K_OWNER:
		return ev->owner.cgroup_id;
	case TS_K_TPUT:
		return ev->tput.cgroup_id;
	case TS_K_LISTEN:
		return ev->listen.cgroup_id;
	case TS_K_LISTENER:
		return ev->listener.cgroup_id;
	}
	return 0;
}

static bool conn_ok(const struct ts_conn *c)
{
	return c->family == 4 || c->family == 6;
}

/* Records come from the kernel or from a file: check what the model relies on. */
static bool record_ok(const union ts_event *ev)
{
	unsigned kind = ev->hdr.kind;

	if (!event_size(kind) || ev->hdr.size != event_size(kind))
		return false;
	switch (kind) {
	case TS_K_STATE:
		return conn_ok(&ev->state.conn) && ev->state.newstate < TS_STATE_MAX &&
		       ev->state.oldstate < TS_STATE_MAX;
	case TS_K_CLOSE:
		return conn_ok(&ev->close.conn) && ev->close.oldstate < TS_STATE_MAX;
	case TS_K_RETRANS:
		return conn_ok(&ev->retrans.conn) && ev->retrans.state < TS_STATE_MAX;
	case TS_K_DROP:
		return conn_ok(&ev->drop.conn) && ev->drop.state < TS_STATE_MAX;
	case TS_K_EXISTING:
		return conn_ok(&ev->existing.conn) && ev->existing.state < TS_STATE_MAX;
	case TS_K_TPUT:
		return conn_ok(&ev->tput.conn);
	case TS_K_SOCKEV:
		return conn_ok(&ev->sockev.conn) && ev->sockev.state < TS_STATE_MAX &&
		       ev->sockev.type && ev->sockev.type < TS_SE_MAX &&
		       ev->sockev.ca_old < TS_CA_MAX && ev->sockev.ca_new < TS_CA_MAX;
	case TS_K_RTT:
		return ev->rtt.key.scope <= TS_RTT_LADDR && ev->rtt.unit <= 1 &&
		       (ev->rtt.key.scope == TS_RTT_ALL || ev->rtt.key.family == 4 ||
			ev->rtt.key.family == 6);
	case TS_K_LISTEN:
		return conn_ok(&ev->listen.conn) && ev->listen.newstate < TS_STATE_MAX &&
		       ev->listen.oldstate < TS_STATE_MAX;
	case TS_K_LISTENER:
		return conn_ok(&ev->listener.conn);
	}
	return true;
}

static void on_cgroup(struct model *m, const struct ts_ev_cgroup *e)
{
	char path[sizeof(e->path) + 1];

	copy_name(path, sizeof(path), e->path, sizeof(e->path));
	services_name(&m->services, e->id, path);
}

int model_apply(struct model *m, const union ts_event *ev)
{
	unsigned kind = ev->hdr.kind;
	uint64_t opened = m->st.opened;

	if (!record_ok(ev)) {
		m->st.bad_records++;
		return -EINVAL;
	}
	m->st.seq++;
	m->st.records[kind]++;
	m->st.iv_records++;
	if (!m->st.first_ns)
		m->st.first_ns = ev->hdr.ts_ns;
	if (ev->hdr.ts_ns > m->st.now_ns)
		m->st.now_ns = ev->hdr.ts_ns;
	switch (kind) {
	case TS_K_STATE:
		on_state(m, &ev->state);
		break;
	case TS_K_CLOSE:
		on_close(m, &ev->close);
		break;
	case TS_K_OWNER:
		on_owner(m, &ev->owner);
		break;
	case TS_K_RETRANS:
		on_retrans(m, &ev->retrans);
		break;
	case TS_K_DROP:
		on_drop(m, &ev->drop);
		break;
	case TS_K_EXISTING:
		on_existing(m, &ev->existing);
		break;
	case TS_K_TPUT:
		on_tput(m, &ev->tput);
		break;
	case TS_K_TICK:
		on_tick(m, &ev->tick);
		break;
	case TS_K_META:
		on_meta(m, &ev->meta);
		break;
	case TS_K_REASON:
		on_reason(m, &ev->reason);
		break;
	case TS_K_SYMBOL:
		on_symbol(m, &ev->symbol);
		break;
	case TS_K_GONE:
		on_gone(m, &ev->gone);
		break;
	case TS_K_SOCKEV:
		on_sockev(m, &ev->sockev);
		break;
	case TS_K_RTT:
		rtt_apply(&m->rtt, &ev->rtt);
		if (m->tally)
			tally_rtt(m->tally, &ev->rtt);
		break;
	case TS_K_LISTEN:
		listeners_on_listen(m, &ev->listen);
		break;
	case TS_K_LISTENER:
		listeners_on_sample(m, &ev->listener);
		break;
	case TS_K_CGROUP:
		on_cgroup(m, &ev->cgroup);
		break;
	}
	/* a session appeared: the record says its direction and ports */
	if (m->tally && m->st.opened != opened)
		tally_opened(m->tally, ev);
	return 0;
}
