"""Several app servers (issue 26): two gunicorn nodes on one PostgreSQL, one Redis and one
S3-compatible store, behind deploy/nginx.conf with an upstream of both, each node with a
folder of its own that must stay empty. A request may land on either: what one node
does, the other (and readers through nginx) sees; a node killed mid-run loses no save.

Needs PostgreSQL and Redis (the suite's own, from DATABASE_URL and REDIS_URL), nginx and
gunicorn: .ci/run's second run has them and sets EDITORIAL_REQUIRE_NODES=1, so there this
never skips."""

import os
import re
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
import requests

from deploy.local import local_conf, production_env
from tests.images import photo
from tests.object_storage import free_port, start_server
from tests.test_nginx import GUNICORN, NGINX, own_database

ROOT = Path(__file__).resolve().parent.parent
SHARED_AGE = 2  # seconds nginx keeps a page (EDITORIAL_CACHE_SHARED_MAX_AGE), as in tests/test_nginx.py
CLIENT = "203.0.113.9"  # the reader's address, as nginx would pass it on

_missing = [name for name, present in (
    ("PostgreSQL (DATABASE_URL)", os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))),
    ("Redis (REDIS_URL)", bool(os.environ.get("REDIS_URL"))),
    ("nginx", NGINX is not None),
    ("gunicorn", GUNICORN.exists()),
) if not present]
pytestmark = pytest.mark.skipif(
    bool(_missing) and not os.environ.get("EDITORIAL_REQUIRE_NODES"),
    reason=f"several nodes need {', '.join(_missing)}; .ci/run's PostgreSQL run has them",
)


class Nodes:
    """Two nodes, nginx in front, and ways to reach each."""

    def __init__(self, folder, env):
        self.folder, self.env = folder, env
        self.ports = [free_port(), free_port()]
        self.nginx_port = free_port()
        self.processes = {}

    def url(self, where, path):
        port = self.nginx_port if where == "nginx" else self.ports["AB".index(where)]
        return f"http://127.0.0.1:{port}{path}"

    def node_env(self, index):
        media = self.folder / f"node-{index}-media"  # must stay empty: nothing is node-local
        media.mkdir(exist_ok=True)
        return {**self.env, "MEDIA_ROOT": str(media), "GUNICORN_BIND": f"127.0.0.1:{self.ports[index]}"}

    def start(self, index):
        self.processes[index] = subprocess.Popen(  # noqa: S603 (our gunicorn, our app)
            [str(GUNICORN), "-c", "deploy/gunicorn.conf.py", "editorial.wsgi"], cwd=ROOT, env=self.node_env(index),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)

    def kill(self, index):
        """The node dies at once, master and workers, with whatever it was doing."""
        process = self.processes.pop(index)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    def manage(self, *args, script=None):
        result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.node_env(0),  # noqa: S603
                                input=script, text=True, capture_output=True, timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def media_files(self):
        return [path for index in (0, 1) for path in (self.folder / f"node-{index}-media").rglob("*") if path.is_file()]


@pytest.fixture(scope="module")
def nodes(tmp_path_factory):
    folder = tmp_path_factory.mktemp("nodes")
    store, stop_store = start_server()
    bucket = store.new_bucket()
    database_url, drop_database = own_database(folder)
    # A Redis database of its own, emptied: the counters of an earlier run would count.
    redis_url = re.sub(r"/\d*$", "", os.environ["REDIS_URL"]) + "/4"
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    env = production_env(folder, database_url, EDITORIAL_CACHE_SHARED_MAX_AGE=SHARED_AGE,
                         EDITORIAL_CACHE_STALE_SECONDS=SHARED_AGE, EDITORIAL_LOGIN_RATE="4/h", REDIS_URL=redis_url,
                         **store.environment(bucket))
    site = Nodes(folder, env)
    site.store, site.bucket = store, bucket
    site.manage("migrate", "--no-input", "-v0")
    site.manage("collectstatic", "--no-input", "-v0")
    site.manage("shell", script=textwrap.dedent("""\
        from django.contrib.auth.models import Group, User
        for name, group in (("writer", "Writers"), ("editor", "Editors")):
            user = User.objects.create_user(name, f"{name}@example.com", "nodes-pw-1234", first_name=name.title())
            user.groups.add(Group.objects.get(name=group))
        """))
    for index in (0, 1):
        site.start(index)
    conf = local_conf(folder, port=site.nginx_port, app_port=site.ports, static_root=folder / "static",
                      media_root=folder / "node-0-media")
    nginx = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(folder), "-g", "daemon off;"],  # noqa: S603
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 40
        for where in ("A", "B", "nginx"):
            while True:
                try:
                    if requests.get(site.url(where, "/healthz"), timeout=5).status_code == 200:
                        break
                except requests.ConnectionError:
                    pass
                assert nginx.poll() is None, nginx.stderr.read()
                assert time.monotonic() < deadline, f"{where} did not come up"
                time.sleep(0.2)
        yield site
    finally:
        nginx.terminate()
        nginx.wait(timeout=30)
        for index in list(site.processes):
            site.kill(index)
        drop_database()
        stop_store()


def logged_in(nodes, where, name):
    """A session (cookies kept) logged in as ``name`` through node ``where``."""
    session = requests.Session()
    session.headers["X-Forwarded-For"] = CLIENT
    page = session.get(nodes.url(where, "/accounts/login/"), timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
    answer = session.post(nodes.url(where, "/accounts/login/"), timeout=10, allow_redirects=False, data={
        "username": name, "password": "nodes-pw-1234", "csrfmiddlewaretoken": token})
    assert answer.status_code == 302, answer.text[:500]
    return session


def token(session):
    return session.cookies["csrftoken"]


def form_of(page):
    """The editor form's fields as the page has them."""
    fields = dict(re.findall(r'<input type="hidden" name="(version|creation_key)" value="([^"]*)"', page))
    return {"title": "", "slug": "", "byline": "", "category": "", "companies": "", "topics": "", "excerpt": "",
            "body": "", "cover": "", **fields}


def new_article(nodes, session, where, **fields):
    page = session.get(nodes.url(where, "/desk/articles/new/"), timeout=10).text
    data = {**form_of(page), **fields, "csrfmiddlewaretoken": token(session)}
    answer = session.post(nodes.url(where, "/desk/articles/new/"), data=data, timeout=30, allow_redirects=False)
    assert answer.status_code == 302, answer.text[:2000]
    return int(re.search(r"/desk/articles/(\d+)/", answer.headers["Location"])[1])


def step(nodes, session, where, pk, action, **extra):
    review = session.get(nodes.url(where, f"/desk/articles/{pk}/"), timeout=10).text
    revision = re.search(r'name="revision" value="(\d+)"', review)[1]
    answer = session.post(nodes.url(where, f"/desk/articles/{pk}/actions/{action}/"), timeout=30,
                          allow_redirects=False,
                          data={"revision": revision, "csrfmiddlewaretoken": token(session), **extra})
    assert answer.status_code == 302, answer.text[:2000]


def test_a_login_on_one_node_is_valid_on_the_other(nodes):
    session = logged_in(nodes, "A", "writer")
    desk = session.get(nodes.url("B", "/desk/"), timeout=10, allow_redirects=False)
    assert desk.status_code == 200 and "ダッシュボード" in desk.text


def test_a_picture_and_a_publish_through_one_node_reach_readers_of_the_other(nodes):
    writer, editor = logged_in(nodes, "A", "writer"), logged_in(nodes, "A", "editor")
    upload = writer.post(nodes.url("A", "/desk/images/upload/"), timeout=30, headers={
        "Accept": "application/json", "X-CSRFToken": token(writer)},
        files={"file": ("board.jpg", photo(1600, 900), "image/jpeg")}, data={"alt_text": "二台目の写真"})
    assert upload.status_code == 201, upload.text
    picture = upload.json()["id"]
    nodes.manage("worker", "--batch", "--no-startup-delay")  # the task worker, on any machine
    title = "二台のサーバーで公開する記事"
    pk = new_article(nodes, writer, "A", title=title, slug="two-nodes", excerpt="二台目で読む。", then="submit",
                     body=f"写真の前の段落。\n\n![二台目の写真](image:{picture})\n\n後の段落。")
    step(nodes, editor, "A", pk, "approve")
    started = time.monotonic()
    step(nodes, editor, "A", pk, "publish")
    # Node B's own answer has it at once (stored pages and the generation are shared)...
    assert title in requests.get(nodes.url("B", "/"), timeout=10).text
    # ...and nginx's readers within the shared age, as on one node (tests/test_nginx.py).
    while title not in requests.get(nodes.url("nginx", "/"), timeout=10).text:
        assert time.monotonic() - started < SHARED_AGE + 5, "the publish did not reach nginx's readers in time"
        time.sleep(0.2)
    home = requests.get(nodes.url("B", "/"), timeout=10).text
    page = requests.get(nodes.url("B", re.search(r'href="([^"]*/two-nodes/)"', home)[1]), timeout=10).text
    address = re.search(r'src="(/media/images/[^"]+)"', page)[1]
    for where in ("nginx", "B", "A"):
        served = requests.get(nodes.url(where, address), timeout=10)
        assert served.status_code == 200 and served.headers["Content-Type"].startswith("image/"), where
        assert served.headers["Content-Security-Policy"] == "default-src 'none'; sandbox", where
    assert requests.get(nodes.url("nginx", address), timeout=10).headers["X-Cache-Status"] == "HIT"
    assert address.removeprefix("/media/") in nodes.store.keys(nodes.bucket)
    assert nodes.media_files() == []


def test_a_rate_limit_counts_across_both_nodes(nodes):
    answers = []
    for where in ("A", "B", "A", "B", "A"):
        session = requests.Session()
        session.headers["X-Forwarded-For"] = "198.51.100.7"
        page = session.get(nodes.url(where, "/accounts/login/"), timeout=10).text
        form = {"username": "nobody", "password": "wrong",
                "csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]}
        answers.append(session.post(nodes.url(where, "/accounts/login/"), data=form, timeout=10).status_code)
    # EDITORIAL_LOGIN_RATE=4/h for this address: two tries on each node, then refused.
    assert answers == [200, 200, 200, 200, 429]


def test_killing_a_node_mid_run_loses_no_save_and_readers_keep_being_served(nodes):
    writer = logged_in(nodes, "nginx", "writer")
    pk = new_article(nodes, writer, "nginx", title="止まらない保存", slug="no-lost-save", body="最初の本文。")
    statuses, stop = [], threading.Event()

    def read():
        while not stop.is_set():
            try:
                statuses.append(requests.get(nodes.url("nginx", "/"), timeout=10).status_code)
            except requests.RequestException as exc:
                statuses.append(repr(exc))
            time.sleep(0.05)

    reader = threading.Thread(target=read)
    reader.start()
    acknowledged = []
    try:
        for number in range(1, 13):
            if number == 6:
                nodes.kill(0)  # node A goes, in the middle of the run
            body = f"保存 {number} 回目の本文。"
            for _attempt in range(5):  # as the editor page does: a failed save is tried again
                edit = writer.get(nodes.url("nginx", f"/desk/articles/{pk}/edit/"), timeout=10).text
                if body in edit:
                    break  # it was saved, though its answer was lost with the node
                data = {**form_of(edit), "title": "止まらない保存", "slug": "no-lost-save", "body": body,
                        "csrfmiddlewaretoken": token(writer)}
                try:
                    answer = writer.post(nodes.url("nginx", f"/desk/articles/{pk}/edit/"), data=data, timeout=30,
                                         allow_redirects=False)
                except requests.RequestException:
                    continue
                if answer.status_code == 302:
                    acknowledged.append(body)
                    break
            else:
                pytest.fail(f"save {number} never went through")
    finally:
        stop.set()
        reader.join()
    bodies = nodes.manage("shell", "-c", (
        "from articles.models import Revision; "
        f"print('\\n'.join(Revision.objects.filter(article_id={pk}).values_list('body', flat=True)))")).splitlines()
    assert set(acknowledged) <= set(bodies) and len(acknowledged) >= 10
    assert statuses and all(status == 200 for status in statuses), [s for s in statuses if s != 200][:5]
