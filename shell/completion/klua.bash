# SPDX-License-Identifier: GPL-2.0-only
# bash completion for klua(1): options, the state commands, state names
# (asked from the kernel with `klua state list`) and script files.
# Installed as share/bash-completion/completions/klua.

_klua_states()
{
    # The first column of `klua state list`, without its header; nothing if
    # the module is not loaded or klua may not talk to it.
    "${COMP_WORDS[0]}" state list 2>/dev/null | awk 'NR > 1 { print $1 }'
}

_klua()
{
    local cur prev words cword
    _init_completion || return

    case $prev in
    -s | --state)
        COMPREPLY=($(compgen -W "$(_klua_states)" -- "$cur"))
        return
        ;;
    --context)
        COMPREPLY=($(compgen -W "softirq hardirq" -- "$cur"))
        return
        ;;
    -e | --execute | --memory | --instructions | --time)
        return
        ;;
    esac
    case $cur in
    --state=* | --execute=* | --memory=* | --instructions=* | --time=* | --context=*)
        if [[ $cur == --state=* ]]; then
            COMPREPLY=($(compgen -W "$(_klua_states)" -- "${cur#--state=}"))
        elif [[ $cur == --context=* ]]; then
            COMPREPLY=($(compgen -W "softirq hardirq" -- "${cur#--context=}"))
        fi
        return
        ;;
    esac

    # The first word that is not an option (or an option's argument).
    local i first= second= after_state=0
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
        -s | --state | -e | --execute | --memory | --instructions | --time | --context)
            ((i++))
            ;;
        -*) ;;
        *)
            if [[ -z $first ]]; then
                first=${words[i]}
            elif [[ $first == state && -z $second ]]; then
                second=${words[i]}
            else
                after_state=1
            fi
            ;;
        esac
    done

    if [[ $first == state ]]; then
        if [[ -z $second ]]; then
            COMPREPLY=($(compgen -W "create list destroy" -- "$cur"))
        elif [[ $second == destroy && $after_state == 0 && $cur != -* ]]; then
            COMPREPLY=($(compgen -W "$(_klua_states)" -- "$cur"))
        elif [[ $cur == -* ]]; then
            case $second in
            create) COMPREPLY=($(compgen -W "--memory --instructions --time --context --json" -- "$cur")) ;;
            *) COMPREPLY=($(compgen -W "--json" -- "$cur")) ;;
            esac
        fi
        return
    fi
    # After a script's FILE, the rest are its arguments: files.
    if [[ -n $first ]]; then
        _filedir
        return
    fi
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "-s --state -e --execute -i --interactive --watch --json
            --help --version" -- "$cur"))
        return
    fi
    COMPREPLY=($(compgen -W "state" -- "$cur"))
    _filedir lua
}

complete -F _klua klua
