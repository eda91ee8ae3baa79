#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The program's frame: help, version, the command table, usage errors and
# the exit statuses, write errors.
. "$(dirname "$0")/lib.sh"
in_private_ipc "$@"

run "$SHMTOOL" --help
is "$rc" 0 "--help exits 0"
like "$out" "^Usage: shmtool" "--help prints usage on stdout"
for c in list stat; do
	like "$out" "  $c " "--help lists command $c"
done

run "$SHMTOOL" --version
is "$rc" 0 "--version exits 0"
like "$out" "^shmtool [0-9]+\.[0-9]+" "--version prints the version"

expect_status 2 "no command given" "no command" "$SHMTOOL"
like "$err" "Try 'shmtool --help'" "no command: hint"
expect_status 2 "unknown command 'frobnicate'" "unknown command" "$SHMTOOL" frobnicate
expect_status 2 "unknown command 'l'\$" "no prefix matching" "$SHMTOOL" l
expect_status 2 "unknown command 'creat' \(did you mean 'create'\?\)" "a near command is suggested" \
	"$SHMTOOL" creat
expect_status 2 "unknown command 'lst' \(did you mean 'list'\?\)" "lst: list suggested" "$SHMTOOL" lst
# an unknown long option: the nearest named, when one is near
expect_status 2 "^shmtool list: unrecognized option '--jsn'
Did you mean '--json'\?" "list --jsn: --json suggested" "$SHMTOOL" list --jsn
expect_status 2 "Did you mean '--dry-run'\?" "gc --dryrun: --dry-run suggested" "$SHMTOOL" gc --dryrun
expect_status 2 "Did you mean '--ipc-ns'\?" "a global option: --ipcns, --ipc-ns suggested" "$SHMTOOL" --ipcns 1 list
run "$SHMTOOL" list --xyzzy
is "$rc:$(grep -c 'Did you mean' <<<"$err")" "2:0" "nothing near: no suggestion"
run "$SHMTOOL" list --output
is "$rc:$(grep -c 'Did you mean' <<<"$err")" "2:0" "a known option without its value: getopt's message alone"
# help CMD is CMD --help; help alone is --help
run "$SHMTOOL" help rm
is "$rc:$out" "0:$("$SHMTOOL" rm --help)" "help rm: rm's --help"
run "$SHMTOOL" help
is "$rc:$out" "0:$("$SHMTOOL" --help)" "help: shmtool --help"
expect_status 2 "unknown command 'rmm' \(did you mean 'rm'\?\)" "help of an unknown command" "$SHMTOOL" help rmm
run "$SHMTOOL" help help
is "$rc:$err:$out" "0::$("$SHMTOOL" --help)" "help help: shmtool --help, not an unknown command"
# messages say shmtool however it was called
ln -s "$SHMTOOL" "$WORK/shm-by-another-name"
run "$WORK/shm-by-another-name" list --bogus
like "$err" "^shmtool list: unrecognized option '--bogus'" "called through a link: getopt's message says shmtool"
run "$WORK/shm-by-another-name" --bogus
like "$err" "^shmtool: unrecognized option '--bogus'" "a global option: shmtool too"
expect_status 2 "" "unknown global option" "$SHMTOOL" --bogus
like "$err" "Try 'shmtool --help'" "unknown global option: hint"

for c in list stat; do
	run "$SHMTOOL" "$c" --help
	is "$rc" 0 "$c --help exits 0"
	like "$out" "^Usage: shmtool $c" "$c --help prints usage"
	is "$err" "" "$c --help: nothing on stderr"
	expect_status 2 "unrecognized option" "$c with an unknown option" "$SHMTOOL" "$c" --bogus
	like "$err" "Try 'shmtool $c --help'" "$c with an unknown option: hint"
done

# stdout errors: a full device is a failure, a closed pipe is not
run "$SHMTOOL" --help
"$SHMTOOL" list --help >/dev/full 2>"$WORK/err"
is "$?" 1 "write error to /dev/full: exit 1"
like "$(cat "$WORK/err")" "write error" "write error to /dev/full: message"

"$SHM_HELPER" many 3000 4096
"$SHMTOOL" list 2>"$WORK/err" | head -n 1 >/dev/null
is "${PIPESTATUS[0]}" 0 "a closed pipe (| head) is not an error"
is "$(cat "$WORK/err")" "" "a closed pipe: nothing on stderr"

done_testing
