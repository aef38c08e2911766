/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A few macros for unit tests that speak TAP: each TEST is a case, each
 * failing CHECK prints why; tests/run.sh adds up the cases.
 */
#ifndef TCPSCOPE_TAP_H
#define TCPSCOPE_TAP_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed_cases, tap_case_failed;

#define TEST(name)                                                                                 \
	static void test_##name(void);                                                             \
	static void run_##name(void)                                                               \
	{                                                                                          \
		tap_case_failed = 0;                                                               \
		test_##name();                                                                     \
		printf("%s %d - %s\n", tap_case_failed ? "not ok" : "ok", ++tap_n, #name);        \
		tap_failed_cases += tap_case_failed;                                               \
	}                                                                                          \
	static void test_##name(void)

#define RUN(name) run_##name()

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			printf("#   %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond);        \
			tap_case_failed = 1;                                                       \
		}                                                                                  \
	} while (0)

#define CHECK_EQ_U64(a, b)                                                                         \
	do {                                                                                       \
		uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b);                                   \
		if (a_ != b_) {                                                                    \
			printf("#   %s:%d: %s == %s: %" PRIu64 " != %" PRIu64 "\n", __FILE__,          \
			       __LINE__, #a, #b, a_, b_);                                          \
			tap_case_failed = 1;                                                       \
		}                                                                                  \
	} while (0)

#define CHECK_STR(a, b)                                                                            \
	do {                                                                                       \
		const char *a_ = (a), *b_ = (b);                                                   \
		if (strcmp(a_, b_)) {                                                              \
			printf("#   %s:%d: %s == %s: \"%s\" != \"%s\"\n", __FILE__, __LINE__, #a,  \
			       #b, a_, b_);                                                        \
			tap_case_failed = 1;                                                       \
		}                                                                                  \
	} while (0)

#define TAP_DONE()                                                                                 \
	do {                                                                                       \
		printf("1..%d\n", tap_n);                                                          \
		return tap_failed_cases ? 1 : 0;                                                   \
	} while (0)

#endif
