/* SPDX-License-Identifier: GPL-2.0 */
/* Replay: a recording as an event source, without root and without BPF. '-' is stdin. */
#ifndef TCPSCOPE_REPLAY_H
#define TCPSCOPE_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include "source.h"

struct replay_opts {
	double speed;  /* 1: as recorded */
	bool flat_out; /* batch mode: as fast as possible */
};

/* NULL with a one-line reason in err (missing, not a recording, newer version...). */
struct source *replay_open(const char *path, const struct replay_opts *o, feed_fn feed, void *ctx,
			   char *err, size_t errlen);
/* The same from a descriptor, which the source owns from now on; name is for messages. */
struct source *replay_open_fd(int fd, const char *name, const struct replay_opts *o, feed_fn feed,
			      void *ctx, char *err, size_t errlen);
/* The same from a recording in memory (tests, the fuzzer); buf must outlive the source. */
struct source *replay_open_mem(const void *buf, size_t len, const struct replay_opts *o,
			       feed_fn feed, void *ctx, char *err, size_t errlen);

#endif
