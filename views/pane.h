/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A pane is one description: a column table, a row source, and all else the
 * screen, batch output and the kernel side need to know of it (its title,
 * its place on the screen, how batch mode prints it, how g regroups it, the
 * kernel jobs that feed it). The same table drives the screen, the CSV
 * snapshot and batch output, so the three cannot disagree; and nothing
 * outside views/pane_*.c names a pane: the rest loops over the list below.
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
#define COL_MARK       0x2000 /* a mark between columns (the state arrow): no value to sort by */
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

/* What a cell means, for its colour on the screen (tui/draw.c picks the colours). */
enum tone {
	TONE_PLAIN = 0,
	TONE_GOOD, /* open */
	TONE_BAD,  /* failed, dropped */
	TONE_SENT, /* went out */
};

struct column;
struct pane_opts;
typedef void (*cell_format_fn)(const struct fmt_ctx *f, const struct column *c, const void *row,
			       char *buf, size_t n);
typedef uint64_t (*cell_key_fn)(const struct fmt_ctx *f, const struct column *c, const void *row);
typedef int (*cell_cmp_fn)(const struct fmt_ctx *f, const struct column *c, const void *a,
			   const void *b);
typedef enum tone (*cell_tone_fn)(const struct fmt_ctx *f, const struct column *c, const void *row);

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
	cell_tone_fn tone; /* the cell's colour by what it says; NULL: plain */
	/* In batch text also when this says so (the column a grouping's rows are named by). */
	bool (*batch_when)(const struct pane_opts *o);
};

/*
 * The one limit on a pane's columns: the screen, the mouse, batch output and
 * the CSV snapshot keep a little state per column in arrays this long.
 */
#define PANE_MAX_COLS 32
/* The number of columns of table t; a table longer than PANE_MAX_COLS does not build. */
#define PANE_NCOLS(t)                                                                              \
	((int)(sizeof(t) / sizeof((t)[0]) +                                                        \
	       0 * sizeof(struct {                                                                 \
		       _Static_assert(sizeof(t) / sizeof((t)[0]) <= PANE_MAX_COLS,                 \
				      "a pane has more columns than PANE_MAX_COLS");               \
		       int unused;                                                                 \
	       })))

/* What the filter language looks at in a row. */
struct row_fields {
	uint8_t family; /* 0: the row has no addresses */
	bool has_ports;
	uint16_t lport, rport;
	const uint8_t *laddr, *raddr;
	uint32_t pid;	       /* 0: unknown */
	const char *comm;      /* TS_COMM_LEN bytes, maybe unterminated; NULL: none */
	const char *service;   /* its name; NULL: none */
	uint8_t state, state2; /* state2: the other state of a transition, or 0 */
	uint32_t kinds;	       /* an event's kind (bit per enum ev_kind); 0: not an event */
};

/* Fill the connection and owner parts of rf. */
void row_fields_conn(struct row_fields *rf, const struct ts_conn *c, const struct ts_owner *o);

/* pane_opts: a pane's settings its row source uses */
struct pane_opts {
	enum tput_group group;	    /* throughput grouping */
	enum life_group life_group; /* lifespans: a row per session (LG_SOCKET), or summed up */
	bool all_groups;	    /* throughput: also rows idle in the last interval */
	bool hide_closed;	    /* lifespans: open sessions only */
	bool listen_hist; /* listeners: the backlog distribution (tcpsynbl) instead of a row each */
};

struct filter;
struct pane;
struct self_mark;

/*
 * g and --group: the ways a pane's rows can be grouped. g cycles through the
 * modes in order; mode 0 is the default. The mode is kept in struct
 * pane_opts (get and set say where).
 */
struct pane_grouping {
	int modes;
	const char *(*name)(int mode); /* for --group, the title and the status line */
	int (*get)(const struct pane_opts *o);
	void (*set)(struct pane_opts *o, int mode);
	/* The mode that shows what the filter looks at (rows by process have no ports). */
	int (*for_filter)(int mode, const struct filter *f);
	/* The pane that shows every mode but the first, with its own rows and columns; NULL: this.
	 */
	const struct pane *summed;
	const char *said;	/* the status line after g: "throughput grouped by" MODE */
	const char *said_first; /* ... for mode 0, when it says something else; NULL: as said */
	bool for_others; /* g on a pane without groupings regroups this one (g's first use) */
};

/* How batch mode prints a pane: a line per row as the model takes it in, or tables. */
enum pane_batch {
	BATCH_PER_INTERVAL = 0, /* a table per interval */
	BATCH_AT_CLOSE,		/* a line per session as it closes */
	BATCH_AT_STATE,		/* a line per state change */
	BATCH_AT_EVENT,		/* a line per retransmit or drop */
	BATCH_HISTOGRAM,	/* histograms, per interval or at the end (views/rttprint.c) */
	BATCH_KINDS,
};

/* Where a pane sits on a wide screen: a grid of rows, one or two panes each. */
struct grid_cell {
	int row;
	int col; /* 0: left, 1: right; a pane alone in its row takes the width */
};

/* The width of a pane's side panel (struct pane.side). */
#define PANE_SIDE_WIDTH 46

/* The most kernel jobs one pane names. */
#define PANE_JOBS 8

struct pane {
	const char *name;  /* lifespans, ...: --view, batch prefixes, CSV file names */
	const char *title; /* Lifespans, ... */
	const char *empty; /* what the pane says while it has no rows */
	const struct column *cols;
	int ncols;	  /* PANE_NCOLS(cols) */
	int default_sort; /* column index, or -1 for the natural order */

	/* The rows. Append row pointers in natural order; returns how many (at most max). */
	size_t (*collect)(const struct model *m, const struct pane_opts *o, const void **rows,
			  size_t max);
	size_t (*count)(const struct model *m, const struct pane_opts *o);
	void (*fields)(const void *row, struct row_fields *rf);
	uint64_t (*ts)(const void *row); /* event time of a row (monotonic ns) */
	/* Key of the natural order (default_sort -1), ascending; NULL: collect order. */
	uint64_t (*natural)(const void *row);
	/* What names a row across refreshes (the screen keeps the selection on it). */
	uint64_t (*ident)(const void *row);
	/* The session (sid) a row is about, for its connection's page; 0 or NULL: none. */
	uint64_t (*session)(const void *row);
	size_t row_size; /* for copies of the rows (a paused screen) */
	/* Rows let go to stay within --max-rows; NULL: the pane keeps all it has. */
	uint64_t (*let_go)(const struct model *m);

	/*
	 * On the screen, beside the rows: up to max lines of PANE_SIDE_WIDTH
	 * columns about the selected row (RTT: its histogram); how many. NULL:
	 * none.
	 */
	int (*side)(const struct model *m, const void *row, char lines[][PANE_SIDE_WIDTH + 1],
		    int max);
	/* On the screen: the title's note ("3 open"), o as the rows are made; NULL: none. */
	void (*note)(const struct model *m, const struct pane_opts *o, char *buf, size_t n);
	/* Whether a row carries this screen's own SSH connection (marked); NULL: none can. */
	bool (*is_self)(const struct self_mark *s, const void *row);
	int weight; /* percent of the spare lines when stacked; the panes' add up to 100 */
	struct grid_cell grid; /* its place on wide screens */

	/* In batch mode; a table per interval starts with a line that ends with table_note. */
	enum pane_batch batch;
	void (*table_note)(const struct model *m, const struct pane_opts *o, char *buf, size_t n);
	unsigned losses; /* bit per enum model_loss said only while this pane is printed */

	const struct pane_grouping *grouping; /* NULL: its rows are grouped one way */
	/* The kernel jobs that feed it (bpf/plan.c names), loaded when it is shown. */
	const char *jobs[PANE_JOBS];
	bool every_transition; /* it needs every state change, not only what a close needs */
};

/* The panes in screen order, each a line: the pane ids (P_*) and the list come from it. */
#define PANE_LIST(X)                                                                               \
	X(P_LIFESPANS, pane_lifespans)                                                             \
	X(P_THROUGHPUT, pane_throughput)                                                           \
	X(P_STATES, pane_states)                                                                   \
	X(P_EVENTS, pane_events)                                                                   \
	X(P_RTT, pane_rtt)                                                                         \
	X(P_LISTENERS, pane_listeners)

#define PANE_ID(id, var) id,
enum pane_id { PANE_LIST(PANE_ID) P_MAX };
#undef PANE_ID
#define PANE_DECLARE(id, var) extern const struct pane var;
PANE_LIST(PANE_DECLARE)
#undef PANE_DECLARE

/* Listeners by backlog (views/pane_listen_hist.c): Listeners' grouping shows it. */
extern const struct pane pane_listen_hist;
/* Lifespans summed up (views/pane_lifegroups.c): Lifespans' grouping shows it. */
extern const struct pane pane_life_groups;

/* The pane of the list at id (batch mode prints the first by default), or NULL. */
const struct pane *pane_get(enum pane_id id);
/* The pane that shows pane id with these options: itself, or its grouping's summed pane. */
const struct pane *pane_shown(enum pane_id id, const struct pane_opts *o);
/* The same for a pane of the list. */
const struct pane *pane_shown_for(const struct pane *p, const struct pane_opts *o);
/* The pane with this name (case-insensitive), or NULL. */
const struct pane *pane_by_name(const char *name);
/* The options as the filter needs them: each grouping one that shows what it looks at. */
struct pane_opts pane_opts_for_filter(const struct pane_opts *o, const struct filter *f);
/* A grouping's mode named name, or -1. */
int pane_grouping_parse(const struct pane_grouping *g, const char *name);
/* Index of the column named name (case-insensitive), or -1. */
int pane_column(const struct pane *p, const char *name);
int column_width(const struct column *c, unsigned fmt_flags);
/* The unit of the column's numbers (units.h); U_NONE for text. */
enum unit column_unit(const struct column *c);
/* A cell of c made to fit width columns (units.h): numbers are scaled, never cut. */
void column_fit(const struct column *c, char *cell, size_t n, int width);
/* A number column whose cell is bad news unless 0 (failures). */
enum tone tone_bad_unless_zero(const struct fmt_ctx *f, const struct column *c, const void *row);

#endif
