// SPDX-License-Identifier: GPL-2.0
/* Placeholder until replay lands (issue 4); refuses clearly. */
#include <stdio.h>
#include "replay.h"

struct source *replay_open(const char *path, const struct replay_opts *o, feed_fn feed,
			   void *ctx, char *err, size_t errlen)
{
	snprintf(err, errlen, "replay is not available in this build");
	return NULL;
}
