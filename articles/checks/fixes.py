"""Mechanical fixes, made in the Markdown: ``old`` becomes ``new`` where the analyser
reads ``old`` as whole words (出来 in 出来ます, never the 出来 of 出来事 or 出来上がり),
in the writer's prose only: not in code (fenced, indented, `spans`), link targets or
titles, HTML tags, addresses, quotations (「」『』“” and "…") or quoted blocks (>)."""

import re

from articles.checks.prose import quoted_spans
from articles.rendering import japanese
from articles.rendering.fences import TEXT, fence_kinds

_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s")
_PROTECTED = re.compile(r"`+[^`\n]*`+|!?\[[^\]\n]*\]\([^)\s]*\)|\]\([^)\s]*\)|<[^>\n]*>|(?:https?://|www\.)\S+")


def apply_fix(text, old, new):
    """``text`` with ``old`` replaced by ``new`` in its prose; ``(text, replacements)``."""
    if not old or old not in text:
        return text, 0
    lines, count, in_list = [], 0, False
    for line, kind, _match in fence_kinds(text.split("\n")):
        if kind != TEXT:
            lines.append(line)
            continue
        if _LIST_ITEM.match(line):
            in_list = True
        elif line.strip() and not line.startswith((" ", "\t")):
            in_list = False
        # Indented four spaces: code, unless it is a list's nested item or continuation.
        code = line.startswith(("    ", "\t")) and not in_list
        if code or line.lstrip().startswith(">") or old not in line:
            lines.append(line)
            continue
        fixed, replaced = _fix_line(line, old, new)
        lines.append(fixed)
        count += replaced
    return "\n".join(lines), count


def _fix_line(line, old, new):
    protected = [match.span() for match in _PROTECTED.finditer(line)]
    protected += quoted_spans(line)
    pieces, count, position = [], 0, 0
    for start, end in [*_merged(protected), (len(line), len(line))]:
        prose = line[position:start]
        if old in prose:
            prose, replaced = _replace_words(prose, old, new)
            count += replaced
        pieces += [prose, line[start:end]]
        position = max(position, end)
    return "".join(pieces), count


def _merged(spans):
    merged = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _replace_words(prose, old, new):
    """``old`` replaced where it begins and ends on the analyser's word boundaries."""
    words = japanese.words(prose)
    starts = {word.start for word in words}
    ends = {word.end for word in words}
    pieces, count, position = [], 0, 0
    for match in re.finditer(re.escape(old), prose):
        if match.start() >= position and match.start() in starts and match.end() in ends:
            pieces += [prose[position:match.start()], new]
            position = match.end()
            count += 1
    pieces.append(prose[position:])
    return "".join(pieces), count
