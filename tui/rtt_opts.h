/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcprtt's flags: --view rtt prints its histograms; -m in milliseconds,
 * --byraddr and --byladdr one per address; --laddr and --raddr keep one
 * local or remote address (or prefix), in the kernel, for every view.
 */
#ifndef TCPSCOPE_RTT_OPTS_H
#define TCPSCOPE_RTT_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "bpf/live.h"

struct rtt_opts {
	bool view;	     /* --view rtt (set by rtt_opts_check, from the panes) */
	bool msecs;	     /* -m */
	uint8_t by;	     /* TS_RTT_ALL, or TS_RTT_RADDR, TS_RTT_LADDR */
	bool interval_given; /* -i: a histogram per interval (tcprtt prints once, at the end) */
	char terms[160];     /* --laddr, --raddr as filter terms, for replays */
};

/* The flags, for rtt_opts_parse */
enum {
	RTT_OPT_MSECS = 'm',
	RTT_OPT_BYRADDR = 600,
	RTT_OPT_BYLADDR,
	RTT_OPT_LADDR,
	RTT_OPT_RADDR,
	RTT_OPT_LAST = RTT_OPT_RADDR,
};

#define RTT_USAGE                                                                                  \
	"      --laddr IP[/N], --raddr IP[/N]  only connections with this local or remote\n"       \
	"                       address (in the kernel, like -L and -D)\n"                         \
	"  -m, --milliseconds   --view rtt: histograms in milliseconds (default usecs)\n"          \
	"      --byraddr, --byladdr  --view rtt: a histogram per remote or local address\n"

/* One of the flags above; 0, or -EINVAL with err saying why. */
int rtt_opts_parse(int opt, const char *arg, struct rtt_opts *r, struct live_opts *live, char *err,
		   size_t n);
/*
 * What the flags need of the views (bit per pane, plus r->view), after all
 * are read; 0 or -EINVAL. Then sets what the kernel side is to keep.
 */
int rtt_opts_check(struct rtt_opts *r, unsigned views, bool batch, bool json,
		   struct live_opts *live, char *err, size_t n);

#endif
