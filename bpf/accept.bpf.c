// SPDX-License-Identifier: GPL-2.0
/*
 * Owners of accepted sockets. The handshake of an accepted socket completes
 * in softirq context, often on the client's CPU (tcplife then reports the
 * client's PID for the server side). accept() returns in the server's own
 * context with the new descriptor, so the socket is found through the fd
 * table and claimed there.
 */
#include "tcpscope.bpf.h"

static __always_inline int on_accept_exit(long fd)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct file **fds, *file;
	struct socket *sock;
	struct ts_sock *s;
	__u64 key;

	if (fd < 0)
		return 0;
	fds = BPF_CORE_READ(task, files, fdt, fd);
	if (!fds || bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]) || !file)
		return 0;
	sock = BPF_CORE_READ(file, private_data);
	key = (__u64)BPF_CORE_READ(sock, sk);
	s = sock_get(&key);
	if (s)
		claim_owner(s);
	return 0;
}

static __always_inline long syscall_nr(struct pt_regs *regs)
{
#if defined(__TARGET_ARCH_x86)
	return BPF_CORE_READ(regs, orig_ax);
#elif defined(__TARGET_ARCH_arm64)
	return BPF_CORE_READ(regs, syscallno);
#else
#error "tcpscope: add this architecture's syscall number register"
#endif
}

/* raw_syscalls:sys_exit fires for every syscall: leave at once unless accept. */
SEC("tp_btf/sys_exit")
int BPF_PROG(accept_btf, struct pt_regs *regs, long ret)
{
	/* a BTF tracepoint's regs can be read directly: no helper call per syscall */
#if defined(__TARGET_ARCH_x86)
	long nr = regs->orig_ax;
#else
	long nr = syscall_nr(regs);
#endif

	if (nr != cfg_nr_accept4 && nr != cfg_nr_accept)
		return 0;
	return on_accept_exit(ret);
}

SEC("raw_tp/sys_exit")
int BPF_PROG(accept_raw, struct pt_regs *regs, long ret)
{
	long nr = syscall_nr(regs);

	if (nr != cfg_nr_accept4 && nr != cfg_nr_accept)
		return 0;
	return on_accept_exit(ret);
}

SEC("tracepoint/syscalls/sys_exit_accept4")
int accept4_tp(struct trace_event_raw_sys_exit *ctx)
{
	return on_accept_exit(ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_accept")
int accept_tp(struct trace_event_raw_sys_exit *ctx)
{
	return on_accept_exit(ctx->ret);
}
