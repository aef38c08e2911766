// SPDX-License-Identifier: GPL-2.0
/*
 * The screen must answer keys on a host whose traffic keeps every core busy.
 * At nice 0 it waits behind the busy processes for a scheduler tick or more
 * each time it is preempted: under a loopback churn on two cores, keys took
 * 50 to 180 ms. Like atop, it raises its priority a little when it may (root,
 * CAP_SYS_NICE): for itself and, where the kernel schedules a session's
 * processes as one group (autogroup, which makes the thread's own nice count
 * only inside the group), for its session's group; both are given back at
 * exit. This changes who waits, not how much CPU tcpscope takes.
 *
 * That is not enough on every kernel: on this project's 6.18 a quiet
 * process in its own session's group waited up to 2 s for a CPU behind two
 * loopback churns in another session (at nice -10: 470 ms; its group's
 * weight follows its load, which a process that mostly sleeps keeps low),
 * and the kernel's buffer overflowed meanwhile. So a live tcpscope runs its
 * main thread at real-time priority (SCHED_FIFO 1) where allowed, as its
 * drainer does (bpf/live.c): it takes about 3% of a core at 27k
 * connections/s, and real-time throttling keeps 5% of each CPU for the rest.
 */
#include <sched.h>
#include <stdio.h>
#include <sys/resource.h>
#include "priority.h"

#define AUTOGROUP "/proc/self/autogroup"

static int old_nice, old_group_nice;
static int raised, group_raised, realtime;

/* "/autogroup-12 nice 0": 1 and the group's nice, or 0 when there is no group */
static int group_nice(int *nice)
{
	FILE *f = fopen(AUTOGROUP, "r");
	int ok;

	if (!f)
		return 0;
	ok = fscanf(f, "%*s nice %d", nice) == 1;
	fclose(f);
	return ok;
}

static int set_group_nice(int nice)
{
	FILE *f = fopen(AUTOGROUP, "w");
	int ok;

	if (!f)
		return 0;
	ok = fprintf(f, "%d", nice) > 0;
	ok &= fclose(f) == 0; /* EPERM, or EINVAL: autogroup is off */
	return ok;
}

void priority_raise(int nice)
{
	int now;

	if (nice >= 0 || raised || group_raised)
		return;
	old_nice = getpriority(PRIO_PROCESS, 0);
	if (old_nice > nice && !setpriority(PRIO_PROCESS, 0, nice))
		raised = 1;
	if (group_nice(&now) && now > nice && set_group_nice(nice)) {
		old_group_nice = now;
		group_raised = 1;
	}
}

int priority_realtime(void)
{
	struct sched_param sp = {.sched_priority = 1};

	if (!realtime && !sched_setscheduler(0, SCHED_FIFO | SCHED_RESET_ON_FORK, &sp))
		realtime = 1;
	return realtime;
}

void priority_restore(void)
{
	struct sched_param sp = {.sched_priority = 0};

	if (realtime)
		sched_setscheduler(0, SCHED_OTHER, &sp);
	realtime = 0;
	if (group_raised)
		set_group_nice(old_group_nice);
	if (raised)
		setpriority(PRIO_PROCESS, 0, old_nice);
	raised = group_raised = 0;
}
