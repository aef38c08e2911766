// SPDX-License-Identifier: GPL-2.0
/* The sanitiser for untrusted text, and display widths. */
#include <locale.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include "../tap.h"
#include "views/text.h"

/* An independent UTF-8 decoder: length of the sequence at s, or 0 if invalid. */
static size_t decode(const unsigned char *s, uint32_t *cp)
{
	static const struct {
		unsigned char mask, lead;
		size_t len;
		uint32_t min;
	} forms[] = {{0x80, 0x00, 1, 0},
		     {0xe0, 0xc0, 2, 0x80},
		     {0xf0, 0xe0, 3, 0x800},
		     {0xf8, 0xf0, 4, 0x10000}};

	for (size_t f = 0; f < 4; f++) {
		if ((s[0] & forms[f].mask) != forms[f].lead)
			continue;
		uint32_t c = s[0] & (uint32_t)~forms[f].mask & 0xff;

		for (size_t i = 1; i < forms[f].len; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return 0;
			c = c << 6 | (s[i] & 0x3f);
		}
		if (c < forms[f].min || c > 0x10ffff || (c >= 0xd800 && c < 0xe000))
			return 0;
		*cp = c;
		return forms[f].len;
	}
	return 0;
}

/* What may reach a terminal: valid UTF-8, no C0, DEL, C1 or bidi controls. */
static bool safe(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	while (*s) {
		uint32_t c;
		size_t len = decode(s, &c);

		if (!len || c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) ||
		    (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069))
			return false;
		s += len;
	}
	return true;
}

static char out[512];

static const char *san(const char *s)
{
	return text_sanitize_into(out, sizeof(out), s);
}

static const char *sann(const char *s, size_t n)
{
	return text_sanitize(out, sizeof(out), s, n);
}

TEST(printable_text_is_kept)
{
	CHECK_STR(san("curl"), "curl");
	CHECK_STR(san("a b~!{}"), "a b~!{}");
	CHECK_STR(san("caf\xc3\xa9"), "caf\xc3\xa9");				/* é */
	CHECK_STR(san("\xe4\xb8\xad\xe6\x96\x87"), "\xe4\xb8\xad\xe6\x96\x87"); /* 中文 */
	CHECK_STR(san("\xf0\x9f\x98\x80"), "\xf0\x9f\x98\x80");			/* U+1F600 */
	CHECK_STR(san("\xc2\xa0"), "\xc2\xa0");					/* no-break space */
	CHECK_STR(san("\xf4\x8f\xbf\xbf"), "\xf4\x8f\xbf\xbf");			/* U+10FFFF */
	CHECK_STR(san(""), "");
}

TEST(c0_controls_and_del_are_escaped)
{
	CHECK_STR(san("a\tb"), "a\\x09b");
	CHECK_STR(san("a\nb\r"), "a\\x0ab\\x0d");
	CHECK_STR(san("\x01\x1f"), "\\x01\\x1f");
	CHECK_STR(san("\x7f"), "\\x7f");
	CHECK_STR(san("\x08\x08\x08"), "\\x08\\x08\\x08");
}

TEST(escape_sequences_lose_their_escape)
{
	CHECK_STR(san("\x1b]0;title\x07"), "\\x1b]0;title\\x07");
	CHECK_STR(san("\x1b[2J"), "\\x1b[2J");
	CHECK_STR(san("x\x1b[31mred"), "x\\x1b[31mred");
	/* OSC 52 would write the clipboard */
	CHECK_STR(san("\x1b]52;c;SGVsbG8=\x07"), "\\x1b]52;c;SGVsbG8=\\x07");
	CHECK_STR(san("\x1b]52;c;SGVsbG8=\x1b\\"), "\\x1b]52;c;SGVsbG8=\\x1b\\\\");
	CHECK(safe(san("\x1bP+q\x1b\\")));
}

TEST(c1_controls_are_escaped_as_utf8_and_as_bytes)
{
	CHECK_STR(san("\xc2\x9b"
		      "2J"),
		  "\\x9b2J"); /* U+009B CSI */
	CHECK_STR(san("\xc2\x85"), "\\x85");
	CHECK_STR(san("\xc2\x80\xc2\x9f"), "\\x80\\x9f");
	CHECK_STR(san("\x9b"
		      "2J"),
		  "\\x9b2J"); /* a raw C1 byte is not UTF-8 either */
	CHECK_STR(san("\x9d"
		      "0;t\x9c"),
		  "\\x9d0;t\\x9c");
}

TEST(invalid_utf8_is_escaped_byte_by_byte)
{
	CHECK_STR(san("\xc0\xaf"), "\\xc0\\xaf");	   /* overlong '/' */
	CHECK_STR(san("\xc0\x80"), "\\xc0\\x80");	   /* overlong NUL */
	CHECK_STR(san("\xe0\x80\xaf"), "\\xe0\\x80\\xaf"); /* overlong, 3 bytes */
	CHECK_STR(san("\xf0\x80\x80\xaf"), "\\xf0\\x80\\x80\\xaf");
	CHECK_STR(san("\xed\xa0\x80"), "\\xed\\xa0\\x80"); /* surrogate U+D800 */
	CHECK_STR(san("\xed\xbf\xbf"), "\\xed\\xbf\\xbf"); /* surrogate U+DFFF */
	CHECK_STR(san("\xe4\xb8"), "\\xe4\\xb8");	   /* truncated at the end */
	CHECK_STR(san("\xe4\xb8"
		      "A"),
		  "\\xe4\\xb8A");				    /* truncated before ASCII */
	CHECK_STR(san("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80"); /* U+110000 */
	CHECK_STR(san("\xf5\x80\x80\x80"), "\\xf5\\x80\\x80\\x80");
	CHECK_STR(san("\xf8\x88\x80\x80\x80"), "\\xf8\\x88\\x80\\x80\\x80"); /* 5 bytes */
	CHECK_STR(san("\xff\xfe"), "\\xff\\xfe");
	CHECK_STR(san("\x80"), "\\x80"); /* a lone continuation byte */
	CHECK_STR(san("a\xc3"), "a\\xc3");
	/* a valid character right after a broken one survives */
	CHECK_STR(san("\xe4\xc3\xa9"), "\\xe4\xc3\xa9");
}

TEST(bidi_controls_are_escaped)
{
	CHECK_STR(san("abc\xe2\x80\xae"
		      "fdp.exe"),
		  "abc\\u202efdp.exe"); /* RLO */
	CHECK_STR(san("\xe2\x80\xaa"), "\\u202a");
	CHECK_STR(san("\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad"), "\\u202b\\u202c\\u202d");
	CHECK_STR(san("\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9"),
		  "\\u2066\\u2067\\u2068\\u2069");
	/* neighbours of the ranges are ordinary text */
	CHECK_STR(san("\xe2\x80\xa9"), "\xe2\x80\xa9");
	CHECK_STR(san("\xe2\x81\xaa"), "\xe2\x81\xaa");
}

TEST(source_length_and_nul_bound_the_input)
{
	CHECK_STR(sann("ab\0cd", 5), "ab");
	CHECK_STR(sann("abcdef", 3), "abc");
	/* a multi-byte character cut by the bound is not valid any more */
	CHECK_STR(sann("\xe4\xb8\xad", 2), "\\xe4\\xb8");
	/* a 16-byte comm has no terminator */
	{
		char comm[16];

		memcpy(comm, "0123456789abcdef", 16);
		CHECK_STR(sann(comm, sizeof(comm)), "0123456789abcdef");
	}
}

TEST(tiny_destinations_never_overflow_or_split)
{
	char buf[16];

	memset(buf, 'Z', sizeof(buf));
	CHECK(text_sanitize(buf, 0, "abc", 3) == buf);
	CHECK(buf[0] == 'Z');
	text_sanitize(buf, 1, "abc", 3);
	CHECK_STR(buf, "");
	CHECK(buf[1] == 'Z');
	text_sanitize(buf, 3, "abc", 3);
	CHECK_STR(buf, "ab");
	/* a character or an escape goes whole or not at all */
	text_sanitize(buf, 3, "\xe4\xb8\xad", 3);
	CHECK_STR(buf, "");
	text_sanitize(buf, 4, "\xe4\xb8\xad", 3);
	CHECK_STR(buf, "\xe4\xb8\xad");
	text_sanitize(buf, 2, "\xc3\xa9", 2);
	CHECK_STR(buf, "");
	text_sanitize(buf, 4, "\x1b", 1);
	CHECK_STR(buf, "");
	text_sanitize(buf, 5, "\x1b", 1);
	CHECK_STR(buf, "\\x1b");
	text_sanitize(buf, 7, "a\xe2\x80\xae", 4);
	CHECK_STR(buf, "a");
	text_sanitize(buf, 8, "a\xe2\x80\xae", 4);
	CHECK_STR(buf, "a\\u202e");
}

static uint32_t rnd_state = 12345;

static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

/* Random bytes, biased to what breaks things: ESC, C1, lead and continuation bytes. */
static size_t random_text(char *s, size_t max)
{
	static const unsigned char picks[] = {0x1b, 0x07, 0x9b, 0xc2, 0xe2, 0x80, 0xae,
					      0xe4, 0xb8, 0xad, 0xf0, 0xf4, 0x90, 0xed,
					      0xa0, 0xff, 0x7f, '[',  'a',  '\\'};
	size_t n = rnd() % max;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = rnd() & 1 ? picks[rnd() % sizeof(picks)] : (unsigned char)rnd();

		s[i] = c ? (char)c : 'x';
	}
	s[n] = 0;
	return n;
}

/* b is a with every backslash doubled */
static bool same_but_backslashes(const char *a, const char *b)
{
	for (; *a; a++, b++) {
		if (*a == '\\' && *b++ != '\\')
			return false;
		if (*a != *b)
			return false;
	}
	return !*b;
}

TEST(a_literal_backslash_cannot_fake_an_escape)
{
	/* the four characters \x1b typed into a name, and a real ESC, must differ */
	CHECK_STR(san("\\x1b"), "\\\\x1b");
	CHECK_STR(san("\x1b"), "\\x1b");
	CHECK_STR(san("a\\b"), "a\\\\b");
}

TEST(any_input_gives_safe_output)
{
	char in[64], a[300], b[300], small[32];
	int bad = 0;

	for (int iter = 0; iter < 20000 && bad < 5; iter++) {
		size_t n = random_text(in, sizeof(in) - 1), dl = 1 + rnd() % sizeof(small);

		text_sanitize(a, sizeof(a), in, n);
		/* a second pass finds nothing to escape but backslashes (doubled again) */
		text_sanitize(b, sizeof(b), a, strlen(a));
		memset(small, 'Z', sizeof(small));
		text_sanitize(small, dl, in, n);
		if (!safe(a) || !safe(b) || !same_but_backslashes(a, b) || !safe(small) ||
		    strnlen(small, dl) == dl || strncmp(small, a, strlen(small))) {
			printf("#   input %d (%zu bytes), dst %zu: unsafe or unstable output\n",
			       iter, n, dl);
			tap_case_failed = 1;
			bad++;
		}
	}
}

TEST(widths)
{
	CHECK(text_width("") == 0);
	CHECK(text_width("abc") == 3);
	CHECK(text_width("caf\xc3\xa9") == 4);
	CHECK(text_width("\xe4\xb8\xad") == 2);
	CHECK(text_width("\xe4\xb8\xad"
			 "a") == 3);
	CHECK(text_width("\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97") == 6);
	CHECK(text_width("e\xcc\x81") == 1); /* combining acute accent */
	CHECK(text_width("\xf0\x9f\x98\x80") == 2);
	CHECK(text_width("\xff") == 1); /* not sanitized: a byte is a column */
}

static char fit[128];

static const char *fit_to(const char *s, int width, int right, int mark)
{
	text_fit(fit, sizeof(fit), s, width, right, mark);
	return fit;
}

TEST(fit_pads_and_aligns)
{
	CHECK_STR(fit_to("ab", 5, 0, 0), "ab   ");
	CHECK_STR(fit_to("ab", 5, 1, 0), "   ab");
	CHECK_STR(fit_to("abcde", 5, 0, 1), "abcde");
	CHECK_STR(fit_to("", 3, 0, 0), "   ");
	CHECK_STR(fit_to("\xe4\xb8\xad", 4, 1, 0), "  \xe4\xb8\xad");
	CHECK_STR(fit_to("\xe4\xb8\xad", 4, 0, 0), "\xe4\xb8\xad  ");
	CHECK_STR(fit_to("caf\xc3\xa9", 5, 0, 0), "caf\xc3\xa9 ");
}

TEST(fit_cuts_with_and_without_a_mark)
{
	CHECK_STR(fit_to("abcdef", 4, 0, 0), "abcd");
	CHECK_STR(fit_to("abcdef", 4, 0, 1), "abc~");
	CHECK_STR(fit_to("abcdef", 4, 1, 1), "abc~");
	CHECK_STR(fit_to("abcdef", 1, 0, 1), "~");
	CHECK_STR(fit_to("abcdef", 0, 0, 1), "");
	CHECK_STR(fit_to("abcdef", 0, 0, 0), "");
	/* a wide character that does not fit leaves a space, never half a glyph */
	CHECK_STR(fit_to("\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97", 5, 0, 1),
		  "\xe4\xb8\xad\xe6\x96\x87~");
	CHECK_STR(fit_to("\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97", 5, 0, 0),
		  "\xe4\xb8\xad\xe6\x96\x87 ");
	CHECK_STR(fit_to("\xe4\xb8\xad\xe6\x96\x87", 3, 0, 1), "\xe4\xb8\xad~");
	CHECK_STR(fit_to("\xe4\xb8\xad\xe6\x96\x87", 2, 0, 1), " ~");
	CHECK_STR(fit_to("a\xe4\xb8\xad", 2, 0, 0), "a ");
	/* it says whether it cut: the screen then scales a number instead */
	CHECK(text_fit(fit, sizeof(fit), "abcdef", 4, 0, 1));
	CHECK(!text_fit(fit, sizeof(fit), "abcd", 4, 1, 1));
	CHECK(text_fit(fit, sizeof(fit), "\xe4\xb8\xad", 1, 0, 1));
}

TEST(fit_always_gives_the_width_asked)
{
	static const char *const texts[] = {"",
					    "a",
					    "hello world",
					    "\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97",
					    "a\xe4\xb8\xad"
					    "b\xe6\x96\x87",
					    "caf\xc3\xa9 cr\xc3\xa8me",
					    "e\xcc\x81\xcc\x81x",
					    "\xf0\x9f\x98\x80\xf0\x9f\x98\x80!"};

	for (size_t t = 0; t < sizeof(texts) / sizeof(texts[0]); t++)
		for (int w = 0; w <= 14; w++)
			for (int flags = 0; flags < 4; flags++) {
				const char *r = fit_to(texts[t], w, flags & 1, flags & 2);

				if (text_width(r) != w || !safe(r)) {
					printf(
					    "#   text %zu width %d flags %d: \"%s\" is %d wide\n",
					    t, w, flags, r, text_width(r));
					tap_case_failed = 1;
				}
			}
}

TEST(fit_into_tiny_destinations_stays_valid)
{
	char buf[16];

	for (size_t n = 1; n < 12; n++) {
		for (int w = 0; w < 8; w++) {
			memset(buf, 'Z', sizeof(buf));
			text_fit(buf, n,
				 "\xe4\xb8\xad\xe6\x96\x87"
				 "ab",
				 w, w & 1, 1);
			if (strnlen(buf, n) == n || buf[n] != 'Z' || !safe(buf)) {
				printf("#   dst %zu width %d: \"%s\"\n", n, w, buf);
				tap_case_failed = 1;
			}
		}
	}
	memset(buf, 'Z', sizeof(buf));
	text_fit(buf, 0, "abc", 3, 0, 0);
	CHECK(buf[0] == 'Z');
}

int main(void)
{
	/* widths of CJK and emoji come from the C library's UTF-8 tables */
	if (!setlocale(LC_CTYPE, "C.UTF-8") && !setlocale(LC_CTYPE, "C.utf8") &&
	    !setlocale(LC_CTYPE, "en_US.UTF-8"))
		printf("# no UTF-8 locale: width cases will fail\n");
	RUN(printable_text_is_kept);
	RUN(c0_controls_and_del_are_escaped);
	RUN(escape_sequences_lose_their_escape);
	RUN(c1_controls_are_escaped_as_utf8_and_as_bytes);
	RUN(invalid_utf8_is_escaped_byte_by_byte);
	RUN(bidi_controls_are_escaped);
	RUN(source_length_and_nul_bound_the_input);
	RUN(tiny_destinations_never_overflow_or_split);
	RUN(a_literal_backslash_cannot_fake_an_escape);
	RUN(any_input_gives_safe_output);
	RUN(widths);
	RUN(fit_pads_and_aligns);
	RUN(fit_cuts_with_and_without_a_mark);
	RUN(fit_always_gives_the_width_asked);
	RUN(fit_into_tiny_destinations_stays_valid);
	TAP_DONE();
}
