// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the CSV writer: any field, in a buffer of any size,
 * comes out as one well-formed RFC 4180 field that no spreadsheet runs as a
 * formula.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "views/csv.h"

/* -12.5, +3: a number a spreadsheet reads as such */
static bool number(const char *s)
{
	bool digit = false;

	if (*s == '-' || *s == '+')
		s++;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			digit = true;
		else if (*s != '.')
			return false;
	}
	return digit;
}

/* One field: unquoted without , " CR LF; or quoted with inner quotes doubled. */
static void check_field(const char *out, const char *in, bool numeric)
{
	size_t n = strlen(out);

	if (out[0] == '"') {
		if (n < 2 || out[n - 1] != '"')
			abort();
		for (size_t i = 1; i + 1 < n; i++)
			if (out[i] == '"' && out[++i] != '"')
				abort();
		if (out[1] == '=' || out[1] == '+' || out[1] == '@')
			abort();
	} else {
		if (strpbrk(out, ",\"\r\n"))
			abort();
		/* a leading = + - @ TAB CR only on a number in a numeric column */
		if (out[0] && strchr("=+-@\t\r", out[0]) && !(numeric && number(out)))
			abort();
	}
	(void)in;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char in[600], out[1300];

	if (size < 2 || size >= sizeof(in) + 2)
		return 0;
	memcpy(in, data + 2, size - 2);
	in[size - 2] = 0;
	/* the first bytes choose the buffer size and whether the column is numeric */
	size_t room = 1 + data[0] % sizeof(out);
	bool numeric = data[1] & 1;

	csv_escape(out, room, in, numeric);
	if (strlen(out) >= room)
		abort();
	check_field(out, in, numeric);
	return 0;
}
