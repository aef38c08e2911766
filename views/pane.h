/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A pane is a column table plus a row source. The same table drives the
 * screen, the CSV snapshot and batch output, so the three cannot disagree.
 */
#ifndef TCPSCOPE_PANE_H
#define TCPSCOPE_PANE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "model.h"
#include "units.h"

/* column.flags */
#define COL_NUM	       0x01  /* a number: right-aligned, sorts numerically, never formula-escaped */
#define COL_BATCH      0x02  /* shown in batch text output by default */
#define COL_SCREEN     0x04  /* shown on the screen by default */
#define COL_CSV	       0x08  /* written to CSV */
#define COL_DESC       0x10  /* sorts high-to-low first */
#define COL_NOCUT      0x20  /* never cut (addresses): grow instead */
#define COL_CLOCK      0x40  /* the TIME column (-T) */
#define COL_REL	       0x80  /* the TIME(s) column (-t) */
#define COL_KEYS_WHOLE 0x100 /* key and key2 hold the whole value: cmp adds nothing */
/* The unit of a number column (none: a count), which says how it is scaled when too wide. */
#define COL_KB	       0x200 /* KiB, or KiB/s */
#define COL_BYTES      0x400
#define COL_MS	       0x800  /* milliseconds */
#define COL_SECS       0x1000 /* seconds (TIME(s), left-aligned) */
#define COL_ALL	       (COL_BATCH | COL_SCREEN | COL_CSV)

/* fmt_ctx.flags */
#define FMT_CSV	  0x01 /* exact, unpadded, no units */
#define FMT_WIDE  0x02 /* wide columns (-w): IPv6 addresses, long names */
#define FMT_ASCII 0x04

struct fmt_ctx {
	const struct model *m;
	unsigned flags;
	uint64_t now_ns; /* for durations of open sessions */
	uint64_t t0_ns;	 /* TIME(s) counts from here */
};

struct column;
typedef void (*cell_format_fn)(const struct fmt_ctx *f, const struct column *c, const void *row,
			       char *buf, size_t n);
typedef uint64_t (*cell_key_fn)(const struct fmt_ctx *f, const struct column *c, const void *row);
typedef int (*cell_cmp_fn)(const struct fmt_ctx *f, const struct column *c, const void *a,
			   const void *b);

struct column {
	const char *name; /* header, and the name --sort and the filter use */
	const char *help; /* one line for the sort menu and the manual */
	int width;	  /* normal width */
	int wide;	  /* width in wide mode */
	int priority;	  /* on a narrow screen, higher numbers go first; 0 never */
	unsigned flags;
	/* Text of the cell (sanitized); FMT_CSV asks for the exact value. */
	cell_format_fn format;
	/* Sort key, ascending; ties are broken by cmp when set, then by row order. */
	cell_key_fn key;
	cell_cmp_fn cmp;
	size_t off; /* for shared cells: where in the row their field is */
	/*
	 * The next 8 bytes of a key longer than 8 (names, IPv6 addresses): long
	 * runs of equal keys are then radix-sorted by it rather than compared.
	 */
	cell_key_fn key2;
	/*
	 * Whether rows with this key (ascending) all hold the same value, so
	 * key2 and cmp add nothing: an IPv4 address is whole in its key. NULL:
	 * never.
	 */
	bool (*whole)(uint64_t key);
};

/* What the filter language looks at in a row. */
struct row_fields {
	uint8_t family; /* 0: the row has no addresses */
	bool has_ports;
	uint16_t lport, rport;
	const uint8_t *laddr, *raddr;
	uint32_t pid;	       /* 0: unknown */
	const char *comm;      /* TS_COMM_LEN bytes, maybe unterminated; NULL: none */
	uint8_t state, state2; /* state2: the other state of a transition, or 0 */
	uint32_t kinds;	       /* an event's kind (bit per enum ev_kind); 0: not an event */
};

/* Fill the connection and owner parts of rf. */
void row_fields_conn(struct row_fields *rf, const struct ts_conn *c, const struct ts_owner *o);

/* pane_opts: per-pane view settings the row source uses */
struct pane_opts {
	enum tput_group group;	    /* throughput grouping */
	enum life_group life_group; /* lifespans: a row per session (LG_SOCKET), or summed up */
	bool all_groups;	    /* throughput: also rows idle in the last interval */
	bool hide_closed;	    /* lifespans: open sessions only */
};

struct pane {
	const char *name;  /* lifespans, throughput, states, events */
	const char *title; /* Lifespans, ... */
	const struct column *cols;
	int ncols;
	int default_sort; /* column index, or -1 for the natural order */
	/* Append row pointers in natural order; returns how many (at most max). */
	size_t (*collect)(const struct model *m, const struct pane_opts *o, const void **rows,
			  size_t max);
	size_t (*count)(const struct model *m, const struct pane_opts *o);
	void (*fields)(const void *row, struct row_fields *rf);
	uint64_t (*ts)(const void *row); /* event time of a row (monotonic ns) */
	/* Key of the natural order (default_sort -1), ascending; NULL: collect order. */
	uint64_t (*natural)(const void *row);
	/* What names a row across refreshes (the screen keeps the selection on it). */
	uint64_t (*ident)(const void *row);
	size_t row_size; /* for copies of the rows (a paused screen) */
	/* Rows let go to stay within --max-rows; NULL: the pane keeps all it has. */
	uint64_t (*let_go)(const struct model *m);
	const char *jobs[3]; /* the kernel jobs that feed it (bpf/plan.c names) */
};

enum pane_id { P_LIFESPANS = 0, P_THROUGHPUT, P_STATES, P_EVENTS, P_MAX };

extern const struct pane pane_lifespans, pane_throughput, pane_states, pane_events;
/* Lifespans grouped: sessions summed up (views/pane_lifegroups.c). */
extern const struct pane pane_life_groups;
const struct pane *pane_get(enum pane_id id);
/* The pane that shows view id with these options (Lifespans grouped: pane_life_groups). */
const struct pane *pane_shown(enum pane_id id, const struct pane_opts *o);
/* The pane with this name (case-insensitive), or NULL. */
const struct pane *pane_by_name(const char *name);
/* Index of the column named name (case-insensitive), or -1. */
int pane_column(const struct pane *p, const char *name);
int column_width(const struct column *c, unsigned fmt_flags);
/* The unit of the column's numbers (units.h); U_NONE for text. */
enum unit column_unit(const struct column *c);
/* A cell of c made to fit width columns (units.h): numbers are scaled, never cut. */
void column_fit(const struct column *c, char *cell, size_t n, int width);

#endif
