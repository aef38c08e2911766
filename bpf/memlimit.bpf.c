// SPDX-License-Identifier: GPL-2.0
/*
 * Socket memory refused: TCP's memory (tcp_mem, or the cgroup's) is over
 * its limit, and a socket that wanted more to send or to queue what it
 * received did not get it (sock_exceed_buf_limit).
 *
 * Its sibling sock_rcvqueue_full is not hooked: it reports a full receive
 * queue of sock_queue_rcv_skb, the datagram path, which TCP never takes.
 * TCP's full receive queue is a zero window, which tcp_probe reports
 * (bpf/probe.bpf.c).
 */
#include "sockev.bpf.h"

#define SK_MEM_RECV 1

static __always_inline int on_limit(const struct sock *sk, long allocated, int kind)
{
	struct ts_ev_sockev *e;
	struct ts_sock *s;
	__u64 key = (__u64)sk;

	if (!is_tcp(sk))
		return 0;
	s = sock_get(&key);
	e = sockev_new(sk, s, TS_SE_MEM_LIMIT);
	if (!e)
		return 0;
	e->value = allocated;
	e->value2 = kind == SK_MEM_RECV;
	submit(e);
	return 0;
}

SEC("tp_btf/sock_exceed_buf_limit")
int BPF_PROG(memlimit_btf, struct sock *sk, struct proto *prot, long allocated, int kind)
{
	return on_limit(sk, allocated, kind);
}

SEC("raw_tp/sock_exceed_buf_limit")
int BPF_PROG(memlimit_raw, struct sock *sk, struct proto *prot, long allocated, int kind)
{
	return on_limit(sk, allocated, kind);
}
