/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Rows kept fairly: at most `bound` fixed-size rows (closed sessions, state
 * log rows, events), so that every flow group (views/flowgroup.h) keeps at
 * least its newest `keep` rows and a flood shares what is left. The newest
 * rows are in a ring in arrival order (the main part); when it must make
 * room, its oldest row goes, unless fewer than `keep` newer rows of its
 * group exist: then it moves to the kept part (at most half the bound),
 * which is in arrival order too, older than every row of the main part.
 * When the kept part is full, the oldest of its rows no longer among their
 * group's newest goes first (of the oldest RETAIN_LOOK), else its oldest.
 * Every row let go is counted. Rows are numbered from 0 for the whole run,
 * as they arrive, and a number names the same row while it is kept.
 */
#ifndef TCPSCOPE_RETAIN_H
#define TCPSCOPE_RETAIN_H

#include <stddef.h>
#include <stdint.h>
#include "flowgroup.h"

/* How far into the kept part a row is looked for that may go: a bound on a push's work. */
#define RETAIN_LOOK 64

struct retain_tag {
	uint32_t group;
	uint32_t pad;
	uint64_t gseq; /* the row's number within its group, from 1 */
};

struct retain_kept {
	uint64_t seq;
	struct retain_tag tag;
	uint32_t slot; /* in kept[] */
	uint32_t pad;
};

struct retain {
	size_t size;  /* bytes per row */
	size_t bound; /* rows, both parts */
	size_t keep;  /* a group's newest rows that are never let go for another's */
	struct flowgroups *groups;
	uint8_t bit;	  /* this store's in groups->present[] */
	uint64_t *pushed; /* by group id: its rows so far */
	/* the main part: rows main_first .. next - 1, row s in slot s % bound */
	unsigned char *main;
	struct retain_tag *tags;
	uint64_t main_first;
	uint64_t next; /* the number the next row will get */
	size_t first_slot,
	    next_slot; /* main_first % bound and next % bound, kept without dividing */
	/* the kept part: order[] is a ring of kcount entries from khead, by row number */
	unsigned char *kept;
	struct retain_kept *order;
	uint32_t *free_slots;
	size_t kcap, khead, kcount, nfree;
	uint64_t let_go; /* rows no longer kept */
};

int retain_init(struct retain *r, size_t row_size, size_t bound, size_t keep,
		struct flowgroups *groups);
void retain_free(struct retain *r);
/* The oldest row of the main part is protected: it moves to the kept part. */
void retain_keep_oldest(struct retain *r);

static inline size_t retain_count(const struct retain *r)
{
	return r->kcount + (size_t)(r->next - r->main_first);
}

/*
 * A slot for a new row of group, not cleared: the caller sets every field.
 * What must make room for it goes first. Inline, as it runs for every row:
 * under a flood the oldest row is the flood's, let go here.
 */
static inline void *retain_push(struct retain *r, uint32_t group)
{
	struct retain_tag *t;
	void *row;

	while (retain_count(r) >= r->bound) {
		t = &r->tags[r->first_slot];
		if (r->kcap && r->pushed[t->group] - t->gseq < r->keep) {
			retain_keep_oldest(r); /* no room made by that: on to the next oldest */
			continue;
		}
		r->first_slot = r->first_slot + 1 < r->bound ? r->first_slot + 1 : 0;
		r->main_first++;
		r->let_go++;
		/* (with keep > 0 a group's newest row is protected: it never goes this way) */
		if (t->gseq == r->pushed[t->group])
			flowgroups_absent(r->groups, t->group, r->bit);
	}
	t = &r->tags[r->next_slot];
	row = r->main + r->next_slot * r->size;
	t->group = group;
	t->gseq = ++r->pushed[group];
	flowgroups_hold(r->groups, group, r->bit);
	r->next++;
	r->next_slot = r->next_slot + 1 < r->bound ? r->next_slot + 1 : 0;
	return row;
}
/* The i-th kept row, oldest first. */
void *retain_at(const struct retain *r, size_t i);
/* The row numbered seq, or NULL if it was let go or not written. */
void *retain_by_seq(const struct retain *r, uint64_t seq);
/* Pointers to the newest max rows (all, if fewer), oldest first; returns how many. */
size_t retain_collect(const struct retain *r, const void **rows, size_t max);

#endif
