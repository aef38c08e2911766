/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The listener tables (struct ts_lsock, struct ts_laddr): a socket enters
 * listen_socks at listen() (or when the iterator finds it at start) and
 * leaves at its close; its address's counts in listen_addrs live as long as
 * some socket listens there. Children count at their first transition,
 * which the kernel makes on a copy of the listener: its queue length is the
 * listener's at that handshake. User space samples the rest each interval
 * (listen_sample in listeners.bpf.c).
 */
#ifndef TCPSCOPE_LISTEN_BPF_H
#define TCPSCOPE_LISTEN_BPF_H

#include "tcpscope.bpf.h"

static __always_inline void lkey_of(const struct ts_conn *c, struct ts_lkey *k)
{
	__builtin_memset(k, 0, sizeof(*k));
	k->netns = c->netns;
	k->lport = c->lport;
	k->family = c->family;
	__builtin_memcpy(k->laddr, c->laddr, sizeof(k->laddr));
}

/*
 * Add n to a counter several sockets share. The verifier of kernels
 * before 5.12 takes only an add whose result is unused; then the last
 * socket's close is found by a plain read, which two closes at once may
 * both miss (the address's entry then stays until its table fills).
 */
static __always_inline __u32 socks_add(__u32 *socks, int n)
{
#ifdef TS_NO_ATOMICS
	__sync_fetch_and_add(socks, n);
	return *socks;
#else
	return __sync_fetch_and_add(socks, n) + n;
#endif
}

/*
 * The address's counts after a start or a stop, for its record (socks 0:
 * the last socket stopped, and the address's entry went). Kept on the
 * stack, not in the record: a kernel before 5.13 cannot tell a reserved
 * record passed through a function is still there, and refuses the program.
 */
struct laddr_after {
	__u64 clones, discarded, base_queue;
	__u32 socks;
	__u8 tracked; /* the socket is (was) in the listener table */
	__u8 pad[3];
};

static __always_inline void laddr_counts(const struct ts_laddr *a, struct laddr_after *after)
{
	after->clones = a->clones;
	after->discarded = a->discarded;
	after->base_queue = a->base_queue;
	after->socks = a->socks;
	after->tracked = 1;
}

/* The entry of a socket at c starting to listen. */
static __always_inline void lsock_init(struct ts_lsock *ls, const struct ts_conn *c,
				       const struct ts_owner *o, __u64 cgroup, __u64 now, __u64 ino)
{
	__builtin_memset(ls, 0, sizeof(*ls));
	lkey_of(c, &ls->key);
	ls->owner = *o;
	ls->cgroup = cgroup;
	ls->start_ns = now;
	ls->ino = ino;
}

/*
 * A new address's counts, in read-only data: on the stack (the compiler
 * builds a plain constant there) they and the iterator's frame are over
 * the 512 bytes a program has.
 */
static const volatile struct ts_laddr laddr_zero;

/*
 * The socket at key starts listening (ls: its entry; queued: children
 * already waiting, for one found at start); after takes the address's counts.
 */

static __noinline int listen_start(__u64 key, const struct ts_lsock *ls, __u32 queued,
				   struct laddr_after *after)
{
	struct ts_laddr *a;
	int err;

	err = bpf_map_update_elem(&listen_socks, &key, ls, BPF_NOEXIST);
	if (err) {
		if (err != -EEXIST)
			count_lost(TS_LOST_LISTEN);
		return 0;
	}
	bpf_map_update_elem(&listen_addrs, &ls->key, (const void *)&laddr_zero, BPF_NOEXIST);
	a = bpf_map_lookup_elem(&listen_addrs, &ls->key);
	if (!a) {
		count_lost(TS_LOST_LISTEN);
		return 0;
	}
	socks_add(&a->socks, 1);
	if (queued)
		__sync_fetch_and_add(&a->base_queue, queued);
	laddr_counts(a, after);
	return 0;
}

/*
 * The socket at key stops listening with queued children it never accepted;
 * after takes the address's counts.
 */
static __noinline int listen_stop(__u64 key, __u32 queued, struct laddr_after *after)
{
	struct ts_lsock *ls = bpf_map_lookup_elem(&listen_socks, &key);
	struct ts_lkey k;
	struct ts_laddr *a;

	if (!ls)
		return 0;
	k = ls->key;
	bpf_map_delete_elem(&listen_socks, &key);
	a = bpf_map_lookup_elem(&listen_addrs, &k);
	if (!a)
		return 0;
	if (queued)
		__sync_fetch_and_add(&a->discarded, queued);
	laddr_counts(a, after);
	after->socks = socks_add(&a->socks, -1);
	if (!after->socks)
		bpf_map_delete_elem(&listen_addrs, &k);
	return 0;
}

/* bcc's log2: the slot of v, 0 for 0 and 1 */
static __always_inline __u32 log2_slot(__u32 v)
{
	__u32 r, shift;

	r = (v > 0xFFFF) << 4;
	v >>= r;
	shift = (v > 0xFF) << 3;
	v >>= shift;
	r |= shift;
	shift = (v > 0xF) << 2;
	v >>= shift;
	r |= shift;
	shift = (v > 0x3) << 1;
	v >>= shift;
	r |= shift;
	r |= (v >> 1);
	return r;
}

/* The address of a child's listener: its own, the wildcard, or IPv6's (which takes IPv4). */
static __always_inline struct ts_laddr *listener_of(struct ts_lkey *k)
{
	struct ts_laddr *a = bpf_map_lookup_elem(&listen_addrs, k);

	if (a)
		return a;
	__builtin_memset(k->laddr, 0, sizeof(k->laddr));
	a = bpf_map_lookup_elem(&listen_addrs, k);
	if (a || k->family != 4)
		return a;
	k->family = 6;
	return bpf_map_lookup_elem(&listen_addrs, k);
}

/* A handshake completed: a child at c joins an accept queue that held queued. */
static __always_inline void listen_child(const struct ts_conn *c, __u32 queued)
{
	struct ts_laddr *a;
	struct ts_lkey k;
	__u32 slot;

	lkey_of(c, &k);
	a = listener_of(&k);
	if (!a)
		return;
	__sync_fetch_and_add(&a->clones, 1);
	if (queued + 1 > a->qmax)
		a->qmax = queued + 1; /* two at once may keep the smaller: a sample, not a count */
	slot = log2_slot(queued);
	barrier_var(slot);
	if (slot < TS_LHIST)
		__sync_fetch_and_add(&a->hist[slot], 1);
}

#endif
