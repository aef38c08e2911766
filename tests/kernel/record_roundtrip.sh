#!/bin/sh
# Record the live kernel as root while loopback sessions happen, then replay
# the file as an unprivileged user: the batch output is identical. Also: the
# file is 0600, existing files and links are not replaced, '-' streams the
# recording through a pipe, and a full standard output is said at once.
. "$(dirname "$0")/../lib.sh"
need_root "recording the live kernel"
export TZ=UTC
LOOPCONN=$TOOLS/loopconn
AS_NOBODY="setpriv --reuid=nobody --regid=nogroup --clear-groups"
ARGS="--view lifespans -s -T -t"

# start NAME ARGS...: tcpscope -b ARGS in the background; returns once it traces
start() {
	_sname=$1
	shift
	"$TCPSCOPE" -b "$@" >"$WORK/$_sname.out" 2>"$WORK/$_sname.err" &
	PID=$!
	on_exit "kill -KILL $PID"
	wait_for 20 test -s "$WORK/$_sname.out" && return 0
	note "tcpscope $* did not start: $(head -c 300 "$WORK/$_sname.err")"
	return 1
}

# stop: ^C, and its exit status in RC
stop() {
	kill -INT "$PID"
	wait "$PID"
	RC=$?
}

# shellcheck disable=SC2086
if start live $ARGS --record "$WORK/live.tcps"; then
	"$LOOPCONN" 25 3000 >/dev/null || fail "loopconn"
	# sessions show up as they close; a tick after them records their
	# throughput, in the file (.live.tcps.XXXXXX until the end) once the
	# recorder flushes, a second later
	wait_for 10 sh -c "[ \$(grep -c ',loopconn,' '$WORK/live.out') -ge 100 ]"
	wait_for 10 sh -c "'$TCPSCOPE' -b --view throughput -s --replay '$WORK'/.live.tcps.* 2>/dev/null |
		grep -q ',loopconn,'" || note "no throughput of loopconn recorded after 10 s"
	stop
	check "live recording exits 0" test "$RC" = 0
	check "every loopback session is recorded" test "$(grep -c ',loopconn,' "$WORK/live.out")" -ge 100
	check "the recording is mode 0600, root's" test "$(stat -c %a:%U "$WORK/live.tcps")" = 600:root
	check "no temporary file is left" test "$(ls -A "$WORK" | grep -c '^\.live')" = 0

	# nobody cannot open the file; stdin, opened by root, is fine
	$AS_NOBODY "$TCPSCOPE" -b $ARGS --replay - <"$WORK/live.tcps" >"$WORK/replay.out" 2>"$WORK/replay.err"
	check "replay as nobody exits 0" test $? = 0
	check "replay as nobody prints what the live run printed" cmp -s "$WORK/live.out" "$WORK/replay.out"
	cmp "$WORK/live.out" "$WORK/replay.out" | sed 's/^/# /'
	mkdir -m 755 "$WORK/pub" && chmod 755 "$WORK" && cp "$WORK/live.tcps" "$WORK/pub/" &&
		chmod 644 "$WORK/pub/live.tcps"
	$AS_NOBODY "$TCPSCOPE" -b $ARGS --replay "$WORK/pub/live.tcps" >"$WORK/replay2.out" 2>&1
	check "replay by path as nobody is the same" cmp -s "$WORK/live.out" "$WORK/replay2.out"
	$AS_NOBODY "$TCPSCOPE" -b $ARGS --replay "$WORK/live.tcps" >/dev/null 2>"$WORK/denied.err"
	check "a file nobody may not read is said so" grep -q "live.tcps: Permission denied" "$WORK/denied.err"
	"$TCPSCOPE" -b --view throughput -s --replay "$WORK/live.tcps" >"$WORK/tput.csv" 2>/dev/null
	check "the throughput of the sessions is in the recording" grep -q ',loopconn,' "$WORK/tput.csv"
else
	fail "tcpscope -b --record starts"
fi

# nothing is replaced or followed without --force
"$TCPSCOPE" -b -d 1 --record "$WORK/live.tcps" >/dev/null 2>"$WORK/exists.err"
check "an existing file is refused (exit 2)" test $? = 2
check "... saying why" grep -q "live.tcps exists: use --force to replace it" "$WORK/exists.err"
echo precious >"$WORK/target"
ln -s "$WORK/target" "$WORK/link.tcps"
"$TCPSCOPE" -b -d 1 --force --record "$WORK/link.tcps" >/dev/null 2>"$WORK/link.err"
check "a symbolic link is refused even with --force" test $? = 2
check "... and its target is untouched" test "$(cat "$WORK/target")" = precious
"$TCPSCOPE" -b -d 1 --force --record "$WORK/live.tcps" >/dev/null 2>&1
check "--force replaces an existing recording" test $? = 0
"$TCPSCOPE" -b -d 1 --record - >/dev/full 2>"$WORK/full.err"
check "--record - to a full standard output: exit 2" test $? = 2
check "... saying why" grep -q "cannot write standard output: No space left on device" "$WORK/full.err"

# '-': the recording streams through a pipe to an unprivileged replay; batch lines go to stderr
"$TCPSCOPE" -b -d 4 -s --record - 2>"$WORK/pipe-rec.err" |
	$AS_NOBODY "$TCPSCOPE" -b -s --replay - >"$WORK/pipe.out" 2>"$WORK/pipe.err" &
PIPE=$!
wait_for 20 grep -q '^PID,' "$WORK/pipe-rec.err"
"$LOOPCONN" 10 >/dev/null
wait $PIPE
RC=$?
# (a busy host may add "records lost" notes: those are the recording's, not damage)
check "a replay from a live pipe ends cleanly" test $RC = 0
grep -v "records lost\|without their close" "$WORK/pipe.err" | sed 's/^/# /'

check "... with the sessions" test "$(grep -c ',loopconn,' "$WORK/pipe.out")" -ge 40
check "... and the recorder's lines went to stderr" test "$(grep -c ',loopconn,' "$WORK/pipe-rec.err")" -ge 40
finish
