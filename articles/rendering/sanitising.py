"""What of Python-Markdown's HTML readers get: bleach's allow-list of tags, attributes
and URL schemes, ids and classes confined to the body's own, links that leave the site
marked, and script-like elements dropped with their content (``clean``). Safety is
bleach's pass; the pruning before it is only about what readers see.
"""

import re
from urllib.parse import urlsplit

import bleach
from bleach import html5lib_shim
from pygments.token import STANDARD_TYPES

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


_ALIGNMENTS = frozenset({"left", "center", "right"})


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
                elif token["name"] in ("td", "th") and (None, "align") in attrs:
                    # HTML dropped align; a class of ours (static/css/site.css) aligns the
                    # column, as a style attribute could not under the site's CSP.
                    align = attrs.pop((None, "align")).strip().lower()
                    if align in _ALIGNMENTS:
                        attrs[(None, "class")] = f"align-{align}"
                    yield token  # (a cell has no id, and no class but this one)
                    continue
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


def clean(raw_html):
    """Python-Markdown's ``raw_html`` as readers may get it."""
    # The extra parse is only needed when the source typed such an element.
    readable = _drop_unreadable_elements(raw_html) if _UNREADABLE_TAG.search(raw_html) else raw_html
    return _cleaner.clean(readable).strip()
