#!/bin/sh
# Why a connection is slow, in the events view (CSV), across two network
# namespaces, over IPv4 and then IPv6:
# - congestion: an nftables rule in the server's namespace drops 5% of what
#   reaches the test port while the client sends 8 MB: the client's socket
#   enters Recovery or Loss (RECOVERY, LOSS rows with its ends, PID,
#   namespace, in ESTABLISHED, REASON "from" the state it left, never the one
#   it enters) and comes back (OPEN); every congestion row of the port is the
#   client's or the server's, with the right owner;
# - a full receive queue: a server that does not read (tcpgen --stall-read)
#   while the client sends 3 MB: its socket's queue fills (RCVQ_FULL, the
#   server's ends and namespace, "queued, rcvbuf" in REASON) and the client
#   sees the zero window (PEER_FULL, its ends and PID); once the server reads,
#   every byte arrives.
. "$(dirname "$0")/../lib.sh"
need_root "congestion states and full queues in network namespaces"

A=tsa$$ B=tsb$$ TABLE=tcpscope_test$$
PORT=$((20000 + $$ % 20000)) STALL=$((20000 + $$ % 20000 + 1))
if ! netns_pair $A $B; then
	fail "network namespaces"
	finish
fi
NS_A=$(ns_inode $A)
NS_B=$(ns_inode $B)
# only this port, only in the server's namespace; gone with the namespace, or before
if ! { in_ns $A nft add table inet $TABLE &&
	on_exit "ip netns exec $A nft delete table inet $TABLE" &&
	in_ns $A nft add chain inet $TABLE in '{ type filter hook input priority 0; }' &&
	in_ns $A nft add rule inet $TABLE in tcp dport $PORT numgen random mod 20 0 drop; }; then
	fail "an nftables rule that drops 5% to port $PORT in $A"
	finish
fi

scope_start ev --view events -s || {
	fail "tcpscope --view events starts"
	finish
}
# family IP SERVER_ADDR CLIENT_ADDR: congestion, then a full queue; the tcpgen lines in $WORK/*$IP.txt
family() {
	ip=$1 sa=$2 ca=$3
	gen_server $A srv$ip -a "$sa" -p $PORT -s 1000 -r 8000000 &&
		in_ns $B "$TCPGEN" client -a "$sa" -p $PORT -s 8000000 -r 1000 >"$WORK/cli$ip.txt"
	reap $GEN_PID 30
	# a full receive queue: the server reads nothing until $WORK/go$ip exists
	gen_server $A stall$ip -a "$sa" -p $STALL -s 10 -r 3000000 --stall-read "$WORK/go$ip" -T 30 ||
		fail "IPv$ip: a tcpgen server that does not read starts"
	stallpid=$GEN_PID
	ip netns exec $B "$TCPGEN" client -a "$sa" -p $STALL -s 3000000 -r 10 -T 30 >"$WORK/stallcli$ip.txt" &
	clipid=$!
	on_exit "kill -KILL $clipid"
	check "IPv$ip: a server that does not read: RCVQ_FULL, while it stalls" \
		wait_rows 20 "$ev" "c[\"TYPE\"] == \"RCVQ_FULL\" && c[\"LPORT\"] == $STALL && c[\"LADDR\"] == \"$sa\"" 1
	touch "$WORK/go$ip"
	reap $clipid 30
	reap "${stallpid:-0}" 10
	check "IPv$ip: once it reads, all 3 MB arrive" grep -q '^conn side=client .* tx=3000000 rx=10 ' "$WORK/stallcli$ip.txt"
	wait_rows 10 "$ev" "c[\"TYPE\"] == \"PEER_FULL\" && c[\"RPORT\"] == $STALL && c[\"RADDR\"] == \"$sa\"" 1
}

# verify IP SERVER_ADDR CLIENT_ADDR: what the events view said of that family's connections
verify() {
	ip=$1 sa=$2 ca=$3
	spid=$(sed -n 's/^conn side=server pid=\([0-9]*\) .*/\1/p' "$WORK/srv$ip.txt")
	cpid=$(sed -n 's/^conn side=client pid=\([0-9]*\) .*/\1/p' "$WORK/cli$ip.txt")
	cport=$(sed -n 's/^conn side=client .* lport=\([0-9]*\) .*/\1/p' "$WORK/cli$ip.txt")
	check "IPv$ip: tcpgen moved 8 MB through 5% loss" [ -n "$spid" ] && [ -n "$cpid" ] && [ -n "$cport" ]
	client="c[\"LADDR\"] == \"$ca\" && c[\"LPORT\"] == \"$cport\" && c[\"RADDR\"] == \"$sa\" && c[\"RPORT\"] == $PORT"
	server="c[\"LADDR\"] == \"$sa\" && c[\"LPORT\"] == $PORT && c[\"RADDR\"] == \"$ca\" && c[\"RPORT\"] == \"$cport\""
	fam="(c[\"LADDR\"] == \"$sa\" || c[\"LADDR\"] == \"$ca\")"
	note "IPv$ip: congestion rows of the port: $(csv "$ev" "$cong && $fam && (c[\"LPORT\"] == $PORT || c[\"RPORT\"] == $PORT) { n[c[\"TYPE\"]]++ } END { for (k in n) printf \"%s %d \", k, n[k] }")"
	mine="$client && c[\"PID\"] == \"$cpid\" && c[\"NETNS\"] == $NS_B && c[\"STATE\"] == \"ESTABLISHED\""
	check "IPv$ip: the client's socket enters Recovery or Loss: its ends, PID, NETNS, ESTABLISHED" \
		_rows_at_least "$ev" "c[\"TYPE\"] ~ /^(RECOVERY|LOSS)\$/ && $mine" 1
	check "IPv$ip: ... and comes back: OPEN, from Recovery or Loss" \
		_rows_at_least "$ev" "c[\"TYPE\"] == \"OPEN\" && c[\"REASON\"] ~ /^from (Recovery|Loss|CWR)\$/ && $mine" 1
	# (in any state: a FIN lost at the end is a Loss in FIN_WAIT1 or LAST_ACK)
	ours="$client && c[\"PID\"] == \"$cpid\" && c[\"NETNS\"] == $NS_B"
	theirs="$server && c[\"PID\"] == \"$spid\" && c[\"NETNS\"] == $NS_A"
	other="$cong && $fam && (c[\"LPORT\"] == $PORT || c[\"RPORT\"] == $PORT) && !(($ours) || ($theirs))"
	csv "$ev" "$other { print \"# not the client's or the server's: \" \$0 }"
	check "IPv$ip: every congestion row of the port is the client's or the server's, right owner" \
		same 0 "$(csv_count "$ev" "$other")"
	check "IPv$ip: every congestion row says the state it left, never the one it enters" \
		same 0 "$(csv_count "$ev" "$cong && $fam && (c[\"LPORT\"] == $PORT || c[\"RPORT\"] == $PORT) &&
			(c[\"REASON\"] !~ /^from (Open|Disorder|CWR|Recovery|Loss)\$/ || toupper(substr(c[\"REASON\"], 6)) == c[\"TYPE\"])")"

	scport=$(sed -n 's/^conn side=client .* lport=\([0-9]*\) .*/\1/p' "$WORK/stallcli$ip.txt")
	scpid=$(sed -n 's/^conn side=client pid=\([0-9]*\) .*/\1/p' "$WORK/stallcli$ip.txt")
	# (REASON holds a comma, quoted: NETNS is then the last field)
	check "IPv$ip: RCVQ_FULL: the server's ends and NETNS, ESTABLISHED, what was queued and the buffer" \
		_rows_at_least "$ev" "c[\"TYPE\"] == \"RCVQ_FULL\" && c[\"LADDR\"] == \"$sa\" && c[\"LPORT\"] == $STALL &&
			c[\"RADDR\"] == \"$ca\" && c[\"RPORT\"] == \"$scport\" && \$NF == $NS_A &&
			c[\"STATE\"] == \"ESTABLISHED\" && \$0 ~ /,\"[0-9.]+[KM]? queued, rcvbuf [0-9.]+[KM]?\",/" 1
	check "IPv$ip: PEER_FULL: the client's ends, PID and NETNS" \
		_rows_at_least "$ev" "c[\"TYPE\"] == \"PEER_FULL\" && c[\"LADDR\"] == \"$ca\" && c[\"LPORT\"] == \"$scport\" &&
			c[\"RADDR\"] == \"$sa\" && c[\"RPORT\"] == $STALL && c[\"NETNS\"] == $NS_B && c[\"PID\"] == \"$scpid\"" 1
}

ev=$WORK/ev.out
cong='c["TYPE"] ~ /^(CWR|RECOVERY|LOSS|OPEN|DISORDER)$/'
family 4 "$NS_A_V4" "$NS_B_V4"
family 6 "$NS_A_V6" "$NS_B_V6"
scope_stop
check "tcpscope --view events exits 0 on ^C, nothing on stderr" scope_clean ev
verify 4 "$NS_A_V4" "$NS_B_V4"
verify 6 "$NS_A_V6" "$NS_B_V6"
finish
