#!/bin/sh
# The kernel-side filters, five tcpscope at once over the same traffic across
# two network namespaces (IPv4 to two ports, IPv6 to a third): -p PID, -L
# PORTS, -D PORTS, -4 and -6 each show only the sessions that match, every
# row of the output, and all of those, exact.
. "$(dirname "$0")/../lib.sh"
need_root "filters in network namespaces"

A=tsa$$ B=tsb$$
N=3
P1=$((20000 + $$ % 20000)) P2=$((20000 + $$ % 20000 + 1)) P3=$((20000 + $$ % 20000 + 2))
if ! netns_pair $A $B; then
	fail "network namespaces"
	finish
fi
NS_A=$(ns_inode $A)
NS_B=$(ns_inode $B)

gen_server $A s1 -a "$NS_A_V4" -p $P1 -n $N -s 4001 -r 301 && S1=$GEN_PID &&
	gen_server $A s2 -a "$NS_A_V4" -p $P2 -n $N -s 4002 -r 302 && S2=$GEN_PID &&
	gen_server $A s3 -a "$NS_A_V6" -p $P3 -n $N -s 4003 -r 303 && S3=$GEN_PID || {
	fail "tcpgen servers"
	finish
}
pids=""
# (61000-61100: above the ephemeral range, so no client of P2 can have a port there)
for f in "pid -p $S1" "lport -L $P1" "rport -D $P2,61000-61100" "v4 -4" "v6 -6"; do
	# shellcheck disable=SC2086 # the flags are words
	scope_start ${f%% *} -s ${f#* } || fail "tcpscope -s ${f#* } starts"
	pids="$pids $SCOPE_PID"
done
t0=$(now_ms)
in_ns $B "$TCPGEN" client -a "$NS_A_V4" -p $P1 -n $N -s 301 -r 4001 >"$WORK/c1.txt"
in_ns $B "$TCPGEN" client -a "$NS_A_V4" -p $P2 -n $N -s 302 -r 4002 >"$WORK/c2.txt"
in_ns $B "$TCPGEN" client -a "$NS_A_V6" -p $P3 -n $N -s 303 -r 4003 >"$WORK/c3.txt"
for p in $S1 $S2 $S3; do
	reap $p 10
done
wall=$(($(now_ms) - t0))
wait_rows 10 "$WORK/v6.out" "c[\"LPORT\"] == $P3" $N
wait_rows 10 "$WORK/v4.out" "c[\"LPORT\"] == $P2" $N
rcs=""
for p in $pids; do
	scope_stop $p
	rcs="$rcs $SCOPE_RC"
done
for i in 1 2 3; do
	sed "s/\$/ netns=$NS_A/" "$WORK/s$i.txt" >"$WORK/s$i.truth"
	sed "s/\$/ netns=$NS_B/" "$WORK/c$i.txt" >"$WORK/c$i.truth"
done
cat "$WORK/s1.truth" "$WORK/c1.truth" "$WORK/s2.truth" "$WORK/c2.truth" >"$WORK/v4.truth"
cat "$WORK/s3.truth" "$WORK/c3.truth" >"$WORK/v6.truth"
check "tcpgen made $N sessions to each port" \
	same "$N $N $N" "$(for i in 1 2 3; do grep -c '^conn side=client' "$WORK/c$i.truth"; done | tr '\n' ' ' | sed 's/ $//')"

# only NAME CONDITION: every row of that tcpscope's output meets the condition
only() {
	others=$(csv_count "$WORK/$1.out" "!($2)")
	[ "$others" = 0 ] && [ "$(wc -l <"$WORK/$1.out")" -gt 1 ] && return 0
	note "$1: $others rows that do not match, of $(($(wc -l <"$WORK/$1.out") - 1))"
	return 1
}

check "-p $S1: only that process's sockets" only pid "c[\"PID\"] == $S1"
check "-p $S1: all of them" check_sessions "$WORK/s1.truth" "$WORK/pid.out" $P1 $wall
check "-L $P1: only local port $P1" only lport "c[\"LPORT\"] == $P1"
check "-L $P1: all of them" check_sessions "$WORK/s1.truth" "$WORK/lport.out" $P1 $wall
check "-D $P2,61000-61100: only those remote ports" only rport \
	"c[\"RPORT\"] == $P2 || c[\"RPORT\"] >= 61000 && c[\"RPORT\"] <= 61100"
check "-D $P2,...: all of them" check_sessions "$WORK/c2.truth" "$WORK/rport.out" $P2 $wall
check "-4: only IPv4" only v4 'c["IP"] == 4'
check "-4: all of them (port $P1)" check_sessions "$WORK/v4.truth" "$WORK/v4.out" $P1 $wall
check "-4: all of them (port $P2)" check_sessions "$WORK/v4.truth" "$WORK/v4.out" $P2 $wall
check "-6: only IPv6" only v6 'c["IP"] == 6'
check "-6: all of them" check_sessions "$WORK/v6.truth" "$WORK/v6.out" $P3 $wall
check "all five exit 0 on ^C" same " 0 0 0 0 0" "$rcs"
for f in pid lport rport v4 v6; do
	check "$f: nothing on stderr" same "" "$(cat "$WORK/$f.err")"
done
finish
