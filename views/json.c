// SPDX-License-Identifier: GPL-2.0
#include <stdint.h>
#include <string.h>
#include "json.h"
#include "pane.h"
#include "text.h"

size_t json_string(char *dst, size_t n, const char *s)
{
	size_t len = strlen(s), o = 0;

	if (n < 3) {
		if (n)
			dst[0] = 0;
		return 0;
	}
	dst[o++] = '"';
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		char esc[8];
		size_t k = text_plain_char(s + i, len - i), elen;
		const char *out = s + i;

		if (c == '"' || c == '\\') {
			esc[0] = '\\', esc[1] = (char)c;
			out = esc, elen = 2, k = 1;
		} else if (k) {
			elen = k;
		} else {
			/* a control character, or a byte that is no UTF-8: escaped */
			snprintf(esc, sizeof(esc), "\\u%04x", c < 0x80 ? c : 0xfffd);
			out = esc, elen = 6, k = 1;
		}
		if (o + elen + 2 > n)
			break;
		memcpy(dst + o, out, elen);
		o += elen;
		i += k;
	}
	dst[o++] = '"';
	dst[o] = 0;
	return o;
}

void json_key(char *dst, size_t n, const char *name)
{
	size_t o = 0;

	for (const char *p = name; *p && o + 1 < n; p++) {
		char c = *p;

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
			c = '_';
		if (c == '_' && (!o || dst[o - 1] == '_'))
			continue; /* "TIME(s)": time_s, not time_s_ */
		dst[o++] = c;
	}
	while (o && dst[o - 1] == '_')
		o--;
	if (n)
		dst[o] = 0;
}

/* What JSON takes as a number: -?digits(.digits)? (no "1.4G", no "*"). */
static bool json_number(const char *s)
{
	if (*s == '-')
		s++;
	if (*s < '0' || *s > '9')
		return false;
	while (*s >= '0' && *s <= '9')
		s++;
	if (*s == '.') {
		s++;
		if (*s < '0' || *s > '9')
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return !*s;
}

struct line {
	char s[16384];
	size_t n;
};

static void put(struct line *l, const char *s, size_t len)
{
	if (len > sizeof(l->s) - l->n)
		len = sizeof(l->s) - l->n;
	memcpy(l->s + l->n, s, len);
	l->n += len;
}

static void put_key(struct line *l, const char *name)
{
	char key[64], quoted[160];

	json_key(key, sizeof(key), name);
	put(l, ",", 1);
	put(l, quoted, json_string(quoted, sizeof(quoted), key));
	put(l, ":", 1);
}

void json_pane_line(FILE *f, const struct pane *p, const bool *show, const struct fmt_ctx *fc,
		    const void *row)
{
	char cell[512], quoted[3200];
	struct line l;
	uint64_t ts;
	double wall;

	if (!row)
		return; /* every line names its fields: no header */
	ts = p->ts(row);
	wall = model_wall_time(fc->m, ts ? ts : fc->m->st.last_tick_ns);
	l.n = 0;
	put(&l, "{\"view\":", 8);
	put(&l, quoted, json_string(quoted, sizeof(quoted), p->name));
	if (wall) {
		int w = snprintf(cell, sizeof(cell), ",\"time\":%.6f", wall);

		put(&l, cell, (size_t)w);
	}
	for (int i = 0; i < p->ncols; i++) {
		const struct column *c = &p->cols[i];
		bool number = c->flags & (COL_NUM | COL_SECS);

		if (!show[i])
			continue;
		c->format(fc, c, row, cell, sizeof(cell));
		put_key(&l, c->name);
		if (!cell[0] || (cell[0] == '-' && !cell[1]) || (number && !json_number(cell)))
			put(&l, "null", 4); /* not known, or no one number ("*": all) */
		else if (number)
			put(&l, cell, strlen(cell));
		else
			put(&l, quoted, json_string(quoted, sizeof(quoted), cell));
	}
	/* a line too long for the buffer is cut, never split: it must end the object */
	if (l.n > sizeof(l.s) - 2)
		l.n = sizeof(l.s) - 2;
	put(&l, "}\n", 2);
	fwrite(l.s, 1, l.n, f);
}
