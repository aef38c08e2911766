// SPDX-License-Identifier: GPL-2.0
/*
 * Numbers too wide for their column (views/units.c): scaled with a unit
 * letter, never cut; a number that fits is left as it is.
 */
#include <stdlib.h>
#include "../tap.h"
#include "readback.h"
#include "views/format.h"
#include "views/units.h"

/* xorshift: the same numbers on every run */
static uint64_t rnd_state = 88172645463325252ULL;

static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static const char *fit(enum unit u, const char *exact, int width)
{
	static char buf[64];

	snprintf(buf, sizeof(buf), "%s", exact);
	unit_fit(u, buf, sizeof(buf), width);
	return buf;
}

TEST(numbers_that_fit_are_left_alone)
{
	CHECK_STR(fit(U_KB, "999999", 6), "999999");
	CHECK_STR(fit(U_MS, "999999.99", 9), "999999.99");
	CHECK_STR(fit(U_MS, ">1234.50", 9), ">1234.50");
	CHECK_STR(fit(U_COUNT, "4194304", 7), "4194304");
	CHECK_STR(fit(U_SECS, "5.000000", 9), "5.000000");
	CHECK_STR(fit(U_KB, "1433600", 0), "1433600"); /* width 0: no limit (CSV) */
	/* not numbers: as they are */
	CHECK_STR(fit(U_COUNT, "-", 1), "-");
	CHECK_STR(fit(U_COUNT, "[unknown]", 2), "[unknown]");
	CHECK_STR(fit(U_MS, "1e9", 2), "1e9");
	CHECK_STR(fit(U_NONE, "1234567", 3), "1234567");
}

TEST(sizes_in_binary_units)
{
	/* a KB column: a bare number is KiB; a letter names the unit of bytes */
	CHECK_STR(fit(U_KB, "1468006", 6), "1.400G"); /* 1.4 GiB */
	CHECK_STR(fit(U_KB, "1367187", 6), "1.304G"); /* 1.4 GB */
	CHECK_STR(fit(U_KB, "1000000", 6), "976.6M");
	CHECK_STR(fit(U_KB, "1048575", 6), "1.000G"); /* 1023.999 MiB: below 1000 in G */
	CHECK_STR(fit(U_KB, "10485760", 6), "10.00G");
	CHECK_STR(fit(U_KB, "1048575999", 6), "0.977T");
	CHECK_STR(fit(U_KB, "18014398509481983", 6), "16.00E"); /* UINT64_MAX bytes */
	CHECK_STR(fit(U_KB, "1468006", 5), "1.40G");
	CHECK_STR(fit(U_KB, "12345678.9", 8), "11.7738G"); /* KB/s: GiB/s */
	CHECK_STR(fit(U_BYTES, "18446744073709551615", 10), "16.000000E");
	CHECK_STR(fit(U_BYTES, "1500", 3), "1K");
	/* counts in powers of 1000 */
	CHECK_STR(fit(U_COUNT, "4294967295", 7), "4.2950G");
	CHECK_STR(fit(U_COUNT, "4294967295", 5), "4.29G");
	CHECK_STR(fit(U_COUNT, "18446744073709551615", 7), "18.447E");
	CHECK_STR(fit(U_COUNT, "1500", 3), "2K");
}

TEST(durations_in_s_m_h_d)
{
	CHECK_STR(fit(U_MS, "1000000.00", 9), "16.66667m");
	CHECK_STR(fit(U_MS, "3600000.00", 9), "1.000000h");
	CHECK_STR(fit(U_MS, ">3600000.00", 9), ">1.00000h"); /* still a lower bound */
	CHECK_STR(fit(U_MS, "1000.000", 7), "1.0000s");
	CHECK_STR(fit(U_MS, "3000.000", 7), "3.0000s");	 /* a SYN retransmitted twice */
	CHECK_STR(fit(U_MS, "59999.999", 7), "1.0000m"); /* 60.000s would reach a minute */
	CHECK_STR(fit(U_MS, "86400000.00", 9), "1.000000d");
	CHECK_STR(fit(U_MS, "18446744073709.551", 7), "213504d"); /* UINT64_MAX ns */
	CHECK_STR(fit(U_MS, "12.35", 3), "12");			  /* a cut column: fewer decimals */
	/* seconds since tracing: fewer decimals, the unit stays */
	CHECK_STR(fit(U_SECS, "1234.567890", 9), "1234.5679");
	CHECK_STR(fit(U_SECS, "18446744073.709551", 9), "213504.0d");
}

TEST(no_room_says_so_without_digits)
{
	CHECK_STR(fit(U_KB, "1468006", 1), "#");
	CHECK_STR(fit(U_MS, "0.01", 2), "0");	  /* as "0.00" is: less than the last digit */
	CHECK_STR(fit(U_KB, "500000", 3), "###"); /* "0G" would say nothing */
	CHECK_STR(fit(U_COUNT, "500000", 3), "###");
	CHECK_STR(fit(U_MS, ">3600000.00", 2), "##");
}

/* The exact texts the cells print: integers, or fixed decimals of a count of ns. */
struct form {
	enum unit u;
	uint64_t div; /* 0: an integer */
	int dec;
	int min_width; /* from here on, every value fits */
	uint64_t max;  /* the largest value the cells print */
};

#define KB_MAX (UINT64_MAX / 1024) /* KiB of a 64-bit count of bytes */
static const struct form forms[] = {
    {U_COUNT, 0, 0, 4, UINT64_MAX},
    {U_BYTES, 0, 0, 4, UINT64_MAX},
    {U_KB, 0, 0, 4, KB_MAX},
    {U_KB, 10, 1, 4, KB_MAX * 10}, /* KB/s */
    {U_MS, 1000000, 2, 7, UINT64_MAX},
    {U_MS, 1000000, 3, 7, UINT64_MAX},
    {U_SECS, 1000000000, 6, 7, UINT64_MAX},
};

static void exact_text(const struct form *f, uint64_t v, char *buf, size_t n)
{
	if (f->div)
		fmt_fixed(v, f->div, f->dec, buf, n);
	else
		fmt_u64(v, buf, n);
}

/* One value at one width: fits, and says what the exact text says; prints the first few that do
 * not. */
static int fit_fails(const struct form *f, uint64_t v, int width)
{
	static int shown;
	char exact[64], got[64];
	bool hashes, ok;

	if (v > f->max)
		v = f->max;
	exact_text(f, v, exact, sizeof(exact));
	snprintf(got, sizeof(got), "%s", exact);
	unit_fit(f->u, got, sizeof(got), width);
	hashes = got[0] == '#' && strspn(got, "#") == strlen(got);
	if ((int)strlen(exact) <= width)
		ok = !strcmp(got, exact);
	else if (hashes)
		ok = width < f->min_width && (int)strlen(got) == width;
	else
		ok = (int)strlen(got) <= width && says(f->u, got, exact);
	if (!ok && shown++ < 10)
		printf("#   unit %d: \"%s\" in %d columns: \"%s\"\n", f->u, exact, width, got);
	return !ok;
}

TEST(every_value_fits_every_width)
{
	int bad = 0;

	for (size_t k = 0; k < sizeof(forms) / sizeof(forms[0]); k++) {
		const struct form *f = &forms[k];

		for (int w = 1; w <= 24; w++) {
			/* near every power of 10 and of 2, where digits and units change */
			for (uint64_t p = 1; p; p = p <= UINT64_MAX / 10 ? p * 10 : 0)
				for (uint64_t d = 0; d < 3; d++)
					bad += fit_fails(f, p - 1 + d, w) +
					       fit_fails(f, p / 2 + p * 95 / 100 + d, w);
			for (int s = 0; s < 64; s++)
				for (uint64_t d = 0; d < 3; d++)
					bad += fit_fails(f, (1ULL << s) - 1 + d, w);
			for (int i = 0; i < 3000; i++)
				bad += fit_fails(f, rnd() >> (rnd() % 64), w);
			bad += fit_fails(f, 0, w) + fit_fails(f, UINT64_MAX, w);
		}
	}
	CHECK_EQ_U64(bad, 0);
}

int main(void)
{
	RUN(numbers_that_fit_are_left_alone);
	RUN(sizes_in_binary_units);
	RUN(durations_in_s_m_h_d);
	RUN(no_room_says_so_without_digits);
	RUN(every_value_fits_every_width);
	TAP_DONE();
}
