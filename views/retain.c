// SPDX-License-Identifier: GPL-2.0
/*
 * The work of a push is O(1) amortized: a row moves to the kept part at
 * most once, and letting one go looks at RETAIN_LOOK rows at most. Under a
 * flood, the oldest row of the main part is the flood's and is let go at
 * once; only the rows of quiet groups are copied.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "retain.h"

int retain_init(struct retain *r, size_t row_size, size_t bound, size_t keep,
		struct flowgroups *groups)
{
	memset(r, 0, sizeof(*r));
	if (!row_size || !bound || !groups || bound > UINT32_MAX || groups->stores == 8)
		return -EINVAL;
	r->size = row_size;
	r->bound = bound;
	r->keep = keep;
	r->groups = groups;
	r->bit = flowgroups_store_bit(groups);
	r->kcap = bound / 2;
	r->pushed = calloc(groups->cap + 1, sizeof(*r->pushed));
	r->main = calloc(bound, row_size);
	r->tags = calloc(bound, sizeof(*r->tags));
	/* the kept part's pages are touched only when it is used */
	r->kept = calloc(r->kcap ? r->kcap : 1, row_size);
	r->order = calloc(r->kcap ? r->kcap : 1, sizeof(*r->order));
	r->free_slots = calloc(r->kcap ? r->kcap : 1, sizeof(*r->free_slots));
	if (!r->pushed || !r->main || !r->tags || !r->kept || !r->order || !r->free_slots) {
		retain_free(r);
		return -ENOMEM;
	}
	for (size_t i = 0; i < r->kcap; i++)
		r->free_slots[i] = (uint32_t)(r->kcap - 1 - i);
	r->nfree = r->kcap;
	return 0;
}

void retain_free(struct retain *r)
{
	free(r->pushed);
	free(r->main);
	free(r->tags);
	free(r->kept);
	free(r->order);
	free(r->free_slots);
	memset(r, 0, sizeof(*r));
}

/* Fewer than keep newer rows of its group exist. */
static bool protected(const struct retain *r, const struct retain_tag *t)
{
	return r->pushed[t->group] - t->gseq < r->keep;
}

static struct retain_kept *kept_entry(const struct retain *r, size_t i)
{
	return &r->order[(r->khead + i) % r->kcap];
}

static void *main_row(const struct retain *r, uint64_t seq)
{
	return r->main + (size_t)(seq % r->bound) * r->size;
}

static void *kept_row(const struct retain *r, const struct retain_kept *e)
{
	return r->kept + (size_t)e->slot * r->size;
}

/* The kept part is full: let go its oldest row that is no longer protected, else its oldest. */
static void let_go_kept(struct retain *r)
{
	size_t look = r->kcount < RETAIN_LOOK ? r->kcount : RETAIN_LOOK, victim = 0;
	struct retain_kept gone;

	for (size_t i = 0; i < look; i++)
		if (!protected(r, &kept_entry(r, i)->tag)) {
			victim = i;
			break;
		}
	gone = *kept_entry(r, victim);
	/* the older entries move up one, so the ring stays in order without holes */
	for (size_t i = victim; i > 0; i--)
		*kept_entry(r, i) = *kept_entry(r, i - 1);
	r->khead = (r->khead + 1) % r->kcap;
	r->kcount--;
	r->free_slots[r->nfree++] = gone.slot;
	r->let_go++;
	/*
	 * a group's newest row goes last: from here only when it is the oldest
	 * kept row (it is never unprotected), so none of the group's rows is left
	 */
	if (gone.tag.gseq == r->pushed[gone.tag.group])
		flowgroups_absent(r->groups, gone.tag.group, r->bit);
}

void retain_keep_oldest(struct retain *r)
{
	size_t slot = r->first_slot;
	struct retain_kept *e;

	if (r->kcount == r->kcap)
		let_go_kept(r);
	e = kept_entry(r, r->kcount++);
	e->seq = r->main_first++;
	e->tag = r->tags[slot];
	e->slot = r->free_slots[--r->nfree];
	memcpy(kept_row(r, e), r->main + slot * r->size, r->size);
	r->first_slot = slot + 1 < r->bound ? slot + 1 : 0;
}

void *retain_at(const struct retain *r, size_t i)
{
	if (i < r->kcount)
		return kept_row(r, kept_entry(r, i));
	return main_row(r, r->main_first + (i - r->kcount));
}

void *retain_by_seq(const struct retain *r, uint64_t seq)
{
	size_t lo = 0, hi = r->kcount;

	if (seq >= r->main_first && seq < r->next)
		return main_row(r, seq);
	/* the kept part is in number order: a binary search */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint64_t s = kept_entry(r, mid)->seq;

		if (s == seq)
			return kept_row(r, kept_entry(r, mid));
		if (s < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

size_t retain_collect(const struct retain *r, const void **rows, size_t max)
{
	size_t total = retain_count(r), n = total < max ? total : max;

	for (size_t i = 0; i < n; i++)
		rows[i] = retain_at(r, total - n + i);
	return n;
}
