// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_probe: every segment an established connection receives. Its srtt
 * goes into RTT histograms (tcprtt: every connection, by remote and by
 * local address) kept in the kernel, and into the connection's own RTT
 * summary and windows in the socket table; a window that closes to zero is
 * a full receive queue (ours, or the peer's), reported once until it opens.
 */
#include "sockev.bpf.h"

/* Bit per enum ts_rtt_scope: the histograms kept (each costs a map update a segment). */
const volatile __u8 cfg_rtt_scopes = 1 << TS_RTT_ALL;
/* 1: microseconds; 1000: milliseconds (tcprtt -m: the log2 slots are of milliseconds) */
const volatile __u32 cfg_rtt_div = 1;

/*
 * Two generations of histograms: the programs add to the one rtt_gen names,
 * user space flips it each interval and then reads and empties the other,
 * so no sample falls between a read and a delete.
 */
__u32 rtt_gen = 0;

struct rtt_map {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct ts_rtt_key);
	__type(value, struct ts_rtt_hist);
};
struct rtt_map rtt_hist0 SEC(".maps"), rtt_hist1 SEC(".maps");

/*
 * Every connection's histogram is added to by every CPU at once: one per
 * CPU (per generation), summed by user space, saves the cache line moving
 * between CPUs at each segment (a third of this program's time on a bulk
 * transfer, measured).
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct ts_rtt_hist);
} rtt_all SEC(".maps");

static const struct ts_rtt_hist rtt_empty;

static __always_inline __u32 log2_u32(__u32 v)
{
	__u32 r, shift;

	r = (v > 0xffff) << 4;
	v >>= r;
	shift = (v > 0xff) << 3;
	v >>= shift;
	r |= shift;
	shift = (v > 0xf) << 2;
	v >>= shift;
	r |= shift;
	shift = (v > 0x3) << 1;
	v >>= shift;
	r |= shift;
	return r | (v >> 1);
}

/* The bucket of v: v itself under 4, then a quarter of its power of 2 (events.h). */
static __always_inline __u32 rtt_bucket(__u32 v)
{
	__u32 e;

	if (v < 4)
		return v;
	e = log2_u32(v);
	if (e > 27)
		return TS_RTT_BUCKETS - 1;
	return (e - 1) * 4 + ((v >> (e - 2)) & 3);
}

static __always_inline struct ts_rtt_hist *hist_of(void *map, const struct ts_rtt_key *k)
{
	struct ts_rtt_hist *h = bpf_map_lookup_elem(map, k);
	long err;

	if (h)
		return h;
	err = bpf_map_update_elem(map, k, (void *)&rtt_empty, BPF_NOEXIST);
	if (err && err != -EEXIST) {
		count_lost(TS_LOST_RTTMAP);
		return 0;
	}
	return bpf_map_lookup_elem(map, k);
}

static __always_inline void hist_count(struct ts_rtt_hist *h, __u32 v, __u32 b, bool atomic)
{
	barrier_var(b); /* bound the register that indexes */
	if (b >= TS_RTT_BUCKETS)
		return;
	if (atomic) {
		__sync_fetch_and_add(&h->samples, 1);
		__sync_fetch_and_add(&h->sum, v);
		__sync_fetch_and_add(&h->buckets[b], 1);
	} else {
		h->samples++;
		h->sum += v;
		h->buckets[b]++;
	}
	if (v > h->max)
		h->max = v; /* racy between CPUs: a maximum may be a sample short, never wrong */
}

static __always_inline void hist_add(const struct ts_rtt_key *k, __u32 v, __u32 b)
{
	struct ts_rtt_hist *h;

	if (rtt_gen & 1)
		h = hist_of(&rtt_hist1, k);
	else
		h = hist_of(&rtt_hist0, k);
	if (h)
		hist_count(h, v, b, true);
}

static __always_inline void histograms(const struct ts_conn *c, __u32 srtt_us)
{
	struct ts_rtt_key k = {};
	__u32 v = srtt_us / cfg_rtt_div, b = rtt_bucket(v), gen = rtt_gen & 1;
	struct ts_rtt_hist *h;

	if (cfg_rtt_scopes & (1 << TS_RTT_ALL)) {
		h = bpf_map_lookup_elem(&rtt_all, &gen);
		if (h)
			hist_count(h, v, b, false); /* this CPU's alone */
	}
	k.family = c->family;
	if (cfg_rtt_scopes & (1 << TS_RTT_RADDR)) {
		k.scope = TS_RTT_RADDR;
		__builtin_memcpy(k.addr, c->raddr, 16);
		hist_add(&k, v, b);
	}
	if (cfg_rtt_scopes & (1 << TS_RTT_LADDR)) {
		k.scope = TS_RTT_LADDR;
		__builtin_memcpy(k.addr, c->laddr, 16);
		hist_add(&k, v, b);
	}
}

/* What tcp_probe reports of a connection, however the hook read it. */
struct probe_sample {
	__u32 srtt_us;
	__u32 snd_cwnd, ssthresh, snd_wnd, rcv_wnd;
};

static __always_inline void sample_core(const struct sock *sk, struct probe_sample *p)
{
	const struct tcp_sock *tp = (const struct tcp_sock *)sk;

	p->srtt_us = BPF_CORE_READ(tp, srtt_us) >> 3;
	p->snd_cwnd = BPF_CORE_READ(tp, snd_cwnd);
	p->ssthresh = BPF_CORE_READ(tp, snd_ssthresh);
	p->snd_wnd = BPF_CORE_READ(tp, snd_wnd);
	p->rcv_wnd = BPF_CORE_READ(tp, rcv_wnd);
}

/* The same with plain loads, through a BTF tracepoint's trusted pointer. */
static __always_inline void sample_btf(const struct sock *sk, struct probe_sample *p)
{
	const struct tcp_sock *tp = bpf_skc_to_tcp_sock((void *)sk);

	if (!tp) {
		sample_core(sk, p);
		return;
	}
	p->srtt_us = tp->srtt_us >> 3;
	p->snd_cwnd = tp->snd_cwnd;
	p->ssthresh = tp->snd_ssthresh;
	p->snd_wnd = tp->snd_wnd;
	p->rcv_wnd = tp->rcv_wnd;
}

/* A window that closes is reported once; it is reported again after it opened. */
static __always_inline void window_edge(const struct sock *sk, struct ts_sock *s, __u8 bit,
					bool zero, __u8 type)
{
	struct ts_ev_sockev *e;

	if (!zero) {
		s->rtt.win_zero &= ~bit;
		return;
	}
	if (s->rtt.win_zero & bit)
		return;
	s->rtt.win_zero |= bit;
	e = sockev_new(sk, s, type);
	if (!e)
		return;
	if (type == TS_SE_RCVQ_FULL) {
		e->value = BPF_CORE_READ(sk, sk_backlog.rmem_alloc.counter);
		e->value2 = BPF_CORE_READ(sk, sk_rcvbuf);
	}
	submit(e);
}

/*
 * The connection's own summary. tcp_probe runs under the socket's lock, so
 * one CPU at a time updates it: no atomics needed.
 */
static __always_inline void summarize(const struct sock *sk, struct ts_sock *s,
				      const struct probe_sample *p)
{
	struct ts_rtt *r = &s->rtt;

	if (p->srtt_us) {
		if (!r->samples || p->srtt_us < r->min_us)
			r->min_us = p->srtt_us;
		if (p->srtt_us > r->max_us)
			r->max_us = p->srtt_us;
		r->sum_us += p->srtt_us;
		r->samples++;
		r->last_us = p->srtt_us;
	}
	r->snd_cwnd = p->snd_cwnd;
	r->ssthresh = p->ssthresh;
	r->snd_wnd = p->snd_wnd;
	r->rcv_wnd = p->rcv_wnd;
	window_edge(sk, s, TS_WZ_OURS, !p->rcv_wnd, TS_SE_RCVQ_FULL);
	window_edge(sk, s, TS_WZ_PEER, !p->snd_wnd, TS_SE_PEER_FULL);
}

static __always_inline int on_probe(const struct sock *sk, int btf)
{
	struct probe_sample p;
	struct ts_conn c = {};
	struct ts_sock *s;
	__u64 key = (__u64)sk;

	s = sock_get(&key);
	if (s && s->conn.family && s->conn.lport && s->conn.rport)
		c = s->conn;
	else if (!(btf ? read_conn_btf(&sk->__sk_common, &c) : read_conn(&sk->__sk_common, &c)))
		return 0;
	/* the namespace matters only to --exclude-self, and an untracked socket's is unread */
	if (!conn_wanted(&c) || (cfg_pid && (!s || !owner_wanted(&s->owner))))
		return 0;
	if (btf)
		sample_btf(sk, &p);
	else
		sample_core(sk, &p);
	if (s)
		summarize(sk, s, &p);
	if (p.srtt_us)
		histograms(&c, p.srtt_us);
	return 0;
}

SEC("tp_btf/tcp_probe")
int BPF_PROG(probe_btf, struct sock *sk, struct sk_buff *skb)
{
	return on_probe(sk, 1);
}

SEC("raw_tp/tcp_probe")
int BPF_PROG(probe_raw, struct sock *sk, struct sk_buff *skb)
{
	return on_probe(sk, 0);
}

/* Kernels before 6.10 leave the socket out of the record: its fields alone feed the histograms. */
struct trace_event_raw_tcp_probe___sk {
	const void *skaddr;
} __attribute__((preserve_access_index));

static __always_inline void ends_of(const __u8 *sa, const __u8 *da, struct ts_conn *c)
{
	const struct sockaddr_in *s4 = (const void *)sa, *d4 = (const void *)da;
	const struct sockaddr_in6 *s6 = (const void *)sa, *d6 = (const void *)da;

	if (s4->sin_family == AF_INET) {
		c->family = 4;
		__builtin_memcpy(c->laddr, &s4->sin_addr, 4);
		__builtin_memcpy(c->raddr, &d4->sin_addr, 4);
	} else if (s4->sin_family == AF_INET6) {
		c->family = 6;
		__builtin_memcpy(c->laddr, &s6->sin6_addr, 16);
		__builtin_memcpy(c->raddr, &d6->sin6_addr, 16);
		unmap_v4(c);
	}
}

SEC("tracepoint/tcp/tcp_probe")
int probe_tp(struct trace_event_raw_tcp_probe *ctx)
{
	struct trace_event_raw_tcp_probe___sk *withsk = (void *)ctx;
	struct ts_conn c = {};
	__u8 sa[sizeof(ctx->saddr)], da[sizeof(ctx->daddr)];

	if (bpf_core_field_exists(withsk->skaddr))
		return on_probe(BPF_CORE_READ(withsk, skaddr), 0);
	/*
	 * Copied out first: the verifier refuses a load through a pointer into
	 * the record (5.10 and 6.1 rejected the program, and the rtt job with it).
	 */
	if (bpf_core_read(sa, sizeof(sa), &ctx->saddr) ||
	    bpf_core_read(da, sizeof(da), &ctx->daddr))
		return 0;
	ends_of(sa, da, &c);
	c.lport = ctx->sport;
	c.rport = ctx->dport;
	/* (the record's srtt is in microseconds already: the kernel shifted it) */
	if (!c.family || !conn_wanted(&c) || cfg_pid || !ctx->srtt)
		return 0;
	histograms(&c, ctx->srtt);
	return 0;
}

/*
 * One open connection's srtt and windows as they are now, for its page: user
 * space runs this each interval (BPF_PROG_TEST_RUN, no hook) with the
 * socket's address. tcp_probe reads a segment's socket before the kernel
 * processes it, so its last srtt and cwnd miss that segment's ACK: on a
 * connection gone idle they would stay one ACK behind (and differ from what
 * ss -ti prints) for good. Only the latest values change, not the samples.
 */
SEC("raw_tp")
int BPF_PROG(sock_now, __u64 key)
{
	struct ts_sock *s = sock_get(&key);
	struct probe_sample p;
	struct ts_rtt *r;

	if (!s)
		return 0; /* closed meanwhile: its entry went before the socket */
	sample_core((const struct sock *)key, &p);
	r = &s->rtt;
	if (p.srtt_us)
		r->last_us = p.srtt_us;
	r->snd_cwnd = p.snd_cwnd;
	r->ssthresh = p.ssthresh;
	r->snd_wnd = p.snd_wnd;
	r->rcv_wnd = p.rcv_wnd;
	return 0;
}
