// SPDX-License-Identifier: GPL-2.0
/* The one definition of the maps and settings every program shares. */
#define TS_DEFINE
#include "tcpscope.bpf.h"

char LICENSE[] SEC("license") = "GPL";
