/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The model's listening addresses (the Listeners pane): a row per address
 * a socket listens on (sockets sharing one with SO_REUSEPORT add up), made
 * by listen() as it happens and by each interval's samples (struct
 * ts_ev_listener); and a row per address where connects were refused
 * (SYNs nobody listened for), which no sample makes. Overflows are what the
 * listening sockets count themselves (tcp_listendrop: a full queue at the
 * SYN or at the last ACK); drops with the TCP_LISTEN_OVERFLOW reason (the
 * last ACK's), refused SYNs and SYN-ACK retransmits count on the row of the
 * address they reached (its own, or the wildcard's).
 */
#ifndef TCPSCOPE_LISTENERS_H
#define TCPSCOPE_LISTENERS_H

#include <stdbool.h>
#include <stdint.h>
#include "event.h"

struct model;
struct service;

enum listen_state {
	LS_NONE = 0, /* nobody listens: the row counts refused connects */
	LS_LISTEN,
	LS_CLOSED, /* its last socket closed in the interval */
};

struct listen_row {
	struct ts_conn conn; /* first: the table's key; no remote end */
	struct ts_owner owner;
	const struct service *svc;
	uint8_t state;	 /* enum listen_state */
	uint8_t sampled; /* queue, backlog, syn_queue and drops are known */
	uint8_t pad[6];
	uint32_t socks, queue, backlog, syn_queue;
	uint32_t qmax; /* the longest queue in the last interval (0: not known) */
	uint32_t pad2;
	uint64_t start_ns;	  /* listen(); 0: listening before tracing */
	uint64_t closed_tick;	  /* the interval it closed in (model ticks) */
	uint64_t sampled_tick;	  /* the interval of its last sample, + 1 (0: never) */
	uint64_t accepts;	  /* connections accept() took off the queue, since tracing began */
	uint64_t last_accepts;	  /* ... in the last interval */
	uint64_t overflows;	  /* connections turned away: the sockets' own drop counts */
	uint64_t overflows_base;  /* ... what sockets from before tracing had counted */
	uint64_t ack_overflows;	  /* of those, drops with reason TCP_LISTEN_OVERFLOW */
	uint64_t synack_rt;	  /* SYN-ACKs retransmitted */
	uint64_t refused;	  /* SYNs no socket took (answered with a reset) */
	uint64_t last_event_tick; /* refused rows: the interval of the last one */
	bool hist_kept;		  /* hist holds the handshakes' queue lengths */
	uint32_t hist[TS_LHIST];  /* the queue each handshake found (the kernel's counts) */
	uint32_t hist_overflows[TS_LHIST]; /* ... and each overflow: one past the backlog */
};

int listeners_init(struct model *m, size_t cap);
void listeners_free(struct model *m);
void listeners_on_listen(struct model *m, const struct ts_ev_listen *e);
void listeners_on_sample(struct model *m, const struct ts_ev_listener *e);
/* A drop or retransmit: a listener's overflow, refused SYN or SYN-ACK retransmit. */
void listeners_on_drop(struct model *m, const struct ts_ev_drop *e);
void listeners_on_retrans(struct model *m, const struct ts_ev_retrans *e);
/* The interval ended: closed rows shown in it go, idle refused rows make room. */
void listeners_tick(struct model *m);

#endif
