# bash completion for logfold                                -*- shell-script -*-
#
# Subcommands, options, the values of the options that have a fixed set
# (formats, --geo, --client-ip, time zones), directories for --csv, and
# files everywhere else a file goes. Installed as
# share/bash-completion/completions/logfold, loaded on first use by
# bash-completion; works without it too (`. logfold.bash`).
#
# The lists below are checked against the program by
# tests/check-completion.sh: the options and which take a value against
# `logfold --help` (made from cmd/options.c's option table), the
# subcommands against cmd/main.c's table, the formats against
# parsers/formats/logformat.c's names. A new option, subcommand or format
# fails that test until it is added here and in _logfold (zsh).

_logfold_subcommands='privacy prune merge report'
_logfold_formats='auto combined common vcombined vcommon w3c cloudfront elb alb caddy traefik haproxy squid nginx-json traefik-json matomo-json json'
# options that take a value
_logfold_with_arg='-f --format -L --log-format -N --nginx-conf -A --apache-conf
	-n --log-format-name -j --json-map -z --tz -i --client-ip -p --trusted-proxy
	-s --site -m --mask-bytes -t --session-timeout -d --db -c --csv -b --max-bad
	-k --min-visitors --geo --geoip --geoip-field --site-alias --site-allow
	--page-allow --page-exclude --page-rewrite --keep-query --optout-cookie
	--optout-field --beacon-path --tracker-path -u --uap-regexes -g --grace
	-r --rebuild -R --retention --shard -w --wait --jobs --config --report --from --to -o --output
	--day'
# switches
_logfold_switches='--referrer-domain --any-content-type --page-allow-drop --keep-path-ids --honor-gpc
	--honor-dnt -C --close-all -q --quiet --progress --no-progress --json
	--text --public
	-h --help -V --version'

# _logfold_files CUR [-d]: files (directories with -d) starting with CUR,
# added to COMPREPLY, one a line so that a name with spaces stays whole.
_logfold_files()
{
	local IFS=$'\n'
	COMPREPLY+=($(compgen "${2:--f}" -- "$1"))
	compopt -o filenames 2>/dev/null
}

# _logfold_value OPTION CUR: the candidates for OPTION's value; returns 1
# when OPTION takes none.
_logfold_value()
{
	local IFS=$' \t\n'
	case $1 in
	-f | --format)
		COMPREPLY=($(compgen -W "$_logfold_formats" -- "$2")) ;;
	--geo)
		COMPREPLY=($(compgen -W 'country region off' -- "$2")) ;;
	-i | --client-ip)
		COMPREPLY=($(compgen -W 'remote xff-first xff-last header:' -- "$2"))
		[[ ${COMPREPLY[0]-} == header: ]] && compopt -o nospace 2>/dev/null ;;
	--beacon-path | --tracker-path)
		COMPREPLY=($(compgen -W 'none' -- "$2")) ;;
	-u | --uap-regexes)
		COMPREPLY=($(compgen -W 'none' -- "$2"))
		_logfold_files "$2" ;;
	-c | --csv)
		_logfold_files "$2" -d ;;
	-d | --db | -N | --nginx-conf | -A | --apache-conf | --geoip | --config | --report | \
		-o | --output)
		_logfold_files "$2" ;;
	-z | --tz)
		# IANA names: the files under the system's tzdata
		local IFS=$'\n'
		COMPREPLY=($(cd /usr/share/zoneinfo 2>/dev/null && compgen -f -- "$2"))
		compopt -o filenames 2>/dev/null ;;
	*)
		case " ${_logfold_with_arg//[$'\t\n']/ } " in
		*" $1 "*) ;; # a value of its own: nothing to offer
		*) return 1 ;;
		esac ;;
	esac
	return 0
}

_logfold()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local IFS=$' \t\n' sub=
	COMPREPLY=()
	# --option=value: bash splits the word at '='
	if [[ $cur == = ]]; then
		prev=${COMP_WORDS[COMP_CWORD - 1]} cur=
	elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
		prev=${COMP_WORDS[COMP_CWORD - 2]}
	fi
	# only the first word names a subcommand
	case " $_logfold_subcommands " in
	*" ${COMP_WORDS[1]-} "*) ((COMP_CWORD > 1)) && sub=${COMP_WORDS[1]} ;;
	esac
	if ((COMP_CWORD > 1)) && _logfold_value "$prev" "$cur"; then
		return 0
	fi
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$_logfold_with_arg $_logfold_switches" -- "$cur"))
		return 0
	fi
	if ((COMP_CWORD == 1)); then
		COMPREPLY=($(compgen -W "$_logfold_subcommands" -- "$cur"))
	fi
	# privacy and prune read no log: only options
	[[ $sub == privacy || $sub == prune ]] && return 0
	_logfold_files "$cur"
	return 0
}

complete -F _logfold logfold
