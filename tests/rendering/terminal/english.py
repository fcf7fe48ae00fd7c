"""Find English sentences in what `sop` printed, so that a test can say none reached a Thai reader.

Allowed, because a Thai reader meets them as names, not sentences: URLs, paths and file names,
option names (`--format`) and their choices (`table|json`), environment variables (`$SOP_LANG`),
code in backquotes, ids (`m9sphy`, `inspection_visit`, `sha256`), commands (`sop status`), and
placeholders in capitals (`NUMBER`, `DIR`), dotted keys (`sop.user`) and the command names listed
in a help page. What is left is English when it has three Latin words
in a row, two with a common English word among them, or a single word of sop's English messages.
"""

from __future__ import annotations

import re

ALLOWED = re.compile(
    r"""
      (?:https?://|www\.)\S+                        # URLs
    | `[^`]*`                                       # code
    | \S*[/\\]\S*                                   # paths, folders, dates with slashes
    | [\w.-]+\.(?:docx|pdf|png|jpe?g|yaml|yml|toml|csv|xlsx|json|html|ics|zip|txt|j2|py)\b   # file names
    | (?<![\w-])--?[a-zA-Z][\w-]*(?:=\S+)?          # options: --format, -h, --lang=en
    | \$?\b[A-Z][A-Z0-9_]{1,}\b(?:\.\.\.)?          # placeholders and variables: NUMBER, SOP_LANG, DIR...
    | \b\w*(?:\d|_)\w*\b                            # ids and numbers: m9sphy, inspection_visit, sha256, 2570
    | \b[a-z]+(?:\|[a-z]+)+\b                       # choices: table|json, th|en
    | (?:\b[a-z]+,\s+)+[a-z]+\)                       # the end of a list of choices: order, incoming)
    | (?:\b[a-z]+,\s+){2,}[a-z]+\b                    # a list of ids: nanthana, saowalak, thidarat
    | \[[a-z]+\]\s+[a-z_]+                          # a sop.toml key: [ui] lang
    | \b[a-z]+\.[a-z]+\b                           # dotted keys: sop.user
    | \bsop(?:\s+[a-z]+){0,2}\b                     # sop and its command: sop holidays list
    | ^\s+[a-z]+(?=\s{2,})                         # a command's name in a help page's list
    """,
    re.VERBOSE | re.MULTILINE,
)
# Words of sop's English messages that give a sentence away even alone.
TELLTALE = {
    "error", "warning", "usage", "options", "commands", "arguments", "next", "done", "approved", "rejected",
    "cancelled", "finished", "started", "hours", "hour", "events", "problems", "found", "wrote", "invalid",
    "missing", "required", "default", "waiting", "working", "deadlines", "deadline", "evidence", "round",
    "fiscal", "procedure", "procedures", "step", "steps", "status", "note", "left", "late", "day", "days",
    "run", "runs", "try", "help", "show", "print", "write", "list", "such", "mean", "value",
}  # fmt: skip
COMMON = {
    "a", "an", "the", "is", "are", "was", "be", "not", "no", "of", "to", "in", "on", "at", "for", "with", "from",
    "by", "and", "or", "this", "that", "it", "its", "has", "have", "did", "you", "your", "as", "all", "any",
}  # fmt: skip
_LATIN_RUN = re.compile(r"[A-Za-z]+(?:'[a-z]+)?(?:[\s,;:.!?()'\"-]+[A-Za-z]+(?:'[a-z]+)?)*")


def english_sentences(text: str) -> list[str]:
    """The English sentences (runs of English words) in `text`, each as it was found."""
    found = []
    for line in text.splitlines():
        rest = ALLOWED.sub(" ", line)
        for run in _LATIN_RUN.finditer(rest):
            words = [w.lower() for w in re.findall(r"[A-Za-z]+", run.group())]
            if len(words) >= 3 or (len(words) == 2 and COMMON & set(words)) or any(w in TELLTALE for w in words):
                found.append(run.group())
    return found
