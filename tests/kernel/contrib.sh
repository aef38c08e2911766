#!/bin/sh
# The service files: make install puts the systemd unit (its ExecStart the
# installed binary, --serve on localhost, an unprivileged user with only
# CAP_BPF, CAP_PERFMON and CAP_SYS_NICE) and the Prometheus scrape job and
# alert rules in place; promtool accepts the configuration and the rules,
# and systemd-analyze the unit. No root needed.
. "$(dirname "$0")/../lib.sh"
if ! command -v promtool >/dev/null; then
	skip "contrib" "promtool is not installed (make test-deps installs prometheus)"
	finish
fi
cd "$TOP" || exit 1
make -s install DESTDIR="$WORK/root" PREFIX=/usr/local >"$WORK/install.log" 2>&1
check "make install DESTDIR=... succeeds" [ $? = 0 ]
unit=$WORK/root/usr/local/lib/systemd/system/tcpscope.service
share=$WORK/root/usr/local/share/tcpscope
for f in "$WORK/root/usr/local/sbin/tcpscope" "$unit" "$share/prometheus.yml" "$share/tcpscope.rules.yml"; do
	check "installed: ${f#"$WORK/root"}" [ -s "$f" ]
done
check "the unit runs the installed binary, serving on localhost only" \
	grep -qx 'ExecStart=/usr/local/sbin/tcpscope --serve 127.0.0.1:9850 --headless' "$unit"
check "as an unprivileged user with CAP_BPF, CAP_PERFMON and CAP_SYS_NICE only" sh -c \
	"grep -qx 'DynamicUser=yes' '$unit' && grep -qx 'AmbientCapabilities=CAP_BPF CAP_PERFMON CAP_SYS_NICE' '$unit' &&
	 grep -qx 'CapabilityBoundingSet=CAP_BPF CAP_PERFMON CAP_SYS_NICE' '$unit' && grep -qx 'NoNewPrivileges=yes' '$unit'"
check "promtool check config" promtool check config "$share/prometheus.yml"
check "promtool check rules" promtool check rules "$share/tcpscope.rules.yml"
# the listen-overflow alert fires on an overflow, and not on a listener that has none
cat >"$WORK/rules.test.yml" <<EOT
rule_files:
  - $share/tcpscope.rules.yml
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'tcpscope_listen_overflows_total{instance="h:9850",job="tcpscope",laddr="0.0.0.0",port="80"}'
        values: '0 0 0 3 9 9'
      - series: 'tcpscope_listen_overflows_total{instance="h:9850",job="tcpscope",laddr="0.0.0.0",port="22"}'
        values: '5 5 5 5 5 5'
    alert_rule_test:
      - eval_time: 2m
        alertname: TcpscopeListenOverflows
        exp_alerts: []
      - eval_time: 4m
        alertname: TcpscopeListenOverflows
        exp_alerts:
          - exp_labels:
              severity: warning
              instance: h:9850
              laddr: 0.0.0.0
              port: "80"
            exp_annotations:
              summary: "h:9850: the listen queue of 0.0.0.0:80 overflows"
              description: "9 connections to 0.0.0.0:80 turned away on a full accept queue in 5 minutes: accept() faster, or raise the backlog (listen(), somaxconn); tcpscope_listen_queue and tcpscope_listen_backlog show how full it is."
EOT
promtool test rules "$WORK/rules.test.yml" >"$WORK/rules.test.out" 2>&1
check "promtool test rules: the listen-overflow alert fires on an overflow, on that address only" [ $? = 0 ]
grep -q SUCCESS "$WORK/rules.test.out" || note "$(head -30 "$WORK/rules.test.out")"
if command -v systemd-analyze >/dev/null; then
	# verify looks for the binary where the unit says: point it into DESTDIR
	sed "s|/usr/local/sbin/tcpscope|$WORK/root/usr/local/sbin/tcpscope|" "$unit" >"$WORK/tcpscope.service"
	check "systemd-analyze verify accepts the unit" systemd-analyze verify --man=no "$WORK/tcpscope.service"
else
	skip "systemd-analyze verify" "systemd is not installed"
fi
finish
