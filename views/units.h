/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Numbers too wide for their column on the screen or in batch text: scaled
 * with a unit letter, never cut. A bare number is in the column's own unit
 * (TX_KB: KiB, MS: milliseconds); a number with a letter is in the unit the
 * letter names: sizes in K, M, G, T, P, E (KiB, MiB, GiB... of bytes, also
 * in a KB column: TX_KB 1.400G is 1.4 GiB), counts in K, M, G... (thousands,
 * millions, billions...), durations in s, m, h, d. The unit is the smallest
 * that keeps the number below 1000 (60 s, 60 m, 24 h), and its digits fill
 * the column. CSV keeps the exact numbers.
 */
#ifndef TCPSCOPE_UNITS_H
#define TCPSCOPE_UNITS_H

#include <stddef.h>

enum unit {
	U_NONE,	 /* text: cut, not scaled */
	U_COUNT, /* K, M, G... are 10^3, 10^6, 10^9... */
	U_BYTES, /* K, M, G... are 2^10, 2^20, 2^30... bytes */
	U_KB,	 /* KiB (or KiB/s): M, G, T... are 2^20, 2^30, 2^40... bytes */
	U_MS,	 /* milliseconds: then s, m, h, d */
	U_SECS,	 /* seconds: fewer decimals first, then m, h, d */
};

/*
 * The number in cell (its exact text: digits, maybe decimals, maybe a '>'
 * before them for a lower bound) made to fit width columns, in place: left
 * as it is if it fits or is not a number; scaled if it does not fit; filled
 * with '#' if no form of it fits (a column cut at the pane's edge).
 */
void unit_fit(enum unit u, char *cell, size_t n, int width);

#endif
