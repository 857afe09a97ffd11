"""Duplicated content: paragraphs said again further down (the desk's Jekyll posts
repeat whole sections), found by shingles of normalised characters."""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

from articles.checks.findings import ERROR, WARNING, Finding

REPEATED_SHARE_ERROR = 0.2  # a fifth of the text said twice is not an article any more


_NOT_A_LETTER = re.compile(r"[\W_]+")


def normalise(text):
    """Width, case, whitespace and punctuation do not make two passages different."""
    return _NOT_A_LETTER.sub("", unicodedata.normalize("NFKC", text).casefold())


SHINGLE = 8  # characters; long enough to be specific in Japanese, short enough to survive edits
MIN_PARAGRAPH = 20  # normalised characters, about a sentence; shorter lines repeat innocently
CONTAINMENT = 0.7  # share of a paragraph's shingles already seen earlier to call it a repeat


def _shingles(text):
    return {text[i:i + SHINGLE] for i in range(max(len(text) - SHINGLE + 1, 1))}


@dataclass
class RepeatedBlock:
    start: int  # paragraph numbers, from 1
    end: int
    source_start: int
    source_end: int
    characters: int


_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


def _only_addresses(text):
    return not _URL.sub("", text).strip(" -・,、:：")


def find_repeats(paragraphs, skip=frozenset()):
    """Paragraphs whose text mostly appeared earlier, grouped into blocks.

    A paragraph counts as repeated when most of its character shingles were seen in
    earlier paragraphs (containment, not similarity: a paragraph that merges several
    earlier ones is fully contained in them, though similar to none). Its first copy
    is the earlier paragraphs mostly contained in it. Returns the blocks and the share
    of the text's characters that they hold.
    """
    seen = {}  # shingle → first paragraph index
    shingle_sets = []
    repeated = []  # (index, source indexes, characters)
    repeated_indexes = set()
    total = 0
    for index, paragraph in enumerate(paragraphs):
        if index in skip:
            shingle_sets.append(set())
            continue
        text = normalise(paragraph)
        total += len(text)
        shingles = _shingles(text)
        shingle_sets.append(shingles)
        if len(text) >= MIN_PARAGRAPH:
            candidates = {seen[s] for s in shingles if s in seen}
            contained = sum(1 for s in shingles if s in seen)
            if contained >= CONTAINMENT * len(shingles):
                # A copy of a copy points back to the original.
                originals = candidates - repeated_indexes or candidates
                origin = sorted(
                    i for i in originals if len(shingle_sets[i] & shingles) >= len(shingle_sets[i]) / 2
                ) or [min(originals)]
                repeated.append((index, origin, len(text)))
                repeated_indexes.add(index)
        for shingle in shingles:
            seen.setdefault(shingle, index)

    blocks = []
    previous_origin_end = None
    for index, origin, characters in repeated:
        last = blocks[-1] if blocks else None
        # A block goes on while the copy follows its original in order; when the
        # original starts over, so does a new block (the same section copied again).
        if last is not None and last.end == index and origin[0] + 1 >= previous_origin_end:
            last.end = index + 1
            last.source_end = max(last.source_end, origin[-1] + 1)
            last.characters += characters
        else:
            blocks.append(RepeatedBlock(index + 1, index + 1, origin[0] + 1, origin[-1] + 1, characters))
        previous_origin_end = origin[-1] + 1
    share = sum(block.characters for block in blocks) / total if total else 0.0
    return blocks, share


def _span(start, end):
    return str(start) if start == end else f"{start}–{end}"


def check_duplicates(text):
    blocks, share = text.repeats
    if not blocks:
        return
    level = ERROR if share >= REPEATED_SHARE_ERROR else WARNING
    yield Finding(
        "duplicates.share", level,
        _("%(percent)d%% of the text repeats earlier passages (%(blocks)d repeated blocks). "
          "Remove the copies before publishing.") % {"percent": round(share * 100), "blocks": len(blocks)},
    )
    for block in blocks:
        here, source = _span(block.start, block.end), _span(block.source_start, block.source_end)
        yield Finding(
            "duplicates.block", WARNING,
            (_("Paragraph %(here)s repeats paragraphs %(source)s.") if block.start == block.end
             else _("Paragraphs %(here)s repeat paragraphs %(source)s.")) % {"here": here, "source": source},
            where=_("paragraph %(number)d: “%(quote)s…”")
            % {"number": block.start, "quote": text.paragraphs[block.start - 1][:30]},
        )


def deduplicated_paragraphs(text):
    blocks, _ = text.repeats
    dropped = {n for block in blocks for n in range(block.start, block.end + 1)}
    return [p for n, p in enumerate(text.paragraphs, start=1) if n not in dropped]
