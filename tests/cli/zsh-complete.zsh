#!/usr/bin/env zsh
# SPDX-License-Identifier: GPL-2.0-or-later
# zsh-complete.zsh FPATH-DIR LINE [screen]: the matches zsh's completion
# system offers for LINE<TAB>, one a line, as an interactive zsh (in a
# zpty) with the completion functions of FPATH-DIR computes them. With
# "screen": the text the terminal shows instead (messages and lists, no
# escape sequences), with a warnings format as many configurations set.
emulate -L zsh
zmodload zsh/zpty || exit 3
dir=$1 line=$2 mode=$3
tmp=$(mktemp -d) || exit 3
trap 'zpty -d cz 2>/dev/null; rm -rf $tmp' EXIT

cat >$tmp/init.zsh <<INIT
RPS1='' PROMPT_EOL_MARK=''
fpath=(${(q)dir} \$fpath)
autoload -Uz compinit && compinit -u -d $tmp/zcompdump
# record every match added, as compadd would add it
compadd() {
  if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then
    builtin compadd "\$@"; return
  fi
  local -a __hits
  builtin compadd -A __hits "\$@"
  (( \$#__hits )) && print -rl -- \$__hits >>$tmp/hits
  builtin compadd "\$@"
}
zstyle ':completion:*' list-prompt ''
zstyle ':completion:*' select-prompt ''
INIT
[[ $mode == screen ]] &&
  print -r -- "zstyle ':completion:*:warnings' format 'no matches for: %d'" >>$tmp/init.zsh

# Each step waits for the shell's own word that it is ready, read from
# the terminal: no clock involved. The line editor is reading when the
# prompt (PS1, a word split by an empty %{%} in its text, so that no
# echo of typed text matches it) is printed.
zpty cz zsh -f -i
zpty -w cz "PS1='ZLE%{%}-READY> '; source $tmp/init.zsh"
zpty -r -m cz out '*ZLE-READY> *' || exit 3
touch $tmp/hits
zpty -w -n cz "$line"$'\t'
zpty -w -n cz $'\C-u'
zpty -w cz "print -r -- \${:-DO}NE"
zpty -r -m cz out '*DONE*ZLE-READY> *' || exit 3
if [[ $mode == screen ]]; then
  setopt extended_glob
  print -r -- ${${out//$'\e'\[[0-9;?]#[a-zA-Z]/}//$'\r'/}
else
  sort -u $tmp/hits
fi
