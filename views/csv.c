// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <string.h>
#include "csv.h"
#include "pane.h"

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
	bool formula =
	    strchr("=+-@\t\r", field[0]) && field[0] && !(numeric && looks_numeric(field));
	bool quote = formula || strpbrk(field, ",\"\r\n") != NULL;
	size_t o = 0, close = quote ? 1 : 0;

	if (!n)
		return buf;
	/*
	 * a field cut to fit must still be one field: keep room for the closing
	 * quote; a number is never cut (a cut number is a wrong one): it is left out
	 */
	if (n < 1 + 2 * close + formula || (numeric && !formula && strlen(field) >= n)) {
		buf[0] = 0;
		return buf;
	}
	if (quote)
		buf[o++] = '"';
	if (formula)
		buf[o++] = '\'';
	for (const char *p = field; *p; p++) {
		size_t len = *p == '"' ? 2 : 1;

		if (o + len + close + 1 > n)
			break;
		if (*p == '"')
			buf[o++] = '"';
		buf[o++] = *p;
	}
	if (quote)
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

/* A field no spreadsheet can mistake and no quote needs: as it is. */
static bool plain(const char *s, size_t *len)
{
	size_t i = 0;

	if (*s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' || *s == '\r')
		return false;
	for (; s[i]; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			return false;
	*len = i;
	return true;
}

void csv_pane_line(FILE *f, const struct pane *p, const bool *show, const struct fmt_ctx *fc,
		   const void *row)
{
	bool first = true;
	char cell[512], esc[1024], line[8192];
	size_t o = 0;

	for (int i = 0; i < p->ncols; i++) {
		const struct column *c = &p->cols[i];
		const char *field = row ? cell : c->name;
		size_t len;

		if (!show[i])
			continue;
		if (row) {
			c->format(fc, c, row, cell, sizeof(cell));
			if (cell[0] == '-' && !cell[1])
				cell[0] = 0; /* "not known" is an empty field, not text */
		}
		if (!plain(field, &len)) {
			field = csv_escape(esc, sizeof(esc), field, row && (c->flags & COL_NUM));
			len = strlen(field);
		}
		/* fields are bounded (cells 512 bytes, escaped 1024): a line fits unless absurd */
		if (o + len + 2 > sizeof(line)) {
			fwrite(line, 1, o, f);
			o = 0;
		}
		if (!first)
			line[o++] = ',';
		memcpy(line + o, field, len);
		o += len;
		first = false;
	}
	line[o++] = '\n';
	fwrite(line, 1, o, f);
}
