#!/bin/sh
# make screenshots: replay screenshots/demo.tcps (recorded by record-demo.sh
# on a real kernel) in tmux, and turn what the terminal shows, colours and
# all, into PNG images: tmux capture-pane -e -> aha (ANSI to HTML) ->
# wkhtmltoimage -> pngquant. No root needed.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
DIR=$TOP/screenshots
TM="tmux -L tcpscope-shots-$$ -f /dev/null"
W=$(mktemp -d)
trap '$TM kill-server 2>/dev/null; rm -rf "$W"' EXIT

wait_screen() { # PATTERN: until the screen shows it (at most 20 s)
	for i in $(seq 1 200); do
		$TM capture-pane -t s -p | grep -Eq -- "$1" && return 0
		sleep 0.1
	done
	echo "screenshots: the screen never showed '$1'" >&2
	$TM capture-pane -t s -p >&2
	exit 1
}

shot() { # NAME: the screen as it is now, to screenshots/NAME.png
	$TM capture-pane -t s -e -p -N >"$W/$1.ansi"
	aha --black --title "tcpscope: $1" <"$W/$1.ansi" >"$W/$1.html"
	wkhtmltoimage --quiet --width 1110 "$W/$1.html" "$W/$1.png" 2>/dev/null
	pngquant --force --output "$DIR/$1.png" 32 "$W/$1.png"
	echo "  SHOT     screenshots/$1.png"
}

$TM new-session -d -s s -x 120 -y 36 \
	"cd $W && TZ=UTC LANG=C.UTF-8 TERM=xterm-256color $TOP/tcpscope --replay $DIR/demo.tcps --speed 3; sleep 600"
wait_screen 'end of the recording'
# the status line goes after a few seconds; then the screen is as a user sees it
for i in $(seq 1 100); do
	$TM capture-pane -t s -p | grep -q 'end of the recording' || break
	sleep 0.1
done
shot panes

$TM send-keys -t s 1 z
for i in $(seq 1 20); do
	$TM capture-pane -t s -p | grep -q 'sort: TX_KB▼' && break
	$TM send-keys -t s '>'
	sleep 0.1
done
wait_screen 'sort: TX_KB▼'
shot zoomed
# the connection that sent most: its page
$TM send-keys -t s Enter
wait_screen '^ Timeline'
shot page
$TM send-keys -t s Escape
wait_screen 'sort: TX_KB▼'
$TM send-keys -t s z

$TM send-keys -t s '?'
wait_screen 'filter-pid'
shot help
$TM send-keys -t s x

$TM send-keys -t s /
$TM send-keys -t s -l 'port 8080 !ip 4'
wait_screen 'Filter: port 8080 !ip 4'
shot filter
$TM send-keys -t s Enter
