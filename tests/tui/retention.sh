#!/bin/sh
# Fair retention on a busy host: 200 connections to a quiet port, then a
# loopback flood of short connections (tcpgen churn) many times over
# --max-rows, recorded live; the recording replayed on the screen with
# --max-rows 2000. The flood had let go most rows, yet /port Q still finds
# every one of the quiet port's 400 sessions (both ends), right to the
# byte, and the CSV snapshot (e) has exactly them. Summed up (g), the
# flood's rows count every one of its sessions, not only those kept.
. "$(dirname "$0")/../lib.sh"
need_root "fair retention (live recording)"
command -v tmux >/dev/null || { fail "tmux is installed"; finish; }

MAX_ROWS=2000
t0=$(now_ms)
if ! scope_start rec -s --record "$WORK/rec.tcps"; then
	fail "tcpscope -b --record starts"
	finish
fi
if ! gen_server - quiet -a 127.0.0.1 -p 0 -n 200 -s 300 -r 30; then
	fail "the quiet server starts"
	finish
fi
Q=$GEN_PORT
QUIET_PID=$GEN_PID
"$TCPGEN" client -a 127.0.0.1 -p "$Q" -n 200 -s 30 -r 300 >"$WORK/client.txt" 2>"$WORK/client.err"
reap "$QUIET_PID" 20
check "the quiet port $Q: 200 connections" same "200 200" \
	"$(grep -c '^conn ' "$WORK/quiet.txt") $(grep -c '^conn ' "$WORK/client.txt")"

"$TCPGEN" churn -a 127.0.0.1 -p 0 -t 2 -d 4 -s 100 -r 1000 -o "$WORK/flood.csv" \
	>"$WORK/flood.txt" 2>"$WORK/flood.err"
note "$(cat "$WORK/flood.txt")"
conns=$(sed -n 's/.* conns=\([0-9]*\) .*/\1/p' "$WORK/flood.txt")
fport=$(awk -F, '$1 == "server" { print $3; exit }' "$WORK/flood.csv")
check "the flood made over ten times --max-rows sessions" [ $((2 * ${conns:-0})) -gt $((10 * MAX_ROWS)) ]
# the recording has all of it once the lines are out
wait_rows 30 "$WORK/rec.out" "c[\"LPORT\"] == ${fport:-0} || c[\"RPORT\"] == ${fport:-0}" $((2 * ${conns:-0}))
scope_stop
check "the recording ends cleanly" scope_clean rec
wall=$(($(now_ms) - t0))

TM="tmux -L tcpscope-retain-$$ -f /dev/null"
on_exit "$TM kill-server"
screen() { $TM capture-pane -t main -p; }
shows() { wait_for 30 sh -c "$TM capture-pane -t main -p | grep -Eq -- \"\$1\"" _ "$1"; }
keys() { $TM send-keys -t main "$@"; }
$TM new-session -d -s main -x 140 -y 40 \
	"cd $WORK && LANG=C.UTF-8 TERM=xterm-256color $TCPSCOPE --replay $WORK/rec.tcps --speed 1000000 --max-rows $MAX_ROWS --export-dir $WORK; sleep 60"
check "the replay reaches its end" shows 'end of the recording'
closed=$(screen | sed -n 's/.*Lifespans.* \([0-9]*\) closed.*/\1/p' | head -1)
let_go=$(screen | sed -n 's/.*Lifespans.* \([0-9]*\) let go.*/\1/p' | head -1)
note "Lifespans: ${closed:-?} closed kept, ${let_go:-?} let go"
check "at most --max-rows closed sessions kept" [ "${closed:-99999}" -le $MAX_ROWS ]
check "the title says most were let go" [ "${let_go:-0}" -gt $((2 * ${conns:-0} - MAX_ROWS - 1)) ]
keys / C-u
keys -l "port $Q"
keys Enter
check "/port $Q: the quiet port's 400 sessions" shows "400 of [0-9]+ rows match"
keys 1 e
check "e writes the snapshot" shows 'wrote .*tcpscope-lifespans-.*\.csv \(400 rows\)'
csv=$(ls "$WORK"/tcpscope-lifespans-*.csv 2>/dev/null | head -1)
cat "$WORK/quiet.txt" "$WORK/client.txt" >"$WORK/truth.txt"
check "every quiet session, both ends, once: owner, ends, bytes, DIR, STATUS" \
	check_sessions "$WORK/truth.txt" "${csv:-/dev/null}" "$Q" "$wall"
check "the snapshot holds nothing else" same 400 "$(($(wc -l <"${csv:-/dev/null}") - 1))"

# g: summed up by process, service port and remote host
rm -f "$WORK"/tcpscope-lifespans-*.csv
keys g
check "g sums Lifespans up by process+port+host" shows 'Lifespans +by process\+port\+host'
keys / C-u
keys -l "port $Q,$fport"
keys Enter
check "the quiet port and the flood's: 4 rows, one for each end" shows "4 of [0-9]+ rows match"
keys e
check "e writes the summary" shows 'wrote .*tcpscope-lifespans-.*\.csv \(4 rows\)'
csv=$(ls "$WORK"/tcpscope-lifespans-*.csv 2>/dev/null | head -1)
# (a flood's client end may be reset at close, as churn.sh explains: its FAILS are not checked)
sums=$(csv "${csv:-/dev/null}" "{ print c[\"PORT\"], c[\"SESSIONS\"], c[\"OPEN\"],
	c[\"PORT\"] == $Q ? c[\"FAILS\"] : \"-\" }" | sort | uniq -c |
	awk '{ print $1 "x" $2 ":" $3 "/" $4 "/" $5 }' | sort | tr '\n' ' ')
check "every session summed up, though most were let go: $conns a flood end, 200 a quiet one" \
	same "$(printf '%s\n' "2x$Q:200/0/0" "2x$fport:$conns/0/-" | sort | tr '\n' ' ')" "$sums"
keys q
finish
