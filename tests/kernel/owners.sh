#!/bin/sh
# Who owns an accepted socket. Without the accept hook (the default), owners
# come from send, recv, close and shutdown, all in the owner's own context:
# an accepted socket that never moves a byte still gets its server's PID when
# the server closes it. Only a socket the peer resets before the server
# touches it stays unknown ("" in CSV, "-" on screen): never a wrong PID.
# With --with accept, that one is named too.
. "$(dirname "$0")/../lib.sh"
need_root "owners of accepted sockets"
TCPGEN=$TOOLS/tcpgen
PORT=$((27000 + $$ % 1000)) # below the ephemeral range (32768-): no outgoing connection holds it

# one NAME SCOPE-FLAGS CLIENT-FLAGS: one connection, its server and client rows in NAME.csv.
# Both ends hold after connecting until the client says it is connected: the
# server has accepted by then, and has moved no byte.
one() {
	name=$1 scope=$2 cflags=$3
	"$TCPSCOPE" -b -s --filter "port $PORT" -d 30 $scope >"$WORK/$name.csv" 2>"$WORK/$name.err" &
	ts=$!
	wait_for 10 grep -q PID "$WORK/$name.csv"
	rm -f "$WORK/ready"
	rm -f "$WORK/hold" "$WORK/held"
	"$TCPGEN" server -a 127.0.0.1 -p $PORT -n 1 -s 0 -r 0 --first-close client \
		--hold "$WORK/hold" --ready "$WORK/ready" >"$WORK/$name.srv" 2>&1 &
	spid=$!
	wait_for 5 test -s "$WORK/ready"
	# shellcheck disable=SC2086
	"$TCPGEN" client -a 127.0.0.1 -p $PORT -n 1 -s 0 -r 0 --first-close client $cflags \
		--hold "$WORK/hold" --ready "$WORK/held" >"$WORK/$name.cli" 2>&1 &
	cli=$!
	wait_for 10 test -e "$WORK/held"
	# the server's accept() has returned: the listener and the accepted socket
	wait_for 10 sh -c "[ \$(ls -l /proc/$spid/fd 2>/dev/null | grep -c socket:) -ge 2 ]"
	touch "$WORK/hold"
	wait $cli
	cpid=$(sed -n 's/.*side=client pid=\([0-9]*\).*/\1/p' "$WORK/$name.cli" | head -1)
	wait $spid 2>/dev/null
	wait_rows 10 "$WORK/$name.csv" "c[\"LPORT\"] == $PORT" 1
	wait_rows 10 "$WORK/$name.csv" "c[\"RPORT\"] == $PORT" 1
	kill -INT $ts
	wait $ts
	SERVER_PID=$(csv "$WORK/$name.csv" "c[\"LPORT\"] == $PORT { print c[\"PID\"] }")
	SERVER_STATUS=$(csv "$WORK/$name.csv" "c[\"LPORT\"] == $PORT { print c[\"STATUS\"] }")
	CLIENT_PID=$(csv "$WORK/$name.csv" "c[\"RPORT\"] == $PORT { print c[\"PID\"] }")
	EXPECT_SERVER=$spid EXPECT_CLIENT=$cpid
}

one quiet "" ""
check "accepted, no bytes, closed by the server: the server's PID (from close)" \
	test "$SERVER_PID" = "$EXPECT_SERVER"
check "... and the client's PID on its end" test "$CLIENT_PID" = "$EXPECT_CLIENT"

one reset "" "--linger0"
check "reset by the peer before the server touched it: status reset" test "$SERVER_STATUS" = reset
check "... the owner is unknown, not a wrong PID" test -z "$SERVER_PID"
check "... the client's PID on its end" test "$CLIENT_PID" = "$EXPECT_CLIENT"

one hooked "--with accept" "--linger0"
check "with --with accept the reset socket has the server's PID" test "$SERVER_PID" = "$EXPECT_SERVER"
check "... and the client's on its end" test "$CLIENT_PID" = "$EXPECT_CLIENT"
finish
