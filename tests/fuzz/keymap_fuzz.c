// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for keymap files: any text is applied line by line or
 * refused naming the line; whatever was applied leaves a table the help
 * screen can print.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "keymaps/keymap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct keymap km;
	static FILE *devnull;
	char *text = malloc(size + 1), err[256];

	if (!text)
		return 0;
	if (!devnull)
		devnull = fopen("/dev/null", "w");
	memcpy(text, data, size);
	text[size] = 0;
	if (keymap_default(&km, err, sizeof(err)))
		abort(); /* the built-in keymap always loads */
	if (keymap_load_text(&km, text, "fuzz.keys", err, sizeof(err)) &&
	    strncmp(err, "fuzz.keys:", 10))
		abort(); /* an error names the file and the line */
	for (int k = -2; k < 0x82; k++)
		(void)keymap_lookup(&km, k);
	for (int k = K_BASE - 2; k < K_MAX + 2; k++)
		(void)keymap_lookup(&km, k);
	keymap_print(devnull, &km);
	free(text);
	return 0;
}
