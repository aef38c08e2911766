/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The model's counters for metrics (--serve): sessions opened and closed,
 * bytes, retransmits and drops, by label set, counted as records are
 * applied (never from the rows kept), so they only grow, whatever the
 * intervals and --max-rows let go. Label sets are bounded: past max_series,
 * a set's process name and port are summed up as "other".
 */
#ifndef TCPSCOPE_TALLY_H
#define TCPSCOPE_TALLY_H

#include <stdint.h>
#include "event.h"
#include "table.h"

enum tally_family {
	TF_OPENED = 1, /* direction, port */
	TF_CLOSED,     /* direction, status, comm, port */
	TF_BYTES,      /* direction, comm, port: value sent, value2 received */
	TF_RETRANS,    /* direction, kind, comm, port */
	TF_DROPS,      /* reason */
};

/* tally_key.dir */
enum tally_dir {
	TD_UNKNOWN = 0, /* no session: the lower port is taken for the service */
	TD_CONNECT,
	TD_ACCEPT,
	TD_BEFORE,	 /* open before tracing began */
	TD_OTHER = 0x80, /* with one of the above: comm and port summed up as "other" */
};

struct tally_key {
	char comm[TS_COMM_LEN]; /* zeros: owner unknown, or the family has no comm */
	char detail[8];		/* status, or retransmit kind */
	uint32_t reason;	/* drops: the kernel's drop reason */
	uint16_t port;		/* the service port; 0: none (ephemeral or unknown) */
	uint8_t family;		/* enum tally_family */
	uint8_t dir;		/* enum tally_dir */
};

struct tally_series {
	struct tally_key key; /* first: the table's key */
	uint64_t value;
	uint64_t value2;
};

struct tally {
	struct table series;	 /* struct tally_series, in the order they appeared */
	size_t max_series;	 /* label sets with a process name or a port */
	size_t labelled;	 /* of those, in use */
	uint64_t overflow;	 /* updates summed up as "other" */
	uint16_t eph_lo, eph_hi; /* ephemeral ports: never a label */
};

struct model;
struct session;
struct event_row;

/* Default bound on label sets (--serve-max-series). */
#define TALLY_DEFAULT_SERIES 2000

int tally_init(struct tally *t, size_t max_series);
void tally_free(struct tally *t);
/* The local ephemeral port range (net.ipv4.ip_local_port_range); default 32768-60999. */
void tally_ephemeral(struct tally *t, uint16_t lo, uint16_t hi);

/* The model's hooks: a session appeared (from record ev), closed, moved bytes; an event. */
void tally_opened(struct tally *t, const union ts_event *ev);
void tally_closed(struct tally *t, const struct session *s);
void tally_bytes(struct tally *t, const struct session *s, uint64_t sent, uint64_t received);
void tally_retrans(struct tally *t, const struct event_row *r, const struct session *s);
void tally_drop(struct tally *t, uint32_t reason);

#endif
