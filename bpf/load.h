/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loading the kernel programs: configure them from the options, load and
 * attach what the plan says, and when a hook will not load or attach, fall
 * back (plan_fall_back) and try again, until what this kernel can run runs.
 */
#ifndef TCPSCOPE_LOAD_H
#define TCPSCOPE_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include "live.h"
#include "plan.h"

struct btf;
struct tcpscope_bpf;

/* libbpf's messages: on stderr with -v; otherwise only used to see which program failed. */
void load_quiet_unless(bool verbose);
/* Loaded and attached programs, and the plan as it ended; NULL with a one-line reason. */
struct tcpscope_bpf *load_programs(struct plan *p, const struct live_opts *o, const struct btf *btf,
				   char *err, size_t n);

#endif
