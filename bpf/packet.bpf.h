/* SPDX-License-Identifier: GPL-2.0 */
/* The ends of a TCP packet, read from its headers (a drop, a reset sent for no socket). */
#ifndef TCPSCOPE_PACKET_BPF_H
#define TCPSCOPE_PACKET_BPF_H

#include "tcpscope.bpf.h"

#define ETH_P_IP   0x0800
#define ETH_P_IPV6 0x86DD

struct tcp_ports {
	__be16 source;
	__be16 dest;
	__u32 seq;
	__u32 ack_seq;
	__u8 doff_res;
	__u8 flags;
};

/* Addresses and ports from the packet's headers; 0 if it is not TCP. */
static __always_inline int read_packet(const struct sk_buff *skb, struct ts_conn *c, __u8 *flags,
				       __u32 *len)
{
	unsigned char *head = BPF_CORE_READ(skb, head);
	__u16 nh = BPF_CORE_READ(skb, network_header);
	__u16 proto = bpf_ntohs(BPF_CORE_READ(skb, protocol));
	struct tcp_ports tcp;
	__u32 thoff;

	if (nh == (__u16)~0U)
		return 0;
	if (proto == ETH_P_IP) {
		struct iphdr ip;

		if (bpf_probe_read_kernel(&ip, sizeof(ip), head + nh) || ip.protocol != IPPROTO_TCP)
			return 0;
		c->family = 4;
		__builtin_memcpy(c->laddr, &ip.saddr, 4);
		__builtin_memcpy(c->raddr, &ip.daddr, 4);
		thoff = nh + ip.ihl * 4;
		*len = bpf_ntohs(ip.tot_len) - ip.ihl * 4;
	} else if (proto == ETH_P_IPV6) {
		struct ipv6hdr ip6;

		if (bpf_probe_read_kernel(&ip6, sizeof(ip6), head + nh) ||
		    ip6.nexthdr != IPPROTO_TCP)
			return 0;
		c->family = 6;
		__builtin_memcpy(c->laddr, &ip6.saddr, 16);
		__builtin_memcpy(c->raddr, &ip6.daddr, 16);
		thoff = nh + sizeof(ip6);
		*len = bpf_ntohs(ip6.payload_len);
	} else {
		return 0;
	}
	if (bpf_probe_read_kernel(&tcp, sizeof(tcp), head + thoff))
		return 0;
	c->lport = bpf_ntohs(tcp.source);
	c->rport = bpf_ntohs(tcp.dest);
	*flags = tcp.flags;
	/* from the IP payload to the TCP payload */
	*len = *len > (__u32)(tcp.doff_res >> 4) * 4 ? *len - (tcp.doff_res >> 4) * 4 : 0;
	return 1;
}

/* Turn source/destination into local/remote: a received packet came from the remote end. */
static __always_inline void orient(struct ts_conn *c, int ingress)
{
	__u8 a[16];
	__u16 p;

	if (!ingress)
		return;
	__builtin_memcpy(a, c->laddr, 16);
	__builtin_memcpy(c->laddr, c->raddr, 16);
	__builtin_memcpy(c->raddr, a, 16);
	p = c->lport;
	c->lport = c->rport;
	c->rport = p;
}

/* The namespace of a packet without a socket: its device's. */
static __always_inline __u32 packet_netns(const struct sk_buff *skb)
{
	struct net_device *dev = BPF_CORE_READ(skb, dev);

	return BPF_CORE_READ(dev, nd_net.net, ns.inum);
}

#endif
