#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# shmtool metrics: the counts and limits of the namespace in Prometheus
# text format, which promtool accepts and a real node_exporter serves.
. "$(dirname "$0")/lib.sh"
in_private_ipc "$@"

S=$SHMTOOL
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
sample() { awk -v n="$1" '$1 == n { print $2 }' <<<"$out"; }	# sample NAME: its value

# known segments, in a namespace with known limits
echo 64 >/proc/sys/kernel/shmmni
echo 8388608 >/proc/sys/kernel/shmmax
echo 100000 >/proc/sys/kernel/shmall
"$S" create -s 4K -k 0xd01 >/dev/null                  # orphan, root
att=$("$S" create -s 8K)                                # attached, root
hold "$att"
dest=$("$S" create -s 12K)                              # removed while attached
hold "$dest"
"$S" rm "$dest" 2>/dev/null
nobody "$S" create -s 1M -m 600 >/dev/null              # orphan, nobody

run "$S" metrics
is "$rc" 0 "metrics: exit 0"
is "$err" "" "metrics: nothing on stderr"
is "$(sample shmtool_segments)" 4 "shmtool_segments"
is "$(sample shmtool_segment_bytes)" $((4096 + 8192 + 12288 + 1048576)) "shmtool_segment_bytes"
is "$(sample shmtool_orphaned_segments)" 2 "shmtool_orphaned_segments: not the attached nor the removed one"
is "$(sample shmtool_orphaned_bytes)" $((4096 + 1048576)) "shmtool_orphaned_bytes"
is "$(sample shmtool_removed_segments)" 1 "shmtool_removed_segments"
is "$(sample shmtool_largest_segment_bytes)" 1048576 "shmtool_largest_segment_bytes"
is "$(grep '^shmtool_owner_segments{' <<<"$out")" 'shmtool_owner_segments{uid="0",user="root"} 3
shmtool_owner_segments{uid="65534",user="nobody"} 1' "shmtool_owner_segments per user"
is "$(sample 'shmtool_owner_orphaned_bytes{uid="65534",user="nobody"}')" 1048576 "shmtool_owner_orphaned_bytes"
is "$(sample 'shmtool_owner_orphaned_segments{uid="0",user="root"}')" 1 "shmtool_owner_orphaned_segments"
is "$(sample shmtool_limit_shmmni_segments)" 64 "shmtool_limit_shmmni_segments is kernel.shmmni"
is "$(sample shmtool_limit_shmmax_bytes)" 8388608 "shmtool_limit_shmmax_bytes is kernel.shmmax"
is "$(sample shmtool_limit_shmall_pages)" 100000 "shmtool_limit_shmall_pages is kernel.shmall"
is "$(sample shmtool_limit_shmmni_used_ratio)" 0.0625 "shmtool_limit_shmmni_used_ratio: 4 of 64"
is "$(sample shmtool_limit_shmmax_used_ratio)" 0.125 "shmtool_limit_shmmax_used_ratio: 1M of 8M"
pages=$(( (4096 + 8192 + 12288 + 1048576) / $(getconf PAGESIZE) ))
is "$(sample shmtool_segment_pages)" "$pages" "shmtool_segment_pages"
is "$(sample shmtool_limit_shmall_used_ratio)" "$(awk -v p="$pages" 'BEGIN { printf "%.6g", p / 100000 }')" \
	"shmtool_limit_shmall_used_ratio"

# the format: HELP and TYPE before every family, each family once
families=$(grep -v '^#' <<<"$out" | sed 's/[{ ].*//' | uniq)
is "$(sort <<<"$families" | uniq -d)" "" "each family's samples are together"
missing=""
for f in $families; do
	grep -qx "# HELP $f .*" <<<"$out" && grep -qx "# TYPE $f gauge" <<<"$out" || missing="$missing $f"
done
is "$missing" "" "every family has HELP and TYPE lines"
is "$(grep -v '^#' <<<"$out" | grep -cv '^shmtool_[a-z_]*\({[a-z]*="[^"]*"\(,[a-z]*="[^"]*"\)*}\)\? [0-9.e+-]*$')" 0 \
	"every sample line is NAME{LABELS} VALUE"
if command -v promtool >/dev/null; then
	run promtool check metrics <<<"$out"
	is "$rc:$out$err" "0:" "promtool check metrics: no problems"
	run promtool check metrics <<<"bad_metric{user=\"a\"b\"} 1"
	ok $([ "$rc" -ne 0 ]; echo $?) "promtool check metrics fails on a badly escaped label (the check can fail)"
else
	skip "promtool is not installed (Debian package prometheus)"
	skip "promtool is not installed"
fi

# --textfile: the same text, written atomically
mkdir "$WORK/tf"
run "$S" metrics --textfile "$WORK/tf/shmtool.prom"
is "$rc:$out:$err" "0::" "--textfile: exit 0, nothing printed"
is "$(cat "$WORK/tf/shmtool.prom")" "$("$S" metrics)" "--textfile: the file holds the metrics"
is "$(ls -A "$WORK/tf")" "shmtool.prom" "--textfile: no temporary file left"
is "$(stat -c %a "$WORK/tf/shmtool.prom")" 644 "--textfile: readable by node_exporter's user"
ino=$(stat -c %i "$WORK/tf/shmtool.prom")
exec 7<"$WORK/tf/shmtool.prom"		# a reader of the old file
"$S" create -s 4K >/dev/null
run "$S" metrics --textfile "$WORK/tf/shmtool.prom"
is "$rc" 0 "--textfile again: exit 0"
ok $([ "$(stat -c %i "$WORK/tf/shmtool.prom")" != "$ino" ]; echo $?) "--textfile replaces the file by a rename, not in place"
is "$(awk '$1 == "shmtool_segments" { print $2 }' <&7)" 4 "a reader of the old file still reads the old whole file"
exec 7<&-
is "$(awk '$1 == "shmtool_segments" { print $2 }' "$WORK/tf/shmtool.prom")" 5 "the new file has the new count"
expect_status 1 "^shmtool: cannot write $WORK/nodir/x.prom: No such file or directory\$" "--textfile into a missing directory" \
	"$S" metrics --textfile "$WORK/nodir/x.prom"
chmod 555 "$WORK/tf"
expect_status 1 "^shmtool: cannot write $WORK/tf/shmtool.prom: Permission denied\$" "--textfile into a read-only directory" \
	nobody "$S" metrics --textfile "$WORK/tf/shmtool.prom"
chmod 755 "$WORK/tf"
is "$(ls -A "$WORK/tf")" "shmtool.prom" "a failed --textfile leaves no temporary file"
# the old name still works, for a while, and says so
run "$S" metrics --output "$WORK/tf/shmtool.prom"
is "$rc" 0 "--output FILE (the old name): exit 0"
like "$err" "--output FILE is now --textfile FILE" "--output FILE: a warning names the new option"
expect_status 2 "unexpected argument 'x'" "metrics with an argument" "$S" metrics x
expect_status 2 "unrecognized option" "metrics with an unknown option" "$S" metrics --bogus

# --ipc-ns: the metrics of another namespace
spawn_cmd unshare --ipc bash -c '"$1" create -s 2M >/dev/null && exec "$2" ownhold 0 4096 600' _ "$S" "$SHM_HELPER"
run "$S" --ipc-ns "$holder" metrics
is "$(sample shmtool_segments):$(sample shmtool_orphaned_bytes)" "2:2097152" "--ipc-ns PID metrics: that namespace's segments"

# a real node_exporter serves the file on 127.0.0.1
exporter=$(command -v prometheus-node-exporter || command -v node_exporter)
if [ -z "$exporter" ]; then
	skip "prometheus-node-exporter is not installed"
	done_testing
	exit
fi
"$S" metrics --textfile "$WORK/tf/shmtool.prom"
# get PORT PATH: the body of http://127.0.0.1:PORT/PATH, through bash's /dev/tcp
get() {
	local body
	exec 8<>"/dev/tcp/127.0.0.1/$1" || return 1
	printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&8
	body=$(cat <&8)
	exec 8<&-
	printf '%s\n' "${body#*$'\r\n\r\n'}"
}
served=""
for try in 1 2 3 4 5; do
	port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
	"$exporter" --web.listen-address="127.0.0.1:$port" --collector.disable-defaults \
		--collector.textfile --collector.textfile.directory="$WORK/tf" >"$WORK/exporter.log" 2>&1 &
	exporter_pid=$!
	HOLDERS="$HOLDERS $exporter_pid"
	for i in $(seq 50); do		# at most 5 seconds
		served=$(get "$port" /metrics 2>/dev/null) && [ -n "$served" ] && break
		kill -0 "$exporter_pid" 2>/dev/null || break	# could not listen: another port
		sleep 0.1
	done
	[ -n "$served" ] && break
	release "$exporter_pid"
done
ok $([ -n "$served" ]; echo $?) "node_exporter started on 127.0.0.1 and answered"
grep -q '^shmtool_segments 5$' <<<"$served"
ok $? "node_exporter serves shmtool_segments"
grep -qF 'shmtool_owner_segments{uid="65534",user="nobody"} 1' <<<"$served"
ok $? "node_exporter serves the per-owner metrics"
grep -q '^shmtool_limit_shmmni_segments 64$' <<<"$served"
ok $? "node_exporter serves the limits"
grep -q '^node_textfile_scrape_error 0$' <<<"$served"
ok $? "node_exporter read the file without error"
release "$exporter_pid"
kill -0 "$exporter_pid" 2>/dev/null
ok $([ $? -ne 0 ]; echo $?) "node_exporter stopped"

done_testing
