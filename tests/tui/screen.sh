#!/bin/sh
# The real screen in tmux: six panes, focus, zoom, sort both ways, filter a
# port and clear it, CSV snapshot against the screen, resize, help, pause,
# mouse, quit with the terminal restored. Waits for what the screen shows,
# never for a fixed time.
. "$(dirname "$0")/../lib.sh"
need_root "screen tests (live kernel)"
command -v tmux >/dev/null || { fail "tmux is installed"; finish; }

TM="tmux -L tcpscope-test-$$ -f /dev/null"
on_exit "$TM kill-server"
GEN=$TOOLS/tcpgen

screen() { $TM capture-pane -t main -p; }
# shows PATTERN: wait until the screen matches (grep -E), at most 10 s
shows() { wait_for 10 sh -c "$TM capture-pane -t main -p | grep -Eq -- \"\$1\"" _ "$1"; }
gone() { wait_for 10 sh -c "! $TM capture-pane -t main -p | grep -Eq -- \"\$1\"" _ "$1"; }
keys() { $TM send-keys -t main "$@"; }
# the rows of pane N (between its title and the next pane's), without the column header
pane_rows() {
	screen | awk -v n="$1" '
		match($0, /[0-9] (Lifespans|Throughput|States|Events|RTT|Listeners) /) && RSTART <= 4 {
			inpane = (substr($0, RSTART, 1) == n); hdr = 1; next }
		inpane && hdr { hdr = 0; next }
		/^.?Help .*Quit/ { exit } # the key bar, under the last pane
		inpane { print }'
}
# field number of a column in pane N's header line
col_of() {
	screen | awk -v n="$1" -v c="$2" '
		match($0, /[0-9] (Lifespans|Throughput|States|Events|RTT|Listeners) /) && RSTART <= 4 {
			inpane = (substr($0, RSTART, 1) == n); hdr = 1; next }
		inpane && hdr { for (i = 1; i <= NF; i++) { h = $i; sub(/(▲|▼|\^|v)$/, "", h); if (h == c) print i }; exit }'
}

# traffic: sessions of six sizes on port P1 (the server sends SIZE KiB), two on P2
P1=$((20000 + $$ % 10000))
P2=$((P1 + 1))
serve() { # serve PORT COUNT SEND RECV: start a server, wait until it listens
	rm -f "$WORK/ready"
	$GEN server -a 127.0.0.1 -p "$1" -n "$2" -s "$3" -r "$4" --ready "$WORK/ready" >>"$WORK/srv" 2>&1 &
	wait_for 5 test -s "$WORK/ready"
}
traffic() {
	for kb in 1 50 200 3 70 9; do
		serve $P1 1 $((kb * 1024)) 10 && $GEN client -a 127.0.0.1 -p $P1 -n 1 -s 10 -r $((kb * 1024)) >>"$WORK/cli" 2>&1
	done
	serve $P2 2 100 10 && $GEN client -a 127.0.0.1 -p $P2 -n 2 -s 10 -r 100 >>"$WORK/cli" 2>&1
}

$TM new-session -d -s main -x 100 -y 34 \
	"cd $WORK && LANG=C.UTF-8 TERM=xterm-256color $TCPSCOPE --export-dir $WORK; echo EXITED \$? >$WORK/exited; sleep 60"
check "starts and shows six panes" shows '6 Listeners'
s=$(screen)
for t in '1 Lifespans' '2 Throughput' '3 States' '4 Events' '5 RTT' '6 Listeners'; do
	echo "$s" | grep -q "$t" || fail "pane '$t' on screen"
done
check "the header says the interval and lost events" sh -c "echo \"\$1\" | grep -q 'every 1.0s' && echo \"\$1\" | grep -q 'lost 0'" _ "$s"

traffic
# other tests and benchmarks may move traffic meanwhile: look at our ports
filter() { keys / C-u && keys -l "$1" && keys Enter; }
filter "port $P1,$P2"
check "sessions appear on screen" shows "$P2 +127\.0\.0\.1"

check "focus starts on Lifespans" shows '▸1 Lifespans'
keys Tab
check "Tab focuses Throughput" shows '▸2 Throughput'
keys 4
check "4 focuses Events" shows '▸4 Events'
keys BTab
check "Shift-Tab goes back to States" shows '▸3 States'

keys 1 z
check "z zooms Lifespans" gone '2 Throughput'
keys z
check "z again shows all panes" shows '2 Throughput'

# only our port (other tests may move traffic meanwhile), then sort Lifespans by TX_KB:
# step through the columns with > until the header says so
filter "port $P1"
check "filtered to port $P1" shows "filter: port $P1"
# (each > is waited for: a second > sent before the first is drawn would step past TX_KB)
for i in $(seq 1 20); do
	cur=$(screen | grep -o 'sort: [^ ]*' | head -1)
	[ "$cur" = 'sort: TX_KB▼' ] && break
	keys '>'
	wait_for 5 sh -c "! $TM capture-pane -t main -p | grep -qF -- \"\$1\"" _ "$cur"
done
check "> reaches TX_KB, high to low" shows 'sort: TX_KB▼'
keys z # all twelve rows in view
sorted() {
	c=$(col_of 1 TX_KB)
	[ -n "$c" ] || return 1
	pane_rows 1 | awk -v c="$c" -v dir="$1" 'NF >= c { print $c }' >"$WORK/tx"
	[ "$(wc -l <"$WORK/tx")" -ge 12 ] || return 1
	sort -n $([ "$1" = desc ] && echo -r) "$WORK/tx" | cmp -s - "$WORK/tx" && [ "$(sort -n "$WORK/tx" | tail -1)" -ge 200 ]
}
sorted_case() { # sorted_case NAME DIR: a case, with the screen shown when it fails
	if wait_for 5 sorted "$2"; then
		ok "$1"
	else
		fail "$1"
		screen | sed 's/^/# /'
	fi
}
sorted_case "Lifespans rows are in descending TX_KB" desc
keys r
check "r reverses to ascending" shows 'sort: TX_KB▲'
sorted_case "Lifespans rows are in ascending TX_KB" asc
keys z

# filter one port, in place; then clear it
keys /
check "/ opens the filter line, with the filter in it" shows "^Filter: port $P1"
keys C-u
keys -l "port $P2"
keys Enter
check "the header shows the filter" shows "filter: port $P2"
only_p2() {
	pane_rows 1 | grep -q . || return 1
	! pane_rows 1 | grep -Eq "^ *[0-9]+ .* ($P1) "
}
check "only rows of port $P2 remain" wait_for 5 only_p2
check "the rows of port $P2 are there" sh -c "$TM capture-pane -t main -p | grep -q ' $P2 '"
keys Escape
check "Esc clears the filter" shows 'filter: none'
check "all rows come back" gone 'rows match'
keys /
keys -l "port 99999"
check "a bad filter shows its error on the line" shows 'not a port'
keys Escape
check "Esc leaves the filter as it was" shows 'filter: none'

# CSV snapshot of the focused pane, checked against the screen (our rows only: they do not change)
filter "port $P1,$P2"
check "filtered to our ports" shows "filter: port $P1,$P2"
keys 1 e
check "e writes a snapshot and says where" shows 'wrote .*tcpscope-lifespans-[0-9]{8}-[0-9]{6}\.csv'
csv=$(ls "$WORK"/tcpscope-lifespans-*.csv 2>/dev/null | head -1)
if [ -n "$csv" ]; then
	n_status=$(screen | sed -n 's/.*wrote .* (\([0-9]*\) rows).*/\1/p')
	n_csv=$(($(wc -l <"$csv") - 1))
	check "the snapshot has a header row" sh -c "head -1 '$csv' | grep -q '^TIME,PID,COMM,IP,LADDR,LPORT,RADDR,RPORT,TX_KB,RX_KB,TX_BYTES,RX_BYTES,MS'"
	check "the snapshot has as many rows as the status says ($n_status)" test "$n_status" = "$n_csv"
	check "the snapshot is mode 0600" test "$(stat -c %a "$csv")" = 600
	# the rows on screen are the first rows of the file, in the same order
	c_pid=$(col_of 1 PID)
	c_lport=$(col_of 1 LPORT)
	c_tx=$(col_of 1 TX_KB)
	pane_rows 1 | awk -v a="$c_pid" -v b="$c_lport" -v t="$c_tx" 'NF >= t { print $a "," $b "," $t }' >"$WORK/onscreen"
	tail -n +2 "$csv" | awk -F, '{ print $2 "," $6 "," $9 }' | head -n "$(wc -l <"$WORK/onscreen")" >"$WORK/incsv"
	check "the screen shows rows" test -s "$WORK/onscreen"
	check "the rows on screen match the file's first rows" cmp -s "$WORK/onscreen" "$WORK/incsv"
else
	fail "the snapshot file exists"
fi

# resize: smaller, tiny, and back
# (six panes of 3 lines at least, the header and the key bar: 21 lines)
$TM resize-window -t main -x 60 -y 21
# (tmux crops the old screen to 60x21: '4 Events' is in view only after a redraw)
check "at 60x21 the panes are still drawn" shows '4 Events'
check "... the last one too" shows '6 Listeners'
check "at 60x21 no line is wider than 60" sh -c "[ \$($TM capture-pane -t main -p | wc -L) -le 60 ]"
$TM resize-window -t main -x 30 -y 6
check "at 30x6 it says the terminal is too small" shows 'terminal too small'
$TM resize-window -t main -x 100 -y 34
check "back at 100x34 all six panes return" shows '6 Listeners'

keys '?'
check "? shows the help, from the keymap" shows 'filter-pid'
keys NPage NPage NPage NPage NPage NPage NPage NPage
check "the help's hooks say what tcp_probe (rtt) costs" shows '^  rtt +[a-z_]+ +runs for every segment received'
keys x
check "a key closes the help" shows '4 Events'

keys Space
check "Space pauses" shows 'PAUSED'
keys Space
check "Space again resumes" gone 'PAUSED'

keys F6
check "F6 opens the sort menu" shows 'Sort by'
keys Escape
check "Esc closes it" gone 'Sort by'

# a mouse click on a column header sorts by it (xterm's SGR mouse report, 1-based x;y)
hdr_line=$(screen | grep -n 'RX_KB' | head -1 | cut -d: -f1)
rx_x=$(screen | sed -n "${hdr_line}p" | awk '{ print index($0, "RX_KB") }')
if [ -n "$hdr_line" ] && [ "$rx_x" -gt 0 ]; then
	keys -l "$(printf '\033[<0;%d;%dM' $((rx_x + 1)) "$hdr_line")"
	keys -l "$(printf '\033[<0;%d;%dm' $((rx_x + 1)) "$hdr_line")"
	check "a click on RX_KB sorts by it" shows 'sort: RX_KB'
else
	fail "found the RX_KB header to click"
fi

keys q
check "q quits with status 0" wait_for 10 sh -c "grep -q 'EXITED 0' '$WORK/exited'"
check "the screen is restored (no tcpscope header left)" gone 'tcpscope [0-9]{2}:'
finish
