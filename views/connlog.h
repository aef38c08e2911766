/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a connection's page shows of its life: the timeline (state changes
 * and events in the order they came, the newest CONNLOG_ITEMS of them) and
 * its numbers interval by interval (TX, RX, srtt, cwnd: the last
 * CONNLOG_POINTS). Kept for a bounded number of connections, from their
 * first record: when every log is taken, the log of the session closed
 * longest ago goes, those that only opened and closed before those that
 * had events or lived through an interval. Each log counts what it let go.
 */
#ifndef TCPSCOPE_CONNLOG_H
#define TCPSCOPE_CONNLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "event.h"
#include "table.h"

#define CONNLOG_ITEMS  48
#define CONNLOG_POINTS 60

#define TL_STATE 0x80 /* tl_item.kind: a state change; else an enum event_type */

struct tl_item {
	uint64_t ts_ns;
	uint64_t a;	  /* state: time in the old state; drop: location; others: value */
	uint32_t reason;  /* drop or reset reason, retransmit kind, errno */
	uint32_t b;	  /* retransmit: the count; drop: payload bytes; others: value2 */
	uint8_t kind;	  /* TL_STATE, or the event's type */
	uint8_t old, new; /* states; congestion: the states left and entered */
	uint8_t state;	  /* an event's TCP state */
	uint8_t sock_type, tcp_flags, ingress, pad;
};

struct tl_point {
	uint64_t ts_ns; /* the interval's end */
	uint64_t tx, rx;
	uint32_t srtt_us; /* the latest then; 0: none */
	uint32_t cwnd;
};

struct connlog {
	uint64_t sid;	 /* first: the table's key */
	uint64_t items;	 /* ever added: those past CONNLOG_ITEMS were let go */
	uint64_t points; /* likewise */
	bool closed;
	bool notable; /* had events, or lived through an interval */
	struct tl_item item[CONNLOG_ITEMS];
	struct tl_point point[CONNLOG_POINTS];
};

struct connlogs {
	struct table t;	   /* struct connlog by sid; cap 0: off */
	uint64_t *ring[2]; /* sids of closed logs, oldest first: plain, notable */
	size_t head[2], count[2], cap;
	uint64_t not_kept; /* sessions that found no log */
	uint64_t let_go;   /* logs of closed sessions let go to make room */
};

int connlogs_init(struct connlogs *c, size_t cap);
void connlogs_free(struct connlogs *c);
/* sid's log, made if absent and make (NULL: none, or no room). */
struct connlog *connlog_get(struct connlogs *c, uint64_t sid, bool make);
const struct connlog *connlog_find(const struct connlogs *c, uint64_t sid);
void connlog_state(struct connlog *l, uint64_t ts, uint8_t old, uint8_t new, uint64_t dt_ns);
struct event_row;
void connlog_event(struct connlog *l, const struct event_row *r);
void connlog_point(struct connlog *l, const struct tl_point *p);
/* The session closed: its log may go, oldest first, when room is needed. */
void connlog_closed(struct connlogs *c, struct connlog *l);
/* The i-th item kept, oldest first (i < connlog_kept_items). */
size_t connlog_kept_items(const struct connlog *l);
const struct tl_item *connlog_item(const struct connlog *l, size_t i);
size_t connlog_kept_points(const struct connlog *l);
const struct tl_point *connlog_point_at(const struct connlog *l, size_t i);
/* The event an item describes, for views/evkind.h and views/evdetail.h. */
void connlog_event_row(const struct tl_item *it, struct event_row *r);

#endif
