#!/bin/sh
# The screen when things go wrong: signals (SIGTERM, SIGHUP as when SSH drops),
# resize storms and resizes while busy, no terminal, an unknown TERM, a
# snapshot that cannot be written (full disk, a symbolic link planted where it
# would go).
. "$(dirname "$0")/../lib.sh"
need_root "screen faults (live kernel)"
command -v tmux >/dev/null || { fail "tmux is installed"; finish; }

TM="tmux -L tcpscope-faults-$$ -f /dev/null"
on_exit "$TM kill-server"
start() { # start NAME [ARGS]: tcpscope in a tmux window, its exit status in $WORK/NAME.exit
	name=$1
	shift
	$TM new-session -d -s "$name" -x 100 -y 30 \
		"cd $WORK && LANG=C.UTF-8 TERM=xterm-256color $TCPSCOPE $*; echo EXIT \$? >$WORK/$name.exit; sleep 60"
	wait_for 10 sh -c "$TM capture-pane -t $name -p | grep -q '4 Events'"
}
pid_in() { pgrep -n -f "^$TCPSCOPE" -P "$($TM display-message -t "$1" -p '#{pane_pid}')"; }

for sig in TERM HUP INT; do
	start "s$sig"
	pid=$(pid_in "s$sig")
	kill -"$sig" "$pid"
	check "SIG$sig: a clean exit" wait_for 10 grep -q 'EXIT 0' "$WORK/s$sig.exit"
	check "SIG$sig: the terminal is restored" wait_for 5 sh -c "! $TM capture-pane -t s$sig -p | grep -q '4 Events'"
done

start storm
for i in $(seq 1 40); do
	$TM resize-window -t storm -x $((60 + i % 7 * 10)) -y $((15 + i % 5 * 4))
done
$TM resize-window -t storm -x 100 -y 30
check "a storm of resizes: still drawing at 100x30" wait_for 10 sh -c "$TM capture-pane -t storm -p | grep -q '4 Events'"
check "... and still running" kill -0 "$(pid_in storm)"

# A resize that comes while tcpscope is busy (drawing, draining, looking for
# keys) must not wait for a key to be taken. strace makes every poll() return
# 0.3 s late, so the resizes below land in that window rather than in the wait.
if command -v strace >/dev/null; then
	$TM new-session -d -s busy -x 100 -y 30 "LANG=C.UTF-8 TERM=xterm-256color \
		strace -o /dev/null -e trace=poll -e inject=poll:delay_exit=300000 \
		$TCPSCOPE --replay $TOP/tests/golden/golden.tcps; sleep 60"
	busy() { wait_for 10 sh -c "$TM capture-pane -t busy -p | grep -q -- \"\$1\"" _ "$1"; }
	check "slow polls: the screen starts" busy '4 Events'
	for i in 1 2 3; do
		$TM resize-window -t busy -x 30 -y 6
		check "slow polls, resize $i: the small size is taken" busy 'terminal too small'
		$TM resize-window -t busy -x 100 -y 30
		check "slow polls, resize $i: back at 100x30 without a key" busy '4 Events'
	done
else
	fail "strace is installed (make test installs it)"
fi

# the snapshot refuses a symbolic link planted where it would write: links for
# every second of the next 30, planted once the screen is up (its start may be
# slow), then e at once
mkdir -p "$WORK/exp"
echo precious >"$WORK/target"
start snap --export-dir "$WORK/exp"
now=$(date +%s)
for d in $(seq 0 29); do
	ln -s "$WORK/target" "$WORK/exp/tcpscope-lifespans-$(date -d "@$((now + d))" +%Y%m%d-%H%M%S).csv"
done
$TM send-keys -t snap e
check "e on a planted symbolic link: an error on the status line" \
	wait_for 10 sh -c "$TM capture-pane -t snap -p | grep -Eiq 'link|exists'"
check "... and the link's target is untouched" grep -qx precious "$WORK/target"

# a full disk: an error, and no partial file
mkdir -p "$WORK/full"
if mount -t tmpfs -o size=64k tmpfs "$WORK/full"; then
	on_exit "umount $WORK/full"
	dd if=/dev/zero of="$WORK/full/fill" bs=4k count=100 2>/dev/null
	start full --export-dir "$WORK/full"
	$TM send-keys -t full e
	check "e on a full disk: an error on the status line" \
		wait_for 10 sh -c "$TM capture-pane -t full -p | grep -q 'No space left'"
	check "... and no file left behind" sh -c "! ls '$WORK/full' | grep -q tcpscope"
else
	fail "mount a small tmpfs"
fi

# no terminal, or one curses does not know: one line, exit status 2, before BPF loads
$TCPSCOPE </dev/null >"$WORK/notty.out" 2>"$WORK/notty.err"
rc=$?
check "not a terminal: exit status 2" test "$rc" = 2
check "... saying to use -b" grep -q 'not a terminal: use -b' "$WORK/notty.err"
$TM new-session -d -s badterm -x 80 -y 24 \
	"TERM=no-such-terminal $TCPSCOPE 2>$WORK/badterm.err; echo EXIT \$? >$WORK/badterm.exit; sleep 30"
check "an unknown TERM: exit status 2" wait_for 10 grep -q 'EXIT 2' "$WORK/badterm.exit"
check "... naming the terminal type" grep -q "terminal type 'no-such-terminal'" "$WORK/badterm.err"
finish
