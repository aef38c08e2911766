#!/bin/sh
# Records screenshots/demo.tcps: a few seconds of ordinary-looking traffic on
# this machine (a web server and its clients across a network namespace pair,
# a database link that loses 3% of its packets, a cache on loopback, a refused
# connect), for `make screenshots` to replay. Needs root; run it again to
# refresh the recording. Network namespaces and loopback only.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
GEN=$TOP/.output/tests/tools/tcpgen
OUT=${1:-$TOP/screenshots/demo.tcps}
W=$(mktemp -d)
A=demoa$$
B=demob$$
cleanup() {
	kill $(jobs -p) 2>/dev/null || true
	ip netns del $A 2>/dev/null || true
	ip netns del $B 2>/dev/null || true
	rm -rf "$W"
}
trap cleanup EXIT

# programs with the names a server would have
for n in nginx curl postgres psql redis-server redis-cli wget; do
	cp "$GEN" "$W/$n"
done
ip netns add $A
ip netns add $B
ip link add demo-a netns $A type veth peer name demo-b netns $B
ip -n $A addr add 10.77.0.1/24 dev demo-a
ip -n $B addr add 10.77.0.2/24 dev demo-b
ip -n $A addr add fd00:77::1/64 dev demo-a nodad
ip -n $B addr add fd00:77::2/64 dev demo-b nodad
for ns in $A $B; do ip -n $ns link set lo up; done
ip -n $A link set demo-a up
ip -n $B link set demo-b up
ip netns exec $B nft add table inet demo
ip netns exec $B nft add chain inet demo in '{ type filter hook input priority 0; }'
ip netns exec $B nft add rule inet demo in tcp dport 5432 numgen random mod 100 '<' 3 drop

"$TOP/tcpscope" -b --view all --record "$OUT" --force -d 9 >/dev/null &
SCOPE=$!
sleep 1.5
ip netns exec $B "$W/nginx" server -a :: -p 8080 -n 60 -s 48000 -r 300 >/dev/null 2>&1 &
ip netns exec $B "$W/postgres" server -a 10.77.0.2 -p 5432 -n 2 -s 20000000 -r 2000 --pace 20 >/dev/null 2>&1 &
"$W/redis-server" server -a 127.0.0.1 -p 6379 -n 400 -s 120 -r 40 >/dev/null 2>&1 &
sleep 0.3
( for i in $(seq 1 30); do
	ip netns exec $A "$W/curl" client -a 10.77.0.2 -p 8080 -n 1 -s 300 -r 48000 >/dev/null 2>&1
	sleep 0.1
  done ) &
( for i in $(seq 1 30); do
	ip netns exec $A "$W/wget" client -a fd00:77::2 -p 8080 -n 1 -s 300 -r 48000 >/dev/null 2>&1
	sleep 0.15
  done ) &
ip netns exec $A "$W/psql" client -a 10.77.0.2 -p 5432 -n 2 -s 2000 -r 20000000 >/dev/null 2>&1 &
"$W/redis-cli" client -a 127.0.0.1 -p 6379 -n 400 -s 40 -r 120 >/dev/null 2>&1 &
ip netns exec $A "$W/curl" client -a 10.77.0.2 -p 9999 -n 2 -s 1 -r 1 >/dev/null 2>&1 || true
wait $SCOPE
echo "recorded $OUT"
