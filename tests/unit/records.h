/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Synthetic records for the unit tests: each builder returns a record the
 * test may adjust before feeding it to a model with APPLY().
 */
#ifndef TCPSCOPE_TEST_RECORDS_H
#define TCPSCOPE_TEST_RECORDS_H

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include "views/model.h"

#define APPLY(m, e) model_apply((m), (const union ts_event *)&(e))

/* Copy a name into a fixed field, unterminated when it fills the field (as the kernel does). */
static inline void put_name(char *dst, size_t size, const char *name)
{
	for (size_t i = 0; i < size && name[i]; i++)
		dst[i] = name[i];
}

static inline struct model_config small_config(size_t rows)
{
	struct model_config c;

	model_config_default(&c);
	c.max_closed = c.max_states = c.max_events = rows;
	c.max_open = 64;
	c.max_groups = 64;
	c.history = 8;
	return c;
}

/* Free m and start it again from c; a failure is the harness's, not a case's. */
static inline void model_restart(struct model *m, const struct model_config *c)
{
	model_free(m);
	if (model_init(m, c))
		abort();
}

static inline struct ts_conn conn4(const char *l, uint16_t lport, const char *r, uint16_t rport)
{
	struct ts_conn c = {.family = 4, .lport = lport, .rport = rport};

	if (inet_pton(AF_INET, l, c.laddr) != 1 || inet_pton(AF_INET, r, c.raddr) != 1)
		abort();
	return c;
}

static inline struct ts_conn conn6(const char *l, uint16_t lport, const char *r, uint16_t rport)
{
	struct ts_conn c = {.family = 6, .lport = lport, .rport = rport};

	if (inet_pton(AF_INET6, l, c.laddr) != 1 || inet_pton(AF_INET6, r, c.raddr) != 1)
		abort();
	return c;
}

static inline struct ts_owner owner(uint32_t pid, const char *comm)
{
	struct ts_owner o = {.pid = pid, .tid = pid};

	put_name(o.comm, sizeof(o.comm), comm);
	return o;
}

static inline struct ts_owner nobody(void)
{
	struct ts_owner o = {0};

	return o;
}

static inline void rec_hdr(struct ts_hdr *h, unsigned kind, size_t size, uint64_t ts)
{
	h->kind = (uint16_t)kind;
	h->size = (uint16_t)size;
	h->ts_ns = ts;
}

static inline struct ts_ev_state rec_state(uint64_t sid, uint64_t ts, int old, int new,
					   struct ts_conn c, struct ts_owner o)
{
	struct ts_ev_state e = {0};

	rec_hdr(&e.hdr, TS_K_STATE, sizeof(e), ts);
	e.sid = sid;
	e.conn = c;
	e.owner = o;
	e.oldstate = (uint8_t)old;
	e.newstate = (uint8_t) new;
	e.dir = new == TS_SYN_SENT ? TS_DIR_CONNECT : TS_DIR_ACCEPT;
	return e;
}

/* A close of an established session that started at start and moved tx/rx bytes. */
static inline struct ts_ev_close rec_close(uint64_t sid, uint64_t ts, uint64_t start,
					   struct ts_conn c, struct ts_owner o, uint64_t tx,
					   uint64_t rx)
{
	struct ts_ev_close e = {0};

	rec_hdr(&e.hdr, TS_K_CLOSE, sizeof(e), ts);
	e.sid = sid;
	e.conn = c;
	e.owner = o;
	e.oldstate = TS_LAST_ACK;
	e.dir = TS_DIR_CONNECT;
	e.start_ns = start;
	e.tx_bytes = tx;
	e.rx_bytes = rx;
	e.app_tx = tx;
	e.app_rx = rx;
	e.flags = TS_F_ESTABLISHED;
	return e;
}

static inline struct ts_ev_owner rec_owner(uint64_t sid, uint64_t ts, struct ts_owner o)
{
	struct ts_ev_owner e = {0};

	rec_hdr(&e.hdr, TS_K_OWNER, sizeof(e), ts);
	e.sid = sid;
	e.owner = o;
	return e;
}

static inline struct ts_ev_existing rec_existing(uint64_t sid, uint64_t ts, struct ts_conn c,
						 uint64_t tx, uint64_t rx)
{
	struct ts_ev_existing e = {0};

	rec_hdr(&e.hdr, TS_K_EXISTING, sizeof(e), ts);
	e.sid = sid;
	e.conn = c;
	e.tx_bytes = tx;
	e.rx_bytes = rx;
	e.state = TS_ESTABLISHED;
	return e;
}

static inline struct ts_ev_tput rec_tput(uint64_t sid, uint64_t ts, struct ts_conn c,
					 struct ts_owner o, uint64_t app_tx, uint64_t app_rx)
{
	struct ts_ev_tput e = {0};

	rec_hdr(&e.hdr, TS_K_TPUT, sizeof(e), ts);
	e.sid = sid;
	e.conn = c;
	e.owner = o;
	e.start_ns = ts;
	e.app_tx = app_tx;
	e.app_rx = app_rx;
	e.dir = TS_DIR_CONNECT;
	return e;
}

static inline struct ts_ev_tick rec_tick(uint64_t ts)
{
	struct ts_ev_tick e = {0};

	rec_hdr(&e.hdr, TS_K_TICK, sizeof(e), ts);
	e.interval_ns = 1000000000ULL;
	return e;
}

static inline struct ts_ev_gone rec_gone(uint64_t sid, uint64_t ts)
{
	struct ts_ev_gone e = {0};

	rec_hdr(&e.hdr, TS_K_GONE, sizeof(e), ts);
	e.sid = sid;
	return e;
}

static inline struct ts_ev_retrans rec_retrans(uint64_t sid, uint64_t ts, struct ts_conn c,
					       struct ts_owner o, int kind, uint32_t total)
{
	struct ts_ev_retrans e = {0};

	rec_hdr(&e.hdr, TS_K_RETRANS, sizeof(e), ts);
	e.sid = sid;
	e.conn = c;
	e.owner = o;
	e.state = TS_ESTABLISHED;
	e.kind = (uint8_t)kind;
	e.retrans = total;
	return e;
}

static inline struct ts_ev_drop rec_drop(uint64_t sid, uint64_t ts, struct ts_conn c,
					 struct ts_owner o, uint32_t reason, uint8_t tcp_flags)
{
	struct ts_ev_drop e = {0};

	rec_hdr(&e.hdr, TS_K_DROP, sizeof(e), ts);
	e.sid = sid;
	e.conn = c;
	e.owner = o;
	e.reason = reason;
	e.tcp_flags = tcp_flags;
	e.state = sid ? TS_ESTABLISHED : 0;
	e.ingress = 1;
	e.len = 60;
	return e;
}

static inline struct ts_ev_reason rec_reason(uint32_t reason, const char *name)
{
	struct ts_ev_reason e = {0};

	rec_hdr(&e.hdr, TS_K_REASON, sizeof(e), 0);
	e.reason = reason;
	put_name(e.name, sizeof(e.name), name);
	return e;
}

static inline struct ts_ev_symbol rec_symbol(uint64_t addr, const char *name)
{
	struct ts_ev_symbol e = {0};

	rec_hdr(&e.hdr, TS_K_SYMBOL, sizeof(e), 0);
	e.addr = addr;
	put_name(e.name, sizeof(e.name), name);
	return e;
}

/* listen() (newstate TS_LISTEN) or the close of a listener at c, with its address's counts. */
static inline struct ts_ev_listen rec_listen(uint64_t ts, int new, struct ts_conn c,
					     struct ts_owner o, uint32_t backlog, uint32_t socks)
{
	struct ts_ev_listen e = {0};

	rec_hdr(&e.hdr, TS_K_LISTEN, sizeof(e), ts);
	c.rport = 0;
	memset(c.raddr, 0, sizeof(c.raddr));
	e.conn = c;
	e.owner = o;
	e.backlog = backlog;
	e.oldstate = new == TS_LISTEN ? TS_CLOSE : TS_LISTEN;
	e.newstate = (uint8_t) new;
	e.tracked = 1;
	e.socks = socks;
	return e;
}

/* An interval's sample of the address c: its queue and the handshakes so far. */
static inline struct ts_ev_listener rec_listener(uint64_t ts, struct ts_conn c, struct ts_owner o,
						 uint32_t queue, uint32_t backlog, uint64_t clones)
{
	struct ts_ev_listener e = {0};

	rec_hdr(&e.hdr, TS_K_LISTENER, sizeof(e), ts);
	c.rport = 0;
	memset(c.raddr, 0, sizeof(c.raddr));
	e.conn = c;
	e.owner = o;
	e.socks = 1;
	e.queue = queue;
	e.backlog = backlog;
	e.clones = clones;
	e.start_ns = ts;
	e.flags = TS_LF_SAMPLED;
	return e;
}

static inline struct ts_ev_cgroup rec_cgroup(uint64_t id, const char *path)
{
	struct ts_ev_cgroup e = {0};

	rec_hdr(&e.hdr, TS_K_CGROUP, sizeof(e), 0);
	e.id = id;
	put_name(e.path, sizeof(e.path), path);
	return e;
}

/* A reset sent (TS_SE_RST_SENT) or received (TS_SE_RST_RECV) by socket sid (0: none). */
static inline struct ts_ev_sockev rec_sockev(uint64_t sid, uint64_t ts, int type, struct ts_conn c,
					     struct ts_owner o, int state)
{
	struct ts_ev_sockev e = {0};

	rec_hdr(&e.hdr, TS_K_SOCKEV, sizeof(e), ts);
	e.sid = sid;
	e.conn = c;
	e.owner = o;
	e.type = (uint8_t)type;
	e.state = (uint8_t)state;
	return e;
}

/* An interval's RTT histogram of every connection: n values (unit 0: us, 1: ms). */
static inline struct ts_ev_rtt rec_rtt_all(uint64_t ts, int unit, const uint32_t *values, size_t n)
{
	struct ts_ev_rtt e = {0};

	rec_hdr(&e.hdr, TS_K_RTT, sizeof(e), ts);
	e.key.scope = TS_RTT_ALL;
	e.unit = (uint8_t)unit;
	for (size_t i = 0; i < n; i++) {
		e.h.samples++;
		e.h.sum += values[i];
		if (values[i] > e.h.max)
			e.h.max = values[i];
		e.h.buckets[rtt_bucket_of(values[i])]++;
	}
	return e;
}

/* Wall clock realtime_s at monotonic ts. */
static inline struct ts_ev_meta rec_meta(uint64_t ts, int64_t realtime_s)
{
	struct ts_ev_meta e = {0};

	rec_hdr(&e.hdr, TS_K_META, sizeof(e), ts);
	e.realtime_ns = realtime_s * 1000000000LL;
	e.interval_ms = 1000;
	strcpy(e.host, "testhost");
	strcpy(e.kernel, "6.1.0");
	strcpy(e.plan, "synthetic");
	return e;
}

#endif
