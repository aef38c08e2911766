# Shared by the shell tests: TAP output, root and tool checks, network
# namespaces that clean up after themselves, and waiting without sleeping
# blind. Source it; then call ok/fail/skip per case and finish at the end.

set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
TCPSCOPE=${TCPSCOPE:-$TOP/tcpscope}
TOOLS=$TOP/${OUTPUT:-.output}/tests/tools
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
# TEST_TIME_SCALE (a whole number, default 1) multiplies every bound: under
# emulation (tests/vm) everything takes several times longer.
wait_for() {
	_deadline=$(($(date +%s%N) / 1000000 + $1 * 1000 * ${TEST_TIME_SCALE:-1}))
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

# free_port: a port on this host's loopback that no TCP socket uses, below
# the ephemeral range (32768-60999 here): a connect elsewhere on the host
# may take any port of that range meanwhile, and a bind to it then fails
free_port() {
	_p=$(( ($$ * 7 + $(date +%N | sed 's/^0*//')) % 12000 + 20000 ))
	while ss -Htan "sport = :$_p" | grep -q .; do _p=$((_p + 1)); done
	echo $_p
}

# netns_lo NAME: a namespace with its loopback up; removed at exit
netns_lo() {
	ip netns add "$1" || return 1
	on_exit "ip netns del $1"
	ip -n "$1" link set lo up
}

# ---- tcpscope and tcpgen in the background, and reading what they print ----

TCPGEN=$TOOLS/tcpgen
export TZ=UTC

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# _alive PID: the process runs (an unreaped child, a zombie, does not count)
_alive() {
	_st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) || return 1
	[ "${_st%% *}" != Z ]
}
_gone() { ! _alive "$1"; }

# reap PID SECS: wait up to SECS for a child to end (then kill it); REAPED: its status
reap() {
	if ! wait_for "$2" _gone "$1"; then
		note "pid $1 still running after $2 s: killed"
		kill -KILL "$1" 2>/dev/null
	fi
	wait "$1" 2>/dev/null
	REAPED=$?
}

# in_ns NS COMMAND...: run in network namespace NS ('-': this one), in the
# foreground (in the background, $! would be a subshell's pid)
in_ns() {
	_ns=$1
	shift
	if [ "$_ns" = - ]; then "$@"; else ip netns exec "$_ns" "$@"; fi
}

ns_inode() { stat -L -c %i "/run/netns/$1"; }

# scope_start NAME ARGS...: tcpscope -b ARGS in the background, stdout in
# $WORK/NAME.out, stderr in $WORK/NAME.err; returns once it traces (it prints
# its first line, a header, after its programs are attached). SCOPE_PID: its pid.
scope_start() {
	_sn=$1
	shift
	"$TCPSCOPE" -b "$@" >"$WORK/$_sn.out" 2>"$WORK/$_sn.err" &
	SCOPE_PID=$!
	on_exit "kill -KILL $SCOPE_PID"
	wait_for 20 test -s "$WORK/$_sn.out" && return 0
	note "tcpscope -b $* did not start: $(head -c 300 "$WORK/$_sn.err")"
	return 1
}

# scope_stop [PID]: ^C, as a user would; it prints what it has and exits. SCOPE_RC: its status.
scope_stop() {
	kill -INT "${1:-$SCOPE_PID}" 2>/dev/null
	reap "${1:-$SCOPE_PID}" 15
	SCOPE_RC=$REAPED
}

# gen_server NS NAME ARGS...: a tcpgen server in namespace NS, in the
# background; its lines in $WORK/NAME.txt. Returns once it listens.
# GEN_PID: its pid, GEN_PORT: its port (ask for port 0 to get a free one).
gen_server() {
	_ns=$1 _gn=$2
	shift 2
	rm -f "$WORK/$_gn.ready"
	# not through in_ns: a function in the background is a subshell, and $! its pid
	if [ "$_ns" = - ]; then
		"$TCPGEN" server --ready "$WORK/$_gn.ready" "$@" >"$WORK/$_gn.txt" 2>"$WORK/$_gn.err" &
	else
		ip netns exec "$_ns" "$TCPGEN" server --ready "$WORK/$_gn.ready" "$@" \
			>"$WORK/$_gn.txt" 2>"$WORK/$_gn.err" &
	fi
	GEN_PID=$!
	on_exit "kill -KILL $GEN_PID"
	if ! wait_for 10 test -s "$WORK/$_gn.ready"; then
		note "tcpgen server $* did not start: $(head -c 300 "$WORK/$_gn.err")"
		return 1
	fi
	GEN_PORT=$(cat "$WORK/$_gn.ready")
}

# csv FILE AWK: run an awk program over a CSV file whose first line names the
# columns; in AWK, c["NAME"] is the current row's value of column NAME.
# tcpscope quotes only fields with commas or quotes, which these tests avoid.
csv() {
	awk -F, 'FNR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
		{ for (k in h) c[k] = $h[k] }
		'"$2" "$1"
}

# csv_count FILE CONDITION: rows where the awk condition holds
csv_count() { csv "$1" "$2 { n++ } END { print n + 0 }"; }

_rows_at_least() { [ "$(csv_count "$1" "$2")" -ge "$3" ]; }

# wait_rows SECS FILE CONDITION N: wait until at least N rows match
wait_rows() { wait_for "$1" _rows_at_least "$2" "$3" "$4"; }

# check_sessions TRUTH CSV PORT WALL_MS: every session on PORT of the ground
# truth (tcpgen's "conn" and "fail" lines, optionally with netns=, dir=,
# status= added) is exactly one lifespans row with the right owner, ends,
# bytes, duration (MS < WALL_MS, and more than 0 for a session that moved
# bytes), direction, status and namespace; and every row on PORT between the
# addresses of the truth is one of them. Says what differs as TAP comments,
# and fails if anything does.
check_sessions() {
	awk -v port="$3" -v wall="$4" '
	function bad(msg) { if (++nbad <= 25) print "# " msg }
	function expect(key, col, want) {
		if (c[col] != want)
			bad(key ": " col " is \"" c[col] "\", want \"" want "\"")
	}
	FILENAME == ARGV[1] {
		if ($1 != "conn" && $1 != "fail")
			next
		delete t
		for (i = 2; i <= NF; i++) {
			eq = index($i, "=")
			t[substr($i, 1, eq - 1)] = substr($i, eq + 1)
		}
		if (t["lport"] != port && t["rport"] != port)
			next
		key = t["laddr"] " " t["lport"] " -> " t["raddr"] " " t["rport"]
		want[key]++
		ntruth++
		pid[key] = t["pid"]
		ip[key] = index(t["laddr"], ":") ? 6 : 4
		tx[key] = $1 == "conn" ? t["tx"] : 0
		rx[key] = $1 == "conn" ? t["rx"] : 0
		dir[key] = ("dir" in t) ? t["dir"] : t["side"] == "client" ? "connect" : "accept"
		st[key] = ("status" in t) ? t["status"] : $1 == "conn" ? "ok" : \
			t["err"] == "ECONNREFUSED" ? "refused" : t["err"]
		ns[key] = t["netns"]
		addr[t["laddr"]] = addr[t["raddr"]] = 1
		next
	}
	FNR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
	{
		for (k in h)
			c[k] = $h[k]
		if (c["LPORT"] != port && c["RPORT"] != port)
			next
		if (!(c["LADDR"] in addr) && !(c["RADDR"] in addr))
			next
		key = c["LADDR"] " " c["LPORT"] " -> " c["RADDR"] " " c["RPORT"]
		if (!(key in want)) {
			bad("unexpected row: " $0)
			next
		}
		got[key]++
		expect(key, "PID", pid[key])
		expect(key, "COMM", "tcpgen")
		expect(key, "IP", ip[key])
		expect(key, "TX_BYTES", tx[key])
		expect(key, "RX_BYTES", rx[key])
		expect(key, "DIR", dir[key])
		expect(key, "STATUS", st[key])
		if (ns[key] != "")
			expect(key, "NETNS", ns[key])
		# MS is in hundredths of a millisecond: a connect refused at once (a SYN
		# and a RST, no process woken) can take less than 5 us, which shows as
		# 0.00. A session that moved bytes waited for its peer to run.
		ms = c["MS"] + 0
		moved = tx[key] + rx[key] > 0
		if (c["MS"] !~ /^[0-9]+\.[0-9][0-9]$/ || ms >= wall || (moved && ms == 0))
			bad(key ": MS is " c["MS"] ", want " (moved ? "> 0" : ">= 0") " and < " wall)
	}
	END {
		if (!ntruth)
			bad("no ground truth: the traffic did not happen")
		for (key in want)
			if (got[key] != want[key])
				bad(key ": " got[key] + 0 " rows, want " want[key])
		if (nbad > 25)
			print "# ... and " nbad - 25 " more"
		exit nbad > 0
	}' "$1" FS=, "$2"
}

# scope_clean NAME: the last scope_stop'ed tcpscope exited 0 with nothing on stderr
scope_clean() {
	[ "$SCOPE_RC" = 0 ] && [ ! -s "$WORK/$1.err" ] && return 0
	note "tcpscope exited $SCOPE_RC; stderr: $(head -c 500 "$WORK/$1.err")"
	return 1
}

# same WANT GOT: GOT is WANT, or say what it is
same() {
	[ "$1" = "$2" ] && return 0
	note "got '$2', want '$1'"
	return 1
}

# ordered N1 N2 ...: each number is at least the next one
ordered() {
	_prev=$1
	shift
	for _x; do
		[ "$_prev" -ge "$_x" ] || return 1
		_prev=$_x
	done
}

# out_rsts [NS]: the kernel's count of TCP resets sent, from /proc/net/snmp
# (each network namespace has its own): this namespace's, or NS's
out_rsts() {
	in_ns "${1:--}" cat /proc/net/snmp | awk '$1 == "Tcp:" && !n {
			for (i = 2; i <= NF; i++) if ($i == "OutRsts") c = i; n = 1; next }
		$1 == "Tcp:" && n { print $c; exit }'
}

# check_churn TRUTH OUT RSTS PORT UP DOWN: every (side, LPORT, RPORT) of a
# tcpgen churn on PORT (its -o TRUTH, each client moving UP and DOWN bytes) as
# often in the CSV OUT as in the truth, and right. A client end may say
# "reset" (and nothing else may be wrong with it), at most RSTS times (see
# out_rsts): with more than tcp_max_tw_buckets
# TIME_WAITs (earlier churns count for 60 s), the server's closed socket is
# freed rather than kept, and the client's FIN that comes after is answered
# with a reset; tcpscope shows it as the kernel saw it.
check_churn() {
	awk -F, -v port="$4" -v up="$5" -v down="$6" -v rsts="$3" '
	function bad(msg) { if (++nbad <= 20) print "# " msg }
	FILENAME == ARGV[1] {
		if (FNR == 1 || $7 != "ok")
			next
		key = $3 " " $4
		want[key]++
		pid[key] = $2
		dir[key] = $1 == "client" ? "connect" : "accept"
		tx[key] = $5
		rx[key] = $6
		n++
		next
	}
	FNR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
	$h["LPORT"] != port && $h["RPORT"] != port { next }
	$h["LADDR"] != "127.0.0.1" || $h["RADDR"] != "127.0.0.1" { next }
	{
		key = $h["LPORT"] " " $h["RPORT"]
		if (!(key in want)) {
			bad("a session not in the truth: " $0)
			next
		}
		got[key]++
		status = $h["STATUS"]
		if (status == "reset" && dir[key] == "connect") {
			resets++
			status = "ok"
		}
		if ($h["PID"] != pid[key] || $h["TX_BYTES"] != tx[key] || $h["RX_BYTES"] != rx[key] ||
		    $h["DIR"] != dir[key] || status != "ok" || $h["COMM"] != "tcpgen")
			bad("wrong: " $0 " (want PID " pid[key] ", " tx[key] "/" rx[key] " B, " dir[key] ")")
	}
	END {
		for (key in want)
			if (got[key] != want[key]) {
				missing += want[key] > got[key] ? want[key] - got[key] : 0
				bad(key ": " got[key] + 0 " rows, want " want[key])
			}
		if (!n)
			bad("no ground truth")
		if (resets)
			print "# " resets " client ends reset at close; the kernel sent " rsts " resets"
		if (resets > rsts)
			bad(resets " client ends said reset, more than the kernel sent (" rsts ")")
		if (nbad)
			print "# " nbad " problems, " missing + 0 " sessions missing, of " n
		exit nbad > 0
	}' "$1" "$2"
}
