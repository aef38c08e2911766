// SPDX-License-Identifier: GPL-2.0
/*
 * TCP packets the kernel freed with a drop reason (kfree_skb). The reason's
 * name is read by user space from the running kernel's BTF; which reasons
 * count as drops is a bitmap user space fills in (cfg_drop_reasons).
 */
#include "packet.bpf.h"

#define TCP_FLAG_SYN 0x02
#define TCP_FLAG_ACK 0x10

const volatile __u8 cfg_drop_reasons[64] = {0}; /* bitmap of 512 reasons */
/*
 * Reasons a socket's teardown also uses (its queues purged at close): such a
 * drop counts only when it throws payload away, not for the peer's FIN.
 */
const volatile __u8 cfg_drop_teardown[64] = {0};

/* btf: skb is a BTF tracepoint's trusted pointer, read directly */
static __always_inline int on_drop(const struct sk_buff *skb, void *location, __u32 reason,
				   const struct sock *rx_sk, int btf)
{
	struct ts_ev_drop *e;
	struct ts_conn c = {};
	const struct sock *sk;
	struct ts_sock *s = 0;
	__u8 flags = 0;
	__u32 len = 0;
	__u64 key;
	__u32 idx;
	int ingress;

	/*
	 * Bound the index itself: clang may test a zero-extended copy of reason
	 * and index with the other, which the verifier rejects.
	 */
	idx = reason >> 3;
	barrier_var(idx);
	if (idx >= sizeof(cfg_drop_reasons) || !(cfg_drop_reasons[idx] & (1 << (reason & 7))))
		return 0;
	/*
	 * Every close frees the peer's FIN this way: an empty buffer holds no
	 * payload, whatever its headers say, so skip reading them (a third of
	 * this program's cost per connection)
	 */
	if ((cfg_drop_teardown[idx] & (1 << (reason & 7))) &&
	    !(btf ? skb->len : BPF_CORE_READ(skb, len)))
		return 0;
	if (!read_packet(skb, &c, &flags, &len))
		return 0;
	/*
	 * the FIN or ACK left in a queue at close: not a loss. A lone SYN is
	 * never that: a connect refused (nobody listens), where the kernel
	 * names no reasons.
	 */
	if (!len && (cfg_drop_teardown[idx] & (1 << (reason & 7))) &&
	    (flags & (TCP_FLAG_SYN | TCP_FLAG_ACK)) != TCP_FLAG_SYN)
		return 0;
	ingress = BPF_CORE_READ(skb, skb_iif) != 0;
	orient(&c, ingress);
	sk = rx_sk ?: BPF_CORE_READ(skb, sk);
	if (sk) {
		c.netns = BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum);
	} else {
		c.netns = packet_netns(skb);
	}
	if (!conn_wanted(&c))
		return 0;
	if (sk) {
		key = (__u64)sk;
		s = sock_get(&key);
	}
	if (cfg_pid && (!s || !owner_wanted(&s->owner)))
		return 0;
	e = reserve(sizeof(*e), TS_K_DROP);
	if (!e)
		return 0;
	e->conn = c;
	session_of(s, &e->sid, &e->owner);
	e->location = (__u64)location;
	e->reason = reason;
	e->state = sk ? BPF_CORE_READ(sk, __sk_common.skc_state) : 0;
	e->tcp_flags = flags;
	e->ingress = ingress;
	e->len = len;
	submit(e);
	return 0;
}

/* Kernels since 6.12 pass the receiving socket as a fourth argument. */
const volatile __u8 cfg_drop_has_rx_sk = 0;
/* Kernels before 5.17 give no reason: every TCP packet kfree_skb frees is a drop (reason 0). */
const volatile __u8 cfg_drop_has_reason = 0;

/* The arguments a kernel lacks are read only where it has them: cfg_ is a constant. */
SEC("tp_btf/kfree_skb")
int BPF_PROG(drop_btf, struct sk_buff *skb, void *location)
{
	return on_drop(skb, location, cfg_drop_has_reason ? (__u32)ctx[2] : 0,
		       cfg_drop_has_rx_sk ? (void *)ctx[3] : 0, 1);
}

SEC("raw_tp/kfree_skb")
int BPF_PROG(drop_raw, struct sk_buff *skb, void *location)
{
	return on_drop(skb, location, cfg_drop_has_reason ? (__u32)ctx[2] : 0,
		       cfg_drop_has_rx_sk ? (void *)ctx[3] : 0, 0);
}

SEC("tracepoint/skb/kfree_skb")
int drop_tp(struct trace_event_raw_kfree_skb *ctx)
{
	void *rx_sk = 0;
	__u32 reason = 0;

	if (bpf_core_field_exists(ctx->rx_sk))
		rx_sk = BPF_CORE_READ(ctx, rx_sk);
	if (bpf_core_field_exists(ctx->reason))
		reason = BPF_CORE_READ(ctx, reason);
	return on_drop(ctx->skbaddr, ctx->location, reason, rx_sk, 0);
}

/*
 * Before drop reasons, TCP freed most of what it dropped in tcp_drop(),
 * which kfree_skb's tracepoint does not see (bcc's tcpdrop hooks it too).
 * The location is tcp_drop's caller: the kprobe reads the return address
 * at entry; the fentry program takes the first frame of its stack that is
 * kernel text outside tcp_drop (user space gives both ranges, from kallsyms).
 */
const volatile __u64 cfg_text_start = 0, cfg_text_end = 0;
const volatile __u64 cfg_tcp_drop_start = 0, cfg_tcp_drop_end = 0;

SEC("fentry/tcp_drop")
int BPF_PROG(tcpdrop_fentry, struct sock *sk, struct sk_buff *skb)
{
	__u64 ips[8] = {};
	__u64 where = 0;
	long len = bpf_get_stack(ctx, ips, sizeof(ips), 0);

	for (int i = 0; i < 8; i++) {
		if (len < (i + 1) * 8)
			break;
		if (ips[i] < cfg_text_start || ips[i] >= cfg_text_end ||
		    (ips[i] >= cfg_tcp_drop_start && ips[i] < cfg_tcp_drop_end))
			continue;
		where = ips[i];
		break;
	}
	return on_drop(skb, (void *)where, 0, sk, 0);
}

SEC("kprobe/tcp_drop")
int BPF_KPROBE(tcpdrop_kprobe, struct sock *sk, struct sk_buff *skb)
{
	__u64 ret = 0;

	bpf_probe_read_kernel(&ret, sizeof(ret), (void *)PT_REGS_SP(ctx));
	return on_drop(skb, (void *)ret, 0, sk, 0);
}
