/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A ring of fixed-size records: the newest N are kept, older ones are
 * overwritten. Records are numbered from 0 for the whole run, so a number
 * still names the same record as long as it has not been overwritten.
 */
#ifndef TCPSCOPE_RING_H
#define TCPSCOPE_RING_H

#include <stddef.h>
#include <stdint.h>

struct ring {
	unsigned char *buf;
	size_t size;   /* bytes per record */
	size_t cap;    /* records */
	uint64_t next; /* number the next record will get */
};

int ring_init(struct ring *r, size_t record_size, size_t cap);
void ring_free(struct ring *r);
/* A slot for a new record, zeroed; the oldest record goes when full. */
void *ring_push(struct ring *r);
size_t ring_count(const struct ring *r);
/* The i-th retained record, oldest first. */
void *ring_at(const struct ring *r, size_t i);
/* The record numbered seq, or NULL if it has been overwritten or not written. */
void *ring_by_seq(const struct ring *r, uint64_t seq);
uint64_t ring_first_seq(const struct ring *r);
void ring_clear(struct ring *r);
/* Pointers to the newest max records (all, if fewer), oldest first; returns how many. */
size_t ring_collect(const struct ring *r, const void **rows, size_t max);

#endif
