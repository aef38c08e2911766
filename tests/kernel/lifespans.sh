#!/bin/sh
# Lifespans across two network namespaces, IPv4 and IPv6: every session of
# known size appears once for each end, owned by the process at that end (the
# server's own PID on the accepting side, which tcplife gets wrong), with the
# right ends, exact bytes, a duration inside the test's, the direction, the
# status and the namespace. Both ways of closing (server first, client first)
# are covered, since the byte counts take out each end's FIN differently, and
# sessions that move no bytes, whose server end only accept() can name.
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

# lifespans FAMILY SERVER_ADDR: a server in A, a client in B, N sessions per way
# of closing and N that move no bytes
lifespans() {
	fam=$1 addr=$2 out=$WORK/life$fam
	if ! scope_start life$fam -s; then
		fail "IPv$fam: tcpscope starts"
		return
	fi
	: >"$out.truth"
	t0=$(now_ms)
	# quiet: no bytes at all, so the server's PID can only come from accept()
	for run in "server 70001 1234" "client 70001 1234" "server 0 0"; do
		set -- $run
		gen_server $A srv$fam$1$2 -a "$addr" -p $PORT -n $N -s $2 -r $3 \
			--first-close $1 || break
		in_ns $B "$TCPGEN" client -a "$addr" -p $PORT -n $N -s $3 -r $2 \
			--first-close $1 >"$WORK/cli$fam$1$2.txt"
		reap $GEN_PID 10
		sed "s/\$/ netns=$NS_A/" "$WORK/srv$fam$1$2.txt" >>"$out.truth"
		sed "s/\$/ netns=$NS_B/" "$WORK/cli$fam$1$2.txt" >>"$out.truth"
	done
	wall=$(($(now_ms) - t0))
	wait_rows 10 "$out.out" "c[\"LPORT\"] == $PORT || c[\"RPORT\"] == $PORT" $((6 * N))
	scope_stop
	check "IPv$fam: tcpgen made $N sessions per way of closing, and $N quiet ones" \
		same "$((3 * N)) $((3 * N))" \
		"$(grep -c '^conn side=server' "$out.truth") $(grep -c '^conn side=client' "$out.truth")"
	check "IPv$fam: every session once per end: PIDs, ends, bytes, MS, DIR, STATUS, NETNS" \
		check_sessions "$out.truth" "$out.out" $PORT "$wall"
	check "IPv$fam: tcpscope exits 0 on ^C with nothing on stderr" scope_clean life$fam
}

lifespans 4 "$NS_A_V4"
lifespans 6 "$NS_A_V6"

# A dual-stack server (on ::) takes IPv4 clients as IPv4-mapped IPv6
# addresses: their sessions are IPv4, with plain IPv4 addresses, at both ends.
if ! scope_start dual -s; then
	fail "dual-stack: tcpscope starts"
	finish
fi
t0=$(now_ms)
gen_server $A dual-srv -a :: -p $PORT -n $N -s 2001 -r 99 &&
	in_ns $B "$TCPGEN" client -a "$NS_A_V4" -p $PORT -n $N -s 99 -r 2001 >"$WORK/dual-cli.txt"
reap $GEN_PID 10
wall=$(($(now_ms) - t0))
wait_rows 10 "$WORK/dual.out" "c[\"LPORT\"] == $PORT || c[\"RPORT\"] == $PORT" $((2 * N))
scope_stop
{
	sed "s/=::ffff:/=/g; s/\$/ netns=$NS_A/" "$WORK/dual-srv.txt"
	sed "s/\$/ netns=$NS_B/" "$WORK/dual-cli.txt"
} >"$WORK/dual.truth"
check "dual-stack: tcpgen's server saw $N IPv4-mapped clients" \
	same $N "$(grep -c '^conn side=server .*raddr=::ffff:' "$WORK/dual-srv.txt")"
check "dual-stack: every session once per end, IPv4 at both ends: PIDs, ends, bytes" \
	check_sessions "$WORK/dual.truth" "$WORK/dual.out" $PORT "$wall"
check "dual-stack: tcpscope exits 0 on ^C with nothing on stderr" scope_clean dual
finish
