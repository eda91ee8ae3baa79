#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The POSIX scan reads the mountinfo of a process only to learn a mount
# it does not know: once for each mount namespace, not once for each
# process. Processes that hold open a file of a detached mount (no
# mountinfo lists it), whose inode number is that of an object, must not
# make the scan read their namespace's mountinfo again and again: a user
# namespace may have 100000 mounts and the user thousands of processes,
# and each read grows the mount table by all of its lines (quadratic time,
# memory without bound).
. "$(dirname "$0")/lib.sh"
in_private_shm_pid "$@"
private_dev_shm

S=$SHMTOOL
command -v strace >/dev/null || { echo "1..0 # SKIP no strace"; exit 0; }
P=50 M=200
echo data >/dev/shm/victim
mkdir -p "$WORK/m" "$WORK/d"
# one mount namespace: M mounts, and P processes holding a file of a
# tmpfs that is then detached, its inode number the victim's
unshare -m --propagation private bash -c '
	mount -t tmpfs m "$1/m"
	for i in $(seq "$3"); do mkdir "$1/m/$i"; mount --bind "$1/m/$i" "$1/m/$i"; done
	mount -t tmpfs d "$1/d"
	i=0
	while f="$1/d/f$i"; : >"$f"; [ "$(stat -c %i "$f")" -lt "$(stat -c %i /dev/shm/victim)" ]; do i=$((i + 1)); done
	mkdir "$1/held"
	for i in $(seq "$2"); do (exec 5<"$f"; : >"$1/held/$i"; exec sleep 600) & done
	# every holder has the file open before it is detached
	while [ "$(ls "$1/held" | wc -l)" -lt "$2" ]; do sleep 0.05; done
	umount -l "$1/d"; echo ready >"$1/ready"; exec sleep 600' _ "$WORK" "$P" "$M" &
HOLDERS="$HOLDERS $!"
until [ -e "$WORK/ready" ]; do sleep 0.05; done

# (LeakSanitizer cannot run under ptrace: off for this one run)
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	strace -f -e trace=openat -o "$WORK/trace" "$S" list --posix -rn -o NAME,USE >"$WORK/out" 2>/dev/null
reads=$(grep -c 'mountinfo' "$WORK/trace")
is "$(cat "$WORK/out")" "victim unused" "a file of a detached mount with the victim's inode number is not the victim"
ok "$([ "$reads" -le 4 ] && echo 0 || echo 1)" "$P processes of one mount namespace: its mountinfo read once (read $reads times)"

done_testing
