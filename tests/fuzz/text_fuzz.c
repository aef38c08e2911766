// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the sanitiser: any bytes, into any buffer, come out
 * as valid UTF-8 with no C0 or C1 control, no DEL and no bidi override, and
 * fitting them to a width gives exactly that width. A number scaled to fit a
 * column (units.h) fits it, or is left as it was when it is no number.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "views/text.h"
#include "views/units.h"

static void check_safe(const unsigned char *s)
{
	while (*s) {
		if (*s < 0x20 || *s == 0x7f)
			abort();
		if (*s < 0x80) {
			s++;
			continue;
		}
		/* C1 controls as UTF-8: C2 80..C2 9F */
		if (s[0] == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f)
			abort();
		/* U+202A..U+202E and U+2066..U+2069 */
		if (s[0] == 0xe2 && s[1] == 0x80 && s[2] >= 0xaa && s[2] <= 0xae)
			abort();
		if (s[0] == 0xe2 && s[1] == 0x81 && s[2] >= 0xa6 && s[2] <= 0xa9)
			abort();
		int len = (s[0] & 0xe0) == 0xc0 ? 2 : (s[0] & 0xf0) == 0xe0 ? 3 : (s[0] & 0xf8) == 0xf0 ? 4 : 0;
		if (!len)
			abort();
		for (int i = 1; i < len; i++)
			if ((s[i] & 0xc0) != 0x80)
				abort();
		s += len;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char in[300], out[1300], fit[1300];

	if (size < 2 || size >= sizeof(in) + 2)
		return 0;
	memcpy(in, data + 2, size - 2);
	in[size - 2] = 0;
	size_t room = 1 + data[0] % sizeof(out);
	int width = data[1] % 80;

	text_sanitize(out, room, in, size - 2);
	if (strlen(out) >= room)
		abort();
	check_safe((const unsigned char *)out);
	text_fit(fit, sizeof(fit), out, width, data[1] & 0x80, data[1] & 0x40);
	check_safe((const unsigned char *)fit);
	if (text_width(fit) != width)
		abort();
	memcpy(fit, in, size - 1);
	unit_fit((enum unit)(data[0] % (U_SECS + 1)), fit, sizeof(fit), width);
	if (strlen(fit) > (size_t)width && strcmp(fit, in))
		abort();
	return 0;
}
