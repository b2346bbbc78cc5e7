"""Shell completion for bash, zsh and fish that quotes what it inserts and completes names in
every script: cnblock's own scripts and protocol in place of Typer's.

Typer's scripts hand the shell's words over as one string split again by Python, so a quote
typed on the line is lost, and they insert `Meituan Dianping` unquoted (two words for the
shell); bash falls back to file names when nothing matches. Here each shell passes the words
before the cursor already unquoted by the shell itself (bash: the line up to the cursor, split
here as bash would), Python answers with a mode line (`plain`, or `files` to let the shell
complete file names) and one candidate a line (`value<TAB>description` for zsh and fish), and
the shell quotes the value as it inserts it: bash through `compopt -o filenames`, zsh through
`compadd`, fish by itself.

Imported only when the shell asks for completion (_CNBLOCK_COMPLETE) or for its script.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from typer._click.shell_completion import CompletionItem, ShellComplete, add_completion_class

WORDS_ENV = "_CNBLOCK_WORDS"
"""The words between the program's name and the word being completed, one a line."""
INCOMPLETE_ENV = "_CNBLOCK_INCOMPLETE"
"""The word being completed, up to the cursor, unquoted."""
LINE_ENV = "_CNBLOCK_LINE"
"""bash: the command line up to the cursor, as typed."""

BASH = r"""
%(complete_func)s() {
    local reply mode line
    COMPREPLY=()
    reply=$(env _CNBLOCK_LINE="${COMP_LINE:0:COMP_POINT}" \
        %(autocomplete_var)s=complete_bash "$1" 2>/dev/null) || return 0
    {
        IFS= read -r mode
        while IFS= read -r line; do
            [[ -n $line ]] && COMPREPLY+=("$line")
        done
    } <<< "$reply"
    if [[ $mode == files ]]; then
        COMPREPLY=()
        compopt -o default 2>/dev/null
        return 0
    fi
    # readline quotes each value as it inserts it (Meituan\ Dianping, or inside the quote
    # the user opened) and lists them unquoted
    (( ${#COMPREPLY[@]} )) && compopt -o filenames 2>/dev/null
    return 0
}

complete -o nosort -F %(complete_func)s %(prog_name)s
"""

ZSH = r"""
#compdef %(prog_name)s

%(complete_func)s() {
  local -a reply values shown
  local item
  reply=("${(@f)$(env _CNBLOCK_WORDS="${(pj:\n:)${(@Q)words[2,CURRENT-1]}}" \
      _CNBLOCK_INCOMPLETE="$PREFIX" %(autocomplete_var)s=complete_zsh %(prog_name)s 2>/dev/null)}")
  if [[ ${reply[1]} == files ]]; then
    _files
    return
  fi
  for item in "${(@)reply[2,-1]}"; do
    [[ -z $item ]] && continue
    values+=("${item%%%%$'\t'*}")
    if [[ $item == *$'\t'?* ]]; then
      shown+=("${item%%%%$'\t'*} -- ${item#*$'\t'}")
    else
      shown+=("${item%%%%$'\t'*}")
    fi
  done
  (( ${#values} )) || return 1
  # -U: the values replace what was typed (비 becomes 비야디, meit becomes Meituan
  # Dianping); compadd quotes them for the line
  compadd -U -l -d shown -a values
}

compdef %(complete_func)s %(prog_name)s
"""

FISH = r"""
function %(complete_func)s
    set -l before (commandline -opc)
    set -l reply (env _CNBLOCK_WORDS=(string join \n -- $before[2..-1] | string collect) \
        _CNBLOCK_INCOMPLETE=(commandline -ct | string unescape | string collect) \
        %(autocomplete_var)s=complete_fish %(prog_name)s 2>/dev/null)
    if test "$reply[1]" = files
        __fish_complete_path (commandline -ct | string unescape)
    else
        printf '%%s\n' $reply[2..-1]
    end
end
complete --command %(prog_name)s --no-files --arguments '(%(complete_func)s)'
"""

SCRIPTS = {"bash": BASH, "zsh": ZSH, "fish": FISH}


def split_line(line: str) -> tuple[list[str], str]:
    """The words of a bash command line typed up to the cursor, unquoted as bash would
    (quotes and backslashes), and the last word if the cursor is still in it ('' after a
    space). An unclosed quote is taken as closed: it is the word being typed."""
    words: list[str] = []
    word: list[str] = []
    started = False
    quote = ""
    chars = iter(line)
    for char in chars:
        if quote:
            quote = _quoted(quote, char, chars, word)
        elif char in "'\"":
            quote, started = char, True
        elif char == "\\":
            word.append(next(chars, ""))
            started = True
        elif char in " \t\n":
            if started:
                words.append("".join(word))
                word, started = [], False
        else:
            word.append(char)
            started = True
    return words, "".join(word) if started else ""


def _quoted(quote: str, char: str, chars: Iterator[str], word: list[str]) -> str:
    """One character inside quotes added to `word`; the quote still open after it."""
    if char == quote:
        return ""
    if quote == '"' and char == "\\":
        following = next(chars, "")
        word.append(following if following in '"\\$`' else "\\" + following)
    else:
        word.append(char)
    return quote


def _clean(text: str) -> str:
    """One line of the protocol: no tabs or line breaks inside a value or description."""
    return " ".join(text.split())


class _Complete(ShellComplete):
    """What the three shells share: the words from the environment, the mode line, one
    candidate a line."""

    with_help = True

    def source_vars(self) -> dict[str, Any]:
        return {
            "complete_func": self.func_name,
            "autocomplete_var": self.complete_var,
            "prog_name": self.prog_name,
        }

    def get_completion_args(self) -> tuple[list[str], str]:
        words = os.environ.get(WORDS_ENV, "")
        return [w for w in words.split("\n") if w], os.environ.get(INCOMPLETE_ENV, "")

    def format_completion(self, item: CompletionItem) -> str:
        value = _clean(item.value)
        if self.with_help and item.help:
            return f"{value}\t{_clean(item.help)}"
        return value

    def get_completions(self, args: list[str], incomplete: str) -> list[CompletionItem]:
        """The candidates for `incomplete`, matched without regard to case or width: a value
        is asked for with an empty word (see common.TYPED), then filtered here."""
        from cnblock import query
        from cnblock.commands import common

        option, value = "", incomplete
        if incomplete.startswith("-"):
            if "=" not in incomplete:  # an option's name
                return super().get_completions(args, incomplete)
            option, _, value = incomplete.partition("=")  # --company=meit
            option += "="
        common.TYPED.append(value)
        try:
            items = super().get_completions(args, option)
        finally:
            common.TYPED.pop()
        wanted = query.fold(value)
        return [i for i in items if i.type != "plain" or query.fold(i.value).startswith(wanted)]

    def complete(self) -> str:
        args, incomplete = self.get_completion_args()
        items = self.get_completions(args, incomplete)
        if any(item.type in ("file", "dir") for item in items):
            return "files"
        return "\n".join(["plain", *(self.format_completion(item) for item in items)])


class BashComplete(_Complete):
    name = "bash"
    source_template = BASH
    with_help = False  # bash shows values only

    def get_completion_args(self) -> tuple[list[str], str]:
        words, incomplete = split_line(os.environ.get(LINE_ENV, ""))
        return words[1:], incomplete


class ZshComplete(_Complete):
    name = "zsh"
    source_template = ZSH


class FishComplete(_Complete):
    name = "fish"
    source_template = FISH


def register() -> None:
    """Use these scripts and classes for bash, zsh and fish: for `_CNBLOCK_COMPLETE=...`
    and for Typer's --install-completion and --show-completion."""
    from typer import _completion_shared

    for shell in (BashComplete, ZshComplete, FishComplete):
        add_completion_class(shell, shell.name)
        _completion_shared._completion_scripts[shell.name] = shell.source_template
