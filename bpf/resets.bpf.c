// SPDX-License-Identifier: GPL-2.0
/*
 * Resets sent (RST>) and received (RST<). A reset may be sent for a packet
 * no socket wanted (a connect to a closed port): then the packet's ends are
 * the connection's, seen from this host.
 */
#include "packet.bpf.h"
#include "sockev.bpf.h"

/* Kernels since 6.10 pass the reason (enum sk_rst_reason) as a third argument. */
const volatile __u8 cfg_rst_has_reason = 0;

/* A full socket is in the table; a request or time-wait socket is a smaller struct. */
static __always_inline int full_socket(const struct sock *sk)
{
	int state = BPF_CORE_READ(sk, __sk_common.skc_state);

	return state != TS_TIME_WAIT && state != TS_NEW_SYN_RECV;
}

/* A reset answering skb, which no socket took: its ends, turned around. */
static __always_inline int reset_for_packet(const struct sk_buff *skb, __u32 reason)
{
	struct ts_ev_sockev *e;
	struct ts_conn c = {};
	__u8 flags;
	__u32 len;

	if (!skb || !read_packet(skb, &c, &flags, &len))
		return 0;
	orient(&c, 1);
	c.netns = packet_netns(skb);
	if (!conn_wanted(&c) || cfg_pid)
		return 0;
	e = reserve(sizeof(*e), TS_K_SOCKEV);
	if (!e)
		return 0;
	__builtin_memset((void *)e + sizeof(e->hdr), 0, sizeof(*e) - sizeof(e->hdr));
	e->conn = c;
	e->type = TS_SE_RST_SENT;
	e->err = reason;
	submit(e);
	return 0;
}

/* reason: the kernel's + 1, 0 when it gives none */
static __always_inline int on_reset(const struct sock *sk, const struct sk_buff *skb, __u8 type,
				    __u32 reason)
{
	struct ts_ev_sockev *e;
	struct ts_sock *s = 0;
	__u64 key = (__u64)sk;

	if (!sk)
		return type == TS_SE_RST_SENT ? reset_for_packet(skb, reason) : 0;
	if (full_socket(sk)) {
		if (!is_tcp(sk))
			return 0;
		s = sock_get(&key);
	}
	e = sockev_new(sk, s, type);
	if (!e)
		return 0;
	e->err = reason;
	submit(e);
	return 0;
}

SEC("tp_btf/tcp_send_reset")
int BPF_PROG(rst_sent_btf, const struct sock *sk, const struct sk_buff *skb)
{
	return on_reset(sk, skb, TS_SE_RST_SENT, cfg_rst_has_reason ? (__u32)ctx[2] + 1 : 0);
}

SEC("raw_tp/tcp_send_reset")
int BPF_PROG(rst_sent_raw, const struct sock *sk, const struct sk_buff *skb)
{
	return on_reset(sk, skb, TS_SE_RST_SENT, cfg_rst_has_reason ? (__u32)ctx[2] + 1 : 0);
}

SEC("tp_btf/tcp_receive_reset")
int BPF_PROG(rst_recv_btf, const struct sock *sk)
{
	return on_reset(sk, 0, TS_SE_RST_RECV, 0);
}

SEC("raw_tp/tcp_receive_reset")
int BPF_PROG(rst_recv_raw, const struct sock *sk)
{
	return on_reset(sk, 0, TS_SE_RST_RECV, 0);
}

/*
 * Kernels before the reason shared the record of the tcp_event_sk_skb events;
 * since 6.10 the event has its own, and the shared one may be gone. The
 * reason is an enum there (enum sk_rst_reason): CO-RE matches an int field
 * to no enum, so it would find no reason and take the shared record's
 * fields, which do not resolve. An anonymous enum matches any enum.
 */
struct trace_event_raw_tcp_send_reset___reason {
	const void *skbaddr;
	const void *skaddr;
	enum { TS_RST_REASON_ANY } reason;
} __attribute__((preserve_access_index));

struct trace_event_raw_tcp_event_sk_skb___shared {
	struct trace_entry ent;
	const void *skbaddr;
	const void *skaddr;
} __attribute__((preserve_access_index));

SEC("tracepoint/tcp/tcp_send_reset")
int rst_sent_tp(void *ctx)
{
	struct trace_event_raw_tcp_send_reset___reason *e = ctx;
	struct trace_event_raw_tcp_event_sk_skb___shared *old = ctx;

	if (!bpf_core_field_exists(e->reason))
		return on_reset(old->skaddr, old->skbaddr, TS_SE_RST_SENT, 0);
	return on_reset(e->skaddr, e->skbaddr, TS_SE_RST_SENT, (__u32)e->reason + 1);
}

SEC("tracepoint/tcp/tcp_receive_reset")
int rst_recv_tp(struct trace_event_raw_tcp_event_sk *ctx)
{
	return on_reset(ctx->skaddr, 0, TS_SE_RST_RECV, 0);
}
