/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Records of what happened to one connection (struct ts_ev_sockev): resets,
 * congestion states, full queues, memory limits, errors. The session, its
 * ends and its owner come from the socket table, or from the socket itself
 * when the table does not track it.
 */
#ifndef TCPSCOPE_SOCKEV_BPF_H
#define TCPSCOPE_SOCKEV_BPF_H

#include "tcpscope.bpf.h"

/*
 * The ends of sk, from its table entry s when tracked; 0 when unwanted. A
 * socket closed in the call that reports on it has left the table and
 * forgotten its local port: the CPU's last close still knows it.
 */
static __always_inline int sockev_conn(const struct sock *sk, const struct ts_sock *s,
				       struct ts_conn *c, __u64 *sid, struct ts_owner *o,
				       __u8 *state)
{
	const struct ts_closed *gone;
	__u64 key = (__u64)sk;

	session_of(s, sid, o);
	*state = BPF_CORE_READ(sk, __sk_common.skc_state);
	if (s && s->conn.family && s->conn.lport && s->conn.rport) {
		*c = s->conn;
	} else if (!s && (gone = closed_just_now(key))) {
		*c = gone->conn;
		*sid = gone->sid;
		*o = gone->owner;
		*state = gone->state; /* what it was in when this began */
	} else if (!read_conn(&sk->__sk_common, c)) {
		return 0;
	}
	if (!conn_wanted(c))
		return 0;
	return !cfg_pid || owner_wanted(o);
}

/*
 * A record of type about sk (tracked as s, or NULL), ready for the caller's
 * fields; NULL when the filters do not want it or the ring buffer is full.
 */
static __always_inline struct ts_ev_sockev *sockev_new(const struct sock *sk,
						       const struct ts_sock *s, __u8 type)
{
	struct ts_ev_sockev *e;
	struct ts_owner o;
	struct ts_conn c = {};
	__u64 sid;
	__u8 state;

	if (!sockev_conn(sk, s, &c, &sid, &o, &state))
		return 0;
	e = reserve(sizeof(*e), TS_K_SOCKEV);
	if (!e)
		return 0;
	e->conn = c;
	e->sid = sid;
	e->owner = o;
	e->type = type;
	e->state = state;
	e->ca_old = e->ca_new = 0;
	e->err = 0;
	e->value = 0;
	e->value2 = 0;
	e->srtt_us = s ? s->rtt.last_us : 0;
	return e;
}

#endif
