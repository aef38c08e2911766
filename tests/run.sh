#!/bin/sh
# Run every test and add up the TAP cases: the last line is "N passed, N failed".
# usage: tests/run.sh [unit|valgrind|kernel|tui ...]   (default: all)
#   valgrind: the unit tests again under valgrind (any report fails them)
#   OUTPUT=.output-san TCPSCOPE=...: run against a sanitizer build
set -u
cd "$(dirname "$0")/.."
suites=${*:-unit valgrind kernel tui}
out=${OUTPUT:-.output}
export OUTPUT=$out
# sanitizer builds: any report is a failure, leaks included
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=86}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$(pwd)/tests/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=87}
VG="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --track-origins=yes"
passed=0
failed=0
failures=""
for suite in $suites; do
	runner=""
	case $suite in
	unit) progs=$(ls "$out"/tests/unit/* 2>/dev/null | grep -v '\.[od]$') ;;
	valgrind)
		progs=$(ls "$out"/tests/unit/* 2>/dev/null | grep -v '\.[od]$')
		command -v valgrind >/dev/null || { echo "not ok - valgrind is installed"; failed=$((failed + 1)); continue; }
		runner=$VG
		;;
	*) progs=$(ls tests/"$suite"/*.sh 2>/dev/null) ;;
	esac
	for t in $progs; do
		echo "== $suite: $t"
		log=$(mktemp)
		# shellcheck disable=SC2086
		timeout 600 $runner "$t" >"$log" 2>&1
		rc=$?
		cat "$log"
		p=$(grep -c '^ok ' "$log")
		f=$(grep -c '^not ok ' "$log")
		# a crash or a timeout with no failing case still fails
		if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
			f=1
			echo "not ok - $t exited with status $rc"
		fi
		passed=$((passed + p))
		failed=$((failed + f))
		[ "$f" != 0 ] && failures="$failures $suite:$t"
		rm -f "$log"
	done
done
[ -n "$failures" ] && echo "failed in:$failures"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
