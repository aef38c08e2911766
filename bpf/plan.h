/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hook plan: for each job, which flavour of hook the kernel gets, or why
 * the job is off. BTF tracepoints first, then raw tracepoints, then classic
 * tracepoints (these need tracefs). A job that cannot run disables only the
 * panes that depend on it.
 */
#ifndef TCPSCOPE_PLAN_H
#define TCPSCOPE_PLAN_H

#include <stdbool.h>
#include <stddef.h>

enum job { JOB_STATE, JOB_TRAFFIC, JOB_ACCEPT, JOB_RETRANS, JOB_DROPS, JOB_ITER, JOB_MAX };
enum tier { TIER_OFF = 0, TIER_BTF, TIER_RAW, TIER_TP, TIER_ITER };

struct plan {
	enum tier tier[JOB_MAX];
	char why[JOB_MAX][160]; /* why a job is off or fell back */
	bool want[JOB_MAX];	/* the user asked for it */
	bool absent[JOB_MAX];	/* --without: as if the kernel lacked its hooks */
	char line[256];
};

struct btf;
/* Choose tiers from what this kernel has; first is the tier to start from. */
void plan_probe(struct plan *p, const struct btf *vmlinux, enum tier first);
/* The job could not load or attach at its tier: try the next, or turn it off. */
void plan_fall_back(struct plan *p, enum job j, const char *why);
const char *job_name(enum job j);
/* What the user loses without the job. */
const char *job_feeds(enum job j);
const char *tier_name(enum tier t);
/* Names of the programs a job uses at a tier (NULL-terminated). */
const char *const *plan_programs(enum job j, enum tier t);
/* "state=tp_btf traffic=tp_btf ..." */
const char *plan_line(struct plan *p);
int tier_parse(const char *s);
/* The job named s, or -1. */
int job_parse(const char *s);

#endif
