// SPDX-License-Identifier: GPL-2.0
/*
 * The Listeners pane's sample: user space runs this program (BPF_PROG_TEST_RUN,
 * no hook) once per listening socket each interval, with the socket's
 * address as its argument. A socket is in listen_socks from its listen() to
 * its close (the state hook removes it first), so only listeners are read,
 * whatever else the host holds: the TCP iterator would walk every socket of
 * every namespace, TIME_WAIT ones included, each interval.
 */
#include "listen.bpf.h"

/* Take the address's longest queue since the last sample, leaving 0. */
static __always_inline __u32 take_qmax(struct ts_laddr *a)
{
#ifdef TS_NO_ATOMICS
	__u32 q = a->qmax;

	a->qmax = 0;
	return q;
#else
	return __sync_lock_test_and_set(&a->qmax, 0);
#endif
}

SEC("raw_tp")
int BPF_PROG(listen_sample, __u64 key)
{
	struct ts_lsock *ls = bpf_map_lookup_elem(&listen_socks, &key);
	const struct sock *sk = (const struct sock *)key;
	const struct inet_connection_sock *icsk = (const struct inet_connection_sock *)key;
	struct ts_laddr *a;

	if (!ls)
		return 0; /* closed meanwhile: its entry went before the socket */
	ls->queue = BPF_CORE_READ(sk, sk_ack_backlog);
	ls->backlog = BPF_CORE_READ(sk, sk_max_ack_backlog);
	ls->syn_queue = BPF_CORE_READ(icsk, icsk_accept_queue.qlen.counter);
	ls->drops = BPF_CORE_READ(sk, sk_drops.counter);
	ls->sampled_ns = bpf_ktime_get_ns();
	a = bpf_map_lookup_elem(&listen_addrs, &ls->key);
	ls->qmax = a ? take_qmax(a) : 0;
	return 0;
}
