#!/bin/sh
# Golden replays (no root): a fixed recording made by mkrec, and the same
# recording as committed (tests/golden/golden.tcps, so that files of this
# format stay readable), replayed in batch mode for every view, as text and
# as CSV, must print exactly what tests/golden/ holds.
# UPDATE_GOLDEN=1 tests/kernel/replay_golden.sh writes the outputs there instead.
. "$(dirname "$0")/../lib.sh"
GOLDEN=$TOP/tests/golden
export TZ=UTC

if [ ! -x "$TOOLS/mkrec" ]; then
	fail "mkrec is built (make test-bins)"
	finish
fi
"$TOOLS/mkrec" golden "$WORK/fresh.tcps" || fail "mkrec golden"

# golden NAME FILE ARGS...: replay FILE with ARGS; stdout must be NAME, stderr stderr.txt
golden() {
	_name=$1 _rec=$2
	shift 2
	"$TCPSCOPE" -b --replay "$_rec" "$@" >"$WORK/out" 2>"$WORK/err"
	_rc=$?
	if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
		cp "$WORK/out" "$GOLDEN/$_name"
		cp "$WORK/err" "$GOLDEN/stderr.txt"
		ok "$_name written"
		return
	fi
	if [ "$_rc" = 0 ] && cmp -s "$WORK/out" "$GOLDEN/$_name" &&
		cmp -s "$WORK/err" "$GOLDEN/stderr.txt"; then
		ok "$_name: $(basename "$_rec") $*"
	else
		fail "$_name: $(basename "$_rec") $* (exit $_rc)"
		diff -u "$GOLDEN/$_name" "$WORK/out" | head -30 | sed 's/^/# /'
		diff -u "$GOLDEN/stderr.txt" "$WORK/err" | head -10 | sed 's/^/# /'
	fi
}

for view in lifespans throughput states events; do
	golden "$view.txt" "$WORK/fresh.tcps" --view "$view"
	golden "$view.csv" "$WORK/fresh.tcps" --view "$view" -s
done
golden all-times.txt "$WORK/fresh.tcps" --view all -T -t -w
golden socket.csv "$WORK/fresh.tcps" --view throughput --group socket -s -T

# the committed recording is made once: later formats must still read it
[ "${UPDATE_GOLDEN:-}" = 1 ] && [ ! -e "$GOLDEN/golden.tcps" ] && cp "$WORK/fresh.tcps" "$GOLDEN/golden.tcps"

# the committed file of format 1.0 reads the same
for view in lifespans throughput states events; do
	golden "$view.csv" "$GOLDEN/golden.tcps" --view "$view" -s
done
golden all-times.txt "$GOLDEN/golden.tcps" --view all -T -t -w

# from standard input, a file or a pipe
"$TCPSCOPE" -b --replay - --view all -T -t -w <"$GOLDEN/golden.tcps" >"$WORK/stdin.out" 2>/dev/null
check "stdin from a file reads the same" cmp -s "$WORK/stdin.out" "$GOLDEN/all-times.txt"
cat "$GOLDEN/golden.tcps" | "$TCPSCOPE" -b --replay - --view all -T -t -w >"$WORK/pipe.out" 2>/dev/null
check "stdin from a pipe reads the same" cmp -s "$WORK/pipe.out" "$GOLDEN/all-times.txt"

# filters of the command line apply to a replay
"$TCPSCOPE" -b --replay "$GOLDEN/golden.tcps" -s -6 --view states >"$WORK/v6.csv" 2>/dev/null
check "-6 keeps only IPv6 rows" test "$(tail -n +2 "$WORK/v6.csv" | grep -c '2001:db8')" -eq "$(tail -n +2 "$WORK/v6.csv" | wc -l)"
finish
