"""What a check says: a finding, with its level. Shared by the editorial checks
(articles/checks/editorial.py) and the Japanese writing checks (articles/checks/writing.py)."""

from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import ngettext

ERROR, WARNING, INFO = "error", "warning", "info"
LEVEL_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}


@dataclass(frozen=True)
class Finding:
    code: str
    level: str
    message: str
    where: str = ""
    # The sentence it is about, as readers read it (the desk highlights it there), and a
    # mechanical fix: (what to replace, with what).
    sentence: str = ""
    fix: tuple = ()


# Findings of one rule listed at most; the rest are counted (a 99,000-character text gave
# a 3.7 MB preview, and nobody reads the 900th finding).
SHOWN_PER_RULE = 25


def capped(findings):
    """``findings`` with at most SHOWN_PER_RULE of each rule, and a line counting the rest."""
    shown, per_rule, hidden = [], defaultdict(int), defaultdict(int)
    for finding in findings:
        per_rule[finding.code] += 1
        if per_rule[finding.code] <= SHOWN_PER_RULE:
            shown.append(finding)
        else:
            hidden[finding.code] += 1
    for code, count in hidden.items():
        level = next(finding.level for finding in shown if finding.code == code)
        shown.append(Finding(code, level, ngettext(
            "And %(count)d more like the ones above, not listed.",
            "And %(count)d more like the ones above, not listed.", count) % {"count": count}))
    return shown
