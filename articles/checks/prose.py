"""What the writing checks read as prose: headings, paragraphs and list items of the
rendered body (no code blocks, quotations, tables or figures; inline code stands as
``CODE_MARK``), the rules' thresholds, and the shape of a writing finding."""

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from django.conf import settings

from articles.checks.findings import Finding
from articles.rendering import japanese

RULE_DEFAULTS = {
    "sentence_length": 100,  # characters in a sentence, at most
    "commas": 3,  # 読点 in a sentence, at most
    "kanji_run": 6,  # kanji in a row, at most
    "same_ending": 3,  # sentences in a row with one ending, fewer than this
    # A space between full-width and half-width characters (日本語 English): JTF's style
    # has none ("never"), some houses always put one ("always"); None checks neither.
    "halfwidth_spacing": None,
}

# Stand-in for inline code inside a sentence: no rule reads it as a word or a letter.
CODE_MARK = "\ufffc"
LATIN = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ]")
# Where a link's text starts and ends while a block is read (private-use characters).
_LINK_OPEN, _LINK_CLOSE = "\ue000", "\ue001"
URL = re.compile(r"(?:https?://|www\.)[^\s\u3000-\u30ff\u4e00-\u9fff（）「」、。\ue000\ue001]+")
# Quotation marks whose content is someone else's words (a title, a bug report, a
# remark): what the writer quotes is never theirs to correct.
_QUOTES = {"「": "」", "『": "』", "“": "”", '"': '"'}
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff々〆ヶ]")
_LATIN_LETTERS = re.compile(r"[A-Za-z]")
_CHECKSUM = re.compile(r"\b[0-9a-fA-F]{32,}\b")


def rules():
    return {**RULE_DEFAULTS, **getattr(settings, "EDITORIAL_WRITING_RULES", {})}


@dataclass(frozen=True)
class Block:
    kind: str  # "heading", "paragraph" or "item"
    text: str
    # (start, end) of the quoted parts of ``text`` and of the links' text: titles and
    # other people's words, which no rule reads and no fix changes.
    quoted: tuple = ()

    def is_quoted(self, start, end=None):
        end = start + 1 if end is None else end
        return any(begin < end and start < finish for begin, finish in self.quoted)

    def unquoted_length(self, start, end):
        """Characters of ``text[start:end]`` outside quotations and links."""
        covered = sum(max(0, min(end, finish) - max(start, begin)) for begin, finish in self.quoted)
        return end - start - covered


def quoted_spans(text):
    """``(start, end)`` of each quotation in ``text``, marks included (nested ones inside
    their outer one). An opening mark never closed quotes nothing."""
    spans, stack = [], []
    for index, char in enumerate(text):
        if stack and char == _QUOTES[text[stack[-1]]]:
            begin = stack.pop()
            if not stack:
                spans.append((begin, index + 1))
        elif char in _QUOTES and not (char == '"' and stack and text[stack[-1]] == '"'):
            stack.append(index)
    return spans


class _ProseBlocks(HTMLParser):
    """Headings, paragraphs and list items, without code blocks, quotations, tables or
    figures; inline code becomes CODE_MARK, a link's text is marked as quoted."""

    _SKIPPED = frozenset({"pre", "blockquote", "table", "figure", "script", "style"})
    _KINDS = {"p": "paragraph", "li": "item", "dt": "item", "dd": "item",
              **{f"h{level}": "heading" for level in range(1, 7)}}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks, self.open, self.skipped, self.in_code = [], [], 0, 0

    def handle_starttag(self, tag, attrs):
        if tag in self._SKIPPED:
            self.skipped += 1
        elif tag == "code":
            self.in_code += 1
            if self.open and not self.skipped:
                self.open[-1][1].append(CODE_MARK)
        elif tag == "a" and self.open:
            self.open[-1][1].append(_LINK_OPEN)
        elif tag in self._KINDS:
            self._close()
            self.open.append((self._KINDS[tag], []))

    def handle_endtag(self, tag):
        if tag in self._SKIPPED:
            self.skipped = max(self.skipped - 1, 0)
        elif tag == "code":
            self.in_code = max(self.in_code - 1, 0)
        elif tag == "a" and self.open:
            self.open[-1][1].append(_LINK_CLOSE)
        elif tag in self._KINDS:
            self._close()

    def _close(self):
        if self.open:
            kind, parts = self.open.pop()
            text = URL.sub(" ", " ".join("".join(parts).split()))
            links, plain, opened = [], [], None
            for char in text:
                if char == _LINK_OPEN:
                    opened = len(plain)
                elif char == _LINK_CLOSE:
                    if opened is not None and len(plain) > opened:
                        links.append((opened, len(plain)))
                    opened = None
                else:
                    plain.append(char)
            text = "".join(plain)
            if text.strip():
                self.blocks.append(Block(kind, text, tuple(sorted(quoted_spans(text) + links))))

    def handle_data(self, data):
        if self.open and not self.skipped and not self.in_code:
            self.open[-1][1].append(data)

    def close(self):
        super().close()
        while self.open:
            self._close()


def prose_blocks(html):
    parser = _ProseBlocks()
    parser.feed(html)
    parser.close()
    return parser.blocks


def sentences_of(block):
    """``(start, sentence)`` of the sentences of ``block`` written in Japanese by the
    writer: no sentence mostly in Latin letters (an English description, a release note's
    line), none with a checksum, none that is mostly a quotation or a link's title."""
    for start, sentence in japanese.sentences(block.text):
        if is_foreign(sentence) or block.unquoted_length(start, start + len(sentence)) < len(sentence) / 2:
            continue
        yield start, sentence


def is_foreign(sentence):
    """Mostly Latin letters, or a checksum: not Japanese prose."""
    if _CHECKSUM.search(sentence):
        return True
    latin = len(_LATIN_LETTERS.findall(sentence))
    return latin > 2 * len(_JAPANESE.findall(sentence))


def finding(code, level, message, sentence, fix=(), where=""):
    return Finding(code, level, message, sentence=sentence, fix=fix, where=where)


def clip(sentence, length=40):
    return sentence if len(sentence) <= length else sentence[:length - 1] + "…"


def sentence_at(block_text, position):
    return japanese.sentence_at(block_text, position)
