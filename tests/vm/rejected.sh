#!/bin/sh
# What a guest's `tcpscope -v` runs said (init writes them to ttyS2), short:
# the hook plan of the default run, and for each run each program the kernel
# rejected, with the verifier's last word on it (the line before its
# "processed N insns"), or the attach that failed. The full logs stay in the file.
# usage: tests/vm/rejected.sh VERBOSE_LOG
awk '
	/^=== / { run = $0; sub(/.*--hooks /, "", run); sub(/ .*/, "", run); first = !seen++; next }
	first && /^tcpscope: [a-z]+ +[a-z_]+ / { print "# plan: " substr($0, 11) }
	/BPF program load failed: / { err = $0; sub(/.*failed: /, "", err) }
	/-- BEGIN PROG LOAD LOG --/ { inlog = 1; key = last = ""; prog = $3; gsub(/[:\047]/, "", prog); next }
	inlog && /^processed [0-9]+ insns/ { key = last; next }
	inlog && /-- END PROG LOAD LOG --/ {
		inlog = 0
		print "# " run ": " prog " rejected (" err "): " key
		next
	}
	inlog { last = $0; next }
	/failed to attach/ && !($0 in said) { said[$0] = 1; print "# " run ": " substr($0, 9) }
' "$1"
