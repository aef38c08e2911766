#!/bin/sh
# Your own session: tcpscope run over SSH (a real sshd in one namespace, the
# ssh client in another) sees the connection that carries its output as TCP
# traffic too. SSH_CONNECTION names it: the screen highlights its rows in
# Lifespans and Throughput and says so in their titles; --exclude-self leaves
# it out of every pane (here: no throughput row on the ssh port, while the
# other traffic of the namespace is still there).
. "$(dirname "$0")/../lib.sh"
need_root "your own SSH session (sshd in a network namespace)"
command -v tmux >/dev/null || { fail "tmux is installed"; finish; }
SSHD=$(command -v sshd || echo /usr/sbin/sshd)
[ -x "$SSHD" ] || { fail "sshd is installed (openssh-server)"; finish; }

A=tsa$$ B=tsb$$
SSHPORT=2222
PORT=$((20000 + $$ % 20000))
if ! netns_pair $A $B; then
	fail "network namespaces"
	finish
fi
# sshd insists on its privilege separation directory
if [ ! -d /run/sshd ]; then
	mkdir -p /run/sshd && on_exit "rmdir /run/sshd"
fi
ssh-keygen -q -t ed25519 -N '' -f "$WORK/host" && ssh-keygen -q -t ed25519 -N '' -f "$WORK/id" ||
	{ fail "ssh keys"; finish; }
cat >"$WORK/sshd_config" <<EOF
Port $SSHPORT
ListenAddress $NS_A_V4
HostKey $WORK/host
PidFile none
AuthorizedKeysFile $WORK/id.pub
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
EOF
ip netns exec $A "$SSHD" -D -e -f "$WORK/sshd_config" 2>"$WORK/sshd.log" &
SSHD_PID=$!
on_exit "kill $SSHD_PID"
listening() { ip netns exec $A ss -Htln "sport = :$SSHPORT" | grep -q .; }
check "sshd listens in the server's namespace" wait_for 10 listening
SSH="ssh -i $WORK/id -p $SSHPORT -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null"
SSH="$SSH -o LogLevel=ERROR -o BatchMode=yes root@$NS_A_V4"

# batch over ssh: throughput by socket for 3 s while a tcpgen transfer runs in
# the server's namespace; with and without --exclude-self
over_ssh() { # NAME ARGS...: tcpscope's CSV in $WORK/NAME.csv
	name=$1
	shift
	gen_server $A $name-srv -a "$NS_A_V4" -p $PORT -s 0 -r 3000000 || return
	ip netns exec $B $SSH "$TCPSCOPE -b -s --view throughput --group socket -i 0.5 -d 4 $*" \
		>"$WORK/$name.csv" 2>"$WORK/$name.err" &
	scope=$!
	# once it traces (its header is out), a transfer paced over its intervals
	wait_for 20 test -s "$WORK/$name.csv"
	ip netns exec $B "$TCPGEN" client -a "$NS_A_V4" -p $PORT -s 3000000 -r 0 --pace 20 \
		>/dev/null
	reap $GEN_PID 10
	reap $scope 20
	echo $REAPED >"$WORK/$name.rc"
}
over_ssh marked
over_ssh excluded --exclude-self
# rows_on CSV ADDR:PORT: rows of the socket with this local end (in A: the server's)
rows_on() { csv_count "$1" "c[\"LADDR\"] == \"$2\""; }
check "over ssh: tcpscope ran (exit 0)" same "0 0" "$(cat "$WORK/marked.rc") $(cat "$WORK/excluded.rc")"
note "$(head -c 300 "$WORK/marked.err")"
check "without --exclude-self: the ssh connection carrying the output has rows ($(rows_on "$WORK/marked.csv" $NS_A_V4:$SSHPORT))" \
	[ "$(rows_on "$WORK/marked.csv" $NS_A_V4:$SSHPORT)" -gt 0 ]
check "with --exclude-self: it has none" same 0 "$(rows_on "$WORK/excluded.csv" $NS_A_V4:$SSHPORT)"
check "with --exclude-self: the other traffic is still there ($(rows_on "$WORK/excluded.csv" $NS_A_V4:$PORT) rows)" \
	[ "$(rows_on "$WORK/excluded.csv" $NS_A_V4:$PORT)" -gt 0 ]

# the screen over ssh -tt, in tmux: its session's rows in the highlight colour
TM="tmux -L tcpscope-self-$$ -f /dev/null"
on_exit "$TM kill-server"
$TM new-session -d -s main -x 150 -y 40 \
	"ip netns exec $B $SSH -tt 'LANG=C.UTF-8 TERM=xterm-256color $TCPSCOPE'; sleep 60"
check "the screen over ssh starts" wait_for 20 sh -c "$TM capture-pane -t main -p | grep -q '4 Events'"
check "Lifespans says your SSH session is highlighted" \
	sh -c "$TM capture-pane -t main -p | grep -q 'Lifespans.*your SSH session highlighted'"
# sshd's row of the ssh connection (local port 2222) in magenta (35), the
# highlight, once the selection (cyan, 46) is off it
marked() {
	line=$($TM capture-pane -t main -p -e | grep 'sshd' | grep " $SSHPORT ")
	case $line in
	*'[46m'*) $TM send-keys -t main j; return 1 ;;
	esac
	printf '%s\n' "$line" | grep -q '\[[0-9;]*35[;m]'
}
check "its row is drawn highlighted" wait_for 10 marked
$TM send-keys -t main q
finish
