/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a fitted number says, read the way the README tells a user to read
 * it: written apart from views/units.c, so the two check each other.
 */
#ifndef TCPSCOPE_TEST_READBACK_H
#define TCPSCOPE_TEST_READBACK_H

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "views/units.h"

/* How many of the column's own units a letter stands for; 0: not a letter of that unit. */
static inline double letter_size(enum unit u, char l)
{
	static const char sizes[] = "KMGTPE";
	const char *p = l ? strchr(sizes, l) : NULL;
	int k = p ? (int)(p - sizes) + 1 : 0;

	switch (u) {
	case U_COUNT:
		return k ? pow(1000, k) : 0;
	case U_BYTES:
		return k ? pow(1024, k) : 0;
	case U_KB: /* sizes in bytes: K would be the column's own unit, never shown */
		return k > 1 ? pow(1024, k - 1) : 0;
	case U_MS:
		return l == 's' ? 1e3 : l == 'm' ? 6e4 : l == 'h' ? 3.6e6 : l == 'd' ? 8.64e7 : 0;
	case U_SECS:
		return l == 'm' ? 60 : l == 'h' ? 3600 : l == 'd' ? 86400 : 0;
	default:
		return 0;
	}
}

/*
 * The number s shows, in the column's own unit, and how far from it the
 * value may be (half its last digit); false if s is not such a number. A
 * leading '>' (a lower bound) is left to the caller.
 */
static inline bool read_back(enum unit u, const char *s, double *v, double *tol)
{
	const char *dot = strchr(s, '.');
	double size = 1;
	char *end;
	int dec;

	if (*s < '0' || *s > '9')
		return false;
	*v = strtod(s, &end);
	for (const char *p = s; p < end; p++)
		if ((*p < '0' || *p > '9') && *p != '.')
			return false; /* no exponents, no hex */
	dec = dot && dot < end ? (int)(end - dot - 1) : 0;
	if (*end) {
		size = letter_size(u, *end);
		if (!size || end[1])
			return false;
	}
	*v *= size;
	*tol = 0.5 * pow(10, -dec) * size;
	return true;
}

/* Whether shown (a fitted cell) says exact (the whole number), within what it shows. */
static inline bool says(enum unit u, const char *shown, const char *exact)
{
	double v, tol, want, wtol;

	if (*shown == '>' || *exact == '>') {
		if (*shown != *exact)
			return false;
		shown++, exact++;
	}
	if (!read_back(u, shown, &v, &tol) || !read_back(U_NONE, exact, &want, &wtol))
		return false;
	/* a number that is not zero never shows as zero with a letter */
	if (want > 0 && v == 0 && strpbrk(shown, "KMGTPEsmhd"))
		return false;
	return fabs(v - want) <= tol * (1 + 1e-9) + wtol + want * 1e-15;
}

#endif
