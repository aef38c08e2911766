// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "connlog.h"
#include "model.h"

int connlogs_init(struct connlogs *c, size_t cap)
{
	memset(c, 0, sizeof(*c));
	if (!cap)
		return 0;
	c->cap = cap;
	c->ring[0] = calloc(cap, sizeof(uint64_t));
	c->ring[1] = calloc(cap, sizeof(uint64_t));
	if (!c->ring[0] || !c->ring[1] ||
	    table_init(&c->t, sizeof(struct connlog), sizeof(uint64_t), cap)) {
		connlogs_free(c);
		return -ENOMEM;
	}
	return 0;
}

void connlogs_free(struct connlogs *c)
{
	if (c->cap)
		table_free(&c->t);
	free(c->ring[0]);
	free(c->ring[1]);
	memset(c, 0, sizeof(*c));
}

/* The log of the session closed longest ago goes: a plain one first. */
static bool make_room(struct connlogs *c)
{
	for (int k = 0; k < 2; k++)
		while (c->count[k]) {
			uint64_t sid = c->ring[k][c->head[k]];
			struct connlog *l = table_find(&c->t, &sid);

			c->head[k] = (c->head[k] + 1) % c->cap;
			c->count[k]--;
			/* (a sid a new session took again is open: it stays) */
			if (!l || !l->closed)
				continue;
			table_remove(&c->t, l);
			l->sid = 0; /* a session's hint to this entry must not find it */
			c->let_go++;
			return true;
		}
	return false;
}

struct connlog *connlog_get(struct connlogs *c, uint64_t sid, bool make)
{
	struct connlog *l;
	bool added;

	if (!c->cap || !sid)
		return NULL;
	l = table_find(&c->t, &sid);
	if (l || !make)
		return l;
	if (table_count(&c->t) >= c->cap && !make_room(c)) {
		c->not_kept++;
		return NULL;
	}
	l = table_get(&c->t, &sid, &added);
	if (!l) {
		c->not_kept++;
		return NULL;
	}
	if (added) {
		/* only the header: items and points are written before they are read */
		l->items = l->points = 0;
		l->closed = l->notable = false;
	}
	return l;
}

const struct connlog *connlog_find(const struct connlogs *c, uint64_t sid)
{
	return c->cap ? table_find(&c->t, &sid) : NULL;
}

static struct tl_item *next_item(struct connlog *l)
{
	struct tl_item *it = &l->item[l->items % CONNLOG_ITEMS];

	l->items++;
	memset(it, 0, sizeof(*it));
	return it;
}

void connlog_state(struct connlog *l, uint64_t ts, uint8_t old, uint8_t new, uint64_t dt_ns)
{
	struct tl_item *it = next_item(l);

	it->ts_ns = ts;
	it->kind = TL_STATE;
	it->old = old;
	it->new = new;
	it->a = dt_ns;
}

void connlog_event(struct connlog *l, const struct event_row *r)
{
	struct tl_item *it = next_item(l);

	l->notable = true;
	it->ts_ns = r->ts_ns;
	it->kind = r->type;
	it->state = r->state;
	it->reason = r->reason;
	it->tcp_flags = r->tcp_flags;
	it->ingress = r->ingress;
	switch (r->type) {
	case EV_RETRANS:
		it->b = r->count;
		break;
	case EV_DROP:
		it->a = r->location;
		it->b = r->len;
		break;
	default:
		it->sock_type = r->sock_type;
		it->old = r->ca_old;
		it->new = r->ca_new;
		it->a = r->value;
		it->b = r->value2;
	}
}

void connlog_event_row(const struct tl_item *it, struct event_row *r)
{
	memset(r, 0, sizeof(*r));
	r->ts_ns = it->ts_ns;
	r->type = it->kind;
	r->state = it->state;
	r->reason = it->reason;
	r->tcp_flags = it->tcp_flags;
	r->ingress = it->ingress;
	switch (it->kind) {
	case EV_RETRANS:
		r->count = it->b;
		break;
	case EV_DROP:
		r->location = it->a;
		r->len = it->b;
		break;
	default:
		r->sock_type = it->sock_type;
		r->ca_old = it->old;
		r->ca_new = it->new;
		r->value = it->a;
		r->value2 = it->b;
	}
}

void connlog_point(struct connlog *l, const struct tl_point *p)
{
	l->notable = true;
	l->point[l->points % CONNLOG_POINTS] = *p;
	l->points++;
}

void connlog_closed(struct connlogs *c, struct connlog *l)
{
	int k = l->notable;

	if (l->closed)
		return;
	l->closed = true;
	if (c->count[k] == c->cap) /* cannot be: a log is in a ring once */
		return;
	c->ring[k][(c->head[k] + c->count[k]) % c->cap] = l->sid;
	c->count[k]++;
}

size_t connlog_kept_items(const struct connlog *l)
{
	return l->items < CONNLOG_ITEMS ? (size_t)l->items : CONNLOG_ITEMS;
}

const struct tl_item *connlog_item(const struct connlog *l, size_t i)
{
	uint64_t first = l->items - connlog_kept_items(l);

	return &l->item[(first + i) % CONNLOG_ITEMS];
}

size_t connlog_kept_points(const struct connlog *l)
{
	return l->points < CONNLOG_POINTS ? (size_t)l->points : CONNLOG_POINTS;
}

const struct tl_point *connlog_point_at(const struct connlog *l, size_t i)
{
	uint64_t first = l->points - connlog_kept_points(l);

	return &l->point[(first + i) % CONNLOG_POINTS];
}
