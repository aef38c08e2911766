// SPDX-License-Identifier: GPL-2.0
/*
 * Throughput: bytes moved by each send and receive call, added up per socket
 * in the socket map; user space reads the sums once per interval, so there is
 * no record per call. These hooks run in the caller's context, so they also
 * name the owner of sockets whose owner is not known yet (accepted ones).
 */
#include "tcpscope.bpf.h"

static __always_inline int on_msg(const struct sock *sk, int ret, int flags, int tx)
{
	__u64 key = (__u64)sk;
	struct ts_sock *s;

	if (ret <= 0 || (!tx && (flags & MSG_PEEK)))
		return 0;
	s = sock_get(&key);
	if (!s) {
		struct ts_sock *fresh;
		__u32 zero = 0;
		int err;
		int state;

		if (!is_tcp(sk))
			return 0;
		state = BPF_CORE_READ(sk, __sk_common.skc_state);
		if (state == TS_LISTEN || state == TS_CLOSE)
			return 0;
		fresh = bpf_map_lookup_elem(&scratch, &zero);
		if (!fresh)
			return 0;
		__builtin_memset(fresh, 0, sizeof(*fresh));
		if (!read_conn(&sk->__sk_common, &fresh->conn))
			return 0;
		/* open before tracing (in another netns) or missed while the map was full */
		fresh->sid = new_sid();
		fresh->flags = TS_F_START_UNKNOWN;
		s = sock_add(&key, fresh, &err);
		if (!s)
			return 0; /* counted at its opening, or by the iterator, if it is lost */
	}
	claim_owner(s);
	if (tx)
		__sync_fetch_and_add(&s->app_tx, ret);
	else
		__sync_fetch_and_add(&s->app_rx, ret);
	return 0;
}

SEC("tp_btf/sock_send_length")
int BPF_PROG(send_btf, struct sock *sk, int ret, int flags)
{
	return on_msg(sk, ret, flags, 1);
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(recv_btf, struct sock *sk, int ret, int flags)
{
	return on_msg(sk, ret, flags, 0);
}

SEC("raw_tp/sock_send_length")
int BPF_PROG(send_raw, struct sock *sk, int ret, int flags)
{
	return on_msg(sk, ret, flags, 1);
}

SEC("raw_tp/sock_recv_length")
int BPF_PROG(recv_raw, struct sock *sk, int ret, int flags)
{
	return on_msg(sk, ret, flags, 0);
}

SEC("tracepoint/sock/sock_send_length")
int send_tp(struct trace_event_raw_sock_msg_length *ctx)
{
	return on_msg(ctx->sk, ctx->ret, ctx->flags, 1);
}

SEC("tracepoint/sock/sock_recv_length")
int recv_tp(struct trace_event_raw_sock_msg_length *ctx)
{
	return on_msg(ctx->sk, ctx->ret, ctx->flags, 0);
}
