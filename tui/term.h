/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The terminal: the only file that sets up curses. Colours are semantic
 * (what a cell means), mapped to curses pairs once; NO_COLOR and
 * colourless terminals get attributes only.
 */
#ifndef TCPSCOPE_TERM_H
#define TCPSCOPE_TERM_H

#include <stdbool.h>

enum color {
	C_NORMAL = 0,
	C_HEADER,	/* the top lines */
	C_TITLE,	/* a pane's title bar */
	C_TITLE_FOCUS,	/* ... of the focused pane */
	C_COLUMNS,	/* column headers */
	C_SORTED,	/* the sort column's header */
	C_SELECTED,	/* the selected row of the focused pane */
	C_SELECTED_DIM, /* the selected row of another pane */
	C_WARN,		/* lost events, errors */
	C_GOOD,		/* open sessions */
	C_BAD,		/* failed sessions, drops */
	C_DIM,		/* closed sessions, units */
	C_KEY,		/* a key in the key bar */
	C_KEYLABEL,	/* its label */
	C_TX,		/* send graph */
	C_RX,		/* receive graph */
	C_SELF,		/* the SSH connection carrying this screen */
	C_MAX,
};

/* Set up curses on the controlling terminal; false with a reason in err. */
bool term_open(bool *color, bool *utf8, char *err, unsigned long errlen);
void term_close(void);
void term_refresh(void);
/* Attributes for a semantic colour. */
int term_attr(enum color c);
/* The next key (our key codes, keymaps/keymap.h), or -1 when none is waiting.
 * Mouse events come back as TERM_MOUSE with the position and button filled in;
 * a resize as TERM_RESIZE. */
#define TERM_MOUSE  -2
#define TERM_RESIZE -3
int term_key(int *mouse_y, int *mouse_x, int *mouse_button);

#define MOUSE_LEFT	 1
#define MOUSE_WHEEL_UP	 4
#define MOUSE_WHEEL_DOWN 5

#endif
