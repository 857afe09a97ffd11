"""What the checks read of an article (``ArticleText``): a revision, a form being typed
or a stored article, rendered once, with what the markup checks read of Markdown's own
HTML (``summarise``, stored with each revision so that a list of findings needs no
rendering)."""

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlsplit

from django.conf import settings

from articles.checks.repeats import _URL, _only_addresses, find_repeats
from articles.checks.spelling import Term
from articles.models import HouseStyleTerm, Image
from articles.models.tags import CompanyTag, topics_with_aliases
from articles.rendering.markdown import RenderError, Rendering, render
from articles.rendering.plain_text import html_blocks
from articles.rendering.sanitising import ALLOWED_ATTRIBUTES, ALLOWED_CLASS, ALLOWED_TAGS


def house_terms():
    """The house style as the checks read it, from the admin's table."""
    return [Term.of(term.preferred, term.variant_list, term.note) for term in HouseStyleTerm.objects.all()]


class Vocabulary:
    """The library's pictures, the companies and the topics with aliases, read once for
    many texts."""

    def __init__(self):
        self.image_ids = set(Image.objects.values_list("pk", flat=True))
        self.unready_images = dict(Image.objects.exclude(state=Image.State.READY).values_list("pk", "state"))
        self.companies = list(CompanyTag.objects.all())
        self.topic_names = topics_with_aliases()
        self.house_terms = house_terms()


@dataclass
class ArticleText:
    """What the checks read: a revision, a form being typed, or a stored article."""

    title: str
    body: str
    excerpt: str = ""
    cover_id: int | None = None
    companies: list = field(default_factory=list)
    topics: list = field(default_factory=list)
    body_html: str | None = None
    source_reading_time: int | None = None
    rendering: Rendering | None = None
    # The importer wrote it (no author, a Jekyll post): an excerpt drawn from the first
    # paragraph is its doing, as Jekyll's, not a writer's copy.
    imported: bool = False
    # What ``summarise`` made of the body when it was saved: no rendering needed.
    stored_markup: dict | None = None
    # Company and topic names looked up once for many texts (check_articles).
    vocabulary: "Vocabulary | None" = None
    # The writing rules an editor stopped for this article.
    silenced: frozenset = frozenset()
    # The language it is written in ("" for the site's): the Japanese writing checks
    # read Japanese articles only.
    language: str = ""

    @classmethod
    def of_revision(cls, revision, *, body_html=None, vocabulary=None):
        return cls(
            title=revision.title, body=revision.body, excerpt=revision.excerpt, cover_id=revision.cover_id,
            companies=list(revision.companies), topics=list(revision.topics),
            body_html=revision.body_html() if body_html is None else body_html,
            source_reading_time=revision.article.source_reading_time,
            imported=revision.author_id is None and bool(revision.article.jekyll_key),
            stored_markup=revision.markup, vocabulary=vocabulary,
            silenced=frozenset(revision.article.silenced_rules or ()), language=revision.article.language,
        )

    @property
    def is_japanese(self):
        return (self.language or settings.LANGUAGE_CODE).split("-")[0] == "ja"

    @property
    def has_fresh_markup(self):
        """Whether the stored summary can stand for a rendering (same summariser)."""
        return self.stored_markup is not None and self.stored_markup.get("version") == SUMMARY_VERSION

    @cached_property
    def markup(self):
        """What the markup checks read of the body (``summarise``)."""
        if self.has_fresh_markup:
            return self.stored_markup
        return summarise(self.body, self)

    @cached_property
    def render_error(self):
        """Why the body could not be rendered, or None."""
        if self.has_fresh_markup:
            return self.stored_markup.get("render_error")
        try:
            self.rendered  # noqa: B018 (rendering is what raises)
        except RenderError as exc:
            return str(exc)
        return None

    @cached_property
    def rendered(self):
        return self.rendering or render(self.body)

    @cached_property
    def html(self):
        if self.body_html is not None:
            return self.body_html
        return "" if self.render_error else self.rendered.html

    @cached_property
    def raw_html(self):
        """Markdown's HTML before sanitising: what the markup checks read."""
        return "" if self.render_error else self.rendered.raw_html

    @cached_property
    def blocks(self):
        return html_blocks(self.html)

    @cached_property
    def paragraphs(self):
        return [text for text, _ in self.blocks]

    @cached_property
    def prose_text(self):
        """The words of the title, excerpt and prose: no code, no addresses."""
        prose = [text for text, code in self.blocks if not code]
        return _URL.sub(" ", "\n\n".join([self.title, self.excerpt, *prose]))

    @cached_property
    def repeats(self):
        # Code, and lists of addresses, repeat by nature.
        skipped = {index for index, (text, code) in enumerate(self.blocks) if code or _only_addresses(text)}
        return find_repeats(self.paragraphs, skip=skipped)


_IMAGE_ALT = re.compile(r"""<img\b[^>]*?\balt=(?:"([^"]*)"|'([^']*)')[^>]*>""", re.IGNORECASE)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_ATTRIBUTE = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")


@dataclass
class Markup:
    images_without_alt: int = 0
    external_images: list = field(default_factory=list)  # their hosts
    links: list = field(default_factory=list)  # (href, text)
    headings: list = field(default_factory=list)
    removed: Counter = field(default_factory=Counter)


_CODE_ELEMENT = re.compile(r"<(pre|code)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
_TEMPLATE_CODE = re.compile(r"{%-?\s*(\w+)[^%]{0,200}?%}|{{[^}]{0,200}?}}")
SUMMARY_VERSION = 1  # a new version of ``summarise`` makes the stored ones stale


def summarise(body, text=None):
    """What the markup checks read of Markdown's own HTML for ``body``, as plain data
    that is stored with each revision (``Revision.markup``)."""
    text = text or ArticleText(title="", body=body)
    if text.render_error:
        return {"version": SUMMARY_VERSION, "render_error": text.render_error}
    scanned = _scan(text.raw_html)
    prose = _CODE_ELEMENT.sub("", text.raw_html)
    return {
        "version": SUMMARY_VERSION,
        "render_error": None,
        "flattened": text.rendered.flattened,
        "images_without_alt": scanned.images_without_alt,
        "external_images": scanned.external_images,
        "links": [list(link) for link in scanned.links],
        "headings": scanned.headings,
        "removed": dict(scanned.removed),
        "template_code": [match[0] for match in _TEMPLATE_CODE.finditer(prose)],
    }


def _scan(html):
    """The tags of Markdown's own HTML: a plain scan is enough for a report (the
    sanitiser, not this, decides what is safe)."""
    markup = Markup()
    open_link = None
    for match in _TAG.finditer(html):
        closing, tag, rest = match.group(1), match.group(2).lower(), match.group(3)
        if closing:
            if tag == "a" and open_link is not None:
                href, start = open_link
                inner = _IMAGE_ALT.sub(r" \1\2 ", html[start:match.start()])  # a picture's alt is its text
                markup.links.append((href, re.sub(r"<[^>]+>", "", inner)))
                open_link = None
            continue
        attrs = {m.group(1).lower(): next((g for g in m.groups()[1:] if g is not None), "")
                 for m in _ATTRIBUTE.finditer(rest)}
        if tag not in ALLOWED_TAGS:
            markup.removed[f"<{tag}>"] += 1
        else:
            allowed = ALLOWED_ATTRIBUTES.get(tag, [])
            markup.removed.update(f"{name}=" for name in attrs if name not in allowed)
            if "class" in allowed:
                markup.removed.update(f'class="{name}"' for name in attrs.get("class", "").split()
                                      if not ALLOWED_CLASS.fullmatch(name))
        if tag == "img":
            if not attrs.get("alt", "").strip():
                markup.images_without_alt += 1
            source = urlsplit(attrs.get("src", "").strip())
            if source.netloc:
                markup.external_images.append(source.netloc.lower())
        elif tag == "a":
            open_link = (attrs.get("href", ""), match.end())
        elif re.fullmatch(r"h[1-6]", tag):
            markup.headings.append(int(tag[1]))
    return markup
