// SPDX-License-Identifier: GPL-2.0
/*
 * Sockets already open when tracing starts, from the TCP socket iterator.
 * Each one is added to the socket map (unless a hook saw it first) and
 * described to user space through the iterator's output.
 */
#include "listen.bpf.h"

/* Listening ports seen so far: the iterator walks listeners before connections. */
struct listen_key {
	__u32 netns;
	__u16 port;
	__u16 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct listen_key);
	__type(value, __u8);
} listeners SEC(".maps");

/*
 * A listener from before tracing: for guess_dir, and in the listener tables
 * (unless listen() was seen meanwhile), with the children already queued.
 */
static __always_inline void note_listener(struct sock_common *skc)
{
	struct listen_key k = {};
	struct laddr_after after = {};
	struct ts_owner nobody = {};
	struct ts_conn c = {};
	struct ts_lsock ls;
	struct sock *sk;
	__u8 one = 1;

	k.netns = BPF_CORE_READ(skc, skc_net.net, ns.inum);
	k.port = skc->skc_num;
	bpf_map_update_elem(&listeners, &k, &one, BPF_ANY);
	if (!cfg_listeners || !read_conn(skc, &c) || !conn_wanted(&c))
		return;
	sk = (struct sock *)bpf_skc_to_tcp_sock(skc);
	if (!sk)
		return;
	lsock_init(&ls, &c, &nobody, 0, 0, BPF_CORE_READ(sk, sk_socket, file, f_inode, i_ino));
	listen_start((__u64)sk, &ls, BPF_CORE_READ(sk, sk_ack_backlog), &after);
}

/* A connection on a listening port was accepted; any other was connected. */
static __always_inline __u8 guess_dir(const struct ts_conn *c)
{
	struct listen_key k = {.netns = c->netns, .port = c->lport};

	return bpf_map_lookup_elem(&listeners, &k) ? TS_DIR_ACCEPT : TS_DIR_CONNECT;
}

SEC("iter/tcp")
int existing(struct bpf_iter__tcp *ctx)
{
	struct sock_common *skc = ctx->sk_common;
	struct ts_ev_existing rec = {};
	struct ts_sock *fresh;
	struct tcp_sock *tp;
	__u32 zero = 0;
	struct sock *sk;
	__u64 key;
	int err;
	int state;

	if (!skc)
		return 0;
	state = skc->skc_state;
	if (state == TS_LISTEN) {
		note_listener(skc);
		return 0;
	}
	if (state == TS_TIME_WAIT || state == TS_NEW_SYN_RECV || state == TS_CLOSE)
		return 0;
	tp = bpf_skc_to_tcp_sock(skc);
	if (!tp)
		return 0;
	sk = (struct sock *)tp;
	fresh = bpf_map_lookup_elem(&scratch, &zero);
	if (!fresh)
		return 0;
	__builtin_memset(fresh, 0, sizeof(*fresh));
	if (!read_conn(skc, &fresh->conn) || !conn_wanted(&fresh->conn))
		return 0;
	fresh->sid = new_sid();
	fresh->flags = TS_F_PREEXISTING | TS_F_ESTABLISHED;
	/* for exact byte counts at close: was a SYN of ours counted, a FIN queued? */
	fresh->dir = guess_dir(&fresh->conn);
	if (fresh->dir == TS_DIR_CONNECT && state != TS_SYN_SENT)
		fresh->flags |= TS_F_SYN_COUNTED;
	if (state == TS_FIN_WAIT1 || state == TS_FIN_WAIT2 || state == TS_CLOSING ||
	    state == TS_LAST_ACK)
		fresh->flags |= TS_F_FIN_SENT;
	fresh->state_ns = bpf_ktime_get_ns();
	fresh->ino = BPF_CORE_READ(sk, sk_socket, file, f_inode, i_ino);
	key = (__u64)sk;
	sock_add(&key, fresh, &err);
	if (err == -EEXIST)
		return 0; /* a hook saw it first: not from before */
	if (err)
		count_lost(TS_LOST_SOCKMAP); /* still listed; its close is reported untracked */
	rec.hdr.kind = TS_K_EXISTING;
	rec.hdr.size = sizeof(rec);
	rec.hdr.ts_ns = fresh->state_ns;
	rec.sid = fresh->sid;
	rec.conn = fresh->conn;
	rec.ino = fresh->ino;
	rec.tx_bytes = tp->bytes_acked;
	rec.rx_bytes = tp->bytes_received;
	rec.state = state;
	rec.srtt_us = tp->srtt_us >> 3;
	bpf_seq_write(ctx->meta->seq, &rec, sizeof(rec));
	return 0;
}
