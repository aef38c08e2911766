#!/bin/sh
# RTT histograms (tcprtt: -b --view rtt) across two network namespaces, while
# a client in B sends 20 MB (paced) to a server in A on one port and a short
# exchange runs on another:
# - the samples land in the slots that hold the path's RTT: with netem
#   delaying A's side by 20 ms (sch_netem), none under 16384 usecs (16
#   msecs), in the bulk's and the short exchange's (above, what the
#   bulk's queue in netem adds, 53 ms seen under QEMU, and a busy
#   emulated CPU: no upper bound); without netem (this kernel may lack it), a
#   veth's RTT, under a second; either way the histogram's slots agree with
#   the client's own RTT_MIN_MS and RTT_MAX_MS in the Lifespans CSV (the
#   same tcp_probe samples, counted per socket);
# - -i 1 -d 8: a histogram per interval, then it stops by itself; -m counts
#   the same samples as usecs, in milliseconds;
# - -D keeps the remote port's traffic only (the short exchange has a
#   handful of samples, the bulk one hundreds); -L a port nothing uses prints
#   no histogram;
# - --byraddr: one histogram per remote address, each once (with -L, only
#   the server's peer);
# - the Lifespans CSV's RTT columns: RTT_MIN_MS <= RTT_AVG_MS <= RTT_MAX_MS,
#   at least the delay with netem;
# - IPv6: a third client sends 4 MB over IPv6 on its own port: -D of that
#   port counts the same samples as --raddr of the server's IPv6 address
#   (the same segments), in the path's slots, spanning that client's own
#   RTT columns; --byraddr gives each IPv6 end a histogram of its own.
. "$(dirname "$0")/../lib.sh"
need_root "RTT histograms in network namespaces"

A=tsa$$ B=tsb$$
P1=$((20000 + $$ % 20000)) P2=$((20000 + $$ % 20000 + 1)) UNUSED=$((20000 + $$ % 20000 + 2))
P6=$((20000 + $$ % 20000 + 3))
if ! netns_pair $A $B; then
	fail "network namespaces"
	finish
fi
DELAY=0
modprobe sch_netem 2>/dev/null
DEV=$(ip -n $A -o link show type veth | awk -F': ' '{ sub(/@.*/, "", $2); print $2; exit }')
if in_ns $A tc qdisc add dev "$DEV" root netem delay 20ms 2>/dev/null; then
	DELAY=20
	note "netem delays A's side by 20 ms"
else
	note "no sch_netem on this kernel: a veth's own RTT, with looser bounds"
fi

# hist FILE [ADDR]: "LOW HIGH COUNT" per slot, summed over every histogram
# the output holds (or those of remote/local address ADDR)
hist() {
	awk -v want="${2:-}" '
	/Address/ { cur = $NF == "******" ? "" : $(NF); next }
	$2 == "->" && $4 == ":" && (want == "" || cur == want) { n[$1 " " $3] += $5; lo[$1 " " $3] = $1 }
	END { for (k in n) print k, n[k] }' "$1" | sort -n
}
total() { hist "$@" | awk '{ t += $3 } END { print t + 0 }'; }
# in_slots FILE LOW HIGH: every sample lies between LOW and HIGH (slot bounds)
in_slots() {
	_out=$(hist "$1" | awk -v lo="$2" -v hi="$3" '$3 > 0 && ($1 < lo || $2 > hi) { print }')
	[ -z "$_out" ] && [ "$(total "$1")" -gt 0 ] && return 0
	note "$1: samples outside $2 -> $3: $(echo "$_out" | tr '\n' ';')"
	return 1
}

# spans FILE MIN_MS MAX_MS: the slots holding samples span the socket's own
# min and max (each printed to the microsecond: a value on a slot's edge may
# read 1 us over)
spans() {
	hist "$1" | awk -v mn="$2" -v mx="$3" '
		$3 > 0 { if (lo == "") lo = $1; hi = $2 }
		END { mn *= 1000; mx *= 1000
			exit !(lo != "" && lo <= mn + 1 && mn <= hi + 1 && lo <= mx + 1 && mx <= hi + 1) }'
}
msecs() { grep -q '^ *msecs  *: count' "$1" && ! grep -q usecs "$1"; }

scope_start us --view rtt -D $P1 && uspid=$SCOPE_PID &&
	scope_start ms --view rtt -m -D $P1 && mspid=$SCOPE_PID &&
	scope_start srv --view rtt --byraddr -L $P1 && srvpid=$SCOPE_PID &&
	scope_start small --view rtt -D $P2 && smallpid=$SCOPE_PID &&
	scope_start none --view rtt -L $UNUSED && nonepid=$SCOPE_PID &&
	scope_start addr --view rtt --byraddr && addrpid=$SCOPE_PID &&
	scope_start v6 --view rtt -D $P6 && v6pid=$SCOPE_PID &&
	scope_start v6a --view rtt --raddr "$NS_A_V6" && v6apid=$SCOPE_PID &&
	scope_start life -s --record "$WORK/life.tcps" && lifepid=$SCOPE_PID &&
	scope_start iv --view rtt -i 1 -d 8 -D $P1 && ivpid=$SCOPE_PID || {
	fail "tcpscope starts"
	finish
}
gen_server $A small -a "$NS_A_V4" -p $P2 -s 100 -r 100 &&
	in_ns $B "$TCPGEN" client -a "$NS_A_V4" -p $P2 -s 100 -r 100 >"$WORK/smallcli.txt"
reap $GEN_PID 10
gen_server $A bulk -a "$NS_A_V4" -p $P1 -s 1000 -r 20000000 &&
	in_ns $B "$TCPGEN" client -a "$NS_A_V4" -p $P1 -s 20000000 -r 1000 --pace 5 >"$WORK/cli.txt"
reap $GEN_PID 20
gen_server $A bulk6 -a "$NS_A_V6" -p $P6 -s 1000 -r 4000000 &&
	in_ns $B "$TCPGEN" client -a "$NS_A_V6" -p $P6 -s 4000000 -r 1000 --pace 5 >"$WORK/cli6.txt"
reap $GEN_PID 20
cport=$(sed -n 's/^conn side=client .* lport=\([0-9]*\) .*/\1/p' "$WORK/cli.txt")
cport6=$(sed -n 's/^conn side=client .* lport=\([0-9]*\) .*/\1/p' "$WORK/cli6.txt")
check "tcpgen moved 20 MB on port $P1, 100 B on $P2 and 4 MB over IPv6 on $P6" \
	[ -n "$cport" ] && [ -n "$cport6" ] && grep -q '^conn side=client' "$WORK/smallcli.txt"
wait_rows 10 "$WORK/life.out" "c[\"LPORT\"] == $cport && c[\"RPORT\"] == $P1" 1
wait_rows 10 "$WORK/life.out" "c[\"LPORT\"] == $cport6 && c[\"RPORT\"] == $P6" 1

# -d 8 (started last, 2 s of traffic in it): it stops by itself, having printed every interval
reap $ivpid 20
check "-i 1 -d 8: stops by itself, status 0, nothing on stderr" \
	[ "$REAPED" = 0 ] && [ ! -s "$WORK/iv.err" ]
check "-d 8: tcprtt's first line" same "Tracing TCP RTT for 8 secs." "$(head -1 "$WORK/iv.out")"
check "-i 1: a histogram per interval (at least 2 while 20 MB went), every connection's" \
	[ "$(grep -c '^All Addresses = \*\*\*\*\*\* $' "$WORK/iv.out")" -ge 2 ] &&
	[ "$(grep -c 'Address' "$WORK/iv.out")" = "$(grep -c '^All Addresses' "$WORK/iv.out")" ]
for pid in $uspid $mspid $srvpid $smallpid $nonepid $addrpid $v6pid $v6apid $lifepid; do
	scope_stop $pid
	[ "$SCOPE_RC" = 0 ] || note "tcpscope $pid exited $SCOPE_RC"
done
for n in us ms srv small none addr v6 v6a life; do
	[ -s "$WORK/$n.err" ] && note "$n: stderr: $(head -c 300 "$WORK/$n.err")"
done
check "every other tcpscope exits 0 on ^C, nothing on stderr" \
	[ -z "$(cat "$WORK/us.err" "$WORK/ms.err" "$WORK/srv.err" "$WORK/small.err" "$WORK/none.err" \
		"$WORK/addr.err" "$WORK/v6.err" "$WORK/v6a.err" "$WORK/life.err")" ]

# a recording made in batch mode carries the histograms: its replay shows them
"$TCPSCOPE" --replay "$WORK/life.tcps" -b --view rtt >"$WORK/replay.out" 2>&1
check "a recording (-b -s --record) replays with its RTT histograms ($(total "$WORK/replay.out") samples)" \
	[ "$(total "$WORK/replay.out")" -gt 0 ]
ivn=$(total "$WORK/us.out")
note "samples: -D $P1 $ivn ($(hist "$WORK/us.out" | awk '$3 { printf "%s-%s:%s ", $1, $2, $3 }')), -D $P2 $(total "$WORK/small.out")"
check "-m: msecs" msecs "$WORK/ms.out"
check "-m counts the same samples as usecs ($ivn)" same "$ivn" "$(total "$WORK/ms.out")"
check "-i 1: the intervals' samples add up to at most the whole run's" \
	[ "$(total "$WORK/iv.out")" -le "$ivn" ] && [ "$(total "$WORK/iv.out")" -gt 0 ]
row=$(csv "$WORK/life.out" "c[\"LPORT\"] == $cport && c[\"RPORT\"] == $P1 { print c[\"RTT_MIN_MS\"], c[\"RTT_AVG_MS\"], c[\"RTT_MAX_MS\"] }")
note "the client's RTT_MIN_MS RTT_AVG_MS RTT_MAX_MS: $row"
set -- $row
if [ $# != 3 ]; then
	fail "Lifespans: the client's row with RTT columns"
elif [ $DELAY != 0 ]; then
	check "usecs: no sample under 16384 (20 ms of netem)" in_slots "$WORK/us.out" 16384 2147483647
	check "usecs: the lowest and highest slots hold RTT_MIN_MS and RTT_MAX_MS" \
		spans "$WORK/us.out" "$1" "$3"
	check "msecs: no sample under 16" in_slots "$WORK/ms.out" 16 2147483647
	check "-D $P2: no sample under 16384 either" in_slots "$WORK/small.out" 16384 2147483647
	check "Lifespans: 20 <= RTT_MIN_MS <= RTT_AVG_MS <= RTT_MAX_MS < 1000" \
		awk -v a="$1" -v b="$2" -v c="$3" 'BEGIN { exit !(20 <= a && a <= b && b <= c && c < 1000) }'
else
	check "usecs: every sample of a veth under a second" in_slots "$WORK/us.out" 0 1048575
	# the slots holding samples span the socket's own min and max (each printed to
	# the microsecond: a value on a slot's edge may read 1 us over)
	check "usecs: the lowest and highest slots hold RTT_MIN_MS and RTT_MAX_MS" \
		spans "$WORK/us.out" "$1" "$3"
	if awk -v c="$3" 'BEGIN { exit !(c < 1) }'; then
		check "msecs: RTT_MAX_MS under 1 ms, so every sample in 0 -> 1" in_slots "$WORK/ms.out" 0 1
	else
		check "msecs: every sample at most RTT_MAX_MS" in_slots "$WORK/ms.out" 0 $((${3%.*} * 2 + 1))
	fi
	check "Lifespans: RTT_MIN_MS <= RTT_AVG_MS <= RTT_MAX_MS < 1000" \
		awk -v a="$1" -v b="$2" -v c="$3" 'BEGIN { exit !(a <= b && b <= c && c < 1000) }'
fi

# ports: -D P2 saw the short exchange only, -L of an unused port nothing
small=$(total "$WORK/small.out")
check "-D $P2: the 100-byte exchange's few samples ($small), not the bulk's ($ivn)" \
	[ "$small" -ge 1 ] && [ "$small" -le 20 ] && [ "$ivn" -ge 100 ]
check "-L $UNUSED (no traffic): only the first line, no histogram" \
	same 1 "$(grep -c . "$WORK/none.out")"

# --byraddr: a histogram per remote address, once each for the whole run
check "--byraddr: one histogram for $NS_A_V4 (the client's peer) and one for $NS_B_V4" \
	[ "$(grep -c "^Remote Address = $NS_A_V4 \$" "$WORK/addr.out")" = 1 ] &&
	[ "$(grep -c "^Remote Address = $NS_B_V4 \$" "$WORK/addr.out")" = 1 ] &&
	! grep -q '^All Addresses' "$WORK/addr.out"
check "--byraddr: the peers' samples add up to at least -D $P1's" \
	[ $(($(total "$WORK/addr.out" "$NS_A_V4") + 0)) -ge "$ivn" ]
check "--byraddr -L $P1: only the server's peer $NS_B_V4, with samples" \
	[ "$(grep -c "^Remote Address = " "$WORK/srv.out")" = 1 ] &&
	[ "$(total "$WORK/srv.out" "$NS_B_V4")" -gt 0 ]

# IPv6
v6n=$(total "$WORK/v6.out")
note "IPv6 samples: -D $P6 $v6n ($(hist "$WORK/v6.out" | awk '$3 { printf "%s-%s:%s ", $1, $2, $3 }')), --raddr $NS_A_V6 $(total "$WORK/v6a.out")"
check "IPv6: -D $P6 has the 4 MB's samples ($v6n)" [ "$v6n" -ge 50 ]
check "IPv6: --raddr $NS_A_V6 counts the same samples as -D $P6 (the same segments)" \
	same "$v6n" "$(total "$WORK/v6a.out")"
check "IPv6: --byraddr: one histogram for $NS_A_V6 and one for $NS_B_V6" \
	[ "$(grep -c "^Remote Address = $NS_A_V6 \$" "$WORK/addr.out")" = 1 ] &&
	[ "$(grep -c "^Remote Address = $NS_B_V6 \$" "$WORK/addr.out")" = 1 ]
check "IPv6: --byraddr's $NS_A_V6 histogram has at least -D $P6's samples" \
	[ $(($(total "$WORK/addr.out" "$NS_A_V6") + 0)) -ge "$v6n" ]
row6=$(csv "$WORK/life.out" "c[\"LPORT\"] == $cport6 && c[\"RPORT\"] == $P6 && c[\"IP\"] == 6 { print c[\"RTT_MIN_MS\"], c[\"RTT_AVG_MS\"], c[\"RTT_MAX_MS\"] }")
note "the IPv6 client's RTT_MIN_MS RTT_AVG_MS RTT_MAX_MS: $row6"
set -- $row6
if [ $# != 3 ]; then
	fail "IPv6: Lifespans: the client's row (IP 6) with RTT columns"
elif [ $DELAY != 0 ]; then
	check "IPv6: no sample under 16384 (20 ms of netem)" in_slots "$WORK/v6.out" 16384 2147483647
	check "IPv6: the lowest and highest slots hold the client's RTT_MIN_MS and RTT_MAX_MS" \
		spans "$WORK/v6.out" "$1" "$3"
	check "IPv6: Lifespans: 20 <= RTT_MIN_MS <= RTT_AVG_MS <= RTT_MAX_MS < 1000" \
		awk -v a="$1" -v b="$2" -v c="$3" 'BEGIN { exit !(20 <= a && a <= b && b <= c && c < 1000) }'
else
	check "IPv6: the lowest and highest slots hold the client's RTT_MIN_MS and RTT_MAX_MS" \
		spans "$WORK/v6.out" "$1" "$3"
	check "IPv6: Lifespans: RTT_MIN_MS <= RTT_AVG_MS <= RTT_MAX_MS < 1000" \
		awk -v a="$1" -v b="$2" -v c="$3" 'BEGIN { exit !(a <= b && b <= c && c < 1000) }'
fi
finish
