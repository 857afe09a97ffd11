"""Japanese writing checks: spelling variants (表記ゆれ), the desk's house style, and
readability rules modelled on textlint's preset-ja-technical-writing.

Each finding names the sentence it is about (the desk highlights it) and, where the fix
is mechanical (a variant to the house form, full-width letters to half-width), the
replacement (``Finding.fix``), which articles/checks/fixes.py makes in the Markdown, and
which is offered only where it applies. Code, addresses, quotations and links' titles
are not the writer's prose: they are never read here, nor changed.

Thresholds are settings (``EDITORIAL_WRITING_RULES``), defaults as textlint's.

The analysis runs in a helper process bounded by the CPU time it spends
(``EDITORIAL_WRITING_CHECK_SECONDS``, articles/rendering/bounded.py), as rendering does: a very
long text gets a finding that says its writing was not checked, never a stuck request.
"""

import dataclasses

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from articles.checks.findings import INFO
from articles.checks.fixes import apply_fix
from articles.checks.prose import Block, finding, prose_blocks, quoted_spans, rules
from articles.checks.readability import check_characters, check_sentences, check_spacing
from articles.checks.spelling import check_spelling
from articles.rendering import bounded


def check(title, excerpt, html, terms, body=None):
    """The writing findings of an article: ``terms`` is the house style (``Term`` list);
    ``body``, its Markdown, lets a fix be offered only where it applies. Analysed in a
    helper within ``EDITORIAL_WRITING_CHECK_SECONDS`` of CPU time."""
    sources = (title, excerpt, body) if body is not None else None
    try:
        found = _runner.run(check_here, translation.get_language(), title, excerpt, html, terms, rules(), sources,
                            cpu_seconds=settings.EDITORIAL_WRITING_CHECK_SECONDS)
    except bounded.Timeout:
        return [finding("writing.not_checked", INFO, _(
            "The writing of this text was not checked: it is too long to check in %(seconds)s s of processing. "
            "The other checks ran.") % {"seconds": settings.EDITORIAL_WRITING_CHECK_SECONDS}, "")]
    except (bounded.Busy, bounded.HelperDied):
        return [finding("writing.not_checked", INFO, _(
            "The writing of this text was not checked this time: the server is busy. The other checks ran."), "")]
    return found


def check_here(language, title, excerpt, html, terms, limits, sources=None):
    """The analysis itself, in this process and unbounded (the helper runs it).
    ``sources``: the texts a fix is made in (title, excerpt, Markdown body); a fix that
    changes none of them is not offered."""
    with translation.override(language):
        blocks = prose_blocks(html)
        head = [Block("heading", title, tuple(quoted_spans(title)))]
        if excerpt:
            head.append(Block("paragraph", excerpt, tuple(quoted_spans(excerpt))))
        seen, found = set(), []
        issues = (*check_spelling(head + blocks, terms), *check_characters(head + blocks),
                  *check_sentences(blocks, limits), *check_spacing(blocks, limits))
        for issue in issues:
            # A passage said twice (the duplicate checks report that) is one finding, not two.
            if (issue.code, issue.sentence, issue.message) not in seen:
                seen.add((issue.code, issue.sentence, issue.message))
                found.append(issue)
        if sources is not None:
            found = [_offered(issue, sources) for issue in found]
        return found


def _offered(issue, sources):
    if issue.fix and not any(apply_fix(text, *issue.fix)[1] for text in sources if text):
        return dataclasses.replace(issue, fix=())
    return issue


class FixNotMade(Exception):
    """The server was too busy to make a fix (the message says so)."""


def apply_fixes(texts, old, new):
    """``({name: text}, replacements)``: ``texts`` (title, excerpt, body) with ``old``
    replaced by ``new`` where the checks found it (``fixes.apply_fix``), made in the
    helper within ``EDITORIAL_WRITING_CHECK_SECONDS``. Raises ``FixNotMade``."""
    try:
        return _runner.run(apply_fixes_here, texts, old, new, cpu_seconds=settings.EDITORIAL_WRITING_CHECK_SECONDS)
    except (bounded.Timeout, bounded.Busy, bounded.HelperDied):
        raise FixNotMade(_("The fix could not be made: the server is busy. Nothing was changed: try again in a "
                           "moment.")) from None


def apply_fixes_here(texts, old, new):
    fixed, count = {}, 0
    for name, text in texts.items():
        fixed[name], replaced = apply_fix(text, old, new)
        count += replaced
    return fixed, count


def warm_up():
    """Django's apps (for translations) and the dictionary, before the helper takes work."""
    import django

    django.setup()
    check_here(settings.LANGUAGE_CODE, "見出し", "抜粋です。", "<p>サーバーの設定を確認する。サーバの話です。</p>", [],
               rules())


_runner = bounded.BoundedRunner(preload=[__name__], warm_up=warm_up, size=1)
