// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "flowgroup.h"

int flowgroups_init(struct flowgroups *g, size_t cap)
{
	int err;

	memset(g, 0, sizeof(*g));
	err = table_init(&g->table, sizeof(struct flow_key), sizeof(struct flow_key), cap);
	if (err)
		return err;
	g->cap = cap;
	g->present = calloc(cap + 1, sizeof(*g->present));
	g->gen = calloc(cap + 1, sizeof(*g->gen));
	if (!g->present || !g->gen) {
		flowgroups_free(g);
		return -ENOMEM;
	}
	return 0;
}

void flowgroups_free(struct flowgroups *g)
{
	table_free(&g->table);
	free(g->present);
	free(g->gen);
	memset(g, 0, sizeof(*g));
}

void flow_key_of(const struct ts_conn *c, const struct ts_owner *o, uint8_t dir, struct flow_key *k)
{
	memset(k, 0, sizeof(*k));
	if (o->pid)
		memcpy(k->comm, o->comm, sizeof(k->comm));
	flow_service(c, dir, &k->port, &k->role);
}

uint32_t flowgroups_get(struct flowgroups *g, const struct flow_key *k)
{
	struct flow_key *e = table_get(&g->table, k, NULL);

	if (!e) {
		g->overflow++;
		return FLOW_OTHER;
	}
	return (uint32_t)table_index(&g->table, e) + 1;
}

/* Where a key goes in recent[]: a mix of its first word, port and role. */
static size_t recent_slot(const struct flow_key *k)
{
	uint64_t w;

	memcpy(&w, k->comm, sizeof(w));
	w ^= (uint64_t)k->port << 32 ^ k->role;
	return (size_t)((w * 0x9e3779b97f4a7c15ULL) >> 56) % FLOW_RECENT;
}

uint32_t flowgroups_lookup(struct flowgroups *g, struct flow_cache *fc, const struct ts_conn *c,
			   const struct ts_owner *o, uint8_t dir)
{
	struct flow_recent *r;
	struct flow_key k;

	flow_key_of(c, o, dir, &k);
	r = &g->recent[recent_slot(&k)];
	/* every new session looks up its flow: most are flows seen a moment ago */
	if (r->id && g->gen[r->id] == r->gen && !memcmp(&r->key, &k, sizeof(k))) {
		fc->id = r->id;
	} else {
		fc->id = flowgroups_get(g, &k);
		if (fc->id != FLOW_OTHER) {
			r->key = k;
			r->id = fc->id;
			r->gen = g->gen[fc->id];
		}
	}
	fc->gen = g->gen[fc->id];
	return fc->id;
}

uint8_t flowgroups_store_bit(struct flowgroups *g)
{
	return g->stores < 8 ? (uint8_t)(1u << g->stores++) : 0;
}

void flowgroups_absent(struct flowgroups *g, uint32_t id, uint8_t bit)
{
	g->present[id] &= (uint8_t)~bit;
	if (g->present[id] || id == FLOW_OTHER)
		return;
	/* the id may go to another flow: what sessions remember of it is stale */
	g->gen[id]++;
	table_remove(&g->table, table_at(&g->table, id - 1));
}
