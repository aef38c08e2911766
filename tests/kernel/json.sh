#!/bin/sh
# -b --json: every view as JSON lines that jq reads, one object per row;
# sessions of known traffic with exact byte counts as numbers; hostile
# process names (any byte a local user may choose) as valid UTF-8 strings
# that cannot break a line.
. "$(dirname "$0")/../lib.sh"
need_root "JSON lines"
if ! command -v jq >/dev/null; then
	skip "JSON lines" "jq is not installed (make test-deps installs it)"
	finish
fi
# below the ephemeral range: no outgoing connection holds them
PORT=$((25000 + $$ % 1000))
PROBE=$((PORT + 1000))
EVILPORT=$((PORT + 2000))
EVIL=$TOOLS/evilcomm

# no header comes first in JSON: a probe connection says when it traces
"$TCPSCOPE" -b --json --view all --filter "port $PORT,$PROBE,$EVILPORT" -d 60 \
	>"$WORK/out" 2>"$WORK/err" &
SCOPE_PID=$!
on_exit "kill -KILL $SCOPE_PID"
gen_server - probe -a 127.0.0.1 -p $PROBE -n 100 -s 1 -r 1 || { fail "probe server"; finish; }
probe() {
	"$TCPGEN" client -a 127.0.0.1 -p $PROBE -n 1 -s 1 -r 1 >/dev/null 2>&1
	grep -q "\"rport\":$PROBE," "$WORK/out"
}
if ! wait_for 30 probe; then
	fail "tcpscope -b --json traces: $(head -c 300 "$WORK/err")"
	finish
fi
gen_server - srv -a 127.0.0.1 -p $PORT -n 3 -s 5000 -r 300 || { fail "server"; finish; }
SRV_PID=$GEN_PID
"$TCPGEN" client -a 127.0.0.1 -p $PORT -n 3 -s 300 -r 5000 >"$WORK/client.txt" 2>&1
gen_server - evil -a 127.0.0.1 -p $EVILPORT -n 3 -s 5 -r 10 || { fail "server"; finish; }
for n in '\x1b]0;PWNED\x07' '"},\x0a{"x' '\xff\xfebad'; do
	$EVIL "$n" 127.0.0.1 $EVILPORT
done
ends() { [ "$(jq -c "select(.view == \"lifespans\" and (.lport == $1 or .rport == $1))" "$WORK/out" | wc -l)" -ge "$2" ]; }
wait_for 15 ends $PORT 6
wait_for 15 ends $EVILPORT 6
sleep 1.5 # a throughput interval
scope_stop
check "exit 0 on ^C, nothing on stderr" scope_clean out

lines=$(wc -l <"$WORK/out")
check "jq reads every line as one object ($lines)" \
	same "$lines" "$(jq -c 'select(type == "object")' "$WORK/out" | wc -l)"
check "the output is valid UTF-8" sh -c "iconv -f UTF-8 -t UTF-8 '$WORK/out' >/dev/null"
for v in lifespans states throughput; do
	check "rows of $v" sh -c "jq -e 'select(.view == \"$v\")' '$WORK/out' | grep -q ."
done
check "every row has its time, in seconds since the epoch" \
	same 0 "$(jq -c 'select((.time | type) != "number" or .time < 1e9)' "$WORK/out" | wc -l)"
sessions() { jq -r "select(.view == \"lifespans\" and .$1 == $PORT) | [.pid, .comm, .tx_bytes, .rx_bytes, .status] | @tsv" "$WORK/out" | sort -u; }
cpid=$(sed -n 's/.*side=client pid=\([0-9]*\) .*/\1/p' "$WORK/client.txt" | head -1)
check "the client's 3 sessions: 300 bytes up, 5000 down, exact numbers" \
	same "$(printf '%s\ttcpgen\t300\t5000\tok' "$cpid")" "$(sessions rport)"
check "... 3 of them" same 3 "$(jq -c "select(.view == \"lifespans\" and .rport == $PORT)" "$WORK/out" | wc -l)"
check "the server's 3: 5000 up, 300 down" \
	same "$(printf '%s\ttcpgen\t5000\t300\tok' "$SRV_PID")" "$(sessions lport)"
check "numbers are numbers, text is strings" same 0 "$(jq -c 'select(.view == "lifespans") |
	select((.tx_bytes | type) != "number" or (.pid | type) != "number" or (.ms | type) != "number"
		or (.comm | type) != "string" or (.laddr | type) != "string")' "$WORK/out" | wc -l)"
check "a terminal escape in a name is text" sh -c "jq -r 'select(.rport == $EVILPORT) | .comm' '$WORK/out' | grep -qF '\\x1b]0;PWNED\\x07'"
check "a name that closes the object stays in its string" \
	sh -c "jq -r 'select(.rport == $EVILPORT) | .comm' '$WORK/out' | grep -qF '\"},\\x0a{\"x'"
check "bytes that are no UTF-8 are escapes" \
	sh -c "jq -r 'select(.rport == $EVILPORT) | .comm' '$WORK/out' | grep -qF '\\xff\\xfebad'"
finish
