// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include "screen.h"

int screen_run(const struct screen_ctx *c)
{
	fprintf(stderr, "tcpscope: the interactive screen is not built yet; use -b\n");
	return 2;
}
