"""Editorial checks: what an editor should see before approving, not after readers do.

Each check takes an ``ArticleText`` and yields ``Finding``s with a level (error,
warning, info), a message in the active language, and where it applies. Error-level
findings block approval unless an editor overrides them with a written reason
(articles/publishing/workflow.py).
"""

import re
import unicodedata
from functools import lru_cache

from django.utils import translation
from django.utils.translation import gettext as _

from articles.checks import writing
from articles.checks.article_text import ArticleText, house_terms
from articles.checks.findings import ERROR, INFO, LEVEL_ORDER, WARNING, Finding, capped
from articles.checks.markup import check_markup, check_template_code
from articles.checks.repeats import check_duplicates, deduplicated_paragraphs, normalise
from articles.media import images, pictures
from articles.models.tags import CompanyTag, topics_with_aliases
from articles.reading.caching import remember
from articles.rendering.plain_text import reading_time_minutes

TITLE_MAX = 60  # characters a search result shows of a Japanese title, about
EXCERPT_MAX = 120  # characters of a meta description that survive, about


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


def check_writing(text):
    """Japanese writing: spelling variants, the house style, readability (articles/checks/writing.py),
    for an article written in Japanese."""
    if text.render_error or not text.is_japanese:
        return
    terms = text.vocabulary.house_terms if text.vocabulary else house_terms()
    yield from writing.check(text.title, text.excerpt, text.html, terms, body=text.body)


CHECKS = [check_duplicates, check_title_and_excerpt, check_tags, check_markup, check_template_code,
          check_reading_time, check_writing]


def run_checks(text: ArticleText):
    """All findings for ``text``, errors first, at most SHOWN_PER_RULE of each rule,
    without the rules an editor stopped for the article."""
    findings = [finding for check in CHECKS for finding in check(text) if finding.code not in text.silenced]
    return sorted(capped(findings), key=lambda finding: LEVEL_ORDER[finding.level])


def findings_for_revision(revision, *, body_html=None):
    """``run_checks`` of a saved revision, kept until readers' next generation: a revision
    never changes, and what else the checks read (the house style, the vocabularies, the
    library's pictures) starts a new generation when it changes. The review page is
    opened many times for one version."""
    text = ArticleText.of_revision(revision, body_html=body_html)
    if images.unready(pictures.shown(revision.body, revision.cover_id)):
        return run_checks(text)  # a picture being made changes what they say within seconds
    silenced = ",".join(sorted(text.silenced))
    return remember(f"findings:{revision.pk}:{translation.get_language()}:{silenced}", lambda: run_checks(text),
                    areas=())


def blocking(findings):
    return [finding for finding in findings if finding.level == ERROR]
