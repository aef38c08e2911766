#!/bin/sh
# The page of an open connection against `ss -ti`, across two network
# namespaces: a client in B exchanges 20 KB each way with a server in A,
# then both hold the connection open, idle. Each end's page (Enter on its
# Lifespans row) shows "now" the srtt that ss -ti prints for that socket
# (to the microsecond: both print the kernel's srtt in milliseconds with
# three decimals), the same cwnd and a send window of the same size.
# tcp_probe reads a segment's socket before the kernel processes the
# segment: without the page's own read of the socket (sock_now), the
# server's page, whose last segment was the client's ACK, stays one ACK
# behind for as long as the connection is idle (another cwnd, another srtt).
. "$(dirname "$0")/../lib.sh"
need_root "the page against ss -ti (live kernel, network namespaces)"
command -v tmux >/dev/null || {
	fail "tmux is installed"
	finish
}

A=tsa$$ B=tsb$$
P=$((20000 + $$ % 20000))
if ! netns_pair $A $B; then
	fail "network namespaces"
	finish
fi
TM="tmux -L tcpscope-pagess-$$ -f /dev/null"
on_exit "$TM kill-server"
shows() { wait_for 10 sh -c "$TM capture-pane -t main -p | grep -Eq -- \"\$1\"" _ "$1"; }
keys() { $TM send-keys -t main "$@"; }

$TM new-session -d -s main -x 160 -y 40 \
	"cd $WORK && LANG=C.UTF-8 TERM=xterm-256color $TCPSCOPE --sort LPORT:desc --filter \"port $P\" 2>$WORK/scope.err; echo EXITED \$? >$WORK/exited; sleep 60"
check "starts" shows '1 Lifespans'
gen_server $A srv -a "$NS_A_V4" -p $P -n 1 -s 40000 -r 40000 --hold "$WORK/go" -T 60 ||
	fail "a tcpgen server starts"
srvpid=$GEN_PID
ip netns exec $B "$TCPGEN" client -a "$NS_A_V4" -p $P -n 1 -s 40000 -r 40000 \
	--hold "$WORK/go" --ready "$WORK/held" -T 60 >"$WORK/cli.txt" 2>"$WORK/cli.err" &
clipid=$!
on_exit "kill -KILL $clipid"
check "the connection moved its first half and is held open" wait_for 10 test -s "$WORK/held"
check "both ends open in Lifespans" shows "2 of [0-9]+ rows match"

# ss_of NS LPORT|RPORT PORT: the "rtt:SRTT cwnd:N snd_wnd:N" ss -ti prints for the socket
ss_of() {
	ip netns exec "$1" ss -tinH "$2 = :$3" | awk '
		{ for (i = 1; i <= NF; i++) {
			if ($i ~ /^rtt:/) { split(substr($i, 5), r, "/"); rtt = r[1] }
			if ($i ~ /^cwnd:/) cwnd = substr($i, 6)
			if ($i ~ /^snd_wnd:/) wnd = substr($i, 9)
		} }
		END { if (rtt != "") printf "%.3f %s %s\n", rtt, cwnd, wnd }'
}
# page_of: the "now SRTT cwnd N send-window-KB" the page shows
page_of() {
	$TM capture-pane -t main -p | awk '
		/^  RTT .* now [0-9.]+ ms/ { for (i = 1; i <= NF; i++) if ($i == "now") rtt = $(i + 1) }
		/^  cwnd [0-9]+ / { cwnd = $2; for (i = 1; i <= NF; i++) if ($i == "send") wnd = $(i + 2) }
		END { if (rtt != "") print rtt, cwnd, wnd }'
}
# agree NS SIDE PORT: the page shows what ss -ti prints (the window's bytes
# as the page writes them: 1024 a K, one decimal under 10)
agree() {
	_ss=$(ss_of "$1" "$2" "$3")
	_pg=$(page_of)
	echo "$_ss|$_pg" >"$WORK/last"
	[ -n "$_ss" ] && [ -n "$_pg" ] && echo "$_ss $_pg" | awk '
		function human(b,    v, u) {
			if (b < 1024) return b "B"
			for (v = b; v >= 1024 && u < 5; u++) v /= 1024
			return sprintf(v < 10 ? "%.1f%sB" : "%.0f%sB", v, substr("KMGTP", u, 1))
		}
		{ exit !($1 == $4 && $2 == $5 && human($3) == $6) }'
}

# page ROW NS SIDE PORT WHAT: open the page of the ROWth row, wait until it agrees with ss
page() {
	keys 1
	[ "$1" = 2 ] && keys Down
	keys Enter
	check "$5: its page" shows "^ Connection .*  open  for"
	if wait_for 10 agree "$2" "$3" "$4"; then
		ok "$5: srtt now, cwnd and send window as ss -ti prints them ($(tr '|' ' ' <"$WORK/last"))"
	else
		fail "$5: srtt now, cwnd and send window as ss -ti prints them (ss | page: $(cat "$WORK/last"))"
	fi
	keys Escape
	check "$5: Esc goes back" shows '▸1 Lifespans'
}
# --sort LPORT:desc: the client's ephemeral port comes first, then the server's
cport=$(ip netns exec $B ss -tnH "dport = :$P" | awk '{ n = split($4, a, ":"); print a[n] }')
check "the client's port ($cport) sorts above the server's ($P)" [ -n "$cport" ] && [ "$cport" -gt $P ]
page 1 $B sport "$cport" "the client's end"
page 2 $A sport $P "the server's end (its last segment an ACK)"

touch "$WORK/go"
reap $clipid 20
reap $srvpid 20
check "the second half moves once released" grep -q '^conn side=client .* tx=40000 rx=40000 ' "$WORK/cli.txt"
keys q
check "tcpscope exits 0, nothing on stderr" wait_for 10 grep -q '^EXITED 0$' "$WORK/exited"
[ -s "$WORK/scope.err" ] && note "stderr: $(head -c 300 "$WORK/scope.err")"
check "nothing on stderr" [ ! -s "$WORK/scope.err" ]
finish
