/* SPDX-License-Identifier: GPL-2.0 */
/* The command line: flags follow tcplife's where they exist. */
#ifndef TCPSCOPE_OPTIONS_H
#define TCPSCOPE_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>
#include "bpf/live.h"
#include "rtt_opts.h"
#include "serve_opts.h"
#include "views/model.h"
#include "views/self.h"
#include "views/pane.h"

struct options {
	bool batch;
	double duration; /* seconds; 0: until interrupted */
	unsigned panes;	 /* --view: bit per enum pane_id; batch default lifespans */
	bool csv, json, clock, rel, wide, verbose, force;
	bool list_keys; /* print the key bindings and exit */
	struct live_opts live;
	struct model_config model;
	const char *sort;     /* COLUMN[:asc|desc] */
	const char *filter;   /* filter language */
	char cli_filter[256]; /* -p -L -D -4 -6 as filter terms, for replays */
	const char *keys_file;
	const char *export_dir;
	const char *record;
	const char *replay;
	double speed;
	struct pane_opts grouping; /* --group: each pane's grouping, where it has that name */
	bool hist;		   /* --hist: Listeners by backlog */
	struct subnets subnets;	   /* --subnets, or the default list: o->model.subnets */
	int nice;		   /* the screen's nice while it runs; 0 or more: as it was */
	struct self_conn self;	   /* over SSH: the connection carrying this screen */

	struct serve_opts serve; /* --serve: metrics over HTTP */
	struct rtt_opts rtt;	 /* --view rtt (tcprtt), --laddr, --raddr */
};

/* 0: run; 1: done (help or version printed); -EINVAL: err says why (exit status 2). */
int options_parse(int argc, char **argv, struct options *o, char *err, size_t errlen);
void options_usage(FILE *f);
/* "lifespans, throughput, states, events": the panes' names, for messages (into buf). */
const char *options_pane_names(char *buf, size_t n);

#endif
