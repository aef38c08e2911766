// SPDX-License-Identifier: GPL-2.0
/* What the model counts as lost, and what each loss means to the user. */
#include "model.h"

static const struct {
	const char *what;
	const char *advice;
} losses[LOSS_MAX] = {
    [LOSS_RECORDS] = {"records lost (ring buffer full)",
		      "totals may be short: try a larger --ringbuf-mb"},
    [LOSS_SOCKMAP] = {"sockets not tracked (socket map full)",
		      "their owners and start are unknown: try a larger --max-sockets"},
    [LOSS_CLOSES] = {"sessions ended without their close record",
		     "they are shown with STATUS lost"},
    [LOSS_OPEN] = {"sessions not kept (open-session table full)", "try a larger --max-sockets"},
    [LOSS_BAD] = {"records malformed", "a damaged recording, or a bug: please report it"},
    [LOSS_GROUPS] = {"throughput rows not kept (group table full)",
		     "the per-group numbers are short"},
    [LOSS_SUMMARIES] = {"closed sessions not summed up (Lifespans group table full)",
			"the grouped Lifespans numbers are short"},
    [LOSS_RTT] = {"RTT histograms not counted (too many addresses)",
		  "the RTT numbers of some hosts are short"},
    [LOSS_LISTENERS] = {"listening sockets or ports not tracked (listener table full)",
			"Listeners lacks them: try a larger --max-listeners"},
    [LOSS_SERVICES] = {"cgroups not told apart (service table full)",
		       "their sessions show SERVICE other"},
};

void model_losses(const struct model *m, uint64_t n[LOSS_MAX])
{
	const struct model_stats *st = &m->st;

	n[LOSS_RECORDS] = st->lost_kernel[TS_LOST_RINGBUF] + st->lost_user;
	n[LOSS_SOCKMAP] = st->lost_kernel[TS_LOST_SOCKMAP];
	n[LOSS_CLOSES] = st->lost_closes;
	n[LOSS_OPEN] = st->dropped_open;
	n[LOSS_BAD] = st->bad_records;
	n[LOSS_GROUPS] = st->dropped_groups;
	n[LOSS_SUMMARIES] = st->dropped_summaries;
	/* the kernel counts samples it had no room for, the model histograms */
	n[LOSS_RTT] = st->lost_kernel[TS_LOST_RTTMAP] + m->rtt.dropped;
	n[LOSS_LISTENERS] = st->lost_kernel[TS_LOST_LISTEN] + st->dropped_listeners;
	n[LOSS_SERVICES] = m->services.not_kept;
}

uint64_t model_loss_total(const struct model *m)
{
	uint64_t n[LOSS_MAX], total = 0;

	model_losses(m, n);
	for (int i = 0; i < LOSS_MAX; i++)
		total += n[i];
	return total;
}

const char *model_loss_what(enum model_loss l)
{
	return losses[l].what;
}

const char *model_loss_advice(enum model_loss l)
{
	return losses[l].advice;
}
