/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Files tcpscope writes, often as root, in directories others may share:
 * never through a symbolic link, never over an existing file unless forced,
 * mode 0600 (owned by the sudo user when started through sudo), written to a
 * temporary file beside the target and renamed into place on commit, so a
 * full disk or an error leaves no partial file behind.
 */
#ifndef TCPSCOPE_SAFEFILE_H
#define TCPSCOPE_SAFEFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct safefile;

/*
 * Start writing path. NULL with a one-line reason in err: the target is a
 * symbolic link or not a regular file, it exists and force is false, or the
 * directory cannot be written.
 */
struct safefile *safefile_create(const char *path, bool force, char *err, size_t n);
/* A buffered stream on the temporary file (made on first use); NULL if out of memory. */
FILE *safefile_stream(struct safefile *f);
/* The temporary file's descriptor, for writers that do their own buffering. */
int safefile_fd(const struct safefile *f);
const char *safefile_path(const struct safefile *f);
/*
 * Flush, sync and rename into place; frees f. 0, or -errno with a one-line
 * reason ("cannot write /x/y.csv: No space left on device") and no file left.
 * When everything was written but the rename failed (the target appeared
 * meanwhile), the temporary file is kept and err names it.
 */
int safefile_commit(struct safefile *f, char *err, size_t n);
/* Drop the temporary file; frees f. NULL is fine. */
void safefile_abort(struct safefile *f);

/*
 * Write all of buf to fd (a file, pipe or terminal): 0, or -errno. Interrupted
 * and short writes go on; a descriptor someone made non-blocking is waited for.
 */
int write_all(int fd, const void *buf, size_t n);

#endif
