/* SPDX-License-Identifier: GPL-2.0 */
/* A live process as /proc tells it: its whole command line, its user and its cgroup. */
#ifndef TCPSCOPE_PROCINFO_H
#define TCPSCOPE_PROCINFO_H

#include <stdbool.h>
#include <stdint.h>

struct proc_info {
	bool alive;	   /* pid runs, and is still the process named comm */
	char cmdline[512]; /* sanitized, arguments separated by spaces */
	char user[64];
	char cgroup[256]; /* the v2 cgroup's path, else the first hierarchy's */
};

/* What /proc says of pid, if it still runs the command comm (not a pid reused since). */
void proc_info_read(uint32_t pid, const char *comm, struct proc_info *pi);

#endif
