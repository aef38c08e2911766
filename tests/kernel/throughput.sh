#!/bin/sh
# The throughput view across two network namespaces: a bulk transfer each way,
# spread over several intervals, adds up exactly. With --group socket and with
# the default grouping (process and hosts), the interval TX_BYTES and RX_BYTES
# of each end, summed over all intervals, are the bytes that end sent and
# received, every row is owned by that end's process, and the running totals
# end at the same numbers. The server sends with send() over IPv4 and with
# sendfile() over IPv6 (a path of its own in older kernels). Then the
# fallbacks for kernels without the send/recv tracepoints: with --hooks
# fentry and --hooks kprobe, either -v says traffic runs on that flavour and
# the sums are as exact, or it says why this kernel cannot run it.
. "$(dirname "$0")/../lib.sh"
need_root "throughput in network namespaces"

A=tsa$$ B=tsb$$
PORT=$((20000 + $$ % 20000))
UP=20000000 DOWN=3000000
if ! netns_pair $A $B; then
	fail "network namespaces"
	finish
fi

# sums CSV LADDR RADDR: "PIDS TX RX INTERVALS TX_TOT RX_TOT" over the rows between these ends
sums() {
	csv "$1" '
	c["LADDR"] == "'"$2"'" && c["RADDR"] == "'"$3"'" {
		if (!(c["PID"] in seen))
			pids = pids (pids == "" ? "" : "+") c["PID"]
		seen[c["PID"]] = 1
		tx += c["TX_BYTES"]
		rx += c["RX_BYTES"]
		if (c["TX_BYTES"] + c["RX_BYTES"] > 0)
			n++
		ttx = c["TX_TOT_BYTES"]
		trx = c["RX_TOT_BYTES"]
	}
	END { printf "%s %.0f %.0f %d %.0f %.0f\n", pids, tx, rx, n, ttx, trx }'
}

# wait_totals NAME LADDR TX RX: until NAME's rows for LADDR show these running totals
wait_totals() {
	wait_rows 10 "$WORK/$1.out" \
		"c[\"LADDR\"] == \"$2\" && c[\"TX_TOT_BYTES\"] >= $3 && c[\"RX_TOT_BYTES\"] >= $4" 1
}

# transfer FAMILY SERVER_ADDR CLIENT_ADDR ADDR_FORMAT(printf, for addr:port) HOOKS [SERVER_OPTS]
transfer() {
	fam=$1 srv=$2 cli=$3 fmt=$4 hooks=$5 port=$((PORT + $1))
	shift 5
	scope_start sock$fam --view throughput -s -i 0.2 --group socket --hooks $hooks &&
		sockpid=$SCOPE_PID &&
		scope_start host$fam --view throughput -s -i 0.2 --hooks $hooks || {
		fail "IPv$fam: tcpscope starts"
		return
	}
	# paced to at least 1.2 s (4 ms a 64 KiB): six 0.2 s intervals, three even if ticks come late
	gen_server $A srv$fam -a "$srv" -p $port -s $DOWN -r $UP "$@" &&
		in_ns $B "$TCPGEN" client -a "$srv" -p $port -s $UP -r $DOWN --pace 4 \
			>"$WORK/cli$fam.txt"
	reap $GEN_PID 10
	spid=$(sed -n 's/^conn side=server pid=\([0-9]*\) .*/\1/p' "$WORK/srv$fam.txt")
	cpid=$(sed -n 's/^conn side=client pid=\([0-9]*\) .*/\1/p' "$WORK/cli$fam.txt")
	cport=$(sed -n 's/^conn side=client .* lport=\([0-9]*\) .*/\1/p' "$WORK/cli$fam.txt")
	if [ -z "$spid" ] || [ -z "$cpid" ]; then
		fail "IPv$fam: tcpgen moved $UP bytes up and $DOWN down"
		scope_stop $sockpid
		scope_stop
		return
	fi
	# the close's bytes show in the interval after it: wait for every total
	# checked below, both directions of both ends (a total in one direction can
	# be complete intervals before the close brings the other's last bytes)
	sa=$(printf "$fmt" "$srv" $port) ca=$(printf "$fmt" "$cli" $cport)
	wait_totals sock$fam "$ca" $UP $DOWN
	wait_totals sock$fam "$sa" $DOWN $UP
	wait_totals host$fam "$cli" $UP $DOWN
	wait_totals host$fam "$srv" $DOWN $UP
	scope_stop $sockpid
	check "IPv$fam: tcpscope --group socket exits 0 on ^C, nothing on stderr" scope_clean sock$fam
	scope_stop
	check "IPv$fam: tcpscope (process+hosts) exits 0 on ^C, nothing on stderr" scope_clean host$fam
	for g in sock host; do
		if [ $g = sock ]; then
			cl=$ca sl=$sa
		else
			cl=$cli sl=$srv
		fi
		c=$(sums "$WORK/$g$fam.out" "$cl" "$sl")
		s=$(sums "$WORK/$g$fam.out" "$sl" "$cl")
		check "IPv$fam $g: client: PID, TX and RX summed over intervals, totals" \
			same "$cpid $UP $DOWN $UP $DOWN" "$(echo "$c" | cut -d' ' -f1-3,5-6)"
		check "IPv$fam $g: server: PID, TX and RX summed over intervals, totals" \
			same "$spid $DOWN $UP $DOWN $UP" "$(echo "$s" | cut -d' ' -f1-3,5-6)"
		check "IPv$fam $g: the transfer spans several intervals" \
			[ "$(echo "$c" | cut -d' ' -f4)" -ge 3 ]
	done
}

transfer 4 "$NS_A_V4" "$NS_B_V4" "%s:%s" tp_btf
transfer 6 "$NS_A_V6" "$NS_B_V6" "[%s]:%s" tp_btf --sendfile

matches() { printf '%s\n' "$1" | grep -Eq "$2"; }

for flavour in fentry kprobe; do
	plan=$("$TCPSCOPE" -b -v -d 0.3 --view throughput --hooks $flavour 2>&1 >/dev/null |
		grep '^tcpscope: traffic ')
	note "--hooks $flavour: $plan"
	case $plan in
	"tcpscope: traffic  $flavour "*)
		PORT=$((PORT + 10))
		transfer 4 "$NS_A_V4" "$NS_B_V4" "%s:%s" $flavour --sendfile
		;;
	*)
		check "--hooks $flavour: -v says why traffic cannot run on $flavour here" \
			matches "$plan" "^tcpscope: traffic +off +.*: (.* )?$flavour"
		;;
	esac
done
finish
