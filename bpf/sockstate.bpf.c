// SPDX-License-Identifier: GPL-2.0
/*
 * Lifespans and the state log, from inet_sock_set_state. One handler serves
 * the three hook flavours; user space autoloads the one the kernel has.
 *
 * The transition into SYN_SENT runs inside connect(), so the current task owns
 * the socket. Every other transition may run in softirq context on behalf of
 * whichever task the CPU interrupted, so owners are never taken from them.
 */
#include "listen.bpf.h"

/*
 * A socket's transitions wait in its map entry (struct ts_sock.trans) rather
 * than going out one record each: user space reads them with the map every
 * interval, and the close record brings the rest. A full list goes out as
 * one record. This is most of what keeps the cost per connection low.
 */
static __always_inline void send_transitions(struct ts_sock *s)
{
	__u32 n = s->ntrans - s->first_trans;
	struct ts_ev_trans *e;

	if (!n || n > TS_TRANS)
		return;
	if (conn_wanted(&s->conn) && owner_wanted(&s->owner) &&
	    (e = reserve(sizeof(*e), TS_K_TRANS))) {
		e->sid = s->sid;
		e->conn = s->conn;
		e->owner = s->owner;
		e->dir = s->dir;
		e->flags = s->flags;
		e->n = n;
		e->first = s->first_trans;
		__builtin_memcpy(e->trans, s->trans, sizeof(e->trans));
		submit(e);
	}
	s->first_trans = s->ntrans;
}

static __always_inline void keep_transition(struct ts_sock *s, int old, int new, __u64 now,
					    __u64 dt)
{
	__u32 i;

	if (!cfg_all_states)
		return;
	if (s->ntrans - s->first_trans >= TS_TRANS)
		send_transitions(s);
	i = s->ntrans - s->first_trans;
	barrier_var(i); /* bound the register that indexes, not a copy of it */
	if (i >= TS_TRANS)
		return;
	s->trans[i].ts_ns = now;
	s->trans[i].dt_ns = dt;
	s->trans[i].oldstate = old;
	s->trans[i].newstate = new;
	s->ntrans++;
}

/* What the close record takes from struct tcp_sock. */
struct tcp_counts {
	__u64 acked, received;
	__u32 snd_una, write_seq;
	__u32 retrans, srtt_us;
	__u64 sk_flags;
	int sk_err;
};

static __always_inline void counts_core(const struct sock *sk, struct tcp_counts *t)
{
	const struct tcp_sock *tp = (const struct tcp_sock *)sk;

	t->acked = BPF_CORE_READ(tp, bytes_acked);
	t->received = BPF_CORE_READ(tp, bytes_received);
	t->snd_una = BPF_CORE_READ(tp, snd_una);
	t->write_seq = BPF_CORE_READ(tp, write_seq);
	t->retrans = BPF_CORE_READ(tp, total_retrans);
	t->srtt_us = BPF_CORE_READ(tp, srtt_us) >> 3;
	t->sk_flags = BPF_CORE_READ(sk, __sk_common.skc_flags);
	t->sk_err = BPF_CORE_READ(sk, sk_err);
}

/* The same with plain loads, through a BTF tracepoint's trusted pointer. */
static __always_inline void counts_btf(const struct sock *sk, struct tcp_counts *t)
{
	const struct tcp_sock *tp = bpf_skc_to_tcp_sock((void *)sk);

	if (!tp) {
		counts_core(sk, t);
		return;
	}
	t->acked = tp->bytes_acked;
	t->received = tp->bytes_received;
	t->snd_una = tp->snd_una;
	t->write_seq = tp->write_seq;
	t->retrans = tp->total_retrans;
	t->srtt_us = tp->srtt_us >> 3;
	t->sk_flags = sk->__sk_common.skc_flags;
	t->sk_err = sk->sk_err;
}

/*
 * bytes_acked and bytes_received count sequence space, which holds one
 * number for the active opener's SYN and one for each FIN; take those out
 * so TX and RX are the payload, exactly.
 */
static __always_inline __u64 payload_acked(const struct tcp_counts *t, __u8 flags)
{
	__u64 n = t->acked;

	if ((flags & TS_F_SYN_COUNTED) && n)
		n--;
	/* our FIN is acked when everything queued, FIN included, is */
	if ((flags & TS_F_FIN_SENT) && n && t->snd_una == t->write_seq)
		n--;
	return n;
}

static __always_inline __u64 payload_received(const struct tcp_counts *t)
{
	__u64 n = t->received;

	/* tcp_fin() marks SOCK_DONE when the peer's FIN is taken in order */
	if ((t->sk_flags & (1UL << bpf_core_enum_value(enum sock_flags, SOCK_DONE))) && n)
		n--;
	return n;
}

static __always_inline void remember_closed(__u64 key, const struct ts_sock *s, int old)
{
	__u32 zero = 0;
	struct ts_last_closed *l = bpf_map_lookup_elem(&last_closed, &zero);
	struct ts_closed *c;
	__u32 i;

	if (!l)
		return;
	i = l->next++ % TS_LAST_CLOSED;
	barrier_var(i); /* bound the register that indexes */
	if (i >= TS_LAST_CLOSED)
		return;
	c = &l->socks[i];
	c->key = key;
	c->sid = s->sid;
	c->state = old;
	c->conn = s->conn;
	c->owner = s->owner;
}

/*
 * The session's summary, with the transitions not sent yet, and its socket
 * leaves the map. The map entry goes before the record is published: user
 * space, reading the map, must never see a socket whose close it has
 * already taken in.
 */
static __always_inline void close_session(const struct sock *sk, const struct ts_sock *s, int old,
					  __u64 dt, int btf)
{
	__u64 key = (__u64)sk;
	struct tcp_counts t;
	struct ts_ev_close_trans *ct;
	struct ts_ev_close *e;
	__u32 n = s->ntrans - s->first_trans;

	if (!conn_wanted(&s->conn) || !owner_wanted(&s->owner)) {
		sock_del(&key);
		return;
	}
	ct = reserve(sizeof(*ct), TS_K_CLOSE_TRANS);
	if (!ct) {
		sock_del(&key);
		return;
	}
	if (btf)
		counts_btf(sk, &t);
	else
		counts_core(sk, &t);
	e = &ct->close;
	e->sid = s->sid;
	e->conn = s->conn;
	e->owner = s->owner;
	e->oldstate = old;
	e->dir = s->dir;
	e->flags = s->flags;
	e->err = t.sk_err;
	e->start_ns = s->start_ns;
	e->lat_ns = s->lat_ns;
	e->dt_ns = dt;
	e->tx_bytes = payload_acked(&t, s->flags);
	e->rx_bytes = payload_received(&t);
	e->app_tx = s->app_tx;
	e->app_rx = s->app_rx;
	e->retrans = t.retrans;
	e->srtt_us = t.srtt_us;
	e->rtt = s->rtt;
	e->cgroup_id = s->cgroup;
	ct->first = s->first_trans;
	ct->n = n <= TS_TRANS ? n : 0;
	__builtin_memcpy(ct->trans, s->trans, sizeof(ct->trans));
	remember_closed(key, s, old);
	sock_del(&key);
	submit(ct);
}

/* A listener's queue and drops: the listener is a BTF tracepoint's trusted pointer, or not. */
static __always_inline void listener_counts(const struct sock *sk, int btf, __u32 *queued,
					    __u32 *backlog, __u32 *drops)
{
	if (btf) {
		*queued = sk->sk_ack_backlog;
		*backlog = sk->sk_max_ack_backlog;
		*drops = sk->sk_drops.counter;
	} else {
		*queued = BPF_CORE_READ(sk, sk_ack_backlog);
		*backlog = BPF_CORE_READ(sk, sk_max_ack_backlog);
		*drops = BPF_CORE_READ(sk, sk_drops.counter);
	}
}

/*
 * listen() and the close of a listener, in the owner's process context:
 * the listener tables follow it, and a record says it as it happens, with
 * the backlog listen() was given (as solisten does).
 */
static __always_inline void listener_event(const struct sock *sk, const struct ts_conn *c,
					   const struct ts_owner *o, int old, int new, int btf)
{
	struct laddr_after after = {};
	struct ts_ev_listen *e;
	__u64 key = (__u64)sk, cgroup = current_cgroup();
	__u32 queued, backlog, drops;
	struct ts_lsock ls;

	listener_counts(sk, btf, &queued, &backlog, &drops);
	if (new == TS_LISTEN) {
		lsock_init(&ls, c, o, cgroup, bpf_ktime_get_ns(), 0);
		listen_start(key, &ls, 0, &after);
	} else {
		listen_stop(key, queued, &after);
	}
	e = reserve(sizeof(*e), TS_K_LISTEN);
	if (!e)
		return;
	e->clones = after.clones;
	e->discarded = after.discarded;
	e->base_queue = after.base_queue;
	e->socks = after.socks;
	e->tracked = after.tracked;
	e->pad = 0;
	e->pad2 = 0;
	e->conn = *c;
	e->owner = *o;
	e->cgroup_id = cgroup;
	e->backlog = backlog;
	e->queue = queued;
	e->drops = drops;
	e->oldstate = old;
	e->newstate = new;
	submit(e);
}

/* A listener has no session: its transitions go to the state log and the listener tables. */
static __always_inline void listener_state(const struct sock *sk, int old, int new, int btf)
{
	struct ts_ev_state *e;
	struct ts_conn c = {};
	struct ts_owner o;

	if (!(cfg_all_states || cfg_listeners) || !read_conn(&sk->__sk_common, &c) ||
	    !conn_wanted(&c))
		return;
	current_owner(&o); /* listen() and close() of a listener run in process context */
	if (!owner_wanted(&o))
		return;
	if (cfg_listeners)
		listener_event(sk, &c, &o, old, new, btf);
	if (!cfg_all_states)
		return;
	e = reserve(sizeof(*e), TS_K_STATE);
	if (!e)
		return;
	e->sid = 0;
	e->conn = c;
	e->owner = o;
	e->oldstate = old;
	e->newstate = new;
	e->dir = 0;
	e->flags = TS_F_OWNER_KNOWN;
	e->dt_ns = 0;
	submit(e);
}

/*
 * One transition of a socket. s is its map entry, or a scratch copy when
 * the map had no room (untracked: its transitions go out at once); a
 * separate subprogram so the verifier sees which one at each call.
 */
#define UNTRACKED 1 /* transition(how): s is a scratch copy, not the map's entry */
#define BTF	  2 /* sk is a BTF tracepoint's trusted pointer: read it directly */

/*
 * Two CPUs can complete one handshake at once (its last ACK and the first
 * data taken in on two queues): each makes a child, and the one that finds
 * the other already in the established hash closes without ever being
 * hashed (a clone's hash node starts empty). It was never a session: the
 * peer and the owner see only the other child. Seen on 5.10 and 6.1 in
 * QEMU as a second, failed row for an accepted session.
 */
static __always_inline bool lost_handshake_race(const struct sock *sk, const struct ts_sock *s,
						int old)
{
	if (old != TS_SYN_RECV || s->dir != TS_DIR_ACCEPT || (s->flags & TS_F_ESTABLISHED))
		return false;
	return !BPF_CORE_READ(sk, __sk_common.skc_nulls_node.pprev);
}

static __noinline int transition(const struct sock *sk, struct ts_sock *s, int change, __u64 now,
				 int how)
{
	/* old and new state in one argument: a BPF function takes five */
	int old = change >> 4, new = change & 15;
	__u64 dt;
	struct ts_conn c = {};

	if (!s)
		return 0;
	/*
	 * Both ends are fixed once both ports are known: read them until then.
	 * The local port is given after SYN_SENT and taken back (inet_num) before
	 * CLOSE; a connect refused in SYN_SENT never showed it, but inet_sport
	 * still holds it then. On some kernels (Debian's 6.1 and 6.12) an
	 * accepted socket enters SYN_RECV as a copy of its listener, before the
	 * peer is filled in (0.0.0.0 port 0): its ends are read again later.
	 */
	if (!s->conn.family || !s->conn.lport || !s->conn.rport) {
		if (how & BTF) {
			if (!read_conn_btf(&sk->__sk_common, &c))
				return 0;
			c.netns = s->conn.netns; /* read with the socket's first transition */
		} else if (!read_conn(&sk->__sk_common, &c)) {
			return 0;
		}
		if (!c.lport)
			c.lport = s->conn.lport;
		if (!c.lport)
			c.lport =
			    bpf_ntohs(BPF_CORE_READ((const struct inet_sock *)sk, inet_sport));
		s->conn = c;
	}
	/* a handshake completed: the child, a copy of its listener, holds its queue length */
	if (cfg_listeners && old == TS_LISTEN && new == TS_SYN_RECV)
		listen_child(&s->conn,
			     how & BTF ? sk->sk_ack_backlog : BPF_CORE_READ(sk, sk_ack_backlog));
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
	if (new == TS_FIN_WAIT1 || new == TS_LAST_ACK) {
		s->flags |= TS_F_FIN_SENT;
		/*
		 * close() and shutdown() send the FIN, in the owner's own context:
		 * an accepted socket that never moved a byte learns its owner here
		 */
		claim_owner(s);
	}
	if (new != TS_CLOSE) {
		keep_transition(s, old, new, now, dt);
		if (how & UNTRACKED) {
			/*
			 * Nothing finds this socket again, and each transition would
			 * get a new session: they go to the state log alone, as a
			 * listener's do. Its close still makes a session (start unknown).
			 */
			s->sid = 0;
			send_transitions(s);
		}
		return 0;
	}
	if (lost_handshake_race(sk, s, old)) {
		__u64 key = (__u64)sk;

		sock_del(&key);
		return 0;
	}
	if (!(s->flags & (TS_F_ESTABLISHED | TS_F_PREEXISTING | TS_F_START_UNKNOWN)))
		s->flags |= TS_F_FAILED;
	close_session(sk, s, old, dt, how & BTF);
	return 0;
}

/* protocol: the socket's, read by the caller (directly, where the hook allows it) */
static __always_inline int on_state(const struct sock *sk, int protocol, int old, int new, int btf)
{
	__u64 key = (__u64)sk, now;
	struct ts_sock *s, *fresh;
	__u32 zero = 0;
	int err;

	if (protocol != IPPROTO_TCP || old >= 16 || new >= 16)
		return 0;
	if (new == TS_LISTEN || (old == TS_LISTEN && new == TS_CLOSE)) {
		listener_state(sk, old, new, btf);
		return 0;
	}
	now = bpf_ktime_get_ns();
	s = sock_get(&key);
	if (s)
		return transition(sk, s, old << 4 | new, now, btf);
	/* a new socket is built in per-CPU scratch: too big for the stack */
	fresh = bpf_map_lookup_elem(&scratch, &zero);
	if (!fresh)
		return 0;
	__builtin_memset(fresh, 0, sizeof(*fresh));
	/*
	 * The namespace never changes, and is read here, once a socket: the
	 * verifier checks each pointer loaded through a trusted pointer with
	 * name searches of the kernel's whole BTF, each time it walks the load.
	 * In transition() it walked it so often that this one pointer made 50
	 * of the program's 67 ms of verification at every start.
	 */
	if (btf)
		fresh->conn.netns = sk->__sk_common.skc_net.net->ns.inum;
	fresh->sid = new_sid();
	fresh->start_ns = now;
	if (new == TS_SYN_SENT) {
		fresh->dir = TS_DIR_CONNECT;
		fresh->syn_ns = now;
		current_owner(&fresh->owner);
		fresh->cgroup = current_cgroup();
		fresh->flags = TS_F_OWNER_KNOWN;
	} else if (new == TS_SYN_RECV) {
		fresh->dir = TS_DIR_ACCEPT;
		fresh->syn_ns = now;
	} else {
		/* missed its opening: the socket map was full then */
		fresh->start_ns = 0;
		fresh->flags = TS_F_START_UNKNOWN;
	}
	if (new == TS_CLOSE)
		return transition(sk, fresh, old << 4 | new, now, btf | UNTRACKED);
	s = sock_add(&key, fresh, &err);
	if (!s && err == -EEXIST)
		s = sock_get(&key); /* another CPU added it meanwhile */
	if (!s) {
		/* once a socket: at its opening (its later transitions fail too) */
		if (new == TS_SYN_SENT || new == TS_SYN_RECV)
			count_lost(TS_LOST_SOCKMAP);
		return transition(sk, fresh, old << 4 | new, now, btf | UNTRACKED);
	}
	return transition(sk, s, old << 4 | new, now, btf);
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(state_btf, const struct sock *sk, const int old, const int new)
{
	return on_state(sk, sk->sk_protocol, old, new, BTF);
}

SEC("raw_tp/inet_sock_set_state")
int BPF_PROG(state_raw, const struct sock *sk, const int old, const int new)
{
	return on_state(sk, BPF_CORE_READ_BITFIELD_PROBED(sk, sk_protocol), old, new, 0);
}

SEC("tracepoint/sock/inet_sock_set_state")
int state_tp(struct trace_event_raw_inet_sock_set_state *ctx)
{
	return on_state(ctx->skaddr, ctx->protocol, ctx->oldstate, ctx->newstate, 0);
}
