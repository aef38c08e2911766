// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: an input is a recording in memory. It is replayed flat
 * out into a small model whose hooks print every view to /dev/null, so the
 * decoder, the model's checks and the column formatters all see it.
 * Built with FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION: checksums are not
 * enforced, or almost every mutation would stop there. `make fuzz` runs it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "views/batch.h"
#include "views/rows.h"
#include "views/replay.h"

static FILE *devnull;

static void feed(void *ctx, const union ts_event *ev)
{
	model_apply(ctx, ev);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct replay_opts o = {.speed = 1, .flat_out = true};
	struct model_config c;
	struct batch_opts bo = {0};
	struct model m;
	struct batch *b;
	struct source *s;
	char err[512];

	if (!devnull)
		devnull = fopen("/dev/null", "w");
	model_config_default(&c);
	c.max_open = c.max_closed = c.max_states = c.max_events = c.max_groups = 64;
	c.history = 4;
	if (model_init(&m, &c))
		abort();
	bo.panes = (1u << P_MAX) - 1;
	bo.wide = size & 1;
	bo.clock = bo.rel = true;
	bo.out = bo.err = devnull;
	for (int i = 0; i < P_MAX; i++)
		sort_default(pane_get((enum pane_id)i), &bo.sort[i]);
	b = batch_new(&m, &bo);
	s = replay_open_mem(data, size, &o, feed, &m, err, sizeof(err));
	if (s) {
		batch_start(b);
		while (!source_step(s, 0))
			;
		(void)source_error(s);
		(void)s->ops->plan(s);
		source_close(s);
		batch_finish(b);
	}
	batch_free(b);
	model_free(&m);
	return 0;
}
