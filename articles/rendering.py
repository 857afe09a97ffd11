"""The only door from Markdown to HTML, and the text measures derived from it.

``render()`` runs when content is saved or previewed, never on a page view: the public
pages print the stored result. Anything a reader's browser could execute is removed
here, whatever the writer (or an imported file) put in the source.

A few shapes of text make Python-Markdown work for minutes (long runs of unclosed
brackets, among others), so the work happens in a helper process with a time and
memory bound (articles/bounded.py); text that exceeds it is refused with a clear
error instead of holding a server worker. The usual shapes are made fast here, so
that only text nobody writes on purpose meets the bound.
"""

import bisect
import json
import math
import re
import secrets
import types
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from html.parser import HTMLParser
from urllib.parse import urlsplit

import bleach
import markdown
from bleach import html5lib_shim
from django.conf import settings
from django.utils.translation import gettext as _
from markdown.extensions.toc import slugify_unicode
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from pygments.token import STANDARD_TYPES

from . import bounded, figures
from .list_indent import ListIndentExtension

ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details",
    "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s",
    "samp", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "u", "ul", "var",
})

# Headings, footnotes and their back-links need ids and classes to work; nothing here
# can carry script (no on* handlers, no style). Ids and classes are further confined by
# _BodyAttributeFilter, so that a body can neither take the page's own ids nor dress up
# as its interface.
_ANCHOR = ["id", "class"]
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "id", "class"],
    "abbr": ["title"],
    "img": ["src", "alt", "title", "width", "height"],
    "code": ["class"],
    "pre": ["class"],
    "div": ["class"],
    "span": ["class"],
    "sup": _ANCHOR,
    "li": _ANCHOR,
    "ol": ["start", "class"],
    "td": ["align", "colspan", "rowspan"],
    "th": ["align", "colspan", "rowspan", "scope"],
    "q": ["cite"],
    "blockquote": ["cite"],
    **{f"h{level}": ["id"] for level in range(1, 7)},
}

# Every id in a body starts with this, and so does every link to a place in the body.
ID_PREFIX = "md-"
# The classes Python-Markdown itself gives (footnotes, a table of contents, a code
# block's language, Pygments' token classes in a highlighted block); any other class a
# writer types is dropped. Token classes only colour text: a writer's own <span
# class="k"> is harmless.
_PYGMENTS_CLASSES = sorted({name for name in STANDARD_TYPES.values() if name}, key=len, reverse=True)
ALLOWED_CLASS = re.compile(
    # A block with no language is "text" to Pygments, and plain (no class) to readers.
    r"footnote|footnote-ref|footnote-backref|toc|highlight|language-(?!text$)[\w+#.-]+|"
    + "|".join(map(re.escape, _PYGMENTS_CLASSES))
)

# Relative URLs carry no scheme and are always allowed; data:, javascript: and
# vbscript: are refused however they are encoded (bleach decodes before checking).
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

EXTERNAL_LINK_REL = "noopener noreferrer nofollow"

# Elements whose content is never text for a reader: without this step, stripping
# <script> would leave its source code in the article as prose.
DROPPED_WITH_CONTENT = frozenset({
    "applet", "embed", "iframe", "math", "noembed", "noframes", "noscript", "object",
    "script", "select", "style", "svg", "template", "textarea", "title", "xmp",
})


_UNREADABLE_TAG = re.compile(r"<\s*(?:{})\b".format("|".join(sorted(DROPPED_WITH_CONTENT))), re.IGNORECASE)


class RenderError(Exception):
    """Markdown that cannot become HTML within the bounds; the message is for the writer.
    ``code`` is "text" when the text is to blame, "busy" when the server was."""

    def __init__(self, message, code="text"):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Rendering:
    html: str  # sanitised: what readers get
    raw_html: str  # Python-Markdown's own output, for the checks to inspect; never shown
    flattened: bool = False  # nested too deeply to format: shown as plain paragraphs


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


class _PastedIframes(Preprocessor):
    """An iframe pasted from YouTube's or Vimeo's share dialog becomes its URL on a line
    of its own, which ``_Figures`` then embeds safely (after fenced code is set aside)."""

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


class _Figures(markdown.Extension):
    """Library images (``image:42``) and embed URLs become markers, swapped for trusted
    markup (articles/figures.py) once the rest is sanitised. A marker carries a random
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

    def insert(self, html):
        """``html`` (sanitised) with every marker swapped for its trusted markup. A
        picture in a heading shows in the heading only: the table of contents lists
        the heading's words."""
        if not self.inserts:
            return html
        html = _TOC_BLOCK.sub(lambda block: _FIGURE_MARKER.sub("", block[0]), html)
        pattern = re.compile(rf"<p>\s*(figure{self.nonce}x(\d+)z)\s*</p>|figure{self.nonce}x(\d+)z")
        return pattern.sub(lambda m: self.inserts[int(m[2] if m[2] is not None else m[3])], html)


# A marker as _Figures makes them (its nonce is 16 hex digits).
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
_MARKDOWN_EXTENSIONS = [
    "abbr", "attr_list", "def_list", "footnotes", "md_in_html", "tables", "toc", "sane_lists",
    "pymdownx.superfences", "pymdownx.highlight", "pymdownx.tilde", ListIndentExtension(), _LinearBrackets(),
]
_MARKDOWN_CONFIG = {
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


class _BodyAttributeFilter(html5lib_shim.Filter):
    """Mark links that leave the site, let images load lazily, keep ids and classes to
    the article's own."""

    def __iter__(self):
        for token in super().__iter__():
            if token["type"] in ("StartTag", "EmptyTag"):
                attrs = token["data"]
                href = attrs.get((None, "href"))
                if token["name"] == "a" and href is not None:
                    if is_external(href):
                        attrs[(None, "rel")] = EXTERNAL_LINK_REL
                    elif href.startswith("#") and len(href) > 1:
                        attrs[(None, "href")] = "#" + ID_PREFIX + href[1:]
                elif token["name"] == "img":
                    attrs[(None, "loading")] = "lazy"
                if (None, "id") in attrs:
                    attrs[(None, "id")] = ID_PREFIX + attrs[(None, "id")]
                if (None, "class") in attrs:
                    kept = [name for name in attrs[(None, "class")].split() if ALLOWED_CLASS.fullmatch(name)]
                    if kept:
                        attrs[(None, "class")] = " ".join(kept)
                    else:
                        del attrs[(None, "class")]
            yield token


def is_external(href):
    """A link that leaves the site: a scheme of http(s), or a protocol-relative //host
    (which browsers also read with a backslash)."""
    href = href.strip()
    if href[:2].replace("\\", "/") == "//":
        return True
    return urlsplit(href).scheme.lower() in {"http", "https"}


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[_BodyAttributeFilter],
)


def _drop_unreadable_elements(html):
    """Remove script-like elements together with their content.

    This pass is only about what readers see; safety comes from the bleach pass that
    follows, which runs on the result with its stock parser.
    """
    parser = html5lib_shim.BleachHTMLParser(
        tags=None, strip=False, consume_entities=True, namespaceHTMLElements=False
    )
    fragment = parser.parseFragment(html)
    _prune(fragment)
    serializer = html5lib_shim.BleachHTMLSerializer(
        quote_attr_values="always",
        omit_optional_tags=False,
        sanitize=False,
        alphabetical_attributes=False,
    )
    return serializer.render(html5lib_shim.getTreeWalker("etree")(fragment))


def _prune(root):
    # A loop, not recursion: raw HTML can nest thousands of elements deep.
    pending = [root]
    while pending:
        element = pending.pop()
        previous = None
        for child in list(element):
            # SVG and MathML elements come namespaced: "{http://www.w3.org/2000/svg}svg".
            if isinstance(child.tag, str) and child.tag.rpartition("}")[2].lower() in DROPPED_WITH_CONTENT:
                # The text after the element belongs to the surrounding paragraph.
                tail = child.tail or ""
                if previous is None:
                    element.text = (element.text or "") + tail
                else:
                    previous.tail = (previous.tail or "") + tail
                element.remove(child)
            else:
                pending.append(child)
                previous = child


def plain_paragraphs(source):
    """``source`` as escaped paragraphs, with no markup at all."""
    paragraphs = (" ".join(part.split()) for part in re.split(r"\n\s*\n", source))
    return "\n".join(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs if paragraph)


def render_here(source: str, images_json: str = "{}") -> Rendering:
    """The rendering itself, in this process and unbounded: the helper process runs it.

    ``images_json`` is ``{id: image data}`` (articles/images.py) for the library images
    the source refers to. Text nested deeper than the parsers' recursion allows comes
    out as plain escaped paragraphs (``flattened``), so its size stays that of the text.
    """
    try:
        figures_extension = _Figures(json.loads(images_json))
        # A new converter each time (a millisecond): one that failed half-way keeps state.
        raw_html = markdown.Markdown(
            extensions=[*_MARKDOWN_EXTENSIONS, figures_extension], extension_configs=_MARKDOWN_CONFIG,
            output_format="html",
        ).convert(source)
        # The extra parse is only needed when the source typed such an element.
        readable = _drop_unreadable_elements(raw_html) if _UNREADABLE_TAG.search(raw_html) else raw_html
        html = figures_extension.insert(_cleaner.clean(readable).strip())
    except RecursionError:
        html = plain_paragraphs(source)
        return Rendering(html=html, raw_html=html, flattened=True)
    return Rendering(html=html, raw_html=raw_html)


# What a helper renders before it takes work: every extension and lexer it would
# otherwise import during a writer's first render (0.5–2 s that counted as the text's).
_WARM_UP = (
    "# 見出し\n\n本文と[リンク](https://example.com)、**強調**、`code`。[^1]\n\n"
    "| 列 | 列 |\n|--|--|\n| a | b |\n\n- 項目\n  - 入れ子\n\n```python\nprint(1)\n```\n\n"
    "<svg><script>x</script></svg>\n\n[^1]: 注。\n"
)


def warm_up():
    render_here(_WARM_UP, json.dumps({}))


_runner = bounded.BoundedRunner(preload=[__name__], warm_up=warm_up)
PARALLEL_RENDERS = _runner.size

_TOO_SLOW, _TOO_BIG = "slow", "memory"


@lru_cache(maxsize=32)
def _outcome(source, cpu_seconds, images_json):
    # Remembered, the text's own failures included: the form, the model's save and the
    # checks of one request all ask for the same text, and Markdown runs once. What the
    # machine caused (Busy, a helper killed from outside) is raised, so never remembered.
    try:
        return _runner.run(render_here, source, images_json, cpu_seconds=cpu_seconds)
    except bounded.Timeout:
        return _TOO_SLOW
    except MemoryError:
        return _TOO_BIG


# Where the data of the library pictures a text shows comes from: ``(source, words) ->
# {id: data}``, given by the picture library when the app is ready (articles/apps.py),
# so that the renderer knows no database. Until then a text shows no library picture.
_picture_data = None


def use_picture_data(source):
    global _picture_data
    _picture_data = source


def job(source, words=None):
    """What rendering ``source`` needs from the database, read here: ``render_job``
    may then run in another thread, ahead of the ``render`` that will want it.
    ``words``: the pictures' words to show instead of the library's (``image_data``)."""
    pictures = _picture_data(source, words) if _picture_data else {}
    return source, json.dumps(pictures, sort_keys=True, ensure_ascii=False)


def render_job(prepared):
    """Render what ``job`` prepared into the cache ``render`` reads (the outcome is not
    returned)."""
    source, images_json = prepared
    if source and source.strip():
        _outcome(source, settings.EDITORIAL_RENDER_TIMEOUT, images_json)


def render(source: str, words=None) -> Rendering:
    """Render Markdown ``source`` to sanitised HTML that is safe to print with ``|safe``.

    Python-Markdown (extra, toc, sane_lists) makes the HTML; bleach then keeps only
    the allow-listed tags, attributes and URL schemes, external links get
    ``rel="noopener noreferrer nofollow"``, ids get the prefix ``md-`` and classes are
    confined to Markdown's own. Raw HTML in the source is allowed only as far as the
    allow-list goes. Raises ``RenderError`` when the text takes longer than
    ``EDITORIAL_RENDER_TIMEOUT`` seconds or too much memory. ``words`` as for ``job``.
    """
    if not source or not source.strip():
        return Rendering(html="", raw_html="")
    # The database is read in this process only (the helper has none).
    source, images_json = job(source, words)
    try:
        outcome = _outcome(source, settings.EDITORIAL_RENDER_TIMEOUT, images_json)
    except bounded.Busy:
        raise RenderError(
            _("The server is too busy to turn this text into a page right now. Nothing you wrote was lost: "
              "try again in a moment."), code="busy",
        ) from None
    except bounded.HelperDied:
        raise RenderError(
            _("The text could not be turned into a page: the process doing it stopped unexpectedly. Nothing "
              "you wrote was lost: try again in a moment."), code="busy",
        ) from None
    if outcome == _TOO_SLOW:
        raise RenderError(
            _("This text takes too long to turn into a page (over %(seconds)s s of processing time). Long runs "
              "of unclosed brackets such as “[” or “<”, or lists and quotes nested very deeply, cause this: "
              "simplify that part. Nothing you wrote was lost.") % {"seconds": settings.EDITORIAL_RENDER_TIMEOUT}
        )
    if outcome == _TOO_BIG:
        raise RenderError(
            _("This text needs too much memory to turn into a page. Simplify its structure (very deep "
              "nesting, thousands of links). Nothing you wrote was lost.")
        )
    return outcome


def render_markdown(source: str, words=None) -> str:
    """The HTML readers get for ``source`` (see ``render()``)."""
    return render(source, words).html


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
