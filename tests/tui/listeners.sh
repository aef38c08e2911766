#!/bin/sh
# The Listeners pane and the new groupings on the real screen, in tmux: a
# listener with a backlog of 2 and clients it never accepts shows its full
# queue; g turns Listeners into the backlog distribution and back; e writes
# the pane's CSV with the columns it promises; g on Throughput reaches the
# grouping by subnet and by service, and the filter takes a service.
. "$(dirname "$0")/../lib.sh"
need_root "screen tests (live kernel)"
command -v tmux >/dev/null || { fail "tmux is installed"; finish; }

TM="tmux -L tcpscope-ltest-$$ -f /dev/null"
on_exit "$TM kill-server"
NS=tsl$$
P=$((20000 + $$ % 20000))
netns_lo $NS || { fail "network namespace"; finish; }

screen() { $TM capture-pane -t main -p; }
shows() { wait_for 10 sh -c "$TM capture-pane -t main -p | grep -Eq -- \"\$1\"" _ "$1"; }
keys() { $TM send-keys -t main "$@"; }
filter() { keys / C-u && keys -l "$1" && keys Enter; }

$TM new-session -d -s main -x 160 -y 40 \
	"cd $WORK && LANG=C.UTF-8 TERM=xterm-256color $TCPSCOPE --export-dir $WORK; echo EXITED \$? >$WORK/exited; sleep 60"
check "Listeners is the sixth pane" shows '6 Listeners'

rm -f "$WORK/ready"
ip netns exec $NS "$TOOLS/backlog" serve -a 127.0.0.1 -p $P -b 2 --ready "$WORK/ready" \
	--until "$WORK/stop" -T 60 >"$WORK/srv.txt" 2>&1 &
SRV=$!
on_exit "kill -KILL $SRV"
wait_for 10 test -s "$WORK/ready" || fail "the listener starts"
ip netns exec $NS "$TOOLS/backlog" connect -a 127.0.0.1 -p $P -n 10 -T 2 --until "$WORK/stop" \
	>"$WORK/cli.txt" 2>&1 &
CLI=$!
on_exit "kill -KILL $CLI"

filter "lport $P"
keys 6
check "6 focuses Listeners" shows '▸6 Listeners'
check "its full queue: QUEUE 3 of BACKLOG 2, LISTEN" shows "127\.0\.0\.1 +$P +LISTEN .* 3 +2 +3 "
check "the title says a queue is full" shows 'Listeners .*queues full: 1'
keys g
check "g: the backlog distribution" shows 'listeners by backlog'
check "... with its slots, as tcpsynbl" shows "$P +2 +0 -> 1 "
keys g
check "g again: a row per address" shows 'listeners: a row per address'
keys e
check "e writes the Listeners CSV" shows 'wrote .*tcpscope-listeners-[0-9]{8}-[0-9]{6}\.csv'
csv=$(ls "$WORK"/tcpscope-listeners-*.csv 2>/dev/null | head -1)
check "the CSV has LADDR, LPORT, QUEUE, BACKLOG, ACCEPTS and OVERFLOWS" sh -c \
	"head -1 '$csv' | tr , '\n' | grep -cxE 'LADDR|LPORT|QUEUE|BACKLOG|ACCEPTS|OVERFLOWS' | grep -qx 6"
check "... and the listener's row: QUEUE 3, BACKLOG 2" \
	sh -c "csv() { awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[\$i] = i; next } \$h[\"LPORT\"] == $P && \$h[\"QUEUE\"] == 3 && \$h[\"BACKLOG\"] == 2 { n++ } END { exit !n }' \"\$1\"; }; csv '$csv'"

keys Escape 2
check "2 focuses Throughput" shows '▸2 Throughput'
for mode in subnet service; do
	for i in $(seq 1 8); do
		screen | grep -q "Throughput  by $mode" && break
		cur=$(screen | grep -o 'Throughput  by [^ ]*' | head -1)
		keys g
		wait_for 5 sh -c "! $TM capture-pane -t main -p | grep -qF -- \"\$1\"" _ "$cur"
	done
	check "g reaches Throughput by $mode" shows "Throughput  by $mode"
done
filter "service /"
check "the filter takes a service" shows 'filter: service /'

touch "$WORK/stop"
keys q
check "q quits with status 0" wait_for 10 sh -c "grep -q 'EXITED 0' '$WORK/exited'"
finish
