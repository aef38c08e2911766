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
 */
#include <stdio.h>
#include <sys/resource.h>
#include "priority.h"

#define AUTOGROUP "/proc/self/autogroup"

static int old_nice, old_group_nice;
static int raised, group_raised;

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

void priority_restore(void)
{
	if (group_raised)
		set_group_nice(old_group_nice);
	if (raised)
		setpriority(PRIO_PROCESS, 0, old_nice);
	raised = group_raised = 0;
}
