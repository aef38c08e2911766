/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading a recording (views/record_format.md): records one at a time from
 * a descriptor or a buffer in memory, checked chunk by chunk. Damage stops
 * the reading with a one-line reason that names the offset; the records
 * before it have been handed out.
 */
#ifndef TCPSCOPE_RECREAD_H
#define TCPSCOPE_RECREAD_H

#include <stddef.h>
#include <stdint.h>
#include "event.h"

#define RECREAD_END    1 /* recread_next(): no more records, the file ended cleanly */
#define RECREAD_RECORD 2 /* recread_next(): *ev holds a record */

struct recread;

/*
 * Check the file header. NULL with a one-line reason in err: empty, not a
 * recording, a newer format, unreadable. name is used in messages; fd is
 * not closed by recread_free().
 */
struct recread *recread_open_fd(int fd, const char *name, char *err, size_t n);
struct recread *recread_open_mem(const void *buf, size_t len, const char *name, char *err,
				 size_t n);
/*
 * The next record: RECREAD_RECORD; RECREAD_END; 0 when a pipe has no whole
 * chunk ready within timeout_ms (or a signal came); -1 on damage, with
 * recread_error() saying what and where. Unknown record kinds are skipped.
 */
int recread_next(struct recread *r, union ts_event *ev, int timeout_ms);
const char *recread_error(const struct recread *r);
uint64_t recread_records(const struct recread *r);
void recread_free(struct recread *r);

#endif
