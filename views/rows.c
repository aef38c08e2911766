// SPDX-License-Identifier: GPL-2.0
/*
 * Sorting 100k rows must take milliseconds: rows are sorted by a 64-bit key
 * with a radix sort (stable, no comparisons); only runs of equal keys are
 * looked at again: compared fully in columns whose key is a prefix (names,
 * IPv6 addresses), put in the pane's natural order in the others.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "rows.h"

struct sort_item {
	uint64_t key;
	uint32_t idx;
};

void rows_free(struct rowset *rs)
{
	free(rs->rows);
	free(rs->items);
	free(rs->tmp);
	free(rs->nat);
	free(rs->key2);
	memset(rs, 0, sizeof(*rs));
}

static int reserve(struct rowset *rs, size_t n)
{
	if (n <= rs->cap)
		return 0;
	size_t cap = rs->cap ? rs->cap : 1024;
	while (cap < n)
		cap *= 2;
	const void **rows = realloc(rs->rows, cap * sizeof(*rows));
	if (!rows)
		return -ENOMEM;
	rs->rows = rows;
	rs->cap = cap;
	return 0;
}

static int reserve_items(struct rowset *rs, size_t n)
{
	if (n <= rs->items_cap)
		return 0;
	struct sort_item *a = realloc(rs->items, n * sizeof(*a));
	if (a)
		rs->items = a;
	struct sort_item *b = realloc(rs->tmp, n * sizeof(*b));
	if (b)
		rs->tmp = b;
	uint64_t *c = realloc(rs->nat, n * sizeof(*c));
	if (c)
		rs->nat = c;
	uint64_t *d = realloc(rs->key2, n * sizeof(*d));
	if (d)
		rs->key2 = d;
	if (!a || !b || !c || !d)
		return -ENOMEM;
	rs->items_cap = n;
	return 0;
}

/*
 * LSD radix sort by key, 8 bits a pass. One read of the keys counts all
 * eight bytes; passes where every key has the same byte are skipped; the two
 * buffers take turns, so nothing is copied back. Returns the one holding the
 * result (a or tmp).
 */
static struct sort_item *radix_sort(struct sort_item *a, struct sort_item *tmp, size_t n)
{
	size_t count[8][256];
	struct sort_item *src = a, *dst = tmp, *t;

	memset(count, 0, sizeof(count));
	for (size_t i = 0; i < n; i++) {
		uint64_t k = a[i].key;

		for (int b = 0; b < 8; b++)
			count[b][(k >> (8 * b)) & 0xff]++;
	}
	for (int b = 0; b < 8; b++) {
		int shift = 8 * b;
		size_t pos = 0;

		if (count[b][(src[0].key >> shift) & 0xff] == n)
			continue;
		for (int v = 0; v < 256; v++) {
			size_t c = count[b][v];

			count[b][v] = pos;
			pos += c;
		}
		for (size_t i = 0; i < n; i++)
			dst[count[b][(src[i].key >> shift) & 0xff]++] = src[i];
		t = src;
		src = dst;
		dst = t;
	}
	return src;
}

struct tie_ctx {
	const struct column *col; /* NULL: no full comparison, only the natural order */
	const struct fmt_ctx *fc;
	const void **rows;
	const uint64_t *nat;  /* natural keys, by row */
	const uint64_t *key2; /* the column's key2, by row (already ~ when descending) */
	int sign;
};

/* Within a run of equal column keys: the column's full comparison, then the natural order. */
static int tie_cmp(const void *x, const void *y, void *arg)
{
	const struct sort_item *a = x, *b = y;
	const struct tie_ctx *t = arg;
	int d = t->col ? t->col->cmp(t->fc, t->col, t->rows[a->idx], t->rows[b->idx]) * t->sign : 0;

	if (d)
		return d;
	if (t->nat[a->idx] != t->nat[b->idx])
		return t->nat[a->idx] < t->nat[b->idx] ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* Whether a run of equal keys is already in tie_cmp order (as it is when its rows are equal). */
static bool run_in_order(const struct sort_item *it, size_t n, const struct tie_ctx *t)
{
	for (size_t k = 1; k < n; k++)
		if (tie_cmp(&it[k - 1], &it[k], (void *)t) > 0)
			return false;
	return true;
}

/* Sort a run (stable) by the keys put in it. */
static void radix_run(struct sort_item *run, struct sort_item *scratch, size_t n)
{
	struct sort_item *sorted = radix_sort(run, scratch, n);

	if (sorted != run)
		memcpy(run, sorted, n * sizeof(*run));
}

/*
 * Order a run of equal column keys: by the column's next 8 bytes (key2) and
 * its full comparison, then the natural order. A long run is radix-sorted,
 * natural key first, then key2 (both stable, and the run is in row order);
 * the comparison then only sees rows equal in both keys. A short run, or a
 * long one of a column with a comparison but no key2, is compared. Rows
 * whose key is their whole value are only put in the natural order.
 */
static void order_run(struct sort_item *run, struct sort_item *scratch, size_t n,
		      const struct tie_ctx *t, const struct column *col)
{
	uint64_t key = run[0].key;
	/* a key that is the whole value (IPv4 addresses): no row is read, only the natural order */
	bool whole = col->whole && col->whole(t->sign < 0 ? ~key : key);
	struct tie_ctx natural_only;

	if (whole) {
		natural_only = *t;
		natural_only.col = NULL;
		t = &natural_only;
	}
	if (run_in_order(run, n, t))
		return;
	if (n < 64 || (t->col && !col->key2)) {
		qsort_r(run, n, sizeof(*run), tie_cmp, (void *)t);
		return;
	}
	bool natural = true; /* rows often come in their natural order (closed ones do) */

	for (size_t k = 0; k < n; k++) {
		run[k].key = t->nat[run[k].idx];
		natural = natural && (!k || run[k - 1].key <= run[k].key);
	}
	if (!natural)
		radix_run(run, scratch, n);
	if (col->key2 && !whole) {
		for (size_t k = 0; k < n; k++)
			run[k].key = t->key2[run[k].idx];
		radix_run(run, scratch, n);
		for (size_t i = 0, j; t->col && !(col->flags & COL_KEYS_WHOLE) && i < n; i = j) {
			for (j = i + 1; j < n && run[j].key == run[i].key; j++)
				;
			if (j - i > 1 && !run_in_order(run + i, j - i, t))
				qsort_r(run + i, j - i, sizeof(*run), tie_cmp, (void *)t);
		}
	}
	for (size_t k = 0; k < n; k++)
		run[k].key = key;
}

static const struct column *sort_column(const struct pane *p, const struct sort_spec *s)
{
	return s->col >= 0 && s->col < p->ncols ? &p->cols[s->col] : NULL;
}

/* Row i's sort keys: the column's (and its key2), and the natural one. */
static inline void key_row(struct rowset *rs, const struct pane *p, const struct column *col,
			   bool desc, const struct fmt_ctx *fc, size_t i)
{
	const void *row = rs->rows[i];
	struct sort_item *it = &rs->items[i];
	uint64_t nat = p->natural ? p->natural(row) : 0;

	if (col) {
		uint64_t k = col->key(fc, col, row);

		it->key = desc ? ~k : k;
		rs->nat[i] = nat;
		/* read now, while the row is in cache: a long run of equal keys needs it */
		if (col->key2) {
			k = col->key2(fc, col, row);
			rs->key2[i] = desc ? ~k : k;
		}
	} else {
		it->key = nat;
	}
	it->idx = (uint32_t)i;
}

/*
 * Keep the rows the filter passes, in their order, and read their sort keys
 * in the same pass: a row is a cache miss, taken once.
 */
static void select_rows(struct rowset *rs, const struct pane *p, const struct filter *f,
			const struct sort_spec *s, const struct fmt_ctx *fc)
{
	const struct column *col = sort_column(p, s);
	bool keys = col || p->natural;
	size_t kept = 0;

	if (!f || !f->n) {
		for (size_t i = 0; keys && i < rs->total; i++)
			key_row(rs, p, col, s->desc, fc, i);
		rs->n = rs->total;
		return;
	}
	for (size_t i = 0; i < rs->total; i++) {
		struct row_fields rf;

		p->fields(rs->rows[i], &rf);
		if (!filter_match(f, &rf))
			continue;
		rs->rows[kept] = rs->rows[i];
		if (keys)
			key_row(rs, p, col, s->desc, fc, kept);
		kept++;
	}
	rs->n = kept;
}

/*
 * Reorder rs->rows (their keys read by select_rows) by a column's key, ties
 * in the natural order, or by the natural key alone when there is no
 * column; stable. The natural order is only worked out inside runs of equal
 * column keys.
 */
static void sort_rows(struct rowset *rs, const struct pane *p, const struct sort_spec *s,
		      const struct fmt_ctx *fc)
{
	const struct column *col = sort_column(p, s);
	struct sort_item *it = rs->items, *sorted_items;
	size_t n = rs->n;

	if (n < 2 || (!col && !p->natural))
		return;
	sorted_items = radix_sort(it, rs->tmp, n);
	if (sorted_items != it) {
		/* the result is in the scratch array: the two trade places */
		rs->tmp = it;
		rs->items = it = sorted_items;
	}
	if (col && (col->cmp || p->natural)) {
		struct tie_ctx t = {col->cmp ? col : NULL, fc, rs->rows, rs->nat, rs->key2,
				    s->desc ? -1 : 1};

		for (size_t i = 0, j; i < n; i = j) {
			for (j = i + 1; j < n && it[j].key == it[i].key; j++)
				;
			if (j - i > 1)
				order_run(it + i, rs->tmp + i, j - i, &t, col);
		}
	}
	/* rows[] is reordered through tmp so no second array of pointers is kept */
	const void **sorted = (const void **)rs->tmp;
	if (n * sizeof(*sorted) <= rs->items_cap * sizeof(*rs->tmp)) {
		for (size_t i = 0; i < n; i++)
			sorted[i] = rs->rows[it[i].idx];
		memcpy(rs->rows, sorted, n * sizeof(*sorted));
	}
}

int rows_build(struct rowset *rs, const struct pane *p, const struct model *m,
	       const struct pane_opts *o, const struct filter *f, const struct sort_spec *s,
	       const struct fmt_ctx *fc)
{
	size_t total = p->count(m, o);

	if (reserve(rs, total) || reserve_items(rs, total ? total : 1))
		return -ENOMEM;
	rs->total = p->collect(m, o, rs->rows, total);
	select_rows(rs, p, f, s, fc);
	sort_rows(rs, p, s, fc);
	return 0;
}

int rows_build_from(struct rowset *rs, const struct pane *p, const void *const *rows, size_t n,
		    const struct filter *f, const struct sort_spec *s, const struct fmt_ctx *fc)
{
	if (reserve(rs, n) || reserve_items(rs, n ? n : 1))
		return -ENOMEM;
	if (n) /* rows may be NULL for none: memcpy must not see it */
		memcpy(rs->rows, rows, n * sizeof(*rows));
	rs->total = n;
	select_rows(rs, p, f, s, fc);
	sort_rows(rs, p, s, fc);
	return 0;
}

void sort_default(const struct pane *p, struct sort_spec *s)
{
	s->col = p->default_sort;
	s->desc = s->col >= 0 && (p->cols[s->col].flags & COL_DESC);
}

int sort_parse(const struct pane *p, const char *spec, struct sort_spec *s, char *err,
	       size_t errlen)
{
	char name[64];
	const char *colon = strchr(spec, ':');
	size_t len = colon ? (size_t)(colon - spec) : strlen(spec);
	int col;

	if (len >= sizeof(name)) {
		snprintf(err, errlen, "sort: column name too long");
		return -EINVAL;
	}
	memcpy(name, spec, len);
	name[len] = 0;
	col = pane_column(p, name);
	if (col < 0) {
		size_t o = (size_t)snprintf(err, errlen,
					    "sort: %s has no column '%.30s'; try:", p->name, name);
		for (int i = 0; i < p->ncols && o < errlen; i++)
			if (p->cols[i].flags & COL_NUM || p->cols[i].key)
				o += (size_t)snprintf(err + o, errlen - o, " %s", p->cols[i].name);
		return -EINVAL;
	}
	s->col = col;
	s->desc = p->cols[col].flags & COL_DESC;
	if (colon) {
		if (!strcasecmp(colon + 1, "asc"))
			s->desc = false;
		else if (!strcasecmp(colon + 1, "desc"))
			s->desc = true;
		else {
			snprintf(err, errlen, "sort: '%.20s' is not asc or desc", colon + 1);
			return -EINVAL;
		}
	}
	return 0;
}
