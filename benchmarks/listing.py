"""How long the newest-20 listing takes with many articles, and which plan serves it.

    .venv/bin/python benchmarks/listing.py [ARTICLES]

Builds a throwaway SQLite database (or uses DATABASE_URL's, which must be empty),
fills it with ARTICLES published articles (default 100,000) plus drafts, and prints the
median time of the home page's queries and the query plan. Figures, not a pass/fail.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
workdir = tempfile.mkdtemp(prefix="editorial-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "editorial.settings")

import django  # noqa: E402

django.setup()

import datetime as dt  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from articles.models import Article, Revision, Status  # noqa: E402


def fill(count):
    now = timezone.now()
    # Live articles point at a published revision; one shared revision is enough here.
    holder = Article.objects.create(title="holder", slug="holder", status=Status.DRAFT)
    revision = Revision.objects.create(article=holder, version=1, title="holder", slug="holder")
    batch = []
    for n in range(count):
        live = bool(n % 10)
        batch.append(
            Article(
                title=f"記事 {n}", slug=f"article-{n}", excerpt="抜粋", body_html="<p>本文</p>",
                status=Status.PUBLISHED if live else Status.DRAFT, published_at=now - dt.timedelta(minutes=n),
                published_revision=revision if live else None,
            )
        )
        if len(batch) == 5000:
            Article.objects.bulk_create(batch)  # bulk_create skips save(): no rendering
            batch = []
    Article.objects.bulk_create(batch)


def timed(fn, repeat=30):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    call_command("migrate", verbosity=0)
    fill(count)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    newest = Article.objects.published().order_by("-published_at", "-id")
    print(f"articles: {Article.objects.count():,} ({connection.vendor})")
    print(f"newest 20 (query only): {timed(lambda: list(newest[:20])):.2f} ms median")
    print(f"published count: {timed(lambda: newest.count()):.2f} ms median")
    client = Client()
    print(f"home page (whole request): {timed(lambda: client.get('/'), repeat=10):.2f} ms median")
    print("plan:", newest[:20].explain())


if __name__ == "__main__":
    main()
