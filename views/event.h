/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The event stream the model consumes: the kernel's records (bpf/events.h)
 * plus the records user space adds. A live source and a replayed recording
 * produce the same stream, so the model cannot tell them apart.
 */
#ifndef TCPSCOPE_EVENT_H
#define TCPSCOPE_EVENT_H

#include <stddef.h>
#include <stdint.h>
#include "../bpf/events.h"

enum ts_user_kind {
	TS_K_TPUT = 32,	    /* an open socket's send/recv totals, read from the socket map */
	TS_K_TICK = 33,	    /* an interval ended */
	TS_K_META = 34,	    /* who recorded: host, kernel, clocks, hook plan */
	TS_K_REASON = 35,   /* the name of a drop reason on the recording kernel */
	TS_K_SYMBOL = 36,   /* the symbol of a kernel address (drop location) */
	TS_K_GONE = 37,	    /* a socket left the map without a close record (its close was lost) */
	TS_K_RTT = 38,	    /* an interval's RTT histogram: every connection, or one address */
	TS_K_LISTENER = 40, /* a listening address's numbers, once per interval */
	TS_K_CGROUP = 41,   /* the path of a cgroup (v2), which names a service */
	TS_K_MAX = 42,
};

struct ts_ev_tput {
	struct ts_hdr hdr;
	uint64_t sid;
	struct ts_conn conn;
	struct ts_owner owner;
	uint64_t start_ns;
	uint64_t app_tx; /* totals since tracing began, not deltas */
	uint64_t app_rx;
	uint8_t dir;
	uint8_t flags;
	uint8_t pad[6];
	struct ts_rtt rtt; /* format 1.1: its RTT and windows so far (0 samples: not measured) */
	/* appended in format 1.2 */
	uint64_t cgroup_id; /* the owner's cgroup (v2); 0: unknown */
};

struct ts_ev_tick {
	struct ts_hdr hdr;
	uint64_t interval_ns;
	uint64_t lost[TS_LOST_MAX]; /* cumulative, from the kernel's counters */
	uint64_t lost_user;	    /* records user space could not take in (cumulative) */
	uint64_t open_sockets;	    /* entries in the kernel's socket map */
};

#define TS_META_TEXT 256
struct ts_ev_meta {
	struct ts_hdr hdr;
	int64_t realtime_ns; /* wall clock at monotonic hdr.ts_ns */
	uint32_t interval_ms;
	uint32_t pad;
	char host[64];
	char kernel[64];
	char plan[TS_META_TEXT]; /* the hook plan, one line */
};

struct ts_ev_reason {
	struct ts_hdr hdr;
	uint32_t reason;
	char name[44];
};

struct ts_ev_symbol {
	struct ts_hdr hdr;
	uint64_t addr;
	char name[64];
};

struct ts_ev_gone {
	struct ts_hdr hdr;
	uint64_t sid;
};

/* ts_ev_listener.flags */
#define TS_LF_SAMPLED                                                                              \
	0x1	       /* queue, backlog, syn_queue and drops were read (the listen job runs)      \
			*/
#define TS_LF_HIST 0x2 /* hist holds the queue each handshake found */

/*
 * A listening address (struct ts_lkey) at the end of an interval: the
 * sockets listening there added up, and the address's counts (struct
 * ts_laddr). Every address that has listeners has one each interval.
 */
struct ts_ev_listener {
	struct ts_hdr hdr;
	struct ts_conn conn; /* family, laddr, lport, netns; no remote end */
	struct ts_owner owner;
	uint64_t cgroup_id;
	uint64_t start_ns; /* the earliest listen() seen; 0: listening before tracing */
	uint64_t clones, discarded, base_queue;
	uint64_t drops; /* its sockets' sk_drops, added up */
	uint32_t socks, queue, backlog, syn_queue;
	uint32_t qmax;	/* the longest queue a handshake made since the last one; 0: none */
	uint32_t flags; /* TS_LF_* */
	uint32_t hist[TS_LHIST];
};

/* The path of a cgroup in the v2 hierarchy, which names a service (views/service.h). */
#define TS_CGROUP_PATH 240
struct ts_ev_cgroup {
	struct ts_hdr hdr;
	uint64_t id;
	char path[TS_CGROUP_PATH]; /* from the root ("/system.slice/a.service"); its end if longer;
				      "": gone before it was named */
};

/* TS_K_RTT: the srtt samples tcp_probe saw during the interval that ends with the next TICK. */
struct ts_ev_rtt {
	struct ts_hdr hdr;
	struct ts_rtt_key key;
	uint8_t unit; /* 0: microseconds, 1: milliseconds */
	uint8_t pad[3];
	struct ts_rtt_hist h;
};

/* TS_K_REASON numbers from here up name the kernel's reset reasons (enum sk_rst_reason). */
#define TS_RST_REASON_BASE 65536

union ts_event {
	struct ts_hdr hdr;
	struct ts_ev_state state;
	struct ts_ev_close close;
	struct ts_ev_owner owner;
	struct ts_ev_retrans retrans;
	struct ts_ev_drop drop;
	struct ts_ev_existing existing;
	struct ts_ev_tput tput;
	struct ts_ev_tick tick;
	struct ts_ev_meta meta;
	struct ts_ev_reason reason;
	struct ts_ev_symbol symbol;
	struct ts_ev_gone gone;
	struct ts_ev_sockev sockev;
	struct ts_ev_rtt rtt;
	struct ts_ev_listen listen;
	struct ts_ev_listener listener;
	struct ts_ev_cgroup cgroup;
};

/* The size a record of this kind must have; 0 for an unknown kind. */
size_t event_size(unsigned kind);
/* The cgroup a record names its owner's service by; 0: none. */
uint64_t event_cgroup(const union ts_event *ev);

#endif
