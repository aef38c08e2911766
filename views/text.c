// SPDX-License-Identifier: GPL-2.0
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include "text.h"

/* Length of the valid UTF-8 sequence at s (1-4), or 0 if it is not one. */
static size_t utf8_len(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len;
	uint32_t c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if ((s[0] & 0xe0) == 0xc0) {
		len = 2, c = s[0] & 0x1f, min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3, c = s[0] & 0x0f, min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4, c = s[0] & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates and values past Unicode are invalid */
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

static int is_control(uint32_t c)
{
	return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) ||
	       /* bidi overrides and isolates can reorder what the terminal shows */
	       (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

char *text_sanitize(char *dst, size_t dstlen, const char *src, size_t srclen)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t n = strnlen(src, srclen), o = 0;

	if (!dstlen)
		return dst;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len;
		char esc[16];
		size_t elen;

		/* printable ASCII, most names: as it is */
		if (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '\\') {
			if (o + 1 >= dstlen)
				break;
			dst[o++] = (char)s[i++];
			continue;
		}
		len = utf8_len(s + i, n - i, &cp);

		/* a backslash is doubled, so a name cannot fake one of our escapes */
		if (len == 1 && cp == '\\') {
			if (o + 2 >= dstlen)
				break;
			dst[o++] = '\\';
			dst[o++] = '\\';
			i++;
			continue;
		}
		if (len && !is_control(cp)) {
			if (o + len >= dstlen)
				break;
			memcpy(dst + o, s + i, len);
			o += len;
			i += len;
			continue;
		}
		if (len)
			elen = cp < 0x100 ? (size_t)snprintf(esc, sizeof(esc), "\\x%02x", cp)
					  : (size_t)snprintf(esc, sizeof(esc), "\\u%04x", cp);
		else
			elen = (size_t)snprintf(esc, sizeof(esc), "\\x%02x", s[i]);
		if (o + elen >= dstlen)
			break;
		memcpy(dst + o, esc, elen);
		o += elen;
		i += len ? len : 1;
	}
	dst[o] = 0;
	return dst;
}

size_t text_plain_char(const char *s, size_t n)
{
	uint32_t cp;
	size_t len = n ? utf8_len((const unsigned char *)s, n, &cp) : 0;

	return len && !is_control(cp) ? len : 0;
}

char *text_sanitize_into(char *dst, size_t dstlen, const char *src)
{
	return text_sanitize(dst, dstlen, src, strlen(src));
}

static int cp_width(uint32_t cp)
{
	int w;

	if (cp >= 0x20 && cp < 0x7f)
		return 1; /* printable ASCII, most of what is shown: no locale lookup */
	w = wcwidth((wchar_t)cp);

	return w < 0 ? 1 : w;
}

int text_width(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strlen(str);
	int w = 0;

	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len;

		if (s[i] < 0x80) { /* one column, control characters included (cp_width) */
			w++, i++;
			continue;
		}
		len = utf8_len(s + i, n - i, &cp);
		w += len ? cp_width(cp) : 1;
		i += len ? len : 1;
	}
	return w;
}

bool text_fit(char *dst, size_t dstlen, const char *str, int width, int right, int mark)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strlen(str), o = 0, i = 0;
	int w = 0, total = text_width(str), pad;

	if (!dstlen)
		return total > width;
	if (total > width) {
		/* cut; a mark '~' says it is not the whole */
		int room = mark ? width - 1 : width;

		while (i < n) {
			uint32_t cp;
			size_t len = utf8_len(s + i, n - i, &cp);
			int cw = len ? cp_width(cp) : 1;

			if (!len)
				len = 1;
			if (w + cw > room || o + len + 2 >= dstlen)
				break;
			memcpy(dst + o, s + i, len);
			o += len;
			i += len;
			w += cw;
		}
		while (w < room && o + 2 < dstlen)
			dst[o++] = ' ', w++;
		if (mark && width > 0 && o + 1 < dstlen)
			dst[o++] = '~';
		dst[o] = 0;
		return true;
	}
	pad = width - total;
	if (right)
		while (pad > 0 && o + 1 < dstlen)
			dst[o++] = ' ', pad--;
	if (o + n >= dstlen) {
		n = dstlen - o - 1;
		/* no room for all of it: stop before a character, never inside one */
		while (n && (s[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(dst + o, str, n);
	o += n;
	while (pad > 0 && o + 1 < dstlen)
		dst[o++] = ' ', pad--;
	dst[o] = 0;
	return false;
}
