// SPDX-License-Identifier: GPL-2.0
/*
 * The recording reader. A chunk is checked whole (header checksum, number,
 * lengths, payload checksum) before it is inflated, and its records are
 * framed by their own headers, so damage is caught where it is and nothing
 * after it is trusted. Input comes from a descriptor (a file, or a pipe that
 * may not have the next chunk yet) or from memory (the fuzzer).
 */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "recfmt.h"
#include "recread.h"
#include "recsizes.h"

enum rr_state { RR_CHUNKS, RR_END, RR_DAMAGED };

struct recread {
	int fd;	       /* -1: reading from mem */
	bool may_wait; /* a pipe or a terminal: poll before reading */
	const uint8_t *mem;
	size_t mem_len;
	uint64_t pos; /* bytes consumed so far: the file offset */
	char name[128];
	enum rr_state state;
	uint16_t minor; /* the file's minor version: how long its records are */
	/* the chunk being gathered */
	uint8_t hdr[RECFMT_CHUNK_HDR];
	size_t hdr_have;
	struct recfmt_chunk c;
	bool have_hdr;
	uint64_t chunk_off;
	uint8_t *cbuf;
	size_t cbuf_cap, c_have;
	/* the records of the last chunk */
	uint8_t *ubuf;
	size_t ubuf_cap, ulen, upos;
	z_stream z;
	bool z_ready;
	uint32_t seq;
	uint64_t records; /* handed out or skipped */
	char err[448];
};

/* Fuzzing builds accept any checksum so that mutations reach the inflater and the records. */
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
#define CHECKED 0
#else
#define CHECKED 1
#endif

#define CHUNK_READY 10 /* next_chunk(): records are ready */

/* Stop at damage: "NAME: WHAT (the N records before it were read)"; WHAT names the offset. */
__attribute__((format(printf, 2, 3))) static int damaged(struct recread *r, const char *fmt, ...)
{
	char what[240];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(r->err, sizeof(r->err), "%s: %s (the %llu records before it were read)", r->name,
		 what, (unsigned long long)r->records);
	r->state = RR_DAMAGED;
	return -1;
}

enum { GOT_ALL = 1, GOT_SOME = 0, GOT_EOF = -1, GOT_ERROR = -2 };

/* Read until *have == need: GOT_ALL; GOT_SOME when a pipe has no more for now; GOT_EOF. */
static int gather(struct recread *r, uint8_t *dst, size_t need, size_t *have, int timeout_ms)
{
	if (r->fd < 0) {
		size_t n = need - *have, left = r->mem_len - (size_t)r->pos;

		if (n > left)
			n = left;
		memcpy(dst + *have, r->mem + r->pos, n);
		*have += n;
		r->pos += n;
		return *have == need ? GOT_ALL : GOT_EOF;
	}
	while (*have < need) {
		ssize_t got;

		if (r->may_wait) {
			struct pollfd p = {.fd = r->fd, .events = POLLIN};
			int rc = poll(&p, 1, timeout_ms);

			if (rc == 0 || (rc < 0 && errno == EINTR))
				return GOT_SOME;
			timeout_ms = 0; /* the rest of a chunk that has begun comes at once */
		}
		got = read(r->fd, dst + *have, need - *have);
		if (got < 0 && (errno == EINTR || errno == EAGAIN))
			return GOT_SOME;
		if (got < 0)
			return GOT_ERROR;
		if (got == 0)
			return GOT_EOF;
		*have += (size_t)got;
		r->pos += (uint64_t)got;
	}
	return GOT_ALL;
}

static int grow(uint8_t **buf, size_t *cap, size_t need)
{
	uint8_t *p;

	if (*cap >= need)
		return 0;
	p = realloc(*buf, need);
	if (!p)
		return -ENOMEM;
	*buf = p;
	*cap = need;
	return 0;
}

/* The payload inflates to exactly ulen bytes, consuming all of it. */
static int inflate_chunk(struct recread *r)
{
	uint8_t spare;
	int rc;

	r->z.next_in = r->cbuf;
	r->z.avail_in = r->c.clen;
	r->z.next_out = r->ubuf;
	r->z.avail_out = r->c.ulen;
	rc = inflate(&r->z, Z_SYNC_FLUSH);
	if (rc == Z_OK && r->z.avail_in && !r->z.avail_out) {
		/* what is left must decode to nothing (the flush's empty block) */
		r->z.next_out = &spare;
		r->z.avail_out = 1;
		rc = inflate(&r->z, Z_SYNC_FLUSH);
		if (!r->z.avail_out)
			return damaged(r, "chunk at byte %llu holds more than it declares",
				       (unsigned long long)r->chunk_off);
		r->z.avail_out = 0;
	}
	if (rc == Z_STREAM_END)
		return damaged(r, "compressed stream ends early, in the chunk at byte %llu",
			       (unsigned long long)r->chunk_off);
	if (rc != Z_OK && rc != Z_BUF_ERROR)
		return damaged(r, "chunk at byte %llu does not decompress (%s)",
			       (unsigned long long)r->chunk_off, r->z.msg ? r->z.msg : "bad data");
	if (r->z.avail_out || r->z.avail_in)
		return damaged(r, "chunk at byte %llu decompresses to %u bytes, not %u",
			       (unsigned long long)r->chunk_off, r->c.ulen - r->z.avail_out,
			       r->c.ulen);
	r->ulen = r->c.ulen;
	r->upos = 0;
	return 0;
}

static int end_marker(struct recread *r)
{
	if (r->c.ulen == RECFMT_END_STOPPED)
		return damaged(r,
			       "recording stopped early at byte %llu: a write error (a full "
			       "disk?) ended it when it was made",
			       (unsigned long long)r->chunk_off);
	if (r->c.crc != (uint32_t)r->records)
		return damaged(r, "end marker at byte %llu counts %u records, not %u",
			       (unsigned long long)r->chunk_off, r->c.crc, (uint32_t)r->records);
	r->state = RR_END;
	return RECREAD_END;
}

/* Gather, check and inflate the next chunk: CHUNK_READY, RECREAD_END, 0 (not yet) or -1. */
static int next_chunk(struct recread *r, int timeout_ms)
{
	int rc;

	if (!r->have_hdr) {
		if (!r->hdr_have)
			r->chunk_off = r->pos;
		rc = gather(r, r->hdr, sizeof(r->hdr), &r->hdr_have, timeout_ms);
		if (rc == GOT_SOME)
			return 0;
		if (rc == GOT_ERROR)
			return damaged(r, "cannot read at byte %llu (%s)",
				       (unsigned long long)r->pos, strerror(errno));
		if (rc == GOT_EOF && !r->hdr_have)
			return damaged(r, "ends at byte %llu without its end marker: cut short",
				       (unsigned long long)r->pos);
		if (rc == GOT_EOF)
			return damaged(
			    r, "cut short at byte %llu, inside the chunk header at byte %llu",
			    (unsigned long long)r->pos, (unsigned long long)r->chunk_off);
		if (!recfmt_chunk_decode(r->hdr, &r->c) && CHECKED)
			return damaged(r,
				       "chunk header at byte %llu is damaged (checksum mismatch)",
				       (unsigned long long)r->chunk_off);
		if (r->c.seq != r->seq && CHECKED)
			return damaged(r, "chunk at byte %llu is number %u, not %u: one is missing",
				       (unsigned long long)r->chunk_off, r->c.seq, r->seq);
		if (!r->c.clen)
			return end_marker(r);
		if (r->c.clen > RECFMT_CLEN_MAX || !r->c.ulen || r->c.ulen > RECFMT_ULEN_MAX)
			return damaged(r,
				       "chunk header at byte %llu is damaged (lengths %u and %u)",
				       (unsigned long long)r->chunk_off, r->c.clen, r->c.ulen);
		if (grow(&r->cbuf, &r->cbuf_cap, r->c.clen) ||
		    grow(&r->ubuf, &r->ubuf_cap, r->c.ulen))
			return damaged(r, "out of memory for the chunk at byte %llu",
				       (unsigned long long)r->chunk_off);
		r->have_hdr = true;
		r->c_have = 0;
	}
	rc = gather(r, r->cbuf, r->c.clen, &r->c_have, timeout_ms);
	if (rc == GOT_SOME)
		return 0;
	if (rc == GOT_ERROR)
		return damaged(r, "cannot read at byte %llu (%s)", (unsigned long long)r->pos,
			       strerror(errno));
	if (rc == GOT_EOF)
		return damaged(r, "cut short at byte %llu, inside the chunk at byte %llu",
			       (unsigned long long)r->pos, (unsigned long long)r->chunk_off);
	if (r->c.crc != recfmt_crc(r->cbuf, r->c.clen) && CHECKED)
		return damaged(r, "chunk at byte %llu is damaged (checksum mismatch)",
			       (unsigned long long)r->chunk_off);
	r->have_hdr = false;
	r->hdr_have = 0;
	r->seq++;
	if (inflate_chunk(r))
		return -1;
	return CHUNK_READY;
}

/*
 * The shortest a record of this kind may be in this file: as long as the
 * file's minor version wrote it (views/recsizes.c), up to this build's want.
 */
static size_t record_least(const struct recread *r, unsigned kind, size_t want)
{
	size_t then = record_size_in(kind, r->minor > RECFMT_MINOR ? RECFMT_MINOR : r->minor);

	return then && then < want ? then : want;
}

int recread_next(struct recread *r, union ts_event *ev, int timeout_ms)
{
	for (;;) {
		size_t left = r->ulen - r->upos, size, want, least;
		unsigned long long at;
		const uint8_t *p;
		struct ts_hdr h;
		int rc;

		if (r->state == RR_END)
			return RECREAD_END;
		if (r->state == RR_DAMAGED)
			return -1;
		if (!left) {
			rc = next_chunk(r, timeout_ms);
			if (rc != CHUNK_READY)
				return rc;
			continue;
		}
		p = r->ubuf + r->upos;
		at = r->chunk_off;
		if (left < sizeof(h))
			return damaged(r, "chunk at byte %llu ends inside a record", at);
		memcpy(&h, p, sizeof(h));
		size = h.size;
		if (size < sizeof(h) || size > left)
			return damaged(r, "chunk at byte %llu has a record of bad size %zu", at,
				       size);
		want = event_size(h.kind);
		least = record_least(r, h.kind, want);
		if (want && size < least)
			return damaged(r,
				       "chunk at byte %llu has a record of kind %u of %zu bytes, "
				       "not %zu",
				       at, h.kind, size, least);
		r->upos += size;
		r->records++;
		if (!want)
			continue; /* a kind from a newer minor version: skipped by its size */
		/*
		 * longer: fields a newer minor version appended, which we do not know;
		 * shorter (an older file): fields appended since, which read 0
		 */
		memcpy(ev, p, size < want ? size : want);
		if (size < want)
			memset((uint8_t *)ev + size, 0, want - size);
		ev->hdr.size = (uint16_t)want;
		return RECREAD_RECORD;
	}
}

/* What a file that is not a recording looks like, for the message. */
static const char *looks_like(const uint8_t *b, size_t n)
{
	size_t text = 0;

	if (n >= 4 && !memcmp(b, "\177ELF", 4))
		return " (it is an ELF executable)";
	if (n >= 2 && b[0] == 0x1f && b[1] == 0x8b)
		return " (it is gzip data)";
	for (size_t i = 0; i < n; i++)
		text +=
		    (b[i] >= 0x20 && b[i] < 0x7f) || b[i] == '\n' || b[i] == '\t' || b[i] == '\r';
	return text == n ? " (it is text)" : "";
}

static int read_header(struct recread *r, char *err, size_t n)
{
	uint8_t b[RECFMT_HDR_LEN], skip[256];
	size_t have = 0, want;
	uint16_t major, minor, len, comp;
	int rc = gather(r, b, sizeof(b), &have, -1);

	if (rc == GOT_SOME || rc == GOT_ERROR) {
		snprintf(err, n, "%s: %s", r->name,
			 rc == GOT_SOME ? "interrupted" : strerror(errno));
		return -1;
	}
	if (!have) {
		snprintf(err, n, "%s: empty file, not a tcpscope recording", r->name);
		return -1;
	}
	if (have < RECFMT_MAGIC_LEN && !memcmp(b, RECFMT_MAGIC, have)) {
		snprintf(err, n, "%s: cut short at byte %zu, inside the file header", r->name,
			 have);
		return -1;
	}
	if (have < RECFMT_MAGIC_LEN || memcmp(b, RECFMT_MAGIC, RECFMT_MAGIC_LEN)) {
		snprintf(err, n, "%s: not a tcpscope recording%s", r->name, looks_like(b, have));
		return -1;
	}
	if (have < 12) {
		snprintf(err, n, "%s: cut short at byte %zu, inside the file header", r->name,
			 have);
		return -1;
	}
	major = recfmt_get16(b + 8);
	minor = recfmt_get16(b + 10);
	if (major > RECFMT_MAJOR) {
		snprintf(err, n,
			 "%s: recording format %u.%u is newer than this tcpscope reads (%u.x): "
			 "replay it with a newer tcpscope",
			 r->name, major, minor, RECFMT_MAJOR);
		return -1;
	}
	if (have < sizeof(b)) {
		snprintf(err, n, "%s: cut short at byte %zu, inside the file header", r->name,
			 have);
		return -1;
	}
	len = recfmt_get16(b + 12);
	comp = recfmt_get16(b + 14);
	if (major != RECFMT_MAJOR || (recfmt_get32(b + 28) != recfmt_crc(b, 28) && CHECKED) ||
	    len < sizeof(b) || len > RECFMT_HDR_MAX) {
		snprintf(err, n, "%s: the file header is damaged (byte 0 to %zu)", r->name,
			 sizeof(b));
		return -1;
	}
	if (comp != RECFMT_DEFLATE) {
		snprintf(err, n, "%s: compression method %u is unknown to this tcpscope", r->name,
			 comp);
		return -1;
	}
	r->minor = minor;
	/* a longer header from a newer minor version: what we do not know is skipped */
	for (want = len - sizeof(b); want;) {
		size_t chunk = want < sizeof(skip) ? want : sizeof(skip), got = 0;

		if (gather(r, skip, chunk, &got, -1) != GOT_ALL) {
			snprintf(err, n, "%s: cut short at byte %llu, inside the file header",
				 r->name, (unsigned long long)r->pos);
			return -1;
		}
		want -= chunk;
	}
	return 0;
}

static struct recread *rr_new(const char *name, char *err, size_t n)
{
	struct recread *r = calloc(1, sizeof(*r));

	if (!r) {
		snprintf(err, n, "out of memory");
		return NULL;
	}
	snprintf(r->name, sizeof(r->name), "%s", name);
	if (inflateInit2(&r->z, -15) != Z_OK) {
		snprintf(err, n, "cannot start decompression");
		free(r);
		return NULL;
	}
	r->z_ready = true;
	return r;
}

struct recread *recread_open_fd(int fd, const char *name, char *err, size_t n)
{
	struct recread *r = rr_new(name, err, n);
	struct stat st;

	if (!r)
		return NULL;
	r->fd = fd;
	if (fstat(fd, &st)) {
		snprintf(err, n, "%s: %s", name, strerror(errno));
		recread_free(r);
		return NULL;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(err, n, "%s: is a directory, not a recording", name);
		recread_free(r);
		return NULL;
	}
	r->may_wait = !S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode);
	if (read_header(r, err, n)) {
		recread_free(r);
		return NULL;
	}
	return r;
}

struct recread *recread_open_mem(const void *buf, size_t len, const char *name, char *err, size_t n)
{
	struct recread *r = rr_new(name, err, n);

	if (!r)
		return NULL;
	r->fd = -1;
	r->mem = buf;
	r->mem_len = len;
	if (read_header(r, err, n)) {
		recread_free(r);
		return NULL;
	}
	return r;
}

const char *recread_error(const struct recread *r)
{
	return r->state == RR_DAMAGED ? r->err : NULL;
}

uint64_t recread_records(const struct recread *r)
{
	return r->records;
}

void recread_free(struct recread *r)
{
	if (!r)
		return;
	if (r->z_ready)
		inflateEnd(&r->z);
	free(r->cbuf);
	free(r->ubuf);
	free(r);
}
