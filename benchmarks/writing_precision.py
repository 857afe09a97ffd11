"""How often the Japanese writing checks are right, on the labelled corpus of
tests/writing_corpus.py (our own text, the kinds a tech desk publishes and imports).

    .venv/bin/python benchmarks/writing_precision.py

Prints, per rule, the findings and how many are right (precision), the labelled findings
no rule gave, the one-click fixes offered and how many are wrong, findings per 1,000
characters on ordinary prose and on everything, and the CPU time per 10 KB. Targets
(issue 23): every rule ≥ 70 % precision, no wrong fix, ≤ 1.5 findings per 1,000
characters of ordinary prose. Figures, not a verdict.
"""

import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.mkdtemp(prefix='editorial-bench-')}/bench.sqlite3")
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "editorial.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import translation  # noqa: E402

from articles.checks import writing  # noqa: E402
from articles.checks.article_text import ArticleText, house_terms  # noqa: E402
from articles.checks.editorial import run_checks  # noqa: E402
from articles.checks.fixes import apply_fix  # noqa: E402
from articles.rendering import japanese  # noqa: E402
from articles.rendering.plain_text import html_to_text  # noqa: E402
from tests.writing_corpus import DOCUMENTS, fixes_judged, judged, missed  # noqa: E402


def main():
    call_command("migrate", verbosity=0)
    translation.activate("ja")
    per_rule, right_per_rule = Counter(), Counter()
    wrong_fixes, fixes, not_found = [], 0, []
    characters, ordinary_characters, ordinary_findings, all_findings, cpu = 0, 0, 0, 0, 0.0
    for document in DOCUMENTS:
        text = ArticleText(title=document["title"], body=document["text"])
        size = len(html_to_text(text.html)) + len(document["title"])
        started = time.process_time()
        found = run_checks(text)
        cpu += time.process_time() - started
        verdicts = judged(document, found)
        for finding, right in verdicts:
            per_rule[finding.code] += 1
            right_per_rule[finding.code] += right
            if not right:
                print(f"  wrong  {document['name']}: {finding.code} {finding.sentence[:50]!r}")
        not_found += [(document["name"], *label) for label in missed(document, found)]
        for fix, right in fixes_judged(document, found, apply_fix):
            fixes += 1
            if not right:
                wrong_fixes.append((document["name"], fix))
        characters += size
        all_findings += len(verdicts)
        if document["kind"] == "ordinary":
            ordinary_characters += size
            ordinary_findings += len(verdicts)
    print(f"{'rule':28} {'found':>5} {'right':>5} {'precision':>9}")
    for code in sorted(per_rule):
        print(f"{code:28} {per_rule[code]:5d} {right_per_rule[code]:5d} {right_per_rule[code] / per_rule[code]:9.0%}")
    total, right = sum(per_rule.values()), sum(right_per_rule.values())
    print(f"{'all rules':28} {total:5d} {right:5d} {right / total if total else 1:9.0%}")
    print(f"labelled findings not given: {len(not_found)}", *(f"\n  {item}" for item in not_found))
    print(f"fixes offered: {fixes}, wrong: {len(wrong_fixes)}", *(f"\n  {item}" for item in wrong_fixes))
    print(f"findings per 1,000 characters: ordinary prose {1000 * ordinary_findings / ordinary_characters:.2f}, "
          f"all {1000 * all_findings / characters:.2f} ({characters:,} characters)")
    print(f"CPU per 10,000 characters, all checks (this process; the writing analysis runs in a helper): "
          f"{10_000 * cpu / characters * 1000:.0f} ms")
    # The writing analysis itself, here, on texts it has not seen (no remembered words).
    terms, limits, analysed = house_terms(), writing.rules(), 0.0
    for _repeat in range(3):
        for document in DOCUMENTS:
            text = ArticleText(title=document["title"], body=document["text"])
            html = text.html
            for cache in (japanese._words, japanese._sentences, japanese._sentence_starts):
                cache.cache_clear()
            started = time.process_time()
            writing.check_here("ja", text.title, "", html, terms, limits, (text.title, "", text.body))
            analysed += time.process_time() - started
    per_10k = 10_000 * analysed / (3 * characters) * 1000
    print(f"CPU per 10,000 characters, the writing analysis alone (fixes verified): {per_10k:.0f} ms")


if __name__ == "__main__":
    main()
