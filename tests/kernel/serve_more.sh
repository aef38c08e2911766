#!/bin/sh
# --serve's metrics of resets, RTT and listeners, from a real scrape, in a
# network namespace of its own (loopback):
# - connects to a port nobody listens on: tcpscope_resets_total counts the
#   resets the clients received, exactly as many as they were refused
#   (ECONNREFUSED), and (kernels since 6.9) as many sent for no socket;
# - a listener with a known backlog that accepts a known number:
#   tcpscope_listen_backlog is what listen() was given, accepts_total the
#   accepts; one with a backlog of 1 that never accepts, flooded:
#   tcpscope_listen_overflows_total is the namespace's ListenDrops (nstat);
# - traffic: tcpscope_rtt_seconds has samples, its buckets cumulative and
#   +Inf its count;
# promtool check metrics accepts the scrape.
. "$(dirname "$0")/../lib.sh"
need_root "--serve: resets, RTT, listeners"
for tool in promtool curl nstat; do
	if ! command -v $tool >/dev/null; then
		skip "--serve: resets, RTT, listeners" "$tool is not installed (make test-deps)"
		finish
	fi
done
BL=$TOOLS/backlog
NS=tsm$$
# service ports below the ephemeral range (32768-60999): a reset for no socket
# is labelled by its lower port, which is then this one
CLOSED=$((20000 + $$ % 10000)) # nobody listens
LP=$((CLOSED + 1))		# backlog 7, accepts 3
FULL=$((CLOSED + 2))		# backlog 1, never accepts
CLIENTS=5 ACCEPTS=3
if ! netns_lo $NS; then
	fail "network namespace"
	finish
fi
kmaj=$(uname -r | cut -d. -f1) kmin=$(uname -r | cut -d. -f2 | tr -cd 0-9)
NOSOCK_TRACED=$([ "$kmaj" -gt 6 ] || { [ "$kmaj" = 6 ] && [ "$kmin" -ge 9 ]; } && echo 1 || echo 0)

PORT=$(free_port)
scrape() { curl -sf "http://127.0.0.1:$PORT/metrics" >"$WORK/scrape"; }
# metric NAME-AND-LABELS: the value of one sample (of a new scrape)
metric() { scrape && awk -v k="$1" 'index($0, k " ") == 1 { print $2 }' "$WORK/scrape"; }
is() { [ "$(metric "$1")" = "$2" ]; }

"$TCPSCOPE" --serve "127.0.0.1:$PORT" --headless -i 0.5 </dev/null >"$WORK/scope.out" \
	2>"$WORK/scope.err" &
SCOPE_PID=$!
on_exit "kill -KILL $SCOPE_PID"
if ! wait_for 20 scrape; then
	fail "tcpscope --serve answers: $(head -c 300 "$WORK/scope.err")"
	finish
fi

# ---- resets: connects refused ----
in_ns $NS "$BL" connect -a 127.0.0.1 -p $CLOSED -n $CLIENTS -T 5 >"$WORK/refused.txt"
note "$(cat "$WORK/refused.txt")"
refused=$(sed -n 's/.* refused=\([0-9]*\) .*/\1/p' "$WORK/refused.txt")
check "the clients were refused ($refused of $CLIENTS)" [ "${refused:-0}" = $CLIENTS ]
rcvd="tcpscope_resets_total{direction=\"received\",comm=\"backlog\",port=\"$CLOSED\"}"
sent="tcpscope_resets_total{direction=\"sent\",comm=\"\",port=\"$CLOSED\"}"
wait_for 10 is "$rcvd" "$refused"
check "resets received on port $CLOSED: the clients' ECONNREFUSEDs ($refused), exactly" \
	same "$refused" "$(metric "$rcvd")"
if [ $NOSOCK_TRACED = 1 ]; then
	wait_for 10 is "$sent" "$refused"
	check "resets sent for no socket on port $CLOSED: as many ($refused), exactly" \
		same "$refused" "$(metric "$sent")"
else
	skip "resets sent for no socket" "kernel $(uname -r) traces them only from 6.9"
fi

# ---- listeners ----
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
serve s1 $LP -b 7 -n $ACCEPTS --until "$WORK/s1.stop" -T 60 || fail "the backlog-7 server listens"
S1=$SRV
in_ns $NS "$BL" connect -a 127.0.0.1 -p $LP -n $ACCEPTS -T 10 >"$WORK/c1.txt"
note "$(cat "$WORK/c1.txt")"
lb="{laddr=\"127.0.0.1\",port=\"$LP\"}"
wait_for 10 is "tcpscope_listen_accepts_total$lb" $ACCEPTS
check "tcpscope_listen_backlog$lb: what listen() was given (7)" \
	same 7 "$(metric "tcpscope_listen_backlog$lb")"
check "tcpscope_listen_accepts_total$lb: the accepts ($ACCEPTS)" \
	same $ACCEPTS "$(metric "tcpscope_listen_accepts_total$lb")"
check "tcpscope_listen_queue$lb: nothing waits" same 0 "$(metric "tcpscope_listen_queue$lb")"
check "tcpscope_listen_overflows_total$lb: none" \
	same 0 "$(metric "tcpscope_listen_overflows_total$lb")"

drops0=$(in_ns $NS nstat -az TcpExtListenDrops | awk '$1 == "TcpExtListenDrops" { print $2 + 0 }')
serve s2 $FULL -b 1 --until "$WORK/s2.stop" -T 60 || fail "the backlog-1 server listens"
S2=$SRV
in_ns $NS "$BL" connect -a 127.0.0.1 -p $FULL -n 20 -T 3 >"$WORK/c2.txt"
note "$(cat "$WORK/c2.txt")"
drops=$(($(in_ns $NS nstat -az TcpExtListenDrops | awk '$1 == "TcpExtListenDrops" { print $2 + 0 }') - drops0))
fb="{laddr=\"127.0.0.1\",port=\"$FULL\"}"
wait_for 10 is "tcpscope_listen_overflows_total$fb" "$drops"
check "tcpscope_listen_overflows_total$fb: the namespace's ListenDrops ($drops > 0)" \
	sh -c '[ "$1" -gt 0 ] && [ "$1" = "$2" ]' _ "$drops" "$(metric "tcpscope_listen_overflows_total$fb")"
check "tcpscope_listen_queue$fb: full, over its backlog of 1" \
	sh -c '[ "${1:-0}" -ge 2 ]' _ "$(metric "tcpscope_listen_queue$fb")"

# ---- RTT: traffic, then samples in the histogram ----
"$TCPGEN" churn -a 127.0.0.1 -p 0 -t 1 -d 1 -s 20000 -r 20000 >"$WORK/churn.txt" 2>&1
has_rtt() { [ "$(metric tcpscope_rtt_seconds_count)" -gt 0 ]; }
check "tcpscope_rtt_seconds_count > 0 after traffic" wait_for 10 has_rtt
scrape
check "tcpscope_rtt_seconds: buckets cumulative, +Inf the count, a sum > 0" awk '
	/^tcpscope_rtt_seconds_bucket/ { v = $2 + 0; if (v < last) bad = 1; last = v; inf = v }
	/^tcpscope_rtt_seconds_count / { count = $2 + 0 }
	/^tcpscope_rtt_seconds_sum / { sum = $2 + 0 }
	END { exit !(!bad && inf == count && count > 0 && sum > 0) }' "$WORK/scrape"
promtool check metrics <"$WORK/scrape" >"$WORK/promtool.out" 2>&1
check "promtool check metrics accepts the scrape" [ $? = 0 ]
[ -s "$WORK/promtool.out" ] && note "$(head -3 "$WORK/promtool.out")"

# the listeners close: their gauges go, their counters stay
touch "$WORK/s1.stop" "$WORK/s2.stop"
reap $S1 10
reap $S2 10
gone() { metric "tcpscope_listen_backlog$lb" >/dev/null && ! grep -q "^tcpscope_listen_backlog$lb" "$WORK/scrape"; }
check "a closed listener's gauges go" wait_for 10 gone
check "... its counters stay" same $ACCEPTS "$(metric "tcpscope_listen_accepts_total$lb")"
kill -INT $SCOPE_PID
reap $SCOPE_PID 15
check "^C: tcpscope --serve exits 0, nothing on stderr" sh -c "[ $REAPED = 0 ] && [ ! -s '$WORK/scope.err' ]"
finish
