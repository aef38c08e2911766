#!/bin/sh
# Numbers wider than their columns on the real screen (a replay: no kernel
# side needed). At 80, 100 and 150 columns a 1.4 GiB session reads 1.400G in
# TX_KB and its hour 1.000008h in MS, 20 GiB in an interval 20.000G, and no
# number column holds a cut value ('~'); narrower, the header and the titles
# leave out a number rather than cut it. Batch text scales the same way; CSV
# keeps the exact numbers.
. "$(dirname "$0")/../lib.sh"
command -v tmux >/dev/null || { fail "tmux is installed"; finish; }
if [ ! -x "$TOOLS/mkrec" ]; then
	fail "mkrec is built (make test-bins)"
	finish
fi
"$TOOLS/mkrec" big "$WORK/big.tcps" || fail "mkrec big"

TM="tmux -L tcpscope-numbers-$$ -f /dev/null"
on_exit "$TM kill-server"

screen() { $TM capture-pane -t "$1" -p; }
# column S N NAME: the values of column NAME in pane N of session S (the
# bottom line is the key bar or a message)
column() {
	screen "$1" | sed '$d' | awk -v n="$2" -v c="$3" '
		match($0, /[0-9] (Lifespans|Throughput|States|Events|RTT|Listeners) /) && RSTART <= 4 {
			inpane = (substr($0, RSTART, 1) == n); hdr = 1; col = 0; next }
		inpane && hdr {
			hdr = 0
			for (i = 1; i <= NF; i++) { h = $i; sub(/(▲|▼|\^|v)$/, "", h); if (h == c) col = i }
			next }
		inpane && col && NF >= col { print $col }'
}
# shows S N NAME VALUE...: column NAME of pane N holds each VALUE
shows() {
	_ses=$1 _pane=$2 _col=$3
	shift 3
	for _v; do
		column "$_ses" "$_pane" "$_col" | grep -qxF -- "$_v" && continue
		note "pane $_pane $_col: $(column "$_ses" "$_pane" "$_col" | tr '\n' ' '), want $_v"
		return 1
	done
}
# whole S: every number column of every pane holds whole numbers, with a unit
# letter or none ('-' and '*' stand for none and all)
NUMBERS="PID IP LPORT RPORT TX_KB RX_KB MS LAT_MS RETRANS CONNS RX_TOT_KB TX_TOT_KB COUNT"
whole() {
	_bad=0
	for _pane in 1 2 3 4; do
		for _col in $NUMBERS; do
			column "$1" $_pane $_col >"$WORK/col"
			if grep -vxE -- '>?[0-9]+(\.[0-9]+)?[KMGTPEsmhd]?|-|\*' "$WORK/col" >"$WORK/badcells"; then
				note "pane $_pane $_col: $(tr '\n' ' ' <"$WORK/badcells")"
				_bad=1
			fi
		done
	done
	[ $_bad = 0 ]
}

for w in 80 100 150; do
	s=w$w
	$TM new-session -d -s $s -x $w -y 40 \
		"cd $WORK && LANG=C.UTF-8 TERM=xterm-256color $TCPSCOPE --replay $WORK/big.tcps --speed 100; sleep 60"
	if ! wait_for 20 sh -c "$TM capture-pane -t $s -p | grep -q 'FIN_WAIT1'"; then
		fail "$w columns: the replay reaches its end"
		screen $s | sed 's/^/# /'
		continue
	fi
	check "$w columns: Lifespans TX_KB: 1.4 GiB reads 1.400G, 5 GiB 5.000G" shows $s 1 TX_KB 1.400G 5.000G
	check "$w columns: Lifespans MS: an hour reads 1.000008h, 3.1 s as ever 3100.00" shows $s 1 MS 1.000008h 3100.00
	check "$w columns: Throughput TX_KB: 20 GiB in an interval reads 20.000G" shows $s 2 TX_KB 20.000G 1468006
	check "$w columns: States MS: an hour established reads 1.000000h" shows $s 3 MS 1.000000h
	check "$w columns: no number column holds a cut or unreadable value" whole $s
	check "$w columns: no line is wider than the terminal" test "$(screen $s | wc -L)" -le $w
	$TM send-keys -t $s q
done

# narrower: the header's and the titles' numbers are whole or left out, never cut
for w in 60 70; do
	s=w$w
	$TM new-session -d -s $s -x $w -y 30 \
		"cd $WORK && LANG=C.UTF-8 TERM=xterm-256color $TCPSCOPE --replay $WORK/big.tcps --speed 100; sleep 60"
	check "$w columns: the replay reaches its end" \
		wait_for 20 sh -c "$TM capture-pane -t $s -p | grep -q '2 open, 2 closed'"
	$TM send-keys -t $s Space
	check "$w columns: paused" wait_for 10 sh -c "$TM capture-pane -t $s -p | grep -q 'States.*paused'"
	screen $s | awk 'NR <= 2 || /[0-9] (Lifespans|Throughput|States|Events|RTT|Listeners) /' >"$WORK/titles"
	check "$w columns: no number in the header or a title is cut" \
		sh -c "! grep -E '[0-9]~' '$WORK/titles' | sed 's/^/# /' | grep ."
	$TM send-keys -t $s q
done

# batch text: the same columns scaled, CSV exact
"$TCPSCOPE" -b --replay "$WORK/big.tcps" --view lifespans >"$WORK/text" 2>"$WORK/err"
check "batch text: TX_KB 1.400G and MS 1.000008h" grep -Eq ' 1\.400G +12056 1\.000008h$' "$WORK/text"
check "batch text: no line is cut" sh -c "! grep -q '~' '$WORK/text'"
"$TCPSCOPE" -b -s --replay "$WORK/big.tcps" --view lifespans >"$WORK/csv" 2>"$WORK/err"
check "CSV: exact numbers (TX_KB 1468006, TX_BYTES 1503238553, MS 3600030.00)" \
	test "$(csv "$WORK/csv" 'c["LPORT"] == 40010 { print c["TX_KB"], c["TX_BYTES"], c["MS"] }')" = "1468006 1503238553 3600030.00"
finish
