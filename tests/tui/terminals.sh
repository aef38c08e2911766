#!/bin/sh
# Terminals: UTF-8 or ASCII, colours or none (NO_COLOR, a colourless
# terminal), the terminal types tmux and screen give.
. "$(dirname "$0")/../lib.sh"
need_root "terminals (live kernel)"
command -v tmux >/dev/null || { fail "tmux is installed"; finish; }

TM="tmux -L tcpscope-terms-$$ -f /dev/null"
on_exit "$TM kill-server"
ESC=$(printf '\033')

# run NAME ENV...: tcpscope in a window with that environment; the screen in $WORK/NAME
run() {
	name=$1
	shift
	$TM new-session -d -s "$name" -x 100 -y 30 "env $* $TCPSCOPE; sleep 60"
	if wait_for 10 sh -c "$TM capture-pane -t $name -p | grep -q '4 Events'"; then
		$TM capture-pane -t "$name" -p >"$WORK/$name"
		$TM capture-pane -t "$name" -p -e >"$WORK/$name.e"
		return 0
	fi
	$TM capture-pane -t "$name" -p | sed 's/^/# /'
	return 1
}

check "UTF-8: starts" run utf8 LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color
check "UTF-8: arrows and the focus mark are drawn as such" \
	sh -c "grep -q '▸1 Lifespans' '$WORK/utf8' && grep -q 'TIME▼' '$WORK/utf8'"
check "UTF-8: colours are used" grep -q "$ESC\[[0-9;]*3[0-7]m\|$ESC\[[0-9;]*4[0-7]m\|38;5" "$WORK/utf8.e"

check "ASCII: starts" run ascii LANG=C LC_ALL=C TERM=xterm-256color
check "ASCII: no byte above 127 on screen" sh -c "! LC_ALL=C grep -q '[^ -~]' '$WORK/ascii'"
check "ASCII: the focus mark and sort arrow in ASCII" \
	sh -c "grep -q '>1 Lifespans' '$WORK/ascii' && grep -q 'TIMEv' '$WORK/ascii'"

check "NO_COLOR: starts" run nocolor NO_COLOR=1 LANG=C.UTF-8 TERM=xterm-256color
check "NO_COLOR: no colour on screen (attributes only)" \
	sh -c "! grep -q '$ESC\[[0-9;]*\(3[0-7]\|4[0-7]\|38;5\|48;5\)' '$WORK/nocolor.e'"
check "NO_COLOR: the focused pane is still marked" grep -q '▸1 Lifespans' "$WORK/nocolor"

check "a colourless terminal type (vt100): starts" run vt LANG=C TERM=vt100
check "vt100: no colour" sh -c "! grep -q '$ESC\[[0-9;]*\(3[0-7]\|4[0-7]\)m' '$WORK/vt.e'"

check "TERM=screen: starts" run scr LANG=C.UTF-8 TERM=screen
check "TERM=tmux-256color: starts" run tmx LANG=C.UTF-8 TERM=tmux-256color
finish
