/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A hash table of fixed-size entries whose first 8 bytes are the key's hash
 * input (for sessions: the session id) or, with a custom key, the entry as a
 * whole. Entries live in one array and keep their index while present, so
 * callers may hold indices across calls; memory is bounded by the capacity.
 * The index starts small and doubles at half load, so a table that holds
 * few entries touches little memory however large its capacity.
 */
#ifndef TCPSCOPE_TABLE_H
#define TCPSCOPE_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct table {
	unsigned char *entries; /* cap entries of size bytes */
	uint8_t *used;		/* per entry */
	uint64_t *index;	/* open addressing: hash << 32 | entry number + 1; 0 empty */
	size_t size, cap, nindex, count;
	size_t max_index;    /* nindex grows to this (2 x cap): a few entries stay in cache */
	uint32_t *free_list; /* entries given back, taken again first */
	size_t nfree;
	size_t fresh;  /* entries from here on were never handed out, nor touched */
	size_t keylen; /* bytes at the start of an entry that make its key */
};

int table_init(struct table *t, size_t entry_size, size_t keylen, size_t cap);
void table_free(struct table *t);
/* The entry with this key, or NULL. */
void *table_find(const struct table *t, const void *key);
/* The entry with this key, added (zeroed, key copied) if absent; NULL when full. */
void *table_get(struct table *t, const void *key, bool *added);
/*
 * table_get, trying the entry *hint names first (entry number + 1; 0: none)
 * and leaving there the one it returns: a caller that keeps a hint per key
 * it sees often (a small direct-mapped array) skips hashing long keys.
 */
void *table_get_hinted(struct table *t, const void *key, uint32_t *hint, bool *added);
void table_remove(struct table *t, void *entry);
/* The entry's number, from 0 to cap - 1: it keeps it while present. */
size_t table_index(const struct table *t, const void *entry);
/* The entry numbered i (present or not). */
void *table_at(const struct table *t, size_t i);
/* Whether entry is one of the table's (rather than a copy elsewhere). */
bool table_owns(const struct table *t, const void *entry);
size_t table_count(const struct table *t);
/* Iterate: returns the next used entry after *pos (start with 0), or NULL. */
void *table_next(const struct table *t, size_t *pos);
void table_clear(struct table *t);

#endif
