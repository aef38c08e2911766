// SPDX-License-Identifier: GPL-2.0
/*
 * The formatters batch output leans on, against printf: they skip it for
 * speed and must print exactly what it would.
 */
#include <stdlib.h>
#include <time.h>
#include "../tap.h"
#include "views/format.h"
#include "records.h"

/* xorshift: the same numbers on every run */
static uint64_t rnd_state = 88172645463325252ULL;

static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

/* One value through fmt_fixed and printf; prints the first few that differ. */
static int fixed_differs(uint64_t num, uint64_t div, int dec, size_t n)
{
	static int shown;
	char got[64], want[64];

	memset(got, 'x', sizeof(got));
	memset(want, 'x', sizeof(want));
	fmt_fixed(num, div, dec, got, n);
	snprintf(want, n, "%.*f", dec, num / (double)div);
	if (!memcmp(got, want, sizeof(got)))
		return 0;
	if (shown++ < 10)
		printf("#   fmt_fixed(%llu, %llu, %d, n=%zu): \"%.*s\", printf: \"%.*s\"\n",
		       (unsigned long long)num, (unsigned long long)div, dec, n, (int)n, got,
		       (int)n, want);
	return 1;
}

TEST(fixed_point_is_printf)
{
	static const struct {
		uint64_t div;
		int dec;
	} forms[] = {{1000000, 2}, {1000000, 3}, {1000000000, 6}, {1000, 0}, {10, 1}};
	int bad = 0;

	for (size_t f = 0; f < sizeof(forms) / sizeof(forms[0]); f++) {
		uint64_t div = forms[f].div, unit = div;
		int dec = forms[f].dec;

		for (int i = 0; i < dec; i++)
			unit /= 10;
		/* small values, every one */
		for (uint64_t v = 0; v < 30000; v++)
			bad += fixed_differs(v, div, dec, 64);
		for (int i = 0; i < 200000; i++) {
			uint64_t scale = rnd() % 64, v = rnd() >> (63 - scale) >> 1;
			uint64_t q = v / unit;

			bad += fixed_differs(v, div, dec, 64);
			/* either side of a rounding tie, and the tie itself */
			bad += fixed_differs(q * unit + unit / 2, div, dec, 64);
			bad += fixed_differs(q * unit + unit / 2 - 1, div, dec, 64);
			bad += fixed_differs(q * unit + unit / 2 + 1, div, dec, 64);
		}
		/* where the integer path hands over to printf, and the very largest */
		for (uint64_t v = div * 999999 - 2 * unit; v < div * 999999 + 4 * unit; v++)
			bad += fixed_differs(v * 1000 / 1000, div, dec, 64);
		bad += fixed_differs(div * 1000000 - 1, div, dec, 64);
		bad += fixed_differs(div * 1000000, div, dec, 64);
		bad += fixed_differs(UINT64_MAX, div, dec, 64);
		/* a buffer too small: cut as snprintf cuts */
		for (size_t n = 1; n < 8; n++)
			bad += fixed_differs(123456789, div, dec, n);
	}
	CHECK_EQ_U64(bad, 0);
}

TEST(integers_and_strings_are_printf)
{
	char got[32], want[32];
	int bad = 0;

	for (int i = 0; i < 200000; i++) {
		uint64_t v = rnd() >> (rnd() % 64);

		fmt_u64(v, got, sizeof(got));
		snprintf(want, sizeof(want), "%llu", (unsigned long long)v);
		bad += strcmp(got, want) != 0;
	}
	fmt_u64(0, got, sizeof(got));
	CHECK_STR(got, "0");
	fmt_u64(UINT64_MAX, got, sizeof(got));
	CHECK_STR(got, "18446744073709551615");
	fmt_u64(1234567, got, 5);
	CHECK_STR(got, "1234");
	fmt_str(got, 4, "abcdef");
	CHECK_STR(got, "abc");
	fmt_str(got, sizeof(got), "");
	CHECK_STR(got, "");
	got[0] = 'x';
	fmt_str(got, 0, "abc"); /* no room at all: nothing written */
	CHECK(got[0] == 'x');
	CHECK_EQ_U64(bad, 0);
}

/* Runs first: the cache starts empty, and no second (-1 included) may match it. */
TEST(clock_before_1970)
{
	struct model_config cfg = small_config(16);
	struct model m;
	struct fmt_ctx f = {0};
	union ts_event ev;
	char a[16];

	if (model_init(&m, &cfg))
		abort();
	f.m = &m;
	ev.meta = rec_meta(1000000000ULL, -2); /* 23:59:58 UTC, the day before 1970, at 1 s */
	model_apply(&m, &ev);
	fmt_clock(&f, 1500000000ULL, a, sizeof(a)); /* wall -1.5 s: second -1 */
	CHECK_STR(a, "23:59:59");
	model_free(&m);
}

/* fmt_clock keeps the last second's text: a new second, or none, must not get it */
TEST(clock_of_the_same_second_again)
{
	struct model_config cfg = small_config(16);
	struct model m;
	struct fmt_ctx f = {0};
	union ts_event ev;
	char a[16], b[16], c[16], d[16];

	if (model_init(&m, &cfg))
		abort();
	f.m = &m;
	fmt_clock(&f, 5000000000ULL, a, sizeof(a));
	CHECK_STR(a, "-");					   /* no wall clock known yet */
	ev.meta = rec_meta(1000000000ULL, 86400 + 3600 + 120 + 3); /* 01:02:03 UTC, at 1 s */
	model_apply(&m, &ev);
	fmt_clock(&f, 1000000000ULL, a, sizeof(a));
	fmt_clock(&f, 1999999999ULL, b, sizeof(b));
	fmt_clock(&f, 2000000000ULL, c, sizeof(c));
	fmt_clock(&f, 1000000001ULL, d, sizeof(d));
	CHECK_STR(a, "01:02:03");
	CHECK_STR(b, "01:02:03");
	CHECK_STR(c, "01:02:04");
	CHECK_STR(d, "01:02:03");
	fmt_clock(&f, 2000000000ULL, c, 4); /* a short buffer: what fits */
	CHECK_STR(c, "01:");
	model_free(&m);
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	RUN(clock_before_1970);
	RUN(fixed_point_is_printf);
	RUN(integers_and_strings_are_printf);
	RUN(clock_of_the_same_second_again);
	TAP_DONE();
}
