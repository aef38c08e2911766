// SPDX-License-Identifier: GPL-2.0
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "serving.h"

bool serving_headless(const struct options *o)
{
	if (o->serve.headless)
		return true;
	return o->serve.listen && !o->batch && !(isatty(STDIN_FILENO) && isatty(STDOUT_FILENO));
}

/* This host's ephemeral ports, which are never labels: the kernel's range. */
static void ephemeral_range(struct tally *t)
{
	FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");
	unsigned lo, hi;

	if (f && fscanf(f, "%u %u", &lo, &hi) == 2 && lo <= hi && hi <= 65535)
		tally_ephemeral(t, (uint16_t)lo, (uint16_t)hi);
	if (f)
		fclose(f);
}

int serving_start(struct serving *sv, const struct options *o, struct model *m, char *err, size_t n)
{
	memset(sv, 0, sizeof(*sv));
	if (!o->serve.listen)
		return 0;
	if (tally_init(&sv->tally, o->serve.max_series)) {
		snprintf(err, n, "--serve: out of memory");
		return 1;
	}
	/* a recording's host is another: its ranges are not known, the defaults stand */
	if (!o->replay)
		ephemeral_range(&sv->tally);
	sv->srv = serve_start(&o->serve, err, n);
	if (!sv->srv) {
		tally_free(&sv->tally);
		return 2;
	}
	/* the first tick publishes: until the kernel side runs, scrapes get 503 */
	m->tally = &sv->tally;
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int serving_run(struct serving *sv, struct source *src, const struct options *o,
		volatile sig_atomic_t *stop)
{
	double end = o->duration ? now_s() + o->duration : 0;
	bool ended = false;

	while (!*stop) {
		double left = end ? end - now_s() : 1;
		int rc;

		if (left <= 0)
			break;
		if (ended) { /* what the recording held is served until stopped */
			poll(NULL, 0, left < 0.2 ? (int)(left * 1000) + 1 : 200);
			continue;
		}
		rc = source_step(src, left < 0.2 ? (int)(left * 1000) + 1 : 200);
		if (rc == SOURCE_END) {
			ended = true;
		} else if (rc < 0) {
			fprintf(stderr, "tcpscope: reading events failed: %s\n", strerror(-rc));
			return 1;
		}
	}
	return 0;
}

void serving_stop(struct serving *sv, struct model *m)
{
	if (!sv->srv)
		return;
	serve_stop(sv->srv);
	sv->srv = NULL;
	m->tally = NULL;
	tally_free(&sv->tally);
}
