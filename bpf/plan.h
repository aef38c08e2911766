/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hook plan: for each job, which flavour of hook the kernel gets, or why
 * the job is off. Tracepoints first (BTF, then raw, then classic, which need
 * tracefs), then the kernel functions themselves (fentry/fexit, then
 * kprobes) for jobs whose tracepoints older kernels lack. A job that cannot
 * run disables only the panes that depend on it. The choice is made from
 * what the kernel offers (struct kernel_hooks), never from its version.
 */
#ifndef TCPSCOPE_PLAN_H
#define TCPSCOPE_PLAN_H

#include <stdbool.h>
#include <stddef.h>

enum job {
	JOB_STATE,
	JOB_TRAFFIC,
	JOB_ACCEPT,
	JOB_RETRANS,
	JOB_DROPS,
	JOB_TCPDROP,
	JOB_ITER,
	JOB_RTT,
	JOB_RESETS,
	JOB_CONG,
	JOB_MEMORY,
	JOB_ERRORS,
	JOB_LISTEN,
	JOB_MAX
};

/* Hook flavours, in the order they are tried. */
enum tier {
	TIER_OFF = 0,
	TIER_BTF,
	TIER_RAW,
	TIER_TP,
	TIER_FENTRY,
	TIER_KPROBE,
	TIER_ITER,
	TIER_MAX
};

/* What a hook needs of the kernel. */
enum hook_kind {
	HOOK_BTF_TP,	 /* "sock/inet_sock_set_state": a tracepoint in BTF (tp_btf, raw_tp) */
	HOOK_CLASSIC_TP, /* the same in tracefs (tracepoint) */
	HOOK_FUNC,	 /* "tcp_sendmsg": a kernel function in BTF (fentry, fexit) */
	HOOK_KPROBE,	 /* "tcp_sendmsg": a function kprobes can reach */
	HOOK_ENUM,	 /* "skb_drop_reason": an enum in BTF */
};

/*
 * What the running kernel offers (bpf/kernel_hooks.c asks it; the unit
 * tests describe kernels with tables). has() says whether the kernel has
 * name; when not, it may say why in why.
 */
struct kernel_hooks {
	bool (*has)(void *ctx, enum hook_kind kind, const char *name, char *why, size_t n);
	void *ctx;
};

#define PLAN_PROGS 6

struct plan {
	enum tier tier[JOB_MAX];
	const char *progs[JOB_MAX][PLAN_PROGS + 1]; /* each job's programs at its tier */
	char why[JOB_MAX][160];			    /* why a job is off or fell back */
	bool want[JOB_MAX];			    /* the user asked for it */
	bool absent[JOB_MAX]; /* --without: as if the kernel lacked its hooks */
	struct kernel_hooks k;
	char line[256];
};

/* Choose each job's tier from what k offers, starting from first where a job has that flavour. */
void plan_probe(struct plan *p, const struct kernel_hooks *k, enum tier first);
/* The job could not load or attach at its tier: try the next, or turn it off. */
void plan_fall_back(struct plan *p, enum job j, const char *why);
const char *job_name(enum job j);
/* What the user loses without the job. */
const char *job_feeds(enum job j);
/* What running the job costs, where worth saying (-v, the help screen); NULL otherwise. */
const char *job_cost(enum job j);
/* Whether the job loads only for a pane that shows what it reports (views/pane.h's jobs). */
bool job_on_demand(enum job j);
const char *tier_name(enum tier t);
/* The programs the plan loads for job j (NULL-terminated; NULL when off). */
const char *const *plan_programs(const struct plan *p, enum job j);
/* "state=tp_btf traffic=fentry ..." */
const char *plan_line(struct plan *p);
/* --hooks: a tier's name, or -1. */
int tier_parse(const char *s);
/* The job named s, or -1. */
int job_parse(const char *s);

#endif
