#!/bin/sh
# --serve: a real Prometheus (its own configuration, data directory and
# port) scrapes tcpscope during a loopback churn, and its HTTP API finds
# every connection the churn made in tcpscope_sessions_closed_total, at
# both ends; promtool accepts every scrape. Hostile clients (other paths
# and methods, oversized headers, a byte a second, 100 scrapers at once)
# get their status codes and leave the tracer's counts whole. Basic auth,
# TLS, and what cannot serve: one line and exit status 2.
. "$(dirname "$0")/../lib.sh"
need_root "--serve"
for tool in prometheus promtool curl jq openssl; do
	if ! command -v $tool >/dev/null; then
		skip "--serve" "$tool is not installed (make test-deps installs it)"
		finish
	fi
done
HTTPSLOW=$TOOLS/httpslow

code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
# answers CODE CURL-ARGS...: the request gets CODE (for wait_for: asked again each time)
answers() { _c=$1; shift; [ "$(code "$@")" = "$_c" ]; }
# metric NAME-AND-LABELS: the value of one sample of the current exposition
metric() { curl -s "http://127.0.0.1:$PORT/metrics" | awk -v k="$1" 'index($0, k " ") == 1 { print $2 }'; }

PORT=$(free_port)
"$TCPSCOPE" --serve "127.0.0.1:$PORT" -i 0.5 </dev/null >"$WORK/scope.out" 2>"$WORK/scope.err" &
SCOPE_PID=$!
on_exit "kill -KILL $SCOPE_PID"
if ! wait_for 20 answers 200 "http://127.0.0.1:$PORT/metrics"; then
	fail "tcpscope --serve answers: $(head -c 300 "$WORK/scope.err")"
	finish
fi
ok "tcpscope --serve answers once it traces (503 before), headless without a terminal"

PROM_PORT=$(free_port)
[ "$PROM_PORT" = "$PORT" ] && PROM_PORT=$((PORT + 1))
cat >"$WORK/prometheus.yml" <<EOC
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: tcpscope
    static_configs:
      - targets: ['127.0.0.1:$PORT']
EOC
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/prom" \
	--web.listen-address="127.0.0.1:$PROM_PORT" >"$WORK/prom.log" 2>&1 &
PROM_PID=$!
on_exit "kill -KILL $PROM_PID"
if ! wait_for 60 answers 200 "http://127.0.0.1:$PROM_PORT/-/ready"; then
	fail "prometheus starts: $(tail -3 "$WORK/prom.log")"
	finish
fi
# promql EXPR: the first value of an instant query
promql() {
	curl -s "http://127.0.0.1:$PROM_PORT/api/v1/query" --data-urlencode "query=$1" |
		jq -r '.data.result[0].value[1] // empty'
}

# scrapes during the churn, each checked by promtool afterwards
( for i in 1 2 3 4 5 6; do curl -s "http://127.0.0.1:$PORT/metrics" >"$WORK/scrape.$i"; sleep 0.4; done ) &
SCRAPES=$!
"$TCPGEN" churn -a 127.0.0.1 -p 0 -t 1 -d 2 -s 100 -r 1000 -o "$WORK/truth.csv" >"$WORK/churn.txt" 2>&1
wait $SCRAPES
note "$(cat "$WORK/churn.txt")"
conns=$(sed -n 's/.* conns=\([0-9]*\) .*/\1/p' "$WORK/churn.txt")
port=$(awk -F, '$1 == "server" { print $3; exit }' "$WORK/truth.csv")
check "tcpgen churned" [ "${conns:-0}" -gt 100 ]

# both ends of every connection: the server's accepts, the client's connects
closed_both() {
	[ "$(promql "sum(tcpscope_sessions_closed_total{port=\"$port\",comm=\"tcpgen\",direction=\"accept\"})")" -ge "$conns" ] &&
		[ "$(promql "sum(tcpscope_sessions_closed_total{port=\"$port\",comm=\"tcpgen\",direction=\"connect\"})")" -ge "$conns" ]
}
if wait_for 30 closed_both; then
	ok "Prometheus has tcpscope_sessions_closed_total >= $conns at both ends of port $port"
else
	fail "Prometheus has the churn's sessions: accept $(promql "sum(tcpscope_sessions_closed_total{port=\"$port\",direction=\"accept\"})"), connect $(promql "sum(tcpscope_sessions_closed_total{port=\"$port\",direction=\"connect\"})"), want $conns"
fi
check "Prometheus's scrapes of tcpscope succeed (up == 1)" same 1 "$(promql 'up{job="tcpscope"}')"
# the churn's traffic has RTT samples: Prometheus reads tcpscope_rtt_seconds as a histogram
rtt_median() {
	_q=$(promql 'histogram_quantile(0.5, sum by (le) (tcpscope_rtt_seconds_bucket))')
	awk -v q="${_q:-NaN}" 'BEGIN { exit !(q + 0 > 0 && q + 0 < 1) }'
}
check "Prometheus finds the median of tcpscope_rtt_seconds (between 0 and 1 s on loopback)" \
	wait_for 10 rtt_median
check "the churn's bytes: sent by the client ends, exactly" same "$((conns * 100))" \
	"$(promql "sum(tcpscope_bytes_sent_total{port=\"$port\",comm=\"tcpgen\",direction=\"connect\"})")"
n=0
for f in "$WORK"/scrape.*; do
	promtool check metrics <"$f" >"$WORK/promtool.out" 2>&1 || { n=$((n + 1)); note "$f: $(head -3 "$WORK/promtool.out")"; }
done
check "promtool check metrics accepts every scrape ($(ls "$WORK"/scrape.* | wc -l))" [ $n = 0 ]
curl -s -H 'Accept: application/openmetrics-text; version=1.0.0' -D "$WORK/om.h" \
	"http://127.0.0.1:$PORT/metrics" >"$WORK/om.txt"
openmetrics() {
	grep -qi '^content-type: application/openmetrics-text' "$WORK/om.h" &&
		grep -q '^# TYPE tcpscope_sessions_closed counter$' "$WORK/om.txt" &&
		[ "$(tail -1 "$WORK/om.txt")" = '# EOF' ]
}
check "OpenMetrics when asked: its content type, counters' families without _total, # EOF" openmetrics

# ---- hostile clients, during a second churn: every session still counted ----
before_acc=$(promql "sum(tcpscope_sessions_closed_total{direction=\"accept\",comm=\"tcpgen\"})")
"$TCPGEN" churn -a 127.0.0.1 -p 0 -t 1 -d 6 -s 100 -r 1000 -o "$WORK/truth2.csv" >"$WORK/churn2.txt" 2>&1 &
CHURN=$!
"$HTTPSLOW" trickle "$PORT" 12 >"$WORK/trickle.txt" &
TRICKLE=$!
check "GET of another path: 404" same 404 "$(code "http://127.0.0.1:$PORT/nope")"
check "GET /: 200, a page linking /metrics" sh -c "curl -s http://127.0.0.1:$PORT/ | grep -q 'href=\"metrics\"'"
check "POST /metrics: 405" same 405 "$(code -X POST -d x "http://127.0.0.1:$PORT/metrics")"
check "DELETE /metrics: 405" same 405 "$(code -X DELETE "http://127.0.0.1:$PORT/metrics")"
check "HEAD /metrics: 200" same 200 "$(code -I "http://127.0.0.1:$PORT/metrics")"
big=$(head -c 40000 /dev/zero | tr '\0' a)
check "a 40 kB header: 431" same 431 "$(code -H "X-Big: $big" "http://127.0.0.1:$PORT/metrics")"
check "a 20 kB path: 414" same 414 "$(code "http://127.0.0.1:$PORT/$(echo "$big" | head -c 20000)")"
t0=$(now_ms)
check "scrapes go on while a client sends a byte a second" same 200 "$(code -m 2 "http://127.0.0.1:$PORT/metrics")"
check "... answered within a second" [ $(($(now_ms) - t0)) -lt 1000 ]
check "100 scrapers at once all get 200" same "ok=100 of=100" "$("$HTTPSLOW" many "$PORT" 100)"
wait $TRICKLE
check "the byte-a-second client: 408 within 10 s" \
	sh -c "grep -q '^status=408 ' '$WORK/trickle.txt' && awk '{ split(\$2, s, \"=\"); exit !(s[2] < 10) }' '$WORK/trickle.txt'"
note "trickle: $(cat "$WORK/trickle.txt")"
wait $CHURN
conns2=$(sed -n 's/.* conns=\([0-9]*\) .*/\1/p' "$WORK/churn2.txt")
port2=$(awk -F, '$1 == "server" { print $3; exit }' "$WORK/truth2.csv")
counted() {
	# summed over the service label: the churn's processes run in the test's own unit
	[ "$(curl -s "http://127.0.0.1:$PORT/metrics" |
		awk -v k="tcpscope_sessions_closed_total{direction=\"accept\",status=\"ok\",comm=\"tcpgen\",port=\"$port2\",service=\"" \
			'index($0, k) == 1 { n += $2 } END { print n + 0 }')" = "$conns2" ]
}
wait_for 20 counted
check "the tracer counted every session of the churn meanwhile ($conns2, exactly, accepted ends)" counted
check "nothing lost" same 0 "$(curl -s "http://127.0.0.1:$PORT/metrics" | awk '/^tcpscope_lost_records_total/ { n += $2 } END { print n + 0 }')"
kill -INT $SCOPE_PID
reap $SCOPE_PID 15
check "^C: tcpscope --serve exits 0, nothing on stderr" sh -c "[ $REAPED = 0 ] && [ ! -s '$WORK/scope.err' ]"

# ---- basic auth and TLS ----
APORT=$(free_port)
printf 'scraper:s3cret\n' >"$WORK/auth"
chmod 600 "$WORK/auth"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/key.pem" -out "$WORK/cert.pem" -days 1 \
	-subj /CN=127.0.0.1 >/dev/null 2>&1
chmod 600 "$WORK/key.pem"
"$TCPSCOPE" --serve "127.0.0.1:$APORT" --serve-auth "$WORK/auth" --serve-tls-cert "$WORK/cert.pem" \
	--serve-tls-key "$WORK/key.pem" --headless >"$WORK/auth.out" 2>"$WORK/auth.err" &
AUTH_PID=$!
on_exit "kill -KILL $AUTH_PID"
if wait_for 20 answers 200 -k -u scraper:s3cret "https://127.0.0.1:$APORT/metrics"; then
	ok "HTTPS with the right user and password: 200"
	check "without credentials: 401" same 401 "$(code -k "https://127.0.0.1:$APORT/metrics")"
	check "a wrong password: 401" same 401 "$(code -k -u scraper:nope "https://127.0.0.1:$APORT/metrics")"
	check "plain HTTP on the TLS port gets no metrics" sh -c "[ \"\$(curl -s -m 3 http://127.0.0.1:$APORT/metrics | grep -c tcpscope_)\" = 0 ]"
else
	fail "tcpscope --serve with auth and TLS answers: $(head -c 300 "$WORK/auth.err")"
fi

# ---- as the unit runs it: an unprivileged user with CAP_BPF and CAP_PERFMON (ambient) ----
if command -v setpriv >/dev/null; then
	UDIR=$(mktemp -d /tmp/tcpscope-unpriv.XXXXXX)
	on_exit "rm -rf $UDIR"
	chmod 755 "$UDIR"
	cp "$TCPSCOPE" "$UDIR/tcpscope" && chmod 755 "$UDIR/tcpscope"
	UPORT=$(free_port)
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=+bpf,+perfmon,+sys_nice \
		--ambient-caps=+bpf,+perfmon,+sys_nice "$UDIR/tcpscope" --serve "127.0.0.1:$UPORT" \
		--headless >"$WORK/unpriv.out" 2>"$WORK/unpriv.err" &
	UNPRIV_PID=$!
	on_exit "kill -KILL $UNPRIV_PID"
	traces() { [ "$(curl -s "http://127.0.0.1:$UPORT/metrics" | awk '$1 == "tcpscope_records_total" { print $2 }')" -gt 0 ]; }
	check "as user nobody with CAP_BPF, CAP_PERFMON, CAP_SYS_NICE: it traces and serves" wait_for 20 traces
	kill -INT $UNPRIV_PID
	reap $UNPRIV_PID 15
	check "... and exits 0 on ^C, nothing on stderr" sh -c "[ $REAPED = 0 ] && [ ! -s '$WORK/unpriv.err' ]"
	[ -s "$WORK/unpriv.err" ] && note "$(head -3 "$WORK/unpriv.err")"
else
	skip "as an unprivileged user" "setpriv is not installed"
fi

# ---- what cannot serve: one line on stderr, exit status 2, before loading anything ----
# refused SUBSTRING ARGS...
refused() {
	_want=$1
	shift
	timeout 20 "$TCPSCOPE" "$@" </dev/null >"$WORK/bad.out" 2>"$WORK/bad.err"
	_rc=$?
	[ $_rc = 2 ] && [ "$(wc -l <"$WORK/bad.err")" = 1 ] && grep -qF -- "$_want" "$WORK/bad.err" && return 0
	note "tcpscope $*: status $_rc: $(head -3 "$WORK/bad.err")"
	return 1
}
check "--serve on a port in use" refused "Address already in use" --serve "127.0.0.1:$APORT"
check "--serve on a bad address" refused "is not an address" --serve "nowhere:80"
check "--serve-auth of a file that is not there" refused "cannot read" --serve "127.0.0.1:$PORT" --serve-auth "$WORK/none"
chmod 644 "$WORK/auth"
check "--serve-auth of a file others may read" refused "chmod 600" --serve "127.0.0.1:$PORT" --serve-auth "$WORK/auth"
kill -INT $AUTH_PID
reap $AUTH_PID 15
finish
