#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# --posix of create, attach-write, cat, stat and rm: POSIX shared memory
# objects by name. Runs in private IPC and mount namespaces with a tmpfs
# of its own on /dev/shm, so the machine's objects are never touched.
. "$(dirname "$0")/lib.sh"
export TZ=UTC
in_private_shm "$@"
private_dev_shm

S=$SHMTOOL
D=/dev/shm
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
field() { sed -n "s/^$1: *//p" <<<"$out"; }	# field NAME: a field of the record in $out
fingerprint() { stat -c '%i %s %a %u %Y' "$1" && sha256sum <"$1"; }

# ---- create, then stat field by field
umask 077
run "$S" create --posix /obj -s 10K -m 0640
is "$rc:$out" "0:obj" "create --posix /obj: exit 0, prints the name without the slash"
[ -f "$D/obj" ] && [ ! -L "$D/obj" ]
ok $? "create --posix: a regular file in /dev/shm"
is "$(stat -c '%s %a' "$D/obj")" "10240 640" "create --posix: the size, and exactly --mode whatever the umask"
run "$S" create --posix plain -s 1
is "$(stat -c '%a' "$D/plain")" "600" "create --posix: mode 0600 by default"
run "$S" create --posix jsonobj -s 4K -J
is "$(jq -c . <<<"$out")" '{"name":"jsonobj","path":"/dev/shm/jsonobj","size":4096}' "create --posix -J: name, path, size"

run "$S" stat --posix obj
is "$rc" 0 "stat --posix: exit 0"
is "$(field Name)" "obj" "stat: Name"
is "$(field Path)" "$D/obj" "stat: Path"
is "$(field Size)" "$(stat -c %s "$D/obj") (10K)" "stat: Size, exact and human"
is "$(field Owner)" "$(stat -c '%U (uid %u)' "$D/obj")" "stat: Owner and uid"
is "$(field Group)" "$(stat -c '%G (gid %g)' "$D/obj")" "stat: Group and gid"
is "$(field Mode)" "$(stat -c '0%a (%A)' "$D/obj" | sed 's/(-/(/')" "stat: Mode, octal and rwx"
is "$(field Modified)" "$(date -d "@$(stat -c %Y "$D/obj")" '+%a %b %e %H:%M:%S %Y')" "stat: Modified, in full"
is "$(field Device)" "$(stat -c '%Hd:%Ld' "$D/obj")" "stat: Device major:minor"
is "$(field Inode)" "$(stat -c %i "$D/obj")" "stat: Inode"
is "$(field Use)" "unused" "stat: Use of an object nobody uses"
is "$(field Processes)" "0" "stat: no process"
run "$S" stat --posix -J obj
out=$(jdocs <<<"$out")
is "$(jq -c '(.posix[0] | [.name, .path, .size, .uid, .gid, .mode, .perms, .inode, .use, .nprocs]) + [.processes]' <<<"$out")" \
	"[\"obj\",\"$D/obj\",10240,0,0,\"0640\",\"rw-r-----\",$(stat -c %i "$D/obj"),\"unused\",0,[]]" \
	"stat --posix -J: typed values"
is "$(jq -r '.posix[0].mtime' <<<"$out")" "$(date -d "@$(stat -c %Y "$D/obj")" '+%Y-%m-%dT%H:%M:%SZ')" \
	"stat --posix -J: mtime in RFC 3339"

# ---- create of an existing name: exit 1, the object left as it was
printf 'keep me' | "$S" attach-write --posix obj
before=$(fingerprint "$D/obj")
expect_status 1 "cannot create POSIX object obj: it already exists" "create --posix of an existing name" \
	"$S" create --posix obj -s 1M -m 0666
is "$out" "" "create of an existing name: nothing on stdout"
is "$(fingerprint "$D/obj")" "$before" "create of an existing name: size, mode, data unchanged"
run "$S" create --posix obj -s 4K --reuse
is "$rc:$out:$err" "0:obj:" "create --posix --reuse: takes the existing object, large enough, no word of a mode not asked"
run "$S" create --posix obj -s 1M --reuse
is "$rc:$out" "1:" "create --posix --reuse of a smaller object: exit 1"
like "$err" "cannot reuse POSIX object obj: its size is 10240 bytes, less than the 1048576 asked" \
	"create --posix --reuse of a smaller object: says what differs"
run "$S" create --posix obj -s 10240 -m 0600 --reuse
is "$rc" 1 "create --posix --reuse -m with another mode: exit 1"
like "$err" "its mode is 0640, not 0600" "create --posix --reuse -m: says the mode differs"
is "$(fingerprint "$D/obj")" "$before" "create --reuse: the object unchanged"
ln -s obj "$D/link"
expect_status 1 "already exists" "create --posix over a symlink" "$S" create --posix link -s 1K
# the size refused (a file size limit, SIGXFSZ ignored): the object made
# goes again
expect_status 1 "cannot give POSIX object big a size of 1M: File too large; removed it again" \
	"create --posix with a size over the file size limit" \
	bash -c 'trap "" XFSZ; ulimit -f 1; exec "$0" create --posix big -s 1M' "$S"
[ ! -e "$D/big" ]
ok $? "create --posix refused its size: nothing left"
[ -L "$D/link" ] && is "$(fingerprint "$D/obj")" "$before" "create over a symlink: neither it nor its target changed"
rm "$D/link"

# ---- attach-write and cat
"$S" create --posix data -s 64 >/dev/null
run "$S" attach-write --posix data --string 'hello, world'
is "$rc" 0 "attach-write --posix --string: exit 0"
is "$("$S" cat --posix data --string)" "hello, world" "cat --posix --string: the text back"
printf 'bin\0ary\0\377\001' >"$WORK/bin"
"$S" attach-write --posix /data --offset 20 --file "$WORK/bin"
cmp -s <("$S" cat --posix data --offset 20 --length 10) "$WORK/bin"
ok $? "binary with NUL bytes at --offset, by /name: the same bytes back"
"$S" cat --posix data >"$WORK/all"
is "$(stat -c %s "$WORK/all")" 64 "cat --posix: the whole object, to its size"
cmp -s <(head -c 64 "$D/data") "$WORK/all"
ok $? "cat --posix: the bytes of the file"
printf 'from a pipe' | "$S" attach-write --posix data --offset 40 --nul
is "$("$S" cat --posix data --offset 40 --string)" "from a pipe" "attach-write --posix from standard input, --nul"
is "$("$S" cat --posix data --offset 20 --length 3 --hex)" \
	"00000014  62 69 6e                                          |bin|" "cat --posix --hex, offsets from --offset"
before=$(fingerprint "$D/data")
expect_status 1 "5 bytes at offset 60 overflow POSIX object data \(64 bytes\) by 1 byte; nothing written" \
	"a string past the end" "$S" attach-write --posix data --offset 60 --string 'abcde'
is "$(fingerprint "$D/data")" "$before" "a write past the end: data and size unchanged"
head -c 100 /dev/urandom >"$WORK/big"
expect_status 1 "does not fit" "a file past the end" "$S" attach-write --posix data --file "$WORK/big"
is "$(fingerprint "$D/data")" "$before" "a file past the end: data and size unchanged"
run bash -c 'head -c 100 /dev/zero | "$1" attach-write --posix data --offset 32' _ "$S"
is "$rc" 1 "a pipe past the end: exit 1"
like "$err" "input is longer than the 32 bytes left in POSIX object data; nothing written" \
	"a pipe past the end: message"
is "$(fingerprint "$D/data")" "$before" "a pipe past the end: data and size unchanged"
expect_status 1 "input is longer than the 64 bytes left in POSIX object data; nothing written" \
	"--file /proc/self/status past the end" "$S" attach-write --posix data --file /proc/self/status
is "$(fingerprint "$D/data")" "$before" "--file /proc/self/status past the end: data and size unchanged"
expect_status 1 "offset 65 is past the end of POSIX object data \(64 bytes\)" "cat --offset past the end" \
	"$S" cat --posix data --offset 65
touch "$D/empty"
run "$S" cat --posix empty
is "$rc:$out" "0:" "cat --posix of an empty object: nothing, exit 0"
expect_status 1 "1 byte at offset 0 overflows POSIX object empty \(0 bytes\)" "attach-write into an empty object" \
	"$S" attach-write --posix empty --string x
is "$(stat -c %s "$D/empty")" 0 "an empty object stays empty"

# ---- who uses an object: stat of a mapped and of an open-only one
"$S" create --posix mapped -s 4K >/dev/null
spawn posixmap "$D/mapped"
mapper=$holder
"$S" create --posix openonly -s 4K >/dev/null
spawn_cmd bash -c 'exec 5<"$1"; echo ready; exec sleep 600' _ "$D/openonly"
opener=$holder
run "$S" stat --posix mapped openonly
is "$rc" 0 "stat --posix of two objects in use: exit 0"
like "$out" "Use: +mapped" "stat: the mapped one is mapped"
like "$out" "Use: +open" "stat: the open one is open"
like "$out" "^ *$mapper +root +[^ ]*shm-helper posixmap $D/mapped +mapped" \
	"stat: the mapping process, its user, command and use"
like "$out" "^ *$opener +root +sleep 600 +open" "stat: the process that holds it open"
run "$S" stat --posix -J openonly
is "$(jdocs <<<"$out" | jq -c "[.posix[0].use, .posix[0].nprocs, (.processes[] | [.name, .pid, .user, .command, .use])]")" \
	"[\"open\",1,[\"openonly\",$opener,\"root\",\"sleep 600\",\"open\"]]" "stat --posix -J: the processes, typed"

# ---- unknown names, and the rest still printed
run "$S" stat --posix nosuch obj nosuch2
is "$rc" 1 "stat --posix with unknown names: exit 1"
like "$err" "no POSIX object named nosuch" "stat: unknown name on stderr"
like "$err" "no POSIX object named nosuch2" "stat: each unknown name"
is "$(field Name)" "obj" "stat: the known object is still shown"
mkdir "$D/adir"
ln -s obj "$D/alink"
expect_status 1 "cannot read POSIX object adir: not a regular file" "stat of a directory" "$S" stat --posix adir
expect_status 1 "cannot read POSIX object alink: not a regular file" "cat of a symlink" "$S" cat --posix alink
expect_status 1 "no POSIX object named nosuch" "cat of an unknown name" "$S" cat --posix nosuch
expect_status 1 "no POSIX object named nosuch" "attach-write of an unknown name" \
	"$S" attach-write --posix nosuch --string x
[ ! -e "$D/nosuch" ]
ok $? "attach-write of an unknown name creates nothing"

# ---- rm
"$S" create --posix gone1 -s 1K >/dev/null
run "$S" rm --posix -v /gone1
is "$rc" 0 "rm --posix of an unused object: exit 0"
like "$err" "removed POSIX object gone1 \(1024 bytes\)" "rm -v names it"
[ ! -e "$D/gone1" ]
ok $? "rm --posix: the name is gone"
run "$S" rm --posix mapped
is "$rc" 0 "rm --posix of a mapped object: exit 0"
like "$err" "POSIX object mapped removed: still mapped by 1 process \($mapper\); its memory stays until they let go" \
	"rm of a mapped object: says the memory stays, and who holds it"
[ ! -e "$D/mapped" ]
ok $? "rm of a mapped object: the name is gone"
grep -q "$D/mapped (deleted)" "/proc/$mapper/maps"
ok $? "rm of a mapped object: the process still maps the memory"
release "$mapper"
run "$S" rm --posix openonly nosuch adir alink obj
is "$rc" 1 "rm --posix with failures among them: exit 1"
like "$err" "POSIX object openonly removed: still open by 1 process \($opener\)" "rm of an open object says so"
like "$err" "no POSIX object named nosuch" "rm: unknown name"
like "$err" "cannot remove POSIX object adir: not a regular file" "rm: a directory is refused"
like "$err" "cannot remove POSIX object alink: not a regular file" "rm: a symlink is refused"
[ -d "$D/adir" ] && [ -L "$D/alink" ] && [ ! -e "$D/obj" ] && [ ! -e "$D/openonly" ]
ok $? "rm: the others removed, the directory and the symlink left"
release "$opener"
touch "$D/sem.lock"
expect_status 2 "sem\.\* names are POSIX semaphores" "rm --posix sem.lock" "$S" rm --posix sem.lock
# /proc cannot be scanned (an empty tmpfs with mode 0 over it, and an
# unprivileged caller): whether a process uses the object is unknown.
# stat still prints it and rm still removes it, both exit 1 and say why.
noproc() { unshare --mount sh -c 'mount -t tmpfs -o mode=0 none /proc && exec setpriv --reuid=65534 --regid=65534 --clear-groups "$@"' sh "$@"; }
nobody "$S" create --posix noscan -s 1K >/dev/null
run noproc "$S" stat --posix noscan
is "$rc:$(field Use)" "1:unknown" "stat --posix, /proc not scanned: exit 1, use unknown"
like "$err" "cannot scan /proc for the processes using them" "stat --posix, /proc not scanned: says so"
run noproc "$S" rm --posix noscan
is "$rc" 1 "rm --posix, /proc not scanned: exit 1, as stat"
like "$err" "cannot scan /proc for the processes using them" "rm --posix, /proc not scanned: says so"
like "$err" "POSIX object noscan removed, but whether a process still maps it or holds it open is unknown" \
	"rm --posix, /proc not scanned: the object removed, its use unknown"
[ ! -e "$D/noscan" ]
ok $? "rm --posix, /proc not scanned: the name is gone"
[ -e "$D/sem.lock" ]
ok $? "rm --posix never removes a semaphore"

# ---- bad names: usage errors, for every command
long=$(printf 'n%.0s' $(seq 256))
for c in stat rm cat attach-write create; do
	extra=""
	[ "$c" = create ] && extra="-s 1K"
	[ "$c" = attach-write ] && extra="--string x"
	expect_status 2 "invalid POSIX object name '': empty" "$c --posix ''" "$S" $c --posix $extra ''
	expect_status 2 "invalid POSIX object name '/': empty" "$c --posix /" "$S" $c --posix $extra /
	expect_status 2 "invalid POSIX object name 'a/b': '/' only as the first character" "$c --posix a/b" \
		"$S" $c --posix $extra a/b
	expect_status 2 "'/' only as the first character" "$c --posix //x" "$S" $c --posix $extra //x
	expect_status 2 "'\.' and '\.\.' name no object" "$c --posix ." "$S" $c --posix $extra .
	expect_status 2 "'\.' and '\.\.' name no object" "$c --posix /.." "$S" $c --posix $extra /..
	expect_status 2 "longer than 255 bytes" "$c --posix with 256 bytes" "$S" $c --posix $extra "$long"
	expect_status 2 "sem\.\* names are POSIX semaphores" "$c --posix sem.x" "$S" $c --posix $extra /sem.x
done
run "$S" create --posix "${long:1}" -s 1
is "$rc" 0 "a name of exactly 255 bytes is accepted"
expect_status 2 "Try 'shmtool stat --help'" "stat --posix with no name" "$S" stat --posix
expect_status 2 "give one POSIX object only" "cat --posix with two names" "$S" cat --posix a b
expect_status 2 "give one POSIX object only" "attach-write --posix with two names" \
	"$S" attach-write --posix --string x a b
for c in cat attach-write rm stat; do
	expect_status 2 "^shmtool: no POSIX object given\$" "$c --posix with no name" "$S" $c --posix
done
# the refused option is named before a missing name
expect_status 2 "^shmtool: --key does not apply to POSIX objects\$" "cat --posix -k, no name" \
	"$S" cat --posix -k 1
expect_status 2 "^shmtool: --ftok does not apply to POSIX objects\$" "rm --posix -k --ftok: the last" \
	"$S" rm --posix -k 1 --ftok /tmp plain

# control characters in a name never reach the terminal raw
evil=$'ev\e[31mil'
run "$S" create --posix "$evil" -s 1
is "$rc" 0 "create --posix of a name with an escape sequence"
ok "$(grep -q $'\e' <<<"$out$err"; echo $((!$?)))" "create: the escape character is not printed raw"
like "$out" 'ev\\x1b\[31mil' "create: the name shown escaped"
run "$S" stat --posix "$evil" "$evil.nosuch"
ok "$(grep -q $'\e' <<<"$out$err"; echo $((!$?)))" "stat: no escape character in the record or the error"
like "$err" 'no POSIX object named ev\\x1b\[31mil\.nosuch' "stat: the unknown name escaped on stderr"
run "$S" rm --posix -v "$evil"
ok "$(grep -q $'\e' <<<"$out$err"; echo $((!$?)))" "rm -v: no escape character"
expect_status 2 'invalid POSIX object name .a\\x1b/b' "a bad name with an escape sequence" "$S" rm --posix $'a\e/b'

# ---- System V options are usage errors with --posix
before=$(cd "$D" && ls -A | tr '\n' ' ')
expect_status 2 "--key does not apply to POSIX objects" "stat --posix -k" "$S" stat --posix -k 1 plain
expect_status 2 "--ftok does not apply to POSIX objects" "rm --posix --ftok" "$S" rm --posix --ftok /tmp plain
expect_status 2 "--memory does not apply to POSIX objects" "stat --posix -M" "$S" stat --posix -M plain
expect_status 2 "--key does not apply to POSIX objects" "cat --posix -k" "$S" cat --posix -k 1 plain
expect_status 2 "--key does not apply to POSIX objects" "attach-write --posix -k" \
	"$S" attach-write --posix -k 1 --string x plain
for o in "--key:-k 5" "--ftok:--ftok /tmp" --hugetlb --noreserve --lock; do
	expect_status 2 "${o%%:*} does not apply to POSIX objects" "create --posix ${o#*:}" \
		"$S" create --posix -s 1K ${o#*:} newobj
done
is "$(cd "$D" && ls -A | tr '\n' ' ')" "$before" "usage errors create and remove nothing"

# ---- --ipc-ns PID: the process's own /dev/shm, in its mount namespace
spawn_cmd unshare --ipc --mount bash -c 'mount -t tmpfs tmpfs /dev/shm && head -c 512 /dev/zero >/dev/shm/inner && echo ready && exec sleep 600'
inner=$holder
run "$S" --ipc-ns "$inner" stat --posix inner
is "$rc:$(field Size):$(field Path)" "0:512 (512B):/proc/$inner/root/dev/shm/inner" "--ipc-ns PID stat --posix: its object"
run "$S" --ipc-ns "$inner" create --posix made -s 2K
is "$rc:$out" "0:made" "--ipc-ns PID create --posix"
is "$(stat -c %s "/proc/$inner/root/dev/shm/made")" 2048 "--ipc-ns PID create: in that process's /dev/shm"
[ ! -e "$D/made" ]
ok $? "--ipc-ns PID create: not in this one's"
"$S" --ipc-ns "$inner" attach-write --posix made --string inside
is "$("$S" --ipc-ns "$inner" cat --posix made --string)" "inside" "--ipc-ns PID attach-write and cat"
expect_status 1 "no POSIX object named plain" "--ipc-ns PID does not see this namespace's objects" \
	"$S" --ipc-ns "$inner" stat --posix plain
run "$S" --ipc-ns "$inner" rm --posix made inner
is "$rc:$("$S" --ipc-ns "$inner" list --posix -rn -o NAME)" "0:" "--ipc-ns PID rm --posix: both gone there"
[ -e "$D/plain" ]
ok $? "--ipc-ns PID rm: this namespace's objects untouched"

# ---- an unprivileged user and a root object of mode 0600
"$S" create --posix secret -s 1K >/dev/null
"$S" attach-write --posix secret --string 'top secret'
before=$(fingerprint "$D/secret")
expect_status 1 "cannot read POSIX object secret: permission denied" "nobody: cat of a 0600 root object" \
	nobody "$S" cat --posix secret
is "$out" "" "nobody: nothing of it printed"
expect_status 1 "cannot write to POSIX object secret: permission denied" "nobody: attach-write" \
	nobody "$S" attach-write --posix secret --string x
expect_status 1 "cannot remove POSIX object secret: permission denied" "nobody: rm in the sticky /dev/shm" \
	nobody "$S" rm --posix secret
is "$(fingerprint "$D/secret")" "$before" "nobody: the object unchanged"
run nobody "$S" stat --posix secret
is "$rc:$(field Mode)" "0:0600 (rw-------)" "nobody: stat needs no read permission"
run nobody "$S" create --posix mine -s 1K
is "$rc:$(stat -c %U "$D/mine")" "0:nobody" "nobody: create --posix of its own object"
nobody "$S" rm --posix mine
[ ! -e "$D/mine" ]
ok $? "nobody: rm --posix of its own object"

# ---- an object shrunk by another process while cat reads it: a message
# and exit 1, not a death by SIGBUS nor an I/O error. The reader of a
# FIFO holds cat's output until the object has been truncated.
# cat_shrunk [OPTION]: cat --posix shrinks OPTION, the object truncated
# after cat's first byte; sets $rc and $err
cat_shrunk() {
	head -c 2M /dev/urandom >"$D/shrinks"
	mkfifo "$WORK/fifo"
	( "$S" cat --posix shrinks "$@" >"$WORK/fifo" 2>"$WORK/shrink.err"; echo $? >"$WORK/shrink.rc" ) &
	local catter=$!
	exec 7<"$WORK/fifo"
	head -c 1 <&7 >/dev/null	# cat has mapped the object and writes
	truncate -s 0 "$D/shrinks"
	cat <&7 >/dev/null
	exec 7<&-
	wait "$catter"
	rc=$(cat "$WORK/shrink.rc") err=$(cat "$WORK/shrink.err")
	rm -f "$WORK/fifo"
}
cat_shrunk --hex
is "$rc" 1 "cat --posix --hex of an object truncated meanwhile: exit 1, not SIGBUS"
like "$err" "POSIX object shrinks shrank while it was read" "cat --posix --hex: says the object shrank"
# without --hex the bytes go by sendfile, which comes back short
cat_shrunk
is "$rc" 1 "cat --posix of an object truncated meanwhile: exit 1"
like "$err" "POSIX object shrinks shrank while it was read" "cat --posix: says it shrank, not an I/O error"

# attach-write: the object is written a MiB at a time through its file,
# its size checked before each; one shrunk meanwhile stops the write (a
# pipe is read to its end first: the check before the first MiB stops it)
"$S" create --posix shrinkw -s 2M >/dev/null
mkfifo "$WORK/wfifo"
( "$S" attach-write --posix shrinkw <"$WORK/wfifo" 2>"$WORK/shrinkw.err"; echo $? >"$WORK/shrinkw.rc" ) &
writer=$!
exec 8>"$WORK/wfifo"
head -c 512K /dev/zero >&8	# half of the first MiB
truncate -s 4096 "$D/shrinkw"
head -c 1M /dev/zero >&8 2>/dev/null
exec 8>&-
wait "$writer"
is "$(cat "$WORK/shrinkw.rc")" 1 "attach-write --posix to an object truncated meanwhile: exit 1"
like "$(cat "$WORK/shrinkw.err")" "POSIX object shrinkw shrank while it was written" \
	"attach-write --posix: says the object shrank"
rm -f "$WORK/wfifo"

done_testing
