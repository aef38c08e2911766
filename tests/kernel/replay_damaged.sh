#!/bin/sh
# Damaged, foreign and newer recordings (no root): one line on stderr that
# names the problem and the offset, exit status 2 when the file is refused
# at open and 1 when damage stops a replay, never a crash; the sessions
# recorded before the damage are still printed.
. "$(dirname "$0")/../lib.sh"

if [ ! -x "$TOOLS/mkrec" ]; then
	fail "mkrec is built (make test-bins)"
	finish
fi
# several chunks of sessions (a chunk holds 256 KiB of records)
"$TOOLS/mkrec" bench "$WORK/rec.tcps" 12000 2>/dev/null || fail "mkrec bench"
SIZE=$(stat -c %s "$WORK/rec.tcps")
"$TCPSCOPE" -b --replay "$WORK/rec.tcps" -s >"$WORK/full.csv" 2>"$WORK/full.err"
check "the whole recording replays cleanly" test $? = 0 -a ! -s "$WORK/full.err"
FULL=$(wc -l <"$WORK/full.csv")
note "$SIZE bytes, $FULL lines"

# replay FILE: run it; RC, ERR (stderr), LINES (stdout lines), OUT (stdout)
replay() {
	OUT=$WORK/out.csv
	"$TCPSCOPE" -b --replay "$1" -s >"$OUT" 2>"$WORK/err"
	RC=$?
	ERR=$(cat "$WORK/err")
	LINES=$(wc -l <"$OUT")
}

# expect NAME STATUS PATTERN: the last replay exited STATUS with one line matching PATTERN
expect() {
	if [ "$RC" = "$2" ] && [ "$(wc -l <"$WORK/err")" = 1 ] &&
		printf '%s\n' "$ERR" | grep -q -- "$3"; then
		ok "$1: exit $2, '$ERR'"
	else
		fail "$1: exit $RC (want $2), stderr '$ERR' (want one line with '$3')"
	fi
}

# prefix NAME: what was printed is the start of the full output, and not nothing
prefix() {
	if [ "$LINES" -gt 1 ] && [ "$LINES" -lt "$FULL" ] &&
		head -n "$LINES" "$WORK/full.csv" | cmp -s - "$OUT"; then
		ok "$1: the $LINES lines before the damage are printed"
	else
		fail "$1: $LINES lines printed, not a prefix of the $FULL of the whole file"
	fi
}

: >"$WORK/empty"
replay "$WORK/empty"
expect empty 2 "empty file, not a tcpscope recording"
check "empty: nothing on stdout" test "$LINES" = 0

replay /bin/sh
expect foreign-binary 2 "/bin/sh: not a tcpscope recording (it is an ELF executable)"

printf 'PID,COMM\n1,x\n' >"$WORK/text.csv"
replay "$WORK/text.csv"
expect foreign-text 2 "text.csv: not a tcpscope recording (it is text)"

gzip -c "$WORK/text.csv" >"$WORK/text.gz"
replay "$WORK/text.gz"
expect foreign-gzip 2 "not a tcpscope recording (it is gzip data)"

"$TOOLS/mkrec" newer "$WORK/newer.tcps"
replay "$WORK/newer.tcps"
expect newer 2 "recording format 2.0 is newer than this tcpscope reads (1.x)"

replay "$WORK/no-such.tcps"
expect missing 2 "no-such.tcps: No such file or directory"

replay "$WORK"
expect directory 2 "is a directory"

# cut at several places
for cut in 5 20; do
	head -c $cut "$WORK/rec.tcps" >"$WORK/cut$cut.tcps"
	replay "$WORK/cut$cut.tcps"
	expect cut-at-$cut 2 "cut short at byte $cut, inside the file header"
done
head -c 32 "$WORK/rec.tcps" >"$WORK/cut32.tcps"
replay "$WORK/cut32.tcps"
expect cut-at-32 1 "ends at byte 32 without its end marker: cut short (the 0 records"
head -c 40 "$WORK/rec.tcps" >"$WORK/cut40.tcps"
replay "$WORK/cut40.tcps"
expect cut-at-40 1 "cut short at byte 40, inside the chunk header at byte 32"
for cut in $((SIZE / 2)) $((SIZE * 4 / 5)); do
	head -c $cut "$WORK/rec.tcps" >"$WORK/cut$cut.tcps"
	replay "$WORK/cut$cut.tcps"
	expect cut-at-$cut 1 "cut short at byte $cut, inside the chunk at byte [0-9]*"
	prefix cut-at-$cut
done
head -c $((SIZE - 20)) "$WORK/rec.tcps" >"$WORK/noend.tcps"
replay "$WORK/noend.tcps"
expect no-end-marker 1 "ends at byte $((SIZE - 20)) without its end marker"
check "no end marker: every session is printed" cmp -s "$WORK/full.csv" "$OUT"

# a flipped byte in the middle
cp "$WORK/rec.tcps" "$WORK/flip.tcps"
printf '\377' | dd of="$WORK/flip.tcps" bs=1 seek=$((SIZE * 3 / 5)) conv=notrunc 2>/dev/null
replay "$WORK/flip.tcps"
expect flipped-byte 1 "chunk at byte [0-9]* is damaged (checksum mismatch) (the [0-9]* records before it were read)"
prefix flipped-byte
# and one in the file header
cp "$WORK/rec.tcps" "$WORK/flip-hdr.tcps"
printf 'X' | dd of="$WORK/flip-hdr.tcps" bs=1 seek=20 conv=notrunc 2>/dev/null
replay "$WORK/flip-hdr.tcps"
expect flipped-header 2 "the file header is damaged"

# the same through standard input
"$TCPSCOPE" -b --replay - -s <"$WORK/flip.tcps" >"$OUT" 2>"$WORK/err"
RC=$? ERR=$(cat "$WORK/err") LINES=$(wc -l <"$OUT")
expect stdin-damaged 1 "standard input: chunk at byte [0-9]* is damaged (checksum mismatch)"
prefix stdin-damaged
cat "$WORK/cut32.tcps" | "$TCPSCOPE" -b --replay - -s >"$OUT" 2>"$WORK/err"
RC=$? ERR=$(cat "$WORK/err")
expect stdin-pipe-cut 1 "standard input: ends at byte 32 without its end marker"
"$TCPSCOPE" -b --replay - -s </dev/null >"$OUT" 2>"$WORK/err"
RC=$? ERR=$(cat "$WORK/err")
expect stdin-empty 2 "standard input: empty file"
finish
