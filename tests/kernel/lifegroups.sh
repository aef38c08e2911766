#!/bin/sh
# Lifespans summed up (--group): tcpgen makes 30 and 70 connections to two
# ports between two namespaces, and 5 connects to a closed port are refused.
# The last per-interval table of `tcpscope -b --group port -s` has, for each
# port, as many SESSIONS as tcpgen made (both ends), their exact bytes, no
# failure, and a duration median; the closed port 5 refused. Grouped by
# process+port+host, each end's process has its own row with its count.
. "$(dirname "$0")/../lib.sh"
need_root "lifespans grouped"

netns_pair "tsla$$" "tslb$$" || { fail "namespaces"; finish; }
A=tsla$$ B=tslb$$
CLOSED=9
# two at once: each one's pid kept, scope_stop stops the one named
scope_start port --group port -s -i 0.5 || { fail "tcpscope --group port starts"; finish; }
PORT_PID=$SCOPE_PID
scope_start pph --group process+port+host -s -i 0.5 || { fail "tcpscope --group process+port+host starts"; finish; }
PPH_PID=$SCOPE_PID
gen_server "$B" srv1 -a "$NS_B_V4" -p 0 -n 30 -s 500 -r 50 || { fail "server 1"; finish; }
P1=$GEN_PORT S1=$GEN_PID
gen_server "$B" srv2 -a "$NS_B_V4" -p 0 -n 70 -s 2000 -r 20 || { fail "server 2"; finish; }
P2=$GEN_PORT S2=$GEN_PID
in_ns "$A" "$TCPGEN" client -a "$NS_B_V4" -p "$P1" -n 30 -s 50 -r 500 >"$WORK/cli1.txt" 2>&1
in_ns "$A" "$TCPGEN" client -a "$NS_B_V4" -p "$P2" -n 70 -s 20 -r 2000 >"$WORK/cli2.txt" 2>&1
in_ns "$A" "$TCPGEN" client -a "$NS_B_V4" -p $CLOSED -n 5 >"$WORK/cli3.txt" 2>&1
reap "$S1" 10
reap "$S2" 10
check "tcpgen: 30 and 70 connections, 5 refused" same "30 30 70 70 5" \
	"$(grep -c '^conn ' "$WORK/srv1.txt") $(grep -c '^conn ' "$WORK/cli1.txt") $(grep -c '^conn ' "$WORK/srv2.txt") $(grep -c '^conn ' "$WORK/cli2.txt") $(grep -c 'err=ECONNREFUSED' "$WORK/cli3.txt")"

# last FILE COLUMNS: the rows of the newest table, with these columns, by service port
last() {
	csv "$1" '{ t = c["TIME(s)"] + 0; if (t > newest) { newest = t; n = 0 }
		if (t == newest) row[++n] = '"$2"' }
		END { for (i = 1; i <= n; i++) print row[i] }' | sort -n
}
port_row() { last "$WORK/port.out" 'c["PORT"] " " c["SESSIONS"] " " c["OPEN"] " " c["FAILS"] " " c["REFUSED"] " " c["TX_BYTES"] " " c["RX_BYTES"]' | awk -v p="$1" '$1 == p'; }
want1="$P1 60 0 0 0 $((30 * 550)) $((30 * 550))"
want2="$P2 140 0 0 0 $((70 * 2020)) $((70 * 2020))"
want3="$CLOSED 5 0 5 5 0 0"
settled() { [ "$(port_row "$P1")" = "$want1" ] && [ "$(port_row "$P2")" = "$want2" ] && [ "$(port_row $CLOSED)" = "$want3" ]; }
wait_for 15 settled
scope_stop "$PORT_PID"
check "by port: exit 0, nothing on stderr" scope_clean port
check "port $P1: 60 sessions (30 connections, both ends), exact bytes, no failure" same "$want1" "$(port_row "$P1")"
check "port $P2: 140 sessions, exact bytes, no failure" same "$want2" "$(port_row "$P2")"
check "port $CLOSED: 5 connects, all refused" same "$want3" "$(port_row $CLOSED)"
medians=$(last "$WORK/port.out" 'c["PORT"] " " c["P50_MS"] " " c["P99_MS"]' | awk -v a="$P1" -v b="$P2" '($1 == a || $1 == b) && $2 > 0 && $3 >= $2' | wc -l)
check "both ports have a duration median and 99th percentile" same 2 "$medians"

cpid1=$(sed -n 's/^conn .* pid=\([0-9]*\) .*/\1/p' "$WORK/cli1.txt" | head -1)
cpid2=$(sed -n 's/^conn .* pid=\([0-9]*\) .*/\1/p' "$WORK/cli2.txt" | head -1)
pph_rows() {
	last "$WORK/pph.out" 'c["PID"] " " c["COMM"] " " c["PORT"] " " c["RADDR"] " " c["SESSIONS"]' |
		awk -v a="$P1" -v b="$P2" '$3 == a || $3 == b' | sort
}
want_pph=$(printf '%s\n' "$S1 tcpgen $P1 $NS_A_V4 30" "$cpid1 tcpgen $P1 $NS_B_V4 30" \
	"$S2 tcpgen $P2 $NS_A_V4 70" "$cpid2 tcpgen $P2 $NS_B_V4 70" | sort)
pph_settled() { [ "$(pph_rows)" = "$want_pph" ]; }
wait_for 10 pph_settled
scope_stop "$PPH_PID"
check "by process+port+host: each end's process, port and peer, with its count" \
	same "$want_pph" "$(pph_rows)"
finish
