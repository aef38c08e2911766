/* SPDX-License-Identifier: GPL-2.0 */
/* The interactive screen: four panes over the model, driven by keymap actions. */
#ifndef TCPSCOPE_SCREEN_H
#define TCPSCOPE_SCREEN_H

#include <signal.h>
#include "options.h"
#include "views/filter.h"
#include "views/model.h"
#include "views/record.h"
#include "views/source.h"

struct screen_ctx {
	const struct options *o;
	struct model *m;
	struct source *src;
	struct filter *filter; /* the command-line filter the screen starts with */
	struct recorder *rec;  /* to show when a recording stops */
	volatile sig_atomic_t *stop;
};

/* Run until quit or a signal; the exit status (0, 1 on error, 2 on bad input). */
int screen_run(const struct screen_ctx *c);

#endif
