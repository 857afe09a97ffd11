"""How long all editorial checks take on the publisher's seed post (70 KB).

    .venv/bin/python benchmarks/checks.py [PATH]

Target: under 150 ms on the project's machines (2 cores), Japanese writing checks
included. Prints the median of repeated runs, with and without a stored rendering of
the body, and with no paragraph analysed before; figures, not a verdict.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.mkdtemp(prefix='editorial-bench-')}/bench.sqlite3")
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "editorial.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from samples import long_post  # noqa: E402

from articles.checks.article_text import ArticleText  # noqa: E402
from articles.checks.editorial import run_checks  # noqa: E402
from articles.jekyll.posts import read_post  # noqa: E402
from articles.rendering import japanese  # noqa: E402
from articles.rendering.markdown import render_markdown  # noqa: E402


def forget_analyses():
    japanese._words.cache_clear()
    japanese._sentences.cache_clear()
    japanese._sentence_starts.cache_clear()


SEED = ROOT.parent / "shared" / "seeds" / "2025-12-25-trainium2.md"


def median_ms(make_text, repeat=20, cold=False):
    times = []
    for _ in range(repeat):
        if cold:
            forget_analyses()
        text = make_text()
        start = time.perf_counter()
        findings = run_checks(text)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), findings


def main():
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else SEED
    if not path.exists() and len(sys.argv) > 1:
        sys.exit(f"no post at {path}")
    if not path.exists():
        # The publisher's sample lives outside the repository; measure our own instead.
        print(f"(no sample post at {path}: measuring a long article of our own, benchmarks/samples.py)")
        path = Path(tempfile.mkdtemp(prefix="editorial-bench-")) / "2026-11-20-long-article.md"
        path.write_text(long_post(), encoding="utf-8")
    call_command("migrate", verbosity=0)  # the company vocabulary lives in the database
    post = read_post(path)
    html = render_markdown(post.body)

    def fields():
        return {"title": post.title, "body": post.body, "excerpt": post.excerpt,
                "companies": ["Google", "NVIDIA", "Amazon", "Apple"], "topics": ["LLM", "マルチモーダル"],
                "source_reading_time": post.reading_time}

    stored, findings = median_ms(lambda: ArticleText(**fields(), body_html=html))
    fresh, _ = median_ms(lambda: ArticleText(**fields()), repeat=10)
    japanese.words("準備")  # the dictionary is loaded once per process, not per check
    cold, _ = median_ms(lambda: ArticleText(**fields(), body_html=html), repeat=10, cold=True)
    print(f"post: {path.name} ({path.stat().st_size:,} bytes, {len(post.body):,} characters of body)")
    print(f"all checks, body already rendered (review page, stored article): {stored:.1f} ms median")
    print(f"all checks, rendering the body too (unsaved text): {fresh:.1f} ms median")
    print(f"all checks, no paragraph analysed before (first look at a new text): {cold:.1f} ms median")
    print(f"findings: {len(findings)}")
    for finding in findings:
        print(f"  {finding.level:<7} {finding.code:<24} {finding.message}")


if __name__ == "__main__":
    main()
