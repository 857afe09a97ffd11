"""Readable differences between two versions of an article.

Japanese has no spaces between words, so a word diff would mark whole sentences;
lines are compared first, then the characters of each changed pair of lines.
"""

from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

FIELD_LABELS = {
    "title": _("Title"),
    "slug": _("Slug"),
    "byline": _("Byline"),
    "category": _("Category"),
    "companies": _("Companies"),
    "topics": _("Topics"),
    "excerpt": _("Excerpt"),
    "cover": _("Cover image"),
    "body": _("Body"),
}


@dataclass
class DiffLine:
    kind: str  # "equal", "insert", "delete", "replace-old", "replace-new"
    html: str
    old_number: int | None
    new_number: int | None


@dataclass
class FieldDiff:
    name: str
    label: str
    lines: list

    @property
    def changed(self):
        return any(line.kind != "equal" for line in self.lines)


def _inline(old, new):
    """Mark the characters that differ between two lines with <del> and <ins>."""
    old_html, new_html = [], []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        a, b = escape(old[i1:i2]), escape(new[j1:j2])
        if tag == "equal":
            old_html.append(a)
            new_html.append(b)
        else:
            if a:
                old_html.append(f"<del>{a}</del>")
            if b:
                new_html.append(f"<ins>{b}</ins>")
    return mark_safe("".join(old_html)), mark_safe("".join(new_html))


def diff_text(old: str, new: str, *, context: int | None = 3) -> list[DiffLine]:
    """Line-by-line differences, with changed line pairs marked character by character.

    With ``context``, unchanged lines further than that from a change are left out.
    """
    old_lines, new_lines = (old or "").splitlines(), (new or "").splitlines()
    result = []
    matcher = SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            result.extend(
                DiffLine("equal", escape(old_lines[i]), i + 1, j1 + k + 1) for k, i in enumerate(range(i1, i2))
            )
        elif tag == "replace":
            pairs = min(i2 - i1, j2 - j1)
            for k in range(pairs):
                old_html, new_html = _inline(old_lines[i1 + k], new_lines[j1 + k])
                result.append(DiffLine("replace-old", old_html, i1 + k + 1, None))
                result.append(DiffLine("replace-new", new_html, None, j1 + k + 1))
            result.extend(DiffLine("delete", escape(old_lines[i]), i + 1, None) for i in range(i1 + pairs, i2))
            result.extend(DiffLine("insert", escape(new_lines[j]), None, j + 1) for j in range(j1 + pairs, j2))
        elif tag == "delete":
            result.extend(DiffLine("delete", escape(old_lines[i]), i + 1, None) for i in range(i1, i2))
        else:
            result.extend(DiffLine("insert", escape(new_lines[j]), None, j + 1) for j in range(j1, j2))
    return _trim(result, context) if context is not None else result


def _trim(lines, context):
    changed = [i for i, line in enumerate(lines) if line.kind != "equal"]
    keep = {j for i in changed for j in range(i - context, i + context + 1)}
    trimmed, skipped = [], False
    for i, line in enumerate(lines):
        if i in keep:
            trimmed.append(line)
            skipped = False
        elif not skipped:
            trimmed.append(DiffLine("skip", "…", None, None))
            skipped = True
    return trimmed


def _as_text(name, value):
    if name in ("companies", "topics"):
        return ", ".join(value or [])
    if name in ("category", "cover"):
        return str(value) if value else ""
    return value or ""


def diff_contents(old: dict, new: dict) -> list[FieldDiff]:
    """Differences between two content dicts (``Revision.content()``), changed fields only."""
    diffs = []
    for name, label in FIELD_LABELS.items():
        old_text, new_text = _as_text(name, old.get(name)), _as_text(name, new.get(name))
        if old_text != new_text:
            diffs.append(FieldDiff(name, label, diff_text(old_text, new_text)))
    return diffs
