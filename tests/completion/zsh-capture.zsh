# zsh-capture.zsh DIR WORDS - what zsh's completion offers after WORDS,
# with the completion functions of DIR first in fpath: an interactive zsh
# on a pseudo-terminal (zsh/zpty) types WORDS and a TAB; a compadd wrapper
# prints every candidate it is given as "@@@C" and the candidate, and ^X
# prints "@@@DONE" once the completion is over. For
# tests/check-completion.sh, which picks the @@@C lines out.
zmodload zsh/zpty
dir=$1; shift
zpty z zsh -f -i
zpty -w z "PS1=''; fpath=($dir \$fpath); autoload -Uz compinit; compinit -u -D"
zpty -w z 'zstyle ":completion:*" list-grouped false; zstyle ":completion:*" menu no'
zpty -w z 'compadd() { local -a __h; builtin compadd -O __h "$@"; local o=${(l:3::@:)}; (( $#__h )) && print -rl -- ${o}C${^__h}; builtin compadd "$@" }'
zpty -w z 'zle_done() { print "${(l:3::@:)}DONE"; }; zle -N zle_done; bindkey "^X" zle_done; bindkey "^I" complete-word'
zpty -n -w z "$*"$'\t'$'\x18'
while zpty -r z line; do
	print -r -- "$line"
	[[ $line == *'@@@DONE'* ]] && break
done
zpty -d z
