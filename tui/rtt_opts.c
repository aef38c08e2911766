// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "rtt_opts.h"
#include "views/filter.h"
#include "views/pane.h"

static int bad(char *err, size_t n, const char *fmt, const char *arg)
{
	snprintf(err, n, fmt, arg);
	return -EINVAL;
}

/* IP[/PREFIX] into what the kernel compares: the address masked, and the mask. */
static int parse_end(const char *flag, const char *arg, struct ts_addr_filter *f,
		     struct rtt_opts *r, char *err, size_t n)
{
	struct filter_addr a;
	size_t len = strlen(r->terms);

	if (f->family)
		return bad(err, n, "%s: given twice (one address or prefix)", flag);
	if (parse_addr_prefix(arg, &a))
		return snprintf(err, n, "%s: '%.50s' is not an IP address[/prefix]", flag, arg),
		       -EINVAL;
	memset(f, 0, sizeof(*f));
	f->family = a.family;
	for (int bit = 0; bit < a.prefix; bit++)
		f->mask[bit / 8] |= (uint8_t)(0x80 >> (bit % 8));
	for (int i = 0; i < 16; i++)
		f->addr[i] = a.addr[i] & f->mask[i];
	snprintf(r->terms + len, sizeof(r->terms) - len, " %s %s", flag + 2, arg);
	return 0;
}

int rtt_opts_parse(int opt, const char *arg, struct rtt_opts *r, struct live_opts *live, char *err,
		   size_t n)
{
	switch (opt) {
	case RTT_OPT_MSECS:
		r->msecs = true;
		return 0;
	case RTT_OPT_BYRADDR:
	case RTT_OPT_BYLADDR:
		if (r->by && r->by != (opt == RTT_OPT_BYRADDR ? TS_RTT_RADDR : TS_RTT_LADDR))
			return bad(err, n, "%s", "--byraddr and --byladdr exclude each other");
		r->by = opt == RTT_OPT_BYRADDR ? TS_RTT_RADDR : TS_RTT_LADDR;
		return 0;
	case RTT_OPT_LADDR:
		return parse_end("--laddr", arg, &live->laddr, r, err, n);
	case RTT_OPT_RADDR:
		return parse_end("--raddr", arg, &live->raddr, r, err, n);
	}
	return bad(err, n, "%s", "unknown option");
}

int rtt_opts_check(struct rtt_opts *r, unsigned panes, bool batch, bool json,
		   struct live_opts *live, char *err, size_t n)
{
	const char *by = r->by == TS_RTT_LADDR ? "--byladdr" : "--byraddr";

	r->view = batch && (panes & (1u << P_RTT));
	if (r->by && !r->view)
		return snprintf(err, n, "%s is for -b --view rtt (a histogram per %s address)", by,
				r->by == TS_RTT_LADDR ? "local" : "remote"),
		       -EINVAL;
	if (r->msecs && !r->view)
		return bad(err, n, "%s",
			   "-m is for -b --view rtt (its histograms in milliseconds): the other "
			   "views have no RTT histograms, and give their times in ms already");
	if (!r->view)
		return 0;
	if (panes != 1u << P_RTT)
		return bad(err, n, "%s", "--view rtt prints histograms: give it alone");
	if (json)
		return bad(err, n, "%s",
			   "--json: --view rtt prints histograms, not rows (-s: CSV)");
	live->rtt_scopes = (uint8_t)(1u << r->by);
	live->rtt_div = r->msecs ? 1000 : 1;
	return 0;
}
