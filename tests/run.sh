#!/bin/sh
# Run every test and add up the TAP cases: the last line is "N passed, N failed".
# usage: tests/run.sh [unit|kernel|tui ...]   (default: all)
set -u
cd "$(dirname "$0")/.."
suites=${*:-unit kernel tui}
passed=0
failed=0
failures=""
for suite in $suites; do
	case $suite in
	unit) progs=$(ls .output/tests/unit/* 2>/dev/null | grep -v '\.[od]$') ;;
	*) progs=$(ls tests/"$suite"/*.sh 2>/dev/null) ;;
	esac
	for t in $progs; do
		echo "== $t"
		out=$(mktemp)
		timeout 600 "$t" >"$out" 2>&1
		rc=$?
		cat "$out"
		p=$(grep -c '^ok ' "$out")
		f=$(grep -c '^not ok ' "$out")
		# a crash or a timeout with no failing case still fails
		if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
			f=1
			echo "not ok - $t exited with status $rc"
		fi
		passed=$((passed + p))
		failed=$((failed + f))
		[ "$f" != 0 ] && failures="$failures $t"
		rm -f "$out"
	done
done
[ -n "$failures" ] && echo "failed in:$failures"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
