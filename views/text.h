/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Untrusted strings (process names, file names, anything from a recording)
 * made safe for a terminal: C0 and C1 controls, DEL and invalid UTF-8 become
 * visible escapes, so no byte can move the cursor, retitle the window or
 * reach the clipboard. Also display-width padding for UTF-8 text.
 */
#ifndef TCPSCOPE_TEXT_H
#define TCPSCOPE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Copy src (at most srclen bytes, stops at NUL) into dst as safe UTF-8; returns dst. */
char *text_sanitize(char *dst, size_t dstlen, const char *src, size_t srclen);
/* text_sanitize of a NUL-terminated string. */
char *text_sanitize_into(char *dst, size_t dstlen, const char *src);
/*
 * Bytes of the character at s (at most n) when it is valid UTF-8 and no
 * control character, so it may go out as it is; 0 otherwise.
 */
size_t text_plain_char(const char *s, size_t n);
/* Columns the (sanitized, valid UTF-8) string takes on a terminal. */
int text_width(const char *s);
/*
 * Write s into dst padded or cut to exactly width columns; with mark, a cut
 * ends in '~'. Returns whether s was cut.
 */
bool text_fit(char *dst, size_t dstlen, const char *s, int width, int right, int mark);

#endif
