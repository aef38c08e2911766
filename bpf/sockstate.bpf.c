// SPDX-License-Identifier: GPL-2.0
/*
 * Lifespans and the state log, from inet_sock_set_state. One handler serves
 * the three hook flavours; user space autoloads the one the kernel has.
 *
 * The transition into SYN_SENT runs inside connect(), so the current task owns
 * the socket. Every other transition may run in softirq context on behalf of
 * whichever task the CPU interrupted, so owners are never taken from them.
 */
#include "tcpscope.bpf.h"

static __always_inline void emit_state(const struct ts_sock *s, int old, int new, __u64 dt)
{
	struct ts_ev_state *e;

	if (!cfg_all_states || !conn_wanted(&s->conn) || !owner_wanted(&s->owner))
		return;
	e = reserve(sizeof(*e), TS_K_STATE);
	if (!e)
		return;
	e->sid = s->sid;
	e->conn = s->conn;
	e->owner = s->owner;
	e->oldstate = old;
	e->newstate = new;
	e->dir = s->dir;
	e->flags = s->flags;
	e->dt_ns = dt;
	submit(e);
}

/*
 * bytes_acked and bytes_received count sequence space, which holds one
 * number for the active opener's SYN and one for each FIN; take those out
 * so TX and RX are the payload, exactly.
 */
static __always_inline __u64 payload_acked(const struct sock *sk, __u8 flags)
{
	const struct tcp_sock *tp = (const struct tcp_sock *)sk;
	__u64 n = BPF_CORE_READ(tp, bytes_acked);

	if ((flags & TS_F_SYN_COUNTED) && n)
		n--;
	/* our FIN is acked when everything queued, FIN included, is */
	if ((flags & TS_F_FIN_SENT) && n &&
	    BPF_CORE_READ(tp, snd_una) == BPF_CORE_READ(tp, write_seq))
		n--;
	return n;
}

static __always_inline __u64 payload_received(const struct sock *sk)
{
	const struct tcp_sock *tp = (const struct tcp_sock *)sk;
	__u64 n = BPF_CORE_READ(tp, bytes_received);
	unsigned long sk_flags = BPF_CORE_READ(sk, __sk_common.skc_flags);

	/* tcp_fin() marks SOCK_DONE when the peer's FIN is taken in order */
	if ((sk_flags & (1UL << bpf_core_enum_value(enum sock_flags, SOCK_DONE))) && n)
		n--;
	return n;
}

/*
 * The session's summary, and its socket leaves the map. The map entry goes
 * before the record is published: user space, reading the map, must never
 * see a socket whose close it has already taken in.
 */
static __always_inline void close_session(const struct sock *sk, const struct ts_sock *s, int old,
					  __u64 dt)
{
	const struct tcp_sock *tp = (const struct tcp_sock *)sk;
	__u64 key = (__u64)sk;
	struct ts_ev_close *e;

	if (!conn_wanted(&s->conn) || !owner_wanted(&s->owner)) {
		bpf_map_delete_elem(&socks, &key);
		return;
	}
	e = reserve(sizeof(*e), TS_K_CLOSE);
	if (!e) {
		bpf_map_delete_elem(&socks, &key);
		return;
	}
	e->sid = s->sid;
	e->conn = s->conn;
	e->owner = s->owner;
	e->oldstate = old;
	e->dir = s->dir;
	e->flags = s->flags;
	e->err = BPF_CORE_READ(sk, sk_err);
	e->start_ns = s->start_ns;
	e->lat_ns = s->lat_ns;
	e->dt_ns = dt;
	e->tx_bytes = payload_acked(sk, s->flags);
	e->rx_bytes = payload_received(sk);
	e->app_tx = s->app_tx;
	e->app_rx = s->app_rx;
	e->retrans = BPF_CORE_READ(tp, total_retrans);
	e->srtt_us = BPF_CORE_READ(tp, srtt_us) >> 3;
	bpf_map_delete_elem(&socks, &key);
	submit(e);
}

/* A listener has no session; its transitions only go to the state log. */
static __always_inline void listener_state(const struct sock *sk, int old, int new)
{
	struct ts_sock s = {};

	if (!read_conn(&sk->__sk_common, &s.conn))
		return;
	current_owner(&s.owner); /* listen() and close() of a listener run in process context */
	s.flags = TS_F_OWNER_KNOWN;
	emit_state(&s, old, new, 0);
}

/*
 * One transition of a tracked socket. s is the map's entry, or a copy on the
 * stack when the map had no room; a separate subprogram so the verifier sees
 * which one at each call.
 */
static __noinline int transition(const struct sock *sk, struct ts_sock *s, int old, int new,
				 __u64 now)
{
	__u64 dt;
	struct ts_conn c = {};

	if (!s)
		return 0;
	/*
	 * Both ends are fixed once the local port is known: read them until then.
	 * The local port is given after SYN_SENT and taken back (inet_num) before
	 * CLOSE; a connect refused in SYN_SENT never showed it, but inet_sport
	 * still holds it then.
	 */
	if (!s->conn.family || !s->conn.lport) {
		if (!read_conn(&sk->__sk_common, &c))
			return 0;
		if (!c.lport)
			c.lport = s->conn.lport;
		if (!c.lport)
			c.lport =
			    bpf_ntohs(BPF_CORE_READ((const struct inet_sock *)sk, inet_sport));
		s->conn = c;
	}
	owner_from_hint(s);
	dt = s->state_ns ? now - s->state_ns : 0;
	s->state_ns = now;
	if (new == TS_ESTABLISHED && (old == TS_SYN_SENT || old == TS_SYN_RECV)) {
		if (s->syn_ns)
			s->lat_ns = now - s->syn_ns;
		s->flags |= TS_F_ESTABLISHED;
		if (old == TS_SYN_SENT)
			s->flags |= TS_F_SYN_COUNTED; /* the SYN-ACK acked our SYN */
	}
	if (new == TS_FIN_WAIT1 || new == TS_LAST_ACK)
		s->flags |= TS_F_FIN_SENT;
	if (new != TS_CLOSE) {
		emit_state(s, old, new, dt);
		return 0;
	}
	if (!(s->flags & (TS_F_ESTABLISHED | TS_F_PREEXISTING | TS_F_START_UNKNOWN)))
		s->flags |= TS_F_FAILED;
	close_session(sk, s, old, dt);
	return 0;
}

static __always_inline int on_state(const struct sock *sk, int old, int new)
{
	__u64 key = (__u64)sk, now;
	struct ts_sock *s, fresh = {};

	if (BPF_CORE_READ_BITFIELD_PROBED(sk, sk_protocol) != IPPROTO_TCP)
		return 0;
	if (new == TS_LISTEN || (old == TS_LISTEN && new == TS_CLOSE)) {
		listener_state(sk, old, new);
		return 0;
	}
	now = bpf_ktime_get_ns();
	s = bpf_map_lookup_elem(&socks, &key);
	if (s)
		return transition(sk, s, old, new, now);
	fresh.sid = new_sid();
	fresh.start_ns = now;
	if (new == TS_SYN_SENT) {
		fresh.dir = TS_DIR_CONNECT;
		fresh.syn_ns = now;
		current_owner(&fresh.owner);
		fresh.flags = TS_F_OWNER_KNOWN;
	} else if (new == TS_SYN_RECV) {
		fresh.dir = TS_DIR_ACCEPT;
		fresh.syn_ns = now;
	} else {
		/* missed its opening: the socket map was full then */
		fresh.start_ns = 0;
		fresh.flags = TS_F_START_UNKNOWN;
	}
	if (new == TS_CLOSE)
		return transition(sk, &fresh, old, new, now);
	if (bpf_map_update_elem(&socks, &key, &fresh, BPF_NOEXIST)) {
		count_lost(TS_LOST_SOCKMAP);
		return transition(sk, &fresh, old, new, now);
	}
	return transition(sk, bpf_map_lookup_elem(&socks, &key), old, new, now);
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(state_btf, const struct sock *sk, const int old, const int new)
{
	return on_state(sk, old, new);
}

SEC("raw_tp/inet_sock_set_state")
int BPF_PROG(state_raw, const struct sock *sk, const int old, const int new)
{
	return on_state(sk, old, new);
}

SEC("tracepoint/sock/inet_sock_set_state")
int state_tp(struct trace_event_raw_inet_sock_set_state *ctx)
{
	return on_state(ctx->skaddr, ctx->oldstate, ctx->newstate);
}
