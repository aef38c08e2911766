// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>
#include "plan.h"

struct job_def {
	const char *name;
	const char *feeds;
	const char *tps[3];	 /* category/name of the tracepoints it needs */
	const char *progs[4][5]; /* per tier: BTF, RAW, TP (index tier-1), ITER */
};

static const struct job_def jobs[JOB_MAX] = {
    [JOB_STATE] = {"state",
		   "lifespans and states",
		   {"sock/inet_sock_set_state"},
		   {{"state_btf"}, {"state_raw"}, {"state_tp"}}},
    [JOB_TRAFFIC] = {"traffic",
		     "throughput, and owners learned from send/recv",
		     {"sock/sock_send_length", "sock/sock_recv_length"},
		     {{"send_btf", "recv_btf"}, {"send_raw", "recv_raw"}, {"send_tp", "recv_tp"}}},
    [JOB_ACCEPT] = {"accept",
		    "owners of accepted sockets at accept()",
		    {"raw_syscalls/sys_exit"},
		    {{"accept_btf"}, {"accept_raw"}, {"accept4_tp", "accept_tp"}}},
    [JOB_RETRANS] = {"retrans",
		     "retransmits",
		     {"tcp/tcp_retransmit_skb", "tcp/tcp_retransmit_synack"},
		     {{"retrans_btf", "synack_btf"},
		      {"retrans_raw", "synack_raw"},
		      {"retrans_tp", "synack_tp"}}},
    [JOB_DROPS] = {"drops", "drops", {"skb/kfree_skb"}, {{"drop_btf"}, {"drop_raw"}, {"drop_tp"}}},
    [JOB_ITER] = {"iter",
		  "sessions open before tracing began",
		  {NULL},
		  {{0}, {0}, {0}, {"existing"}}},
};

const char *job_name(enum job j)
{
	return jobs[j].name;
}

const char *job_feeds(enum job j)
{
	return jobs[j].feeds;
}

const char *tier_name(enum tier t)
{
	static const char *const names[] = {"off", "tp_btf", "raw_tp", "tracepoint", "iter"};

	return names[t];
}

int job_parse(const char *s)
{
	for (int j = 0; j < JOB_MAX; j++)
		if (!strcmp(s, jobs[j].name))
			return j;
	return -1;
}

int tier_parse(const char *s)
{
	if (!strcmp(s, "btf") || !strcmp(s, "tp_btf"))
		return TIER_BTF;
	if (!strcmp(s, "raw") || !strcmp(s, "raw_tp"))
		return TIER_RAW;
	if (!strcmp(s, "tp") || !strcmp(s, "tracepoint"))
		return TIER_TP;
	return -1;
}

const char *const *plan_programs(enum job j, enum tier t)
{
	if (t == TIER_OFF)
		return NULL;
	return jobs[j].progs[t - 1];
}

static bool has_btf_tp(const struct btf *btf, const char *tp)
{
	char name[128];
	const char *slash = strchr(tp, '/');

	/* the accept job's syscall tracepoints are raw_syscalls/sys_exit under BTF */
	snprintf(name, sizeof(name), "btf_trace_%s", slash ? slash + 1 : tp);
	return btf && btf__find_by_name_kind(btf, name, BTF_KIND_TYPEDEF) > 0;
}

static const char *tracefs(void)
{
	static const char *const roots[] = {"/sys/kernel/tracing", "/sys/kernel/debug/tracing"};

	for (size_t i = 0; i < 2; i++) {
		char path[128];

		snprintf(path, sizeof(path), "%s/events", roots[i]);
		if (!access(path, F_OK))
			return roots[i];
	}
	return NULL;
}

static bool has_classic_tp(enum job j, char *why, size_t n)
{
	const char *root = tracefs();
	char path[256];

	if (!root) {
		snprintf(why, n, "tracefs is not mounted");
		return false;
	}
	for (int i = 0; i < 3 && jobs[j].tps[i]; i++) {
		const char *tp = jobs[j].tps[i];

		/* classic syscall events are per syscall */
		if (j == JOB_ACCEPT)
			tp = "syscalls/sys_exit_accept4";
		snprintf(path, sizeof(path), "%s/events/%s/id", root, tp);
		if (access(path, F_OK)) {
			snprintf(why, n, "no tracepoint %s", tp);
			return false;
		}
	}
	return true;
}

/* The first tier at or after t this kernel offers for job j. */
static enum tier available(struct plan *p, enum job j, enum tier t, const struct btf *btf)
{
	char why[160] = "";

	for (; t <= TIER_TP; t++) {
		bool ok = true;

		if (t == TIER_TP) {
			ok = has_classic_tp(j, why, sizeof(why));
		} else {
			for (int i = 0; i < 3 && jobs[j].tps[i]; i++)
				if (!has_btf_tp(btf, jobs[j].tps[i])) {
					ok = false;
					snprintf(why, sizeof(why), "no tracepoint %s in BTF",
						 jobs[j].tps[i]);
				}
		}
		if (ok)
			return t;
	}
	snprintf(p->why[j], sizeof(p->why[j]), "%s", why);
	return TIER_OFF;
}

static const struct btf *probe_btf;

void plan_probe(struct plan *p, const struct btf *btf, enum tier first)
{
	probe_btf = btf;
	for (int j = 0; j < JOB_MAX; j++) {
		p->why[j][0] = 0;
		if (!p->want[j]) {
			p->tier[j] = TIER_OFF;
			snprintf(p->why[j], sizeof(p->why[j]), "%s",
				 j == JOB_ACCEPT ? "optional (--with accept): send, recv and close "
						   "name owners; this adds accept(), at a cost to "
						   "every syscall"
						 : "not needed for this view");
			continue;
		}
		if (p->absent[j]) {
			p->tier[j] = TIER_OFF;
			snprintf(p->why[j], sizeof(p->why[j]),
				 "its hooks are absent (--without: as on a kernel without them)");
			continue;
		}
		if (j == JOB_ITER) {
			p->tier[j] = TIER_ITER;
			continue;
		}
		p->tier[j] = available(p, j, first, btf);
	}
}

void plan_fall_back(struct plan *p, enum job j, const char *why)
{
	enum tier next = TIER_OFF;

	if (p->tier[j] >= TIER_BTF && p->tier[j] < TIER_TP)
		next = available(p, j, p->tier[j] + 1, probe_btf);
	snprintf(p->why[j], sizeof(p->why[j]), "%s %s", tier_name(p->tier[j]), why);
	p->tier[j] = next;
}

const char *plan_line(struct plan *p)
{
	size_t o = 0;

	for (int j = 0; j < JOB_MAX; j++)
		o += (size_t)snprintf(p->line + o, sizeof(p->line) - o, "%s%s=%s", j ? " " : "",
				      jobs[j].name, tier_name(p->tier[j]));
	return p->line;
}
