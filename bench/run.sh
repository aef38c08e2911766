#!/bin/sh
# make bench: what tcpscope costs under heavy connection churn, and whether it
# misses anything, side by side with the churn alone and with the peers
# (libbpf-tools tcplife and tcpstates). Modes alternate run by run, in a
# rotating order, so drift of the machine falls on all of them alike; the
# table shows medians.
#
# Knobs (environment, or make variables of the same names):
#   BENCH_SECONDS=5        length of each churn
#   BENCH_RUNS=5           runs of each mode
#   BENCH_CHURNS=2         2: two churn processes at once, a client thread each (100 B
#                          up/1000 B down, and 5000/200): both cores busy; 1: one churn:
#   BENCH_THREADS=2        client threads (the server gets as many)
#   BENCH_SEND=100 BENCH_RECV=1000   bytes each connection moves up and down
#   BENCH_MODES="alone floor all csv screen record tcplife tcpstates"
#     floor: empty BPF programs on the screen's hooks (bench/floor.bpf.c): the cost floor
#     all: tcpscope -b --view all (text, to a file parsed afterwards)
#     csv: tcpscope -b --view lifespans -s (exact bytes, checked per session)
#     screen: the interactive screen in tmux
#     record: the screen with --record (the recording replayed and checked per session)
#   BENCH_BULK_BYTES=2147483648      bytes up per bulk connection (down: 1/16); 0 skips
#   BENCH_SESSIONS=10000000          sessions fed through the model (memory); 0 skips
#   BENCH_REPLAY_SESSIONS=10000000   the same as a recording replayed by the screen; 0 skips
#   BENCH_ROWS=100000      rows for the sort+filter+render benchmark; 0 skips
#   BENCH_SERIES=10000     series of --serve's exposition, rendered and scraped; 0 skips
#   BENCH_BPF_STATS=1      1: one more churn with kernel.bpf_stats_enabled on, for the run
#                          time of each of tcpscope's BPF programs (a global switch: it
#                          slows every BPF program on the host a little while on)
#   BENCH_OUT=bench/results          where latest.csv and latest.txt go
#
# Only loopback traffic (127.0.0.1). Needs root (BPF). Starts its own tmux
# server (-L tcpscope-bench-PID) and never touches the default one.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
TCPSCOPE=${TCPSCOPE:-$TOP/tcpscope}
TCPGEN=${TCPGEN:-$TOP/.output/tests/tools/tcpgen}
ROWS_BENCH=$TOP/.output/bench/rows_bench
FEED_BENCH=$TOP/.output/bench/feed_bench
METRICS_BENCH=$TOP/.output/bench/metrics_bench
SERIES=${BENCH_SERIES:-10000}
SECS=${BENCH_SECONDS:-5}
RUNS=${BENCH_RUNS:-5}
THREADS=${BENCH_THREADS:-2}
SEND=${BENCH_SEND:-100}
RECV=${BENCH_RECV:-1000}
MODES=${BENCH_MODES:-alone floor all csv screen record tcplife tcpstates}
CHURNS=${BENCH_CHURNS:-2}
FLOOR=$TOP/.output/bench/floor
BULK=${BENCH_BULK_BYTES:-2147483648}
SESSIONS=${BENCH_SESSIONS:-10000000}
RSESSIONS=${BENCH_REPLAY_SESSIONS:-10000000}
ROWS=${BENCH_ROWS:-100000}
OUT=${BENCH_OUT:-$TOP/bench/results}
TCPLIFE=${TCPLIFE:-/usr/sbin/tcplife}
TCPSTATES=${TCPSTATES:-/usr/sbin/tcpstates}
ADDR=127.0.0.1

W=$(mktemp -d /tmp/tcpscope-bench.XXXXXX)
TM="tmux -L tcpscope-bench-$$ -f /dev/null"
NCPU=$(nproc)
_pids=""

say() { echo "bench: $*" >&2; }
die() { say "$*"; exit 1; }

cleanup() {
	for p in $_pids; do kill -KILL "$p" 2>/dev/null; done
	$TM kill-server 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ "$(id -u)" = 0 ] || die "needs root (it loads BPF programs): sudo make bench"
for f in "$TCPSCOPE" "$TCPGEN"; do
	[ -x "$f" ] || die "$f is missing: run make bench (it builds everything first)"
done

now_ms() { echo $(($(date +%s%N) / 1000000)); }
alive() {
	_st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) || return 1
	[ "${_st%% *}" != Z ]
}
# wait_for SECONDS COMMAND...: poll until it succeeds; bounded
wait_for() {
	_end=$(($(now_ms) + $1 * 1000))
	shift
	while ! "$@" 2>/dev/null; do
		[ "$(now_ms)" -ge "$_end" ] && return 1
		sleep 0.01
	done
}
# cpu_ns PID: nanoseconds on a CPU so far, all threads (schedstat: exact, not in ticks)
cpu_ns() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { printf "%.0f\n", s }'; }
size_of() { stat -c %s "$1" 2>/dev/null || echo 0; }
# between FILE FROM TO: the bytes of FILE from offset FROM to TO
between() { tail -c +$(($2 + 1)) "$1" | head -c $(($3 - $2)); }
hwm_kb() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }
# kv KEY LINE: the value of KEY=VALUE in a line of such pairs
kv() { echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
# stop PID: ^C as a user would, then wait up to 15 s (then kill)
stop() {
	kill -INT "$1" 2>/dev/null
	wait_for 15 sh -c "! kill -0 $1" || kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}
tracers_now() { bpftool prog show 2>/dev/null | grep -c '^[0-9]*: tracing\|^[0-9]*: raw_tracepoint\|^[0-9]*: tracepoint'; }

# ---- the churn ----

# churn NAME ARGS...: tcpgen churn on loopback; sets RATE CONNS FAILS CSECS CPID SPID
churn() {
	_n=$1
	shift
	"$TCPGEN" churn -a $ADDR -p 0 -o "$W/$_n.truth" "$@" >"$W/$_n.churn" 2>"$W/$_n.churn.err"
	_l=$(grep '^churn ' "$W/$_n.churn")
	[ -n "$_l" ] || die "tcpgen churn failed: $(head -c 300 "$W/$_n.churn.err")"
	RATE=$(kv rate "$_l") CONNS=$(kv conns "$_l") FAILS=$(kv fails "$_l")
	CSECS=$(kv secs "$_l") CPID=$(kv client_pid "$_l") SPID=$(kv server_pid "$_l")
}
# server_port TRUTH: the port a churn's server listened on
server_port() { awk -F, '$1 == "client" { print $4; exit }' "$1"; }
# churn_short NAME: the load of a run. BENCH_CHURNS=2: two churn processes at
# once, a client thread each, one moving 100 B up and 1000 B down a
# connection, the other 5000 B up and 200 B down (both cores busy, as on a
# busy host); 1: one churn of BENCH_THREADS threads, BENCH_SEND up and
# BENCH_RECV down. Sets what churn sets, summed; PORT: the servers' ports.
churn_short() {
	if [ "$CHURNS" = 1 ]; then
		churn "$1" -t "$THREADS" -d "$SECS" -s "$SEND" -r "$RECV"
		PORT=$(server_port "$W/$1.truth")
		return
	fi
	_n=$1
	"$TCPGEN" churn -a $ADDR -p 0 -t 1 -d "$SECS" -s 100 -r 1000 -o "$W/$_n.truth1" \
		>"$W/$_n.churn1" 2>"$W/$_n.churn.err" &
	_a=$!
	"$TCPGEN" churn -a $ADDR -p 0 -t 1 -d "$SECS" -s 5000 -r 200 -o "$W/$_n.truth2" \
		>"$W/$_n.churn2" 2>>"$W/$_n.churn.err" &
	_b=$!
	wait $_a
	wait $_b
	_l1=$(grep '^churn ' "$W/$_n.churn1")
	_l2=$(grep '^churn ' "$W/$_n.churn2")
	[ -n "$_l1" ] && [ -n "$_l2" ] || die "tcpgen churn failed: $(head -c 300 "$W/$_n.churn.err")"
	RATE=$(($(kv rate "$_l1") + $(kv rate "$_l2")))
	CONNS=$(($(kv conns "$_l1") + $(kv conns "$_l2")))
	FAILS=$(($(kv fails "$_l1") + $(kv fails "$_l2")))
	CSECS=$(echo "$(kv secs "$_l1") $(kv secs "$_l2")" | awk '{ print ($1 > $2 ? $1 : $2) }')
	CPID=$(kv client_pid "$_l1") SPID=$(kv server_pid "$_l1")
	cat "$W/$_n.truth1" "$W/$_n.truth2" >"$W/$_n.truth"
	PORT="$(server_port "$W/$_n.truth1") $(server_port "$W/$_n.truth2")"
}

# "BUSY IDLE": the machine's CPU ticks so far, all processes (/proc/stat)
cpu_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6; exit }' /proc/stat; }
HZ=$(getconf CLK_TCK)

# machine=... for the runs file: busy CPU per connection, and the idle share, over a churn
machine_cpu() {
	echo "$1 $2 $CONNS $HZ" | awk '{
		busy = $3 - $1; idle = $4 - $2
		printf "busy_us=%.2f idle_pct=%.1f", busy / $6 * 1e6 / ($5 > 0 ? $5 : 1), 100 * idle / (busy + idle > 0 ? busy + idle : 1) }'
}

# ---- completeness: sessions reported against tcpgen's ground truth ----

# The reported sessions of the churns, one per line: SIDE SERVER_PORT
# CLIENT_PORT PID TX RX ('-': not reported). Matched to the truth by ends; PID
# and bytes compared where the tool reports them. PORT: the churns' server ports.
PORT=""
rep_tcpscope() { # FILE PREFIX: lifespans CSV rows (PREFIX: the view name batch puts before each)
	awk -v ports=" $PORT " -v addr=$ADDR -v pre="$2" '
	pre != "" { if (index($0, pre) != 1) next; $0 = substr($0, 12) }
	!hdr { n = split($0, f, ","); for (i = 1; i <= n; i++) h[f[i]] = i; hdr = 1; next }
	{
		split($0, f, ",")
		if (f[h["LADDR"]] != addr || f[h["RADDR"]] != addr) next
		tx = f[h["TX_BYTES"]]; rx = f[h["RX_BYTES"]]; pid = f[h["PID"]]
		lp = f[h["LPORT"]]; rp = f[h["RPORT"]]
		if (index(ports, " " lp " ")) print "s", lp, rp, pid, tx, rx
		else if (index(ports, " " rp " ")) print "c", rp, lp, pid, tx, rx
	}' "$1"
}
rep_tcpscope_text() { # FILE: lifespans rows of --view all text output (KB: bytes not compared)
	awk -v ports=" $PORT " -v addr=$ADDR '
	$1 != "lifespans" { next }
	!hdr { for (i = 2; i <= NF; i++) h[$i] = i; hdr = 1; next }
	$h["LADDR"] == addr && $h["RADDR"] == addr {
		lp = $h["LPORT"]; rp = $h["RPORT"]
		if (index(ports, " " lp " ")) print "s", lp, rp, $h["PID"], "-", "-"
		else if (index(ports, " " rp " ")) print "c", rp, lp, $h["PID"], "-", "-"
	}' "$1"
}
rep_tcplife() { # PID COMM LADDR LPORT RADDR RPORT TX_KB RX_KB MS
	awk -v ports=" $PORT " -v addr=$ADDR '
	NR > 1 && $3 == addr && $5 == addr {
		if (index(ports, " " $4 " ")) print "s", $4, $6, $1, "-", "-"
		else if (index(ports, " " $6 " ")) print "c", $6, $4, $1, "-", "-"
	}' "$1"
}
rep_tcpstates() { # SKADDR PID COMM LADDR LPORT RADDR RPORT OLD -> NEW MS: a session per CLOSE
	awk -v ports=" $PORT " -v addr=$ADDR '
	$10 == "CLOSE" && $4 == addr && $6 == addr {
		if (index(ports, " " $5 " ")) print "s", $5, $7, "-", "-", "-"
		else if (index(ports, " " $7 " ")) print "c", $7, $5, "-", "-", "-"
	}' "$1"
}
# match TRUTH REPORTED: prints "truth=N seen=N missing=N extra=N wrong=N"
match() {
	awk -F'[ ,]' '
	FILENAME == ARGV[1] {
		if ($1 == "side") next	# side,pid,lport,rport,tx,rx,status (a header per churn)
		side = $1 == "client" ? "c" : "s"
		k = side " " (side == "c" ? $4 " " $3 : $3 " " $4)
		nt[k]++; ntruth++
		# what each session should say; identical within a key for a churn
		pid[k] = $2; tx[k] = $5; rx[k] = $6
		next
	}
	{
		k = $1 " " $2 " " $3
		nr[k]++
		if (!(k in nt)) next
		if (($4 != "-" && $4 != pid[k]) || ($5 != "-" && $5 != tx[k]) || ($6 != "-" && $6 != rx[k]))
			bad[k]++
	}
	END {
		for (k in nt) {
			m = nr[k] < nt[k] ? nr[k] : nt[k]
			seen += m; missing += nt[k] - m
			wrong += bad[k] < m ? bad[k] : m
		}
		for (k in nr) if (nr[k] > nt[k]) extra += nr[k] - nt[k]
		printf "truth=%d seen=%d missing=%d extra=%d wrong=%d\n", ntruth, seen, missing, extra, wrong
	}' "$1" "$2"
}
# lost_in FILE: what the tool said it lost, as "lost=N groups=N": records, sockets and sessions
# (tcpscope's warnings, the peers' "lost N events"), and tcpscope's throughput rows not kept
lost_in() {
	awk '/^tcpscope: [0-9]+ / { if (/throughput rows not kept/) g += $2; else n += $2 }
	     /^lost [0-9]+ events/ { n += $2 } END { printf "lost=%d groups=%d\n", n, g }' "$1"
}
# traced MODE: sessions of all traffic a tool reported in its output on stdin
traced() {
	case $1 in
	all) awk '$1 == "lifespans" { n++ } END { print n + 0 }' ;;
	csv) awk -F, '$1 != "PID" { n++ } END { print n + 0 }' ;;
	tcplife) awk '$1 != "PID" { n++ } END { print n + 0 }' ;;
	tcpstates) awk '$10 == "CLOSE" { n++ } END { print n + 0 }' ;;
	esac
}

# ---- the tracers ----

TPID=""
READY_MS=""

start_batch() { # NAME ARGS...: tcpscope -b ARGS; ready when it prints its first line
	_n=$1
	shift
	_t0=$(now_ms)
	"$TCPSCOPE" -b "$@" >"$W/$_n.out" 2>"$W/$_n.err" &
	TPID=$!
	_pids="$_pids $TPID"
	wait_for 20 test -s "$W/$_n.out" || die "tcpscope -b $* did not start: $(head -c 300 "$W/$_n.err")"
	READY_MS=$(($(now_ms) - _t0))
}

screen_text() { $TM capture-pane -t main -p 2>/dev/null; }
screen_complete() {
	screen_text | awk '/^tcpscope [0-9:]+ .*lost [0-9]+/ { h = 1 }
		/1 Lifespans/ { p1 = 1 } /2 Throughput/ { p2 = 1 } /3 States/ { p3 = 1 }
		/4 Events/ { p4 = 1 } END { exit !(h && p1 && p2 && p3 && p4) }'
}
# header_field WORD: the number after WORD in the screen's first line ("lost 0", "open, 12 closed")
header_field() { screen_text | head -1 | sed -n "s/.*[ ,]\([0-9][0-9]*\) $1.*/\1/p; s/.*$1 \([0-9][0-9]*\).*/\1/p" | head -1; }

start_screen() { # NAME [ARGS]: the interactive screen in a private tmux; READY_MS: start to first complete screen
	rm -f "$W/go"
	mkfifo "$W/go"
	$TM new-session -d -s main -x 200 -y 50 \
		"read _ <$W/go; exec env HOME=$W LANG=C.UTF-8 TERM=xterm-256color $TCPSCOPE ${2:-} 2>$W/$1.err" ||
		die "tmux cannot start"
	TPID=$($TM display-message -p -t main '#{pane_pid}')
	_pids="$_pids $TPID"
	_t0=$(now_ms)
	echo go >"$W/go"
	_end=$((_t0 + 20000))
	until screen_complete; do
		[ "$(now_ms)" -ge $_end ] && die "the screen did not come up: $(screen_text | head -3) $(head -c 300 "$W/$1.err")"
	done
	READY_MS=$(($(now_ms) - _t0))
}

# screen_losses: which kinds of loss the screen counted (its help screen lists each), for
# the runs file: "what=N;what=N", spaces as underscores
screen_losses() {
	$TM send-keys -t main '?'
	sleep 0.3
	for _p in 1 2 3 4 5 6; do $TM send-keys -t main NPage; done
	sleep 0.3
	screen_text | awk '/Lost so far/ { on = 1; next } on && NF == 0 { exit }
		on && $1 > 0 { n = $1; $1 = ""; sub(/^ /, ""); sub(/:.*/, ""); gsub(/ /, "_");
			printf "%s%s=%s", sep, $0, n; sep = ";" }'
	$TM send-keys -t main Escape
	sleep 0.2
}

stop_screen() {
	$TM send-keys -t main q
	wait_for 10 sh -c "! kill -0 $TPID" || kill -KILL "$TPID" 2>/dev/null
	$TM kill-server 2>/dev/null
}

# start_peer NAME TOOL: a libbpf-tools tool; ready when its perf buffer is open.
# Its tracepoints need tracefs, mounted in a mount namespace of its own
# (unless the host has mounted it already).
# start_floor NAME: the empty programs; ready when they are attached
start_floor() {
	"$FLOOR" >"$W/$1.out" 2>"$W/$1.err" &
	TPID=$!
	_pids="$_pids $TPID"
	_t0=$(now_ms)
	wait_for 20 grep -q ready "$W/$1.out" || die "the floor did not start: $(head -c 300 "$W/$1.err")"
	READY_MS=$(($(now_ms) - _t0))
}

start_peer() {
	unshare -m --propagation private sh -c \
		"{ mountpoint -q /sys/kernel/tracing || mount -t tracefs nodev /sys/kernel/tracing; } && exec $2" >"$W/$1.out" 2>"$W/$1.err" &
	TPID=$!
	_pids="$_pids $TPID"
	_t0=$(now_ms)
	wait_for 20 sh -c "[ \$(ls -l /proc/$TPID/fd 2>/dev/null | grep -c perf_event) -gt $NCPU ]" ||
		die "$2 did not start: $(head -c 300 "$W/$1.err")"
	READY_MS=$(($(now_ms) - _t0))
}

# ---- one run of one mode ----

# run_mode MODE RUN: appends one line of KEY=VALUE to $W/runs
run_mode() {
	_m=$1 _r=$2 _n=$1.$2
	TPID="" READY_MS=""
	case $_m in
	alone) ;;
	all) start_batch "$_n" --view all ;;
	csv) start_batch "$_n" --view lifespans -s ;;
	screen) start_screen "$_n" ;;
	record) start_screen "$_n" "--record $W/$_n.tcps" ;;
	floor) start_floor "$_n" ;;
	tcplife) start_peer "$_n" "$TCPLIFE" ;;
	tcpstates) start_peer "$_n" "$TCPSTATES" ;;
	*) die "unknown mode $_m" ;;
	esac
	if [ -n "$TPID" ]; then
		# One-time work out of the window: the first drop makes tcpscope read the kernel's
		# symbols (to name where packets are dropped). A refused connect is such a drop.
		w0=$(cpu_ns "$TPID")
		"$TCPGEN" client -a $ADDR -p "$CLOSED_PORT" -n 1 -T 2 >/dev/null 2>&1
		sleep 0.5
		c0=$(cpu_ns "$TPID")
		s0=$(size_of "$W/$_n.out")
		case $_m in screen | record) closed0=$(header_field closed) ;; esac
		warm="warm_ms=$(echo "$c0 $w0" | awk '{ printf "%.1f", ($1 - $2) / 1e6 }')"
	fi
	m0=$(cpu_ticks)
	churn_short "$_n"
	extra="$(machine_cpu "$m0" "$(cpu_ticks)")"
	if [ -n "$TPID" ]; then
		# let it take in what the churn made: the source drains every 50 ms, ticks every second
		sleep 1.5
		alive "$TPID" || die "$_m exited during the churn: $(head -c 300 "$W/$_n.err")"
		c1=$(cpu_ns "$TPID")
		s1=$(size_of "$W/$_n.out")
		hwm=$(hwm_kb "$TPID")
		extra="$extra cpu_s=$(echo "$c1 $c0" | awk '{ printf "%.3f", ($1 - $2) / 1e9 }') hwm_kb=$hwm ready_ms=$READY_MS $warm"
	fi
	case $_m in
	all | csv | tcplife | tcpstates)
		# the sessions of all traffic it reported between c0 and c1, for the CPU per session
		tr=$(between "$W/$_n.out" "$s0" "$s1" | traced $_m)
		stop "$TPID"
		case $_m in
		all) rep_tcpscope_text "$W/$_n.out" ;;
		csv) rep_tcpscope "$W/$_n.out" "" ;;
		*) rep_$_m "$W/$_n.out" ;;
		esac >"$W/$_n.rep"
		extra="$extra traced=$tr $(match "$W/$_n.truth" "$W/$_n.rep") $(lost_in "$W/$_n.err")"
		;;
	screen | record)
		closed1=$(header_field closed)
		lost=$(header_field lost)
		what=""
		[ "${lost:-0}" = 0 ] || what=" lost_what=$(screen_losses)"
		stop_screen
		extra="$extra traced=$((closed1 - closed0)) lost=${lost:-?}$what"
		if [ $_m = record ]; then
			# what the recording holds of the churns, session by session
			"$TCPSCOPE" --replay "$W/$_n.tcps" -b -s >"$W/$_n.replay" 2>"$W/$_n.replay.err"
			rep_tcpscope "$W/$_n.replay" "" >"$W/$_n.rep"
			extra="$extra $(match "$W/$_n.truth" "$W/$_n.rep") rec_mb=$(size_of "$W/$_n.tcps" | awk '{ printf "%.1f", $1 / 2^20 }')"
		fi
		;;
	floor) stop "$TPID" ;;
	esac
	echo "mode=$_m run=$_r rate=$RATE conns=$CONNS fails=$FAILS secs=$CSECS $extra" >>"$W/runs"
	say "$(tail -1 "$W/runs")"
	rm -f "$W/$_n".*
}

# ---- the kernel side: run time of each BPF program (opt-in) ----

# prog_times: "ID NAME RUN_NS RUN_CNT" for every BPF program loaded now
prog_times() {
	bpftool prog show 2>/dev/null | awk '/^[0-9]+: / {
		id = $1; sub(":", "", id); name = "-"; ns = 0; cnt = 0
		for (i = 2; i < NF; i++) {
			if ($i == "name") name = $(i + 1)
			if ($i == "run_time_ns") ns = $(i + 1)
			if ($i == "run_cnt") cnt = $(i + 1)
		}
		print id, name, ns, cnt }'
}

run_bpf_stats() {
	prog_times | awk '{ print $1 }' >"$W/ids.before"
	start_batch bpfstats --view all
	was=$(sysctl -n kernel.bpf_stats_enabled)
	sysctl -qw kernel.bpf_stats_enabled=1
	prog_times >"$W/t0"
	churn_short bpfstats
	prog_times >"$W/t1"
	sysctl -qw kernel.bpf_stats_enabled="$was"
	stop "$TPID"
	# the programs this tcpscope loaded: new since before it started
	awk -v conns="$CONNS" '
		FILENAME == ARGV[1] { old[$1] = 1; next }
		FILENAME == ARGV[2] { ns0[$1] = $3; n0[$1] = $4; next }
		!($1 in old) && ($1 in ns0) && $4 > n0[$1] {
			runs = $4 - n0[$1]; ns = $3 - ns0[$1]; tot += ns
			printf "mode=bpf prog=%s runs_per_conn=%.2f ns_per_run=%.0f us_per_conn=%.3f\n", $2, runs / conns, ns / runs, ns / 1e3 / conns
		}
		END { printf "mode=bpf prog=all us_per_conn=%.3f\n", tot / 1e3 / conns }' \
		"$W/ids.before" "$W/t0" "$W/t1" >>"$W/runs"
	say "$(grep '^mode=bpf' "$W/runs" | tr '\n' ' ')"
}

# ---- memory after many sessions: a synthetic recording through the real screen ----

run_replay() {
	"$FEED_BENCH" -n "$RSESSIONS" -c 1 -w "$W/replay.tcps" >/dev/null || die "feed_bench -w failed"
	_t0=$(now_ms)
	$TM new-session -d -s main -x 200 -y 50 \
		"exec env HOME=$W LANG=C.UTF-8 TERM=xterm-256color $TCPSCOPE --replay $W/replay.tcps --speed 1000 2>$W/replay.err" ||
		die "tmux cannot start"
	TPID=$($TM display-message -p -t main '#{pane_pid}')
	_pids="$_pids $TPID"
	_end=$((_t0 + 900000))
	until screen_text | grep -q "end of the recording"; do
		[ "$(now_ms)" -ge $_end ] && die "the replay did not end within 900 s"
		sleep 0.2
	done
	_ms=$(($(now_ms) - _t0))
	closed=$(header_field closed)
	lost=$(header_field lost)
	echo "mode=replay sessions=$RSESSIONS secs=$(echo $_ms | awk '{ printf "%.1f", $1 / 1000 }') hwm_kb=$(hwm_kb "$TPID") closed=$closed lost=${lost:-?}" >>"$W/runs"
	stop_screen
	rm -f "$W/replay.tcps"
	say "$(tail -1 "$W/runs")"
}

# ---- bulk transfers: throughput against what the generator moved ----

run_bulk() {
	# CSV is one view at a time: one tcpscope for the sessions, one for the throughput tables
	start_batch bulk --view lifespans -s
	p1=$TPID
	start_batch bulkt --view throughput -s
	p2=$TPID
	churn bulk -t 2 -d 0.5 -s "$BULK" -r $((BULK / 16))
	PORT=$(server_port "$W/bulk.truth")
	sleep 2.5 # two ticks: the last interval's bytes are printed at the next tick
	stop $p1
	stop $p2
	rep_tcpscope "$W/bulk.out" "" >"$W/bulk.rep"
	# the throughput tables' exact bytes of both processes, all intervals
	tput=$(awk -F, -v c="$CPID" -v s="$SPID" '
		!hdr { for (i = 1; i <= NF; i++) h[$i] = i; hdr = 1; next }
		$h["PID"] == c || $h["PID"] == s { tx += $h["TX_BYTES"]; rx += $h["RX_BYTES"] }
		END { printf "tput_tx=%.0f tput_rx=%.0f\n", tx, rx }' "$W/bulkt.out")
	truth=$(awk -F, 'NR > 1 { tx += $5; rx += $6 } END { printf "truth_tx=%.0f truth_rx=%.0f\n", tx, rx }' "$W/bulk.truth")
	echo "mode=bulk conns=$CONNS secs=$CSECS $tput $truth $(match "$W/bulk.truth" "$W/bulk.rep") $(lost_in "$W/bulk.err") $(lost_in "$W/bulkt.err" | sed 's/lost=/tlost=/; s/groups=/tgroups=/')" >>"$W/runs"
	say "$(tail -1 "$W/runs")"
}

# ---- tcp_probe on a bulk transfer: its share of the machine's CPU ----

# tcp_probe runs for every segment a connection receives: on a bulk
# transfer (one connection, BULK up and BULK/16 down) it runs most. Its
# share, beside the screen (whose RTT pane keeps the histograms of every
# connection and of each remote address: the most it does a segment), is
# sampled with perf over the whole machine: the probe's program and its
# tracepoint's dispatch (bpf_trace_run2: tcp_probe is the 2-argument
# tracepoint that fires) against every sample not in the idle loop.
# (bpf_stats' run time reads the clock around each run, which on a
# paravirtual clock costs more than the program: it doubled the figure.)
run_bulk_probe() {
	if ! command -v perf >/dev/null; then
		say "perf is not installed: no tcp_probe share of a bulk transfer"
		return
	fi
	for r in 1 2 3; do
		start_screen bprobe
		perf record -q -a -F 4999 -o "$W/perf.data" -- \
			"$TCPGEN" churn -a $ADDR -p 0 -t 1 -d 0.1 -s "$BULK" -r $((BULK / 16)) \
			>"$W/bprobe.churn" 2>"$W/perf.err" || die "perf record failed: $(head -c 300 "$W/perf.err")"
		stop_screen
		_l=$(grep '^churn ' "$W/bprobe.churn")
		perf report -i "$W/perf.data" --sort sym --stdio 2>/dev/null | awk -v secs="$(kv secs "$_l")" '
			/^#/ || NF < 3 { next }
			{ pct = $1; sub(/%/, "", pct); sym = $NF; all += pct }
			sym ~ /idle|safe_halt|halt_hc|mwait|cpu_startup_entry/ { idle += pct; next }
			sym ~ /^bpf_prog_[0-9a-f]+_probe_(btf|raw|tp)$/ { prog += pct }
			sym == "bpf_trace_run2" { disp += pct }
			END { busy = all - idle
				printf "mode=bulkprobe run=%d secs=%s busy_pct=%.2f prog_pct=%.2f dispatch_pct=%.2f share=%.2f\n",
					'"$r"', secs, busy, prog, disp, (busy > 0 ? 100 * (prog + disp) / busy : 0) }' >>"$W/runs"
		rm -f "$W/perf.data"
		say "$(tail -1 "$W/runs")"
	done
}

# ---- go ----

mkdir -p "$OUT" || die "cannot create $OUT"
if [ "${BENCH_TABLE_ONLY:-0}" = 1 ]; then
	# the table again from the last run's numbers (after changing how it is made)
	for f in runs rows feed metrics txt; do cp "$OUT/latest.$f" "$W/$f" 2>/dev/null || : >"$W/$f"; done
	MODES=$(sed -n 's/.*BENCH_MODES="\([^"]*\)".*/\1/p' "$W/txt")
else
	# a local port nothing listens on, for the warm-up's refused connect
	CLOSED_PORT=""
	for p in 9 19 1 7 13; do
		[ -z "$(ss -Htln "sport = :$p" 2>/dev/null)" ] && { CLOSED_PORT=$p; break; }
	done
	[ -n "$CLOSED_PORT" ] || die "no closed port among 9 19 1 7 13 for the warm-up"
	for m in $MODES; do
		case $m in
		tcplife) [ -x "$TCPLIFE" ] || { say "$TCPLIFE is not installed: skipped"; MODES=$(echo "$MODES" | sed 's/tcplife//'); } ;;
		tcpstates) [ -x "$TCPSTATES" ] || { say "$TCPSTATES is not installed: skipped"; MODES=$(echo "$MODES" | sed 's/tcpstates//'); } ;;
		esac
	done
	foreign=$(tracers_now)
	load0=$(cut -d' ' -f1 /proc/loadavg)
	if [ "$CHURNS" = 1 ]; then
		say "churn: $THREADS threads, $SEND B up and $RECV B down per connection, $SECS s; $RUNS runs of: $MODES"
	else
		say "two churns at once, a client thread each (100/1000 B and 5000/200 B per connection), $SECS s; $RUNS runs of: $MODES"
	fi
	[ "$foreign" -gt 0 ] && say "note: $foreign BPF tracing programs of other tools are attached: they slow every mode alike"
	: >"$W/runs"
	set -- $MODES
	nm=$#
	for r in $(seq 1 "$RUNS"); do
		# rotate the order each run: run 1 a b c, run 2 b c a, ...
		i=0
		while [ $i -lt $nm ]; do
			k=$(((i + r - 1) % nm + 1))
			eval "m=\${$k}"
			run_mode "$m" "$r"
			i=$((i + 1))
		done
	done
	[ "$BULK" -gt 0 ] && run_bulk
	[ "$BULK" -gt 0 ] && run_bulk_probe
	[ "${BENCH_BPF_STATS:-1}" = 1 ] && run_bpf_stats
	if [ "$ROWS" -gt 0 ]; then
		say "sort+filter+render of $ROWS rows"
		"$ROWS_BENCH" -n "$ROWS" -r 101 >"$W/rows" || die "rows_bench failed"
		cat "$W/rows" >&2
	fi
	if [ "$SERIES" -gt 0 ]; then
		say "--serve: $SERIES series rendered, and scraped over HTTP"
		"$METRICS_BENCH" -n "$SERIES" >"$W/metrics" || die "metrics_bench failed"
		cat "$W/metrics" >&2
	fi
	if [ "$SESSIONS" -gt 0 ]; then
		say "$SESSIONS sessions through the model (synthetic churn)"
		"$FEED_BENCH" -n "$SESSIONS" >"$W/feed" || die "feed_bench failed"
		cat "$W/feed" >&2
	fi
	if [ "$RSESSIONS" -gt 0 ]; then
		say "$RSESSIONS sessions as a recording, replayed by the screen (this takes a minute)"
		run_replay
	fi
	load1=$(cut -d' ' -f1 /proc/loadavg)

	# ---- what the table is made from ----
	cp "$W/runs" "$OUT/latest.runs"
	cp "$W/rows" "$OUT/latest.rows" 2>/dev/null || : >"$OUT/latest.rows"
	cp "$W/feed" "$OUT/latest.feed" 2>/dev/null || : >"$OUT/latest.feed"
	cp "$W/metrics" "$OUT/latest.metrics" 2>/dev/null || : >"$OUT/latest.metrics"
	{
		echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ) kernel=$(uname -r) cpus=$NCPU"
		echo "command=make bench BENCH_SECONDS=$SECS BENCH_RUNS=$RUNS BENCH_CHURNS=$CHURNS BENCH_THREADS=$THREADS BENCH_SEND=$SEND BENCH_RECV=$RECV BENCH_MODES=\"$(echo $MODES)\" BENCH_BULK_BYTES=$BULK BENCH_SESSIONS=$SESSIONS BENCH_ROWS=$ROWS BENCH_SERIES=$SERIES BENCH_REPLAY_SESSIONS=$RSESSIONS BENCH_BPF_STATS=${BENCH_BPF_STATS:-1}"
		echo "loadavg_before=$load0 loadavg_after=$load1 foreign_bpf_tracing_progs=$foreign"
	} >"$OUT/latest.txt"
	cp "$OUT/latest.txt" "$W/txt"
fi

# ---- the table ----

awk -v modes="$MODES" -v rowsfile="$W/rows" -v feedfile="$W/feed" -v metricsfile="$W/metrics" -v csv="$OUT/latest.csv" '
function med(mode, key,    n, i, j, t, a) {
	n = 0
	for (i = 1; i <= nrun; i++)
		if (rm[i] == mode && (i, key) in v && v[i, key] != "?") a[++n] = v[i, key] + 0
	if (!n) return ""
	for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function sum(mode, key,    i, s) { for (i = 1; i <= nrun; i++) if (rm[i] == mode) s += v[i, key]; return s + 0 }
function f(x, fmt) { return x == "" ? "-" : sprintf(fmt, x) }
function yes(ok) { return ok ? "yes" : "NO" }
# per-mode verdicts of the tcpscope modes that have a value: "all NO, csv yes, screen yes"
function verdicts(val, op, lim,    t, m, out, ok) {
	out = ""
	for (t = 1; t <= NT; t++) {
		m = T[t]
		if (!has[m] || val[m] == "") continue
		ok = op == "<=" ? val[m] + 0 <= lim : op == ">=" ? val[m] + 0 >= lim : val[m] + 0 < lim
		out = out (out == "" ? "" : ", ") S[m] " " yes(ok)
	}
	return out == "" ? "-" : out
}
# a row: a cell per mode from the array C (mode -> text), then target and verdict
function row(name, target, met,    k, r) {
	r = name
	for (k = 1; k <= NM; k++) r = r "\t" (has[M[k]] && (M[k] in C) ? C[M[k]] : "-")
	R[++nrow] = r "\t" target "\t" met
	delete C
}
# a row with one value, under the screen column
function row1(name, value, target, met) { C["screen"] = value; has1 = has["screen"]; has["screen"] = 1; row(name, target, met); has["screen"] = has1 }
{
	nrun++
	for (i = 1; i <= NF; i++) { eq = index($i, "="); v[nrun, substr($i, 1, eq - 1)] = substr($i, eq + 1) }
	rm[nrun] = v[nrun, "mode"]
	if ((nrun, "cpu_s") in v && v[nrun, "traced"] > 0) v[nrun, "us_per_session"] = 1e6 * v[nrun, "cpu_s"] / v[nrun, "traced"]
}
END {
	NM = split("alone floor all csv screen record tcplife tcpstates", M, " ")
	split("churn alone|floor: empty programs on the same hooks|tcpscope -b --view all|tcpscope -b -s (lifespans CSV)|tcpscope screen|tcpscope screen --record|tcplife|tcpstates", H, "|")
	for (k = 1; k <= NM; k++) has[M[k]] = index(" " modes " ", " " M[k] " ") > 0
	NT = split("all csv screen record", T, " ") # tcpscope modes: the targets are theirs
	S["all"] = "-b all"; S["csv"] = "-b csv"; S["screen"] = "screen"; S["record"] = "record"
	base = med("alone", "rate")
	for (k = 1; k <= NM; k++) {
		m = M[k]
		rate[m] = med(m, "rate")
		ratio[m] = (base && rate[m] != "") ? rate[m] / base : ""
		cpu[m] = med(m, "cpu_s")
		pct[m] = cpu[m] != "" ? 100 * cpu[m] / med(m, "secs") : ""
		tr[m] = med(m, "traced")
		# per session of everything it traced: the traffic of other processes costs it too
		us[m] = med(m, "us_per_session")
		at30[m] = us[m] != "" ? us[m] * 60000 / 1e4 : ""
		hwm[m] = med(m, "hwm_kb")
		ready[m] = med(m, "ready_ms")
	}
	for (k = 1; k <= NM; k++) C[M[k]] = f(rate[M[k]], "%.0f")
	row("connections/s (median of runs)", "", "")
	for (k = 1; k <= NM; k++) C[M[k]] = f(ratio[M[k]], "%.3f")
	row("connections/s vs churn alone", ">= 0.95", verdicts(ratio, ">=", 0.95))
	# each run against the alone run nearest in time: drift of the machine cancels better
	for (k = 2; k <= NM; k++) {
		m = M[k]; n = 0
		for (i = 1; i <= nrun; i++) {
			if (rm[i] != m) continue
			best = 0
			for (j = 1; j <= nrun; j++)
				if (rm[j] == "alone" && (!best || (i > j ? i - j : j - i) < (i > best ? i - best : best - i))) best = j
			if (best && v[best, "rate"] > 0) pr[m, ++n] = v[i, "rate"] / v[best, "rate"]
		}
		if (!n) continue
		for (i = 2; i <= n; i++) { t = pr[m, i]; for (j = i - 1; j >= 1 && pr[m, j] > t; j--) pr[m, j + 1] = pr[m, j]; pr[m, j + 1] = t }
		C[m] = sprintf("%.3f (%.3f-%.3f)", n % 2 ? pr[m, (n + 1) / 2] : (pr[m, n / 2] + pr[m, n / 2 + 1]) / 2, pr[m, 1], pr[m, n])
	}
	row("  each run vs the alone run nearest in time: median (min-max)", "", "")
	for (k = 1; k <= NM; k++) { busy[M[k]] = med(M[k], "busy_us"); C[M[k]] = f(busy[M[k]], "%.1f") }
	row("machine CPU busy per connection, all processes (/proc/stat), us", "", "")
	for (k = 2; k <= NM; k++) C[M[k]] = (busy[M[k]] != "" && busy["alone"] != "") ? sprintf("%+.1f", busy[M[k]] - busy["alone"]) : "-"
	row("  added per connection by the tracer (vs alone), us", "", "")
	for (k = 1; k <= NM; k++) C[M[k]] = f(med(M[k], "idle_pct"), "%.1f")
	row("machine idle during the churn, %", "", "")
	for (k = 2; k <= NM; k++) C[M[k]] = f(cpu[M[k]], "%.2f")
	row("tracer CPU s during the churn (+1.5 s drain)", "", "")
	for (k = 2; k <= NM; k++) C[M[k]] = f(pct[M[k]], "%.1f")
	row("tracer CPU, % of one core (CPU s / churn s)", "", "")
	for (k = 2; k <= NM; k++) C[M[k]] = f(tr[M[k]], "%.0f")
	row("sessions it traced meanwhile (all traffic; ours: 2 per connection)", "", "")
	for (k = 2; k <= NM; k++) C[M[k]] = f(us[M[k]], "%.2f")
	row("tracer CPU per traced session, us", "", "")
	for (k = 2; k <= NM; k++) C[M[k]] = f(at30[M[k]], "%.1f")
	row("tracer CPU at 30k conn/s (per-session cost x 60k sessions/s), % of one core", "<= 15", verdicts(at30, "<=", 15))
	for (k = 2; k <= NM; k++) C[M[k]] = f(hwm[M[k]] == "" ? "" : hwm[M[k]] / 1024, "%.1f")
	row("tracer peak RSS (VmHWM), MiB", "", "")
	ok = 1; any = 0
	for (k = 2; k <= NM; k++) {
		m = M[k]
		if (sum(m, "truth") == 0) continue
		C[m] = sum(m, "seen") "/" sum(m, "truth")
		if (m == "all" || m == "csv" || m == "record") { any = 1; ok = ok && sum(m, "missing") == 0 && sum(m, "extra") == 0 }
	}
	row("sessions reported / made (both ends, all runs)", "all", any ? yes(ok) : "-")
	for (k = 2; k <= NM; k++) if (sum(M[k], "truth") > 0) C[M[k]] = sum(M[k], "missing") " / " sum(M[k], "extra")
	row("sessions missing / duplicated", "0 / 0", "")
	ok = 1; any = 0
	for (k = 2; k <= NM; k++) {
		m = M[k]
		if (sum(m, "truth") == 0 || m == "tcpstates") continue
		C[m] = sum(m, "wrong") (m == "csv" || m == "record" ? " (PID, bytes)" : " (PID)")
		if (m == "all" || m == "csv" || m == "record") { any = 1; ok = ok && sum(m, "wrong") == 0 }
	}
	row("sessions with a wrong PID or byte count", "0", any ? yes(ok) : "-")
	ok = 1; any = 0
	for (k = 2; k <= NM; k++) {
		m = M[k]
		if (!has[m]) continue
		C[m] = sum(m, "lost")
		if (m == "all" || m == "csv" || m == "screen" || m == "record") { any = 1; ok = ok && sum(m, "lost") == 0 }
	}
	row("lost records, sockets or sessions (all runs; screen: all its header counts)", "0", any ? yes(ok) : "-")
	for (k = 3; k <= 4; k++) C[M[k]] = sum(M[k], "groups")
	row("throughput rows not kept, group table full (all runs)", "0", "")
	for (k = 2; k <= NM; k++) C[M[k]] = f(med(M[k], "warm_ms"), "%.0f")
	row("warm-up before the window: a refused connect, 0.5 s (tcpscope: loads kernel symbols), CPU ms", "", "")
	for (k = 2; k <= NM; k++) C[M[k]] = f(ready[M[k]], "%.0f")
	row("start to BPF loaded (-b: first line; peers: perf buffer open), ms", "", "")
	C["screen"] = f(ready["screen"], "%.0f")
	row("start to first complete screen (4 panes + header), ms", "< 200", ready["screen"] == "" ? "-" : yes(ready["screen"] + 0 < 200))
	while ((getline l < rowsfile) > 0) {
		delete x
		n = split(l, kv, " ")
		for (i = 1; i <= n; i++) { eq = index(kv[i], "="); x[substr(kv[i], 1, eq - 1)] = substr(kv[i], eq + 1) }
		name = x["case"]; gsub(/_/, " ", name)
		target = name ~ /^filter\+sort TX/ ? "< 10" : ""
		row1("rows: " name ", " x["rows"] " rows (" x["kept"] " kept), median ms (p90)",
		     x["median_ms"] " (" x["p90_ms"] ")", target, target != "" ? yes(x["median_ms"] + 0 < 10) : "")
	}
	while ((getline l < metricsfile) > 0) {
		delete x
		n = split(l, kv, " ")
		for (i = 1; i <= n; i++) { eq = index(kv[i], "="); x[substr(kv[i], 1, eq - 1)] = substr(kv[i], eq + 1) }
		row1("--serve: exposition of " x["series"] " series rendered at each tick (main thread), median ms", x["render_ms"], "", "")
		worst = x["render_ms"] + (x["om_scrape_cpu_ms"] > x["scrape_cpu_ms"] ? x["om_scrape_cpu_ms"] : x["scrape_cpu_ms"])
		row1("--serve: a scrape of " x["series"] " series, tcpscope CPU ms: render + HTTP (OpenMetrics: + conversion)",
		     sprintf("%.2f (%.2f)", x["render_ms"] + x["scrape_cpu_ms"], x["render_ms"] + x["om_scrape_cpu_ms"]), "< 5", yes(worst < 5))
	}
	while ((getline l < feedfile) > 0) {
		delete x
		n = split(l, kv, " ")
		for (i = 1; i <= n; i++) { eq = index(kv[i], "="); x[substr(kv[i], 1, eq - 1)] = substr(kv[i], eq + 1) }
		if (l ~ /^at / && first_hwm == "") { first_hwm = x["hwm_kb"]; first_at = x["sessions"] }
		if (l ~ /^done /) {
			grow = (x["hwm_kb"] - first_hwm) / 1024
			row1("model + 4 panes peak RSS after " x["sessions"] " sessions (synthetic feed), MiB", f(x["hwm_kb"] / 1024, "%.1f"), "", "")
			row1("  its growth from " first_at " to " x["sessions"] " sessions, MiB", f(grow, "%.2f"), "~0", "")
			proj = hwm["screen"] != "" ? hwm["screen"] / 1024 + (grow > 0 ? grow : 0) : ""
			row1("screen peak RSS after " x["sessions"] " sessions (live peak + that growth), MiB", f(proj, "%.1f"), "< 64",
			     proj == "" ? "-" : yes(proj + 0 < 64))
			row1("model cost per record incl. pane rebuilds, ns (synthetic feed)", x["ns_per_record"], "", "")
		}
	}
	for (i = 1; i <= nrun; i++) {
		if (rm[i] != "replay") continue
		row1("screen replaying " v[i, "sessions"] " synthetic sessions (no BPF side): peak RSS MiB / sessions taken in / lost",
		     sprintf("%.1f / %s / %s", v[i, "hwm_kb"] / 1024, v[i, "closed"], v[i, "lost"]), "", "")
		rh = v[i, "hwm_kb"] / 1024
	}
	for (i = 1; i <= nrun; i++) {
		if (rm[i] != "bpf") continue
		p = v[i, "prog"]
		if (p == "all")
			C["all"] = v[i, "us_per_conn"]
		else
			C["all"] = sprintf("%.2f runs x %d ns = %.2f us", v[i, "runs_per_conn"], v[i, "ns_per_run"], v[i, "us_per_conn"])
		has1 = has["all"]; has["all"] = 1
		row(p == "all" ? "kernel: BPF run time per connection, all programs, us (bpf_stats on)" : "kernel: BPF program " p " per connection", "", "")
		has["all"] = has1
	}
	b = 0
	for (i = 1; i <= nrun; i++) if (rm[i] == "bulk") b = i
	if (b) {
		etx = v[b, "truth_tx"] ? 100 * (v[b, "tput_tx"] - v[b, "truth_tx"]) / v[b, "truth_tx"] : 0
		erx = v[b, "truth_rx"] ? 100 * (v[b, "tput_rx"] - v[b, "truth_rx"]) / v[b, "truth_rx"] : 0
		C["csv"] = sprintf("%+.4f / %+.4f", etx, erx); has1 = has["csv"]; has["csv"] = 1
		row("bulk (" v[b, "conns"] " connections, " sprintf("%.2f", v[b, "truth_tx"] / 2^30) " GiB sent): throughput TX / RX vs generator, % error",
		    "within 0.1", yes(etx <= 0.1 && etx >= -0.1 && erx <= 0.1 && erx >= -0.1))
		C["csv"] = (v[b, "seen"] - v[b, "wrong"]) "/" v[b, "truth"]
		row("bulk: sessions with exact lifespans totals / sessions", "all", yes(v[b, "seen"] == v[b, "truth"] && v[b, "wrong"] == 0))
		has["csv"] = has1
	}
	bp = 0
	for (i = 1; i <= nrun; i++)
		if (rm[i] == "bulkprobe") { share[++bp] = v[i, "share"] + 0; prog = v[i, "prog_pct"]; disp = v[i, "dispatch_pct"] }
	if (bp) {
		for (i = 2; i <= bp; i++) { t = share[i]; for (j = i - 1; j >= 1 && share[j] > t; j--) share[j + 1] = share[j]; share[j + 1] = t }
		C["screen"] = sprintf("%.2f", share[int((bp + 1) / 2)])
		has1 = has["screen"]; has["screen"] = 1
		row("bulk beside the screen: tcp_probe (program + dispatch) share of the busy CPU, % (perf, median of " bp ")", "< 2", yes(share[int((bp + 1) / 2)] < 2))
		has["screen"] = has1
	}
	hdr = "measure"
	for (k = 1; k <= NM; k++) hdr = hdr "\t" H[k]
	hdr = hdr "\ttarget\tmet"
	for (i = 0; i <= nrow; i++) {
		n = split(i ? R[i] : hdr, c, "\t")
		line = "|"; cl = ""
		for (j = 1; j <= n; j++) {
			line = line " " c[j] " |"
			cl = cl (j > 1 ? "," : "") (c[j] ~ /[,"]/ ? "\"" c[j] "\"" : c[j])
		}
		print line
		print cl > csv
		if (!i) { sep = "|"; for (j = 1; j <= n; j++) sep = sep "---|"; print sep }
	}
}' "$W/runs" >"$W/table"
{
	cat "$W/txt"
	echo
	cat "$W/table"
} | tee "$OUT/latest.md"
echo "bench: wrote $OUT/latest.csv and $OUT/latest.md" >&2
