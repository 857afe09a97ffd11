"""Several people at once, against a live server with a real database file: no request
fails for want of a lock, no save is lost, and a race is answered 409, not 500."""

import re
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.db import connection
from django.test import Client

from articles.models import Article, Status
from articles.publishing.editing import Content, create_article

pytestmark = pytest.mark.usefixtures("migration_data")

ROUNDS = 12


class Browser:
    """Just enough of a browser: cookies, the CSRF token, form posts."""

    def __init__(self, live_server, user):
        self.base = live_server.url
        client = Client()  # a session of its own
        client.force_login(user)
        self.cookies = {name: morsel.value for name, morsel in client.cookies.items()}
        self.opener = urllib.request.build_opener(_NoRedirect)

    def request(self, path, data=None, **headers):
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        return urllib.request.Request(self.base + path, data, headers={"Cookie": cookie, **headers})

    def get(self, path):
        with self.opener.open(self.request(path)) as response:
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name] = rest.split(";")[0]
            return response.read().decode()

    def post(self, path, data, token_from):
        page = self.get(token_from)
        data = {"csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1], **data}
        request = self.request(path, urllib.parse.urlencode(data).encode(), Referer=self.base + token_from)
        try:
            with self.opener.open(request) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def run_together(*functions):
    results, barrier = [None] * len(functions), threading.Barrier(len(functions))

    def call(index, function):
        barrier.wait()
        results[index] = function()

    threads = [threading.Thread(target=call, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def edit_form(article, body, version):
    return {"title": article.title, "slug": article.slug, "byline": "", "category": "", "companies": "",
            "topics": "", "excerpt": "要約", "body": body, "version": str(version)}


def test_sqlite_runs_in_wal_with_immediate_transactions():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's settings")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_two_writers_saving_at_once_lose_nothing(live_server, writer, other_writer):
    mine = create_article(Content(title="記者Aの記事", slug="a-article", body="初版"), writer)
    theirs = create_article(Content(title="記者Bの記事", slug="b-article", body="初版"), other_writer)
    a, b = Browser(live_server, writer), Browser(live_server, other_writer)
    statuses = []
    for n in range(1, ROUNDS + 1):
        statuses += run_together(
            lambda n=n: a.post(f"/desk/articles/{mine.pk}/edit/", edit_form(mine, f"A の第{n}版", n),
                               f"/desk/articles/{mine.pk}/edit/"),
            lambda n=n: b.post(f"/desk/articles/{theirs.pk}/edit/", edit_form(theirs, f"B の第{n}版", n),
                               f"/desk/articles/{theirs.pk}/edit/"),
        )
    assert statuses == [302] * (2 * ROUNDS), statuses
    for article, name in [(mine, "A"), (theirs, "B")]:
        article.refresh_from_db()
        assert article.latest_revision.body == f"{name} の第{ROUNDS}版"
        assert article.revisions.count() == ROUNDS + 1


def test_a_double_publish_is_one_publication_and_one_409(live_server, writer, editor):
    from articles.publishing import workflow

    article = create_article(Content(title="同時に公開", slug="race", body="本文"), writer)
    workflow.apply_transition(article, "submit", writer)
    workflow.apply_transition(article, "approve", editor)
    first, second = Browser(live_server, editor), Browser(live_server, editor)
    review = f"/desk/articles/{article.pk}/"
    publish = {"revision": str(article.latest_revision_id), "publish_at": ""}
    statuses = run_together(
        lambda: first.post(f"{review}actions/publish/", publish, review),
        lambda: second.post(f"{review}actions/publish/", publish, review),
    )
    assert sorted(statuses) == [302, 409]
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED and article.transitions.filter(action="publish").count() == 1
    assert Article.objects.published().filter(pk=article.pk).exists()
