/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Flow groups: who a kept row belongs to, so a flood of one flow cannot
 * push every other flow's rows out (views/retain.h). A flow is the owning
 * command (the workers of one server share it), the service port (the
 * listening port of an accepted socket, the remote port of a connected one)
 * and which of the two the socket is. Ids are small numbers; id 0 is the
 * "other" group, for rows whose flow finds no room in the table.
 */
#ifndef TCPSCOPE_FLOWGROUP_H
#define TCPSCOPE_FLOWGROUP_H

#include <stdint.h>
#include "event.h"
#include "table.h"

#define FLOW_OTHER 0

enum flow_role {
	FLOW_ROLE_UNKNOWN = 0, /* open before tracing, or no socket: the lower port */
	FLOW_ROLE_ACCEPT,
	FLOW_ROLE_CONNECT,
};

struct flow_key {
	char comm[TS_COMM_LEN]; /* zeros: owner unknown */
	uint16_t port;
	uint8_t role;
	uint8_t pad[5]; /* whole words: the table hashes a word at a time */
};

/* The flows looked up last, direct-mapped: a session's first rows skip the table. */
#define FLOW_RECENT 256

struct flow_recent {
	struct flow_key key;
	uint32_t id; /* 0: empty */
	uint32_t gen;
};

struct flowgroups {
	struct table table; /* struct flow_key; a group's id is its entry number + 1 */
	struct flow_recent recent[FLOW_RECENT];
	uint8_t *present;  /* by id: a bit for each store holding rows of it; forgotten at 0 */
	uint32_t *gen;	   /* by id: bumped when the id is given to another flow */
	size_t cap;	   /* groups besides "other" */
	unsigned stores;   /* stores that took a bit */
	uint64_t overflow; /* rows that joined "other": the table was full */
};

/*
 * What a session remembers of its flow, so its rows need no lookup. The
 * model clears it (flow_cache_clear) whenever the session's owner, ports or
 * direction change.
 */
struct flow_cache {
	uint32_t id; /* 0: look it up */
	uint32_t gen;
};

int flowgroups_init(struct flowgroups *g, size_t cap);
void flowgroups_free(struct flowgroups *g);
/* The key of a row: dir is the session's TS_DIR_*, or 0 when unknown. */
void flow_key_of(const struct ts_conn *c, const struct ts_owner *o, uint8_t dir,
		 struct flow_key *k);
/* The group's id, added if new; FLOW_OTHER (counted) when the table is full. */
uint32_t flowgroups_get(struct flowgroups *g, const struct flow_key *k);
/* flowgroups_cached when what the session remembers does not do. */
uint32_t flowgroups_lookup(struct flowgroups *g, struct flow_cache *fc, const struct ts_conn *c,
			   const struct ts_owner *o, uint8_t dir);
/* A store's bit in present[]; 0 when eight stores have taken theirs. */
uint8_t flowgroups_store_bit(struct flowgroups *g);
/* The group's newest row in a store went: it has no row there now (forgotten if none anywhere). */
void flowgroups_absent(struct flowgroups *g, uint32_t id, uint8_t bit);

/* The service port: the listening one when accepted, the remote one when connected. */
static inline void flow_service(const struct ts_conn *c, uint8_t dir, uint16_t *port, uint8_t *role)
{
	if (dir == TS_DIR_ACCEPT) {
		*port = c->lport;
		*role = FLOW_ROLE_ACCEPT;
	} else if (dir == TS_DIR_CONNECT) {
		*port = c->rport;
		*role = FLOW_ROLE_CONNECT;
	} else {
		/* services mostly listen below the ephemeral range; a listener has no remote port
		 */
		*port = !c->rport || (c->lport && c->lport < c->rport) ? c->lport : c->rport;
		*role = FLOW_ROLE_UNKNOWN;
	}
}

static inline void flow_cache_clear(struct flow_cache *fc)
{
	fc->id = 0;
}

/*
 * flowgroups_get for a session's rows (every row: inline), through what the
 * session remembers, unless the group was forgotten since.
 */
static inline uint32_t flowgroups_cached(struct flowgroups *g, struct flow_cache *fc,
					 const struct ts_conn *c, const struct ts_owner *o,
					 uint8_t dir)
{
	if (fc->id && g->gen[fc->id] == fc->gen)
		return fc->id;
	return flowgroups_lookup(g, fc, c, o, dir);
}

/* A store took a row of the group. */
static inline void flowgroups_hold(struct flowgroups *g, uint32_t id, uint8_t bit)
{
	g->present[id] |= bit;
}

#endif
