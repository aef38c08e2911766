#!/bin/sh
# Sessions open before tcpscope started, across two network namespaces: a
# connection moves half its bytes, tcpscope starts, the connection moves the
# rest and closes. Both ends are rows with DIR before, the owner found through
# /proc, and TX/RX equal to all the bytes of the connection (the kernel's
# totals, not only what tcpscope saw), in both close orders. With -p the
# server's PID, only the server's end, found by its owner before start.
. "$(dirname "$0")/../lib.sh"
need_root "sessions open before start, in network namespaces"

A=tsa$$ B=tsb$$
PORT=$((20000 + $$ % 20000))
if ! netns_pair $A $B; then
	fail "network namespaces"
	finish
fi
NS_A=$(ns_inode $A)
NS_B=$(ns_inode $B)

# before FAMILY SERVER_ADDR PORT FIRST_CLOSER
before() {
	name=pre$1$4 port=$3
	rm -f "$WORK/$name.go"
	t0=$(now_ms)
	gen_server $A $name-srv -a "$2" -p $port -s 300007 -r 50021 --first-close $4 \
		--hold "$WORK/$name.go" || {
		fail "IPv$1, $4 closes first: tcpgen server"
		return
	}
	spid=$GEN_PID
	ip netns exec $B "$TCPGEN" client -a "$2" -p $port -s 50021 -r 300007 --first-close $4 \
		--hold "$WORK/$name.go" --ready "$WORK/$name.held" >"$WORK/$name-cli.txt" &
	cpid=$!
	on_exit "kill -KILL $cpid"
	if ! wait_for 10 test -e "$WORK/$name.held" || ! scope_start $name-p -s -p $spid ||
		! pfilter=$SCOPE_PID || ! scope_start $name -s; then
		fail "IPv$1, $4 closes first: the first half, then tcpscope starts"
		touch "$WORK/$name.go"
		return
	fi
	touch "$WORK/$name.go"
	reap $cpid 10
	reap $spid 10
	wall=$(($(now_ms) - t0))
	wait_rows 10 "$WORK/$name.out" "c[\"LPORT\"] == $port || c[\"RPORT\"] == $port" 2
	scope_stop
	prc=$SCOPE_RC
	scope_stop $pfilter
	{
		sed "s/\$/ netns=$NS_A dir=before/" "$WORK/$name-srv.txt"
		sed "s/\$/ netns=$NS_B dir=before/" "$WORK/$name-cli.txt"
	} >"$WORK/$name.truth"
	grep 'side=server' "$WORK/$name.truth" >"$WORK/$name.srv"
	check "IPv$1, $4 closes first: tcpgen finished the session at both ends" \
		same "conn conn" "$(grep -o '^conn' "$WORK/$name.truth" | sort | tr '\n' ' ' | sed 's/ $//')"
	check "IPv$1, $4 closes first: both ends: DIR before, PIDs from /proc, all the bytes" \
		check_sessions "$WORK/$name.truth" "$WORK/$name.out" $port $wall
	check "IPv$1, $4 closes first: with -p (the server's PID), only the server's end" \
		check_sessions "$WORK/$name.srv" "$WORK/$name-p.out" $port $wall
	check "IPv$1, $4 closes first: with -p, exit 0 on ^C, nothing on stderr" scope_clean $name-p
	SCOPE_RC=$prc
	check "IPv$1, $4 closes first: tcpscope exits 0 on ^C, nothing on stderr" scope_clean $name
}

before 4 "$NS_A_V4" $PORT server
before 4 "$NS_A_V4" $((PORT + 1)) client
before 6 "$NS_A_V6" $((PORT + 2)) server
before 6 "$NS_A_V6" $((PORT + 3)) client
finish
