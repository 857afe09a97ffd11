"""Where fenced code is in Markdown, line by line: what every pass that rewrites text
before rendering (kramdown's rewrites, pictures at import, one-click fixes, languages
Pygments does not know) must leave alone."""

import re

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})")
OPENING, CODE, CLOSING, TEXT = "opening", "code", "closing", "text"


def fence_kinds(lines):
    """``(line, kind, match)`` for each of ``lines``: ``kind`` says whether it opens a fenced
    block, is its code, closes it, or is text outside any (``match``: ``FENCE``'s, on an
    opening or closing line). A block closes at a line of its own character, at least as
    long as its opening, and nothing else (CommonMark; kramdown takes it indented more)."""
    fence = None
    for line in lines:
        match = FENCE.match(line)
        if fence is None:
            if match:
                fence = match["fence"]
                yield line, OPENING, match
            else:
                yield line, TEXT, None
        elif (match and match["fence"][0] == fence[0] and len(match["fence"]) >= len(fence)
              and not line.strip().strip(fence[0])):
            fence = None
            yield line, CLOSING, match
        else:
            yield line, CODE, None
