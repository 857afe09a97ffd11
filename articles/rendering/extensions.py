"""The Python-Markdown extensions and settings a body is rendered with: Python-Markdown's
"extra" with pymdown-extensions' fences, kramdown's and GitHub's habits, and ours:
brackets scanned in linear time, iframes pasted alone on a line kept as embeds, library
pictures and embeds as figures inserted after sanitising (articles/rendering/figures.py).
"""

import bisect
import re
import secrets
import types
from functools import lru_cache
from html import escape

import markdown
from markdown.extensions.toc import slugify_unicode
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from articles.rendering import figures
from articles.rendering.fences import OPENING, fence_kinds
from articles.rendering.list_indent import ListIndentExtension

# ---------------------------------------------------------------------------------
# Brackets in linear time. Python-Markdown finds the end of a link's text by scanning
# forward from every "[", to the end of the paragraph when there is none: quadratic in
# the number of unclosed brackets. Most links close within a few brackets; past that,
# an index of the paragraph's brackets (built once per paragraph text) answers.

_BRACKETS = re.compile(r"[\[\]]")
_NEAR = 4  # brackets scanned directly before the index is used
# A reference or footnote label longer than this is not one (CommonMark's limit), so
# an unclosed one is not looked for to the end of the paragraph.
_LABEL_MAX = 999


class _BracketIndex:
    def __init__(self, data):
        self.positions, self.depths, self.closings = [], [], {}
        depth = 0
        for match in _BRACKETS.finditer(data):
            position = match.start()
            if data[position] == "[":
                depth += 1
            else:
                depth -= 1
                self.closings.setdefault(depth, []).append(position)
            self.positions.append(position)
            self.depths.append(depth)

    def closing(self, index):
        """Where the bracket open just before ``index`` closes, or None."""
        before = bisect.bisect_left(self.positions, index)
        depth = self.depths[before - 1] if before else 0
        candidates = self.closings.get(depth - 1, ())
        found = bisect.bisect_left(candidates, index)
        return candidates[found] if found < len(candidates) else None


@lru_cache(maxsize=8)
def _bracket_index(data):
    return _BracketIndex(data)


def _get_text(self, data, index):
    """``LinkInlineProcessor.getText`` with the same results, without the quadratic scan."""
    depth = 1
    for scanned, match in enumerate(_BRACKETS.finditer(data, index)):
        depth += 1 if match.group() == "[" else -1
        if depth == 0:
            return data[index:match.start()], match.end(), True
        if scanned == _NEAR:
            break
    else:
        return data[index:], len(data), False
    close = _bracket_index(data).closing(index)
    if close is None:
        return data[index:], len(data), False
    return data[index:close], close + 1, True


class _LinearBrackets(markdown.Extension):
    LINKS = ("reference", "link", "image_link", "image_reference", "short_reference", "short_image_ref")
    REFERENCES = ("reference", "image_reference")

    def extendMarkdown(self, md):
        for name in self.LINKS:
            processor = md.inlinePatterns[name]
            processor.getText = types.MethodType(_get_text, processor)
        for name in self.REFERENCES:
            md.inlinePatterns[name].RE_LINK = re.compile(rf"\s?\[([^\]]{{0,{_LABEL_MAX}}})\]")
        if "footnote" in md.inlinePatterns:
            md.inlinePatterns["footnote"].compiled_re = re.compile(rf"\[\^([^\]]{{1,{_LABEL_MAX}}})\]")


# A fence's opening line with a language: ```mermaid, ```env title="a.env".
_FENCE_OPENING = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<lang>[\w+#.-]+)(?P<rest>[^`{}]*)$")


@lru_cache(maxsize=512)
def _pygments_knows(language):
    try:
        get_lexer_by_name(language)
    except ClassNotFound:
        return False
    return True


class _UnknownLanguages(Preprocessor):
    """A code block in a language Pygments does not know (mermaid, env, plantuml) keeps
    its language as a class (``language-mermaid``), shown as plain text: a script that
    draws mermaid diagrams finds its blocks. Python-Markdown's highlighter would call it
    "text"."""

    def run(self, lines):
        for index, (line, kind, _match) in enumerate(fence_kinds(lines)):
            known = _FENCE_OPENING.match(line) if kind == OPENING else None
            if known and not _pygments_knows(known["lang"].lower()):
                attributes = " ".join(filter(None, [".text", f'.language-{known["lang"]}', known["rest"].strip()]))
                lines[index] = f'{known["indent"]}{known["fence"]}{{{attributes}}}'
        return lines


class _KeptLanguages(markdown.Extension):
    def extendMarkdown(self, md):
        md.preprocessors.register(_UnknownLanguages(md), "unknown_languages", 27)


class _PastedIframes(Preprocessor):
    """An iframe pasted from YouTube's or Vimeo's share dialog becomes its URL on a line
    of its own, which ``Figures`` then embeds safely (after fenced code is set aside)."""

    def run(self, lines):
        text = "\n".join(lines)
        return figures.PASTED_IFRAME_LINE.sub(lambda match: f"\n\n{match['src']}\n\n", text).split("\n")


class _FigureTree(Treeprocessor):
    def __init__(self, md, extension):
        super().__init__(md)
        self.extension = extension

    def run(self, root):
        parents = {child: parent for parent in root.iter() for child in parent}
        for paragraph in list(root.iter("p")):
            self._block(paragraph)
        for image in [element for element in root.iter("img") if element.get("src", "").startswith("image:")]:
            self._inline(image, parents[image])

    def _block(self, paragraph):
        """A paragraph that is only an embed URL, or only a library image."""
        text = (paragraph.text or "").strip()
        children = list(paragraph)
        only = children[0] if len(children) == 1 and not text and not (children[0].tail or "").strip() else None
        url = text if not children else (only.get("href") if only is not None and only.tag == "a" else None)
        embed = figures.embed_for(url) if url else None
        if embed:
            self._replace(paragraph, figures.embed_html(*embed))
        elif only is not None and only.tag == "img" and only.get("src", "").startswith("image:"):
            data = self.extension.image(only.get("src"))
            if data is not None:
                alt, caption = only.get("alt") or None, only.get("title")
                self._replace(paragraph, figures.figure(data, alt=alt, caption=caption))

    def _inline(self, image, parent):
        data = self.extension.image(image.get("src"))
        alt = image.get("alt") or ""
        html = figures.picture(data, alt=alt or None) if data is not None else escape(alt)
        marker = self.extension.marker(html)
        previous = None
        for child in parent:
            if child is image:
                break
            previous = child
        text = marker + (image.tail or "")
        if previous is None:
            parent.text = (parent.text or "") + text
        else:
            previous.tail = (previous.tail or "") + text
        parent.remove(image)

    def _replace(self, paragraph, html):
        for child in list(paragraph):
            paragraph.remove(child)
        paragraph.attrib.clear()
        paragraph.text = self.extension.marker(html)


class Figures(markdown.Extension):
    """Library images (``image:42``) and embed URLs become markers, swapped for trusted
    markup (articles/rendering/figures.py) once the rest is sanitised. A marker carries a random
    nonce of this rendering, so no writer can type one."""

    def __init__(self, images):
        super().__init__()
        self.images = images
        self.nonce = secrets.token_hex(8)
        self.inserts = []

    def image(self, src):
        return self.images.get(src.removeprefix("image:"))

    def marker(self, html):
        self.inserts.append(html)
        return f"figure{self.nonce}x{len(self.inserts) - 1}z"

    def extendMarkdown(self, md):
        md.preprocessors.register(_PastedIframes(md), "pasted_iframes", 22)  # after fenced code (25)
        md.treeprocessors.register(_FigureTree(md, self), "figures", 15)  # after inline (20)
        md.postprocessors.register(_LibrarySources(md, self), "library_sources", 5)  # after raw HTML (30)

    def source(self, match):
        """``src="image:42"`` in raw HTML: the address of the picture's largest rendition."""
        data = self.image(match[2])
        if not data or data.get("state") != "ready" or not data.get("fallback"):
            return match[0]  # no address: the sanitiser drops an image: source
        return f'src="{escape(data["fallback"][-1][0], quote=True)}"'

    def insert(self, html):
        """``html`` (sanitised) with every marker swapped for its trusted markup. A
        picture in a heading shows in the heading only: the table of contents lists
        the heading's words."""
        if not self.inserts:
            return html
        html = _TOC_BLOCK.sub(lambda block: _FIGURE_MARKER.sub("", block[0]), html)
        pattern = re.compile(rf"<p>\s*(figure{self.nonce}x(\d+)z)\s*</p>|figure{self.nonce}x(\d+)z")
        return pattern.sub(lambda m: self.inserts[int(m[2] if m[2] is not None else m[3])], html)


_LIBRARY_SOURCE = re.compile(r"""\bsrc\s*=\s*(["'])image:(\d{1,18})\1""")


class _LibrarySources(Postprocessor):
    def __init__(self, md, extension):
        super().__init__(md)
        self.extension = extension

    def run(self, text):
        return _LIBRARY_SOURCE.sub(self.extension.source, text) if "image:" in text else text


# A marker as Figures makes them (its nonce is 16 hex digits).
_FIGURE_MARKER = re.compile(r"figure[0-9a-f]{16}x\d+z")
# The table of contents Python-Markdown's [TOC] makes (a div holding one list).
_TOC_BLOCK = re.compile(r'<div class="toc">.*?</div>', re.DOTALL)


def _heading_slug(value, separator):
    """A heading's id from its words alone: an inline picture in it is no part of it."""
    return slugify_unicode(_FIGURE_MARKER.sub("", value), separator)


# Ours come last: they adjust what the others registered.
# Python-Markdown's "extra", with pymdown-extensions' fences (which may sit in list items)
# in place of its own, and what kramdown and GitHub writers type: ~~strike-through~~
# and lists nested two spaces deep.
EXTENSIONS = [
    "abbr", "attr_list", "def_list", "footnotes", "md_in_html", "tables", "toc", "sane_lists",
    "pymdownx.superfences", "pymdownx.highlight", "pymdownx.tilde", ListIndentExtension(), _LinearBrackets(),
    _KeptLanguages(),
]
CONFIG = {
    # An align attribute survives sanitising; the default inline style would not.
    "tables": {"use_align_attribute": True},
    # Numbered in the order they are defined: USE_DEFINITION_ORDER=False (kramdown's
    # order of citation) crashes Python-Markdown 3.11 on an empty definition ("[^1]: ").
    "footnotes": {"BACKLINK_TITLE": "本文の脚注 %d に戻る"},
    # Japanese headings keep their characters in anchors instead of becoming "_1".
    "toc": {"slugify": _heading_slug},
    # Pygments marks the tokens with classes (static/css/highlight.css colours them, in
    # light and dark); no guessing: a block without a language stays plain text.
    "pymdownx.highlight": {"use_pygments": True, "guess_lang": False, "pygments_lang_class": True},
    # "3~5日" is a range of days in Japanese, never a subscript.
    "pymdownx.tilde": {"subscript": False},
}
