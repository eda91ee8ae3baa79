#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# attach-write reads input of unknown length whole before it attaches:
# meanwhile the segment it measured may be removed and its id given to
# another segment (the sequence number wraps; kernel.shm_next_id makes it
# quick here). The data must not go into that other segment, nor past its
# end: the segment attached must be checked to be the one measured.
. "$(dirname "$0")/lib.sh"
in_private_ipc_pid "$@"

S=$SHMTOOL
[ -w /proc/sys/kernel/shm_next_id ] || { echo "1..0 # SKIP no kernel.shm_next_id"; exit 0; }
case $(uname -m) in      # the number of read(2)
x86_64) nr_read=0 ;;
aarch64|riscv64) nr_read=63 ;;
*) echo "1..0 # SKIP read(2)'s number on $(uname -m) unknown here"; exit 0 ;;
esac
mkfifo "$WORK/fifo"

# feed ID NEWSIZE: attach-write ID reads 1 MiB from a pipe; while it reads,
# ID is removed and made again with NEWSIZE bytes
feed() {
	local id=$1 newsize=$2 pid
	"$S" attach-write "$id" <"$WORK/fifo" >"$WORK/out" 2>"$WORK/err" &
	pid=$!
	exec 3>"$WORK/fifo"
	# it has measured the segment once it reads its standard input:
	# read(2) on descriptor 0
	until [ "$(cut -d' ' -f1,2 "/proc/$pid/syscall" 2>/dev/null)" = "$nr_read 0x0" ]; do
		[ -e "/proc/$pid" ] || break
		sleep 0.01
	done
	"$S" rm "$id"
	echo "$id" >/proc/sys/kernel/shm_next_id
	newid=$("$S" create -s "$newsize" -m 666)
	head -c 1048576 /dev/zero | tr '\0' A >&3
	exec 3>&-
	wait "$pid"
	rc=$?
}

id=$("$S" create -s 1M)
feed "$id" 4096
is "$newid" "$id" "the id was given to the new segment"
ok "$([ "$rc" -lt 128 ] && echo 0 || echo 1)" "a smaller segment under the old id: no crash (exit $rc)"
is "$rc" 1 "a smaller segment under the old id: exit 1"

id=$("$S" create -s 1M)
feed "$id" 2M
is "$newid" "$id" "the id was given to the new segment"
is "$rc" 1 "a larger segment under the old id: exit 1"
is "$("$S" cat --length 4 "$newid")" "" "a larger segment under the old id: nothing written into it"

done_testing
