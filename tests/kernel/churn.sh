#!/bin/sh
# Loopback churn: tcpgen churn, 2 client threads for 3 s at full speed (tens
# of thousands of short sessions), under tcpscope -b (lifespans, CSV). Every
# session of the ground truth appears exactly once for each end (a 4-tuple
# that comes back appears as often as it was used), owned by the client
# process or the server process, with exact bytes, DIR and STATUS; no other
# session on the port; and no lost-record warning. A second tcpscope, the
# throughput view by process, adds up every byte of both processes exactly.
. "$(dirname "$0")/../lib.sh"
need_root "loopback churn"

UP=100 DOWN=1000
if ! scope_start tput --view throughput -s --group process -i 0.2; then
	fail "tcpscope --view throughput starts"
	finish
fi
# a short interval: socket rows are kept until the interval after their close,
# and the group tables hold 32768 (a warning would say rows were not kept)
TPUT_PID=$SCOPE_PID
if ! scope_start churn -s; then
	fail "tcpscope starts"
	finish
fi
rst0=$(out_rsts)
"$TCPGEN" churn -a 127.0.0.1 -p 0 -t 2 -d 3 -s $UP -r $DOWN -o "$WORK/truth.csv" \
	>"$WORK/churn.txt" 2>"$WORK/churn.err"
gen_rc=$?
rsts=$(($(out_rsts) - rst0))
note "$(cat "$WORK/churn.txt")"
conns=$(sed -n 's/.* conns=\([0-9]*\) .*/\1/p' "$WORK/churn.txt")
port=$(awk -F, '$1 == "server" { print $3; exit }' "$WORK/truth.csv")
check "tcpgen churned without a failure" same "0 0" "$gen_rc $(sed -n 's/.* fails=\([0-9]*\) .*/\1/p' "$WORK/churn.txt")"
check "tcpgen made over 200 sessions (a churn ran; emulated kernels make few)" [ "${conns:-0}" -gt 200 ]
wait_rows 20 "$WORK/churn.out" "c[\"LPORT\"] == ${port:-0} || c[\"RPORT\"] == ${port:-0}" $((2 * ${conns:-0}))
scope_stop
cpid=$(sed -n 's/.*client_pid=\([0-9]*\) .*/\1/p' "$WORK/churn.txt")
spid=$(sed -n 's/.*server_pid=\([0-9]*\) .*/\1/p' "$WORK/churn.txt")

# tput_sum PID: "TX RX" of a process, summed over the throughput intervals
tput_sum() {
	csv "$WORK/tput.out" "c[\"PID\"] == $1 { tx += c[\"TX_BYTES\"]; rx += c[\"RX_BYTES\"] }
		END { printf \"%.0f %.0f\\n\", tx, rx }"
}
tput_done() { [ "$(tput_sum "$cpid")" = "$((conns * UP)) $((conns * DOWN))" ]; }
wait_for 10 tput_done
scope_stop $TPUT_PID

check "each of the $conns sessions once per end: PIDs, bytes, DIR, STATUS" \
	check_churn "$WORK/truth.csv" "$WORK/churn.out" "$rsts" "$port" $UP $DOWN
check "no lost records, nothing on stderr, exit 0 on ^C" scope_clean churn
check "throughput, by process: the client's TX and RX over all intervals, exact" \
	same "$((conns * UP)) $((conns * DOWN))" "$(tput_sum "$cpid")"
check "throughput, by process: the server's TX and RX over all intervals, exact" \
	same "$((conns * DOWN)) $((conns * UP))" "$(tput_sum "$spid")"
check "throughput: no lost records, nothing on stderr, exit 0 on ^C" scope_clean tput

# A backlog: tcpscope stopped for a while (as a busy machine would), then let
# go. The drains are cut into time slices (so the screen can answer keys in
# between) and the tick waits for them: nothing may be lost or reordered.
if scope_start late -s --ringbuf-mb 64; then
	rst0=$(out_rsts)
	"$TCPGEN" churn -a 127.0.0.1 -p 0 -t 2 -d 2 -s $UP -r $DOWN -o "$WORK/truth2.csv" \
		>"$WORK/churn2.txt" 2>&1 &
	churn2=$!
	# stopped once the churn's sessions reach it, for a second of the churn's two
	wait_rows 10 "$WORK/late.out" "c[\"PID\"] == $churn2" 1 ||
		note "no session of the churn seen before the stop"
	kill -STOP $SCOPE_PID
	sleep 1
	kill -CONT $SCOPE_PID
	wait $churn2
	rsts=$(($(out_rsts) - rst0))
	note "$(cat "$WORK/churn2.txt")"
	conns=$(sed -n 's/.* conns=\([0-9]*\) .*/\1/p' "$WORK/churn2.txt")
	port=$(awk -F, '$1 == "server" { print $3; exit }' "$WORK/truth2.csv")
	wait_rows 20 "$WORK/late.out" "c[\"LPORT\"] == ${port:-0} || c[\"RPORT\"] == ${port:-0}" $((2 * ${conns:-0}))
	scope_stop
	check "after a 1 s stop: each of the $conns sessions once per end, right" \
		check_churn "$WORK/truth2.csv" "$WORK/late.out" "$rsts" "$port" $UP $DOWN
	check "after a 1 s stop: no lost records, nothing on stderr, exit 0 on ^C" scope_clean late
else
	fail "tcpscope --ringbuf-mb 64 starts"
fi
finish
