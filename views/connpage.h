/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A connection's page, as data: the session (open, or closed and still
 * kept), its timeline (state changes and events in the order they came,
 * from its own log, or from the shared logs when its log was let go), and
 * its intervals. No curses: tui/page.c draws it, and its timeline is what
 * `e` exports (CSV, in the same columns).
 */
#ifndef TCPSCOPE_CONNPAGE_H
#define TCPSCOPE_CONNPAGE_H

#include <stdbool.h>
#include <stdio.h>
#include "model.h"

struct tl_line {
	uint64_t ts_ns;
	bool state;	  /* a state change; else an event */
	uint8_t old, new; /* the change */
	uint64_t dt_ns;	  /* ... and the time spent in the old state (0: unknown) */
	char type[16];	  /* "STATE", or the event's TYPE: RETRANS, RST>, LOSS... */
	uint8_t ev_state; /* the TCP state an event came in (0: none) */
	bool bad;	  /* drops, resets, losses, full queues, errors */
	char detail[96];  /* what the event says (sanitized) */
};

struct conn_page {
	uint64_t sid;
	struct session s; /* as last found */
	bool found;	  /* the session is kept (open, or among the closed) */
	bool open;
	const struct connlog *log; /* NULL: let go, or never kept */
	struct tl_line *lines;	   /* the timeline, oldest first */
	size_t n, cap;
	uint64_t let_go; /* older timeline items no longer kept */
	bool shared;	 /* the timeline came from the shared logs */
};

/* (Re)build page p of session sid from the model; -ENOMEM, else 0 (p->found says if it is kept). */
int conn_page_build(struct conn_page *p, const struct model *m, uint64_t sid);
void conn_page_free(struct conn_page *p);
/* HH:MM:SS.uuuuuu of a monotonic time (seconds since the first record without a wall clock). */
void conn_page_when(const struct model *m, uint64_t ts_ns, char *b, size_t n);
/* The timeline as CSV: TIME,TYPE,STATE,FROM,TO,MS,DETAIL (RFC 4180, as every export). */
void conn_page_csv(FILE *out, const struct model *m, const struct conn_page *p);

#endif
