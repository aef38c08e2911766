#!/bin/sh
# The states view across two network namespaces: for each session, every
# transition of each end in order (each row's OLDSTATE is the previous row's
# NEWSTATE), from CLOSE->SYN_SENT (client) or LISTEN->SYN_RECV (server) to
# ->CLOSE, with the exact path each way of closing takes; the ends, the
# namespace and the owner on every row (unknown only on the server's rows
# before accept(), never another process); and the listener's own
# CLOSE->LISTEN and LISTEN->CLOSE, owned by the server.
. "$(dirname "$0")/../lib.sh"
need_root "states in network namespaces"

A=tsa$$ B=tsb$$
PORT=$((20000 + $$ % 20000))
if ! netns_pair $A $B; then
	fail "network namespaces"
	finish
fi
NS_A=$(ns_inode $A)
NS_B=$(ns_inode $B)

# transitions CSV LADDR LPORT RADDR RPORT PID NETNS PATH [PRE_ACCEPT]: the rows
# of the one session with these ends are PATH (states separated by >); the
# first row's local port may still be 0 (connect() chooses it after SYN_SENT);
# with PRE_ACCEPT, rows leaving LISTEN or SYN_RECV may have no owner yet.
transitions() {
	csv "$1" '
	function bad(msg) { nbad++; print "# " who ": " msg }
	BEGIN { who = "'"$2:$3 -> $4:$5"'" }
	c["LADDR"] == "'"$2"'" && c["RADDR"] == "'"$4"'" && c["RPORT"] == "'"$5"'" &&
	    (c["LPORT"] == "'"$3"'" || c["LPORT"] == 0) {
		n++
		sid[n] = c["SID"]
		old[n] = c["OLDSTATE"]
		new[n] = c["NEWSTATE"]
		pid[n] = c["PID"]
		lport[n] = c["LPORT"]
		ns[n] = c["NETNS"]
	}
	END {
		# the session: the SID of a row with all four ends known
		for (i = 1; i <= n; i++)
			if (lport[i] == "'"$3"'")
				s = sid[i]
		if (s == "")
			bad("no rows")
		for (i = 1; i <= n; i++) {
			if (sid[i] != s)
				continue
			path = path == "" ? old[i] ">" new[i] : path ">" new[i]
			if (prev != "" && old[i] != prev)
				bad("row " old[i] "->" new[i] " follows ->" prev)
			prev = new[i]
			if (lport[i] != "'"$3"'" && (lport[i] != 0 || path != old[i] ">" new[i]))
				bad("LPORT " lport[i] " in " old[i] "->" new[i])
			if (ns[i] != "'"$7"'")
				bad("NETNS " ns[i] " in " old[i] "->" new[i] ", want '"$7"'")
			if (pid[i] == "'"$6"'")
				continue
			# an unknown owner is an empty field in CSV
			if (pid[i] != "" || "'"${9:-}"'" == "" ||
			    (old[i] != "LISTEN" && old[i] != "SYN_RECV"))
				bad("PID " pid[i] " in " old[i] "->" new[i] ", want '"$6"'")
		}
		if (path != "'"$8"'")
			bad("path " path ", want '"$8"'")
		exit nbad > 0
	}'
}

# listener CSV ADDR PORT PID: CLOSE->LISTEN then LISTEN->CLOSE, owned by PID
listener() {
	same "CLOSE>LISTEN/$4/$NS_A LISTEN>CLOSE/$4/$NS_A" "$(csv "$1" '
		c["LADDR"] == "'"$2"'" && c["LPORT"] == "'"$3"'" &&
		    (c["NEWSTATE"] == "LISTEN" || c["OLDSTATE"] c["NEWSTATE"] == "LISTENCLOSE") {
			printf "%s%s>%s/%s/%s", n++ ? " " : "", c["OLDSTATE"], c["NEWSTATE"],
				c["PID"], c["NETNS"]
		}')"
}

CONNECTER="CLOSE>SYN_SENT>ESTABLISHED"
ACCEPTER="LISTEN>SYN_RECV>ESTABLISHED"
FIRST=">FIN_WAIT1>FIN_WAIT2>CLOSE"
SECOND=">CLOSE_WAIT>LAST_ACK>CLOSE"

# session FAMILY SERVER_ADDR CLIENT_ADDR PORT FIRST_CLOSER
session() {
	fam=$1 port=$4 name=st$1$5
	out=$WORK/$name
	if ! scope_start $name --view states -s; then
		fail "IPv$fam: tcpscope starts"
		return
	fi
	gen_server $A $name-srv -a "$2" -p $port -s 3000 -r 100 --first-close $5 &&
		in_ns $B "$TCPGEN" client -a "$2" -p $port -s 100 -r 3000 --first-close $5 \
			>"$out.cli"
	reap $GEN_PID 10
	spid=$(sed -n 's/^conn side=server pid=\([0-9]*\) .*/\1/p' "$WORK/$name-srv.txt")
	cpid=$(sed -n 's/^conn side=client pid=\([0-9]*\) .*/\1/p' "$out.cli")
	cport=$(sed -n 's/^conn side=client .* lport=\([0-9]*\) .*/\1/p' "$out.cli")
	wait_rows 10 "$out.out" "c[\"LPORT\"] == $port && c[\"NEWSTATE\"] == \"CLOSE\"" 2
	scope_stop
	if [ -z "$cport" ] || [ -z "$spid" ]; then
		fail "IPv$fam, $5 closes first: tcpgen made the session"
		return
	fi
	if [ $5 = server ]; then
		cpath=$CONNECTER$SECOND spath=$ACCEPTER$FIRST
	else
		cpath=$CONNECTER$FIRST spath=$ACCEPTER$SECOND
	fi
	check "IPv$fam, $5 closes first: client $cpath, owner, ends" \
		transitions "$out.out" "$3" $cport "$2" $port $cpid $NS_B $cpath
	check "IPv$fam, $5 closes first: server $spath, owner, ends" \
		transitions "$out.out" "$2" $port "$3" $cport $spid $NS_A $spath pre-accept
	check "IPv$fam, $5 closes first: the listener's CLOSE->LISTEN->CLOSE, owner" \
		listener "$out.out" "$2" $port $spid
	check "IPv$fam, $5 closes first: tcpscope exits 0 on ^C with nothing on stderr" \
		scope_clean $name
}

session 4 "$NS_A_V4" "$NS_B_V4" $PORT server
session 4 "$NS_A_V4" "$NS_B_V4" $((PORT + 1)) client
session 6 "$NS_A_V6" "$NS_B_V6" $((PORT + 2)) server
finish
