// SPDX-License-Identifier: GPL-2.0
/* CSV fields: RFC 4180 quoting and spreadsheet formula neutralisation. */
#include <stdbool.h>
#include <stdlib.h>
#include "../tap.h"
#include "views/csv.h"

static const char *esc(const char *field, bool numeric)
{
	static char buf[256];

	return csv_escape(buf, sizeof(buf), field, numeric);
}

TEST(plain_fields_are_unchanged)
{
	CHECK_STR(esc("curl", false), "curl");
	CHECK_STR(esc("10.0.0.1", false), "10.0.0.1");
	CHECK_STR(esc("", false), "");
	CHECK_STR(esc("a=b", false), "a=b");
	CHECK_STR(esc("1-2", false), "1-2");
	CHECK_STR(esc("it's", false), "it's");
	CHECK_STR(esc("caf\xc3\xa9", false), "caf\xc3\xa9");
	CHECK_STR(esc("12345", true), "12345");
}

TEST(rfc4180_quoting)
{
	CHECK_STR(esc("a,b", false), "\"a,b\"");
	CHECK_STR(esc("say \"hi\"", false), "\"say \"\"hi\"\"\"");
	CHECK_STR(esc("\"", false), "\"\"\"\"");
	CHECK_STR(esc("line\nbreak", false), "\"line\nbreak\"");
	CHECK_STR(esc("cr\rhere", false), "\"cr\rhere\"");
	CHECK_STR(esc("crlf\r\n", false), "\"crlf\r\n\"");
	CHECK_STR(esc(",", false), "\",\"");
	/* a quote in the middle of a number-like field still forces quoting */
	CHECK_STR(esc("1,5", true), "\"1,5\"");
}

TEST(formulas_get_an_apostrophe)
{
	CHECK_STR(esc("=1+2", false), "\"'=1+2\"");
	CHECK_STR(esc("+1", false), "\"'+1\"");
	CHECK_STR(esc("-5", false), "\"'-5\"");
	CHECK_STR(esc("@SUM(A1:A9)", false), "\"'@SUM(A1:A9)\"");
	CHECK_STR(esc("\tx", false), "\"'\tx\"");
	CHECK_STR(esc("\rx", false), "\"'\rx\"");
	CHECK_STR(esc("=HYPERLINK(\"http://x\",\"y\")", false),
		  "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
	CHECK_STR(esc("-", false), "\"'-\"");
}

TEST(numbers_stay_numbers)
{
	CHECK_STR(esc("-5", true), "-5");
	CHECK_STR(esc("3.25", true), "3.25");
	CHECK_STR(esc("-3.25", true), "-3.25");
	CHECK_STR(esc("+7", true), "+7");
	CHECK_STR(esc("0", true), "0");
	/* a numeric column holding something that is not a number is still neutralised */
	CHECK_STR(esc("=5", true), "\"'=5\"");
	CHECK_STR(esc("-1+2", true), "\"'-1+2\"");
	CHECK_STR(esc("-", true), "\"'-\"");
	CHECK_STR(esc("+", true), "\"'+\"");
	CHECK_STR(esc("-.", true), "\"'-.\"");
	CHECK_STR(esc("@5", true), "\"'@5\"");
}

/* Every field csv_escape writes, cut or not, is one well-formed field. */
static bool well_formed(const char *s)
{
	size_t n = strlen(s);

	if (!n || s[0] != '"')
		return !strpbrk(s, "\",\r\n");
	if (n < 2 || s[n - 1] != '"')
		return false;
	for (size_t i = 1; i < n - 1; i++)
		if (s[i] == '"' && s[++i] != '"')
			return false;
	return true;
}

TEST(small_buffers_give_whole_fields)
{
	static const char *const fields[] = {
	    "a\"b,c\"d=e", "=cmd|' /C calc'!A0", "\"\"\"\"", "plain text", "-12.5", "x,y"};
	char buf[48];

	for (size_t f = 0; f < sizeof(fields) / sizeof(fields[0]); f++) {
		for (size_t n = 1; n <= sizeof(buf) - 8; n++) {
			memset(buf, 'Z', sizeof(buf));
			csv_escape(buf, n, fields[f], f == 4);
			if (strnlen(buf, n) == n || buf[n] != 'Z' || !well_formed(buf)) {
				printf("#   field %zu into %zu bytes: \"%.*s\"\n", f, n, (int)n,
				       buf);
				tap_case_failed = 1;
			}
		}
	}
	memset(buf, 'Z', sizeof(buf));
	CHECK(csv_escape(buf, 0, "x", false) == buf);
	CHECK(buf[0] == 'Z');
}

static char *written(void (*fill)(FILE *))
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		abort();
	fill(f);
	fclose(f);
	return text;
}

static void three_fields(FILE *f)
{
	csv_put(f, "a", false, true);
	csv_put(f, "b,c", false, false);
	csv_put(f, "-5", true, false);
	csv_put(f, "", false, false);
}

TEST(put_separates_with_commas)
{
	char *t = written(three_fields);

	CHECK_STR(t, "a,\"b,c\",-5,");
	free(t);
}

/* A reader as a spreadsheet is: RFC 4180 fields of one record. */
static int parse_record(const char *s, char fields[][128], int max)
{
	int n = 0;

	for (;;) {
		size_t o = 0;

		if (n == max)
			return -1;
		if (*s == '"') {
			for (s++;; s++) {
				if (!*s)
					return -1;
				if (*s == '"') {
					if (s[1] != '"')
						break;
					s++;
				}
				fields[n][o++] = *s;
			}
			s++;
		} else {
			while (*s && *s != ',' && *s != '\n')
				fields[n][o++] = *s++;
		}
		fields[n++][o] = 0;
		if (*s == '\n' || !*s)
			return n;
		if (*s != ',')
			return -1;
		s++;
	}
}

static const struct {
	const char *text;
	bool numeric;
	bool formula;
} row_fields[] = {
    {"plain", false, false},	   {"with,comma", false, false}, {"with \"quotes\"", false, false},
    {"line\nbreak", false, false}, {"cr\rlf\r\n", false, false}, {"=HYPERLINK(\"x\")", false, true},
    {"-5", true, false},	   {"3.25", true, false},	 {"", false, false},
    {"@me", false, true},	   {"-text", false, true},	 {"+1", false, true},
    {"\ttab", false, true},
};
#define NFIELDS (sizeof(row_fields) / sizeof(row_fields[0]))

static void the_row(FILE *f)
{
	for (size_t i = 0; i < NFIELDS; i++)
		csv_put(f, row_fields[i].text, row_fields[i].numeric, i == 0);
	fputc('\n', f);
}

TEST(a_row_round_trips)
{
	char *t = written(the_row);
	char fields[20][128];
	int n = parse_record(t, fields, 20);

	CHECK_EQ_U64(n, NFIELDS);
	for (int i = 0; i < n && i < (int)NFIELDS; i++) {
		char want[130];

		snprintf(want, sizeof(want), "%s%s", row_fields[i].formula ? "'" : "",
			 row_fields[i].text);
		CHECK_STR(fields[i], want);
	}
	free(t);
}

int main(void)
{
	RUN(plain_fields_are_unchanged);
	RUN(rfc4180_quoting);
	RUN(formulas_get_an_apostrophe);
	RUN(numbers_stay_numbers);
	RUN(small_buffers_give_whole_fields);
	RUN(put_separates_with_commas);
	RUN(a_row_round_trips);
	TAP_DONE();
}
