/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sessions open before tracing began: the TCP socket iterator lists them
 * (and enters them in the socket map), in tcpscope's network namespace and
 * then in every other it can enter (those /run/netns names, those processes
 * are in).
 */
#ifndef TCPSCOPE_EXISTING_H
#define TCPSCOPE_EXISTING_H

#include <stddef.h>
#include "events.h"

struct tcpscope_bpf;

/* *recs (malloc'd, *n of them); 0, or -errno with a one-line reason in why. */
int existing_list(struct tcpscope_bpf *skel, struct ts_ev_existing **recs, size_t *n, char *why,
		  size_t wn);

#endif
