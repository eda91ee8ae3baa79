#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Who owns a segment, by cgroup: CGPATH, UNIT, CONTAINER and POD from
# the creator while it runs, else from the attached processes, in list
# (text, raw, JSON, --sort) and in namespaces; those of a POSIX object
# from the processes that map it or hold it open (list --posix). The processes run in
# cgroups that the test makes in a cgroup2 mount of its own, shaped as
# docker and a Kubernetes pod name them; tests/unit/test-cgroup.c has
# every runtime's shapes.
. "$(dirname "$0")/lib.sh"
in_private_shm "$@"
export LC_ALL=C.UTF-8
S=$SHMTOOL

# Two stages. The first mounts cgroup2 (not under $WORK, which cleanup()
# removes with rm -r: that must never walk into a cgroup hierarchy),
# makes a cgroup of its own and runs this script again inside it, in a
# new cgroup namespace whose root that cgroup is: there /proc shows the
# paths as a host shows them (/system.slice/..., /kubepods.slice/...),
# the shapes whose place tells who made them. Then it removes the
# cgroups (deepest first, once their processes are gone) and the mount.
if [ -z "${SHMTOOL_CG_BASE:-}" ]; then
	mnt=$(mktemp -d "${TMPDIR:-/tmp}/shmtool-cgroup2.XXXXXX")
	if ! mount -t cgroup2 none "$mnt" 2>/dev/null; then
		rmdir "$mnt"
		echo "1..0 # SKIP cannot mount cgroup2 here"
		exit 0
	fi
	base=$mnt/shmtool-test.$$
	if ! mkdir "$base" 2>/dev/null || ! echo $$ >"$base/cgroup.procs" ||
		! unshare --cgroup true 2>/dev/null; then
		echo $$ >"$mnt/cgroup.procs" 2>/dev/null
		[ -d "$base" ] && rmdir "$base"
		umount "$mnt" && rmdir "$mnt"
		echo "1..0 # SKIP cannot make a cgroup and a cgroup namespace here"
		exit 0
	fi
	SHMTOOL_CG_BASE=$base unshare --cgroup "$BASH" "$0" "$@" &
	inner=$!
	echo $$ >"$mnt/cgroup.procs"
	wait "$inner"
	rc=$?
	find "$base" -depth -type d -exec rmdir {} \;
	umount "$mnt" && rmdir "$mnt"
	exit "$rc"
fi
base=$SHMTOOL_CG_BASE
# the processes go first: their cgroups are removed after the test
trap 'for p in $HOLDERS; do kill "$p" 2>/dev/null; done; cleanup' EXIT
is "$(sed -n 's/^0:://p' /proc/self/cgroup)" / "in a cgroup namespace of the test's own"
top=

D=d548c5b83fa61d8e3bd86ad42a7ffea9b7c86e3f9d8095c1577d3e1270bb9420
C=2397d068a8d1552a4c3f9147ba9c94e086bfd66fb2acb5bbaf47197105127d5f
POD=3f5a1b2c-1234-4d6e-8f90-a1b2c3d4e5f6
docker=$top/system.slice/docker-$D.scope
pod=$top/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${POD//-/_}.slice
k8s=$pod/cri-containerd-$C.scope
svc=$top/system.slice/demo.service
mkdir -p "$base$docker" "$base$k8s" "$base$svc"

# in_cg CGROUP CMD...: run CMD in that cgroup (spawn_cmd: $line, $holder)
in_cg() {
	local cg=$1
	shift
	spawn_cmd sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$base$cg" "$@"
}

# a segment whose creator runs in the docker scope
in_cg "$docker" "$SHM_HELPER" own 0x51 4096 600
a=$line creator_a=$holder
run "$S" list -rn -o ID,CGPATH,UNIT,CONTAINER,POD --key 0x51
is "$rc:$err" "0:" "the creator's cgroup: exit 0, quiet"
is "$out" "$a $docker docker-$D.scope docker://$D " "the creator's cgroup, unit and container; no pod"

# a segment whose creator has gone: its attached processes tell, each
# value once (two in the pod's container, one in a service)
b=$("$S" create -s 4096 -k 0x52)
in_cg "$k8s" "$SHM_HELPER" hold "$b"
in_cg "$k8s" "$SHM_HELPER" hold "$b"
in_cg "$svc" "$SHM_HELPER" hold "$b"
run "$S" list -J -o ID,CPID,CGPATH,UNIT,CONTAINER,POD --key 0x52
is "$rc" 0 "attached processes: exit 0"
is "$(jq -c '.shm[0] | [.cgpath, .unit, .container, .pod]' <<<"$out")" \
	"[[\"$k8s\",\"$svc\"],[\"cri-containerd-$C.scope\",\"demo.service\"],[\"containerd://$C\"],[\"$POD\"]]" \
	"the attached processes' cgroups, units, container and pod, each once, JSON arrays"
is "$(jq '.shm[0].partial' <<<"$out")" false "JSON: not partial"
run "$S" list -n -o UNIT --key 0x52
is "$out" "cri-containerd-$C.scope,demo.service" "text: the items separated by commas"

# the creator gone, nobody attached: nothing to tell
c=$("$S" create -s 4096 -k 0x53)
run "$S" list -rn -o ID,CGPATH,UNIT,CONTAINER,POD --key 0x53
is "$out" "$c    " "no creator, nobody attached: empty cells"
run "$S" list -J -o CGPATH --key 0x53
like "$(jq -c '.shm[0].cgpath' <<<"$out")" '^\[(null)?\]$' "JSON: an empty array"

# --sort UNIT: by the first unit (none first)
run "$S" list -rn -o ID,UNIT --sort UNIT
is "$(awk '{ print $1 }' <<<"$out" | tr '\n' ' ')" "$c $b $a " "--sort UNIT"

# the owner filters: a unit exactly, a container by the prefix of its id
# or of runtime://id; the segment no process tells is left out, and said
run "$S" list -rn -o ID --unit demo.service
is "$rc:$out" "0:$b" "--unit: the segment an attached process of the unit holds"
like "$err" "1 segment left out: no running creator nor attached process tells its owner" \
	"--unit: the segment nobody can tell is said"
run "$S" list -rn -o ID --unit "docker-$D.scope"
is "$out" "$a" "--unit: the segment whose creator runs in the unit"
run "$S" list -rn -o ID --unit demo
is "$rc:$out" "0:" "--unit: the whole name, not a part"
run "$S" list -rn -o ID --container "${D:0:12}"
is "$out" "$a" "--container: a short id"
run "$S" list -rn -o ID --container "containerd://${C:0:6}"
is "$out" "$b" "--container: runtime://id"
run "$S" list -rn -o ID --container "docker://${C:0:6}"
is "$out" "" "--container: another runtime's, nothing"
run "$S" list -rn -o ID --unit demo.service --container "$C"
is "$out" "$b" "--unit and --container: both"
run "$S" list --unit ''
is "$rc" 2 "--unit '': a usage error"
run "$S" list --posix --container "$C"
is "$rc" 2 "--container with --posix: a usage error"

# names anyone with a delegated subtree can make do not pass for a
# container: a user's "docker" scope, a container's "inner container"
F=ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
user=/user.slice/user-1000.slice/user@1000.service/app.slice/docker-$F.scope
mkdir -p "$base$user" "$base$docker/docker-$F.scope"
in_cg "$user" "$SHM_HELPER" own 0x56 4096 600
in_cg "$docker/docker-$F.scope" "$SHM_HELPER" own 0x57 4096 600
run "$S" list -rn -o KEY,UNIT,CONTAINER --sort KEY --key 0x56
is "$out" "0x00000056 user@1000.service " "a user's own cgroups: the user's unit, no container"
run "$S" list -rn -o KEY,UNIT,CONTAINER --key 0x57
is "$out" "0x00000057 docker-$D.scope docker://$D" "a cgroup below a container's own: that container"
run "$S" list -rn -o KEY --container "$F"
is "$out" "" "--container: no segment under a name that is not the runtime's"

# a comma in a value: apart from the next value in a table, exact in JSON
mkdir -p "$base/x,b.service" "$base/b.service"
c2=$("$S" create -s 4096 -k 0x58)
in_cg "/x,b.service" "$SHM_HELPER" hold "$c2"
in_cg "/b.service" "$SHM_HELPER" hold "$c2"
run "$S" list -n -o UNIT --key 0x58
is "$out" 'x\x2cb.service,b.service' "a comma in a unit's name: escaped in the table, both units there"
run "$S" list -J -o UNIT --key 0x58
is "$(jq -c '.shm[0].unit' <<<"$out")" '["x,b.service","b.service"]' "a comma in a unit's name: JSON exact"

# a cgroup name with terminal escapes: escaped in the table, exact in JSON
evil=$top/$'ev\e[31mil'.service
mkdir "$base$evil"
in_cg "$evil" "$SHM_HELPER" own 0x54 4096 600
run "$S" list -n -o UNIT --key 0x54
is "$out" 'ev\x1b[31mil.service' "an escape in a unit name: escaped in the table"
run "$S" list -J -o UNIT --key 0x54
is "$(jq -r '.shm[0].unit[0]' <<<"$out")" $'ev\e[31mil.service' "JSON: the exact name"

# namespaces: the cgroup of a namespace's oldest process
in_cg "$k8s" unshare --ipc "$SHM_HELPER" own 0 4096 600
nspid=$holder
run "$S" namespaces -rn -o PID,UNIT,CONTAINER,POD
is "$(awk -v p="$nspid" '$1 == p' <<<"$out")" "$nspid cri-containerd-$C.scope containerd://$C $POD" \
	"namespaces: the unit, container and pod of a namespace's process"
run "$S" metrics -A
is "$(grep '^shmtool_segments{' <<<"$out" | grep -F "container_id=")" \
	"shmtool_segments{ipc_namespace=\"$(stat -L -c %i /proc/$nspid/ns/ipc)\",container_id=\"containerd://$C\",pod_uid=\"$POD\",unit=\"cri-containerd-$C.scope\"} 1" \
	"metrics -A: the container, pod and unit of a namespace's process as labels"
run "$S" namespaces -J -o PID,CGPATH
is "$(jq -r --argjson p "$nspid" '.namespaces[] | select(.pid == $p) | .cgpath' <<<"$out")" "$k8s" \
	"namespaces JSON: its cgroup path, a string"


# gc --unit and --container: by the running creator only (an orphan has
# nobody attached); an orphan whose creator is gone is left out, and said
run "$S" gc --dry-run --older-than 0 -rn -o KEY --unit "docker-$D.scope"
is "$rc:$(sort <<<"$out" | paste -sd' ')" "0:0x00000051 0x00000057" \
	"gc --unit: the orphans whose creator runs in the unit"
like "$err" "^shmtool: 1 orphan left out: no running creator tells its owner" \
	"gc --unit: the orphan whose creator is gone is said"
run "$S" gc --dry-run --older-than 0 -rn -o KEY --unit demo.service
is "$rc:$out" "0:" "gc --unit: attached processes make no orphan"
run "$S" gc --dry-run --older-than 0 -rn -o KEY --container "${D:0:12}" --key 0x51
is "$out" "0x00000051" "gc --container: a short id"
run "$S" gc --dry-run --older-than 0 -rn -o KEY --container "docker://${C:0:6}"
is "$out" "" "gc --container: another runtime's, nothing"
run "$S" gc --older-than 0 -rn -o KEY,ACTION --unit "docker-$D.scope"
is "$rc:$(sort <<<"$out" | tr -s ' ' | paste -sd' ')" "0:0x00000051 removed 0x00000057 removed" \
	"gc --unit: removed"
run "$S" list -rn -o KEY
is "$(sort <<<"$out" | paste -sd' ')" "0x00000052 0x00000053 0x00000054 0x00000056 0x00000058" \
	"gc --unit: the segments of no running creator and of other units stayed"
run "$S" gc -q --older-than 0 --unit user@1000.service
is "$rc:$out:$err" "0::" "gc -q --unit: silent"
expect_status 2 "an empty --unit names nothing" "gc --unit ''" "$S" gc --unit ''
expect_status 2 "--creator-gone and --container are mutually exclusive" "gc --creator-gone --container" \
	"$S" gc --creator-gone --container "$C"
expect_status 2 "--unit does not apply to POSIX objects" "gc --posix --unit" "$S" gc --posix --unit x
# -A: the creator's cgroup, in its own namespace (a dry run: this test
# sees the host's namespaces)
run "$S" gc -A --dry-run --older-than 0 -rn -o NS,KEY,ACTION --container "containerd://$C"
is "$out" "$(stat -L -c %i /proc/$nspid/ns/ipc) 0x00000000 would\x20remove" \
	"gc -A --container: the namespace's orphan whose creator runs in the container"

# POSIX objects have no creator: the processes that map one or hold it
# open tell, each value once, in a tmpfs of the test's own on /dev/shm
private_dev_shm
head -c 4096 /dev/zero >/dev/shm/shared
head -c 4096 /dev/zero >/dev/shm/nobody
in_cg "$k8s" "$SHM_HELPER" posixmap /dev/shm/shared
in_cg "$k8s" "$SHM_HELPER" posixmap /dev/shm/shared
in_cg "$svc" sh -c 'exec 5</dev/shm/shared; echo ready; exec sleep 600'
run "$S" list --posix -rn -o NAME,NPROCS,CGPATH,UNIT,CONTAINER,POD
is "$rc" 0 "list --posix with the owner columns: exit 0"
is "$out" "nobody 0    
shared 3 $k8s,$svc cri-containerd-$C.scope,demo.service containerd://$C $POD" \
	"list --posix: the cgroups, units, container and pod of the processes that map or open it, each once"
run "$S" list --posix -J -o NAME,CGPATH,UNIT,CONTAINER,POD
is "$(jq -c '.posix[] | select(.name == "shared") | [.cgpath, .unit, .container, .pod]' <<<"$out")" \
	"[[\"$k8s\",\"$svc\"],[\"cri-containerd-$C.scope\",\"demo.service\"],[\"containerd://$C\"],[\"$POD\"]]" \
	"list --posix -J: the owner columns are arrays of strings"
like "$(jq -c '.posix[] | select(.name == "nobody") | .unit' <<<"$out")" '^\[(null)?\]$' \
	"list --posix -J: an object nobody uses, an empty array"
run "$S" list --posix -n -o UNIT
is "$out" "
cri-containerd-$C.scope,demo.service" "list --posix: the units in a table, separated by commas"
run "$S" gc --posix -o UNIT
is "$rc" 2 "gc --posix has no owner columns (it keeps no process per object)"

done_testing
