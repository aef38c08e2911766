#!/bin/sh
# The screen on a saturated host, at default settings: two loopback churns at
# once (each a server and one client thread; 100 B up and 1000 B down per
# connection, and 5000 B up and 200 B down), both cores busy, while keys are
# sent. The screen runs in its own session (tmux), whose scheduling group a
# busy one starves: before its drainer and main thread ran at real-time
# priority it lost about 40% of the records here. Now: the header says lost 0
# and counts every session closed; the recording it made meanwhile holds
# every session of both churns once per end, exactly (PIDs, bytes, DIR,
# STATUS); keys are answered within 100 ms (tcpscope's own measure, on its
# help screen); its memory stays under 64 MiB.
. "$(dirname "$0")/../lib.sh"
need_root "the screen under two churns (live kernel)"
command -v tmux >/dev/null || { fail "tmux is installed"; finish; }

SECS=${BUSY_SECONDS:-6}
KEY_MS=${SOAK_KEY_MS:-100}
# the sanitizer build's shadow memory and quarantine double its RSS (make test-san sets more)
MEM_MB=${MEM_LIMIT_MB:-64}
TM="tmux -L tcpscope-busy-screen-$$ -f /dev/null"
on_exit "$TM kill-server"

$TM new-session -d -s main -x 150 -y 45 \
	"cd $WORK && LANG=C.UTF-8 TERM=xterm-256color $TCPSCOPE --record $WORK/rec.tcps; echo EXITED \$? >$WORK/exited; sleep 600"
check "the screen starts" wait_for 10 sh -c "$TM capture-pane -t main -p | grep -q '4 Events'"
PID=$(pgrep -n -f "^$TCPSCOPE --record")
[ -n "$PID" ] || { fail "found tcpscope's pid"; finish; }
header() { $TM capture-pane -t main -p | head -1; }
# policy PID TID: "POLICY/PRIO" of a thread (1: SCHED_FIFO), from its stat
policy() { sed 's/.*) //' "/proc/$1/task/$2/stat" | awk '{ print $39 "/" $38 }'; }
drainer() {
	for t in /proc/"$1"/task/*; do
		[ "$(policy "$1" "${t##*/}")" = 1/2 ] && return 0
	done
	return 1
}
# winch_blocked PID TID: the thread blocks SIGWINCH (28: bit 27 of SigBlk);
# 2: the thread has ended since it was listed (the symbol loader does)
winch_blocked() {
	_blk=$(sed -n 's/^SigBlk:\t*//p' "/proc/$1/task/$2/status" 2>/dev/null)
	[ -n "$_blk" ] || return 2
	[ "$(( 0x$_blk >> 27 & 1 ))" = 1 ]
}
# a resize must reach the screen's wait, not the drainer: every other thread blocks it
others_block_winch() {
	n=0
	for t in /proc/"$1"/task/*; do
		tid=${t##*/}
		[ "$tid" = "$1" ] && continue
		winch_blocked "$1" "$tid"
		case $? in
		0) n=$((n + 1)) ;;
		2) ;;
		*) return 1 ;;
		esac
	done
	[ $n -gt 0 ]
}
check "every thread but the screen's blocks SIGWINCH (a resize reaches the screen)" \
	others_block_winch "$PID"
check "its main thread runs SCHED_FIFO 1 ($(policy "$PID" "$PID"))" same 1/1 "$(policy "$PID" "$PID")"
check "... and a thread drains the kernel's buffer at SCHED_FIFO 2" drainer "$PID"

rst0=$(out_rsts)
"$TCPGEN" churn -a 127.0.0.1 -p 0 -t 1 -d "$SECS" -s 100 -r 1000 -o "$WORK/t1.csv" \
	>"$WORK/c1.txt" 2>&1 &
C1=$!
"$TCPGEN" churn -a 127.0.0.1 -p 0 -t 1 -d "$SECS" -s 5000 -r 200 -o "$WORK/t2.csv" \
	>"$WORK/c2.txt" 2>&1 &
C2=$!
on_exit "kill $C1 $C2 2>/dev/null"
# keys while it churns: focus, sort, zoom, back
sleep 1
for k in 2 '>' 1 z z 3 4 1; do
	$TM send-keys -t main "$k"
	sleep 0.3
done
wait $C1
rc1=$?
wait $C2
rc2=$?
rsts=$(($(out_rsts) - rst0))
note "$(cat "$WORK/c1.txt") / $(cat "$WORK/c2.txt")"
n1=$(sed -n 's/.* conns=\([0-9]*\) .*/\1/p' "$WORK/c1.txt")
n2=$(sed -n 's/.* conns=\([0-9]*\) .*/\1/p' "$WORK/c2.txt")
p1=$(awk -F, '$1 == "server" { print $3; exit }' "$WORK/t1.csv")
p2=$(awk -F, '$1 == "server" { print $3; exit }' "$WORK/t2.csv")
check "both churns ran without a failure" same "0 0 0 0" \
	"$rc1 $rc2 $(sed -n 's/.* fails=\([0-9]*\) .*/\1/p' "$WORK/c1.txt" "$WORK/c2.txt" | tr '\n' ' ' | sed 's/ $//')"
total=$((2 * (${n1:-0} + ${n2:-0})))
rate=$(((${n1:-0} + ${n2:-0}) / SECS))
check "the churns made over 5000 connections/s together ($rate)" [ "$rate" -gt 5000 ]

# closed_count: the header's "N closed" (all sessions, whatever the filter)
closed_count() { header | sed -n 's/.* \([0-9]*\) closed .*/\1/p'; }
closed_all() { [ "$(closed_count)" -ge "$total" ]; }
wait_for 20 closed_all
note "header: $(header)"
check "the header counts every session closed: at least $total ($(closed_count))" closed_all
check "the header says lost 0" sh -c "$TM capture-pane -t main -p | head -1 | grep -q ' lost 0 *\$'"
hwm=$(awk '/VmHWM/ { print $2 }' "/proc/$PID/status")
check "its memory stayed under $MEM_MB MiB (peak ${hwm} KiB)" [ "${hwm:-999999}" -lt $((MEM_MB * 1024)) ]

# the slowest key answer, as tcpscope measured it
$TM send-keys -t main '?'
wait_for 5 sh -c "$TM capture-pane -t main -p -S 0 -E 200 | grep -q 'Keys answered'" ||
	$TM send-keys -t main PgDn PgDn
wait_for 5 sh -c "$TM send-keys -t main PgDn; $TM capture-pane -t main -p | grep -q 'Keys answered'"
worst=$($TM capture-pane -t main -p | sed -n 's/.*ms (the last), \([0-9.]*\) ms (the slowest.*/\1/p')
note "slowest key answer: ${worst:-?} ms"
check "keys answered within $KEY_MS ms (${worst:-?})" \
	awk -v w="${worst:-99999}" -v k="$KEY_MS" 'BEGIN { exit !(w + 0 < k) }'
$TM send-keys -t main Escape
$TM send-keys -t main q
check "q quits, exit 0" wait_for 10 grep -q 'EXITED 0' "$WORK/exited"

# the recording: every session of both churns once per end, exactly
"$TCPSCOPE" --replay "$WORK/rec.tcps" -b -s >"$WORK/replay.csv" 2>"$WORK/replay.err"
check "the recording replays, nothing said (no loss recorded)" \
	same "0 " "$? $(head -c 300 "$WORK/replay.err")"
check "the recording: each of the ${n1:-0} sessions of the first churn once per end, right" \
	check_churn "$WORK/t1.csv" "$WORK/replay.csv" "$rsts" "$p1" 100 1000
check "the recording: each of the ${n2:-0} sessions of the second churn once per end, right" \
	check_churn "$WORK/t2.csv" "$WORK/replay.csv" "$rsts" "$p2" 5000 200

# --nice 0 leaves every priority alone (batch mode takes real-time too, otherwise)
all_normal() {
	for t in /proc/"$1"/task/*; do
		[ "$(policy "$1" "${t##*/}")" = 0/0 ] || return 1
	done
}
if scope_start nice0 --nice 0 -d 20; then
	check "--nice 0: every thread at the normal policy" all_normal "$SCOPE_PID"
	scope_stop
else
	fail "--nice 0: tcpscope -b starts"
fi
if scope_start rt -d 20; then
	check "batch mode: its main thread at SCHED_FIFO 1 too" same 1/1 "$(policy "$SCOPE_PID" "$SCOPE_PID")"
	scope_stop
else
	fail "batch mode: tcpscope -b starts"
fi
finish
