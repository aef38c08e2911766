// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "ring.h"

int ring_init(struct ring *r, size_t record_size, size_t cap)
{
	memset(r, 0, sizeof(*r));
	if (!cap || !record_size)
		return -EINVAL;
	r->buf = calloc(cap, record_size);
	if (!r->buf)
		return -ENOMEM;
	r->size = record_size;
	r->cap = cap;
	return 0;
}

void ring_free(struct ring *r)
{
	free(r->buf);
	memset(r, 0, sizeof(*r));
}

void *ring_push(struct ring *r)
{
	void *slot = r->buf + (r->next % r->cap) * r->size;

	r->next++;
	memset(slot, 0, r->size);
	return slot;
}

size_t ring_count(const struct ring *r)
{
	return r->next < r->cap ? (size_t)r->next : r->cap;
}

uint64_t ring_first_seq(const struct ring *r)
{
	return r->next - ring_count(r);
}

void *ring_by_seq(const struct ring *r, uint64_t seq)
{
	if (seq < ring_first_seq(r) || seq >= r->next)
		return NULL;
	return r->buf + (seq % r->cap) * r->size;
}

void *ring_at(const struct ring *r, size_t i)
{
	return ring_by_seq(r, ring_first_seq(r) + i);
}

void ring_clear(struct ring *r)
{
	r->next = 0;
}

size_t ring_collect(const struct ring *r, const void **rows, size_t max)
{
	size_t total = ring_count(r), n = total < max ? total : max;

	for (size_t i = 0; i < n; i++)
		rows[i] = ring_at(r, total - n + i);
	return n;
}
