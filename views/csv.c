// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <string.h>
#include "csv.h"

/* -12, 3.5, 1e3: what a spreadsheet reads as a number, not a formula. */
static bool looks_numeric(const char *s)
{
	bool digits = false;

	if (*s == '-' || *s == '+')
		s++;
	for (; *s; s++) {
		if (isdigit((unsigned char)*s))
			digits = true;
		else if (*s != '.')
			return false;
	}
	return digits;
}

char *csv_escape(char *buf, size_t n, const char *field, bool numeric)
{
	bool formula = strchr("=+-@\t\r", field[0]) && field[0] &&
		       !(numeric && looks_numeric(field));
	bool quote = formula || strpbrk(field, ",\"\r\n") != NULL;
	size_t o = 0;

	if (!n)
		return buf;
	if (quote && o + 1 < n)
		buf[o++] = '"';
	if (formula && o + 1 < n)
		buf[o++] = '\'';
	for (const char *p = field; *p && o + 2 < n; p++) {
		if (*p == '"')
			buf[o++] = '"';
		buf[o++] = *p;
	}
	if (quote && o + 1 < n)
		buf[o++] = '"';
	buf[o] = 0;
	return buf;
}

void csv_put(FILE *f, const char *field, bool numeric, bool first)
{
	char buf[1024];

	if (!first)
		fputc(',', f);
	fputs(csv_escape(buf, sizeof(buf), field, numeric), f);
}
