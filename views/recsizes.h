/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How long each kind of record is in each minor version of the recording
 * format. A record grows only by fields appended in a new minor version
 * (views/record_format.md, "Records that grow"): the reader zero-fills what
 * an older file's records lack, and takes of a newer one's what it knows.
 */
#ifndef TCPSCOPE_RECSIZES_H
#define TCPSCOPE_RECSIZES_H

#include <stddef.h>

/* The size of a record of this kind as format 1.minor writes it; 0: no such kind then. */
size_t record_size_in(unsigned kind, unsigned minor);

#endif
