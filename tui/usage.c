// SPDX-License-Identifier: GPL-2.0
/* tcpscope -h: every flag, with examples. */
#include <stdio.h>
#include <string.h>
#include "options.h"
#include "serve_opts.h"

/* "lifespans, throughput, states, events": the panes' names, for messages. */
const char *options_pane_names(char *buf, size_t n)
{
	size_t o = 0;

	buf[0] = 0;
	for (int i = 0; i < P_MAX && o < n; i++)
		o += (size_t)snprintf(buf + o, n - o, "%s%s", i ? ", " : "",
				      pane_get((enum pane_id)i)->name);
	return buf;
}

void options_usage(FILE *f)
{
	char names[256];

	fputs(
	    "usage: tcpscope [-b] [-d SECS] [-i SECS] [--view PANE[,PANE]] [-s] [-t] [-T] [-w]\n"
	    "                [-p PID] [-L PORTS] [-D PORTS] [-4 | -6] [--sort COLUMN[:asc|desc]]\n"
	    "                [--filter EXPR] [--record FILE | --replay FILE [--speed N]] [-v]\n"
	    "\n"
	    "Top for TCP: session lifespans, throughput, state changes, retransmits and drops,\n"
	    "live from the kernel (eBPF), on one screen.\n"
	    "\n"
	    "  -b, --batch          print lines instead of the screen, like top -b\n"
	    "  -d, --duration SECS  stop after SECS seconds\n"
	    "  -i, --interval SECS  refresh and throughput interval (default 1)\n",
	    f);
	/* the first pane is batch mode's default */
	options_pane_names(names, sizeof(names));
	fprintf(f, "      --view PANE      batch: %.*s (default)%s, all (but rtt)\n",
		(int)strcspn(names, ","), names, names + strcspn(names, ","));
	fputs("                       rtt: RTT histograms as tcprtt prints them (once at the\n"
	      "                       end; with -i, each interval), and it goes alone\n",
	      f);
	fputs(
	    "  -s, --csv            comma-separated values (with exact byte counts)\n"
	    "      --json           JSON lines: an object per row, every pane (exact numbers)\n"
	    "  -t, --timestamp      add a TIME(s) column: seconds since start\n"
	    "  -T, --time           add a TIME column (HH:MM:SS)\n"
	    "  -w, --wide           wide columns (fit IPv6 addresses)\n"
	    "  -p, --pid PID        only sockets this process owns\n"
	    "  -L, --localport LIST only these local ports (comma-separated, ranges a-b)\n"
	    "  -D, --remoteport LIST only these remote ports\n"
	    "  -4, --ipv4           IPv4 only\n"
	    "  -6, --ipv6           IPv6 only\n" RTT_USAGE
	    "      --sort COL[:asc|desc]  sort column (throughput tables, and the screen)\n"
	    "      --filter EXPR    filter rows: port N, lport N, rport N, pid N, comm TEXT,\n"
	    "                       addr IP[/PREFIX], laddr, raddr, state NAME, ip 4|6,\n"
	    "                       type NAME (events: retrans, drop, reset, cong, queue,\n"
	    "                       memory, error, or a TYPE), service TEXT; ! negates\n"
	    "                       a term\n"
	    "      --group G        group rows, in each pane that has G: throughput by\n"
	    "                       process+hosts (default), hosts, process, subnet,\n"
	    "                       service or socket; lifespans by socket (a row a\n"
	    "                       session, the default), process+port+host, process,\n"
	    "                       port or service: sums per interval; listeners by\n"
	    "                       address (default) or backlog (as --hist)\n"
	    "      --subnets LIST   the subnets throughput groups by (CIDRs, IPv4 and IPv6,\n"
	    "                       comma-separated; the first that holds a host counts it),\n"
	    "                       by default tcpsubnet's and the same for IPv6:\n"
	    "                       " SUBNETS_DEFAULT_V4 ",\n"
	    "                       " SUBNETS_DEFAULT_V6 "\n"
	    "      --hist           listeners: how long the accept queue was at each\n"
	    "                       handshake, per listener (as tcpsynbl)\n"
	    "      --keys FILE      key bindings (default ~/.config/tcpscope/keys)\n"
	    "      --list-keys      print the key bindings (with --keys FILE: those)\n"
	    "      --export-dir DIR where 'e' writes CSV snapshots (default: current directory)\n"
	    "      --record FILE    also write every event to FILE ('-': standard output)\n"
	    "      --replay FILE    show a recording instead of the live kernel ('-': stdin)\n"
	    "      --speed N        replay N times faster (batch replays run flat out)\n"
	    "      --force          overwrite existing output files\n"
	    "      --max-sockets N  sockets the kernel tracks at once (default 65536)\n"
	    "      --max-listeners N  listening addresses (and ports refusing connects) kept,\n"
	    "                       each of the kernel's listener tables too (default 4096)\n"
	    "      --ringbuf-mb N   kernel-to-user buffer in MiB, a power of 2 (default 8)\n"
	    "      --max-rows N     closed sessions and log rows kept per pane (default 20000);\n"
	    "                       each flow (command + service port) keeps its newest 256\n"
	    "      --with accept    also take owners at accept() (sockets reset before any\n"
	    "                       send, recv or close); every syscall pays a little\n"
	    "      --without JOBS   run as if the kernel lacked these hooks: traffic, accept,\n"
	    "                       retrans, drops, tcpdrop, iter, rtt, resets, cong, memory,\n"
	    "                       errors, listen (to see what depends on them)\n"
	    "      --hooks FLAVOUR  start from this flavour where a job has it: tp_btf (default),\n"
	    "                       raw_tp, tracepoint, fentry, kprobe (-v shows the plan)\n"
	    "      --nice N         the screen's priority while it runs, -20 to 19 (default -5,\n"
	    "                       when allowed), and live, real-time priority for taking\n"
	    "                       records in (SCHED_FIFO 1 and 2, when allowed): nothing is\n"
	    "                       lost and keys are answered on a busy host; 0: leave both\n"
	    "      --exclude-self   over SSH: leave the connection carrying tcpscope out (it is\n"
	    "                       marked otherwise)\n" SERVE_USAGE
	    "  -v, --verbose        print the hook plan and libbpf messages\n"
	    "  -h, --help           this help\n"
	    "      --version        the version\n"
	    "\n"
	    "examples:\n"
	    "  tcpscope                       # the interactive screen\n"
	    "  tcpscope -b                    # a line per closed session, like tcplife\n"
	    "  tcpscope -b -stT               # the same as CSV, with times\n"
	    "  tcpscope -b --view throughput  # a table per second, like tcptop\n"
	    "  tcpscope -b --view states -L 80  # state changes on local port 80\n"
	    "  tcpscope -b --view rtt -i 1 -m --byraddr  # tcprtt: RTT by remote host\n"
	    "  tcpscope -b --view listeners     # listening sockets' accept queues, as ss shows\n"
	    "  tcpscope -b --view listeners --hist  # accept queue at each handshake (tcpsynbl)\n"
	    "  tcpscope -b --view throughput --group subnet  # bytes by subnet (tcpsubnet)\n"
	    "  tcpscope --record cap.tcps -d 60 -b; tcpscope --replay cap.tcps\n"
	    "  tcpscope --serve :9850           # metrics for Prometheus on 127.0.0.1:9850\n",
	    f);
}
