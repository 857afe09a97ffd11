import datetime as dt
import itertools
from pathlib import Path

import pytest
from django.utils import timezone

from articles.models import Article, Category, Status

SEED_DIR = Path(__file__).resolve().parents[2] / "shared" / "seeds"
SEED_POST = SEED_DIR / "2025-12-25-trainium2.md"

_counter = itertools.count(1)


@pytest.fixture
def make_article(db):
    """Create an article; published an hour ago unless told otherwise."""

    def make(*, companies=(), topics=(), **fields):
        n = next(_counter)
        fields.setdefault("title", f"テスト記事 {n}")
        fields.setdefault("slug", f"test-article-{n}")
        fields.setdefault("body", f"本文 {n} です。")
        fields.setdefault("excerpt", f"抜粋 {n}")
        fields.setdefault("status", Status.PUBLISHED)
        if fields["status"] == Status.PUBLISHED:
            fields.setdefault("published_at", timezone.now() - dt.timedelta(hours=1))
        article = Article.objects.create(**fields)
        if companies:
            article.companies.set(list(companies))
        if topics:
            article.topics.set(list(topics))
        return article

    return make


@pytest.fixture
def category(db):
    return Category.objects.create(name="AI技術ガイド", slug="ai技術ガイド")


@pytest.fixture
def seed_post():
    if not SEED_POST.exists():
        pytest.skip("the publisher's seed post is not present in ../shared/seeds")
    return SEED_POST


def pytest_report_header(config):
    from django.db import connection

    return f"database: {connection.vendor} ({connection.settings_dict['NAME']})"
