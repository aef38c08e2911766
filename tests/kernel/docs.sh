#!/bin/sh
# The documents say what the program does: the README's key table is what
# --list-keys prints, and the manual page builds with the same table.
. "$(dirname "$0")/../lib.sh"

$TCPSCOPE --list-keys --keys /dev/null >"$WORK/keys" 2>&1
check "--list-keys prints one line per action" test "$(wc -l <"$WORK/keys")" -ge 30
awk '/^### Keys/ { on = 1 } on && /^```$/ { n++; next } on && n == 1 { print } n == 2 { exit }' \
	"$TOP/README.md" >"$WORK/readme-keys"
check "the README's key table is the keymap's" cmp "$WORK/keys" "$WORK/readme-keys"
check "the manual page builds" make -s -C "$TOP" man
check "the manual page has the keys" grep -q 'filter-pid' "$TOP/.output/tcpscope.8"
if command -v man >/dev/null; then
	check "the manual page renders" sh -c "MANWIDTH=80 man -l '$TOP/.output/tcpscope.8' 2>&1 | grep -q 'top for TCP'"
fi
# every metric --serve has is in the README's table and the manual's METRICS
mport=$(free_port)
$TCPSCOPE --replay "$TOP/screenshots/demo.tcps" --serve "127.0.0.1:$mport" --headless -d 20 \
	>/dev/null 2>&1 &
mpid=$!
on_exit "kill -KILL $mpid"
scraped() { curl -sf "http://127.0.0.1:$mport/metrics" >"$WORK/metrics"; }
if command -v curl >/dev/null && wait_for 15 scraped; then
	missing=""
	for name in $(awk '$1 == "#" && $2 == "TYPE" { print $3 }' "$WORK/metrics"); do
		grep -q "\`$name\`" "$TOP/README.md" || missing="$missing README:$name"
		grep -q "$name" "$TOP/.output/tcpscope.8" || missing="$missing manual:$name"
	done
	check "every metric is in the README and the manual$missing" [ -z "$missing" ]
else
	fail "tcpscope --serve of a replay answers"
fi
kill -INT $mpid
printf 'bind x quitt\n' >"$WORK/bad.keys"
$TCPSCOPE --list-keys --keys "$WORK/bad.keys" >/dev/null 2>"$WORK/err"
rc=$?
check "a bad keymap file: exit status 2" test "$rc" = 2
check "a bad keymap file: one line naming file and line" \
	sh -c "[ \$(wc -l <'$WORK/err') = 1 ] && grep -q 'bad.keys:1: unknown action' '$WORK/err'"
finish
