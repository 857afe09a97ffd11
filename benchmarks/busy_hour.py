"""The busy hour: readers' traffic while the desk publishes and a writer previews, against
the same traffic while nobody publishes, side by side in one run.

    BENCH_PG=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python benchmarks/busy_hour.py [--articles 100000] [--seconds 60] [--rounds 2]

A database of ``--articles`` published articles (benchmarks/scale.py's archive: Zipf
companies and topics) is made on BENCH_PG's server once and kept for the next run. The
site runs as in production: gunicorn (sync ×2, deploy/gunicorn.conf.py), PostgreSQL, Redis
as the cache, the page cache on. Readers are wrk (-t2 -c16, ``Accept-Encoding: gzip``)
asking for a mix of addresses: the home page, 200 articles chosen by a Zipf law among the
newest 2,000, company and topic pages, searches. Meanwhile a writer previews the 70 KB
seed post (../shared/seeds, else a long article of our own) every 5 s over HTTP, and in
the "publishing" runs an editor publishes a new article every 10 s through the workflow.
Runs alternate, quiet then publishing, ``--rounds`` times.

Printed per kind of run (medians): req/s, the share of pages answered from the page cache
(the ``X-Page-Cache`` header), server CPU time per request (gunicorn with its helpers,
PostgreSQL and Redis, from /proc), (also split: the application's, the database's and Redis'), the writer's previews and
refusals, wrk's errors; then
the ratios against the goals: no writer refused, req/s with publishing ≥ 0.9× without,
hit rate at most 3 points lower, CPU per request ≤ 1.1×. Figures, not a test.
"""

import argparse
import http.cookiejar
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from samples import long_post  # noqa: E402
from serve import cpu_seconds, free_port, run, start_gunicorn  # noqa: E402

from deploy.local import production_env  # noqa: E402

SEED = ROOT.parent / "shared" / "seeds" / "2025-12-25-trainium2.md"
PASSWORD = "busy-hour-benchmark"  # noqa: S105 (a throwaway database's)


def database(server, articles):
    """The benchmark's database on ``server``, filled once with ``articles`` articles."""
    import psycopg

    name = f"editorial_busy_{articles}"
    url = server.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    if exists:
        with psycopg.connect(url) as connection:
            filled = connection.execute(
                "SELECT 1 FROM information_schema.tables WHERE table_name = 'busy_hour_filled'").fetchone()
        if filled:
            return url
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    print(f"filling {name} with {articles:,} articles (once) …", file=sys.stderr)
    run([sys.executable, "-c", textwrap.dedent(f"""\
        import sys; sys.path.insert(0, {str(ROOT)!r}); sys.path.insert(0, {str(ROOT / "benchmarks")!r})
        import django; django.setup()
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group
        from django.core.management import call_command
        from django.db import connection
        call_command("migrate", verbosity=0)
        import scale; scale.fill({articles})
        for name, group in (("bench-writer", "Writers"), ("bench-editor", "Editors"), ("bench-editor2", "Editors")):
            user = get_user_model().objects.create_user(name, password={PASSWORD!r})
            user.groups.add(Group.objects.get(name=group))
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute("CREATE TABLE busy_hour_filled (done boolean)")
        """)], cwd=ROOT, env=_django_env(url))
    return url


def _django_env(database_url):
    return {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "benchmark-only",
            "ALLOWED_HOSTS": "127.0.0.1", "DJANGO_SETTINGS_MODULE": "editorial.settings"}


def addresses(base):
    """The readers' mix, as a list to draw from: a fifth home pages, half articles (200 of
    the newest 2,000, by a Zipf law), a fifth company and topic pages, a tenth searches."""
    import django

    django.setup()
    from articles.models import Article

    newest = list(Article.objects.published().order_by("-published_at")[:2000])
    chosen = random.Random(7).sample(newest, 200)
    weights = [1 / rank for rank in range(1, len(chosen) + 1)]
    picker = random.Random(11)
    mix = ["/"] * 180 + ["/?page=2"] * 20
    mix += [article.get_absolute_url() for article in picker.choices(chosen, weights, k=500)]
    mix += [f"/companies/company-{picker.choice([0, 0, 0, 1, 1, 2, 3, 5, 8, 13])}/" for _ in range(100)]
    mix += [f"/topics/topic-{picker.choice([0, 0, 0, 1, 1, 2, 3, 5, 8, 13])}/" for _ in range(100)]
    queries = ["推論", "量子アニーリング", "記事1 発表", "データセンター", "モデル"]
    mix += ["/search/?q=" + urllib.parse.quote(picker.choice(queries)) for _ in range(100)]
    return [urllib.parse.quote(path, safe="/?=&%+") for path in mix]


WRK_SCRIPT = """\
local paths = {PATHS}
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) hits = 0; misses = 0; math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16)) end
function request()
  return wrk.format("GET", paths[math.random(#paths)], {["Accept-Encoding"] = "gzip"})
end
function response(status, headers, body)
  local outcome = headers["X-Page-Cache"] or headers["x-page-cache"]
  if outcome == "hit" then hits = hits + 1 elseif outcome == "miss" then misses = misses + 1 end
end
function done(summary, latency, requests)
  local h, m = 0, 0
  for _, thread in ipairs(threads) do h = h + thread:get("hits"); m = m + thread:get("misses") end
  io.write(string.format("PAGECACHE %d %d\\n", h, m))
end
"""


class Writer(threading.Thread):
    """A writer previewing the long seed post every 5 s, over HTTP as the editor page does."""

    def __init__(self, base, session, text):
        super().__init__(daemon=True)
        self.base, self.text = base, text
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.jar.set_cookie(_cookie("sessionid", session))
        self.opener.open(base + "/desk/articles/new/", timeout=60).read()  # the CSRF cookie
        self.token = next(cookie.value for cookie in self.jar if cookie.name == "csrftoken")
        self.running, self.ok, self.refused, self.reasons = True, 0, 0, []

    def run(self):
        while self.running:
            started = time.monotonic()
            data = urllib.parse.urlencode({"title": "長い記事のプレビュー", "body": self.text}).encode()
            request = urllib.request.Request(self.base + "/desk/render/", data=data,
                                             headers={"X-CSRFToken": self.token})
            try:
                with self.opener.open(request, timeout=60) as answer:
                    answer.read()
                self.ok += 1
            except urllib.error.HTTPError as refusal:
                self.refused += 1
                self.reasons.append(f"{refusal.code}: {json.loads(refusal.read() or b'{}').get('error', '')}")
            except OSError as error:
                self.refused += 1
                self.reasons.append(str(error))
            time.sleep(max(0, 5 - (time.monotonic() - started)))

    def counts(self):
        return self.ok, self.refused


def _cookie(name, value):
    return http.cookiejar.Cookie(0, name, value, None, False, "127.0.0.1", False, False, "/", True, False, None,
                                 True, None, None, {})


BREAKING_NEWS = """\
Company0は今朝、話題1の処理に特化した新しいチップを発表した。

## 発表の要点

新しいチップは前の世代と比べて推論の速度がおよそ二倍になり、消費電力は三割ほど下がるという。
出荷は来年の春に始まる予定で、まずは大手のクラウド事業者に届けられる。

## 市場の反応

発表を受けて、関連する部品メーカーの株価が午前中に大きく上がった。アナリストの多くは、
データセンターへの投資が今後も続くとみている。
"""


class Publisher(threading.Thread):
    """An editor publishing a new article every 10 s through the workflow (write, submit,
    approve, publish), in this process, on the same database and cache."""

    def __init__(self):
        super().__init__(daemon=True)
        self.running, self.published, self.failed = True, 0, []

    def run(self):
        from django.contrib.auth import get_user_model
        from django.db import connection

        from articles.publishing import workflow
        from articles.publishing.editing import Content, create_article

        users = get_user_model().objects
        writer, editor, second = (users.get(username=name) for name in ("bench-writer", "bench-editor",
                                                                           "bench-editor2"))
        number = int(time.time())
        try:
            while self.running:
                started = time.monotonic()
                number += 1
                try:
                    article = create_article(Content(
                        title=f"速報 {number}: Company0が新しいAIチップを発表", slug=f"busy-{number}",
                        excerpt="Company0は話題1に向けた新しいチップを発表した。", body=BREAKING_NEWS,
                        companies=("Company0",), topics=("話題1",)), writer)
                    workflow.apply_transition(article, "submit", writer)
                    workflow.apply_transition(article, "approve", editor)
                    workflow.apply_transition(article, "publish", second)
                    self.published += 1
                except Exception as error:
                    self.failed.append(repr(error))
                time.sleep(max(0, 10 - (time.monotonic() - started)))
        finally:
            connection.close()


def database_servers():
    """The PostgreSQL and Redis server processes on this machine."""
    found = []
    for comm in Path("/proc").glob("[0-9]*/comm"):
        try:
            if comm.read_text().strip() in ("postgres", "redis-server"):
                found.append(int(comm.parent.name))
        except OSError:
            continue
    return found


def one_run(url, seconds, script, servers, base, writer, publishing):
    publisher = Publisher() if publishing else None
    if publisher:
        publisher.start()
    previews_before = writer.counts()
    app_before, db_before = cpu_seconds(servers), cpu_seconds(database_servers())
    output = run(["wrk", "-t2", "-c16", f"-d{seconds}s", "--timeout", "10s", "-s", script, url]).stdout
    app_used, db_used = cpu_seconds(servers) - app_before, cpu_seconds(database_servers()) - db_before
    if publisher:
        publisher.running = False
        publisher.join(60)
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    hits, misses = map(int, re.search(r"PAGECACHE (\d+) (\d+)", output).groups())
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    ok, refused = (now - before for now, before in zip(writer.counts(), previews_before, strict=True))
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "hit rate": hits / max(hits + misses, 1),
        "cpu ms": (app_used + db_used) * 1000 / max(requests, 1),
        "app ms": app_used * 1000 / max(requests, 1),
        "db ms": db_used * 1000 / max(requests, 1),
        "previews": ok, "refused": refused,
        "published": publisher.published if publisher else 0,
        "publish failures": publisher.failed if publisher else [],
        "timeouts": int(errors.group(4)) if errors else 0,
        "socket errors": sum(map(int, errors.groups()[:3])) if errors else 0,
        "non-2xx": int(non_2xx.group(1)) if non_2xx else 0,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=2)
    options = parser.parse_args()
    server, redis = os.environ.get("BENCH_PG"), os.environ.get("REDIS_URL")
    if not server or not redis:
        sys.exit("Set BENCH_PG (a PostgreSQL server's URL) and REDIS_URL: the busy hour runs as production does.")
    url = database(server, options.articles)
    work = Path(tempfile.mkdtemp(prefix="editorial-busy-"))
    env = production_env(work, url, REDIS_URL=redis)
    os.environ.update({key: value for key, value in env.items() if key not in ("GUNICORN_WORKERS",)})
    run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env)
    run(["redis-cli", "-u", redis, "FLUSHDB"])
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    gunicorn = start_gunicorn(env, port)
    try:
        import django

        django.setup()
        from django.contrib.auth import get_user_model
        from django.test import Client

        client = Client()
        client.force_login(get_user_model().objects.get(username="bench-writer"))
        mix = addresses(base)
        script = work / "mix.lua"
        script.write_text(WRK_SCRIPT.replace("PATHS", ", ".join(f'"{path}"' for path in mix)))
        text = SEED.read_text(encoding="utf-8") if SEED.exists() else long_post()
        writer = Writer(base, client.cookies["sessionid"].value, text)
        writer.start()
        print("warming the caches …", file=sys.stderr)
        run(["wrk", "-t2", "-c16", "-d15s", "-s", str(script), base + "/"])
        results = {"quiet": [], "publishing": []}
        for _ in range(options.rounds):
            for kind in results:
                results[kind].append(one_run(base + "/", options.seconds, str(script), [gunicorn.pid], base, writer,
                                             publishing=kind == "publishing"))
        writer.running = False
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)

    print(f"{options.articles:,} articles, PostgreSQL + Redis, gunicorn sync ×2, wrk -t2 -c16 with gzip; "
          f"{options.rounds} interleaved rounds of {options.seconds} s per kind (medians)")
    print(f"  {'':12} {'req/s':>8} {'hit rate':>9} {'CPU ms/req':>11} {'(app + db)':>13} {'previews':>9} "
          f"{'refused':>8} {'published':>10}  wrk errors (timeouts, socket, non-2xx)")
    median = {}
    for kind, runs in results.items():
        median[kind] = {key: statistics.median(run[key] for run in runs)
                        for key in ("rps", "hit rate", "cpu ms", "app ms", "db ms")}
        total = {key: sum(run[key] for run in runs) for key in ("previews", "refused", "published", "timeouts",
                                                                 "socket errors", "non-2xx")}
        print(f"  {kind:12} {median[kind]['rps']:8,.0f} {median[kind]['hit rate']:9.1%} "
              f"{median[kind]['cpu ms']:11.2f} {median[kind]['app ms']:6.2f} + {median[kind]['db ms']:4.2f} "
              f"{total['previews']:9} {total['refused']:8} {total['published']:10}  "
              f"{total['timeouts']}, {total['socket errors']}, {total['non-2xx']}")
        for run_ in runs:
            for failure in run_["publish failures"][:3]:
                print(f"    publish failed: {failure}")
    if writer.reasons:
        print("  writer refusals: " + "; ".join(sorted(set(writer.reasons))[:5]))
    quiet, busy = median["quiet"], median["publishing"]
    print("\ngoals")
    print(f"  writer refusals                         {writer.refused}  (goal 0)")
    print(f"  req/s, publishing / quiet               ×{busy['rps'] / quiet['rps']:.2f}  (goal ≥ 0.9)")
    print(f"  hit rate drop                           {100 * (quiet['hit rate'] - busy['hit rate']):.1f} points  "
          f"(goal ≤ 3)")
    print(f"  CPU per request, publishing / quiet     ×{busy['cpu ms'] / quiet['cpu ms']:.2f}  (goal ≤ 1.1)")
    subprocess.run(["rm", "-rf", str(work)], check=False)  # noqa: S603, S607


if __name__ == "__main__":
    main()
