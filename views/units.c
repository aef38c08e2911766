// SPDX-License-Identifier: GPL-2.0
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "units.h"

/* A unit: its letter, its size in the column's own unit, the number it stays below. */
struct rung {
	const char *letter;
	double size;
	double limit; /* 0: no limit */
};

#define KIB 1024.0
#define MIB (KIB * 1024)
#define GIB (MIB * 1024)
#define TIB (GIB * 1024)
#define PIB (TIB * 1024)
#define EIB (PIB * 1024)

/* The first rung of each is the column's own unit: the exact number with fewer decimals. */
static const struct rung count_rungs[] = {{"", 1, 1000},    {"K", 1e3, 1000},  {"M", 1e6, 1000},
					  {"G", 1e9, 1000}, {"T", 1e12, 1000}, {"P", 1e15, 1000},
					  {"E", 1e18, 0}};
static const struct rung bytes_rungs[] = {{"", 1, 1000},    {"K", KIB, 1000}, {"M", MIB, 1000},
					  {"G", GIB, 1000}, {"T", TIB, 1000}, {"P", PIB, 1000},
					  {"E", EIB, 0}};
/* in KiB: M is 1024 of them */
static const struct rung kb_rungs[] = {{"", 1, 1000},	 {"M", KIB, 1000}, {"G", MIB, 1000},
				       {"T", GIB, 1000}, {"P", TIB, 1000}, {"E", PIB, 0}};
static const struct rung ms_rungs[] = {
    {"", 1, 1000}, {"s", 1e3, 60}, {"m", 6e4, 60}, {"h", 3.6e6, 24}, {"d", 8.64e7, 0}};
/* seconds since tracing began: the seconds stay while their integer part fits */
static const struct rung secs_rungs[] = {
    {"", 1, 0}, {"m", 60, 60}, {"h", 3600, 24}, {"d", 86400, 0}};

struct ladder {
	const struct rung *r;
	size_t n;
};

#define LADDER(a)                                                                                  \
	{                                                                                          \
		a, sizeof(a) / sizeof(a[0])                                                        \
	}
static const struct ladder ladders[] = {
    [U_COUNT] = LADDER(count_rungs), [U_BYTES] = LADDER(bytes_rungs), [U_KB] = LADDER(kb_rungs),
    [U_MS] = LADDER(ms_rungs),	     [U_SECS] = LADDER(secs_rungs),
};

/* Digits, then maybe '.' and digits: how many decimals; -1 if s is not such a number. */
static int decimals(const char *s)
{
	const char *dot = NULL;

	if (*s < '0' || *s > '9')
		return -1;
	for (const char *p = s; *p; p++)
		if (*p == '.' && !dot)
			dot = p;
		else if (*p < '0' || *p > '9')
			return -1;
	return dot ? (int)strlen(dot + 1) : 0;
}

static int int_digits(double x)
{
	int d = 1;

	for (double p = 10; x >= p && d < 400; p *= 10)
		d++;
	return d;
}

/*
 * v in rung r, in at most width columns, with as many decimals as fit (at
 * most maxdec) into t; false if it does not fit, reaches the rung's limit
 * once rounded, or scales a number that is not zero to zero.
 */
static bool in_rung(const struct rung *r, double v, int maxdec, int width, char *t, size_t n)
{
	double x = v / r->size;
	int dec = width - (int)strlen(r->letter) - int_digits(x) - 1;

	if (r->limit && x >= r->limit)
		return false;
	if (dec > maxdec)
		dec = maxdec;
	for (dec = dec > 0 ? dec : 0; dec >= 0; dec--) {
		int len = snprintf(t, n, "%.*f%s", dec, x, r->letter);
		double shown = strtod(t, NULL);

		if (len < 0 || (size_t)len >= n || len > width)
			continue; /* rounding up added a digit: one decimal fewer */
		/* a letter says how large: a zero before it would say nothing */
		return !(r->limit && shown >= r->limit) && !(v > 0 && shown == 0 && *r->letter);
	}
	return false;
}

void unit_fit(enum unit u, char *cell, size_t n, int width)
{
	bool bound = cell[0] == '>'; /* a lower bound stays one */
	char *num = cell + bound, t[64];
	int dec, room = width - bound;
	size_t k;
	double v;

	if (!n || width <= 0 || (int)strlen(cell) <= width ||
	    u >= sizeof(ladders) / sizeof(ladders[0]) || !ladders[u].r)
		return;
	dec = decimals(num);
	if (dec < 0)
		return;
	v = strtod(num, NULL);
	/* (a number beyond any 64-bit count, were one given, fits no unit) */
	for (size_t i = 0; i < ladders[u].n && room > 0 && v < 1e30; i++)
		if (in_rung(&ladders[u].r[i], v, i ? 9 : dec, room, t, sizeof(t))) {
			snprintf(num, n - bound, "%s", t);
			return;
		}
	/* no form of it fits: say so without a digit that could be read */
	k = (size_t)width < n ? (size_t)width : n - 1;
	memset(cell, '#', k);
	cell[k] = 0;
}
