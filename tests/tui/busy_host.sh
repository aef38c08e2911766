#!/bin/sh
# What keeps the screen answering keys on a busy host (the soak measures the
# answers): its priority, raised while it runs and given back at exit, and
# frames that reach the terminal in one write each rather than one per
# cursor move. Replays: no kernel side needed, but raising a priority is
# root's (CAP_SYS_NICE).
. "$(dirname "$0")/../lib.sh"
need_root "the screen's priority (CAP_SYS_NICE)"
command -v tmux >/dev/null || { fail "tmux is installed"; finish; }

TM="tmux -L tcpscope-busy-$$ -f /dev/null"
on_exit "$TM kill-server"
REC=$TOP/tests/golden/golden.tcps
# start NAME [PREFIX...] -- [ARGS...]: the screen replaying in a tmux window; the
# pane's shell stays (sleep) after tcpscope exits, so its group can be read then
start() {
	name=$1
	shift
	pre=""
	while [ "$1" != "--" ]; do
		pre="$pre $1"
		shift
	done
	shift
	$TM new-session -d -s "$name" -x 100 -y 30 \
		"cd $WORK && LANG=C.UTF-8 TERM=xterm-256color $pre $TCPSCOPE --replay $REC --speed 0.01 $*; echo EXIT \$? >$WORK/$name.exit; sleep 60"
	wait_for 10 sh -c "$TM capture-pane -t $name -p | grep -q '4 Events'"
}
pane_pid() { $TM display-message -t "$1" -p '#{pane_pid}'; }
tcpscope_pid() { pgrep -n -f "$TCPSCOPE" -P "$(pane_pid "$1")"; }
group_nice() { sed -n 's/.* nice \(-*[0-9]*\)$/\1/p' "/proc/$1/autogroup" 2>/dev/null; }
own_nice() { ps -o ni= -p "$1" | tr -d ' '; }
quit() { # NAME: q, and wait for the exit status
	$TM send-keys -t "$1" q
	wait_for 10 grep -q 'EXIT 0' "$WORK/$1.exit"
}

autogroup=no
[ "$(cat /proc/sys/kernel/sched_autogroup_enabled 2>/dev/null)" = 1 ] && [ -r /proc/self/autogroup ] &&
	autogroup=yes
note "autogroup: $autogroup"

check "default: the screen starts" start def --
shell=$(pane_pid def)
pid=$(tcpscope_pid def)
check "default: the screen runs at nice -5 ($(own_nice "$pid"))" test "$(own_nice "$pid")" = -5
if [ $autogroup = yes ]; then
	check "default: its session's group at nice -5 too (a new session's starts at 0)" test "$(group_nice "$pid")" = -5
fi
check "default: q quits" quit def
if [ $autogroup = yes ]; then
	check "default: the group's nice is given back at exit ($(group_nice "$shell"))" test "$(group_nice "$shell")" = 0
fi

check "--nice -12: the screen starts" start n12 -- --nice -12
pid=$(tcpscope_pid n12)
check "--nice -12: taken ($(own_nice "$pid"))" test "$(own_nice "$pid")" = -12
shell=$(pane_pid n12)
kill -TERM "$pid"
check "--nice -12: SIGTERM, a clean exit" wait_for 10 grep -q 'EXIT 0' "$WORK/n12.exit"
if [ $autogroup = yes ]; then
	check "--nice -12: the group's nice is given back after SIGTERM" test "$(group_nice "$shell")" = 0
fi

check "--nice 0: the screen starts" start n0 -- --nice 0
pid=$(tcpscope_pid n0)
check "--nice 0: the priority is left alone" test "$(own_nice "$pid")" = 0
if [ $autogroup = yes ]; then
	check "--nice 0: so is the group's" test "$(group_nice "$pid")" = 0
fi
quit n0

# a priority is only ever raised: started at nice 3, --nice 5 changes nothing
check "nice 3 given by the user: the screen starts" start n3 nice -n 3 -- --nice 5
pid=$(tcpscope_pid n3)
check "nice 3 and --nice 5: a priority is never lowered (still 3)" test "$(own_nice "$pid")" = 3
quit n3

# without the privilege: the screen runs all the same, at the priority it had
if command -v setpriv >/dev/null; then
	# copies nobody can reach, wherever the checkout lies
	cp "$TCPSCOPE" "$WORK/tcpscope"
	cp "$REC" "$WORK/golden.tcps"
	chmod 755 "$WORK" "$WORK/tcpscope"
	chmod 644 "$WORK/golden.tcps"
	TCPSCOPE=$WORK/tcpscope REC=$WORK/golden.tcps
	check "no CAP_SYS_NICE: the screen starts" start np setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all env HOME=/nonexistent -- ""
	pid=$(tcpscope_pid np)
	check "no CAP_SYS_NICE: the priority stays 0" test "$(own_nice "$pid")" = 0
	if [ $autogroup = yes ]; then
		check "no CAP_SYS_NICE: so does the group's" test "$(group_nice "$pid")" = 0
	fi
	check "no CAP_SYS_NICE: q quits" quit np
else
	fail "setpriv is installed (util-linux)"
fi

# frames: strace sees ncurses' writes into the memory file between the two
# dup2()s that swap it in and out, and the writes that reach the terminal
if command -v strace >/dev/null; then
	check "traced: the screen starts" start tr strace -f -o "$WORK/tr.trace" -e trace=write,dup2 -- ""
	$TM send-keys -t tr '?'
	check "traced: the help screen is drawn" wait_for 10 sh -c "$TM capture-pane -t tr -p | grep -q 'any key closes'"
	$TM send-keys -t tr x
	wait_for 10 sh -c "$TM capture-pane -t tr -p | grep -q '4 Events'"
	quit tr
	# per frame: "in" writes into the memory file, then one to the terminal
	awk '
	{ sub(/^[0-9]+ +/, "") }
	/^dup2\([0-9]+, 1\)/ { fd = $1; sub(/dup2\(/, "", fd); sub(/,/, "", fd)
		if (mem == "") mem = fd
		if (fd == mem) { inside = 1 } else { inside = 0; frames++ }
		next }
	/^write\(1,/ { if (inside) into++; else { out++ } }
	END { print frames + 0, into + 0, out + 0 }' "$WORK/tr.trace" >"$WORK/tr.count"
	read -r frames into out <"$WORK/tr.count"
	note "frames $frames, ncurses' writes into them $into, writes to the terminal $out"
	check "traced: frames were drawn ($frames), ncurses writing several times for each ($into)" \
		test "$frames" -ge 3 -a "$into" -ge $((frames * 3))
	# the rest: entering and leaving the screen, and curs_set/mouse set-up
	check "traced: each frame reached the terminal in one write ($out writes for $frames frames)" \
		test "$out" -le $((frames + 8))
else
	fail "strace is installed (make test installs it)"
fi
finish
