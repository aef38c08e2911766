#!/bin/sh
# Command-line errors: each bad invocation exits with status 2, prints
# nothing on standard output and exactly one line on standard error, which
# names what was wrong. (-b -d 2 bound the run should a bad argument be taken.)
. "$(dirname "$0")/../lib.sh"
need_root "command-line errors"

# bad SUBSTRING ARGS...: tcpscope ARGS is refused, saying SUBSTRING
bad() {
	want=$1
	shift
	timeout 20 "$TCPSCOPE" "$@" >"$WORK/out" 2>"$WORK/err"
	rc=$?
	lines=$(wc -l <"$WORK/err")
	if [ $rc = 2 ] && [ ! -s "$WORK/out" ] && [ "$lines" = 1 ] &&
		grep -q '^tcpscope: ' "$WORK/err" && grep -qF -- "$want" "$WORK/err"; then
		return 0
	fi
	note "tcpscope $*: status $rc, $(wc -l <"$WORK/out") lines out, $lines on stderr:"
	note "$(head -3 "$WORK/err")"
	return 1
}

check "an unknown long option" bad "--bogus" -b -d 2 --bogus
check "an unknown short option" bad "-x" -b -d 2 -x
check "an option without its value" bad "-L" -b -d 2 -L
check "an argument that is no option" bad "extra" -b -d 2 extra
check "-L abc" bad "abc" -b -d 2 -L abc
check "-L 70000" bad "70000" -b -d 2 -L 70000
check "-L 80,70000" bad "70000" -b -d 2 -L 80,70000
check "-D 1-99999" bad "99999" -b -d 2 -D 1-99999
check "-L with a reversed range" bad "9-3" -b -d 2 -L 9-3
check "-L with an empty list" bad "tcpscope:" -b -d 2 -L ""
check "--view nope" bad "nope" -b -d 2 --view nope
check "--view lifespans,nope" bad "nope" -b -d 2 --view lifespans,nope
check "--sort on no column" bad "NOPE" -b -d 2 --sort NOPE
check "--sort with a bad direction" bad "sideways" -b -d 2 --view throughput --sort TX_KB:sideways
check "-4 -6 together" bad "-6" -b -d 2 -4 -6
check "-6 -4 together" bad "-4" -b -d 2 -6 -4
check "-s with two views" bad "--view" -b -d 2 -s --view lifespans,states
check "-d abc" bad "abc" -b -d abc
check "-i 0" bad "'0'" -b -d 2 -i 0
check "-p abc" bad "abc" -b -d 2 -p abc
check "-p 0" bad "'0'" -b -d 2 -p 0
check "--group nope" bad "nope" -b -d 2 --view throughput --group nope
check "--hooks kprobes" bad "kprobes" -b -d 2 --hooks kprobes
check "--ringbuf-mb 3" bad "3" -b -d 2 --ringbuf-mb 3
check "--nice 20" bad "20" --nice 20
finish
