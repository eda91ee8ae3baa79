#!/usr/bin/env zsh
# zsh-complete.zsh FPATH-DIR LINE: the matches zsh's completion system
# offers for LINE<TAB>, one a line, as an interactive zsh (in a zpty) with
# the completion functions of FPATH-DIR computes them.
emulate -L zsh
zmodload zsh/zpty || exit 3
dir=$1 line=$2
tmp=$(mktemp -d) || exit 3
trap 'zpty -d cz 2>/dev/null; rm -rf $tmp' EXIT

cat >$tmp/init.zsh <<INIT
PS1='' RPS1='' PROMPT_EOL_MARK=''
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

zpty cz zsh -f -i
zpty -w cz "source $tmp/init.zsh; touch $tmp/ready"
for i in {1..100}; do [[ -e $tmp/ready ]] && break; sleep 0.1; done
[[ -e $tmp/ready ]] || exit 3
touch $tmp/hits
zpty -w -n cz "$line"$'\t'
zpty -w -n cz $'\C-u'
zpty -w cz "touch $tmp/done"
for i in {1..100}; do [[ -e $tmp/done ]] && break; sleep 0.1; done
[[ -e $tmp/done ]] || exit 3
sort -u $tmp/hits
