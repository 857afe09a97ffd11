"""How long a Jekyll site of 1,000 posts takes to import, and the checks over 2,000
articles — side by side with the same at half the size, so that the figures say how
the work grows, whatever the machine.

    .venv/bin/python benchmarks/import_site.py [POSTS]

Builds a throwaway SQLite database (or uses DATABASE_URL's, which must be empty) and a
site of POSTS posts of our own text (default 1,000) with tags, categories, Liquid,
kramdown lists and a few shared pictures; imports it, imports it again (nothing
changed), then runs check_articles over twice as many articles. Prints seconds and SQL
statements per post. Figures, not a pass/fail.
"""

import os
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
workdir = Path(tempfile.mkdtemp(prefix="editorial-bench-"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "editorial.settings")
os.environ.setdefault("MEDIA_ROOT", str(workdir / "media"))

import django  # noqa: E402

django.setup()

from django.core.management import CommandError, call_command  # noqa: E402
from django.db import connection  # noqa: E402

from articles.models import Article  # noqa: E402
from tests.images import photo  # noqa: E402

COMPANIES = ["NVIDIA", "Google", "Amazon", "Microsoft", "OpenAI", "Meta", "Arm", "AMD"]
TOPICS = ["LLM", "推論", "半導体", "クラウド", "セキュリティ", "マルチモーダル"]
BODY = """\
{company}は新しい{topic}の取り組みを発表した。今回の発表は第{n}回目の報告になる。

## 背景

これまでの方式では処理に時間がかかっていた。改善の要点は次のとおり:
- 処理を分ける
  - 前処理を速くする
  - 後処理をまとめる
- 結果を保存する

{{% highlight python %}}
# 例 {n}
result = run({n})
{{% endhighlight %}}

![図 {image}]({{{{ "/assets/img/figure-{image}.png" | relative_url }}}})

~~旧方式~~ 新方式で{n}件のデータを検証した。詳しくは[前回]({{% post_url {previous} %}})を参照。
"""


def make_site(root, count, stem="post"):
    (root / "_posts").mkdir(parents=True)
    (root / "assets/img").mkdir(parents=True)
    (root / "_config.yml").write_text("baseurl: /blog\npermalink: pretty\ntimezone: Asia/Tokyo\n")
    for image in range(5):
        (root / f"assets/img/figure-{image}.png").write_bytes(photo(640, 400, fmt="PNG", color=(image * 40, 90, 120)))
    names = [f"{2015 + n // 300}-{1 + n // 25 % 12:02d}-{1 + n % 25:02d}-{stem}-{n}" for n in range(count)]
    for n, name in enumerate(names):
        company, topic = COMPANIES[n % len(COMPANIES)], TOPICS[n % len(TOPICS)]
        body = BODY.format(company=company, topic=topic, n=n, image=n % 5, previous=names[max(n - 1, 0)])
        front = (f"---\ntitle: {company}の{topic}に関する報告 {n}\ncategories: [カテゴリー{n % 7}]\n"
                 f"tags: [{company}, {topic}]\n---\n")
        (root / "_posts" / f"{name}.md").write_text(front + body, encoding="utf-8")


def run(label, function):
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(1)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        function()
        seconds = time.perf_counter() - started
    return label, seconds, len(queries)


def check_all():
    try:
        call_command("check_articles", stdout=StringIO(), stderr=StringIO())
    except CommandError as exc:  # articles with errors: a finding, not a failure here
        print(f"check_articles: {exc}")


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    if os.environ.get("PROFILE"):
        import cProfile
        import pstats

        call_command("migrate", verbosity=0)
        make_site(workdir / "profiled", count)
        command = "call_command('import_jekyll', str(workdir / 'profiled'), stdout=StringIO(), verbosity=0)"
        if os.environ["PROFILE"] == "checks":
            call_command("import_jekyll", str(workdir / "profiled"), stdout=StringIO(), verbosity=0)
            command = "check_all()"
        cProfile.runctx(command, globals(), {"workdir": workdir, "call_command": call_command,
                                             "StringIO": StringIO, "check_all": check_all}, str(workdir / "profile"))
        pstats.Stats(str(workdir / "profile")).sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(45)
        return
    call_command("migrate", verbosity=0)
    rows = []
    for size in (count // 2, count):
        Article.objects.all().delete()
        site = workdir / f"site-{size}"
        make_site(site, size)
        out = StringIO()
        rows.append((size, *run("import", lambda site=site, out=out: call_command(
            "import_jekyll", str(site), stdout=out, verbosity=0))))
        rows.append((size, *run("import again (unchanged)", lambda site=site: call_command(
            "import_jekyll", str(site), stdout=StringIO(), verbosity=0))))
    # The checks over twice as many articles: a second copy of the site under other names.
    second = workdir / "site-copy"
    make_site(second, count, stem="copy")
    call_command("import_jekyll", str(second), stdout=StringIO(), verbosity=0)
    articles = Article.objects.count()
    rows.append((articles, *run("check_articles", check_all)))
    print(f"{'what':<28}{'items':>7}{'seconds':>10}{'ms/item':>10}{'SQL/item':>10}")
    for size, label, seconds, queries in rows:
        print(f"{label:<28}{size:>7}{seconds:>10.2f}{seconds * 1000 / size:>10.2f}{queries / size:>10.1f}")


if __name__ == "__main__":
    main()
