// SPDX-License-Identifier: GPL-2.0
/* Placeholder until the recorder lands (issue 4); refuses clearly. */
#include <stdio.h>
#include "record.h"

struct recorder *recorder_open(const char *path, bool force, char *err, size_t errlen)
{
	(void)path;
	(void)force;
	snprintf(err, errlen, "recording is not available in this build");
	return NULL;
}

int recorder_write(struct recorder *r, const union ts_event *ev)
{
	return -1;
}

const char *recorder_error(const struct recorder *r)
{
	return "not available";
}

int recorder_close(struct recorder *r, char *err, size_t errlen)
{
	return 0;
}
