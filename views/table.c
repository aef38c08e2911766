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
	/* entry numbers and home slots are 32-bit in the index */
	if (!cap || keylen > entry_size || cap > UINT32_MAX / 4)
		return -EINVAL;
	t->size = entry_size;
	t->keylen = keylen;
	t->cap = cap;
	t->max_index = 16;
	while (t->max_index < cap * 2)
		t->max_index *= 2;
	t->nindex = t->max_index < 64 ? t->max_index : 64;
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

/*
 * Only entries handed out were touched: a new table's arrays stay untouched
 * memory until used (first touching memory is what makes start-up slow on
 * some hosts), and low indices, warm in cache, go out first.
 */
void table_clear(struct table *t)
{
	memset(t->used, 0, t->fresh);
	memset(t->index, 0, t->nindex * sizeof(*t->index));
	t->fresh = 0;
	t->nfree = 0;
	t->count = 0;
}

static void *entry(const struct table *t, uint32_t i)
{
	return t->entries + (size_t)i * t->size;
}

/*
 * An index slot keeps the key's hash beside the entry number: a probe past
 * another key is settled without touching that entry (a cache miss), and a
 * removal finds each entry's home slot without hashing its key again.
 */
static uint32_t slot_hash(uint64_t slot)
{
	return (uint32_t)(slot >> 32);
}

static uint32_t slot_entry(uint64_t slot)
{
	return (uint32_t)slot - 1;
}

/* Whether an entry holds key: most keys are a session id, one word, compared inline. */
static bool same_key(const struct table *t, const void *e, const void *key)
{
	uint64_t a, b;

	if (t->keylen != sizeof(uint64_t))
		return !memcmp(e, key, t->keylen);
	memcpy(&a, e, sizeof(a));
	memcpy(&b, key, sizeof(b));
	return a == b;
}

/* The index slot holding key (whose hash is h), or the empty slot where it would go. */
static size_t slot_of(const struct table *t, const void *key, uint32_t h)
{
	size_t mask = t->nindex - 1, s = h & mask;
	uint64_t v;

	while ((v = t->index[s]) &&
	       (slot_hash(v) != h || !same_key(t, entry(t, slot_entry(v)), key)))
		s = (s + 1) & mask;
	return s;
}

/* Double the index; the slots carry their hashes, so no key is hashed again. */
static int grow(struct table *t)
{
	size_t n = t->nindex * 2, mask = n - 1;
	uint64_t *index = calloc(n, sizeof(*index));

	if (!index)
		return -ENOMEM;
	for (size_t i = 0; i < t->nindex; i++) {
		uint64_t v = t->index[i];
		size_t s;

		if (!v)
			continue;
		for (s = slot_hash(v) & mask; index[s]; s = (s + 1) & mask)
			;
		index[s] = v;
	}
	free(t->index);
	t->index = index;
	t->nindex = n;
	return 0;
}

static uint32_t key_hash(const struct table *t, const void *key)
{
	return (uint32_t)hash_bytes(key, t->keylen);
}

void *table_find(const struct table *t, const void *key)
{
	size_t s = slot_of(t, key, key_hash(t, key));

	return t->index[s] ? entry(t, slot_entry(t->index[s])) : NULL;
}

void *table_get(struct table *t, const void *key, bool *added)
{
	uint32_t h = key_hash(t, key), i;
	size_t s = slot_of(t, key, h);
	void *e;

	if (added)
		*added = false;
	if (t->index[s])
		return entry(t, slot_entry(t->index[s]));
	if (!t->nfree && t->fresh == t->cap)
		return NULL;
	if ((t->count + 1) * 2 > t->nindex && t->nindex < t->max_index && !grow(t))
		s = slot_of(t, key, h);
	if (t->count + 1 >= t->nindex)
		return NULL; /* could not grow: keep an empty slot, or probes never end */
	i = t->nfree ? t->free_list[--t->nfree] : (uint32_t)t->fresh++;
	e = entry(t, i);
	memset(e, 0, t->size);
	memcpy(e, key, t->keylen);
	t->used[i] = 1;
	t->index[s] = (uint64_t)h << 32 | (i + 1);
	t->count++;
	if (added)
		*added = true;
	return e;
}

void *table_get_hinted(struct table *t, const void *key, uint32_t *hint, bool *added)
{
	void *e;

	if (*hint && t->used[*hint - 1] && same_key(t, entry(t, *hint - 1), key)) {
		if (added)
			*added = false;
		return entry(t, *hint - 1);
	}
	e = table_get(t, key, added);
	if (e)
		*hint = (uint32_t)table_index(t, e) + 1;
	return e;
}

void table_remove(struct table *t, void *e)
{
	size_t mask = t->nindex - 1, s = slot_of(t, e, key_hash(t, e)), j;
	uint32_t i = (uint32_t)(((unsigned char *)e - t->entries) / t->size);

	if (!t->index[s] || slot_entry(t->index[s]) != i)
		return;
	/* backward-shift deletion keeps probe chains intact without tombstones */
	t->index[s] = 0;
	for (j = (s + 1) & mask; t->index[j]; j = (j + 1) & mask) {
		size_t home = slot_hash(t->index[j]) & mask;

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

size_t table_index(const struct table *t, const void *e)
{
	return (size_t)((const unsigned char *)e - t->entries) / t->size;
}

void *table_at(const struct table *t, size_t i)
{
	return t->entries + i * t->size;
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
	while (*pos < t->fresh) {
		size_t i = (*pos)++;

		if (t->used[i])
			return entry(t, (uint32_t)i);
	}
	return NULL;
}
