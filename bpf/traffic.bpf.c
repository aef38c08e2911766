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

/*
 * Kernels without the sock_*_length tracepoints: the TCP calls themselves,
 * which run in the caller's context too. tcp_recvmsg() lost its nonblock
 * argument in 5.19, moving flags and the return value: user space counts
 * the arguments in BTF.
 */
const volatile __u8 cfg_recv_has_nonblock = 0;

SEC("fexit/tcp_sendmsg")
int BPF_PROG(send_fexit, struct sock *sk, struct msghdr *msg, size_t size, int ret)
{
	return on_msg(sk, ret, 0, 1);
}

/* sendfile() before 6.5 */
SEC("fexit/tcp_sendpage")
int BPF_PROG(sendpage_fexit, struct sock *sk, struct page *page, int offset, size_t size, int flags,
	     int ret)
{
	return on_msg(sk, ret, flags, 1);
}

SEC("fexit/tcp_recvmsg")
int BPF_PROG(recv_fexit, struct sock *sk)
{
	/* the untaken branch is pruned by the verifier: cfg_ is a constant */
	if (cfg_recv_has_nonblock)
		return on_msg(sk, (int)ctx[6], (int)ctx[4], 0);
	return on_msg(sk, (int)ctx[5], (int)ctx[3], 0);
}

/* kprobes: the socket and flags wait at entry for the return value, per thread */
struct msg_call {
	__u64 sk;
	__u32 flags;
	__u32 tx;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, struct msg_call);
} msg_calls SEC(".maps");

static __always_inline int msg_enter(const struct sock *sk, int flags, int tx)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct msg_call c = {.sk = (__u64)sk, .flags = flags, .tx = tx};

	bpf_map_update_elem(&msg_calls, &id, &c, BPF_ANY);
	return 0;
}

static __always_inline int msg_exit(int ret)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct msg_call *c = bpf_map_lookup_elem(&msg_calls, &id);
	struct msg_call copy;

	if (!c)
		return 0;
	copy = *c;
	bpf_map_delete_elem(&msg_calls, &id);
	return on_msg((const struct sock *)copy.sk, ret, copy.flags, copy.tx);
}

SEC("kprobe/tcp_sendmsg")
int BPF_KPROBE(send_kprobe, struct sock *sk)
{
	return msg_enter(sk, 0, 1);
}

SEC("kretprobe/tcp_sendmsg")
int BPF_KRETPROBE(send_kretprobe, int ret)
{
	return msg_exit(ret);
}

SEC("kprobe/tcp_sendpage")
int BPF_KPROBE(sendpage_kprobe, struct sock *sk)
{
	return msg_enter(sk, 0, 1);
}

SEC("kretprobe/tcp_sendpage")
int BPF_KRETPROBE(sendpage_kretprobe, int ret)
{
	return msg_exit(ret);
}

SEC("kprobe/tcp_recvmsg")
int BPF_KPROBE(recv_kprobe, struct sock *sk, void *msg, size_t len, long a3, long a4)
{
	return msg_enter(sk, cfg_recv_has_nonblock ? a4 : a3, 0);
}

SEC("kretprobe/tcp_recvmsg")
int BPF_KRETPROBE(recv_kretprobe, int ret)
{
	return msg_exit(ret);
}
