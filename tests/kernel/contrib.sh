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
if command -v systemd-analyze >/dev/null; then
	# verify looks for the binary where the unit says: point it into DESTDIR
	sed "s|/usr/local/sbin/tcpscope|$WORK/root/usr/local/sbin/tcpscope|" "$unit" >"$WORK/tcpscope.service"
	check "systemd-analyze verify accepts the unit" systemd-analyze verify --man=no "$WORK/tcpscope.service"
else
	skip "systemd-analyze verify" "systemd is not installed"
fi
finish
