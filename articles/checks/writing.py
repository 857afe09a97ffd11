"""Japanese writing checks: spelling variants (表記ゆれ), the desk's house style, and
readability rules modelled on textlint's preset-ja-technical-writing.

Each finding names the sentence it is about (the desk highlights it) and, where the fix
is mechanical (a variant to the house form, full-width letters to half-width), the
replacement (``Finding.fix``), which ``apply_fix`` makes in the Markdown. Code, addresses
and quotations are not prose: they are never read here.

Thresholds are settings (``EDITORIAL_WRITING_RULES``), defaults as textlint's.

The analysis runs in a helper process bounded by the CPU time it spends
(``EDITORIAL_WRITING_CHECK_SECONDS``, articles/rendering/bounded.py), as rendering does: a very
long text gets a finding that says its writing was not checked, never a stuck request.
"""

import re

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from articles.checks.findings import INFO
from articles.checks.prose import Block, finding, prose_blocks, rules
from articles.checks.readability import check_characters, check_sentences
from articles.checks.spelling import check_spelling
from articles.rendering import bounded


def check(title, excerpt, html, terms):
    """The writing findings of an article: ``terms`` is the house style (``Term`` list).
    Analysed in a helper within ``EDITORIAL_WRITING_CHECK_SECONDS`` of CPU time."""
    try:
        found = _runner.run(check_here, translation.get_language(), title, excerpt, html, terms, rules(),
                            cpu_seconds=settings.EDITORIAL_WRITING_CHECK_SECONDS)
    except bounded.Timeout:
        return [finding("writing.not_checked", INFO, _(
            "The writing of this text was not checked: it is too long to check in %(seconds)s s of processing. "
            "The other checks ran.") % {"seconds": settings.EDITORIAL_WRITING_CHECK_SECONDS}, "")]
    except (bounded.Busy, bounded.HelperDied):
        return [finding("writing.not_checked", INFO, _(
            "The writing of this text was not checked this time: the server is busy. The other checks ran."), "")]
    return found


def check_here(language, title, excerpt, html, terms, limits):
    """The analysis itself, in this process and unbounded (the helper runs it)."""
    with translation.override(language):
        blocks = prose_blocks(html)
        head = [Block("heading", title)] + ([Block("paragraph", excerpt)] if excerpt else [])
        seen, found = set(), []
        issues = (*check_spelling(head + blocks, terms), *check_characters(head + blocks),
                  *check_sentences(blocks, limits))
        for issue in issues:
            # A passage said twice (the duplicate checks report that) is one finding, not two.
            if (issue.code, issue.sentence, issue.message) not in seen:
                seen.add((issue.code, issue.sentence, issue.message))
                found.append(issue)
        return found


def warm_up():
    """Django's apps (for translations) and the dictionary, before the helper takes work."""
    import django

    django.setup()
    check_here(settings.LANGUAGE_CODE, "見出し", "抜粋です。", "<p>サーバーの設定を確認する。サーバの話です。</p>", [],
               rules())


_runner = bounded.BoundedRunner(preload=[__name__], warm_up=warm_up, size=1)


# ---------------------------------------------------------------------------------
# Mechanical fixes, made in the Markdown

_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})")
_PROTECTED = re.compile(r"`+[^`\n]*`+|\]\([^)\s]*\)|<[^>\n]*>|(?:https?://|www\.)\S+")


_KATAKANA = "ァ-ヺー"


def _whole(old):
    """``old`` as a whole word where katakana would run on (サーバ, not the サーバ of
    サーバー)."""
    before = f"(?<![{_KATAKANA}])" if re.match(f"[{_KATAKANA}]", old) else ""
    after = f"(?![{_KATAKANA}])" if re.search(f"[{_KATAKANA}]$", old) else ""
    return re.compile(before + re.escape(old) + after)


def apply_fix(body, old, new):
    """``body`` with ``old`` replaced by ``new`` in its prose, not in code (fenced blocks
    and `spans`), link targets, HTML tags or addresses. Returns (text, replacements)."""
    lines, fence, count = [], None, 0
    for line in body.split("\n"):
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening.group(2)[0] == fence[0] and len(opening.group(2)) >= len(fence):
                fence = None
            lines.append(line)
            continue
        if opening:
            fence = opening.group(2)
            lines.append(line)
            continue
        if line.startswith(("    ", "\t")) or line.lstrip().startswith(">"):
            lines.append(line)  # indented code, a quotation
            continue
        pieces, last = [], 0
        for match in _PROTECTED.finditer(line):
            pieces.append((line[last:match.start()], True))
            pieces.append((match.group(0), False))
            last = match.end()
        pieces.append((line[last:], True))
        fixed = []
        for piece, prose in pieces:
            if prose:
                piece, replaced = _whole(old).subn(lambda _match: new, piece)
                count += replaced
            fixed.append(piece)
        lines.append("".join(fixed))
    return "\n".join(lines), count
