#!/bin/sh
# Listeners, in a network namespace of its own (loopback): a server that
# listens with a backlog of 2 and never accepts, connected to by 50 clients
# (its queue at its most, as ss says, and its overflows, as nstat counts
# them); one that accepts a known number (ACCEPTS exact, and the backlog
# distribution has every handshake); listen() and close as they happen,
# with the backlog, in the table and in the state log; connects to a port
# nobody listens on (refused, a row for the port); handshakes whose last ACK
# is dropped (the SYN queue, SYN-ACK retransmits).
. "$(dirname "$0")/../lib.sh"
need_root "listeners in a network namespace"

NS=tsl$$
BL=$TOOLS/backlog
P1=$((20000 + $$ % 20000)) # backlog 2, never accepts
P2=$((P1 + 1))		   # accepts a known number
P3=$((P1 + 2))		   # listens a moment, then closes
P4=$((P1 + 3))		   # nobody listens
P5=$((P1 + 4))		   # last ACKs dropped for a while
ACCEPTS=20
if ! netns_lo $NS; then
	fail "network namespace"
	finish
fi

# the namespace's count of a kernel counter (nstat: since the namespace began)
kcount() { in_ns $NS nstat -az "$1" | awk -v k="$1" '$1 == k { print $2 + 0 }'; }
# col NAME PORT COLUMN: the value of COLUMN in the latest table's row of 127.0.0.1:PORT
col() {
	csv "$WORK/$1.out" "c[\"LPORT\"] == $2 && c[\"LADDR\"] == \"127.0.0.1\" { v = c[\"$3\"] }
		END { print v }"
}
# most NAME PORT COLUMN: the largest COLUMN of 127.0.0.1:PORT's rows
most() {
	csv "$WORK/$1.out" "c[\"LPORT\"] == $2 && c[\"LADDR\"] == \"127.0.0.1\" && c[\"$3\"] > m {
		m = c[\"$3\"] } END { print m + 0 }"
}
# hist_has PORT N: the latest backlog distribution of PORT counts N handshakes
hist_has() {
	[ "$(csv "$WORK/h.out" "c[\"LPORT\"] == $1 {
		if (c[\"TIME(s)\"] != t) { n = 0; t = c[\"TIME(s)\"] }
		n += c[\"COUNT\"] } END { print n + 0 }")" = "$2" ]
}
# serve NAME PORT ARGS...: a backlog server in NS, in the background; SRV: its pid
serve() {
	svn=$1 svp=$2
	shift 2
	rm -f "$WORK/$svn.ready"
	ip netns exec $NS "$BL" serve -a 127.0.0.1 -p "$svp" --ready "$WORK/$svn.ready" "$@" \
		>"$WORK/$svn.txt" 2>&1 &
	SRV=$!
	on_exit "kill -KILL $SRV"
	wait_for 10 test -s "$WORK/$svn.ready"
}

PORTS=$P1,$P2,$P3,$P4,$P5
scope_start l --view listeners -s -i 0.5 -L $PORTS || {
	fail "tcpscope --view listeners starts"
	finish
}
LPID=$SCOPE_PID
scope_start h --view listeners --hist -s -i 0.5 -L $P2 && HPID=$SCOPE_PID || fail "--hist starts"
scope_start st --view states -s -L $P3 || fail "--view states starts"

# -- backlog 2, 50 clients, never accepted
drops0=$(kcount TcpExtListenDrops)
serve s1 $P1 -b 2 --until "$WORK/s1.stop" -T 60 || fail "the backlog-2 server listens"
S1=$SRV
in_ns $NS "$BL" connect -a 127.0.0.1 -p $P1 -n 50 -T 3 >"$WORK/c1.txt"
note "$(cat "$WORK/c1.txt")"
# ss: Recv-Q is the queue, Send-Q the backlog. The queue is full at one more
# than the backlog; handshakes that complete at once on two CPUs may each
# find room (5.10 in QEMU queued 4), so the kernel's own count is the truth.
ssq=$(in_ns $NS ss -Hltn "sport = :$P1" | awk '{ print $2 " " $3 }')
Q=${ssq%% *}
note "ss: Recv-Q Send-Q: $ssq"
check "ss says the queue is full: 3 or more waiting ($Q), backlog 2" \
	sh -c '[ "${1#* }" = 2 ] && [ "${1%% *}" -ge 3 ]' _ "$ssq"
check "the queue at its most: QUEUE $Q, as ss says, BACKLOG 2" \
	wait_rows 10 "$WORK/l.out" "c[\"LPORT\"] == $P1 && c[\"QUEUE\"] == ${Q:-3} && c[\"BACKLOG\"] == 2" 1
drops=$(($(kcount TcpExtListenDrops) - drops0))
note "nstat: $drops listen drops, $(kcount TcpExtListenOverflows) overflows in the namespace"
check "overflows counted: OVERFLOWS is the namespace's ListenDrops ($drops)" \
	wait_rows 10 "$WORK/l.out" "c[\"LPORT\"] == $P1 && c[\"OVERFLOWS\"] == $drops && $drops > 0" 1
check "QMAX is the longest the queue was: $Q" same "${Q:-3}" "$(most l $P1 QMAX)"
check "owned by the server: PID, COMM, state LISTEN" same "$S1 backlog LISTEN" \
	"$(col l $P1 PID) $(col l $P1 COMM) $(col l $P1 STATE)"
ack=$(col l $P1 ACK_OVF)
check "ACK_OVF, where the kernel names the reason, is among the overflows (${ack:-unnamed})" \
	test "${ack:-0}" -le "$drops"
check "nothing accepted" same 0 "$(col l $P1 ACCEPTS)"

# -- a known number accepted
serve s2 $P2 -b 128 -n $ACCEPTS --until "$WORK/s2.stop" -T 60 || fail "the accepting server listens"
in_ns $NS "$BL" connect -a 127.0.0.1 -p $P2 -n $ACCEPTS -T 10 >"$WORK/c2.txt"
check "the server accepted $ACCEPTS" wait_for 10 sh -c "grep -q accepted=$ACCEPTS \"$WORK/s2.txt\" ||
	{ touch \"$WORK/s2.stop\"; sleep 0.3; grep -q accepted=$ACCEPTS \"$WORK/s2.txt\"; }"
check "ACCEPTS is exact: $ACCEPTS, and none waiting" \
	wait_rows 10 "$WORK/l.out" "c[\"LPORT\"] == $P2 && c[\"ACCEPTS\"] == $ACCEPTS && c[\"QUEUE\"] == 0" 1
check "the backlog distribution has every handshake" wait_for 10 hist_has $P2 $ACCEPTS
check "... against its backlog" same 128 "$(col h $P2 BACKLOG)"

# -- listen() and close as they happen, with the backlog
serve s3 $P3 -b 77 -T 0.3 || fail "the short listener listens"
S3=$SRV
reap $S3 10
check "a listener that came and went in an interval: BACKLOG 77, CLOSED" \
	wait_rows 10 "$WORK/l.out" "c[\"LPORT\"] == $P3 && c[\"BACKLOG\"] == 77 && c[\"STATE\"] == \"CLOSED\" && c[\"PID\"] == $S3" 1
check "the state log has its listen() and its close" \
	wait_rows 10 "$WORK/st.out" "c[\"LPORT\"] == $P3 && c[\"PID\"] == $S3 && ((c[\"OLDSTATE\"] == \"CLOSE\" && c[\"NEWSTATE\"] == \"LISTEN\") || (c[\"OLDSTATE\"] == \"LISTEN\" && c[\"NEWSTATE\"] == \"CLOSE\"))" 2

# -- nobody listens
in_ns $NS "$BL" connect -a 127.0.0.1 -p $P4 -n 5 -T 5 >"$WORK/c4.txt"
check "the clients were refused 5 times" grep -q refused=5 "$WORK/c4.txt"
check "connects refused: a row for the port, REFUSED 5, nobody listening" \
	wait_rows 10 "$WORK/l.out" "c[\"LPORT\"] == $P4 && c[\"REFUSED\"] == 5 && c[\"STATE\"] == \"\"" 1

# -- last ACKs dropped: the handshakes wait in the SYN queue, SYN-ACKs go again
T=tcpscope_l$$
if in_ns $NS nft add table inet $T &&
	in_ns $NS nft add chain inet $T in '{ type filter hook input priority 0; }' &&
	in_ns $NS nft add rule inet $T in tcp dport $P5 'tcp flags & (syn | ack) == ack' drop; then
	serve s5 $P5 -b 16 --until "$WORK/s5.stop" -T 60 || fail "the fifth server listens"
	in_ns $NS "$BL" connect -a 127.0.0.1 -p $P5 -n 2 -T 10 --until "$WORK/c5.stop" \
		>"$WORK/c5.txt" &
	C5=$!
	on_exit "kill -KILL $C5"
	check "handshakes wait for their last ACK: SYNQ 2" \
		wait_rows 10 "$WORK/l.out" "c[\"LPORT\"] == $P5 && c[\"SYNQ\"] == 2" 1
	check "SYN-ACKs retransmitted: SYNACK_RT 2 or more" \
		wait_rows 10 "$WORK/l.out" "c[\"LPORT\"] == $P5 && c[\"SYNACK_RT\"] >= 2" 1
	in_ns $NS nft delete table inet $T
	check "with the ACKs let through, both join the queue" \
		wait_rows 15 "$WORK/l.out" "c[\"LPORT\"] == $P5 && c[\"QUEUE\"] == 2 && c[\"SYNQ\"] == 0" 1
	touch "$WORK/c5.stop"
else
	fail "nftables rule in the namespace"
fi

touch "$WORK/s1.stop" "$WORK/s2.stop" "$WORK/s5.stop"
check "a listener's close: CLOSED, its queue thrown away, nothing accepted" \
	wait_rows 10 "$WORK/l.out" "c[\"LPORT\"] == $P1 && c[\"STATE\"] == \"CLOSED\" && c[\"ACCEPTS\"] == 0" 1
scope_stop $LPID
check "tcpscope --view listeners exits cleanly" scope_clean l
scope_stop $HPID
scope_stop
finish
