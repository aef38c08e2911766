// SPDX-License-Identifier: GPL-2.0
/*
 * Congestion states: a connection entering CWR, Recovery or Loss, and
 * leaving them (to Open, or to Disorder). Open <-> Disorder alone is the
 * ordinary reordering of a busy connection and is not reported.
 *
 * Kernels with tcp_cong_state_set (5.19) report each change as it is made.
 * Older ones (5.10) get it from the functions that make the changes:
 * tcp_fastretrans_alert (every ACK while not Open: recovery, undo, back to
 * Open), tcp_enter_loss (the retransmit timer) and tcp_enter_cwr (ECN,
 * local congestion); the state is compared, on their return, with the one
 * last seen, which the socket table keeps (so untracked sockets are missed).
 */
#include "sockev.bpf.h"

static __always_inline bool notable(int ca)
{
	return ca == TS_CA_CWR || ca == TS_CA_RECOVERY || ca == TS_CA_LOSS;
}

static __always_inline int ca_state_of(const struct sock *sk)
{
	const struct inet_connection_sock *icsk = (const void *)sk;

	return BPF_CORE_READ_BITFIELD_PROBED(icsk, icsk_ca_state);
}

static __always_inline int on_change(const struct sock *sk, int old, int new)
{
	struct ts_ev_sockev *e;
	struct ts_sock *s;
	__u64 key = (__u64)sk;

	s = sock_get(&key);
	if (s)
		s->rtt.ca_state = new;
	if (old == new || (!notable(old) && !notable(new)) || new >= TS_CA_MAX)
		return 0;
	e = sockev_new(sk, s, TS_SE_CONG);
	if (!e)
		return 0;
	e->ca_old = old;
	e->ca_new = new;
	submit(e);
	return 0;
}

/* The tracepoint runs before the change (TCP's own): the socket still holds the old state. */
static __always_inline int on_set(const struct sock *sk, int new)
{
	return on_change(sk, ca_state_of(sk), new);
}

SEC("tp_btf/tcp_cong_state_set")
int BPF_PROG(cong_btf, struct sock *sk, const __u8 ca_state)
{
	return on_set(sk, ca_state);
}

SEC("raw_tp/tcp_cong_state_set")
int BPF_PROG(cong_raw, struct sock *sk, const __u8 ca_state)
{
	return on_set(sk, ca_state);
}

SEC("tracepoint/tcp/tcp_cong_state_set")
int cong_tp(struct trace_event_raw_tcp_cong_state_set *ctx)
{
	return on_set(ctx->skaddr, ctx->cong_state);
}

/* After a function that may change it: the state now, against the last seen. */
static __always_inline int after(const struct sock *sk)
{
	__u64 key = (__u64)sk;
	struct ts_sock *s = sock_get(&key);
	int now;

	if (!s)
		return 0;
	now = ca_state_of(sk);
	if (now == s->rtt.ca_state)
		return 0;
	return on_change(sk, s->rtt.ca_state, now);
}

SEC("fexit/tcp_fastretrans_alert")
int BPF_PROG(cong_alert_fexit, struct sock *sk)
{
	return after(sk);
}

SEC("fexit/tcp_enter_loss")
int BPF_PROG(cong_loss_fexit, struct sock *sk)
{
	return after(sk);
}

SEC("fexit/tcp_enter_cwr")
int BPF_PROG(cong_cwr_fexit, struct sock *sk)
{
	return after(sk);
}

/*
 * kprobes: the socket waits at entry for the return, per thread. Calls
 * nest (the alert may enter CWR), always with the same socket: an entry
 * is overwritten, not removed, and an LRU map forgets threads that went.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, __u64);
} cong_calls SEC(".maps");

static __always_inline int enter(const struct sock *sk)
{
	__u64 id = bpf_get_current_pid_tgid(), v = (__u64)sk;

	bpf_map_update_elem(&cong_calls, &id, &v, BPF_ANY);
	return 0;
}

static __always_inline int leave(void)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u64 *sk = bpf_map_lookup_elem(&cong_calls, &id);

	return sk ? after((const struct sock *)*sk) : 0;
}

SEC("kprobe/tcp_fastretrans_alert")
int BPF_KPROBE(cong_alert_kprobe, struct sock *sk)
{
	return enter(sk);
}

SEC("kretprobe/tcp_fastretrans_alert")
int BPF_KRETPROBE(cong_alert_kretprobe)
{
	return leave();
}

SEC("kprobe/tcp_enter_loss")
int BPF_KPROBE(cong_loss_kprobe, struct sock *sk)
{
	return enter(sk);
}

SEC("kretprobe/tcp_enter_loss")
int BPF_KRETPROBE(cong_loss_kretprobe)
{
	return leave();
}

SEC("kprobe/tcp_enter_cwr")
int BPF_KPROBE(cong_cwr_kprobe, struct sock *sk)
{
	return enter(sk);
}

SEC("kretprobe/tcp_enter_cwr")
int BPF_KRETPROBE(cong_cwr_kretprobe)
{
	return leave();
}
