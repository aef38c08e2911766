#!/bin/sh
# Resets both ways, across two network namespaces, in the events view (CSV),
# for IPv4 and IPv6, counted against what the kernel and the client say:
# - a connect to a closed port: the client receives the reset (RST<, in
#   SYN_SENT, its PID and ends, DIR in) and is told ECONNREFUSED (ERROR);
#   kernels since 6.9 also trace the reset the server's namespace sent for no
#   socket (RST>, the server's ends, no owner), older ones do not;
# - a close with SO_LINGER 0 (tcpgen --linger0): the server sends the reset
#   (RST>, in ESTABLISHED, its PID), the client receives it (RST<) and its
#   owner hears ECONNRESET (and so does the server's socket: the kernel
#   reports the abort to the socket it resets); both ends' rows name the
#   right socket.
# Exact counts: the RST> rows of each namespace are its OutRsts in
# /proc/net/snmp (the client's ACKs that reach the closed server are answered
# with resets for no socket too: however many there were), and the RST< and
# ERROR rows are the client's failures, one each, and the server's abort.
# Then the filter terms, in two more tcpscopes watching the same traffic:
# `type reset` keeps exactly the resets, `!type reset` exactly the rest; an
# unknown type is refused with exit 2.
. "$(dirname "$0")/../lib.sh"
need_root "resets in network namespaces"

A=tsa$$ B=tsb$$
PORT=$((20000 + $$ % 20000))
if ! netns_pair $A $B; then
	fail "network namespaces"
	finish
fi
NS_A=$(ns_inode $A)
NS_B=$(ns_inode $B)

# Kernels before 6.9 call tcp_send_reset only for a full socket.
kmaj=$(uname -r | cut -d. -f1) kmin=$(uname -r | cut -d. -f2 | tr -cd 0-9)
NOSOCK_TRACED=$([ "$kmaj" -gt 6 ] || { [ "$kmaj" = 6 ] && [ "$kmin" -ge 9 ]; } && echo 1 || echo 0)
[ $NOSOCK_TRACED = 1 ] || note "kernel $(uname -r): resets sent for no socket are not traced"
# Since 6.10 the kernel says why it sent a reset (enum sk_rst_reason, named from its BTF).
HAS_REASON=$([ "$kmaj" -gt 6 ] || { [ "$kmaj" = 6 ] && [ "$kmin" -ge 10 ]; } && echo 1 || echo 0)
NOSOCK_REASON=$([ $HAS_REASON = 1 ] && echo NO_SOCKET)
ANY_REASON=$([ $HAS_REASON = 1 ] && echo '^[A-Z][A-Z_]*$' || echo '^$')

both_ns="(c[\"NETNS\"] == $NS_A || c[\"NETNS\"] == $NS_B)"

# resets FAMILY SERVER_ADDR CLIENT_ADDR
resets() {
	fam=$1 sa=$2 ca=$3 port=$((PORT + 2 * ($1 == 6))) closed=$((PORT + 2 * ($1 == 6) + 1))
	rA0=$(out_rsts $A) rB0=$(out_rsts $B)
	scope_start ev$fam --view events -s && evpid=$SCOPE_PID &&
		scope_start rst$fam --view events -s --filter "type reset" && rstpid=$SCOPE_PID &&
		scope_start norst$fam --view events -s --filter "!type reset" || {
		fail "IPv$fam: tcpscope --view events starts"
		return
	}
	in_ns $B "$TCPGEN" client -a "$sa" -p $closed -n 1 -T 2 >"$WORK/refused$fam.txt"
	gen_server $A srv$fam -a "$sa" -p $port -n 1 -s 2000 -r 3000 --linger0 &&
		in_ns $B sh -c 'echo $$ >"$1"; shift; exec "$@"' - "$WORK/cli$fam.pid" \
			"$TCPGEN" client -a "$sa" -p $port -n 1 -s 3000 -r 2000 \
			>"$WORK/cli$fam.txt" 2>"$WORK/cli$fam.err"
	reap $GEN_PID 10
	sentA=$(($(out_rsts $A) - rA0)) sentB=$(($(out_rsts $B) - rB0))
	note "IPv$fam: the kernel sent $sentA resets in $A, $sentB in $B"
	ev=$WORK/ev$fam.out
	want_a=$((sentA - 1 + NOSOCK_TRACED))
	wait_rows 10 "$ev" "c[\"TYPE\"] == \"RST>\" && c[\"NETNS\"] == $NS_A" $want_a
	wait_rows 10 "$ev" "c[\"TYPE\"] == \"RST<\" && c[\"NETNS\"] == $NS_B" 2
	wait_rows 10 "$ev" "c[\"TYPE\"] == \"ERROR\" && c[\"NETNS\"] == $NS_B" 2
	for s in $evpid $rstpid $SCOPE_PID; do
		scope_stop $s
		case $s in $evpid) n=ev ;; $rstpid) n=rst ;; *) n=norst ;; esac
		check "IPv$fam: tcpscope --view events ($n) exits 0 on ^C, nothing on stderr" \
			scope_clean $n$fam
	done

	# the connect to a closed port
	rport=$(sed -n 's/^fail .* lport=\([0-9]*\) .*err=ECONNREFUSED.*/\1/p' "$WORK/refused$fam.txt")
	rpid=$(sed -n 's/^fail side=client pid=\([0-9]*\) .*/\1/p' "$WORK/refused$fam.txt")
	if [ -z "$rport" ]; then
		fail "IPv$fam: tcpgen's connect to a closed port was refused"
	else
		ends="c[\"LADDR\"] == \"$ca\" && c[\"LPORT\"] == $rport && c[\"RADDR\"] == \"$sa\" && c[\"RPORT\"] == $closed"
		check "IPv$fam: closed port: RST< in SYN_SENT, DIR in, the client's PID, ends and NETNS" \
			same 1 "$(csv_count "$ev" "c[\"TYPE\"] == \"RST<\" && $ends && c[\"STATE\"] == \"SYN_SENT\" && c[\"DIR\"] == \"in\" && c[\"PID\"] == $rpid && c[\"NETNS\"] == $NS_B && c[\"IP\"] == $fam")"
		check "IPv$fam: closed port: ERROR ECONNREFUSED to the client" \
			same 1 "$(csv_count "$ev" "c[\"TYPE\"] == \"ERROR\" && $ends && c[\"REASON\"] == \"ECONNREFUSED\" && c[\"PID\"] == $rpid")"
		theirs="c[\"LADDR\"] == \"$sa\" && c[\"LPORT\"] == $closed && c[\"RADDR\"] == \"$ca\" && c[\"RPORT\"] == $rport"
		check "IPv$fam: closed port: the reset sent for no socket: RST> with the server's ends, NETNS, DIR out, no owner, reason '$NOSOCK_REASON'" \
			same $NOSOCK_TRACED "$(csv_count "$ev" "c[\"TYPE\"] == \"RST>\" && $theirs && c[\"NETNS\"] == $NS_A && c[\"DIR\"] == \"out\" && c[\"PID\"] == \"\" && c[\"STATE\"] == \"\" && c[\"REASON\"] == \"$NOSOCK_REASON\"")"
	fi

	# the close with SO_LINGER 0
	spid=$(sed -n 's/^conn side=server pid=\([0-9]*\) .*/\1/p' "$WORK/srv$fam.txt")
	cport=$(sed -n 's/^conn side=server .* rport=\([0-9]*\) .*/\1/p' "$WORK/srv$fam.txt")
	cpid=$(cat "$WORK/cli$fam.pid" 2>/dev/null)
	if [ -z "$spid" ] || [ -z "$cport" ] || [ -z "$cpid" ]; then
		fail "IPv$fam: tcpgen --linger0 made a connection ($(head -c 200 "$WORK/cli$fam.err"))"
		return
	fi
	check "IPv$fam: linger 0: the client was reset" grep -q "reset by peer" "$WORK/cli$fam.err"
	server="c[\"LADDR\"] == \"$sa\" && c[\"LPORT\"] == $port && c[\"RADDR\"] == \"$ca\" && c[\"RPORT\"] == $cport"
	client="c[\"LADDR\"] == \"$ca\" && c[\"LPORT\"] == $cport && c[\"RADDR\"] == \"$sa\" && c[\"RPORT\"] == $port"
	check "IPv$fam: linger 0: the server's RST> in ESTABLISHED, DIR out, its PID and NETNS, a reason where the kernel gives one" \
		same 1 "$(csv_count "$ev" "c[\"TYPE\"] == \"RST>\" && $server && c[\"STATE\"] == \"ESTABLISHED\" && c[\"DIR\"] == \"out\" && c[\"PID\"] == $spid && c[\"NETNS\"] == $NS_A && c[\"REASON\"] ~ /$ANY_REASON/")"
	check "IPv$fam: linger 0: the client's RST< in ESTABLISHED, DIR in, its PID and NETNS" \
		same 1 "$(csv_count "$ev" "c[\"TYPE\"] == \"RST<\" && $client && c[\"STATE\"] == \"ESTABLISHED\" && c[\"DIR\"] == \"in\" && c[\"PID\"] == $cpid && c[\"NETNS\"] == $NS_B")"
	check "IPv$fam: linger 0: ERROR ECONNRESET to the client's owner" \
		same 1 "$(csv_count "$ev" "c[\"TYPE\"] == \"ERROR\" && $client && c[\"REASON\"] == \"ECONNRESET\" && c[\"PID\"] == $cpid")"
	# (tcp_disconnect reports ECONNRESET to the socket it aborts, too)
	check "IPv$fam: linger 0: ERROR ECONNRESET on the server's socket, its PID" \
		same 1 "$(csv_count "$ev" "c[\"TYPE\"] == \"ERROR\" && $server && c[\"REASON\"] == \"ECONNRESET\" && c[\"PID\"] == $spid")"

	# exact counts against the kernel's and the client's
	check "IPv$fam: RST> rows in the server's namespace: its OutRsts ($sentA)$([ $NOSOCK_TRACED = 1 ] || echo ' but the one for no socket')" \
		same $want_a "$(csv_count "$ev" "c[\"TYPE\"] == \"RST>\" && c[\"NETNS\"] == $NS_A")"
	check "IPv$fam: RST> rows in the client's namespace: its OutRsts ($sentB)" \
		same $sentB "$(csv_count "$ev" "c[\"TYPE\"] == \"RST>\" && c[\"NETNS\"] == $NS_B")"
	check "IPv$fam: RST< rows: the client's two failures (ECONNREFUSED, ECONNRESET), none in the server's namespace" \
		same "2 0" "$(csv_count "$ev" "c[\"TYPE\"] == \"RST<\" && c[\"NETNS\"] == $NS_B") $(csv_count "$ev" "c[\"TYPE\"] == \"RST<\" && c[\"NETNS\"] == $NS_A")"
	check "IPv$fam: ERROR rows: the client's two; the server's one, its own abort" \
		same "2 1" "$(csv_count "$ev" "c[\"TYPE\"] == \"ERROR\" && c[\"NETNS\"] == $NS_B") $(csv_count "$ev" "c[\"TYPE\"] == \"ERROR\" && c[\"NETNS\"] == $NS_A")"

	# the filter terms split the same rows in two
	all=$(csv_count "$ev" "$both_ns")
	rsts=$(csv_count "$ev" "$both_ns && c[\"TYPE\"] ~ /^RST[<>]\$/")
	check "IPv$fam: --filter 'type reset': the resets ($rsts), and nothing else" \
		same "$rsts 0" "$(csv_count "$WORK/rst$fam.out" "$both_ns") $(csv_count "$WORK/rst$fam.out" "c[\"TYPE\"] !~ /^RST[<>]\$/")"
	check "IPv$fam: --filter '!type reset': all the rest ($((all - rsts))), no reset" \
		same "$((all - rsts)) 0" "$(csv_count "$WORK/norst$fam.out" "$both_ns") $(csv_count "$WORK/norst$fam.out" "c[\"TYPE\"] ~ /^RST/")"
}

resets 4 "$NS_A_V4" "$NS_B_V4"
resets 6 "$NS_A_V6" "$NS_B_V6"

"$TCPSCOPE" -b --view events --filter "type nosuch" -d 0.1 >/dev/null 2>"$WORK/bad.err"
rc=$?
check "an unknown type: exit 2, one line naming it" \
	sh -c "[ $rc = 2 ] && [ \$(wc -l <$WORK/bad.err) = 1 ] && grep -q \"type: 'nosuch' is not an event type\" $WORK/bad.err"
finish
