// SPDX-License-Identifier: GPL-2.0
/*
 * Retransmitted segments and SYN-ACKs. These run in softirq or timer context,
 * so the owner comes from the socket map, never from the current task.
 */
#include "tcpscope.bpf.h"

/* Kernels since 6.12 pass the transmit result as a third argument. */
const volatile __u8 cfg_retrans_has_err = 0;

static __always_inline int on_retrans(const struct sock *sk, int err)
{
	const struct tcp_sock *tp = (const struct tcp_sock *)sk;
	__u64 key = (__u64)sk;
	struct ts_ev_retrans *e;
	struct ts_sock *s;
	struct ts_conn c = {};

	if (err)
		return 0; /* not sent: nothing went on the wire */
	if (!read_conn(&sk->__sk_common, &c) || !conn_wanted(&c))
		return 0;
	s = sock_get(&key);
	if (cfg_pid && (!s || !owner_wanted(&s->owner)))
		return 0;
	e = reserve(sizeof(*e), TS_K_RETRANS);
	if (!e)
		return 0;
	e->conn = c;
	session_of(s, &e->sid, &e->owner);
	e->state = BPF_CORE_READ(sk, __sk_common.skc_state);
	e->kind = e->state == TS_SYN_SENT ? TS_RT_SYN : TS_RT_DATA;
	e->err = 0;
	e->retrans = BPF_CORE_READ(tp, total_retrans);
	submit(e);
	return 0;
}

/* The listener owns the request; the addresses are the request's. */
static __always_inline int on_synack(const struct sock *listener, const struct request_sock *req)
{
	struct ts_ev_retrans *e;
	struct ts_conn c = {};

	if (!read_conn(&req->__req_common, &c) || !conn_wanted(&c) || cfg_pid)
		return 0;
	e = reserve(sizeof(*e), TS_K_RETRANS);
	if (!e)
		return 0;
	e->sid = 0;
	e->conn = c;
	__builtin_memset(&e->owner, 0, sizeof(e->owner));
	e->state = TS_SYN_RECV;
	e->kind = TS_RT_SYNACK;
	e->err = 0;
	e->retrans = BPF_CORE_READ(req, num_retrans);
	submit(e);
	return 0;
}

SEC("tp_btf/tcp_retransmit_skb")
int BPF_PROG(retrans_btf, const struct sock *sk, const struct sk_buff *skb)
{
	return on_retrans(sk, cfg_retrans_has_err ? (int)ctx[2] : 0);
}

SEC("raw_tp/tcp_retransmit_skb")
int BPF_PROG(retrans_raw, const struct sock *sk, const struct sk_buff *skb)
{
	return on_retrans(sk, cfg_retrans_has_err ? (int)ctx[2] : 0);
}

/* Kernels before the err argument shared the record of the tcp_event_sk_skb events. */
struct trace_event_raw_tcp_event_sk_skb___shared {
	struct trace_entry ent;
	const void *skbaddr;
	const void *skaddr;
} __attribute__((preserve_access_index));

SEC("tracepoint/tcp/tcp_retransmit_skb")
int retrans_tp(void *ctx)
{
	struct trace_event_raw_tcp_retransmit_skb *e = ctx;
	struct trace_event_raw_tcp_event_sk_skb___shared *old = ctx;
	int err = 0;

	if (!bpf_core_type_exists(struct trace_event_raw_tcp_retransmit_skb))
		return on_retrans(old->skaddr, 0);
	if (bpf_core_field_exists(e->err))
		err = e->err;
	return on_retrans(e->skaddr, err);
}

SEC("tp_btf/tcp_retransmit_synack")
int BPF_PROG(synack_btf, const struct sock *sk, const struct request_sock *req)
{
	return on_synack(sk, req);
}

SEC("raw_tp/tcp_retransmit_synack")
int BPF_PROG(synack_raw, const struct sock *sk, const struct request_sock *req)
{
	return on_synack(sk, req);
}

SEC("tracepoint/tcp/tcp_retransmit_synack")
int synack_tp(struct trace_event_raw_tcp_retransmit_synack *ctx)
{
	return on_synack(ctx->skaddr, ctx->req);
}
