/* SPDX-License-Identifier: GPL-2.0 */
/* Wires a source, the model and an output (batch or screen) together and runs them. */
#ifndef TCPSCOPE_APP_H
#define TCPSCOPE_APP_H

#include "options.h"

/* Exit status: 0, 1 on a runtime error (said on stderr), 2 on bad input. */
int app_run(const struct options *o);

#endif
