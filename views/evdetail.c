// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include <stdio.h>
#include "evdetail.h"
#include "evkind.h"
#include "format.h"

void errno_name(unsigned err, char *b, size_t n)
{
	const char *name = err < 4096 ? strerrorname_np((int)err) : NULL;

	if (name)
		snprintf(b, n, "%s", name);
	else
		snprintf(b, n, "errno %u", err);
}

static void drop_reason(const struct model *m, const struct event_row *r, char *b, size_t n)
{
	const char *name = model_reason_name(m, r->reason);

	if (name)
		snprintf(b, n, "%s", name);
	else
		snprintf(b, n, "reason_%u", r->reason);
}

static void sock_detail(const struct model *m, const struct event_row *r, char *b, size_t n)
{
	const char *name;
	char q[16], buf[16];

	switch (r->sock_type) {
	case TS_SE_RST_SENT:
		/* the kernel's reason + 1, on kernels that give one */
		name = r->reason ? model_rst_reason_name(m, r->reason - 1) : NULL;
		snprintf(b, n, "%s", name ? name : "-");
		return;
	case TS_SE_CONG:
		snprintf(b, n, "from %s", ca_state_name(r->ca_old));
		return;
	case TS_SE_RCVQ_FULL:
		fmt_bytes_human(r->value, q, sizeof(q));
		fmt_bytes_human(r->value2, buf, sizeof(buf));
		snprintf(b, n, "%s queued, rcvbuf %s", q, buf);
		return;
	case TS_SE_MEM_LIMIT:
		snprintf(b, n, "%s, %llu pages in use", r->value2 ? "receiving" : "sending",
			 (unsigned long long)r->value);
		return;
	case TS_SE_ERROR:
		errno_name(r->reason, b, n);
		return;
	}
	snprintf(b, n, "-");
}

void event_detail(const struct model *m, const struct event_row *r, char *b, size_t n)
{
	if (r->type == EV_DROP)
		drop_reason(m, r, b, n);
	else if (r->type == EV_SOCK)
		sock_detail(m, r, b, n);
	else
		snprintf(b, n, "-");
}
