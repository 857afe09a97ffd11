"""The production server: gunicorn with deploy/gunicorn.conf.py, and the health check."""

import json
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import DatabaseError

from deploy.local import production_env

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def test_the_health_check_says_ok_and_is_never_cached(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_the_health_check_names_what_fails(client, db, monkeypatch):
    from articles.views import health

    class Unreachable:
        def cursor(self):
            raise DatabaseError("gone")

    monkeypatch.setattr(health, "connection", Unreachable())
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json() == {"status": "failing", "failing": ["database"]}


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read()


@pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is not installed in this environment")
def test_gunicorn_serves_the_production_settings(tmp_path):
    port = _free_port()
    env = production_env(tmp_path, f"sqlite:///{tmp_path}/serve.sqlite3", ALLOWED_HOSTS="127.0.0.1",
                         GUNICORN_BIND=f"127.0.0.1:{port}")
    for command in (["migrate"], ["collectstatic"]):
        subprocess.run([sys.executable, "manage.py", *command, "--no-input", "-v0"],  # noqa: S603 (ours)
                       cwd=ROOT, env=env, check=True, timeout=120)
    server = subprocess.Popen(  # noqa: S603 (our gunicorn, our app)
        [str(GUNICORN), "-c", "deploy/gunicorn.conf.py", "editorial.wsgi"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, body = _get(f"http://127.0.0.1:{port}/healthz")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        assert status == 200 and json.loads(body) == {"status": "ok"}
        status, body = _get(f"http://127.0.0.1:{port}/")
        assert status == 200 and b"<html" in body
        # Static files under names made from their content, cached for a year.
        stylesheet = re.search(rb'href="(/static/css/site\.[0-9a-f]{12}\.css)"', body).group(1).decode()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{stylesheet}", timeout=10) as response:
            assert response.status == 200 and "immutable" in response.headers["Cache-Control"]
            assert "max-age=315360000" in response.headers["Cache-Control"]
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    # Its log reaches the service manager; requests are nginx's to log (one line each
    # from here too cost a tenth of a page from the page cache).
    assert "Booting worker" in output
    assert '"GET /healthz HTTP/1.1"' not in output


@pytest.mark.parametrize(("value", "logged"), [("", None), ("1", "-"), ("0", None)])
def test_gunicorn_logs_requests_only_when_asked(monkeypatch, value, logged):
    import runpy

    monkeypatch.setenv("GUNICORN_ACCESS_LOG", value)
    assert runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))["accesslog"] == logged


def test_workers_are_replaced_rarely_and_start_warm(monkeypatch, tmp_path):
    """Issue 27 item 1: each worker was replaced after 2,000 requests (every second or
    two under load) and began cold: the tail of the page cache's answers was 1 s."""
    import runpy

    monkeypatch.delenv("GUNICORN_MAX_REQUESTS", raising=False)
    assert runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))["max_requests"] >= 20_000
    # What the preloaded parent leaves built for the workers it forks.
    check = (
        "import editorial.wsgi\n"
        "from django.urls import get_resolver\n"
        "from django.template import engines\n"
        "assert {'ja', 'en'} <= set(get_resolver()._reverse_dict), get_resolver()._reverse_dict.keys()\n"
        "loader = engines['django'].engine.template_loaders[0]\n"
        "assert 'articles/article_detail.html' in str(list(loader.get_template_cache)), loader.get_template_cache\n"
    )
    env = production_env(tmp_path, f"sqlite:///{tmp_path}/db.sqlite3")
    result = subprocess.run([sys.executable, "-c", check], cwd=ROOT, env=env, capture_output=True, text=True)  # noqa: S603
    assert result.returncode == 0, result.stderr
