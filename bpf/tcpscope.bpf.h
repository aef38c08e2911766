/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every kernel program shares: the maps and settings defined in
 * maps.bpf.c (declared extern here, resolved when bpftool links the objects),
 * and the small helpers that read a socket, apply the filters and hand
 * records to user space.
 */
#ifndef TCPSCOPE_BPF_H
#define TCPSCOPE_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>
#include "events.h"

#define AF_INET	    2
#define AF_INET6    10
#define IPPROTO_TCP 6
#define SOCK_STREAM 1
#define MSG_PEEK    2
#define EEXIST	    17

/*
 * maps.bpf.c defines these (TS_DEFINE); the other objects see them extern.
 * Settings are fixed at load time: user space writes them before loading.
 */
#ifdef TS_DEFINE
#define TS_GLOBAL
#define TS_INIT = {0}
#else
#define TS_GLOBAL extern
#define TS_INIT
#endif

TS_GLOBAL const volatile __u32 cfg_pid TS_INIT;		/* owner tgid filter, 0: all */
TS_GLOBAL const volatile __u8 cfg_family TS_INIT;	/* 0: both, 4 or 6 */
TS_GLOBAL const volatile __u8 cfg_all_states TS_INIT;	/* 0: only what lifespans need */
TS_GLOBAL const volatile __u8 cfg_lport_filter TS_INIT; /* 1: lport must be in cfg_lports */
TS_GLOBAL const volatile __u8 cfg_rport_filter TS_INIT; /* 1: rport must be in cfg_rports */
TS_GLOBAL const volatile __u8 cfg_lports[8192] TS_INIT; /* bitmap of 65536 ports */
TS_GLOBAL const volatile __u8 cfg_rports[8192] TS_INIT;
TS_GLOBAL const volatile __u32 cfg_nr_accept TS_INIT; /* syscall numbers, this arch */
TS_GLOBAL const volatile __u32 cfg_nr_accept4 TS_INIT;
TS_GLOBAL const volatile __u32 cfg_slot_bits TS_INIT;  /* the slots map has 1 << this entries */
TS_GLOBAL const volatile __u64 cfg_wake_bytes TS_INIT; /* wake the reader past this backlog */
TS_GLOBAL const volatile __u8 cfg_cgroup TS_INIT;      /* 1: take owners' cgroups (v2 is mounted) */
TS_GLOBAL const volatile __u8 cfg_listeners TS_INIT;   /* 1: keep the listener tables */
/* --laddr, --raddr: only connections with these ends */
TS_GLOBAL const volatile struct ts_addr_filter cfg_laddr TS_INIT;
TS_GLOBAL const volatile struct ts_addr_filter cfg_raddr TS_INIT;
/* --exclude-self: the SSH connection carrying tcpscope (lport 0: none) */
TS_GLOBAL const volatile struct ts_conn cfg_self TS_INIT;

/* Sizes here are defaults; user space resizes events, slots and socks before loading. */
TS_GLOBAL struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 << 20);
} events SEC(".maps");

TS_GLOBAL struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);
	__type(value, struct ts_sock);
} socks SEC(".maps");

/*
 * The direct-mapped socket table in front of socks (see struct ts_slot):
 * an array lookup is inlined and takes no lock, where each insert and
 * delete of the hash map takes a bucket lock and its free list: most of
 * the state program's run time. Mapped read-only by user space.
 */
TS_GLOBAL struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, struct ts_slot);
} slots SEC(".maps");

TS_GLOBAL struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, TS_LOST_MAX);
	__type(key, __u32);
	__type(value, __u64);
} lost SEC(".maps");

TS_GLOBAL struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} sid_seq SEC(".maps");

/* Room to build a socket's entry: too big for the BPF stack. */
TS_GLOBAL struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ts_sock);
} scratch SEC(".maps");

/*
 * The sockets each CPU closed last: a reset sent or an error reported just
 * after the close (tcp_done, then the report, in one call on one CPU) is
 * still the session's, though the table has let it go. Four, not one: on
 * loopback the reset is delivered, and its receiver closed, before the
 * sender's tracepoint runs.
 */
#define TS_LAST_CLOSED 4

struct ts_closed {
	__u64 key; /* the socket's address */
	__u64 sid;
	__u8 state; /* the state it closed from */
	__u8 pad[7];
	struct ts_conn conn;
	struct ts_owner owner;
};

struct ts_last_closed {
	__u32 next;
	__u32 pad;
	struct ts_closed socks[TS_LAST_CLOSED];
};

TS_GLOBAL struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ts_last_closed);
} last_closed SEC(".maps");

/* What this CPU remembers of sk, closed a moment ago; NULL when nothing. */
static __always_inline const struct ts_closed *closed_just_now(__u64 key)
{
	__u32 zero = 0;
	struct ts_last_closed *l = bpf_map_lookup_elem(&last_closed, &zero);

	if (!l)
		return 0;
	/* newest first: a freed socket's memory soon holds another socket */
	for (__u32 i = 1; i <= TS_LAST_CLOSED; i++) {
		__u32 at = (l->next - i) % TS_LAST_CLOSED;

		if (l->socks[at].key == key)
			return &l->socks[at];
	}
	return 0;
}

/* Owners of sockets open before tracing, found by user space in /proc (key: inode). */
TS_GLOBAL struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);
	__type(value, struct ts_owner_hint);
} owner_hints SEC(".maps");

/* Listening sockets and their addresses (bpf/listen.bpf.h); sized by user space. */
TS_GLOBAL struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, struct ts_lsock);
} listen_socks SEC(".maps");

TS_GLOBAL struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct ts_lkey);
	__type(value, struct ts_laddr);
} listen_addrs SEC(".maps");

static __always_inline void count_lost(__u32 what)
{
	__u64 *n = bpf_map_lookup_elem(&lost, &what);

	if (n)
		(*n)++;
}

/* ---- the socket table: slots first, socks for the sockets whose slot is taken ---- */

/*
 * Slots are claimed with compare-and-swap, which the verifier of kernels
 * before 5.12 rejects wherever it appears, even where it is never reached:
 * the build makes a second object without slots (TS_NO_ATOMICS) for them.
 */
static __always_inline struct ts_slot *slot_of(__u64 key)
{
#ifdef TS_NO_ATOMICS
	return 0;
#else
	__u32 lo, bits = cfg_slot_bits, i;

	if (bits < 1 || bits > 24)
		return 0;
	/*
	 * The key is a socket pointer: the verifier allows no arithmetic on it,
	 * but a 32-bit move gives a number (to CAP_PERFMON, which we need anyway).
	 */
	asm volatile("%[lo] = %[k]" : [lo] "=w"(lo) : [k] "w"((__u32)key));
	i = (lo * 0x9e3779b1u) >> (32 - bits); /* Fibonacci hashing: the top bits mix best */
	return bpf_map_lookup_elem(&slots, &i);
#endif
}

static __always_inline struct ts_sock *sock_get(__u64 *key)
{
	struct ts_slot *d = slot_of(*key);

	if (d && d->tag == *key)
		return &d->s;
	return bpf_map_lookup_elem(&socks, key);
}

/*
 * Adds fresh as key's entry and returns it (*err 0), or NULL with *err:
 * -EEXIST when key has one already, another error when neither table has room.
 */
static __always_inline struct ts_sock *sock_add(__u64 *key, const struct ts_sock *fresh, int *err)
{
#ifndef TS_NO_ATOMICS
	struct ts_slot *d = slot_of(*key);
	__u64 was;

	if (d) {
		was = __sync_val_compare_and_swap(&d->tag, 0, *key);
		if (!was) {
			__builtin_memcpy(&d->s, fresh, sizeof(*fresh));
			__sync_fetch_and_add(&d->seq, 1); /* odd: whole */
			*err = 0;
			return &d->s;
		}
		if (was == *key) {
			*err = -EEXIST;
			return 0;
		}
	}
#endif
	*err = bpf_map_update_elem(&socks, key, fresh, BPF_NOEXIST);
	if (*err)
		return 0;
	return bpf_map_lookup_elem(&socks, key);
}

static __always_inline void sock_del(__u64 *key)
{
#ifndef TS_NO_ATOMICS
	struct ts_slot *d = slot_of(*key);

	if (d && d->tag == *key) {
		__sync_fetch_and_add(&d->seq, 1); /* even: user space stops copying it */
		__sync_val_compare_and_swap(&d->tag, *key, 0);
		return;
	}
#endif
	bpf_map_delete_elem(&socks, key);
}

/* Unique without atomics: a per-CPU sequence with the CPU in the low bits. */
static __always_inline __u64 new_sid(void)
{
	__u32 zero = 0;
	__u64 *seq = bpf_map_lookup_elem(&sid_seq, &zero);

	if (!seq)
		return 0;
	*seq += 1;
	return (*seq << 12) | (bpf_get_smp_processor_id() & 0xfff);
}

static __always_inline void *reserve(__u32 size, __u16 kind)
{
	struct ts_hdr *h = bpf_ringbuf_reserve(&events, size, 0);

	if (!h) {
		count_lost(TS_LOST_RINGBUF);
		return 0;
	}
	h->kind = kind;
	h->size = size;
	h->cpu = bpf_get_smp_processor_id();
	h->ts_ns = bpf_ktime_get_ns();
	return h;
}

/*
 * The reader drains the buffer on its own timer: a wake-up per record would
 * cost more than the record. Only a backlog past the mark (a burst, or a
 * reader kept waiting) wakes it at once.
 */
static __always_inline void submit(void *rec)
{
	__u64 flags = BPF_RB_NO_WAKEUP;

	if (bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= cfg_wake_bytes)
		flags = BPF_RB_FORCE_WAKEUP;
	bpf_ringbuf_submit(rec, flags);
}

static __always_inline int is_v4_mapped(const __u8 *a)
{
	const __u32 *w = (const __u32 *)a;

	return w[0] == 0 && w[1] == 0 && w[2] == bpf_htonl(0xffff);
}

/* IPv4-mapped IPv6 ends are shown as the IPv4 they are. */
static __always_inline void unmap_v4(struct ts_conn *c)
{
	if (c->family != 6 || !is_v4_mapped(c->laddr) || !is_v4_mapped(c->raddr))
		return;
	c->family = 4;
	__builtin_memcpy(c->laddr, c->laddr + 12, 4);
	__builtin_memcpy(c->raddr, c->raddr + 12, 4);
	__builtin_memset(c->laddr + 4, 0, 12);
	__builtin_memset(c->raddr + 4, 0, 12);
}

/* Both ends of an inet socket (or request socket); 0 if not IPv4/IPv6. */
static __always_inline int read_conn(const struct sock_common *skc, struct ts_conn *c)
{
	__u16 family = BPF_CORE_READ(skc, skc_family);

	if (family == AF_INET) {
		c->family = 4;
		bpf_core_read(c->laddr, 4, &skc->skc_rcv_saddr);
		bpf_core_read(c->raddr, 4, &skc->skc_daddr);
	} else if (family == AF_INET6) {
		c->family = 6;
		bpf_core_read(c->laddr, 16, &skc->skc_v6_rcv_saddr);
		bpf_core_read(c->raddr, 16, &skc->skc_v6_daddr);
	} else {
		return 0;
	}
	unmap_v4(c);
	c->lport = BPF_CORE_READ(skc, skc_num);
	c->rport = bpf_ntohs(BPF_CORE_READ(skc, skc_dport));
	c->netns = BPF_CORE_READ(skc, skc_net.net, ns.inum);
	return 1;
}

/*
 * The same through a BTF tracepoint's trusted pointer, but for the
 * namespace (the caller's: see on_state): plain loads instead of a helper
 * call per field (this runs on every new connection).
 */
static __always_inline int read_conn_btf(const struct sock_common *skc, struct ts_conn *c)
{
	__u16 family = skc->skc_family;

	if (family == AF_INET) {
		c->family = 4;
		__builtin_memcpy(c->laddr, &skc->skc_rcv_saddr, 4);
		__builtin_memcpy(c->raddr, &skc->skc_daddr, 4);
	} else if (family == AF_INET6) {
		c->family = 6;
		__builtin_memcpy(c->laddr, &skc->skc_v6_rcv_saddr, 16);
		__builtin_memcpy(c->raddr, &skc->skc_v6_daddr, 16);
	} else {
		return 0;
	}
	unmap_v4(c);
	c->lport = skc->skc_num;
	c->rport = bpf_ntohs(skc->skc_dport);
	return 1;
}

/*
 * Bound the index itself: a port read from a packet's header is a byte swap
 * (bpf_ntohs), whose result older verifiers (5.10's, 6.1's) do not bound,
 * and clang keeps it in a register: they refused the drops job with -L or -D.
 */
static __always_inline int port_in(const volatile __u8 *bits, __u16 port)
{
	__u32 i = port >> 3;

	barrier_var(i);
	if (i >= 8192)
		return 0;
	return bits[i] & (1 << (port & 7));
}

static __always_inline int is_self(const struct ts_conn *c)
{
	const volatile __u64 *sl = (const volatile __u64 *)cfg_self.laddr;
	const volatile __u64 *sr = (const volatile __u64 *)cfg_self.raddr;
	const __u64 *l = (const __u64 *)c->laddr, *r = (const __u64 *)c->raddr;

	return c->lport == cfg_self.lport && c->rport == cfg_self.rport &&
	       c->netns == cfg_self.netns && l[0] == sl[0] && l[1] == sl[1] && r[0] == sr[0] &&
	       r[1] == sr[1];
}

static __always_inline int addr_in(const volatile struct ts_addr_filter *f, const struct ts_conn *c,
				   const __u8 *addr)
{
	const volatile __u64 *want = (const volatile __u64 *)f->addr;
	const volatile __u64 *mask = (const volatile __u64 *)f->mask;
	const __u64 *a = (const __u64 *)addr;

	return c->family == f->family && (a[0] & mask[0]) == want[0] && (a[1] & mask[1]) == want[1];
}

/* The command-line filters that depend only on the connection. */
static __always_inline int conn_wanted(const struct ts_conn *c)
{
	if (cfg_family && c->family != cfg_family)
		return 0;
	if (cfg_self.lport && is_self(c))
		return 0;
	if (cfg_lport_filter && !port_in(cfg_lports, c->lport))
		return 0;
	if (cfg_rport_filter && !port_in(cfg_rports, c->rport))
		return 0;
	if (cfg_laddr.family && !addr_in(&cfg_laddr, c, c->laddr))
		return 0;
	if (cfg_raddr.family && !addr_in(&cfg_raddr, c, c->raddr))
		return 0;
	return 1;
}

static __always_inline int owner_wanted(const struct ts_owner *o)
{
	return !cfg_pid || o->pid == cfg_pid;
}

static __always_inline void current_owner(struct ts_owner *o)
{
	__u64 id = bpf_get_current_pid_tgid();

	o->pid = id >> 32;
	o->tid = (__u32)id;
	bpf_get_current_comm(o->comm, sizeof(o->comm));
}

/* The current task's cgroup (v2), which names its service; 0 where v2 is not mounted. */
static __always_inline __u64 current_cgroup(void)
{
	return cfg_cgroup ? bpf_get_current_cgroup_id() : 0;
}

static __always_inline int is_tcp(const struct sock *sk)
{
	return BPF_CORE_READ_BITFIELD_PROBED(sk, sk_protocol) == IPPROTO_TCP &&
	       BPF_CORE_READ_BITFIELD_PROBED(sk, sk_type) == SOCK_STREAM;
}

/* An event's session and owner from the socket map: none (0, unknown) if untracked. */
static __always_inline void session_of(const struct ts_sock *s, __u64 *sid, struct ts_owner *o)
{
	if (s) {
		*sid = s->sid;
		*o = s->owner;
	} else {
		*sid = 0;
		__builtin_memset(o, 0, sizeof(*o));
	}
}

/*
 * A socket open before tracing has no owner until it moves bytes; user space
 * may have found it in /proc meanwhile. Take that, so filters and records
 * that need the owner (a close, with -p) have it.
 */
static __always_inline void owner_from_hint(struct ts_sock *s)
{
	struct ts_owner_hint *h;

	if ((s->flags & TS_F_OWNER_KNOWN) || !s->ino)
		return;
	h = bpf_map_lookup_elem(&owner_hints, &s->ino);
	if (!h)
		return;
	s->owner = h->owner;
	s->cgroup = h->cgroup;
	s->flags |= TS_F_OWNER_KNOWN;
}

/*
 * Record the current task as the owner of a tracked socket, once. Only
 * called from process context (accept, send, recv, close). User space
 * learns it with the map read each interval, or with the close: a record
 * of its own cost a tenth of the kernel side's time per connection.
 */
static __always_inline void claim_owner(struct ts_sock *s)
{
	if (s->flags & TS_F_OWNER_KNOWN)
		return;
	current_owner(&s->owner);
	s->cgroup = current_cgroup();
	s->flags |= TS_F_OWNER_KNOWN;
}

#endif
