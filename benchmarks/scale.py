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
(articles/reading/caching.py). Tag counts are kept per generation as in production; the article
page is measured over different articles, so its related articles are mostly made anew.

The sizes are measured in turns (three rounds of 15 requests a page, then the median of
the rounds), so that the machine's load changing between them does not show as a ratio.
Prints per page and size the p50 and p99 of the time a request takes and the median CPU
time it costs this process, the ratio of the p50s (goal ≤ 2×), and the goals of issue
27 at the larger size: a list page's CPU at or under the article page's, a search page's
at most twice a list page's, a sitemap page at most 50 ms. Figures, not a test.
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
RARE = {11, 222, 777}
ROUNDS, REQUESTS = 3, 15  # the articles with the rare word and the rare company
EXCERPT = "要約です。"
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


def at_sizes(script, sizes, name, rounds=ROUNDS):
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
    from django.db import connection

    from articles.models import Category
    from articles.models.tags import CompanyTag, TopicTag
    from articles.reading import public_data, search

    # A bulk load: the search index is built once at the end, not row by row (PostgreSQL's
    # trigram index made the fill crawl: 22,000 articles in 15 minutes).
    search.remove_index(connection)
    Category.objects.bulk_create(Category(name=f"分類{n}", slug=f"category-{n}") for n in range(CATEGORIES))
    CompanyTag.objects.bulk_create(
        CompanyTag(name=f"Company{n}", slug=f"company-{n}") for n in range(COMPANIES))
    TopicTag.objects.bulk_create(TopicTag(name=f"話題{n}", slug=f"topic-{n}") for n in range(TOPICS))
    if connection.vendor == "postgresql":
        _fill_in_sql(count, connection)
    else:
        _fill_in_python(count)
    search.install_index(connection)
    # Written in bulk, past the workflow that keeps the counts: counted once here.
    public_data.recount_everything()


def _fill_in_python(count):
    import datetime as dt

    from django.utils import timezone

    from articles.models import Article, Category, Status
    from articles.models.tags import CompanyTag, TaggedCompany, TaggedTopic, TopicTag
    from articles.reading import search

    rng = random.Random(7)  # noqa: S311 (made-up data, the same each run)
    now = timezone.now()
    categories = list(Category.objects.order_by("pk"))
    companies, topics = list(CompanyTag.objects.order_by("pk")), list(TopicTag.objects.order_by("pk"))
    company_weights = [1 / (n + 1) for n in range(COMPANIES)]
    topic_weights = [1 / (n + 1) for n in range(TOPICS)]
    revision = _holder_revision()
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
                title=title, slug=f"article-{n}", excerpt=EXCERPT, body_html=f"<p>{body}</p>",
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


def _holder_revision():
    from articles.models import Article, Revision, Status

    holder = Article.objects.create(title="holder", slug="holder", status=Status.DRAFT)
    return Revision.objects.create(article=holder, version=1, title="holder", slug="holder")


# A number in [0, 1) drawn from ``key``: the same each run, as random.Random(7) is above,
# and computed where the rows are made, so nothing crosses the connection per article.
_UNIFORM = "(('x' || substr(md5({key}), 1, 8))::bit(32)::bigint / 4294967296.0)"
# Zipf-like (the chance of the k-th is about 1/k): e^(u·ln N), taken down to a whole number.
_ZIPF = "(floor(exp(" + _UNIFORM + " * ln({size}))) - 1)::int"


def _fill_in_sql(count, connection):
    """The same archive as ``_fill_in_python``, written by a few INSERT … SELECT over
    generate_series (100,000 articles in about a minute; row by row took fifteen)."""
    from django.utils import timezone

    from articles.models import Article, Status
    from articles.models.tags import TaggedCompany, TaggedTopic
    from articles.reading.search import normalise

    revision = _holder_revision()
    now = timezone.now()
    template = Article(title="", slug="", excerpt=EXCERPT, status=Status.PUBLISHED)
    # Per article: whether it has the common word, and which companies and topics (1–3 of
    # each); the rare few get the rare word and the rarest company at every size.
    uniform = _UNIFORM.format(key="'word' || n")
    draws = (
        "SELECT DISTINCT n, '{kind}' AS kind, {pick} AS tag FROM generate_series(0, %(last)s) AS n, "
        "generate_series(1, 3) AS draw WHERE draw <= 1 + floor(3 * {count_draw})"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE fill_tag AS "
            + draws.format(kind="company", pick=_ZIPF.format(key="'c' || n || '/' || draw", size=COMPANIES),
                           count_draw=_UNIFORM.format(key="'cn' || n"))
            + " UNION "
            + draws.format(kind="topic", pick=_ZIPF.format(key="'t' || n || '/' || draw", size=TOPICS + 1),
                           count_draw=_UNIFORM.format(key="'tn' || n"))
            + " UNION SELECT n, 'company', %(rarest)s FROM unnest(%(rare)s::int[]) AS n WHERE n <= %(last)s",
            {"last": count - 1, "rarest": COMPANIES - 1, "rare": sorted(RARE)},
        )
        cursor.execute(
            "CREATE TEMP TABLE fill_words AS SELECT n, "
            f"(CASE WHEN {uniform} < 0.3 THEN %(common)s ELSE '' END) AS first, "
            "(CASE WHEN n = ANY(%(rare)s) THEN %(rare_word)s ELSE '' END) AS rare "
            "FROM generate_series(0, %(last)s) AS n",
            {"common": COMMON_WORD, "rare": sorted(RARE), "rare_word": RARE_WORD, "last": count - 1},
        )
        varying = {
            "title": "'記事' || n || ' ' || coalesce(nullif(w.first, ''), w.rare) || 'の発表'",
            "slug": "'article-' || n",
            "body_html": "'<p>' || repeat(%(filler)s, 8) || w.first || w.rare || repeat(%(filler)s, 2) || '</p>'",
            "body_text": "repeat(%(filler)s, 8) || w.first || w.rare || repeat(%(filler)s, 2)",
            "search_text": (
                "'記事' || n || ' ' || coalesce(nullif(w.first, ''), w.rare) || 'の発表' || chr(10) || %(excerpt)s"
                " || chr(10) || coalesce(names.joined, '') || chr(10)"
                " || repeat(%(normal_filler)s, 8) || w.first || w.rare || repeat(%(normal_filler)s, 2)"
            ),
            "category_id": "(SELECT id FROM articles_category WHERE slug = 'category-' || (n %% %(categories)s))",
            "status": f"CASE WHEN n %% 10 = 0 THEN '{Status.DRAFT}' ELSE '{Status.PUBLISHED}' END",
            "published_at": "%(now)s - n * interval '15 minutes'",
            "last_published_at": "%(now)s - n * interval '15 minutes'",
            "published_revision_id": "CASE WHEN n %% 10 = 0 THEN NULL ELSE %(revision)s END",
            "preview_key": "md5('preview' || n)",
        }
        fields = [f for f in Article._meta.concrete_fields if not f.primary_key]
        constants = {f.column: f.get_db_prep_save(f.pre_save(template, add=True), connection)
                     for f in fields if f.column not in varying}
        columns = [f.column for f in fields]
        values = [varying.get(column, f"%(const_{column})s") for column in columns]
        cursor.execute(
            f"INSERT INTO articles_article ({', '.join(columns)}) SELECT {', '.join(values)} "
            "FROM fill_words AS w LEFT JOIN ("
            "  SELECT n, string_agg(lower(coalesce(c.name, t.name)), ' ' ORDER BY kind, tag) AS joined"
            "  FROM fill_tag LEFT JOIN articles_companytag c ON kind = 'company' AND c.slug = 'company-' || tag"
            "  LEFT JOIN articles_topictag t ON kind = 'topic' AND t.slug = 'topic-' || tag GROUP BY n"
            ") AS names USING (n)",
            {**{f"const_{k}": v for k, v in constants.items()}, "filler": FILLER, "normal_filler": normalise(FILLER),
             "excerpt": normalise(EXCERPT), "categories": CATEGORIES, "now": now, "revision": revision.pk},
        )
        for model, kind in ((TaggedCompany, "company"), (TaggedTopic, "topic")):
            tag_table = model._meta.get_field("tag").related_model._meta.db_table
            cursor.execute(
                f"INSERT INTO {model._meta.db_table} (content_object_id, tag_id) "
                f"SELECT a.id, tag.id FROM fill_tag JOIN articles_article a ON a.slug = 'article-' || n "
                f"JOIN {tag_table} tag ON tag.slug = %s || fill_tag.tag WHERE kind = %s",
                [f"{kind}-", kind],
            )
        cursor.execute("DROP TABLE fill_tag, fill_words")
    _check_sample(count)


def _check_sample(count):
    """The SQL above writes what ``search.document`` would: checked on a few articles, so
    that a change to normalising shows here instead of as searches that find less."""
    from articles.models import Article
    from articles.reading import search

    for article in Article.objects.filter(slug__in=[f"article-{n}" for n in (0, 1, count // 2, count - 1)]):
        names = sorted(article.companies.names()) + sorted(article.topics.names())
        expected = search.document(article.title, article.excerpt, article.body_text, names)
        actual = article.search_text.split("\n")
        wanted = expected.split("\n")
        assert actual[:2] + actual[3:] == wanted[:2] + wanted[3:], article.slug
        assert sorted(actual[2].split()) == sorted(wanted[2].split()), article.slug


def measure(client):
    from articles.models import Article

    slugs = list(Article.objects.published().order_by("-published_at").values_list("slug", flat=True)[:400])
    live = Article.objects.published().count()
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
        "sitemap, articles, middle page": [f"/sitemap-articles.xml?p={1 + live // 2000}"],
        "article + related": articles,
    }
    results = {}
    for name, urls in pages.items():
        response = client.get(urls[0])
        assert response.status_code == 200, (name, response.status_code)
        times, cpu = [], []
        for repeat in range(max(REQUESTS, len(urls))):
            url = urls[repeat % len(urls)]
            started, used = time.perf_counter(), time.process_time()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - used) * 1000)
        results[f"{name}|p50"] = statistics.median(times)
        results[f"{name}|p99"] = statistics.quantiles(times, n=100)[98]
        results[f"{name}|cpu"] = statistics.median(cpu)
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
    print(f"ms per request, page cache off ({'PostgreSQL' if os.environ.get('BENCH_PG') else 'SQLite'}); "
          f"medians of {ROUNDS} rounds of {REQUESTS} requests; CPU: this process's (the database's is not in it)")
    print(f"{'page':34} {'p50':>9} {'p50':>9} {'ratio':>6} {'p99':>9} {'p99':>9} {'CPU':>9} {'CPU':>9}")
    print(f"{'':34} {small:>9,} {large:>9,} {'':6} {small:>9,} {large:>9,} {small:>9,} {large:>9,}")
    worst = 0
    for name in [key.removesuffix("|p50") for key in figures[small] if key.endswith("|p50")]:
        at = {size: {kind: figures[size][f"{name}|{kind}"] for kind in ("p50", "p99", "cpu")} for size in sizes}
        ratio = at[large]["p50"] / at[small]["p50"]
        worst = max(worst, ratio)
        print(f"{name:34} {at[small]['p50']:9.2f} {at[large]['p50']:9.2f} ×{ratio:<5.2f} {at[small]['p99']:9.2f} "
              f"{at[large]['p99']:9.2f} {at[small]['cpu']:9.2f} {at[large]['cpu']:9.2f}")
    print(f"worst ratio of p50: ×{worst:.2f} (goal ≤ 2)")
    cpu = {name: figures[large][f"{name}|cpu"] for name in ("home", "company (common)", "article + related",
                                                              f"search {COMMON_WORD} (common)", "sitemap, articles p1",
                                                              "sitemap, articles, middle page")}
    print(f"at {large:,}: home CPU / article's ×{cpu['home'] / cpu['article + related']:.2f}, "
          f"common company's ×{cpu['company (common)'] / cpu['article + related']:.2f} (goal ≤ 1); "
          f"search / home ×{cpu[f'search {COMMON_WORD} (common)'] / cpu['home']:.2f} (goal ≤ 2); "
          f"sitemap pages {cpu['sitemap, articles p1']:.1f} and {cpu['sitemap, articles, middle page']:.1f} ms "
          "(goal ≤ 50)")


def _pg_database(server, name):
    import psycopg

    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return server.rsplit("/", 1)[0] + f"/{name}"


if __name__ == "__main__":
    main()
