/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The recording file format shared by the recorder and the reader: constants,
 * the file header and the chunk header, all little-endian whatever the host.
 * views/record_format.md is the description; keep the two in step.
 */
#ifndef TCPSCOPE_RECFMT_H
#define TCPSCOPE_RECFMT_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <zlib.h>

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
/* records are the structs of bpf/events.h as they lie in memory */
#error "recordings hold little-endian records: this host would need byte swapping"
#endif

#define RECFMT_MAGIC	   "TCPSCOPE"
#define RECFMT_MAGIC_LEN   8
#define RECFMT_MAJOR	   1
#define RECFMT_HDR_LEN	   32	      /* file header as version 1.0 writes it */
#define RECFMT_HDR_MAX	   4096	      /* longest file header a reader accepts */
#define RECFMT_DEFLATE	   1	      /* compression: raw deflate, one stream across chunks */
#define RECFMT_CHUNK_HDR   20	      /* chunk header */
#define RECFMT_ULEN_MAX	   (1u << 20) /* records in one chunk, uncompressed */
#define RECFMT_CLEN_MAX	   (RECFMT_ULEN_MAX + 65536u) /* one chunk, compressed */
#define RECFMT_END_DONE	   0 /* end marker: the recording was closed normally */
#define RECFMT_END_STOPPED 1 /* end marker: a write error stopped the recording */

/* The newest minor version, which this build writes (views/recsizes.c: each one's records). */
#define RECFMT_MINOR_RELEASED 2
#ifdef TS_RECORD_GROWTH_TEST
#define RECFMT_MINOR (RECFMT_MINOR_RELEASED + 1) /* tests/record.mk's test build: CLOSE grew */
#else
#define RECFMT_MINOR RECFMT_MINOR_RELEASED
#endif

static inline void recfmt_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void recfmt_put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline uint16_t recfmt_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t recfmt_get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint32_t recfmt_crc(const void *p, size_t n)
{
	return (uint32_t)crc32(0, p, (uInt)n);
}

struct recfmt_header {
	uint16_t major, minor;
	uint16_t len;	      /* where the first chunk starts */
	uint16_t compression; /* RECFMT_DEFLATE */
	uint32_t flags;	      /* none defined: 0 */
};

/* The 32 bytes of a version 1.0 file header. */
static inline void recfmt_header_encode(uint8_t out[RECFMT_HDR_LEN], const struct recfmt_header *h)
{
	memset(out, 0, RECFMT_HDR_LEN);
	memcpy(out, RECFMT_MAGIC, RECFMT_MAGIC_LEN);
	recfmt_put16(out + 8, h->major);
	recfmt_put16(out + 10, h->minor);
	recfmt_put16(out + 12, h->len);
	recfmt_put16(out + 14, h->compression);
	recfmt_put32(out + 16, h->flags);
	recfmt_put32(out + 28, recfmt_crc(out, 28));
}

struct recfmt_chunk {
	uint32_t seq;  /* 0 for the first chunk, then +1 */
	uint32_t clen; /* compressed bytes that follow; 0: the end marker */
	uint32_t ulen; /* records' bytes once inflated; end marker: RECFMT_END_* */
	uint32_t crc;  /* crc32 of the clen bytes; end marker: records in the file (mod 2^32) */
};

static inline void recfmt_chunk_encode(uint8_t out[RECFMT_CHUNK_HDR], const struct recfmt_chunk *c)
{
	recfmt_put32(out, c->seq);
	recfmt_put32(out + 4, c->clen);
	recfmt_put32(out + 8, c->ulen);
	recfmt_put32(out + 12, c->crc);
	recfmt_put32(out + 16, recfmt_crc(out, 16));
}

/* false when the header's own checksum does not match */
static inline bool recfmt_chunk_decode(const uint8_t in[RECFMT_CHUNK_HDR], struct recfmt_chunk *c)
{
	c->seq = recfmt_get32(in);
	c->clen = recfmt_get32(in + 4);
	c->ulen = recfmt_get32(in + 8);
	c->crc = recfmt_get32(in + 12);
	return recfmt_get32(in + 16) == recfmt_crc(in, 16);
}

#endif
