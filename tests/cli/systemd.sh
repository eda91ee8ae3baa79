#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The systemd units (systemd/): systemd-analyze verify finds nothing to
# say about them; they are oneshot, hardened, and keep to the host's IPC
# namespace; and their commands, run the way systemd runs them (the
# environment of the unit and of /etc/default/shmtool, ExecStart's
# $VAR and ${VAR}, only the capabilities of CapabilityBoundingSet=, a
# mount namespace of their own) do what the units promise: the metrics
# file written whole, objects in use by another user not orphaned, gc a
# dry run over 7 days unless told otherwise, and able to remove another
# user's segment when told.
. "$(dirname "$0")/lib.sh"
in_private_shm_pid "$@"
private_dev_shm 8m

src=$TOP_SRCDIR/systemd
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)

# unit NAME: the unit as make installs it, @bindir@ replaced
unit() {
	local f=$src/$1
	[ -f "$f.in" ] && f=$f.in
	sed "s|@bindir@|$BINDIR|g" "$f"
}
# key NAME KEY: the values of KEY= in unit NAME, one a line
key() { unit "$1" | sed -n "s/^$2=//p"; }

for u in shmtool-metrics shmtool-gc; do
	is "$(key $u.service Type)" oneshot "$u.service: Type=oneshot"
	for k in ProtectSystem=strict PrivateNetwork=yes NoNewPrivileges=yes ProtectHome=yes \
		PrivateTmp=yes RestrictNamespaces=yes SystemCallArchitectures=native; do
		is "$(key $u.service "${k%%=*}")" "${k#*=}" "$u.service: $k"
	done
	is "$(key $u.service EnvironmentFile)" "-/etc/default/shmtool" \
		"$u.service: EnvironmentFile=-/etc/default/shmtool (optional)"
	is "$(unit $u.service | grep -cE '^(PrivateIPC|ProtectProc|ProcSubset|PrivateUsers)=')" 0 \
		"$u.service: nothing that hides the host's IPC namespace or processes"
	like "$(key $u.service ExecStart)" "^$BINDIR/shmtool " "$u.service: runs \$bindir/shmtool"
	is "$(unit $u.timer | grep -c '^WantedBy=timers.target$')" 1 "$u.timer: WantedBy=timers.target"
	like "$(key $u.service Documentation)" "^man:$u\\(1\\)$" "$u.service: documented in $u(1)"
done
is "$(key shmtool-metrics.timer OnCalendar)" minutely "shmtool-metrics.timer: every minute"
is "$(key shmtool-gc.timer OnCalendar)" daily "shmtool-gc.timer: daily"
is "$(key shmtool-metrics.service CapabilityBoundingSet)" "CAP_SYS_PTRACE CAP_DAC_READ_SEARCH" \
	"shmtool-metrics.service: the capabilities the /proc scan needs, no more"
is "$(key shmtool-gc.service CapabilityBoundingSet)" "CAP_SYS_ADMIN" \
	"shmtool-gc.service: only what IPC_RMID of another user's segment needs"
is "$(key shmtool-metrics.service ReadWritePaths)" "-/var/lib/prometheus/node-exporter" \
	"shmtool-metrics.service: writes only in node_exporter's textfile directory"

# systemd-analyze verify, in a root of its own: the units in a directory
# systemd searches, the program at their ExecStart, systemd's own units
if ! command -v systemd-analyze >/dev/null; then
	skip "no systemd-analyze: the units are not verified"
elif [ ! -d /lib/systemd/system ]; then
	skip "no /lib/systemd/system: the units are not verified"
else
	root=$WORK/root
	udir=$root/etc/systemd/system
	mkdir -p "$root/lib/systemd" "$udir" "$root$BINDIR"
	cp -a /lib/systemd/system "$root/lib/systemd/"
	cp "$SHMTOOL" "$root$BINDIR/shmtool"
	for u in shmtool-metrics.service shmtool-metrics.timer shmtool-gc.service shmtool-gc.timer; do
		unit "$u" >"$udir/$u"
	done
	run systemd-analyze verify --man=no --root="$root" "$udir"/shmtool-*
	is "$rc" 0 "systemd-analyze verify: exit status 0"
	is "$out$err" "" "systemd-analyze verify: nothing to say"
	sed -i 's/^Type=oneshot$/Type=oneshot\nBogusKey=1/' "$udir/shmtool-gc.service"
	run systemd-analyze verify --man=no --root="$root" "$udir"/shmtool-*
	like "$err" "Unknown key" "systemd-analyze verify would see a mistake"
fi

# env UNIT [ENVFILE]: the environment systemd gives UNIT's command:
# its Environment= lines, then ENVFILE's assignments over them
env_of() {
	key "$1" Environment
	[ -n "${2:-}" ] && grep -E '^[A-Za-z_][A-Za-z0-9_]*=' "$2"
}
# exec_of UNIT [ENVFILE]: ExecStart's words, one a line, expanded as
# systemd does: ${VAR} is one word, $VAR its value split at blanks
# (nothing when empty)
exec_of() {
	local -A e=()
	local l w
	while IFS= read -r l; do e[${l%%=*}]=${l#*=}; done < <(env_of "$@")
	for w in $(key "$1" ExecStart); do
		if [[ $w =~ ^\$\{([A-Za-z_0-9]+)\}$ ]]; then
			printf '%s\n' "${e[${BASH_REMATCH[1]}]}"
		elif [[ $w =~ ^\$([A-Za-z_0-9]+)$ ]]; then
			for l in ${e[${BASH_REMATCH[1]}]}; do printf '%s\n' "$l"; done
		else
			printf '%s\n' "$w"
		fi
	done
}
# as_unit UNIT [ENVFILE]: run UNIT's command as systemd would, with the
# built program in place of $bindir/shmtool
as_unit() {
	local caps c argv=()
	mapfile -t argv < <(exec_of "$@")
	argv[0]=$SHMTOOL
	for c in $(key "$1" CapabilityBoundingSet); do caps+=,+${c#CAP_}; done
	caps=$(tr A-Z a-z <<<"$caps")
	run unshare --mount --propagation private \
		setpriv --bounding-set=-all"$caps" "${argv[@]}"
}

# the shipped /etc/default/shmtool changes nothing: comments only, and
# it names every variable the units read
def=$src/shmtool.default
is "$(grep -cvE '^(#.*)?$' "$def")" 0 "shmtool.default: comments only"
for v in $( (unit shmtool-metrics.service; unit shmtool-gc.service) |
	grep -o '\${\?SHMTOOL_[A-Z_]*' | tr -d '${' | sort -u); do
	grep -q "^#$v=" "$def"
	ok $? "shmtool.default shows $v"
done

# the metrics: every object in use, by root or by another user, is seen
# with the unit's capabilities alone
head -c 4096 /dev/zero >/dev/shm/mapped
chown 65534 /dev/shm/mapped
spawn_cmd "${NOBODY[@]}" "$SHM_HELPER" posixmap /dev/shm/mapped
head -c 4096 /dev/zero >/dev/shm/open
chown 65534 /dev/shm/open
chmod 600 /dev/shm/open
spawn_cmd "${NOBODY[@]}" sh -c 'exec 3</dev/shm/open && echo ready && exec sleep 600'
head -c 4096 /dev/zero >/dev/shm/unused
"${NOBODY[@]}" "$SHM_HELPER" create 0x5e7d 4096 600 >/dev/null

is "$(exec_of shmtool-metrics.service | tail -n +2 | tr '\n' ' ')" \
	"metrics --posix --textfile /var/lib/prometheus/node-exporter/shmtool.prom " \
	"metrics: into node_exporter's directory by default"
mkdir "$WORK/prom"
echo "SHMTOOL_TEXTFILE=$WORK/prom/shmtool.prom" >"$WORK/env"
as_unit shmtool-metrics.service "$WORK/env"
is "$rc" 0 "metrics, as the unit runs it: exit status 0"
is "$(ls "$WORK/prom")" shmtool.prom "metrics: the file alone, no temporary file left"
sample() { sed -n "s/^$1 //p" "$WORK/prom/shmtool.prom" 2>/dev/null; }
is "$(sample shmtool_segments)" 1 "metrics: the segments counted"
is "$(sample shmtool_posix_objects)" 3 "metrics: the objects counted"
is "$(sample shmtool_posix_orphaned_objects)" 1 \
	"metrics: another user's objects, mapped or open, not orphaned with the unit's capabilities"

# gc: a dry run, 7 days, unless the environment file says otherwise
is "$(exec_of shmtool-gc.service | tail -n +2 | tr '\n' ' ')" "gc --dry-run --older-than 7d " \
	"gc: a dry run over 7 days by default"
before=$(shm_snapshot)
as_unit shmtool-gc.service
is "$rc:$(shm_snapshot)" "0:$before" "gc by default: nothing removed"
like "$err" "kept 1 idle for less than 7d" "gc by default: a new orphan is not old enough"
echo "SHMTOOL_GC_OLDER_THAN=0" >"$WORK/env"
as_unit shmtool-gc.service "$WORK/env"
is "$rc:$(shm_snapshot)" "0:$before" "gc, SHMTOOL_GC_OLDER_THAN=0: still a dry run"
like "$err" "would remove 1 segment" "gc, SHMTOOL_GC_OLDER_THAN=0: it would go"
printf 'SHMTOOL_GC_OLDER_THAN=0\nSHMTOOL_GC_DRY_RUN=\n' >"$WORK/env"
as_unit shmtool-gc.service "$WORK/env"
is "$rc" 0 "gc, SHMTOOL_GC_DRY_RUN= (empty): exit status 0"
is "$(shm_snapshot)" "" "gc, SHMTOOL_GC_DRY_RUN=: another user's orphan removed with CAP_SYS_ADMIN alone"

done_testing
