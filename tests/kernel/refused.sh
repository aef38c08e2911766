#!/bin/sh
# Failed connects across two network namespaces: a refused connect (no
# listener) is a row with STATUS refused, DIR connect, the client's PID and
# the local port it had (and an MS that may read 0.00: a SYN answered by a
# RST can take less than 5 us); a connect the client gives up on (its SYNs
# dropped) is STATUS failed. The IPv6 case stops tcpscope (^C) right after the last
# connect: what the kernel reported before the ^C must still be printed.
# With -t -T, TIME is the wall clock of each close and TIME(s) the time since
# tcpscope started.
. "$(dirname "$0")/../lib.sh"
need_root "failed connects in network namespaces"

A=tsa$$ B=tsb$$
N=3
PORT=$((20000 + $$ % 20000))
DEAF=$((PORT + 1)) # SYNs to this port are dropped in A
if ! netns_pair $A $B; then
	fail "network namespaces"
	finish
fi
NS_B=$(ns_inode $B)
# only this port, only in the server's namespace; gone with the namespace, or before
in_ns $A nft add table inet tcpscope_test$$ &&
	on_exit "ip netns exec $A nft delete table inet tcpscope_test$$" &&
	in_ns $A nft add chain inet tcpscope_test$$ in '{ type filter hook input priority 0; }' &&
	in_ns $A nft add rule inet tcpscope_test$$ in tcp dport $DEAF drop ||
	fail "nftables rule in the server's namespace"

# refused FAMILY SERVER_ADDR CLIENT_ADDR WILDCARD WAIT
refused() {
	fam=$1 out=$WORK/ref$1
	started=$(date +%s)
	scope_start ref$fam -s -t -T || {
		fail "IPv$fam: tcpscope starts"
		return
	}
	t0=$(now_ms)
	s0=$(date +%s)
	in_ns $B "$TCPGEN" client -a "$2" -p $PORT -n $N >"$out.txt"
	s1=$(date +%s)
	if [ "$5" = wait ]; then
		in_ns $B "$TCPGEN" client -a "$2" -p $DEAF -T 0.3 | sed 's/$/ status=failed/' >>"$out.txt"
		wait_rows 10 "$out.out" "c[\"RPORT\"] == $PORT || c[\"RPORT\"] == $DEAF" $((N + 1))
	fi
	wall=$(($(now_ms) - t0))
	scope_stop
	# after a failed connect the socket forgets its local address, not its port
	sed "s/laddr=$4 /laddr=$3 /; s/\$/ netns=$NS_B/" "$out.txt" >"$out.truth"
	check "IPv$fam: tcpgen saw $N refused connects" \
		same $N "$(grep -c '^fail .*err=ECONNREFUSED' "$out.truth")"
	if [ "$5" = wait ]; then
		check "IPv$fam: tcpgen gave up on a connect" \
			same 1 "$(grep -c '^fail .*status=failed' "$out.truth")"
		check "IPv$fam: a connect given up on: STATUS failed, DIR connect, PID, ports" \
			check_sessions "$out.truth" "$out.out" $DEAF "$wall"
		what="a row each"
	else
		what="printed although ^C came right after them"
	fi
	check "IPv$fam: refused connects, $what: STATUS refused, DIR connect, PID, LPORT" \
		check_sessions "$out.truth" "$out.out" $PORT "$wall"
	check "IPv$fam: -T: TIME is the wall clock (UTC) of the close; -t: TIME(s) since start" \
		clock_ok "$out.out" $PORT $s0 $s1 $(($(date +%s) - started + 1))
	check "IPv$fam: tcpscope exits 0 on ^C with nothing on stderr" scope_clean ref$fam
}

# clock_ok CSV PORT FROM TO MAX: the rows on PORT closed between the epoch
# seconds FROM and TO (TIME, HH:MM:SS), at most MAX seconds after start (TIME(s))
clock_ok() {
	ok=""
	for sec in $(seq "$3" "$4"); do
		ok="$ok $(date -u -d "@$sec" +%T)"
	done
	same 0 "$(csv_count "$1" "c[\"RPORT\"] == $2 && (index(\"$ok \", \" \" c[\"TIME\"] \" \") == 0 ||
		!(c[\"TIME(s)\"] > 0 && c[\"TIME(s)\"] < $5))")" &&
		[ "$(csv_count "$1" "c[\"RPORT\"] == $2")" -gt 0 ]
}

# stopped FAMILY SERVER_ADDR: ^C as soon as the client is done, five times:
# records the kernel wrote in the last few milliseconds (before the reader's
# next pass over the ring buffer) are printed every time
stopped() {
	all=0
	for round in 1 2 3 4 5; do
		scope_start stop$1 -s || break
		in_ns $B "$TCPGEN" client -a "$2" -p $PORT -n $N >/dev/null
		scope_stop
		got=$(csv_count "$WORK/stop$1.out" "c[\"RPORT\"] == $PORT && c[\"STATUS\"] == \"refused\"")
		[ "$got" = $N ] && all=$((all + 1)) || note "round $round: $got rows of $N"
	done
	check "IPv$1: ^C right after the last connect, 5 times: every refused connect printed" \
		same 5 $all
}

refused 4 "$NS_A_V4" "$NS_B_V4" 0.0.0.0 wait
refused 6 "$NS_A_V6" "$NS_B_V6" :: now
stopped 4 "$NS_A_V4"
stopped 6 "$NS_A_V6"
finish
