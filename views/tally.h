/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The model's counters for metrics (--serve): sessions opened and closed,
 * bytes, retransmits, drops, resets, RTT samples and listeners' accepts and
 * overflows, by label set, counted as records are applied (never from the
 * rows kept), so they only grow, whatever the intervals and --max-rows let
 * go. Label sets are bounded: past max_series, a set's process name, port,
 * service and listening address are summed up as "other". The listeners'
 * queue and backlog are gauges: the last interval's samples, added up.
 */
#ifndef TCPSCOPE_TALLY_H
#define TCPSCOPE_TALLY_H

#include <stdint.h>
#include "event.h"
#include "rtt.h"
#include "service.h"
#include "table.h"

enum tally_family {
	TF_OPENED = 1, /* direction, port */
	TF_CLOSED,     /* direction, status, comm, port */
	TF_BYTES,      /* direction, comm, port: value sent, value2 received */
	TF_RETRANS,    /* direction, kind, comm, port */
	TF_DROPS,      /* reason */
	TF_RESETS,     /* detail "sent" or "received", comm, port */
	TF_LISTEN,     /* laddr, port: value accepts, value2 overflows; the gauges */
	TF_MAX,
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
	char comm[TS_COMM_LEN];	    /* zeros: owner unknown, or the family has no comm */
	char detail[12];	    /* status, retransmit kind, or reset direction */
	char service[SERVICE_NAME]; /* TF_CLOSED: as the SERVICE column says it ("-": unknown) */
	uint8_t addr[16];	    /* TF_LISTEN: the listening address */
	uint8_t ipfam;		    /* ... its family (4, 6) */
	uint8_t pad[3];
	uint32_t reason; /* drops: the kernel's drop reason */
	uint16_t port;	 /* the service port; 0: none (ephemeral or unknown) */
	uint8_t family;	 /* enum tally_family */
	uint8_t dir;	 /* enum tally_dir */
};

struct tally_series {
	struct tally_key key; /* first: the table's key */
	uint64_t value;
	uint64_t value2;
	/* TF_LISTEN's gauges: the last complete interval's samples added up, and the current's */
	uint32_t queue, backlog;
	uint32_t iv_queue, iv_backlog;
	uint8_t sampled, iv_sampled; /* it had samples then */
};

struct tally {
	struct table series;	 /* struct tally_series, in the order they appeared */
	size_t max_series;	 /* label sets with a process name or a port */
	size_t labelled;	 /* of those, in use */
	uint64_t overflow;	 /* updates summed up as "other" */
	size_t families[TF_MAX]; /* series of each family: a scrape skips the families without */
	uint16_t eph_lo, eph_hi; /* ephemeral ports: never a label */
	/* every connection's RTT samples (TS_RTT_ALL), in tcprtt's log2 slots of microseconds */
	uint64_t rtt_slots[RTT_SLOTS];
	uint64_t rtt_sum_us; /* the kernel's sum of the samples */
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
/* A reset sent or received (an EV_SOCK row of type TS_SE_RST_SENT or TS_SE_RST_RECV). */
void tally_reset(struct tally *t, const struct event_row *r, const struct session *s);
/* An interval's RTT histogram: every connection's (TS_RTT_ALL) is counted, the others not. */
void tally_rtt(struct tally *t, const struct ts_ev_rtt *e);
struct listen_row;
/* A listener's accepts and overflows grew by these. */
void tally_listen_counts(struct tally *t, const struct listen_row *r, uint64_t accepts,
			 uint64_t overflows);
/* A listener's sample of the interval (its queue and backlog known). */
void tally_listen_sample(struct tally *t, const struct listen_row *r);
/* The interval ended: its samples become the gauges. */
void tally_tick(struct tally *t);

#endif
