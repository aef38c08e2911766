#!/bin/sh
# The connection's page in tmux, live and from a replay of the recording the
# live screen made: a session on loopback, its two ends in Lifespans
# (--filter on its port, --sort LPORT:desc: the client's end, then the
# server's, whatever else the host does); the second row selected, Enter opens its page: both ends, direction, owner,
# and the timeline of its states in order (SYN_RECV -> ESTABLISHED ... ->
# CLOSE for the server's end); `e` exports the timeline as CSV (header, a row
# per line, the same states); Esc goes back with the selection kept (Enter
# opens the same page again). The replay shows the same page and exports
# the same CSV, byte for byte. Waits for what the screen shows.
. "$(dirname "$0")/../lib.sh"
need_root "the connection's page (live kernel)"
command -v tmux >/dev/null || {
	fail "tmux is installed"
	finish
}

TM="tmux -L tcpscope-page-$$ -f /dev/null"
on_exit "$TM kill-server"
screen() { $TM capture-pane -t main -p; }
shows() { wait_for 10 sh -c "$TM capture-pane -t main -p | grep -Eq -- \"\$1\"" _ "$1"; }
gone() { wait_for 10 sh -c "! $TM capture-pane -t main -p | grep -Eq -- \"\$1\"" _ "$1"; }
keys() { $TM send-keys -t main "$@"; }
P=$((20000 + $$ % 10000))
mkdir -p "$WORK/live" "$WORK/replay"

$TM new-session -d -s main -x 120 -y 40 \
	"cd $WORK && LANG=C.UTF-8 TERM=xterm-256color $TCPSCOPE --sort LPORT:desc --filter \"port $P\" --export-dir $WORK/live --record $WORK/rec.tcps; echo EXITED \$? >$WORK/exited; sleep 60"
check "starts" shows '1 Lifespans'
gen_server - srv -a 127.0.0.1 -p $P -n 1 -s 200000 -r 10 &&
	"$TCPGEN" client -a 127.0.0.1 -p $P -n 1 -s 10 -r 200000 >"$WORK/cli.txt"
reap $GEN_PID 10
cport=$(sed -n 's/^conn side=client .* lport=\([0-9]*\) .*/\1/p' "$WORK/cli.txt")
check "tcpgen made a session on port $P" [ -n "$cport" ]

# page NAME DIR: the Lifespans rows of port P (the client's, then the server's),
# the second one's page, its export into DIR, and back
page() {
	check "$1: both ends in Lifespans" shows "2 of [0-9]+ rows match"
	check "$1: sorted by LPORT, high to low" shows "sort: LPORT▼"
	# (not Home: tmux sends it as ESC [ 1 ~, which the screen under TERM=xterm
	# reads as an Esc, and Esc clears the filter)
	keys 1 Down
	check "$1: the filter stays on" shows "filter: port $P "
	keys Enter
	check "$1: Enter opens the server's end's page: both ends" \
		shows "^ Connection 127\.0\.0\.1:$P -> 127\.0\.0\.1:$cport  IPv4  ok"
	check "$1: its direction and owner" \
		sh -c "$TM capture-pane -t main -p | grep -q '^  direction accept ' &&
			$TM capture-pane -t main -p | grep -Eq '^  owner     PID $spid tcpgen '"
	check "$1: the timeline, its states in order" timeline
	keys e
	check "$1: e says where it wrote the timeline" shows "wrote .*/tcpscope-connection-[0-9a-f]+-[0-9-]+\.csv \([0-9]+ lines\)"
	check "$1: the CSV: its header and a row per state" exported "$2"
	keys Escape
	check "$1: Esc goes back to the panes" shows '▸1 Lifespans'
	gone '^ Timeline'
	keys Enter
	check "$1: the selection was kept: Enter opens the same page" \
		shows "^ Connection 127\.0\.0\.1:$P -> 127\.0\.0\.1:$cport "
	keys Escape
	shows '▸1 Lifespans'
}
# the server's states: SYN_RECV -> ESTABLISHED (the accept), then it closes first
STATES="LISTEN>SYN_RECV SYN_RECV>ESTABLISHED ESTABLISHED>FIN_WAIT1 FIN_WAIT1>FIN_WAIT2 FIN_WAIT2>CLOSE"
timeline() {
	got=$(screen | awk '/^ Timeline  [0-9]+ lines/ { on = 1; next }
		on && $2 == "STATE" && $4 == "->" { printf "%s%s>%s", sep, $3, $5; sep = " " }')
	[ "$got" = "$STATES" ] && return 0
	# (a state the kernel skips, as a socket born from a listener may: its first)
	[ "$got" = "${STATES#* }" ] && return 0
	note "timeline: '$got', want '$STATES'"
	return 1
}
exported() {
	f=$(ls "$1"/tcpscope-connection-*.csv 2>/dev/null | head -1)
	[ -n "$f" ] || return 1
	[ "$(head -1 "$f")" = "TIME,TYPE,STATE,FROM,TO,MS,DETAIL" ] || return 1
	got=$(csv "$f" '{ printf "%s%s>%s", sep, c["FROM"], c["TO"]; sep = " " } c["TYPE"] != "STATE" { bad = 1 }
		c["TIME"] !~ /^[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\.[0-9][0-9][0-9][0-9][0-9][0-9]$/ { bad = 1 } END { if (bad) print " bad" }')
	[ "$got" = "$STATES" ] || [ "$got" = "${STATES#* }" ] || {
		note "exported: '$got'"
		return 1
	}
}
spid=$(sed -n 's/^conn side=server pid=\([0-9]*\) .*/\1/p' "$WORK/srv.txt")
page live "$WORK/live"
keys q
check "q quits, status 0" wait_for 10 grep -q 'EXITED 0' "$WORK/exited"

# the replay of what the live screen recorded, in a tmux of its own
TM="tmux -L tcpscope-page-replay-$$ -f /dev/null"
on_exit "$TM kill-server"
rm -f "$WORK/exited"
$TM new-session -d -s main -x 120 -y 40 \
	"cd $WORK && LANG=C.UTF-8 TERM=xterm-256color $TCPSCOPE --sort LPORT:desc --filter \"port $P\" --replay $WORK/rec.tcps --export-dir $WORK/replay; echo EXITED \$? >$WORK/exited; sleep 60"
check "replay: starts" shows '1 Lifespans'
page replay "$WORK/replay"
check "replay: the same timeline CSV as live, byte for byte" \
	cmp "$(ls "$WORK"/live/tcpscope-connection-*.csv | head -1)" "$(ls "$WORK"/replay/tcpscope-connection-*.csv | head -1)"
keys q
check "replay: q quits, status 0" wait_for 10 grep -q 'EXITED 0' "$WORK/exited"
finish
