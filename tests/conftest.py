import datetime as dt
import itertools
from importlib import import_module
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from articles.models import Article, Category, Status
from articles.publishing.editing import Content, create_article
from articles.publishing.workflow import record_import

SEED_DIR = Path(__file__).resolve().parents[2] / "shared" / "seeds"
SEED_POST = SEED_DIR / "2025-12-25-trainium2.md"

_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with no rate-limit counts and no stored pages (caches outlive a
    test's database, whose counts of changes start again from nothing)."""
    from django.core.cache import caches

    from articles.reading import caching

    for cache in caches.all():
        cache.clear()
    caching._verified.clear()
    yield


def run_queued_tasks():
    """What the worker (`manage.py db_worker`) does in production: run every task due."""
    from io import StringIO
    from unittest import mock

    from django.core.management import call_command

    # The worker closes a connection that is not in autocommit mode, as a test's is (it
    # runs inside the test's transaction): here it keeps the one it has.
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO(), stderr=StringIO())


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` — the transaction commits (notifications are queued), then
    the worker sends what was queued."""
    from contextlib import contextmanager

    @contextmanager
    def commit():
        with django_capture_on_commit_callbacks(execute=True):
            yield
        run_queued_tasks()

    return commit


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's language: a request to /en/… leaves English active
    in the thread, and get_absolute_url() would give English addresses."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield


@pytest.fixture
def frozen_clock():
    """Time stands still: a rate limit's window (django-ratelimit counts per fixed window)
    cannot roll over between the requests a test counts on."""
    import time_machine

    with time_machine.travel(timezone.now(), tick=False):
        yield


@pytest.fixture
def make_article(db):
    """Create an article; live since an hour ago unless told otherwise.

    A published article gets there through the importer's door (a source that is
    already published at a given date); other states are set directly, as test data.
    """

    def make(*, companies=(), topics=(), status=Status.PUBLISHED, published_at=None, owner=None, **fields):
        n = next(_counter)
        content = Content(
            title=fields.pop("title", f"テスト記事 {n}"),
            slug=fields.pop("slug", f"test-article-{n}"),
            body=fields.pop("body", f"本文 {n} です。"),
            excerpt=fields.pop("excerpt", f"抜粋 {n}"),
            byline=fields.pop("byline", ""),
            category=fields.pop("category", None),
            companies=tuple(companies),
            topics=tuple(topics),
        )
        assert not fields, f"unknown fields: {fields}"
        article = create_article(content, owner)
        if status == Status.PUBLISHED:
            article.published_at = published_at or timezone.now() - dt.timedelta(hours=1)
            record_import(article, published=True)
        elif status != Status.DRAFT:
            Article.objects.filter(pk=article.pk).update(status=status, published_at=published_at)
        article.refresh_from_db()
        return article

    return make


def _user(django_user_model, username, group):
    user = django_user_model.objects.create_user(
        username, email=f"{username}@example.com", password="pw", first_name=username.title()
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def writer(django_user_model):
    return _user(django_user_model, "writer", "Writers")


@pytest.fixture
def other_writer(django_user_model):
    return _user(django_user_model, "other", "Writers")


@pytest.fixture
def editor(django_user_model):
    return _user(django_user_model, "editor", "Editors")


@pytest.fixture
def second_editor(django_user_model):
    return _user(django_user_model, "editor2", "Editors")


@pytest.fixture
def category(db):
    return Category.objects.create(name="AI技術ガイド", slug="ai技術ガイド")


@pytest.fixture
def seed_post():
    if not SEED_POST.exists():
        pytest.skip("the publisher's seed post is not present in ../shared/seeds")
    return SEED_POST


@pytest.fixture
def migration_data(transactional_db):
    """Put back what the data migration made (roles, companies, house style, products).

    A live-server test runs outside a transaction, and the database is emptied after
    each one; the next test would find no roles and no companies.
    """
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    if Group.objects.exists():
        return
    apps = MigrationExecutor(connection).loader.project_state().apps
    initial_data = import_module("articles.migrations.0002_initial_data")
    initial_data.create_roles(apps, None)
    initial_data.seed_vocabularies(apps, None)


def pytest_report_header(config):
    from django.db import connection

    return f"database: {connection.vendor} ({connection.settings_dict['NAME']})"


@pytest.fixture(scope="session")
def object_store():
    """An S3-compatible server for the session (tests/object_storage.py)."""
    from tests.object_storage import start_server

    store, stop = start_server()
    yield store
    stop()


@pytest.fixture
def bucket(object_store, settings):
    """Pictures kept in a bucket of this test's own, as the production settings do when
    EDITORIAL_MEDIA_S3_* are given. Returns the bucket's name."""
    from editorial.settings import media_storage

    name = object_store.new_bucket()
    settings.STORAGES = {**settings.STORAGES, "default": media_storage(object_store.environment(name))}
    return name
