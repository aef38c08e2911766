#!/bin/sh
# Soak: the screen in tmux under the heaviest loopback churn two threads
# make, plus a transfer through a namespace that drops 5% of packets, while
# keys are sent. No crash, memory flat after warm-up, lost events (if any)
# shown, keys answered. SOAK_SECONDS sets the length (make soak: 600);
# SOAK_KEY_MS: the slowest key answer allowed, as tcpscope measures it (from
# the key's arrival, at the latest, to the screen drawn: shown on its help
# screen): 100 ms (200 for the sanitizer build, which runs about twice as
# slow: make test holds the product to 100). The answer as seen through
# tmux, processes and all, on two cores the churn keeps busy, is only
# reported and bounded loosely.
. "$(dirname "$0")/../lib.sh"
need_root "soak (live kernel)"
command -v tmux >/dev/null || { fail "tmux is installed"; finish; }
command -v nft >/dev/null || { fail "nft is installed"; finish; }

SECS=${SOAK_SECONDS:-20}
KEY_MS=${SOAK_KEY_MS:-100}
TM="tmux -L tcpscope-soak-$$ -f /dev/null"
on_exit "$TM kill-server"
GEN=$TOOLS/tcpgen

$TM new-session -d -s main -x 120 -y 40 "LANG=C.UTF-8 TERM=xterm-256color $TCPSCOPE; echo EXITED \$? >$WORK/exited; sleep 600"
check "the screen starts" wait_for 10 sh -c "$TM capture-pane -t main -p | grep -q '4 Events'"
PID=$(pgrep -n -f "^$TCPSCOPE\$")
[ -n "$PID" ] || { fail "found tcpscope's pid"; finish; }

# loss: a namespace pair with a 5% drop rule on the receiver
netns_pair "soa$$" "sob$$" || { fail "network namespaces"; finish; }
ip netns exec "sob$$" nft add table inet soak &&
	ip netns exec "sob$$" nft add chain inet soak in '{ type filter hook input priority 0; }' &&
	ip netns exec "sob$$" nft add rule inet soak in tcp dport 5001 numgen random mod 100 '<' 5 drop ||
	fail "nft drop rule"
ip netns exec "sob$$" $GEN server -a "$NS_B_V4" -p 5001 -n 1000000 -s 0 -r 4000000 -T 30 \
	--ready "$WORK/loss.ready" >/dev/null 2>&1 &
on_exit "kill $! 2>/dev/null"
wait_for 10 test -s "$WORK/loss.ready" || note "the lossy transfer's server did not start"
( end=$(($(date +%s) + SECS))
  while [ "$(date +%s)" -lt $end ]; do
	ip netns exec "soa$$" $GEN client -a "$NS_B_V4" -p 5001 -n 1 -s 4000000 -r 0 -T 30 >/dev/null 2>&1 || sleep 0.2
  done ) &
LOSS=$!
on_exit "kill $LOSS 2>/dev/null"
$GEN churn -a 127.0.0.1 -p 0 -t 2 -d "$SECS" -s 100 -r 1000 >"$WORK/churn" 2>&1 &
CHURN=$!
on_exit "kill $CHURN 2>/dev/null"

rss() { awk '/VmRSS/ { print $2 }' /proc/$PID/status 2>/dev/null; }
# answer_ms KEY PATTERN: send a key, time until the screen shows PATTERN
answer_ms() {
	t0=$(date +%s%N)
	$TM send-keys -t main "$1"
	wait_for 5 sh -c "$TM capture-pane -t main -p | grep -q -- \"\$1\"" _ "$2" || { echo 99999; return; }
	echo $((($(date +%s%N) - t0) / 1000000))
}

warm=$((SECS / 4 + 2))
sleep "$warm"
rss_warm=$(rss)
worst=0
keys_sent=0
end=$(($(date +%s) + SECS - warm))
while [ "$(date +%s)" -lt "$end" ] && kill -0 "$PID" 2>/dev/null; do
	for k in "2 ▸2 Throughput" "? filter-pid" "x ▸2 Throughput" "> sort:" "1 ▸1 Lifespans" "z ▸1 Lifespans" "z 4 Events"; do
		key=${k%% *}
		pat=${k#* }
		ms=$(answer_ms "$key" "$pat")
		keys_sent=$((keys_sent + 1))
		[ "$ms" -gt "$worst" ] && worst=$ms
	done
	sleep 0.5
done
rss_end=$(rss)
wait $CHURN 2>/dev/null
note "churn: $(cat "$WORK/churn" | tail -1)"
note "rss after warm-up ${rss_warm} KiB, at the end ${rss_end} KiB; $keys_sent keys, slowest answer ${worst} ms"

# (a churn that could not start would make this a soak of an idle screen)
rate=$(sed -n 's/.* rate=\([0-9]*\).*/\1/p' "$WORK/churn")
check "the churn ran: at least 1000 connections/s (${rate:-none})" test "${rate:-0}" -ge 1000
check "tcpscope is still running" kill -0 "$PID"
check "memory flat after warm-up (grew < 25% and < 16 MiB)" \
	sh -c "[ $rss_end -le $((rss_warm + rss_warm / 4)) ] || [ $((rss_end - rss_warm)) -lt 16384 ]"
check "every key seen on screen through tmux within 3 s (slowest ${worst} ms)" test "$worst" -le 3000
$TM send-keys -t main '?'
wait_for 5 sh -c "$TM capture-pane -t main -p | grep -q filter-pid"
$TM send-keys -t main PgDn PgDn
answer=$(wait_for 5 sh -c "$TM capture-pane -t main -p | grep -q 'Keys answered'" &&
	$TM capture-pane -t main -p | sed -n 's/.*, \([0-9.]*\) ms (the slowest so far).*/\1/p')
note "tcpscope's own measure: keys answered within ${answer:-?} ms at the slowest"
check "every key answered within ${KEY_MS} ms (tcpscope's measure: ${answer:-?} ms)" \
	awk -v a="${answer:-99999}" -v max="$KEY_MS" 'BEGIN { exit !(a <= max) }'
$TM send-keys -t main x
check "the header shows the lost count" wait_for 5 sh -c "$TM capture-pane -t main -p | grep -Eq '^tcpscope .* lost [0-9]+'"
# the churn's own drops (segments to TIME_WAIT sockets) fill the few rows the
# Events pane has: filter the lossy transfer's port, in place; and zoom it, as
# its congestion states (RECOVERY, OPEN) come with every retransmit
$TM send-keys -t main / C-u && $TM send-keys -t main -l "port 5001" && $TM send-keys -t main Enter
$TM send-keys -t main 4 z
check "retransmits or drops of the lossy transfer are shown" \
	wait_for 5 sh -c "$TM capture-pane -t main -p | grep -Eq '(RETRANS|DROP).* 5001( |\$)'"
$TM send-keys -t main q
check "q quits cleanly after the soak" wait_for 10 grep -q 'EXITED 0' "$WORK/exited"
finish
