"""The only door from Markdown to HTML, and the text measures derived from it.

``render_markdown()`` runs when content is saved or previewed, never on a page view:
the public pages print the stored result. Anything a reader's browser could execute
is removed here, whatever the writer (or an imported file) put in the source.
"""

import math
import re
import unicodedata
from html.parser import HTMLParser
from urllib.parse import urlsplit

import bleach
import markdown
from bleach import html5lib_shim
from markdown.extensions.toc import slugify_unicode

ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details",
    "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s",
    "samp", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "u", "ul", "var",
})

# Headings, footnotes and their back-links need ids and classes to work; nothing here
# can carry script (no on* handlers, no style).
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

_MARKDOWN_EXTENSIONS = ["extra", "toc", "sane_lists"]
_MARKDOWN_CONFIG = {
    # An align attribute survives sanitising; the default inline style would not.
    "extra": {
        "tables": {"use_align_attribute": True},
        "footnotes": {"BACKLINK_TITLE": "本文の脚注 %d に戻る"},
    },
    # Japanese headings keep their characters in anchors instead of becoming "_1".
    "toc": {"slugify": slugify_unicode},
}


class _ExternalLinkFilter(html5lib_shim.Filter):
    """Mark links that leave the site and let images load lazily."""

    def __iter__(self):
        for token in super().__iter__():
            if token["type"] in ("StartTag", "EmptyTag"):
                attrs = token["data"]
                if token["name"] == "a" and _is_external(attrs.get((None, "href"), "")):
                    attrs[(None, "rel")] = EXTERNAL_LINK_REL
                elif token["name"] == "img":
                    attrs[(None, "loading")] = "lazy"
            yield token


def _is_external(href):
    return urlsplit(href.strip()).scheme.lower() in {"http", "https"}


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[_ExternalLinkFilter],
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


def _prune(element):
    previous = None
    for child in list(element):
        if isinstance(child.tag, str) and child.tag.lower() in DROPPED_WITH_CONTENT:
            # The text after the element belongs to the surrounding paragraph.
            tail = child.tail or ""
            if previous is None:
                element.text = (element.text or "") + tail
            else:
                previous.tail = (previous.tail or "") + tail
            element.remove(child)
        else:
            _prune(child)
            previous = child


def unsanitised_html(source: str) -> str:
    """Python-Markdown's HTML before sanitising, for the editorial checks to inspect
    (what the sanitiser will remove). Never to be shown to anyone."""
    return markdown.markdown(
        source or "", extensions=_MARKDOWN_EXTENSIONS, extension_configs=_MARKDOWN_CONFIG, output_format="html"
    )


def render_markdown(source: str) -> str:
    """Render Markdown ``source`` to sanitised HTML that is safe to print with ``|safe``.

    Python-Markdown (extra, toc, sane_lists) makes the HTML; bleach then keeps only
    the allow-listed tags, attributes and URL schemes, and external links get
    ``rel="noopener noreferrer nofollow"``. Raw HTML in the source is allowed only
    as far as the allow-list goes.
    """
    if not source or not source.strip():
        return ""
    return _cleaner.clean(_drop_unreadable_elements(unsanitised_html(source))).strip()


_BLOCK_TAGS = frozenset({
    "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "li", "ol", "p", "pre", "table", "tr", "ul",
})


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks = [[]]

    def handle_starttag(self, tag, attrs):
        self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in _BLOCK_TAGS:
            self.blocks.append([])

    def handle_data(self, data):
        self.blocks[-1].append(data)


def html_paragraphs(html: str) -> list[str]:
    """The text of each block of ``html`` (paragraphs, headings, list items…), in order."""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    blocks = (" ".join("".join(parts).split()) for parts in extractor.blocks)
    return [block for block in blocks if block]


def html_to_text(html: str) -> str:
    """Plain text of ``html`` as a reader would read it, one block per paragraph."""
    return "\n\n".join(html_paragraphs(html))


_LATIN_WORD = re.compile(r"[A-Za-z0-9]+(?:['’.\-][A-Za-z0-9]+)*")
_WHITESPACE = re.compile(r"\s+")
JAPANESE_CHARS_PER_MINUTE = 500
LATIN_WORDS_PER_MINUTE = 250


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
    """An excerpt drawn from the first real paragraph of ``html``.

    A paragraph that only repeats the title is not a real one. A long paragraph is cut
    at the last sentence end that fits, or else at ``limit`` characters with an ellipsis.
    """
    title_key = _comparable(title)
    for paragraph in html_paragraphs(html):
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
