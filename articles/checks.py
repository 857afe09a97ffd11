"""Editorial checks: what an editor should see before approving, not after readers do.

Each check takes an ``ArticleText`` and yields ``Finding``s with a level (error,
warning, info), a message in the active language, and where it applies. Error-level
findings block approval unless an editor overrides them with a written reason
(articles/workflow.py).
"""

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from urllib.parse import urlsplit

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import images, writing
from .caching import remember
from .findings import ERROR, INFO, LEVEL_ORDER, WARNING, Finding, capped
from .models import Image
from .rendering import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_CLASS,
    ALLOWED_PROTOCOLS,
    ALLOWED_TAGS,
    RenderError,
    Rendering,
    html_blocks,
    reading_time_minutes,
    render,
)
from .tags import CompanyTag, topics_with_aliases

TITLE_MAX = 60  # characters a search result shows of a Japanese title, about
EXCERPT_MAX = 120  # characters of a meta description that survive, about
REPEATED_SHARE_ERROR = 0.2  # a fifth of the text said twice is not an article any more


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

    @classmethod
    def of_revision(cls, revision, *, body_html=None, vocabulary=None):
        return cls(
            title=revision.title, body=revision.body, excerpt=revision.excerpt, cover_id=revision.cover_id,
            companies=list(revision.companies), topics=list(revision.topics),
            body_html=revision.body_html() if body_html is None else body_html,
            source_reading_time=revision.article.source_reading_time,
            imported=revision.author_id is None and bool(revision.article.jekyll_key),
            stored_markup=revision.markup, vocabulary=vocabulary,
        )

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


# ---------------------------------------------------------------------------------
# Duplicated content


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


# ---------------------------------------------------------------------------------
# Reading time


def check_reading_time(text):
    minutes = reading_time_minutes("\n".join(text.paragraphs))
    without_repeats = reading_time_minutes("\n".join(deduplicated_paragraphs(text)))
    if without_repeats != minutes:
        yield Finding(
            "reading_time", INFO,
            _("Reading time: %(minutes)d min as written, %(without)d min without the repeated passages.")
            % {"minutes": minutes, "without": without_repeats},
        )
    else:
        yield Finding("reading_time", INFO, _("Reading time: %(minutes)d min.") % {"minutes": minutes})
    claimed = text.source_reading_time
    if claimed and claimed not in (minutes, without_repeats):
        yield Finding(
            "reading_time.source", WARNING,
            _("The source claimed %(claimed)d min, which matches neither the text (%(minutes)d min) "
              "nor the text without repeats (%(without)d min).")
            % {"claimed": claimed, "minutes": minutes, "without": without_repeats},
        )


# ---------------------------------------------------------------------------------
# Title and excerpt


def check_title_and_excerpt(text):
    excerpt = normalise(text.excerpt)
    if not excerpt:
        yield Finding("excerpt.missing", WARNING,
                      _("There is no excerpt: lists and search results will show the start of the body."))
    elif excerpt == normalise(text.title):
        yield Finding("excerpt.is_title", ERROR,
                      _("The excerpt only repeats the title. Say in a sentence or two what the article tells."))
    elif text.paragraphs and excerpt == normalise(text.paragraphs[0]) and not text.imported:
        yield Finding("excerpt.is_first_paragraph", WARNING,
                      _("The excerpt repeats the first paragraph word for word."), where=_("paragraph 1"))
    if text.paragraphs and normalise(text.paragraphs[0]) == normalise(text.title):
        yield Finding("body.starts_with_title", WARNING,
                      _("The body starts by repeating the title."), where=_("paragraph 1"))
    if len(text.title) > TITLE_MAX:
        yield Finding("title.long", WARNING,
                      _("The title has %(count)d characters; search results show about %(max)d.")
                      % {"count": len(text.title), "max": TITLE_MAX})
    if len(text.excerpt) > EXCERPT_MAX:
        yield Finding("excerpt.long", WARNING,
                      _("The excerpt has %(count)d characters; search results show about %(max)d.")
                      % {"count": len(text.excerpt), "max": EXCERPT_MAX})


# ---------------------------------------------------------------------------------
# Tag coverage


def _key(name):
    return unicodedata.normalize("NFKC", name).casefold().strip()


@lru_cache(maxsize=1024)
def _bounded(key):
    return re.compile(rf"(?<![A-Za-z0-9]){re.escape(key)}(?![A-Za-z0-9])")


def _case_matters(name):
    """A short name in mixed case (Arm, Meta) is the company only as written: "arm" and
    "meta" are ordinary words."""
    return name.isascii() and len(name) <= 5 and name not in (name.lower(), name.upper())


def mentions(names, text):
    """Which of ``names`` (as ``_key``) occur in ``text``.

    ASCII names need boundaries that work next to Japanese: "AmazonのAI" mentions
    Amazon, "Machine" does not mention Mac. Other names match as they are. A plain
    substring search comes first: it is fast and rules out most names.
    """
    exact = unicodedata.normalize("NFKC", text)
    haystack = exact.casefold()
    found = set()
    for name in {unicodedata.normalize("NFKC", name).strip() for name in names if name.strip()}:
        key = _key(name)
        if key not in haystack:
            continue
        if _case_matters(name):
            if name in exact and _bounded(name).search(exact):
                found.add(key)
        elif not key.isascii() or _bounded(key).search(haystack):
            found.add(key)
    return found


class Vocabulary:
    """The library's pictures, the companies and the topics with aliases, read once for
    many texts."""

    def __init__(self):
        self.image_ids = set(Image.objects.values_list("pk", flat=True))
        self.unready_images = dict(Image.objects.exclude(state=Image.State.READY).values_list("pk", "state"))
        self.companies = list(CompanyTag.objects.all())
        self.topic_names = topics_with_aliases()
        self.house_terms = writing.house_terms()


def check_tags(text):
    vocabulary = text.vocabulary
    known = vocabulary.companies if vocabulary else CompanyTag.objects.all()
    companies = {company.name: company for company in known}
    names_of = {name: (company.names() if company else [name]) for name, company in companies.items()}
    for name in text.companies:
        names_of.setdefault(name, [name])
    found = mentions([n for names in names_of.values() for n in names], text.prose_text)
    mentioned = {name for name, names in names_of.items() if any(_key(n) in found for n in names)}
    for name in text.companies:
        if name not in mentioned:
            yield Finding("tags.company_absent", WARNING,
                          _("The company tag “%(name)s” is not mentioned in the text.") % {"name": name})
    # Topics with aliases are few: read them all rather than ask for the text's names
    # (which may hold anything a writer typed).
    known_topics = vocabulary.topic_names if vocabulary else topics_with_aliases()
    topic_names = {name: known_topics.get(name, [name]) for name in text.topics}
    found_topics = mentions([n for names in topic_names.values() for n in names], text.prose_text)
    for name, names in topic_names.items():
        if not any(_key(n) in found_topics for n in names):
            yield Finding("tags.topic_absent", WARNING,
                          _("The topic tag “%(name)s” appears nowhere in the text.") % {"name": name})
    for name in sorted(mentioned - set(text.companies)):
        yield Finding("tags.company_untagged", INFO,
                      _("The text mentions %(name)s, which is not tagged.") % {"name": name})


# ---------------------------------------------------------------------------------
# Markdown hygiene


_IMAGE_ALT = re.compile(r"""<img\b[^>]*?\balt=(?:"([^"]*)"|'([^']*)')[^>]*>""", re.IGNORECASE)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_ATTRIBUTE = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")


@dataclass
class _Markup:
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
    markup = _Markup()
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


def check_pictures_ready(text):
    """A picture readers would get must exist: one still being made (or that could not be
    made) holds the article back."""
    shown = images.shown(text.body, text.cover_id)
    if not shown:
        return
    if text.vocabulary is not None:
        unready = {pk: text.vocabulary.unready_images[pk] for pk in shown if pk in text.vocabulary.unready_images}
    else:
        unready = images.unready(shown)
    processing = [pk for pk in shown if unready.get(pk) == Image.State.PROCESSING]
    failed = [pk for pk in shown if unready.get(pk) == Image.State.FAILED]
    if processing:
        yield Finding("markup.image_processing", ERROR,
                      _("A picture is still being made (%(refs)s): the article can go to readers once it is "
                        "ready, usually within a minute.") % {"refs": ", ".join(f"image:{pk}" for pk in processing)})
    if failed:
        yield Finding("markup.image_failed", ERROR,
                      _("A picture could not be made (%(refs)s): upload it again, or choose another one.")
                      % {"refs": ", ".join(f"image:{pk}" for pk in failed)})


def check_markup(text):
    if text.render_error:
        yield Finding("markup.render", ERROR, text.render_error)
        return
    markup = text.markup
    if markup["flattened"]:
        yield Finding("markup.flattened", ERROR,
                      _("Lists or quotations are nested too deeply to format: readers will see plain "
                        "paragraphs. Reduce the nesting."))
    scanner = _Markup(markup["images_without_alt"], markup["external_images"], markup["links"],
                      markup["headings"], Counter(markup["removed"]))
    if scanner.images_without_alt:
        yield Finding("markup.image_alt", ERROR, ngettext(
            "%(count)d image has no alt text: describe it for readers who cannot see it.",
            "%(count)d images have no alt text: describe them for readers who cannot see them.",
            scanner.images_without_alt) % {"count": scanner.images_without_alt})
    if scanner.external_images:
        hosts = ", ".join(sorted(set(scanner.external_images)))
        yield Finding("markup.external_image", WARNING, ngettext(
            "%(count)d image is loaded from another site (%(hosts)s): it may change or vanish, and that site "
            "sees who reads the article. Upload it to the library instead.",
            "%(count)d images are loaded from other sites (%(hosts)s): they may change or vanish, and those "
            "sites see who reads the article. Upload them to the library instead.",
            len(scanner.external_images)) % {"count": len(scanner.external_images), "hosts": hosts})
    referred = images.references(text.body)
    if text.vocabulary is not None:
        missing = sorted(set(referred) - text.vocabulary.image_ids)
    else:
        missing = sorted(set(referred) - set(Image.objects.filter(pk__in=referred).values_list("pk", flat=True))
                         ) if referred else []
    if missing:
        yield Finding("markup.missing_image", ERROR,
                      _("The body shows pictures that are not in the library: %(refs)s.")
                      % {"refs": ", ".join(f"image:{pk}" for pk in missing)})
    yield from check_pictures_ready(text)
    for href, label in scanner.links:
        scheme = urlsplit(href.strip()).scheme.lower()
        if not href.strip() or href.strip() == "#":
            yield Finding("markup.link_empty", WARNING, _("A link has no address."), where=f"[{label}]")
        elif scheme and scheme not in ALLOWED_PROTOCOLS:
            yield Finding("markup.link_scheme", ERROR,
                          _("A link uses “%(scheme)s:”, which is removed: only http, https and mailto work.")
                          % {"scheme": scheme}, where=f"[{label}]({href})")
        elif not label.strip():
            yield Finding("markup.link_text", WARNING, _("A link has no text to click."), where=href)
    if 1 in scanner.headings:
        yield Finding("markup.h1", WARNING,
                      _("The body uses a level-1 heading (#); the title is the page's only one. Start at ##."))
    previous = 1
    for level in scanner.headings:
        if level > previous + 1:
            yield Finding("markup.heading_skip", WARNING,
                          _("A level-%(level)d heading follows a level-%(previous)d one: a level is skipped.")
                          % {"level": level, "previous": previous})
            break
        previous = level
    if scanner.removed:
        removed = ", ".join(sorted(scanner.removed))
        yield Finding("markup.removed", WARNING,
                      _("Some raw HTML will be removed when the article is shown: %(removed)s.")
                      % {"removed": removed})


def check_template_code(text):
    """Liquid (or any ``{% %}``/``{{ }}`` template code) left in the prose: what an
    import could not evaluate, and readers would see as text. Code blocks may show it."""
    if text.render_error:
        return
    found = text.markup["template_code"]
    if found:
        shown = ", ".join(dict.fromkeys(" ".join(code.split())[:40] for code in found[:5]))
        yield Finding("markup.template_code", ERROR, ngettext(
            "The body holds template code readers would see as text: %(code)s. Replace it with what it "
            "should show, or put it in a code block.",
            "The body holds %(count)d pieces of template code readers would see as text: %(code)s. Replace "
            "them with what they should show, or put them in code blocks.",
            len(found)) % {"count": len(found), "code": shown})


def check_writing(text):
    """Japanese writing: spelling variants, the house style, readability (articles/writing.py)."""
    if text.render_error:
        return
    terms = text.vocabulary.house_terms if text.vocabulary else writing.house_terms()
    yield from writing.check(text.title, text.excerpt, text.html, terms)


CHECKS = [check_duplicates, check_title_and_excerpt, check_tags, check_markup, check_template_code,
          check_reading_time, check_writing]


def run_checks(text: ArticleText):
    """All findings for ``text``, errors first, at most SHOWN_PER_RULE of each rule."""
    findings = [finding for check in CHECKS for finding in check(text)]
    return sorted(capped(findings), key=lambda finding: LEVEL_ORDER[finding.level])


def findings_for_revision(revision, *, body_html=None):
    """``run_checks`` of a saved revision, kept until readers' next generation: a revision
    never changes, and what else the checks read (the house style, the vocabularies, the
    library's pictures) starts a new generation when it changes. The review page is
    opened many times for one version."""
    text = ArticleText.of_revision(revision, body_html=body_html)
    if images.unready(images.shown(revision.body, revision.cover_id)):
        return run_checks(text)  # a picture being made changes what they say within seconds
    return remember(f"findings:{revision.pk}:{translation.get_language()}", lambda: run_checks(text), areas=())


def blocking(findings):
    return [finding for finding in findings if finding.level == ERROR]
