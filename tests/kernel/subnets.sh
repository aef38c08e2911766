#!/bin/sh
# Throughput by subnet (as tcpsubnet), in a network namespace (loopback, whose
# 127.0.0.0/8 is all local): clients of servers on 127.77.0.1, 127.78.0.1,
# 127.78.0.2 and ::1, with known byte counts. Each remote address counts in
# the first subnet that holds it; an address no subnet holds counts as
# "other"; and a recording of it all, replayed by subnet and by host pair,
# adds up to the same bytes in every interval and in total.
. "$(dirname "$0")/../lib.sh"
need_root "subnets in a network namespace"

NS=tsn$$
PORT=$((20000 + $$ % 20000))
LIST=127.77.0.0/16,127.78.0.1/32,127.0.0.0/8
if ! netns_lo $NS; then
	fail "network namespace"
	finish
fi

scope_start live --view throughput -s -i 0.5 --group subnet --subnets $LIST \
	--record "$WORK/rec.tcps" || {
	fail "tcpscope --group subnet starts"
	finish
}

# exchange N ADDR PORT UP DOWN [SERVER_OPTS]: N connections to a server on ADDR:PORT, each
# client sending UP bytes and receiving DOWN
exchange() {
	xn=$1 xa=$2 xp=$3 xup=$4 xdown=$5
	shift 5
	gen_server $NS srv$xp -a "$xa" -p "$xp" -n "$xn" -s "$xdown" -r "$xup" "$@" &&
		in_ns $NS "$TCPGEN" client -a "$xa" -p "$xp" -n "$xn" -s "$xup" -r "$xdown" \
			>"$WORK/cli$xp.txt"
	reap $GEN_PID 10
}
exchange 3 127.77.0.1 $PORT 1000 70000
exchange 2 127.78.0.1 $((PORT + 1)) 2000 50000
exchange 1 127.78.0.2 $((PORT + 2)) 3000 40000
# spread over several intervals: 10 chunks of 64 KiB, 150 ms apart
exchange 2 ::1 $((PORT + 3)) 4000 655360 --pace 150

# total NAME RADDR: the running totals of the row for RADDR in NAME's last interval
total() {
	csv "$WORK/$1.out" "c[\"RADDR\"] == \"$2\" { t = c[\"TX_TOT_BYTES\"] \" \" c[\"RX_TOT_BYTES\"] }
		END { print t }"
}
check "127.77.0.1's clients count in 127.77.0.0/16, not in 127.0.0.0/8 after it" \
	wait_rows 10 "$WORK/live.out" "c[\"RADDR\"] == \"127.77.0.0/16\" && c[\"TX_TOT_BYTES\"] == 3000 && c[\"RX_TOT_BYTES\"] == 210000" 1
check "127.78.0.1's in 127.78.0.1/32" same "4000 100000" "$(total live 127.78.0.1/32)"
# 127.78.0.2 and the servers' ends (their clients are 127.0.0.1) are 127.0.0.0/8's, with all the
# host's other loopback traffic; ::1 is no subnet's
check "::1's clients count in 'other'" wait_rows 10 "$WORK/live.out" \
	"c[\"RADDR\"] == \"other\" && c[\"TX_TOT_BYTES\"] >= 8000 && c[\"RX_TOT_BYTES\"] >= 1310720" 1
scope_stop
check "tcpscope --group subnet exits cleanly" scope_clean live

"$TCPSCOPE" -b --replay "$WORK/rec.tcps" --view throughput -s --group subnet --subnets $LIST \
	>"$WORK/subnet.out" 2>"$WORK/subnet.err"
"$TCPSCOPE" -b --replay "$WORK/rec.tcps" --view throughput -s --group hosts \
	>"$WORK/hosts.out" 2>"$WORK/hosts.err"
# sums FILE: per interval, the bytes of all rows (idle rows are not printed: they add 0)
sums() {
	csv "$1" '{ tx[c["TIME(s)"]] += c["TX_BYTES"]; rx[c["TIME(s)"]] += c["RX_BYTES"] }
		END { for (t in tx) printf "%s %.0f %.0f\n", t, tx[t], rx[t] }' | sort
}
sums "$WORK/subnet.out" >"$WORK/subnet.sums"
sums "$WORK/hosts.out" >"$WORK/hosts.sums"
check "the replay by subnet names the subnets and 'other'" sh -c \
	"grep -q ',127.77.0.0/16,' '$WORK/subnet.out' && grep -q ',other,' '$WORK/subnet.out'"
check "by subnet and by host pair: the same bytes in each of $(wc -l <"$WORK/hosts.sums") intervals" \
	cmp -s "$WORK/subnet.sums" "$WORK/hosts.sums"
diff "$WORK/hosts.sums" "$WORK/subnet.sums" | head -5 | sed 's/^/# /'
"$TCPSCOPE" -b --replay "$WORK/rec.tcps" --view throughput --group subnet --subnets $LIST \
	>"$WORK/text.out" 2>&1
check "batch text shows the subnet as RADDR" grep -q ' 127\.77\.0\.0/16 ' "$WORK/text.out"
finish
