/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A spool of records between the thread that drains the kernel's ring
 * buffer and the thread that takes them in: chunks of memory, mapped as the
 * backlog grows and unmapped as it is taken. One producer at a time (the
 * caller serialises producers), one consumer.
 */
#ifndef TCPSCOPE_SPOOL_H
#define TCPSCOPE_SPOOL_H

#include <stddef.h>
#include <stdint.h>

struct spool_chunk;

struct spool {
	struct spool_chunk *head; /* the consumer reads here */
	size_t rd;		  /* the consumer's offset in head */
	struct spool_chunk *tail; /* the producer writes here */
	uint64_t waiting;	  /* bytes put and not yet taken (atomic) */
	uint64_t peak;		  /* the most that ever waited */
	uint64_t max_bytes;	  /* put() refuses beyond this */
	uint64_t refused;	  /* records put() refused (the spool was full, or no memory) */
};

int spool_init(struct spool *s, uint64_t max_bytes);
void spool_free(struct spool *s);
/* Producer: copy a record in; -ENOSPC (counted in refused) when it does not fit. */
int spool_put(struct spool *s, const void *rec, uint32_t size);
/* Consumer: the oldest record not taken yet, or NULL; spool_take() when done with it. */
const void *spool_peek(struct spool *s, uint32_t *size);
void spool_take(struct spool *s);
uint64_t spool_waiting(const struct spool *s);

#endif
