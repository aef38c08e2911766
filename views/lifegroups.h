/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Lifespans summed up, for a host with more sessions than anyone can read:
 * sessions by process, service port and remote host (or by process alone,
 * or service port alone), with the sessions opened in the last interval,
 * the failures, the duration's median and 99th percentile, and the bytes.
 * Every session counts, not only those still kept: the model adds each
 * closed one to its group's sums as it closes (one lookup a session), and
 * the rows add the open ones when they are made.
 */
#ifndef TCPSCOPE_LIFEGROUPS_H
#define TCPSCOPE_LIFEGROUPS_H

#include "filter.h"
#include "loghist.h"
#include "model.h"

/* Who and what a row sums up; the fields its grouping does not use are 0. */
struct life_key {
	uint32_t pid;
	uint16_t port;	/* the service port */
	uint8_t family; /* of raddr; 0: no host */
	uint8_t pad;
	char comm[TS_COMM_LEN]; /* zeros: no process, or its owner unknown */
	uint8_t raddr[16];
	const struct service *svc; /* the owner's (a process's is one); NULL: unknown or not kept */
};

/* The model's sums, by process, service port and remote host: closed sessions only. */
struct life_sum {
	struct life_key key; /* first: the table's key */
	uint64_t closed, fails, refused, reset, timeout;
	uint64_t tx, rx;
	uint32_t iv_opened;   /* closed, opened in the current interval */
	uint32_t last_opened; /* closed, opened in the last complete interval */
	uint64_t last_active; /* tick count at the last close */
	struct loghist dur;   /* durations of the closed sessions whose start is known */
};

/* A row of the Lifespans pane when grouped. */
struct life_row {
	struct life_key key; /* first: the rows' table key */
	uint8_t group;	     /* enum life_group */
	uint64_t sessions;   /* closed, and open now */
	uint64_t open;
	uint64_t opened; /* in the last complete interval */
	uint64_t fails, refused, reset, timeout;
	uint64_t tx, rx;
	uint64_t timed; /* closed sessions with a duration */
	uint64_t p50_ns, p99_ns;
};

/* What the rows are made in, kept between calls (grown as needed). */
struct life_rows {
	struct table rows; /* struct life_row by key */
	uint64_t *pairs;   /* row entry << 32 | summary entry, for each summary with durations */
	const struct loghist **parts;
	size_t cap; /* of pairs and parts */
};

const char *life_group_name(enum life_group g);
int life_group_parse(const char *name);
/* Rows grouped by g cannot show what the filter looks at: the grouping that can. */
enum life_group life_group_for(enum life_group g, const struct filter *f);
void life_key_of(enum life_group g, const struct session *s, struct life_key *k);

/* A session closed: add it to its group (counted in dropped_summaries when full). */
void life_closed(struct model *m, const struct session *s);
/* The interval ended: the opened counts move on, and idle groups make room. */
void life_tick(struct model *m, uint64_t now_ns);

/* The rows grouped by g into lr: closed sessions from the sums, open ones from the table. */
int life_rows_build(struct life_rows *lr, const struct model *m, enum life_group g);
void life_rows_free(struct life_rows *lr);

#endif
