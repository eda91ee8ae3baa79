# SPDX-License-Identifier: GPL-2.0-or-later
# fish completion for shmtool(1)
#
# The commands (with their summaries), segment ids, keys and column names
# come from the program itself. Each command's options are listed below;
# tests/cli/completion-fish.sh fails when the code has one that is missing.

# the program as typed (shmtool, ./shmtool), to ask it; ended after 2
# seconds (or $SHMTOOL_COMPLETION_TIMEOUT; 0: never) when timeout(1) is
# there: a /proc or a file system that does not answer must not hang
# the shell
function __shmtool
    set -l prog (commandline -opc)[1]
    set -l limit 2
    test -n "$SHMTOOL_COMPLETION_TIMEOUT"; and set limit $SHMTOOL_COMPLETION_TIMEOUT
    if command -q timeout
        command timeout -s KILL $limit $prog $argv 2>/dev/null </dev/null
    else
        command $prog $argv 2>/dev/null </dev/null
    end
end

function __shmtool_commands
    __shmtool --help | string replace -rf '^  ([a-z][a-z0-9-]*) +(.*)$' '$1\t$2'
end

# the command: the first word that is not a global option or the value
# of one (--ipc-ns PID)
function __shmtool_command
    set -l skip 0
    for w in (commandline -opc)[2..-1]
        if test $skip = 1
            set skip 0
        else if test "$w" = --ipc-ns
            set skip 1
        else if not string match -q -- '-*' $w
            echo $w
            return 0
        end
    end
    return 1
end

# true when the command line has no command yet
function __shmtool_needs_command
    not __shmtool_command >/dev/null
end

# __shmtool_using CMD...: true when the command is one of CMD
function __shmtool_using
    set -l cmd (__shmtool_command); or return 1
    contains -- $cmd $argv
end

# --ipc-ns: a pid in each namespace that holds segments
function __shmtool_ns_pids
    __shmtool namespaces --noheadings --raw -o PID,SEGMENTS | string replace -rf '^(\S+) (\S+)$' '$1\t$2 segments'
end

# shmtool with the global --ipc-ns of the command line, if given: ids,
# keys and objects are those of that namespace
function __shmtool_in_ns
    set -l ns (__shmtool_ipc_ns)
    if test -n "$ns"
        __shmtool --ipc-ns $ns $argv
    else
        __shmtool $argv
    end
end

# __shmtool_given targets|keys|names: what the words after the command
# name already, not to be offered again: the targets (ids, or objects
# without their slash), the values of -k, --key and --exclude-key, or
# those of --exclude
function __shmtool_given
    set -l want $argv[1]
    set -l in_cmd 0
    set -l next ''
    for w in (commandline -opc)[2..-1]
        if test -n "$next"
            test $next = $want; and string replace -r '^/' '' -- $w
            set next ''
        else if test $in_cmd = 0
            # before the command: the global options, --ipc-ns PID
            if test "$w" = --ipc-ns
                set next skip
            else if not string match -q -- '-*' $w
                set in_cmd 1
            end
        else
            switch $w
                case -k --key --exclude-key
                    set next keys
                case --exclude
                    set next names
                case --ftok --time-format --offset --length --string --file
                    set next skip
                case '--key=*' '--exclude-key=*'
                    test $want = keys; and string replace -r '^[^=]*=' '' -- $w
                case '-k?*'
                    test $want = keys; and string sub -s 3 -- $w
                case '--exclude=*'
                    test $want = names; and string replace -r '^--exclude=/?' '' -- $w
                case '-*'
                case '*'
                    test $want = targets; and string replace -r '^/' '' -- $w
            end
        end
    end
end

# __shmtool_new GIVEN-KIND: the NAME<TAB>DESCRIPTION lines of standard
# input whose NAME is not among __shmtool_given GIVEN-KIND
function __shmtool_new
    set -l given (__shmtool_given $argv[1])
    while read -l line
        contains -- (string split -f1 \t -- $line) $given; or echo $line
    end
end

function __shmtool_ids
    __shmtool_in_ns list --noheadings --raw -o ID,KEY,SIZE | string replace -rf '^(\S+) (\S+) (\S+)$' '$1\tkey $2, $3' |
        __shmtool_new targets
end

# true when the command line has --posix
function __shmtool_posix
    contains -- --posix (commandline -opc)
end

# the value of the global --ipc-ns, if given
function __shmtool_ipc_ns
    set -l words (commandline -opc)
    set -l i (contains -i -- --ipc-ns $words); or return 1
    set -q words[(math $i + 1)]; and echo $words[(math $i + 1)]
end

# __shmtool_posix_names targets|names: the POSIX objects, of the mount
# namespace of the --ipc-ns process if one was given, less those given
# already (as targets, or to --exclude); after a slash, /NAME, as
# shm_open(3) takes both. The names alone are read from the directory,
# without a scan of /proc.
function __shmtool_posix_names
    set -l slash (commandline -ct | string replace -r '^--exclude=' '' | string match -r '^/')
    __shmtool_in_ns list --posix --noheadings --raw -o NAME,SIZE | string replace -rf '^(\S+) (\S+)$' '$1\t$2' |
        __shmtool_new $argv[1] | string replace -r '^' "$slash"
end

# keys of existing segments; 0x00000000 (private) names no segment; not
# those given already
function __shmtool_keys
    __shmtool_in_ns list --noheadings --raw -o KEY,ID | string match -rv '^0x00000000 ' | string replace -rf '^(\S+) (\S+)$' '$1\tid $2' |
        __shmtool_new keys
end

function __shmtool_owners --description 'the units or container ids (UNIT, CONTAINER) that hold segments'
    __shmtool_in_ns list --noheadings --raw -o $argv[1] | string split , | string replace -r '^[a-z-]*://' '' | sort -u
end

function __shmtool_columns --description 'the columns of list, or of the command given (of the objects with --posix)'
    set -l cmd list
    set -q argv[1]; and set cmd $argv[1]
    set -l posix
    test $cmd != namespaces; and __shmtool_posix; and set posix --posix
    __shmtool $cmd $posix --list-columns --raw --noheadings | string replace -rf '^(\S+) \S+ (.*)$' '$1\t$2' | string replace -a '\x20' ' '
end

# --sort: a column; none with --posix, which sorts by name
function __shmtool_sort_columns
    __shmtool_posix; or __shmtool_columns
end

# -o: a comma-separated list, + in front to add to the default columns;
# the columns already in it are not offered again
function __shmtool_column_list
    set -l tok (commandline -ct | string replace -r '^(--output=|-o)' '')
    set -l head (string match -r '^\+?(?:[^,]*,)*' -- $tok)
    set -l given (string upper -- (string split , -- (string trim -l -c + -- $head)))
    for c in (__shmtool_columns $argv)
        contains -- (string split -f1 \t -- $c) $given; or echo $head$c
    end
end

complete -c shmtool -f

# global options and the command
complete -c shmtool -n __shmtool_needs_command -l ipc-ns -r -F -a '(__shmtool_ns_pids)' -d 'Run in the IPC namespace of PID or a namespace file'
complete -c shmtool -n __shmtool_needs_command -s h -l help -d 'Show help and exit'
complete -c shmtool -n __shmtool_needs_command -s V -l version -d 'Show the version and exit'
complete -c shmtool -n __shmtool_needs_command -a '(__shmtool_commands)'

# every command
complete -c shmtool -n 'not __shmtool_needs_command' -s h -l help -d 'Show help and exit'

# naming segments
set -l __shmtool_naming attach-write cat stat rm
complete -c shmtool -n "__shmtool_using $__shmtool_naming; and not __shmtool_posix" -a '(__shmtool_ids)'
complete -c shmtool -n "__shmtool_using $__shmtool_naming; and __shmtool_posix" -a '(__shmtool_posix_names targets)'
complete -c shmtool -n "__shmtool_using $__shmtool_naming create" -l posix -d 'POSIX shared memory objects (/dev/shm) by name instead'
complete -c shmtool -n "__shmtool_using $__shmtool_naming" -s k -l key -x -a '(__shmtool_keys)' -d 'The segment by key'
complete -c shmtool -n "__shmtool_using $__shmtool_naming" -l ftok -r -F -d 'The segment by the key ftok(3) gives'

# create
set -l c '__shmtool_using create'
complete -c shmtool -n $c -s s -l size -x -d 'Size in bytes, or with K, M, G, T, KB, MB... suffixes'
complete -c shmtool -n $c -s k -l key -x -d "The segment's key"
complete -c shmtool -n $c -l ftok -r -F -d 'The key ftok(3) gives for PATH[:PROJ]'
complete -c shmtool -n $c -s m -l mode -x -d 'Octal permissions (default 0600)'
complete -c shmtool -n $c -l reuse -d "If the key exists, print that segment's id"
complete -c shmtool -n $c -l hugetlb -d 'Use huge pages (SHM_HUGETLB)'
complete -c shmtool -n $c -l noreserve -d 'Reserve no swap space (SHM_NORESERVE)'
complete -c shmtool -n $c -l lock -d 'Lock the segment in memory (SHM_LOCK)'
complete -c shmtool -n $c -l sem -d 'Make the semaphore set beside it too (--sem=KEY: of KEY)'
complete -c shmtool -n $c -s J -l json -d 'Print id, key and size as JSON'

# attach-write
set -l c '__shmtool_using attach-write'
complete -c shmtool -n $c -l string -x -d 'Write this text'
complete -c shmtool -n $c -l file -r -F -d 'Write the contents of a file'
complete -c shmtool -n $c -l offset -x -d 'Start at this byte of the segment'
complete -c shmtool -n $c -l nul -d 'Write a NUL byte after the data'
complete -c shmtool -n $c -s v -l verbose -d 'Report the bytes written'
complete -c shmtool -n $c -l sem -x -d 'Hold the semaphore of the set KEY while copying'
complete -c shmtool -n $c -l sem-ftok -r -F -d 'The set by the key ftok(3) gives'
complete -c shmtool -n $c -l sem-num -x -d 'The semaphore of the set (default 0)'
complete -c shmtool -n $c -l wait -x -d 'Wait at most this long for it (0: once)'

# cat
set -l c '__shmtool_using cat'
complete -c shmtool -n $c -l offset -x -d 'Start at this byte'
complete -c shmtool -n $c -l length -x -d 'At most this many bytes'
complete -c shmtool -n $c -l string -d 'Stop at the first NUL byte'
complete -c shmtool -n $c -s N -l newline -d 'End the output with a newline'
complete -c shmtool -n $c -s x -l hex -d 'A hex dump instead of the raw bytes'
complete -c shmtool -n $c -l sem -x -d 'Hold the semaphore of the set KEY while copying'
complete -c shmtool -n $c -l sem-ftok -r -F -d 'The set by the key ftok(3) gives'
complete -c shmtool -n $c -l sem-num -x -d 'The semaphore of the set (default 0)'
complete -c shmtool -n $c -l wait -x -d 'Wait at most this long for it (0: once)'

# list
set -l c '__shmtool_using list'
complete -c shmtool -n $c -s A -l all-namespaces -d 'The segments of every IPC namespace (with --posix, objects of every mount namespace), NS first'
complete -c shmtool -n $c -l orphaned -d 'Only segments nobody is attached to'
complete -c shmtool -n $c -s u -l user -x -a '(__fish_complete_users)' -d 'Only segments owned by USER'
complete -c shmtool -n $c -l key -x -a '(__shmtool_keys)' -d 'Only the segment with KEY'
complete -c shmtool -n $c -l unit -x -a '(__shmtool_owners UNIT)' -d 'Only segments of this systemd unit'
complete -c shmtool -n $c -l container -x -a '(__shmtool_owners CONTAINER)' -d 'Only segments of containers whose id begins so'
complete -c shmtool -n $c -l posix -d 'POSIX shared memory objects (/dev/shm) instead'
complete -c shmtool -n $c -s o -l output -x -a '(__shmtool_column_list)' -d 'Columns to show (+LIST appends)'
complete -c shmtool -n $c -l output-all -d 'Show every column'
complete -c shmtool -n $c -l notruncate -d 'Never cut a cell to fit the terminal'
complete -c shmtool -n $c -s H -l list-columns -d 'List the columns and exit'
complete -c shmtool -n $c -l sort -x -a '(__shmtool_sort_columns)' -d 'Sort by COLUMN (-COLUMN: largest first)'
complete -c shmtool -n $c -l reverse -d 'Sort the other way round'
complete -c shmtool -n $c -s J -l json -d 'JSON output'
complete -c shmtool -n $c -s r -l raw -d 'Raw output'
complete -c shmtool -n $c -s e -l export -d 'NAME="value" pairs'
complete -c shmtool -n $c -s n -l noheadings -d 'No header line'
complete -c shmtool -n $c -s b -l bytes -d 'Exact sizes in bytes'
complete -c shmtool -n $c -l numeric-perms -d 'Permissions in octal'

# stat
set -l c '__shmtool_using stat'
complete -c shmtool -n $c -s M -l memory -d 'Also resident and swapped bytes'
complete -c shmtool -n $c -s J -l json -d 'JSON output'

# list and stat
complete -c shmtool -n '__shmtool_using list stat' -l time-format -x -a 'short full iso' -d 'How to show times'

# rm
complete -c shmtool -n '__shmtool_using rm' -s v -l verbose -d 'Name each segment removed'
complete -c shmtool -n '__shmtool_using rm' -l sem -d 'Also remove the semaphore set of the same key'

# chmod, chown: the mode or the owner first, then segments (with --posix
# objects); lock, unlock: segments
function __shmtool_has_operand --description 'true when the command already has an argument that is no option'
    set -l seen 0
    set -l skip 0
    for w in (commandline -opc)[2..-1]
        if test $skip = 1
            set skip 0
        else if contains -- $w --ipc-ns -k --key --ftok
            set skip 1
        else if not string match -q -- '-*' $w
            set seen (math $seen + 1)
        end
    end
    # the first operand is the command itself
    test $seen -gt 1
end
set -l c '__shmtool_using chmod chown lock unlock'
complete -c shmtool -n $c -s k -l key -x -a '(__shmtool_keys)' -d 'A segment by key'
complete -c shmtool -n $c -l ftok -r -F -d 'A segment by the key ftok(3) gives'
complete -c shmtool -n $c -s v -l verbose -d 'Say what changed'
complete -c shmtool -n '__shmtool_using lock unlock' -a '(__shmtool_ids)'
complete -c shmtool -n '__shmtool_using chmod chown; and __shmtool_has_operand; and not __shmtool_posix' -a '(__shmtool_ids)'
complete -c shmtool -n '__shmtool_using chmod chown; and __shmtool_has_operand; and __shmtool_posix' -a '(__shmtool_posix_names targets)'
complete -c shmtool -n '__shmtool_using chmod chown' -l posix -d 'POSIX shared memory objects (/dev/shm) by name instead'
complete -c shmtool -n '__shmtool_using chown; and not __shmtool_has_operand' -a '(__fish_complete_users)'

# gc
set -l c '__shmtool_using gc'
complete -c shmtool -n $c -l older-than -x -d 'Only orphans idle for longer (90s, 15m, 2h, 7d)'
complete -c shmtool -n $c -s u -l user -x -a '(__fish_complete_users)' -d 'Only segments owned by USER'
complete -c shmtool -n $c -l creator-gone -d 'Only segments whose creator no longer runs'
complete -c shmtool -n $c -l key -x -a '(__shmtool_keys)' -d 'Only the segment with KEY'
complete -c shmtool -n $c -l private -d 'Only private segments (key 0)'
complete -c shmtool -n $c -l keyed -d 'Only segments with a key'
complete -c shmtool -n $c -l min-size -x -d 'Only segments of SIZE or more'
complete -c shmtool -n $c -l exclude-key -x -a '(__shmtool_keys)' -d 'Never remove the segment with KEY'
complete -c shmtool -n $c -l unit -x -a '(__shmtool_owners UNIT)' -d 'Only segments whose running creator is in this systemd unit'
complete -c shmtool -n $c -l container -x -a '(__shmtool_owners CONTAINER)' -d 'Only segments whose running creator is in a container whose id begins so'
complete -c shmtool -n $c -s A -l all-namespaces -d 'In every IPC namespace, NS first'
complete -c shmtool -n $c -l posix -d 'POSIX objects in /dev/shm nobody maps or holds open'
complete -c shmtool -n $c -l exclude -x -a '(__shmtool_posix_names names)' -d 'With --posix: never remove NAME'
complete -c shmtool -n $c -l dry-run -d 'Remove nothing; show what would go'
complete -c shmtool -n $c -s i -l interactive -d 'Ask before each removal'
complete -c shmtool -n $c -l force -d 'With --posix: remove even while some processes cannot be inspected'
complete -c shmtool -n $c -s q -l quiet -d 'Print nothing but errors'
complete -c shmtool -n $c -s o -l output -x -a '(__shmtool_column_list gc)' -d 'Columns to show (+LIST appends)'
complete -c shmtool -n $c -l output-all -d 'Show every column'
complete -c shmtool -n $c -l notruncate -d 'Never cut a cell to fit the terminal'
complete -c shmtool -n $c -s H -l list-columns -d 'List the columns and exit'
complete -c shmtool -n $c -s J -l json -d 'JSON output, with a summary'
complete -c shmtool -n $c -s r -l raw -d 'Raw output'
complete -c shmtool -n $c -s e -l export -d 'NAME="value" pairs'
complete -c shmtool -n $c -s n -l noheadings -d 'No header line'
complete -c shmtool -n $c -s b -l bytes -d 'Exact sizes in bytes'
complete -c shmtool -n $c -l numeric-perms -d 'Permissions in octal'
complete -c shmtool -n $c -l time-format -x -a 'short full iso' -d 'How to show times'

# namespaces
set -l c '__shmtool_using namespaces'
complete -c shmtool -n $c -s a -l all -d 'Also the namespaces without segments'
complete -c shmtool -n $c -s o -l output -x -a '(__shmtool_column_list namespaces)' -d 'Columns to show (+LIST appends)'
complete -c shmtool -n $c -l output-all -d 'Show every column'
complete -c shmtool -n $c -l notruncate -d 'Never cut a cell to fit the terminal'
complete -c shmtool -n $c -s H -l list-columns -d 'List the columns and exit'
complete -c shmtool -n $c -s J -l json -d 'JSON output'
complete -c shmtool -n $c -s r -l raw -d 'Raw output'
complete -c shmtool -n $c -s e -l export -d 'NAME="value" pairs'
complete -c shmtool -n $c -s n -l noheadings -d 'No header line'
complete -c shmtool -n $c -s b -l bytes -d 'Exact sizes in bytes'

# limits
set -l c '__shmtool_using limits'
complete -c shmtool -n $c -l usage -d 'What is used instead (ipcs -u)'
complete -c shmtool -n $c -l posix -d 'The file system of /dev/shm instead'
complete -c shmtool -n $c -s o -l output -x -a '(__shmtool_column_list limits)' -d 'Columns to show (+LIST appends)'
complete -c shmtool -n $c -l output-all -d 'Show every column'
complete -c shmtool -n $c -l notruncate -d 'Never cut a cell to fit the terminal'
complete -c shmtool -n $c -s H -l list-columns -d 'List the columns and exit'
complete -c shmtool -n $c -s J -l json -d 'JSON output'
complete -c shmtool -n $c -s r -l raw -d 'Raw output'
complete -c shmtool -n $c -s e -l export -d 'NAME="value" pairs'
complete -c shmtool -n $c -s n -l noheadings -d 'No header line'
complete -c shmtool -n $c -s b -l bytes -d 'Exact sizes in bytes'

# metrics
complete -c shmtool -n '__shmtool_using metrics' -l textfile -r -F -d 'Write to FILE, atomically'
complete -c shmtool -n '__shmtool_using metrics' -l output -r -F -d 'The old name of --textfile'
complete -c shmtool -n '__shmtool_using metrics' -l posix -d 'The POSIX objects of /dev/shm too'
complete -c shmtool -n '__shmtool_using metrics' -s A -l all-namespaces -d 'Every IPC namespace, labelled'

# ftok PATH [PROJ]
complete -c shmtool -n '__shmtool_using ftok' -F
