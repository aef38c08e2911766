#!/bin/sh
# The hook tiers below tp_btf: with --hooks raw_tp and --hooks tracepoint
# (classic tracepoints, which need tracefs: mounted here if it is not, and
# unmounted after), -v says every job runs on the tier asked for, nothing
# failed to load, and the lifespans are as exact as with tp_btf: both ends of
# every session across two namespaces, PIDs (the server's of a session that
# moves no bytes too: only the accept hook names it), ends, bytes, a refused
# connect.
. "$(dirname "$0")/../lib.sh"
need_root "hook tiers"

A=tsa$$ B=tsb$$
N=3
PORT=$((20000 + $$ % 20000))
if ! netns_pair $A $B; then
	fail "network namespaces"
	finish
fi
NS_A=$(ns_inode $A)
NS_B=$(ns_inode $B)
if [ ! -d /sys/kernel/tracing/events ]; then
	if mount -t tracefs nodev /sys/kernel/tracing; then
		on_exit "umount /sys/kernel/tracing"
	else
		fail "mount tracefs for the classic tracepoints"
	fi
fi

# plan ERRFILE TIER JOB...: -v printed these jobs on TIER (traffic: or its
# fallback where the kernel lacks the tracepoints), and only plan lines
plan() {
	errs=$1 want=$2
	shift 2
	for job; do
		# a kernel without the send/recv tracepoints (before 6.2) runs traffic
		# on the functions themselves, and says why
		grep -Eq "^tcpscope: $job +$want " "$errs" || { [ $job = traffic ] &&
			grep -Eq "^tcpscope: traffic +(fentry|kprobe) .*no tracepoint sock/sock_send_length" "$errs"; } || {
			note "$job: $(grep -E "^tcpscope: $job " "$errs")"
			return 1
		}
	done
	! grep -Ev '^tcpscope: [a-z]+ +[a-z_]+ ' "$errs" | grep -q . || {
		note "$(grep -Ev '^tcpscope: [a-z]+ +[a-z_]+ ' "$errs" | head -5)"
		return 1
	}
}

tier() {
	t=$1 port=$2
	# --with accept: the optional accept hook has its flavours too
	scope_start ev-$t --view events -s -v --hooks $t --with accept && evpid=$SCOPE_PID &&
		scope_start life-$t -s -v --hooks $t --with accept || {
		fail "$t: tcpscope starts"
		return
	}
	t0=$(now_ms)
	gen_server $A srv-$t -a "$NS_A_V4" -p $port -n $N -s 5001 -r 777 &&
		in_ns $B "$TCPGEN" client -a "$NS_A_V4" -p $port -n $N -s 777 -r 5001 \
			>"$WORK/cli-$t.txt"
	reap $GEN_PID 10
	# a quiet session: the server's PID from the accept hook (and from its close)
	gen_server $A srv0-$t -a "$NS_A_V4" -p $port -s 0 -r 0 &&
		in_ns $B "$TCPGEN" client -a "$NS_A_V4" -p $port -s 0 -r 0 >>"$WORK/cli-$t.txt"
	reap $GEN_PID 10
	in_ns $B "$TCPGEN" client -a "$NS_A_V4" -p $port >>"$WORK/cli-$t.txt"
	wall=$(($(now_ms) - t0))
	wait_rows 10 "$WORK/life-$t.out" "c[\"LPORT\"] == $port || c[\"RPORT\"] == $port" $((2 * N + 3))
	scope_stop $evpid
	ev_rc=$SCOPE_RC
	scope_stop
	{
		sed "s/\$/ netns=$NS_A/" "$WORK/srv-$t.txt" "$WORK/srv0-$t.txt"
		sed "s/laddr=0.0.0.0 /laddr=$NS_B_V4 /; s/\$/ netns=$NS_B/" "$WORK/cli-$t.txt"
	} >"$WORK/$t.truth"
	check "$t: -v says state, traffic and accept run on $t" \
		plan "$WORK/life-$t.err" $t state traffic accept
	check "$t: -v says the events view's retrans and drops run on $t too" \
		plan "$WORK/ev-$t.err" $t state traffic accept retrans drops
	check "$t: tcpgen made $N sessions, a quiet one and a refused connect" \
		same "$((N + 1)) 1" "$(grep -c '^conn side=client' "$WORK/$t.truth") $(grep -c '^fail' "$WORK/$t.truth")"
	check "$t: every session once per end, and the refused one: PIDs, ends, bytes, STATUS" \
		check_sessions "$WORK/$t.truth" "$WORK/life-$t.out" $port $wall
	check "$t: both exit 0 on ^C" same "0 0" "$ev_rc $SCOPE_RC"
}

tier raw_tp $PORT
tier tracepoint $((PORT + 1))
finish
