/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Key bindings are a table from key to action. The default bindings are the
 * text file keymaps/default.keys (built into the binary); a user file uses
 * the same syntax on top of them. The help screen and the key bar are
 * generated from the table, so they cannot drift from it. No curses here:
 * keys are our own codes (the screen translates).
 */
#ifndef TCPSCOPE_KEYMAP_H
#define TCPSCOPE_KEYMAP_H

#include <stddef.h>
#include <stdio.h>
#include "views/pane.h"

/* Key codes: printable characters are themselves; the rest start here. */
enum {
	K_BASE = 0x110000, /* above any Unicode code point */
	K_UP = K_BASE,
	K_DOWN,
	K_LEFT,
	K_RIGHT,
	K_PGUP,
	K_PGDN,
	K_HOME,
	K_END,
	K_INSERT,
	K_DELETE,
	K_BACKSPACE,
	K_ENTER,
	K_ESC,
	K_TAB,
	K_BTAB,
	K_F1,
	K_F12 = K_F1 + 11,
	K_CTRL_A, /* K_CTRL_A + 25 is C-z */
	K_CTRL_Z = K_CTRL_A + 25,
	K_MAX,
};

enum action {
	ACT_NONE = 0,
	ACT_QUIT,
	ACT_HELP,
	ACT_NEXT_PANE,
	ACT_PREV_PANE,
	ACT_PANE_1, /* pane-1 to pane-N: focus a pane of the list (views/pane.h) */
	ACT_PANE_LAST = ACT_PANE_1 + P_MAX - 1,
	ACT_ZOOM,
	ACT_UP,
	ACT_DOWN,
	ACT_PAGE_UP,
	ACT_PAGE_DOWN,
	ACT_TOP,
	ACT_BOTTOM,
	ACT_SORT_NEXT,
	ACT_SORT_PREV,
	ACT_SORT_REVERSE,
	ACT_SORT_MENU,
	ACT_FILTER,
	ACT_FILTER_CLEAR,
	ACT_FILTER_PID,
	ACT_FILTER_LPORT,
	ACT_FILTER_RPORT,
	ACT_EXPORT,
	ACT_PAUSE,
	ACT_SLOWER,
	ACT_FASTER,
	ACT_GROUP,
	ACT_ALL_ROWS,
	ACT_WIDE,
	ACT_REDRAW,
	ACT_PAGE,
	ACT_MAX,
};

struct action_info {
	const char *name; /* as keymap files spell it */
	const char *help; /* one line for the help screen */
};

const struct action_info *action_info(enum action a);
/* The action named name, or ACT_NONE. */
enum action action_parse(const char *name);

/* The key named name ("q", "F10", "Tab", "S-Tab", "C-l", "PgDn", "Space"...), or -1. */
int keymap_key_parse(const char *name);
/* The name of a key code, for the help screen; into buf. */
const char *keymap_key_name(int key, char *buf, size_t n);

/* ASCII keys, then the named ones: the only keys a keymap can bind */
#define KEYMAP_SLOTS (0x80 + (K_MAX - K_BASE))

struct keymap {
	unsigned char action[KEYMAP_SLOTS]; /* enum action per slot */
};

/* The built-in bindings (keymaps/default.keys). */
int keymap_default(struct keymap *km, char *err, size_t errlen);
/*
 * Apply bindings from text ("bind KEY ACTION", "unbind KEY", '#' comments).
 * On error: -EINVAL and err = "NAME:LINE: what is wrong"; km keeps the lines before.
 */
int keymap_load_text(struct keymap *km, const char *text, const char *name, char *err,
		     size_t errlen);
/* The same from a file; -ENOENT if it does not exist (not an error for the default path). */
int keymap_load_file(struct keymap *km, const char *path, char *err, size_t errlen);
enum action keymap_lookup(const struct keymap *km, int key);
/* The keys bound to an action, in key order; returns how many (at most max). */
size_t keymap_keys(const struct keymap *km, enum action a, int *keys, size_t max);

/* The names of the keys bound to an action, space-separated ("" when none); into buf. */
const char *keymap_keys_text(const struct keymap *km, enum action a, char *buf, size_t n);
/* The table as text, one action a line: keys, name, help (for the manual and the README). */
void keymap_print(FILE *f, const struct keymap *km);

#endif
