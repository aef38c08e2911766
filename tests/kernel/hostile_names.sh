#!/bin/sh
# Process names are chosen by any local user: escape sequences in them must
# never reach the terminal raw, and formulas must never reach a CSV live.
. "$(dirname "$0")/../lib.sh"
need_root "hostile process names"

PORT=$((24000 + $$ % 1000)) # below the ephemeral range (32768-): no outgoing connection holds it
GEN=$TOOLS/tcpgen
EVIL=$TOOLS/evilcomm

# name (as evilcomm decodes it) and a fixed string the output must then contain
NAMES='\x1b]0;PWNED\x07 \x1b[2J\x1b[H =1+2*3 @SUM(A1) \xe2\x80\xaeevil \xff\xfebad'

run_clients() {
	for n in $NAMES; do
		$EVIL "$n" 127.0.0.1 $PORT || return 1
	done
}

serve() {
	rm -f "$WORK/ready"
	$GEN server -a 127.0.0.1 -p $PORT -n 6 -s 5 -r 10 --ready "$WORK/ready" >"$WORK/srv" 2>&1 &
	on_exit "kill $! 2>/dev/null"
	wait_for 5 test -s "$WORK/ready"
}

# batch text
$TCPSCOPE -b --filter "port $PORT" -d 30 >"$WORK/text" 2>"$WORK/text.err" &
TS=$!
on_exit "kill $TS 2>/dev/null"
wait_for 10 grep -q PID "$WORK/text"
serve && run_clients
wait_for 10 sh -c "[ \$(grep -c ' $PORT ' '$WORK/text') -ge 12 ]"
kill -INT $TS
wait $TS
check "batch text lists every session (12 rows)" test "$(grep -c " $PORT " "$WORK/text")" -ge 12
check "no ESC byte reaches the terminal" sh -c "! grep -q \"\$(printf '\\033')\" '$WORK/text'"
check "no BEL byte reaches the terminal" sh -c "! grep -q \"\$(printf '\\007')\" '$WORK/text'"
# batch text cuts COMM to 10 columns, as tcplife does
check "the escape shows as text: \\x1b]0;PWN" grep -qF '\x1b]0;PWN' "$WORK/text"
check "the clear-screen shows as text" grep -qF '\x1b[2J' "$WORK/text"
check "the bidi override shows as text" grep -qF '\u202eevil' "$WORK/text"
check "invalid UTF-8 shows as escapes" grep -qF '\xff\xfeba' "$WORK/text"
check "the output is valid UTF-8" sh -c "iconv -f UTF-8 -t UTF-8 '$WORK/text' >/dev/null"

# batch CSV
$TCPSCOPE -b -s --filter "port $PORT" -d 30 >"$WORK/csv" 2>"$WORK/csv.err" &
TS=$!
on_exit "kill $TS 2>/dev/null"
wait_for 10 grep -q PID "$WORK/csv"
serve && run_clients
wait_for 10 sh -c "[ \$(grep -c ',$PORT,' '$WORK/csv') -ge 12 ]"
kill -INT $TS
wait $TS
check "a formula-like name is neutralised in CSV" grep -qF "\"'=1+2*3\"" "$WORK/csv"
check "an @ name is neutralised in CSV" grep -qF "\"'@SUM(A1)\"" "$WORK/csv"
check "no CSV field starts with = or @" sh -c "! grep -Eq '(^|,)[=@]' '$WORK/csv'"
check "the CSV has the whole escaped name" grep -qF '\x1b]0;PWNED\x07' "$WORK/csv"
check "no ESC byte in the CSV" sh -c "! grep -q \"\$(printf '\\033')\" '$WORK/csv'"

# the screen
if command -v tmux >/dev/null; then
	TM="tmux -L tcpscope-evil-$$ -f /dev/null"
	on_exit "$TM kill-server"
	$TM new-session -d -s main -x 120 -y 40 "LANG=C.UTF-8 TERM=xterm-256color $TCPSCOPE --filter \"port $PORT\"; sleep 30"
	wait_for 10 sh -c "$TM capture-pane -t main -p | grep -q '4 Events'"
	# Lifespans zoomed: its rows (newest first) hold all twelve sessions
	$TM send-keys -t main z
	wait_for 10 sh -c "! $TM capture-pane -t main -p | grep -q '2 Throughput'"
	serve && run_clients
	check "the screen shows the escaped name" wait_for 10 sh -c "$TM capture-pane -t main -p | grep -qF '\\x1b]0;PWN'"
	check "the window title was not changed" sh -c "[ \"\$($TM display-message -t main -p '#{pane_title}')\" != PWNED ]"
	$TM capture-pane -t main -e -p >"$WORK/screen"
	check "no OSC sequence reached the terminal" sh -c "! grep -q \"\$(printf '\\033]')\" '$WORK/screen'"
else
	fail "tmux is installed"
fi
finish
