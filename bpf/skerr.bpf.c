// SPDX-License-Identifier: GPL-2.0
/*
 * Errors reported to a socket's owner (ECONNRESET, ETIMEDOUT, ECONNREFUSED,
 * EPIPE, EHOSTUNREACH...): sk_err as the kernel wakes the owner for it.
 * Kernels since 5.12 have a tracepoint for it; before, the report is
 * sock_def_error_report, the function every TCP socket's sk_error_report
 * points to.
 */
#include "sockev.bpf.h"

static __always_inline int on_error(const struct sock *sk)
{
	struct ts_ev_sockev *e;
	struct ts_sock *s;
	__u64 key = (__u64)sk;
	int err;

	if (!is_tcp(sk))
		return 0;
	err = BPF_CORE_READ(sk, sk_err);
	if (!err)
		return 0;
	s = sock_get(&key);
	e = sockev_new(sk, s, TS_SE_ERROR);
	if (!e)
		return 0;
	e->err = err;
	submit(e);
	return 0;
}

SEC("tp_btf/inet_sk_error_report")
int BPF_PROG(skerr_btf, const struct sock *sk)
{
	return on_error(sk);
}

SEC("raw_tp/inet_sk_error_report")
int BPF_PROG(skerr_raw, const struct sock *sk)
{
	return on_error(sk);
}

SEC("fentry/sock_def_error_report")
int BPF_PROG(skerr_fentry, struct sock *sk)
{
	return on_error(sk);
}

SEC("kprobe/sock_def_error_report")
int BPF_KPROBE(skerr_kprobe, struct sock *sk)
{
	return on_error(sk);
}
