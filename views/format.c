// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "format.h"
#include "text.h"

static const char *const state_names[TS_STATE_MAX] = {
    [0] = "UNKNOWN",
    [TS_ESTABLISHED] = "ESTABLISHED",
    [TS_SYN_SENT] = "SYN_SENT",
    [TS_SYN_RECV] = "SYN_RECV",
    [TS_FIN_WAIT1] = "FIN_WAIT1",
    [TS_FIN_WAIT2] = "FIN_WAIT2",
    [TS_TIME_WAIT] = "TIME_WAIT",
    [TS_CLOSE] = "CLOSE",
    [TS_CLOSE_WAIT] = "CLOSE_WAIT",
    [TS_LAST_ACK] = "LAST_ACK",
    [TS_LISTEN] = "LISTEN",
    [TS_CLOSING] = "CLOSING",
    [TS_NEW_SYN_RECV] = "NEW_SYN_RECV",
    [TS_BOUND_INACTIVE] = "BOUND_INACTIVE",
};

const char *state_name(unsigned state)
{
	return state < TS_STATE_MAX && state_names[state] ? state_names[state] : "UNKNOWN";
}

int state_parse(const char *name)
{
	if (!strncasecmp(name, "TCP_", 4))
		name += 4;
	for (int i = 1; i < TS_STATE_MAX; i++)
		if (!strcasecmp(name, state_names[i]))
			return i;
	return -1;
}

/* a.b.c.d by hand: inet_ntop goes through sprintf, and batch output formats many */
static void fmt_ipv4(const uint8_t *a, char *buf, size_t n)
{
	char tmp[16], *o = tmp;

	for (int i = 0; i < 4; i++) {
		unsigned v = a[i];

		if (v >= 100)
			*o++ = (char)('0' + v / 100);
		if (v >= 10)
			*o++ = (char)('0' + v / 10 % 10);
		*o++ = (char)('0' + v % 10);
		*o++ = i < 3 ? '.' : 0;
	}
	memcpy(buf, tmp, (size_t)(o - tmp)); /* n >= 16 */
}

void fmt_addr(const struct ts_conn *c, const uint8_t *addr, char *buf, size_t n)
{
	char tmp[INET6_ADDRSTRLEN];

	if (c->family == 4 && n >= 16) {
		fmt_ipv4(addr, buf, n);
		return;
	}
	if (!inet_ntop(c->family == 6 ? AF_INET6 : AF_INET, addr, tmp, sizeof(tmp)))
		snprintf(tmp, sizeof(tmp), "?");
	snprintf(buf, n, "%s", tmp);
}

void fmt_addr_port(const struct ts_conn *c, const uint8_t *addr, uint16_t port, char *buf, size_t n)
{
	char a[INET6_ADDRSTRLEN];

	fmt_addr(c, addr, a, sizeof(a));
	snprintf(buf, n, c->family == 6 ? "[%s]:%u" : "%s:%u", a, port);
}

void fmt_pid(const struct ts_owner *o, char *buf, size_t n)
{
	if (o->pid)
		fmt_u64(o->pid, buf, n);
	else
		fmt_str(buf, n, "-");
}

void fmt_comm(const struct ts_owner *o, char *buf, size_t n)
{
	if (o->pid)
		text_sanitize(buf, n, o->comm, sizeof(o->comm));
	else
		fmt_str(buf, n, "[unknown]");
}

/* s, len bytes long, cut to the room there is */
static void fmt_n(char *buf, size_t n, const char *s, size_t len)
{
	if (!n)
		return;
	if (len >= n)
		len = n - 1;
	memcpy(buf, s, len);
	buf[len] = 0;
}

/* Batch output formats millions of cells: the plain cases skip printf. */
void fmt_str(char *buf, size_t n, const char *s)
{
	fmt_n(buf, n, s, strlen(s));
}

void fmt_u64(uint64_t v, char *buf, size_t n)
{
	char tmp[24], *o = tmp + sizeof(tmp);

	*--o = 0;
	do
		*--o = (char)('0' + v % 10);
	while (v /= 10);
	fmt_n(buf, n, o, (size_t)(tmp + sizeof(tmp) - 1 - o));
}

/*
 * printf("%.*f", dec, num / (double)div), for div a multiple of 10^dec, in
 * integers. The two agree except at an exact tie, where printf rounds the
 * binary value, and for quotients so large that the double's error could
 * cross a rounding boundary: both go to printf.
 */
void fmt_fixed(uint64_t num, uint64_t div, int dec, char *buf, size_t n)
{
	static const uint64_t p10[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
	uint64_t unit, q, r, ip, fp;
	char tmp[48], *o = tmp + sizeof(tmp);

	if (dec < 0 || dec > 6 || div % p10[dec] || num / div >= 1000000)
		goto slow;
	unit = div / p10[dec];
	q = num / unit;
	r = num % unit;
	if (2 * r == unit)
		goto slow;
	q += 2 * r > unit;
	ip = q / p10[dec];
	fp = q % p10[dec];
	*--o = 0;
	for (int i = 0; i < dec; i++, fp /= 10)
		*--o = (char)('0' + fp % 10);
	if (dec)
		*--o = '.';
	do
		*--o = (char)('0' + ip % 10);
	while (ip /= 10);
	fmt_n(buf, n, o, (size_t)(tmp + sizeof(tmp) - 1 - o));
	return;
slow:
	snprintf(buf, n, "%.*f", dec, num / (double)div);
}

void fmt_kb(uint64_t bytes, char *buf, size_t n)
{
	fmt_u64(bytes / 1024, buf, n);
}

void fmt_ms(uint64_t ns, char *buf, size_t n)
{
	fmt_fixed(ns, 1000000, 2, buf, n);
}

void fmt_clock(const struct fmt_ctx *f, uint64_t mono_ns, char *buf, size_t n)
{
	/* rows come in time order: most fall in the second the last one did */
	static bool cached;
	static time_t last;
	static char last_text[16];
	double wall = model_wall_time(f->m, mono_ns);
	time_t t = (time_t)wall;
	struct tm tm;

	if (wall && cached && t == last) {
		fmt_str(buf, n, last_text);
		return;
	}
	if (!wall || !localtime_r(&t, &tm)) {
		fmt_str(buf, n, "-");
		return;
	}
	if (!strftime(last_text, sizeof(last_text), "%H:%M:%S", &tm)) {
		cached = false;
		fmt_str(buf, n, "-");
		return;
	}
	cached = true;
	last = t;
	fmt_str(buf, n, last_text);
}

void fmt_rel(const struct fmt_ctx *f, uint64_t mono_ns, char *buf, size_t n)
{
	uint64_t d = mono_ns > f->t0_ns ? mono_ns - f->t0_ns : 0;

	fmt_fixed(d, 1000000000, 6, buf, n);
}

void fmt_bytes_human(uint64_t b, char *buf, size_t n)
{
	static const char units[] = "KMGTP";
	double v = (double)b;
	int u = -1;

	if (b < 1024) {
		snprintf(buf, n, "%llu", (unsigned long long)b);
		return;
	}
	while (v >= 1024 && u < 4)
		v /= 1024, u++;
	snprintf(buf, n, v < 10 ? "%.1f%c" : "%.0f%c", v, units[u]);
}

uint64_t addr_key(const struct ts_conn *c, const uint8_t *a)
{
	uint64_t k = (uint64_t)c->family << 56;

	if (c->family == 4)
		return k | (uint64_t)a[0] << 24 | (uint64_t)a[1] << 16 | (uint64_t)a[2] << 8 | a[3];
	for (int i = 0; i < 7; i++)
		k |= (uint64_t)a[i] << (48 - 8 * i);
	return k;
}

bool addr_key_whole(uint64_t key)
{
	return key >> 56 != 6;
}

uint64_t addr_key2(const struct ts_conn *c, const uint8_t *a)
{
	uint64_t k = 0;

	if (c->family != 6)
		return 0;
	for (int i = 7; i < 15; i++)
		k = k << 8 | a[i];
	return k;
}

int addr_cmp(const struct ts_conn *a, const uint8_t *aa, const struct ts_conn *b, const uint8_t *ba)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(aa, ba, a->family == 4 ? 4 : 16);
}

uint64_t str_key2(const char *s, size_t n)
{
	size_t i = 0;

	while (i < 8 && i < n && s[i])
		i++;
	return i == 8 ? str_key(s + 8, n - 8) : 0;
}

uint64_t str_key(const char *s, size_t n)
{
	uint64_t k = 0;
	size_t i;

	for (i = 0; i < 8 && i < n && s[i]; i++)
		k |= (uint64_t)(unsigned char)s[i] << (56 - 8 * i);
	return k;
}
