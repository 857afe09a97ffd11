"""What a check says: a finding, with its level. Shared by the editorial checks
(articles/checks/editorial.py) and the Japanese writing checks (articles/checks/writing.py)."""

from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
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
    # A line standing for this many more findings of the rule, not listed (``capped``).
    more: int = 0


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
            "And %(count)d more like the ones above, not listed.", count) % {"count": count}, more=count))
    return shown


# What the desk calls each rule, in the order an editor should read them: what readers
# would notice first (the text said twice, the excerpt, the tags, the markup), then the
# house style and the words, then sentences, then characters.
RULES = {
    "duplicates": _("Repeated passages"),
    "excerpt": _("Excerpt"),
    "title": _("Title"),
    "body": _("Beginning of the body"),
    "tags": _("Tags"),
    "markup": _("Markdown and pictures"),
    "reading_time": _("Reading time"),
    "writing.not_checked": _("Writing not checked"),
    "writing.house_style": _("House style"),
    "writing.variants": _("Spelling variants"),
    "writing.redundant": _("Redundant expressions"),
    "writing.ra_dropping": _("Potential forms without ら"),
    "writing.successive_word": _("Words twice in a row"),
    "writing.doubled_particle": _("Doubled particles"),
    "writing.sentence_length": _("Long sentences"),
    "writing.commas": _("Commas"),
    "writing.kanji_run": _("Runs of kanji"),
    "writing.mixed_style": _("Mixed styles"),
    "writing.same_ending": _("Repeated endings"),
    "writing.hedging": _("Hedges"),
    "writing.exclamation": _("Exclamations and questions"),
    "writing.halfwidth_kana": _("Half-width katakana"),
    "writing.fullwidth_alnum": _("Full-width letters and digits"),
    "writing.mixed_punctuation": _("Punctuation"),
    "writing.spacing": _("Spaces between Japanese and Latin"),
}
_RULE_ORDER = {key: index for index, key in enumerate(RULES)}


def rule_of(code):
    """The rule a finding's code belongs to: a writing rule is its own, the editorial
    checks go by family (excerpt.missing and excerpt.is_title are the excerpt's)."""
    return code if code.startswith("writing.") else code.split(".", 1)[0]


def may_silence(rule):
    """Whether an editor may stop ``rule`` for one article: the writing rules, which are
    advice (errors have their own override, with a reason, at approval)."""
    return rule.startswith("writing.") and rule != "writing.not_checked"


@dataclass
class Group:
    rule: str
    name: str
    level: str
    findings: list

    @property
    def count(self):
        return sum(finding.more or 1 for finding in self.findings)

    @property
    def silenceable(self):
        return may_silence(self.rule)


def grouped(findings):
    """``findings`` by rule, the most important first: errors before warnings before
    information, then in ``RULES`` order."""
    groups = {}
    for finding in findings:
        rule = rule_of(finding.code)
        group = groups.setdefault(rule, Group(rule, RULES.get(rule, rule), finding.level, []))
        group.findings.append(finding)
        if LEVEL_ORDER[finding.level] < LEVEL_ORDER[group.level]:
            group.level = finding.level
    return sorted(groups.values(), key=lambda group: (LEVEL_ORDER[group.level], _RULE_ORDER.get(group.rule, 99)))
