// SPDX-License-Identifier: GPL-2.0
/*
 * The hash table under the model: random inserts, finds and removals checked
 * against a plain array, at full load, with short and long keys, so probe
 * chains, hash tags and backward-shift deletion are all exercised.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include "../tap.h"
#include "views/table.h"

#define CAP	 512
#define UNIVERSE 1500 /* distinct keys: three times the capacity */

struct long_entry {
	unsigned char key[80]; /* like the throughput groups' keys */
	uint64_t value;
};

/* Key number n as 80 bytes that differ only near the end, to defeat shortcuts. */
static void long_key(unsigned n, unsigned char *k)
{
	memset(k, 0xab, 80);
	memcpy(k + 72, &n, sizeof(n));
}

static uint64_t rng = 88172645463325252ULL;

static unsigned next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng >> 11);
}

/* The reference: where each present key's entry lives (NULL: absent). */
static void *where[UNIVERSE];

static void *lookup(struct table *t, unsigned n, bool is_long)
{
	unsigned char k[80];
	uint64_t k8 = n * 0x9e3779b97f4a7c15ULL;

	if (is_long) {
		long_key(n, k);
		return table_find(t, k);
	}
	return table_find(t, &k8);
}

static void *insert(struct table *t, unsigned n, bool is_long, bool *added)
{
	unsigned char k[80];
	uint64_t k8 = n * 0x9e3779b97f4a7c15ULL;

	if (is_long) {
		long_key(n, k);
		return table_get(t, k, added);
	}
	return table_get(t, &k8, added);
}

static uint64_t *value_of(void *e, bool is_long)
{
	return is_long ? &((struct long_entry *)e)->value : (uint64_t *)e + 1;
}

static void random_ops(bool is_long)
{
	struct table t;
	size_t present = 0, bad = 0;

	memset(where, 0, sizeof(where));
	CHECK(!table_init(&t, is_long ? sizeof(struct long_entry) : 16, is_long ? 80 : 8, CAP));
	for (int op = 0; op < 60000; op++) {
		unsigned n = next_rand() % UNIVERSE;
		bool added;
		void *e;

		if (next_rand() % 3) { /* get, which adds when absent */
			e = insert(&t, n, is_long, &added);
			if (where[n]) {
				bad += e != where[n] || added || *value_of(e, is_long) != n;
			} else if (present == CAP) {
				bad += e != NULL;
			} else {
				bad += !e || !added || *value_of(e, is_long) != 0;
				if (e) {
					*value_of(e, is_long) = n;
					where[n] = e;
					present++;
				}
			}
		} else if (where[n]) {
			table_remove(&t, where[n]);
			where[n] = NULL;
			present--;
		}
		if (op % 97 == 0) { /* every key: found where it was put, or not found */
			for (unsigned k = 0; k < UNIVERSE; k++)
				bad += lookup(&t, k, is_long) != where[k];
			bad += table_count(&t) != present;
		}
	}
	CHECK_EQ_U64(bad, 0);
	CHECK(present > CAP * 9 / 10); /* the load was high: chains were long */
	size_t pos = 0, seen = 0;
	while (table_next(&t, &pos))
		seen++;
	CHECK_EQ_U64(seen, present);
	table_free(&t);
}

TEST(random_ops_short_keys)
{
	random_ops(false);
}

TEST(random_ops_long_keys)
{
	random_ops(true);
}

TEST(full_then_room_again)
{
	struct table t;
	uint64_t k;
	bool added;

	CHECK(!table_init(&t, 8, 8, 4));
	for (k = 1; k <= 4; k++)
		CHECK(table_get(&t, &k, &added) && added);
	k = 5;
	CHECK(table_get(&t, &k, &added) == NULL);
	k = 2;
	table_remove(&t, table_find(&t, &k));
	CHECK(table_find(&t, &k) == NULL);
	k = 5;
	CHECK(table_get(&t, &k, &added) && added);
	CHECK_EQ_U64(table_count(&t), 4);
	table_clear(&t);
	CHECK_EQ_U64(table_count(&t), 0);
	CHECK(table_find(&t, &k) == NULL);
	table_free(&t);
}

TEST(hints_find_the_same_entries)
{
	struct table t;
	struct long_entry *a, *b, *e;
	unsigned char k1[80], k2[80];
	uint32_t hint = 0;
	bool added;

	CHECK(table_init(&t, sizeof(struct long_entry), 80, 8) == 0);
	long_key(1, k1);
	long_key(2, k2);
	a = table_get_hinted(&t, k1, &hint, &added);
	CHECK(a && added && hint == table_index(&t, a) + 1);
	CHECK(table_get_hinted(&t, k1, &hint, &added) == a && !added);
	/* a hint of another key is not taken for this one */
	b = table_get_hinted(&t, k2, &hint, &added);
	CHECK(b && b != a && added && hint == table_index(&t, b) + 1);
	/* nor one whose entry went, even when another key took the entry since */
	table_remove(&t, b);
	e = table_get_hinted(&t, k2, &hint, &added);
	CHECK(e && added && !memcmp(e->key, k2, 80));
	table_remove(&t, e);
	e = table_get(&t, k1, NULL);
	CHECK(e == a);
	hint = (uint32_t)table_index(&t, a) + 1;
	CHECK(table_get_hinted(&t, k2, &hint, &added) != a && added);
	table_free(&t);
}

TEST(bad_sizes_refused)
{
	struct table t;

	CHECK(table_init(&t, 8, 8, 0) != 0);
	CHECK(table_init(&t, 8, 16, 4) != 0);
	CHECK(table_init(&t, 8, 8, (size_t)UINT32_MAX) != 0);
}

int main(void)
{
	RUN(random_ops_short_keys);
	RUN(random_ops_long_keys);
	RUN(full_then_room_again);
	RUN(hints_find_the_same_entries);
	RUN(bad_sizes_refused);
	TAP_DONE();
}
