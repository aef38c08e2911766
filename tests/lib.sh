# Shared by the shell tests: TAP output, root and tool checks, network
# namespaces that clean up after themselves, and waiting without sleeping
# blind. Source it; then call ok/fail/skip per case and finish at the end.

set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
TCPSCOPE=${TCPSCOPE:-$TOP/tcpscope}
TOOLS=$TOP/.output/tests/tools
WORK=$(mktemp -d /tmp/tcpscope-test.XXXXXX)
_n=0
_failed=0
_cleanups=""

ok() { _n=$((_n + 1)); echo "ok $_n - $*"; }
fail() { _n=$((_n + 1)); _failed=$((_failed + 1)); echo "not ok $_n - $*"; }
# A skipped case: in CI (CI=true) a skip is a failure, since CI can run everything.
skip() {
	_n=$((_n + 1))
	if [ "${CI:-}" = true ]; then
		_failed=$((_failed + 1))
		echo "not ok $_n - $1 # SKIP in CI is a failure: $2"
	else
		echo "ok $_n - $1 # SKIP $2"
	fi
}
note() { echo "# $*"; }
# check NAME COMMAND...: one case, passing when the command succeeds
check() { _name=$1; shift; if "$@"; then ok "$_name"; else fail "$_name"; fi; }

on_exit() { _cleanups="$* ; $_cleanups"; }
_cleanup() {
	eval "$_cleanups" >/dev/null 2>&1 || true
	rm -rf "$WORK"
}
trap _cleanup EXIT
trap 'exit 130' INT TERM

finish() {
	echo "1..$_n"
	[ "$_failed" = 0 ]
	exit $?
}

# Skip the whole script (one skipped case) unless we are root with BPF.
need_root() {
	if [ "$(id -u)" != 0 ]; then
		skip "${1:-real-kernel tests}" "needs root (BPF, network namespaces)"
		finish
	fi
}

# wait_for SECONDS COMMAND...: poll until the command succeeds; bounded.
wait_for() {
	_deadline=$(($(date +%s%N) / 1000000 + $1 * 1000))
	shift
	while ! "$@" 2>/dev/null; do
		[ $(($(date +%s%N) / 1000000)) -ge $_deadline ] && return 1
		sleep 0.05
	done
}

# netns_pair NAME_A NAME_B: two namespaces joined by a veth pair,
# 10.200.N.1/24 + fd00:200:N::1/64 in A and .2 in B; removed at exit.
_nsn=0
netns_pair() {
	_nsn=$((_nsn + 1))
	_sub=$(( ($$ + _nsn) % 200 + 20 ))
	ip netns add "$1" && ip netns add "$2" || return 1
	on_exit "ip netns del $1; ip netns del $2"
	ip link add "v$_sub-a" netns "$1" type veth peer name "v$_sub-b" netns "$2" || return 1
	ip -n "$1" addr add "10.200.$_sub.1/24" dev "v$_sub-a"
	ip -n "$2" addr add "10.200.$_sub.2/24" dev "v$_sub-b"
	ip -n "$1" addr add "fd00:200:$_sub::1/64" dev "v$_sub-a" nodad
	ip -n "$2" addr add "fd00:200:$_sub::2/64" dev "v$_sub-b" nodad
	for ns in "$1" "$2"; do
		ip -n "$ns" link set lo up
		ip -n "$ns" link set "v$_sub-$([ "$ns" = "$1" ] && echo a || echo b)" up
	done
	NS_A_V4=10.200.$_sub.1 NS_B_V4=10.200.$_sub.2
	NS_A_V6=fd00:200:$_sub::1 NS_B_V6=fd00:200:$_sub::2
}
