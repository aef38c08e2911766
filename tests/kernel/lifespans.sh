#!/bin/sh
# Lifespans across two network namespaces, IPv4 and IPv6: every session of
# known size appears once for each end, owned by the process at that end (the
# server's own PID on the accepting side, which tcplife gets wrong), with the
# right ends, exact bytes, a duration inside the test's, the direction, the
# status and the namespace. Both ways of closing (server first, client first)
# are covered, since the byte counts take out each end's FIN differently.
. "$(dirname "$0")/../lib.sh"
need_root "lifespans in network namespaces"

A=tsa$$ B=tsb$$
N=4
PORT=$((20000 + $$ % 20000))
if ! netns_pair $A $B; then
	fail "network namespaces"
	finish
fi
NS_A=$(ns_inode $A)
NS_B=$(ns_inode $B)

# lifespans FAMILY SERVER_ADDR: a server in A, a client in B, N sessions per way of closing
lifespans() {
	fam=$1 addr=$2 out=$WORK/life$fam
	if ! scope_start life$fam -s; then
		fail "IPv$fam: tcpscope starts"
		return
	fi
	: >"$out.truth"
	t0=$(now_ms)
	for first in server client; do
		gen_server $A srv$fam$first -a "$addr" -p $PORT -n $N -s 70001 -r 1234 \
			--first-close $first || break
		in_ns $B "$TCPGEN" client -a "$addr" -p $PORT -n $N -s 1234 -r 70001 \
			--first-close $first >"$WORK/cli$fam$first.txt"
		reap $GEN_PID 10
		sed "s/\$/ netns=$NS_A/" "$WORK/srv$fam$first.txt" >>"$out.truth"
		sed "s/\$/ netns=$NS_B/" "$WORK/cli$fam$first.txt" >>"$out.truth"
	done
	wall=$(($(now_ms) - t0))
	wait_rows 10 "$out.out" "c[\"LPORT\"] == $PORT || c[\"RPORT\"] == $PORT" $((4 * N))
	scope_stop
	check "IPv$fam: tcpgen made $N sessions per way of closing" same "$((2 * N)) $((2 * N))" \
		"$(grep -c '^conn side=server' "$out.truth") $(grep -c '^conn side=client' "$out.truth")"
	check "IPv$fam: every session once per end: PIDs, ends, bytes, MS, DIR, STATUS, NETNS" \
		check_sessions "$out.truth" "$out.out" $PORT "$wall"
	check "IPv$fam: tcpscope exits 0 on ^C with nothing on stderr" scope_clean life$fam
}

lifespans 4 "$NS_A_V4"
lifespans 6 "$NS_A_V6"
finish
