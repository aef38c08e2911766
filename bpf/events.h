/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Records the kernel programs hand to user space, and the map values both
 * sides read. Fixed-width integers only, no pointers, little-endian: the same
 * bytes go into recordings (views/record_format.md).
 */
#ifndef TCPSCOPE_EVENTS_H
#define TCPSCOPE_EVENTS_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define TS_COMM_LEN 16

/* Record kinds 1..31 come from the kernel; user space adds its own above. */
enum ts_kind {
	TS_K_STATE = 1, /* a state transition other than to CLOSE */
	TS_K_CLOSE = 2, /* transition to CLOSE: the session's summary */
	TS_K_OWNER = 3, /* the owner of an open socket (from /proc; older kernel sides: from process
			   context) */
	TS_K_RETRANS = 4,  /* a retransmitted segment or SYN-ACK */
	TS_K_DROP = 5,	   /* a TCP packet freed with a drop reason */
	TS_K_EXISTING = 6, /* a socket open before tracing began (socket iterator) */
	/* kernel-only: bpf/live.c turns these into STATE and CLOSE records */
	TS_K_TRANS = 7,	      /* a tracked socket's transitions, when its list is full */
	TS_K_CLOSE_TRANS = 8, /* a close, with the transitions not yet sent */
	TS_K_SOCKEV = 9,  /* a reset, congestion state, full queue or error (struct ts_ev_sockev) */
	TS_K_LISTEN = 16, /* a socket starts or stops listening: listen(), close() */
	TS_K_KERNEL_MAX = 31,
};

/* Kernel TCP states (include/net/tcp_states.h). */
enum ts_tcp_state {
	TS_ESTABLISHED = 1,
	TS_SYN_SENT,
	TS_SYN_RECV,
	TS_FIN_WAIT1,
	TS_FIN_WAIT2,
	TS_TIME_WAIT,
	TS_CLOSE,
	TS_CLOSE_WAIT,
	TS_LAST_ACK,
	TS_LISTEN,
	TS_CLOSING,
	TS_NEW_SYN_RECV,
	TS_BOUND_INACTIVE,
	TS_STATE_MAX,
};

/* Who opened a session. */
enum ts_dir {
	TS_DIR_UNKNOWN = 0, /* open before tracing began */
	TS_DIR_CONNECT = 1, /* active open: connect() */
	TS_DIR_ACCEPT = 2,  /* passive open: accepted from a listener */
};

/* ts_sock.flags and the flags of records */
#define TS_F_PREEXISTING   0x01 /* open before tracing began */
#define TS_F_OWNER_KNOWN   0x02 /* owner pid/comm came from process context */
#define TS_F_START_UNKNOWN 0x04 /* first seen mid-life (e.g. map was full) */
#define TS_F_FAILED	   0x08 /* closed before reaching ESTABLISHED */
#define TS_F_ESTABLISHED   0x10 /* reached ESTABLISHED */
#define TS_F_FIN_SENT	   0x20 /* our FIN is queued (FIN_WAIT1, LAST_ACK...) */
#define TS_F_SYN_COUNTED   0x40 /* bytes_acked counts our SYN (active open) */

/* Retransmit kinds */
enum ts_retrans_kind {
	TS_RT_DATA = 1,
	TS_RT_SYN = 2, /* a retransmitted SYN (state SYN_SENT) */
	TS_RT_SYNACK = 3,
};

/* Lost-event counters (a per-CPU array indexed by these). */
enum ts_lost {
	TS_LOST_RINGBUF = 0, /* ring buffer full: a record was not written */
	TS_LOST_SOCKMAP = 1, /* socket map full: a socket is tracked without an entry */
	TS_LOST_RTTMAP = 2,  /* RTT histogram map full: an address's samples were not counted */
	TS_LOST_LISTEN = 3,  /* listener table full: a listening socket is not sampled */
	TS_LOST_MAX = 4,
};

/* Both ends of a connection as this host sees it; v4 addresses in the first 4 bytes. */
struct ts_conn {
	__u8 family; /* 4 or 6; IPv4-mapped IPv6 is reported as 4 */
	__u8 pad[3];
	__u16 lport;
	__u16 rport;
	__u32 netns;
	__u32 pad2;
	__u8 laddr[16];
	__u8 raddr[16];
};

/* --laddr/--raddr: an address and prefix the kernel compares (family 0: none). */
struct ts_addr_filter {
	__u8 family; /* 4 or 6 */
	__u8 pad[7];
	__u8 addr[16]; /* already masked */
	__u8 mask[16];
};

struct ts_owner {
	__u32 pid; /* thread-group id; 0 when unknown */
	__u32 tid;
	char comm[TS_COMM_LEN];
};

/* What the kernel keeps per tracked socket (map "socks", key: struct sock address). */
/*
 * A socket's transitions are kept in its map entry, not sent one by one:
 * user space reads them with the map each interval, and the close record
 * (or a full list) brings the rest. Five cover a whole TCP life.
 */
#define TS_TRANS 5

struct ts_trans {
	__u64 ts_ns;
	__u64 dt_ns; /* time in the old state; 0 when unknown */
	__u8 oldstate;
	__u8 newstate;
	__u8 pad[6];
};

/*
 * What tcp_probe saw of a connection: its smoothed RTT over its life, and
 * the latest windows. In the socket table, and appended to the records
 * that describe a session (user space reads 0 samples as "not measured").
 */
struct ts_rtt {
	__u64 sum_us;  /* of the srtt samples */
	__u32 samples; /* segments received while tcp_probe ran */
	__u32 min_us;  /* smallest and largest srtt seen */
	__u32 max_us;
	__u32 last_us;	/* the latest srtt */
	__u32 snd_cwnd; /* congestion window, segments */
	__u32 ssthresh; /* slow start threshold, segments (~0: not set yet) */
	__u32 snd_wnd;	/* the peer's receive window, bytes */
	__u32 rcv_wnd;	/* ours, bytes */
	__u8 ca_state;	/* TCP_CA_Open... as last seen */
	__u8 win_zero;	/* bits TS_WZ_*: a zero window reported, not yet reopened */
	__u8 pad[6];
};

#define TS_WZ_OURS 0x01 /* we advertise a zero window: our receive queue is full */
#define TS_WZ_PEER 0x02 /* the peer advertises one */

struct ts_sock {
	__u64 sid;	     /* session id, unique for this run */
	__u64 start_ns;	     /* first transition seen; 0 when open before tracing */
	__u64 state_ns;	     /* time of the last transition */
	__u64 syn_ns;	     /* handshake start (SYN sent or received) */
	__u64 lat_ns;	     /* handshake latency */
	__u64 app_tx;	     /* bytes the owner sent (sock_send_length) */
	__u64 app_rx;	     /* bytes the owner received (sock_recv_length) */
	struct ts_conn conn; /* refreshed on every transition: lport arrives after SYN_SENT */
	struct ts_owner owner;
	__u64 ino; /* open before tracing: the socket inode, for its owner hint */
	__u8 dir;
	__u8 flags;
	__u8 pad[2];
	__u32 ntrans; /* transitions so far; trans[] holds those from first_trans on */
	__u32 first_trans;
	__u32 pad2;
	struct ts_trans trans[TS_TRANS];
	struct ts_rtt rtt;
	__u64 cgroup; /* the owner's cgroup (v2) id, taken with the owner; 0: unknown */
};

/*
 * A slot of the direct-mapped socket table (map "slots"): most sockets live
 * here, at a slot chosen by a hash of their address, and only those whose
 * slot is taken go to the hash map "socks". seq is odd while the slot holds
 * a whole entry: the kernel makes it odd after filling a claimed slot and
 * even before freeing it, so user space, reading the table through mmap,
 * keeps a copy only when seq and tag were the same before and after.
 */
struct ts_slot {
	__u64 tag; /* the socket's address; 0: free */
	__u64 seq;
	struct ts_sock s;
};

struct ts_hdr {
	__u16 kind;
	__u16 size; /* whole record, header included */
	__u32 cpu;
	__u64 ts_ns; /* CLOCK_MONOTONIC */
};

struct ts_ev_state {
	struct ts_hdr hdr;
	__u64 sid;
	struct ts_conn conn;
	struct ts_owner owner;
	__u8 oldstate;
	__u8 newstate;
	__u8 dir;
	__u8 flags;
	__u32 pad;
	__u64 dt_ns; /* time spent in oldstate; 0 when unknown */
};

struct ts_ev_close {
	struct ts_hdr hdr;
	__u64 sid;
	struct ts_conn conn;
	struct ts_owner owner;
	__u8 oldstate;
	__u8 dir;
	__u8 flags;
	__u8 pad;
	__u32 err;	/* sk_err at close: ECONNREFUSED, ETIMEDOUT, ECONNRESET... */
	__u64 start_ns; /* 0 when unknown */
	__u64 lat_ns;	/* handshake latency */
	__u64 dt_ns;	/* time spent in oldstate */
	__u64 tx_bytes; /* tcp_sock.bytes_acked */
	__u64 rx_bytes; /* tcp_sock.bytes_received */
	__u64 app_tx;	/* bytes moved by send/recv calls since tracing began */
	__u64 app_rx;
	__u32 retrans; /* tcp_sock.total_retrans */
	__u32 srtt_us;
	struct ts_rtt rtt; /* format 1.1: what tcp_probe saw of it (0 samples: not measured) */
	/* appended in format 1.2 */
	__u64 cgroup_id; /* the owner's cgroup (v2); 0: unknown */
#ifdef TS_RECORD_GROWTH_TEST
	__u64 grown; /* tests/record.mk's test build: a field a later minor version appends */
#endif
};

/* TS_K_TRANS: transitions first..first+n-1 of a tracked socket */
struct ts_ev_trans {
	struct ts_hdr hdr;
	__u64 sid;
	struct ts_conn conn;
	struct ts_owner owner;
	__u8 dir;
	__u8 flags;
	__u8 n;
	__u8 pad;
	__u32 first;
	struct ts_trans trans[TS_TRANS];
};

/* TS_K_CLOSE_TRANS: the close, and the transitions before it not sent yet */
struct ts_ev_close_trans {
	struct ts_ev_close close;
	__u32 first;
	__u8 n;
	__u8 pad[3];
	struct ts_trans trans[TS_TRANS];
};

struct ts_ev_owner {
	struct ts_hdr hdr;
	__u64 sid;
	struct ts_owner owner;
	/* appended in format 1.2 */
	__u64 cgroup_id; /* the owner's cgroup (v2); 0: unknown */
};

/* What user space tells the kernel of an owner found in /proc (map "owner_hints"). */
struct ts_owner_hint {
	struct ts_owner owner;
	__u64 cgroup;
};

struct ts_ev_retrans {
	struct ts_hdr hdr;
	__u64 sid; /* 0 when the socket is not tracked */
	struct ts_conn conn;
	struct ts_owner owner;
	__u8 state;
	__u8 kind;
	__u16 pad;
	__s32 err;
	__u32 retrans; /* total_retrans after this one */
	__u32 pad2;
};

struct ts_ev_drop {
	struct ts_hdr hdr;
	__u64 sid; /* 0 when no tracked socket */
	struct ts_conn conn;
	struct ts_owner owner;
	__u64 location; /* kernel address that freed the packet */
	__u32 reason;	/* enum skb_drop_reason of the running kernel */
	__u8 state;	/* 0 when no socket */
	__u8 tcp_flags;
	__u8 ingress; /* 1: received packet (remote end is the source) */
	__u8 pad;
	__u32 len; /* TCP payload bytes */
	__u32 pad2;
};

struct ts_ev_existing {
	struct ts_hdr hdr;
	__u64 sid;
	struct ts_conn conn;
	__u64 ino; /* socket inode, to find the owner in /proc */
	__u64 tx_bytes;
	__u64 rx_bytes;
	__u8 state;
	__u8 pad[3];
	__u32 srtt_us;
};

/*
 * Listening sockets. A row of the Listeners pane is an address (namespace,
 * family, local address and port): the sockets that share one with
 * SO_REUSEPORT make one row, since a handshake cannot tell which of them
 * the kernel chose without kprobes.
 */
struct ts_lkey {
	__u32 netns;
	__u16 lport;
	__u8 family; /* 4 or 6 */
	__u8 pad;
	__u8 laddr[16];
};

/* log2 slots of the accept queue each handshake found, as tcpsynbl counts it: up to 2^23 */
#define TS_LHIST 24

/*
 * What the handshakes of an address's connections show (map "listen_addrs",
 * key: struct ts_lkey), from the state hook: its children's first
 * transition is a copy of the listener, queue length included. Made by the
 * address's first listening socket, gone with its last.
 */
struct ts_laddr {
	__u64 clones;	      /* handshakes completed: each child joins the accept queue */
	__u64 discarded;      /* children left in the queue of a listener that closed */
	__u64 base_queue;     /* children already queued when tracing began */
	__u32 socks;	      /* sockets listening here */
	__u32 qmax;	      /* longest queue a child made since the last sample */
	__u32 hist[TS_LHIST]; /* the queue each handshake found */
};

/* A listening socket (map "listen_socks", key: its address in the kernel). */
struct ts_lsock {
	struct ts_lkey key;
	struct ts_owner owner; /* who called listen(); pid 0: listening before tracing */
	__u64 cgroup;
	__u64 start_ns; /* listen(); 0: before tracing */
	__u64 ino;	/* listening before tracing: its inode, to find the owner */
	/* sampled by listen_sample, which user space runs each interval */
	__u64 sampled_ns;
	__u32 queue;	 /* sk_ack_backlog: connections waiting for accept() */
	__u32 backlog;	 /* sk_max_ack_backlog: what listen() was given (capped) */
	__u32 syn_queue; /* request sockets: handshakes waiting for their last ACK */
	__u32 drops;	 /* sk_drops: what tcp_listendrop() counted */
	__u32 qmax;	 /* the address's longest queue since the last sample, taken */
	__u32 pad;
};

/* TS_K_LISTEN: a socket starts (newstate LISTEN) or stops listening. */
struct ts_ev_listen {
	struct ts_hdr hdr;
	struct ts_conn conn; /* the address; no remote end */
	struct ts_owner owner;
	__u64 cgroup_id;
	__u32 backlog;
	__u32 queue; /* at close: connections never accepted, now discarded */
	__u32 drops;
	__u8 oldstate;
	__u8 newstate;
	__u8 tracked; /* 1: the socket is (was) in the listener table, and the counts are its
			 address's */
	__u8 pad;
	/* the address's counts after this (struct ts_laddr) */
	__u64 clones;
	__u64 discarded;
	__u64 base_queue;
	__u32 socks;
	__u32 pad2;
};

/* What a TS_K_SOCKEV record reports. */
enum ts_sockev_type {
	TS_SE_RST_SENT = 1,  /* a reset went out (RST>) */
	TS_SE_RST_RECV = 2,  /* a reset came in (RST<) */
	TS_SE_CONG = 3,	     /* the congestion state changed (ca_old -> ca_new) */
	TS_SE_RCVQ_FULL = 4, /* our receive queue is full: we advertise a zero window */
	TS_SE_PEER_FULL = 5, /* the peer's is: it advertises a zero window */
	TS_SE_MEM_LIMIT = 6, /* the protocol's memory limit refused this socket memory */
	TS_SE_ERROR = 7,     /* an error was reported to the socket's owner (err: errno) */
	TS_SE_MAX,
};

/* TCP congestion states (include/uapi/linux/tcp.h, enum tcp_ca_state). */
enum ts_ca_state {
	TS_CA_OPEN = 0,
	TS_CA_DISORDER = 1,
	TS_CA_CWR = 2,
	TS_CA_RECOVERY = 3,
	TS_CA_LOSS = 4,
	TS_CA_MAX,
};

struct ts_ev_sockev {
	struct ts_hdr hdr;
	__u64 sid; /* 0 when the socket is not tracked (or there is none: a reset to nobody) */
	struct ts_conn conn;
	struct ts_owner owner;
	__u8 type;   /* enum ts_sockev_type */
	__u8 state;  /* TCP state of the socket then (0: no socket) */
	__u8 ca_old; /* TS_SE_CONG: the state left, and the one entered */
	__u8 ca_new;
	__u32 err; /* TS_SE_ERROR: errno; TS_SE_RST_SENT: the kernel's reset reason + 1 (0: none) */
	__u64 value;   /* RCVQ_FULL: bytes queued; MEM_LIMIT: pages the protocol has allocated */
	__u32 value2;  /* RCVQ_FULL: the receive buffer, bytes; MEM_LIMIT: 1 receiving, 0 sending */
	__u32 srtt_us; /* the smoothed RTT then, when the socket has one */
};

/*
 * RTT histograms (tcprtt): log2 buckets of srtt, each split in four, so
 * that percentiles come within 12.5% and tcprtt's log2 slots are exact sums
 * (TS_RTT_SLOT). Values under 4 have a bucket each.
 */
#define TS_RTT_BUCKETS 108 /* 0..3, then 4 a power of 2 from 2^2 to 2^27 (and above) */

enum ts_rtt_scope {
	TS_RTT_ALL = 0,	  /* every connection */
	TS_RTT_RADDR = 1, /* by remote address */
	TS_RTT_LADDR = 2, /* by local address */
};

struct ts_rtt_key {
	__u8 scope;  /* enum ts_rtt_scope */
	__u8 family; /* 4 or 6; 0 for TS_RTT_ALL */
	__u8 pad[2];
	__u8 addr[16];
};

struct ts_rtt_hist {
	__u64 samples;
	__u64 sum; /* of the values, in the histogram's unit */
	__u32 max;
	__u32 pad;
	__u32 buckets[TS_RTT_BUCKETS];
};

#endif
