// SPDX-License-Identifier: GPL-2.0
/*
 * The live source. Records arrive through one ring buffer that the kernel
 * side wakes us for only when it fills past a mark: a thread of our own
 * drains it on a short timer (DRAIN_MS) into a spool, at real-time priority
 * where allowed, and the caller's thread takes them in from there in
 * slices. On a saturated host the caller's thread may wait seconds for a CPU
 * (a busy session's scheduling group starves a quiet one): the kernel's
 * buffer would overflow meanwhile, the spool only grows. Throughput and the
 * transitions of open sockets come from reading the socket map once per
 * interval. Everything becomes records of views/event.h, so a recording of
 * this stream replays exactly what the screen saw.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <sys/epoll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "live.h"
#include "cgroup_paths.h"
#include "existing.h"
#include "kernel_hooks.h"
#include "kernel_names.h"
#include "listen_sample.h"
#include "load.h"
#include "plan.h"
#include "proc_owners.h"
#include "spool.h"
#include "tcpscope.skel.h"
#include "vmlinux_btf.h"
#include "views/table.h"

#define DRAIN_MS	50   /* longest a record waits in the ring buffer */
#define SPOOL_RINGS	4    /* the spool holds at most this many kernel buffers' worth */
#define DRAIN_BUDGET_MS 10   /* a drain stops after this, so keys are answered between */
#define TICK_GRACE_MS	100  /* how long a tick may wait for a backlog to be drained */
#define BATCH		1024 /* socket-map entries read per call */
#define GONE_TICKS	2    /* intervals a socket may be missing before its close counts as lost */
#define LISTED_BITS	65536 /* the filter of sids that may be in live.socks */
#define CGROUPS_KEPT	8192  /* cgroup paths remembered, and ids named */

struct live_sock {
	uint64_t sid; /* key */
	uint64_t tx, rx;
	uint64_t seen;	  /* tick it was last in the map */
	uint32_t emitted; /* transitions already turned into STATE records */
	uint32_t samples; /* tcp_probe's, when its TPUT was last sent */
};

struct live {
	struct source src;
	struct live_opts o;
	struct tcpscope_bpf *skel;
	struct ring_buffer *rb;
	struct spool spool;
	pthread_mutex_t rb_lock; /* who consumes rb: the drainer, or a tick (priority inheriting) */
	pthread_t drainer;
	bool draining;	  /* the drainer runs */
	bool drainer_rt;  /* ... at SCHED_FIFO */
	int drainer_stop; /* atomic */
	struct btf *btf;
	struct plan plan;
	struct kernel_probe kernel; /* what the plan asks of the kernel */
	struct table socks;	    /* struct live_sock */
	/*
	 * A bit per hash of the sids in socks (a superset): most closes are of
	 * short sessions that were never in the map at a tick, and this answers
	 * for them without a miss in the table's large index.
	 */
	uint64_t listed[LISTED_BITS / 64];
	struct table syms; /* addresses already named: struct model-like {addr} */
	struct ksyms *ksyms;
	pthread_t ksyms_loader; /* reads /proc/kallsyms beside the main loop */
	bool ksyms_loading;
	uint64_t ticks;
	uint64_t next_tick;
	bool backlog; /* the last drain stopped with records still waiting */
	uint64_t lost_user;
	int ncpus;
	uint64_t *keys;
	struct ts_sock *vals;
	const struct ts_slot *slots; /* the kernel's direct-mapped socket table, mapped */
	size_t nslots, slots_len;
	struct ts_ev_existing *existing; /* listed at start, fed after META */
	size_t nexisting;
	struct cgroup_paths cgroups;  /* services: cgroup ids to paths */
	struct table cgroups_named;   /* ids whose CGROUP record went out */
	struct listen_sampler listen; /* the Listeners pane's numbers, each interval */
	bool listening;		      /* ... it runs */
	int now_fd;		      /* sock_now, or -1 */
	uint64_t watch_sid;	      /* the session whose values are read now each interval */
	uint64_t watch_key;	      /* ... its socket, once a tick has seen it (0: not yet) */
};

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void hdr(struct ts_hdr *h, unsigned kind, size_t size)
{
	h->kind = (uint16_t)kind;
	h->size = (uint16_t)size;
	h->cpu = 0;
	h->ts_ns = mono_ns();
}

static void feed_one(struct live *l, const union ts_event *ev)
{
	l->src.feed(l->src.feed_ctx, ev);
}

/*
 * A record that names a service by its cgroup follows the cgroup's path,
 * once a run (and again if the set of those sent fills up).
 */
static void name_cgroup(struct live *l, uint64_t id)
{
	struct ts_ev_cgroup e;
	bool added;

	if (!id || !l->cgroups.root[0])
		return;
	if (table_count(&l->cgroups_named) == l->cgroups_named.cap)
		table_clear(&l->cgroups_named);
	if (!table_get(&l->cgroups_named, &id, &added) || !added)
		return;
	memset(&e, 0, sizeof(e));
	hdr(&e.hdr, TS_K_CGROUP, sizeof(e));
	e.id = id;
	/* "" when it is gone already: the model names it by its id */
	cgroup_paths_find(&l->cgroups, id, e.path, sizeof(e.path));
	feed_one(l, (union ts_event *)&e);
}

static void feed(struct live *l, const union ts_event *ev)
{
	name_cgroup(l, event_cgroup(ev));
	feed_one(l, ev);
}

static void feed_cb(void *ctx, const union ts_event *ev)
{
	feed(ctx, ev);
}

/* ---- which user-visible filter the kernel also applies ---- */

static bool port_set(const uint8_t *bits, uint16_t p)
{
	return bits[p >> 3] & (1 << (p & 7));
}

/* --laddr/--raddr, as the kernel's addr_in() compares */
static bool addr_wanted(const struct ts_addr_filter *f, const struct ts_conn *c, const uint8_t *a)
{
	if (!f->family)
		return true;
	if (c->family != f->family)
		return false;
	for (int i = 0; i < 16; i++)
		if ((a[i] & f->mask[i]) != f->addr[i])
			return false;
	return true;
}

/* The same filters as the kernel's conn_wanted() and owner_wanted(). */
static bool wanted(const struct live_opts *o, const struct ts_conn *c, const struct ts_owner *w)
{
	const struct ts_conn *me = &o->self_conn;

	if (o->family && c->family != o->family)
		return false;
	if (o->exclude_self && me->lport && c->lport == me->lport && c->rport == me->rport &&
	    c->netns == me->netns && !memcmp(c->laddr, me->laddr, 16) &&
	    !memcmp(c->raddr, me->raddr, 16))
		return false;
	if (o->lport_filter && !port_set(o->lports, c->lport))
		return false;
	if (o->rport_filter && !port_set(o->rports, c->rport))
		return false;
	/* else a session followed at a tick would seem to end without its close */
	if (!addr_wanted(&o->laddr, c, c->laddr) || !addr_wanted(&o->raddr, c, c->raddr))
		return false;
	return !o->pid || w->pid == o->pid;
}

/* ---- records from the kernel ---- */

static uint32_t listed_bit(uint64_t sid)
{
	return (uint32_t)((sid * 0x9e3779b97f4a7c15ULL) >> 48); /* 16 bits: LISTED_BITS */
}

static void listed_add(struct live *l, uint64_t sid)
{
	uint32_t b = listed_bit(sid);

	l->listed[b / 64] |= 1ULL << (b % 64);
}

static bool listed_maybe(const struct live *l, uint64_t sid)
{
	uint32_t b = listed_bit(sid);

	return l->listed[b / 64] >> (b % 64) & 1;
}

/*
 * The kernel's symbols take ~100 ms to read: a thread reads them from the
 * start (when drops are traced), so neither the first screen nor the drain of
 * the ring buffer waits for them.
 */
static void *load_ksyms(void *arg)
{
	return ksyms_load();
}

static void ksyms_start(struct live *l)
{
	l->ksyms_loading = !pthread_create(&l->ksyms_loader, NULL, load_ksyms, NULL);
	if (!l->ksyms_loading)
		l->ksyms = ksyms_load();
}

static void ksyms_ready(struct live *l)
{
	void *k = NULL;

	if (!l->ksyms_loading)
		return;
	pthread_join(l->ksyms_loader, &k);
	l->ksyms = k;
	l->ksyms_loading = false;
}

static void name_location(struct live *l, uint64_t addr)
{
	struct ts_ev_symbol e;
	bool added;

	if (!addr || !table_get(&l->syms, &addr, &added) || !added)
		return;
	ksyms_ready(l);
	memset(&e, 0, sizeof(e));
	if (ksyms_name(l->ksyms, addr, e.name, sizeof(e.name)))
		return;
	hdr(&e.hdr, TS_K_SYMBOL, sizeof(e));
	e.addr = addr;
	feed(l, (union ts_event *)&e);
}

/*
 * The kernel keeps a socket's transitions and sends them in batches (with
 * the map, in a full list, or with the close): they become STATE records
 * here, each once, with the session's ends and owner as known now.
 */
static void feed_transitions(struct live *l, const struct ts_ev_state *who, uint32_t first,
			     uint32_t n, const struct ts_trans *t, uint32_t *emitted)
{
	if (!l->o.all_states)
		return;
	for (uint32_t k = 0; k < n && k < TS_TRANS; k++) {
		struct ts_ev_state e = *who;

		if (first + k < *emitted)
			continue;
		e.hdr.ts_ns = t[k].ts_ns;
		e.oldstate = t[k].oldstate;
		e.newstate = t[k].newstate;
		e.dt_ns = t[k].dt_ns;
		feed(l, (union ts_event *)&e);
		*emitted = first + k + 1;
	}
}

static void who(struct ts_ev_state *e, uint64_t sid, const struct ts_conn *c,
		const struct ts_owner *o, uint8_t dir, uint8_t flags)
{
	memset(e, 0, sizeof(*e));
	e->hdr.kind = TS_K_STATE;
	e->hdr.size = sizeof(*e);
	e->sid = sid;
	e->conn = *c;
	e->owner = *o;
	e->dir = dir;
	e->flags = flags;
}

/* A socket user space follows from now on (seen in the map, or its transitions came). */
static struct live_sock *follow(struct live *l, uint64_t sid, bool *added)
{
	struct live_sock *s = table_get(&l->socks, &sid, added);

	if (!s) {
		l->lost_user++;
		return NULL;
	}
	listed_add(l, sid);
	if (*added)
		s->seen = l->ticks;
	return s;
}

static void on_transitions(struct live *l, const struct ts_ev_trans *t)
{
	struct ts_ev_state e;
	struct live_sock *s;
	uint32_t emitted = 0;
	bool added;

	/* sid 0: an untracked socket's, for the state log alone (nothing to follow) */
	s = t->sid ? follow(l, t->sid, &added) : NULL;
	if (s)
		emitted = s->emitted;
	who(&e, t->sid, &t->conn, &t->owner, t->dir, t->flags);
	feed_transitions(l, &e, t->first, t->n, t->trans, &emitted);
	if (s)
		s->emitted = emitted;
}

static void on_close(struct live *l, const struct ts_ev_close_trans *ct)
{
	const struct ts_ev_close *c = &ct->close;
	struct live_sock *s = NULL;
	struct ts_ev_close e = *c;
	struct ts_ev_state st;
	uint32_t emitted = 0;

	if (listed_maybe(l, c->sid))
		s = table_find(&l->socks, &c->sid);
	if (s)
		emitted = s->emitted;
	who(&st, c->sid, &c->conn, &c->owner, c->dir, c->flags);
	feed_transitions(l, &st, ct->first, ct->n, ct->trans, &emitted);
	if (s)
		table_remove(&l->socks, s);
	e.hdr.kind = TS_K_CLOSE;
	e.hdr.size = sizeof(e);
	feed(l, (union ts_event *)&e);
}

static void take_record(struct live *l, void *data, size_t size)
{
	union ts_event ev;
	const struct ts_hdr *h = data;

	if (size < sizeof(*h) || h->size != size || h->kind > TS_K_KERNEL_MAX) {
		l->lost_user++;
		return;
	}
	switch (h->kind) {
	case TS_K_TRANS:
		if (size != sizeof(struct ts_ev_trans))
			break;
		on_transitions(l, data);
		return;
	case TS_K_CLOSE_TRANS:
		if (size != sizeof(struct ts_ev_close_trans))
			break;
		on_close(l, data);
		return;
	default:
		if (size > sizeof(ev))
			break;
		memcpy(&ev, data, size);
		if (h->kind == TS_K_DROP)
			name_location(l, ev.drop.location);
		feed(l, &ev);
		return;
	}
	l->lost_user++; /* a record of the wrong size: another build's kernel side? */
}

/* The ring buffer's callback, under rb_lock: records wait in the spool. */
static int spool_record(void *ctx, void *data, size_t size)
{
	struct live *l = ctx;

	spool_put(&l->spool, data, (uint32_t)size);
	return 0;
}

static void consume_ring(struct live *l)
{
	pthread_mutex_lock(&l->rb_lock);
	ring_buffer__consume(l->rb);
	pthread_mutex_unlock(&l->rb_lock);
}

/*
 * Take in what the spool holds; with a deadline, stop past it (-EINPROGRESS)
 * so the caller answers keys between slices.
 */
static int take_spooled(struct live *l, uint64_t deadline_ns)
{
	const void *rec;
	uint32_t size, n = 0;

	while ((rec = spool_peek(&l->spool, &size))) {
		take_record(l, (void *)rec, size);
		spool_take(&l->spool);
		if (deadline_ns && ++n % 128 == 0 && mono_ns() > deadline_ns)
			return -EINPROGRESS;
	}
	return 0;
}

/*
 * The drainer: every DRAIN_MS, or sooner when the kernel says its buffer is
 * filling, move what waits there into the spool. At real-time priority it
 * is never kept from a CPU for long, and it does nothing else.
 */
static void *drain_loop(void *arg)
{
	struct live *l = arg;
	struct epoll_event ev;
	int efd = ring_buffer__epoll_fd(l->rb);

	while (!__atomic_load_n(&l->drainer_stop, __ATOMIC_ACQUIRE)) {
		epoll_wait(efd, &ev, 1, DRAIN_MS);
		consume_ring(l);
	}
	return NULL;
}

static void drainer_start(struct live *l)
{
	struct sched_param sp = {.sched_priority = 2}; /* above the main thread's 1 */
	pthread_mutexattr_t ma;
	pthread_attr_t ta;

	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setprotocol(&ma, PTHREAD_PRIO_INHERIT);
	pthread_mutex_init(&l->rb_lock, &ma);
	pthread_mutexattr_destroy(&ma);
	if (l->o.realtime) {
		pthread_attr_init(&ta);
		pthread_attr_setinheritsched(&ta, PTHREAD_EXPLICIT_SCHED);
		pthread_attr_setschedpolicy(&ta, SCHED_FIFO);
		pthread_attr_setschedparam(&ta, &sp);
		l->drainer_rt = l->draining = !pthread_create(&l->drainer, &ta, drain_loop, l);
		pthread_attr_destroy(&ta);
	}
	/* without the privilege (root, CAP_SYS_NICE), or with --nice 0, a thread like any other */
	if (!l->draining)
		l->draining = !pthread_create(&l->drainer, NULL, drain_loop, l);
}

static void drainer_stop(struct live *l)
{
	if (!l->draining)
		return;
	__atomic_store_n(&l->drainer_stop, 1, __ATOMIC_RELEASE);
	pthread_join(l->drainer, NULL);
	l->draining = false;
}

/* ---- once per interval ---- */

static void read_lost(struct live *l, struct ts_ev_tick *t)
{
	uint64_t vals[l->ncpus];

	for (uint32_t k = 0; k < TS_LOST_MAX; k++) {
		t->lost[k] = 0;
		if (bpf_map__lookup_elem(l->skel->maps.lost, &k, sizeof(k), vals, sizeof(vals), 0))
			continue;
		for (int c = 0; c < l->ncpus; c++)
			t->lost[k] += vals[c];
	}
}

static void sock_seen(struct live *l, uint64_t key, const struct ts_sock *v)
{
	bool watched = l->watch_sid && v->sid == l->watch_sid; /* 0: no page watches */
	struct live_sock *s;
	struct ts_ev_state st;
	struct ts_ev_tput e;
	bool added;

	if (!wanted(&l->o, &v->conn, &v->owner))
		return;
	s = follow(l, v->sid, &added);
	if (!s)
		return;
	s->seen = l->ticks;
	if (v->ntrans > s->emitted) {
		who(&st, v->sid, &v->conn, &v->owner, v->dir, v->flags);
		feed_transitions(l, &st, v->first_trans, v->ntrans - v->first_trans, v->trans,
				 &s->emitted);
	}
	if (watched)
		l->watch_key = key;
	/* a TPUT when it moved bytes, or its RTT and windows were sampled again (or read now) */
	if (!added && !watched && s->tx == v->app_tx && s->rx == v->app_rx &&
	    s->samples == v->rtt.samples)
		return;
	s->tx = v->app_tx;
	s->rx = v->app_rx;
	s->samples = v->rtt.samples;
	memset(&e, 0, sizeof(e));
	hdr(&e.hdr, TS_K_TPUT, sizeof(e));
	e.sid = v->sid;
	e.conn = v->conn;
	e.owner = v->owner;
	e.start_ns = v->start_ns;
	e.app_tx = v->app_tx;
	e.app_rx = v->app_rx;
	e.dir = v->dir;
	e.flags = v->flags;
	e.rtt = v->rtt;
	e.cgroup_id = v->cgroup;
	feed(l, (union ts_event *)&e);
}

/*
 * The direct-mapped table, read in place. A slot is copied only when it
 * held the same whole entry before and after (struct ts_slot); one that
 * changed meanwhile was freed or claimed, and is seen at the next tick.
 */
static uint64_t read_slots(struct live *l)
{
	uint64_t total = 0;

	for (size_t i = 0; i < l->nslots; i++) {
		const struct ts_slot *d = &l->slots[i];
		uint64_t seq = __atomic_load_n(&d->seq, __ATOMIC_ACQUIRE), tag;
		struct ts_sock v;

		if (!(seq & 1))
			continue;
		tag = __atomic_load_n(&d->tag, __ATOMIC_ACQUIRE);
		if (!tag)
			continue;
		memcpy(&v, &d->s, sizeof(v));
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (__atomic_load_n(&d->seq, __ATOMIC_RELAXED) != seq ||
		    __atomic_load_n(&d->tag, __ATOMIC_RELAXED) != tag)
			continue;
		sock_seen(l, tag, &v);
		total++;
	}
	return total;
}

/* The hash map, for the sockets whose slot was taken. */
static uint64_t read_socks(struct live *l)
{
	int fd = bpf_map__fd(l->skel->maps.socks);
	uint64_t in = 0, out = 0, total = 0;
	bool first = true;

	for (;;) {
		__u32 count = BATCH;
		int rc = bpf_map_lookup_batch(fd, first ? NULL : &in, &out, l->keys, l->vals,
					      &count, NULL);

		if (rc && rc != -ENOENT)
			break;
		for (__u32 i = 0; i < count; i++)
			sock_seen(l, l->keys[i], &l->vals[i]);
		total += count;
		if (rc == -ENOENT)
			break;
		in = out;
		first = false;
	}
	return total;
}

/*
 * Sockets that left the map without a close record: their close was lost.
 * The filter of listed sids is rebuilt from the ones that stay.
 */
static void sweep_gone(struct live *l)
{
	struct live_sock *s;
	size_t pos = 0;

	memset(l->listed, 0, sizeof(l->listed));
	while ((s = table_next(&l->socks, &pos))) {
		struct ts_ev_gone g;

		if (l->ticks - s->seen < GONE_TICKS) {
			listed_add(l, s->sid);
			continue;
		}
		memset(&g, 0, sizeof(g));
		hdr(&g.hdr, TS_K_GONE, sizeof(g));
		g.sid = s->sid;
		table_remove(&l->socks, s);
		feed(l, (union ts_event *)&g);
	}
}

/* ---- RTT histograms ---- */

static void feed_rtt(struct live *l, const struct ts_rtt_key *k, const struct ts_rtt_hist *h)
{
	struct ts_ev_rtt e;

	if (!h->samples)
		return;
	memset(&e, 0, sizeof(e));
	hdr(&e.hdr, TS_K_RTT, sizeof(e));
	e.key = *k;
	e.unit = l->o.rtt_div == 1000;
	e.h = *h;
	feed(l, (union ts_event *)&e);
}

/* Every connection's histogram of generation gen: a copy per CPU, summed, then emptied. */
static void read_rtt_all(struct live *l, uint32_t gen)
{
	const struct bpf_map *m = l->skel->maps.rtt_all;
	size_t stride = (sizeof(struct ts_rtt_hist) + 7) & ~(size_t)7;
	struct ts_rtt_key k = {.scope = TS_RTT_ALL};
	struct ts_rtt_hist sum;
	uint8_t *vals = calloc((size_t)l->ncpus, stride);

	if (!vals)
		return;
	memset(&sum, 0, sizeof(sum));
	if (!bpf_map__lookup_elem(m, &gen, sizeof(gen), vals, (size_t)l->ncpus * stride, 0)) {
		for (int c = 0; c < l->ncpus; c++) {
			const struct ts_rtt_hist *h = (const void *)(vals + (size_t)c * stride);

			sum.samples += h->samples;
			sum.sum += h->sum;
			if (h->max > sum.max)
				sum.max = h->max;
			for (int b = 0; b < TS_RTT_BUCKETS; b++)
				sum.buckets[b] += h->buckets[b];
		}
		memset(vals, 0, (size_t)l->ncpus * stride);
		bpf_map__update_elem(m, &gen, sizeof(gen), vals, (size_t)l->ncpus * stride, 0);
	}
	free(vals);
	feed_rtt(l, &k, &sum);
}

/* The histograms by address of generation gen, taken out of the map as they are read. */
static void read_rtt_addrs(struct live *l, uint32_t gen)
{
	const struct bpf_map *m = gen ? l->skel->maps.rtt_hist1 : l->skel->maps.rtt_hist0;
	struct ts_rtt_key keys[64];
	struct ts_rtt_hist vals[64];
	int fd = bpf_map__fd(m);
	struct ts_rtt_key in, out;
	bool first = true;

	for (;;) {
		__u32 count = 64;
		int rc = bpf_map_lookup_and_delete_batch(fd, first ? NULL : &in, &out, keys, vals,
							 &count, NULL);

		if (rc && rc != -ENOENT)
			break;
		for (__u32 i = 0; i < count; i++)
			feed_rtt(l, &keys[i], &vals[i]);
		if (rc == -ENOENT)
			break;
		in = out;
		first = false;
	}
}

/*
 * The programs add to the generation rtt_gen names: flip it at the start of
 * a tick, and read the other at its end, when no program that began before
 * the flip (they run for a microsecond) can still be adding to it.
 */
static uint32_t rtt_flip(struct live *l)
{
	uint32_t was;

	if (!l->plan.tier[JOB_RTT])
		return 0;
	was = __atomic_load_n(&l->skel->bss->rtt_gen, __ATOMIC_RELAXED);
	__atomic_store_n(&l->skel->bss->rtt_gen, was ^ 1, __ATOMIC_RELEASE);
	return was & 1;
}

static void read_rtt(struct live *l, uint32_t gen)
{
	if (!l->plan.tier[JOB_RTT])
		return;
	if (l->o.rtt_scopes & (1 << TS_RTT_ALL))
		read_rtt_all(l, gen);
	if (l->o.rtt_scopes & (1 << TS_RTT_RADDR | 1 << TS_RTT_LADDR))
		read_rtt_addrs(l, gen);
}

/* The watched session's srtt and windows as they are now, into its entry (sock_now). */
static void read_watched(struct live *l)
{
	LIBBPF_OPTS(bpf_test_run_opts, run, .ctx_in = &l->watch_key,
		    .ctx_size_in = sizeof(l->watch_key));

	if (l->now_fd >= 0 && l->watch_sid && l->watch_key)
		bpf_prog_test_run_opts(l->now_fd, &run);
}

static void tick(struct live *l)
{
	struct ts_ev_tick t;
	uint32_t rtt_gen;

	/* closes already queued must be seen before the map says their sockets are gone */
	consume_ring(l);
	take_spooled(l, 0);
	rtt_gen = rtt_flip(l);
	l->ticks++;
	memset(&t, 0, sizeof(t));
	read_watched(l);
	t.open_sockets = read_slots(l) + read_socks(l);
	sweep_gone(l);
	read_rtt(l, rtt_gen);
	if (l->listening)
		listen_sampler_tick(&l->listen, feed_cb, l);
	read_lost(l, &t);
	t.lost_user = l->lost_user + l->spool.refused;
	t.interval_ns = (uint64_t)l->o.interval_ms * 1000000ULL;
	hdr(&t.hdr, TS_K_TICK, sizeof(t));
	feed(l, (union ts_event *)&t);
}

/* ---- start ---- */

static void emit_meta(struct live *l)
{
	struct ts_ev_meta m;
	struct timespec rt;
	struct utsname u;

	memset(&m, 0, sizeof(m));
	hdr(&m.hdr, TS_K_META, sizeof(m));
	clock_gettime(CLOCK_REALTIME, &rt);
	m.realtime_ns = (int64_t)rt.tv_sec * 1000000000LL + rt.tv_nsec;
	m.interval_ms = l->o.interval_ms;
	if (!uname(&u)) {
		/* cut to fit: the record's fields are fixed-size */
		memcpy(m.host, u.nodename, strnlen(u.nodename, sizeof(m.host) - 1));
		memcpy(m.kernel, u.release, strnlen(u.release, sizeof(m.kernel) - 1));
	}
	snprintf(m.plan, sizeof(m.plan), "%s", plan_line(&l->plan));
	feed(l, (union ts_event *)&m);
}

/* The names of n reasons, as REASON records numbered from base. */
static void emit_names(struct live *l, char **names, uint32_t n, uint32_t base)
{
	for (uint32_t r = 0; r < n; r++) {
		struct ts_ev_reason e;

		if (!names[r])
			continue;
		memset(&e, 0, sizeof(e));
		hdr(&e.hdr, TS_K_REASON, sizeof(e));
		e.reason = base + r;
		snprintf(e.name, sizeof(e.name), "%s", names[r]);
		feed(l, (union ts_event *)&e);
		free(names[r]);
		names[r] = NULL;
	}
}

static void emit_reasons(struct live *l)
{
	char *names[DROP_REASON_MAX];

	if (drop_reasons_load(l->btf, names) >= 0)
		emit_names(l, names, DROP_REASON_MAX, 0);
	/* the resets' (6.10), where the kernel gives them */
	if (l->plan.tier[JOB_RESETS] &&
	    kernel_enum_names(l->btf, "sk_rst_reason", "SK_RST_REASON_", names, RST_REASON_MAX) > 0)
		emit_names(l, names, RST_REASON_MAX, TS_RST_REASON_BASE);
}

static int by_sid(const void *a, const void *b)
{
	const struct owner_query *x = a, *y = b;

	return x->sid < y->sid ? -1 : x->sid > y->sid;
}

static void feed_existing(struct live *l)
{
	struct owner_query *q = calloc(l->nexisting ? l->nexisting : 1, sizeof(*q));

	if (!q)
		return;
	for (size_t i = 0; i < l->nexisting; i++) {
		q[i].ino = l->existing[i].ino;
		q[i].sid = l->existing[i].sid;
	}
	proc_find_owners(q, l->nexisting);
	qsort(q, l->nexisting, sizeof(*q), by_sid);
	for (size_t i = 0; i < l->nexisting; i++) {
		struct ts_ev_existing *rec = &l->existing[i];
		struct owner_query key = {.sid = rec->sid};
		const struct owner_query *o = bsearch(&key, q, l->nexisting, sizeof(*q), by_sid);
		struct ts_owner_hint hint;
		struct ts_ev_owner e;

		/* the kernel already applied the connection filters; the owner is known only now */
		if (l->o.pid && (!o || o->owner.pid != l->o.pid))
			continue;
		rec->hdr.ts_ns = mono_ns();
		feed(l, (union ts_event *)rec);
		if (!o || !o->owner.pid)
			continue;
		hint.owner = o->owner;
		hint.cgroup = cgroup_of_pid(&l->cgroups, o->owner.pid);
		/* the kernel takes the owner from here when the socket next changes state */
		bpf_map__update_elem(l->skel->maps.owner_hints, &rec->ino, sizeof(rec->ino), &hint,
				     sizeof(hint), BPF_ANY);
		memset(&e, 0, sizeof(e));
		hdr(&e.hdr, TS_K_OWNER, sizeof(e));
		e.sid = rec->sid;
		e.owner = o->owner;
		e.cgroup_id = hint.cgroup;
		feed(l, (union ts_event *)&e);
	}
	free(q);
	free(l->existing);
	l->existing = NULL;
	l->nexisting = 0;
}

/* ---- the source interface ---- */

static int live_step(struct source *src, int timeout_ms)
{
	struct live *l = (struct live *)src;
	uint64_t now = mono_ns();
	int wait, rc;

	/* a backlog goes first, for a while: the tick's own drain takes it all at once */
	if (now >= l->next_tick &&
	    (!l->backlog || now >= l->next_tick + TICK_GRACE_MS * 1000000ULL)) {
		tick(l);
		l->backlog = false;
		l->next_tick += (uint64_t)l->o.interval_ms * 1000000ULL;
		if (l->next_tick < now) /* we were stopped (^Z): do not catch up tick by tick */
			l->next_tick = now + (uint64_t)l->o.interval_ms * 1000000ULL;
		return 0;
	}
	wait = (int)((l->next_tick - now) / 1000000ULL);
	if (wait > timeout_ms)
		wait = timeout_ms;
	if (wait > DRAIN_MS)
		wait = DRAIN_MS;
	/*
	 * Records wait in the ring buffer and are taken in batches: sleep, then
	 * drain. (Waiting on the ring buffer's descriptor would return as soon as
	 * one record is there, a wake-up per few records under load.)
	 */
	if (wait > 0 && !l->backlog)
		poll(NULL, 0, wait);
	if (!l->draining)
		consume_ring(l);
	rc = take_spooled(l, mono_ns() + DRAIN_BUDGET_MS * 1000000ULL);
	l->backlog = rc == -EINPROGRESS;
	if (l->backlog)
		return SOURCE_MORE;
	return 0;
}

static void live_set_interval(struct source *src, unsigned ms)
{
	struct live *l = (struct live *)src;

	l->o.interval_ms = ms;
	l->next_tick = mono_ns() + (uint64_t)ms * 1000000ULL;
}

static void live_watch(struct source *src, uint64_t sid)
{
	struct live *l = (struct live *)src;

	if (sid == l->watch_sid)
		return;
	l->watch_sid = sid;
	l->watch_key = 0; /* the next tick finds its socket, the one after reads it */
}

static const char *live_plan(struct source *src)
{
	return plan_line(&((struct live *)src)->plan);
}

static const char *live_why_off(struct source *src, const char *job)
{
	struct live *l = (struct live *)src;
	int j = job_parse(job);

	return j >= 0 && !l->plan.tier[j] ? l->plan.why[j] : NULL;
}

static const char *live_why(struct source *src, const char *job)
{
	struct live *l = (struct live *)src;
	int j = job_parse(job);

	if (!strcmp(job, "services")) /* not a job: where services are named from */
		return l->cgroups.why;
	if (j >= 0 && l->plan.tier[j] && !l->plan.why[j][0] && job_cost((enum job)j))
		return job_cost((enum job)j);
	return j >= 0 ? l->plan.why[j] : NULL;
}

/*
 * Records still in the ring buffer, not yet moved by the drainer (it wakes
 * every DRAIN_MS), are owed too: a step only takes what it has spooled.
 */
static void live_flush(struct source *src)
{
	struct live *l = (struct live *)src;

	consume_ring(l);
	take_spooled(l, 0);
}

static void live_close(struct source *src)
{
	struct live *l = (struct live *)src;

	drainer_stop(l);
	ring_buffer__free(l->rb);
	spool_free(&l->spool);
	tcpscope_bpf__destroy(l->skel);
	btf__free(l->btf);
	kernel_probe_free(&l->kernel);
	ksyms_ready(l);
	ksyms_free(l->ksyms);
	table_free(&l->socks);
	table_free(&l->syms);
	listen_sampler_close(&l->listen);
	cgroup_paths_close(&l->cgroups);
	table_free(&l->cgroups_named);
	free(l->keys);
	free(l->vals);
	free(l->existing);
	if (l->slots)
		munmap((void *)l->slots, l->slots_len);
	free(l);
}

/* The histograms of the interval in progress: flip, let the programs in flight end, read. */
static void live_finish(struct source *src)
{
	struct live *l = (struct live *)src;
	uint32_t gen = rtt_flip(l);

	if (!l->plan.tier[JOB_RTT])
		return;
	poll(NULL, 0, 1);
	read_rtt(l, gen);
}

static const struct source_ops live_ops = {
    .step = live_step,
    .finish = live_finish,
    .plan = live_plan,
    .set_interval = live_set_interval,
    .why_off = live_why_off,
    .why = live_why,
    .flush = live_flush,
    .watch = live_watch,
    .close = live_close,
};

static void print_plan(const struct plan *p)
{
	for (int j = 0; j < JOB_MAX; j++) {
		const char *cost = p->tier[j] ? job_cost((enum job)j) : NULL;

		fprintf(stderr, "tcpscope: %-8s %-10s %s%s%s%s%s\n", job_name((enum job)j),
			tier_name(p->tier[j]), job_feeds((enum job)j), p->why[j][0] ? ": " : "",
			p->why[j], cost ? "; " : "", cost ? cost : "");
	}
}

static void print_services(const struct live *l)
{
	fprintf(stderr, "tcpscope: %s\n", l->cgroups.why);
}

static void print_drainer(const struct live *l)
{
	fprintf(stderr, "tcpscope: records are drained from the kernel %s\n",
		l->drainer_rt ? "at real-time priority (SCHED_FIFO 2)"
		: l->draining ? "by a thread at normal priority (real-time needs root or "
				"CAP_SYS_NICE, and is off with --nice 0): a saturated host may "
				"delay it"
			      : "between screens (no thread could be started)");
}

/* The socket table's slots, read-only: user space reads them each tick without a copy. */
static int map_slots(struct live *l, char *err, size_t errlen)
{
	const struct bpf_map *m = l->skel->maps.slots;
	long page = sysconf(_SC_PAGESIZE);
	void *p;

	if (bpf_map__value_size(m) != sizeof(struct ts_slot)) {
		snprintf(err, errlen, "the socket table's slots are not this build's size");
		return -1;
	}
	l->nslots = bpf_map__max_entries(m);
	l->slots_len =
	    (l->nslots * sizeof(struct ts_slot) + (size_t)page - 1) & ~((size_t)page - 1);
	p = mmap(NULL, l->slots_len, PROT_READ, MAP_SHARED, bpf_map__fd(m), 0);
	if (p == MAP_FAILED) {
		snprintf(err, errlen, "cannot map the socket table: %s", strerror(errno));
		return -1;
	}
	l->slots = p;
	return 0;
}

/*
 * The listener tables fill from the state hook; their queues are sampled
 * where the kernel runs the sampler on demand (else the pane shows what
 * the events say, and -v why).
 */
static bool start_listeners(struct live *l, char *err, size_t errlen)
{
	char why[160];

	if (listen_sampler_open(&l->listen, l->skel, l->plan.tier[JOB_LISTEN] != TIER_OFF, l->o.pid,
				l->o.max_listeners, &l->cgroups)) {
		snprintf(err, errlen, "out of memory");
		return false;
	}
	if (l->plan.tier[JOB_LISTEN] && !listen_sampler_works(&l->listen, why, sizeof(why)))
		plan_fall_back(&l->plan, JOB_LISTEN, why);
	l->listening = true;
	return true;
}

struct source *live_open(const struct live_opts *o, feed_fn fn, void *ctx, char *err, size_t errlen)
{
	struct live *l = calloc(1, sizeof(*l));
	struct kernel_hooks hooks;
	char why[160];

	if (!l) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	l->src.ops = &live_ops;
	l->src.feed = fn;
	l->src.feed_ctx = ctx;
	l->o = *o;
	load_quiet_unless(o->verbose);
	l->ncpus = libbpf_num_possible_cpus();
	l->btf = vmlinux_btf_load();
	if (!l->btf) {
		snprintf(err, errlen,
			 "this kernel has no BTF (/sys/kernel/btf/vmlinux): tcpscope "
			 "needs a kernel built with CONFIG_DEBUG_INFO_BTF=y");
		free(l);
		return NULL;
	}
	cgroup_paths_open(&l->cgroups, CGROUPS_KEPT);
	l->o.cgroups = l->cgroups.root[0] != 0;
	if (table_init(&l->socks, sizeof(struct live_sock), sizeof(uint64_t), o->max_sockets * 2) ||
	    table_init(&l->cgroups_named, sizeof(uint64_t), sizeof(uint64_t), CGROUPS_KEPT) ||
	    table_init(&l->syms, sizeof(uint64_t), sizeof(uint64_t), 65536) ||
	    !(l->keys = calloc(BATCH, sizeof(*l->keys))) ||
	    !(l->vals = calloc(BATCH, sizeof(*l->vals)))) {
		snprintf(err, errlen, "out of memory");
		live_close(&l->src);
		return NULL;
	}
	/* what every session needs always runs; the rest only for a pane that shows it */
	for (int j = 0; j < JOB_MAX; j++)
		l->plan.want[j] = !job_on_demand((enum job)j) || (o->want_jobs & (1u << j));
	l->plan.want[JOB_ACCEPT] = o->accept_hook;
	for (int j = 0; j < JOB_MAX; j++)
		l->plan.absent[j] = o->without & (1u << j);
	hooks = kernel_probe_init(&l->kernel, l->btf);
	plan_probe(&l->plan, &hooks, (enum tier)o->first_tier);
	if (!l->plan.tier[JOB_STATE]) {
		snprintf(err, errlen, "cannot trace TCP state changes: %s", l->plan.why[JOB_STATE]);
		live_close(&l->src);
		return NULL;
	}
	err[0] = 0;
	l->skel = load_programs(&l->plan, &l->o, l->btf, err, errlen);
	if (!l->skel) {
		live_close(&l->src);
		return NULL;
	}
	if (map_slots(l, err, errlen)) {
		live_close(&l->src);
		return NULL;
	}
	l->now_fd = l->plan.tier[JOB_RTT] ? bpf_program__fd(l->skel->progs.sock_now) : -1;
	l->rb = ring_buffer__new(bpf_map__fd(l->skel->maps.events), spool_record, l, NULL);
	if (!l->rb || spool_init(&l->spool, SPOOL_RINGS * (uint64_t)o->ringbuf_bytes)) {
		snprintf(err, errlen, "cannot open the ring buffer: %s", strerror(errno));
		live_close(&l->src);
		return NULL;
	}
	drainer_start(l);
	if (l->plan.want[JOB_LISTEN] && !start_listeners(l, err, errlen)) {
		live_close(&l->src);
		return NULL;
	}
	if (l->plan.tier[JOB_ITER] &&
	    existing_list(l->skel, &l->existing, &l->nexisting, why, sizeof(why)))
		plan_fall_back(&l->plan, JOB_ITER, why);
	if (o->verbose) {
		print_plan(&l->plan);
		print_drainer(l);
		print_services(l);
	}
	emit_meta(l);
	emit_reasons(l);
	if (l->plan.tier[JOB_DROPS])
		ksyms_start(l);
	feed_existing(l);
	/* the kernel's types were for loading and for the reason names: their megabytes go back */
	btf__free(l->btf);
	l->btf = NULL;
	kernel_probe_free(&l->kernel);
	l->kernel.btf = NULL;
	l->next_tick = mono_ns() + (uint64_t)o->interval_ms * 1000000ULL;
	return &l->src;
}
