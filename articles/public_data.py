"""What readers' pages show that costs more as the archive grows: which tags have
published articles and how many, and each article's related articles. Computed once per
generation of public pages (articles/caching.py), so a request pays for it only after a
change readers can see."""

import re

from django.db import connection
from django.db.models import Max
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from . import caching
from .models import Article, Category


def public_tags(model):
    """``[tag]`` of ``model`` (a vocabulary, or Category) with at least one published
    article, most used first, each with ``article_count`` and ``latest`` (its newest
    article's date)."""
    return caching.remember(f"tags:{model._meta.label}", lambda: _counted(model))


def _counted(model):
    """The tags of ``public_tags`` in one query that reads indexes, not article rows
    (reading 100,000 rows for two columns costs seconds on SQLite, whose rows keep the
    bodies first): live articles' ids and dates from ``article_live_newest`` joined to
    the tags' rows, or a category's from ``article_category_live``."""
    live = (f"SELECT {{columns}} FROM {Article._meta.db_table} "
            "WHERE published_revision_id IS NOT NULL AND published_at <= %s")
    if model is Category:
        counted = (f"SELECT category_id AS tag_id, COUNT(*) AS article_count, MAX(published_at) AS latest "
                   f"FROM ({live.format(columns='category_id, published_at')}) live GROUP BY category_id")
    else:
        through = model.tagged_articles.rel.related_model
        # SQLite would read each tag row's article unless the live ones are set apart
        # first; PostgreSQL plans the join better without being told.
        materialized = "MATERIALIZED" if connection.vendor == "sqlite" else ""
        counted = (f"WITH live AS {materialized} ({live.format(columns='id, published_at')}) "
                   "SELECT t.tag_id, COUNT(*) AS article_count, MAX(live.published_at) AS latest "
                   f"FROM {through._meta.db_table} t JOIN live ON live.id = t.content_object_id GROUP BY t.tag_id")
    sql = (f"SELECT tag.*, counted.article_count, counted.latest FROM {model._meta.db_table} tag "
           f"JOIN ({counted}) counted ON counted.tag_id = tag.id")
    tags = list(model.objects.raw(sql, [timezone.now()]))
    if connection.vendor == "sqlite":
        # As the ORM would give it: SQLite gives MAX() of a date as text.
        for tag in tags:
            tag.latest = connection.ops.convert_datetimefield_value(tag.latest, None, connection)
    return sorted(tags, key=lambda tag: (-tag.article_count, tag.name))


def is_common(tag):
    """Whether ``tag`` (from ``filter_object``) is on enough of the archive (2% or more)
    that its newest articles are best found newest-first (``ArticleQuerySet.with_tag``)."""
    return tag.article_count * 50 >= published_count()


def published_count():
    return caching.remember("count:published", lambda: Article.objects.published().count())


def latest_publication():
    """When readers last got something new: the newest publication or new version."""

    def compute():
        dates = Article.objects.published().aggregate(first=Max("published_at"), again=Max("last_published_at"))
        return max(filter(None, dates.values()), default=None)

    return caching.remember("latest-publication", compute)


def related_articles(article):
    """``Article.objects.related_to(article)``, as a list, once per generation."""
    return caching.remember(f"related:{article.pk}", lambda: list(Article.objects.related_to(article)))


def filtered(articles, model, field, obj):
    """``articles`` of one company, topic or category (from ``filter_object``), in the
    plan that suits it."""
    if model is Category:
        return articles.filter(category=obj)
    return articles.with_tag(field, obj, common=is_common(obj))


# The shape of any tag's or category's slug (taggit's and ours: letters of any script,
# digits, hyphens and underscores, at most 100 characters).
_PLAUSIBLE_SLUG = re.compile(r"[-\w]{1,100}")


def public_tag(model, slug):
    """The company, topic or category of ``model`` with this slug and a published
    article, with its ``article_count``; None if there is none."""

    if not _PLAUSIBLE_SLUG.fullmatch(slug or ""):
        return None  # no tag has such an address: nothing to look up, nothing to keep

    def compute():
        # False, not None: "not public" is worth remembering too.
        return next((tag for tag in public_tags(model) if tag.slug == slug), False)

    return caching.remember(f"tag:{model._meta.label}:{slug}", compute) or None


def filter_object(model, slug, needs_published_article=True):
    """The company, topic or category a public page or feed is about, with its
    ``article_count``, or 404. A company or topic without a published article is not
    public (its name belongs to a draft); a category always is."""
    found = public_tag(model, slug)
    if found:
        return found
    if needs_published_article:
        raise Http404
    empty = get_object_or_404(model, slug=slug)
    empty.article_count = 0
    return empty
