#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# shmtool run in a PID namespace below the one of a process that maps a
# POSIX object of the same /dev/shm (a container given the host's
# /dev/shm, docker --ipc=host): its /proc is its own, has "self" and no
# hidepid=, and still shows none of the processes outside. Those may use
# any object: gc --posix removes nothing (use unknown) and exits 1, as
# under hidepid=, and stat says the count may be partial.
. "$(dirname "$0")/lib.sh"
in_private_shm_pid "$@"
private_dev_shm

S=$SHMTOOL
D=/dev/shm
head -c 4096 /dev/zero >"$D/outside"
touch -d '1 hour ago' "$D/outside"
spawn posixmap "$D/outside"
is "$line" ready "a process of this PID namespace maps the object"

# the same mount namespace, a child PID namespace with its own /proc
inner() { unshare --pid --fork --mount-proc "$@"; }
run inner "$S" gc --posix --older-than 0 -rn -o NAME,ACTION,REASON
is "$rc" 1 "gc in a child PID namespace: exit 1"
like "$out" "^outside skipped " "gc in a child PID namespace: the object is skipped"
like "$err" "cannot see every process" "gc in a child PID namespace: says it cannot see every process"
[ -e "$D/outside" ]
ok $? "gc in a child PID namespace: the mapped object is still there"
run inner "$S" gc --posix --force --older-than 0 --dry-run -rn -o NAME,ACTION
like "$err" "cannot see every process" "--force: the warning says an object in use may go"
is "$out" "outside would\x20remove" "--force: the object outside processes map would go"
like "$err" "cannot see every process \(processes outside this PID namespace cannot be seen\): an object they use may be removed" \
	"--force: the warning names the PID namespace"

# list, stat and metrics say that the use they show may be short
run inner "$S" list --posix -rn -o NAME,USE
is "$rc:$out" "0:outside unused" "list in a child PID namespace: the object looks unused"
is "$err" "shmtool: cannot see every process (processes outside this PID namespace cannot be seen): an object shown unused may be in use" \
	"list in a child PID namespace: warns that processes outside it cannot be seen"
# the names, sizes and owners are in the directory: without USE, NPROCS
# or --orphaned list reads no /proc and has nothing to warn of (the
# completions list the names this way)
run inner "$S" list --posix -rn -o NAME,SIZE,OWNER
is "$rc:$out:$err" "0:outside 4K root:" "list -o NAME,SIZE,OWNER in a child PID namespace: no scan, no warning"
run inner "$S" list --posix -rn -o NAME --orphaned
is "$rc:$out" "0:outside" "list --orphaned in a child PID namespace: the object looks unused"
like "$err" "cannot see every process" "list --orphaned in a child PID namespace: scans, and warns"
run inner "$S" stat --posix outside
like "$err" "processes outside this PID namespace cannot be seen\): some that use an object may be missing" \
	"stat in a child PID namespace: warns too"
run inner "$S" metrics --posix
is "$rc:$err" "0:" "metrics in a child PID namespace: exit 0, no warning"
is "$(awk '$1 == "shmtool_posix_uninspected_processes" || $1 == "shmtool_posix_scan_complete" { print $1, $2 }' <<<"$out")" \
	"shmtool_posix_uninspected_processes 1
shmtool_posix_scan_complete 0" "metrics in a child PID namespace: the scan is not complete"
release "$holder"
done_testing
