// SPDX-License-Identifier: GPL-2.0
/*
 * The cost floor: programs on the hooks tcpscope's screen uses (its default
 * plan), attached and doing nothing. What tcpscope costs above this is its
 * own work, not the hooks' (bench/run.sh, mode floor).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(floor_state)
{
	return 0;
}

SEC("tp_btf/sock_send_length")
int BPF_PROG(floor_send)
{
	return 0;
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(floor_recv)
{
	return 0;
}

SEC("tp_btf/tcp_retransmit_skb")
int BPF_PROG(floor_retrans)
{
	return 0;
}

SEC("tp_btf/tcp_retransmit_synack")
int BPF_PROG(floor_synack)
{
	return 0;
}

SEC("tp_btf/kfree_skb")
int BPF_PROG(floor_drop)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
