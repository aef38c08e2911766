/* SPDX-License-Identifier: GPL-2.0 */
/* Cell formatters shared by the column tables. */
#ifndef TCPSCOPE_FORMAT_H
#define TCPSCOPE_FORMAT_H

#include <stddef.h>
#include <stdint.h>
#include "pane.h"

const char *state_name(unsigned state);
/* The state with this name (case-insensitive, with or without TCP_), or -1. */
int state_parse(const char *name);

void fmt_addr(const struct ts_conn *c, const uint8_t *addr, char *buf, size_t n);
void fmt_addr_port(const struct ts_conn *c, const uint8_t *addr, uint16_t port, char *buf,
		   size_t n);
void fmt_pid(const struct ts_owner *o, char *buf, size_t n);
void fmt_comm(const struct ts_owner *o, char *buf, size_t n);
/* snprintf(buf, n, "%s", s) */
void fmt_str(char *buf, size_t n, const char *s);
void fmt_u64(uint64_t v, char *buf, size_t n);
/* snprintf(buf, n, "%.*f", dec, num / (double)div), without printf where it can */
void fmt_fixed(uint64_t num, uint64_t div, int dec, char *buf, size_t n);
void fmt_kb(uint64_t bytes, char *buf, size_t n);
void fmt_ms(uint64_t ns, char *buf, size_t n);
/* HH:MM:SS of a monotonic time (wall clock from the recording's META). */
void fmt_clock(const struct fmt_ctx *f, uint64_t mono_ns, char *buf, size_t n);
/* Seconds since f->t0_ns. */
void fmt_rel(const struct fmt_ctx *f, uint64_t mono_ns, char *buf, size_t n);
/* Human-readable byte count for screens: 512, 12.3K, 4.5M. */
void fmt_bytes_human(uint64_t bytes, char *buf, size_t n);

/* Sort key of an address: family first, then the bytes. */
uint64_t addr_key(const struct ts_conn *c, const uint8_t *addr);
/* The address bytes that follow addr_key's (IPv6 bytes 7-14; 0 for IPv4). */
uint64_t addr_key2(const struct ts_conn *c, const uint8_t *addr);
/* Whether addr_key holds the whole address (IPv4: yes; IPv6: its last byte is left out). */
bool addr_key_whole(uint64_t key);
int addr_cmp(const struct ts_conn *a, const uint8_t *aa, const struct ts_conn *b,
	     const uint8_t *ba);
/* Sort key of a string: its first 8 bytes, big-endian. */
uint64_t str_key(const char *s, size_t n);
/* Bytes 8-15 of the same: the key that follows str_key's. */
uint64_t str_key2(const char *s, size_t n);

#endif
