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
