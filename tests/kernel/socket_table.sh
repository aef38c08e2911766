#!/bin/sh
# The kernel's socket table has two parts: direct-mapped slots (a quarter of
# --max-sockets) and a hash map for the sockets whose slot is taken. With
# --max-sockets 1024 there are 256 slots, so 300 held connections (600
# sockets) fill slots and spill into the hash map. User space reads both each
# interval: every open socket's bytes must show in the throughput view while
# it is still open, nothing may be counted lost (a socket missing from both
# reads would be taken for closed), and at close every end's lifespan is
# there with its exact bytes.
. "$(dirname "$0")/../lib.sh"
need_root "the socket table under many open sockets"

PORT=$((22000 + $$ % 1000)) # below the ephemeral range: no outgoing connection holds it
N=300 B=1000

# ends FILE COND: distinct sockets (both ends) of the rows where COND holds
ends() { csv "$1" "$2 { s[c[\"LADDR\"] \" \" c[\"RADDR\"]] = 1 } END { n = 0; for (k in s) n++; print n }"; }
_ends_at_least() { [ "$(ends "$1" "$2")" -ge "$3" ]; }

if ! scope_start tput --view throughput -s -i 0.2 --group socket --max-sockets 1024 \
	--filter "port $PORT"; then
	fail "tcpscope starts"
	finish
fi
TPUT=$SCOPE_PID
scope_start life --view lifespans -s --max-sockets 1024 --filter "port $PORT" ||
	fail "tcpscope (lifespans) starts"
LIFE=$SCOPE_PID
$TOOLS/manyconns $PORT $N "$WORK/held" $B &
MC=$!
on_exit "kill $MC 2>/dev/null"
wait_for 20 test -e "$WORK/held"
client="c[\"RADDR\"] ~ /:$PORT\$/" server="c[\"LADDR\"] ~ /:$PORT\$/"
check "held open: each of the $N clients' $B bytes sent shows" \
	wait_for 10 _ends_at_least "$WORK/tput.out" "$client && c[\"TX_TOT_BYTES\"] == $B" $N
check "held open: each of the $N servers' $B bytes received shows" \
	wait_for 10 _ends_at_least "$WORK/tput.out" "$server && c[\"RX_TOT_BYTES\"] == $B" $N
check "held open: still there a second later (no socket missed in a read)" \
	test -e "$WORK/held"
sleep 1 # five more intervals: a socket missing from two reads in a row counts as lost
rm -f "$WORK/held"
wait $MC
check "all $((2 * N)) ends' lifespans at close, bytes exact" \
	wait_rows 10 "$WORK/life.out" "c[\"LPORT\"] == $PORT && c[\"TX_BYTES\"] == 0 && c[\"RX_BYTES\"] == $B || c[\"RPORT\"] == $PORT && c[\"TX_BYTES\"] == $B && c[\"RX_BYTES\"] == 0" $((2 * N))
check "no other rows on the port" \
	same $((2 * N)) "$(csv_count "$WORK/life.out" "c[\"LPORT\"] == $PORT || c[\"RPORT\"] == $PORT")"
scope_stop $TPUT
check "throughput: exit 0, nothing lost or said on stderr" scope_clean tput
scope_stop $LIFE
check "lifespans: exit 0, nothing lost or said on stderr" scope_clean life
finish
