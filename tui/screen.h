/* SPDX-License-Identifier: GPL-2.0 */
/* The interactive screen: the panes over the model, driven by keymap actions. */
#ifndef TCPSCOPE_SCREEN_H
#define TCPSCOPE_SCREEN_H

#include <signal.h>
#include "options.h"
#include "views/model.h"
#include "views/record.h"
#include "views/source.h"

struct screen_ctx {
	const struct options *o;
	struct model *m;
	struct source *src;
	struct recorder *rec; /* to show when a recording stops */
	volatile sig_atomic_t *stop;
};

/* What can be checked before the kernel side loads: the keymap files, the terminal. 0 or 2. */
int screen_check(const struct options *o, char *err, size_t n);
/* --list-keys: the bindings in effect (defaults, then the user's file); 0, or 2 on a bad file. */
int screen_list_keys(const struct options *o);
/* Run until quit or a signal; the exit status (0, 1 on error, 2 on bad input). */
int screen_run(const struct screen_ctx *c);

#endif
