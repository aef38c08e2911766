// SPDX-License-Identifier: GPL-2.0
/* Defaults of the live source, apart from live.c so the command line links without libbpf's loader.
 */
#include <string.h>
#include "live.h"
#include "plan.h"

void live_opts_default(struct live_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->all_states = true;
	o->want_jobs = ~0u;
	o->rtt_scopes = 1 << TS_RTT_ALL | 1 << TS_RTT_RADDR;
	o->rtt_div = 1;
	o->max_rtt_keys = 4096;
	o->interval_ms = 1000;
	o->ringbuf_bytes = 8 << 20;
	o->max_sockets = 65536;
	o->max_listeners = 4096;
	o->first_tier = TIER_BTF;
	o->realtime = true;
}
