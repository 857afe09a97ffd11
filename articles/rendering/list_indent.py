"""Lists nest as writers type them on GitHub and in kramdown, not only Python-Markdown's way.

Python-Markdown nests a list item's content only when it is indented four spaces per
level; kramdown, GitHub and every CommonMark editor nest it under the column where the
item's text starts (two spaces after ``-``, three after ``1.``). Writers type both, and
Jekyll archives are full of the second, which Python-Markdown flattens into one level
and whose fenced code blocks it turns into prose.

The maintained extension for this (mdx_truly_sane_lists with ``nested_indent: 2``)
trades one for the other: it stops nesting four-space lists. So this preprocessor
rewrites the indentation of list content to Python-Markdown's four spaces per level,
following CommonMark's rule of the content column, before any block is parsed. It also
lets a bullet list start right after a paragraph line (``以下の通り:`` then ``- a``),
as CommonMark does, by putting the blank line Python-Markdown needs in front of it.
A definition (``: `` under a term) is a list item too: kramdown and PHP Markdown Extra
continue it under the column its text starts at, so its own lists and paragraphs stay
in it rather than splitting the definition list in two. Lines inside fenced code are
moved with their fence and never read.
"""

import re
from dataclasses import dataclass

from markdown import Extension
from markdown.preprocessors import Preprocessor

# A list marker and the spaces after it: "- ", "* ", "+ ", "1. ", "1) ".
_MARKER = re.compile(r"^(?P<indent> *)(?P<marker>[-*+]|\d{1,9}[.)])(?P<gap> {1,4}|$)")
_FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})")
_DEFINITION = re.compile(r"^(?P<indent> {0,3}):(?P<gap> {1,3})(?=\S)")
_RULE = re.compile(r"^ {0,3}([-*_])( *\1){2,} *$")  # "- - -" is a rule, not an item
_STEP = 4  # Python-Markdown's indentation of one level


@dataclass
class _Item:
    source_column: int  # where the item's text starts in the source
    target_column: int  # where it starts once rewritten
    definition: bool = False


def _shift(line, source_column, target_column):
    """``line`` moved from one content column to another, keeping its indentation
    relative to that column."""
    indent = len(line) - len(line.lstrip(" "))
    relative = max(indent - source_column, 0)
    return " " * (target_column + relative) + line.lstrip(" ")


def normalise(lines):
    """``lines`` with list content indented four spaces per level."""
    out = []
    items: list[_Item] = []
    fence = None  # (characters, length, source column, target column) inside fenced code
    previous_blank = True
    previous_paragraph = False
    after_term = False  # a definition may follow: a paragraph line, perhaps then blank lines
    for line in lines:
        if fence is not None:
            out.append(_shift(line, fence[2], fence[3]) if line.strip() else line)
            previous_blank, previous_paragraph = False, False
            closing = _FENCE.match(line)
            if closing and closing["fence"][0] == fence[0] and len(closing["fence"]) >= fence[1] \
                    and not line.strip().strip(fence[0]):
                fence = None
                if items:
                    out.append("")  # the item, or the list, goes on after the block
                    previous_blank = True
            continue
        if not line.strip():
            out.append(line)
            after_term = after_term or (previous_paragraph and not items)
            previous_blank, previous_paragraph = True, False
            continue
        indent = len(line) - len(line.lstrip(" "))
        definition = _DEFINITION.match(line)
        if definition and (after_term or (items and items[0].definition and indent < items[0].source_column)):
            out.append(":" + " " * (_STEP - 1) + line[definition.end():])
            items = [_Item(definition.end(), _STEP, definition=True)]
            nested = _MARKER.match(line[definition.end():])
            if nested and not _RULE.match(line[definition.end():]):
                # A list begun on the definition's own line: its items nest under it.
                gap = len(nested["gap"]) if nested["gap"] else 1
                items.append(_Item(definition.end() + len(nested["marker"]) + gap, 2 * _STEP))
            previous_blank, previous_paragraph, after_term = False, False, False
            continue
        marker = None if _RULE.match(line) else _MARKER.match(line)
        if marker is not None and not items and indent >= _STEP:
            marker = None  # four spaces outside a list: an indented code block
        if marker is not None:
            in_list = bool(items)
            while items and indent < items[-1].source_column:
                items.pop()
            if not in_list and previous_paragraph and marker["marker"] in "-*+":
                out.append("")  # CommonMark lets a bullet list interrupt a paragraph
            target_indent = items[-1].target_column if items else 0
            gap = len(marker["gap"]) if marker["gap"] else 1
            source_column = indent + len(marker["marker"]) + gap
            rest = line[marker.end():]
            out.append(" " * target_indent + marker["marker"] + " " + rest)
            items.append(_Item(source_column, target_indent + _STEP))
            previous_blank, previous_paragraph = False, False
            continue
        while items and indent < items[-1].source_column and previous_blank:
            items.pop()
        opening = _FENCE.match(line)
        if items and indent >= items[-1].source_column:
            item = items[-1]
            moved = _shift(line, item.source_column, item.target_column)
            if opening:
                fence = (opening["fence"][0], len(opening["fence"]), indent, len(moved) - len(moved.lstrip(" ")))
                if not previous_blank:
                    out.append("")  # a fence in an item is a block of its own
            out.append(moved)
        else:
            # Outside any list, or a lazy continuation line of an item's paragraph.
            if opening and not items:
                fence = (opening["fence"][0], len(opening["fence"]), indent, indent)
            out.append(line)
        previous_blank = False
        previous_paragraph = fence is None and not line.lstrip().startswith(("#", ">", "|", "<"))
        after_term = previous_paragraph and not items and indent < _STEP
    return out


class _ListIndent(Preprocessor):
    def run(self, lines):
        return normalise(lines)


class ListIndentExtension(Extension):
    def extendMarkdown(self, md):
        # After whitespace is normalised (30, tabs expanded), before fenced code (25)
        # and raw HTML (20) are set aside.
        md.preprocessors.register(_ListIndent(md), "list_indent", 29)
