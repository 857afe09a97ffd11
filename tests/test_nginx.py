"""The production recipe, run for real: gunicorn behind nginx with deploy/nginx.conf, on
this test run's database (a database of its own on the same PostgreSQL server when the
suite runs on PostgreSQL) and its Redis when REDIS_URL is set.

A smoke test of what readers get: status codes, headers, a 304, a cache hit on the
second request, compressed pages, static files for a year, and that a publish and an
unpublish reach readers through nginx's cache within seconds."""

import gzip
import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from deploy.local import local_conf, production_env

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).with_name("gunicorn")
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
SHARED_AGE = 2  # seconds nginx keeps a page before asking again (EDITORIAL_CACHE_SHARED_MAX_AGE)

pytestmark = pytest.mark.skipif(
    NGINX is None and not os.environ.get("EDITORIAL_REQUIRE_NGINX"),
    reason="nginx is not installed (apt-get install nginx); .ci/run installs it",
)


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Site:
    """The app under gunicorn, nginx in front, and a way to change what is published."""

    def __init__(self, tmp_path, env):
        self.tmp, self.env = tmp_path, env
        self.app_port, self.port = _free_port(), _free_port()

    def manage(self, *args, script=None):
        command = [sys.executable, "manage.py", *args]
        result = subprocess.run(command, cwd=ROOT, env=self.env, input=script, text=True,  # noqa: S603 (ours)
                                capture_output=True, timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def post(self, name, title, body):
        folder = self.tmp / "posts" / name / "_posts"
        folder.mkdir(parents=True)
        (folder / f"2026-11-01-{name}.md").write_text(textwrap.dedent(f"""\
            ---
            title: {title}
            excerpt: {title}の要約です。
            companies: [NVIDIA]
            ---
            {body}
            """), encoding="utf-8")
        self.manage("import_jekyll", str(folder.parent))

    def get(self, path, **headers):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body

    def wait_for(self, path, predicate, limit):
        """Seconds until ``predicate(status, body)`` holds for ``path`` through nginx."""
        started = time.monotonic()
        while True:
            status, _headers, body = self.get(path)
            if predicate(status, body):
                return time.monotonic() - started
            assert time.monotonic() - started < limit, f"{path} still {status} after {limit} s"
            time.sleep(0.2)


def own_database(tmp_path):
    """A database of the smoke test's own: a file, or one more database on the same
    PostgreSQL server the suite runs on (dropped afterwards)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{tmp_path}/nginx.sqlite3", None
    import psycopg

    name = f"editorial_nginx_{uuid.uuid4().hex[:8]}"
    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunsplit(parts._replace(path=f"/{name}")), drop


@pytest.fixture
def site(tmp_path):
    if not GUNICORN.exists():
        pytest.skip("gunicorn is not installed in this environment")
    database_url, drop_database = own_database(tmp_path)
    env = production_env(tmp_path, database_url, EDITORIAL_CACHE_SHARED_MAX_AGE=SHARED_AGE,
                         EDITORIAL_CACHE_STALE_SECONDS=SHARED_AGE)
    if os.environ.get("REDIS_URL"):
        # A Redis database of its own: the suite's tests empty theirs between tests.
        env["REDIS_URL"] = re.sub(r"/\d*$", "", os.environ["REDIS_URL"]) + "/3"
    site = Site(tmp_path, env)
    site.manage("migrate", "--no-input", "-v0")
    site.manage("collectstatic", "--no-input", "-v0")
    site.env["GUNICORN_BIND"] = f"127.0.0.1:{site.app_port}"
    app = subprocess.Popen(  # noqa: S603 (our gunicorn, our app)
        [str(GUNICORN), "-c", "deploy/gunicorn.conf.py", "editorial.wsgi"],
        cwd=ROOT, env=site.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    conf = local_conf(tmp_path, port=site.port, app_port=site.app_port, static_root=tmp_path / "static",
                      media_root=tmp_path / "media")
    nginx = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(tmp_path), "-g", "daemon off;"],  # noqa: S603
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if site.get("/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert nginx.poll() is None, nginx.stderr.read()
            assert app.poll() is None, "gunicorn stopped"
            assert time.monotonic() < deadline, "the site did not come up"
            time.sleep(0.2)
        yield site
    finally:
        for process in (nginx, app):
            process.terminate()
            process.wait(timeout=30)
        if drop_database:
            drop_database()


def test_readers_are_served_from_nginx_and_see_changes_within_seconds(site):
    site.post("first", "最初の記事", "最初の本文です。")
    article = re.search(r'href="(/articles/2026/11/01/first/)"', site.get("/")[2].decode())
    assert article, "the home page links the article"
    path = article.group(1)

    # A miss, then a hit: the second reader never reaches Django.
    status, headers, body = site.get(path)
    assert status == 200 and "最初の本文" in body.decode()
    assert "set-cookie" not in headers and "public" in headers["cache-control"]
    assert headers["x-cache-status"] in {"MISS", "EXPIRED", "HIT"}
    status, headers, _ = site.get(path)
    assert status == 200 and headers["x-cache-status"] == "HIT"
    # A reader who has it gets a 304.
    status, _, body = site.get(path, **{"If-None-Match": headers["etag"]})
    assert status == 304 and body == b""
    # Compressed for browsers that can read it, with the same text.
    status, packed_headers, packed = site.get(path, **{"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert packed_headers["content-encoding"] == "gzip" and "最初の本文" in gzip.decompress(packed).decode()
    # Static files: content-named, compressed ahead of time, cached for a year.
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', site.get(path)[2].decode()).group(1)
    status, headers, _ = site.get(stylesheet, **{"Accept-Encoding": "gzip"})
    assert status == 200 and "immutable" in headers["cache-control"] and headers["content-encoding"] == "gzip"
    assert "accept-encoding" in headers.get("vary", "").lower()
    # The read API goes through nginx's cache like the pages, open to any origin even on
    # a copy first made for a request without one.
    site.get("/api/v1/articles/")
    status, headers, body = site.get("/api/v1/articles/", Origin="https://partner.example")
    assert status == 200 and headers["x-cache-status"] == "HIT" and "最初の記事" in body.decode()
    assert headers["access-control-allow-origin"] == "*"
    # The desk is never kept.
    site.get("/accounts/login/")
    status, headers, _ = site.get("/accounts/login/")
    assert status == 200 and headers.get("x-cache-status") != "HIT" and "private" in headers["cache-control"]

    # A publish reaches the home page through nginx's cache within the shared age (and
    # the time nginx takes to ask again).
    site.get("/"), site.get("/")
    site.post("second", "二本目の記事", "新しい本文です。")
    assert site.wait_for("/", lambda status, body: "二本目の記事" in body.decode(), limit=SHARED_AGE + 10)

    # So does an unpublish: the page readers had becomes a 410.
    site.manage("shell", script=textwrap.dedent("""\
        from django.contrib.auth.models import Group, User
        from articles.publishing import workflow
        from articles.models import Article
        editor = User.objects.create_user("smoke-editor", password="x")
        editor.groups.add(Group.objects.get(name="Editors"))
        workflow.apply_transition(Article.objects.get(slug="first"), "unpublish", editor)
        """))
    assert site.wait_for(path, lambda status, body: status == 410, limit=SHARED_AGE + 10)
    assert site.wait_for("/", lambda status, body: "最初の記事" not in body.decode(), limit=SHARED_AGE + 10)


def test_pictures_are_served_sandboxed_and_encodings_honoured(site):
    """Issue 20: the /media/ sandbox policy of deploy/nginx.conf, and gzip;q=0."""
    url = site.manage("shell", script=textwrap.dedent("""\
        from articles.media import images, pictures
        from tests.images import photo
        print(pictures.image_data(images.store(photo(800, 600), alt_text="写真")[0])["webp"][0][0])
        """)).strip().splitlines()[-1]
    assert url.startswith("/media/images/")
    status, headers, body = site.get(url)
    assert status == 200 and headers["content-type"] == "image/webp" and body[:4] == b"RIFF"
    assert headers["content-security-policy"] == "default-src 'none'; sandbox"
    assert headers["x-content-type-options"] == "nosniff"
    assert site.get("/media/demo-accounts")[0] == 404
    # A client that refuses gzip never gets it, from Django or from nginx's copy.
    site.get("/", **{"Accept-Encoding": "gzip"})
    for _attempt in range(2):
        status, headers, body = site.get("/", **{"Accept-Encoding": "gzip;q=0, identity"})
        assert status == 200 and "content-encoding" not in headers and body.startswith(b"<!DOCTYPE html>")


def test_the_apis_variants_are_kept_apart(site):
    """Issue 25, item 8: nginx keyed the API by address alone, so a schema made as JSON
    was served to a client asking for YAML, and a message made in one language to a
    client reading another."""
    for _attempt in range(2):  # the second time, from nginx's cache
        status, headers, body = site.get("/api/v1/schema/", Accept="application/json")
        assert status == 200 and headers["content-type"].startswith("application/json") and body.startswith(b"{")
        status, headers, body = site.get("/api/v1/schema/", Accept="application/yaml")
        assert status == 200 and body.startswith(b"openapi:")
        status, headers, body = site.get("/api/v1/articles/999999/", **{"Accept-Language": "en"})
        assert status == 404 and headers["content-language"] == "en" and b"Nothing published" in body
        status, headers, body = site.get("/api/v1/articles/999999/", **{"Accept-Language": "ja"})
        assert status == 404 and headers["content-language"] == "ja"
    status, headers, body = site.get("/api/v1/no-such-thing/")
    assert status == 404 and headers["content-type"] == "application/json"
