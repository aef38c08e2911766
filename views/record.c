// SPDX-License-Identifier: GPL-2.0
/*
 * The recorder. A record costs a copy into a buffer; a full buffer, or one
 * that has waited a second, becomes one chunk: deflated with a sync flush
 * (so the file decodes up to there) and written with one write(2). Nothing
 * is allocated after open. On a write error the file is cut back to the last
 * whole chunk and ended with a "stopped" marker, so it stays readable.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "recfmt.h"
#include "record.h"
#include "safefile.h"

#define IN_CAP	 (256u * 1024) /* records per chunk, uncompressed */
#define FLUSH_NS 1000000000ULL /* longest a record waits in memory */
#define LEVEL	 1	       /* deflate level: fast; records still shrink ~8x */

_Static_assert(IN_CAP <= RECFMT_ULEN_MAX, "chunks must stay within what readers accept");

struct recorder {
	struct safefile *file; /* NULL for standard output */
	int fd;
	const char *name; /* for messages */
	z_stream z;
	bool z_ready;
	uint8_t *in;
	size_t in_len;
	uint8_t *out;
	size_t out_cap;
	uint32_t seq;
	uint64_t records;  /* in chunks written */
	uint64_t pending;  /* in the buffer */
	uint64_t good_end; /* file offset after the last whole chunk */
	uint64_t last_flush_ns;
	char err[256];
};

static uint64_t coarse_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Cut a partly written chunk off and say that the recording stopped here. */
static void stop(struct recorder *r, int e, const char *doing)
{
	uint8_t end[RECFMT_CHUNK_HDR];
	struct recfmt_chunk c = {
	    .seq = r->seq,
	    .ulen = RECFMT_END_STOPPED,
	    .crc = (uint32_t)r->records,
	};

	snprintf(r->err, sizeof(r->err), "cannot %s %s: %s; the %llu records before stay readable",
		 doing, r->name, strerror(-e), (unsigned long long)r->records);
	if (!r->file || ftruncate(r->fd, (off_t)r->good_end) ||
	    lseek(r->fd, (off_t)r->good_end, SEEK_SET) < 0)
		return;
	recfmt_chunk_encode(end, &c);
	/* may not fit either; the reader then reports the file as cut at good_end */
	if (write_all(r->fd, end, sizeof(end)) && ftruncate(r->fd, (off_t)r->good_end))
		return;
}

/* The buffered records as one chunk. */
static int flush_chunk(struct recorder *r)
{
	uint8_t hdr[RECFMT_CHUNK_HDR];
	struct recfmt_chunk c;
	int rc;

	r->last_flush_ns = coarse_ns();
	if (!r->in_len)
		return 0;
	r->z.next_in = r->in;
	r->z.avail_in = (uInt)r->in_len;
	r->z.next_out = r->out + RECFMT_CHUNK_HDR;
	r->z.avail_out = (uInt)(r->out_cap - RECFMT_CHUNK_HDR);
	rc = deflate(&r->z, Z_SYNC_FLUSH);
	if ((rc != Z_OK && rc != Z_BUF_ERROR) || r->z.avail_in || !r->z.avail_out) {
		/* cannot happen with out sized by deflateBound(); stop rather than write garbage */
		stop(r, -EIO, "compress for");
		return -EIO;
	}
	c.seq = r->seq;
	c.clen = (uint32_t)(r->out_cap - RECFMT_CHUNK_HDR - r->z.avail_out);
	c.ulen = (uint32_t)r->in_len;
	c.crc = recfmt_crc(r->out + RECFMT_CHUNK_HDR, c.clen);
	recfmt_chunk_encode(hdr, &c);
	memcpy(r->out, hdr, sizeof(hdr));
	rc = write_all(r->fd, r->out, RECFMT_CHUNK_HDR + c.clen);
	if (rc) {
		stop(r, rc, "write");
		return rc;
	}
	r->seq++;
	r->good_end += RECFMT_CHUNK_HDR + c.clen;
	r->records += r->pending;
	r->pending = 0;
	r->in_len = 0;
	return 0;
}

int recorder_write(struct recorder *r, const union ts_event *ev)
{
	size_t size = ev->hdr.size;

	if (r->err[0])
		return -EIO;
	/* the model refuses these too; a replay would skip them by their size anyway */
	if (size < sizeof(ev->hdr) || size > sizeof(*ev))
		return 0;
	if (r->in_len + size > IN_CAP && flush_chunk(r))
		return -EIO;
	memcpy(r->in + r->in_len, ev, size);
	r->in_len += size;
	r->pending++;
	if (coarse_ns() - r->last_flush_ns >= FLUSH_NS && flush_chunk(r))
		return -EIO;
	return 0;
}

const char *recorder_error(const struct recorder *r)
{
	return r->err[0] ? r->err : NULL;
}

static void recorder_free(struct recorder *r)
{
	if (r->z_ready)
		deflateEnd(&r->z);
	free(r->in);
	free(r->out);
	free(r);
}

/* Standard output, unless it is a terminal: binary there helps nobody. */
static int open_stdout(struct recorder *r, char *err, size_t n)
{
	if (isatty(STDOUT_FILENO)) {
		snprintf(err, n, "standard output is a terminal: redirect it to a file or a pipe");
		return -ENOTTY;
	}
	r->fd = STDOUT_FILENO;
	r->name = "standard output";
	return 0;
}

struct recorder *recorder_open(const char *path, bool force, char *err, size_t n)
{
	struct recorder *r = calloc(1, sizeof(*r));
	struct recfmt_header h = {
	    .major = RECFMT_MAJOR,
	    .minor = RECFMT_MINOR,
	    .len = RECFMT_HDR_LEN,
	    .compression = RECFMT_DEFLATE,
	};
	uint8_t hdr[RECFMT_HDR_LEN];
	int rc;

	if (!r) {
		snprintf(err, n, "out of memory");
		return NULL;
	}
	if (deflateInit2(&r->z, LEVEL, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		snprintf(err, n, "cannot start compression");
		free(r);
		return NULL;
	}
	r->z_ready = true;
	r->out_cap = RECFMT_CHUNK_HDR + deflateBound(&r->z, IN_CAP) + 64;
	r->in = malloc(IN_CAP);
	r->out = malloc(r->out_cap);
	if (!r->in || !r->out) {
		snprintf(err, n, "out of memory");
		recorder_free(r);
		return NULL;
	}
	if (!strcmp(path, "-")) {
		if (open_stdout(r, err, n)) {
			recorder_free(r);
			return NULL;
		}
	} else {
		r->file = safefile_create(path, force, err, n);
		if (!r->file) {
			recorder_free(r);
			return NULL;
		}
		r->fd = safefile_fd(r->file);
		r->name = safefile_path(r->file);
	}
	recfmt_header_encode(hdr, &h);
	rc = write_all(r->fd, hdr, sizeof(hdr));
	if (rc) {
		snprintf(err, n, "cannot write %s: %s", r->name, strerror(-rc));
		safefile_abort(r->file);
		recorder_free(r);
		return NULL;
	}
	r->good_end = sizeof(hdr);
	r->last_flush_ns = coarse_ns();
	return r;
}

int recorder_close(struct recorder *r, char *err, size_t n)
{
	uint8_t end[RECFMT_CHUNK_HDR];
	int rc = 0;

	if (!r)
		return 0;
	if (!r->err[0] && !flush_chunk(r)) {
		struct recfmt_chunk c = {
		    .seq = r->seq,
		    .ulen = RECFMT_END_DONE,
		    .crc = (uint32_t)r->records,
		};

		recfmt_chunk_encode(end, &c);
		rc = write_all(r->fd, end, sizeof(end));
		if (rc)
			stop(r, rc, "write");
	}
	if (r->err[0])
		/* said when it happened; what was written is kept (views/record_format.md) */
		rc = -EIO;
	if (r->file) {
		int crc = safefile_commit(r->file, err, n);

		rc = crc ? crc : rc;
	}
	if (rc == -EIO && r->err[0])
		snprintf(err, n, "%s", r->err);
	recorder_free(r);
	return rc;
}
