/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The screen's state: which pane has the focus, each pane's settings
 * and rows, the filter being edited, what the status line says. Actions
 * change it; the draw functions only read it.
 */
#ifndef TCPSCOPE_UI_H
#define TCPSCOPE_UI_H

#include <stdbool.h>
#include <stdint.h>
#include "keymaps/keymap.h"
#include "screen.h"
#include "procinfo.h"
#include "views/connpage.h"
#include "views/filter.h"
#include "views/pane.h"
#include "views/rows.h"

#define UI_MIN_COLS  40
#define UI_MIN_LINES 8

/* What an action asks of the main loop. */
#define R_NONE	  0
#define R_REDRAW  0x1 /* draw again */
#define R_REBUILD 0x2 /* rebuild rows (sort, filter or grouping changed), then draw */
#define R_QUIT	  0x4

struct rect {
	int y, x, h, w;
};

/* A frozen copy of a pane's rows while the display is paused. */
struct frozen {
	unsigned char *data; /* n rows of pane->row_size bytes */
	const void **ptrs;
	size_t n;
};

struct screen_pane {
	const struct pane *base; /* the pane of the list */
	const struct pane *p;	 /* the pane shown: base, or its grouping's summed pane */
	struct sort_spec sort;
	struct pane_opts opts;
	struct rowset rows;
	size_t sel;	 /* selected row */
	size_t top;	 /* first row shown */
	uint64_t sel_id; /* the selected row's identity, kept across refreshes */
	bool sel_valid;
	struct rect r;		  /* where it was drawn */
	int visible_rows;	  /* rows that fit */
	int col_x[PANE_MAX_COLS]; /* screen column of each table column as drawn, -1 if hidden */
	int col_w[PANE_MAX_COLS];
	struct frozen frozen;
};

/* A connection's page (Enter on a row): over the panes until Esc, q or Enter. */
struct page_view {
	bool open;
	uint64_t sid;
	struct conn_page data;
	size_t top;	       /* the first timeline line shown */
	bool follow;	       /* keep the newest line in view (until scrolled up) */
	int timeline_rows;     /* lines of timeline that fit, as drawn */
	struct proc_info proc; /* its owner, from /proc while it lives (live only) */
	uint64_t proc_ms;      /* when proc was read */
};

/* Glyphs, with ASCII fallbacks when the terminal is not UTF-8. */
struct glyphs {
	const char *up, *down; /* sort direction */
	const char *spark[8];  /* sparkline levels, lowest first */
	const char *ellipsis;
	const char *focus; /* marks the focused pane's title */
};

struct ui {
	const struct screen_ctx *ctx;
	struct model *m;
	struct keymap keys;
	struct screen_pane panes[P_MAX];
	int focus;
	bool zoom;
	bool help;
	int help_top;
	bool paused;
	uint64_t paused_ns; /* model time when paused: durations stop growing */
	bool wide;
	bool color;
	bool utf8;
	struct glyphs g;
	unsigned interval_ms;
	/* the filter: all panes show what passes it (scope and filter together: shown) */
	struct filter scope;  /* -p -L -D -4 -6: what the kernel was told, fixed */
	struct filter filter; /* the user's, editable */
	struct filter shown;
	char filter_text[256];
	/* editing the filter line */
	bool editing;
	char edit[256];
	size_t edit_len;
	struct filter before_edit;
	char before_text[256];
	char edit_error[160];
	/* the sort menu (F6) */
	bool sort_menu;
	int menu_sel;
	/* the status line: a message, and when it goes away */
	char status[256];
	bool status_error;
	uint64_t status_until_ms;
	const char *export_dir;
	bool force;
	int lines, cols;
	bool too_small;
	bool crowded;	    /* too few lines for every pane: the focused one alone */
	uint64_t built_seq; /* the model's seq when the rows were built */
	uint64_t answer_last_us, answer_worst_us; /* keys to screen, at most (see screen.c) */
	struct page_view page;
};

/* actions.c */
int ui_act(struct ui *ui, enum action a);
void ui_set_status(struct ui *ui, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
uint64_t ui_now_ms(void);
uint64_t ui_now_us(void);
void ui_apply_filter_text(struct ui *ui, const char *text);
/* After ui->filter changed: recompute what the panes show. */
void ui_filter_changed(struct ui *ui);

/* panerows.c: rebuild the panes' rows from the model (or the frozen copies), keep selections */
void ui_rebuild(struct ui *ui);
void ui_freeze(struct ui *ui, bool on);
void ui_clamp(struct screen_pane *v);
struct fmt_ctx ui_fmt(const struct ui *ui);
/* The settings a pane's rows are made with: its own, as the filter needs them. */
struct pane_opts ui_effective_opts(const struct ui *ui, const struct screen_pane *v);

/* layout.c */
void ui_layout(struct ui *ui);

/* draw.c */
void ui_draw(struct ui *ui);
/* The last intervals' numbers as a little bar graph, scaled to its own peak, into out. */
void ui_sparkline(const struct ui *ui, const uint64_t *hist, size_t len, int width, char *out,
		  size_t n);

/* page.c: a connection's page */
int ui_page_open(struct ui *ui);
int ui_page_key(struct ui *ui, int key);
void ui_draw_page(struct ui *ui);
void ui_page_free(struct ui *ui);

/* help.c */
void ui_draw_help(struct ui *ui);
int ui_help_key(struct ui *ui, int key);

/* filterline.c */
void ui_filter_begin(struct ui *ui);
int ui_filter_key(struct ui *ui, int key);

/* sortmenu.c */
void ui_sort_menu_open(struct ui *ui);
int ui_sort_menu_key(struct ui *ui, int key);
void ui_draw_sort_menu(struct ui *ui);

/* export.c */
int ui_export(struct ui *ui, char *path, size_t pathlen, char *err, size_t errlen);

/* mouse.c */
int ui_mouse(struct ui *ui, int y, int x, int button);

#endif
