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
}

# Stand-in for inline code inside a sentence: no rule reads it as a word or a letter.
CODE_MARK = "\ufffc"
LATIN = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ]")
URL = re.compile(r"(?:https?://|www\.)[^\s\u3000-\u30ff\u4e00-\u9fff（）「」、。]+")


def rules():
    return {**RULE_DEFAULTS, **getattr(settings, "EDITORIAL_WRITING_RULES", {})}


# Prose: what readers read as sentences


@dataclass(frozen=True)
class Block:
    kind: str  # "heading", "paragraph" or "item"
    text: str


class _ProseBlocks(HTMLParser):
    """Headings, paragraphs and list items, without code blocks, quotations, tables or
    figures; inline code becomes CODE_MARK."""

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
        elif tag in self._KINDS:
            self._close()
            self.open.append((self._KINDS[tag], []))

    def handle_endtag(self, tag):
        if tag in self._SKIPPED:
            self.skipped = max(self.skipped - 1, 0)
        elif tag == "code":
            self.in_code = max(self.in_code - 1, 0)
        elif tag in self._KINDS:
            self._close()

    def _close(self):
        if self.open:
            kind, parts = self.open.pop()
            text = " ".join("".join(parts).split())
            if text:
                self.blocks.append(Block(kind, URL.sub(" ", text)))

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


def finding(code, level, message, sentence, fix=(), where=""):
    return Finding(code, level, message, sentence=sentence, fix=fix, where=where)


def clip(sentence, length=40):
    return sentence if len(sentence) <= length else sentence[:length - 1] + "…"


def sentence_at(block_text, position):
    return japanese.sentence_at(block_text, position)
