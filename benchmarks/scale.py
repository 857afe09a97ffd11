"""Does every public page stay flat as the archive grows? p50 at two sizes, side by side.

    .venv/bin/python benchmarks/scale.py [SMALL LARGE]        # default 1000 100000, SQLite
    BENCH_PG=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/scale.py

For each size a throwaway database is filled (SQLite files in a temporary folder, or one
database per size on BENCH_PG's server, dropped afterwards) with published articles whose
companies and topics follow a Zipf law (the commonest company is on ~1 in 5 articles),
bodies of ~2,000 characters with a common word (3 in 10), and 10% drafts; a rare company
and a rare word are on the same three articles at every size. Then each page is
requested in-process (Django's test client) with the server-side page cache OFF: what is
measured is the work of making the page, the cost a publish brings back
(articles/caching.py). Tag counts are kept per generation as in production; the article
page is measured over different articles, so its related articles are mostly made anew.

The sizes are measured in turns (three rounds, each page's median of 15 requests per
round, then the median of the rounds), so that the machine's load changing between
them does not show as a ratio. Prints p50 per page at both sizes and their ratio; the
goal is ≤ 2×. Figures, not a test.
"""

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMPANIES = 200
TOPICS = 100
CATEGORIES = 8
COMMON_WORD, RARE_WORD = "推論", "量子アニーリング"
RARE = {11, 222, 777}  # the articles with the rare word and the rare company
FILLER = ("生成AIの導入が進み、各社はデータセンターへの投資を拡大している。"
          "新しいモデルは処理速度と精度の両方で前世代を上回った。"
          "開発者向けの提供は来月から始まる予定で、価格は据え置きとなる。")


def child(count, database_url):
    return measure(prepare(count, database_url, fill_it=False))


def prepare(count, database_url, fill_it=True, **environment):
    """In this (child) process: Django on the database of ``count`` articles, filled and
    analysed first if ``fill_it``; returns a test client. ``environment``: settings to
    set first."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["EDITORIAL_PAGE_CACHE_SECONDS"] = "0"
    # Production settings name static files by their content: collected afresh here, so
    # that a stale staticfiles/ in the checkout never decides the outcome.
    os.environ["STATIC_ROOT"] = tempfile.mkdtemp(prefix="editorial-static-")
    os.environ.update(environment)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "editorial.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("collectstatic", interactive=False, verbosity=0)
    if fill_it:
        call_command("migrate", verbosity=0)
        fill(count)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return Client()


def at_sizes(script, sizes, name, rounds=3):
    """Fill a database for each size (SQLite files, or BENCH_PG's server), then run
    ``script --child SIZE DATABASE_URL`` on each, the sizes taking turns for ``rounds``
    rounds, so that a change of the machine's load between them reaches every size
    alike; ``{size: {figure: median over the rounds}}`` of the JSON each run printed last."""
    server = os.environ.get("BENCH_PG")
    workdir = tempfile.mkdtemp(prefix=f"editorial-{name}-")
    urls = {}
    for size in sizes:
        urls[size] = _pg_database(server, f"editorial_{name}_{size}") if server \
            else f"sqlite:///{workdir}/{name}-{size}.sqlite3"
        started = time.monotonic()
        subprocess.run([sys.executable, __file__, "--fill", str(size), urls[size]], check=True, cwd=ROOT)  # noqa: S603
        print(f"filled {size:,} articles in {time.monotonic() - started:.0f} s", file=sys.stderr)
    runs = {size: [] for size in sizes}
    for _ in range(rounds):
        for size in sizes:
            output = subprocess.run([sys.executable, script, "--child", str(size), urls[size]], check=True,  # noqa: S603
                                    capture_output=True, text=True, cwd=ROOT).stdout
            runs[size].append(json.loads(output.strip().splitlines()[-1]))
    return {size: {key: statistics.median(run[key] for run in runs[size]) for key in runs[size][0]}
            for size in sizes}


def fill(count):
    import datetime as dt

    from django.db import connection
    from django.utils import timezone

    from articles import public_data, search
    from articles.models import Article, Category, Revision, Status
    from articles.tags import CompanyTag, TaggedCompany, TaggedTopic, TopicTag

    rng = random.Random(7)  # noqa: S311 (made-up data, the same each run)
    now = timezone.now()
    # A bulk load: the search index is built once at the end, not row by row (PostgreSQL's
    # trigram index made the fill crawl: 22,000 articles in 15 minutes).
    search.remove_index(connection)
    categories = Category.objects.bulk_create(
        Category(name=f"分類{n}", slug=f"category-{n}") for n in range(CATEGORIES))
    companies = CompanyTag.objects.bulk_create(
        CompanyTag(name=f"Company{n}", slug=f"company-{n}") for n in range(COMPANIES))
    topics = TopicTag.objects.bulk_create(TopicTag(name=f"話題{n}", slug=f"topic-{n}") for n in range(TOPICS))
    company_weights = [1 / (n + 1) for n in range(COMPANIES)]
    topic_weights = [1 / (n + 1) for n in range(TOPICS)]
    holder = Article.objects.create(title="holder", slug="holder", status=Status.DRAFT)
    revision = Revision.objects.create(article=holder, version=1, title="holder", slug="holder")
    for start in range(0, count, 2000):
        articles, tags = [], []
        for n in range(start, min(count, start + 2000)):
            live = n % 10 != 0
            words = [COMMON_WORD] if rng.random() < 0.3 else []
            chosen = (set(rng.choices(range(COMPANIES - 1), company_weights[:-1], k=rng.randint(1, 3))),
                      set(rng.choices(range(TOPICS), topic_weights, k=rng.randint(1, 3))))
            if n in RARE:
                # The same few articles at every size: a rare page shows as much at each.
                words.append(RARE_WORD)
                chosen[0].add(COMPANIES - 1)
            body = FILLER * 8 + "".join(words) + FILLER * 2
            title = f"記事{n} {''.join(words[:1])}の発表"
            article = Article(
                title=title, slug=f"article-{n}", excerpt="要約です。", body_html=f"<p>{body}</p>",
                category=categories[n % CATEGORIES], status=Status.PUBLISHED if live else Status.DRAFT,
                published_at=now - dt.timedelta(minutes=15 * n), last_published_at=now - dt.timedelta(minutes=15 * n),
                published_revision=revision if live else None,
            )
            names = [companies[i].name for i in chosen[0]] + [topics[i].name for i in chosen[1]]
            article.body_text = body
            article.search_text = search.document(title, article.excerpt, body, names)
            articles.append(article)
            tags.append(chosen)
        Article.objects.bulk_create(articles)
        pairs = list(zip(articles, tags, strict=True))
        TaggedCompany.objects.bulk_create(
            TaggedCompany(content_object=a, tag=companies[i]) for a, (cs, _ts) in pairs for i in cs)
        TaggedTopic.objects.bulk_create(
            TaggedTopic(content_object=a, tag=topics[i]) for a, (_cs, ts) in pairs for i in ts)
    search.install_index(connection)
    # Written in bulk, past the workflow that keeps the counts: counted once here.
    public_data.recount_everything()


def measure(client):
    from articles.models import Article

    slugs = list(Article.objects.published().order_by("-published_at").values_list("slug", flat=True)[:400])
    articles = [Article.objects.get(slug=slug).get_absolute_url() for slug in slugs[::10][:30]]
    pages = {
        "home": ["/"],
        "home, page 40": ["/?page=40"],
        "company (common)": ["/companies/company-0/"],
        "company (rare)": [f"/companies/company-{COMPANIES - 1}/"],
        "topic (common)": ["/topics/topic-0/"],
        "category": ["/categories/category-3/"],
        "company index": ["/companies/"],
        "topic index": ["/topics/"],
        f"search {COMMON_WORD} (common)": [f"/search/?q={COMMON_WORD}"],
        f"search {RARE_WORD} (rare)": [f"/search/?q={RARE_WORD}"],
        "search 記事1 発表 (two terms)": ["/search/?q=記事1+発表"],
        "feed": ["/feed/"],
        "company feed (common)": ["/companies/company-0/feed/"],
        "sitemap index": ["/sitemap.xml"],
        "sitemap, articles p1": ["/sitemap-articles.xml"],
        "article + related": articles,
    }
    results = {}
    for name, urls in pages.items():
        response = client.get(urls[0])
        assert response.status_code == 200, (name, response.status_code)
        times = []
        for repeat in range(max(15, len(urls))):
            url = urls[repeat % len(urls)]
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        results[name] = statistics.median(times)
    return results


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(child(int(sys.argv[2]), sys.argv[3])))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--fill":
        prepare(int(sys.argv[2]), sys.argv[3])
        return
    sizes = [int(arg) for arg in sys.argv[1:3]] or [1000, 100_000]
    figures = at_sizes(__file__, sizes, "scale")
    small, large = sizes
    print(f"p50 in ms, page cache off ({'PostgreSQL' if os.environ.get('BENCH_PG') else 'SQLite'})")
    print(f"{'page':34} {small:>10,} {large:>10,}   ratio")
    worst = 0
    for name in figures[small]:
        ratio = figures[large][name] / figures[small][name]
        worst = max(worst, ratio)
        print(f"{name:34} {figures[small][name]:10.2f} {figures[large][name]:10.2f}   ×{ratio:.2f}")
    print(f"worst ratio: ×{worst:.2f} (goal ≤ 2)")


def _pg_database(server, name):
    import psycopg

    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return server.rsplit("/", 1)[0] + f"/{name}"


if __name__ == "__main__":
    main()
