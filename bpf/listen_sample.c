// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "listen_sample.h"
#include "proc_owners.h"
#include "tcpscope.skel.h"

#define BATCH 256 /* entries per lookup call */

/* An address's record as its sockets are added up. */
struct addr_sum {
	struct ts_lkey key; /* first: the table's key */
	struct ts_ev_listener rec;
};

/* What /proc said of a listener's inode (pid 0: nobody holds it now). */
struct found_owner {
	uint64_t ino; /* first: the table's key */
	struct ts_owner owner;
	uint64_t cgroup;
};

int listen_sampler_open(struct listen_sampler *s, struct tcpscope_bpf *skel, bool sample,
			uint32_t pid, size_t max, const struct cgroup_paths *cg)
{
	memset(s, 0, sizeof(*s));
	s->socks_fd = bpf_map__fd(skel->maps.listen_socks);
	s->addrs_fd = bpf_map__fd(skel->maps.listen_addrs);
	s->prog_fd = sample ? bpf_program__fd(skel->progs.listen_sample) : -1;
	s->pid = pid;
	s->max = max;
	s->cgroups = cg;
	s->keys = calloc(max, sizeof(*s->keys));
	s->socks = calloc(max, sizeof(*s->socks));
	s->akeys = calloc(max, sizeof(*s->akeys));
	s->addrs = calloc(max, sizeof(*s->addrs));
	if (!s->keys || !s->socks || !s->akeys || !s->addrs ||
	    table_init(&s->out, sizeof(struct addr_sum), sizeof(struct ts_lkey), max) ||
	    table_init(&s->owners, sizeof(struct found_owner), sizeof(uint64_t), max)) {
		listen_sampler_close(s);
		return -ENOMEM;
	}
	return 0;
}

void listen_sampler_close(struct listen_sampler *s)
{
	free(s->keys);
	free(s->socks);
	free(s->akeys);
	free(s->addrs);
	table_free(&s->out);
	table_free(&s->owners);
	memset(s, 0, sizeof(*s));
	s->prog_fd = -1;
}

static int run_sampler(int prog_fd, uint64_t key)
{
	LIBBPF_OPTS(bpf_test_run_opts, run, .ctx_in = &key, .ctx_size_in = sizeof(key));

	return bpf_prog_test_run_opts(prog_fd, &run);
}

bool listen_sampler_works(struct listen_sampler *s, char *why, size_t n)
{
	int rc;

	if (s->prog_fd < 0)
		return false;
	rc = run_sampler(s->prog_fd, 0); /* no socket has address 0: it only runs */
	if (!rc)
		return true;
	snprintf(why, n, "cannot run the sampler (BPF_PROG_TEST_RUN): %s", strerror(-rc));
	s->prog_fd = -1;
	return false;
}

/* Every entry of a hash map, keys and values into the arrays: how many. */
static size_t read_all(int fd, void *keys, size_t ksize, void *vals, size_t vsize, size_t max)
{
	uint64_t in[4] = {0}, out[4] = {0}; /* batch cursors: at least a key's size */
	bool first = true;
	size_t n = 0;

	while (n < max) {
		__u32 count = (__u32)(max - n < BATCH ? max - n : BATCH);
		int rc = bpf_map_lookup_batch(fd, first ? NULL : in, out, (char *)keys + n * ksize,
					      (char *)vals + n * vsize, &count, NULL);

		if (rc && rc != -ENOENT)
			break;
		n += count;
		if (rc == -ENOENT)
			break;
		memcpy(in, out, sizeof(in));
		first = false;
	}
	return n;
}

/* Owners of the listeners from before tracing, from /proc: once an inode. */
static void find_owners(struct listen_sampler *s, size_t n)
{
	struct owner_query *q = calloc(n ? n : 1, sizeof(*q));
	size_t nq = 0;

	if (!q)
		return;
	for (size_t i = 0; i < n; i++)
		if (!s->socks[i].owner.pid && s->socks[i].ino &&
		    !table_find(&s->owners, &s->socks[i].ino))
			q[nq++].ino = s->socks[i].ino;
	if (nq)
		proc_find_owners(q, nq);
	for (size_t i = 0; i < nq; i++) {
		struct found_owner *f = table_get(&s->owners, &q[i].ino, NULL);

		if (!f)
			break;
		f->owner = q[i].owner;
		f->cgroup = cgroup_of_pid(s->cgroups, q[i].owner.pid);
	}
	free(q);
}

static void owner_of(const struct listen_sampler *s, const struct ts_lsock *ls, struct ts_owner *o,
		     uint64_t *cgroup)
{
	const struct found_owner *f;

	*o = ls->owner;
	*cgroup = ls->cgroup;
	if (o->pid || !ls->ino || !(f = table_find(&s->owners, &ls->ino)))
		return;
	*o = f->owner;
	*cgroup = f->cgroup;
}

/* One socket into its address's record. */
static void add_socket(struct listen_sampler *s, const struct ts_lsock *ls)
{
	struct ts_ev_listener *r;
	struct addr_sum *sum;
	struct ts_owner o;
	uint64_t cgroup;
	bool added;

	owner_of(s, ls, &o, &cgroup);
	if (s->pid && o.pid != s->pid)
		return;
	sum = table_get(&s->out, &ls->key, &added);
	if (!sum)
		return;
	r = &sum->rec;
	if (added) {
		r->conn.family = ls->key.family;
		r->conn.lport = ls->key.lport;
		r->conn.netns = ls->key.netns;
		memcpy(r->conn.laddr, ls->key.laddr, sizeof(r->conn.laddr));
		r->start_ns = ls->start_ns;
	}
	/* the row's owner: the first listen() seen, or one from before tracing */
	if (o.pid && (!r->owner.pid || (ls->start_ns && ls->start_ns < r->start_ns))) {
		r->owner = o;
		r->cgroup_id = cgroup;
	}
	if (!ls->start_ns || ls->start_ns < r->start_ns)
		r->start_ns = ls->start_ns;
	r->socks++;
	if (ls->sampled_ns) {
		r->flags |= TS_LF_SAMPLED;
		r->queue += ls->queue;
		r->backlog += ls->backlog;
		r->syn_queue += ls->syn_queue;
		r->drops += ls->drops;
		if (ls->qmax > r->qmax)
			r->qmax = ls->qmax;
	}
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

void listen_sampler_tick(struct listen_sampler *s, void (*fn)(void *ctx, const union ts_event *ev),
			 void *ctx)
{
	size_t n =
	    read_all(s->socks_fd, s->keys, sizeof(*s->keys), s->socks, sizeof(*s->socks), s->max);
	size_t na, pos = 0;
	struct addr_sum *sum;
	uint64_t now = mono_ns();

	if (s->prog_fd >= 0 && n) {
		for (size_t i = 0; i < n; i++)
			run_sampler(s->prog_fd, s->keys[i]);
		n = read_all(s->socks_fd, s->keys, sizeof(*s->keys), s->socks, sizeof(*s->socks),
			     s->max);
	}
	find_owners(s, n);
	table_clear(&s->out);
	for (size_t i = 0; i < n; i++)
		add_socket(s, &s->socks[i]);
	na =
	    read_all(s->addrs_fd, s->akeys, sizeof(*s->akeys), s->addrs, sizeof(*s->addrs), s->max);
	for (size_t i = 0; i < na; i++) {
		const struct ts_laddr *a = &s->addrs[i];

		sum = table_find(&s->out, &s->akeys[i]);
		if (!sum)
			continue;
		sum->rec.clones = a->clones;
		sum->rec.discarded = a->discarded;
		sum->rec.base_queue = a->base_queue;
		memcpy(sum->rec.hist, a->hist, sizeof(sum->rec.hist));
		sum->rec.flags |= TS_LF_HIST;
	}
	while ((sum = table_next(&s->out, &pos))) {
		union ts_event ev;

		memset(&ev, 0, sizeof(ev));
		ev.listener = sum->rec;
		ev.hdr.kind = TS_K_LISTENER;
		ev.hdr.size = sizeof(ev.listener);
		ev.hdr.cpu = 0;
		ev.hdr.ts_ns = now;
		fn(ctx, &ev);
	}
}
