#!/bin/sh
# The SERVICE column: a server run in a cgroup (v2) this test makes (under
# the v2 hierarchy, wherever the mount table has it: beside the v1
# controllers on a hybrid layout), named like a systemd unit, and a client
# in another. Lifespans, Throughput and Listeners name each session's
# service; Throughput and the Lifespans summary group by service; the
# filter term `service` keeps one. Without a v2 hierarchy, SERVICE is '-'
# and -v says why. The cgroups are removed at the end.
. "$(dirname "$0")/../lib.sh"
need_root "services: cgroups and a network namespace"

NS=tsv$$
PORT=$((20000 + $$ % 20000))
N=4
V2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
if [ -z "$V2" ]; then
	fail "a cgroup v2 hierarchy is mounted (none in /proc/self/mounts)"
	finish
fi
TOPC=tcpscope-test.$$
# the server's cgroup is named as systemd names a service; the client's is a plain path
mkdir -p "$V2/$TOPC/web.service" "$V2/$TOPC/client" || {
	fail "cgroups under $V2"
	finish
}
on_exit "rmdir $V2/$TOPC/web.service $V2/$TOPC/client $V2/$TOPC"
if ! netns_lo $NS; then
	fail "network namespace"
	finish
fi

# in_cgroup DIR COMMAND...: run COMMAND (in NS) as a member of cgroup DIR; it joins first
# (ip netns exec mounts another /sys, without the cgroup hierarchies)
in_cgroup() {
	_cg=$1
	shift
	sh -c 'ns=$1 && shift && echo $$ >"$0/cgroup.procs" && exec ip netns exec "$ns" "$@"' \
		"$V2/$_cg" $NS "$@"
}

scope_start life -s || fail "tcpscope (lifespans) starts"
LIFE=$SCOPE_PID
scope_start tput --view throughput -s -i 0.5 --group service || fail "tcpscope (throughput) starts"
TPUT=$SCOPE_PID
scope_start lis --view listeners -s -i 0.5 -L $PORT || fail "tcpscope (listeners) starts"
LIS=$SCOPE_PID
scope_start sum --group service -s -i 0.5 --filter "service web.service" ||
	fail "tcpscope (lifespans by service, filtered) starts"

rm -f "$WORK/ready"
in_cgroup "$TOPC/web.service" "$TCPGEN" server -a 127.0.0.1 -p $PORT -n $N -s 3000 -r 100 \
	--ready "$WORK/ready" >"$WORK/srv.txt" 2>&1 &
SRV=$!
on_exit "kill -KILL $SRV"
wait_for 10 test -s "$WORK/ready" || fail "the server starts in its cgroup"
in_cgroup "$TOPC/client" "$TCPGEN" client -a 127.0.0.1 -p $PORT -n $N -s 100 -r 3000 \
	>"$WORK/cli.txt" 2>&1
reap $SRV 10
SPID=$(sed -n 's/.*side=server pid=\([0-9]*\).*/\1/p' "$WORK/srv.txt" | head -1)
CPID=$(sed -n 's/.*side=client pid=\([0-9]*\).*/\1/p' "$WORK/cli.txt" | head -1)
check "the server and the client ran in their cgroups" test -n "$SPID" -a -n "$CPID"

check "Lifespans: the server's sessions are web.service's" wait_rows 10 "$WORK/life.out" \
	"c[\"PID\"] == $SPID && c[\"LPORT\"] == $PORT && c[\"SERVICE\"] == \"web.service\"" $N
check "Lifespans: the client's are its cgroup's path" wait_rows 10 "$WORK/life.out" \
	"c[\"PID\"] == $CPID && c[\"RPORT\"] == $PORT && c[\"SERVICE\"] == \"/$TOPC/client\"" $N
check "Throughput by service: web.service sent what the server sent" wait_rows 10 \
	"$WORK/tput.out" "c[\"SERVICE\"] == \"web.service\" && c[\"TX_TOT_BYTES\"] == $((N * 3000)) && c[\"RX_TOT_BYTES\"] == $((N * 100))" 1
check "Listeners: the server's listener is web.service's" wait_rows 10 "$WORK/lis.out" \
	"c[\"LPORT\"] == $PORT && c[\"SERVICE\"] == \"web.service\" && c[\"PID\"] == $SPID" 1
check "the Lifespans summary by service, filtered to it: $N sessions" wait_rows 10 \
	"$WORK/sum.out" "c[\"SERVICE\"] == \"web.service\" && c[\"SESSIONS\"] == $N" 1
check "... and no other service" same 0 "$(csv_count "$WORK/sum.out" 'c["SERVICE"] != "web.service"')"
scope_stop $LIFE
scope_stop $TPUT
scope_stop $LIS
scope_stop

# Without a cgroup v2 hierarchy (a mount namespace where it is not mounted): '-', and -v says why
if command -v unshare >/dev/null; then
	unshare -m sh -c "umount -l '$V2' && '$TCPSCOPE' -b -v -d 1 -s" >"$WORK/nov2.out" 2>"$WORK/nov2.err"
	check "-v says why SERVICE is '-' without cgroup v2" grep -q "SERVICE shows '-'" "$WORK/nov2.err"
	note "$(grep "SERVICE shows" "$WORK/nov2.err")"
	check "... and every SERVICE cell is empty in CSV" \
		same 0 "$(csv_count "$WORK/nov2.out" 'c["SERVICE"] != ""')"
else
	skip "without cgroup v2" "no unshare here"
fi
finish
