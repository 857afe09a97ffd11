"""kramdown's own syntax in imported posts, turned into the Markdown the desk renders.

Most of what kramdown reads, Python-Markdown reads too (articles/rendering/markdown.py: lists
two spaces deep, fences in list items, strike-through, tables, footnotes, definition
lists, abbreviations, span attribute lists). What it does not read would show as text,
so it is rewritten here once, at import, and each rewrite is reported:

- a block attribute list on a line of its own (``{: .note}``, ``{:#id}``) is applied to
  the heading above it when it names an id, which old links may point at; classes
  and other attributes would be dropped by sanitising anyway, so the line goes;
- attribute list definitions (``{:note: .warning}``) go;
- ``{::comment}…{:/comment}`` and ``{::options … /}`` go, ``{::nomarkdown}`` keeps
  its content;
- ``* TOC`` followed by ``{:toc}`` becomes ``[TOC]``;
- ``#見出し`` without a space stays text, as in kramdown's GFM mode;
- a fence's Qiita-style info (```` ```bash: ````, ```` ```ruby:app.rb ````) becomes its
  language, and a closing fence indented a little more than its opening (kramdown
  closes it) is set at the opening's indentation;
- an embed's iframe alone in a wrapper ``<div>`` (a responsive-video box) stands on a
  line of its own, where the renderer knows it.

The code inside fences is copied as it is.
"""

import re

from articles.rendering.fences import CLOSING, CODE, OPENING, TEXT, fence_kinds

# Qiita's fence info: a language, a colon, perhaps a file name.
_QIITA_INFO = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})(?P<lang>[\w+#.-]*):(?P<file>[^\s`{}\"]*)\s*$")
# A wrapper element holding nothing but an embed's iframe.
_WRAPPED_IFRAME = re.compile(
    r"^ {0,3}<(?P<tag>div|p|figure|center)\b[^>]*>\s*(?P<iframe><iframe\b[^>]*>\s*</iframe>)\s*</(?P=tag)>[ \t]*$",
    re.IGNORECASE | re.MULTILINE)
_BLOCK_IAL = re.compile(r"^ {0,3}\{:(?!:)\s*(?P<body>[^}]*)\}\s*$")
_ALD = re.compile(r"^ {0,3}\{:[\w-]+:[^}]*\}\s*$")
_TOC = re.compile(r"^ {0,3}(?:[*+-]|1\.) +.*\n {0,3}\{:\s*toc\s*\}\s*$", re.MULTILINE)
_EXTENSION_BLOCK = re.compile(r"\{::(comment|nomarkdown)[^}]*?\}(.*?)\{:/(?:\1)?\}", re.DOTALL)
_OPTIONS = re.compile(r"\{::options\b[^}]*/\}")
_SPAN_IAL = re.compile(r"(?<=[)\]*_`])\{:\s*(?P<body>[^}\n]*)\}")
_BLOCK_START = re.compile(r"^\s*(?:[-*+>|#]|\d+[.)]\s|```|~~~|\{:|\[\^?[^\]]*\]:|<)|^ {4}")
_HEADING = re.compile(r"^(#{1,6})(?!#)(?=\S)")
_ID = re.compile(r"#([\w-]+)")


def to_desk_markdown(text, *, hard_wrap=False):
    """``(markdown, notes)``: ``text`` with kramdown-only syntax rewritten, and what was.
    ``hard_wrap`` (kramdown's option of that name in ``_config.yml``) keeps each line
    break inside a paragraph as a line break."""
    notes = []
    if "{::" in text:
        text, count = _EXTENSION_BLOCK.subn(lambda m: m[2] if m[1] == "nomarkdown" else "", text)
        text, options = _OPTIONS.subn("", text)
        if count or options:
            notes.append(f"kramdown extensions resolved: {count + options}")
    if "{:" in text and "toc" in text:
        text = _TOC.sub("[TOC]", text)
    if "<iframe" in text.lower():
        text, unwrapped = _WRAPPED_IFRAME.subn(lambda m: m["iframe"], text)
        if unwrapped:
            notes.append(f"embeds taken out of their wrappers: {unwrapped}")
    out, dropped, indent, qiita = [], 0, "", 0
    for line, kind, match in fence_kinds(text.split("\n")):
        if kind == CLOSING:
            line = indent + line.lstrip()  # kramdown closes it indented more; Python-Markdown wants it in line
        if kind in (CODE, CLOSING):
            out.append(line)
            continue
        if kind == OPENING:
            indent = match["indent"]
            info = _QIITA_INFO.match(line)
            if info:
                # Its language only: Jekyll's readers never saw the file name (kramdown
                # puts it in the class).
                qiita += 1
                line = f'{info["indent"]}{info["fence"]}{info["lang"] or "text"}'
            out.append(line)
            continue
        if _ALD.match(line):
            dropped += 1
            continue
        block = _BLOCK_IAL.match(line)
        if block:
            anchor = _ID.search(block["body"])
            if anchor and out and out[-1].lstrip().startswith("#") and "{#" not in out[-1]:
                out[-1] = f"{out[-1].rstrip()} {{#{anchor[1]}}}"
            else:
                dropped += 1
            continue
        line = _HEADING.sub(r"\\\1", line) if _HEADING.match(line) and not line.startswith("#!") else line
        out.append(line)
    if hard_wrap:
        out = _hard_wrapped(out)
    text = "\n".join(out)
    # Span lists ("[x](u){:target="_blank"}") are read by attr_list once written "{: …}".
    text = _SPAN_IAL.sub(lambda m: "{: " + m["body"].strip() + "}", text)
    if dropped:
        notes.append(f"kramdown attribute lists dropped: {dropped}")
    if qiita:
        notes.append(f"Qiita-style code fences read: {qiita}")
    return text, notes


def _hard_wrapped(lines):
    """A line of a paragraph followed by another of the same paragraph ends in a
    Markdown line break (two spaces). Code is left alone."""
    out = []
    for index, (line, kind, _match) in enumerate(fence_kinds(lines)):
        if kind != TEXT:
            out.append(line)
            continue
        following = lines[index + 1] if index + 1 < len(lines) else ""
        plain = line.strip() and not _BLOCK_START.match(line)
        if plain and following.strip() and not _BLOCK_START.match(following) and not line.endswith("  "):
            line += "  "
        out.append(line)
    return out
