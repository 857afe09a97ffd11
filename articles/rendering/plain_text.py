"""Plain text from rendered HTML, and the measures read from it: characters, reading
time, the excerpt a text gives itself, a text cut at a sentence."""

import math
import re
import unicodedata
from functools import lru_cache
from html.parser import HTMLParser

_BLOCK_TAGS = frozenset({
    "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "li", "ol", "p", "pre", "table", "tr", "ul",
})


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks = [([], False)]
        self.in_code = 0

    def handle_starttag(self, tag, attrs):
        self._split(tag)
        if tag in ("pre", "code"):
            self.in_code += 1

    def handle_endtag(self, tag):
        if tag in ("pre", "code"):
            self.in_code = max(self.in_code - 1, 0)
        self._split(tag)

    def _split(self, tag):
        if tag in _BLOCK_TAGS:
            self.blocks.append(([], False))

    def handle_data(self, data):
        parts, code = self.blocks[-1]
        if not parts and not data.strip():
            return
        # A block is code when code is all it holds.
        code = self.in_code > 0 if not parts else code and self.in_code > 0
        parts.append(data)
        self.blocks[-1] = (parts, code)


class _ProseExtractor(HTMLParser):
    """The text of each paragraph that is not inside a list, quotation, table or figure."""

    _ENCLOSING = frozenset({"li", "blockquote", "table", "figure", "pre", "dl", "details", "aside"})

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs, self.current, self.enclosing = [], None, 0

    def handle_starttag(self, tag, attrs):
        if tag in self._ENCLOSING:
            self.enclosing += 1
        elif tag == "p" and not self.enclosing:
            self.current = []

    def handle_endtag(self, tag):
        if tag in self._ENCLOSING:
            self.enclosing = max(self.enclosing - 1, 0)
        elif tag == "p" and self.current is not None:
            self.paragraphs.append(" ".join("".join(self.current).split()))
            self.current = None

    def handle_data(self, data):
        if self.current is not None:
            self.current.append(data)


def prose_paragraphs(html: str) -> list[str]:
    """The text of the paragraphs of ``html`` a reader reads as prose, in order."""
    extractor = _ProseExtractor()
    extractor.feed(html)
    extractor.close()
    return [paragraph for paragraph in extractor.paragraphs if paragraph]


def html_blocks(html: str) -> list[tuple[str, bool]]:
    """``(text, is code)`` for each block of ``html`` (paragraphs, headings, list items,
    code blocks…), in order."""
    return list(_html_blocks(html))


@lru_cache(maxsize=8)
def _html_blocks(html):
    # Remembered: one save reads the same HTML for its reading time, its search text
    # and its checks.
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    blocks = ((" ".join("".join(parts).split()), code) for parts, code in extractor.blocks)
    return tuple((text, code) for text, code in blocks if text)


def html_paragraphs(html: str) -> list[str]:
    """The text of each block of ``html`` (paragraphs, headings, list items…), in order."""
    return [text for text, _ in html_blocks(html)]


def html_to_text(html: str) -> str:
    """Plain text of ``html`` as a reader would read it, one block per paragraph."""
    return "\n\n".join(html_paragraphs(html))


_LATIN_WORD = re.compile(r"[A-Za-z0-9]+(?:['’.\-][A-Za-z0-9]+)*")
_WHITESPACE = re.compile(r"\s+")
JAPANESE_CHARS_PER_MINUTE = 500
LATIN_WORDS_PER_MINUTE = 250


def character_count(text: str) -> int:
    """文字数 as Japanese editors count it: every character of the text readers read,
    without spaces and line breaks (so Markdown's marks never count: pass rendered text)."""
    return len(_WHITESPACE.sub("", text))


def reading_time_minutes(text: str) -> int:
    """Minutes to read ``text``: Japanese at 500 characters a minute, Latin words at 250.

    Whitespace does not count; every other character outside a Latin word does. Full-width
    Latin (ＡＩ) is read as the word it is. The result is at least one minute.
    """
    text = unicodedata.normalize("NFKC", text)
    words = len(_LATIN_WORD.findall(text))
    characters = len(_WHITESPACE.sub("", _LATIN_WORD.sub("", text)))
    minutes = characters / JAPANESE_CHARS_PER_MINUTE + words / LATIN_WORDS_PER_MINUTE
    return max(1, math.ceil(minutes))


EXCERPT_LENGTH = 120


def _comparable(text):
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def derive_excerpt(html: str, title: str = "", limit: int = EXCERPT_LENGTH) -> str:
    """An excerpt drawn from the first real paragraph of ``html``: a paragraph of text,
    never a heading, a picture, code or a list.

    A paragraph that only repeats the title is not a real one. A long paragraph is cut
    at the last sentence end that fits, or else at ``limit`` characters with an ellipsis.
    """
    title_key = _comparable(title)
    for paragraph in prose_paragraphs(html):
        if _comparable(paragraph) != title_key:
            return truncate_text(paragraph, limit)
    return ""


_SENTENCE_END = re.compile(r"[。！？!?](?=[^。！？!?]|$)|\.(?=\s|$)")


def truncate_text(text: str, limit: int) -> str:
    """``text`` shortened to at most ``limit`` characters, preferring a sentence end."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    ends = [match.end() for match in _SENTENCE_END.finditer(head)]
    if ends and ends[-1] >= limit // 2:
        return head[: ends[-1]].strip()
    return head[: limit - 1].rstrip() + "…"
