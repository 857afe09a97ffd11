"""Requests per second and server CPU time per request, side by side in one run: nginx
serving a file, editorial's pages from gunicorn alone (the origin, with its page cache
and without) and through nginx's cache (deploy/nginx.conf), and Wagtail serving the same
article from gunicorn, uncached and with Django's cache middleware.

    .venv/bin/python benchmarks/serve.py [--articles 1000] [--seconds 5] [--rounds 3] [--no-wagtail] [--nodes 2]

With ``--nodes N`` the origin is N gunicorn nodes (same database, same cache) behind
nginx's upstream: each node is measured on its own, and the pages are measured through
nginx with its cache bypassed (a session cookie, as the desk's), spread over the nodes.
For figures across machines, share the database and Redis (DATABASE_URL, REDIS_URL).

Needs wrk and nginx (apt-get install wrk nginx). Wagtail (WAGTAIL_VERSION, default
7.4.4) is installed on first use into a venv of its own beside the work folder, with a
page model holding the article's HTML in a RichTextField: a fresh `wagtail start`
project, production settings, SQLite, gunicorn with the same two sync workers.

The article is the publisher's sample post (../shared/seeds, ~70 KB) when it is there,
else a long article of our own; the archive around it is benchmarks/scale.py's. Every
server runs on this machine with wrk (-t2 -c16), rounds interleaved, medians printed,
with the ratios the issues ask for. Every request says ``Accept-Encoding: gzip``, as
browsers do. The CPU column is the servers' own processing time (nginx, both gunicorns
and their helpers, Wagtail's), read from /proc before and after each run and divided by
the requests wrk completed: it holds up under noise better than req/s. wrk's timeouts,
socket errors and non-2xx answers are printed. Set REDIS_URL to use Redis as the cache
(for both sites). Figures, not a test: this machine is shared and noisy, compare the
ratios.
"""

import argparse
import gzip
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from samples import long_post  # noqa: E402

from deploy.local import local_conf, production_env  # noqa: E402

SEED = ROOT.parent / "shared" / "seeds" / "2025-12-25-trainium2.md"
PYTHON = Path(sys.executable)
WAGTAIL_VERSION = os.environ.get("WAGTAIL_VERSION", "7.4.4")
UNCOMPRESSED = "origin, page cache off, no gzip: article"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run(command, **kwargs):
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)  # noqa: S603


def wait_until_up(port, path="/", limit=60):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", path)
            if connection.getresponse().status < 500:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"nothing answers on port {port}")


def fetch(port, path, **headers):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    return response.status, response.read()


# ---------------------------------------------------------------------------------
# editorial


def prepare_editorial(work, articles):
    env = production_env(work, f"sqlite:///{work}/editorial.sqlite3")
    if not (work / "editorial.sqlite3").exists():
        run([str(PYTHON), "-c", textwrap.dedent(f"""\
            import sys; sys.argv = ["scale"]
            sys.path.insert(0, {str(ROOT)!r}); sys.path.insert(0, {str(ROOT / "benchmarks")!r})
            import django; django.setup()
            from django.core.management import call_command
            call_command("migrate", verbosity=0)
            import scale; scale.fill({articles})
            """)], cwd=ROOT, env=env)
        run([str(PYTHON), "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env)
    # Imported on every run (an unchanged post writes nothing): the long article is the
    # newest one, whatever an older work folder holds.
    posts = work / "post" / "_posts"
    posts.mkdir(parents=True, exist_ok=True)
    text = SEED.read_text(encoding="utf-8") if SEED.exists() else long_post()
    (posts / "2026-11-20-long-article.md").write_text(text, encoding="utf-8")
    run([str(PYTHON), "manage.py", "import_jekyll", str(posts.parent)], cwd=ROOT, env=env)
    return env


def start_gunicorn(env, port, **extra):
    env = {**env, **extra, "GUNICORN_BIND": f"127.0.0.1:{port}"}
    process = subprocess.Popen(  # noqa: S603
        [str(PYTHON.with_name("gunicorn")), "-c", "deploy/gunicorn.conf.py", "editorial.wsgi"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until_up(port, "/healthz")
    return process


# ---------------------------------------------------------------------------------
# Wagtail, for comparison


def prepare_wagtail(work, title, html):
    venv = work.parent / f"editorial-bench-wagtail-{WAGTAIL_VERSION}"
    python = venv / "bin" / "python"
    if not python.exists():
        print(f"installing Wagtail {WAGTAIL_VERSION} into {venv} …", file=sys.stderr)
        run(["python3.11", "-m", "venv", str(venv)])
        run([str(python), "-m", "pip", "install", "-q", f"wagtail=={WAGTAIL_VERSION}", "gunicorn==27.0.1"])
    site = work / "wagtail"
    if not (site / "db.sqlite3").exists():
        shutil.rmtree(site, ignore_errors=True)
        site.mkdir()
        run([str(venv / "bin" / "wagtail"), "start", "bench", str(site)])
        news = site / "news"
        (news / "templates" / "news").mkdir(parents=True)
        (news / "__init__.py").write_text("")
        (news / "models.py").write_text(textwrap.dedent("""\
            from wagtail.fields import RichTextField
            from wagtail.models import Page


            class ArticlePage(Page):
                body = RichTextField()
            """))
        (news / "templates" / "news" / "article_page.html").write_text(textwrap.dedent("""\
            {% extends "base.html" %}{% load wagtailcore_tags %}
            {% block content %}<article><h1>{{ page.title }}</h1>{{ page.body|richtext }}</article>{% endblock %}
            """))
        settings = site / "bench" / "settings" / "base.py"
        settings.write_text(settings.read_text().replace('"home",', '"home",\n    "news",', 1))
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings.dev"}
        run([str(python), "manage.py", "makemigrations", "news"], cwd=site, env=env)
        run([str(python), "manage.py", "migrate", "-v0"], cwd=site, env=env)
        (work / "wagtail-body.html").write_text(html)
        run([str(python), "manage.py", "shell", "-c", textwrap.dedent(f"""\
            from pathlib import Path
            from wagtail.models import Page
            from news.models import ArticlePage
            home = Page.objects.get(depth=2)
            home.add_child(instance=ArticlePage(title={title!r}, slug="article",
                           body=Path({str(work / "wagtail-body.html")!r}).read_text()))
            """)], cwd=site, env=env)
    return venv, site


WAGTAIL_CACHED_SETTINGS = """\
# Django's own page cache around Wagtail: what a Wagtail site without a CDN would use.
from .production import *  # noqa

MIDDLEWARE = ["django.middleware.cache.UpdateCacheMiddleware", *MIDDLEWARE,
              "django.middleware.cache.FetchFromCacheMiddleware"]
CACHE_MIDDLEWARE_SECONDS = 600
"""


def start_wagtail(venv, site, port, *, cached=False):
    settings = "bench.settings.cached" if cached else "bench.settings.production"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings, "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "*"}
    # The project's production settings read nothing from the environment: say it here.
    production = site / "bench" / "settings" / "production.py"
    if "ALLOWED_HOSTS" not in production.read_text():
        cache = (f'CACHES = {{"default": {{"BACKEND": "django.core.cache.backends.redis.RedisCache", '
                 f'"LOCATION": {os.environ["REDIS_URL"]!r}, "KEY_PREFIX": "wagtail"}}}}\n'
                 if os.environ.get("REDIS_URL") else "")
        production.write_text(production.read_text() + '\nSECRET_KEY = "' + "x" * 50 + '"\nALLOWED_HOSTS = ["*"]\n'
                              + cache)
    (site / "bench" / "settings" / "cached.py").write_text(WAGTAIL_CACHED_SETTINGS)
    # Its production settings name static files after their content, as ours do.
    run([str(venv / "bin" / "python"), "manage.py", "collectstatic", "--no-input", "-v0"], cwd=site, env=env)
    process = subprocess.Popen(  # noqa: S603
        [str(venv / "bin" / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "bench.wsgi"],
        cwd=site, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until_up(port, "/article/")
    return process


# ---------------------------------------------------------------------------------


BROWSER_LANGUAGES = ["ja", "ja-JP", "ja,en-US;q=0.9,en;q=0.8", "en-US,en;q=0.9", "en", "en-GB,en;q=0.9",
                     "zh-CN,zh;q=0.9", "ko-KR,ko;q=0.9", "fr-FR,fr;q=0.9", "de", "ja-JP,ja;q=0.9", ""]


def language_hit_rate(port, paths):
    """Share of requests nginx answers from its cache when readers' browsers ask for a
    dozen different languages: pages must not be split by Accept-Language."""
    hits = total = 0
    for path in paths:
        for language in BROWSER_LANGUAGES:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", path, headers={"Accept-Language": language} if language else {})
            response = connection.getresponse()
            response.read()
            hits += response.getheader("X-Cache-Status") == "HIT"
            total += 1
    return hits / total


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(roots):
    """CPU time (user + system) used so far by the processes ``roots`` and all their
    descendants (gunicorn's workers, their helpers; nginx's workers), from /proc."""
    parents, times = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        pid = int(stat.parent.name)
        parents[pid] = int(fields[1])
        # utime, stime, and what children already waited for used (cutime, cstime)
        times[pid] = sum(int(value) for value in fields[11:15])
    wanted, queue = set(), list(roots)
    while queue:
        pid = queue.pop()
        wanted.add(pid)
        queue += [child for child, parent in parents.items() if parent == pid and child not in wanted]
    return sum(times.get(pid, 0) for pid in wanted) / CLOCK_TICKS


def _milliseconds(text):
    """wrk's "812.00us", "4.70ms" or "1.01s" in milliseconds."""
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


# What makes nginx pass a request to the upstream instead of answering from its cache.
BYPASS = "Cookie: sessionid=benchmark"


def wrk(url, seconds, servers=(), *, gzip=True, headers=()):
    """One wrk run: ``{"rps", "cpu_ms" (per request, of ``servers``), "errors"}``."""
    before = cpu_seconds(servers)
    output = run(["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency",
                  *(["-H", "Accept-Encoding: gzip"] if gzip else []),
                  *(option for header in headers for option in ("-H", header)), url]).stdout
    used = cpu_seconds(servers) - before
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": _milliseconds(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1)),
        "p99": _milliseconds(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1)),
        "cpu_ms": used * 1000 / max(requests, 1),
        "errors": {"timeouts": int(errors.group(4)) if errors else 0,
                   "socket errors": sum(map(int, errors.groups()[:3])) if errors else 0,
                   "non-2xx": int(non_2xx.group(1)) if non_2xx else 0},
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-wagtail", action="store_true")
    parser.add_argument("--nodes", type=int, default=1, help="gunicorn nodes behind nginx (default 1)")
    parser.add_argument("--work", default=str(Path(tempfile.gettempdir()) / "editorial-serve-bench"))
    options = parser.parse_args()
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            sys.exit(f"{tool} is needed: apt-get install {tool}")
    work = Path(options.work) / str(options.articles)
    work.mkdir(parents=True, exist_ok=True)


    env = prepare_editorial(work, options.articles)
    processes = []
    try:
        origin, uncached, nginx_port = free_port(), free_port(), free_port()
        processes.append(start_gunicorn(env, origin))
        # The other nodes: the same settings, database and cache, ports of their own.
        nodes = [origin, *(free_port() for _ in range(options.nodes - 1))]
        processes.extend(start_gunicorn(env, port) for port in nodes[1:])
        processes.append(start_gunicorn(env, uncached, EDITORIAL_PAGE_CACHE_SECONDS="0"))
        home = fetch(origin, "/")[1].decode()
        article = run([str(PYTHON), "manage.py", "shell", "-c",
                       "from articles.models import Article; "
                       "print(Article.objects.order_by('-id').first().canonical_path())"],
                      cwd=ROOT, env=env).stdout.strip().splitlines()[-1]
        status, html = fetch(origin, article)
        assert status == 200, status
        if len(html) < 30_000:
            sys.exit(f"{article} is {len(html):,} bytes: not the long article this benchmark measures")
        (work / "bench").mkdir(exist_ok=True)
        (work / "bench" / "article.html").write_bytes(html)
        conf = local_conf(work, port=nginx_port, app_port=nodes, static_root=work / "static",
                          media_root=work / "media",
                          extra_locations=f"    location /bench/ {{ alias {work}/bench/; }}")
        shutil.rmtree(work / "nginx-cache", ignore_errors=True)
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        processes.append(subprocess.Popen([nginx, "-c", str(conf), "-p", str(work), "-g", "daemon off;"],  # noqa: S603
                                          stderr=subprocess.DEVNULL))
        wait_until_up(nginx_port, "/bench/article.html")
        company = re.search(r'href="(/companies/[^"]+/)"', home).group(1)
        category = re.search(r'href="(/categories/[^"]+/)"', home).group(1)
        topic = re.search(r'href="(/topics/[^"]+/)"', html.decode()).group(1)
        targets = {
            "nginx: the article as a file": f"http://127.0.0.1:{nginx_port}/bench/article.html",
            "nginx cache: article": f"http://127.0.0.1:{nginx_port}{article}",
            "nginx cache: home": f"http://127.0.0.1:{nginx_port}/",
        }
        pages = {"article": article, "home": "/", "company": company, "topic": topic, "category": category,
                 "company index": "/companies/", "search 推論": "/search/?q=%E6%8E%A8%E8%AB%96", "feed": "/feed/"}
        for name, path in pages.items():
            targets[f"origin: {name}"] = f"http://127.0.0.1:{origin}{path}"
        for name in ("article", "home", "company", "search 推論"):
            targets[f"origin, page cache off: {name}"] = f"http://127.0.0.1:{uncached}{pages[name]}"
        bypassed = set()
        if len(nodes) > 1:
            for number, port in enumerate(nodes[1:], start=2):
                for name in ("article", "home"):
                    targets[f"origin node {number}: {name}"] = f"http://127.0.0.1:{port}{pages[name]}"
            for name in ("article", "home"):
                label = f"nginx → {len(nodes)} nodes, no nginx cache: {name}"
                targets[label] = f"http://127.0.0.1:{nginx_port}{pages[name]}"
                bypassed.add(label)
        # As Wagtail's site sends it (it compresses nothing): what compressing costs us.
        targets[UNCOMPRESSED] = f"http://127.0.0.1:{uncached}{article}"
        if not options.no_wagtail:
            title = re.search(r"<h1[^>]*>(.*?)</h1>", html.decode(), re.S).group(1)
            body = re.search(r'<div class="article-body">(.*)</div>\s*</article>', html.decode(), re.S)
            venv, site = prepare_wagtail(work, title, body.group(1) if body else html.decode())
            wagtail_port = free_port()
            processes.append(start_wagtail(venv, site, wagtail_port))
            wagtail_cached_port = free_port()
            processes.append(start_wagtail(venv, site, wagtail_cached_port, cached=True))
            targets["wagtail: article"] = f"http://127.0.0.1:{wagtail_port}/article/"
            targets["wagtail + cache middleware: article"] = f"http://127.0.0.1:{wagtail_cached_port}/article/"
        hit_rate = language_hit_rate(nginx_port, [article, "/", company, topic, category])
        servers = [process.pid for process in processes]
        for name, url in targets.items():  # warm every cache once
            wrk(url, 1, headers=[BYPASS] if name in bypassed else [])
        figures = {name: [] for name in targets}
        for _ in range(options.rounds):
            for name, url in targets.items():
                figures[name].append(wrk(url, options.seconds, servers, gzip=name != UNCOMPRESSED,
                                         headers=[BYPASS] if name in bypassed else []))
        median = {name: statistics.median(run["rps"] for run in runs) for name, runs in figures.items()}
        cpu = {name: statistics.median(run["cpu_ms"] for run in runs) for name, runs in figures.items()}
        p50 = {name: statistics.median(run["p50"] for run in runs) for name, runs in figures.items()}
        p99 = {name: max(run["p99"] for run in runs) for name, runs in figures.items()}
        errors = {name: {kind: sum(run["errors"][kind] for run in runs) for kind in runs[0]["errors"]}
                  for name, runs in figures.items()}
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)

    cache = "Redis" if os.environ.get("REDIS_URL") else "per process"
    print(f"median of {options.rounds} interleaved rounds of {options.seconds} s, wrk -t2 -c16 with "
          f"Accept-Encoding: gzip; {options.articles:,} articles; gunicorn sync ×2 on {options.nodes} node(s); "
          f"cache: {cache}; p99: the worst round's")
    print(f"  {'':46} {'req/s':>10} {'CPU ms/req':>11} {'p50 ms':>8} {'p99 ms':>8}  errors (timeouts, socket, non-2xx)")
    for name, value in median.items():
        trouble = errors[name]
        print(f"  {name:46} {value:10,.0f} {cpu[name]:11.2f} {p50[name]:8.2f} {p99[name]:8.2f}  "
              f"{trouble['timeouts']}, {trouble['socket errors']}, {trouble['non-2xx']}")
    if options.nodes > 1:
        print("\nseveral nodes: server CPU per request through nginx's upstream (cache bypassed) / one node's own")
        for name in ("article", "home"):
            spread = cpu[f"nginx → {options.nodes} nodes, no nginx cache: {name}"]
            print(f"  {name:8} ×{spread / cpu[f'origin: {name}']:.2f}  (on top: nginx's proxying, and the "
                  "session cookie's look-up that bypassing its cache takes)")
    static = median["nginx: the article as a file"]
    print("\nratios")
    print(f"  nginx cache, article / nginx file        ×{median['nginx cache: article'] / static:.2f}  (goal ≥ 0.5)")
    print(f"  nginx cache, home / nginx file           ×{median['nginx cache: home'] / static:.2f}  (goal ≥ 0.5)")
    if "wagtail: article" in median:
        wagtail = cpu["wagtail: article"]
        print("  server CPU per request, Wagtail's uncached article / ours (higher is better):")
        for name in ("article", "home", "company", "search 推論"):
            print(f"    page cache off, {name:12} ×{wagtail / cpu[f'origin, page cache off: {name}']:.1f}"
                  f"  (goal ≥ 3 for the article and the home page)")
        print(f"    page cache off, article not compressed, as Wagtail sends it ×{wagtail / cpu[UNCOMPRESSED]:.1f}")
        cached = cpu["wagtail + cache middleware: article"]
        print("  server CPU per request, Wagtail's article from Django's cache middleware / ours from our page cache:")
        for name in ("article", "home"):
            print(f"    {name:12} ×{cached / cpu[f'origin: {name}']:.2f}  (goal > 1: our hit costs less)")
    print(f"\nnginx cache hits across {len(BROWSER_LANGUAGES)} browsers' Accept-Language, 5 pages, from cold: "
          f"{hit_rate:.0%} (one miss a page: {1 - 1 / len(BROWSER_LANGUAGES):.0%})")
    plain, packed = len(html), len(gzip.compress(html))
    print(f"\narticle page: {plain / 1024:.1f} KB, {packed / 1024:.1f} KB gzip-compressed")


if __name__ == "__main__":
    main()
