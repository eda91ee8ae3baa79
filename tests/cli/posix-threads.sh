#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Who uses a POSIX object is not only what /proc/PID/{maps,fd} of the
# thread-group leader shows: a process whose main thread ended (a zombie
# leader: its maps and fd directory read empty) still maps and holds the
# object through its other threads, and a thread that unshared its
# descriptor table holds descriptors that only /proc/PID/task/TID/fd
# lists. Neither object may be taken for unused: gc --posix keeps them,
# stat --posix counts the process.
# Runs in private IPC, PID and mount namespaces with a tmpfs of its own.
. "$(dirname "$0")/lib.sh"
in_private_shm_pid "$@"
private_dev_shm

S=$SHMTOOL
D=/dev/shm
obj() { old_obj "$1" 4096; }

obj leader
spawn posixleader "$D/leader"
is "$line" ready "a process whose main thread ended maps the object"
leader=$holder
obj fdthread
spawn posixfdthread "$D/fdthread"
is "$line" ready "a thread with a descriptor table of its own holds the object"
fdthread=$holder

run "$S" stat --posix leader -J
is "$(jdocs <<<"$out" 2>/dev/null | jq -r '.posix[0].nprocs')" 1 \
	"stat: the object of a process whose leader ended is used by 1 process"
run "$S" stat --posix fdthread -J
is "$(jdocs <<<"$out" 2>/dev/null | jq -r '.posix[0].nprocs')" 1 \
	"stat: the object open in a thread's own descriptor table is used by 1 process"

# --force: the processes outside this PID namespace do not hold gc back,
# only what the scan finds here keeps the objects
run "$S" gc --posix --force --dry-run --older-than 0 -rn -o NAME,ACTION
is "$out" "" "gc --dry-run: neither object would be removed"
run "$S" gc --posix --force --older-than 0 -rn -o NAME,ACTION
is "$rc:$out" "0:" "gc: exit 0, nothing removed"
[ -e "$D/leader" ] && [ -e "$D/fdthread" ]
ok $? "gc: both objects still there"

release "$leader"
release "$fdthread"
done_testing
