// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include "spool.h"

/* Mapped, not malloc'd: a backlog's memory goes back to the system once it is taken. */
#define CHUNK_BYTES (1u << 20)

struct spool_chunk {
	struct spool_chunk *next; /* set (release) once the producer has moved on */
	size_t cap;
	size_t used; /* bytes of whole records (release: the producer publishes with it) */
	unsigned char data[];
};

struct rec_hdr {
	uint32_t size;
	uint32_t pad;
};

static size_t need(uint32_t size)
{
	return sizeof(struct rec_hdr) + ((size + 7u) & ~7u);
}

static struct spool_chunk *chunk_new(void)
{
	struct spool_chunk *c =
	    mmap(NULL, CHUNK_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (c == MAP_FAILED)
		return NULL;
	c->next = NULL;
	c->cap = CHUNK_BYTES - sizeof(*c);
	c->used = 0;
	return c;
}

int spool_init(struct spool *s, uint64_t max_bytes)
{
	memset(s, 0, sizeof(*s));
	s->max_bytes = max_bytes;
	s->head = s->tail = chunk_new();
	return s->head ? 0 : -ENOMEM;
}

void spool_free(struct spool *s)
{
	while (s->head) {
		struct spool_chunk *next = s->head->next;

		munmap(s->head, CHUNK_BYTES);
		s->head = next;
	}
	s->tail = NULL;
}

int spool_put(struct spool *s, const void *rec, uint32_t size)
{
	struct spool_chunk *t = s->tail;
	size_t n = need(size), used = t->used; /* only the producer writes used */
	uint64_t waiting = __atomic_load_n(&s->waiting, __ATOMIC_RELAXED);
	struct rec_hdr h = {.size = size};

	if (n > t->cap || waiting + n > s->max_bytes) {
		s->refused++;
		return -ENOSPC;
	}
	if (used + n > t->cap) {
		struct spool_chunk *c = chunk_new();

		if (!c) {
			s->refused++;
			return -ENOSPC;
		}
		__atomic_store_n(&t->next, c, __ATOMIC_RELEASE);
		s->tail = t = c;
		used = 0;
	}
	memcpy(t->data + used, &h, sizeof(h));
	memcpy(t->data + used + sizeof(h), rec, size);
	__atomic_store_n(&t->used, used + n, __ATOMIC_RELEASE);
	waiting = __atomic_add_fetch(&s->waiting, n, __ATOMIC_RELAXED);
	if (waiting > s->peak)
		s->peak = waiting;
	return 0;
}

const void *spool_peek(struct spool *s, uint32_t *size)
{
	for (;;) {
		struct spool_chunk *h = s->head, *next;
		struct rec_hdr hdr;

		if (s->rd < __atomic_load_n(&h->used, __ATOMIC_ACQUIRE)) {
			memcpy(&hdr, h->data + s->rd, sizeof(hdr));
			*size = hdr.size;
			return h->data + s->rd + sizeof(hdr);
		}
		/* the producer links the next chunk only after the last record of this one */
		next = __atomic_load_n(&h->next, __ATOMIC_ACQUIRE);
		if (!next)
			return NULL;
		if (s->rd < __atomic_load_n(&h->used, __ATOMIC_ACQUIRE))
			continue;
		s->head = next;
		s->rd = 0;
		munmap(h, CHUNK_BYTES);
	}
}

void spool_take(struct spool *s)
{
	struct rec_hdr hdr;
	size_t n;

	memcpy(&hdr, s->head->data + s->rd, sizeof(hdr));
	n = need(hdr.size);
	s->rd += n;
	__atomic_sub_fetch(&s->waiting, n, __ATOMIC_RELAXED);
}

uint64_t spool_waiting(const struct spool *s)
{
	return __atomic_load_n(&s->waiting, __ATOMIC_RELAXED);
}
