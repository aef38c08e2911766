// SPDX-License-Identifier: GPL-2.0
/* tcpscope: parse the command line and hand off. */
#include <locale.h>
#include <stdio.h>
#include "app.h"
#include "options.h"

int main(int argc, char **argv)
{
	struct options o;
	char err[512];
	int rc;

	/* characters and their widths from the environment; numbers stay "1.50" */
	setlocale(LC_CTYPE, "");
	rc = options_parse(argc, argv, &o, err, sizeof(err));

	if (rc > 0)
		return 0;
	if (rc < 0) {
		fprintf(stderr, "tcpscope: %s\n", err);
		return 2;
	}
	return app_run(&o);
}
