/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Recording: every record the model takes in, written to a zlib-compressed,
 * versioned file (format: views/record_format.md). '-' is standard output.
 */
#ifndef TCPSCOPE_RECORD_H
#define TCPSCOPE_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include "event.h"

struct recorder;

/* NULL with a one-line reason in err (exists and not force, a link, no permission...). */
struct recorder *recorder_open(const char *path, bool force, char *err, size_t errlen);
/*
 * Append one record. On failure (disk full...) the recording stops, what was
 * written stays readable, and recorder_error() says why; later calls do nothing.
 */
int recorder_write(struct recorder *r, const union ts_event *ev);
/* NULL while the recording is healthy. */
const char *recorder_error(const struct recorder *r);
/* Finish the file; 0, or -errno with a reason in err. Frees r. */
int recorder_close(struct recorder *r, char *err, size_t errlen);

#endif
