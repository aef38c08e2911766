/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The model: what tcpscope knows, built only from the event stream. Open and
 * recently closed sessions, throughput per group and interval, the state log
 * and the retransmit/drop log. No curses here: tests link this alone.
 * Memory is bounded by model_config; closed sessions and the logs are kept
 * fairly among flows (views/retain.h).
 */
#ifndef TCPSCOPE_MODEL_H
#define TCPSCOPE_MODEL_H

#include <stdbool.h>
#include <stdint.h>
#include "event.h"
#include "flowgroup.h"
#include "connlog.h"
#include "listeners.h"
#include "retain.h"
#include "rtt.h"
#include "service.h"
#include "subnets.h"
#include "table.h"
#include "tally.h"

/* session.mflags: what the model adds to the kernel's flags */
#define S_CLOSED     0x01
#define S_LOST_CLOSE 0x02 /* its close record was lost; totals are the last seen */

struct session {
	uint64_t sid; /* first: the table's key */
	struct ts_conn conn;
	struct ts_owner owner;
	uint64_t start_ns; /* monotonic; 0 when it opened before tracing */
	uint64_t seen_ns;  /* first record about it */
	uint64_t end_ns;   /* 0 while open */
	uint64_t lat_ns;   /* handshake latency */
	uint64_t tx_bytes; /* kernel's totals (bytes_acked) at close; at start for old ones */
	uint64_t rx_bytes; /* bytes_received, likewise */
	uint64_t app_tx;   /* send/recv totals seen so far */
	uint64_t app_rx;
	uint64_t iv_tx, iv_rx;	   /* during the current interval */
	uint64_t last_tx, last_rx; /* during the last complete interval */
	uint32_t err;
	uint32_t retrans;
	uint32_t srtt_us;
	uint8_t state;
	uint8_t dir;
	uint8_t flags;	 /* TS_F_* */
	uint8_t mflags;	 /* S_* */
	uint16_t subnet; /* its remote address's (index + 1; SUBNET_NONE: none; 0: not known) */
	const struct service *svc; /* its owner's; NULL: not known */
	uint64_t counted_tick; /* interval (tick + 1) it was last counted in the groups' CONNS */
	uint64_t closed_tick;  /* closed: the model's tick count then */
	/* its first state-log rows (number + 1): completed when the local port or the owner is
	 * learned */
	uint64_t rows[4];
	struct flow_cache flow; /* the flow group of its rows */
	struct ts_rtt rtt;	/* tcp_probe's: its RTT and windows so far (0 samples: none) */
	uint32_t log;		/* its connection log's entry + 1 (views/connlog.h); 0: none */
};

struct state_row {
	uint64_t ts_ns;
	uint64_t sid;
	uint64_t dt_ns;
	struct ts_conn conn;
	struct ts_owner owner;
	uint8_t oldstate, newstate, dir, flags;
};

enum event_type {
	EV_RETRANS = 1,
	EV_DROP = 2,
	EV_SOCK = 3, /* a TS_K_SOCKEV record: reset, congestion, full queue, memory, error */
};

struct event_row {
	uint64_t ts_ns;
	uint64_t sid;
	uint64_t location;
	struct ts_conn conn;
	struct ts_owner owner;
	uint32_t reason; /* drop reason, retransmit kind; EV_SOCK: its err */
	uint32_t len;
	uint32_t count; /* total retransmits of the socket so far */
	uint8_t type;
	uint8_t state;
	uint8_t tcp_flags;
	uint8_t ingress;
	/* EV_SOCK */
	uint8_t sock_type; /* enum ts_sockev_type */
	uint8_t ca_old, ca_new;
	uint8_t pad;
	uint32_t value2;
	uint64_t value;
	uint32_t srtt_us;
	uint32_t pad2;
};

/* session.subnet when no subnet holds its remote address */
#define SUBNET_NONE 0xffff

/* How throughput rows are grouped. */
enum tput_group {
	G_PROC_HOSTS = 0, /* process and host pair (default) */
	G_HOSTS,	  /* host pair */
	G_PROC,		  /* process */
	G_SUBNET,	  /* the remote host's subnet (--subnets), as tcpsubnet */
	G_SERVICE,	  /* the owner's service (its cgroup) */
	G_SOCKET,	  /* one row per connection, as tcptop */
	G_MAX,
};

struct tput_key {
	uint32_t pid;
	uint8_t family; /* G_SUBNET: the subnet's */
	uint8_t pad[3];
	char comm[TS_COMM_LEN];
	uint8_t laddr[16];
	uint8_t raddr[16];     /* G_SUBNET: the subnet's network */
	uint16_t lport, rport; /* only in G_SOCKET */
	uint32_t subnet;       /* only in G_SUBNET: session.subnet */
	uint64_t sid;	       /* only in G_SOCKET */
	const struct service *svc;
};

struct tput_row {
	struct tput_key key;	   /* first: the table's key */
	uint64_t iv_tx, iv_rx;	   /* current interval */
	uint64_t last_tx, last_rx; /* last complete interval */
	uint64_t tot_tx, tot_rx;   /* since tracing began */
	uint64_t last_active;	   /* tick number of the last traffic */
	uint32_t iv_conns;	   /* sessions that moved bytes in the current interval */
	uint32_t conns;		   /* ... in the last complete one */
	uint8_t group;		   /* enum tput_group */
};

/* How Lifespans rows are grouped (views/lifegroups.h). */
enum life_group {
	LG_SOCKET = 0,	   /* a row per session (default) */
	LG_PROC_PORT_HOST, /* process, service port and remote host */
	LG_PROC,	   /* process */
	LG_PORT,	   /* service port */
	LG_SERVICE,	   /* the owner's service (its cgroup) */
	LG_MAX,
};

struct model_config {
	size_t max_open;      /* open sessions tracked */
	size_t max_closed;    /* recently closed sessions kept */
	size_t max_states;    /* state-log rows kept */
	size_t max_events;    /* retransmit/drop rows kept */
	size_t keep_per_flow; /* each flow's newest rows a flood of others cannot push out */
	size_t max_flows;     /* flow groups told apart; the rest share one */
	size_t max_groups;    /* throughput rows per grouping */
	size_t max_summaries; /* Lifespans sums by process, service port and remote host */
	size_t max_listeners; /* listening addresses, and ports that refused connects */
	size_t max_services;  /* cgroups told apart; the rest share "other" */
	size_t history;	      /* intervals of TX/RX history for the header graph */
	const struct subnets *subnets; /* Throughput by subnet; NULL: SUBNETS_DEFAULT */
	size_t max_rtt_hosts;	       /* RTT histograms kept: every connection's, and by address */
	size_t max_connlogs; /* connections whose page keeps a timeline (0: none, batch) */
};

void model_config_default(struct model_config *c);

/* Called as rows appear; batch mode prints from these. */
struct model_hooks {
	void *ctx;
	void (*closed)(void *ctx, const struct session *s);
	void (*state)(void *ctx, const struct state_row *r);
	void (*event)(void *ctx, const struct event_row *r);
	void (*tick)(void *ctx);
};

#define MODEL_EV_KINDS 24 /* at least EK_MAX (views/evkind.h) */

struct model_stats {
	uint64_t seq;		    /* records applied: changes whenever the model does */
	uint64_t records[TS_K_MAX]; /* records taken in, by kind */
	uint64_t bad_records;
	uint64_t lost_kernel[TS_LOST_MAX]; /* from the last tick */
	uint64_t lost_user;
	uint64_t lost_closes;	    /* sockets that vanished without a close record */
	uint64_t dropped_open;	    /* sessions not tracked: open table full */
	uint64_t dropped_groups;    /* throughput not grouped: group table full */
	uint64_t dropped_summaries; /* closed sessions not summed up: summary table full */
	uint64_t dropped_listeners; /* listening addresses not kept: listener table full */
	uint64_t opened, closed;    /* sessions */
	uint64_t kernel_open;	    /* sockets in the kernel map at the last tick */
	uint64_t ticks;
	uint64_t first_ns, now_ns; /* monotonic time of the first and the latest record */
	uint64_t last_tick_ns;
	uint64_t interval_ns;
	double events_per_sec; /* records in the last interval, per second */
	uint64_t iv_records;
	uint64_t iv_tx, iv_rx;		      /* bytes in the current interval, all sockets */
	uint64_t last_tx, last_rx;	      /* last complete interval */
	uint64_t event_kinds[MODEL_EV_KINDS]; /* events since tracing began, by enum ev_kind */
};

struct model_meta {
	bool have;
	int64_t realtime_off; /* realtime = monotonic + off */
	uint32_t interval_ms;
	char host[64];
	char kernel[64];
	char plan[TS_META_TEXT];
};

struct model {
	struct model_config cfg;
	struct model_hooks hooks;
	struct table open;		 /* struct session by sid */
	struct flowgroups flows;	 /* who the rows below belong to */
	struct retain closed;		 /* struct session */
	struct retain states;		 /* struct state_row */
	struct retain events;		 /* struct event_row */
	struct table groups[G_MAX];	 /* struct tput_row, one table per grouping */
	uint32_t tput_recent[G_MAX][64]; /* rows found last (entry + 1), by a hash of the key */
	struct table summaries;		 /* struct life_sum by process, service port, remote host */
	struct table listeners;		 /* struct listen_row by address */
	struct services services;	 /* the owners' cgroups, named */
	struct subnets subnets;		 /* Throughput by subnet */
	bool reasons_named;		 /* the kernel names drop reasons (5.17 and later) */
	bool listen_overflow_named;	 /* ... and TCP_LISTEN_OVERFLOW among them */
	uint64_t life_iv_start;		 /* the current interval began (monotonic ns) */
	uint64_t life_last_start;	 /* the last complete one began */
	uint32_t life_recent[64];    /* summaries found last (entry + 1), by a hash of the key */
	uint64_t *hist_tx, *hist_rx; /* per interval, oldest first */
	size_t hist_len;
	struct model_stats st;
	struct model_meta meta;
	char *reason_names[512];
	char *rst_reason_names[64]; /* enum sk_rst_reason, on kernels that give one */
	struct table symbols;	    /* struct model_symbol */
	struct rtt_hosts rtt;	    /* RTT histograms (tcprtt) */
	struct connlogs logs;	    /* each connection's timeline and intervals, for its page */
	struct tally *tally;	    /* counters for metrics (views/tally.h); NULL: not counted */
};

struct model_symbol {
	uint64_t addr;
	char name[64];
};

/* What can be lost, and is counted: batch warns of each, the screen adds them up. */
enum model_loss {
	LOSS_RECORDS,	/* ring buffer full, or records user space could not take */
	LOSS_SOCKMAP,	/* kernel socket map full */
	LOSS_CLOSES,	/* sessions that vanished without a close record */
	LOSS_OPEN,	/* open-session table full */
	LOSS_BAD,	/* malformed records */
	LOSS_GROUPS,	/* throughput group table full */
	LOSS_SUMMARIES, /* Lifespans summary table full */
	LOSS_RTT,	/* RTT histograms not counted: the kernel's map or the model's table full */
	LOSS_LISTENERS, /* listener tables full (kernel or model) */
	LOSS_SERVICES,	/* service table full */
	LOSS_MAX,
};

void model_losses(const struct model *m, uint64_t n[LOSS_MAX]);
uint64_t model_loss_total(const struct model *m);
/* What a loss means, and what to do about it. */
const char *model_loss_what(enum model_loss l);
const char *model_loss_advice(enum model_loss l);

int model_init(struct model *m, const struct model_config *cfg);
void model_free(struct model *m);
/* Take in one record; -EINVAL (counted, ignored) when it is malformed. */
int model_apply(struct model *m, const union ts_event *ev);

struct session *model_find_open(const struct model *m, uint64_t sid);
const char *model_reason_name(const struct model *m, uint32_t reason);
/* The kernel's name of a reset's reason (enum sk_rst_reason), or NULL. */
const char *model_rst_reason_name(const struct model *m, uint32_t reason);
const char *model_symbol(const struct model *m, uint64_t addr);
/* Wall-clock seconds for a monotonic timestamp (0 before META arrived). */
double model_wall_time(const struct model *m, uint64_t mono_ns);

#endif
