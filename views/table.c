// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "table.h"

/* Eight bytes a step (keys are up to 80 bytes: the throughput groups'), then mixed. */
static uint64_t hash_bytes(const void *key, size_t len)
{
	const unsigned char *p = key;
	uint64_t h = 0xcbf29ce484222325ULL, w;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 31;
	}
	for (; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	return h ^ (h >> 32);
}

int table_init(struct table *t, size_t entry_size, size_t keylen, size_t cap)
{
	memset(t, 0, sizeof(*t));
	if (!cap || keylen > entry_size)
		return -EINVAL;
	t->size = entry_size;
	t->keylen = keylen;
	t->cap = cap;
	t->nindex = 16;
	while (t->nindex < cap * 2)
		t->nindex *= 2;
	t->entries = calloc(cap, entry_size);
	t->used = calloc(cap, 1);
	t->index = calloc(t->nindex, sizeof(*t->index));
	t->free_list = malloc(cap * sizeof(*t->free_list));
	if (!t->entries || !t->used || !t->index || !t->free_list) {
		table_free(t);
		return -ENOMEM;
	}
	table_clear(t);
	return 0;
}

void table_free(struct table *t)
{
	free(t->entries);
	free(t->used);
	free(t->index);
	free(t->free_list);
	memset(t, 0, sizeof(*t));
}

void table_clear(struct table *t)
{
	memset(t->used, 0, t->cap);
	memset(t->index, 0, t->nindex * sizeof(*t->index));
	/* hand out low indices first: they are warm in cache */
	for (size_t i = 0; i < t->cap; i++)
		t->free_list[i] = (uint32_t)(t->cap - 1 - i);
	t->nfree = t->cap;
	t->count = 0;
}

static void *entry(const struct table *t, uint32_t i)
{
	return t->entries + (size_t)i * t->size;
}

/* The index slot holding key, or the empty slot where it would go. */
static size_t slot_of(const struct table *t, const void *key)
{
	size_t mask = t->nindex - 1, s = hash_bytes(key, t->keylen) & mask;

	while (t->index[s] && memcmp(entry(t, t->index[s] - 1), key, t->keylen))
		s = (s + 1) & mask;
	return s;
}

void *table_find(const struct table *t, const void *key)
{
	size_t s = slot_of(t, key);

	return t->index[s] ? entry(t, t->index[s] - 1) : NULL;
}

void *table_get(struct table *t, const void *key, bool *added)
{
	size_t s = slot_of(t, key);
	uint32_t i;
	void *e;

	if (added)
		*added = false;
	if (t->index[s])
		return entry(t, t->index[s] - 1);
	if (!t->nfree)
		return NULL;
	i = t->free_list[--t->nfree];
	e = entry(t, i);
	memset(e, 0, t->size);
	memcpy(e, key, t->keylen);
	t->used[i] = 1;
	t->index[s] = i + 1;
	t->count++;
	if (added)
		*added = true;
	return e;
}

void table_remove(struct table *t, void *e)
{
	size_t mask = t->nindex - 1, s = slot_of(t, e), j;
	uint32_t i = (uint32_t)(((unsigned char *)e - t->entries) / t->size);

	if (!t->index[s] || t->index[s] - 1 != i)
		return;
	/* backward-shift deletion keeps probe chains intact without tombstones */
	t->index[s] = 0;
	for (j = (s + 1) & mask; t->index[j]; j = (j + 1) & mask) {
		size_t home = hash_bytes(entry(t, t->index[j] - 1), t->keylen) & mask;

		if (((j - home) & mask) >= ((j - s) & mask)) {
			t->index[s] = t->index[j];
			t->index[j] = 0;
			s = j;
		}
	}
	t->used[i] = 0;
	t->free_list[t->nfree++] = i;
	t->count--;
}

bool table_owns(const struct table *t, const void *e)
{
	const unsigned char *p = e;

	return p >= t->entries && p < t->entries + t->cap * t->size;
}

size_t table_count(const struct table *t)
{
	return t->count;
}

void *table_next(const struct table *t, size_t *pos)
{
	while (*pos < t->cap) {
		size_t i = (*pos)++;

		if (t->used[i])
			return entry(t, (uint32_t)i);
	}
	return NULL;
}
