// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the filter language: any text either parses or is
 * refused with a message that fits; a parsed filter evaluates against rows
 * with and without ports, addresses and owners, and the port-list parser
 * (-L, -D) sees the same text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "views/filter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t a4[16] = {10, 0, 0, 1}, a6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
	char text[1100], err[160];
	struct filter f;
	uint8_t bits[8192];
	struct row_fields rows[3] = {
		{.family = 4, .has_ports = true, .lport = 80, .rport = 40000, .laddr = a4,
		 .raddr = a4, .pid = 7, .comm = "nginx\0\0\0\0\0\0\0\0\0\0\0", .state = 1},
		{.family = 6, .has_ports = true, .lport = 443, .rport = 1, .laddr = a6, .raddr = a6,
		 .state = 8, .state2 = 1},
		{.family = 0},
	};

	if (size >= sizeof(text))
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	err[0] = 0;
	if (filter_parse(text, &f, err, sizeof(err))) {
		if (!err[0] || strlen(err) >= sizeof(err))
			abort(); /* a refusal always says why */
	} else {
		for (int i = 0; i < 3; i++)
			(void)filter_match(&f, &rows[i]);
		(void)filter_uses_ports(&f);
	}
	memset(bits, 0, sizeof(bits));
	(void)parse_port_list(text, bits, err, sizeof(err));
	return 0;
}
