#!/bin/sh
# A full disk while recording (a small tmpfs; root to mount it): the
# recording stops with one clear line, tcpscope goes on and exits 1, and the
# file keeps what was written before (the replay says it was cut short).
# A disk already full refuses at start and leaves no file behind.
. "$(dirname "$0")/../lib.sh"
need_root "mounting a small tmpfs"
export TZ=UTC
SMALL=$WORK/small
mkdir "$SMALL"
if ! mount -t tmpfs -o size=512k,mode=0755 tcpscope-test "$SMALL"; then
	fail "mount a 512 KiB tmpfs"
	finish
fi
on_exit "umount $SMALL"

# through the recorder API: random records do not compress; two chunks fit, the third does not
"$TOOLS/mkrec" fill "$SMALL/api.tcps" 20000 2>"$WORK/api.err"
check "the recorder fails (exit 1)" test $? = 1
check "... saying why" grep -q "cannot write $SMALL/api.tcps: No space left on device; the [0-9]* records before stay readable" "$WORK/api.err"
"$TCPSCOPE" -b --view events -s --replay "$SMALL/api.tcps" >"$WORK/api.csv" 2>"$WORK/api-replay.err"
RC=$?
check "the cut recording replays up to the cut (exit 1)" test $RC = 1 -a "$(wc -l <"$WORK/api.csv")" -gt 100
check "... and says that it stopped early" grep -q "recording stopped early at byte [0-9]*: a write error" "$WORK/api-replay.err"
check "... in one line" test "$(wc -l <"$WORK/api-replay.err")" = 1
check "no temporary file is left" test "$(ls -A "$SMALL")" = api.tcps
rm -f "$SMALL/api.tcps"

# live: the disk fills while tcpscope records
"$TCPSCOPE" -b -s --record "$SMALL/live.tcps" -d 20 >"$WORK/live.csv" 2>"$WORK/live.err" &
PID=$!
on_exit "kill -KILL $PID"
if wait_for 20 test -s "$WORK/live.csv"; then
	dd if=/dev/urandom of="$SMALL/filler" bs=1k count=448 2>/dev/null
	# sessions until the recording stops (bounded)
	i=0
	while [ $i -lt 40 ] && ! grep -q "recording stopped" "$WORK/live.err"; do
		"$TOOLS/loopconn" 100 >/dev/null
		i=$((i + 1))
	done
	kill -INT $PID
	wait $PID
	RC=$?
	check "live: the recording stops with a clear line" grep -q "tcpscope: recording stopped: cannot write $SMALL/live.tcps: No space left on device" "$WORK/live.err"
	check "live: the sessions are still printed after it" test "$(grep -c ',loopconn,' "$WORK/live.csv")" -ge 200
	check "live: exit status 1" test $RC = 1
	"$TCPSCOPE" -b -s --replay "$SMALL/live.tcps" >"$WORK/replay.csv" 2>"$WORK/replay.err"
	RC=$?
	N=$(wc -l <"$WORK/replay.csv")
	check "live: the file replays up to the cut (exit 1)" test $RC = 1 -a "$N" -gt 1
	check "live: ... the same lines as the live run" sh -c "head -n $N '$WORK/live.csv' | cmp -s - '$WORK/replay.csv'"
	check "live: ... and says that it stopped early" grep -q "recording stopped early" "$WORK/replay.err"
else
	fail "tcpscope -b --record starts: $(head -c 300 "$WORK/live.err")"
fi
note "live: $(grep -c ,loopconn, "$WORK/live.csv") sessions printed, $(wc -l <"$WORK/replay.csv") lines replayed"
rm -f "$SMALL"/*

# a disk that is already full: refused at start, nothing left behind
dd if=/dev/zero of="$SMALL/filler" bs=1k count=512 2>/dev/null
"$TCPSCOPE" -b -d 1 --record "$SMALL/full.tcps" >/dev/null 2>"$WORK/full.err"
check "full from the start: exit 2" test $? = 2
check "... saying why" grep -q "tcpscope: --record: cannot write $SMALL/full.tcps: No space left on device" "$WORK/full.err"
check "... and leaving no file" test "$(ls -A "$SMALL")" = filler
finish
